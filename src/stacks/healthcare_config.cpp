#include "hipaa/healthcare_config.hpp"

#include "stacks/options_schema.hpp"
#include "support/input.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <span>
#include <sstream>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace hipaa {
namespace {

// The schema (stacks/options_schema.hpp): a Field names a key and where its value goes.
using Field = detail::OptionField;
using Fields = detail::OptionFields;
using detail::Routes;
using detail::Strings;

template <class E>
using Names = detail::EnumNames<E>;

constexpr std::string_view kRouteExample = "each route is a map such as {method: GET, path: /patients/{id}}";

// ---------------------------------------------------------------------------------------------
// Reading

unsigned line_of(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.is_null() || mark.line < 0 ? 0 : static_cast<unsigned>(mark.line) + 1;
}

// A quoted scalar ("2", 'true') or one tagged !!str is a string even if it looks like a number.
bool is_quoted(const YAML::Node& node) {
  return node.IsScalar() && (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str");
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar: return fmt::format("'{}'", node.Scalar());
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a map";
    default: return "null";
  }
}

std::string join(const Fields& fields) {
  std::string out;
  for (const Field& f : fields) out += fmt::format("{}{}", out.empty() ? "" : ", ", f.key);
  return out;
}

template <class E>
std::string join(Names<E> names) {
  std::string out;
  for (const auto& [name, value] : names) out += fmt::format("{}{}", out.empty() ? "" : ", ", name);
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string unknown_key_hint(std::string_view key, const Fields& fields) {
  // Suggest only for typos: one edit in a short key, two in a longer one.
  const std::size_t allowed = key.size() < 6 ? 1 : 2;
  std::string_view best;
  std::size_t best_distance = allowed + 1;
  for (const Field& f : fields) {
    const std::size_t d = edit_distance(key, f.key);
    if (d < best_distance) {
      best = f.key;
      best_distance = d;
    }
  }
  const std::string valid = fmt::format("valid keys: {}", join(fields));
  return best.empty() ? valid : fmt::format("did you mean '{}'? {}", best, valid);
}

// A value to read, with where it is for diagnostics.
struct Value {
  YAML::Node node;
  std::string path;  // dotted key path, e.g. "database.engine"
  unsigned line = 0;
  const detail::OptionLimits* limits = nullptr;  // the option's, for those checked on read
};

class Reader {
 public:
  // Records the line of every key it reads in `lines` (dotted: "database.deletion_protection").
  Reader(std::string_view file, std::map<std::string, unsigned, std::less<>>* lines) : file_(file), lines_(lines) {}

  void error(std::string code, std::string path, unsigned line, std::string message, std::string hint) {
    diagnostics_.push_back(Diagnostic{.code = std::move(code),
                                      .severity = Severity::Error,
                                      .path = std::move(path),
                                      .file = file_,
                                      .line = line,
                                      .message = std::move(message),
                                      .hint = std::move(hint)});
  }

  // `'database.instances' must be an integer, got 'two'`
  void type_error(const Value& v, std::string_view expected, std::string hint = {}) {
    if (hint.empty() && is_quoted(v.node) && expected != "a string") {
      hint = "the value is quoted, so it is a string; remove the quotes";
    }
    error("HS5003", v.path, v.line, fmt::format("'{}' must be {}, got {}", v.path, expected, describe(v.node)),
          std::move(hint));
  }

  // Applies the keys of a map node to `fields` (v.path is "" at the top level); returns the keys
  // given, each with the line it is on.
  std::map<std::string, unsigned> map(const Value& v, const Fields& fields) {
    std::map<std::string, unsigned> seen;
    if (v.node.IsNull()) return seen;  // `network:` with every child commented out changes nothing
    if (!v.node.IsMap()) {
      if (v.path.empty()) {
        error("HS5003", "", v.line, fmt::format("the document must be a map of options, got {}", describe(v.node)),
              fmt::format("valid keys: {}", join(fields)));
      } else {
        type_error(v, "a map", fmt::format("valid keys: {}", join(fields)));
      }
      return seen;
    }
    const std::string where = v.path.empty() ? "the top level" : fmt::format("'{}'", v.path);
    for (const auto& entry : v.node) {
      const YAML::Node& key = entry.first;
      const std::string name = key.IsScalar() ? key.Scalar() : describe(key);
      const std::string path = v.path.empty() ? name : fmt::format("{}.{}", v.path, name);
      const auto field = std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.key == name; });
      if (!key.IsScalar() || field == fields.end()) {
        error("HS5002", path, line_of(key), fmt::format("unknown key {} in {}", describe(key), where),
              unknown_key_hint(name, fields));
        continue;
      }
      if (const auto [first, inserted] = seen.emplace(name, line_of(key)); !inserted) {
        error("HS5001", path, line_of(key), fmt::format("key '{}' is given twice in {}", name, where),
              fmt::format("it was first given on line {}; keep one", first->second));
        continue;
      }
      if (lines_ != nullptr) (*lines_)[path] = line_of(key);
      // A missing value (`key:`) is marked where the next token starts; point at the key instead.
      const YAML::Node& value = entry.second;
      const Value field_value{value, path, value.IsNull() ? line_of(key) : line_of(value), &field->limits};
      std::visit([&](auto* destination) { read(field_value, *destination); }, field->target);
    }
    return seen;
  }

  Diagnostics take() { return std::move(diagnostics_); }

 private:
  void read(const Value& v, const Fields& section) { map(v, section); }

  // Strings take any scalar as written, so `engine_version: 16.6` is the string "16.6".
  void read(const Value& v, std::string& out) {
    if (!v.node.IsScalar()) return type_error(v, "a string");
    out = v.node.Scalar();
  }

  // Only YAML 1.2 booleans: `yes`, `on` and quoted "true" are not booleans.
  void read(const Value& v, bool& out) {
    if (v.node.IsScalar() && !is_quoted(v.node)) {
      const std::string& s = v.node.Scalar();
      if (s == "true" || s == "True" || s == "TRUE") {
        out = true;
        return;
      }
      if (s == "false" || s == "False" || s == "FALSE") {
        out = false;
        return;
      }
    }
    type_error(v, "a boolean", is_quoted(v.node) ? "" : "write true or false");
  }

  void read(const Value& v, int& out) {
    constexpr std::string_view kExpected = "an integer";
    if (!v.node.IsScalar() || is_quoted(v.node)) return type_error(v, kExpected);
    std::string_view s = v.node.Scalar();
    if (s.starts_with('+')) s.remove_prefix(1);
    int parsed = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), parsed);
    if (ec == std::errc::result_out_of_range) {
      return type_error(
          v, fmt::format("an integer from {} to {}", std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
    }
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return type_error(v, kExpected);
    const detail::NumberLimits* range = v.limits != nullptr && v.limits->number ? &*v.limits->number : nullptr;
    if (range != nullptr && range->on_read &&
        ((range->minimum && parsed < *range->minimum) || (range->maximum && parsed > *range->maximum))) {
      return error("HS5003", v.path, v.line,
                   fmt::format("'{}' must be an integer from {} to {}, got {}", v.path,
                               range->minimum.value_or(std::numeric_limits<int>::min()),
                               range->maximum.value_or(std::numeric_limits<int>::max()), parsed),
                   {});
    }
    out = parsed;
  }

  // An optional integer: `null` (or `~`) unsets it.
  void read(const Value& v, std::optional<int>& out) {
    if (v.node.IsNull()) {
      out.reset();
      return;
    }
    int parsed = 0;
    const std::size_t errors_before = diagnostics_.size();
    read(v, parsed);
    if (diagnostics_.size() == errors_before) out = parsed;
  }

  // Numbers: integers are accepted too; .inf and .nan are not.
  void read(const Value& v, double& out) {
    constexpr std::string_view kExpected = "a number";
    if (!v.node.IsScalar() || is_quoted(v.node)) return type_error(v, kExpected);
    std::string_view s = v.node.Scalar();
    if (s.starts_with('+')) s.remove_prefix(1);
    double parsed = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), parsed);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty() || !std::isfinite(parsed)) {
      return type_error(v, kExpected);
    }
    out = parsed;
  }

  void read(const Value& v, Strings& out) {
    if (!v.node.IsSequence()) {
      return type_error(v, "a list of strings", v.node.IsNull() ? "write [] for an empty list" : "");
    }
    Strings items;
    for (std::size_t i = 0; i < v.node.size(); ++i) {
      const Value item = element(v, i);
      if (!item.node.IsScalar()) {
        type_error(item, "a string");
        continue;
      }
      items.push_back(item.node.Scalar());
    }
    out = std::move(items);
  }

  void read(const Value& v, Routes& out) {
    if (!v.node.IsSequence()) {
      return type_error(v, "a list of routes", v.node.IsNull() ? "write [] for no routes" : std::string(kRouteExample));
    }
    Routes routes;
    for (std::size_t i = 0; i < v.node.size(); ++i) {
      const Value item = element(v, i);
      if (!item.node.IsMap()) {
        type_error(item, "a route", std::string(kRouteExample));
        continue;
      }
      HealthcareOptions::Route route;
      const Fields fields = detail::route_fields(route);
      const auto given = map(item, fields);
      for (const Field& required : fields) {
        if (given.contains(std::string(required.key))) continue;
        error("HS5003", fmt::format("{}.{}", item.path, required.key), item.line,
              fmt::format("'{}' needs a '{}' string", item.path, required.key), std::string(kRouteExample));
      }
      routes.push_back(std::move(route));
    }
    out = std::move(routes);
  }

  void read(const Value& v, Preset& out) { read_enum(v, out, detail::preset_names()); }
  void read(const Value& v, DatabaseEngine& out) { read_enum(v, out, detail::database_engine_names()); }
  void read(const Value& v, ApiKind& out) { read_enum(v, out, detail::api_kind_names()); }

  template <class E>
  void read_enum(const Value& v, E& out, Names<E> names) {
    if (v.node.IsScalar()) {
      const auto found =
          std::find_if(names.begin(), names.end(), [&](const auto& n) { return n.first == v.node.Scalar(); });
      if (found != names.end()) {
        out = found->second;
        return;
      }
    }
    const std::string valid = join(names);
    error("HS5003", v.path, v.line, fmt::format("'{}' must be one of {}, got {}", v.path, valid, describe(v.node)),
          fmt::format("valid values: {}", valid));
  }

  static Value element(const Value& list, std::size_t i) {
    YAML::Node node = list.node[i];
    const unsigned line = line_of(node);
    return Value{node, fmt::format("{}[{}]", list.path, i), node.IsNull() || line == 0 ? list.line : line};
  }

  std::string file_;
  std::map<std::string, unsigned, std::less<>>* lines_;
  Diagnostics diagnostics_;
};

void read_options(Reader& reader, const YAML::Node& document, HealthcareOptions& o) {
  const detail::OptionSchema schema(o);
  reader.map(Value{document, "", line_of(document)}, schema.top());
}

// Parses the single document of `text`; an empty text is a null document.
std::optional<YAML::Node> load(std::string_view text, Reader* reader) {
  try {
    detail::YamlDocuments documents = detail::load_yaml(text);
    if (documents.count > 1) {
      if (reader) {
        reader->error(
            "HS5001", "", documents.second_line,
            fmt::format("the config must be one document; a second one starts on line {}", documents.second_line),
            "remove the '---' separators");
      }
      return std::nullopt;
    }
    return std::move(documents.first);
  } catch (const detail::ParseError& e) {
    if (reader) {
      reader->error("HS5001", "", e.line,
                    e.line > 0 ? fmt::format("malformed document at column {}: {}", e.column, e.what())
                               : fmt::format("malformed document: {}", e.what()),
                    "the config must be a YAML or JSON map of options");
    }
    return std::nullopt;
  }
}

}  // namespace

Diagnostics apply_config(std::string_view text, std::string_view file_name, HealthcareOptions& options) {
  HealthcareOptions candidate = options;
  // The lines of another file would point into this one.
  if (candidate.sources.file != file_name) candidate.sources.lines.clear();
  candidate.sources.file = std::string(file_name);
  Reader reader(file_name, &candidate.sources.lines);
  const std::optional<YAML::Node> document = load(text, &reader);
  if (document) read_options(reader, *document, candidate);
  Diagnostics problems = reader.take();
  if (problems.empty()) options = std::move(candidate);
  return problems;
}

Diagnostics apply_config_file(const std::filesystem::path& file, HealthcareOptions& options) {
  const std::string name = file.string();
  const auto unreadable = [&](const std::string& reason) {
    return Diagnostics{Diagnostic{.code = "HS5004",
                                  .severity = Severity::Error,
                                  .path = "",
                                  .file = name,
                                  .line = 0,
                                  .message = fmt::format("cannot read config file '{}': {}", name, reason),
                                  .hint = "check the path given to --config and its permissions"}};
  };
  const detail::InputFile input = detail::read_input_file(file);
  if (!input.error.empty()) return unreadable(input.error);
  return apply_config(input.text, name, options);
}

std::optional<std::string> config_preset(std::string_view text) {
  const std::optional<YAML::Node> document = load(text, nullptr);
  if (!document || !document->IsMap()) return std::nullopt;
  for (const auto& entry : *document) {
    if (entry.first.IsScalar() && entry.first.Scalar() == "preset") {
      if (!entry.second.IsScalar()) return std::nullopt;
      return entry.second.Scalar();
    }
  }
  return std::nullopt;
}

}  // namespace hipaa
