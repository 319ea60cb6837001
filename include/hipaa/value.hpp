// hipaa/value.hpp: the neutral value IR that typed properties are made of.
//
// A Value is a literal (string, number, bool, list, map) or a structured expression that each
// backend renders its own way: a reference to another resource's attribute (`!GetAtt Db.Arn` /
// `${aws_db_instance.db.arn}`), an interpolation, a join, a select, the region's availability
// zones, a pseudo parameter or a stack parameter. References are data, not magic strings, so the
// dependency graph is found by walking values.
//
//   Value name = interpolate({"patients-", stack.parameter_ref("EnvironmentSuffix")});
//   Value azs  = select(0, availability_zones());
//   Value arn  = key.arn();          // an AttributeRef to the key
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace hipaa {

class Resource;
class Value;

// How one neutral attribute of a resource is spelled in each target. An empty `cloudformation`
// means the attribute is what `Ref` returns; otherwise it is a `Fn::GetAtt` attribute name.
struct Attribute {
  std::string_view cloudformation;
  std::string_view terraform;
};

// A reference to an attribute of another resource in the same app.
struct AttributeRef {
  const Resource* target = nullptr;
  Attribute attribute;
};

// A stack parameter (CloudFormation Parameter, Terraform variable).
struct ParameterRef {
  std::string name;
};

enum class Pseudo { Region, AccountId, Partition, UrlSuffix };

struct PseudoRef {
  Pseudo which;
};

// The availability zones of the stack's region, as a list.
struct AvailabilityZones {};

struct Join {
  std::string separator;
  std::vector<Value> parts;
};

// The concatenation of its parts as one string (Fn::Sub / a Terraform template string).
struct Interpolation {
  std::vector<Value> parts;
};

struct Select {
  std::size_t index = 0;
  std::shared_ptr<const Value> list;
};

// A Terraform function call, `name(arg, ...)`, computed by Terraform at plan time (jsonencode,
// sha1, merge, zipmap, ...): raw Terraform expressions without writing HCL by hand or escaping.
// CloudFormation has no such functions: synthesizing one for it is HS3013.
struct FunctionCall {
  std::string name;
  std::vector<Value> args;
};

// Something the Terraform configuration defines, by its address: a data source's or ephemeral
// resource's attribute ("ephemeral.aws_secretsmanager_random_password.x.random_password"), as
// Lowering::add_terraform_data names them. Terraform only, like FunctionCall.
struct TerraformReference {
  std::string address;
};

struct MapEntry;
using ValueList = std::vector<Value>;
using ValueMap = std::vector<MapEntry>;  // insertion order is output order

class Value {
 public:
  using Storage = std::variant<std::monostate, bool, std::int64_t, double, std::string, ValueList, ValueMap,
                               AttributeRef, ParameterRef, PseudoRef, AvailabilityZones, Join, Interpolation, Select,
                               FunctionCall, TerraformReference>;

  Value();
  Value(std::nullptr_t);
  Value(bool b);
  Value(int i);
  Value(std::int64_t i);
  Value(double d);
  Value(const char* s);
  Value(std::string s);
  Value(std::string_view s);
  Value(ValueList l);
  Value(ValueMap m);
  Value(AttributeRef r);
  Value(ParameterRef p);
  Value(PseudoRef p);
  Value(AvailabilityZones a);
  Value(Join j);
  Value(Interpolation i);
  Value(Select s);
  Value(FunctionCall f);
  Value(TerraformReference r);
  Value(const std::vector<std::string>& strings);

  [[nodiscard]] bool is_null() const { return std::holds_alternative<std::monostate>(storage_); }
  [[nodiscard]] const Storage& storage() const { return storage_; }
  template <class T>
  [[nodiscard]] const T* get_if() const {
    return std::get_if<T>(&storage_);
  }

  // Calls `visit` on every AttributeRef inside this value, depth first.
  template <class F>
  void for_each_reference(F&& visit) const;

 private:
  Storage storage_;
};

struct MapEntry {
  std::string key;
  Value value;
};

inline Value::Value(ValueMap m) : storage_(std::move(m)) {}
inline Value::Value() = default;
inline Value::Value(std::nullptr_t) {}
// Defined here, where every alternative's type is complete (clang instantiates the
// variant's members at the point of definition).
inline Value::Value(bool b) : storage_(b) {}
inline Value::Value(int i) : storage_(static_cast<std::int64_t>(i)) {}
inline Value::Value(std::int64_t i) : storage_(i) {}
inline Value::Value(double d) : storage_(d) {}
inline Value::Value(const char* s) : storage_(std::string(s)) {}
inline Value::Value(std::string s) : storage_(std::move(s)) {}
inline Value::Value(std::string_view s) : storage_(std::string(s)) {}
inline Value::Value(ValueList l) : storage_(std::move(l)) {}
inline Value::Value(AttributeRef r) : storage_(r) {}
inline Value::Value(ParameterRef p) : storage_(std::move(p)) {}
inline Value::Value(PseudoRef p) : storage_(p) {}
inline Value::Value(AvailabilityZones a) : storage_(a) {}
inline Value::Value(Join j) : storage_(std::move(j)) {}
inline Value::Value(Interpolation i) : storage_(std::move(i)) {}
inline Value::Value(Select s) : storage_(std::move(s)) {}
inline Value::Value(FunctionCall f) : storage_(std::move(f)) {}
inline Value::Value(TerraformReference r) : storage_(std::move(r)) {}

// Expression helpers that read like the intent.
[[nodiscard]] Value interpolate(std::vector<Value> parts);
[[nodiscard]] Value join(std::string separator, std::vector<Value> parts);
[[nodiscard]] Value select(std::size_t index, Value list);
[[nodiscard]] Value availability_zones();
[[nodiscard]] Value region();
[[nodiscard]] Value account_id();
[[nodiscard]] Value partition();
[[nodiscard]] Value url_suffix();
[[nodiscard]] Value list(std::initializer_list<Value> items);
[[nodiscard]] Value map(std::initializer_list<MapEntry> entries);
// Structural equality: the same kind and the same parts (references to the same resource and
// attribute), as a statement or grant is compared for duplicates.
[[nodiscard]] bool same_value(const Value& a, const Value& b);
[[nodiscard]] bool same_values(const std::vector<Value>& a, const std::vector<Value>& b);
// Terraform only (see FunctionCall): call("jsonencode", {map({{"a", 1}})}) renders
// "${jsonencode({"a" = 1})}".
[[nodiscard]] Value call(std::string function, std::vector<Value> args);

template <class F>
void Value::for_each_reference(F&& visit) const {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, AttributeRef>) {
          visit(v);
        } else if constexpr (std::is_same_v<T, ValueList>) {
          for (const auto& item : v) item.for_each_reference(visit);
        } else if constexpr (std::is_same_v<T, ValueMap>) {
          for (const auto& entry : v) entry.value.for_each_reference(visit);
        } else if constexpr (std::is_same_v<T, Join> || std::is_same_v<T, Interpolation>) {
          for (const auto& part : v.parts) part.for_each_reference(visit);
        } else if constexpr (std::is_same_v<T, FunctionCall>) {
          for (const auto& arg : v.args) arg.for_each_reference(visit);
        } else if constexpr (std::is_same_v<T, Select>) {
          if (v.list) v.list->for_each_reference(visit);
        }
      },
      storage_);
}

}  // namespace hipaa
