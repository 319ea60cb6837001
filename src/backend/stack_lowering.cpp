#include "stack_lowering.hpp"

#include <algorithm>
#include <functional>

namespace hipaa::detail {

Diagnostic at(const Construct& construct, std::string code, std::string message, std::string hint,
              Severity severity) {
  Diagnostic d;
  d.code = std::move(code);
  d.severity = severity;
  d.path = construct.path();
  d.file = construct.created_at().file_name();
  d.line = construct.created_at().line();
  d.message = std::move(message);
  d.hint = std::move(hint);
  return d;
}

TargetResource& StackLowering::add(const Resource& owner, ResourceType type) {
  return resources_.emplace_back(*this, type, owner.logical_id(), owner.terraform_name(), owner);
}

TargetResource& StackLowering::add(const Resource& owner, ResourceType type,
                                   std::string_view suffix) {
  return resources_.emplace_back(*this, type, owner.logical_id() + std::string(suffix),
                                 owner.terraform_name() + "_" + snake_case(suffix), owner);
}

void StackLowering::report(Diagnostic diagnostic) { diagnostics_.push_back(std::move(diagnostic)); }

void StackLowering::note_reference(const Resource& target) {
  if (current_ == nullptr) return;
  if (target.app() != current_->app()) {
    report(at(*current_, "HS3002",
              "references " + target.path() + ", which belongs to a different app",
              "build both resources in the same App"));
    return;
  }
  if (target.stack() != stack_) {
    report(at(*current_, "HS3001",
              "references " + target.path() + " in stack '" +
                  (target.stack() ? target.stack()->id() : std::string("?")) +
                  "', outside its own stack '" + stack_->id() + "'",
              "cross-stack references are not supported yet: pass the value as a parameter"));
    return;
  }
  if (&target != current_) edges_[current_].insert(&target);
}

void StackLowering::lower_all() {
  for (const Resource* resource : stack_->resources()) {
    current_ = resource;
    order_.push_back(resource);
    for (const Resource* dependency : resource->dependencies()) note_reference(*dependency);
    const std::size_t first = resources_.size();
    resource->lower(*this);
    // Explicit dependencies attach to the resource's primary target resource.
    if (first < resources_.size()) {
      for (const Resource* dependency : resource->dependencies()) resources_[first].depends_on(*dependency);
    }
  }
  current_ = nullptr;
  check_cycles();
}

void StackLowering::check_cycles() {
  // Depth-first search with colours; the first back edge found is reported with its whole loop.
  enum class Colour { White, Grey, Black };
  std::map<const Resource*, Colour> colour;
  std::vector<const Resource*> trail;
  std::function<bool(const Resource*)> visit = [&](const Resource* node) -> bool {
    colour[node] = Colour::Grey;
    trail.push_back(node);
    if (auto it = edges_.find(node); it != edges_.end()) {
      // Visit in stack order so the reported loop is deterministic.
      std::vector<const Resource*> next(it->second.begin(), it->second.end());
      std::sort(next.begin(), next.end(), [&](const Resource* a, const Resource* b) {
        return std::find(order_.begin(), order_.end(), a) <
               std::find(order_.begin(), order_.end(), b);
      });
      for (const Resource* target : next) {
        if (colour[target] == Colour::Grey) {
          std::string loop;
          auto start = std::find(trail.begin(), trail.end(), target);
          for (auto i = start; i != trail.end(); ++i) loop += (*i)->path() + " -> ";
          loop += target->path();
          report(at(*target, "HS3003", "dependency cycle: " + loop,
                    "break the loop, for example with separate security group rule resources"));
          return true;
        }
        if (colour[target] == Colour::White && visit(target)) return true;
      }
    }
    trail.pop_back();
    colour[node] = Colour::Black;
    return false;
  };
  for (const Resource* r : order_) {
    if (colour[r] == Colour::White && visit(r)) return;
  }
}

}  // namespace hipaa::detail
