// The healthcare stack's options checked against their own limits before anything is built into
// a template: what synth accepts here is what the emitted EnvironmentSuffix parameter accepts (both
// read stacks/options_schema's TextLimits), and every name derived from an accepted prefix and
// suffix is one AWS accepts. Each error names the option, its value, its limit and where it was
// set (the config file's line, the program's line, or the preset).
#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "hipaa/healthcare.hpp"
#include "stacks/healthcare_origins.hpp"
#include "stacks/options_schema.hpp"
#include "validate/checks.hpp"

namespace hipaa {
namespace {

// HS2007 problems: (option, message, hint).
struct OptionProblem {
  std::string option;
  std::string code;
  std::string message;
  std::string hint;
};
using OptionProblems = std::vector<OptionProblem>;

void check_text(OptionProblems& out, const std::string& option, const std::string& value,
                const detail::TextLimits& limits, std::string_view why = {}) {
  if (detail::within(limits, value)) return;
  out.push_back({option, "HS2007", fmt::format("'{}' is '{}'; it must be {}", option, value, limits.description),
                 why.empty() ? std::string() : std::string(why)});
}

void check_names(OptionProblems& out, const HealthcareOptions& o) {
  check_text(out, "name_prefix", o.name_prefix, detail::name_prefix_limits(), detail::kNameBudgetReason);
  check_text(out, "environment_suffix", o.environment_suffix, detail::environment_suffix_limits(o.name_prefix),
             detail::kNameBudgetReason);
  check_text(out, "database.database_name", o.database.database_name, detail::database_identifier_limits());
  check_text(out, "database.master_username", o.database.master_username, detail::database_identifier_limits());
}

// A number below or above its limits (stacks/options_schema's NumberLimits).
template <class Number>
void check_number(OptionProblems& out, const std::string& option, Number value, const detail::NumberLimits& limits) {
  if (limits.minimum && value < *limits.minimum) {
    out.push_back(
        {option, "HS2007", fmt::format("'{}' is {}; it must be {} or more", option, value, *limits.minimum), ""});
  }
  if (limits.maximum && value > *limits.maximum) {
    out.push_back(
        {option, "HS2007", fmt::format("'{}' is {}; it must be {} or less", option, value, *limits.maximum), ""});
  }
}

void check_api(OptionProblems& out, const HealthcareOptions::Api& a) {
  check_number(out, "api.throttling_burst_limit", a.throttling_burst_limit, detail::kThrottlingLimits);
  check_number(out, "api.throttling_rate_limit", a.throttling_rate_limit, detail::kThrottlingLimits);
  const auto methods = detail::route_methods();
  std::string known;
  for (std::string_view m : methods) known += fmt::format("{}{}", known.empty() ? "" : ", ", m);
  for (std::size_t i = 0; i < a.routes.size(); ++i) {
    const auto& route = a.routes[i];
    if (std::ranges::find(methods, route.method) == methods.end()) {
      out.push_back({"api.routes", "HS2007",
                     fmt::format("'api.routes[{}].method' is '{}'; it must be one of {}", i, route.method, known), ""});
    }
    if (!route.path.starts_with(detail::kRoutePathStart)) {
      out.push_back({"api.routes", "HS2007",
                     fmt::format("'api.routes[{}].path' is '{}'; it must start with '{}'", i, route.path,
                                 detail::kRoutePathStart),
                     ""});
    }
  }
}

}  // namespace

void HealthcareStack::validate(Diagnostics& out) const {
  OptionProblems problems;
  check_names(problems, options_);
  check_api(problems, options_.api);
  // The stack's region and backend come from the options of the same names (stack_props).
  for (auto& p : detail::stack_setting_problems(props())) {
    problems.push_back({std::move(p.setting), std::move(p.code), std::move(p.message), std::move(p.hint)});
  }
  for (auto& p : problems) {
    Origin origin = detail::option_origin(options_, created_at(), p.option, {});
    out.push_back(Diagnostic{.code = std::move(p.code),
                             .severity = Severity::Error,
                             .path = path(),
                             .file = std::move(origin.file),
                             .line = origin.line,
                             .message = std::move(p.message),
                             .hint = std::move(p.hint),
                             .option = std::move(origin.option),
                             .preset = std::move(origin.preset)});
  }
}

}  // namespace hipaa
