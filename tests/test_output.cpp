// write_files: all-or-nothing, unchanged files left alone, many files written by several threads.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "hipaa/synth.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace hipaa;
using hipaa::test::ScratchDir;

namespace {

std::string contents_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Enough files, in enough directories, for write_files to use all its threads.
std::vector<OutputFile> many_files(const std::string& salt) {
  std::vector<OutputFile> files;
  for (int stack = 0; stack < 300; ++stack) {
    const std::string name = "Stack" + std::to_string(stack);
    files.push_back({name + "/main.tf.json", "{\"stack\": " + std::to_string(stack) + salt + "}\n"});
    files.push_back({name + "/lambda/code.zip", std::string(static_cast<std::size_t>(stack) * 97, 'z')});
  }
  files.push_back({"manifest.json", "{}\n"});
  return files;
}

std::size_t count(const WriteResult& result, WriteOutcome outcome) {
  return static_cast<std::size_t>(std::count(result.outcomes.begin(), result.outcomes.end(), outcome));
}

ino_t inode_of(const fs::path& path) {
  struct stat status {};
  REQUIRE(::stat(path.c_str(), &status) == 0);
  return status.st_ino;
}

bool has_staging_files(const fs::path& dir) {
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().string().ends_with(".tmp-hipaa-synth")) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("write_files writes every file, byte for byte, and says so per file", "[output]") {
  const ScratchDir scratch("output-all");
  const fs::path dir = scratch.path / "out";  // made by write_files
  const auto files = many_files("");
  const WriteResult result = write_files(dir, files);
  REQUIRE(result.ok());
  REQUIRE(result.outcomes.size() == files.size());
  CHECK(count(result, WriteOutcome::Written) == files.size());
  for (const auto& file : files) CHECK(contents_of(dir / file.path) == file.contents);
  CHECK_FALSE(has_staging_files(dir));
}

TEST_CASE("Writing the same files again changes nothing on disk", "[output]") {
  const ScratchDir scratch("output-same");
  const fs::path dir = scratch.path / "out";  // made by write_files
  const auto files = many_files("");
  REQUIRE(write_files(dir, files).ok());
  const fs::path probe = dir / "Stack7/main.tf.json";
  const auto time = fs::last_write_time(probe);
  const ino_t inode = inode_of(probe);

  const WriteResult again = write_files(dir, files);
  REQUIRE(again.ok());
  CHECK(count(again, WriteOutcome::Unchanged) == files.size());
  CHECK(inode_of(probe) == inode);  // not replaced by a new file
  CHECK(fs::last_write_time(probe) == time);
}

TEST_CASE("Only the files whose bytes differ are rewritten", "[output]") {
  const ScratchDir scratch("output-changed");
  const fs::path dir = scratch.path / "out";  // made by write_files
  auto files = many_files("");
  REQUIRE(write_files(dir, files).ok());
  files[10].contents += " ";                        // same path, different bytes
  files[11].contents.pop_back();                    // shorter
  std::ofstream(dir / files[12].path) << "edited";  // changed on disk behind our back
  const WriteResult result = write_files(dir, files);
  REQUIRE(result.ok());
  CHECK(count(result, WriteOutcome::Written) == 3);
  CHECK(result.outcomes[10] == WriteOutcome::Written);
  CHECK(result.outcomes[11] == WriteOutcome::Written);
  CHECK(result.outcomes[12] == WriteOutcome::Written);
  for (const auto& file : files) CHECK(contents_of(dir / file.path) == file.contents);
}

TEST_CASE("A file that cannot be written leaves every earlier output as it was", "[output]") {
  const ScratchDir scratch("output-blocked");
  const fs::path dir = scratch.path / "out";  // made by write_files
  const auto old_files = many_files("");
  REQUIRE(write_files(dir, old_files).ok());
  // New contents for every file, but one target path is now a directory: the rename would fail,
  // and so does staging next to it once its name is taken by a directory too.
  auto files = many_files(", \"v\": 2");
  fs::remove(dir / files[401].path);
  fs::create_directories(dir / files[401].path);
  fs::create_directories(dir / (files[401].path + ".tmp-hipaa-synth"));

  const WriteResult result = write_files(dir, files);
  REQUIRE_FALSE(result.ok());
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].code == "HS4001");
  CHECK(result.diagnostics[0].message.starts_with("cannot write " + (dir / files[401].path).string() + ": "));
  CHECK(result.outcomes.empty());
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (i != 401) CHECK(contents_of(dir / files[i].path) == old_files[i].contents);
  }
  fs::remove(dir / (files[401].path + ".tmp-hipaa-synth"));
  CHECK_FALSE(has_staging_files(dir));
}

TEST_CASE("A directory that cannot be created is named in the error, and nothing is left", "[output]") {
  const ScratchDir scratch("output-no-dir");
  const fs::path dir = scratch.path / "out";
  fs::create_directories(dir);
  std::ofstream(dir / "Stack3") << "a file where a directory should go";
  const WriteResult result = write_files(dir, many_files(""));
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].path == (dir / "Stack3").string());
  // The directories made before the failure (Stack0 to Stack2) are taken away again.
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
}
