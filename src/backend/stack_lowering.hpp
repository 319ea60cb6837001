// Internal: the lowering context shared by both backends. It owns the target resources of one
// stack, records every reference a resource's properties make (the dependency graph), and leaves
// value rendering and document assembly to the target.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "hipaa/lowering.hpp"
#include "hipaa/synth.hpp"
#include "validate/checks.hpp"

namespace hipaa::detail {

// A reference from this stack to another stack's resource: an export of the producer and an
// import here (CloudFormation Export/Fn::ImportValue; Terraform output/terraform_remote_state).
struct CrossStackReference {
  const Stack* producer;
  AttributeRef reference;
};

// Names both sides agree on, derived from the producer's logical id and the attribute.
[[nodiscard]] std::string export_name(const AttributeRef& reference);       // "Producer-Db-EndpointAddress"
[[nodiscard]] std::string export_output_id(const AttributeRef& reference);  // "ExportDbEndpointAddress"

class StackLowering : public Lowering {
 public:
  explicit StackLowering(const Stack& stack) : stack_(&stack) {}

  // Stacks this one depends on (imports and explicit cross-stack dependencies), in first-use
  // order.
  [[nodiscard]] const std::vector<const Stack*>& stack_dependencies() const { return stack_dependencies_; }
  [[nodiscard]] const std::vector<CrossStackReference>& imports() const { return imports_; }
  // Called on the producer once every stack is lowered: these attributes become outputs.
  void add_export(const AttributeRef& reference);
  [[nodiscard]] const std::vector<AttributeRef>& exports() const { return exports_; }

  // The stack's main document, ready to serialize; diagnostics go to `diagnostics()`. Moves the
  // target resources' properties into the document rather than copying them: call it once.
  [[nodiscard]] virtual doc::Node assemble() = 0;

  [[nodiscard]] const Stack& stack() const override { return *stack_; }
  TargetResource& add(const Resource& owner) override;
  TargetResource& add(const Resource& owner, std::string_view type_name, std::string_view suffix) override;
  [[nodiscard]] const Resource* policy_writer(const Resource& target) const override;
  void add_asset(Asset asset) override;
  void report(Diagnostic diagnostic) override;

  // Applies the owner's add_override()s for this target to `body`, the assembled primary target
  // resource (a list element by its index as a segment: Properties.Tags.0.Value). A path through
  // a scalar, or an index beyond a list's end, is reported (HS3012) and not applied.
  void apply_overrides(const Resource& owner, doc::Node& body);

  // Lowers every resource of the stack, then checks references and cycles.
  void lower_all();

  [[nodiscard]] Diagnostics& diagnostics() { return diagnostics_; }
  [[nodiscard]] std::vector<Asset>& assets() { return assets_; }
  [[nodiscard]] const std::deque<TargetResource>& target_resources() const { return resources_; }
  // The target resource `owner` added with `suffix` (empty: its primary one), or nullptr.
  [[nodiscard]] const TargetResource* find(const Resource& owner, std::string_view suffix) const;

 protected:
  enum class ReferenceKind { Local, CrossStack, Invalid };
  // Called by renderers for every attribute reference: records the dependency and says how to
  // render it.
  ReferenceKind note_reference(const AttributeRef& reference);
  ReferenceKind note_reference(const Resource& target);
  [[nodiscard]] const Resource* current() const { return current_; }
  // Where a problem found while rendering is reported: the resource being lowered, else the stack.
  [[nodiscard]] const Construct& rendering_site() const;
  // Called by renderers for every select(index, availability_zones()): the stack needs
  // index + 1 zones, which lower_all() checks against the region's (HS2008).
  void note_zone_selected(std::size_t index);
  [[nodiscard]] std::size_t zones_needed() const { return zones_needed_; }
  // For assemble(): the target resources, whose properties it moves into the document.
  [[nodiscard]] std::deque<TargetResource>& target_resources_to_assemble() { return resources_; }

 private:
  void check_cycles();
  void check_zones();
  TargetResource& emplace(const Resource& owner, ResourceType type, std::string_view suffix);

  const Stack* stack_;
  const Resource* current_ = nullptr;
  std::deque<TargetResource> resources_;  // deque: references stay valid while adding
  std::map<std::pair<const Resource*, std::string>, std::size_t> by_owner_;  // index into resources_
  std::vector<Asset> assets_;
  Diagnostics diagnostics_;
  std::map<const Resource*, std::set<const Resource*>> edges_;
  std::vector<const Resource*> order_;
  std::size_t zones_needed_ = 0;                // highest selected zone index + 1
  const Resource* needs_most_zones_ = nullptr;  // the first resource that selected it
  std::vector<const Stack*> stack_dependencies_;
  std::vector<CrossStackReference> imports_;
  std::vector<AttributeRef> exports_;
  std::unordered_map<const Resource*, const Resource*> policy_writers_;  // target -> writer
};

// The lowering for a target (defined beside each backend's rendering).
[[nodiscard]] std::unique_ptr<StackLowering> cloudformation_lowering(const Stack& stack);
[[nodiscard]] std::unique_ptr<StackLowering> terraform_lowering(const Stack& stack);

}  // namespace hipaa::detail
