// Where findings and diagnostics point: the line of the config file's key that set the offending
// value, the user's C++ line (also for constructs a library composite created for them), the
// built-in stack's preset; never the library's own sources nor the build machine's paths. And the
// SARIF that carries them to code scanning.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hipaa/audit_trail.hpp"
#include "hipaa/aws/kms.hpp"
#include "hipaa/healthcare.hpp"
#include "hipaa/healthcare_config.hpp"
#include "hipaa/rules.hpp"
#include "hipaa/synth.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kThisFile = "test_locations.cpp";

std::vector<rules::Finding> findings_of(const App& app, std::string_view rule) {
  std::vector<rules::Finding> out;
  for (auto& f : rules::check(app).findings) {
    if (f.rule->id == rule) out.push_back(std::move(f));
  }
  return out;
}

const Diagnostic* diagnostic_at(const Diagnostics& found, std::string_view code, std::string_view path) {
  for (const auto& d : found) {
    if (d.code == code && d.path == path) return &d;
  }
  return nullptr;
}

// The healthcare stack of a config document applied over a preset, as the command line builds it.
std::unique_ptr<App> from_config(std::string_view yaml, Preset preset = Preset::Hardened) {
  auto options = HealthcareOptions::preset(preset);
  const Diagnostics problems = apply_config(yaml, "stack.yaml", options);
  REQUIRE(problems.empty());
  auto app = std::make_unique<App>();
  app->add<HealthcareStack>("HealthcareStack", options);
  return app;
}

using hipaa::test::Run;
using hipaa::test::Stderr;

// What `hipaa-synth ARGUMENTS` printed to stdout (documents these tests parse).
Run stdout_of(const std::string& arguments) { return hipaa::test::run(arguments, Stderr::Dropped); }

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

const json& result_of(const json& sarif, std::string_view rule, std::string_view path) {
  for (const auto& result : sarif["runs"][0]["results"]) {
    if (result["ruleId"] == rule && result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == path) {
      return result;
    }
  }
  FAIL("no result " << rule << " at " << path);
  static const json none;
  return none;
}

}  // namespace

TEST_CASE("apply_config records the file and the line of every key it reads", "[locations][config]") {
  auto options = HealthcareOptions::preset(Preset::Records);
  const Diagnostics problems = apply_config(
      "# the stack\npreset: processing\ndatabase:\n  deletion_protection: false\napi:\n  routes:\n"
      "    - {method: GET, path: /p}\n",
      "infra/stack.yaml", options);
  REQUIRE(problems.empty());
  CHECK(options.sources.file == "infra/stack.yaml");
  CHECK(options.sources.preset == "records");  // the preset key is the caller's to apply
  CHECK(options.sources.lines == std::map<std::string, unsigned, std::less<>>{{"preset", 2},
                                                                              {"database", 3},
                                                                              {"database.deletion_protection", 4},
                                                                              {"api", 5},
                                                                              {"api.routes", 6},
                                                                              {"api.routes[0].method", 7},
                                                                              {"api.routes[0].path", 7}});
  // Another file's lines would point into the wrong file.
  REQUIRE(apply_config("\nregion: eu-west-1\n", "other.yaml", options).empty());
  CHECK(options.sources.file == "other.yaml");
  CHECK(options.sources.lines == std::map<std::string, unsigned, std::less<>>{{"region", 2}});
}

TEST_CASE("A finding about a config-built stack names the file and the line of the key that set the value",
          "[locations]") {
  const auto app = from_config(
      "environment_suffix: qa\ndatabase:\n  engine_version: \"16.6\"\n"
      "  deletion_protection: false\nlog_retention_days: 30\n");
  const auto rds = findings_of(*app, "HIPAA-RDS-6");
  REQUIRE(rds.size() == 1);
  CHECK(rds[0].file == "stack.yaml");
  CHECK(rds[0].line == 4);
  CHECK(rds[0].option == "database.deletion_protection");
  CHECK(rds[0].preset.empty());
  CHECK(rules::format(rds[0]) ==
        "error HIPAA-RDS-6 at HealthcareStack/DatabaseCluster (stack.yaml:4, database.deletion_protection): "
        "deletion protection is off [45 CFR 164.308(a)(7)(i)]\n  fix: set deletion_protection");
  const auto logs = findings_of(*app, "HIPAA-LOGS-3");
  REQUIRE(logs.size() == 5);  // every log group of the stack
  for (const auto& f : logs) {
    CHECK(f.line == 5);
    CHECK(f.option == "log_retention_days");
  }
}

TEST_CASE("A value the file left at its preset's default points at the nearest enclosing key, else the preset's line",
          "[locations]") {
  SECTION("the file names the preset") {
    const auto app =
        from_config("# seed 000\npreset: processing\ndatabase:\n  engine_version: \"16.6\"\n", Preset::Processing);
    const auto rds = findings_of(*app, "HIPAA-RDS-6");
    REQUIRE(rds.size() == 1);
    CHECK(rds[0].line == 3);  // `database:`
    CHECK(rds[0].option == "database.deletion_protection");
    CHECK(rds[0].preset == "processing");
    CHECK(rules::format(rds[0]).starts_with(
        "error HIPAA-RDS-6 at HealthcareStack/DatabaseCluster (stack.yaml:3, database.deletion_protection from "
        "preset processing): "));
    const auto vpc = findings_of(*app, "HIPAA-VPC-1");
    REQUIRE(vpc.size() == 1);
    CHECK(vpc[0].line == 2);  // no `network:`: the `preset:` that chose the value
    CHECK(vpc[0].option == "network.flow_logs");
    CHECK(vpc[0].preset == "processing");
  }
  SECTION("the preset came from elsewhere (--preset): line 1 stands for the whole file") {
    const auto app = from_config("\n\ndatabase:\n  engine_version: \"16.6\"\n", Preset::Processing);
    const auto vpc = findings_of(*app, "HIPAA-VPC-1");
    REQUIRE(vpc.size() == 1);
    CHECK(vpc[0].file == "stack.yaml");
    CHECK(vpc[0].line == 1);
    CHECK(vpc[0].option == "network.flow_logs");
    CHECK(vpc[0].preset == "processing");
  }
}

TEST_CASE("Options that only together make a finding, or an invalid tree on their own, are still found",
          "[locations]") {
  // The log key's policy: the hardened value of either option alone does not fix it.
  const auto app = from_config(
      "preset: processing\nencryption:\n  separate_log_key: false\n"
      "  log_key_allows_cloudwatch: false\n",
      Preset::Processing);
  const auto logs = findings_of(*app, "HIPAA-LOGS-2");
  REQUIRE_FALSE(logs.empty());
  CHECK(logs[0].option.starts_with("encryption."));
  CHECK((logs[0].line == 3 || logs[0].line == 4));
  // The trail: its hardened value alone makes the tree invalid (the data key does not let
  // CloudTrail use it), so no rule runs there.
  const auto trail = findings_of(*app, "HIPAA-TRAIL-4");
  REQUIRE(trail.size() == 1);
  CHECK(trail[0].path == "HealthcareStack");
  CHECK(trail[0].option == "audit.trail");
  CHECK(trail[0].line == 1);
}

TEST_CASE("A validation error about a config-built stack names the line of the key", "[locations]") {
  const auto app = from_config("network:\n  vpc_cidr: 10.9.0.0/16\nfunction:\n  memory_mb: 99999\n");
  const Diagnostics found = validate(*app);
  const Diagnostic* subnet = diagnostic_at(found, "HS2002", "HealthcareStack/Network/PrivateSubnet1");
  REQUIRE(subnet != nullptr);
  CHECK(subnet->file == "stack.yaml");
  CHECK(subnet->line == 2);
  CHECK(subnet->option == "network.vpc_cidr");
  const Diagnostic* memory = diagnostic_at(found, "HS2004", "HealthcareStack/Function");
  REQUIRE(memory != nullptr);
  CHECK(format(*memory) ==
        "error HS2004 at HealthcareStack/Function (stack.yaml:4, function.memory_mb): 'memory_mb' is 99999; AWS "
        "accepts 128 to 10240");
}

TEST_CASE("Constructs a library composite creates are located at the user's line that added it", "[locations]") {
  App app;
  auto& stack = app.add_stack("S");
  auto& key = stack.add<kms::Key>("Key", {.description = "k", .allow_cloudwatch_logs = true, .allow_cloudtrail = true});
  const unsigned line = __LINE__ + 1;
  auto& audit = stack.add<AuditTrail>("Audit", {.kms_key = key, .log_retention_days = 42});
  for (const Construct* c : {static_cast<const Construct*>(&audit), static_cast<const Construct*>(&audit.bucket()),
                             static_cast<const Construct*>(&audit.trail())}) {
    CHECK(std::string_view(c->created_at().file_name()).ends_with(kThisFile));
    CHECK(c->created_at().line() == line);
  }
  const Diagnostics found = validate(app);
  const Diagnostic* retention = diagnostic_at(found, "HS2004", "S/Audit/LogGroup");
  REQUIRE(retention != nullptr);
  CHECK(retention->file.ends_with(kThisFile));
  CHECK(retention->line == line);
  CHECK(retention->option.empty());

  App valid;
  auto& s = valid.add_stack("S");
  auto& k = s.add<kms::Key>("Key", {.description = "k", .allow_cloudwatch_logs = true, .allow_cloudtrail = true});
  const unsigned audit_line = __LINE__ + 1;
  s.add<AuditTrail>("Audit", {.kms_key = k});
  const auto replication = findings_of(valid, "HIPAA-S3-3");  // suppressed on both buckets
  REQUIRE(replication.size() == 2);
  for (const auto& f : replication) {
    CHECK(f.file.ends_with(kThisFile));
    CHECK(f.line == audit_line);
    CHECK(f.suppressed_because.has_value());
  }
}

TEST_CASE("Findings about a HealthcareStack a program adds point at the program's line and name the option",
          "[locations]") {
  App app;
  const unsigned line = __LINE__ + 1;
  auto& stack = app.add<HealthcareStack>("HealthcareStack", HealthcareOptions::preset(Preset::Processing));
  const unsigned own_line = __LINE__ + 1;
  stack.add<kms::Key>("ExtraKey", {.description = "k", .enable_key_rotation = false});
  const rules::Report report = rules::check(app);
  REQUIRE_FALSE(report.findings.empty());
  for (const auto& f : report.findings) {
    INFO(rules::format(f));
    CHECK(f.file.ends_with(kThisFile));
    CHECK(f.line == (f.path == "HealthcareStack/ExtraKey" ? own_line : line));
  }
  const auto rds = findings_of(app, "HIPAA-RDS-6");
  REQUIRE(rds.size() == 1);
  CHECK(rds[0].option == "database.deletion_protection");
  CHECK(rds[0].preset == "processing");
  const auto extra = findings_of(app, "HIPAA-KMS-1");
  REQUIRE(extra.size() == 1);
  CHECK(extra[0].option.empty());  // the program's own construct: no option set it

  // A value the program set is the program's, not the preset's.
  auto options = HealthcareOptions::preset(Preset::Hardened);
  options.database.deletion_protection = false;
  App own;
  own.add<HealthcareStack>("HealthcareStack", options);
  const auto set = findings_of(own, "HIPAA-RDS-6");
  REQUIRE(set.size() == 1);
  CHECK(set[0].option == "database.deletion_protection");
  CHECK(set[0].preset.empty());
}

TEST_CASE("The command line's built-in stack names its preset and the option, never a source file",
          "[locations][cli]") {
  const Run processing = stdout_of("check --preset processing");
  CHECK(processing.exit_code == 1);
  CHECK(processing.out.find("error HIPAA-RDS-6 at HealthcareStack/DatabaseCluster (database.deletion_protection "
                            "from preset processing): deletion protection is off") != std::string::npos);
  const Run hardened = stdout_of("check");
  CHECK(hardened.exit_code == 0);
  CHECK(hardened.out.find("error HIPAA-S3-3 at HealthcareStack/Audit/Bucket (preset hardened): ") != std::string::npos);
  CHECK(processing.out.find(".cpp") == std::string::npos);
  CHECK(hardened.out.find(".cpp") == std::string::npos);
}

TEST_CASE("No output of hipaa-synth contains a path of the machine that built it", "[locations][cli]") {
  const test::ScratchDir dir("paths");
  write(dir.path / "stack.yaml", "preset: processing\ndatabase:\n  deletion_protection: false\n");
  write(dir.path / "bad.yaml", "network:\n  vpc_cidr: 10.9.0.0/16\nfunctoin: {}\n");
  write(dir.path / "invalid.yaml", "function:\n  memory_mb: 99999\n");
  std::vector<std::string> sources = {"--preset processing",
                                      "--preset records",
                                      "--preset hardened",
                                      "--config " + (dir.path / "stack.yaml").string(),
                                      "--config " + (dir.path / "bad.yaml").string(),
                                      "--config " + (dir.path / "invalid.yaml").string()};
  const std::vector<std::string> commands = {"check",
                                             "check --format json",
                                             "check --format sarif",
                                             "--target cfn --allow-noncompliant",
                                             "--target cfn --format json --allow-noncompliant",
                                             "--target tf --allow-noncompliant"};
  const std::string build_tree = fs::path(HIPAA_SYNTH_BINARY).parent_path().string();
  for (const auto& source : sources) {
    for (const auto& command : commands) {
      const Run r = hipaa::test::run(source + " " + command);
      INFO(source << " " << command);
      CHECK_FALSE(r.out.empty());
      CHECK(r.out.find(HIPAA_SOURCE_DIR) == std::string::npos);
      CHECK(r.out.find(build_tree) == std::string::npos);
      CHECK(r.out.find("src/stacks/") == std::string::npos);
      CHECK(r.out.find("src/patterns/") == std::string::npos);
      CHECK(r.out.find("/usr/include/") == std::string::npos);
    }
  }
}

TEST_CASE("SARIF names the config file relative to the source root, at the key's line, with a stable fingerprint",
          "[locations][cli][sarif]") {
  const test::ScratchDir dir("sarif");
  const fs::path config = dir.path / "infra" / "stack.yaml";
  write(config, "preset: processing\ndatabase:\n  deletion_protection: false\n");
  const Run r = stdout_of("check --config " + config.string() + " --format sarif --source-root " + dir.path.string());
  CHECK(r.exit_code == 1);
  const json sarif = json::parse(r.out);
  const json& run0 = sarif["runs"][0];
  CHECK(run0["originalUriBaseIds"]["SRCROOT"].contains("description"));
  CHECK_FALSE(run0["originalUriBaseIds"]["SRCROOT"].contains("uri"));  // no machine's path in the log
  const json& rds = result_of(sarif, "HIPAA-RDS-6", "HealthcareStack/DatabaseCluster");
  const json& physical = rds["locations"][0]["physicalLocation"];
  CHECK(physical["artifactLocation"] == json{{"uri", "infra/stack.yaml"}, {"uriBaseId", "SRCROOT"}});
  CHECK(physical["region"]["startLine"] == 3);
  CHECK(rds["message"]["text"] == "deletion protection is off (database.deletion_protection)");
  CHECK(rds["properties"]["option"] == "database.deletion_protection");
  const json& vpc = result_of(sarif, "HIPAA-VPC-1", "HealthcareStack/Network/Vpc");
  CHECK(vpc["locations"][0]["physicalLocation"]["region"]["startLine"] == 1);
  CHECK(vpc["properties"] == json{{"option", "network.flow_logs"}, {"preset", "processing"}});

  // The fingerprint is the rule and the construct, not the line: moving the key keeps the alert.
  write(config, "# moved down by two lines\n\npreset: processing\ndatabase:\n  deletion_protection: false\n");
  const json moved = json::parse(
      stdout_of("check --config " + config.string() + " --format sarif --source-root " + dir.path.string()).out);
  const json& rds_moved = result_of(moved, "HIPAA-RDS-6", "HealthcareStack/DatabaseCluster");
  CHECK(rds_moved["locations"][0]["physicalLocation"]["region"]["startLine"] == 5);
  CHECK(rds_moved["partialFingerprints"] == rds["partialFingerprints"]);
  CHECK(rds["partialFingerprints"]["hipaaSynthResult/v1"].get<std::string>().size() == 64);
  CHECK(rds["partialFingerprints"] != vpc["partialFingerprints"]);

  // URIs are percent-encoded.
  write(dir.path / "my infra" / "stack.yaml", "database:\n  deletion_protection: false\n");
  const json spaced = json::parse(stdout_of("check --config '" + (dir.path / "my infra" / "stack.yaml").string() +
                                            "' --format sarif --source-root " + dir.path.string())
                                      .out);
  CHECK(result_of(spaced, "HIPAA-RDS-6",
                  "HealthcareStack/DatabaseCluster")["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "my%20infra/stack.yaml");

  // A file outside the source root keeps its absolute file URI.
  const test::ScratchDir elsewhere("root");
  const json outside = json::parse(
      stdout_of("check --config " + config.string() + " --format sarif --source-root " + elsewhere.path.string()).out);
  const json& location = result_of(outside, "HIPAA-RDS-6", "HealthcareStack/DatabaseCluster")["locations"][0];
  const std::string uri = location["physicalLocation"]["artifactLocation"]["uri"];
  CHECK(uri.starts_with("file:///"));
  CHECK(uri.ends_with("/infra/stack.yaml"));
  CHECK_FALSE(location["physicalLocation"]["artifactLocation"].contains("uriBaseId"));
}

TEST_CASE("SARIF describes every rule as code scanning shows it", "[locations][sarif]") {
  rules::Report report;
  const json sarif = json::parse(rules::to_sarif(report, {.tool_version = "1.2.3", .source_root = {}}));
  const json& driver = sarif["runs"][0]["tool"]["driver"];
  CHECK(driver["name"] == "hipaa-synth");
  CHECK(driver["semanticVersion"] == "1.2.3");
  REQUIRE(driver["rules"].size() == rules::all_rules().size());
  for (std::size_t i = 0; i < rules::all_rules().size(); ++i) {
    const rules::Rule& rule = rules::all_rules()[i];
    const json& r = driver["rules"][i];
    INFO(rule.id);
    CHECK(r["id"] == rule.id);
    const std::string name = r["name"];
    CHECK_FALSE(name.empty());
    CHECK(name.find(' ') == std::string::npos);
    CHECK(r["shortDescription"]["text"] == rule.title);
    CHECK(r["fullDescription"]["text"].get<std::string>().find(rule.citation) != std::string::npos);
    CHECK(r["help"]["text"].get<std::string>().find(rule.remediation) != std::string::npos);
    CHECK(r["help"]["markdown"].get<std::string>().starts_with("**"));
    CHECK(r["defaultConfiguration"]["level"] == (rule.severity == Severity::Error ? "error" : "warning"));
    CHECK(r["properties"]["tags"][0] == "security");
    CHECK(r["properties"]["tags"][1] == "hipaa");
    CHECK(r["properties"]["precision"] == "very-high");
    CHECK(r["properties"]["security-severity"] == (rule.severity == Severity::Error ? "8.0" : "5.0"));
    CHECK(r["properties"]["citation"] == rule.citation);
  }
  CHECK(driver["rules"][0]["name"] == "VPCsHaveFlowLogs");  // "VPCs have flow logs"
}

TEST_CASE("check prints a complete JSON or SARIF document when the tree is invalid, and exits 1", "[locations][cli]") {
  const test::ScratchDir dir("invalid");
  write(dir.path / "stack.yaml", "network:\n  vpc_cidr: 10.9.0.0/16\nfunction:\n  memory_mb: 99999\n");
  const std::string config = "--config " + (dir.path / "stack.yaml").string();

  const Run text = hipaa::test::run("check " + config);
  CHECK(text.exit_code == 1);
  CHECK(text.out.find("error HS2004 at HealthcareStack/Function (" + (dir.path / "stack.yaml").string() +
                      ":4, function.memory_mb): 'memory_mb' is 99999; AWS accepts 128 to 10240") != std::string::npos);

  const Run as_json = stdout_of("check --format json " + config);
  CHECK(as_json.exit_code == 1);
  const json j = json::parse(as_json.out);
  CHECK(j["rules_ran"] == false);
  CHECK(j["errors"] == 3);
  CHECK(j["findings"].empty());
  CHECK(j["diagnostics"][0]["code"] == "HS2002");
  CHECK(j["diagnostics"][0]["line"] == 2);
  CHECK(j["diagnostics"][2] == json{{"code", "HS2004"},
                                    {"severity", "error"},
                                    {"path", "HealthcareStack/Function"},
                                    {"file", (dir.path / "stack.yaml").string()},
                                    {"line", 4},
                                    {"option", "function.memory_mb"},
                                    {"preset", ""},
                                    {"message", "'memory_mb' is 99999; AWS accepts 128 to 10240"},
                                    {"hint", ""}});

  const Run as_sarif = stdout_of("check --format sarif --source-root " + dir.path.string() + " " + config);
  CHECK(as_sarif.exit_code == 1);
  const json sarif = json::parse(as_sarif.out);
  const json& run0 = sarif["runs"][0];
  REQUIRE(run0["results"].size() == 3);
  const json& memory = run0["results"][2];
  CHECK(memory["ruleId"] == "HS2004");
  CHECK(memory["level"] == "error");
  CHECK(memory["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "stack.yaml");
  CHECK(memory["locations"][0]["physicalLocation"]["region"]["startLine"] == 4);
  const json& descriptor = run0["tool"]["driver"]["rules"][memory["ruleIndex"].get<std::size_t>()];
  CHECK(descriptor["id"] == "HS2004");
  CHECK(descriptor["shortDescription"]["text"] == std::string(find_diagnostic_code("HS2004")->title));
  CHECK(run0["invocations"][0]["executionSuccessful"] == true);
  CHECK(run0["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"] ==
        "The compliance rules did not run: the construct tree has errors, reported as results.");

  // A config file the reader refuses: its problems are the results, at their lines.
  write(dir.path / "typo.yaml", "environment_suffix: qa\ndatabse:\n  instances: 3\n");
  const Run typo = stdout_of("check --format sarif --source-root " + dir.path.string() + " --config " +
                             (dir.path / "typo.yaml").string());
  CHECK(typo.exit_code == 1);
  const json typo_sarif = json::parse(typo.out);
  REQUIRE(typo_sarif["runs"][0]["results"].size() == 1);
  CHECK(typo_sarif["runs"][0]["results"][0]["ruleId"] == "HS5002");
  CHECK(typo_sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 2);
}
