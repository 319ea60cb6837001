// Internal: the validation vocabulary resource types and the tree checks share (required references, CIDRs, names
// AWS would reject), so each type's validate() reads as a list of its rules.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hipaa/construct.hpp"
#include "hipaa/diagnostic.hpp"

namespace hipaa::detail {

// A diagnostic located at a construct: its path and where the offending value was set
// (Construct::origin: the user's line that created it, or the config file's key).
[[nodiscard]] Diagnostic at(const Construct& construct, std::string code, std::string message, std::string hint = {},
                            Severity severity = Severity::Error);

// Why an add_override path does not parse for `target`, or "" when it does: dot-separated
// non-empty segments (a list element by its index: Tags.0.Value) with no blanks or brackets,
// starting at a key of a CloudFormation resource (Properties, Metadata, DependsOn, ...) with a
// property name after Properties, or at a Terraform argument or block name.
[[nodiscard]] std::string override_path_problem(Target target, std::string_view path);

struct Ipv4Cidr {
  std::uint32_t address = 0;
  int prefix = 0;
};

// Parses "a.b.c.d/n"; nullopt when malformed or when host bits are set.
[[nodiscard]] std::optional<Ipv4Cidr> parse_cidr(std::string_view text);
[[nodiscard]] bool cidr_contains(const Ipv4Cidr& outer, const Ipv4Cidr& inner);
[[nodiscard]] bool cidrs_overlap(const Ipv4Cidr& a, const Ipv4Cidr& b);

// The text a value will have once deployed, with stack parameters at their defaults; nullopt
// when it depends on something only known at deploy time (an attribute, the region).
[[nodiscard]] std::optional<std::string> literal_text(const Value& value, const Construct& where);

class Checker {
 public:
  Checker(const Resource& resource, Diagnostics& out) : resource_(resource), out_(out) {}

  void error(std::string code, std::string message, std::string hint = {}) const;

  // HS2001: a reference property that must be set.
  template <class T>
  void required(const Ref<T>& ref, std::string_view property) const {
    if (!ref) missing(property);
  }
  void required(const Value& value, std::string_view property) const {
    if (value.is_null()) missing(property);
  }
  void required(const std::string& value, std::string_view property) const {
    if (value.empty()) missing(property);
  }
  template <class T>
  void required_list(const std::vector<T>& items, std::string_view property, std::size_t min = 1) const {
    if (items.size() < min) {
      error("HS2001", "'" + std::string(property) + "' needs at least " + std::to_string(min) + " item(s), has " +
                          std::to_string(items.size()));
    }
  }

  // HS2002: a CIDR that must parse and have a prefix within [min_prefix, max_prefix].
  // Most callers want only the diagnostics; the parsed CIDR is there for those that compare.
  std::optional<Ipv4Cidr> cidr(  // NOLINT(modernize-use-nodiscard): called for its diagnostics
      std::string_view text, std::string_view property, int min_prefix, int max_prefix) const;

  // HS2003: a name AWS would reject: length and allowed characters (checked on the literal text,
  // with parameters at their defaults).
  void name(const Value& value, std::string_view property, std::size_t max_length,
            const std::function<bool(char)>& allowed, std::string_view allowed_description,
            std::size_t min_length = 1) const;

  // HS2004: a number outside the range AWS accepts.
  void range(double value, std::string_view property, double min, double max) const;

  // HS2004: a daily window ("hh24:mi-hh24:mi", UTC) that overlaps or touches a weekly one
  // ("ddd:hh24:mi-ddd:hh24:mi"): RDS refuses a backup window that runs into the maintenance window,
  // and ElastiCache a snapshot window. A window that does not parse is left to AWS's format checks.
  void windows_apart(std::string_view daily, std::string_view daily_property, std::string_view weekly,
                     std::string_view weekly_property) const;

 private:
  void missing(std::string_view property) const;
  const Resource& resource_;
  Diagnostics& out_;
};

// A problem with a stack's own settings: `setting` is the StackProps field in the spelling of the
// healthcare stack's options ("region", "state.bucket"), so its errors can name the option.
struct SettingProblem {
  std::string setting;
  std::string code;
  std::string message;
  std::string hint;
};
// The stack's region and Terraform backend: unknown regions (HS2006), a bucket name or key S3
// refuses (HS2003).
[[nodiscard]] std::vector<SettingProblem> stack_setting_problems(const StackProps& props);
// Why S3 refuses a literal bucket name (length, characters, and its rules beyond them); empty
// when it is valid. s3::Bucket and the Terraform state bucket both ask it.
[[nodiscard]] std::string bucket_name_problem(std::string_view name);
// Four dot-separated numbers of 0-255: a name S3 and CloudTrail refuse.
[[nodiscard]] bool looks_like_ip_address(std::string_view text);

// Character classes for names.
[[nodiscard]] bool is_alnum_dash(char c);        // [A-Za-z0-9-]
[[nodiscard]] bool is_lower_alnum_dash(char c);  // [a-z0-9-]
[[nodiscard]] bool is_bucket_name_char(char c);  // [a-z0-9.-]
[[nodiscard]] bool is_iam_name_char(char c);     // [A-Za-z0-9+=,.@_-]
[[nodiscard]] bool is_log_group_char(char c);    // [A-Za-z0-9_/.#-]
[[nodiscard]] bool is_lambda_name_char(char c);  // [A-Za-z0-9_-]

}  // namespace hipaa::detail
