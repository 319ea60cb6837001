// The hipaa-synth command line, run as a process: exit codes, files, error messages.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "support.hpp"

namespace fs = std::filesystem;

namespace {

using hipaa::test::Run;
using hipaa::test::run;

// The output after the warnings printed first (stderr and stdout are read together): the default
// preset's template is over 51,200 bytes, so it is deployed from S3 (HS3011).
std::string after_findings(const std::string& out) {
  std::size_t at = 0;
  while (out.compare(at, 8, "warning ") == 0 || out.compare(at, 7, "  fix: ") == 0 ||
         out.compare(at, 8, "  hint: ") == 0) {
    const auto end = out.find('\n', at);
    if (end == std::string::npos) return {};
    at = end + 1;
  }
  return out.substr(at);
}

fs::path temp_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("hipaa-synth-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

}  // namespace

TEST_CASE("The CLI prints the hardened CloudFormation template by default", "[cli]") {
  const Run r = run("--target cfn");
  CHECK(r.exit_code == 0);
  CHECK(after_findings(r.out).starts_with("AWSTemplateFormatVersion: '2010-09-09'\n"));
  CHECK(r.out.find("Type: AWS::ApiGateway::RestApi") != std::string::npos);
}

TEST_CASE("The CLI prints Terraform JSON and CloudFormation JSON", "[cli]") {
  CHECK(after_findings(run("--target tf").out).starts_with("{\n  \"terraform\": {"));
  const Run processing = run("--target cfn --format json --preset processing --allow-noncompliant");
  CHECK(processing.exit_code == 0);
  CHECK(processing.out.find("\n{\n  \"AWSTemplateFormatVersion\"") != std::string::npos);
}

TEST_CASE("Usage errors exit with 2", "[cli]") {
  CHECK(run("").exit_code == 2);
  CHECK(run("--target pulumi").exit_code == 2);
  const Run preset = run("--target cfn --preset nope");
  CHECK(preset.exit_code == 2);
  CHECK(preset.out == "error: unknown preset 'nope'; valid presets: processing, records, hardened\n");
  CHECK(run("--target tf --format yaml").exit_code == 2);
  CHECK(run("--target cfn --config /nonexistent/config.yaml").exit_code == 2);
}

TEST_CASE("The help and version flags exit with 0", "[cli]") {
  const Run help = run("--help");
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--target") != std::string::npos);
  const Run version = run("--version");
  CHECK(version.exit_code == 0);
  CHECK(version.out.starts_with("hipaa-synth "));
}

TEST_CASE("Writing to a directory produces the documented files", "[cli]") {
  const fs::path dir = temp_dir("out");
  CHECK(run("--target cfn -o " + dir.string()).exit_code == 0);
  CHECK(fs::exists(dir / "HealthcareStack.template.yaml"));
  const Run tf = run("--target tf -o " + dir.string());
  CHECK(tf.exit_code == 0);
  CHECK(tf.out.find("wrote " + dir.string() + "/HealthcareStack/main.tf.json\n") != std::string::npos);
  CHECK(fs::exists(dir / "HealthcareStack" / "main.tf.json"));
  const Run again = run("--target tf -o " + dir.string());
  CHECK(again.out.find("unchanged " + dir.string() + "/HealthcareStack/main.tf.json\n") != std::string::npos);
  CHECK(again.out.find("wrote ") == std::string::npos);
  const auto zips = std::distance(fs::directory_iterator(dir / "HealthcareStack" / "lambda"), fs::directory_iterator());
  CHECK(zips == 1);  // one function, one content-addressed zip
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    CHECK(entry.path().filename().string().find(".hipaa-synth-") == std::string::npos);  // no staging file
  }
  fs::remove_all(dir);
}

TEST_CASE("An unwritable output path is one clear error with exit 1 and no partial output", "[cli]") {
  const fs::path dir = temp_dir("blocked");
  fs::create_directories(dir);
  std::ofstream(dir / "HealthcareStack") << "a file where the Terraform directory should go";
  const Run r = run("--target tf -o " + dir.string());
  CHECK(r.exit_code == 1);
  CHECK(after_findings(r.out).starts_with("error HS4001 at " + (dir / "HealthcareStack").string() + ": cannot write"));
  // Nothing but the file that was there, and the lock file every run takes.
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{".hipaa-synth.lock", "HealthcareStack"});
  fs::remove_all(dir);
}

TEST_CASE("The environment suffix and region flags reach the output", "[cli]") {
  const Run r = run("--target tf --env-suffix prod --region eu-west-1");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("\"region\": \"eu-west-1\"") != std::string::npos);
  CHECK(r.out.find("\"default\": \"prod\"") != std::string::npos);
}

TEST_CASE("A config file's mistakes are reported with key and line, exit 1, nothing written", "[cli]") {
  const fs::path dir = temp_dir("config");
  fs::create_directories(dir);
  std::ofstream(dir / "stack.yaml") << "environment_suffix: prod\ndatabse:\n  instances: 3\ncache:\n  nodes: two\n";
  const Run r = run("--target cfn --config " + (dir / "stack.yaml").string() + " -o " + (dir / "out").string());
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("error HS5002 at databse (" + (dir / "stack.yaml").string() +
                   ":2): unknown key 'databse' in the top level") != std::string::npos);
  CHECK(r.out.find("error HS5003 at cache.nodes (" + (dir / "stack.yaml").string() +
                   ":5): 'cache.nodes' must be an integer, got 'two'") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out"));
  fs::remove_all(dir);
}

TEST_CASE("A config file sets the healthcare stack's options", "[cli]") {
  const fs::path dir = temp_dir("config-ok");
  fs::create_directories(dir);
  std::ofstream(dir / "stack.json")
      << R"({"preset": "records", "environment_suffix": "qa", "database": {"backup_retention_days": 14}})";
  const Run r = run("--target cfn --allow-noncompliant --config " + (dir / "stack.json").string());
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Default: qa") != std::string::npos);
  CHECK(r.out.find("BackupRetentionPeriod: 14") != std::string::npos);
  CHECK(r.out.find("Type: AWS::RDS::DBInstance") != std::string::npos);  // the records preset
  fs::remove_all(dir);
}

TEST_CASE("Compliance errors refuse to synthesize unless explicitly allowed", "[cli]") {
  const fs::path dir = temp_dir("gate");
  const Run refused = run("--target tf --preset records -o " + dir.string());
  CHECK(refused.exit_code == 1);
  CHECK(refused.out.find("error HIPAA-RDS-5 at HealthcareStack/Database") != std::string::npos);
  CHECK(refused.out.find("error HS7001: ") != std::string::npos);
  CHECK(refused.out.find("unsuppressed compliance error(s); nothing was synthesized") != std::string::npos);
  CHECK_FALSE(fs::exists(dir));
  const Run allowed = run("--target tf --preset records --allow-noncompliant -o " + dir.string());
  CHECK(allowed.exit_code == 0);
  CHECK(allowed.out.find("warning HS7001: synthesized despite ") != std::string::npos);
  CHECK(fs::exists(dir / "HealthcareStack" / "main.tf.json"));
  fs::remove_all(dir);
}

TEST_CASE("The check subcommand reports findings and exits 1 on errors", "[cli]") {
  const Run hardened = run("check");
  CHECK(hardened.exit_code == 0);
  CHECK(hardened.out.find("\n0 error(s), 0 warning(s), 3 suppressed") != std::string::npos);
  CHECK(hardened.out.find("suppressed: ") != std::string::npos);
  const Run processing = run("check --preset processing --format json");
  CHECK(processing.exit_code == 1);
  CHECK(processing.out.find("\"rule\": \"HIPAA-API-7\"") != std::string::npos);
  CHECK(run("check --format xml").exit_code == 2);
}

TEST_CASE("Without a target or subcommand the CLI explains what it needs", "[cli]") {
  const Run r = run("--preset records");
  CHECK(r.exit_code == 2);
  CHECK(
      r.out.starts_with("error: --target is required (cfn or tf), or use a subcommand: check, rules, codes, nodes, "
                        "schema, diff, bench-app"));
}

TEST_CASE("The drift gate exits 0 when the directory is current and 1 with a diff when not", "[cli]") {
  const fs::path dir = temp_dir("drift");
  REQUIRE(run("--target cfn -o " + dir.string()).exit_code == 0);
  const Run same = run("--target cfn -o " + dir.string() + " --check");
  CHECK(same.exit_code == 0);
  CHECK(same.out.find("no drift") != std::string::npos);
  const auto before = fs::last_write_time(dir / "HealthcareStack.template.yaml");
  const Run changed = run("--target cfn --env-suffix prod -o " + dir.string() + " --check --no-color");
  CHECK(changed.exit_code == 1);
  CHECK(changed.out.find("[~] EnvironmentSuffix") != std::string::npos);
  CHECK(changed.out.find("Default: \"dev\" -> \"prod\"") != std::string::npos);
  CHECK(fs::last_write_time(dir / "HealthcareStack.template.yaml") == before);  // nothing written
  CHECK(run("--target cfn --check").exit_code == 2);                            // nothing to compare with
  fs::remove_all(dir);
}

TEST_CASE("The diff subcommand compares templates across forms and exits like diff(1)", "[cli]") {
  const fs::path dir = temp_dir("diff");
  REQUIRE(run("--target cfn -o " + (dir / "yaml").string()).exit_code == 0);
  REQUIRE(run("--target cfn --format json -o " + (dir / "json").string()).exit_code == 0);
  const std::string yaml = (dir / "yaml" / "HealthcareStack.template.yaml").string();
  const std::string json = (dir / "json" / "HealthcareStack.template.json").string();
  const Run same = run("diff " + yaml + " " + json);
  CHECK(same.exit_code == 0);  // short and long form intrinsics are the same template
  REQUIRE(run("--target cfn --env-suffix qa -o " + (dir / "qa").string()).exit_code == 0);
  const Run differs =
      run("diff " + yaml + " " + (dir / "qa" / "HealthcareStack.template.yaml").string() + " --format json");
  CHECK(differs.exit_code == 1);
  CHECK(differs.out.find("\"EnvironmentSuffix\"") != std::string::npos);
  REQUIRE(run("--target tf -o " + (dir / "tf").string()).exit_code == 0);
  const Run mixed = run("diff " + yaml + " " + (dir / "tf" / "HealthcareStack" / "main.tf.json").string());
  CHECK(mixed.exit_code == 2);
  CHECK(mixed.out.find("HS6004") != std::string::npos);
  CHECK(run("diff " + yaml + " /nonexistent.yaml").exit_code == 2);
  fs::remove_all(dir);
}

TEST_CASE("Several stacks on standard output are a YAML stream, or an error asking for -o", "[cli]") {
  const Run yaml = run("bench-app --stacks 3 --resources-per-stack 16 --target cfn 2>/dev/null");
  CHECK(yaml.exit_code == 0);
  std::size_t separators = 0;
  for (std::size_t at = yaml.out.find("\n---\nAWSTemplateFormatVersion"); at != std::string::npos;
       at = yaml.out.find("\n---\nAWSTemplateFormatVersion", at + 1)) {
    ++separators;
  }
  CHECK(separators == 2);
  CHECK(yaml.out.starts_with("AWSTemplateFormatVersion"));

  const Run json = run("bench-app --stacks 2 --resources-per-stack 16 --target cfn --format json");
  CHECK(json.exit_code == 2);
  CHECK(json.out ==
        "error: 2 stacks are JSON templates, which cannot share one stream; write them with -o DIR, or "
        "pick one with --stack NAME\n");
  const Run tf = run("bench-app --stacks 2 --resources-per-stack 16 --target tf");
  CHECK(tf.exit_code == 2);
  CHECK(tf.out ==
        "error: 2 stacks are Terraform configurations, one directory each; write them with -o DIR, or "
        "pick one with --stack NAME\n");
  // One stack picked out is one document.
  CHECK(run("bench-app --stacks 2 --resources-per-stack 16 --target tf --stack Stack1").exit_code == 0);
}

TEST_CASE("The --state-* options place the Terraform state; an unknown region is an error naming it", "[cli]") {
  const Run s3 =
      run("--target tf --region eu-west-1 --env-suffix prod --state-bucket acme-state "
          "--state-kms-key alias/state");
  REQUIRE(s3.exit_code == 0);
  const auto backend = nlohmann::json::parse(after_findings(s3.out))["terraform"]["backend"]["s3"];
  CHECK(backend["bucket"] == "acme-state");
  CHECK(backend["key"] == "HealthcareStack/prod.tfstate");
  CHECK(backend["region"] == "eu-west-1");
  CHECK(backend["kms_key_id"] == "alias/state");

  const Run mars = run("--target tf --region mars-1");
  CHECK(mars.exit_code == 1);
  CHECK_THAT(mars.out, Catch::Contains("HS2006") &&
                           Catch::Contains("region 'mars-1' is not a region of partition aws") &&
                           Catch::Contains("us-east-1, us-east-2"));
  const Run suffix = run("--target cfn --env-suffix abc-");
  CHECK(suffix.exit_code == 1);
  CHECK_THAT(suffix.out, Catch::Contains("HS2007") && Catch::Contains("'environment_suffix' is 'abc-'") &&
                             !Catch::Contains("HS2003"));
}
