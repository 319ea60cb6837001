// Internal: the HealthcareOptions schema, one line per option: each key, where its value goes, a
// short description and its limits. The config reader reads a document through it; the stack's
// origins walk it to find which option a problem comes from; config_schema() walks it to print the
// format's JSON Schema (`hipaa-synth schema`), so the schema cannot drift from the reader.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "hipaa/healthcare.hpp"

namespace hipaa::detail {

struct OptionField;
using OptionFields = std::vector<OptionField>;
using Strings = std::vector<std::string>;
using Routes = std::vector<HealthcareOptions::Route>;
struct TextLimits;

// A number option's bounds, inclusive. `on_read`: the config reader refuses a value outside them
// (HS5003), because the option decides how many constructs the stack builds; otherwise the
// stack's validate() does (HS2007), so they hold for options set in C++ too. The synth check, the
// reader and `hipaa-synth schema` (minimum, maximum) all read these.
struct NumberLimits {
  std::optional<double> minimum;
  std::optional<double> maximum;
  bool on_read = false;
};
// An Aurora cluster has a writer and at most 15 replicas.
inline constexpr NumberLimits kDatabaseInstances{.minimum = 0, .maximum = 16, .on_read = true};
inline constexpr NumberLimits kThrottlingLimits{.minimum = 0};

// An option's limits beyond its type; each is empty where there is none.
struct OptionLimits {
  std::optional<NumberLimits> number;
  TextLimits (*text)() = nullptr;                            // a name's grammar and length
  std::span<const std::string_view> (*choices)() = nullptr;  // the values synth accepts
  std::string_view prefix;                                   // the value starts with it
};

// A key and where its value goes; the pointer's type decides how the value is read. A nested
// section points to its own table of fields. `description` is one short line for the generated
// schema (`hipaa-synth schema`).
struct OptionField {
  using Target = std::variant<std::string*, bool*, int*, std::optional<int>*, double*, Strings*, Preset*,
                              DatabaseEngine*, ApiKind*, Routes*, const OptionFields*>;
  OptionField(std::string_view name, Target destination, std::string_view what, OptionLimits bounds = {})
      : key(name), target(destination), description(what), limits(bounds) {}

  std::string_view key;
  Target target;
  std::string_view description;
  OptionLimits limits;
};

// A route's keys, bound to one route (both required).
[[nodiscard]] OptionFields route_fields(HealthcareOptions::Route& route);

// The spellings of each enum the reader accepts, in the order its hints list them.
template <class E>
using EnumNames = std::span<const std::pair<std::string_view, E>>;
[[nodiscard]] EnumNames<Preset> preset_names();
[[nodiscard]] EnumNames<DatabaseEngine> database_engine_names();
[[nodiscard]] EnumNames<ApiKind> api_kind_names();

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

// A name as words: its first character from `first`, the others from `rest` (each the body of a
// bracket expression, "a-z0-9"), and, when `separator` is set, single separators between words,
// never first or last. The pattern the templates carry and the synth check both come from it, so
// they accept the same set, and the check needs no regex engine (compiling std::regex was most of
// the healthcare stack's validation time).
struct NameGrammar {
  std::string_view first;
  std::string_view rest;
  char separator = '\0';

  // "[a-z0-9]+(-[a-z0-9]+)*"
  [[nodiscard]] std::string pattern() const;
  [[nodiscard]] bool matches(std::string_view value) const;
};

// A text option's limits, in one place: the synth check (within()), the emitted CloudFormation
// parameter (AllowedPattern, MinLength, MaxLength) and the Terraform variable's validation all
// read them, so what synth accepts and what the template accepts are the same set. The pattern
// uses only what Java (CloudFormation), RE2 (Terraform) and ECMAScript (std::regex) share: no
// lookaround, no backreferences; it matches the whole value.
struct TextLimits {
  NameGrammar grammar;
  std::size_t min_length = 1;
  std::size_t max_length = 0;
  std::string description;  // "1-15 lower-case letters or digits, with single hyphens between them"
};

// Resource names are "<prefix>-<what>-<suffix>"; the longest fixed part is ElastiCache's default
// user "<prefix>-cache-default-<suffix>", and ElastiCache ids allow 40 characters, so prefix and
// suffix share 40 - len("--cache-default") = 25 characters. Every other derived identifier
// (RDS, Lambda, IAM, S3, log groups, backup vaults) has more room at that length.
inline constexpr std::size_t kNameBudget = 25;
inline constexpr std::string_view kNameBudgetReason =
    "'<name_prefix>-cache-default-<environment_suffix>' is an ElastiCache user id, which allows 40 characters";

// environment_suffix: lower-case letters and digits, single hyphens between them (RDS and
// ElastiCache ids may not end in or double a hyphen), at most kNameBudget - len(name_prefix).
[[nodiscard]] TextLimits environment_suffix_limits(std::string_view name_prefix);
// environment_suffix's limits whatever the prefix: as long as the shortest prefix leaves (the
// schema's; the synth check uses the prefix given).
[[nodiscard]] TextLimits loosest_environment_suffix_limits();
// name_prefix: starts with a letter (RDS and ElastiCache ids must), same hyphen rule, leaves the
// suffix at least one character.
[[nodiscard]] TextLimits name_prefix_limits();
// database.database_name and database.master_username: PostgreSQL identifiers RDS accepts.
[[nodiscard]] TextLimits database_identifier_limits();

[[nodiscard]] bool within(const TextLimits& limits, std::string_view value);

// The HTTP methods a route may have (API Gateway's, and ANY).
[[nodiscard]] std::span<const std::string_view> route_methods();
// A route's path starts with it.
inline constexpr std::string_view kRoutePathStart = "/";

// Every region of every partition (region and state.region must be one of them).
[[nodiscard]] std::span<const std::string_view> known_regions();

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
