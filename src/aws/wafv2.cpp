#include "hipaa/aws/wafv2.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include "validate/checks.hpp"

namespace hipaa::wafv2 {
namespace {

// Headers WAF never logs: credentials (bearer tokens, SigV4 signatures) and session cookies.
constexpr std::array<std::string_view, 2> kAlwaysRedacted = {"authorization", "cookie"};

// An object holding one empty object: `Allow: {}` / `allow {}`.
Properties empty_block(Lowering& l, Key key) {
  Properties p = l.object();
  p.set_node(l.is_cloudformation() ? key.cloudformation : key.terraform, doc::Map{});
  return p;
}

Properties visibility(Lowering& l, const Value& metric_name, bool sampled_requests) {
  Properties v = l.object();
  v.set({"CloudWatchMetricsEnabled", "cloudwatch_metrics_enabled"}, true)
      .set({"MetricName", "metric_name"}, metric_name)
      .set({"SampledRequestsEnabled", "sampled_requests_enabled"}, sampled_requests);
  return v;
}

Properties rate_rule(Lowering& l, const RateLimit& r, bool sampled_requests) {
  Properties statement = l.object();
  statement.set({"Limit", "limit"}, Value(r.limit))
      .set({"AggregateKeyType", "aggregate_key_type"}, "IP")
      .set({"EvaluationWindowSec", "evaluation_window_sec"}, 300);
  Properties outer = l.object();
  outer.set({"RateBasedStatement", "rate_based_statement"}, std::move(statement));
  Properties rule = l.object();
  rule.set({"Name", "name"}, r.name)
      .set({"Priority", "priority"}, r.priority)
      .set({"Action", "action"}, empty_block(l, {"Block", "block"}))
      .set({"Statement", "statement"}, std::move(outer))
      .set({"VisibilityConfig", "visibility_config"}, visibility(l, r.name, sampled_requests));
  return rule;
}

Properties managed_rule(Lowering& l, const ManagedRuleGroup& g, bool sampled_requests) {
  Properties statement = l.object();
  statement.set({"VendorName", "vendor_name"}, "AWS").set({"Name", "name"}, g.name);
  std::vector<Properties> overrides;
  for (const auto& excluded : g.excluded_rules) {
    Properties o = l.object();
    o.set({"Name", "name"}, excluded).set({"ActionToUse", "action_to_use"}, empty_block(l, {"Count", "count"}));
    overrides.push_back(std::move(o));
  }
  statement.set({"RuleActionOverrides", "rule_action_override"}, std::move(overrides));
  Properties outer = l.object();
  outer.set({"ManagedRuleGroupStatement", "managed_rule_group_statement"}, std::move(statement));
  Properties rule = l.object();
  rule.set({"Name", "name"}, g.name)
      .set({"Priority", "priority"}, g.priority)
      .set({"OverrideAction", "override_action"}, empty_block(l, {"None", "none"}))
      .set({"Statement", "statement"}, std::move(outer))
      .set({"VisibilityConfig", "visibility_config"}, visibility(l, g.name, sampled_requests));
  return rule;
}

std::string lower_case(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return out;
}

// WAF names (ACL, rules, metrics): [A-Za-z0-9_-].
bool is_waf_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-'; }

}  // namespace

void WebAcl::lower(Lowering& l) const {
  const auto& p = props();
  auto& acl = l.add(*this);
  // Rules in priority order (the order WAF evaluates them), the rate limit first on a tie.
  std::vector<std::pair<int, Properties>> rules;
  if (p.rate_limit) rules.emplace_back(p.rate_limit->priority, rate_rule(l, *p.rate_limit, p.sampled_requests));
  for (const auto& g : p.managed_rule_groups) rules.emplace_back(g.priority, managed_rule(l, g, p.sampled_requests));
  std::stable_sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Properties> ordered;
  ordered.reserve(rules.size());
  for (auto& [priority, rule] : rules) ordered.push_back(std::move(rule));

  acl.properties()
      .set({"Name", "name"}, p.web_acl_name)
      .set({"Description", "description"}, p.description)
      .set({"Scope", "scope"}, "REGIONAL")
      .set({"DefaultAction", "default_action"}, empty_block(l, {"Allow", "allow"}))
      .set({"VisibilityConfig", "visibility_config"}, visibility(l, p.web_acl_name, p.sampled_requests))
      .set({"Rules", "rule"}, std::move(ordered));
  acl.tags(p.tags);
  if (!p.log_group) return;

  std::vector<Properties> redacted;
  std::vector<std::string> headers(kAlwaysRedacted.begin(), kAlwaysRedacted.end());
  // WAF reports header names in lower case; written so, Terraform sees no difference.
  for (const auto& h : p.redacted_headers) headers.push_back(lower_case(h));
  for (const auto& h : headers) {
    Properties name = l.object();
    name.set({"Name", "name"}, h);
    Properties field = l.object();
    field.set({"SingleHeader", "single_header"}, std::move(name));
    redacted.push_back(std::move(field));
  }
  if (p.redact_query_string) redacted.push_back(empty_block(l, {"QueryString", "query_string"}));
  // WAF wants the log group's ARN without the ":*" CloudFormation's Arn attribute ends with;
  // Terraform's arn has none.
  const Value destination = l.is_cloudformation()
                                ? interpolate({"arn:", partition(), ":logs:", region(), ":", account_id(),
                                               ":log-group:", p.log_group->log_group_name()})
                                : p.log_group->arn();
  l.add(*this, l.is_cloudformation() ? "AWS::WAFv2::LoggingConfiguration" : "aws_wafv2_web_acl_logging_configuration",
        kLoggingSuffix)
      .properties()
      .set({"ResourceArn", "resource_arn"}, arn())
      .set({"LogDestinationConfigs", "log_destination_configs"}, Value(ValueList{destination}))
      .set({"RedactedFields", "redacted_fields"}, std::move(redacted));
}

void WebAcl::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  check.required(p.web_acl_name, "web_acl_name");
  check.name(p.web_acl_name, "web_acl_name", 128, is_waf_name_char, "A-Z a-z 0-9 _-");
  if (p.description.size() > 256) {
    check.error("HS2004",
                "'description' has " + std::to_string(p.description.size()) + " characters; AWS accepts 1 to 256");
  }

  // Rule names and priorities are unique within the ACL.
  std::map<int, std::string> priorities;
  std::set<std::string> names;
  auto rule = [&](const std::string& name, int priority, const std::string& property) {
    check.name(Value(name), property + ".name", 128, is_waf_name_char, "A-Z a-z 0-9 _-");
    check.range(priority, property + ".priority", 0, 2147483647);
    if (!names.insert(name).second) check.error("HS2004", "two rules are named '" + name + "'");
    if (auto [it, inserted] = priorities.emplace(priority, name); !inserted) {
      check.error("HS2004", "rules '" + it->second + "' and '" + name + "' both have priority " +
                                std::to_string(priority) + "; priorities must be unique");
    }
  };
  if (p.rate_limit) {
    rule(p.rate_limit->name, p.rate_limit->priority, "rate_limit");
    check.range(static_cast<double>(p.rate_limit->limit), "rate_limit.limit", 10, 2000000000);
  }
  for (const auto& g : p.managed_rule_groups) {
    rule(g.name, g.priority, "managed_rule_groups");
    if (g.excluded_rules.size() > 100) {
      check.error("HS2004", "managed rule group '" + g.name + "' excludes " + std::to_string(g.excluded_rules.size()) +
                                " rules; AWS accepts 100");
    }
    for (const auto& excluded : g.excluded_rules) {
      check.name(Value(excluded), "managed_rule_groups.excluded_rules", 128, is_waf_name_char, "A-Z a-z 0-9 _-");
    }
  }

  if (!p.log_group) return;
  if (auto name = detail::literal_text(p.log_group->props().log_group_name, *p.log_group);
      name && !name->starts_with(kLogGroupPrefix)) {
    check.error("HS2003",
                "'log_group' is named '" + *name + "'; WAF logs only to log groups whose name starts with '" +
                    std::string(kLogGroupPrefix) + "'",
                "name the log group " + std::string(kLogGroupPrefix) + "<something>");
  }
  std::set<std::string> seen(kAlwaysRedacted.begin(), kAlwaysRedacted.end());
  for (const auto& h : p.redacted_headers) {
    if (h.empty() || h.size() > 64) {
      check.error("HS2004", "'redacted_headers' has '" + h + "'; a header name has 1 to 64 characters");
    } else if (!seen.insert(lower_case(h)).second) {
      check.error("HS2004",
                  "'redacted_headers' names '" + h + "' twice (authorization and cookie are always redacted)");
    }
  }
  if (seen.size() + (p.redact_query_string ? 1 : 0) > 100) {
    check.error("HS2004", "the logging configuration redacts more than 100 fields, the most WAF accepts");
  }
}

void WebAclAssociation::lower(Lowering& l) const {
  const auto& p = props();
  // Referencing the stage (its ARN holds the stage's name) also orders the association after it:
  // WAF cannot associate a stage that does not exist yet.
  l.add(*this)
      .properties()
      .set({"ResourceArn", "resource_arn"}, p.stage ? p.stage->arn() : Value())
      .set({"WebACLArn", "web_acl_arn"}, p.web_acl ? p.web_acl->arn() : Value());
}

void WebAclAssociation::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().web_acl, "web_acl");
  check.required(props().stage, "stage");
}

}  // namespace hipaa::wafv2
