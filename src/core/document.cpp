#include "hipaa/document.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace hipaa::doc {

const Node* Node::find(std::string_view key) const {
  const auto* map = get_if<Map>();
  if (map == nullptr) return nullptr;
  for (const auto& entry : *map) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

Node* Node::find(std::string_view key) { return const_cast<Node*>(static_cast<const Node*>(this)->find(key)); }

Node& Node::set(std::string_view key, Node node) {
  if (is_null()) value = Map{};
  auto& map = std::get<Map>(value);
  for (auto& entry : map) {
    if (entry.key == key) {
      entry.value = std::move(node);
      return entry.value;
    }
  }
  map.push_back({std::string(key), std::move(node)});
  return map.back().value;
}

Node& Node::at_path(std::string_view dotted_path) {
  Node* current = this;
  while (!dotted_path.empty()) {
    const auto dot = dotted_path.find('.');
    const auto key = dotted_path.substr(0, dot);
    Node* next = current->find(key);
    if (next == nullptr || (next->get_if<Map>() == nullptr && dot != std::string_view::npos)) {
      next = &current->set(key, Map{});
    }
    current = next;
    dotted_path = dot == std::string_view::npos ? std::string_view{} : dotted_path.substr(dot + 1);
  }
  return *current;
}

bool Node::erase(std::string_view key) {
  auto* map = get_if<Map>();
  if (map == nullptr) return false;
  for (auto it = map->begin(); it != map->end(); ++it) {
    if (it->key == key) {
      map->erase(it);
      return true;
    }
  }
  return false;
}

bool operator==(const Node& a, const Node& b) {
  if (a.value.index() != b.value.index()) return false;
  return std::visit(
      [&](const auto& left) -> bool {
        using T = std::decay_t<decltype(left)>;
        const auto& right = std::get<T>(b.value);
        if constexpr (std::is_same_v<T, Map>) {
          if (left.size() != right.size()) return false;
          for (std::size_t i = 0; i < left.size(); ++i) {
            if (left[i].key != right[i].key || !(left[i].value == right[i].value)) return false;
          }
          return true;
        } else if constexpr (std::is_same_v<T, Intrinsic>) {
          return left.name == right.name && *left.argument == *right.argument;
        } else {
          return left == right;
        }
      },
      a.value);
}

Node intrinsic(std::string name, Node argument) {
  return Intrinsic{std::move(name), std::make_shared<const Node>(std::move(argument))};
}

namespace {

void append_number(std::string& out, double d) {
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15) {
    out += std::to_string(static_cast<std::int64_t>(d));
    out += ".0";
    return;
  }
  std::array<char, 32> buffer{};
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), d);
  out.append(buffer.data(), end);
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  // Copy runs that need no escaping in one append: most strings are all such a run.
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    if (c != '"' && c != '\\' && u >= 0x20) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: {
        std::array<char, 8> buffer{};
        std::snprintf(buffer.data(), buffer.size(), "\\u%04x", static_cast<unsigned>(u));
        out += buffer.data();
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

// JSON: two-space indentation, one key per line, empty containers inline.
class JsonWriter {
 public:
  std::string out;

  void write(const Node& node, int depth) {
    std::visit([&](const auto& v) { this->write_value(v, depth); }, node.value);
  }

 private:
  void indent(int depth) { out.append(static_cast<std::size_t>(depth) * 2, ' '); }
  void write_value(std::monostate, int) { out += "null"; }
  void write_value(bool b, int) { out += b ? "true" : "false"; }
  void write_value(std::int64_t i, int) { out += std::to_string(i); }
  void write_value(double d, int) { append_number(out, d); }
  void write_value(const std::string& s, int) { append_json_string(out, s); }
  void write_value(const List& list, int depth) {
    if (list.empty()) {
      out += "[]";
      return;
    }
    out += "[\n";
    for (std::size_t i = 0; i < list.size(); ++i) {
      indent(depth + 1);
      write(list[i], depth + 1);
      out += i + 1 < list.size() ? ",\n" : "\n";
    }
    indent(depth);
    out += ']';
  }
  void write_value(const Map& map, int depth) {
    if (map.empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    for (std::size_t i = 0; i < map.size(); ++i) {
      indent(depth + 1);
      append_json_string(out, map[i].key);
      out += ": ";
      write(map[i].value, depth + 1);
      out += i + 1 < map.size() ? ",\n" : "\n";
    }
    indent(depth);
    out += '}';
  }
  void write_value(const Intrinsic& fn, int depth) {
    out += "{\n";
    indent(depth + 1);
    append_json_string(out, fn.name);
    out += ": ";
    write(*fn.argument, depth + 1);
    out += '\n';
    indent(depth);
    out += '}';
  }
};

// ---- YAML ----------------------------------------------------------------------------------

bool looks_like_yaml_special(std::string_view s) {
  // Words YAML 1.1 or 1.2 would read as something other than a string.
  static constexpr auto kWords = std::to_array<std::string_view>(
      {"true", "false", "yes", "no", "on",   "off",   "null", "y",  "n",  "~",   "True", "False", "Yes",  "No",   "On",
       "Off",  "Null",  "Y",   "N",  "TRUE", "FALSE", "YES",  "NO", "ON", "OFF", "NULL", ".nan",  ".inf", "-.inf"});
  for (auto w : kWords) {
    if (s == w) return true;
  }
  // Anything that starts like a number (123, -1, .5, 0x1F, 1e3, 12:30 sexagesimal) is quoted.
  const char first = s.front();
  if ((first >= '0' && first <= '9') || first == '-' || first == '+' || first == '.') {
    bool numeric_like = true;
    for (char c : s) {
      if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E' || c == 'x' ||
            c == 'X' || c == ':' || c == '_' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        numeric_like = false;
        break;
      }
    }
    if (numeric_like) return true;
  }
  return false;
}

bool is_plain_safe(std::string_view s) {
  if (s.empty() || looks_like_yaml_special(s)) return false;
  if (s.front() == ' ' || s.back() == ' ') return false;
  static constexpr std::string_view kBadFirst = "-?:,[]{}#&*!|>'\"%@`";
  if (kBadFirst.find(s.front()) != std::string_view::npos) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return false;
    if (u >= 0x80) return false;  // keep non-ASCII quoted and explicit
    if (c == ':' && (i + 1 == s.size() || s[i + 1] == ' ')) return false;
    if (c == '#' && i > 0 && s[i - 1] == ' ') return false;
    if (c == '{' || c == '}' || c == '[' || c == ']' || c == ',') return false;
  }
  return true;
}

bool is_printable_ascii(std::string_view s) {
  return std::ranges::all_of(s, [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f;
  });
}

bool fits_block_literal(std::string_view s) {
  if (s.find('\n') == std::string_view::npos) return false;
  if (s.front() == ' ' || s.front() == '\n') return false;
  std::size_t start = 0;
  while (start < s.size()) {
    auto end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    const auto line = s.substr(start, end - start);
    if (!line.empty() && (line.back() == ' ' || line.back() == '\t')) return false;
    for (char c : line) {
      const auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t') || u == 0x7f) return false;
    }
    start = end + 1;
  }
  // Trailing blank lines are not representable with a single chomping indicator.
  return !(s.size() >= 2 && s[s.size() - 1] == '\n' && s[s.size() - 2] == '\n');
}

void append_yaml_scalar(std::string& out, std::string_view s) {
  if (is_plain_safe(s)) {
    out += s;
  } else if (is_printable_ascii(s)) {
    out += '\'';
    for (char c : s) {
      if (c == '\'') out += '\'';
      out += c;
    }
    out += '\'';
  } else {
    append_json_string(out, s);  // a JSON string is a valid YAML double-quoted scalar
  }
}

// The YAML short form of CloudFormation intrinsics: "Fn::GetAtt" -> "!GetAtt".
std::string_view short_tag(std::string_view long_name) {
  if (long_name.starts_with("Fn::")) return long_name.substr(4);
  return long_name;
}

// YAML: block style; intrinsic functions in short form; scalars plain when unambiguous.
class YamlWriter {
 public:
  std::string out;

  void document(const Node& root) {
    if (const auto* map = root.get_if<Map>(); map != nullptr && !map->empty()) {
      map_body(*map, 0);
    } else {
      inline_node(root);
      out += '\n';
    }
  }

 private:
  void indent(int depth) { out.append(static_cast<std::size_t>(depth) * 2, ' '); }

  static bool is_block(const Node& node) {
    if (const auto* l = node.get_if<List>()) return !l->empty();
    if (const auto* m = node.get_if<Map>()) return !m->empty();
    return false;
  }

  static bool is_flow_friendly(const Node& node, int depth) {
    if (depth > 4) return false;
    return std::visit(
        [&](const auto& v) -> bool {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string>) {
            return v.find('\n') == std::string::npos;
          } else if constexpr (std::is_same_v<T, List>) {
            if (v.size() > 4) return false;
            return std::ranges::all_of(v, [&](const Node& item) { return is_flow_friendly(item, depth + 1); });
          } else if constexpr (std::is_same_v<T, Map>) {
            return v.empty();
          } else if constexpr (std::is_same_v<T, Intrinsic>) {
            return is_flow_friendly(*v.argument, depth + 1);
          } else {
            return true;
          }
        },
        node.value);
  }

  // A node that fits on the current line (scalars, empty containers, flow-friendly intrinsics).
  void inline_node(const Node& node) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            out += "null";
          } else if constexpr (std::is_same_v<T, bool>) {
            out += v ? "true" : "false";
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            out += std::to_string(v);
          } else if constexpr (std::is_same_v<T, double>) {
            append_number(out, v);
          } else if constexpr (std::is_same_v<T, std::string>) {
            append_yaml_scalar(out, v);
          } else if constexpr (std::is_same_v<T, List>) {
            out += '[';
            for (std::size_t i = 0; i < v.size(); ++i) {
              if (i > 0) out += ", ";
              inline_node(v[i]);
            }
            out += ']';
          } else if constexpr (std::is_same_v<T, Map>) {
            out += "{}";
          } else if constexpr (std::is_same_v<T, Intrinsic>) {
            inline_intrinsic(v);
          }
        },
        node.value);
  }

  void inline_intrinsic(const Intrinsic& fn) {
    out += '!';
    out += short_tag(fn.name);
    out += ' ';
    if (fn.name == "Fn::GetAtt") {
      // !GetAtt Resource.Attribute
      if (const auto* parts = fn.argument->get_if<List>(); parts != nullptr && parts->size() == 2) {
        const auto* resource = (*parts)[0].get_if<std::string>();
        const auto* attribute = (*parts)[1].get_if<std::string>();
        if (resource != nullptr && attribute != nullptr) {
          out += *resource + "." + *attribute;
          return;
        }
      }
    }
    inline_node(*fn.argument);
  }

  // Writes `node` as the value after "key:" or "- ".
  void value_after_key(const Node& node, int depth) {
    if (const auto* fn = node.get_if<Intrinsic>()) {
      if (is_flow_friendly(node, 0)) {
        out += ' ';
        inline_intrinsic(*fn);
        out += '\n';
      } else {
        out += " !";
        out += short_tag(fn->name);
        out += '\n';
        block_child(*fn->argument, depth + 1);
      }
      return;
    }
    if (const auto* s = node.get_if<std::string>(); s != nullptr && fits_block_literal(*s)) {
      out += s->back() == '\n' ? " |\n" : " |-\n";
      std::size_t start = 0;
      std::string_view text(*s);
      if (text.back() == '\n') text.remove_suffix(1);
      while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const auto line = text.substr(start, end - start);
        if (!line.empty()) {
          indent(depth + 1);
          out += line;
        }
        out += '\n';
        start = end + 1;
      }
      return;
    }
    if (is_block(node)) {
      out += '\n';
      block_child(node, depth + 1);
      return;
    }
    out += ' ';
    inline_node(node);
    out += '\n';
  }

  // A block collection (or intrinsic argument) on its own lines at `depth`.
  void block_child(const Node& node, int depth) {
    if (const auto* map = node.get_if<Map>(); map != nullptr && !map->empty()) {
      map_body(*map, depth);
    } else if (const auto* list = node.get_if<List>(); list != nullptr && !list->empty()) {
      list_body(*list, depth);
    } else {
      indent(depth);
      inline_node(node);
      out += '\n';
    }
  }

  void map_body(const Map& map, int depth, bool first_inline = false) {
    for (std::size_t i = 0; i < map.size(); ++i) {
      if (!(first_inline && i == 0)) indent(depth);
      append_yaml_scalar(out, map[i].key);
      out += ':';
      value_after_key(map[i].value, depth);
    }
  }

  void list_body(const List& list, int depth) {
    for (const auto& item : list) {
      indent(depth);
      out += '-';
      if (const auto* map = item.get_if<Map>(); map != nullptr && !map->empty()) {
        out += ' ';
        map_body(*map, depth + 1, /*first_inline=*/true);
      } else {
        value_after_key(item, depth);
      }
    }
  }
};

}  // namespace

std::string to_json(const Node& node) {
  JsonWriter writer;
  writer.out.reserve(1 << 16);
  writer.write(node, 0);
  writer.out += '\n';
  return std::move(writer.out);
}

std::string to_yaml(const Node& node) {
  YamlWriter writer;
  writer.out.reserve(1 << 16);
  writer.document(node);
  return std::move(writer.out);
}

}  // namespace hipaa::doc
