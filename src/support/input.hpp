// Internal: reading what users hand us (a --config file, two documents to diff, the files --check
// compares with) so that no input can hang, crash or exhaust the process: non-regular files are
// refused without opening them for reading, sizes and nesting are bounded, and YAML that yaml-cpp
// 0.7 would parse forever is rejected.
#pragma once

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

namespace hipaa::detail {

// Inputs are configuration and templates: CloudFormation's own limit is 1 MB (from S3), Terraform
// files are rarely more than a few. Anything larger is refused rather than read into memory.
inline constexpr std::size_t kMaxInputBytes = 64U << 20U;
// Deeper nesting than any template or config has; the bound keeps every recursive walk of a
// document within the stack.
inline constexpr int kMaxNesting = 200;
// YAML aliases repeat their anchored node wherever they stand, for every walk of the document; the
// nodes they add together are bounded (a template may share a few policies this way, never
// millions of nodes), so a few lines of nested aliases cannot expand to billions.
inline constexpr std::size_t kMaxAliasNodes = 100000;

struct InputFile {
  std::string text;
  std::string error;  // empty when read; else why not, e.g. "it is a FIFO, not a regular file"
};

// The whole file, or why it cannot be read. Never blocks: a FIFO or device is refused after a
// non-blocking open, before any read.
[[nodiscard]] InputFile read_input_file(const std::filesystem::path& path, std::size_t max_bytes = kMaxInputBytes);

// A document that does not parse, with where (1-based; 0 when unknown).
struct ParseError : std::runtime_error {
  ParseError(const std::string& message, unsigned line, unsigned column)
      : std::runtime_error(message), line(line), column(column) {}
  unsigned line;
  unsigned column;
};

// The first YAML document of `text` (null for an empty text) and how many there are, after a pass
// over the parser's events that bounds nesting to kMaxNesting (aliases expanded), refuses an alias
// inside the node it refers to and aliases adding more than kMaxAliasNodes nodes, counts documents
// up to 2, and stops where yaml-cpp would start the same document again without consuming input (a
// stray ',' at the top level makes 0.7's LoadAll loop forever). Throws ParseError.
struct YamlDocuments {
  YAML::Node first;
  std::size_t count = 0;     // 0, 1, or 2 for "more than one"
  unsigned second_line = 0;  // where the second document starts, when there is one
};
[[nodiscard]] YamlDocuments load_yaml(std::string_view text);

// JSON with nesting bounded by kMaxNesting. Throws ParseError (nlohmann's message and offset).
[[nodiscard]] nlohmann::ordered_json parse_json(std::string_view text);

// 1-based line of a byte offset in `text`.
[[nodiscard]] unsigned line_of_offset(std::string_view text, std::size_t offset);

}  // namespace hipaa::detail
