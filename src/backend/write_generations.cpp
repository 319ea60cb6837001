// write_generations: the atomic layout (WriteOptions::atomic, --atomic). DIR is a symbolic link
// to a complete generation directory, <DIR>.generations/<N>; a run writes generation N+1 in full
// and then replaces the link in one rename(2). POSIX has no atomic rename of many files, but it
// has one of a single name, so every lookup through DIR, at every instant and after a kill -9 at
// any point, finds one whole set matching its manifest: the old one or the new one.
//
// The steps, and what a kill at each leaves (DIR always names a whole generation):
//  1. Check DIR: absent, or a link this layout made (target "<name>.generations/<N>", relative,
//     so moving the parent keeps it working). A real directory or any other link is an error:
//     a user's directory is never replaced, let alone deleted.
//  2. Lock <DIR>.generations/.hipaa-synth.lock (the default layout's lock, with its --no-wait),
//     and check DIR again, now that no other run can change it.
//  3. Remove every generation but the one DIR points to (a killed run's partial one, or the
//     previous one of a run killed after its rename), and, after a killed run, its staged link.
//  4. If the current generation holds exactly these files with these bytes: done, untouched.
//  5. Write generation N+1 (N the highest present). A file with the same bytes in the current
//     generation is a hard link to it: creating inodes is what writing many small files costs
//     (docs/performance.md has the measurement), and the file keeps its mtime. A failure removes
//     the partial generation; DIR is untouched.
//  6. Make the link <DIR>.hipaa-synth-<pid>.link -> <name>.generations/<N+1> beside DIR and
//     rename it over DIR: the one step where the output changes.
//  7. Remove the previous generation; unlock.
// Nothing is fsync'ed, as in the default layout: the guarantee is against killed processes and
// concurrent readers, not against a power loss, after which the rename may have reached the
// disk before the files did.
//
// A reader that looks DIR up once (cd -P, realpath, an open directory) reads one generation
// throughout; one that looks up DIR/<file> again for each file may cross a flip between two
// lookups. The previous generation is removed right after the flip, so a reader still inside it
// finds its files gone, never another set's.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <optional>
#include <system_error>

#include "backend/write_support.hpp"
#include "support/parallel.hpp"

namespace hipaa::detail {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kGenerationsSuffix = ".generations";
constexpr std::string_view kStagedLinkSuffix = ".link";

// Where the layout's names go, from the DIR given.
struct Layout {
  fs::path link;         // DIR, without trailing separators
  std::string name;      // its last component
  fs::path generations;  // <DIR>.generations, beside DIR
};

// DIR's generation number from its link target, when the target is "<name>.generations/<N>".
std::optional<std::uint64_t> generation_number(const std::string& name) {
  constexpr std::size_t kMaxDigits = 18;  // fits in 64 bits
  if (name.empty() || name.size() > kMaxDigits) return std::nullopt;
  std::uint64_t number = 0;
  const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), number);
  if (error != std::errc{} || end != name.data() + name.size()) return std::nullopt;
  return number;
}

Diagnostic not_ours(const Layout& layout, const std::string& what) {
  Diagnostic d = write_failure(layout.link, what + "; --atomic makes " + layout.link.string() +
                                                " a symbolic link to a generation in " + layout.generations.string() +
                                                "/ and replaces nothing else");
  d.hint = "move it away or write to another path with --atomic, or leave out --atomic";
  return d;
}

// The generation DIR points to now: nullopt in `current` when DIR is absent; an error when DIR is
// something this layout did not make.
std::optional<Diagnostic> current_generation(const Layout& layout, std::optional<std::uint64_t>& current) {
  current.reset();
  struct stat status {};
  if (::lstat(layout.link.c_str(), &status) != 0) {
    return errno == ENOENT ? std::nullopt : std::optional(write_failure(layout.link, last_error()));
  }
  if (S_ISDIR(status.st_mode)) return not_ours(layout, "a directory, not a link");
  if (!S_ISLNK(status.st_mode)) return not_ours(layout, "not a directory or a link");
  std::error_code ec;
  const std::string target = fs::read_symlink(layout.link, ec).string();
  if (ec) return write_failure(layout.link, "cannot read the link: " + ec.message());
  const std::string prefix = layout.name + std::string(kGenerationsSuffix) + "/";
  if (target.starts_with(prefix)) current = generation_number(target.substr(prefix.size()));
  if (!current) return not_ours(layout, "a symbolic link to " + target + ", not to a generation");
  return std::nullopt;
}

// The generations DIR's parent holds, and the staged links of killed runs there.
std::optional<Diagnostic> layout_of(const fs::path& directory, Layout& layout) {
  layout.link = directory;
  while (!layout.link.has_filename() && layout.link.has_relative_path()) layout.link = layout.link.parent_path();
  layout.name = layout.link.filename().string();
  if (layout.name.empty() || layout.name == "." || layout.name == "..") {
    return write_failure(directory, "--atomic needs a path that ends in a name, the link it makes");
  }
  layout.generations = layout.link.parent_path() / (layout.name + std::string(kGenerationsSuffix));
  return std::nullopt;
}

fs::path staged_link(const Layout& layout, const std::string& pid) {
  return layout.link.parent_path() / (layout.name + std::string(kStagingMark) + pid + std::string(kStagedLinkSuffix));
}

// Step 3: removes every generation but `current`; returns the highest number seen.
std::uint64_t remove_stray_generations(const Layout& layout, std::optional<std::uint64_t> current) {
  std::uint64_t highest = current.value_or(0);
  std::vector<fs::path> strays;
  std::error_code ec;
  for (fs::directory_iterator it(layout.generations, ec), end; !ec && it != end; it.increment(ec)) {
    const std::optional<std::uint64_t> number = generation_number(it->path().filename().string());
    if (!number) continue;  // the lock file, or something that is not ours
    highest = std::max(highest, *number);
    if (number != current) strays.push_back(it->path());
  }
  for (const auto& stray : strays) fs::remove_all(stray, ec);
  return highest;
}

// Step 3, after a killed run: its staged link beside DIR.
void remove_stray_links(const Layout& layout) {
  const std::string prefix = layout.name + std::string(kStagingMark);
  const fs::path parent = layout.link.parent_path().empty() ? fs::path(".") : layout.link.parent_path();
  std::error_code ec;
  std::vector<fs::path> strays;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with(prefix) && name.ends_with(kStagedLinkSuffix) && it->is_symlink(ec))
      strays.push_back(it->path());
  }
  for (const auto& stray : strays) ::unlink(stray.c_str());
}

// Step 4: true when `generation` holds exactly `count` files (and every one of them was found
// to hold its bytes), so a new generation would be the same.
bool holds_only(const fs::path& generation, std::size_t count) {
  std::error_code ec;
  std::size_t files = 0;
  for (fs::recursive_directory_iterator it(generation, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->symlink_status(ec).type() != fs::file_type::directory) ++files;
  }
  return !ec && files == count;
}

// Step 5: every file into the new generation, in parallel; a hard link where `same` says the
// current generation holds its bytes (a new file if linking fails).
std::optional<Diagnostic> fill(const fs::path& generation, const fs::path& current,
                               const std::vector<OutputFile>& files, const std::vector<char>& same, unsigned threads,
                               std::vector<WriteOutcome>& outcomes) {
  std::vector<std::string> made;  // the generation is new: every directory is made, none undone
  if (auto problem = make_directories(generation, files, made)) return problem;
  std::vector<std::optional<Diagnostic>> problems(files.size());
  for_each_index(files.size(), threads, [&](std::size_t i) {
    const fs::path path = generation / files[i].path;
    if (same[i] != 0 && ::link((current / files[i].path).c_str(), path.c_str()) == 0) return;
    outcomes[i] = WriteOutcome::Written;
    if (std::string why = write_new(path, files[i].contents); !why.empty()) problems[i] = write_failure(path, why);
  });
  for (auto& problem : problems) {
    if (problem) return problem;
  }
  return std::nullopt;
}

// Step 6: points DIR at `generation` in one rename.
std::optional<Diagnostic> flip(const Layout& layout, std::uint64_t generation) {
  const fs::path staged = staged_link(layout, std::to_string(::getpid()));
  const std::string target = layout.name + std::string(kGenerationsSuffix) + "/" + std::to_string(generation);
  ::unlink(staged.c_str());  // a killed run's with this pid, not yet swept
  if (::symlink(target.c_str(), staged.c_str()) != 0) return write_failure(staged, last_error());
  if (::rename(staged.c_str(), layout.link.c_str()) != 0) {
    Diagnostic problem = write_failure(layout.link, last_error());
    ::unlink(staged.c_str());
    return problem;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Diagnostic> refuse_generation_link(const fs::path& directory) {
  Layout layout;
  std::optional<std::uint64_t> current;
  if (layout_of(directory, layout) || current_generation(layout, current) || !current) return std::nullopt;
  Diagnostic d = write_failure(layout.link, "a link to generation " + std::to_string(*current) +
                                                " of the --atomic layout; without --atomic this run would "
                                                "write into that generation in place");
  d.hint = "give --atomic (WriteOptions::atomic) for this directory";
  return d;
}

WriteResult write_generation(const fs::path& directory, const std::vector<OutputFile>& files,
                             const WriteOptions& options) {
  WriteResult result;
  const auto fail = [&](Diagnostic problem) {
    result.diagnostics.push_back(std::move(problem));
    return result;
  };
  Layout layout;
  std::optional<std::uint64_t> current;
  // Before anything is made: refusing DIR leaves no <DIR>.generations behind.
  if (auto problem = layout_of(directory, layout)) return fail(*problem);
  if (auto problem = current_generation(layout, current)) return fail(*problem);
  std::error_code ec;
  fs::create_directories(layout.generations, ec);
  if (ec) return fail(write_failure(layout.generations, ec.message()));

  DirectoryLock lock;
  if (auto problem = lock.acquire(layout.link, layout.generations / kLockFile, options.wait)) return fail(*problem);
  if (auto problem = current_generation(layout, current)) return fail(*problem);  // as the last run left it
  const std::uint64_t highest = remove_stray_generations(layout, current);
  if (lock.previous_run_died()) remove_stray_links(layout);

  const std::vector<OutputFile> ordered = manifest_last(files);
  const unsigned threads = writer_threads(options.jobs, ordered.size());
  const fs::path current_path = current ? layout.generations / std::to_string(*current) : fs::path();
  std::vector<char> same(ordered.size(), 0);  // not vector<bool>: each thread writes its own byte
  if (current) {
    for_each_index(ordered.size(), threads, [&](std::size_t i) {
      same[i] = inside(ordered[i].path) && holds(current_path / ordered[i].path, ordered[i].contents) ? 1 : 0;
    });
  }
  std::vector<WriteOutcome> outcomes(ordered.size(), WriteOutcome::Unchanged);
  const bool unchanged = current && std::all_of(same.begin(), same.end(), [](char s) { return s != 0; }) &&
                         holds_only(current_path, ordered.size());
  if (!unchanged) {
    const std::uint64_t next = highest + 1;
    const fs::path generation = layout.generations / std::to_string(next);
    if (::mkdir(generation.c_str(), 0755) != 0) return fail(write_failure(generation, last_error()));
    std::optional<Diagnostic> problem = fill(generation, current_path, ordered, same, threads, outcomes);
    if (!problem) problem = flip(layout, next);
    if (problem) {
      fs::remove_all(generation, ec);
      return fail(*problem);
    }
    if (current) fs::remove_all(current_path, ec);  // a failure here is swept by the next run
  }
  result.outcomes = in_given_order(files, outcomes);
  return result;
}

}  // namespace hipaa::detail
