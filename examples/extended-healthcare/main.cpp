// The built-in healthcare stack, extended: one option changed, one extra resource, and one rule
// suppressed with its reason. Gets the whole hipaa-synth command line through cli::run.
//   extended-healthcare --target cfn | check | -o out/ --check
#include "hipaa/aws/kms.hpp"
#include "hipaa/aws/logs.hpp"
#include "hipaa/cli.hpp"
#include "hipaa/healthcare.hpp"

int main(int argc, char** argv) {
  using namespace hipaa;

  auto options = HealthcareOptions::preset(Preset::Hardened);
  options.environment_suffix = "prod";
  options.log_retention_days = 2557;  // changed option: keep audit logs seven years

  App app;
  auto& stack = app.add<HealthcareStack>("PatientRecords", options);

  // An extra resource: a log group for the partner integration's debug output, on its own key.
  auto& key = stack.add<kms::Key>("PartnerLogsKey",
                                  {.description = "Partner integration debug logs", .allow_cloudwatch_logs = true});
  auto& debug = stack.add<logs::LogGroup>("PartnerDebugLogs",
                                          {.log_group_name = "/partner/debug", .retention_days = 30, .kms_key = key});
  // A suppressed rule, with the reason a reviewer will read in the report and the template.
  debug.suppress("HIPAA-LOGS-3", "debug output carries no PHI; the retention policy for it is 30 days");

  return cli::run(argc, argv, app);
}
