// hipaa/healthcare_config.hpp: the `--config FILE` reader: a YAML or JSON document whose keys
// mirror HealthcareOptions (snake_case, same nesting) and override a preset's values.
//
//   HealthcareOptions options = HealthcareOptions::preset(Preset::Hardened);
//   Diagnostics problems = apply_config_file("stack.yaml", options);
//   if (has_errors(problems)) { for (auto& d : problems) std::cerr << format(d) << '\n'; }
//
// Only the keys present change; a list (subnets, routes, origins) replaces the preset's whole list.
// Codes: HS5001 malformed document, HS5002 unknown key, HS5003 wrong type or invalid value,
// HS5004 unreadable file. Each diagnostic carries the file name, the 1-based line and the dotted
// key path (e.g. "database.engine_version", "api.routes[1].path"). `hipaa-synth schema` prints
// the format's JSON Schema (config_schema) for editors.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "hipaa/diagnostic.hpp"
#include "hipaa/healthcare.hpp"

namespace hipaa {

// Applies a YAML or JSON config document to `options` (which the caller has already set from a
// preset). Returns every problem found (not just the first); `options` is only modified if there
// are none. An empty document changes no option. The top-level `preset` key is checked but not
// applied: the caller applies it first (see config_preset). `options.sources` records `file_name`
// and the line of every key read (dotted), so that findings and validation errors about the stack
// point at the key that set the offending value.
[[nodiscard]] Diagnostics apply_config(std::string_view text, std::string_view file_name, HealthcareOptions& options);

// As apply_config, reading the document from `file`; an unreadable file gives one HS5004.
[[nodiscard]] Diagnostics apply_config_file(const std::filesystem::path& file, HealthcareOptions& options);

// The preset named by a config document's top-level `preset:` key, if any (so the CLI can apply
// it first). The name is returned as written, unvalidated (see parse_preset); nullopt when the
// document is malformed, has no such key, or its value is not a scalar.
[[nodiscard]] std::optional<std::string> config_preset(std::string_view text);

// The JSON Schema (draft 2020-12) of the config format, generated from the tables the reader reads
// through, for editors and validators: every key with its type, description, limits and the
// hardened preset's default; unknown keys are refused, as the reader refuses them. Deterministic
// (keys in the reader's order); `hipaa-synth schema` prints it.
[[nodiscard]] std::string config_schema();

}  // namespace hipaa
