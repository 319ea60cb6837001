#include "stack_lowering.hpp"

#include <algorithm>
#include <cctype>
#include <functional>

#include <fmt/format.h>

#include "core/origins.hpp"
#include "core/regions.hpp"
#include "hipaa/node.hpp"

namespace hipaa::detail {

TargetResource& StackLowering::add(const Resource& owner) {
  const ResourceType type = owner.type();
  if ((is_cloudformation() ? type.cloudformation : type.terraform).empty()) {
    report(at(owner, "HS3006",
              fmt::format("{} has no {} form", owner.info().name, is_cloudformation() ? "CloudFormation" : "Terraform"),
              fmt::format("synthesize it for {} only, or leave it out of this stack",
                          is_cloudformation() ? "Terraform" : "CloudFormation")));
  }
  return emplace(owner, type, {});
}

TargetResource& StackLowering::add(const Resource& owner, std::string_view type_name, std::string_view suffix) {
  // Every type a node emits is declared beside its kInfo, where the replacement tables and the
  // docs read it; emitting an undeclared one is a bug in the node.
  const TargetType* declared = owner.info().find(target(), type_name);
  if (declared == nullptr) {
    report(at(owner, "HS9001",
              fmt::format("internal: {} emits {}, which its NodeInfo does not declare", owner.info().name, type_name),
              "declare the type in the node's kInfo.types"));
  }
  const std::string_view name = declared != nullptr ? declared->name : type_name;
  const ResourceType type =
      is_cloudformation() ? ResourceType{name, {}, Tagging::None} : ResourceType{{}, name, Tagging::None};
  return emplace(owner, type, suffix);
}

TargetResource& StackLowering::emplace(const Resource& owner, ResourceType type, std::string_view suffix) {
  by_owner_[{&owner, std::string(suffix)}] = resources_.size();
  return resources_.emplace_back(*this, type, owner, suffix);
}

const TargetResource* StackLowering::find(const Resource& owner, std::string_view suffix) const {
  const auto it = by_owner_.find({&owner, std::string(suffix)});
  return it == by_owner_.end() ? nullptr : &resources_[it->second];
}

void StackLowering::add_asset(Asset asset) {
  // Assets are content-addressed: the same path is the same bytes, written once.
  for (const auto& existing : assets_) {
    if (existing.relative_path == asset.relative_path) return;
  }
  assets_.push_back(std::move(asset));
}

void StackLowering::report(Diagnostic diagnostic) { diagnostics_.push_back(std::move(diagnostic)); }

std::string export_name(const AttributeRef& reference) {
  std::string attribute;
  for (char c : reference.attribute.cloudformation) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) attribute += c;
  }
  if (attribute.empty()) attribute = "Ref";
  return reference.target->stack()->id() + "-" + reference.target->logical_id() + "-" + attribute;
}

std::string export_output_id(const AttributeRef& reference) {
  const std::string name = export_name(reference);
  std::string id = "Export";
  for (char c : name.substr(reference.target->stack()->id().size())) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) id += c;
  }
  return id;
}

void StackLowering::add_export(const AttributeRef& reference) {
  for (const auto& existing : exports_) {
    if (existing.target == reference.target &&
        existing.attribute.cloudformation == reference.attribute.cloudformation &&
        existing.attribute.terraform == reference.attribute.terraform) {
      return;
    }
  }
  exports_.push_back(reference);
}

StackLowering::ReferenceKind StackLowering::note_reference(const AttributeRef& reference) {
  const ReferenceKind kind = note_reference(*reference.target);
  if (kind == ReferenceKind::CrossStack) {
    bool known = false;
    for (const auto& i : imports_) {
      known = known || (i.reference.target == reference.target &&
                        i.reference.attribute.cloudformation == reference.attribute.cloudformation &&
                        i.reference.attribute.terraform == reference.attribute.terraform);
    }
    if (!known) imports_.push_back({reference.target->stack(), reference});
  }
  return kind;
}

StackLowering::ReferenceKind StackLowering::note_reference(const Resource& target) {
  if (current_ == nullptr) return ReferenceKind::Local;
  if (target.app() != current_->app() || target.stack() == nullptr) {
    report(at(*current_, "HS3002", "references " + target.path() + ", which belongs to a different app",
              "build both resources in the same App"));
    return ReferenceKind::Invalid;
  }
  if (target.stack() != stack_) {
    if (std::find(stack_dependencies_.begin(), stack_dependencies_.end(), target.stack()) ==
        stack_dependencies_.end()) {
      stack_dependencies_.push_back(target.stack());
    }
    return ReferenceKind::CrossStack;
  }
  if (&target != current_) edges_[current_].insert(&target);
  return ReferenceKind::Local;
}

const Resource* StackLowering::policy_writer(const Resource& target) const {
  const auto it = policy_writers_.find(&target);
  return it == policy_writers_.end() ? nullptr : it->second;
}

void StackLowering::lower_all() {
  const auto resources = stack_->resources();
  for (const Resource* resource : resources) {
    if (const Resource* target = resource->writes_policy_of()) policy_writers_.emplace(target, resource);
  }
  for (const Resource* resource : resources) {
    current_ = resource;
    order_.push_back(resource);
    for (const Resource* dependency : resource->dependencies()) note_reference(*dependency);
    const std::size_t first = resources_.size();
    resource->lower(*this);
    // Explicit dependencies attach to the resource's primary target resource; across stacks
    // they order the stacks instead.
    if (first < resources_.size()) {
      for (const Resource* dependency : resource->dependencies()) {
        if (dependency->stack() == stack_) resources_[first].depends_on(*dependency);
      }
    }
  }
  current_ = nullptr;
  check_cycles();
  check_zones();
}

namespace {

bool is_index(std::string_view segment) {
  return !segment.empty() && segment.size() < 10 &&
         std::ranges::all_of(segment, [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

// The node `path` names under `body`, creating objects for keys that are missing; nullptr, with
// `problem` set, when the path goes through a scalar or past a list's end.
doc::Node* override_target(doc::Node& body, std::string_view path, std::string& problem) {
  doc::Node* current = &body;
  std::string walked;
  while (!path.empty()) {
    const auto dot = path.find('.');
    const std::string_view segment = path.substr(0, dot);
    const bool last = dot == std::string_view::npos;
    if (std::holds_alternative<std::monostate>(current->value)) current->value = doc::Map{};  // null: an object
    if (auto* list = current->get_if<doc::List>()) {
      if (!is_index(segment)) {
        problem = fmt::format("'{}' is a list, and '{}' is not an index", walked, segment);
        return nullptr;
      }
      const std::size_t index = std::stoul(std::string(segment));
      if (index >= list->size()) {
        problem = fmt::format("'{}' has {} element(s); index {} is beyond its end", walked, list->size(), index);
        return nullptr;
      }
      current = &(*list)[index];
    } else if (current->get_if<doc::Map>() != nullptr) {
      doc::Node* next = current->find(segment);
      current = next != nullptr ? next : &current->set(segment, last ? doc::Node{} : doc::Node{doc::Map{}});
    } else {
      problem = fmt::format("'{}' is a single value, not an object or a list, so '{}' cannot be set inside it", walked,
                            segment);
      return nullptr;
    }
    walked += (walked.empty() ? "" : ".") + std::string(segment);
    path = last ? std::string_view{} : path.substr(dot + 1);
  }
  return current;
}

}  // namespace

void StackLowering::apply_overrides(const Resource& owner, doc::Node& body) {
  // Problems rendering an override's value are the owner's.
  const Resource* const previous = current_;
  current_ = &owner;
  struct Restore {
    const Resource*& current;
    const Resource* previous;
    ~Restore() { current = previous; }
  } restore{current_, previous};
  for (const auto& o : owner.overrides()) {
    if (o.target != target()) continue;
    std::string problem;
    if (doc::Node* node = override_target(body, o.path, problem)) {
      *node = render(o.value);
      continue;
    }
    Diagnostic d = at(owner, "HS3012", fmt::format("override path '{}' does not fit the resource: {}", o.path, problem),
                      "override the enclosing value as a whole, or give an index within the list");
    locate_at(d, o.where);
    report(std::move(d));
  }
}

const Construct& StackLowering::rendering_site() const {
  return current_ != nullptr ? static_cast<const Construct&>(*current_) : static_cast<const Construct&>(*stack_);
}

void StackLowering::note_zone_selected(std::size_t index) {
  if (index + 1 <= zones_needed_) return;
  zones_needed_ = index + 1;
  needs_most_zones_ = current_;
}

void StackLowering::check_zones() {
  const std::size_t available = availability_zone_count(stack_->props().region);
  if (available == 0 || zones_needed_ <= available) return;
  const Construct& where = needs_most_zones_ != nullptr ? static_cast<const Construct&>(*needs_most_zones_)
                                                        : static_cast<const Construct&>(*stack_);
  report(at(where, "HS2008",
            fmt::format("selects availability zone {} (index {}), but region {} has {} availability zones",
                        zones_needed_, zones_needed_ - 1, stack_->props().region, available),
            fmt::format("spread over at most {} zones in {}, or choose a region with more", available,
                        stack_->props().region)));
}

void StackLowering::check_cycles() {
  // Depth-first search with colours; the first back edge found is reported with its whole loop.
  enum class Colour { White, Grey, Black };
  std::map<const Resource*, std::size_t> position;
  for (std::size_t i = 0; i < order_.size(); ++i) position[order_[i]] = i;
  std::map<const Resource*, Colour> colour;
  std::vector<const Resource*> trail;
  std::function<bool(const Resource*)> visit = [&](const Resource* node) -> bool {
    colour[node] = Colour::Grey;
    trail.push_back(node);
    if (auto it = edges_.find(node); it != edges_.end()) {
      // Visit in stack order so the reported loop is deterministic.
      std::vector<const Resource*> next(it->second.begin(), it->second.end());
      std::sort(next.begin(), next.end(),
                [&](const Resource* a, const Resource* b) { return position[a] < position[b]; });
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
