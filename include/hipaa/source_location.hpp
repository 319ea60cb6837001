// hipaa/source_location.hpp: where in the user's code a construct was created.
//
//   void add(std::string id, SourceLocation where = SourceLocation::current());
//   // where.file_name(), where.line() name the caller's line
//
// SourceLocation would do, but clang 14 cannot compile libstdc++ 12's <source_location>;
// the builtins below are what it is made of on both compilers.
#pragma once

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

}  // namespace hipaa
