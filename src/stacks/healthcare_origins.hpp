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

}  // namespace hipaa
