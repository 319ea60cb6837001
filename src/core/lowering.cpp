#include "hipaa/lowering.hpp"

#include <cctype>

#include "core/tags.hpp"

namespace hipaa {

std::string_view Properties::pick(Key key) const {
  return lowering_->is_cloudformation() ? key.cloudformation : key.terraform;
}

Properties& Properties::set(Key key, const Value& value) {
  const auto name = pick(key);
  // Null and empty-string values mean "not set": AWS gives an empty string no meaning.
  if (name.empty() || value.is_null()) return *this;
  if (const auto* s = value.get_if<std::string>(); s != nullptr && s->empty()) return *this;
  node_.set(name, lowering_->render(value));
  return *this;
}

Properties& Properties::set(Key key, Properties nested) {
  const auto name = pick(key);
  if (name.empty() || nested.empty()) return *this;
  node_.set(name, std::move(nested.node()));
  return *this;
}

Properties& Properties::set(Key key, std::vector<Properties> nested) {
  const auto name = pick(key);
  if (name.empty() || nested.empty()) return *this;
  doc::List items;
  items.reserve(nested.size());
  for (auto& n : nested) items.push_back(std::move(n.node()));
  node_.set(name, std::move(items));
  return *this;
}

Properties& Properties::set_node(std::string_view key, doc::Node node) {
  if (!key.empty() && !node.is_null()) node_.set(key, std::move(node));
  return *this;
}

Properties& Properties::cloudformation(std::string_view key, const Value& value) { return set({key, {}}, value); }

Properties& Properties::terraform(std::string_view key, const Value& value) { return set({{}, key}, value); }

bool Properties::empty() const {
  const auto* map = node_.get_if<doc::Map>();
  return map == nullptr || map->empty();
}

TargetResource::TargetResource(Lowering& lowering, ResourceType type, const Resource& owner, std::string_view suffix)
    : type_(type),
      suffix_(suffix),
      logical_id_(owner.logical_id() + suffix_),
      terraform_name_(suffix_.empty() ? owner.terraform_name() : owner.terraform_name() + "_" + snake_case(suffix_)),
      owner_(&owner),
      properties_(lowering),
      lowering_(&lowering) {}

std::optional<RemovalPolicy> TargetResource::removal() const {
  if (removal_ || !is_primary()) return removal_;
  return owner_->removal_policy();
}

TargetResource& TargetResource::depends_on(const Resource& other, std::string_view suffix) {
  for (const auto& existing : depends_on_) {
    if (existing.resource == &other && existing.suffix == suffix) return *this;
  }
  depends_on_.push_back({&other, std::string(suffix)});
  return *this;
}

TargetResource& TargetResource::tags(const Tags& tags, std::string_view cloudformation_key) {
  Lowering& l = *lowering_;
  if (type_.tagging == Tagging::None) return *this;
  // Nearest wins: the stack's tags, then each scope's Tags::of down to the resource, then the
  // resource's own.
  const Stack& stack = l.stack();
  const bool per_resource = l.stack_tags_on_each_resource();
  std::map<std::string, doc::Node> merged;
  for (auto& [key, value] : detail::scope_tags_of(*owner_, true)) {
    if (!per_resource) {
      // Terraform: the stack's tags travel as the provider's default_tags, which a resource's
      // tags override; only what differs from them goes here.
      const auto it = stack.props().tags.find(key);
      if (it != stack.props().tags.end() && it->second == value) continue;
    }
    merged[key] = l.is_cloudformation() ? doc::Node(std::move(value)) : l.render(Value(std::move(value)));
  }
  for (const auto& [key, value] : tags) merged[key] = l.render(value);
  if (merged.empty()) return *this;
  if (l.is_terraform()) {
    doc::Node map = doc::Map{};
    for (auto& [key, value] : merged) map.set(key, std::move(value));
    properties_.set_node("tags", std::move(map));
    return *this;
  }
  if (type_.tagging == Tagging::Map) {
    doc::Node map = doc::Map{};
    for (auto& [key, value] : merged) map.set(key, std::move(value));
    properties_.set_node(cloudformation_key, std::move(map));
  } else {
    doc::List list;
    for (auto& [key, value] : merged) {
      doc::Node tag = doc::Map{};
      tag.set("Key", key);
      tag.set("Value", std::move(value));
      list.push_back(std::move(tag));
    }
    properties_.set_node(cloudformation_key, std::move(list));
  }
  return *this;
}

bool Lowering::stack_tags_on_each_resource() {
  if (!stack_tags_on_each_resource_) {
    stack_tags_on_each_resource_ = is_cloudformation() || detail::removes_stack_tag(stack());
  }
  return *stack_tags_on_each_resource_;
}

doc::Node TargetResource::reference(Attribute attribute) const {
  if (lowering_->is_cloudformation()) {
    if (attribute.cloudformation.empty()) return doc::intrinsic("Ref", logical_id_);
    return doc::intrinsic("Fn::GetAtt", doc::List{logical_id_, std::string(attribute.cloudformation)});
  }
  return "${" + std::string(type_.terraform) + "." + terraform_name_ + "." + std::string(attribute.terraform) + "}";
}

TargetResource& TargetResource::removal_policy(RemovalPolicy policy) {
  removal_ = policy;
  return *this;
}

TargetResource& TargetResource::set_attribute(std::string_view key, doc::Node node) {
  for (auto& entry : attributes_) {
    if (entry.key == key) {
      entry.value = std::move(node);
      return *this;
    }
  }
  attributes_.push_back({std::string(key), std::move(node)});
  return *this;
}

std::string pascal_case(std::string_view words, WordCase rest) {
  std::string id;
  id.reserve(words.size());
  bool word_start = true;
  for (const char ch : words) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) == 0) {
      word_start = true;
      continue;
    }
    if (word_start) {
      id += static_cast<char>(std::toupper(c));
    } else {
      id += rest == WordCase::Lower ? static_cast<char>(std::tolower(c)) : ch;
    }
    word_start = false;
  }
  return id;
}

std::string snake_case(std::string_view pascal_case) {
  std::string out;
  out.reserve(pascal_case.size() + 8);
  for (std::size_t i = 0; i < pascal_case.size(); ++i) {
    const auto c = static_cast<unsigned char>(pascal_case[i]);
    if (std::isupper(c) != 0) {
      // A word starts at an upper-case letter that follows a lower-case letter or digit, or that
      // ends an acronym ("APIFunction" -> "api_function").
      const bool after_lower = i > 0 && (std::islower(static_cast<unsigned char>(pascal_case[i - 1])) != 0 ||
                                         std::isdigit(static_cast<unsigned char>(pascal_case[i - 1])) != 0);
      const bool acronym_end = i > 0 && std::isupper(static_cast<unsigned char>(pascal_case[i - 1])) != 0 &&
                               i + 1 < pascal_case.size() &&
                               std::islower(static_cast<unsigned char>(pascal_case[i + 1])) != 0;
      if ((after_lower || acronym_end) && !out.empty() && out.back() != '_') out += '_';
      out += static_cast<char>(std::tolower(c));
    } else if (std::isalnum(c) != 0) {
      out += static_cast<char>(c);
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  // A Terraform block label must start with a letter or underscore.
  if (!out.empty() && std::isdigit(static_cast<unsigned char>(out.front())) != 0) out.insert(0, "r_");
  return out;
}

}  // namespace hipaa
