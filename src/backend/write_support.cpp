// What both output layouts share (write_support.hpp): the lock, one file read or written without
// following links, the directories files need, the writer threads.
#include "backend/write_support.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <set>

#include "support/parallel.hpp"

namespace hipaa::detail {
namespace {

namespace fs = std::filesystem;

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

// Makes the missing directories of `relative` (a file's parent, relative to `directory`),
// outermost first, recording each.
std::optional<Diagnostic> make_parents(const fs::path& directory, const fs::path& relative,
                                       std::vector<std::string>& made) {
  fs::path path = directory;
  for (const auto& part : relative) {
    path /= part;
    struct stat status {};
    if (::lstat(path.c_str(), &status) != 0) {
      if (errno != ENOENT) return write_failure(path, last_error());
      if (::mkdir(path.c_str(), 0755) != 0) return write_failure(path, last_error());
      made.push_back(path.lexically_relative(directory).string());
    } else if (S_ISLNK(status.st_mode)) {
      return write_failure(path,
                           "a symbolic link where a directory goes; hipaa-synth does not write through links "
                           "inside the output directory");
    } else if (!S_ISDIR(status.st_mode)) {
      return write_failure(path, "not a directory");
    }
  }
  return std::nullopt;
}

}  // namespace

Diagnostic write_failure(const fs::path& path, const std::string& why) {
  Diagnostic d;
  d.code = "HS4001";
  d.path = path.string();
  d.message = "cannot write " + path.string() + ": " + why;
  d.hint = "check that the output directory is writable";
  return d;
}

std::string last_error() { return std::strerror(errno); }

DirectoryLock::~DirectoryLock() {
  if (fd_ < 0) return;
  if (held_) (void)::ftruncate(fd_, 0);  // done cleanly: nothing for the next holder to sweep
  ::close(fd_);                          // releases the lock
}

std::optional<Diagnostic> DirectoryLock::acquire(const fs::path& directory, const fs::path& lock_path, bool wait) {
  struct stat before {};
  const bool existed = ::lstat(lock_path.c_str(), &before) == 0;
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd_ < 0) return write_failure(lock_path, "cannot open the lock file: " + last_error());
  int locked = 0;
  do {
    locked = ::flock(fd_, LOCK_EX | (wait ? 0 : LOCK_NB));
  } while (locked != 0 && errno == EINTR);
  if (locked != 0 && errno == EWOULDBLOCK) return busy(directory, lock_path, recorded_holder(fd_));
  if (locked != 0) return write_failure(lock_path, "cannot lock: " + last_error());
  held_ = true;
  previous_run_died_ = !existed || !recorded_holder(fd_).empty();
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    return write_failure(lock_path, "cannot record this run in the lock file: " + last_error());
  }
  return std::nullopt;
}

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

bool inside(const std::string& relative) {
  const fs::path path(relative);
  return !relative.empty() && path.is_relative() &&
         std::none_of(path.begin(), path.end(), [](const fs::path& part) { return part == ".."; });
}

// Each directory once (thousands of files share a few), in file order so a failure names the
// same directory on every run.
std::optional<Diagnostic> make_directories(const fs::path& directory, const std::vector<OutputFile>& files,
                                           std::vector<std::string>& made) {
  std::set<fs::path> seen;
  for (const auto& file : files) {
    if (!inside(file.path)) {
      return write_failure(directory / file.path, "not a relative path inside the output directory");
    }
    const fs::path parent = fs::path(file.path).parent_path();
    if (!seen.insert(parent).second) continue;
    if (auto problem = make_parents(directory, parent, made)) return problem;
  }
  return std::nullopt;
}

// Up to one thread per core (creating a file is kernel CPU time), but a handful of files is not
// worth starting threads for.
unsigned writer_threads(unsigned jobs, std::size_t files) {
  constexpr std::size_t kFilesPerThread = 64;
  return worker_count(jobs, files / kFilesPerThread);
}

std::vector<OutputFile> manifest_last(std::vector<OutputFile> files) {
  std::stable_partition(files.begin(), files.end(), [](const OutputFile& f) { return f.path != kManifestFile; });
  return files;
}

std::vector<WriteOutcome> in_given_order(const std::vector<OutputFile>& files,
                                         const std::vector<WriteOutcome>& manifest_last_outcomes) {
  std::vector<WriteOutcome> outcomes(files.size());
  for (std::size_t i = 0, o = 0; i < files.size(); ++i) {
    const bool moved = files[i].path == kManifestFile;
    outcomes[i] = moved ? manifest_last_outcomes.back() : manifest_last_outcomes[o++];
  }
  return outcomes;
}

}  // namespace hipaa::detail
