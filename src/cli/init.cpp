#include "init.hpp"

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

#include <fmt/format.h>

namespace hipaa::cli::scaffold {
namespace {

namespace fs = std::filesystem;

// The stack of docs/getting-started.md ("A first stack"), which tests/test_init.cpp keeps equal
// to this: encrypted audit logs and VPC flow logs, compliant with every built-in rule.
constexpr std::string_view kMain = R"main(#include "hipaa/audit_trail.hpp"
#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/kms.hpp"
#include "hipaa/aws/logs.hpp"
#include "hipaa/cli.hpp"

int main(int argc, char** argv) {
  using namespace hipaa;
  App app;
  Stack& stack = app.add_stack("Audit", {.description = "Encrypted audit logs", .region = "eu-west-1"});

  auto& vpc = stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.20.0.0/16"});
  auto& key = stack.add<kms::Key>("LogsKey", {.description = "Encrypts audit logs",
                                              .allow_cloudwatch_logs = true,
                                              .allow_cloudtrail = true});
  // Who did what, in every region: CloudTrail to CloudWatch Logs and a retained, access-logged bucket.
  stack.add<AuditTrail>("Trail", {.kms_key = key});
  auto& flow_logs = stack.add<logs::LogGroup>("FlowLogs", {.retention_days = 2557, .kms_key = key});

  auto& delivery = stack.add<iam::ManagedPolicy>(
      "DeliverFlowLogs", {.document = {{iam::allow({"logs:CreateLogStream", "logs:PutLogEvents"})
                                            .on(flow_logs.arn())}}});
  auto& role = stack.add<iam::Role>(
      "FlowLogsRole",
      {.assume_role_policy = iam::assumed_by("vpc-flow-logs.amazonaws.com"), .managed_policy_arns = {delivery.arn()}});
  stack.add<ec2::FlowLog>("FlowLog", {.vpc = vpc, .log_group = flow_logs, .delivery_role = role});

  // hipaa-synth's command line over this app: --target cfn|tf, -o DIR, check, rules, diff.
  // Without arguments: `check`, what the HIPAA rules find.
  const char* check[] = {argv[0], "check"};
  return argc > 1 ? cli::run(argc, argv, app) : cli::run(2, check, app);
}
)main";

constexpr std::string_view kCMakeLists = R"(# {name}: a hipaa-synth stack program (written by `hipaa-synth init`).
cmake_minimum_required(VERSION 3.25)
project({name} LANGUAGES CXX)

# The installed hipaa-synth package (the .deb installs it under /usr; for another prefix, configure
# with -DCMAKE_PREFIX_PATH=PREFIX). It brings the include directories, C++20 and its dependencies.
find_package(hipaa_synth {major_minor} CONFIG REQUIRED)

add_executable({name} main.cpp)
# hipaa_synth::cli is the command line (hipaa::cli::run) and brings the library,
# hipaa_synth::hipaa_synth, which is enough for a program that calls synthesize() itself.
target_link_libraries({name} PRIVATE hipaa_synth::cli)
)";

constexpr std::string_view kGitignore = R"(/build/
/out/
.terraform/
*.tfstate
*.tfstate.*
)";

constexpr std::string_view kReadme = R"(# {name}

A HIPAA-compliant AWS stack written in C++ with [hipaa-synth](https://github.com/hipaa-synth/hipaa-synth):
`main.cpp` builds the stack, and the program is hipaa-synth's command line over it.

```sh
cmake -S . -B build && cmake --build build    # build (needs hipaa-synth installed: the .deb, or -DCMAKE_PREFIX_PATH)
./build/{name} --target cfn -o out/            # check the HIPAA rules, then write out/Audit.template.yaml
```

`--target tf` writes Terraform JSON (`out/Audit/main.tf.json`) instead. `./build/{name} check` lists
what the rules find, `rules` lists the rules, and `--help` every option.
)";

std::string fill(std::string_view text, std::string_view name, std::string_view version) {
  const std::string major_minor(version.substr(0, version.rfind('.')));
  return fmt::format(fmt::runtime(text), fmt::arg("name", name), fmt::arg("major_minor", major_minor));
}

Diagnostic problem(const std::string& path, std::string message, std::string hint) {
  Diagnostic d;
  d.code = "HS4003";
  d.path = path;
  d.message = std::move(message);
  d.hint = std::move(hint);
  return d;
}

bool write_file(const fs::path& path, std::string_view contents) {
  std::ofstream out(path, std::ios::binary);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  out.close();
  return static_cast<bool>(out);
}

}  // namespace

std::vector<ProjectFile> project_files(std::string_view name, std::string_view version) {
  return {{"CMakeLists.txt", fill(kCMakeLists, name, version)},
          {"main.cpp", std::string(kMain)},
          {".gitignore", std::string(kGitignore)},
          {"README.md", fill(kReadme, name, version)}};
}

constexpr std::size_t kMaxNameLength = 64;

std::string project_name_problem(std::string_view name) {
  if (name.empty()) return "is empty";
  if (name.size() > kMaxNameLength) return fmt::format("has {} characters; at most {}", name.size(), kMaxNameLength);
  if (std::isalpha(static_cast<unsigned char>(name.front())) == 0) return "does not start with a letter";
  for (const char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_') {
      return fmt::format("contains '{}'; only letters, digits, '-' and '_' name a CMake project and executable", c);
    }
  }
  return {};
}

namespace {

fs::path absolute_dir(const std::string& dir) {
  std::error_code ec;
  const fs::path target = fs::absolute(dir.empty() ? fs::path(".") : fs::path(dir), ec).lexically_normal();
  return target.has_filename() ? target : target.parent_path();  // "a/b/" -> "a/b"
}

}  // namespace

std::string default_project_name(const std::string& dir) { return absolute_dir(dir).filename().string(); }

Diagnostics init_project(const std::string& dir, std::string name, std::string_view version) {
  std::error_code ec;
  const fs::path clean = absolute_dir(dir);
  const fs::file_status status = fs::symlink_status(clean, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) {
      return {problem(dir, fmt::format("'{}' exists and is not a directory", dir), "choose a new or empty directory")};
    }
    fs::directory_iterator entries(clean, ec);
    if (ec) return {problem(dir, fmt::format("cannot read '{}': {}", dir, ec.message()), "check its permissions")};
    std::string first;  // the first entry by name, so the message does not depend on the file system's order
    for (const auto& entry : entries) {
      std::string entry_name = entry.path().filename().string();
      if (first.empty() || entry_name < first) first = std::move(entry_name);
    }
    if (!first.empty()) {
      return {problem(
          dir,
          fmt::format("'{}' is not empty (it holds '{}'); init writes only into a new or empty directory", dir, first),
          "choose a new directory, or empty this one")};
    }
  }

  if (name.empty()) name = clean.filename().string();
  if (std::string why = project_name_problem(name); !why.empty()) {
    return {problem(dir, fmt::format("project name '{}' {}", name, why),
                    "give a name with --name, e.g. --name patient-records")};
  }

  const auto files = project_files(name, version);
  const auto failure = [&](const std::string& what) {
    return Diagnostics{problem(dir, fmt::format("cannot create the project in '{}': {}", dir, what),
                               "check that the directory (or its parent) is writable")};
  };
  const std::string staging_suffix = fmt::format(".hipaa-synth-init-{}", getpid());

  if (fs::exists(status)) {
    // An empty DIR, perhaps the working directory, stays: each file is staged in it under a hidden
    // name, and only when all are written are they renamed; a failure unlinks them all.
    std::vector<fs::path> written;
    const auto undo = [&](const std::string& what) {
      for (const auto& path : written) fs::remove(path, ec);
      return failure(what);
    };
    for (const auto& file : files) {
      const fs::path staged = clean / fmt::format(".{}{}", file.path, staging_suffix);
      written.push_back(staged);
      if (!write_file(staged, file.contents)) return undo(fmt::format("writing {} failed", file.path));
    }
    for (std::size_t i = 0; i < files.size(); ++i) {
      const fs::path final_path = clean / files[i].path;
      if (fs::rename(written[i], final_path, ec); ec) return undo(ec.message());
      written[i] = final_path;
    }
    return {};
  }

  // A new DIR is staged beside it, with its parents if missing, and appears whole with one rename.
  fs::path created_parent;  // the outermost missing parent, removed on failure
  for (fs::path p = clean.parent_path(); !p.empty() && !fs::exists(p, ec); p = p.parent_path()) created_parent = p;
  const fs::path staging = clean.parent_path() / fmt::format(".{}{}", clean.filename().string(), staging_suffix);
  const auto undo = [&](const std::string& what) {
    fs::remove_all(staging, ec);
    if (!created_parent.empty()) fs::remove_all(created_parent, ec);
    return failure(what);
  };
  if (fs::create_directories(staging, ec); ec) return undo(ec.message());
  for (const auto& file : files) {
    if (!write_file(staging / file.path, file.contents)) return undo(fmt::format("writing {} failed", file.path));
  }
  if (fs::rename(staging, clean, ec); ec) return undo(ec.message());
  return {};
}

}  // namespace hipaa::cli::scaffold
