// Compute and identity rules: Lambda placement and limits, IAM scope, and credentials that must
// never be written down.
#include <algorithm>
#include <array>
#include <cctype>

#include "hipaa/aws/apigateway.hpp"
#include "hipaa/aws/apigatewayv2.hpp"
#include "hipaa/aws/iam.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/secretsmanager.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

void lambda_in_vpc(const Inventory& stack, Reporter& report) {
  each<lambda::Function>(stack, [&](const lambda::Function& fn) {
    if (fn.props().subnets.empty()) report.flag(fn, "the function does not run in a VPC");
  });
}

void lambda_concurrency(const Inventory& stack, Reporter& report) {
  each<lambda::Function>(stack, [&](const lambda::Function& fn) {
    const auto& reserved = fn.props().reserved_concurrency;
    if (!reserved) {
      report.flag(fn, "no reserved concurrency limits the function");
    } else if (*reserved <= 0) {
      report.flag(fn, "reserved concurrency " + std::to_string(*reserved) + " lets the function run no invocation");
    }
  });
}

// A Lambda function that runs longer than its API integration waits is cut off mid-request:
// the caller gets a timeout while the write may still happen.
void lambda_timeout_within_integration(const Inventory& stack, Reporter& report) {
  auto check = [&](const Construct& integration, const lambda::Function* fn, int integration_ms) {
    if (fn == nullptr) return;
    const int function_ms = fn->props().timeout_seconds * 1000;
    if (function_ms > integration_ms) {
      report.flag(integration, "function " + fn->path() + " may run " + std::to_string(fn->props().timeout_seconds) +
                                   " s but the integration waits " + std::to_string(integration_ms) + " ms");
    }
  };
  each<apigatewayv2::Integration>(stack,
                                  [&](const auto& i) { check(i, i.props().function.get(), i.props().timeout_ms); });
  each<apigateway::Method>(
      stack, [&](const auto& m) { check(m, m.props().function.get(), m.props().integration_timeout_ms); });
}

// cdk-nag's LambdaFunctionPublicAccessProhibited: a permission for any principal ("*") with no
// source to narrow it lets every AWS account invoke the function.
void lambda_not_public(const Inventory& stack, Reporter& report) {
  each<lambda::Permission>(stack, [&](const lambda::Permission& permission) {
    const auto& p = permission.props();
    if (p.principal == "*" && p.source_arn.is_null()) {
      report.flag(permission, "lets any principal of any AWS account invoke " +
                                  (p.function ? p.function->path() : std::string("the function")) +
                                  ", with no source ARN");
    }
  });
}

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

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

// Names that say "this is a credential".
bool names_a_secret(std::string_view name) {
  const std::string n = upper(name);
  static constexpr auto kWords =
      std::to_array<std::string_view>({"PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY",
                                       "CREDENTIAL", "AUTHTOKEN", "AUTH_TOKEN"});
  return std::ranges::any_of(kWords, [&](std::string_view word) { return n.find(word) != std::string::npos; });
}

// A literal that is a reference to a secret rather than the secret itself.
bool is_secret_reference(std::string_view text) {
  return text.starts_with("arn:") || text.starts_with("{{resolve:") || text.empty();
}

void no_literal_secrets(const Inventory& stack, Reporter& report) {
  each<lambda::Function>(stack, [&](const lambda::Function& fn) {
    for (const auto& [name, value] : fn.props().environment) {
      const auto* text = value.get_if<std::string>();
      if (names_a_secret(name) && text != nullptr && !is_secret_reference(*text)) {
        report.flag(fn, "environment variable " + name + " holds a literal credential");
      }
    }
  });
  each<secretsmanager::Secret>(stack, [&](const secretsmanager::Secret& secret) {
    if (!secret.props().generate) return;
    const std::string& tmpl = secret.props().generate->template_json;
    // The template is stored in plain text: it may name fields, never hold secret values.
    for (std::string_view field : {"\"password\"", "\"token\"", "\"secret\""}) {
      if (auto at = tmpl.find(field); at != std::string::npos && tmpl.find(':', at) != std::string::npos) {
        report.flag(secret, "the generated secret's template contains a value for " + std::string(field));
        return;
      }
    }
  });
  for (const Resource* r : stack.resources()) {
    for (const auto& o : r->overrides()) {
      const auto last = o.path.substr(o.path.rfind('.') + 1);
      const auto* text = o.value.get_if<std::string>();
      if (names_a_secret(last) && text != nullptr && !is_secret_reference(*text)) {
        report.flag(*r, "override " + o.path + " sets a literal credential");
      }
    }
  }
}

}  // namespace

const std::vector<Rule>& compute_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-LAMBDA-1", Severity::Error, kTransmissionSecurity, "Lambda functions run in a VPC",
       "set subnets and security_groups", lambda_in_vpc, "LambdaInsideVPC"},
      {"HIPAA-LAMBDA-2", Severity::Error, kContingencyPlan, "Lambda functions have reserved concurrency",
       "set reserved_concurrency to 1 or more", lambda_concurrency, "LambdaConcurrency"},
      {"HIPAA-LAMBDA-3", Severity::Error, kContingencyPlan,
       "A Lambda function's timeout fits within its API integration's timeout",
       "lower timeout_seconds below the integration timeout", lambda_timeout_within_integration},
      {"HIPAA-LAMBDA-5", Severity::Error, kAccessControl,
       "Lambda permissions do not let any principal invoke a function without a source ARN",
       "name the service principal (or account) that invokes the function, and its source_arn", lambda_not_public,
       "LambdaFunctionPublicAccessProhibited"},
      {"HIPAA-IAM-1", Severity::Error, kAccessAuthorization,
       "IAM policies grant no full-access actions ('*' or 'service:*')", "list the actions the principal needs",
       iam_least_privilege, "IAMPolicyNoStatementsWithAdminAccess IAMPolicyNoStatementsWithFullAccess"},
      {"HIPAA-IAM-2", Severity::Error, kAccessAuthorization, "IAM roles carry no inline policies",
       "move the statements to an iam::ManagedPolicy and attach it", iam_no_inline_policies, "IAMNoInlinePolicy"},
      {"HIPAA-SECRET-1", Severity::Error, kAccessControl,
       "No password, token or key is written as a literal (environment, overrides, secret templates)",
       "generate credentials with the service (managed master passwords, generated secrets) and pass ARNs",
       no_literal_secrets},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
