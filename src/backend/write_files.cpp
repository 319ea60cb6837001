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
// lists are in place. POSIX cannot rename many files in one step, so this layout cannot do better
// for such a reader; WriteOptions::atomic (--atomic, write_generations.cpp) is the opt-in layout
// that can: DIR a link to a whole generation, replaced in one rename. It is not the default
// because DIR is then a link and nothing else kept in it survives a run. Nothing is fsync'ed:
// the guarantees are against killed processes, not a power loss.
//
// Symbolic links inside DIR are never followed: a link where an output file or a subdirectory
// goes is an error naming it. DIR itself may be a link, but not the atomic layout's (this run
// would change a generation in place, outside that layout's lock).
//
// The lock, the file helpers and the directories are shared with the atomic layout
// (write_support.hpp).
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <optional>
#include <system_error>

#include "backend/write_support.hpp"
#include "hipaa/synth.hpp"
#include "support/input.hpp"
#include "support/parallel.hpp"

namespace hipaa {
namespace {

namespace fs = std::filesystem;
using detail::kStagingMark;
using detail::last_error;
using detail::write_failure;

constexpr std::string_view kJournalFile = ".hipaa-synth.journal";
constexpr std::string_view kLegacyStagingSuffix = ".tmp-hipaa-synth";  // what earlier versions staged to

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
    if (!detail::inside(path) || (kind != "d" && kind != "r" && kind != "n")) return std::nullopt;
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
std::optional<Diagnostic> recover(const fs::path& directory, const detail::DirectoryLock& lock) {
  const fs::path journal = directory / kJournalFile;
  struct stat status {};
  if (::lstat(journal.c_str(), &status) == 0) {
    const detail::InputFile read = S_ISREG(status.st_mode) ? detail::read_input_file(journal) : detail::InputFile{};
    const std::optional<Transaction> unfinished = parse_journal(read.text);
    if (!unfinished) {
      return write_failure(journal,
                           "the journal of an interrupted run is unreadable; restore the directory from "
                           "version control or remove it, then run again");
    }
    roll_back(directory, *unfinished);
    if (::unlink(journal.c_str()) != 0) return write_failure(journal, "cannot remove the journal: " + last_error());
  }
  if (lock.previous_run_died()) sweep_leftovers(directory);
  return std::nullopt;
}

std::optional<Diagnostic> write_journal(const fs::path& directory, const Transaction& transaction) {
  const fs::path journal = directory / kJournalFile;
  const fs::path temporary = staged(directory, std::string(kJournalFile), transaction.tag);
  if (std::string why = detail::write_new(temporary, journal_text(transaction)); !why.empty())
    return write_failure(journal, why);
  if (::rename(temporary.c_str(), journal.c_str()) != 0) {
    const std::string why = last_error();
    ::unlink(temporary.c_str());
    return write_failure(journal, why);
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Steps of one run.

// Whether the file at `final_path` is a regular file this run would replace; a link is an error.
std::optional<Diagnostic> classify(const fs::path& final_path, bool& replaces) {
  struct stat status {};
  const bool exists = ::lstat(final_path.c_str(), &status) == 0;
  replaces = exists && S_ISREG(status.st_mode);
  if (exists && S_ISLNK(status.st_mode)) {
    return write_failure(final_path,
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
    if (detail::holds(final_path, files[i].contents)) return;
    outcomes[i] = WriteOutcome::Written;
    bool replace = false;
    problems[i] = classify(final_path, replace);
    if (problems[i]) return;
    replaces[i] = replace ? 1 : 0;
    const std::string why = detail::write_new(staged(directory, files[i].path, transaction.tag), files[i].contents);
    if (!why.empty()) problems[i] = write_failure(final_path, why);
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
      problems[k] =
          write_failure(final_path, "cannot keep the old file aside as " + old_file.string() + ": " + last_error());
    } else if (::rename(staged(directory, change.path, transaction.tag).c_str(), final_path.c_str()) != 0) {
      problems[k] = write_failure(final_path, last_error());
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
  if (!problem && ::unlink(journal.c_str()) != 0) problem = write_failure(journal, "cannot commit: " + last_error());
  return problem;
}

// Step 7: the kept-aside files are no longer needed.
void remove_kept_aside(const fs::path& directory, const Transaction& transaction, unsigned threads) {
  detail::for_each_index(transaction.changes.size(), threads, [&](std::size_t i) {
    const Change& change = transaction.changes[i];
    if (change.replaces) ::unlink(kept_aside(directory, change.path, transaction.tag).c_str());
  });
}

}  // namespace

WriteResult write_files(const std::filesystem::path& directory, const std::vector<OutputFile>& files,
                        const WriteOptions& options) {
  if (options.atomic) return detail::write_generation(directory, files, options);
  WriteResult result;
  const auto fail = [&](Diagnostic problem) {
    result.diagnostics.push_back(std::move(problem));
    return result;
  };
  if (auto problem = detail::refuse_generation_link(directory)) return fail(*problem);
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec) return fail(write_failure(directory, ec.message()));

  detail::DirectoryLock lock;
  if (auto problem = lock.acquire(directory, directory / detail::kLockFile, options.wait)) return fail(*problem);
  if (auto problem = recover(directory, lock)) return fail(*problem);

  const std::vector<OutputFile> ordered = detail::manifest_last(files);
  Transaction transaction{.tag = new_tag()};
  const unsigned threads = detail::writer_threads(options.jobs, ordered.size());
  std::vector<WriteOutcome> outcomes(ordered.size(), WriteOutcome::Unchanged);
  std::optional<Diagnostic> problem = detail::make_directories(directory, ordered, transaction.made_directories);
  if (!problem) problem = stage(directory, ordered, threads, transaction, outcomes);
  if (!problem) problem = commit(directory, transaction, threads);
  if (problem) {
    roll_back(directory, transaction);
    ::unlink((directory / kJournalFile).c_str());  // if written: it described what was just undone
    return fail(*problem);
  }
  remove_kept_aside(directory, transaction, threads);
  result.outcomes = detail::in_given_order(files, outcomes);
  return result;
}

}  // namespace hipaa
