// Lambda rules: functions run in a VPC with reserved concurrency, finish within their API
// integration's timeout, keep the events of failed invocations, and are not invocable by anyone.
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/apigateway.hpp"
#include "hipaa/aws/apigatewayv2.hpp"
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

void lambda_dead_letter(const Inventory& stack, Reporter& report) {
  each<lambda::Function>(stack, [&](const lambda::Function& fn) {
    if (!fn.props().dead_letter)
      report.flag(fn, "no dead-letter queue or topic keeps the events of failed invocations");
  });
}

}  // namespace

const std::vector<Rule>& lambda_rules() {
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
  };
  return rules;
}

const std::vector<Rule>& lambda_dead_letter_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-LAMBDA-4", Severity::Error, kAuditControls,
       "Lambda functions send failed asynchronous events to a dead-letter queue or topic",
       "set dead_letter to an sqs::Queue or sns::Topic, and let the role send to it and use its key",
       lambda_dead_letter, "LambdaDLQ"},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
