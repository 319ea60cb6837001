// hipaa/node.hpp: the base of every typed AWS node, and what a node declares about itself.
//
// A node says once, beside its properties, everything the passes after it need to know: the
// target resource types it emits in each backend, which of their properties force a replacement,
// whether it holds data, and a one-line summary for the docs. The diff's replacement tables and
// data-loss warnings and docs/resources.md are derived from these declarations.
//
//   class Queue final : public Node<Queue, QueueProps> {
//    public:
//     static constexpr NodeInfo kInfo{.name = "sqs::Queue", .summary = "An encrypted SQS queue",
//         .tagging = Tagging::KeyValueList, .holds_data = true,
//         .types = {cloudformation_type("AWS::SQS::Queue", "FifoQueue QueueName"),
//                   terraform_type("aws_sqs_queue", "fifo_queue name name_prefix")}};
//     void lower(Lowering& l) const override;
//   };
//   auto& queue = stack.add<Queue>("Queue", {.retention_seconds = 345600});
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include "hipaa/construct.hpp"

namespace hipaa {

// One resource type a node emits in one target.
struct TargetType {
  Target target = Target::CloudFormation;
  std::string_view name;  // "AWS::S3::Bucket", "aws_s3_bucket_versioning"; empty: an unused slot
  // Top-level properties (CloudFormation) or arguments (Terraform), space separated, whose change
  // always replaces the resource, and those whose change may (CloudFormation "Conditional").
  std::string_view replaces;
  std::string_view may_replace;
};

[[nodiscard]] constexpr TargetType cloudformation_type(std::string_view name, std::string_view replaces = {},
                                                       std::string_view may_replace = {}) {
  return {Target::CloudFormation, name, replaces, may_replace};
}
[[nodiscard]] constexpr TargetType terraform_type(std::string_view name, std::string_view replaces = {}) {
  return {Target::Terraform, name, replaces, {}};
}

struct NodeInfo {
  static constexpr std::size_t kMaxTypes = 12;

  std::string_view name;            // the C++ name below namespace hipaa: "s3::Bucket"
  std::string_view summary;         // what it is and what it emits beyond its primary resources
  Tagging tagging = Tagging::None;  // how the primary resource carries tags in CloudFormation
  // Removing or replacing the primary resource deletes stored data (a database, bucket, table,
  // queue, user pool, log group): diff warns of data loss.
  bool holds_data = false;
  // Every type the node may emit. The first CloudFormation and the first Terraform entry are the
  // primary resources, which references, overrides and removal policies apply to.
  std::array<TargetType, kMaxTypes> types{};

  // The declared types, in order.
  [[nodiscard]] constexpr std::span<const TargetType> declared() const {
    std::size_t n = 0;
    while (n < types.size() && !types[n].name.empty()) ++n;
    return {types.data(), n};
  }
  // The primary type in one target; empty when the node has no form there.
  [[nodiscard]] constexpr std::string_view primary(Target target) const {
    for (const auto& t : declared()) {
      if (t.target == target) return t.name;
    }
    return {};
  }
  [[nodiscard]] constexpr ResourceType resource_type() const {
    return {primary(Target::CloudFormation), primary(Target::Terraform), tagging};
  }
  // The declared type named `name` in `target`, or nullptr.
  [[nodiscard]] constexpr const TargetType* find(Target target, std::string_view type_name) const {
    for (const auto& t : declared()) {
      if (t.target == target && t.name == type_name) return &t;
    }
    return nullptr;
  }
};

// The base of a typed node: `Self` declares `static constexpr NodeInfo kInfo` and implements
// lower() (and validate() where AWS has rules), `PropsT` is its aggregate of typed properties.
// Nodes are created only through `scope.add<Self>(id, props)`, which hands this base the scope,
// id, properties and the caller's line; a node has no constructor of its own to write.
template <class Self, class PropsT>
class Node : public Resource {
 public:
  using Props = PropsT;

  [[nodiscard]] const Props& props() const { return props_; }
  [[nodiscard]] const NodeInfo& info() const final { return Self::kInfo; }

 protected:
  Node() : Node(detail::NodeConstruction::take(Self::kInfo.name)) {}

 private:
  explicit Node(detail::NodeConstruction::Frame frame)
      : Resource(frame.scope, std::move(frame.id), frame.where), props_(std::move(*static_cast<Props*>(frame.props))) {}

  Props props_;
};

}  // namespace hipaa
