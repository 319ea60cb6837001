// hipaa/aws/iam.hpp: IAM roles, managed policies and typed policy documents.
//
//   iam::PolicyDocument trust{{iam::allow({"sts:AssumeRole"}).principal(iam::service("lambda.amazonaws.com"))}};
//   auto& role = stack.add<iam::Role>("Role", {.assume_role_policy = trust,
//                                              .managed_policy_arns = {iam::aws_managed("service-role/AWSLambdaBasicExecutionRole")}});
#pragma once

#include <map>
#include <string>
#include <vector>

#include "hipaa/construct.hpp"
#include "hipaa/lowering.hpp"
#include "hipaa/node.hpp"

namespace hipaa::iam {

enum class Effect { Allow, Deny };

struct Principal {
  enum class Kind { Service, Aws, Any };
  Kind kind = Kind::Service;
  std::vector<Value> identifiers;
};

[[nodiscard]] Principal service(Value service_name);  // "lambda.amazonaws.com"
[[nodiscard]] Principal aws(Value arn);               // an account, role or user ARN
[[nodiscard]] Principal account_root();               // this account's root principal
[[nodiscard]] Principal anyone();                     // "*"

struct Condition {
  std::string test;      // "ArnLike", "StringEquals", "Bool", ...
  std::string variable;  // "kms:EncryptionContext:aws:logs:arn"
  std::vector<Value> values;
};

struct Statement {
  std::string sid;
  Effect effect = Effect::Allow;
  std::vector<Principal> principals;
  std::vector<std::string> actions;
  std::vector<Value> resources;
  std::vector<Condition> conditions;

  // Fluent helpers so statements read as sentences.
  Statement& principal(Principal p) {
    principals.push_back(std::move(p));
    return *this;
  }
  Statement& on(Value resource) {
    resources.push_back(std::move(resource));
    return *this;
  }
  Statement& when(Condition c) {
    conditions.push_back(std::move(c));
    return *this;
  }
  Statement& id(std::string s) {
    sid = std::move(s);
    return *this;
  }
};

[[nodiscard]] Statement allow(std::vector<std::string> actions);
[[nodiscard]] Statement deny(std::vector<std::string> actions);

struct PolicyDocument {
  std::vector<Statement> statements;
  [[nodiscard]] bool empty() const { return statements.empty(); }
};

// Lowers a policy document: a JSON object for CloudFormation; for Terraform an
// aws_iam_policy_document data source named `<owner>_<suffix>` and a reference to its json.
[[nodiscard]] doc::Node lower_policy_document(Lowering& lowering, const Resource& owner, std::string_view suffix,
                                              const PolicyDocument& policy);

// "arn:${Partition}:iam::aws:policy/<name>"
[[nodiscard]] Value aws_managed(const std::string& name);

// A role a node creates for an AWS service to act for it (RDS enhanced monitoring, AWS Backup,
// CloudTrail's log delivery), when the user does not pass one.
struct ServiceRole {
  Value service;  // the trusted service principal: "monitoring.rds.amazonaws.com"
  std::string description;
  std::vector<Value> managed_policy_arns;
  std::vector<Condition> trust_conditions;  // e.g. aws:SourceAccount, aws:SourceArn
};

// What lower_service_role emitted: the role (its ARN is `role->reference({"Arn", "arn"})`) and,
// in Terraform, the suffixes of its policy attachments, for a resource that must wait for them.
struct ServiceRoleResources {
  TargetResource* role;
  std::vector<std::string> attachments;
};

// Emits `role` as secondary target resources of `owner` named with `suffix` (CloudFormation
// AWS::IAM::Role with ManagedPolicyArns; Terraform aws_iam_role and one
// aws_iam_role_policy_attachment per managed policy, named `suffix` + the policy's name), which
// the owner's NodeInfo must declare.
ServiceRoleResources lower_service_role(Lowering& lowering, const Resource& owner, std::string_view suffix,
                                        const ServiceRole& role);
// The types lower_service_role emits, for NodeInfo::types (iam::Role emits them too).
inline constexpr TargetType kRoleCloudFormationType = cloudformation_type("AWS::IAM::Role", "Path RoleName");
inline constexpr TargetType kRoleTerraformType = terraform_type("aws_iam_role", "name name_prefix path");
inline constexpr TargetType kRolePolicyAttachmentTerraformType =
    terraform_type("aws_iam_role_policy_attachment", "policy_arn role");

struct RoleProps {
  Value role_name;
  std::string description;
  PolicyDocument assume_role_policy;
  // Managed policies attached to the role (CloudFormation ManagedPolicyArns; Terraform
  // aws_iam_role_policy_attachment resources).
  std::vector<Value> managed_policy_arns;
  // Inline policies by name (CloudFormation Policies; Terraform aws_iam_role_policy resources).
  std::map<std::string, PolicyDocument> inline_policies;
  Tags tags;
};

class Role final : public Node<Role, RoleProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "iam::Role",
      .summary = "An IAM role with managed and inline policies (separate attachment and policy resources in Terraform)",
      .tagging = Tagging::KeyValueList,
      .types = {kRoleCloudFormationType, kRoleTerraformType, kRolePolicyAttachmentTerraformType,
                terraform_type("aws_iam_role_policy", "name name_prefix role")}};
  [[nodiscard]] Value arn() const { return attribute({"Arn", "arn"}); }
  [[nodiscard]] Value role_name() const { return attribute({"", "name"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct ManagedPolicyProps {
  Value policy_name;
  std::string description;
  PolicyDocument document;
};

class ManagedPolicy final : public Node<ManagedPolicy, ManagedPolicyProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "iam::ManagedPolicy",
      .summary = "A customer managed IAM policy",
      .tagging = Tagging::None,
      .types = {cloudformation_type("AWS::IAM::ManagedPolicy", "Description ManagedPolicyName Path"),
                terraform_type("aws_iam_policy", "description name name_prefix path")}};
  [[nodiscard]] Value arn() const { return attribute({"", "arn"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

}  // namespace hipaa::iam
