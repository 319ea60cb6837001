#include "hipaa/value.hpp"

#include <algorithm>
#include <type_traits>

namespace hipaa {

Value::Value(const std::vector<std::string>& strings) {
  ValueList items;
  items.reserve(strings.size());
  for (const auto& s : strings) items.emplace_back(s);
  storage_ = std::move(items);
}

// Concatenation is associative: a part that is itself an interpolation is spliced in, and adjacent
// literals are merged, so both targets render one flat template ("${...}-final", one Fn::Sub).
Value interpolate(std::vector<Value> parts) {
  std::vector<Value> flat;
  flat.reserve(parts.size());
  auto append = [&flat](Value part) {
    const auto* text = part.get_if<std::string>();
    if (text != nullptr && !flat.empty()) {
      if (const auto* last = flat.back().get_if<std::string>()) {
        flat.back() = Value(*last + *text);
        return;
      }
    }
    flat.push_back(std::move(part));
  };
  for (auto& part : parts) {
    if (const auto* nested = part.get_if<Interpolation>()) {
      for (const auto& inner : nested->parts) append(inner);
    } else {
      append(std::move(part));
    }
  }
  return Interpolation{std::move(flat)};
}

Value join(std::string separator, std::vector<Value> parts) { return Join{std::move(separator), std::move(parts)}; }

Value select(std::size_t index, Value list) { return Select{index, std::make_shared<const Value>(std::move(list))}; }

Value availability_zones() { return AvailabilityZones{}; }
Value region() { return PseudoRef{Pseudo::Region}; }
Value account_id() { return PseudoRef{Pseudo::AccountId}; }
Value partition() { return PseudoRef{Pseudo::Partition}; }
Value url_suffix() { return PseudoRef{Pseudo::UrlSuffix}; }

Value list(std::initializer_list<Value> items) { return ValueList(items); }
Value map(std::initializer_list<MapEntry> entries) { return ValueMap(entries); }

Value call(std::string function, std::vector<Value> args) { return FunctionCall{std::move(function), std::move(args)}; }

bool same_values(const std::vector<Value>& a, const std::vector<Value>& b) {
  return std::ranges::equal(a, b, same_value);
}

bool same_value(const Value& a, const Value& b) {
  if (a.storage().index() != b.storage().index()) return false;
  return std::visit(
      [&](const auto& x) -> bool {
        using T = std::decay_t<decltype(x)>;
        const auto& y = std::get<T>(b.storage());
        if constexpr (std::is_same_v<T, std::monostate> || std::is_same_v<T, AvailabilityZones>) {
          return true;
        } else if constexpr (std::is_same_v<T, ValueList>) {
          return same_values(x, y);
        } else if constexpr (std::is_same_v<T, ValueMap>) {
          return std::ranges::equal(x, y, [](const MapEntry& m, const MapEntry& n) {
            return m.key == n.key && same_value(m.value, n.value);
          });
        } else if constexpr (std::is_same_v<T, AttributeRef>) {
          return x.target == y.target && x.attribute.cloudformation == y.attribute.cloudformation &&
                 x.attribute.terraform == y.attribute.terraform;
        } else if constexpr (std::is_same_v<T, ParameterRef>) {
          return x.name == y.name;
        } else if constexpr (std::is_same_v<T, PseudoRef>) {
          return x.which == y.which;
        } else if constexpr (std::is_same_v<T, Join>) {
          return x.separator == y.separator && same_values(x.parts, y.parts);
        } else if constexpr (std::is_same_v<T, Interpolation>) {
          return same_values(x.parts, y.parts);
        } else if constexpr (std::is_same_v<T, Select>) {
          return x.index == y.index && same_value(*x.list, *y.list);
        } else if constexpr (std::is_same_v<T, FunctionCall>) {
          return x.name == y.name && same_values(x.args, y.args);
        } else if constexpr (std::is_same_v<T, TerraformReference>) {
          return x.address == y.address;
        } else {
          return x == y;  // bool, integer, double, string
        }
      },
      a.storage());
}

}  // namespace hipaa
