// WAF rules: web ACLs log what they inspect, and REST API stages sit behind one.
#include <set>

#include "hipaa/aws/wafv2.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

void web_acl_logging(const Inventory& stack, Reporter& report) {
  each<wafv2::WebAcl>(stack, [&](const wafv2::WebAcl& acl) {
    if (!acl.props().log_group) report.flag(acl, "the web ACL does not log the requests it inspects");
  });
}

void stage_behind_web_acl(const Inventory& stack, Reporter& report) {
  std::set<const apigateway::Stage*> protected_stages;
  each<wafv2::WebAclAssociation>(stack, [&](const wafv2::WebAclAssociation& association) {
    if (association.props().web_acl) protected_stages.insert(association.props().stage.get());
  });
  each<apigateway::Stage>(stack, [&](const apigateway::Stage& stage) {
    if (!protected_stages.contains(&stage)) report.flag(stage, "no WAF web ACL inspects the stage's requests");
  });
}

}  // namespace

const std::vector<Rule>& waf_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-WAF-1", Severity::Error, kAuditControls, "WAF web ACLs log the requests they inspect",
       "set log_group to a log group named aws-waf-logs-<something>", web_acl_logging, "WAFv2LoggingEnabled"},
      // An error, though a web ACL is defence in depth in front of authenticated methods rather
      // than a HIPAA safeguard on its own (cdk-nag's HIPAA pack has no such rule).
      {"HIPAA-WAF-2", Severity::Error, kTransmissionSecurity, "REST API stages are protected by a WAF web ACL",
       "add a wafv2::WebAcl and a wafv2::WebAclAssociation with the stage", stage_behind_web_acl},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
