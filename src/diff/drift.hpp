// Internal: what `--check` makes of one output file whose bytes on disk differ from what would be
// written. A function of bytes, so the comparison (the part that parses what it finds on disk) is
// the same for the command line and for tests/fuzz/fuzz_check.cpp.
#pragma once

#include <optional>
#include <string_view>

#include "hipaa/diff.hpp"
#include "hipaa/synth.hpp"

namespace hipaa::detail {

// The semantic difference between `on_disk` (read from `disk_name`) and `expected`, when both are
// documents; nullopt for an archive, the manifest (compared byte for byte) or bytes that do not
// load as a template, which --check reports as "would change".
[[nodiscard]] std::optional<DiffReport> drift_report(std::string_view on_disk, std::string_view disk_name,
                                                     const OutputFile& expected);

}  // namespace hipaa::detail
