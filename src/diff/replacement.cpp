#include "diff/replacement.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <string>

#include <fmt/format.h>

#include "aws/catalog.hpp"
#include "diff/values.hpp"

namespace hipaa::diff_detail {
namespace {

// One entry per target type, from the nodes' declarations (hipaa/node.hpp): the same type
// declared by two nodes (an RDS instance and an Aurora cluster member) is listed once.
struct Tables {
  std::vector<ReplacementEntry> cloudformation;
  std::vector<ReplacementEntry> terraform;
  std::vector<std::string_view> data_stores;
};

const Tables& tables() {
  static const Tables built = [] {
    Tables t;
    std::map<std::string_view, ReplacementEntry> cloudformation;
    std::map<std::string_view, ReplacementEntry> terraform;
    for (const NodeInfo* node : detail::node_catalog()) {
      for (const TargetType& type : node->declared()) {
        auto& table = type.target == Target::CloudFormation ? cloudformation : terraform;
        table.emplace(type.name, ReplacementEntry{type.name, type.replaces, type.may_replace});
      }
      if (node->holds_data) {
        for (Target target : {Target::CloudFormation, Target::Terraform}) {
          if (const auto primary = node->primary(target); !primary.empty()) t.data_stores.push_back(primary);
        }
      }
    }
    for (auto& [name, entry] : cloudformation) t.cloudformation.push_back(entry);
    for (auto& [name, entry] : terraform) t.terraform.push_back(entry);
    std::sort(t.data_stores.begin(), t.data_stores.end());
    t.data_stores.erase(std::unique(t.data_stores.begin(), t.data_stores.end()), t.data_stores.end());
    return t;
  }();
  return built;
}

bool contains(std::string_view names, std::string_view name) {
  return std::ranges::any_of(split_names(names), [&](std::string_view word) { return word == name; });
}

// ---- Replacement through references ------------------------------------------------------

// A value a resource takes from another: `attribute` is empty for a CloudFormation Ref and for a
// Terraform expression that names the resource only.
struct Reference {
  std::string target;
  std::string attribute;
};

Reference split_reference(std::string_view text) {
  const auto dot = text.find('.');
  return {std::string(text.substr(0, dot)), dot == std::string_view::npos ? "" : std::string(text.substr(dot + 1))};
}

// ${Name} and ${Name.Attribute} in a Fn::Sub string; ${!Literal}, pseudo parameters (AWS::Region)
// and the Sub's own variables are not references.
void sub_references(std::string_view text, const doc::Node* variables, std::vector<Reference>& out) {
  for (auto at = text.find("${"); at != std::string_view::npos; at = text.find("${", at)) {
    const auto close = text.find('}', at);
    if (close == std::string_view::npos) return;
    const std::string_view name = text.substr(at + 2, close - at - 2);
    at = close + 1;
    if (name.empty() || name.front() == '!' || name.find("::") != std::string_view::npos) continue;
    Reference reference = split_reference(name);
    if (variables != nullptr && variables->find(reference.target) != nullptr) continue;
    out.push_back(std::move(reference));
  }
}

void cloudformation_references(const doc::Node& value, std::vector<Reference>& out);

void intrinsic_references(const doc::Intrinsic& fn, std::vector<Reference>& out) {
  const doc::Node& argument = *fn.argument;
  const auto* list = as_list(argument);
  if (fn.name == "Ref" && as_string(argument) != nullptr) {
    out.push_back({*as_string(argument), ""});
  } else if (fn.name == "Fn::GetAtt" && as_string(argument) != nullptr) {
    out.push_back(split_reference(*as_string(argument)));
  } else if (fn.name == "Fn::GetAtt" && list != nullptr && list->size() == 2 && as_string(list->front()) != nullptr) {
    out.push_back({*as_string(list->front()), scalar_text((*list)[1])});
  } else if (fn.name == "Fn::Sub") {
    const doc::Node& text = list != nullptr && !list->empty() ? list->front() : argument;
    const doc::Node* variables = list != nullptr && list->size() > 1 ? &(*list)[1] : nullptr;
    if (const auto* s = as_string(text)) sub_references(*s, variables, out);
    if (variables != nullptr) cloudformation_references(*variables, out);
  } else {
    cloudformation_references(argument, out);
  }
}

void cloudformation_references(const doc::Node& value, std::vector<Reference>& out) {
  if (const auto* fn = value.get_if<doc::Intrinsic>()) {
    intrinsic_references(*fn, out);
  } else if (const auto* map = as_map(value)) {
    for (const auto& entry : *map) cloudformation_references(entry.value, out);
  } else if (const auto* list = as_list(value)) {
    for (const auto& item : *list) cloudformation_references(item, out);
  }
}

bool expression_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.' || c == '[' || c == ']' ||
         c == '*';
}

// A traversal such as `aws_db_subnet_group.db[0].name`: "aws_db_subnet_group.db" and "name".
// Other traversals (var.x, data.aws_y.z.id, local.k) name no resource and find none.
Reference traversal_reference(std::string_view traversal) {
  std::vector<std::string> parts;
  std::string part;
  int brackets = 0;
  for (const char c : traversal) {
    if (c == '[' || c == ']') {
      brackets += c == '[' ? 1 : -1;
    } else if (brackets == 0 && c == '.') {
      parts.push_back(std::move(part));
      part.clear();
    } else if (brackets == 0) {
      part += c;
    }
  }
  parts.push_back(std::move(part));
  if (parts.size() < 2) return {};
  return {parts[0] + "." + parts[1], parts.size() > 2 ? parts[2] : ""};
}

// The resource traversals inside the ${...} interpolations of a Terraform string ($${ is a literal).
void string_references(std::string_view text, std::vector<Reference>& out) {
  std::size_t depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 3) == "$${") {
      i += 2;
    } else if (text.substr(i, 2) == "${") {
      ++depth;
      ++i;
    } else if (depth > 0 && text[i] == '}') {
      --depth;
    } else if (depth > 0 && (std::isalpha(static_cast<unsigned char>(text[i])) != 0 || text[i] == '_')) {
      std::size_t end = i;
      while (end < text.size() && expression_char(text[end])) ++end;
      if (Reference r = traversal_reference(text.substr(i, end - i)); !r.target.empty()) out.push_back(std::move(r));
      i = end - 1;
    }
  }
}

void terraform_references(const doc::Node& value, std::vector<Reference>& out) {
  if (const auto* s = as_string(value)) {
    string_references(*s, out);
  } else if (const auto* map = as_map(value)) {
    for (const auto& entry : *map) terraform_references(entry.value, out);
  } else if (const auto* list = as_list(value)) {
    for (const auto& item : *list) terraform_references(item, out);
  }
}

bool ends_with_word(std::string_view attribute, std::string_view word) {
  if (attribute.size() < word.size()) return false;
  const std::string_view tail = attribute.substr(attribute.size() - word.size());
  return std::equal(tail.begin(), tail.end(), word.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

// Whether the value a reference takes is a different one once its target is replaced.
// CloudFormation: a Ref is the physical id, which every replacement makes new (a resource with a
// custom name is replaced only under a new name: CloudFormation refuses to replace it otherwise);
// of the GetAtt attributes, those that identify the new resource (ids, ARNs, names, addresses,
// endpoints, URLs) are new too, while those that echo configuration (Endpoint.Port) keep their
// value. Terraform: an argument the new configuration sets is known in the plan and changes only
// when the configuration changed it; any other attribute is computed, unknown until the new
// resource exists, and the plan replaces whatever takes it in a replacing argument.
bool changes_on_replacement(DocumentKind kind, const ResourceVersions& target, std::string_view attribute) {
  if (attribute.empty()) return true;
  if (kind == DocumentKind::Terraform) {
    const doc::Node* now = target.after->find(attribute);
    if (now == nullptr) return true;
    const doc::Node* was = target.before->find(attribute);
    return was == nullptr || !equivalent(*was, *now);
  }
  const std::string_view last = attribute.substr(attribute.rfind('.') + 1);
  static constexpr std::array<std::string_view, 7> kIdentities = {"Arn",      "Id",  "Name",   "Address",
                                                                  "Endpoint", "Url", "DnsName"};
  return std::ranges::any_of(kIdentities, [&](std::string_view word) { return ends_with_word(last, word); });
}

// What a property takes from the resource it refers to, for the reason: "name", "Arn".
std::string taken(const Reference& reference, std::string_view property) {
  if (!reference.attribute.empty()) return reference.attribute;
  return ends_with_word(property, "Name") ? "name" : "id";
}

// One way a replacement travels: `to`'s `property` (replacing it at `level`) takes a value of
// `from` that changes when `from` is replaced.
struct Edge {
  std::size_t from;
  std::size_t to;
  Replacement level;
  std::string property;
  std::string what;
};

std::vector<Edge> reference_edges(DocumentKind kind, std::span<const ResourceVersions> resources,
                                  const std::vector<Change>& changes) {
  std::map<std::string_view, std::size_t> by_id;
  for (std::size_t i = 0; i < resources.size(); ++i) by_id.emplace(changes[resources[i].change].id, i);
  std::vector<Edge> edges;
  for (std::size_t to = 0; to < resources.size(); ++to) {
    const doc::Node* properties =
        kind == DocumentKind::CloudFormation ? resources[to].after->find("Properties") : resources[to].after;
    const auto* map = properties != nullptr ? as_map(*properties) : nullptr;
    if (map == nullptr) continue;
    for (const auto& [property, value] : *map) {
      const Replacement level = replacement_for(kind, changes[resources[to].change].type, property);
      if (level == Replacement::None) continue;
      std::vector<Reference> references;
      if (kind == DocumentKind::CloudFormation) {
        cloudformation_references(value, references);
      } else {
        terraform_references(value, references);
      }
      for (const auto& reference : references) {
        const auto it = by_id.find(reference.target);
        if (it == by_id.end() || it->second == to) continue;
        if (!changes_on_replacement(kind, resources[it->second], reference.attribute)) continue;
        edges.push_back({it->second, to, level, property, taken(reference, property)});
      }
    }
  }
  return edges;
}

std::string replacement_reason(const Change& from, const Edge& edge) {
  std::string reason = from.id + (from.replacement == Replacement::Always ? " is replaced" : " may be replaced");
  if (!from.replaced_because.empty()) reason += " (because " + from.replaced_because + ")";
  return fmt::format("{} and {} takes its {}", reason, edge.property, edge.what);
}

}  // namespace

void propagate_replacements(DocumentKind kind, std::span<const ResourceVersions> resources,
                            std::vector<Change>& changes) {
  const std::vector<Edge> edges = reference_edges(kind, resources, changes);
  // Each pass raises at least one resource or ends; a resource is raised at most twice, so a
  // cycle of references ends too.
  for (bool raised = true; raised;) {
    raised = false;
    for (const Edge& edge : edges) {
      const Change& from = changes[resources[edge.from].change];
      Change& to = changes[resources[edge.to].change];
      const Replacement level = std::min(from.replacement, edge.level);
      if (level <= to.replacement) continue;
      to.replacement = level;
      to.replaced_because = replacement_reason(from, edge);
      raised = true;
    }
  }
}

std::span<const ReplacementEntry> cloudformation_replacements() { return tables().cloudformation; }
std::span<const ReplacementEntry> terraform_replacements() { return tables().terraform; }
std::span<const std::string_view> modelled_data_stores() { return tables().data_stores; }

std::vector<std::string_view> split_names(std::string_view names) {
  std::vector<std::string_view> out;
  while (!names.empty()) {
    const auto space = names.find(' ');
    if (space != 0) out.push_back(names.substr(0, space));
    if (space == std::string_view::npos) break;
    names.remove_prefix(space + 1);
  }
  return out;
}

Replacement replacement_for(DocumentKind kind, std::string_view type, std::string_view property) {
  const auto table = kind == DocumentKind::CloudFormation ? cloudformation_replacements() : terraform_replacements();
  const auto it = std::ranges::lower_bound(table, type, {}, &ReplacementEntry::type);
  if (it == table.end() || it->type != type) return Replacement::None;
  if (contains(it->replaces, property)) return Replacement::Always;
  if (contains(it->may_replace, property)) return Replacement::Conditional;
  return Replacement::None;
}

}  // namespace hipaa::diff_detail
