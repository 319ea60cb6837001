// hipaa/source_location.hpp: where in the user's code a construct was created, and where the value
// behind a finding or a diagnostic was set.
//
//   void add(std::string id, SourceLocation where = SourceLocation::current());
//   // where.file_name(), where.line() name the caller's line
//   Origin origin = construct.origin("HIPAA-RDS-6");  // origin.file, origin.line, origin.option
//
// SourceLocation would do, but clang 14 cannot compile libstdc++ 12's <source_location>;
// the builtins below are what it is made of on both compilers.
#pragma once

#include <string>

namespace hipaa {

class SourceLocation {
 public:
  constexpr SourceLocation() = default;

  [[nodiscard]] static constexpr SourceLocation current(const char* file = __builtin_FILE(),
                                                        unsigned line = __builtin_LINE()) noexcept {
    SourceLocation where;
    where.file_ = file;
    where.line_ = line;
    return where;
  }

  [[nodiscard]] constexpr const char* file_name() const noexcept { return file_; }
  [[nodiscard]] constexpr unsigned line() const noexcept { return line_; }

 private:
  const char* file_ = "";
  unsigned line_ = 0;
};

// Where the value behind a finding or a diagnostic was set, in the user's terms: a line of their
// C++ program, or the line of their --config file that set the option, and the option itself.
struct Origin {
  // The user's C++ source file (as their compiler named it) or config file (as they named it);
  // empty when nothing of theirs set the value (the built-in stack's preset did).
  std::string file;
  unsigned line = 0;  // 1-based line in `file`; 0 when unknown
  // The HealthcareStack option the value comes from, when known: "database.deletion_protection".
  std::string option;
  // The preset whose value it is, when no line of `file` set it: "processing".
  std::string preset;
};

// "stack.yaml:7, database.deletion_protection", "main.cpp:12", "preset hardened"; empty when
// nothing is known.
[[nodiscard]] std::string to_string(const Origin& origin);

}  // namespace hipaa
