// Loading documents for `diff`: YAML or JSON text into doc::Node, with CloudFormation intrinsics
// normalised so `!GetAtt A.B`, `{"Fn::GetAtt": "A.B"}` and `{"Fn::GetAtt": ["A", "B"]}` are the
// same node.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <system_error>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "diff/values.hpp"
#include "hipaa/diff.hpp"
#include "support/input.hpp"

namespace hipaa {
namespace {

using doc::Node;

Diagnostic error(std::string code, std::string_view name, unsigned line, std::string message, std::string hint = {}) {
  Diagnostic d;
  d.code = std::move(code);
  d.severity = Severity::Error;
  if (line > 0) {  // the message names the file; a location is only worth adding with a line
    d.file = std::string(name);
    d.line = line;
  }
  d.message = std::move(message);
  d.hint = std::move(hint);
  return d;
}

// ---- YAML ------------------------------------------------------------------------------------

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Whether a non-empty `s` is a YAML 1.2 core schema float:
// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool looks_like_float(const std::string& s) {
  std::size_t i = (s.front() == '-' || s.front() == '+') ? 1 : 0;
  const std::size_t start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  const bool integral_part = i > start;
  bool fraction_part = false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const std::size_t fraction = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    fraction_part = i > fraction;
  }
  if (!integral_part && !fraction_part) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const std::size_t exponent = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == exponent) return false;
  }
  return i == s.size();
}

// YAML 1.2 core schema resolution of a plain scalar.
Node plain_scalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Node{};
  if (s == "true" || s == "True" || s == "TRUE") return Node{true};
  if (s == "false" || s == "False" || s == "FALSE") return Node{false};
  std::string_view digits = s;
  if (digits.front() == '-' || digits.front() == '+') digits.remove_prefix(1);
  if (all_digits(digits)) {
    std::int64_t value = 0;
    const char* begin = s.data() + (s.front() == '+' ? 1 : 0);
    auto [end, ec] = std::from_chars(begin, s.data() + s.size(), value);
    if (ec == std::errc{} && end == s.data() + s.size()) return Node{value};
  }
  if (s == ".inf" || s == "+.inf" || s == ".Inf" || s == ".INF") return Node{std::numeric_limits<double>::infinity()};
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF") return Node{-std::numeric_limits<double>::infinity()};
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return Node{std::numeric_limits<double>::quiet_NaN()};
  if (looks_like_float(s)) {
    double value = 0;
    const char* begin = s.data() + (s.front() == '+' ? 1 : 0);
    auto [end, ec] = std::from_chars(begin, s.data() + s.size(), value);
    if (ec == std::errc{} && end == s.data() + s.size()) return Node{value};
  }
  return Node{s};
}

// "!Ref" -> "Ref", "!Condition" -> "Condition", "!GetAtt" -> "Fn::GetAtt"; empty for no tag.
std::string intrinsic_for_tag(const std::string& tag) {
  if (tag.size() < 2 || tag.front() != '!' || tag[1] == '!') return {};
  std::string name = tag.substr(1);
  if (name == "Ref" || name == "Condition") return name;
  return "Fn::" + name;
}

// Any node, with CloudFormation's short-form tags ("!Ref X", "!Sub [...]") turned into the
// intrinsics they stand for, at any depth.
Node from_yaml(const YAML::Node& node) {
  const std::string name = intrinsic_for_tag(node.Tag());
  Node value;
  switch (node.Type()) {
    case YAML::NodeType::Sequence: {
      doc::List list;
      for (const auto& item : node) list.push_back(from_yaml(item));
      value = Node{std::move(list)};
      break;
    }
    case YAML::NodeType::Map: {
      value = doc::Map{};
      for (const auto& entry : node) {
        value.set(entry.first.IsScalar() ? entry.first.Scalar() : YAML::Dump(entry.first), from_yaml(entry.second));
      }
      break;
    }
    case YAML::NodeType::Scalar: {
      const std::string& tag = node.Tag();
      if (!name.empty() || tag == "!" || tag == "tag:yaml.org,2002:str") {
        value = Node{node.Scalar()};  // an intrinsic's argument, or a quoted or !!str string
      } else if (tag != "tag:yaml.org,2002:null") {
        value = plain_scalar(node.Scalar());
      }
      break;
    }
    default:                                           // null
      if (!name.empty()) value = Node{std::string{}};  // `!GetAZs` with no value
  }
  return name.empty() ? value : doc::intrinsic(name, std::move(value));
}

// ---- JSON ------------------------------------------------------------------------------------

// ---- CloudFormation normalisation ---------------------------------------------------------------

bool is_intrinsic_key(std::string_view key) { return key == "Ref" || key == "Condition" || key.starts_with("Fn::"); }

// One-key maps {"Ref": ...}, {"Fn::X": ...}, {"Condition": ...} become intrinsics; GetAtt's
// "A.B" string becomes ["A", "B"].
Node normalize_cloudformation(const Node& node) {
  if (const auto* fn = node.get_if<doc::Intrinsic>()) {
    Node argument = normalize_cloudformation(*fn->argument);
    if (fn->name == "Fn::GetAtt") {
      if (const auto* s = argument.get_if<std::string>()) {
        const auto dot = s->find('.');
        if (dot != std::string::npos) argument = doc::List{Node{s->substr(0, dot)}, Node{s->substr(dot + 1)}};
      }
    }
    return doc::intrinsic(fn->name, std::move(argument));
  }
  if (const auto* list = node.get_if<doc::List>()) {
    doc::List out;
    out.reserve(list->size());
    for (const auto& item : *list) out.push_back(normalize_cloudformation(item));
    return Node{std::move(out)};
  }
  if (const auto* map = node.get_if<doc::Map>()) {
    if (map->size() == 1 && is_intrinsic_key(map->front().key)) {
      return normalize_cloudformation(doc::intrinsic(map->front().key, map->front().value));
    }
    doc::Map out;
    out.reserve(map->size());
    for (const auto& entry : *map) out.push_back({entry.key, normalize_cloudformation(entry.value)});
    return Node{std::move(out)};
  }
  return node;
}

std::string_view trim_start(std::string_view text) {
  // A UTF-8 byte order mark, then whitespace.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  while (!text.empty() &&
         (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' || text.front() == '\r')) {
    text.remove_prefix(1);
  }
  return text;
}

}  // namespace

std::string_view to_string(DocumentKind kind) {
  return kind == DocumentKind::CloudFormation ? "CloudFormation" : "Terraform";
}

Diagnostics load_document(std::string_view text, std::string_view name, LoadedDocument& out) {
  out = LoadedDocument{};
  out.name = std::string(name);
  Node root;
  const std::string_view body = trim_start(text);
  auto parse_yaml = [&](Node& into) -> std::optional<Diagnostic> {
    try {
      detail::YamlDocuments documents = detail::load_yaml(text);
      if (documents.count > 1) {
        return error("HS6002", name, documents.second_line, fmt::format("{} holds more than one YAML document", name));
      }
      into = from_yaml(documents.first);
      return std::nullopt;
    } catch (const detail::ParseError& e) {
      return error("HS6002", name, e.line, fmt::format("{} is not valid YAML or JSON: {}", name, e.what()));
    }
  };
  if (!body.empty() && (body.front() == '{' || body.front() == '[')) {
    try {
      root = diff_detail::node_from_json(detail::parse_json(body));
    } catch (const detail::ParseError& e) {
      // YAML flow style also starts with a brace; only when that fails too is it bad JSON.
      if (parse_yaml(root).has_value()) {
        const unsigned skipped = detail::line_of_offset(text, static_cast<std::size_t>(body.data() - text.data())) - 1;
        return {error("HS6002", name, e.line + skipped, fmt::format("{} is not valid JSON: {}", name, e.what()))};
      }
    }
  } else if (auto problem = parse_yaml(root)) {
    return {*problem};
  }

  const bool cloudformation = root.find("Resources") != nullptr || root.find("AWSTemplateFormatVersion") != nullptr;
  const bool terraform =
      root.find("resource") != nullptr || root.find("terraform") != nullptr || root.find("provider") != nullptr;
  if (!cloudformation && !terraform) {
    return {error("HS6003", name, 0, fmt::format("{} is not a CloudFormation template or Terraform JSON file", name),
                  "a CloudFormation template has a top-level Resources or AWSTemplateFormatVersion key; "
                  "a Terraform JSON file has resource, terraform or provider")};
  }
  out.kind = cloudformation ? DocumentKind::CloudFormation : DocumentKind::Terraform;
  out.root = cloudformation ? normalize_cloudformation(root) : std::move(root);
  return {};
}

Diagnostics load_document_file(const std::filesystem::path& file, LoadedDocument& out) {
  out = LoadedDocument{};
  const std::string name = file.string();
  out.name = name;
  const detail::InputFile input = detail::read_input_file(file);
  if (!input.error.empty()) return {error("HS6001", name, 0, fmt::format("cannot read {}: {}", name, input.error))};
  return load_document(input.text, name, out);
}

}  // namespace hipaa
