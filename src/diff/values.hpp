// Internal: value helpers shared by the diff passes. Semantic equality (a number equals its
// decimal string, key order does not matter), compact JSON for display, property paths, and the
// structural diff of two values.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hipaa/diff.hpp"
#include "hipaa/document.hpp"

namespace hipaa::diff_detail {

// Equality as CloudFormation and Terraform see it: maps compare by key whatever their order,
// scalars by their canonical text (7 == "7", true == "true", 2.0 == 2), intrinsics by name and
// argument.
[[nodiscard]] bool equivalent(const doc::Node& a, const doc::Node& b);

// Canonical text of a scalar (strings as themselves); compact JSON for anything else.
[[nodiscard]] std::string scalar_text(const doc::Node& node);
// One-line JSON; intrinsics in long form ({"Ref":"X"}).
[[nodiscard]] std::string compact_json(const doc::Node& node);
[[nodiscard]] nlohmann::ordered_json to_json_value(const doc::Node& node);
// Plain JSON to a node (no intrinsic recognition).
[[nodiscard]] doc::Node node_from_json(const nlohmann::ordered_json& json);

[[nodiscard]] std::optional<double> as_number(const doc::Node& node);
[[nodiscard]] bool truthy(const doc::Node& node);
[[nodiscard]] const std::string* as_string(const doc::Node& node);

// Paths: `Properties.Tags[2].Value`; keys that are not plain words are quoted: `a["x.y"]`.
[[nodiscard]] std::string append_key(const std::string& path, std::string_view key);
[[nodiscard]] std::string append_index(const std::string& path, std::size_t index);
// The first key of a path ("Properties.Tags[2]" -> "Properties"), and the last key with any
// trailing indices dropped ("Properties.Tags[2]" -> "Tags").
[[nodiscard]] std::string first_key(std::string_view path);
[[nodiscard]] std::string last_key(std::string_view path);
// The path below its first key ("Properties.Tags[2]" -> "Tags[2]"); empty when there is none.
[[nodiscard]] std::string_view after_first_key(std::string_view path);

// Appends the differences between two values below `path`. Lists are aligned on their longest
// common subsequence, so an insertion shows as one added element, not as every later one changed.
void diff_values(const doc::Node& before, const doc::Node& after, const std::string& path,
                 std::vector<PropertyChange>& out);

// The bodies of a Terraform JSON nested block, written as an object or an array of objects.
[[nodiscard]] std::vector<const doc::Node*> nested_blocks(const doc::Node* node);

// A map's entry list, or nullptr.
[[nodiscard]] const doc::Map* as_map(const doc::Node& node);
[[nodiscard]] const doc::List* as_list(const doc::Node& node);

}  // namespace hipaa::diff_detail
