// Internal: which property changes make CloudFormation or Terraform replace a resource.
//
// One table per target, derived from what each node declares (hipaa/node.hpp): resource type ->
// space-separated property (argument) names. CloudFormation: the resource specification's "Update requires:
// Replacement" (`causesReplacement` "yes") and "Replacement in some cases" ("maybe", reported as a possible
// replacement), from
// @aws-cdk/aws-service-spec. Terraform: arguments the hashicorp/aws provider marks ForceNew
// (RequiresReplace in framework resources). Only top-level properties and arguments are listed;
// a change anywhere below one counts as a change of it.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "hipaa/diff.hpp"

namespace hipaa::diff_detail {

struct ReplacementEntry {
  std::string_view type;
  std::string_view replaces;     // changing any of these replaces the resource
  std::string_view may_replace;  // CloudFormation only: replacement in some cases
};

// Sorted by type.
[[nodiscard]] std::span<const ReplacementEntry> cloudformation_replacements();
[[nodiscard]] std::span<const ReplacementEntry> terraform_replacements();
// The primary types of the nodes that hold data (both targets), sorted.
[[nodiscard]] std::span<const std::string_view> modelled_data_stores();

// The words of a table cell.
[[nodiscard]] std::vector<std::string_view> split_names(std::string_view names);

// Replacement caused by changing top-level `property` of a resource of `type`.
[[nodiscard]] Replacement replacement_for(DocumentKind kind, std::string_view type, std::string_view property);

// A resource present in both documents: its bodies (CloudFormation: the resource with Type and
// Properties; Terraform: the block's arguments) and the index of its Change in the report.
struct ResourceVersions {
  const doc::Node* before;
  const doc::Node* after;
  std::size_t change;
};

// Replacement through references: when a resource is replaced, a resource whose replacing
// property takes a value of it that changes with the replacement is replaced too, to a fixed
// point (cycles end there, as a resource is only ever raised). Sets Change::replaced_because.
void propagate_replacements(DocumentKind kind, std::span<const ResourceVersions> resources,
                            std::vector<Change>& changes);

}  // namespace hipaa::diff_detail
