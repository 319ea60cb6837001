// The structural diff: documents split into items (resources, parameters, outputs, providers,
// ...), items matched by section and id, values compared with diff_values.
#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "diff/replacement.hpp"
#include "diff/security.hpp"
#include "diff/values.hpp"
#include "hipaa/diff.hpp"

namespace hipaa {
namespace {

using diff_detail::after_first_key;
using diff_detail::as_list;
using diff_detail::as_map;
using diff_detail::as_string;
using diff_detail::first_key;
using doc::Node;

struct Item {
  std::string section;
  std::string id;
  std::string type;
  Node value;
};

constexpr auto kCloudFormationSections = std::to_array<std::string_view>(
    {"Template", "Parameters", "Mappings", "Conditions", "Rules", "Resources", "Outputs", "Metadata", "Hooks"});
constexpr auto kTerraformSections = std::to_array<std::string_view>(
    {"terraform", "provider", "variable", "locals", "data", "ephemeral", "resource", "module", "output"});

std::size_t section_rank(DocumentKind kind, std::string_view section) {
  const auto* begin =
      kind == DocumentKind::CloudFormation ? std::begin(kCloudFormationSections) : std::begin(kTerraformSections);
  const auto* end =
      kind == DocumentKind::CloudFormation ? std::end(kCloudFormationSections) : std::end(kTerraformSections);
  return static_cast<std::size_t>(std::find(begin, end, section) - begin);
}

// The entries of an object, or of an array of objects (Terraform JSON allows both).
std::vector<const doc::Entry*> entries(const Node& node) {
  std::vector<const doc::Entry*> out;
  if (const auto* map = as_map(node)) {
    for (const auto& e : *map) out.push_back(&e);
  } else if (const auto* list = as_list(node)) {
    for (const auto& item : *list) {
      if (const auto* m = as_map(item)) {
        for (const auto& e : *m) out.push_back(&e);
      }
    }
  }
  return out;
}

// A block body; an array of one object is that object.
Node body_of(const Node& node) {
  if (const auto* list = as_list(node); list != nullptr && list->size() == 1) return list->front();
  return node;
}

std::vector<Item> cloudformation_items(const Node& root) {
  static constexpr auto kCollections = std::to_array<std::string_view>(
      {"Parameters", "Mappings", "Conditions", "Rules", "Resources", "Outputs", "Metadata", "Hooks"});
  std::vector<Item> items;
  const auto* map = as_map(root);
  if (map == nullptr) return items;
  for (const auto& [key, value] : *map) {
    const bool collection = std::find(std::begin(kCollections), std::end(kCollections), key) != std::end(kCollections);
    if (collection && as_map(value) != nullptr) {
      for (const auto& [id, body] : *as_map(value)) {
        std::string type;
        if (key == "Resources") {
          if (const Node* t = body.find("Type"); t != nullptr && as_string(*t) != nullptr) type = *as_string(*t);
        }
        items.push_back({key, id, type, body});
      }
    } else {
      items.push_back({"Template", key, "", value});
    }
  }
  return items;
}

// resource, data and ephemeral blocks: one item per <type>.<name>.
void terraform_block_items(const std::string& section, const Node& value, std::vector<Item>& items) {
  const std::string prefix = section == "resource" ? "" : section + ".";
  for (const auto* type : entries(value)) {
    for (const auto* block : entries(type->value)) {
      items.push_back({section, prefix + type->key + "." + block->key, type->key, body_of(block->value)});
    }
  }
}

// provider blocks: one item per provider, or per aliased configuration when there are several.
void terraform_provider_items(const std::string& section, const Node& value, std::vector<Item>& items) {
  for (const auto* provider : entries(value)) {
    if (const auto* list = as_list(provider->value); list != nullptr && list->size() > 1) {
      for (const auto& config : *list) {
        const Node* alias = config.find("alias");
        const std::string id =
            alias != nullptr && as_string(*alias) != nullptr ? provider->key + "." + *as_string(*alias) : provider->key;
        items.push_back({section, id, provider->key, config});
      }
    } else {
      items.push_back({section, provider->key, provider->key, body_of(provider->value)});
    }
  }
}

// terraform settings: required providers and the backend per entry, other settings whole.
void terraform_setting_items(const std::string& section, const Node& value, std::vector<Item>& items) {
  for (const auto* setting : entries(value)) {
    if (setting->key == "required_providers" || setting->key == "backend") {
      for (const auto* entry : entries(setting->value)) {
        items.push_back({section, setting->key + "." + entry->key, "", body_of(entry->value)});
      }
    } else {
      items.push_back({section, setting->key, "", setting->value});
    }
  }
}

std::vector<Item> terraform_items(const Node& root) {
  std::vector<Item> items;
  const auto* map = as_map(root);
  if (map == nullptr) return items;
  for (const auto& [section, value] : *map) {
    if (section == "resource" || section == "data" || section == "ephemeral") {
      terraform_block_items(section, value, items);
    } else if (section == "provider") {
      terraform_provider_items(section, value, items);
    } else if (section == "terraform") {
      terraform_setting_items(section, value, items);
    } else if (section == "variable" || section == "output" || section == "module" || section == "locals") {
      for (const auto* entry : entries(value)) {
        items.push_back({section, entry->key, "", section == "locals" ? entry->value : body_of(entry->value)});
      }
    } else {
      items.push_back({section, section, "", value});
    }
  }
  return items;
}

bool is_resource(DocumentKind kind, std::string_view section) {
  return section == (kind == DocumentKind::CloudFormation ? "Resources" : "resource");
}

bool is_plain_value(const Node& node) { return as_map(node) == nullptr && as_list(node) == nullptr; }

Replacement stronger(Replacement a, Replacement b) { return static_cast<int>(a) >= static_cast<int>(b) ? a : b; }

// Replacement caused by a property change of a resource.
Replacement replacement_of(DocumentKind kind, const Item& item, const PropertyChange& change) {
  if (kind == DocumentKind::CloudFormation) {
    if (!is_resource(kind, item.section)) return Replacement::None;
    const std::string top = first_key(change.path);
    if (top == "Type") return Replacement::Always;
    if (top != "Properties") return Replacement::None;
    const std::string_view below = after_first_key(change.path);
    if (!below.empty()) return diff_detail::replacement_for(kind, item.type, first_key(below));
    // The whole Properties map added or removed: each property in it counts.
    Replacement strongest = Replacement::None;
    for (const auto& side : {change.before, change.after}) {
      if (const auto* map = side ? as_map(*side) : nullptr) {
        for (const auto& e : *map)
          strongest = stronger(strongest, diff_detail::replacement_for(kind, item.type, e.key));
      }
    }
    return strongest;
  }
  if (!is_resource(kind, item.section)) return Replacement::None;
  return diff_detail::replacement_for(kind, item.type, first_key(change.path));
}

Diagnostic mixed_kinds(const LoadedDocument& a, const LoadedDocument& b) {
  Diagnostic d;
  d.code = "HS6004";
  d.message = fmt::format("cannot compare {} ({}) with {} ({})", a.name, to_string(a.kind), b.name, to_string(b.kind));
  d.hint = "diff two CloudFormation templates or two Terraform JSON files";
  return d;
}

}  // namespace

DiffReport diff(const LoadedDocument& old_document, const LoadedDocument& new_document) {
  DiffReport report;
  report.kind = new_document.kind;
  report.old_name = old_document.name;
  report.new_name = new_document.name;
  if (old_document.kind != new_document.kind) {
    report.diagnostics.push_back(mixed_kinds(old_document, new_document));
    return report;
  }
  const DocumentKind kind = new_document.kind;
  auto items_of = [&](const LoadedDocument& d) {
    return kind == DocumentKind::CloudFormation ? cloudformation_items(d.root) : terraform_items(d.root);
  };

  using Key = std::tuple<std::size_t, std::string, std::string>;
  std::map<Key, std::pair<std::optional<Item>, std::optional<Item>>> matched;
  for (auto& item : items_of(old_document)) {
    Key key{section_rank(kind, item.section), item.section, item.id};
    matched[key].first = std::move(item);
  }
  for (auto& item : items_of(new_document)) {
    Key key{section_rank(kind, item.section), item.section, item.id};
    matched[key].second = std::move(item);
  }

  // Every item present on both sides gets a Change, kept below if something differs or a
  // reference replaces it.
  std::vector<diff_detail::ResourceVersions> resources;
  for (const auto& [key, pair] : matched) {
    const auto& [before, after] = pair;
    const Item& item = after ? *after : *before;
    Change change;
    change.section = item.section;
    change.id = item.id;
    change.type = item.type;
    if (!before || !after) {
      change.kind = before ? ChangeKind::Removed : ChangeKind::Added;
      if (is_plain_value(item.value)) {
        change.properties.push_back({"", before ? std::optional<Node>(before->value) : std::nullopt,
                                     after ? std::optional<Node>(after->value) : std::nullopt, Replacement::None});
      }
      report.changes.push_back(std::move(change));
      continue;
    }
    diff_detail::diff_values(before->value, after->value, "", change.properties);
    change.kind = ChangeKind::Modified;
    for (auto& p : change.properties) {
      // A resource whose type changed is looked up under its new type.
      p.replacement = replacement_of(kind, *after, p);
      change.replacement = stronger(change.replacement, p.replacement);
    }
    if (is_resource(kind, item.section)) resources.push_back({&before->value, &after->value, report.changes.size()});
    report.changes.push_back(std::move(change));
  }
  diff_detail::propagate_replacements(kind, resources, report.changes);
  std::erase_if(report.changes, [](const Change& c) {
    return c.kind == ChangeKind::Modified && c.properties.empty() && c.replacement == Replacement::None;
  });

  diff_detail::add_security_findings(old_document, new_document, report);
  return report;
}

int exit_status(const DiffReport& report) {
  if (has_errors(report.diagnostics)) return 2;
  return report.empty() ? 0 : 1;
}

}  // namespace hipaa
