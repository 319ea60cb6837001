// Log rules: encryption, retention, and keys CloudWatch Logs can actually use.
#include "hipaa/aws/logs.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

void log_group_encrypted(const Inventory& stack, Reporter& report) {
  each<logs::LogGroup>(stack, [&](const logs::LogGroup& group) {
    if (!group.props().kms_key) report.flag(group, "the log group is not encrypted with a KMS key");
  });
}

// Without a statement for the regional CloudWatch Logs service principal, creating the log group
// fails; the seed stack had exactly this.
bool key_allows_cloudwatch_logs(const kms::Key& key) {
  if (key.props().allow_cloudwatch_logs) return true;
  for (const auto& statement : key.props().policy_statements) {
    if (statement.effect != iam::Effect::Allow) continue;
    for (const auto& principal : statement.principals) {
      if (principal.kind != iam::Principal::Kind::Service) continue;
      for (const auto& identifier : principal.identifiers) {
        if (literal_prefix(identifier).starts_with("logs.")) return true;
      }
    }
  }
  return false;
}

void log_key_usable(const Inventory& stack, Reporter& report) {
  each<logs::LogGroup>(stack, [&](const logs::LogGroup& group) {
    if (group.props().kms_key && !key_allows_cloudwatch_logs(*group.props().kms_key)) {
      report.flag(group, "the policy of key " + group.props().kms_key->path() +
                             " does not let CloudWatch Logs use it, so the log group cannot be created");
    }
  });
}

void log_retention(const Inventory& stack, Reporter& report) {
  each<logs::LogGroup>(stack, [&](const logs::LogGroup& group) {
    if (group.props().retention_days < 365) {
      report.flag(group, "logs are kept " + std::to_string(group.props().retention_days) +
                             " day(s); audit logs should be kept at least a year");
    }
  });
}

// cdk-nag's CloudWatchLogGroupRetentionPeriod: a log group states how long it keeps logs.
// retention_days has no "never expire" value (validation takes only the periods CloudWatch Logs
// offers), so only an override can drop it: a null or a non-positive retention (Terraform's 0
// means "never expire").
void log_retention_explicit(const Inventory& stack, Reporter& report) {
  each<logs::LogGroup>(stack, [&](const logs::LogGroup& group) {
    const Resource::Override* o = find_override(group, "RetentionInDays", "retention_in_days");
    if (o == nullptr) return;
    const auto* whole = o->value.get_if<std::int64_t>();
    const auto* real = o->value.get_if<double>();
    const bool positive = (whole != nullptr && *whole > 0) || (real != nullptr && *real > 0);
    if (!positive) report.flag(group, "override " + o->path + " removes the explicit retention: logs never expire");
  });
}

}  // namespace

const std::vector<Rule>& logging_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-LOGS-1", Severity::Error, kEncryptionAtRest, "Log groups are encrypted with a customer managed KMS key",
       "set kms_key", log_group_encrypted, "CloudWatchLogGroupEncrypted"},
      {"HIPAA-LOGS-2", Severity::Error, kEncryptionAtRest, "The KMS key of a log group lets CloudWatch Logs use it",
       "set allow_cloudwatch_logs on the key (or add a statement for logs.<region>.amazonaws.com)", log_key_usable},
      {"HIPAA-LOGS-3", Severity::Warning, kAuditControls, "Log groups keep logs for at least 365 days",
       "set retention_days to 365 or more", log_retention},
      {"HIPAA-LOGS-4", Severity::Error, kAuditControls, "Log groups have an explicit retention period",
       "remove the override of the retention (retention_days always sets one)", log_retention_explicit,
       "CloudWatchLogGroupRetentionPeriod"},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
