#include "diff/statements.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "diff/values.hpp"

namespace hipaa::diff_detail {
namespace {

using doc::Node;

// The keys of the six fields, in StatementParts::fields order, for each spelling.
constexpr std::array<std::string_view, kStatementFields> kIamKeys = {"Action",      "NotAction", "Resource",
                                                                     "NotResource", "Principal", "NotPrincipal"};
constexpr std::array<std::string_view, kStatementFields> kTerraformKeys = {
    "actions", "not_actions", "resources", "not_resources", "principals", "not_principals"};
constexpr std::array<std::string_view, kStatementFields> kNouns = {
    "actions", "excluded actions", "resources", "excluded resources", "principals", "excluded principals"};

std::string text_of(const Node* node, std::string_view otherwise) {
  return node != nullptr ? display(*node) : std::string(otherwise);
}

// {"AWS": [a, b], "Service": c} -> "AWS:a", "AWS:b", "Service:c"; "*" as itself.
std::vector<std::string> iam_principals(const Node& principal) {
  const auto* map = as_map(principal);
  if (map == nullptr) return {display(principal)};
  std::vector<std::string> parts;
  for (const auto& entry : *map) {
    for (const auto& value : values_of(&entry.value)) parts.push_back(entry.key + ":" + value);
  }
  std::sort(parts.begin(), parts.end());
  return parts;
}

// {"StringEquals": {"aws:SourceAccount": "1"}} -> "StringEquals aws:SourceAccount 1".
std::vector<std::string> iam_conditions(const Node& condition) {
  const auto* operators = as_map(condition);
  if (operators == nullptr) return {display(condition)};
  std::vector<std::string> out;
  for (const auto& [name, tests] : *operators) {
    if (const auto* keys = as_map(tests)) {
      for (const auto& [key, values] : *keys)
        out.push_back(fmt::format("{} {} {}", name, key, join(values_of(&values))));
    } else {
      out.push_back(name + " " + display(tests));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// principals { type = "AWS", identifiers = [...] } blocks -> "AWS:arn", "*" for the anonymous one.
std::vector<std::string> terraform_principals(const Node& principals) {
  std::vector<std::string> parts;
  for (const Node* block : nested_blocks(&principals)) {
    const std::string kind = text_of(block->find("type"), "");
    for (const auto& id : values_of(block->find("identifiers")))
      parts.push_back(kind == "*" && id == "*" ? "*" : fmt::format("{}:{}", kind, id));
  }
  std::sort(parts.begin(), parts.end());
  return parts;
}

// The values only in `after` (added) and only in `before` (removed), each in the direction it
// moves the access: with `adding_widens`, an added value widens it and a removed one narrows it.
void compare_values(std::string_view noun, const std::vector<std::string>& before,
                    const std::vector<std::string>& after, bool adding_widens, StatementDelta& delta) {
  std::vector<std::string> added;
  std::vector<std::string> removed;
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(added));
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(), std::back_inserter(removed));
  if (!added.empty()) {
    std::string text = std::string(noun) + " added " + join(added);
    const bool wildcard =
        std::ranges::any_of(added, [](const std::string& v) { return v.find('*') != std::string::npos; });
    if (adding_widens && wildcard) text += " (wildcard)";
    (adding_widens ? delta.widened : delta.narrowed).push_back(std::move(text));
  }
  if (!removed.empty()) {
    (adding_widens ? delta.narrowed : delta.widened).push_back(std::string(noun) + " removed " + join(removed));
  }
}

}  // namespace

std::string display(const Node& node) {
  if (as_map(node) == nullptr && as_list(node) == nullptr && node.get_if<doc::Intrinsic>() == nullptr) {
    return scalar_text(node);
  }
  const nlohmann::json sorted = nlohmann::json::parse(compact_json(node));
  return sorted.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> values_of(const Node* node) {
  std::vector<std::string> out;
  if (node == nullptr) return out;
  if (const auto* list = as_list(*node)) {
    for (const auto& item : *list) out.push_back(display(item));
  } else {
    out.push_back(display(*node));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string join(const std::vector<std::string>& values) {
  if (values.size() == 1) return values.front();
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i > 0 ? ", " : "") + values[i];
  return out + "]";
}

StatementParts iam_statement(const Node& statement) {
  StatementParts out;
  out.sid = text_of(statement.find("Sid"), "");
  out.effect = text_of(statement.find("Effect"), "Allow");
  for (std::size_t i = 0; i < kStatementFields; ++i) {
    const Node* value = statement.find(kIamKeys[i]);
    if (value == nullptr) continue;
    out.present[i] = true;
    out.fields[i] = i >= 4 ? iam_principals(*value) : values_of(value);
  }
  if (const Node* condition = statement.find("Condition")) {
    out.conditions = iam_conditions(*condition);
    out.condition_text = display(*condition);
  }
  return out;
}

StatementParts terraform_statement(const Node& statement) {
  StatementParts out;
  out.sid = text_of(statement.find("sid"), "");
  out.effect = text_of(statement.find("effect"), "Allow");
  for (std::size_t i = 0; i < kStatementFields; ++i) {
    const Node* value = statement.find(kTerraformKeys[i]);
    if (value == nullptr) continue;
    out.present[i] = true;
    out.fields[i] = i >= 4 ? terraform_principals(*value) : values_of(value);
  }
  for (const Node* condition : nested_blocks(statement.find("condition"))) {
    out.conditions.push_back(text_of(condition->find("test"), "") + " " + text_of(condition->find("variable"), "") +
                             " " + join(values_of(condition->find("values"))));
  }
  std::sort(out.conditions.begin(), out.conditions.end());
  if (!out.conditions.empty()) out.condition_text = join(out.conditions);
  return out;
}

std::string statement_text(const StatementParts& statement) {
  // Each pair is a field and its Not form; a statement has one of them.
  static constexpr std::array<std::string_view, kStatementFields> kLeads = {
      " ", " all actions except ", " on ", " on all resources except ", " for ", " for all principals except "};
  std::string out = statement.effect;
  for (std::size_t i = 0; i < kStatementFields; i += 2) {
    const std::size_t shown = statement.present[i] ? i : i + 1;
    if (statement.present[shown]) out += std::string(kLeads[shown]) + join(statement.fields[shown]);
  }
  if (!statement.condition_text.empty()) out += " when " + statement.condition_text;
  return out;
}

std::size_t match_score(const StatementParts& a, const StatementParts& b) {
  if (a.effect != b.effect) return 0;
  std::size_t shared = 0;
  for (std::size_t i = 0; i < kStatementFields; ++i) {
    std::vector<std::string> both;
    std::set_intersection(a.fields[i].begin(), a.fields[i].end(), b.fields[i].begin(), b.fields[i].end(),
                          std::back_inserter(both));
    shared += both.size();
  }
  return shared;
}

// An Allow grants more with more actions, resources or principals and fewer conditions, the Not
// forms the other way round; a Deny takes away more with more, so each direction flips for it.
StatementDelta compare_statements(const StatementParts& before, const StatementParts& after) {
  StatementDelta delta;
  if (before.effect != after.effect) {
    (after.deny() ? delta.narrowed : delta.widened).push_back("effect " + before.effect + " -> " + after.effect);
  }
  const bool deny = after.deny();
  for (std::size_t i = 0; i < kStatementFields; ++i) {
    const bool plain_field = i % 2 == 0;
    compare_values(kNouns[i], before.fields[i], after.fields[i], plain_field != deny, delta);
  }
  compare_values("conditions", before.conditions, after.conditions, deny, delta);
  return delta;
}

}  // namespace hipaa::diff_detail
