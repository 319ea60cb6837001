// CloudFormation: values render as intrinsic functions; the template is assembled in the
// documented key order (see docs/architecture.md): AWSTemplateFormatVersion, Description,
// Parameters, Resources (stack order), Outputs.
#include <algorithm>
#include <array>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "hipaa/rules.hpp"
#include "stack_lowering.hpp"

namespace hipaa::detail {
namespace {

std::string_view pseudo_name(Pseudo p) {
  switch (p) {
    case Pseudo::Region: return "AWS::Region";
    case Pseudo::AccountId: return "AWS::AccountId";
    case Pseudo::Partition: return "AWS::Partition";
    case Pseudo::UrlSuffix: return "AWS::URLSuffix";
  }
  return "AWS::Region";
}

// Literal text inside Fn::Sub: "${" would start a variable, "${!" is the escape.
void append_sub_literal(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      out += "{!";
      ++i;
    }
  }
}

class CloudFormationLowering final : public StackLowering {
 public:
  using StackLowering::StackLowering;

  doc::Node assemble() override;

  [[nodiscard]] Target target() const override { return Target::CloudFormation; }

  std::string add_terraform_data(std::string_view, std::string_view, Properties, bool) override {
    return {};  // CloudFormation has no data sources; callers branch on the target first
  }

  std::string terraform_expression(const Value&) override { return {}; }

  doc::Node render(const Value& value) override {
    return std::visit([&](const auto& v) { return render_one(v); }, value.storage());
  }

 private:
  static doc::Node render_one(std::monostate) { return {}; }
  static doc::Node render_one(bool b) { return b; }
  static doc::Node render_one(std::int64_t i) { return i; }
  static doc::Node render_one(double d) { return d; }
  static doc::Node render_one(const std::string& s) { return s; }
  doc::Node render_one(const ValueList& list) {
    doc::List out;
    out.reserve(list.size());
    for (const auto& item : list) out.push_back(render(item));
    return out;
  }
  doc::Node render_one(const ValueMap& map) {
    doc::Map out;
    out.reserve(map.size());
    for (const auto& entry : map) out.push_back({entry.key, render(entry.value)});
    return out;
  }
  doc::Node render_one(const AttributeRef& ref) {
    if (note_reference(ref) == ReferenceKind::CrossStack) return doc::intrinsic("Fn::ImportValue", export_name(ref));
    if (ref.attribute.cloudformation.empty()) return doc::intrinsic("Ref", ref.target->logical_id());
    return doc::intrinsic("Fn::GetAtt", doc::List{ref.target->logical_id(), std::string(ref.attribute.cloudformation)});
  }
  static doc::Node render_one(const ParameterRef& p) { return doc::intrinsic("Ref", p.name); }
  static doc::Node render_one(const PseudoRef& p) { return doc::intrinsic("Ref", pseudo_name(p.which)); }
  static doc::Node render_one(const AvailabilityZones&) { return doc::intrinsic("Fn::GetAZs", ""); }
  doc::Node render_one(const Join& j) {
    doc::List parts;
    for (const auto& part : j.parts) parts.push_back(render(part));
    return doc::intrinsic("Fn::Join", doc::List{j.separator, std::move(parts)});
  }
  doc::Node render_one(const FunctionCall& f) {
    return terraform_only(fmt::format("the Terraform function call {}(...)", f.name));
  }
  doc::Node render_one(const TerraformReference& r) {
    return terraform_only(fmt::format("the Terraform address {}", r.address));
  }
  doc::Node terraform_only(const std::string& what) {
    report(at(rendering_site(), "HS3013", what + " has no CloudFormation form",
              "give CloudFormation its own value, e.g. with add_override(Target::CloudFormation, ...)"));
    return {};
  }
  doc::Node render_one(const Select& s) {
    if (s.list->get_if<AvailabilityZones>() != nullptr) note_zone_selected(s.index);
    return doc::intrinsic("Fn::Select", doc::List{static_cast<std::int64_t>(s.index), render(*s.list)});
  }
  doc::Node render_one(const Interpolation& interpolation) {
    // Simple parts become ${Name} / ${Name.Attr}; anything else a named variable of Fn::Sub.
    std::string text;
    doc::Node variables = doc::Map{};
    bool dynamic = false;
    int next_variable = 0;
    for (const auto& part : interpolation.parts) {
      const auto& s = part.storage();
      if (const auto* str = std::get_if<std::string>(&s)) {
        append_sub_literal(text, *str);
      } else if (const auto* i = std::get_if<std::int64_t>(&s)) {
        text += std::to_string(*i);
      } else if (const auto* ref = std::get_if<AttributeRef>(&s); ref != nullptr && ref->target->stack() == &stack()) {
        note_reference(*ref);
        text += "${" + ref->target->logical_id();
        if (!ref->attribute.cloudformation.empty()) {
          text += ".";
          text += ref->attribute.cloudformation;
        }
        text += "}";
        dynamic = true;
      } else if (const auto* p = std::get_if<ParameterRef>(&s)) {
        text += "${" + p->name + "}";
        dynamic = true;
      } else if (const auto* pseudo = std::get_if<PseudoRef>(&s)) {
        text += "${";
        text += pseudo_name(pseudo->which);
        text += "}";
        dynamic = true;
      } else {
        const std::string name = "Part" + std::to_string(next_variable++);
        variables.set(name, render(part));
        text += "${" + name + "}";
        dynamic = true;
      }
    }
    if (!dynamic) {
      // Nothing to substitute: the text is the literal again, without escapes.
      std::string literal;
      for (const auto& part : interpolation.parts) {
        if (const auto* str = part.get_if<std::string>()) literal += *str;
        if (const auto* i = part.get_if<std::int64_t>()) literal += std::to_string(*i);
      }
      return literal;
    }
    if (variables.get_if<doc::Map>()->empty()) return doc::intrinsic("Fn::Sub", text);
    return doc::intrinsic("Fn::Sub", doc::List{text, std::move(variables)});
  }
};

std::string_view policy_name(RemovalPolicy p) {
  switch (p) {
    case RemovalPolicy::Delete: return "Delete";
    case RemovalPolicy::Retain: return "Retain";
    case RemovalPolicy::Snapshot: return "Snapshot";
  }
  return "Delete";
}

// A `Parameters` entry for a stack parameter.
doc::Node parameter_block(const Parameter& p) {
  doc::Node param = doc::Map{};
  param.set("Type", "String");
  if (!p.description.empty()) param.set("Description", p.description);
  param.set("Default", p.default_value);
  if (!p.allowed_pattern.empty()) param.set("AllowedPattern", p.allowed_pattern);
  if (p.min_length > 0) param.set("MinLength", static_cast<std::int64_t>(p.min_length));
  if (p.max_length > 0) param.set("MaxLength", static_cast<std::int64_t>(p.max_length));
  if (!p.constraint_description.empty()) param.set("ConstraintDescription", p.constraint_description);
  return param;
}

// The rule ids of cdk-nag's packs ("HIPAA.Security-RDSInBackupPlan", "AwsSolutions-S1").
bool is_cdk_nag_rule(std::string_view id) {
  constexpr std::array<std::string_view, 6> kPacks = {"HIPAA.Security-", "AwsSolutions-", "NIST.800.53.R4-",
                                                      "NIST.800.53.R5-", "PCI.DSS.321-",  "Serverless-"};
  return std::ranges::any_of(kPacks, [&](std::string_view pack) { return id.starts_with(pack); });
}

// The cdk-nag rules a suppression silences: those one of our rules covers, or the cdk-nag rule
// itself.
std::vector<std::string> cdk_nag_ids(const std::string& rule_id) {
  std::vector<std::string> out;
  if (is_cdk_nag_rule(rule_id)) {
    out.push_back(rule_id);
  } else if (const rules::Rule* rule = rules::find_rule(rule_id)) {
    for (std::string_view id : rules::cdk_nag_ids(*rule)) out.push_back("HIPAA.Security-" + std::string(id));
  }
  return out;
}

// The cdk-nag rules a node acknowledged in its own Metadata.cdk_nag.rules_to_suppress.
void acknowledged_cdk_nag_rules(const doc::Node& body, doc::List& entries, std::vector<std::string>& ids) {
  const doc::Node* metadata = body.find("Metadata");
  const doc::Node* nag = metadata != nullptr ? metadata->find("cdk_nag") : nullptr;
  const doc::Node* listed = nag != nullptr ? nag->find("rules_to_suppress") : nullptr;
  const auto* list = listed != nullptr ? listed->get_if<doc::List>() : nullptr;
  if (list == nullptr) return;
  for (const auto& entry : *list) {
    const doc::Node* id = entry.find("id");
    if (const auto* text = id != nullptr ? id->get_if<std::string>() : nullptr) {
      entries.push_back(entry);
      ids.push_back(*text);
    }
  }
}

// A `Resources` entry: type, dependencies, policies, attributes, metadata, properties, overrides.
doc::Node resource_body(CloudFormationLowering& lowering, TargetResource& r) {
  doc::Node body = doc::Map{};
  body.set("Type", std::string(r.type().cloudformation));
  if (!r.explicit_dependencies().empty()) {
    doc::List depends;
    for (const auto& d : r.explicit_dependencies()) {
      const TargetResource* target = lowering.find(*d.resource, d.suffix);
      depends.emplace_back(target != nullptr ? target->logical_id() : d.resource->logical_id() + d.suffix);
    }
    if (depends.size() == 1) {
      body.set("DependsOn", depends.front());
    } else {
      body.set("DependsOn", std::move(depends));
    }
  }
  if (const auto removal = r.removal()) {
    body.set("DeletionPolicy", std::string(policy_name(*removal)));
    body.set("UpdateReplacePolicy", std::string(policy_name(*removal)));
  }
  for (const auto& attribute : r.attributes()) body.set(attribute.key, attribute.value);
  // Suppressed compliance rules are recorded where reviewers and other tools look: our own under
  // Metadata.hipaa-synth, and in cdk-nag's format (Metadata.cdk_nag.rules_to_suppress) the cdk-nag
  // rules they cover and the cdk-nag rules suppressed by their own id, so that cdk-nag users see
  // and honour them.
  if (const auto suppressions = r.owner().effective_suppressions(); !suppressions.empty()) {
    doc::List ours;
    doc::List nag;
    std::vector<std::string> nag_ids;
    // A node may have acknowledged a cdk-nag rule itself (ec2::Vpc: the default security group's
    // closure, which cdk-nag cannot see); those entries stay first.
    acknowledged_cdk_nag_rules(body, nag, nag_ids);
    for (const auto& s : suppressions) {
      if (!is_cdk_nag_rule(s.rule_id)) ours.push_back(doc::Map{{"rule", s.rule_id}, {"reason", s.reason}});
      for (auto& id : cdk_nag_ids(s.rule_id)) {
        if (std::find(nag_ids.begin(), nag_ids.end(), id) != nag_ids.end()) continue;
        nag.push_back(doc::Map{{"id", id}, {"reason", s.reason}});
        nag_ids.push_back(std::move(id));
      }
    }
    if (!ours.empty()) body.at_path("Metadata.hipaa-synth").set("suppressions", std::move(ours));
    if (!nag.empty()) body.at_path("Metadata.cdk_nag").set("rules_to_suppress", std::move(nag));
  }
  if (!r.properties().empty()) body.set("Properties", std::move(r.properties().node()));
  // Overrides apply to the primary target resource only.
  if (r.is_primary()) lowering.apply_overrides(r.owner(), body);
  return body;
}

}  // namespace

doc::Node CloudFormationLowering::assemble() {
  const Stack& stack = this->stack();
  CloudFormationLowering& lowering = *this;

  doc::Node tmpl = doc::Map{};
  tmpl.set("AWSTemplateFormatVersion", "2010-09-09");
  if (!stack.props().description.empty()) tmpl.set("Description", stack.props().description);

  if (!stack.parameters().empty()) {
    doc::Node& parameters = tmpl.set("Parameters", doc::Map{});
    for (const auto& p : stack.parameters()) {
      parameters.set(p.name, parameter_block(p));
    }
  }

  doc::Node resources = doc::Map{};
  auto& resource_list = std::get<doc::Map>(resources.value);
  for (auto& r : lowering.target_resources_to_assemble()) {
    resource_list.push_back({r.logical_id(), resource_body(lowering, r)});
  }
  tmpl.set("Resources", std::move(resources));

  if (!stack.outputs().empty() || !exports().empty()) {
    doc::Node& outputs = tmpl.set("Outputs", doc::Map{});
    for (const auto& o : stack.outputs()) {
      doc::Node out = doc::Map{};
      if (!o.description.empty()) out.set("Description", o.description);
      out.set("Value", lowering.render(o.value));
      if (o.export_name) out.set("Export", doc::Map{{"Name", lowering.render(*o.export_name)}});
      outputs.set(o.name, std::move(out));
    }
    // Values other stacks import.
    for (const auto& e : exports()) {
      doc::Node out = doc::Map{};
      out.set("Description", "Imported by other stacks of the app");
      out.set("Value", lowering.render(Value(e)));
      out.set("Export", doc::Map{{"Name", export_name(e)}});
      outputs.set(export_output_id(e), std::move(out));
    }
  }

  return tmpl;
}

std::unique_ptr<StackLowering> cloudformation_lowering(const Stack& stack) {
  return std::make_unique<CloudFormationLowering>(stack);
}

}  // namespace hipaa::detail
