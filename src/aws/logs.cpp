#include "hipaa/aws/logs.hpp"

#include <algorithm>
#include <array>

#include "aws/grants.hpp"
#include "validate/checks.hpp"

namespace hipaa::logs {

bool is_valid_retention(int days) {
  static constexpr std::array<int, 22> kAllowed = {1,   3,   5,   7,   14,   30,   60,   90,   120,  150,  180,
                                                   365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};
  return std::find(kAllowed.begin(), kAllowed.end(), days) != kAllowed.end();
}

void LogGroup::lower(Lowering& l) const {
  const auto& p = props();
  auto& group = l.add(*this);
  group.properties()
      .set({"LogGroupName", "name"}, p.log_group_name)
      .set({"RetentionInDays", "retention_in_days"}, p.retention_days)
      .set({"KmsKeyId", "kms_key_id"}, p.kms_key ? p.kms_key->arn() : Value());
  group.tags(p.tags);
  group.removal_policy(removal_policy().value_or(RemovalPolicy::Retain));
}

void LogGroup::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.name(props().log_group_name, "log_group_name", 512, detail::is_log_group_char, "A-Z a-z 0-9 _/.#-");
  if (removal_policy() == RemovalPolicy::Snapshot) {
    check.error("HS2004", "a log group has no snapshots: its removal policy is Retain (the default) or Delete");
  }
  if (!is_valid_retention(props().retention_days)) {
    check.error(
        "HS2004",
        "'retention_days' is " + std::to_string(props().retention_days) + ", which CloudWatch Logs does not accept",
        "use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, "
        "1096, 1827, 2192, 2557, 2922, 3288, 3653");
  }
}

void LogGroup::grant_write(const iam::Grantee& grantee) const {
  grantee.add_to_policy(
      iam::allow({"logs:CreateLogStream", "logs:PutLogEvents"}).id("WriteLogsTo" + logical_id()).on(streams_arn()),
      path() + " grant_write");
}

}  // namespace hipaa::logs
