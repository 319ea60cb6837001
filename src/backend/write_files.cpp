// write_files: puts synthesized files on disk as one small transaction: the directory is locked,
// every changed file is staged under a unique name, and only then are they renamed into place,
// with what they replace kept aside until the transaction commits. Files that already hold the
// same bytes are not touched, and the file-system work is spread over a few threads.
//
// Why each of those matters (docs/performance.md has the measurements):
// - Creating an inode is the expensive part of writing thousands of small files, far more than
//   copying their bytes, and on ext4 without a journal it gets much slower right after many files
//   were deleted (the allocator skips recently freed inodes one by one). An unchanged file is left
//   alone, which also keeps its mtime for make-like tools.
// - Creating files is kernel CPU time per file; a few threads use the other cores for it.
// - Several runs may share one directory (a build with parallel jobs): the lock serializes them,
//   so the manifest always describes the files beside it.
//
// Why a kill -9 at any point leaves the old set or the new one (the order is the argument):
//  1. Lock DIR/.hipaa-synth.lock (flock: the kernel drops it when its holder dies).
//  2. Recover: a journal left by a killed run means that run had started to rename and never
//     committed; it is rolled back (step 6) to the set before it. Staging files of killed runs
//     are removed. Until here, nothing of this run is visible.
//  3. Stage every changed file as .NAME.hipaa-synth-PID-N.new beside it. Still invisible.
//  4. Write the journal (to a staging name, renamed into place, so it is whole or absent): the
//     directories this run made, and each changed file with whether it replaces one.
//  5. Keep each replaced file aside as .NAME.hipaa-synth-PID-N.old (a hard link: the file itself
//     stays in place), then rename the staged files over their final names, manifest.json last.
//  6. Commit: unlink the journal. A kill before this leaves a journal, and the next run (step 2)
//     or this one on a failed rename puts every kept-aside file back, unlinks every created file
//     and removes the directories made: the old set. A kill after it leaves the new set, whole,
//     and only .old links the next run sweeps away.
//  7. Remove the .old links; unlock.
// A reader that does not take the lock can see a mix while step 5 runs, or after a kill in it
// until the next run recovers; manifest.json, renamed last, changes only once all the files it
// lists are in place.
//
// Symbolic links inside DIR are never followed: a link where an output file or a subdirectory
// goes is an error naming it (DIR itself may be a link).
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <optional>
#include <set>
#include <system_error>

#include "hipaa/synth.hpp"
#include "support/input.hpp"
#include "support/parallel.hpp"

namespace hipaa {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kLockFile = ".hipaa-synth.lock";
constexpr std::string_view kJournalFile = ".hipaa-synth.journal";
constexpr std::string_view kStagingMark = ".hipaa-synth-";             // in every staging and kept-aside name
constexpr std::string_view kLegacyStagingSuffix = ".tmp-hipaa-synth";  // what earlier versions staged to

Diagnostic failure(const fs::path& path, const std::string& why) {
  Diagnostic d;
  d.code = "HS4001";
  d.path = path.string();
  d.message = "cannot write " + path.string() + ": " + why;
  d.hint = "check that the output directory is writable";
  return d;
}

std::string last_error() { return std::strerror(errno); }

// ---------------------------------------------------------------------------------------------
// The lock.

// The pid a holder wrote into the lock file, or "" (none yet, or the holder finished cleanly).
std::string recorded_holder(int fd) {
  std::array<char, 32> text{};
  const ssize_t n = ::pread(fd, text.data(), text.size() - 1, 0);
  if (n <= 0) return "";
  std::string pid(text.data(), static_cast<std::size_t>(n));
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid;
}

Diagnostic busy(const fs::path& directory, const fs::path& lock_path, const std::string& holder) {
  Diagnostic d;
  d.code = "HS4002";
  d.path = directory.string();
  d.message = "output directory " + directory.string() + " is in use by another hipaa-synth run (" +
              (holder.empty() ? std::string("pid not yet recorded") : "pid " + holder) + ", lock " +
              lock_path.string() + ")";
  d.hint = "wait for that run to finish, or leave out --no-wait to wait for it";
  return d;
}

// An exclusive flock(2) on DIR/.hipaa-synth.lock. The holder writes its pid into the file and
// empties it when it is done, so a pid found on taking the lock means its last holder died
// mid-run (or the file is new): that is when the directory is swept for leftovers.
class DirectoryLock {
 public:
  DirectoryLock() = default;
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;
  DirectoryLock(DirectoryLock&&) = delete;
  DirectoryLock& operator=(DirectoryLock&&) = delete;
  ~DirectoryLock() {
    if (fd_ < 0) return;
    if (held_) (void)::ftruncate(fd_, 0);  // done cleanly: nothing for the next holder to sweep
    ::close(fd_);                          // releases the lock
  }

  std::optional<Diagnostic> acquire(const fs::path& directory, bool wait) {
    const fs::path path = directory / kLockFile;
    struct stat before {};
    const bool existed = ::lstat(path.c_str(), &before) == 0;
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd_ < 0) return failure(path, "cannot open the lock file: " + last_error());
    int locked = 0;
    do {
      locked = ::flock(fd_, LOCK_EX | (wait ? 0 : LOCK_NB));
    } while (locked != 0 && errno == EINTR);
    if (locked != 0 && errno == EWOULDBLOCK) return busy(directory, path, recorded_holder(fd_));
    if (locked != 0) return failure(path, "cannot lock: " + last_error());
    held_ = true;
    previous_run_died_ = !existed || !recorded_holder(fd_).empty();
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
      return failure(path, "cannot record this run in the lock file: " + last_error());
    }
    return std::nullopt;
  }

  // True when leftovers of a killed run (or of a version without the lock) may lie in DIR.
  [[nodiscard]] bool previous_run_died() const { return previous_run_died_; }

 private:
  int fd_ = -1;
  bool held_ = false;
  bool previous_run_died_ = false;
};

// ---------------------------------------------------------------------------------------------
// Reading and writing one file, never through a symbolic link.

// True when `path` is a regular file holding exactly `contents`.
bool holds(const fs::path& path, std::string_view contents) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat status {};
  bool same = ::fstat(fd, &status) == 0 && S_ISREG(status.st_mode) &&
              static_cast<std::size_t>(status.st_size) == contents.size();
  std::array<char, 1 << 16> buffer{};
  std::size_t offset = 0;
  while (same && offset < contents.size()) {
    const ssize_t n = ::read(fd, buffer.data(), std::min(buffer.size(), contents.size() - offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      same = false;
      break;
    }
    same = std::memcmp(buffer.data(), contents.data() + offset, static_cast<std::size_t>(n)) == 0;
    offset += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return same;
}

// Creates `path`, which must not exist, and writes `contents`; returns why it failed, or "".
std::string write_new(const fs::path& path, std::string_view contents) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return last_error();
  std::size_t written = 0;
  std::string why;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      why = std::string("write failed: ") + (n < 0 ? last_error() : "no space written");
      break;
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 && why.empty()) why = "write failed: " + last_error();
  if (!why.empty()) ::unlink(path.c_str());  // only a whole file is ever renamed, or undone
  return why;
}

// ---------------------------------------------------------------------------------------------
// The transaction and its journal.

// One file whose bytes change, by its path relative to DIR.
struct Change {
  std::string path;
  bool replaces = false;  // a regular file is there now: kept aside until the commit
};

// What a run changes, as written to the journal before the first rename: enough for any later
// run to undo it. Paths are relative to DIR, so the journal still holds if DIR is moved.
struct Transaction {
  std::string tag;                            // "PID-N": unique to this run among all processes
  std::vector<std::string> made_directories;  // outermost first
  std::vector<Change> changes;                // manifest.json last
};

// .NAME.hipaa-synth-TAG.new (staged) or .old (kept aside), beside NAME.
fs::path beside(const fs::path& directory, const std::string& relative, const std::string& tag,
                std::string_view suffix) {
  const fs::path path = directory / relative;
  return path.parent_path() / ("." + path.filename().string() + std::string(kStagingMark) + tag + std::string(suffix));
}
fs::path staged(const fs::path& directory, const std::string& relative, const std::string& tag) {
  return beside(directory, relative, tag, ".new");
}
fs::path kept_aside(const fs::path& directory, const std::string& relative, const std::string& tag) {
  return beside(directory, relative, tag, ".old");
}

std::string new_tag() {
  static std::atomic<unsigned long> runs{0};
  return std::to_string(::getpid()) + "-" + std::to_string(runs++);
}

// Fields end in NUL, so any file name fits: the tag, then "d" + path per directory made, then
// "r" (replaces a file) or "n" (new) + path per change.
std::string journal_text(const Transaction& transaction) {
  std::string text = transaction.tag + '\0';
  for (const auto& made : transaction.made_directories) text.append("d\0", 2).append(made) += '\0';
  for (const auto& change : transaction.changes)
    text.append(change.replaces ? "r\0" : "n\0", 2).append(change.path) += '\0';
  return text;
}

// A path from a journal must stay inside DIR: relative, without "..".
bool inside(const std::string& relative) {
  const fs::path path(relative);
  return !relative.empty() && path.is_relative() &&
         std::none_of(path.begin(), path.end(), [](const fs::path& part) { return part == ".."; });
}

std::optional<Transaction> parse_journal(const std::string& text) {
  std::vector<std::string> fields;
  for (std::size_t start = 0, end = 0; start < text.size(); start = end + 1) {
    end = text.find('\0', start);
    if (end == std::string::npos) return std::nullopt;  // not written by write_journal
    fields.push_back(text.substr(start, end - start));
  }
  if (fields.empty() || fields.size() % 2 == 0) return std::nullopt;
  Transaction transaction{.tag = fields[0]};
  for (std::size_t i = 1; i < fields.size(); i += 2) {
    const std::string& kind = fields[i];
    const std::string& path = fields[i + 1];
    if (!inside(path) || (kind != "d" && kind != "r" && kind != "n")) return std::nullopt;
    if (kind == "d") {
      transaction.made_directories.push_back(path);
    } else {
      transaction.changes.push_back({.path = path, .replaces = kind == "r"});
    }
  }
  return transaction;
}

// Puts one file back as it was before the transaction, from whatever step it reached.
void undo(const fs::path& directory, const std::string& tag, const Change& change) {
  const fs::path final_path = directory / change.path;
  const fs::path new_file = staged(directory, change.path, tag);
  if (change.replaces) {
    // The old file is either still in place (not yet kept aside, or kept aside and not yet
    // replaced: then both names are one file, and rename leaves both) or only kept aside.
    const fs::path old_file = kept_aside(directory, change.path, tag);
    if (::rename(old_file.c_str(), final_path.c_str()) == 0) ::unlink(old_file.c_str());
    ::unlink(new_file.c_str());
  } else if (::unlink(new_file.c_str()) != 0 && errno == ENOENT) {
    ::unlink(final_path.c_str());  // already renamed into place: it did not exist before
  }
}

// Undoes a transaction that did not commit: the old files back, created files and directories
// gone. Serves both a failed rename in this run and the journal of a killed one.
void roll_back(const fs::path& directory, const Transaction& transaction) {
  // Newest first (index loops: clang 14 cannot take std::views::reverse over libstdc++ 12).
  for (std::size_t i = transaction.changes.size(); i-- > 0;) undo(directory, transaction.tag, transaction.changes[i]);
  for (std::size_t i = transaction.made_directories.size(); i-- > 0;) {
    ::rmdir((directory / transaction.made_directories[i]).c_str());  // innermost first; only if empty
  }
}

bool is_leftover(const std::string& name) {
  const bool staging = name.starts_with('.') && name.find(kStagingMark) != std::string::npos &&
                       (name.ends_with(".new") || name.ends_with(".old"));
  return staging || name.ends_with(kLegacyStagingSuffix);
}

// Removes the staging and kept-aside files killed runs left anywhere under DIR (not following
// links into other directories).
void sweep_leftovers(const fs::path& directory) {
  std::error_code ec;
  std::vector<fs::path> leftovers;
  for (auto it = fs::recursive_directory_iterator(directory, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->symlink_status(ec).type() != fs::file_type::directory && is_leftover(it->path().filename().string()))
      leftovers.push_back(it->path());
  }
  for (const auto& leftover : leftovers) ::unlink(leftover.c_str());
}

// Step 2: undoes the transaction a killed run left unfinished, then sweeps its files.
std::optional<Diagnostic> recover(const fs::path& directory, const DirectoryLock& lock) {
  const fs::path journal = directory / kJournalFile;
  struct stat status {};
  if (::lstat(journal.c_str(), &status) == 0) {
    const detail::InputFile read = S_ISREG(status.st_mode) ? detail::read_input_file(journal) : detail::InputFile{};
    const std::optional<Transaction> unfinished = parse_journal(read.text);
    if (!unfinished) {
      return failure(journal,
                     "the journal of an interrupted run is unreadable; restore the directory from "
                     "version control or remove it, then run again");
    }
    roll_back(directory, *unfinished);
    if (::unlink(journal.c_str()) != 0) return failure(journal, "cannot remove the journal: " + last_error());
  }
  if (lock.previous_run_died()) sweep_leftovers(directory);
  return std::nullopt;
}

std::optional<Diagnostic> write_journal(const fs::path& directory, const Transaction& transaction) {
  const fs::path journal = directory / kJournalFile;
  const fs::path temporary = staged(directory, std::string(kJournalFile), transaction.tag);
  if (std::string why = write_new(temporary, journal_text(transaction)); !why.empty()) return failure(journal, why);
  if (::rename(temporary.c_str(), journal.c_str()) != 0) {
    const std::string why = last_error();
    ::unlink(temporary.c_str());
    return failure(journal, why);
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Steps of one run.

// Up to one thread per core (creating a file is kernel CPU time), but a handful of files is not
// worth starting threads for.
unsigned writer_threads(unsigned jobs, std::size_t files) {
  constexpr std::size_t kFilesPerThread = 64;
  return detail::worker_count(jobs, files / kFilesPerThread);
}

// Makes the missing directories of `relative` (a file's parent, relative to DIR), outermost
// first, recording each; a link or a non-directory on the way is an error naming it.
std::optional<Diagnostic> make_parents(const fs::path& directory, const fs::path& relative,
                                       std::vector<std::string>& made) {
  fs::path path = directory;
  for (const auto& part : relative) {
    path /= part;
    struct stat status {};
    if (::lstat(path.c_str(), &status) != 0) {
      if (errno != ENOENT) return failure(path, last_error());
      if (::mkdir(path.c_str(), 0755) != 0) return failure(path, last_error());
      made.push_back(path.lexically_relative(directory).string());
    } else if (S_ISLNK(status.st_mode)) {
      return failure(path,
                     "a symbolic link where a directory goes; hipaa-synth does not write through links "
                     "inside the output directory");
    } else if (!S_ISDIR(status.st_mode)) {
      return failure(path, "not a directory");
    }
  }
  return std::nullopt;
}

// The directories every file needs, once each (thousands of files share a few), in file order
// so a failure names the same directory on every run.
std::optional<Diagnostic> make_directories(const fs::path& directory, const std::vector<OutputFile>& files,
                                           std::vector<std::string>& made) {
  std::set<fs::path> seen;
  for (const auto& file : files) {
    if (!inside(file.path)) return failure(directory / file.path, "not a relative path inside the output directory");
    const fs::path parent = fs::path(file.path).parent_path();
    if (!seen.insert(parent).second) continue;
    if (auto problem = make_parents(directory, parent, made)) return problem;
  }
  return std::nullopt;
}

// Whether the file at `final_path` is a regular file this run would replace; a link is an error.
std::optional<Diagnostic> classify(const fs::path& final_path, bool& replaces) {
  struct stat status {};
  const bool exists = ::lstat(final_path.c_str(), &status) == 0;
  replaces = exists && S_ISREG(status.st_mode);
  if (exists && S_ISLNK(status.st_mode)) {
    return failure(final_path,
                   "a symbolic link where an output file goes; hipaa-synth does not write through links "
                   "inside the output directory");
  }
  return std::nullopt;  // a directory, say: the rename fails and everything is rolled back
}

// Step 3: stages every changed file, in parallel; fills `outcomes` and the transaction's changes.
std::optional<Diagnostic> stage(const fs::path& directory, const std::vector<OutputFile>& files, unsigned threads,
                                Transaction& transaction, std::vector<WriteOutcome>& outcomes) {
  std::vector<std::optional<Diagnostic>> problems(files.size());
  std::vector<char> replaces(files.size(), 0);  // not vector<bool>: each thread writes its own byte
  detail::for_each_index(files.size(), threads, [&](std::size_t i) {
    const fs::path final_path = directory / files[i].path;
    if (holds(final_path, files[i].contents)) return;
    outcomes[i] = WriteOutcome::Written;
    bool replace = false;
    problems[i] = classify(final_path, replace);
    if (problems[i]) return;
    replaces[i] = replace ? 1 : 0;
    const std::string why = write_new(staged(directory, files[i].path, transaction.tag), files[i].contents);
    if (!why.empty()) problems[i] = failure(final_path, why);
  });
  // Only what was staged: undoing a change whose staged file is gone unlinks the final name.
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (outcomes[i] == WriteOutcome::Written && !problems[i]) {
      transaction.changes.push_back({files[i].path, replaces[i] != 0});
    }
  }
  for (auto& problem : problems) {
    if (problem) return problem;
  }
  return std::nullopt;
}

// Step 5 for the changes in [begin, end), in parallel: keep the old file aside, rename the new
// one over it. Returns the first failure in change order.
std::optional<Diagnostic> swap_in(const fs::path& directory, const Transaction& transaction, std::size_t begin,
                                  std::size_t end, unsigned threads) {
  std::vector<std::optional<Diagnostic>> problems(end - begin);
  detail::for_each_index(end - begin, threads, [&](std::size_t k) {
    const Change& change = transaction.changes[begin + k];
    const fs::path final_path = directory / change.path;
    const fs::path old_file = kept_aside(directory, change.path, transaction.tag);
    if (change.replaces && ::link(final_path.c_str(), old_file.c_str()) != 0) {
      problems[k] = failure(final_path, "cannot keep the old file aside as " + old_file.string() + ": " + last_error());
    } else if (::rename(staged(directory, change.path, transaction.tag).c_str(), final_path.c_str()) != 0) {
      problems[k] = failure(final_path, last_error());
    }
  });
  for (auto& problem : problems) {
    if (problem) return problem;
  }
  return std::nullopt;
}

// Steps 4 to 6 once everything is staged; on a failure the caller rolls back.
std::optional<Diagnostic> commit(const fs::path& directory, const Transaction& transaction, unsigned threads) {
  if (transaction.changes.empty()) return std::nullopt;  // every file unchanged: touch nothing
  if (auto problem = write_journal(directory, transaction)) return problem;
  const std::size_t count = transaction.changes.size();
  const bool manifest_changes = count > 0 && transaction.changes.back().path == kManifestFile;
  const std::size_t files_first = manifest_changes ? count - 1 : count;
  std::optional<Diagnostic> problem = swap_in(directory, transaction, 0, files_first, threads);
  if (!problem) problem = swap_in(directory, transaction, files_first, count, 1);
  const fs::path journal = directory / kJournalFile;
  if (!problem && ::unlink(journal.c_str()) != 0) problem = failure(journal, "cannot commit: " + last_error());
  return problem;
}

// Step 7: the kept-aside files are no longer needed.
void remove_kept_aside(const fs::path& directory, const Transaction& transaction, unsigned threads) {
  detail::for_each_index(transaction.changes.size(), threads, [&](std::size_t i) {
    const Change& change = transaction.changes[i];
    if (change.replaces) ::unlink(kept_aside(directory, change.path, transaction.tag).c_str());
  });
}

// The files in the order they are renamed: as given, with the manifest moved last.
std::vector<OutputFile> manifest_last(std::vector<OutputFile> files) {
  std::stable_partition(files.begin(), files.end(), [](const OutputFile& f) { return f.path != kManifestFile; });
  return files;
}

}  // namespace

WriteResult write_files(const std::filesystem::path& directory, const std::vector<OutputFile>& files,
                        const WriteOptions& options) {
  WriteResult result;
  const auto fail = [&](Diagnostic problem) {
    result.diagnostics.push_back(std::move(problem));
    return result;
  };
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec) return fail(failure(directory, ec.message()));

  DirectoryLock lock;
  if (auto problem = lock.acquire(directory, options.wait)) return fail(*problem);
  if (auto problem = recover(directory, lock)) return fail(*problem);

  const std::vector<OutputFile> ordered = manifest_last(files);
  Transaction transaction{.tag = new_tag()};
  const unsigned threads = writer_threads(options.jobs, ordered.size());
  std::vector<WriteOutcome> outcomes(ordered.size(), WriteOutcome::Unchanged);
  std::optional<Diagnostic> problem = make_directories(directory, ordered, transaction.made_directories);
  if (!problem) problem = stage(directory, ordered, threads, transaction, outcomes);
  if (!problem) problem = commit(directory, transaction, threads);
  if (problem) {
    roll_back(directory, transaction);
    ::unlink((directory / kJournalFile).c_str());  // if written: it described what was just undone
    return fail(*problem);
  }
  remove_kept_aside(directory, transaction, threads);
  // Outcomes in the caller's order.
  result.outcomes.resize(files.size());
  for (std::size_t i = 0, o = 0; i < files.size(); ++i) {
    const bool moved = files[i].path == kManifestFile;
    result.outcomes[i] = moved ? outcomes.back() : outcomes[o++];
  }
  return result;
}

}  // namespace hipaa
