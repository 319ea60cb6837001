// Internal: the HealthcareOptions schema, one line per option: each key and where its value goes.
// The config reader reads a document through it; the stack's origins walk it to find which option
// a problem comes from.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "hipaa/healthcare.hpp"

namespace hipaa::detail {

struct OptionField;
using OptionFields = std::vector<OptionField>;
using Strings = std::vector<std::string>;
using Routes = std::vector<HealthcareOptions::Route>;

// A key and where its value goes; the pointer's type decides how the value is read. A nested
// section points to its own table of fields.
struct OptionField {
  std::string_view key;
  std::variant<std::string*, bool*, int*, std::optional<int>*, double*, Strings*, Preset*, DatabaseEngine*, ApiKind*,
               Routes*, const OptionFields*>
      target;
};

// The whole schema, bound to one HealthcareOptions. The top-level `preset` key is bound to
// preset(), not to the options: a config's preset is applied before the document.
class OptionSchema {
 public:
  explicit OptionSchema(HealthcareOptions& o);
  OptionSchema(const OptionSchema&) = delete;
  OptionSchema& operator=(const OptionSchema&) = delete;

  [[nodiscard]] const OptionFields& top() const { return top_; }
  [[nodiscard]] Preset preset() const { return preset_; }

 private:
  Preset preset_{};
  OptionFields network_, database_, cache_, api_, function_, encryption_, audit_, backup_, alarms_, state_, top_;
};

// Calls visit(key, a, b) for every option that is not a section nor `preset`, with its dotted key
// ("database.deletion_protection") and the same field of two schemas (pointers of one type).
template <class Visit>
void for_each_option(const OptionFields& a, const OptionFields& b, const std::string& prefix, const Visit& visit) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const std::string key = prefix.empty() ? std::string(a[i].key) : prefix + "." + std::string(a[i].key);
    if (const auto* const* section = std::get_if<const OptionFields*>(&a[i].target)) {
      for_each_option(**section, *std::get<const OptionFields*>(b[i].target), key, visit);
      continue;
    }
    if (std::holds_alternative<Preset*>(a[i].target)) continue;
    std::visit(
        [&](auto* left) {
          using Pointer = decltype(left);
          if constexpr (!std::is_same_v<Pointer, const OptionFields*>) visit(key, left, std::get<Pointer>(b[i].target));
        },
        a[i].target);
  }
}

}  // namespace hipaa::detail
