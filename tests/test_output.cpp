// write_files: all-or-nothing, unchanged files left alone, many files written by several threads,
// concurrent runs serialized by the directory's lock, killed runs undone by the next one, no
// symbolic link inside the directory followed; the atomic layout (a link to a whole generation)
// consistent after every kill without a next run.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "hipaa/synth.hpp"
#include "support.hpp"
#include "support/archive.hpp"

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
std::vector<OutputFile> many_files(const std::string& salt, int stacks = 300) {
  std::vector<OutputFile> files;
  for (int stack = 0; stack < stacks; ++stack) {
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

// Staging files, kept-aside old files or a journal: anything but the output and the lock file.
bool has_staging_files(const fs::path& dir) {
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".hipaa-synth-") != std::string::npos || name.ends_with(".tmp-hipaa-synth") ||
        name == ".hipaa-synth.journal") {
      return true;
    }
  }
  return false;
}

// True when every file of `files` is on disk with exactly its bytes.
bool holds_set(const fs::path& dir, const std::vector<OutputFile>& files) {
  return std::all_of(files.begin(), files.end(), [&](const OutputFile& f) {
    std::error_code ec;
    return !fs::is_symlink(dir / f.path, ec) && contents_of(dir / f.path) == f.contents;
  });
}

// Set `salt` of many_files, with a manifest that says which set it belongs to.
std::vector<OutputFile> labelled_set(int salt, int stacks = 300) {
  auto files = many_files(", \"v\": " + std::to_string(salt), stacks);
  files.back().contents = std::to_string(salt) + "\n";
  return files;
}

// The set the directory's manifest names (labelled_set); -1 when there is no manifest.
int manifest_label(const fs::path& dir) {
  const std::string text = contents_of(dir / "manifest.json");
  return text.empty() ? -1 : std::stoi(text);
}

// A test holding the directory's lock, as another run would.
struct LockHolder {
  int fd;
  explicit LockHolder(const fs::path& dir) : fd(::open((dir / ".hipaa-synth.lock").c_str(), O_RDWR | O_CREAT, 0644)) {
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX) == 0);
    const std::string pid = std::to_string(::getpid()) + "\n";
    REQUIRE(::pwrite(fd, pid.data(), pid.size(), 0) == static_cast<ssize_t>(pid.size()));
  }
  ~LockHolder() {
    (void)::ftruncate(fd, 0);
    ::close(fd);
  }
  LockHolder(const LockHolder&) = delete;
  LockHolder& operator=(const LockHolder&) = delete;
};

struct Run {
  int exit_code;
  std::string out;  // stdout and stderr together
};

Run shell(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
  const int status = pclose(pipe);
  return {WEXITSTATUS(status), out};
}

// Every file the manifest lists exists, and each stack's main document has the manifest's hash.
bool matches_manifest(const fs::path& dir) {
  const auto manifest = nlohmann::json::parse(contents_of(dir / "manifest.json"));
  bool ok = !manifest["stacks"].empty();
  for (const auto& stack : manifest["stacks"]) {
    for (const auto& file : stack["files"]) ok = ok && fs::is_regular_file(dir / file.get<std::string>());
    const std::string main_document = contents_of(dir / stack["files"][0].get<std::string>());
    ok = ok && detail::hex(detail::sha256(main_document)) == stack["sha256"].get<std::string>();
  }
  return ok;
}

// The atomic layout's generations directory, beside `dir`.
fs::path generations_of(const fs::path& dir) { return dir.string() + ".generations"; }

// The generation directories of the atomic layout, by number.
std::set<std::string> generation_names(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(generations_of(dir))) {
    if (entry.is_directory()) names.insert(entry.path().filename().string());
  }
  return names;
}

// Every file under `dir` (through `dir` itself when it is a link), relative to it.
std::set<std::string> files_under(const fs::path& dir) {
  std::set<std::string> paths;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_directory()) paths.insert(entry.path().lexically_relative(dir).string());
  }
  return paths;
}

std::set<std::string> paths_of(const std::vector<OutputFile>& files) {
  std::set<std::string> paths;
  for (const auto& file : files) paths.insert(file.path);
  return paths;
}

// True when `dir` holds exactly the files of `files`, byte for byte, and nothing else.
bool holds_exactly(const fs::path& dir, const std::vector<OutputFile>& files) {
  return files_under(dir) == paths_of(files) && holds_set(dir, files);
}

// True when `dir` holds the files `reference` holds (but its lock file), byte for byte.
bool same_files(const fs::path& dir, const fs::path& reference) {
  std::set<std::string> expected = files_under(reference);
  expected.erase(".hipaa-synth.lock");
  return files_under(dir) == expected && std::all_of(expected.begin(), expected.end(), [&](const std::string& path) {
           return contents_of(dir / path) == contents_of(reference / path);
         });
}

// Links a killed atomic run staged beside `dir`.
std::size_t staged_links(const fs::path& dir) {
  std::size_t links = 0;
  for (const auto& entry : fs::directory_iterator(dir.parent_path())) {
    links += entry.path().filename().string().starts_with(dir.filename().string() + ".hipaa-synth-") ? 1 : 0;
  }
  return links;
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

TEST_CASE("A rename that fails puts back every file already renamed", "[output]") {
  const ScratchDir scratch("output-blocked");
  const fs::path dir = scratch.path / "out";  // made by write_files
  const auto old_files = labelled_set(1);
  REQUIRE(write_files(dir, old_files).ok());
  const fs::path probe = dir / "Stack7/main.tf.json";
  const ino_t inode = inode_of(probe);
  // New contents for every file, but a directory stands where one goes: every rename before it
  // succeeds (the manifest, renamed last, is the one that fails) and must be undone.
  const auto files = labelled_set(2);
  SECTION("at the manifest") {
    fs::rename(dir / "manifest.json", scratch.path / "old-manifest");
    fs::create_directories(dir / "manifest.json");
  }
  SECTION("at a file in the middle") {
    fs::rename(dir / files[401].path, scratch.path / "old-manifest");
    fs::create_directories(dir / files[401].path);
  }
  const WriteResult result = write_files(dir, files);
  REQUIRE_FALSE(result.ok());
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].code == "HS4001");
  CHECK(result.diagnostics[0].message.find(": Is a directory") != std::string::npos);
  CHECK(result.outcomes.empty());
  std::size_t old_kept = 0;
  for (const auto& file : old_files) {
    if (fs::is_regular_file(dir / file.path)) old_kept += contents_of(dir / file.path) == file.contents ? 1 : 0;
  }
  CHECK(old_kept == old_files.size() - 1);  // all but the one a directory replaced
  CHECK(inode_of(probe) == inode);          // the old file itself, put back
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
  // The directories made before the failure (Stack0 to Stack2) are taken away again; the lock
  // file stays.
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{".hipaa-synth.lock", "Stack3"});
}

TEST_CASE("Runs on one directory from several threads take turns, and the last set is whole", "[output]") {
  const ScratchDir scratch("output-threads");
  const fs::path dir = scratch.path / "out";
  constexpr int kThreads = 4;
  constexpr int kRuns = 5;
  constexpr int kStacks = 100;  // 201 files: two writer threads per run
  std::array<int, kThreads> failures{};
  {
    std::vector<std::jthread> writers;
    for (int t = 0; t < kThreads; ++t) {
      writers.emplace_back([&, t] {
        for (int run = 0; run < kRuns; ++run) {
          if (!write_files(dir, labelled_set(t * kRuns + run, kStacks), {.jobs = 2}).ok()) ++failures.at(t);
        }
      });
    }
  }
  CHECK(failures == std::array<int, kThreads>{});
  const int label = manifest_label(dir);
  REQUIRE(label >= 0);
  CHECK(holds_set(dir, labelled_set(label, kStacks)));
  CHECK_FALSE(has_staging_files(dir));
}

TEST_CASE("With wait = false, a locked directory fails at once naming the holder", "[output]") {
  const ScratchDir scratch("output-busy");
  const fs::path dir = scratch.path / "out";
  const auto old_files = labelled_set(1);
  REQUIRE(write_files(dir, old_files).ok());
  const LockHolder holder(dir);
  const WriteResult result = write_files(dir, labelled_set(2), {.wait = false});
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].code == "HS4002");
  CHECK(result.diagnostics[0].message ==
        "output directory " + dir.string() + " is in use by another hipaa-synth run (pid " +
            std::to_string(::getpid()) + ", lock " + (dir / ".hipaa-synth.lock").string() + ")");
  CHECK(holds_set(dir, old_files));
}

TEST_CASE("Staging files a killed run left are removed by the next run", "[output]") {
  const ScratchDir scratch("output-leftovers");
  const fs::path dir = scratch.path / "out";
  const auto files = labelled_set(1);
  REQUIRE(write_files(dir, files).ok());
  // What a run killed while staging leaves: its pid in the lock file, and staged files.
  std::ofstream(dir / ".hipaa-synth.lock") << "999999\n";
  std::ofstream(dir / "Stack3/.main.tf.json.hipaa-synth-999999-0.new") << "half";
  std::ofstream(dir / "Stack3/lambda/.code.zip.hipaa-synth-999999-0.old") << "old";
  std::ofstream(dir / "Stack4/main.tf.json.tmp-hipaa-synth") << "from an older version";
  REQUIRE(has_staging_files(dir));
  const WriteResult result = write_files(dir, files);
  REQUIRE(result.ok());
  CHECK(count(result, WriteOutcome::Unchanged) == files.size());
  CHECK_FALSE(has_staging_files(dir));
  CHECK(contents_of(dir / ".hipaa-synth.lock").empty());  // released cleanly: no sweep next time
}

TEST_CASE("A run killed while renaming is undone by the next run, from its journal", "[output]") {
  const ScratchDir scratch("output-journal");
  const fs::path dir = scratch.path / "out";
  const auto files = labelled_set(1);
  REQUIRE(write_files(dir, files).ok());
  const ino_t inode = inode_of(dir / "Stack0/main.tf.json");
  // What run 999999-0 left when killed mid-rename: Stack0's template replaced (the old one kept
  // aside), a new file in a directory it made renamed into place, Stack1's staged file not yet.
  fs::create_hard_link(dir / "Stack0/main.tf.json", dir / "Stack0/.main.tf.json.hipaa-synth-999999-0.old");
  fs::remove(dir / "Stack0/main.tf.json");
  std::ofstream(dir / "Stack0/main.tf.json") << "new";
  fs::create_directories(dir / "Extra");
  std::ofstream(dir / "Extra/new.json") << "new";
  std::ofstream(dir / "Stack1/.main.tf.json.hipaa-synth-999999-0.new") << "new";
  using namespace std::string_literals;
  const std::string journal =
      "999999-0\0d\0Extra\0r\0Stack0/main.tf.json\0n\0Extra/new.json\0r\0Stack1/main.tf.json\0"s;
  std::ofstream(dir / ".hipaa-synth.journal", std::ios::binary) << journal;
  std::ofstream(dir / ".hipaa-synth.lock") << "999999\n";

  const WriteResult result = write_files(dir, files);
  REQUIRE(result.ok());
  CHECK(count(result, WriteOutcome::Unchanged) == files.size());  // the old set, back in place
  CHECK(inode_of(dir / "Stack0/main.tf.json") == inode);
  CHECK_FALSE(fs::exists(dir / "Extra"));
  CHECK_FALSE(has_staging_files(dir));
}

TEST_CASE("A symbolic link inside the directory is never written through", "[output]") {
  const ScratchDir scratch("output-symlink");
  const fs::path dir = scratch.path / "out";
  const fs::path elsewhere = scratch.path / "elsewhere";
  fs::create_directories(elsewhere);
  const auto files = many_files("");
  REQUIRE(write_files(dir, files).ok());
  const auto changed = many_files(", \"v\": 2");
  fs::path link;
  SECTION("a directory") {
    link = dir / "Stack5";
    fs::remove_all(link);
    fs::create_directory_symlink(elsewhere, link);
  }
  SECTION("a file") {
    link = dir / "Stack5/main.tf.json";
    std::ofstream(elsewhere / "target") << "not ours";
    fs::remove(link);
    fs::create_symlink(elsewhere / "target", link);
  }
  const WriteResult result = write_files(dir, changed);
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].code == "HS4001");
  CHECK(result.diagnostics[0].message.starts_with("cannot write " + link.string() + ": a symbolic link where"));
  CHECK(fs::is_symlink(link));
  std::size_t outside = 0;
  for (const auto& entry : fs::recursive_directory_iterator(elsewhere)) {
    outside += entry.path().filename() == "target" && contents_of(entry.path()) == "not ours" ? 0 : 1;
  }
  CHECK(outside == 0);
  CHECK(contents_of(dir / "Stack6/main.tf.json") == files[12].contents);  // nothing replaced
  CHECK_FALSE(has_staging_files(dir));
}

TEST_CASE("A run killed at any point leaves the old set or the new one, and the next run finishes the job",
          "[output]") {
  const ScratchDir scratch("output-kill");
  const fs::path dir = scratch.path / "out";
  REQUIRE(write_files(dir, labelled_set(0)).ok());
  int current = 0;
  constexpr int kKills = 40;
  int interrupted = 0;  // kills that left a journal: a transaction undone by the next run
  for (int kill = 0; kill < kKills; ++kill) {
    const int next = kill + 1;
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) _exit(write_files(dir, labelled_set(next), {.jobs = 2}).ok() ? 0 : 1);
    std::this_thread::sleep_for(std::chrono::microseconds(400 * (kill % 20)));  // from at once to ~8 ms in
    ::kill(child, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    if (fs::exists(dir / ".hipaa-synth.journal")) {
      // Killed between its first rename and its commit: the next run puts the old set back
      // first, so writing the old set again changes nothing.
      ++interrupted;
      const WriteResult again = write_files(dir, labelled_set(current));
      REQUIRE(again.ok());
      CHECK(count(again, WriteOutcome::Unchanged) == again.outcomes.size());
    } else {
      const int label = manifest_label(dir);
      REQUIRE((label == current || label == next));
      CHECK(holds_set(dir, labelled_set(label)));
      current = label;
    }
  }
  INFO(interrupted << " of " << kKills << " kills interrupted the renames");
  REQUIRE(write_files(dir, labelled_set(current)).ok());
  CHECK(holds_set(dir, labelled_set(current)));
  CHECK_FALSE(has_staging_files(dir));
}

TEST_CASE("hipaa-synth processes writing one directory take turns, and the manifest matches the files", "[cli]") {
  const ScratchDir scratch("output-processes");
  const fs::path dir = scratch.path / "out";
  // 4 processes x 10 runs, each process with its own environment suffix (its own bytes).
  std::string script;
  for (int p = 0; p < 4; ++p) {
    script += "(for i in 1 2 3 4 5 6 7 8 9 10; do " + std::string(HIPAA_SYNTH_BINARY) + " --target tf --env-suffix p" +
              std::to_string(p) + " -o " + dir.string() + " >/dev/null 2>&1 || echo failed; done) & ";
  }
  const Run r = shell("sh -c '" + script + "wait'");
  CHECK(r.out.empty());
  CHECK(matches_manifest(dir));
  CHECK_FALSE(has_staging_files(dir));
}

TEST_CASE("hipaa-synth --no-wait fails at once with exit 3 naming the run that holds the directory", "[cli]") {
  const ScratchDir scratch("output-no-wait");
  const fs::path dir = scratch.path / "out";
  fs::create_directories(dir);
  const LockHolder holder(dir);
  const Run r = shell(std::string(HIPAA_SYNTH_BINARY) + " --target tf --no-wait -o " + dir.string());
  CHECK(r.exit_code == 3);
  CHECK(r.out.find("error HS4002 at " + dir.string() + ": output directory " + dir.string() +
                   " is in use by another hipaa-synth run (pid " + std::to_string(::getpid()) + ", lock ") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(dir / "manifest.json"));
}

// ---------------------------------------------------------------------------------------------
// The atomic layout (WriteOptions::atomic, --atomic).

TEST_CASE("With atomic, write_files links unchanged files from the current generation and flips the link",
          "[output][atomic]") {
  const ScratchDir scratch("output-atomic-library");
  const fs::path dir = scratch.path / "out";
  auto files = many_files("");
  const WriteResult first = write_files(dir, files, {.atomic = true});
  REQUIRE(first.ok());
  CHECK(count(first, WriteOutcome::Written) == files.size());
  REQUIRE(fs::is_symlink(dir));
  CHECK(fs::read_symlink(dir) == "out.generations/1");  // relative: moving the parent keeps it working
  CHECK(holds_exactly(dir, files));
  const ino_t inode = inode_of(dir / "Stack7/main.tf.json");

  SECTION("the same files again: nothing is touched, not even the link") {
    const WriteResult again = write_files(dir, files, {.atomic = true});
    REQUIRE(again.ok());
    CHECK(count(again, WriteOutcome::Unchanged) == files.size());
    CHECK(fs::read_symlink(dir) == "out.generations/1");
    CHECK(generation_names(dir) == std::set<std::string>{"1"});
  }
  SECTION("two files changed, one gone: a new generation, unchanged files hard links into it") {
    files[10].contents += " ";
    files[11].contents.pop_back();
    files.erase(files.begin() + 20);
    const WriteResult changed = write_files(dir, files, {.atomic = true});
    REQUIRE(changed.ok());
    CHECK(count(changed, WriteOutcome::Written) == 2);
    CHECK(changed.outcomes[10] == WriteOutcome::Written);
    CHECK(fs::read_symlink(dir) == "out.generations/2");
    CHECK(generation_names(dir) == std::set<std::string>{"2"});  // the previous one removed
    CHECK(holds_exactly(dir, files));                            // the dropped file is gone too
    CHECK(inode_of(dir / "Stack7/main.tf.json") == inode);       // the same file, linked
  }
  SECTION("a failure while writing the generation removes it and leaves the link") {
    std::vector<OutputFile> clash = files;
    clash.push_back({"Stack1", "a file where a directory goes"});
    const WriteResult failed = write_files(dir, clash, {.atomic = true});
    REQUIRE(failed.diagnostics.size() == 1);
    CHECK(failed.diagnostics[0].code == "HS4001");
    CHECK(failed.diagnostics[0].message ==
          "cannot write " + (generations_of(dir) / "2/Stack1").string() + ": File exists");
    CHECK(fs::read_symlink(dir) == "out.generations/1");
    CHECK(generation_names(dir) == std::set<std::string>{"1"});
    CHECK(holds_set(dir, files));
  }
  CHECK(staged_links(dir) == 0);
}

TEST_CASE("With atomic, a kill at any point leaves the directory a whole set matching its manifest, at once",
          "[output][atomic]") {
  const ScratchDir scratch("output-atomic-kill");
  const fs::path dir = scratch.path / "out";
  // Two outputs that differ in their files, not only their bytes: 300 stacks, or 250.
  const auto set_for = [](int label) { return labelled_set(label, label % 2 == 0 ? 300 : 250); };
  const auto started = std::chrono::steady_clock::now();
  REQUIRE(write_files(dir, set_for(0), {.atomic = true}).ok());
  const auto one_run = std::chrono::steady_clock::now() - started;
  int current = 0;
  constexpr int kKills = 40;
  int flipped = 0;  // kills after the rename: the new set
  for (int kill = 0; kill < kKills; ++kill) {
    const int next = kill + 1;
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) _exit(write_files(dir, set_for(next), {.jobs = 2, .atomic = true}).ok() ? 0 : 1);
    std::this_thread::sleep_for(one_run * (kill % 20) / 16);  // from at once to past the end of a run
    ::kill(child, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    // No run in between: the directory as the kill left it.
    const int label = manifest_label(dir);
    REQUIRE((label == current || label == next));
    CHECK(holds_exactly(dir, set_for(label)));
    flipped += label == next ? 1 : 0;
    current = label;
  }
  INFO(flipped << " of " << kKills << " kills came after the rename");
  REQUIRE(write_files(dir, set_for(current + 1), {.atomic = true}).ok());
  CHECK(holds_exactly(dir, set_for(current + 1)));
  CHECK(generation_names(dir).size() == 1);  // the killed runs' generations removed
  CHECK(staged_links(dir) == 0);
}

TEST_CASE("hipaa-synth --atomic writes what a plain run writes, byte for byte, and flips on a change",
          "[cli][atomic]") {
  const ScratchDir scratch("output-atomic-cli");
  const fs::path dir = scratch.path / "out";
  const std::string binary = HIPAA_SYNTH_BINARY;
  for (const std::string& suffix : std::array<std::string, 2>{"dev", "prod"}) {
    const std::string options = binary + " --target tf --env-suffix " + suffix;
    const fs::path plain = scratch.path / ("plain-" + suffix);
    REQUIRE(shell(options + " -o " + plain.string()).exit_code == 0);
    REQUIRE(shell(options + " --atomic -o " + dir.string()).exit_code == 0);
    CHECK(fs::read_symlink(dir) == (suffix == "dev" ? "out.generations/1" : "out.generations/2"));
    CHECK(generation_names(dir).size() == 1);
    CHECK(same_files(dir, plain));
    CHECK(matches_manifest(dir));
    // Readers through the link: --check finds no drift.
    const Run check = shell(options + " -o " + dir.string() + " --check");
    CHECK(check.exit_code == 0);
    CHECK(check.out == "no drift: " + dir.string() + " is up to date\n");
  }
  // Without --atomic, the link is refused rather than written through (a generation in place).
  const Run plain = shell(binary + " --target tf -o " + dir.string());
  CHECK(plain.exit_code == 1);
  CHECK(plain.out.find("error HS4001 at " + dir.string() + ": cannot write " + dir.string() +
                       ": a link to generation 2 of the --atomic layout") != std::string::npos);
  CHECK(fs::read_symlink(dir) == "out.generations/2");
}

TEST_CASE("hipaa-synth --atomic processes writing one directory take turns, and the manifest matches the files",
          "[cli][atomic]") {
  const ScratchDir scratch("output-atomic-processes");
  const fs::path dir = scratch.path / "out";
  std::string script;
  for (int p = 0; p < 4; ++p) {
    script += "(for i in 1 2 3 4 5 6 7 8 9 10; do " + std::string(HIPAA_SYNTH_BINARY) + " --target tf --env-suffix p" +
              std::to_string(p) + " --atomic -o " + dir.string() + " >/dev/null 2>&1 || echo failed; done) & ";
  }
  const Run r = shell("sh -c '" + script + "wait'");
  CHECK(r.out.empty());
  CHECK(matches_manifest(dir));
  const auto manifest = nlohmann::json::parse(contents_of(dir / "manifest.json"));
  std::set<std::string> listed{"manifest.json"};
  for (const auto& stack : manifest["stacks"]) {
    for (const auto& file : stack["files"]) listed.insert(file.get<std::string>());
  }
  CHECK(files_under(dir) == listed);
  CHECK(generation_names(dir).size() == 1);
  CHECK(staged_links(dir) == 0);
}

TEST_CASE("hipaa-synth --atomic refuses a real directory or a link it did not make, and changes neither",
          "[cli][atomic]") {
  const ScratchDir scratch("output-atomic-refused");
  const fs::path dir = scratch.path / "out";
  const fs::path elsewhere = scratch.path / "elsewhere";
  fs::create_directories(elsewhere);
  std::ofstream(elsewhere / "keep.txt") << "the user's";
  std::string what;
  SECTION("a directory") {
    fs::create_directories(dir);
    std::ofstream(dir / "keep.txt") << "the user's";
    what = "a directory, not a link";
  }
  SECTION("a link elsewhere") {
    fs::create_directory_symlink(elsewhere, dir);
    what = "a symbolic link to " + elsewhere.string() + ", not to a generation";
  }
  const Run r = shell(std::string(HIPAA_SYNTH_BINARY) + " --target tf --atomic -o " + dir.string());
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("error HS4001 at " + dir.string() + ": cannot write " + dir.string() + ": " + what +
                   "; --atomic makes " + dir.string() + " a symbolic link to a generation in " +
                   generations_of(dir).string() + "/ and replaces nothing else") != std::string::npos);
  CHECK(files_under(dir) == std::set<std::string>{"keep.txt"});
  CHECK(contents_of(dir / "keep.txt") == "the user's");
  CHECK_FALSE(fs::exists(generations_of(dir)));  // refused before anything was made
}

TEST_CASE("hipaa-synth --atomic --no-wait fails with exit 3 while another run holds the directory", "[cli][atomic]") {
  const ScratchDir scratch("output-atomic-no-wait");
  const fs::path dir = scratch.path / "out";
  const std::string binary = HIPAA_SYNTH_BINARY;
  REQUIRE(shell(binary + " --target tf --atomic -o " + dir.string()).exit_code == 0);
  const LockHolder holder(generations_of(dir));
  const Run r = shell(binary + " --target tf --env-suffix prod --atomic --no-wait -o " + dir.string());
  CHECK(r.exit_code == 3);
  CHECK(r.out.find("error HS4002 at " + dir.string() + ": output directory " + dir.string() +
                   " is in use by another hipaa-synth run (pid " + std::to_string(::getpid()) + ", lock " +
                   (generations_of(dir) / ".hipaa-synth.lock").string() + ")") != std::string::npos);
  CHECK(fs::read_symlink(dir) == "out.generations/1");
}

TEST_CASE("hipaa-synth --atomic without -o is a usage error", "[cli][atomic]") {
  const Run r = shell(std::string(HIPAA_SYNTH_BINARY) + " --target tf --atomic");
  CHECK(r.exit_code == 2);
  CHECK(r.out == "error: --atomic applies to writing a directory: give it with -o\n");
}
