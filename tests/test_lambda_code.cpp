// Lambda code from files (lambda::Code::from_file, from_directory): the deterministic zip, how
// each target refers to it, the errors (HS2011) at the user's line, inline code over the limit, and
// the command line's refusal to print a document whose code only -o writes.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>

#include "hipaa/aws/lambda.hpp"
#include "hipaa/cli.hpp"
#include "support.hpp"
#include "support/archive.hpp"

using namespace hipaa;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& file, const std::string& text,
           fs::perms perms = fs::perms::owner_read | fs::perms::owner_write) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
  fs::permissions(file, perms);
}

// What a zip's central directory says about each entry, in the archive's order.
struct Entry {
  std::string name;
  std::uint32_t mode = 0;  // unix st_mode from the external attributes
  std::uint32_t dos_time = 0;
  std::uint32_t dos_date = 0;
  std::string contents;
};

std::uint32_t le(const std::string& zip, std::size_t at, int bytes) {
  std::uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(zip.at(at + i));
  return v;
}

std::vector<Entry> entries(const std::string& zip) {
  const std::size_t end = zip.size() - 22;
  REQUIRE(le(zip, end, 4) == 0x06054b50);
  const std::uint32_t count = le(zip, end + 10, 2);
  std::size_t at = le(zip, end + 16, 4);
  std::vector<Entry> out;
  for (std::uint32_t i = 0; i < count; ++i) {
    REQUIRE(le(zip, at, 4) == 0x02014b50);
    Entry e;
    e.dos_time = le(zip, at + 12, 2);
    e.dos_date = le(zip, at + 14, 2);
    const std::uint32_t size = le(zip, at + 24, 4);
    const std::uint32_t name_length = le(zip, at + 28, 2);
    e.mode = le(zip, at + 38, 4) >> 16;
    const std::uint32_t local = le(zip, at + 42, 4);
    e.name = zip.substr(at + 46, name_length);
    const std::size_t data = local + 30 + le(zip, local + 26, 2) + le(zip, local + 28, 2);
    e.contents = zip.substr(data, size);
    out.push_back(e);
    at += 46 + name_length + le(zip, at + 30, 2) + le(zip, at + 32, 2);
  }
  return out;
}

struct Fixture {
  App app;
  Stack& stack = app.add_stack("Api");
  iam::Role& role = stack.add<iam::Role>("Role", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com")});

  lambda::Function& function(const std::string& id, lambda::Code code) {
    return stack.add<lambda::Function>(id, {.code = std::move(code), .role = role});
  }
};

// The handler directory the tests package: a nested file, an executable bootstrap, files created
// in an order other than their names'.
void make_handler(const fs::path& dir) {
  write(dir / "lib" / "util.js", "exports.x = 1;\n");
  write(dir / "index.js", "exports.handler = async () => ({});\n");
  write(dir / "bootstrap", "#!/bin/sh\n", fs::perms::owner_all | fs::perms::group_read);
}

std::string file_of(const SynthesisResult& result, const std::string& path) {
  for (const auto& f : result.files) {
    if (f.path == path) return f.contents;
  }
  return "<missing " + path + ">";
}

// The single diagnostic of a failed synthesis, with its location.
Diagnostic only_error(const App& app, Target target = Target::CloudFormation) {
  const SynthesisResult result = synthesize(app, {.target = target, .rules = {}});
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.files.empty());
  return result.diagnostics.front();
}

}  // namespace

TEST_CASE("A directory is packaged into a zip that depends only on its files' names, contents and exec bits",
          "[lambda][code]") {
  const test::ScratchDir scratch("lambda-code");
  const fs::path dir = scratch.path / "handler";
  make_handler(dir);
  const auto code = lambda::Code::from_directory(dir.string());
  REQUIRE(code.package);
  REQUIRE(code.package->problem.empty());

  const auto zip = entries(code.package->zip);
  REQUIRE(zip.size() == 3);
  // Sorted by name, no directory entries, '/' separated, fixed 1980-01-01 00:00 timestamps.
  CHECK(zip[0].name == "bootstrap");
  CHECK(zip[1].name == "index.js");
  CHECK(zip[2].name == "lib/util.js");
  CHECK(zip[1].contents == "exports.handler = async () => ({});\n");
  CHECK(zip[0].mode == 0100755);  // executable kept, other bits normalized
  CHECK(zip[1].mode == 0100644);
  CHECK(zip[2].mode == 0100644);
  for (const auto& e : zip) {
    CHECK(e.dos_time == 0);
    CHECK(e.dos_date == ((1U << 5) | 1U));
  }
  CHECK(code.package->unzipped_bytes == 15 + 36 + 10);

  // The same files written in another order, at other times, with other non-exec modes: same bytes.
  const fs::path copy = scratch.path / "copy";
  write(copy / "bootstrap", "#!/bin/sh\n", fs::perms::owner_read | fs::perms::owner_exec);
  write(copy / "index.js", "exports.handler = async () => ({});\n",
        fs::perms::all & ~fs::perms::owner_exec & ~fs::perms::group_exec & ~fs::perms::others_exec);
  write(copy / "lib" / "util.js", "exports.x = 1;\n");
  CHECK(lambda::Code::from_directory(copy.string()).package->zip == code.package->zip);
  CHECK(lambda::Code::from_directory(dir.string() + "/").package->zip == code.package->zip);

  // One file: the zip's only entry, under its own name.
  const auto one = lambda::Code::from_file((dir / "bootstrap").string());
  REQUIRE(one.package->problem.empty());
  const auto single = entries(one.package->zip);
  REQUIRE(single.size() == 1);
  CHECK(single[0].name == "bootstrap");
  CHECK(single[0].mode == 0100755);
}

TEST_CASE("Code from files is a zip beside the document in both targets, the same bytes on every synthesis",
          "[lambda][code]") {
  const test::ScratchDir scratch("lambda-code");
  const fs::path dir = scratch.path / "handler";
  make_handler(dir);
  Fixture f;
  const auto code = lambda::Code::from_directory(dir.string());
  f.function("Fn", code);
  f.function("Same", lambda::Code::from_directory(dir.string()));  // same zip: one file

  const auto digest = detail::sha256(code.package->zip);
  const std::string name = "lambda/" + detail::hex(digest).substr(0, 16) + ".zip";

  const SynthesisResult cfn =
      synthesize(f.app, {.target = Target::CloudFormation, .format = Format::Json, .rules = {}});
  REQUIRE(cfn.ok());
  const json resources = json::parse(cfn.files.front().contents)["Resources"];
  // The local-artifact form `aws cloudformation package` uploads: a path relative to the template.
  CHECK(resources["Fn"]["Properties"]["Code"] == "Api/" + name);
  CHECK(resources["Same"]["Properties"]["Code"] == "Api/" + name);
  CHECK(file_of(cfn, "Api/" + name) == code.package->zip);
  CHECK(cfn.files.size() == 3);  // template, one zip, manifest
  CHECK(cfn.files[1].source == dir.string());
  CHECK(file_of(cfn, "manifest.json").find("\"Api/" + name + "\"") != std::string::npos);

  const SynthesisResult tf = synthesize(f.app, {.target = Target::Terraform, .rules = {}});
  REQUIRE(tf.ok());
  const json fn = json::parse(tf.files.front().contents)["resource"]["aws_lambda_function"]["fn"];
  CHECK(fn["filename"] == "${path.module}/" + name);
  CHECK(fn["source_code_hash"] == detail::base64(digest));
  CHECK(file_of(tf, "Api/" + name) == code.package->zip);

  // Determinism: a second synthesis, of a tree packaged anew, gives the same files.
  Fixture again;
  again.function("Fn", lambda::Code::from_directory(dir.string()));
  again.function("Same", lambda::Code::from_directory(dir.string()));
  const SynthesisResult cfn2 =
      synthesize(again.app, {.target = Target::CloudFormation, .format = Format::Json, .rules = {}});
  REQUIRE(cfn2.files.size() == cfn.files.size());
  for (std::size_t i = 0; i < cfn.files.size(); ++i) CHECK(cfn2.files[i].contents == cfn.files[i].contents);
}

TEST_CASE("Changing a file changes the zip, its name and its hash", "[lambda][code]") {
  const test::ScratchDir scratch("lambda-code");
  const fs::path dir = scratch.path / "handler";
  make_handler(dir);
  const auto before = lambda::Code::from_directory(dir.string());
  write(dir / "lib" / "util.js", "exports.x = 2;\n");
  const auto after = lambda::Code::from_directory(dir.string());
  CHECK(before.package->zip != after.package->zip);
  fs::permissions(dir / "index.js", fs::perms::owner_exec, fs::perm_options::add);
  CHECK(lambda::Code::from_directory(dir.string()).package->zip != after.package->zip);  // the exec bit counts

  Fixture a;
  a.function("Fn", before);
  Fixture b;
  b.function("Fn", after);
  const json fa = test::tf(a.app)["resource"]["aws_lambda_function"]["fn"];
  const json fb = test::tf(b.app)["resource"]["aws_lambda_function"]["fn"];
  CHECK(fa["filename"] != fb["filename"]);
  CHECK(fa["source_code_hash"] != fb["source_code_hash"]);
  CHECK(test::cfn(a.app)["Resources"]["Fn"]["Properties"]["Code"] !=
        test::cfn(b.app)["Resources"]["Fn"]["Properties"]["Code"]);
}

TEST_CASE("Code that cannot be packaged is HS2011 at the line of the call, naming the function and the path",
          "[lambda][code]") {
  const test::ScratchDir scratch("lambda-code");
  const fs::path dir = scratch.path / "handler";
  make_handler(dir);
  const std::string base = scratch.path.string();

  struct Case {
    std::string description;
    std::function<lambda::Code()> make;
    std::string message;
  };
  fs::create_directories(scratch.path / "empty" / "nested");
  write(scratch.path / "escapes" / "index.js", "x");
  fs::create_symlink("/etc", scratch.path / "escapes" / "etc");
  write(scratch.path / "loop" / "index.js", "x");
  fs::create_directory_symlink(scratch.path / "loop", scratch.path / "loop" / "again");
  write(scratch.path / "dangling" / "index.js", "x");
  fs::create_symlink(scratch.path / "nowhere", scratch.path / "dangling" / "gone");
  fs::create_directories(scratch.path / "fifo");
  REQUIRE(mkfifo((scratch.path / "fifo" / "pipe").c_str(), 0600) == 0);

  const std::vector<Case> cases = {
      {"a missing path", [&] { return lambda::Code::from_directory(base + "/missing"); }, "/missing' does not exist"},
      {"a missing file", [&] { return lambda::Code::from_file(base + "/missing.js"); }, "/missing.js' does not exist"},
      {"a directory given as a file", [&] { return lambda::Code::from_file(dir.string()); },
       "/handler' is a directory (Code::from_directory packages one)"},
      {"a file given as a directory", [&] { return lambda::Code::from_directory((dir / "index.js").string()); },
       "/index.js' is not a directory (Code::from_file packages one file)"},
      {"a FIFO given as a file", [&] { return lambda::Code::from_file(base + "/fifo/pipe"); },
       "/pipe' is not a regular file"},
      {"an empty directory", [&] { return lambda::Code::from_directory(base + "/empty"); }, "/empty' holds no files"},
      {"a link out of the directory", [&] { return lambda::Code::from_directory(base + "/escapes"); },
       "has a symbolic link that leads out of it: '" + base + "/escapes/etc' -> '/etc'"},
      {"a link into a loop", [&] { return lambda::Code::from_directory(base + "/loop"); },
       "has a symbolic link into a loop: '" + base + "/loop/again'"},
      {"a dangling link", [&] { return lambda::Code::from_directory(base + "/dangling"); },
       "has a symbolic link that leads nowhere: '" + base + "/dangling/gone'"},
      {"a FIFO in the directory", [&] { return lambda::Code::from_directory(base + "/fifo"); },
       "holds '" + base + "/fifo/pipe', which is neither a regular file nor a directory"},
  };
  for (const auto& c : cases) {
    SECTION(c.description) {
      Fixture f;
      const unsigned line = __LINE__ + 1;
      f.function("Fn", c.make());
      const Diagnostic d = only_error(f.app);
      CHECK(d.code == "HS2011");
      CHECK(d.path == "Api/Fn");
      CHECK(d.message.starts_with("code for function Api/Fn from '" + base));
      CHECK(d.message.find(c.message) != std::string::npos);
      CHECK(d.hint.find("relative to the working directory") != std::string::npos);
      // The lambda in `cases` made the call: this file, at that line.
      CHECK(std::string(d.file).ends_with("test_lambda_code.cpp"));
      CHECK(d.line != 0);
      CHECK(d.line != line);  // the call's line, not the function's
    }
  }
  SECTION("the user's line of the call") {
    Fixture f;
    const unsigned line = __LINE__ + 1;
    const auto code = lambda::Code::from_directory(base + "/missing");
    f.function("Fn", code);
    const Diagnostic d = only_error(f.app);
    CHECK(d.line == line);
    CHECK(std::string(d.file).ends_with("test_lambda_code.cpp"));
  }
  SECTION("an unreadable file, where permissions bind (not as root)") {
    write(scratch.path / "locked" / "index.js", "x", fs::perms::none);
    Fixture f;
    f.function("Fn", lambda::Code::from_directory(base + "/locked"));
    const SynthesisResult result = synthesize(f.app, {.target = Target::CloudFormation, .rules = {}});
    if (geteuid() == 0) {
      CHECK(result.ok());  // root reads it anyway
    } else {
      REQUIRE(result.diagnostics.size() == 1);
      CHECK(result.diagnostics[0].message.find("cannot be read: '" + base + "/locked/index.js'") != std::string::npos);
    }
  }
}

TEST_CASE("Code over Lambda's quotas is refused: 250 MB unzipped, 50 MB zipped where Terraform uploads it",
          "[lambda][code]") {
  const test::ScratchDir scratch("lambda-code");
  SECTION("unzipped: sizes are checked before anything is read") {
    write(scratch.path / "huge" / "a.bin", "");
    write(scratch.path / "huge" / "b.bin", "");
    fs::resize_file(scratch.path / "huge" / "a.bin", lambda::Function::kMaxUnzippedBytes / 2);  // sparse
    fs::resize_file(scratch.path / "huge" / "b.bin", lambda::Function::kMaxUnzippedBytes / 2 + 1);
    Fixture f;
    f.function("Fn", lambda::Code::from_directory((scratch.path / "huge").string()));
    const Diagnostic d = only_error(f.app);
    CHECK(d.code == "HS2011");
    CHECK(d.message.ends_with("' is 262144001 bytes unzipped; Lambda accepts at most 262144000 (250 MB)"));
  }
  SECTION("zipped, for Terraform's direct upload; CloudFormation's package goes through S3") {
    write(scratch.path / "big" / "a.bin", "");
    fs::resize_file(scratch.path / "big" / "a.bin", lambda::Function::kMaxDirectUploadBytes);
    Fixture f;
    const unsigned line = __LINE__ + 1;
    f.function("Fn", lambda::Code::from_directory((scratch.path / "big").string()));
    const Diagnostic d = only_error(f.app, Target::Terraform);
    CHECK(d.code == "HS2011");
    CHECK(d.path == "Api/Fn");
    CHECK(d.line == line);
    CHECK(d.message.find("' is 52428908 bytes zipped; Terraform uploads it directly (filename), where Lambda "
                         "accepts at most 52428800 (50 MB)") != std::string::npos);
    CHECK(synthesize(f.app, {.target = Target::CloudFormation, .rules = {}}).ok());
  }
}

TEST_CASE("Inline code over 4096 bytes names the function, its size and the limit, and suggests files",
          "[lambda][code]") {
  Fixture f;
  f.function("Fn", lambda::Code::inline_source("index.js", std::string(4097, 'x')));
  f.function("Fits", lambda::Code::inline_source("index.js", std::string(4096, 'x')));
  for (const Target target : {Target::CloudFormation, Target::Terraform}) {
    const Diagnostic d = only_error(f.app, target);
    CHECK(d.code == "HS2004");
    CHECK(d.path == "Api/Fn");
    CHECK(d.message ==
          "function Api/Fn has 4097 bytes of inline code ('index.js'); CloudFormation's ZipFile accepts at most 4096");
    CHECK(d.hint ==
          "package it from files: .code = lambda::Code::from_file(\"index.js\") or "
          "lambda::Code::from_directory(\"DIR\")");
  }
}

namespace {

// cli::run over `app`, with what it printed.
struct CliRun {
  int status = 0;
  std::string out;
  std::string err;
};

CliRun run_cli(const App& app, std::vector<const char*> args) {
  std::ostringstream captured_err;
  std::ostringstream captured_out;
  std::streambuf* old_err = std::cerr.rdbuf(captured_err.rdbuf());
  std::streambuf* old_out = std::cout.rdbuf(captured_out.rdbuf());
  args.insert(args.begin(), "app");
  const int status = cli::run(static_cast<int>(args.size()), args.data(), app, rules::RuleSet{});
  std::cerr.rdbuf(old_err);
  std::cout.rdbuf(old_out);
  return {status, captured_out.str(), captured_err.str()};
}

}  // namespace

TEST_CASE("Standard output refuses a stack whose code is packaged from files, for both targets", "[lambda][code]") {
  const test::ScratchDir scratch("lambda-code");
  make_handler(scratch.path / "handler");
  Fixture f;
  f.function("Fn", lambda::Code::from_directory((scratch.path / "handler").string()));

  for (const char* target : {"cfn", "tf"}) {
    const CliRun printed = run_cli(f.app, {"--target", target});
    CHECK(printed.status == 2);
    CHECK(printed.out.empty());
    CHECK(printed.err.starts_with("error: Api/lambda/"));
    CHECK(printed.err.find(".zip is Lambda code packaged from '" + (scratch.path / "handler").string() +
                           "', which standard output cannot carry; write the stacks with -o DIR\n") !=
          std::string::npos);
    const std::string out = (scratch.path / target).string();
    CHECK(run_cli(f.app, {"--target", target, "-o", out.c_str()}).status == 0);
    CHECK(fs::is_directory(scratch.path / target / "Api" / "lambda"));
  }
  // Inline code's Terraform zip is still left out of standard output, as before.
  Fixture inline_code;
  inline_code.function("Fn", lambda::Code::inline_source("index.js", "exports.handler = 1;"));
  const CliRun tf = run_cli(inline_code.app, {"--target", "tf"});
  CHECK(tf.status == 0);
  CHECK(tf.out.find("\"filename\": \"${path.module}/lambda/") != std::string::npos);
}

TEST_CASE("The drift check (--check) compares the zips byte for byte, for both targets", "[lambda][code]") {
  const test::ScratchDir scratch("lambda-code");
  const fs::path handler = scratch.path / "handler";
  make_handler(handler);
  for (const char* target : {"cfn", "tf"}) {
    const std::string out = (scratch.path / target).string();
    Fixture before;
    before.function("Fn", lambda::Code::from_directory(handler.string()));
    REQUIRE(run_cli(before.app, {"--target", target, "-o", out.c_str()}).status == 0);
    CHECK(run_cli(before.app, {"--target", target, "-o", out.c_str(), "--check"}).status == 0);

    const std::string old_zip =
        detail::hex(detail::sha256(lambda::Code::from_directory(handler.string()).package->zip)).substr(0, 16);
    // The zip on disk was changed by hand: drift, and the file is named.
    const fs::path zip = scratch.path / target / "Api" / "lambda" / (old_zip + ".zip");
    REQUIRE(fs::exists(zip));
    std::ofstream(zip, std::ios::app) << "tampered";
    Fixture same;
    same.function("Fn", lambda::Code::from_directory(handler.string()));
    const CliRun tampered = run_cli(same.app, {"--target", target, "-o", out.c_str(), "--check"});
    CHECK(tampered.status == 1);
    CHECK(tampered.out.find("~ Api/lambda/" + old_zip + ".zip (would change)") != std::string::npos);
  }
}
