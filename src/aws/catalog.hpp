// Internal: every typed node hipaa-synth ships, by its declaration (hipaa/node.hpp). The diff's
// replacement tables and data-loss warnings and the docs' node table are derived from it.
#pragma once

#include <span>

#include "hipaa/node.hpp"

namespace hipaa::detail {

// In docs order: by service, then as each header declares them.
[[nodiscard]] std::span<const NodeInfo* const> node_catalog();

}  // namespace hipaa::detail
