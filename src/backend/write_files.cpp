// write_files: puts synthesized files on disk all-or-nothing, without touching files that already
// hold the same bytes, and with the file-system work spread over a few threads.
//
// Why each of those matters at scale (docs/performance.md has the measurements):
// - Creating an inode is the expensive part of writing thousands of small files, far more than
//   copying their bytes, and on ext4 without a journal it gets much slower right after many files
//   were deleted (the allocator skips recently freed inodes one by one). Re-synthesizing into the
//   same directory used to replace every file (a new inode each, the old one freed); now an
//   unchanged file is left alone, which also keeps its mtime for make-like tools.
// - Creating files is kernel CPU time per file; a few threads use the other cores for it.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <set>
#include <system_error>

#include "hipaa/synth.hpp"
#include "support/parallel.hpp"

namespace hipaa {
namespace {

namespace fs = std::filesystem;

Diagnostic failure(const fs::path& path, const std::string& why) {
  Diagnostic d;
  d.code = "HS4001";
  d.path = path.string();
  d.message = "cannot write " + path.string() + ": " + why;
  d.hint = "check that the output directory is writable";
  return d;
}

// True when `path` is a regular file holding exactly `contents`.
bool holds(const fs::path& path, std::string_view contents) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
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

// Creates or truncates `path` and writes `contents`; returns why it failed, or "" on success.
std::string write_whole(const fs::path& path, std::string_view contents) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return std::strerror(errno);
  std::size_t written = 0;
  std::string why;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      why = std::string("write failed: ") + (n < 0 ? std::strerror(errno) : "no space written");
      break;
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 && why.empty()) why = std::string("write failed: ") + std::strerror(errno);
  return why;
}

fs::path staging_path(const fs::path& final_path) {
  fs::path temporary = final_path;
  temporary += ".tmp-hipaa-synth";
  return temporary;
}

// Up to one thread per core (creating a file is kernel CPU time), but a handful of files is not
// worth starting threads for.
unsigned writer_threads(unsigned jobs, std::size_t files) {
  constexpr std::size_t kFilesPerThread = 64;
  return detail::worker_count(jobs, files / kFilesPerThread);
}

}  // namespace

WriteResult write_files(const std::filesystem::path& directory, const std::vector<OutputFile>& files, unsigned jobs) {
  WriteResult result;
  std::vector<fs::path> final_paths;
  final_paths.reserve(files.size());
  for (const auto& file : files) final_paths.push_back(directory / fs::path(file.path));

  // Directories first, once each (thousands of files share a few), in file order so a failure
  // names the same directory on every run. Those made here are removed again on failure.
  std::vector<fs::path> made;
  auto remove_made = [&] {
    std::error_code ignored;
    for (; !made.empty(); made.pop_back()) fs::remove(made.back(), ignored);  // innermost first; empty only
  };
  std::set<fs::path> directories;
  for (const auto& final_path : final_paths) {
    const fs::path parent = final_path.parent_path();
    if (!directories.insert(parent).second) continue;
    std::vector<fs::path> missing;
    std::error_code ec;
    for (fs::path p = parent; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) missing.push_back(p);
    std::reverse(missing.begin(), missing.end());  // outermost first
    for (const auto& missing_directory : missing) {
      if (!fs::create_directory(missing_directory, ec) && ec) {
        remove_made();
        result.diagnostics.push_back(failure(missing_directory, ec.message()));
        return result;
      }
      made.push_back(missing_directory);
    }
    if (!fs::is_directory(parent, ec)) {
      remove_made();
      result.diagnostics.push_back(failure(parent, "not a directory"));
      return result;
    }
  }

  // Stage every changed file under a temporary name, in parallel.
  std::vector<WriteOutcome> outcomes(files.size(), WriteOutcome::Unchanged);
  std::vector<std::string> errors(files.size());
  detail::for_each_index(files.size(), writer_threads(jobs, files.size()), [&](std::size_t i) {
    if (holds(final_paths[i], files[i].contents)) return;
    outcomes[i] = WriteOutcome::Written;
    errors[i] = write_whole(staging_path(final_paths[i]), files[i].contents);
  });
  auto discard_staged = [&] {
    std::error_code ignored;
    for (std::size_t i = 0; i < files.size(); ++i) {
      if (outcomes[i] == WriteOutcome::Written) fs::remove(staging_path(final_paths[i]), ignored);
    }
    remove_made();
  };
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (errors[i].empty()) continue;
    discard_staged();
    result.diagnostics.push_back(failure(final_paths[i], errors[i]));
    return result;
  }

  // Only when all are complete are they renamed into place, in order (the manifest, last, appears
  // after the files it lists), so a failure leaves no partial output.
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (outcomes[i] == WriteOutcome::Unchanged) continue;
    std::error_code ec;
    fs::rename(staging_path(final_paths[i]), final_paths[i], ec);
    if (ec) {
      discard_staged();
      result.diagnostics.push_back(failure(final_paths[i], ec.message()));
      return result;
    }
  }
  result.outcomes = std::move(outcomes);
  return result;
}

}  // namespace hipaa
