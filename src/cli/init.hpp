// Internal: `hipaa-synth init [DIR] [--name NAME]`, a new stack project (CMakeLists.txt using
// find_package, a main.cpp whose stack passes the HIPAA rules, a .gitignore and a README).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hipaa/diagnostic.hpp"

namespace hipaa::cli::scaffold {

// The project's files, NAME and the library's version filled in; relative path -> contents.
struct ProjectFile {
  std::string_view path;
  std::string contents;
};
[[nodiscard]] std::vector<ProjectFile> project_files(std::string_view name, std::string_view version);

// Why `name` cannot name the project (a CMake project and executable), or "" when it can.
[[nodiscard]] std::string project_name_problem(std::string_view name);

// DIR's own name ("records" for "work/records/"), the default project name.
[[nodiscard]] std::string default_project_name(const std::string& dir);

// Writes the project to `dir` all at once: a new DIR (and its missing parents) is staged beside it
// and renamed into place; in an empty DIR (perhaps the working directory, which must stay) the
// files are staged under hidden names and renamed once all are written. A failure leaves nothing.
// `name` empty: DIR's own name. Refuses a DIR that exists and is not an empty directory.
[[nodiscard]] Diagnostics init_project(const std::string& dir, std::string name, std::string_view version);

}  // namespace hipaa::cli::scaffold
