// CloudTrail rules: trails deliver to CloudWatch Logs, encrypt with a customer managed key and sign
// their log files; and a stack that holds data is covered by a multi-region trail that is logging.
#include <algorithm>

#include "hipaa/aws/cloudtrail.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

void trail_to_cloudwatch_logs(const Inventory& stack, Reporter& report) {
  each<cloudtrail::Trail>(stack, [&](const cloudtrail::Trail& trail) {
    if (!trail.props().cloudwatch_log_group) report.flag(trail, "the trail does not deliver to CloudWatch Logs");
  });
}

void trail_encrypted(const Inventory& stack, Reporter& report) {
  each<cloudtrail::Trail>(stack, [&](const cloudtrail::Trail& trail) {
    if (!trail.props().kms_encryption || !trail.props().kms_key) {
      report.flag(trail, "log files are not encrypted with a customer managed KMS key");
    }
  });
}

void trail_log_file_validation(const Inventory& stack, Reporter& report) {
  each<cloudtrail::Trail>(stack, [&](const cloudtrail::Trail& trail) {
    if (!trail.props().enable_log_file_validation) report.flag(trail, "log file validation is off");
  });
}

// One multi-region trail records the whole account's API activity, so a trail in any stack of the
// app covers every stack (they deploy to the same account).
bool app_has_account_trail(const Inventory& stack) {
  return std::ranges::any_of(stack.all_in_app<cloudtrail::Trail>(), [](const cloudtrail::Trail* trail) {
    return trail->props().is_multi_region && trail->props().is_logging;
  });
}

void data_stack_has_trail(const Inventory& stack, Reporter& report) {
  const Resource* data = nullptr;
  for (const Resource* r : stack.resources()) {
    if (r->info().holds_data) {
      data = r;
      break;
    }
  }
  if (data == nullptr || app_has_account_trail(stack)) return;
  report.flag(stack.stack(), "the stack holds data (" + data->path() +
                                 ") but no multi-region CloudTrail trail that is logging records who accesses it; add "
                                 "a cloudtrail::Trail with a bucket and a KMS key that allows CloudTrail");
}

}  // namespace

const std::vector<Rule>& cloudtrail_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-TRAIL-1", Severity::Error, kAuditControls, "CloudTrail trails deliver to CloudWatch Logs",
       "set cloudwatch_log_group", trail_to_cloudwatch_logs, "CloudTrailCloudWatchLogsEnabled"},
      {"HIPAA-TRAIL-2", Severity::Error, kEncryptionAtRest,
       "CloudTrail trails encrypt log files with a customer managed KMS key",
       "set kms_key (a key with allow_cloudtrail) and keep kms_encryption on", trail_encrypted,
       "CloudTrailEncryptionEnabled"},
      {"HIPAA-TRAIL-3", Severity::Error, kIntegrity, "CloudTrail trails validate their log files",
       "set enable_log_file_validation", trail_log_file_validation, "CloudTrailLogFileValidationEnabled"},
      {"HIPAA-TRAIL-4", Severity::Error, kAuditControls,
       "A stack that holds data is covered by a multi-region CloudTrail trail that is logging",
       "add a cloudtrail::Trail (is_multi_region and is_logging on) to the stack or another stack of the app, "
       "or suppress the rule on the stack naming the organization trail that covers the account",
       data_stack_has_trail},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
