#include "hipaa/value.hpp"

namespace hipaa {

Value::Value(const std::vector<std::string>& strings) {
  ValueList items;
  items.reserve(strings.size());
  for (const auto& s : strings) items.emplace_back(s);
  storage_ = std::move(items);
}

Value interpolate(std::vector<Value> parts) { return Interpolation{std::move(parts)}; }

Value join(std::string separator, std::vector<Value> parts) { return Join{std::move(separator), std::move(parts)}; }

Value select(std::size_t index, Value list) { return Select{index, std::make_shared<const Value>(std::move(list))}; }

Value availability_zones() { return AvailabilityZones{}; }
Value region() { return PseudoRef{Pseudo::Region}; }
Value account_id() { return PseudoRef{Pseudo::AccountId}; }
Value partition() { return PseudoRef{Pseudo::Partition}; }
Value url_suffix() { return PseudoRef{Pseudo::UrlSuffix}; }

Value list(std::initializer_list<Value> items) { return ValueList(items); }
Value map(std::initializer_list<MapEntry> entries) { return ValueMap(entries); }

}  // namespace hipaa
