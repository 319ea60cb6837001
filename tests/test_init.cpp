// `hipaa-synth init`: the project it writes, and what it refuses without leaving anything behind.
// (tests/install/check-examples.sh builds the project against an install and validates its output.)
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support.hpp"

namespace fs = std::filesystem;
using hipaa::test::run;

namespace {

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every entry of a directory, sorted ("" for one that does not exist).
std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// The first ```cpp block after `marker` in a document.
std::string cpp_block_after(const std::string& document, const std::string& marker) {
  const auto at = document.find(marker);
  REQUIRE(at != std::string::npos);
  const auto start = document.find("```cpp\n", at);
  REQUIRE(start != std::string::npos);
  const auto end = document.find("```\n", start + 7);
  return document.substr(start + 7, end - start - 7);
}

}  // namespace

TEST_CASE("init writes a ready project into a new directory", "[init]") {
  hipaa::test::ScratchDir scratch;
  const fs::path dir = scratch.path / "nested" / "patient-records";
  const auto result = run("init " + dir.string());
  INFO(result.out);
  REQUIRE(result.exit_code == 0);
  CHECK(entries(dir) == std::vector<std::string>{".gitignore", "CMakeLists.txt", "README.md", "main.cpp"});
  // The directory's name names the project, its executable and the README's commands.
  const std::string cmake = read(dir / "CMakeLists.txt");
  CHECK_THAT(cmake, Catch::Contains("project(patient-records LANGUAGES CXX)") &&
                        Catch::Contains("find_package(hipaa_synth ") && Catch::Contains("CONFIG REQUIRED)") &&
                        Catch::Contains("target_link_libraries(patient-records PRIVATE hipaa_synth::cli)"));
  CHECK_THAT(read(dir / "README.md"), Catch::Contains("./build/patient-records --target cfn -o out/"));
  CHECK_THAT(read(dir / ".gitignore"), Catch::Contains("/build/") && Catch::Contains("*.tfstate"));
  // main.cpp is the getting-started program, so the guide and the scaffold cannot drift apart.
  const std::string guide = read(fs::path(HIPAA_SOURCE_DIR) / "docs" / "getting-started.md");
  CHECK(read(dir / "main.cpp") == cpp_block_after(guide, "`main.cpp`:"));
  // Nothing staged is left beside it.
  CHECK(entries(dir.parent_path()) == std::vector<std::string>{"patient-records"});
}

TEST_CASE("init --name names the project; an empty directory is accepted", "[init]") {
  hipaa::test::ScratchDir scratch;
  const fs::path dir = scratch.path / "empty";
  fs::create_directory(dir);
  const auto result = run("init " + dir.string() + " --name audit_stack");
  INFO(result.out);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(read(dir / "CMakeLists.txt"), Catch::Contains("add_executable(audit_stack main.cpp)"));
  CHECK(entries(scratch.path) == std::vector<std::string>{"empty"});
}

TEST_CASE("init refuses a non-empty directory, a file and a bad name, and writes nothing", "[init]") {
  hipaa::test::ScratchDir scratch;
  const fs::path used = scratch.path / "used";
  fs::create_directory(used);
  std::ofstream(used / "notes.txt") << "mine";
  std::ofstream(used / "b.txt") << "mine";

  const auto not_empty = run("init " + used.string());
  CHECK(not_empty.exit_code == 1);
  CHECK_THAT(not_empty.out, Catch::Contains("error HS4003") && Catch::Contains("is not empty (it holds 'b.txt')"));
  CHECK(entries(used) == std::vector<std::string>{"b.txt", "notes.txt"});

  const auto file = run("init " + (used / "notes.txt").string());
  CHECK(file.exit_code == 1);
  CHECK_THAT(file.out, Catch::Contains("exists and is not a directory"));

  const auto bad_name = run("init " + (scratch.path / "fresh").string() + " --name 'two words'");
  CHECK(bad_name.exit_code == 1);
  CHECK_THAT(bad_name.out, Catch::Contains("project name 'two words' contains ' '"));
  const auto digit = run("init " + (scratch.path / "9lives").string());
  CHECK(digit.exit_code == 1);
  CHECK_THAT(digit.out,
             Catch::Contains("project name '9lives' does not start with a letter") && Catch::Contains("--name"));
  CHECK(entries(scratch.path) == std::vector<std::string>{"used"});
}

TEST_CASE("hipaa-synth --help describes init", "[init]") {
  const auto help = run("--help");
  CHECK_THAT(help.out, Catch::Contains("init") && Catch::Contains("Write a new stack project"));
}
