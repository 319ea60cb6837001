// Values and references: how each kind renders in CloudFormation and in Terraform, and the
// reference checks (foreign stacks, cycles).
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/kms.hpp"
#include "hipaa/aws/logs.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

// A stack with one key and a log group whose name is `name`, to look at how `name` renders.
struct Fixture {
  App app;
  Stack& stack = app.add_stack("S");
  kms::Key& key = stack.add<kms::Key>("Key", {.description = "k"});
  Value suffix = stack.add_parameter({.name = "EnvironmentSuffix", .default_value = "dev"});

  json rendered(Value value, Target target) {
    stack.add<logs::LogGroup>("Logs", {.log_group_name = std::move(value)});
    const json doc = test::synth_json(app, target);
    return target == Target::CloudFormation ? doc["Resources"]["Logs"]["Properties"]["LogGroupName"]
                                            : doc["resource"]["aws_cloudwatch_log_group"]["logs"]["name"];
  }
};

}  // namespace

TEST_CASE("A Ref-style attribute renders as Ref and as the Terraform attribute", "[values]") {
  Fixture a, b;
  CHECK(a.rendered(a.key.key_id(), Target::CloudFormation) == json{{"Ref", "Key"}});
  CHECK(b.rendered(b.key.key_id(), Target::Terraform) == "${aws_kms_key.key.key_id}");
}

TEST_CASE("A GetAtt attribute renders as Fn::GetAtt and as the Terraform attribute", "[values]") {
  Fixture a, b;
  CHECK(a.rendered(a.key.arn(), Target::CloudFormation) == json{{"Fn::GetAtt", {"Key", "Arn"}}});
  CHECK(b.rendered(b.key.arn(), Target::Terraform) == "${aws_kms_key.key.arn}");
}

TEST_CASE("An interpolation renders as Fn::Sub and as a template string", "[values]") {
  Fixture a, b;
  auto value = [](Fixture& f) {
    return interpolate({"/logs/", f.suffix, "/", region(), "/", f.key.arn(), "/${literal}"});
  };
  CHECK(a.rendered(value(a), Target::CloudFormation) ==
        json{{"Fn::Sub", "/logs/${EnvironmentSuffix}/${AWS::Region}/${Key.Arn}/${!literal}"}});
  CHECK(b.rendered(value(b), Target::Terraform) ==
        "/logs/${var.environment_suffix}/${data.aws_region.current.name}/${aws_kms_key.key.arn}/$${literal}");
}

TEST_CASE("An interpolation of a complex part uses a Fn::Sub variable", "[values]") {
  Fixture a, b;
  CHECK(a.rendered(interpolate({"az-", select(1, availability_zones())}), Target::CloudFormation) ==
        json{{"Fn::Sub", {"az-${Part0}", {{"Part0", {{"Fn::Select", {1, {{"Fn::GetAZs", ""}}}}}}}}}});
  CHECK(b.rendered(interpolate({"az-", select(1, availability_zones())}), Target::Terraform) ==
        "az-${element(data.aws_availability_zones.available.names, 1)}");
}

TEST_CASE("Join, select and availability zones render as intrinsics and as functions", "[values]") {
  Fixture a, b;
  CHECK(a.rendered(join("-", {"a", account_id(), partition()}), Target::CloudFormation) ==
        json{{"Fn::Join", {"-", {"a", {{"Ref", "AWS::AccountId"}}, {{"Ref", "AWS::Partition"}}}}}});
  CHECK(b.rendered(join("-", {"a", account_id(), partition()}), Target::Terraform) ==
        "${join(\"-\", [\"a\", data.aws_caller_identity.current.account_id, data.aws_partition.current.partition])}");
}

TEST_CASE("Pseudo parameters and availability zones add exactly the data sources they need", "[values]") {
  Fixture f;
  f.stack.add<logs::LogGroup>("A", {.log_group_name = interpolate({"x", region(), url_suffix()})});
  const json doc = test::tf(f.app);
  CHECK(doc["data"]["aws_region"] == json{{"current", json::object()}});
  CHECK(doc["data"]["aws_partition"] == json{{"current", json::object()}});
  CHECK_FALSE(doc["data"].contains("aws_availability_zones"));
}

TEST_CASE("A parameter renders as Ref and as a Terraform variable with its validation", "[values]") {
  Fixture a, b;
  CHECK(a.rendered(a.suffix, Target::CloudFormation) == json{{"Ref", "EnvironmentSuffix"}});
  CHECK(b.rendered(b.suffix, Target::Terraform) == "${var.environment_suffix}");
  const json doc = test::tf(b.app);
  CHECK(doc["variable"]["environment_suffix"]["default"] == "dev");
  CHECK(test::cfn(a.app)["Parameters"]["EnvironmentSuffix"] == json{{"Type", "String"}, {"Default", "dev"}});
}

TEST_CASE("Literal strings are escaped for Terraform templates", "[values]") {
  App app;
  app.add_stack("S").add<kms::Key>("Key", {.description = "k", .tags = {{"Note", "${not a ref} %{nor a directive}"}}});
  CHECK(test::tf(app)["resource"]["aws_kms_key"]["key"]["tags"]["Note"] == "$${not a ref} %%{nor a directive}");
  CHECK(test::cfn(app)["Resources"]["Key"]["Properties"]["Tags"][0]["Value"] == "${not a ref} %{nor a directive}");
}

TEST_CASE("A reference into another stack becomes an export and an import", "[values]") {
  App app;
  auto& producer = app.add_stack("Shared", {.terraform_backend = {.bucket = "state", .key = "shared.tfstate"}});
  auto& key = producer.add<kms::Key>("Key", {.description = "k"});
  app.add_stack("Api").add<logs::LogGroup>("Logs", {.log_group_name = "x", .kms_key = key});

  const SynthesisResult cfn =
      synthesize(app, {.target = Target::CloudFormation, .format = Format::Json, .allow_noncompliant = true});
  REQUIRE(cfn.ok());
  const json shared = json::parse(cfn.files[0].contents);
  const json api = json::parse(cfn.files[1].contents);
  CHECK(shared["Outputs"]["ExportKeyArn"] == json{{"Description", "Imported by other stacks of the app"},
                                                  {"Value", {{"Fn::GetAtt", {"Key", "Arn"}}}},
                                                  {"Export", {{"Name", "Shared-Key-Arn"}}}});
  CHECK(api["Resources"]["Logs"]["Properties"]["KmsKeyId"] == json{{"Fn::ImportValue", "Shared-Key-Arn"}});

  const SynthesisResult tf = synthesize(app, {.target = Target::Terraform, .allow_noncompliant = true});
  REQUIRE(tf.ok());
  const json shared_tf = json::parse(tf.files[0].contents);
  const json api_tf = json::parse(tf.files[1].contents);
  CHECK(shared_tf["output"]["export_key_arn"]["value"] == "${aws_kms_key.key.arn}");
  CHECK(api_tf["resource"]["aws_cloudwatch_log_group"]["logs"]["kms_key_id"] ==
        "${data.terraform_remote_state.shared.outputs.export_key_arn}");
  CHECK(api_tf["data"]["terraform_remote_state"]["shared"] ==
        json{{"backend", "s3"}, {"config", {{"bucket", "state"}, {"key", "shared.tfstate"}, {"region", "us-east-1"}}}});

  const json manifest = json::parse(tf.files.back().contents);
  CHECK(tf.files.back().path == "manifest.json");
  CHECK(manifest["deploy_order"] == json{"Shared", "Api"});
  CHECK(manifest["stacks"][1]["dependencies"] == json{"Shared"});
}

TEST_CASE("Stacks that import from each other are a cycle error naming it", "[values]") {
  App app;
  auto& a = app.add_stack("A");
  auto& b = app.add_stack("B");
  auto& key_a = a.add<kms::Key>("Key", {.description = "k"});
  auto& key_b = b.add<kms::Key>("Key", {.description = "k"});
  a.add<logs::LogGroup>("Logs", {.log_group_name = "a", .kms_key = key_b});
  b.add<logs::LogGroup>("Logs", {.log_group_name = "b", .kms_key = key_a});
  const auto found = test::problems(app);
  REQUIRE(found.size() == 1);
  CHECK(found[0] == "HS3005 A: stack dependency cycle: A -> B -> A");
}

TEST_CASE("A stack filter emits only the matching stacks", "[values]") {
  App app;
  for (const char* name : {"NetworkA", "NetworkB", "Api"})
    app.add_stack(name).add<kms::Key>("Key", {.description = "k"});
  const SynthesisResult result = synthesize(app, {.target = Target::CloudFormation, .stacks = {"Network*"}});
  REQUIRE(result.files.size() == 3);
  CHECK(result.files[0].path == "NetworkA.template.yaml");
  CHECK(result.files[1].path == "NetworkB.template.yaml");
}

TEST_CASE("A reference into another app is an error", "[values]") {
  App other;
  auto& key = other.add_stack("A").add<kms::Key>("Key", {.description = "k"});
  App app;
  app.add_stack("B").add<logs::LogGroup>("Logs", {.log_group_name = "x", .kms_key = key});
  const auto found = test::problems(app, Target::Terraform);
  REQUIRE(found.size() == 1);
  CHECK(found[0] == "HS3002 B/Logs: references A/Key, which belongs to a different app");
}

TEST_CASE("A dependency cycle is an error naming the loop", "[values]") {
  App app;
  Stack& stack = app.add_stack("S");
  auto& a = stack.add<kms::Key>("A", {.description = "a"});
  auto& b = stack.add<kms::Key>("B", {.description = "b"});
  a.add_dependency(b);
  b.add_dependency(a);
  const auto found = test::problems(app);
  REQUIRE(found.size() == 1);
  CHECK(found[0] == "HS3003 S/A: dependency cycle: S/A -> S/B -> S/A");
}

TEST_CASE("Explicit dependencies render as DependsOn and depends_on", "[values]") {
  App app;
  Stack& stack = app.add_stack("S");
  auto& a = stack.add<kms::Key>("A", {.description = "a"});
  auto& b = stack.add<kms::Key>("B", {.description = "b"});
  b.add_dependency(a);
  CHECK(test::cfn(app)["Resources"]["B"]["DependsOn"] == "A");
  CHECK(test::tf(app)["resource"]["aws_kms_key"]["b"]["depends_on"] == json{"aws_kms_key.a"});
}

TEST_CASE("Overrides patch one target's output only", "[values]") {
  App app;
  auto& vpc = app.add_stack("S").add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  vpc.add_override(Target::CloudFormation, "Properties.InstanceTenancy", "default");
  vpc.add_override(Target::Terraform, "instance_tenancy", "dedicated");
  CHECK(test::cfn(app)["Resources"]["Vpc"]["Properties"]["InstanceTenancy"] == "default");
  CHECK(test::tf(app)["resource"]["aws_vpc"]["vpc"]["instance_tenancy"] == "dedicated");
}

TEST_CASE("Removal policies render as DeletionPolicy and prevent_destroy", "[values]") {
  App app;
  auto& key = app.add_stack("S").add<kms::Key>("Key", {.description = "k"});
  key.set_removal_policy(RemovalPolicy::Retain);
  const json resource = test::cfn(app)["Resources"]["Key"];
  CHECK(resource["DeletionPolicy"] == "Retain");
  CHECK(resource["UpdateReplacePolicy"] == "Retain");
  CHECK(test::tf(app)["resource"]["aws_kms_key"]["key"]["lifecycle"]["prevent_destroy"] == true);
}

TEST_CASE("A CloudFormation stack over 500 resources is an error naming the stack and the count", "[values]") {
  App app;
  Stack& stack = app.add_stack("Big");
  for (int i = 0; i < 501; ++i) stack.add<kms::Key>("Key" + std::to_string(i), {.description = "k"});
  const auto found = test::problems(app);
  REQUIRE_FALSE(found.empty());
  CHECK(found[0] == "HS3010 Big: stack 'Big' has 501 resources; CloudFormation allows at most 500");
  CHECK(
      synthesize(app, {.target = Target::Terraform, .allow_noncompliant = true}).ok());  // Terraform has no such quota
}

TEST_CASE("An override reaches a list element by its index, in both targets' syntax", "[values][overrides]") {
  App app;
  auto& vpc = app.add_stack("S").add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16", .tags = {{"Name", "main"}}});
  vpc.add_override(Target::CloudFormation, "Properties.Tags.0.Value", "renamed");
  vpc.add_override(Target::Terraform, "tags.Name", "renamed");
  CHECK(test::cfn(app)["Resources"]["Vpc"]["Properties"]["Tags"] ==
        json::array({{{"Key", "Name"}, {"Value", "renamed"}}}));
  CHECK(test::tf(app)["resource"]["aws_vpc"]["vpc"]["tags"]["Name"] == "renamed");
}

TEST_CASE("An override path that does not parse is HS1007 at the add_override's line", "[values][overrides]") {
  const std::vector<std::pair<std::string, std::string>> cloudformation = {
      {"", "is empty"},
      {"Tags.0.Value", "starts with 'Tags', which is not a key of a CloudFormation resource"},
      {"Type", "starts with 'Type', which is not a key"},
      {"Properties..CidrBlock", "has an empty segment"},
      {"Properties.CidrBlock.", "has an empty segment"},
      {"Properties.Tags[0].Value", "has '[' in segment 'Tags[0]'"},
      {"Properties.cidr_block", "names property 'cidr_block'"},
      {"Properties.Cidr Block", "has ' ' in segment 'Cidr Block'"},
  };
  for (const auto& [path, expected] : cloudformation) {
    CAPTURE(path);
    App app;
    auto& vpc = app.add_stack("S").add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
    const int line = __LINE__ + 1;
    vpc.add_override(Target::CloudFormation, path, "x");
    const auto result = synthesize(app, {.target = Target::CloudFormation, .rules = {}});
    REQUIRE(result.diagnostics.size() == 1);
    const Diagnostic& d = result.diagnostics[0];
    CHECK(d.code == "HS1007");
    CHECK_THAT(d.message, Catch::StartsWith("CloudFormation override path '" + path + "' " + expected));
    CHECK_THAT(d.file, Catch::EndsWith("test_values.cpp"));
    CHECK(d.line == line);
    CHECK(result.files.empty());
  }
  const std::vector<std::pair<std::string, std::string>> terraform = {
      {"InstanceTenancy", "starts with 'InstanceTenancy'; a Terraform argument or block name"},
      {"0.tags", "starts with '0'"},
      {"tags..Name", "has an empty segment"},
  };
  for (const auto& [path, expected] : terraform) {
    CAPTURE(path);
    App app;
    app.add_stack("S").add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"}).add_override(Target::Terraform, path, "x");
    const auto problems = test::problems(app, Target::Terraform);
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0], Catch::StartsWith("HS1007 S/Vpc: Terraform override path '" + path + "' " + expected));
  }
}

TEST_CASE("An override path through a single value or past a list's end is HS3012, not a silent replacement",
          "[values][overrides]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Properties.CidrBlock.Mask",
       "'Properties.CidrBlock' is a single value, not an object or a list, so 'Mask' cannot be set inside it"},
      {"Properties.Tags.3.Value", "'Properties.Tags' has 1 element(s); index 3 is beyond its end"},
      {"Properties.Tags.Name", "'Properties.Tags' is a list, and 'Name' is not an index"},
  };
  for (const auto& [path, expected] : cases) {
    CAPTURE(path);
    App app;
    auto& vpc = app.add_stack("S").add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16", .tags = {{"Name", "main"}}});
    vpc.add_override(Target::CloudFormation, path, "x");
    const auto problems = test::problems(app);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] == "HS3012 S/Vpc: override path '" + path + "' does not fit the resource: " + expected);
    // The other target is not concerned.
    CHECK(test::problems(app, Target::Terraform).empty());
  }
}

TEST_CASE("Terraform function calls and addresses render as expressions, never escaped", "[values][functions]") {
  App app;
  auto& key = app.add_stack("S").add<kms::Key>("Key", {.description = "k"});
  key.add_override(Target::Terraform, "tags.Digest",
                   call("sha1", {call("jsonencode", {map({{"arn", key.arn()}, {"text", "${literal}"}})})}));
  key.add_override(Target::Terraform, "tags.Region", TerraformReference{"data.aws_region.current.name"});
  const json tags = test::tf(app)["resource"]["aws_kms_key"]["key"]["tags"];
  CHECK(tags["Digest"] == "${sha1(jsonencode({\"arn\" = aws_kms_key.key.arn, \"text\" = \"$${literal}\"}))}");
  CHECK(tags["Region"] == "${data.aws_region.current.name}");
}

TEST_CASE("A Terraform function call is HS3013 in CloudFormation, as is a name or address that does not parse",
          "[values][functions]") {
  App app;
  auto& key = app.add_stack("S").add<kms::Key>("Key", {.description = "k"});
  key.add_override(Target::CloudFormation, "Properties.Description", call("jsonencode", {list({1, 2})}));
  const auto cfn = test::problems(app);
  REQUIRE(cfn.size() == 1);
  CHECK(cfn[0] == "HS3013 S/Key: the Terraform function call jsonencode(...) has no CloudFormation form");

  for (const auto& [value, message] : std::vector<std::pair<Value, std::string>>{
           {call("json encode", {}), "'json encode' is not a Terraform function name"},
           {call("", {}), "'' is not a Terraform function name"},
           {TerraformReference{"data..x"}, "'data..x' is not a Terraform address"},
           {TerraformReference{"${data.x.y}"}, "'${data.x.y}' is not a Terraform address"}}) {
    CAPTURE(message);
    App bad;
    bad.add_stack("S").add<kms::Key>("Key", {.description = "k"}).add_override(Target::Terraform, "tags.X", value);
    const auto problems = test::problems(bad, Target::Terraform);
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0], Catch::StartsWith("HS3013 S/Key: " + message));
  }
}
