#include "diff/replacement.hpp"

#include <algorithm>
#include <map>

#include "aws/catalog.hpp"

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

}  // namespace

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
