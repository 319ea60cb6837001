#include "hipaa/diagnostic.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace hipaa {

bool has_errors(const Diagnostics& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

std::string format(const Diagnostic& d) {
  std::string out = fmt::format("{} {}", d.severity == Severity::Error ? "error" : "warning", d.code);
  if (!d.path.empty()) out += fmt::format(" at {}", d.path);
  if (const std::string origin =
          to_string(Origin{.file = d.file, .line = d.line, .option = d.option, .preset = d.preset});
      !origin.empty()) {
    out += fmt::format(" ({})", origin);
  }
  out += fmt::format(": {}", d.message);
  if (!d.hint.empty()) out += fmt::format("\n  hint: {}", d.hint);
  return out;
}

DiagnosticError::DiagnosticError(Diagnostics diagnostics) : diagnostics_(std::move(diagnostics)) {
  for (const auto& d : diagnostics_) {
    if (!summary_.empty()) summary_ += '\n';
    summary_ += format(d);
  }
}

}  // namespace hipaa
