// The built-in healthcare stack: every preset synthesizes for both targets, deterministically,
// the hardened preset has the seeds' defects fixed, and no output carries a secret.
#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <sstream>

#include "hipaa/diff.hpp"
#include "hipaa/healthcare.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

std::unique_ptr<App> healthcare(Preset preset) {
  auto app = std::make_unique<App>();
  app->add<HealthcareStack>("HealthcareStack", HealthcareOptions::preset(preset));
  return app;
}

struct Variant {
  Target target;
  Format format;
  const char* directory;
};
constexpr Variant kVariants[] = {{Target::CloudFormation, Format::Yaml, "cfn-yaml"},
                                 {Target::CloudFormation, Format::Json, "cfn-json"},
                                 {Target::Terraform, Format::Json, "tf"}};
constexpr Preset kPresets[] = {Preset::Hardened, Preset::Processing, Preset::Records};

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// All CloudFormation resources of a type.
std::vector<json> of_type(const json& tmpl, const std::string& type) {
  std::vector<json> out;
  for (const auto& [id, r] : tmpl["Resources"].items()) {
    if (r["Type"] == type) out.push_back(r);
  }
  return out;
}

}  // namespace

TEST_CASE("Every preset synthesizes for every target and format without diagnostics", "[healthcare]") {
  for (Preset preset : kPresets) {
    for (const auto& v : kVariants) {
      INFO(to_string(preset) << " " << v.directory);
      const auto app = healthcare(preset);
      const SynthesisResult result = synthesize(*app, {.target = v.target, .format = v.format, .rules = {}});
      // The one diagnostic a complete workload may get: its template is deployed from S3 (over
      // 51,200 bytes), as the CDK always does.
      for (const auto& d : result.diagnostics) {
        INFO(format(d));
        CHECK(d.code == "HS3011");
        CHECK(v.target == Target::CloudFormation);
      }
      CHECK_FALSE(result.files.empty());
    }
  }
}

TEST_CASE("Synthesis is deterministic to the byte", "[healthcare]") {
  for (const auto& v : kVariants) {
    const auto first = synthesize(*healthcare(Preset::Hardened), {.target = v.target, .format = v.format});
    const auto second = synthesize(*healthcare(Preset::Hardened), {.target = v.target, .format = v.format});
    REQUIRE(first.files.size() == second.files.size());
    for (std::size_t i = 0; i < first.files.size(); ++i) {
      CHECK(first.files[i].path == second.files[i].path);
      CHECK(first.files[i].contents == second.files[i].contents);
    }
  }
}

TEST_CASE("Output matches the golden files (regenerate with scripts/regenerate-golden.sh)", "[healthcare][golden]") {
  for (Preset preset : kPresets) {
    for (const auto& v : kVariants) {
      const auto result =
          synthesize(*healthcare(preset), {.target = v.target, .format = v.format, .allow_noncompliant = true});
      for (const auto& file : result.files) {
        const std::string golden = std::string(HIPAA_SOURCE_DIR) + "/tests/golden/" + std::string(to_string(preset)) +
                                   "/" + v.directory + "/" + file.path;
        INFO(golden);
        CHECK(file.contents == read(golden));
      }
    }
  }
}

TEST_CASE("The hardened stack fixes every seed defect", "[healthcare]") {
  const json t = test::cfn(*healthcare(Preset::Hardened));
  for (const auto& db : of_type(t, "AWS::RDS::DBCluster")) {
    CHECK(db["Properties"]["DeletionProtection"] == true);
    CHECK(db["Properties"]["BackupRetentionPeriod"].get<int>() >= 7);
    CHECK(db["Properties"]["StorageEncrypted"] == true);
    CHECK(db["DeletionPolicy"] == "Snapshot");
  }
  CHECK(of_type(t, "AWS::RDS::DBInstance").size() == 2);  // two Aurora instances: multi-AZ failover
  for (const auto& m : of_type(t, "AWS::ApiGateway::Method")) CHECK(m["Properties"]["AuthorizationType"] == "AWS_IAM");
  for (const auto& s : of_type(t, "AWS::ApiGateway::Stage")) {
    CHECK(s["Properties"]["MethodSettings"][0]["DataTraceEnabled"] == false);
    CHECK(s["DependsOn"] == "ApiGatewayAccount");
  }
  CHECK(of_type(t, "AWS::ApiGateway::Account").size() == 1);
  CHECK(of_type(t, "AWS::EC2::FlowLog").size() == 1);
  for (const auto& g : of_type(t, "AWS::Logs::LogGroup")) {
    CHECK(g["Properties"]["KmsKeyId"] == json{{"Fn::GetAtt", {"LogsKey", "Arn"}}});
    CHECK(g["Properties"]["RetentionInDays"].get<int>() >= 365);
  }
  const auto statements = t["Resources"]["LogsKey"]["Properties"]["KeyPolicy"]["Statement"];
  CHECK(statements[1]["Sid"] == "AllowCloudWatchLogs");
  for (const auto& c : of_type(t, "AWS::ElastiCache::ReplicationGroup")) {
    CHECK(c["Properties"]["TransitEncryptionEnabled"] == true);
    CHECK(c["Properties"]["AtRestEncryptionEnabled"] == true);
    CHECK(c["Properties"].contains("UserGroupIds"));
    CHECK_FALSE(c["Properties"].contains("AuthToken"));
  }
  CHECK(t["Outputs"]["ApiEndpoint"]["Export"]["Name"] ==
        json{{"Fn::Sub", "healthcare-api-endpoint-${EnvironmentSuffix}"}});
}

TEST_CASE("The processing preset keeps seed 000's policy defects for the checks to find", "[healthcare]") {
  const json t = test::cfn(*healthcare(Preset::Processing));
  const auto apis = of_type(t, "AWS::ApiGatewayV2::Api");
  REQUIRE(apis.size() == 1);
  CHECK(apis[0]["Properties"]["CorsConfiguration"]["AllowOrigins"] == json{"*"});
  for (const auto& r : of_type(t, "AWS::ApiGatewayV2::Route")) CHECK(r["Properties"]["AuthorizationType"] == "NONE");
  CHECK(of_type(t, "AWS::RDS::DBInstance").size() == 2);
  CHECK(of_type(t, "AWS::EC2::FlowLog").empty());
}

TEST_CASE("The records preset mirrors seed 002's architecture", "[healthcare]") {
  const json t = test::cfn(*healthcare(Preset::Records));
  CHECK(of_type(t, "AWS::RDS::DBInstance").size() == 1);
  CHECK(of_type(t, "AWS::KMS::Key").size() == 2);
  CHECK(of_type(t, "AWS::EC2::VPCEndpoint").size() == 1);
  CHECK(of_type(t, "AWS::ApiGateway::Method")[0]["Properties"]["AuthorizationType"] == "AWS_IAM");
  CHECK(t["Outputs"].size() == 7);
}

TEST_CASE("No output of any preset contains a secret", "[healthcare][secrets]") {
  // Properties that would carry a credential, in either target's spelling.
  const std::regex forbidden_key(
      R"re("(MasterUserPassword|MasterPassword|master_password|password|AuthToken|auth_token|SecretString|secret_string|api_key|ApiKey)"\s*:)re");
  // Literal credentials like the seeds' ("ChangeThisPassword123!") or key material.
  const std::regex forbidden_value(R"re(ChangeThis|Password123|-----BEGIN|AKIA[0-9A-Z]{16})re");
  for (Preset preset : kPresets) {
    for (const auto& v : kVariants) {
      const auto result =
          synthesize(*healthcare(preset), {.target = v.target, .format = Format::Json, .allow_noncompliant = true});
      for (const auto& file : result.files) {
        if (file.path.ends_with(".zip")) continue;
        INFO(to_string(preset) << " " << file.path);
        CHECK_FALSE(std::regex_search(file.contents, forbidden_key));
        CHECK_FALSE(std::regex_search(file.contents, forbidden_value));
      }
    }
  }
}

TEST_CASE("Changing one option changes only the resources it concerns", "[healthcare]") {
  auto options = HealthcareOptions::preset(Preset::Hardened);
  App before;
  before.add<HealthcareStack>("HealthcareStack", options);
  options.database.backup_retention_days = 14;
  App after;
  after.add<HealthcareStack>("HealthcareStack", options);
  const json a = test::cfn(before)["Resources"];
  const json b = test::cfn(after)["Resources"];
  std::vector<std::string> changed;
  for (const auto& [id, r] : a.items()) {
    if (b[id] != r) changed.push_back(id);
  }
  CHECK(changed == std::vector<std::string>{"DatabaseCluster"});
}

TEST_CASE("Invalid healthcare options are reported, not synthesized", "[healthcare]") {
  auto options = HealthcareOptions::preset(Preset::Hardened);
  options.network.vpc_cidr = "10.0.0.0/8";
  options.network.private_subnet_cidrs = {"10.0.10.0/24", "172.16.0.0/24"};
  options.log_retention_days = 42;
  App app;
  app.add<HealthcareStack>("HealthcareStack", options);
  const auto found = test::problems(app);
  CHECK(std::find(found.begin(), found.end(),
                  "HS2002 HealthcareStack/Network/Vpc: 'cidr_block' 10.0.0.0/8 must have a prefix length between /16 "
                  "and /28") != found.end());
  CHECK(std::count_if(found.begin(), found.end(), [](const std::string& s) {
          return s.find("'retention_days' is 42") != std::string::npos;
        }) == 5);  // audit trail, flow logs, function, API access logs, WAF logs
}

namespace {

// The diff between the healthcare stack before and after `change`, for a target.
hipaa::DiffReport diff_after(const std::function<void(HealthcareOptions&)>& change, Target target) {
  auto options = HealthcareOptions::preset(Preset::Hardened);
  auto document = [&](const HealthcareOptions& o) {
    App app;
    app.add<HealthcareStack>("HealthcareStack", o);
    const SynthesisResult result = synthesize(app, {.target = target, .allow_noncompliant = true});
    hipaa::LoadedDocument loaded;
    REQUIRE(load_document(result.files.front().contents, result.files.front().path, loaded).empty());
    return loaded;
  };
  const auto before = document(options);
  change(options);
  return hipaa::diff(before, document(options));
}

}  // namespace

TEST_CASE("One changed option shows up as exactly the expected resource-level changes", "[healthcare][diff]") {
  const auto cfn =
      diff_after([](HealthcareOptions& o) { o.database.backup_retention_days = 14; }, Target::CloudFormation);
  REQUIRE(cfn.changes.size() == 1);
  CHECK(cfn.changes[0].id == "DatabaseCluster");
  CHECK(cfn.changes[0].kind == hipaa::ChangeKind::Modified);
  REQUIRE(cfn.changes[0].properties.size() == 1);
  CHECK(cfn.changes[0].properties[0].path == "Properties.BackupRetentionPeriod");

  const auto tf = diff_after([](HealthcareOptions& o) { o.database.backup_retention_days = 14; }, Target::Terraform);
  REQUIRE(tf.changes.size() == 1);
  CHECK(tf.changes[0].id == "aws_rds_cluster.database_cluster");

  // Turning the cache off removes exactly the cache's resources and the function's access to it.
  const auto no_cache = diff_after([](HealthcareOptions& o) { o.cache.enabled = false; }, Target::CloudFormation);
  std::set<std::string> removed;
  std::set<std::string> modified;
  for (const auto& c : no_cache.changes) {
    if (c.kind == hipaa::ChangeKind::Removed) removed.insert(c.id);
    if (c.kind == hipaa::ChangeKind::Modified) modified.insert(c.id);
  }
  CHECK(removed == std::set<std::string>{"Cache", "CacheAppUser", "CacheDefaultUser", "CacheSecurityGroup",
                                         "CacheSecurityGroupFromLambdaSecurityGroupPort6379", "CacheSubnetGroup",
                                         "CacheUserGroup", "LambdaSecurityGroupToCacheSecurityGroupPort6379"});
  CHECK(modified == std::set<std::string>{"Function", "FunctionRoleGrants"});
}
