// The built-in healthcare stack checked against an organization's own rule as well as the HIPAA
// rules: the rule takes part in `check` (text, JSON, SARIF), `rules`, suppressions and the
// compliance gate of synthesis, exactly as the built-in rules do.
//   custom-rules rules | check | --target cfn
#include <string>

#include "hipaa/aws/logs.hpp"
#include "hipaa/cli.hpp"
#include "hipaa/healthcare.hpp"
#include "hipaa/rules.hpp"

namespace {

// HIPAA requires policies and their documentation to be kept six years; this organization keeps
// every log that long too.
constexpr int kSixYears = 2192;  // days

hipaa::rules::Rule six_year_log_retention() {
  return {.id = "ORG-LOGS-1",
          .severity = hipaa::Severity::Error,
          .citation = "Records retention policy 4.2",
          .title = "Log groups keep logs for six years",
          .remediation = "set retention_days to 2192 or more",
          .check = [](const hipaa::rules::Inventory& stack, hipaa::rules::Reporter& report) {
            for (const auto* group : stack.all<hipaa::logs::LogGroup>()) {
              const int days = group->props().retention_days;
              if (days < kSixYears) report.flag(*group, "keeps logs " + std::to_string(days) + " days");
            }
          }};
}

}  // namespace

int main(int argc, char** argv) {
  using namespace hipaa;
  auto options = HealthcareOptions::preset(Preset::Hardened);
  options.environment_suffix = "prod";
  options.log_retention_days = kSixYears;  // what the rule asks for

  App app;
  app.add<HealthcareStack>("PatientRecords", options);

  rules::RuleSet rules = rules::RuleSet::hipaa();
  rules.add(six_year_log_retention());
  return cli::run(argc, argv, app, rules);
}
