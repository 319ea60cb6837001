#include "hipaa/raw_resource.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "validate/checks.hpp"

namespace hipaa {
namespace {

NodeInfo info_of(const RawResourceProps& p) {
  NodeInfo info{.name = "RawResource",
                .summary = "A resource given as its target type and properties (the escape hatch)",
                .tagging = p.tagging};
  std::size_t n = 0;
  // declared() stops at the first empty slot, so only the forms it has.
  if (!p.cloudformation.type.empty()) info.types[n++] = cloudformation_type(p.cloudformation.type);
  if (!p.terraform.type.empty()) info.types[n++] = terraform_type(p.terraform.type);
  return info;
}

bool is_word(std::string_view part) {
  return !part.empty() && std::isupper(static_cast<unsigned char>(part.front())) != 0 &&
         std::ranges::all_of(part, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

std::vector<std::string_view> split_type(std::string_view type) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto end = type.find("::", start);
    parts.push_back(type.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 2;
  }
}

bool is_custom(std::string_view type) { return type.starts_with("Custom::"); }

// Why CloudFormation would refuse `type`, or "": AWS::Service::Resource and registry types
// (Org::Service::Resource) are three words of letters and digits, each from an upper-case
// letter; a custom resource is
// Custom::Name, the name 1-60 of letters, digits and _ @ -.
std::string cloudformation_type_problem(std::string_view type) {
  const auto parts = split_type(type);
  if (is_custom(type)) {
    const std::string_view name = type.substr(8);
    const bool ok = parts.size() == 2 && !name.empty() && name.size() <= 60 && std::ranges::all_of(name, [](char c) {
                      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '@' || c == '-';
                    });
    return ok ? "" : "is not Custom:: followed by 1-60 letters, digits and _ @ -";
  }
  if (parts.size() == 3 && std::ranges::all_of(parts, is_word)) return {};
  return "is not three words of letters and digits from an upper-case letter joined by '::' "
         "(AWS::Service::Resource, Org::Service::Resource), nor Custom::Name";
}

// Why Terraform would refuse `type`, or "": a provider's name and the resource's, lower-case
// letters, digits and '_' joined by '_' (aws_s3_bucket).
std::string terraform_type_problem(std::string_view type) {
  const bool chars = std::ranges::all_of(type, [](char c) {
    return std::islower(static_cast<unsigned char>(c)) != 0 || std::isdigit(static_cast<unsigned char>(c)) != 0 ||
           c == '_';
  });
  const auto underscore = type.find('_');
  if (chars && !type.empty() && std::islower(static_cast<unsigned char>(type.front())) != 0 &&
      underscore != std::string_view::npos && underscore + 1 < type.size() && !type.ends_with('_')) {
    return {};
  }
  return "is not a provider's name and a resource's in lower-case letters, digits and '_' (aws_s3_bucket)";
}

// Why a target would refuse the property name `name`, or "". CloudFormation: letters and digits
// starting with an upper-case letter, as the override paths check them, except for custom
// resources, whose properties are the handler's own; Terraform: an argument name.
std::string property_name_problem(Target target, std::string_view type, std::string_view name) {
  if (name.empty()) return "is empty";
  if (name.find('.') != std::string_view::npos) return "has a '.'; a property is one name (nest a map for more)";
  if (target == Target::CloudFormation && is_custom(type)) {
    const bool blank = std::ranges::any_of(name, [](char c) {
      return std::isspace(static_cast<unsigned char>(c)) != 0 || std::iscntrl(static_cast<unsigned char>(c)) != 0;
    });
    return blank ? "has blanks or control characters" : "";
  }
  // The names an override path may start with are the names a resource has.
  if (target == Target::CloudFormation) {
    return detail::override_path_problem(target, "Properties." + std::string(name)).empty()
               ? ""
               : "is not letters and digits starting with an upper-case letter (BucketName)";
  }
  return detail::override_path_problem(target, name).empty()
             ? ""
             : "is not lower-case letters, digits and '_' starting with a letter (bucket_prefix)";
}

}  // namespace

RawResource::RawResource(Construct& scope, std::string id, RawResourceProps props, SourceLocation where)
    : Resource(&scope, std::move(id), where), props_(std::move(props)), info_(info_of(props_)) {}

AttributeRef RawResource::attribute(Attribute which) const {
  // The views point into names_, which keeps one copy of each name for the resource's lifetime.
  auto intern = [this](std::string_view name) -> std::string_view {
    if (name.empty()) return {};
    const auto it = std::ranges::find(names_, name);
    return it != names_.end() ? std::string_view(*it) : std::string_view(names_.emplace_back(name));
  };
  return Resource::attribute({intern(which.cloudformation), intern(which.terraform)});
}

void RawResource::lower(Lowering& l) const {
  const bool cfn = l.is_cloudformation();
  const std::string& type = cfn ? props_.cloudformation.type : props_.terraform.type;
  const std::string& other = cfn ? props_.terraform.type : props_.cloudformation.type;
  const char* target = cfn ? "CloudFormation" : "Terraform";
  if (type.empty()) {
    // Never a silent skip: the stack would deploy without it.
    l.report(detail::at(*this, "HS3006",
                        fmt::format("raw resource {} has no {} form: its props give no {}", other, target,
                                    cfn ? "cloudformation.type" : "terraform.type"),
                        fmt::format("give it {}, or synthesize this stack for {} only",
                                    cfn ? "cloudformation = {.type = \"AWS::...\", .properties = {...}}"
                                        : "terraform = {.type = \"aws_...\", .arguments = {...}}",
                                    cfn ? "Terraform" : "CloudFormation")));
    return;
  }
  auto& resource = l.add(*this);
  // As given, in the order given, an empty string too (a typed node's set() drops it: here the
  // user wrote it on purpose); only a null is not written (Properties::set_node).
  for (const auto& [name, value] : cfn ? props_.cloudformation.properties : props_.terraform.arguments) {
    resource.properties().set_node(name, l.render(value));
  }
  resource.tags(props_.tags);
}

void RawResource::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  const auto& cfn = props_.cloudformation;
  const auto& tf = props_.terraform;
  if (cfn.type.empty() && tf.type.empty()) {
    check.error("HS2010", "raw resource has neither a CloudFormation nor a Terraform type",
                "give a cloudformation.type (AWS::Service::Resource), a terraform.type (aws_...), or both");
  }
  if (!cfn.type.empty()) {
    if (std::string problem = cloudformation_type_problem(cfn.type); !problem.empty()) {
      check.error("HS2010", fmt::format("CloudFormation type '{}' {}", cfn.type, problem),
                  "write the type as the CloudFormation resource reference names it: AWS::S3::Bucket");
    }
  }
  if (!tf.type.empty()) {
    if (std::string problem = terraform_type_problem(tf.type); !problem.empty()) {
      check.error("HS2010", fmt::format("Terraform type '{}' {}", tf.type, problem),
                  "write the type as the provider's documentation names it: aws_s3_bucket");
    }
  }
  auto names = [&](Target target, const std::string& type, const ValueMap& properties) {
    const char* what = target == Target::CloudFormation ? "CloudFormation property" : "Terraform argument";
    if (type.empty() && !properties.empty()) {
      check.error("HS2010",
                  fmt::format("{} '{}' is given without a {} type", what, properties.front().key,
                              target == Target::CloudFormation ? "CloudFormation" : "Terraform"),
                  "give the type too, or leave the properties out");
    }
    const std::string_view tags_key = target == Target::CloudFormation ? "Tags" : "tags";
    std::set<std::string_view> seen;
    for (const auto& [name, value] : properties) {
      if (std::string problem = property_name_problem(target, type, name); !problem.empty()) {
        check.error("HS2010", fmt::format("{} name '{}' {}", what, name, problem));
      } else if (!seen.insert(name).second) {
        check.error("HS2010", fmt::format("{} '{}' is given twice", what, name), "give each property once");
      } else if (name == tags_key && props_.tagging != Tagging::None) {
        // The tags the stack and Tags::of give would replace it.
        check.error("HS2010", fmt::format("{} '{}' is set directly", what, name),
                    "set tags with the props' .tags, or set .tagging = Tagging::None and write them yourself");
      }
    }
  };
  names(Target::CloudFormation, cfn.type, cfn.properties);
  names(Target::Terraform, tf.type, tf.arguments);
  if (props_.tagging == Tagging::None && !props_.tags.empty()) {
    check.error("HS2010", fmt::format("'tags' has {} tag(s) but 'tagging' is None", props_.tags.size()),
                "say how the type takes tags with .tagging (KeyValueList or Map)");
  }
}

}  // namespace hipaa
