// User-defined rules: a RuleSet extends the built-in HIPAA rules, and a program's rule takes part
// in check, the reports (text, JSON, SARIF), suppressions and the compliance gate of synthesize().
#include <catch2/catch.hpp>

#include "hipaa/aws/dynamodb.hpp"
#include "hipaa/aws/kms.hpp"
#include "hipaa/aws/logs.hpp"
#include "hipaa/aws/rds.hpp"
#include "hipaa/aws/s3.hpp"
#include "hipaa/healthcare.hpp"
#include "hipaa/rules.hpp"
#include "hipaa/synth.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

constexpr int kSixYears = 2192;  // days: HIPAA keeps documentation six years (45 CFR 164.316(b)(2)(i))

// An organization's own rule: log groups keep their logs six years.
rules::Rule six_year_logs(Severity severity = Severity::Error) {
  return {.id = "ORG-LOGS-1",
          .severity = severity,
          .citation = "45 CFR 164.316(b)(2)(i)",
          .title = "Log groups keep logs for six years",
          .remediation = "set retention_days to 2192 or more",
          .check = [](const rules::Inventory& stack, rules::Reporter& report) {
            for (const auto* group : stack.all<logs::LogGroup>()) {
              const int days = group->props().retention_days;
              if (days < kSixYears) report.flag(*group, "keeps logs " + std::to_string(days) + " days");
            }
          }};
}

// A stack with one log group keeping logs a year, and its key (compliant with the built-in rules
// but for the trail, suppressed on the stack).
struct Fixture {
  App app;
  Stack& stack = app.add_stack("S");
  kms::Key& key = stack.add<kms::Key>("Key", {.description = "logs", .allow_cloudwatch_logs = true});
  logs::LogGroup& group = stack.add<logs::LogGroup>("Audit", {.log_group_name = "/audit", .kms_key = key});
  Fixture() { stack.suppress("HIPAA-TRAIL-4", "the organization trail records the account"); }
};

std::vector<std::string> unsuppressed(const rules::Report& report) {
  std::vector<std::string> out;
  for (const auto& f : report.findings) {
    if (!f.suppressed_because) out.push_back(f.rule->id + " " + f.path + ": " + f.message);
  }
  return out;
}

}  // namespace

TEST_CASE("A program's rule runs beside the built-in ones and names the program's line", "[rules][rule-set]") {
  Fixture f;
  CHECK(unsuppressed(rules::check(f.app)).empty());  // the built-in rules pass
  const rules::Report report = rules::check(f.app, rules::RuleSet::hipaa().add(six_year_logs()));
  CHECK(unsuppressed(report) == std::vector<std::string>{"ORG-LOGS-1 S/Audit: keeps logs 365 days"});
  REQUIRE(report.findings.size() == 2);  // and the suppressed trail finding
  const auto& finding = report.findings.back();
  CHECK(finding.rule->title == "Log groups keep logs for six years");  // the temporary set is gone
  CHECK(finding.file.ends_with("test_rule_set.cpp"));
  CHECK(finding.line == f.group.created_at().line());  // the line that created the log group
  // One type for every problem: a finding is a Diagnostic with the rule's id, severity and fix.
  const Diagnostic& as_diagnostic = finding;
  CHECK(as_diagnostic.code == "ORG-LOGS-1");
  CHECK(as_diagnostic.severity == Severity::Error);
  CHECK(as_diagnostic.hint == "set retention_days to 2192 or more");
  CHECK(format(as_diagnostic).starts_with("error ORG-LOGS-1 at S/Audit (" + finding.file));
  CHECK(report.rules.size() == rules::all_rules().size() + 1);
  CHECK(report.has_unsuppressed_errors());

  f.group.suppress("ORG-LOGS-1", "the SIEM archives these logs for ten years");
  const rules::Report suppressed = rules::check(f.app, rules::RuleSet::hipaa().add(six_year_logs()));
  CHECK(unsuppressed(suppressed).empty());
  CHECK(suppressed.findings.back().suppressed_because == "the SIEM archives these logs for ten years");
  CHECK_FALSE(suppressed.has_unsuppressed_errors());
}

TEST_CASE("A program's rule is in every rendering of a report", "[rules][rule-set]") {
  Fixture f;
  const rules::RuleSet set = rules::RuleSet::hipaa().add(six_year_logs(Severity::Warning));
  const rules::Report report = rules::check(f.app, set);

  const std::string text = rules::to_text(report);
  CHECK_THAT(text, Catch::Contains("warning ORG-LOGS-1 at S/Audit"));
  CHECK_THAT(text, Catch::Contains("keeps logs 365 days [45 CFR 164.316(b)(2)(i)]"));
  CHECK_THAT(text, Catch::Contains(std::to_string(set.size()) + " rule(s) checked"));

  const json as_json = json::parse(rules::to_json(report));
  CHECK(as_json["warnings"] == 1);
  CHECK(as_json.dump().find("ORG-LOGS-1") != std::string::npos);

  const json sarif = json::parse(rules::to_sarif(report, "1.0.0"));
  const json& run = sarif["runs"][0];
  const json& descriptors = run["tool"]["driver"]["rules"];
  REQUIRE(descriptors.size() == set.size());
  CHECK(descriptors.back()["id"] == "ORG-LOGS-1");
  CHECK(descriptors.back()["defaultConfiguration"]["level"] == "warning");
  bool found = false;
  for (const auto& result : run["results"]) {
    if (result["ruleId"] != "ORG-LOGS-1") continue;
    found = true;
    CHECK(result["ruleIndex"] == descriptors.size() - 1);
    CHECK(result["level"] == "warning");
  }
  CHECK(found);

  const std::string markdown = rules::rules_markdown(set);
  CHECK_THAT(markdown, Catch::Contains("| ORG-LOGS-1 | warning | 45 CFR 164.316(b)(2)(i) |"));
}

TEST_CASE("synthesize() refuses on a program's rule error unless allowed, and runs no rule from an empty set",
          "[rules][rule-set][synth]") {
  Fixture f;
  SynthesisOptions options{.target = Target::Terraform};
  options.rules.add(six_year_logs());
  const SynthesisResult refused = synthesize(f.app, options);
  CHECK_FALSE(refused.ok());
  CHECK(refused.files.empty());
  CHECK(unsuppressed(refused.compliance) == std::vector<std::string>{"ORG-LOGS-1 S/Audit: keeps logs 365 days"});
  REQUIRE(refused.diagnostics.size() == 1);
  CHECK(refused.diagnostics[0].code == "HS7001");
  CHECK(refused.diagnostics[0].message == "1 unsuppressed compliance error(s); nothing was synthesized");

  options.allow_noncompliant = true;
  const SynthesisResult allowed = synthesize(f.app, options);
  CHECK(allowed.ok());
  CHECK_FALSE(allowed.files.empty());
  REQUIRE(allowed.diagnostics.size() == 1);
  CHECK(allowed.diagnostics[0].severity == Severity::Warning);
  CHECK(allowed.diagnostics[0].message == "synthesized despite 1 unsuppressed compliance error(s)");

  // The built-in rules run by default: an unencrypted log group is refused.
  App bare;
  bare.add_stack("B").add<logs::LogGroup>("Plain", {.log_group_name = "/plain"});
  const SynthesisResult checked = synthesize(bare, {.target = Target::CloudFormation});
  CHECK_FALSE(checked.ok());
  CHECK(checked.compliance.count(Severity::Error, false) > 0);
  const SynthesisResult unchecked = synthesize(bare, {.target = Target::CloudFormation, .rules = {}});
  CHECK(unchecked.ok());
  CHECK(unchecked.compliance.findings.empty());
}

TEST_CASE("A rule that cannot run is an HS1006 error and no rule of its set runs", "[rules][rule-set]") {
  Fixture f;
  auto problems_of = [&](rules::Rule rule) {
    const rules::Report report = rules::check(f.app, rules::RuleSet::hipaa().add(std::move(rule)));
    CHECK(report.findings.empty());
    std::vector<std::string> out;
    for (const auto& d : report.diagnostics) {
      CHECK(d.code == "HS1006");
      out.push_back(d.path + ": " + d.message);
    }
    return out;
  };
  const std::string last = "rules[" + std::to_string(rules::all_rules().size()) + "]: ";

  rules::Rule duplicate = six_year_logs();
  duplicate.id = "HIPAA-RDS-1";
  const auto duplicated = problems_of(duplicate);
  REQUIRE(duplicated.size() == 1);
  CHECK(duplicated[0].starts_with(last + "rule id 'HIPAA-RDS-1' is already the id of rules["));

  rules::Rule spaced = six_year_logs();
  spaced.id = "ORG LOGS 1";
  CHECK(problems_of(spaced) ==
        std::vector<std::string>{last + "rule id 'ORG LOGS 1' is not 1 or more letters, digits, '-', '_' or '.'"});

  rules::Rule empty_id = six_year_logs();
  empty_id.id.clear();
  CHECK(problems_of(empty_id).size() == 1);

  rules::Rule incomplete = six_year_logs();
  incomplete.title.clear();
  incomplete.check = nullptr;
  CHECK(problems_of(incomplete) == std::vector<std::string>{last + "rule 'ORG-LOGS-1' has no title",
                                                            last + "rule 'ORG-LOGS-1' has no check function"});

  // synthesize() refuses such a set before lowering anything.
  SynthesisOptions options{.target = Target::CloudFormation};
  options.rules.add(incomplete);
  const SynthesisResult result = synthesize(f.app, options);
  CHECK(result.files.empty());
  REQUIRE_FALSE(result.diagnostics.empty());
  CHECK(result.diagnostics[0].code == "HS1006");
}

TEST_CASE("Rule sets are values: copies share rules, adding a set skips rules already in it", "[rules][rule-set]") {
  rules::RuleSet org;
  org.add(six_year_logs());
  rules::RuleSet combined = rules::RuleSet::hipaa();
  combined.add(org).add(org);  // the second adds nothing
  CHECK(combined.size() == rules::all_rules().size() + 1);
  CHECK(combined.find("ORG-LOGS-1") == org.find("ORG-LOGS-1"));
  CHECK(combined.find("HIPAA-RDS-1").get() == rules::find_rule("HIPAA-RDS-1"));
  CHECK(combined.find("NOPE") == nullptr);
  CHECK(rules::RuleSet::hipaa().size() == rules::all_rules().size());  // unchanged by the copies
  CHECK(org.problems().empty());
}

TEST_CASE("Rules judge the effective value: an override that weakens a checked property is reported at its line",
          "[rules][overrides]") {
  Fixture f;
  auto& key = f.stack.add<kms::Key>("Rotating", {.description = "k"});
  auto findings = [&] {
    std::vector<std::string> out;
    for (const auto& finding : rules::check(f.app).findings) {
      if (finding.rule->id == "HIPAA-KMS-1") {
        out.push_back(finding.path + ": " + finding.message + " @" + std::to_string(finding.line));
        CHECK(finding.file.ends_with("test_rule_set.cpp"));
      }
    }
    return out;
  };
  CHECK(findings().empty());

  const unsigned cfn_line = __LINE__ + 1;
  key.add_override(Target::CloudFormation, "Properties.EnableKeyRotation", false);
  CHECK(findings() == std::vector<std::string>{
                          "S/Rotating: an override sets Properties.EnableKeyRotation to false (CloudFormation) @" +
                          std::to_string(cfn_line)});

  // The Terraform argument, and an override that keeps the safe value, the same way.
  auto& other = f.stack.add<kms::Key>("Other", {.description = "k"});
  const unsigned tf_line = __LINE__ + 1;
  other.add_override(Target::Terraform, "enable_key_rotation", false);
  f.stack.add<kms::Key>("Kept", {.description = "k"}).add_override(Target::Terraform, "enable_key_rotation", true);
  CHECK(findings() ==
        std::vector<std::string>{
            "S/Rotating: an override sets Properties.EnableKeyRotation to false (CloudFormation) @" +
                std::to_string(cfn_line),
            "S/Other: an override sets enable_key_rotation to false (Terraform) @" + std::to_string(tf_line)});
  CHECK(rules::find_override(other, "EnableKeyRotation", "enable_key_rotation")->where.line() == tf_line);
  CHECK(rules::find_override(f.key, "EnableKeyRotation", "enable_key_rotation") == nullptr);
}

// What `rule` reports on the construct at `path`, with the line it names.
std::vector<std::string> reported(const App& app, std::string_view rule, std::string_view path) {
  std::vector<std::string> out;
  for (const auto& finding : rules::check(app).findings) {
    if (finding.rule->id == rule && finding.path == path) {
      out.push_back(finding.message + " @" + std::to_string(finding.line));
    }
  }
  return out;
}

TEST_CASE("An override inside, over or beside a structured property a rule checks", "[rules][overrides]") {
  Fixture f;
  auto& bucket = f.stack.add<s3::Bucket>("Data", {.kms_key = f.key});
  auto& table = f.stack.add<dynamodb::Table>(
      "Table", {.table_name = "visits", .partition_key = {"patient_id"}, .kms_key = f.key});
  CHECK(reported(f.app, "HIPAA-S3-6", "S/Data").empty());
  CHECK(reported(f.app, "HIPAA-DYNAMODB-2", "S/Table").empty());

  // Beside it: nothing to report.
  bucket.add_override(Target::CloudFormation, "Properties.ObjectLockEnabled", false);
  CHECK(reported(f.app, "HIPAA-S3-6", "S/Data").empty());

  // Inside it: the algorithm the rule checked on the typed node is no longer what deploys.
  const unsigned inside = __LINE__ + 1;
  bucket.add_override(Target::CloudFormation,
                      "Properties.BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault."
                      "SSEAlgorithm",
                      "AES256");
  CHECK(reported(f.app, "HIPAA-S3-6", "S/Data") ==
        std::vector<std::string>{"an override sets Properties.BucketEncryption.ServerSideEncryptionConfiguration.0."
                                 "ServerSideEncryptionByDefault.SSEAlgorithm (CloudFormation), replacing the "
                                 "BucketEncryption this rule checks on the typed node: the rule cannot judge the "
                                 "value deployed @" +
                                 std::to_string(inside)});

  // A boolean leaf is judged by its value; an enclosing object replaces it, whatever it holds.
  table.add_override(Target::Terraform, "point_in_time_recovery.enabled", true);
  CHECK(reported(f.app, "HIPAA-DYNAMODB-2", "S/Table").empty());
  const unsigned leaf = __LINE__ + 1;
  table.add_override(Target::CloudFormation, "Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled",
                     false);
  CHECK(reported(f.app, "HIPAA-DYNAMODB-2", "S/Table") ==
        std::vector<std::string>{"an override sets "
                                 "Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled to false "
                                 "(CloudFormation) @" +
                                 std::to_string(leaf)});
  const unsigned over = __LINE__ + 1;
  table.add_override(Target::CloudFormation, "Properties", Value());
  CHECK(reported(f.app, "HIPAA-DYNAMODB-2", "S/Table") ==
        std::vector<std::string>{"an override sets Properties (CloudFormation), replacing the "
                                 "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled this rule checks on the "
                                 "typed node: the rule cannot judge the value deployed @" +
                                 std::to_string(over)});

  // A switch set to something that is not a literal cannot be judged either.
  auto& key = f.stack.add<kms::Key>("Rotating", {.description = "k"});
  const Value rotate = f.stack.add_parameter({.name = "Rotate", .description = "rotate the key"});
  const unsigned parameter = __LINE__ + 1;
  key.add_override(Target::CloudFormation, "Properties.EnableKeyRotation", rotate);
  CHECK(reported(f.app, "HIPAA-KMS-1", "S/Rotating") ==
        std::vector<std::string>{"an override sets Properties.EnableKeyRotation to a value that is not a literal true "
                                 "or false (CloudFormation): the rule cannot judge it @" +
                                 std::to_string(parameter)});
}

TEST_CASE("An override of an Aurora cluster's StorageEncrypted in the healthcare stack is HIPAA-RDS-1",
          "[rules][overrides]") {
  App app;
  auto& stack = app.add<HealthcareStack>("HealthcareStack", HealthcareOptions::preset(Preset::Hardened));
  rds::DatabaseCluster* cluster = nullptr;
  for (const auto& child : stack.children()) {
    if (auto* c = dynamic_cast<rds::DatabaseCluster*>(child.get())) cluster = c;
  }
  REQUIRE(cluster != nullptr);
  const unsigned line = __LINE__ + 1;
  cluster->add_override(Target::CloudFormation, "Properties.StorageEncrypted", false);
  std::vector<std::string> found;
  for (const auto& finding : rules::check(app).findings) {
    if (finding.rule->id != "HIPAA-RDS-1") continue;
    found.push_back(finding.path + ": " + finding.message);
    CHECK(finding.file.ends_with("test_rule_set.cpp"));
    CHECK(finding.line == line);
    CHECK(finding.option.empty());
  }
  CHECK(found == std::vector<std::string>{"HealthcareStack/DatabaseCluster: an override sets "
                                          "Properties.StorageEncrypted to false (CloudFormation)"});
  const SynthesisResult refused = synthesize(app, {.target = Target::CloudFormation});
  CHECK(refused.files.empty());
}
