// Internal: the lowering context shared by both backends. It owns the target resources of one
// stack, records every reference a resource's properties make (the dependency graph), and leaves
// value rendering and document assembly to the target.
#pragma once

#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "hipaa/lowering.hpp"
#include "hipaa/synth.hpp"

namespace hipaa::detail {

class StackLowering : public Lowering {
 public:
  explicit StackLowering(const Stack& stack) : stack_(&stack) {}

  [[nodiscard]] const Stack& stack() const override { return *stack_; }
  TargetResource& add(const Resource& owner, ResourceType type) override;
  TargetResource& add(const Resource& owner, ResourceType type, std::string_view suffix) override;
  void add_asset(Asset asset) override { assets_.push_back(std::move(asset)); }
  void report(Diagnostic diagnostic) override;

  // Lowers every resource of the stack, then checks references and cycles.
  void lower_all();

  [[nodiscard]] Diagnostics& diagnostics() { return diagnostics_; }
  [[nodiscard]] std::vector<Asset>& assets() { return assets_; }
  [[nodiscard]] const std::deque<TargetResource>& target_resources() const { return resources_; }

 protected:
  // Called by renderers for every attribute reference; checks that it stays inside the stack.
  void note_reference(const Resource& target);
  [[nodiscard]] const Resource* current() const { return current_; }

 private:
  void check_cycles();

  const Stack* stack_;
  const Resource* current_ = nullptr;
  std::deque<TargetResource> resources_;  // deque: references stay valid while adding
  std::vector<Asset> assets_;
  Diagnostics diagnostics_;
  std::map<const Resource*, std::set<const Resource*>> edges_;
  std::vector<const Resource*> order_;
};

// Diagnostic helper: a diagnostic located at a construct.
[[nodiscard]] Diagnostic at(const Construct& construct, std::string code, std::string message,
                            std::string hint = {}, Severity severity = Severity::Error);

// CloudFormation and Terraform lowerings and their document assembly.
[[nodiscard]] std::string synthesize_cloudformation(const Stack& stack, Format format,
                                                    Diagnostics& diagnostics);
[[nodiscard]] std::vector<OutputFile> synthesize_terraform(const Stack& stack,
                                                           Diagnostics& diagnostics);

}  // namespace hipaa::detail
