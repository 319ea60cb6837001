// The rule registry, the runner, and the report renderings (text, JSON, SARIF 2.1.0, Markdown).
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/origins.hpp"
#include "rule_support.hpp"
#include "support/archive.hpp"

namespace hipaa::rules {
void Reporter::flag(const Construct& construct, std::string message) {
  Finding f;
  f.code = rule_->id;
  f.severity = rule_->severity;
  f.hint = rule_->remediation;
  f.rule = rule_;
  f.path = construct.path();
  Origin origin = construct.origin(rule_->id);
  f.file = std::move(origin.file);
  f.line = origin.line;
  f.option = std::move(origin.option);
  f.preset = std::move(origin.preset);
  f.message = std::move(message);
  if (const auto* s = construct.find_suppression(rule_->id)) f.suppressed_because = s->reason;
  out_->push_back(std::move(f));
}

void Reporter::flag(const Construct& construct, std::string message, const SourceLocation& where) {
  const std::size_t before = out_->size();
  flag(construct, std::move(message));
  // The library's own overrides stay attributed as the construct is (to the user's line that
  // added the composite).
  if (out_->size() > before) hipaa::detail::locate_at(out_->back(), where);
}

std::vector<std::string_view> cdk_nag_ids(const Rule& rule) {
  std::vector<std::string_view> out;
  for (std::string_view ids = rule.cdk_nag; !ids.empty();) {
    const auto space = std::min(ids.find(' '), ids.size());
    if (space > 0) out.push_back(ids.substr(0, space));
    ids.remove_prefix(std::min(space + 1, ids.size()));
  }
  return out;
}

const Resource::Override* find_override(const Resource& resource, std::string_view cloudformation,
                                        std::string_view terraform) {
  const Resource::Override* found = nullptr;
  for (const auto& o : resource.overrides()) {
    const bool matches = o.target == Target::CloudFormation
                             ? o.path.starts_with("Properties.") && o.path.substr(11) == cloudformation
                             : o.path == terraform;
    if (matches) found = &o;
  }
  return found;
}

bool Report::has_unsuppressed_errors() const { return count(Severity::Error, false) > 0; }

std::size_t Report::count(Severity severity, bool suppressed) const {
  return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(), [&](const Finding& f) {
    return f.severity == severity && f.suppressed_because.has_value() == suppressed;
  }));
}

const std::vector<Rule>& all_rules() {
  static const std::vector<Rule> rules = [] {
    std::vector<Rule> out;
    for (const auto* area : {&detail::network_rules(),
                             &detail::kms_rules(),
                             &detail::rds_rules(),
                             &detail::elasticache_rules(),
                             &detail::secretsmanager_rules(),
                             &detail::logging_rules(),
                             &detail::api_rules(),
                             &detail::lambda_rules(),
                             &detail::iam_rules(),
                             &detail::literal_secret_rules(),
                             &detail::s3_rules(),
                             &detail::cloudtrail_rules(),
                             &detail::sqs_rules(),
                             &detail::sns_rules(),
                             &detail::cloudwatch_rules(),
                             &detail::waf_rules(),
                             &detail::cognito_rules(),
                             &detail::dynamodb_rules(),
                             &detail::backup_rules(),
                             &detail::database_backup_rules(),
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

namespace {

// The rules' own ids and those of cdk-nag ("HIPAA.Security-...") share this alphabet, which SARIF
// rule ids, suppressions and Terraform comments all carry unescaped.
bool valid_rule_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
  });
}

}  // namespace

RuleSet RuleSet::hipaa() {
  // The built-in rules live as long as the program: the set shares them without owning them.
  static const RuleSet builtin = [] {
    RuleSet set;
    for (const auto& rule : all_rules()) set.rules_.emplace_back(std::shared_ptr<const Rule>(), &rule);
    return set;
  }();
  return builtin;
}

RuleSet& RuleSet::add(Rule rule) {
  rules_.push_back(std::make_shared<const Rule>(std::move(rule)));
  return *this;
}

RuleSet& RuleSet::add(const RuleSet& other) {
  for (const auto& rule : other.rules_) {
    if (std::find(rules_.begin(), rules_.end(), rule) == rules_.end()) rules_.push_back(rule);
  }
  return *this;
}

std::shared_ptr<const Rule> RuleSet::find(std::string_view id) const {
  const auto it = std::find_if(rules_.begin(), rules_.end(), [&](const auto& rule) { return rule->id == id; });
  return it == rules_.end() ? nullptr : *it;
}

Diagnostics RuleSet::problems() const {
  Diagnostics out;
  std::map<std::string_view, std::size_t> first;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const Rule& rule = *rules_[i];
    auto problem = [&](std::string message) {
      out.push_back({.code = "HS1006",
                     .severity = Severity::Error,
                     .path = fmt::format("rules[{}]", i),
                     .message = std::move(message),
                     .hint = "give the rule an id of letters, digits, '-', '_' and '.' no other rule of the set "
                             "has, a title and a check function"});
    };
    if (!valid_rule_id(rule.id)) {
      problem(fmt::format("rule id '{}' is not 1 or more letters, digits, '-', '_' or '.'", rule.id));
    } else if (auto [it, added] = first.emplace(rule.id, i); !added) {
      problem(fmt::format("rule id '{}' is already the id of rules[{}] ('{}')", rule.id, it->second,
                          rules_[it->second]->title));
    }
    if (rule.title.empty()) problem(fmt::format("rule '{}' has no title", rule.id));
    if (!rule.check) problem(fmt::format("rule '{}' has no check function", rule.id));
  }
  return out;
}

Report check(const App& app, const RuleSet& rules) {
  Report report;
  report.rules = rules;
  report.diagnostics = rules.problems();
  if (has_errors(report.diagnostics)) return report;
  const auto app_index = Inventory::index_app(&app);
  for (const Stack* stack : app.stacks()) {
    const Inventory inventory(*stack, app_index);
    for (const auto& rule : rules.rules()) {
      Reporter reporter(rule, report.findings);
      rule->check(inventory, reporter);
    }
  }
  return report;
}

namespace {

std::string_view severity_name(Severity s) { return s == Severity::Error ? "error" : "warning"; }

Origin origin_of(const Diagnostic& d) {
  return {.file = d.file, .line = d.line, .option = d.option, .preset = d.preset};
}

// With the tree's errors and no findings, the rules did not run.
bool rules_skipped(const Report& report) { return report.findings.empty() && has_errors(report.diagnostics); }

}  // namespace

std::string format(const Finding& f) {
  std::string out = fmt::format("{} {} at {}", severity_name(f.rule->severity), f.rule->id, f.path);
  if (const std::string origin = to_string(origin_of(f)); !origin.empty()) out += fmt::format(" ({})", origin);
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
  for (const auto& d : report.diagnostics) out += format(d) + "\n";
  for (const auto& f : report.findings) {
    if (!f.suppressed_because) out += format(f) + "\n";
  }
  for (const auto& f : report.findings) {
    if (f.suppressed_because) out += format(f) + "\n";
  }
  if (rules_skipped(report)) {
    out += "the compliance rules did not run: the construct tree has errors\n";
    return out;
  }
  out += fmt::format("{} error(s), {} warning(s), {} suppressed, {} rule(s) checked\n",
                     report.count(Severity::Error, false), report.count(Severity::Warning, false),
                     report.count(Severity::Error, true) + report.count(Severity::Warning, true), report.rules.size());
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
    j["option"] = f.option;
    j["preset"] = f.preset;
    j["message"] = f.message;
    j["suppressed"] = f.suppressed_because.has_value();
    if (f.suppressed_because) j["reason"] = *f.suppressed_because;
    findings.push_back(std::move(j));
  }
  nlohmann::ordered_json diagnostics = nlohmann::ordered_json::array();
  std::size_t diagnostic_errors = 0;
  std::size_t diagnostic_warnings = 0;
  for (const auto& d : report.diagnostics) {
    ++(d.severity == Severity::Error ? diagnostic_errors : diagnostic_warnings);
    diagnostics.push_back({{"code", d.code},
                           {"severity", severity_name(d.severity)},
                           {"path", d.path},
                           {"file", d.file},
                           {"line", d.line},
                           {"option", d.option},
                           {"preset", d.preset},
                           {"message", d.message},
                           {"hint", d.hint}});
  }
  nlohmann::ordered_json out;
  // Counts include the tree's own problems (diagnostics), so "errors" is what fails a build.
  out["errors"] = report.count(Severity::Error, false) + diagnostic_errors;
  out["warnings"] = report.count(Severity::Warning, false) + diagnostic_warnings;
  out["suppressed"] = report.count(Severity::Error, true) + report.count(Severity::Warning, true);
  out["rules_ran"] = !rules_skipped(report);
  out["findings"] = std::move(findings);
  out["diagnostics"] = std::move(diagnostics);
  return out.dump(2) + "\n";
}

namespace {

using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

constexpr std::string_view kSourceRoot = "SRCROOT";

// "KMS keys rotate automatically" -> "KMSKeysRotateAutomatically": SARIF's rule names are
// identifiers.
std::string pascal_case(std::string_view title) {
  std::string out;
  bool upper = true;
  for (char c : title) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

// A path as a URI reference: unreserved characters and '/' as they are, every other byte
// percent-encoded.
std::string uri_path(std::string_view path) {
  std::string out;
  for (char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

fs::path normal(const fs::path& path) {
  std::error_code error;
  const fs::path absolute = path.is_absolute() ? path : fs::current_path(error) / path;
  fs::path canonical = fs::weakly_canonical(absolute, error);
  return error ? absolute.lexically_normal() : canonical;
}

// Where `file` is for SARIF: relative to the source root under SRCROOT, else an absolute file URI.
json artifact_location(const std::string& file, const fs::path& root) {
  const fs::path path = normal(file);
  const fs::path relative = path.lexically_relative(root);
  if (!relative.empty() && relative != "." && *relative.begin() != "..") {
    return {{"uri", uri_path(relative.generic_string())}, {"uriBaseId", kSourceRoot}};
  }
  return {{"uri", "file://" + uri_path(path.generic_string())}};
}

json location(const std::string& path, const Origin& origin, const fs::path& root, bool construct) {
  json out;
  if (!origin.file.empty()) {
    out["physicalLocation"] = {{"artifactLocation", artifact_location(origin.file, root)},
                               {"region", {{"startLine", std::max(1U, origin.line)}}}};
  }
  if (!path.empty()) {
    json logical = {{"fullyQualifiedName", path}, {"name", path.substr(path.rfind('/') + 1)}};
    if (construct) logical["kind"] = "resource";
    out["logicalLocations"] = json::array({std::move(logical)});
  }
  return out;
}

// What the location does not say: the option and the preset behind the value.
std::string message_text(std::string_view message, const Origin& origin) {
  const std::string setting = to_string(Origin{.option = origin.option, .preset = origin.preset});
  return setting.empty() ? std::string(message) : fmt::format("{} ({})", message, setting);
}

json properties(const Origin& origin) {
  json out = json::object();
  if (!origin.option.empty()) out["option"] = origin.option;
  if (!origin.preset.empty()) out["preset"] = origin.preset;
  return out;
}

// Stable across runs and line moves: the rule, the construct path, and which of that rule's
// results on that construct it is.
json fingerprints(std::string_view id, std::string_view path, std::map<std::string, int>& seen) {
  const std::string key = fmt::format("{}\n{}", id, path);
  const int occurrence = seen[key]++;
  return {{"hipaaSynthResult/v1", hipaa::detail::hex(hipaa::detail::sha256(fmt::format("{}\n{}", key, occurrence)))}};
}

json rule_descriptor(const Rule& rule) {
  std::string covered;
  json cdk_nag = json::array();
  for (std::string_view id : cdk_nag_ids(rule)) {
    cdk_nag.push_back(id);
    covered += fmt::format("{}`{}`", covered.empty() ? "" : ", ", id);
  }
  std::string area(rule.id.substr(rule.id.find('-') + 1));
  area = area.substr(0, area.find('-'));
  std::transform(area.begin(), area.end(), area.begin(),
                 [](char c) { return std::tolower(static_cast<unsigned char>(c)); });
  const std::string text =
      fmt::format("{}. Fix: {}. HIPAA Security Rule: {}.", rule.title, rule.remediation, rule.citation);
  std::string markdown =
      fmt::format("**{}**\n\nFix: {}.\n\nHIPAA Security Rule: {}.", rule.title, rule.remediation, rule.citation);
  if (!covered.empty()) markdown += fmt::format("\n\nAlso checks cdk-nag's HIPAA Security rules {}.", covered);
  json r;
  r["id"] = rule.id;
  r["name"] = pascal_case(rule.title);
  r["shortDescription"] = {{"text", rule.title}};
  r["fullDescription"] = {{"text", text}};
  r["help"] = {{"text", text}, {"markdown", std::move(markdown)}};
  r["defaultConfiguration"] = {{"level", severity_name(rule.severity)}};
  // security-severity ranks the alerts in code scanning: errors "High", warnings "Medium". The
  // rules read typed properties, with no heuristics: precision very-high.
  r["properties"] = {{"tags", json::array({"security", "hipaa", area})},
                     {"precision", "very-high"},
                     {"security-severity", rule.severity == Severity::Error ? "8.0" : "5.0"},
                     {"citation", rule.citation},
                     {"cdk-nag", std::move(cdk_nag)}};
  return r;
}

json code_descriptor(std::string_view code) {
  json r;
  r["id"] = code;
  const DiagnosticCode* known = find_diagnostic_code(code);
  const std::string title = known != nullptr ? std::string(known->title) : std::string(code);
  const std::string explanation = known != nullptr ? std::string(known->explanation) : title;
  r["name"] = pascal_case(title);
  r["shortDescription"] = {{"text", title}};
  r["fullDescription"] = {{"text", explanation}};
  r["help"] = {{"text", explanation}};
  r["defaultConfiguration"] = {{"level", "error"}};
  r["properties"] = {{"tags", json::array({"correctness", "hipaa-synth"})}, {"precision", "very-high"}};
  return r;
}

// Which rule a SARIF result belongs to. Validation diagnostics are results of their code's
// descriptor and carry their hint in the message; a finding's remediation is in its rule's
// descriptor, and its location names a construct.
struct ResultRule {
  std::string_view rule_id;
  std::size_t rule_index = 0;
  Severity level = Severity::Error;
  bool finding = false;
};

json sarif_result(const Diagnostic& d, const ResultRule& rule, const fs::path& root, std::map<std::string, int>& seen) {
  const Origin origin = origin_of(d);
  json result;
  result["ruleId"] = rule.rule_id;
  result["ruleIndex"] = rule.rule_index;
  result["level"] = severity_name(rule.level);
  std::string text = message_text(d.message, origin);
  if (!rule.finding && !d.hint.empty()) text += fmt::format(" (hint: {})", d.hint);
  result["message"] = {{"text", std::move(text)}};
  result["locations"] = json::array({location(d.path, origin, root, rule.finding)});
  result["partialFingerprints"] = fingerprints(rule.rule_id, d.path, seen);
  if (json p = properties(origin); !p.empty()) result["properties"] = std::move(p);
  return result;
}

}  // namespace

std::string to_sarif(const Report& report, const SarifOptions& options) {
  const fs::path root = normal(options.source_root.empty() ? fs::path(".") : options.source_root);
  json rules = json::array();
  std::map<std::string, std::size_t, std::less<>> index;
  for (const auto& rule : report.rules.rules()) {
    index.emplace(rule->id, rules.size());
    rules.push_back(rule_descriptor(*rule));
  }
  json results = json::array();
  std::map<std::string, int> seen;
  // The tree's problems first, as `check` prints them: validation codes are rules of their own.
  for (const auto& d : report.diagnostics) {
    auto [it, added] = index.emplace(d.code, rules.size());
    if (added) rules.push_back(code_descriptor(d.code));
    results.push_back(sarif_result(d, {.rule_id = d.code, .rule_index = it->second, .level = d.severity}, root, seen));
  }
  for (const auto& f : report.findings) {
    auto [it, added] = index.emplace(f.rule->id, rules.size());  // a finding's rule is in report.rules
    if (added) rules.push_back(rule_descriptor(*f.rule));
    json result = sarif_result(
        f, {.rule_id = f.rule->id, .rule_index = it->second, .level = f.rule->severity, .finding = true}, root, seen);
    if (f.suppressed_because) {
      result["suppressions"] = json::array({{{"kind", "inSource"}, {"justification", *f.suppressed_because}}});
    }
    results.push_back(std::move(result));
  }
  json invocation = {{"executionSuccessful", true}};
  if (rules_skipped(report)) {
    invocation["toolExecutionNotifications"] = json::array(
        {{{"level", "error"},
          {"message",
           {{"text", "The compliance rules did not run: the construct tree has errors, reported as results."}}}}});
  }
  json driver = {{"name", "hipaa-synth"},
                 {"version", options.tool_version},
                 {"semanticVersion", options.tool_version},
                 {"informationUri", "https://github.com/hipaa-synth/hipaa-synth"},
                 {"rules", std::move(rules)}};
  json run = {{"tool", {{"driver", std::move(driver)}}},
              {"invocations", json::array({std::move(invocation)})},
              {"originalUriBaseIds",
               {{kSourceRoot,
                 {{"description",
                   {{"text",
                     "The source root: hipaa-synth check --source-root, by default the directory it ran in "
                     "(the repository's root, for code scanning)."}}}}}}},
              {"results", std::move(results)}};
  json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({std::move(run)})}};
  return log.dump(2) + "\n";
}

std::string to_sarif(const Report& report, std::string_view tool_version) {
  return to_sarif(report, SarifOptions{.tool_version = std::string(tool_version), .source_root = {}});
}

std::string rules_markdown(const RuleSet& set) {
  std::string out =
      "# Compliance rules\n\n"
      "Generated by `hipaa-synth rules --format markdown`; `tests/test_rules.cpp` keeps this file current.\n\n"
      "Every rule runs over the typed construct tree, so it holds for the CloudFormation and the Terraform output "
      "alike. Suppress a rule on a construct (and everything below it) with `construct.suppress(\"RULE-ID\", "
      "\"reason\")`; the reason is required, listed in reports, and recorded in the output (CloudFormation "
      "`Metadata.hipaa-synth.suppressions`, a Terraform `\"//\"` comment). `synthesize()` and the command line refuse "
      "to synthesize on an unsuppressed error.\n\n"
      "A program adds its own rules with `rules::RuleSet` (`RuleSet::hipaa().add(rule)`); they take part in reports, "
      "SARIF, suppressions and that gate as these do (see `examples/custom-rules`).\n\n"
      "| Rule | Severity | HIPAA Security Rule | Checks that | Fix | cdk-nag HIPAA rules covered |\n"
      "| --- | --- | --- | --- | --- | --- |\n";
  for (const auto& entry : set.rules()) {
    const Rule& rule = *entry;
    std::string covered;
    for (std::string_view id : cdk_nag_ids(rule)) covered += fmt::format("{}`{}`", covered.empty() ? "" : ", ", id);
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
