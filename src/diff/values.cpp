#include "diff/values.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

namespace hipaa::diff_detail {
namespace {

std::string number_text(double d) {
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15) {
    return std::to_string(static_cast<std::int64_t>(d));
  }
  std::array<char, 32> buffer{};
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), d);
  return ec == std::errc{} ? std::string(buffer.data(), end) : std::string("nan");
}

// A string that reads as a JSON number (no leading zeros, no '+'), so "7" equals 7.
std::optional<double> numeric_string(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  const std::size_t digits = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == digits || (s[digits] == '0' && i - digits > 1)) return std::nullopt;
  if (i < s.size() && s[i] == '.') {
    const std::size_t fraction = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == fraction) return std::nullopt;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const std::size_t exponent = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == exponent) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// Canonical form of a scalar for equality; nullopt for null (which equals only null).
std::optional<std::string> canonical(const doc::Node& node) {
  if (node.is_null()) return std::nullopt;
  if (const auto* b = node.get_if<bool>()) return *b ? "true" : "false";
  if (const auto* i = node.get_if<std::int64_t>()) return std::to_string(*i);
  if (const auto* d = node.get_if<double>()) return number_text(*d);
  if (const auto* s = node.get_if<std::string>()) {
    if (auto n = numeric_string(*s)) return number_text(*n);
    return *s;
  }
  return std::nullopt;
}

bool is_scalar(const doc::Node& node) {
  return node.get_if<doc::Map>() == nullptr && node.get_if<doc::List>() == nullptr &&
         node.get_if<doc::Intrinsic>() == nullptr;
}

bool plain_key(std::string_view key) {
  if (key.empty()) return false;
  return std::ranges::none_of(key, [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return c == '.' || c == '[' || c == ']' || c == '"' || u <= 0x20 || u == 0x7f;
  });
}

// Path components: keys (plain or ["quoted"]) and [indices].
struct Component {
  std::string key;
  bool index = false;
  std::size_t begin = 0;  // offset of the component in the path
  std::size_t end = 0;
};

std::vector<Component> components(std::string_view path) {
  std::vector<Component> out;
  std::size_t i = 0;
  while (i < path.size()) {
    Component c;
    c.begin = i;
    if (path[i] == '.') {
      ++i;
      c.begin = i;
    }
    if (i + 1 < path.size() && path[i] == '[' && path[i + 1] == '"') {
      // ["quoted key"], JSON-escaped
      std::size_t j = i + 2;
      std::string key;
      while (j < path.size() && path[j] != '"') {
        if (path[j] == '\\' && j + 1 < path.size()) ++j;
        key += path[j++];
      }
      c.key = std::move(key);
      i = std::min(path.size(), j + 2);  // past "]
    } else if (i < path.size() && path[i] == '[') {
      const auto close = path.find(']', i);
      c.index = true;
      c.key = std::string(path.substr(i + 1, close == std::string_view::npos ? std::string_view::npos : close - i - 1));
      i = close == std::string_view::npos ? path.size() : close + 1;
    } else {
      std::size_t j = i;
      while (j < path.size() && path[j] != '.' && path[j] != '[') ++j;
      c.key = std::string(path.substr(i, j - i));
      i = j;
    }
    c.end = i;
    out.push_back(std::move(c));
  }
  return out;
}

void diff_lists(const doc::List& a, const doc::List& b, const std::string& path, std::vector<PropertyChange>& out) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  // Longest common subsequence of equivalent elements.
  std::vector<std::vector<std::size_t>> lcs(n + 1, std::vector<std::size_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      lcs[i][j] = equivalent(a[i], b[j]) ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<std::size_t> removed;
  std::vector<std::size_t> added;
  auto flush = [&] {
    const std::size_t paired = std::min(removed.size(), added.size());
    for (std::size_t k = 0; k < paired; ++k) {
      diff_values(a[removed[k]], b[added[k]], append_index(path, added[k]), out);
    }
    for (std::size_t k = paired; k < removed.size(); ++k) {
      out.push_back({append_index(path, removed[k]), a[removed[k]], std::nullopt, Replacement::None});
    }
    for (std::size_t k = paired; k < added.size(); ++k) {
      out.push_back({append_index(path, added[k]), std::nullopt, b[added[k]], Replacement::None});
    }
    removed.clear();
    added.clear();
  };
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && equivalent(a[i], b[j]) && lcs[i][j] == lcs[i + 1][j + 1] + 1) {
      flush();
      ++i;
      ++j;
    } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      added.push_back(j++);
    } else {
      removed.push_back(i++);
    }
  }
  flush();
}

}  // namespace

const doc::Map* as_map(const doc::Node& node) { return node.get_if<doc::Map>(); }
const doc::List* as_list(const doc::Node& node) { return node.get_if<doc::List>(); }
const std::string* as_string(const doc::Node& node) { return node.get_if<std::string>(); }

std::vector<const doc::Node*> nested_blocks(const doc::Node* node) {
  std::vector<const doc::Node*> out;
  if (node == nullptr) return out;
  if (const auto* list = as_list(*node)) {
    for (const auto& item : *list) out.push_back(&item);
  } else if (as_map(*node) != nullptr) {
    out.push_back(node);
  }
  return out;
}

bool equivalent(const doc::Node& a, const doc::Node& b) {
  if (const auto* ma = as_map(a)) {
    const auto* mb = as_map(b);
    if (mb == nullptr || ma->size() != mb->size()) return false;
    return std::ranges::all_of(*ma, [&](const doc::Entry& entry) {
      const doc::Node* other = b.find(entry.key);
      return other != nullptr && equivalent(entry.value, *other);
    });
  }
  if (const auto* la = as_list(a)) {
    const auto* lb = as_list(b);
    if (lb == nullptr || la->size() != lb->size()) return false;
    for (std::size_t i = 0; i < la->size(); ++i) {
      if (!equivalent((*la)[i], (*lb)[i])) return false;
    }
    return true;
  }
  if (const auto* ia = a.get_if<doc::Intrinsic>()) {
    const auto* ib = b.get_if<doc::Intrinsic>();
    return ib != nullptr && ia->name == ib->name && equivalent(*ia->argument, *ib->argument);
  }
  if (!is_scalar(b)) return false;
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null();
  return canonical(a) == canonical(b);
}

nlohmann::ordered_json to_json_value(const doc::Node& node) {
  using nlohmann::ordered_json;
  if (node.is_null()) return nullptr;
  if (const auto* b = node.get_if<bool>()) return *b;
  if (const auto* i = node.get_if<std::int64_t>()) return *i;
  if (const auto* d = node.get_if<double>()) return *d;
  if (const auto* s = node.get_if<std::string>()) return *s;
  if (const auto* list = as_list(node)) {
    ordered_json out = ordered_json::array();
    for (const auto& item : *list) out.push_back(to_json_value(item));
    return out;
  }
  if (const auto* map = as_map(node)) {
    ordered_json out = ordered_json::object();
    for (const auto& entry : *map) out[entry.key] = to_json_value(entry.value);
    return out;
  }
  const auto& fn = std::get<doc::Intrinsic>(node.value);
  ordered_json out = ordered_json::object();
  out[fn.name] = to_json_value(*fn.argument);
  return out;
}

doc::Node node_from_json(const nlohmann::ordered_json& j) {
  switch (j.type()) {
    case nlohmann::ordered_json::value_t::null: return doc::Node{};
    case nlohmann::ordered_json::value_t::boolean: return doc::Node{j.get<bool>()};
    case nlohmann::ordered_json::value_t::number_integer: return doc::Node{j.get<std::int64_t>()};
    case nlohmann::ordered_json::value_t::number_unsigned: {
      const auto u = j.get<std::uint64_t>();
      if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return doc::Node{static_cast<std::int64_t>(u)};
      return doc::Node{static_cast<double>(u)};
    }
    case nlohmann::ordered_json::value_t::number_float: return doc::Node{j.get<double>()};
    case nlohmann::ordered_json::value_t::string: return doc::Node{j.get<std::string>()};
    case nlohmann::ordered_json::value_t::array: {
      doc::List list;
      for (const auto& item : j) list.push_back(node_from_json(item));
      return doc::Node{std::move(list)};
    }
    case nlohmann::ordered_json::value_t::object: {
      doc::Node map = doc::Map{};
      for (const auto& [key, value] : j.items()) map.set(key, node_from_json(value));
      return map;
    }
    default: return doc::Node{};
  }
}

std::string compact_json(const doc::Node& node) {
  return to_json_value(node).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string scalar_text(const doc::Node& node) {
  if (const auto* s = as_string(node)) return *s;
  if (const auto* d = node.get_if<double>()) return number_text(*d);
  return compact_json(node);
}

std::optional<double> as_number(const doc::Node& node) {
  if (const auto* i = node.get_if<std::int64_t>()) return static_cast<double>(*i);
  if (const auto* d = node.get_if<double>()) return *d;
  if (const auto* s = as_string(node)) return numeric_string(*s);
  return std::nullopt;
}

bool truthy(const doc::Node& node) {
  if (const auto* b = node.get_if<bool>()) return *b;
  if (const auto* s = as_string(node)) return *s == "true" || *s == "True" || *s == "TRUE";
  return false;
}

std::string append_key(const std::string& path, std::string_view key) {
  std::string out = path;
  if (plain_key(key)) {
    if (!out.empty()) out += '.';
    out += key;
    return out;
  }
  out += "[\"";
  for (char c : key) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += "\"]";
  return out;
}

std::string append_index(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

std::string first_key(std::string_view path) {
  for (const auto& c : components(path)) {
    if (!c.index) return c.key;
    break;
  }
  return {};
}

std::string last_key(std::string_view path) {
  const auto parts = components(path);
  const auto it = std::find_if(parts.rbegin(), parts.rend(), [](const Component& part) { return !part.index; });
  return it == parts.rend() ? std::string{} : it->key;
}

std::string_view after_first_key(std::string_view path) {
  const auto parts = components(path);
  if (parts.size() < 2) return {};
  std::string_view rest = path.substr(parts[0].end);
  if (!rest.empty() && rest.front() == '.') rest.remove_prefix(1);
  return rest;
}

void diff_values(const doc::Node& before, const doc::Node& after, const std::string& path,
                 std::vector<PropertyChange>& out) {
  if (equivalent(before, after)) return;
  const auto* ma = as_map(before);
  const auto* mb = as_map(after);
  if (ma != nullptr && mb != nullptr) {
    std::vector<std::string> keys;
    for (const auto& e : *ma) keys.push_back(e.key);
    for (const auto& e : *mb) keys.push_back(e.key);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (const auto& key : keys) {
      const doc::Node* a = before.find(key);
      const doc::Node* b = after.find(key);
      const std::string child = append_key(path, key);
      if (a == nullptr) {
        out.push_back({child, std::nullopt, *b, Replacement::None});
      } else if (b == nullptr) {
        out.push_back({child, *a, std::nullopt, Replacement::None});
      } else {
        diff_values(*a, *b, child, out);
      }
    }
    return;
  }
  const auto* la = as_list(before);
  const auto* lb = as_list(after);
  if (la != nullptr && lb != nullptr) {
    diff_lists(*la, *lb, path, out);
    return;
  }
  out.push_back({path, before, after, Replacement::None});
}

}  // namespace hipaa::diff_detail
