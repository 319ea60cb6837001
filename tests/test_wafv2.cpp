// WAF web ACLs and their association with REST API stages: both targets' output, logging with
// credentials redacted, validation, rules.
#include <catch2/catch.hpp>

#include "hipaa/aws/wafv2.hpp"
#include "hipaa/rules.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

struct Fixture {
  App app;
  Stack& stack = app.add_stack("S");
  kms::Key& key = stack.add<kms::Key>("Key", {.description = "logs", .allow_cloudwatch_logs = true});
  logs::LogGroup& logs = stack.add<logs::LogGroup>(
      "WafLogs", {.log_group_name = "aws-waf-logs-api", .retention_days = 365, .kms_key = key});
};

// The findings of every rule but HIPAA-TRAIL-4 (these stacks hold log groups and need no trail here).
std::vector<std::string> findings(const App& app) {
  std::vector<std::string> out;
  for (const auto& f : rules::check(app).findings) {
    if (f.rule->id != "HIPAA-TRAIL-4") out.push_back(std::string(f.rule->id) + " " + f.path + ": " + f.message);
  }
  return out;
}

// A REST API with one IAM-authorized method, deployed to a stage "Prod".
apigateway::Stage& rest_stage(Stack& stack) {
  auto& api = stack.add<apigateway::RestApi>("Api", {.api_name = "api"});
  auto& resource = stack.add<apigateway::ApiResource>("Patients", {.api = api, .path_part = "patients"});
  auto& method = stack.add<apigateway::Method>("Get", {.api = api, .resource = resource, .http_method = "GET"});
  auto& deployment = stack.add<apigateway::Deployment>("Deploy", {.api = api, .methods = {method}});
  return stack.add<apigateway::Stage>("Prod",
                                      {.api = api,
                                       .deployment = deployment,
                                       .client_certificate = stack.add<apigateway::ClientCertificate>("Cert", {}),
                                       .cache_cluster = apigateway::CacheCluster{}});
}

}  // namespace

TEST_CASE("A web ACL allows by default and blocks with AWS managed rule groups and a rate limit", "[wafv2]") {
  Fixture f;
  f.stack.add<wafv2::WebAcl>("Waf", {.web_acl_name = "api", .log_group = f.logs});
  const auto visibility = [](const char* name) {
    return json{{"CloudWatchMetricsEnabled", true}, {"MetricName", name}, {"SampledRequestsEnabled", true}};
  };
  const auto managed = [&](const char* name, int priority) {
    return json{{"Name", name},
                {"Priority", priority},
                {"OverrideAction", {{"None", json::object()}}},
                {"Statement", {{"ManagedRuleGroupStatement", {{"VendorName", "AWS"}, {"Name", name}}}}},
                {"VisibilityConfig", visibility(name)}};
  };
  const json cfn = test::cfn(f.app)["Resources"];
  CHECK(
      cfn["Waf"] ==
      json{{"Type", "AWS::WAFv2::WebACL"},
           {"Properties",
            {{"Name", "api"},
             {"Scope", "REGIONAL"},
             {"DefaultAction", {{"Allow", json::object()}}},
             {"VisibilityConfig", visibility("api")},
             {"Rules",
              {{{"Name", "RateLimitPerIp"},
                {"Priority", 0},
                {"Action", {{"Block", json::object()}}},
                {"Statement",
                 {{"RateBasedStatement", {{"Limit", 2000}, {"AggregateKeyType", "IP"}, {"EvaluationWindowSec", 300}}}}},
                {"VisibilityConfig", visibility("RateLimitPerIp")}},
               managed("AWSManagedRulesCommonRuleSet", 10),
               managed("AWSManagedRulesKnownBadInputsRuleSet", 20),
               managed("AWSManagedRulesSQLiRuleSet", 30)}}}}});

  const json tf = test::tf(f.app)["resource"]["aws_wafv2_web_acl"]["waf"];
  CHECK(tf["name"] == "api");
  CHECK(tf["scope"] == "REGIONAL");
  CHECK(tf["default_action"] == json{{"allow", json::object()}});
  CHECK(tf["visibility_config"] ==
        json{{"cloudwatch_metrics_enabled", true}, {"metric_name", "api"}, {"sampled_requests_enabled", true}});
  REQUIRE(tf["rule"].size() == 4);
  CHECK(tf["rule"][0]["action"] == json{{"block", json::object()}});
  CHECK(
      tf["rule"][0]["statement"] ==
      json{{"rate_based_statement", {{"limit", 2000}, {"aggregate_key_type", "IP"}, {"evaluation_window_sec", 300}}}});
  CHECK(tf["rule"][1]["override_action"] == json{{"none", json::object()}});
  CHECK(tf["rule"][1]["statement"] ==
        json{{"managed_rule_group_statement", {{"vendor_name", "AWS"}, {"name", "AWSManagedRulesCommonRuleSet"}}}});
  CHECK(tf["rule"][3]["priority"] == 30);
  CHECK(findings(f.app).empty());
}

TEST_CASE("A web ACL logs to CloudWatch Logs with credentials, cookies and the query string redacted", "[wafv2]") {
  Fixture f;
  f.stack.add<wafv2::WebAcl>("Waf", {.web_acl_name = "api", .log_group = f.logs, .redacted_headers = {"X-Api-Key"}});
  const json redacted_cfn = json::parse(R"([
      {"SingleHeader": {"Name": "authorization"}}, {"SingleHeader": {"Name": "cookie"}},
      {"SingleHeader": {"Name": "x-api-key"}}, {"QueryString": {}}])");
  CHECK(test::cfn(f.app)["Resources"]["WafLogging"] ==
        json{{"Type", "AWS::WAFv2::LoggingConfiguration"},
             {"Properties",
              {{"ResourceArn", {{"Fn::GetAtt", {"Waf", "Arn"}}}},
               // Without the ":*" the log group's Arn attribute ends with.
               {"LogDestinationConfigs",
                {{{"Fn::Sub", "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${WafLogs}"}}}},
               {"RedactedFields", redacted_cfn}}}});
  CHECK(test::tf(f.app)["resource"]["aws_wafv2_web_acl_logging_configuration"]["waf_logging"] == json::parse(R"({
      "resource_arn": "${aws_wafv2_web_acl.waf.arn}",
      "log_destination_configs": ["${aws_cloudwatch_log_group.waf_logs.arn}"],
      "redacted_fields": [{"single_header": {"name": "authorization"}}, {"single_header": {"name": "cookie"}},
                          {"single_header": {"name": "x-api-key"}}, {"query_string": {}}]})"));
}

TEST_CASE("A web ACL's options: excluded rules count, no rate limit, no sampled requests, query strings logged",
          "[wafv2]") {
  Fixture f;
  f.stack.add<wafv2::WebAcl>(
      "Waf", {.web_acl_name = "api",
              .description = "edge",
              .managed_rule_groups = {{.name = "AWSManagedRulesSQLiRuleSet", .priority = 5},
                                      {.name = "AWSManagedRulesCommonRuleSet",
                                       .priority = 1,
                                       .excluded_rules = {"SizeRestrictions_BODY", "NoUserAgent_HEADER"}}},
              .rate_limit = std::nullopt,
              .sampled_requests = false,
              .log_group = f.logs,
              .redact_query_string = false,
              .tags = {{"Purpose", "edge"}}});
  const json cfn = test::cfn(f.app)["Resources"];
  const json rules = cfn["Waf"]["Properties"]["Rules"];
  REQUIRE(rules.size() == 2);
  CHECK(rules[0]["Name"] == "AWSManagedRulesCommonRuleSet");  // in priority order
  CHECK(rules[0]["Statement"]["ManagedRuleGroupStatement"]["RuleActionOverrides"] == json::parse(R"([
      {"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}},
      {"Name": "NoUserAgent_HEADER", "ActionToUse": {"Count": {}}}])"));
  CHECK(rules[0]["VisibilityConfig"]["SampledRequestsEnabled"] == false);
  CHECK(cfn["Waf"]["Properties"]["Description"] == "edge");
  CHECK(cfn["Waf"]["Properties"]["Tags"] == json::parse(R"([{"Key": "Purpose", "Value": "edge"}])"));
  CHECK(cfn["WafLogging"]["Properties"]["RedactedFields"].size() == 2);
  const json tf = test::tf(f.app)["resource"];
  CHECK(
      tf["aws_wafv2_web_acl"]["waf"]["rule"][0]["statement"]["managed_rule_group_statement"]["rule_action_override"] ==
      json::parse(R"([{"name": "SizeRestrictions_BODY", "action_to_use": {"count": {}}},
                        {"name": "NoUserAgent_HEADER", "action_to_use": {"count": {}}}])"));
  CHECK(tf["aws_wafv2_web_acl"]["waf"]["tags"] == json{{"Purpose", "edge"}});
}

TEST_CASE("A web ACL's names, priorities, rate limit and log group are validated", "[wafv2]") {
  Fixture f;
  auto& plain = f.stack.add<logs::LogGroup>("Plain", {.log_group_name = "/waf/api", .kms_key = f.key});
  f.stack.add<wafv2::WebAcl>("Waf", {.web_acl_name = "my api",
                                     .managed_rule_groups = {{.name = "AWSManagedRulesCommonRuleSet", .priority = 0},
                                                             {.name = "AWSManagedRulesCommonRuleSet", .priority = 1}},
                                     .rate_limit = wafv2::RateLimit{.limit = 5},
                                     .log_group = plain,
                                     .redacted_headers = {"Authorization", ""}});
  f.stack.add<wafv2::WebAcl>("Unnamed", {});
  CHECK(test::problems(f.app) ==
        std::vector<std::string>{
            "HS2003 S/Waf: 'web_acl_name' value 'my api' contains ' '; AWS accepts only A-Z a-z 0-9 _-",
            "HS2004 S/Waf: 'rate_limit.limit' is 5; AWS accepts 10 to 2000000000",
            "HS2004 S/Waf: rules 'RateLimitPerIp' and 'AWSManagedRulesCommonRuleSet' both have priority 0; priorities "
            "must be unique",
            "HS2004 S/Waf: two rules are named 'AWSManagedRulesCommonRuleSet'",
            "HS2003 S/Waf: 'log_group' is named '/waf/api'; WAF logs only to log groups whose name starts with "
            "'aws-waf-logs-'",
            "HS2004 S/Waf: 'redacted_headers' names 'Authorization' twice (authorization and cookie are always "
            "redacted)",
            "HS2004 S/Waf: 'redacted_headers' has ''; a header name has 1 to 64 characters",
            "HS2001 S/Unnamed: required property 'web_acl_name' is not set"});
}

TEST_CASE("A web ACL without logging is reported by HIPAA-WAF-1", "[wafv2]") {
  Fixture f;
  f.stack.add<wafv2::WebAcl>("Waf", {.web_acl_name = "api"});
  CHECK_FALSE(test::cfn(f.app)["Resources"].contains("WafLogging"));
  CHECK(findings(f.app) ==
        std::vector<std::string>{"HIPAA-WAF-1 S/Waf: the web ACL does not log the requests it inspects"});
}

TEST_CASE("An association puts a REST stage behind a web ACL, after the stage exists", "[wafv2]") {
  Fixture f;
  auto& stage = rest_stage(f.stack);
  auto& acl = f.stack.add<wafv2::WebAcl>("Waf", {.web_acl_name = "api", .log_group = f.logs});
  f.stack.add<wafv2::WebAclAssociation>("WafProd", {.web_acl = acl, .stage = stage});
  CHECK(test::cfn(f.app)["Resources"]["WafProd"] ==
        json{{"Type", "AWS::WAFv2::WebACLAssociation"},
             {"Properties",
              {{"ResourceArn",
                {{"Fn::Sub", "arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Prod}"}}},
               {"WebACLArn", {{"Fn::GetAtt", {"Waf", "Arn"}}}}}}});
  CHECK(test::tf(f.app)["resource"]["aws_wafv2_web_acl_association"]["waf_prod"] ==
        json{{"resource_arn",
              "arn:${data.aws_partition.current.partition}:apigateway:${data.aws_region.current.name}::/restapis/"
              "${aws_api_gateway_rest_api.api.id}/stages/${aws_api_gateway_stage.prod.stage_name}"},
             {"web_acl_arn", "${aws_wafv2_web_acl.waf.arn}"}});
  // HIPAA-WAF-2 is satisfied (the stage's other findings are not this test's).
  for (const auto& finding : findings(f.app)) CHECK(finding.find("HIPAA-WAF-2") == std::string::npos);
}

TEST_CASE("A REST stage no web ACL protects is reported by HIPAA-WAF-2", "[wafv2]") {
  Fixture f;
  rest_stage(f.stack);
  const auto found = findings(f.app);
  CHECK(std::find(found.begin(), found.end(), "HIPAA-WAF-2 S/Prod: no WAF web ACL inspects the stage's requests") !=
        found.end());
}

TEST_CASE("An association needs its web ACL and stage", "[wafv2]") {
  Fixture f;
  f.stack.add<wafv2::WebAclAssociation>("Nothing", {});
  CHECK(test::problems(f.app) == std::vector<std::string>{"HS2001 S/Nothing: required property 'web_acl' is not set",
                                                          "HS2001 S/Nothing: required property 'stage' is not set"});
}
