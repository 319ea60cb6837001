// hipaa/raw_resource.hpp: a resource hipaa-synth does not model, written as the target's own type
// and properties: the escape hatch of the CDK's CfnResource and CDKTF's TerraformResource.
//
//   auto& bus = stack.add<RawResource>("Bus", {
//       .cloudformation = {.type = "AWS::Events::EventBus", .properties = {{"KmsKeyIdentifier", key.arn()}}},
//       .terraform = {.type = "aws_cloudwatch_event_bus", .arguments = {{"kms_key_identifier", key.arn()}}}});
//   Value arn = bus.attribute({"Arn", "arn"});
//
// A raw resource is a resource like any other: its properties are Values, so a reference in them
// (key.arn()) orders creation and crosses stacks as a typed node's does; its attribute() is a
// reference other nodes take; add_dependency, add_override, suppressions, Tags::of and the stack's
// tags reach it. Only its types and property names are checked: its values are passed through
// as given, and the built-in HIPAA rules do not judge it (they read typed properties); a rule of
// your own can (rules::Inventory::all<RawResource>()). Prefer a typed node (docs/extending.md) for anything
// used more than once.
#pragma once

#include <deque>
#include <string>

#include "hipaa/lowering.hpp"
#include "hipaa/node.hpp"

namespace hipaa {

// The resource in CloudFormation: its type ("AWS::Events::Rule", "Custom::Seed", a registry type
// "Org::Service::Thing") and its Properties, in output order. No type: no CloudFormation form.
struct RawCloudFormation {
  std::string type;
  ValueMap properties;
};

// The resource in Terraform: its type ("aws_cloudwatch_event_rule") and its arguments, in output
// order. No type: no Terraform form. Only the hashicorp/aws provider is declared in
// required_providers; Terraform assumes hashicorp/<prefix> for a type of another provider.
struct RawTerraform {
  std::string type;
  ValueMap arguments;
};

struct RawResourceProps {
  // At least one of the two; synthesizing for a target the resource has no form in is HS3006.
  RawCloudFormation cloudformation;
  RawTerraform terraform;
  // How the type takes tags, which the stack's tags, Tags::of and `tags` then fill: in
  // CloudFormation a `Tags` list of Key/Value (KeyValueList, most AWS types) or a `Tags` map (Map:
  // SSM parameters, Batch, ...); in Terraform always a `tags` map. None: the type takes no tags,
  // and no scope's tags are written.
  Tagging tagging = Tagging::KeyValueList;
  Tags tags;
};

// Not a Node<> (whose NodeInfo is a constant of its class): a raw resource's types are the ones
// its properties name, so it declares them per instance.
class RawResource final : public Resource {
 public:
  using Props = RawResourceProps;
  // Created through scope.add<RawResource>(id, props), as every node is.
  RawResource(Construct& scope, std::string id, RawResourceProps props, SourceLocation where);

  [[nodiscard]] const RawResourceProps& props() const { return props_; }
  // Name "RawResource", the types of its props, their tagging; no replacement knowledge.
  [[nodiscard]] const NodeInfo& info() const override { return info_; }

  // A reference to one of its attributes, spelled per target: {"Arn", "arn"} renders
  // !GetAtt Id.Arn and ${type.name.arn}; an empty CloudFormation name means Ref. The names are
  // copied, so they need not outlive the call.
  [[nodiscard]] AttributeRef attribute(Attribute which) const;
  // What Ref returns in CloudFormation, the `id` in Terraform.
  [[nodiscard]] AttributeRef ref() const { return attribute({"", "id"}); }

  void lower(Lowering& l) const override;
  // HS2010: types that do not look like their target's, no type at all, property names a target
  // would refuse or that repeat, tags the type does not take.
  void validate(Diagnostics& out) const override;

 private:
  RawResourceProps props_;
  NodeInfo info_;
  // The attribute names attribute() hands out views of: a deque never moves its elements.
  // Only written while the tree is built, never during synthesis.
  mutable std::deque<std::string> names_;
};

}  // namespace hipaa
