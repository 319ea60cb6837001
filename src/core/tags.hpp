// Internal: tags on scopes (Tags::of, ScopeTags in hipaa/construct.hpp) as lowering and validation
// see them.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "hipaa/construct.hpp"

namespace hipaa::detail {

// The tags the scopes above `node` (and `node` itself) give it: every scope from the app down,
// farthest first, each one's adds and removes over the farther ones'. With `with_stack_tags`,
// the stack's own StackProps::tags come first at the stack's level (Tags::of(stack) beats them).
[[nodiscard]] std::map<std::string, std::string> scope_tags_of(const Construct& node, bool with_stack_tags);

// Whether some scope removes one of the stack's own tags for part of it (Tags::of(x).remove(key)).
// Terraform's provider default_tags cannot be taken off one resource, so the stack's tags then go
// on each taggable resource instead.
[[nodiscard]] bool removes_stack_tag(const Stack& stack);

// Why AWS refuses a tag, or empty: a key of 1-128 characters not starting with "aws:", a value of
// at most 256, letters, digits, spaces and _ . : / = + - @ (any non-ASCII letter passes).
[[nodiscard]] std::string tag_problem(std::string_view key, std::string_view value);

// AWS's limit of tags on one resource.
inline constexpr std::size_t kMaxTagsPerResource = 50;

}  // namespace hipaa::detail
