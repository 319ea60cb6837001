// lambda::Code::from_file and from_directory: the user's files packaged into a deterministic zip
// (support/archive.cpp writes it) when the Code is made. Nothing here throws: a problem is kept in
// the package and reported by Function::validate as HS2011 at the line of the call.
#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <vector>

#include "hipaa/aws/lambda.hpp"
#include "support/archive.hpp"

namespace hipaa::lambda {
namespace {

namespace fs = std::filesystem;

// Links followed inside one directory before giving up: more means a loop through links.
constexpr int kMaxDepth = 64;

struct Collected {
  std::vector<detail::ZipEntry> entries;
  std::vector<fs::path> files;  // what each entry is read from
  std::size_t bytes = 0;
  std::string problem;
};

// Lambda runs a file only when its executable bit is set (a custom runtime's bootstrap, a
// script); every other bit is the machine's, so the mode is 0755 or 0644, nothing else.
std::uint32_t normalized_mode(const fs::file_status& status) {
  const auto exec = fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec;
  return (status.permissions() & exec) != fs::perms::none ? 0755U : 0644U;
}

std::string quoted(const fs::path& p) { return "'" + p.generic_string() + "'"; }

bool is_within(const fs::path& inner, const fs::path& outer) {
  const auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return o == outer.end();
}

void add_file(Collected& out, std::string name, const fs::path& file, const fs::file_status& status) {
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(file, ec);
  if (ec) {
    out.problem = "cannot be read: " + quoted(file) + ": " + ec.message();
    return;
  }
  out.entries.push_back({std::move(name), {}, normalized_mode(status)});
  out.files.push_back(file);
  out.bytes += static_cast<std::size_t>(size);
}

// Walks `directory` (canonical, inside `root`), naming entries `prefix` + their name. A link is
// followed to what it names, which must lie inside `root`; `depth` stops a loop of links.
void walk(const fs::path& root, const fs::path& directory, const std::string& prefix, int depth, Collected& out) {
  if (depth > kMaxDepth) {
    out.problem = "has symbolic links that lead into a loop at " + quoted(directory);
    return;
  }
  std::error_code ec;
  std::vector<fs::directory_entry> children;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) children.push_back(*it);
  if (ec) {
    out.problem = "cannot be read: " + quoted(directory) + ": " + ec.message();
    return;
  }
  for (const auto& child : children) {
    if (!out.problem.empty()) return;
    const std::string name = prefix + child.path().filename().string();
    fs::path target = child.path();
    if (child.is_symlink(ec)) {
      target = fs::canonical(child.path(), ec);
      if (ec) {
        out.problem = "has a symbolic link that leads nowhere: " + quoted(child.path());
        return;
      }
      if (!is_within(target, root)) {
        out.problem = "has a symbolic link that leads out of it: " + quoted(child.path()) + " -> " + quoted(target);
        return;
      }
    }
    const fs::file_status status = fs::status(target, ec);
    if (fs::is_directory(status)) {
      if (target != child.path() && is_within(directory, target)) {
        out.problem = "has a symbolic link into a loop: " + quoted(child.path()) + " -> " + quoted(target);
        return;
      }
      walk(root, target, name + "/", depth + 1, out);
    } else if (fs::is_regular_file(status)) {
      add_file(out, name, target, status);
    } else {
      out.problem = "holds " + quoted(child.path()) + ", which is neither a regular file nor a directory";
      return;
    }
  }
}

// Reads every collected file, unless they are over Lambda's unzipped quota (checked first, from
// their sizes, so a huge tree is not read at all).
void read_files(Collected& out) {
  if (out.bytes > Function::kMaxUnzippedBytes) {
    out.problem = "is " + std::to_string(out.bytes) + " bytes unzipped; Lambda accepts at most " +
                  std::to_string(Function::kMaxUnzippedBytes) + " (250 MB)";
    return;
  }
  for (std::size_t i = 0; i < out.entries.size(); ++i) {
    std::ifstream in(out.files[i], std::ios::binary);
    std::ostringstream text;
    if (in) text << in.rdbuf();
    if (!in || in.bad()) {
      out.problem = "cannot be read: " + quoted(out.files[i]);
      return;
    }
    out.entries[i].contents = std::move(text).str();
  }
}

std::shared_ptr<const Code::Package> package_files(const std::string& path, SourceLocation where, bool directory) {
  auto result = std::make_shared<Code::Package>();
  result->path = path;
  result->where = where;
  Collected collected;
  try {
    std::error_code ec;
    const fs::path given(path);
    const fs::file_status status = fs::status(given, ec);
    if (path.empty() || !fs::exists(status)) {
      collected.problem = "does not exist";
    } else if (directory && !fs::is_directory(status)) {
      collected.problem = "is not a directory (Code::from_file packages one file)";
    } else if (!directory && !fs::is_regular_file(status)) {
      collected.problem =
          fs::is_directory(status) ? "is a directory (Code::from_directory packages one)" : "is not a regular file";
    } else if (directory) {
      const fs::path root = fs::canonical(given, ec);
      if (ec) {
        collected.problem = "cannot be read: " + ec.message();
      } else {
        walk(root, root, "", 0, collected);
        if (collected.problem.empty() && collected.entries.empty()) {
          collected.problem = "holds no files";
        }
      }
    } else {
      add_file(collected, given.filename().string(), given, status);
    }
    if (collected.problem.empty()) read_files(collected);
    if (collected.problem.empty()) {
      // Byte order of the names, as the zip's bytes must not depend on the file system's order.
      std::vector<std::size_t> order(collected.entries.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::sort(order.begin(), order.end(),
                [&](std::size_t a, std::size_t b) { return collected.entries[a].name < collected.entries[b].name; });
      std::vector<detail::ZipEntry> sorted;
      sorted.reserve(order.size());
      for (const std::size_t i : order) sorted.push_back(std::move(collected.entries[i]));
      result->unzipped_bytes = collected.bytes;
      result->zip = detail::make_zip(sorted);
    }
  } catch (const std::exception& e) {  // more files or bytes than a zip without zip64 holds; memory
    collected.problem = std::string("cannot be packaged: ") + e.what();
  }
  result->problem = std::move(collected.problem);
  if (!result->problem.empty()) result->zip.clear();
  return result;
}

}  // namespace

Code Code::from_file(const std::string& path, SourceLocation where) {
  Code code;
  code.package = package_files(path, where, false);
  return code;
}

Code Code::from_directory(const std::string& path, SourceLocation where) {
  Code code;
  code.package = package_files(path, where, true);
  return code;
}

}  // namespace hipaa::lambda
