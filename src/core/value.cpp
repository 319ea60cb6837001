#include "hipaa/value.hpp"

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

}  // namespace hipaa
