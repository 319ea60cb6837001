// Internal: what rule files share (defined in rule_support.cpp). Each service file (network.cpp,
// rds.cpp, ...) defines its rules as a table and returns it from one function; engine.cpp
// concatenates the tables in a fixed order. Adding a rule is a check function and one table entry in its area file,
// plus a failing and a passing fixture in tests/test_rules.cpp.
#pragma once

#include <string>
#include <vector>

#include "hipaa/aws/iam.hpp"
#include "hipaa/rules.hpp"

namespace hipaa::backup {
class Selection;
}  // namespace hipaa::backup

namespace hipaa::rules::detail {

// Calls `visit` for every resource of type T in the stack, in stack order.
template <class T, class F>
void each(const Inventory& stack, F&& visit) {
  for (const T* r : stack.all<T>()) visit(*r);
}

template <class T>
[[nodiscard]] std::vector<const T*> all(const Inventory& stack) {
  return stack.all<T>();
}

// The literal text a value starts with ("logs." for interpolate({"logs.", region(), ...})).
[[nodiscard]] std::string literal_prefix(const Value& value);

// One table per service file, in the order engine.cpp concatenates them.
[[nodiscard]] const std::vector<Rule>& network_rules();         // network.cpp
[[nodiscard]] const std::vector<Rule>& kms_rules();             // kms.cpp
[[nodiscard]] const std::vector<Rule>& rds_rules();             // rds.cpp
[[nodiscard]] const std::vector<Rule>& elasticache_rules();     // elasticache.cpp
[[nodiscard]] const std::vector<Rule>& secretsmanager_rules();  // secretsmanager.cpp
[[nodiscard]] const std::vector<Rule>& logging_rules();         // logging.cpp
[[nodiscard]] const std::vector<Rule>& api_rules();             // api.cpp
[[nodiscard]] const std::vector<Rule>& lambda_rules();          // lambda.cpp
[[nodiscard]] const std::vector<Rule>& iam_rules();             // iam.cpp
[[nodiscard]] const std::vector<Rule>& literal_secret_rules();  // credentials.cpp
[[nodiscard]] const std::vector<Rule>& s3_rules();              // s3.cpp
[[nodiscard]] const std::vector<Rule>& cloudtrail_rules();      // cloudtrail.cpp
[[nodiscard]] const std::vector<Rule>& sqs_rules();             // sqs.cpp
[[nodiscard]] const std::vector<Rule>& sns_rules();             // sns.cpp
[[nodiscard]] const std::vector<Rule>& cloudwatch_rules();      // cloudwatch.cpp
[[nodiscard]] const std::vector<Rule>& waf_rules();             // wafv2.cpp
[[nodiscard]] const std::vector<Rule>& cognito_rules();         // cognito.cpp
[[nodiscard]] const std::vector<Rule>& dynamodb_rules();        // dynamodb.cpp
[[nodiscard]] const std::vector<Rule>& backup_rules();          // backup.cpp
// HIPAA-RDS-10 (cdk-nag's RDSInBackupPlan, at the cluster for Aurora), rds.cpp; listed after the
// backup rules, where it was added.
[[nodiscard]] const std::vector<Rule>& database_backup_rules();
// HIPAA-LAMBDA-4 (cdk-nag's LambdaDLQ), lambda.cpp; listed last, where it was added.
[[nodiscard]] const std::vector<Rule>& lambda_dead_letter_rules();

// ASCII case-insensitive equality (IAM action names).
[[nodiscard]] bool iequals(std::string_view a, std::string_view b);
// Whether `value` is the literal string `text`.
[[nodiscard]] bool is_text(const Value& value, std::string_view text);
// A statement that denies `action` (or everything of its service, or "*") to every principal
// when aws:SecureTransport is false: what cdk-nag's SQS4 and SNS3 look for in a resource policy.
[[nodiscard]] bool denies_without_tls(const iam::PolicyDocument& policy, std::string_view action,
                                      std::string_view service_all);

// Whether AWS Backup protects a resource: some backup::Selection of the app, whose plan has at
// least one rule, selects it. The app's selections count, not only the stack's: a selection in a
// central backup stack protects the databases of the stacks it refers to. They are collected on
// the first question, so stacks with nothing to protect pay nothing.
class BackupCoverage {
 public:
  explicit BackupCoverage(const Inventory& stack) : stack_(&stack) {}
  [[nodiscard]] bool protects(const Resource& resource);

 private:
  const Inventory* stack_;
  bool collected_ = false;
  std::vector<const backup::Selection*> selections_;
};
inline constexpr std::string_view kNotInBackupPlan =
    "no backup::Selection whose plan has a rule selects it, so AWS Backup takes no backups of it";

// A rule of cdk-nag's HIPAA Security pack no hipaa-synth rule covers, and why (cdk_nag.cpp).
struct UncoveredCdkNagRule {
  std::string_view id;  // without the "HIPAA.Security-" prefix
  std::string_view reason;
};
[[nodiscard]] const std::vector<UncoveredCdkNagRule>& uncovered_cdk_nag_rules();

// A property a rule checks on the typed node, as the primary target resource spells it:
// CloudFormation under `Properties`, Terraform as an argument path. `terraform` is empty where
// Terraform sets the property on a secondary resource (an override cannot reach it there). For a
// boolean switch, `unsafe` is the value the rule forbids.
struct CheckedProperty {
  std::string_view cloudformation;
  std::string_view terraform;
  std::optional<bool> unsafe = std::nullopt;
};

// Flags `resource`, at the override's line, when the last add_override that reaches `property`
// (sets it, a part of it, or an enclosing object) makes its effective value unsafe or unknowable:
// a boolean switch set to `unsafe` or to a non-literal, or any override of a structured
// property, which the rule judged on the typed value. True then; the typed value is the rule's.
bool flag_override(const Resource& resource, const CheckedProperty& property, Reporter& report);

// Citations used by more than one rule.
inline constexpr const char* kEncryptionAtRest = "45 CFR 164.312(a)(2)(iv)";
inline constexpr const char* kTransmissionSecurity = "45 CFR 164.312(e)(1)";
inline constexpr const char* kAuditControls = "45 CFR 164.312(b)";
inline constexpr const char* kAccessControl = "45 CFR 164.312(a)(1)";
inline constexpr const char* kAuthentication = "45 CFR 164.312(d)";
inline constexpr const char* kContingencyPlan = "45 CFR 164.308(a)(7)(i)";
inline constexpr const char* kDataBackupPlan = "45 CFR 164.308(a)(7)(ii)(A)";
inline constexpr const char* kAccessAuthorization = "45 CFR 164.308(a)(4)(ii)(B)";
inline constexpr const char* kIntegrity = "45 CFR 164.312(c)(1)";
inline constexpr const char* kLoginMonitoring = "45 CFR 164.308(a)(5)(ii)(C)";
inline constexpr const char* kPasswordManagement = "45 CFR 164.308(a)(5)(ii)(D)";

}  // namespace hipaa::rules::detail
