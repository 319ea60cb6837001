#include "core/tags.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace hipaa::detail {

std::map<std::string, std::string> scope_tags_of(const Construct& node, bool with_stack_tags) {
  std::vector<const Construct*> chain;  // nearest first
  for (const Construct* c = &node; c != nullptr; c = c->scope()) chain.push_back(c);
  std::ranges::reverse(chain);  // farthest first
  std::map<std::string, std::string> out;
  for (const Construct* c : chain) {
    const Construct& scope = *c;
    if (with_stack_tags && scope.stack() == &scope) {
      for (const auto& [key, value] : scope.stack()->props().tags) out.insert_or_assign(key, value);
    }
    for (const auto& [key, value] : scope.scope_tags()) {
      if (value) {
        out.insert_or_assign(key, *value);
      } else {
        out.erase(key);
      }
    }
  }
  return out;
}

namespace {

bool removes_any(const Construct& scope, const std::map<std::string, std::string>& keys) {
  return std::ranges::any_of(scope.scope_tags(),
                             [&](const auto& entry) { return !entry.second && keys.contains(entry.first); });
}

bool removes_below(const Construct& scope, const std::map<std::string, std::string>& keys) {
  if (removes_any(scope, keys)) return true;
  return std::ranges::any_of(scope.children(), [&](const auto& child) { return removes_below(*child, keys); });
}

}  // namespace

bool removes_stack_tag(const Stack& stack) {
  const auto& keys = stack.props().tags;
  if (keys.empty()) return false;
  // Removes at the app's level, then at the stack's and below.
  if (stack.scope() != nullptr && removes_any(*stack.scope(), keys)) return true;
  return removes_below(stack, keys);
}

std::string tag_problem(std::string_view key, std::string_view value) {
  auto allowed = [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || std::isalnum(u) != 0 || std::string_view(" _.:/=+-@").find(c) != std::string_view::npos;
  };
  if (key.empty() || key.size() > 128) return "has a key of " + std::to_string(key.size()) + " characters (1-128)";
  std::string lower(key.substr(0, 4));
  std::ranges::transform(lower, lower.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "aws:") return "has a key starting with 'aws:', which AWS reserves";
  if (value.size() > 256) return "has a value of " + std::to_string(value.size()) + " characters (at most 256)";
  if (!std::ranges::all_of(key, allowed) || !std::ranges::all_of(value, allowed)) {
    return "has characters other than letters, digits, spaces and _ . : / = + - @";
  }
  return {};
}

}  // namespace hipaa::detail
