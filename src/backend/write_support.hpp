// Internal: what both output layouts share (write_files.cpp, the journaled default;
// write_generations.cpp, --atomic): the directory lock, the HS4001 diagnostic, reading and writing
// one file without following links, the directories files need, and the writer threads.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hipaa/synth.hpp"

namespace hipaa::detail {

inline constexpr std::string_view kLockFile = ".hipaa-synth.lock";
inline constexpr std::string_view kStagingMark = ".hipaa-synth-";  // in every staging name

// HS4001 naming `path` and why it could not be written.
[[nodiscard]] Diagnostic write_failure(const std::filesystem::path& path, const std::string& why);
// strerror(errno), read at once.
[[nodiscard]] std::string last_error();

// An exclusive flock(2) on a lock file. The holder writes its pid into the file and empties it
// when it is done, so a pid found on taking the lock means its last holder died mid-run (or the
// file is new): that is when leftovers are swept.
class DirectoryLock {
 public:
  DirectoryLock() = default;
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;
  DirectoryLock(DirectoryLock&&) = delete;
  DirectoryLock& operator=(DirectoryLock&&) = delete;
  ~DirectoryLock();

  // Locks `lock_path`; waiting for another holder, or (wait false) HS4002 naming `directory`,
  // the output directory the user gave, and the holder's pid.
  std::optional<Diagnostic> acquire(const std::filesystem::path& directory, const std::filesystem::path& lock_path,
                                    bool wait);

  // True when leftovers of a killed run (or of a version without the lock) may lie about.
  [[nodiscard]] bool previous_run_died() const { return previous_run_died_; }

 private:
  int fd_ = -1;
  bool held_ = false;
  bool previous_run_died_ = false;
};

// True when `path` is a regular file (not a link) holding exactly `contents`.
[[nodiscard]] bool holds(const std::filesystem::path& path, std::string_view contents);
// Creates `path`, which must not exist, and writes `contents`; returns why it failed, or "" (a
// partly written file is removed).
[[nodiscard]] std::string write_new(const std::filesystem::path& path, std::string_view contents);

// A path relative to the output directory that stays inside it: relative, without "..".
[[nodiscard]] bool inside(const std::string& relative);
// Makes the directories every file needs under `directory`, outermost first, recording in
// `made` each one made (relative to `directory`); a link or a non-directory on the way is an
// error naming it.
[[nodiscard]] std::optional<Diagnostic> make_directories(const std::filesystem::path& directory,
                                                         const std::vector<OutputFile>& files,
                                                         std::vector<std::string>& made);

// Threads for writing `files` files with WriteOptions::jobs = `jobs`.
[[nodiscard]] unsigned writer_threads(unsigned jobs, std::size_t files);
// The files in the order they are renamed: as given, with the manifest moved last.
[[nodiscard]] std::vector<OutputFile> manifest_last(std::vector<OutputFile> files);
// Outcomes of manifest_last(files), back in the order of `files`.
[[nodiscard]] std::vector<WriteOutcome> in_given_order(const std::vector<OutputFile>& files,
                                                       const std::vector<WriteOutcome>& manifest_last_outcomes);

// The --atomic layout (write_generations.cpp): `directory` a link to a complete generation.
[[nodiscard]] WriteResult write_generation(const std::filesystem::path& directory, const std::vector<OutputFile>& files,
                                           const WriteOptions& options);
// For the default layout: an error when `directory` is the atomic layout's link (writing through
// it would change a generation in place, outside that layout's lock).
[[nodiscard]] std::optional<Diagnostic> refuse_generation_link(const std::filesystem::path& directory);

}  // namespace hipaa::detail
