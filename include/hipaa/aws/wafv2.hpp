// hipaa/aws/wafv2.hpp: AWS WAF (v2) web ACLs in front of regional resources (REST API stages),
// with AWS managed rule groups, a per-IP rate limit, and logging with credentials redacted.
//
//   auto& logs = stack.add<logs::LogGroup>("WafLogs", {.log_group_name = "aws-waf-logs-api", .kms_key = key});
//   auto& acl = stack.add<wafv2::WebAcl>("Waf", {.web_acl_name = "api", .log_group = logs});
//   stack.add<wafv2::WebAclAssociation>("WafStage", {.web_acl = acl, .stage = stage});
//
// Only the REGIONAL scope is modelled (API Gateway, Application Load Balancers, AppSync, Cognito):
// a CLOUDFRONT web ACL must be created in us-east-1 and attached to a distribution, which
// hipaa-synth does not model.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hipaa/aws/apigateway.hpp"
#include "hipaa/aws/logs.hpp"

namespace hipaa::wafv2 {

// An AWS managed rule group (vendor "AWS"), evaluated at `priority`. Rules named in
// `excluded_rules` only count matches instead of blocking (a rule action override to Count, what
// the deprecated ExcludedRules did), for rules that block legitimate traffic of the application.
struct ManagedRuleGroup {
  std::string name;  // "AWSManagedRulesCommonRuleSet"
  int priority = 0;
  std::vector<std::string> excluded_rules;
};

// Blocks a client IP address that sends more than `limit` requests in 5 minutes.
struct RateLimit {
  std::string name = "RateLimitPerIp";
  int priority = 0;
  std::int64_t limit = 2000;  // requests per IP per 5 minutes: 10-2000000000
};

struct WebAclProps {
  Value web_acl_name;  // 1-128 characters from A-Z a-z 0-9 _-; also the ACL's CloudWatch metric name
  std::string description;
  // Requests no rule blocks are allowed. The default groups stop the common web exploits (OWASP
  // Top 10), known bad inputs (Log4j, ...) and SQL injection; each group is one rule of the ACL.
  std::vector<ManagedRuleGroup> managed_rule_groups = {
      {.name = "AWSManagedRulesCommonRuleSet", .priority = 10},
      {.name = "AWSManagedRulesKnownBadInputsRuleSet", .priority = 20},
      {.name = "AWSManagedRulesSQLiRuleSet", .priority = 30},
  };
  std::optional<RateLimit> rate_limit = RateLimit{};
  // CloudWatch metrics and sampled requests (the console's recent matches, kept 3 hours) on the
  // ACL and every rule.
  bool sampled_requests = true;
  // Where WAF logs every request it inspects. The group's name must start with "aws-waf-logs-".
  // The authorization and cookie headers are always redacted (credentials and session tokens must
  // not reach the logs); so is the query string unless `redact_query_string` is false (search
  // parameters in a healthcare API are often PHI).
  Ref<logs::LogGroup> log_group;
  std::vector<std::string> redacted_headers;  // further headers to redact, e.g. "x-api-key"
  bool redact_query_string = true;
  Tags tags;
};

class WebAcl final : public Node<WebAcl, WebAclProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "wafv2::WebAcl",
      .summary =
          "A regional WAF web ACL with AWS managed rule groups and a rate limit, logging to CloudWatch Logs with "
          "credentials redacted",
      .tagging = Tagging::KeyValueList,
      .types = {cloudformation_type("AWS::WAFv2::WebACL", "Name Scope"),
                cloudformation_type("AWS::WAFv2::LoggingConfiguration", "ResourceArn"),
                terraform_type("aws_wafv2_web_acl", "name name_prefix scope"),
                terraform_type("aws_wafv2_web_acl_logging_configuration", "log_destination_configs resource_arn")}};
  static constexpr std::string_view kLoggingSuffix = "Logging";
  static constexpr std::string_view kLogGroupPrefix = "aws-waf-logs-";
  [[nodiscard]] Value arn() const { return attribute({"Arn", "arn"}); }
  // The ACL's id (not its construct id, which Construct::id() returns).
  [[nodiscard]] Value web_acl_id() const { return attribute({"Id", "id"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// Puts a REST API stage behind a web ACL.
struct WebAclAssociationProps {
  Ref<WebAcl> web_acl;
  Ref<apigateway::Stage> stage;
};

class WebAclAssociation final : public Node<WebAclAssociation, WebAclAssociationProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "wafv2::WebAclAssociation",
      .summary = "Associates a web ACL with a REST API stage",
      .tagging = Tagging::None,
      .types = {cloudformation_type("AWS::WAFv2::WebACLAssociation", "ResourceArn WebACLArn"),
                terraform_type("aws_wafv2_web_acl_association", "resource_arn web_acl_arn")}};
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

}  // namespace hipaa::wafv2
