// The node options the cdk-nag parity rules ask for: a VPC's default security group closed in
// both targets, and secrets rotated by a function.
#include <catch2/catch.hpp>

#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/secretsmanager.hpp"
#include "hipaa/rules.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

lambda::Function& rotator(Stack& stack) {
  auto& role = stack.add<iam::Role>("RotatorRole", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com")});
  return stack.add<lambda::Function>(
      "Rotator", {.code = lambda::Code::inline_source("index.js", "exports.handler = async () => {};"), .role = role});
}

}  // namespace

TEST_CASE(
    "A VPC's default security group keeps no rule, by an SSM runbook in CloudFormation and adoption in "
    "Terraform",
    "[resources][rules]") {
  App app;
  auto& stack = app.add_stack("S");
  stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  const json cfn = test::cfn(app)["Resources"];
  CHECK(cfn["VpcRestrictDefaultSecurityGroup"] == json::parse(R"({"Type": "AWS::SSM::Association", "Properties": {
          "Name": "AWSConfigRemediation-RemoveVPCDefaultSecurityGroupRules",
          "Parameters": {"AutomationAssumeRole": [{"Fn::GetAtt": ["VpcRestrictDefaultSecurityGroupRole", "Arn"]}]},
          "Targets": [{"Key": "ParameterValues", "Values": [{"Fn::GetAtt": ["Vpc", "DefaultSecurityGroup"]}]}],
          "AutomationTargetParameterName": "GroupId"}})"));
  const json role = cfn["VpcRestrictDefaultSecurityGroupRole"]["Properties"];
  CHECK(role["ManagedPolicyArns"] == json::parse(R"([{"Ref": "VpcRestrictDefaultSecurityGroupPolicy"}])"));
  CHECK(role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == json{{"Service", "ssm.amazonaws.com"}});
  CHECK(role["AssumeRolePolicyDocument"]["Statement"][0]["Condition"] ==
        json::parse(R"({"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}})"));
  const json statements = cfn["VpcRestrictDefaultSecurityGroupPolicy"]["Properties"]["PolicyDocument"]["Statement"];
  REQUIRE(statements.size() == 4);
  CHECK(statements[1]["Action"] == json{"ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress"});
  CHECK(
      statements[1]["Resource"] ==
      json::parse(
          R"({"Fn::Sub": "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:security-group/${Vpc.DefaultSecurityGroup}"})"));
  CHECK(cfn["Vpc"]["Metadata"]["cdk_nag"]["rules_to_suppress"][0]["id"] ==
        "HIPAA.Security-VPCDefaultSecurityGroupClosed");

  const json tf = test::tf(app)["resource"];
  CHECK(tf["aws_default_security_group"] ==
        json::parse(R"({"vpc_default_security_group": {"vpc_id": "${aws_vpc.vpc.id}"}})"));
  CHECK_FALSE(tf.contains("aws_ssm_association"));
}

TEST_CASE("A VPC may keep its default security group's rules, which HIPAA-VPC-2 reports", "[resources][rules]") {
  App app;
  auto& stack = app.add_stack("S");
  stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16", .restrict_default_security_group = false});
  const json cfn = test::cfn(app)["Resources"];
  CHECK(cfn.size() == 1);
  CHECK_FALSE(cfn["Vpc"].contains("Metadata"));
  CHECK_FALSE(test::tf(app)["resource"].contains("aws_default_security_group"));
  std::size_t found = 0;
  for (const auto& f : rules::check(app).findings) found += f.rule->id == "HIPAA-VPC-2" ? 1 : 0;
  CHECK(found == 1);
}

TEST_CASE("A VPC's own cdk-nag acknowledgement and the suppressions on it are both written", "[resources][rules]") {
  App app;
  auto& stack = app.add_stack("S");
  stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"}).suppress("HIPAA-VPC-1", "flow logs in a central account");
  const json nag = test::cfn(app)["Resources"]["Vpc"]["Metadata"]["cdk_nag"]["rules_to_suppress"];
  REQUIRE(nag.size() == 2);
  CHECK(nag[0]["id"] == "HIPAA.Security-VPCDefaultSecurityGroupClosed");
  CHECK(nag[1] == json{{"id", "HIPAA.Security-VPCFlowLogsEnabled"}, {"reason", "flow logs in a central account"}});
}

TEST_CASE("A rotated secret has a schedule and lets Secrets Manager invoke its function for it alone",
          "[resources][rules]") {
  App app;
  auto& stack = app.add_stack("S");
  auto& fn = rotator(stack);
  stack.add<secretsmanager::Secret>(
      "Secret",
      {.secret_name = "api", .rotation = secretsmanager::Rotation{.function = fn, .automatically_after_days = 7}});
  const json cfn = test::cfn(app)["Resources"];
  CHECK(cfn["SecretRotation"] == json::parse(R"({"Type": "AWS::SecretsManager::RotationSchedule",
    "DependsOn": "SecretRotationPermission",
    "Properties": {"SecretId": {"Ref": "Secret"}, "RotationLambdaARN": {"Fn::GetAtt": ["Rotator", "Arn"]},
                   "RotateImmediatelyOnUpdate": true, "RotationRules": {"AutomaticallyAfterDays": 7}}})"));
  CHECK(cfn["SecretRotationPermission"] == json::parse(R"({"Type": "AWS::Lambda::Permission",
    "Properties": {"FunctionName": {"Ref": "Rotator"}, "Action": "lambda:InvokeFunction",
                   "Principal": "secretsmanager.amazonaws.com", "SourceArn": {"Ref": "Secret"}}})"));

  const json tf = test::tf(app)["resource"];
  CHECK(tf["aws_secretsmanager_secret_rotation"]["secret_rotation"] == json::parse(R"({
    "secret_id": "${aws_secretsmanager_secret.secret.arn}",
    "rotation_lambda_arn": "${aws_lambda_function.rotator.arn}",
    "rotate_immediately": true,
    "rotation_rules": {"automatically_after_days": 7},
    "depends_on": ["aws_lambda_permission.secret_rotation_permission"]})"));
  CHECK(tf["aws_lambda_permission"]["secret_rotation_permission"] == json::parse(R"({
    "function_name": "${aws_lambda_function.rotator.function_name}", "action": "lambda:InvokeFunction",
    "principal": "secretsmanager.amazonaws.com", "source_arn": "${aws_secretsmanager_secret.secret.arn}"})"));
}

TEST_CASE("Rotation needs a function and a schedule Secrets Manager accepts", "[resources]") {
  App app;
  auto& stack = app.add_stack("S");
  stack.add<secretsmanager::Secret>("Secret", {.rotation = secretsmanager::Rotation{.automatically_after_days = 1001}});
  CHECK(
      test::problems(app) ==
      std::vector<std::string>{"HS2001 S/Secret: required property 'rotation.function' is not set",
                               "HS2004 S/Secret: 'rotation.automatically_after_days' is 1001; AWS accepts 1 to 1000"});
}
