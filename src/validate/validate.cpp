// Tree-level validation: construct ids, logical ids and Terraform names, suppressions, and each
// resource's own validate(), stack by stack on worker threads.
#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>
#include <set>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

#include "core/origins.hpp"
#include "core/regions.hpp"
#include "core/tags.hpp"
#include "hipaa/synth.hpp"
#include "support/parallel.hpp"
#include "validate/checks.hpp"

namespace hipaa {

void Resource::validate(Diagnostics&) const {}

namespace detail {

std::vector<SettingProblem> stack_setting_problems(const StackProps& props) {
  std::vector<SettingProblem> out;
  if (std::string problem = unknown_region_problem(props.region); !problem.empty()) {
    out.push_back({"region", "HS2006", "the stack's region " + std::move(problem), "name a region of the partition"});
  }
  const TerraformBackend& state = props.terraform_backend;
  if (!state.region.empty()) {
    if (std::string problem = unknown_region_problem(state.region); !problem.empty()) {
      out.push_back({"state.region", "HS2006", "the Terraform state's region " + std::move(problem),
                     "name the region of the state bucket"});
    }
  }
  if (!state.bucket.empty()) {
    if (std::string problem = bucket_name_problem(state.bucket); !problem.empty()) {
      out.push_back({"state.bucket", "HS2003",
                     "Terraform state bucket '" + state.bucket + "' " + problem + " (S3 naming rules)",
                     "name an existing S3 bucket"});
    }
  }
  if (state.key.starts_with('/') || state.key.ends_with('/')) {
    out.push_back({"state.key", "HS2003", "Terraform state key '" + state.key + "' starts or ends with '/'",
                   "the S3 backend refuses it; give a key such as 'HealthcareStack/prod.tfstate'"});
  }
  return out;
}

}  // namespace detail

void Stack::validate(Diagnostics& out) const {
  for (auto& p : detail::stack_setting_problems(props_)) {
    out.push_back(detail::at(*this, std::move(p.code), std::move(p.message), std::move(p.hint)));
  }
}

namespace {

bool is_name_char(char c, bool upper_allowed) {
  const auto u = static_cast<unsigned char>(c);
  return std::isdigit(u) != 0 || std::islower(u) != 0 || c == '_' || (upper_allowed && std::isupper(u) != 0);
}

// The top-level keys of a CloudFormation resource an override may set (not Type).
constexpr auto kCloudFormationResourceKeys =
    std::to_array<std::string_view>({"Properties", "Metadata", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy",
                                     "UpdatePolicy", "CreationPolicy", "Condition"});

}  // namespace

std::string detail::override_path_problem(Target target, std::string_view path) {
  if (path.empty()) return "is empty";
  std::vector<std::string_view> segments;
  for (std::string_view rest = path;;) {
    const auto dot = rest.find('.');
    segments.push_back(rest.substr(0, dot));
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  for (std::string_view segment : segments) {
    if (segment.empty()) return "has an empty segment (a leading, trailing or doubled '.')";
    for (const char c : segment) {
      if (std::isspace(static_cast<unsigned char>(c)) != 0 || std::iscntrl(static_cast<unsigned char>(c)) != 0 ||
          c == '[' || c == ']') {
        return fmt::format(
            "has '{}' in segment '{}'; segments are separated by '.', and a list element is "
            "its index as a segment (Tags.0.Value)",
            c == '\t' ? std::string("\\t") : std::string(1, c), segment);
      }
    }
  }
  const std::string_view first = segments.front();
  if (target == Target::CloudFormation) {
    if (std::ranges::find(kCloudFormationResourceKeys, first) == kCloudFormationResourceKeys.end()) {
      return fmt::format(
          "starts with '{}', which is not a key of a CloudFormation resource (Properties, Metadata, "
          "DependsOn, DeletionPolicy, UpdateReplacePolicy, UpdatePolicy, CreationPolicy, Condition)",
          first);
    }
    if (first == "Properties" && segments.size() > 1) {
      const std::string_view property = segments[1];
      if (std::isupper(static_cast<unsigned char>(property.front())) == 0 ||
          !std::ranges::all_of(property, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; })) {
        return fmt::format(
            "names property '{}'; CloudFormation property names are letters and digits starting with "
            "an upper-case letter (BucketName)",
            property);
      }
    }
    return {};
  }
  if (std::isdigit(static_cast<unsigned char>(first.front())) != 0 ||
      !std::ranges::all_of(first, [](char c) { return is_name_char(c, false); })) {
    return fmt::format(
        "starts with '{}'; a Terraform argument or block name is lower-case letters, digits and '_' "
        "(bucket_prefix, lifecycle)",
        first);
  }
  return {};
}

namespace {

void validate_overrides(const Resource& resource, Diagnostics& out) {
  for (const auto& o : resource.overrides()) {
    const std::string problem = detail::override_path_problem(o.target, o.path);
    if (problem.empty()) continue;
    Diagnostic d =
        detail::at(resource, "HS1007",
                   fmt::format("{} override path '{}' {}",
                               o.target == Target::CloudFormation ? "CloudFormation" : "Terraform", o.path, problem),
                   o.target == Target::CloudFormation ? "write it as in the template: Properties.BucketName, "
                                                        "Properties.Tags.0.Value, Metadata.Key"
                                                      : "write it as in the Terraform JSON: bucket, "
                                                        "server_side_encryption_configuration.rule, tags.Name");
    detail::locate_at(d, o.where);
    out.push_back(std::move(d));
  }
}

// HS2009: the tags Tags::of(construct) sets or removes.
void validate_scope_tags(const Construct& construct, Diagnostics& out) {
  for (const auto& [key, value] : construct.scope_tags()) {
    if (std::string problem = detail::tag_problem(key, value.value_or("")); !problem.empty()) {
      out.push_back(detail::at(construct, "HS2009",
                               "tag '" + key.substr(0, 128) + "' set with Tags::of " + std::move(problem),
                               "use a key of 1-128 and a value of at most 256 letters, digits, spaces and "
                               "_ . : / = + - @, with no 'aws:' prefix"));
    }
  }
}

// HS2009: AWS takes at most 50 tags on a resource; count those its stack and scopes give it.
void validate_tag_count(const Stack& stack, Diagnostics& out) {
  for (const Resource* r : stack.resources()) {
    if (r->type().tagging == Tagging::None) continue;
    if (const auto n = detail::scope_tags_of(*r, true).size(); n > detail::kMaxTagsPerResource) {
      out.push_back(detail::at(*r, "HS2009",
                               "would carry " + std::to_string(n) + " tags from its stack and scopes (at most " +
                                   std::to_string(detail::kMaxTagsPerResource) + ")",
                               "tag fewer keys on the scopes above it"));
    }
  }
}

// The checks of one construct that need only it and its siblings' ids.
void validate_construct(const Construct& node, const Construct& child,
                        std::unordered_map<std::string_view, const Construct*>& seen, Diagnostics& out) {
  const auto& id = child.id();
  if (id.empty() || id.find('/') != std::string::npos) {
    out.push_back(detail::at(child, "HS1002", "construct id '" + id + "' is empty or contains '/'",
                             "use a non-empty id without '/'"));
  }
  auto [it, inserted] = seen.emplace(id, &child);
  if (!inserted) {
    const std::string first = to_string(it->second->origin("HS1001"));
    out.push_back(detail::at(child, "HS1001",
                             "duplicate construct id '" + id + "' under '" +
                                 (node.path().empty() ? std::string("App") : node.path()) + "'" +
                                 (first.empty() ? std::string() : ": first created at " + first),
                             "give each sibling a distinct id"));
  }
  validate_scope_tags(child, out);
  for (const auto& e : child.build_errors()) {
    Diagnostic d = detail::at(child, e.code, e.message, e.hint);
    detail::locate_at(d, e.where);
    out.push_back(std::move(d));
  }
  for (const auto& suppression : child.suppressions()) {
    if (suppression.reason.empty()) {
      out.push_back(detail::at(child, "HS1005", "suppression of rule '" + suppression.rule_id + "' has no reason",
                               "say why the rule does not apply here"));
    }
  }
  if (const Resource* resource = child.as_resource()) {
    resource->validate(out);
    validate_overrides(*resource, out);
  }
}

void validate_tree(const Construct& node, Diagnostics& out) {
  std::unordered_map<std::string_view, const Construct*> seen;
  for (const auto& child : node.children()) {
    validate_construct(node, *child, seen, out);
    validate_tree(*child, out);
  }
}

bool valid_cloudformation_id(std::string_view id) {
  if (id.empty() || id.size() > 255) return false;
  return std::ranges::all_of(id, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

bool valid_terraform_label(std::string_view label) {
  if (label.empty()) return false;
  const auto first = static_cast<unsigned char>(label.front());
  if (std::isalpha(first) == 0 && first != '_') return false;
  return std::ranges::all_of(label, [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) != 0 || c == '_' || c == '-';
  });
}

// A resource policy has one writer, in the stack of the resource it belongs to.
void validate_policy_writers(const Stack& stack, Diagnostics& out) {
  std::unordered_map<const Resource*, const Resource*> writers;
  for (const Resource* r : stack.resources()) {
    const Resource* target = r->writes_policy_of();
    if (target == nullptr) continue;
    if (target->stack() != &stack) {
      out.push_back(detail::at(*r, "HS2005",
                               "writes the resource policy of " + target->path() + ", which is in another stack",
                               "create it in the stack of " + target->path()));
      continue;
    }
    if (auto [it, inserted] = writers.emplace(target, r); !inserted) {
      out.push_back(detail::at(*r, "HS2005",
                               "the resource policy of " + target->path() + " is written by both " +
                                   it->second->path() + " and " + r->path(),
                               "give the statements to one of them: a resource has one resource policy"));
    }
  }
}

void validate_logical_ids(const Stack& stack, Diagnostics& out) {
  std::unordered_map<std::string_view, const Resource*> cloudformation_ids;
  std::unordered_map<std::string_view, const Resource*> terraform_names;
  for (const Resource* r : stack.resources()) {
    const std::string& id = r->logical_id();
    const std::string& name = r->terraform_name();
    if (!valid_cloudformation_id(id)) {
      out.push_back(detail::at(*r, "HS1004", "logical id '" + id + "' is not 1-255 alphanumeric characters",
                               "pin a valid logical id with pin_logical_id()"));
    }
    if (!valid_terraform_label(name)) {
      out.push_back(detail::at(*r, "HS1004", "Terraform name '" + name + "' is not a valid label",
                               "pin a valid name with pin_terraform_name()"));
    }
    if (auto [it, ok] = cloudformation_ids.emplace(id, r); !ok) {
      out.push_back(detail::at(*r, "HS1003", "logical id '" + id + "' is also the id of " + it->second->path(),
                               "rename one construct or pin a distinct logical id"));
    }
    if (auto [it, ok] = terraform_names.emplace(name, r); !ok && cloudformation_ids.at(id) != it->second) {
      out.push_back(detail::at(*r, "HS1003", "Terraform name '" + name + "' is also the name of " + it->second->path(),
                               "rename one construct or pin a distinct Terraform name"));
    }
  }
}

// An option outside its limits (HS2007) also breaks the names derived from it; its own error says
// what to change, so the derived names' errors that blame the same option are not repeated.
void drop_derived_problems(Diagnostics& slot) {
  std::set<std::string, std::less<>> options;
  for (const auto& d : slot) {
    if (d.code == "HS2007" && !d.option.empty()) options.insert(d.option);
  }
  if (options.empty()) return;
  std::erase_if(slot, [&](const Diagnostic& d) { return d.code != "HS2007" && options.contains(d.option); });
}

}  // namespace

Diagnostics validate(const App& app, unsigned jobs) {
  // Each of the app's children (its stacks) is checked as a task of its own, into its own slot;
  // slots are merged in app order, so the diagnostics come in the same order on any machine.
  const auto& children = app.children();
  const unsigned threads = detail::worker_count(jobs, children.size());
  std::vector<Diagnostics> slots(children.size());
  std::unordered_map<std::string_view, const Construct*> stack_ids;
  for (std::size_t i = 0; i < children.size(); ++i) validate_construct(app, *children[i], stack_ids, slots[i]);
  detail::for_each_index(children.size(), threads, [&](std::size_t i) { validate_tree(*children[i], slots[i]); });

  // Duplicate ids make duplicate logical ids too; report the cause only.
  const bool duplicates = std::ranges::any_of(slots, [](const Diagnostics& slot) {
    return std::ranges::any_of(slot, [](const Diagnostic& d) { return d.code == "HS1001"; });
  });
  if (!duplicates) {
    detail::for_each_index(children.size(), threads, [&](std::size_t i) {
      if (const Stack* stack = children[i]->stack(); stack == children[i].get()) {
        stack->validate(slots[i]);
        drop_derived_problems(slots[i]);
        validate_logical_ids(*stack, slots[i]);
        validate_tag_count(*stack, slots[i]);
        validate_policy_writers(*stack, slots[i]);
      }
    });
  }
  Diagnostics out;
  validate_scope_tags(app, out);  // Tags::of(app)
  for (auto& slot : slots) std::move(slot.begin(), slot.end(), std::back_inserter(out));
  return out;
}

}  // namespace hipaa
