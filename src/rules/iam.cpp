// IAM rules: policies name the actions a principal needs, and roles carry no inline policies.
#include "hipaa/aws/iam.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

bool is_full_access(std::string_view action) { return action == "*" || (action.size() > 2 && action.ends_with(":*")); }

void check_policy_scope(const Construct& owner, const iam::PolicyDocument& policy, Reporter& report) {
  for (const auto& s : policy.statements) {
    if (s.effect != iam::Effect::Allow) continue;
    for (const auto& action : s.actions) {
      if (is_full_access(action)) {
        report.flag(owner, "a policy allows '" + action + "'");
        return;
      }
    }
  }
}

void iam_least_privilege(const Inventory& stack, Reporter& report) {
  each<iam::Role>(stack, [&](const iam::Role& role) {
    for (const auto& [name, policy] : role.props().inline_policies) check_policy_scope(role, policy, report);
  });
  // Grants and Role::add_to_policy's statements.
  each<iam::GrantPolicy>(stack, [&](const iam::GrantPolicy& policy) {
    check_policy_scope(policy, iam::PolicyDocument{policy.statements()}, report);
  });
  each<iam::ManagedPolicy>(
      stack, [&](const iam::ManagedPolicy& policy) { check_policy_scope(policy, policy.props().document, report); });
}

void iam_no_inline_policies(const Inventory& stack, Reporter& report) {
  each<iam::Role>(stack, [&](const iam::Role& role) {
    if (!role.props().inline_policies.empty()) {
      report.flag(role, "the role has inline policies; use managed policies so access can be reviewed and reused");
    }
  });
}

}  // namespace

const std::vector<Rule>& iam_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-IAM-1", Severity::Error, kAccessAuthorization,
       "IAM policies grant no full-access actions ('*' or 'service:*')", "list the actions the principal needs",
       iam_least_privilege, "IAMPolicyNoStatementsWithAdminAccess IAMPolicyNoStatementsWithFullAccess"},
      {"HIPAA-IAM-2", Severity::Error, kAccessAuthorization, "IAM roles carry no inline policies",
       "move the statements to an iam::ManagedPolicy and attach it", iam_no_inline_policies, "IAMNoInlinePolicy"},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
