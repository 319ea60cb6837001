// Internal: which option of a HealthcareStack each of its problems comes from (see
// healthcare_origins.cpp for how it is worked out).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "hipaa/healthcare.hpp"

namespace hipaa {

struct HealthcareStack::Blame {
  std::once_flag once;
  // (rule id or diagnostic code, construct path) -> the option ("database.deletion_protection")
  std::map<std::pair<std::string, std::string>, std::string, std::less<>> options;
};

namespace detail {

// Where option `option` ("database.database_name") of a stack built from `options` was set: the
// config file's line for its key (else the nearest enclosing key, else the `preset:` line),
// or the program's line `where` that added the stack, or the preset. `part` is the options
// section to point at when `option` is empty.
[[nodiscard]] Origin option_origin(const HealthcareOptions& options, const SourceLocation& where,
                                   const std::string& option, std::string_view part);

}  // namespace detail
}  // namespace hipaa
