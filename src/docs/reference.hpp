// Internal: the reference pages generated from the code's own tables, so they cannot drift:
// docs/diagnostics.md (every diagnostic code) and the node table of docs/resources.md. The CLI
// prints them (`hipaa-synth codes|nodes --format markdown`); tests compare them with docs/.
#pragma once

#include <string>

namespace hipaa::detail {

// docs/diagnostics.md, whole.
[[nodiscard]] std::string codes_markdown();
[[nodiscard]] std::string codes_text();

// The node table of docs/resources.md (between its "generated" markers).
[[nodiscard]] std::string nodes_markdown();
[[nodiscard]] std::string nodes_text();

}  // namespace hipaa::detail
