// hipaa/aws/iam.hpp: IAM roles, managed policies, typed policy documents, and grants.
//
//   auto& role = stack.add<iam::Role>("Role", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com"),
//                                              .managed_policy_arns = {iam::aws_managed("service-role/AWSLambdaBasicExecutionRole")}});
//   role.add_to_policy(iam::allow({"sqs:SendMessage"}).id("SendWork").on(queue.arn()));
//
// Grants: a resource's grant methods (`secret.grant_read(fn)`, `queue.grant_send_messages(role)`)
// add least-privilege statements to a role through add_to_policy. They land in one customer
// managed policy per role, the role's GrantPolicy (a child "Grants" of the role: CloudFormation
// AWS::IAM::ManagedPolicy with Roles, Terraform aws_iam_policy and an attachment), not in the
// role itself, so a key or secret whose own policy names the role forms no dependency cycle.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hipaa/construct.hpp"
#include "hipaa/lowering.hpp"
#include "hipaa/node.hpp"

namespace hipaa::lambda {
class Function;
}  // namespace hipaa::lambda

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

// The trust policy of a role that `service_name` assumes, as the CDK's assumedBy:
// iam::assumed_by("lambda.amazonaws.com") allows it sts:AssumeRole.
[[nodiscard]] PolicyDocument assumed_by(Value service_name);

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

class GrantPolicy;

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

  // Adds a statement to the role's identity policy (the CDK's addToPrincipalPolicy), in call
  // order, in the role's GrantPolicy (created on the first call). A statement with the same
  // effect, actions, resources, principals and conditions as one already there (the same grant
  // made twice) is not added again, whatever its sid: returns false. A statement whose sid is
  // already taken gets the first free "<sid>2", "<sid>3"..., so sids stay unique within the
  // policy, as IAM requires.
  bool add_to_policy(Statement statement);
  // The policy holding add_to_policy's statements, or nullptr before the first.
  [[nodiscard]] const GrantPolicy* grant_policy() const { return grants_; }

 private:
  GrantPolicy* grants_ = nullptr;
};

struct GrantPolicyProps {
  Ref<Role> role;
};

// The customer managed policy that holds a role's grants: what Role::add_to_policy and the
// resources' grant methods gave it. Role::add_to_policy creates it as the role's child "Grants";
// it is not created directly. A managed policy rather than an inline one (HIPAA-IAM-2), attached
// from the policy's side (CloudFormation Roles; Terraform aws_iam_role_policy_attachment) so the
// role never waits for the resources it is granted. Compliance rules read statements().
class GrantPolicy final : public Node<GrantPolicy, GrantPolicyProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "iam::GrantPolicy",
      .summary = "The managed policy holding a role's grants (Role::add_to_policy), attached to the role",
      .tagging = Tagging::None,
      .types = {cloudformation_type("AWS::IAM::ManagedPolicy", "Description ManagedPolicyName Path"),
                terraform_type("aws_iam_policy", "description name name_prefix path"),
                kRolePolicyAttachmentTerraformType}};
  // The Terraform attachment's suffix.
  static constexpr std::string_view kAttachmentSuffix = "Attachment";
  [[nodiscard]] Value arn() const { return attribute({"", "arn"}); }
  [[nodiscard]] const std::vector<Statement>& statements() const { return statements_; }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;

 private:
  friend class Role;
  std::vector<Statement> statements_;
};

// Who a grant is for: a role, or a Lambda function, whose execution role receives the
// statements. Pass either where a grant method takes a Grantee (`secret.grant_read(fn)`).
class Grantee {
 public:
  Grantee(Role& role) : role_(&role) {}
  Grantee(lambda::Function& function);
  // Adds `statement` to the role's policy (Role::add_to_policy). For a function with no iam::Role
  // of the app to hold it, nothing is added and the function reports HS3007 when validated,
  // naming `grant` ("read Stack/Secret").
  void add_to_policy(Statement statement, std::string_view grant) const;

 private:
  Role* role_ = nullptr;
  lambda::Function* function_ = nullptr;
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
