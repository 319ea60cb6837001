// The rule registry, the runner, and the report renderings (text, JSON, SARIF 2.1.0, Markdown).
#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "rule_support.hpp"

namespace hipaa::rules {
namespace detail {

std::string literal_prefix(const Value& value) {
  if (const auto* s = value.get_if<std::string>()) return *s;
  if (const auto* i = value.get_if<Interpolation>(); i != nullptr && !i->parts.empty()) {
    if (const auto* s = i->parts.front().get_if<std::string>()) return *s;
  }
  return {};
}

}  // namespace detail

void Reporter::flag(const Construct& construct, std::string message) {
  Finding f;
  f.rule = rule_;
  f.path = construct.path();
  f.file = construct.created_at().file_name();
  f.line = construct.created_at().line();
  f.message = std::move(message);
  if (const auto* s = construct.find_suppression(rule_->id)) f.suppressed_because = s->reason;
  out_->push_back(std::move(f));
}

bool Report::has_unsuppressed_errors() const { return count(Severity::Error, false) > 0; }

std::size_t Report::count(Severity severity, bool suppressed) const {
  return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(), [&](const Finding& f) {
    return f.rule->severity == severity && f.suppressed_because.has_value() == suppressed;
  }));
}

const std::vector<Rule>& all_rules() {
  static const std::vector<Rule> rules = [] {
    std::vector<Rule> out;
    for (const auto* area :
         {&detail::network_rules(), &detail::data_rules(), &detail::logging_rules(), &detail::api_rules(),
          &detail::compute_rules(), &detail::s3_rules(), &detail::cloudtrail_rules(), &detail::messaging_rules(),
          &detail::waf_rules(), &detail::cognito_rules(), &detail::backup_rules(), &detail::database_backup_rules(),
          &detail::lambda_dead_letter_rules()}) {
      out.insert(out.end(), area->begin(), area->end());
    }
    return out;
  }();
  return rules;
}

const Rule* find_rule(std::string_view id) {
  for (const auto& rule : all_rules()) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

Inventory::Inventory(const Stack& stack) : Inventory(stack, index_app(stack.app())) {}

Inventory::Inventory(const Stack& stack, std::shared_ptr<const ByType> app)
    : stack_(&stack), all_(stack.resources()), app_(std::move(app)) {
  for (const Resource* r : all_) by_type_[std::type_index(typeid(*r))].push_back(r);
}

std::shared_ptr<const Inventory::ByType> Inventory::index_app(const App* app) {
  auto index = std::make_shared<ByType>();
  if (app == nullptr) return index;
  for (const Stack* stack : app->stacks()) {
    for (const Resource* r : stack->resources()) (*index)[std::type_index(typeid(*r))].push_back(r);
  }
  return index;
}

Report check(const App& app) {
  Report report;
  const auto app_index = Inventory::index_app(&app);
  for (const Stack* stack : app.stacks()) {
    const Inventory inventory(*stack, app_index);
    for (const auto& rule : all_rules()) {
      Reporter reporter(rule, report.findings);
      rule.check(inventory, reporter);
    }
  }
  return report;
}

namespace {

std::string_view severity_name(Severity s) { return s == Severity::Error ? "error" : "warning"; }

}  // namespace

std::string format(const Finding& f) {
  std::string out = fmt::format("{} {} at {}", severity_name(f.rule->severity), f.rule->id, f.path);
  if (!f.file.empty()) out += fmt::format(" ({}:{})", f.file, f.line);
  out += fmt::format(": {} [{}]", f.message, f.rule->citation);
  if (f.suppressed_because) {
    out += fmt::format("\n  suppressed: {}", *f.suppressed_because);
  } else {
    out += fmt::format("\n  fix: {}", f.rule->remediation);
  }
  return out;
}

std::string to_text(const Report& report) {
  std::string out;
  for (const auto& f : report.findings) {
    if (!f.suppressed_because) out += format(f) + "\n";
  }
  for (const auto& f : report.findings) {
    if (f.suppressed_because) out += format(f) + "\n";
  }
  out += fmt::format("{} error(s), {} warning(s), {} suppressed, {} rule(s) checked\n",
                     report.count(Severity::Error, false), report.count(Severity::Warning, false),
                     report.count(Severity::Error, true) + report.count(Severity::Warning, true), all_rules().size());
  return out;
}

std::string to_json(const Report& report) {
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const auto& f : report.findings) {
    nlohmann::ordered_json j;
    j["rule"] = f.rule->id;
    j["severity"] = severity_name(f.rule->severity);
    j["citation"] = f.rule->citation;
    j["path"] = f.path;
    j["file"] = f.file;
    j["line"] = f.line;
    j["message"] = f.message;
    j["suppressed"] = f.suppressed_because.has_value();
    if (f.suppressed_because) j["reason"] = *f.suppressed_because;
    findings.push_back(std::move(j));
  }
  nlohmann::ordered_json out;
  out["errors"] = report.count(Severity::Error, false);
  out["warnings"] = report.count(Severity::Warning, false);
  out["suppressed"] = report.count(Severity::Error, true) + report.count(Severity::Warning, true);
  out["findings"] = std::move(findings);
  return out.dump(2) + "\n";
}

std::string to_sarif(const Report& report, std::string_view tool_version) {
  using json = nlohmann::ordered_json;
  json rules = json::array();
  for (const auto& rule : all_rules()) {
    json r;
    r["id"] = rule.id;
    r["name"] = rule.id;
    r["shortDescription"] = {{"text", rule.title}};
    r["fullDescription"] = {{"text", fmt::format("{} ({})", rule.title, rule.citation)}};
    r["help"] = {
        {"text", fmt::format("{}. Fix: {}. HIPAA Security Rule: {}.", rule.title, rule.remediation, rule.citation)},
        {"markdown",
         fmt::format("**{}**\n\nFix: {}.\n\nHIPAA Security Rule: {}.", rule.title, rule.remediation, rule.citation)}};
    r["defaultConfiguration"] = {{"level", severity_name(rule.severity)}};
    r["properties"] = {{"tags", json::array({"security", "hipaa"})}, {"citation", rule.citation}};
    rules.push_back(std::move(r));
  }
  json results = json::array();
  for (const auto& f : report.findings) {
    const auto& all = all_rules();
    const auto index = std::find_if(all.begin(), all.end(), [&](const Rule& r) { return &r == f.rule; }) - all.begin();
    json result;
    result["ruleId"] = f.rule->id;
    result["ruleIndex"] = index;
    result["level"] = severity_name(f.rule->severity);
    result["message"] = {{"text", f.message}};
    json location;
    if (!f.file.empty()) {
      // SARIF locations are URIs: relative paths stay relative (to the repository root, for code
      // scanning); absolute ones become file:// URIs.
      const std::string uri = f.file.starts_with('/') ? "file://" + f.file : f.file;
      location["physicalLocation"] = {{"artifactLocation", {{"uri", uri}}},
                                      {"region", {{"startLine", std::max(1U, f.line)}}}};
    }
    location["logicalLocations"] = json::array({{{"fullyQualifiedName", f.path}, {"kind", "resource"}}});
    result["locations"] = json::array({location});
    if (f.suppressed_because) {
      result["suppressions"] = json::array({{{"kind", "inSource"}, {"justification", *f.suppressed_because}}});
    }
    results.push_back(std::move(result));
  }
  json driver = {{"name", "hipaa-synth"},
                 {"version", tool_version},
                 {"informationUri", "https://github.com/hipaa-synth/hipaa-synth"},
                 {"rules", std::move(rules)}};
  json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({{{"tool", {{"driver", std::move(driver)}}}, {"results", std::move(results)}}})}};
  return log.dump(2) + "\n";
}

std::string rules_markdown() {
  std::string out =
      "# Compliance rules\n\n"
      "Generated by `hipaa-synth rules --format markdown`; `tests/test_rules.cpp` keeps this file current.\n\n"
      "Every rule runs over the typed construct tree, so it holds for the CloudFormation and the Terraform output "
      "alike. Suppress a rule on a construct (and everything below it) with `construct.suppress(\"RULE-ID\", "
      "\"reason\")`; the reason is required, listed in reports, and recorded in the output (CloudFormation "
      "`Metadata.hipaa-synth.suppressions`, a Terraform `\"//\"` comment).\n\n"
      "| Rule | Severity | HIPAA Security Rule | Checks that | Fix | cdk-nag HIPAA rules covered |\n"
      "| --- | --- | --- | --- | --- | --- |\n";
  for (const auto& rule : all_rules()) {
    std::string covered;
    for (std::string_view ids = rule.cdk_nag; !ids.empty();) {
      const auto space = std::min(ids.find(' '), ids.size());
      if (space > 0) covered += fmt::format("{}`{}`", covered.empty() ? "" : ", ", ids.substr(0, space));
      ids.remove_prefix(std::min(space + 1, ids.size()));
    }
    out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", rule.id, severity_name(rule.severity), rule.citation,
                       rule.title, rule.remediation, covered);
  }
  out +=
      "\n## cdk-nag HIPAA rules not covered\n\n"
      "The rules of cdk-nag 3.0.2's HIPAA Security pack that no rule above covers, and why. Every other rule of the "
      "pack is in the last column above (`tests/cdk-nag/run.sh --coverage` checks that the two are the whole "
      "pack).\n\n"
      "| cdk-nag HIPAA rule | Why not covered |\n"
      "| --- | --- |\n";
  for (const auto& rule : detail::uncovered_cdk_nag_rules())
    out += fmt::format("| `{}` | {} |\n", rule.id, rule.reason);
  return out;
}

}  // namespace hipaa::rules
