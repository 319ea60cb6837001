// hipaa/document.hpp: the plain, ordered document a backend produces before serialization.
//
// Lowering turns the construct tree into one document per stack and target; serializers are the
// only code that knows YAML or JSON syntax. CloudFormation intrinsic functions are tagged nodes,
// so YAML can print `!Ref X` and JSON `{"Ref": "X"}` from the same document.
//
//   doc::Node template_ = doc::Map{};
//   template_.set("AWSTemplateFormatVersion", "2010-09-09");
//   std::string yaml = doc::to_yaml(template_);
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hipaa::doc {

struct Node;
struct Entry;
using List = std::vector<Node>;
using Map = std::vector<Entry>;  // insertion order is output order

// A CloudFormation intrinsic function: `name` is the long form ("Ref", "Fn::GetAtt", "Fn::Sub").
struct Intrinsic {
  std::string name;
  std::shared_ptr<const Node> argument;
};

struct Node {
  using Storage = std::variant<std::monostate, bool, std::int64_t, double, std::string, List, Map, Intrinsic>;
  Storage value;

  Node();
  Node(std::nullptr_t);
  Node(bool b);
  Node(int i);
  Node(std::int64_t i);
  Node(double d);
  Node(const char* s);
  Node(std::string s);
  Node(std::string_view s);
  Node(List l);
  Node(Map m);
  Node(Intrinsic i);

  [[nodiscard]] bool is_null() const { return std::holds_alternative<std::monostate>(value); }
  template <class T>
  [[nodiscard]] T* get_if() {
    return std::get_if<T>(&value);
  }
  template <class T>
  [[nodiscard]] const T* get_if() const {
    return std::get_if<T>(&value);
  }

  // Map access: the entry's value, or nullptr when absent or not a map.
  [[nodiscard]] const Node* find(std::string_view key) const;
  [[nodiscard]] Node* find(std::string_view key);
  // Sets `key` (appending it if absent). Turns a null node into a map first.
  Node& set(std::string_view key, Node node);
  // The node at a dot-separated path of map keys, created as maps where missing.
  Node& at_path(std::string_view dotted_path);
  bool erase(std::string_view key);

  friend bool operator==(const Node& a, const Node& b);
};

struct Entry {
  std::string key;
  Node value;
};

inline Node::Node(Map m) : value(std::move(m)) {}
inline Node::Node() = default;
inline Node::Node(std::nullptr_t) {}
// Defined here, where every alternative's type is complete (clang instantiates the
// variant's members at the point of definition).
inline Node::Node(bool b) : value(b) {}
inline Node::Node(int i) : value(static_cast<std::int64_t>(i)) {}
inline Node::Node(std::int64_t i) : value(i) {}
inline Node::Node(double d) : value(d) {}
inline Node::Node(const char* s) : value(std::string(s)) {}
inline Node::Node(std::string s) : value(std::move(s)) {}
inline Node::Node(std::string_view s) : value(std::string(s)) {}
inline Node::Node(List l) : value(std::move(l)) {}
inline Node::Node(Intrinsic i) : value(std::move(i)) {}

[[nodiscard]] Node intrinsic(std::string name, Node argument);

// Serializers. Output is deterministic: keys in document order, two-space indentation, a final
// newline.
[[nodiscard]] std::string to_json(const Node& node);
[[nodiscard]] std::string to_yaml(const Node& node);

}  // namespace hipaa::doc
