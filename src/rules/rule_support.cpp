// What several rule files share: literal prefixes, judging overrides of checked properties,
// resource policies that refuse requests without TLS, and AWS Backup coverage.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "hipaa/aws/backup.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {

std::string literal_prefix(const Value& value) {
  if (const auto* s = value.get_if<std::string>()) return *s;
  if (const auto* i = value.get_if<Interpolation>(); i != nullptr && !i->parts.empty()) {
    if (const auto* s = i->parts.front().get_if<std::string>()) return *s;
  }
  return {};
}

namespace {

enum class Reach { None, Exact, Inside, Over };

// How an override at `path` reaches `property` (both dot paths): it sets the property itself,
// something inside it, or an object that encloses it.
Reach reach(std::string_view path, std::string_view property) {
  if (property.empty()) return Reach::None;
  if (path == property) return Reach::Exact;
  const auto under = [](std::string_view inner, std::string_view outer) {
    return inner.size() > outer.size() && inner.starts_with(outer) && inner[outer.size()] == '.';
  };
  if (under(path, property)) return Reach::Inside;
  if (under(property, path)) return Reach::Over;
  return Reach::None;
}

Reach reach(const Resource::Override& o, const CheckedProperty& property) {
  if (o.target == Target::Terraform) return reach(o.path, property.terraform);
  if (o.path == "Properties") return Reach::Over;
  constexpr std::string_view kProperties = "Properties.";
  return o.path.starts_with(kProperties)
             ? reach(std::string_view(o.path).substr(kProperties.size()), property.cloudformation)
             : Reach::None;
}

}  // namespace

bool flag_override(const Resource& resource, const CheckedProperty& property, Reporter& report) {
  const Resource::Override* last = nullptr;
  Reach how = Reach::None;
  for (const auto& o : resource.overrides()) {
    if (const Reach r = reach(o, property); r != Reach::None) {
      last = &o;
      how = r;
    }
  }
  if (last == nullptr) return false;
  const char* target = last->target == Target::CloudFormation ? "CloudFormation" : "Terraform";
  const std::string_view name = last->target == Target::CloudFormation ? property.cloudformation : property.terraform;
  std::string message;
  if (how == Reach::Exact && property.unsafe) {
    const bool* value = last->value.get_if<bool>();
    if (value != nullptr && *value != *property.unsafe) return false;
    message = value != nullptr
                  ? fmt::format("an override sets {} to {} ({})", last->path, *value ? "true" : "false", target)
                  : fmt::format(
                        "an override sets {} to a value that is not a literal true or false ({}): "
                        "the rule cannot judge it",
                        last->path, target);
  } else {
    message = fmt::format(
        "an override sets {} ({}), replacing the {} this rule checks on the typed node: the rule "
        "cannot judge the value deployed",
        last->path, target, name);
  }
  report.flag(resource, std::move(message), last->where);
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool is_text(const Value& value, std::string_view text) {
  const auto* s = value.get_if<std::string>();
  return s != nullptr && *s == text;
}

// A statement that denies `action` (or everything of its service, or "*") to every principal
// when aws:SecureTransport is false: what cdk-nag's SQS4 and SNS3 look for in a resource policy.
bool denies_without_tls(const iam::PolicyDocument& policy, std::string_view action, std::string_view service_all) {
  return std::ranges::any_of(policy.statements, [&](const iam::Statement& s) {
    const bool every_principal = std::ranges::any_of(s.principals, [](const iam::Principal& p) {
      return p.kind == iam::Principal::Kind::Any ||
             (p.kind == iam::Principal::Kind::Aws &&
              std::ranges::any_of(p.identifiers, [](const Value& v) { return is_text(v, "*"); }));
    });
    const bool covers_action = std::ranges::any_of(
        s.actions, [&](const std::string& a) { return a == "*" || iequals(a, action) || iequals(a, service_all); });
    const bool without_tls = std::ranges::any_of(s.conditions, [](const iam::Condition& c) {
      return c.test == "Bool" && c.variable == "aws:SecureTransport" &&
             std::ranges::any_of(c.values, [](const Value& v) { return is_text(v, "false"); });
    });
    return s.effect == iam::Effect::Deny && every_principal && covers_action && without_tls;
  });
}

bool BackupCoverage::protects(const Resource& resource) {
  if (!collected_) {
    collected_ = true;
    for (const auto* selection : stack_->all_in_app<backup::Selection>()) {
      const auto& plan = selection->props().plan;
      if (plan && !plan->props().rules.empty()) selections_.push_back(selection);
    }
  }
  return std::ranges::any_of(selections_, [&](const backup::Selection* s) { return s->protects(resource); });
}

}  // namespace hipaa::rules::detail
