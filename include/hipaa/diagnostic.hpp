// hipaa/diagnostic.hpp: the one type for every problem synthesis can find.
//
// Validation collects every problem before reporting (as the CDK's validation phase does); the
// library never prints or exits, the CLI does.
//
//   Diagnostics found = validate(app);
//   for (const Diagnostic& d : found) std::cerr << format(d) << '\n';
//   if (has_errors(found)) return 1;
#pragma once

#include <exception>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hipaa/source_location.hpp"

namespace hipaa {

enum class Severity { Error, Warning };

struct Diagnostic {
  std::string code;  // stable, e.g. "HS1001"; tests and docs refer to it
  Severity severity = Severity::Error;
  std::string path;  // construct path, e.g. "HealthcareStack/Database"
  // Where the offending value was set (Construct::origin): the user's C++ file and line, or their
  // config file and the line of the key; empty when no file of theirs set it.
  std::string file;
  unsigned line = 0;
  std::string message;
  std::string hint;
  std::string option;  // the HealthcareStack option behind it, when known: "name_prefix"
  std::string preset;  // the preset whose value it is, when no line of `file` set it
};

using Diagnostics = std::vector<Diagnostic>;

// What a diagnostic code means: every code is listed once, with its explanation, in
// `diagnostic_codes()` (and docs/diagnostics.md, generated from it).
struct DiagnosticCode {
  std::string_view code;         // "HS2003"
  std::string_view title;        // "Name AWS would reject"
  std::string_view explanation;  // when it is reported and what to do
};

[[nodiscard]] std::span<const DiagnosticCode> diagnostic_codes();
// The entry of `code`, or nullptr.
[[nodiscard]] const DiagnosticCode* find_diagnostic_code(std::string_view code);

[[nodiscard]] bool has_errors(const Diagnostics& diagnostics);

// "error HS1001 at HealthcareStack/Vpc (stack.cpp:12): message\n  hint: ..."; the parentheses
// hold to_string(Origin): "(stack.yaml:7, network.vpc_cidr)", "(preset hardened)".
[[nodiscard]] std::string format(const Diagnostic& diagnostic);

// Thrown only by the CLI layer and the config reader to carry diagnostics out of deep code;
// the library's synthesis API returns diagnostics instead.
class DiagnosticError : public std::exception {
 public:
  explicit DiagnosticError(Diagnostics diagnostics);
  [[nodiscard]] const char* what() const noexcept override { return summary_.c_str(); }
  [[nodiscard]] const Diagnostics& diagnostics() const { return diagnostics_; }

 private:
  Diagnostics diagnostics_;
  std::string summary_;
};

}  // namespace hipaa
