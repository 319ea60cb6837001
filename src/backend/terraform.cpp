// Terraform JSON: every string is a template, so literals are escaped and references become
// "${type.name.attribute}". Pseudo parameters and availability zones become data sources, added
// only when used. Document order: terraform, provider, variable, data, ephemeral, resource,
// output; within resource and data, types in first-use order, then blocks in stack order.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "stack_lowering.hpp"

namespace hipaa::detail {
namespace {

// Provider pin: valid for aws 5.100 (the version CI validates against) and 6.x.
constexpr std::string_view kAwsProviderConstraint = ">= 5.100, < 7.0";
// Write-only arguments (secrets that never reach state) need Terraform 1.11.
constexpr std::string_view kTerraformVersionConstraint = ">= 1.11";

// "${" and "%{" start template sequences in Terraform strings; "$${" and "%%{" are literal.
std::string escape_template(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if ((text[i] == '$' || text[i] == '%') && i + 1 < text.size() && text[i + 1] == '{') {
      out += text[i];
    }
  }
  return out;
}

// Where a stack's state is: ("s3", its settings) with a bucket, else ("local", ...). `reader` is
// the config another stack's terraform_remote_state uses: for local state, the path from that
// stack's directory (DIR/<Stack>/) to this one's; the backend itself never names more than it must.
std::pair<std::string, doc::Node> state_backend(const Stack& stack, bool reader) {
  const TerraformBackend& b = stack.props().terraform_backend;
  if (b.bucket.empty()) {
    return {"local", doc::Map{{"path", reader ? "../" + stack.id() + "/terraform.tfstate" : "terraform.tfstate"}}};
  }
  doc::Node config = doc::Map{{"bucket", b.bucket},
                              {"key", b.key.empty() ? stack.id() + ".tfstate" : b.key},
                              {"region", b.region.empty() ? stack.props().region : b.region}};
  if (!reader) {
    config.set("encrypt", true);
    if (!b.kms_key_id.empty()) config.set("kms_key_id", b.kms_key_id);
    config.set("use_lockfile", true);
  }
  return {"s3", std::move(config)};
}

// An HCL quoted string literal.
std::string hcl_string(std::string_view text) {
  std::string out = "\"";
  for (char c : escape_template(text)) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

struct DataSource {
  std::string type;
  std::string name;
  doc::Node body;
  bool ephemeral = false;
};

class TerraformLowering final : public StackLowering {
 public:
  using StackLowering::StackLowering;

  doc::Node assemble() override;

  [[nodiscard]] Target target() const override { return Target::Terraform; }

  std::string add_terraform_data(std::string_view type, std::string_view name, Properties body,
                                 bool ephemeral) override {
    std::string prefix = fmt::format("{}{}.{}", ephemeral ? "ephemeral." : "data.", type, name);
    for (const auto& d : data_) {
      if (d.type == type && d.name == name && d.ephemeral == ephemeral) return prefix;
    }
    data_.push_back({std::string(type), std::string(name), std::move(body.node()), ephemeral});
    return prefix;
  }

  doc::Node render(const Value& value) override {
    const auto& s = value.storage();
    if (const auto* str = std::get_if<std::string>(&s)) return escape_template(*str);
    if (const auto* list = std::get_if<ValueList>(&s)) {
      doc::List out;
      out.reserve(list->size());
      for (const auto& item : *list) out.push_back(render(item));
      return out;
    }
    if (const auto* map = std::get_if<ValueMap>(&s)) {
      doc::Map out;
      out.reserve(map->size());
      for (const auto& entry : *map) out.push_back({entry.key, render(entry.value)});
      return out;
    }
    if (const auto* interpolation = std::get_if<Interpolation>(&s)) return template_string(*interpolation);
    if (std::holds_alternative<std::monostate>(s)) return {};
    if (const auto* b = std::get_if<bool>(&s)) return *b;
    if (const auto* i = std::get_if<std::int64_t>(&s)) return *i;
    if (const auto* d = std::get_if<double>(&s)) return *d;
    return "${" + terraform_expression(value) + "}";
  }

  std::string terraform_expression(const Value& value) override {
    return std::visit([&](const auto& v) { return expression(v); }, value.storage());
  }

  // For assemble(), which moves the bodies into the document. element() wraps around, so in a
  // region with fewer zones than the stack selects, two subnets would silently share a zone: the
  // zones data source fails the plan instead. (CloudFormation's Fn::Select fails at deploy.)
  [[nodiscard]] std::vector<DataSource>& data_sources() {
    for (auto& d : data_) {
      if (d.type != "aws_availability_zones" || zones_needed() < 2) continue;
      d.body.set("lifecycle",
                 doc::Map{{"postcondition",
                           doc::Map{{"condition", fmt::format("${{length(self.names) >= {}}}", zones_needed())},
                                    {"error_message", fmt::format("The stack places subnets in {} availability zones; "
                                                                  "this region has fewer available.",
                                                                  zones_needed())}}}});
    }
    return data_;
  }

 private:
  std::string template_string(const Interpolation& interpolation) {
    std::string out;
    for (const auto& part : interpolation.parts) {
      if (const auto* str = part.get_if<std::string>()) {
        out += escape_template(*str);
      } else if (const auto* i = part.get_if<std::int64_t>()) {
        out += std::to_string(*i);
      } else {
        out += "${" + terraform_expression(part) + "}";
      }
    }
    return out;
  }

  std::string data_source(std::string_view type, std::string_view name, doc::Node body = doc::Map{}) {
    Properties properties(*this);
    properties.node() = std::move(body);
    return add_terraform_data(type, name, std::move(properties), false);
  }

  static std::string expression(std::monostate) { return "null"; }
  static std::string expression(bool b) { return b ? "true" : "false"; }
  static std::string expression(std::int64_t i) { return std::to_string(i); }
  static std::string expression(double d) { return fmt::format("{}", d); }
  static std::string expression(const std::string& s) { return hcl_string(s); }
  std::string expression(const ValueList& list) {
    std::string out = "[";
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i > 0) out += ", ";
      out += terraform_expression(list[i]);
    }
    return out + "]";
  }
  std::string expression(const ValueMap& map) {
    std::string out = "{";
    for (std::size_t i = 0; i < map.size(); ++i) {
      if (i > 0) out += ", ";
      out += hcl_string(map[i].key) + " = " + terraform_expression(map[i].value);
    }
    return out + "}";
  }
  std::string expression(const AttributeRef& ref) {
    const ReferenceKind kind = note_reference(ref);
    if (kind == ReferenceKind::CrossStack) {
      // The producer's state, read through its S3 backend; the value is one of its outputs.
      const Stack& producer = *ref.target->stack();
      auto [backend, config] = state_backend(producer, true);
      const std::string state = data_source("terraform_remote_state", snake_case(producer.id()),
                                            doc::Map{{"backend", backend}, {"config", std::move(config)}});
      return state + ".outputs." + snake_case(export_output_id(ref));
    }
    if (ref.attribute.terraform.empty()) {
      report(at(*ref.target, "HS3004", "this attribute has no Terraform equivalent"));
      return "null";
    }
    return fmt::format("{}.{}.{}", ref.target->type().terraform, ref.target->terraform_name(), ref.attribute.terraform);
  }
  static std::string expression(const ParameterRef& p) { return "var." + snake_case(p.name); }
  std::string expression(const PseudoRef& p) {
    switch (p.which) {
      case Pseudo::Region: return data_source("aws_region", "current") + ".name";
      case Pseudo::AccountId: return data_source("aws_caller_identity", "current") + ".account_id";
      case Pseudo::Partition: return data_source("aws_partition", "current") + ".partition";
      case Pseudo::UrlSuffix: return data_source("aws_partition", "current") + ".dns_suffix";
    }
    return "null";
  }
  std::string expression(const AvailabilityZones&) {
    return data_source("aws_availability_zones", "available", doc::Map{{"state", "available"}}) + ".names";
  }
  std::string expression(const Join& j) {
    std::string out = "join(" + hcl_string(j.separator) + ", [";
    for (std::size_t i = 0; i < j.parts.size(); ++i) {
      if (i > 0) out += ", ";
      out += terraform_expression(j.parts[i]);
    }
    return out + "])";
  }
  std::string expression(const FunctionCall& f) {
    if (!is_function_name(f.name)) {
      report(at(rendering_site(), "HS3013",
                fmt::format("'{}' is not a Terraform function name (a lower-case name, or provider::NAMESPACE::NAME)",
                            f.name),
                "name a function of the Terraform language: jsonencode, sha1, merge, ..."));
      return "null";
    }
    std::string out = f.name + "(";
    for (std::size_t i = 0; i < f.args.size(); ++i) {
      if (i > 0) out += ", ";
      out += terraform_expression(f.args[i]);
    }
    return out + ")";
  }
  std::string expression(const TerraformReference& r) {
    if (!is_address(r.address)) {
      report(at(rendering_site(), "HS3013", fmt::format("'{}' is not a Terraform address", r.address),
                "refer to a data source or ephemeral resource as add_terraform_data names it"));
      return "null";
    }
    return r.address;
  }
  // jsonencode, provider::aws::arn_parse
  static bool is_function_name(std::string_view name) {
    for (std::string_view part = name;;) {
      const auto colons = part.find("::");
      if (!is_identifier(part.substr(0, colons), false)) return false;
      if (colons == std::string_view::npos) return true;
      part.remove_prefix(colons + 2);
    }
  }
  // data.aws_region.current.name, ephemeral.x.y.random_password, data.x.y.list.0
  static bool is_address(std::string_view address) {
    for (std::string_view part = address;;) {
      const auto dot = part.find('.');
      const std::string_view segment = part.substr(0, dot);
      const bool index = !segment.empty() && std::ranges::all_of(segment, [](char c) { return c >= '0' && c <= '9'; });
      if (!index && !is_identifier(segment, true)) return false;
      if (dot == std::string_view::npos) return true;
      part.remove_prefix(dot + 1);
    }
  }
  static bool is_identifier(std::string_view s, bool allow_upper_and_dash) {
    if (s.empty() || !((s.front() >= 'a' && s.front() <= 'z') || s.front() == '_' ||
                       (allow_upper_and_dash && s.front() >= 'A' && s.front() <= 'Z'))) {
      return false;
    }
    return std::ranges::all_of(s, [&](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
             (allow_upper_and_dash && ((c >= 'A' && c <= 'Z') || c == '-'));
    });
  }
  std::string expression(const Select& s) {
    if (s.list->get_if<AvailabilityZones>() != nullptr) note_zone_selected(s.index);
    return fmt::format("element({}, {})", terraform_expression(*s.list), s.index);
  }
  std::string expression(const Interpolation& interpolation) {
    // A template string as an HCL expression: the quoted form of the JSON template string.
    std::string out = "\"";
    for (char c : template_string(interpolation)) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out + "\"";
  }

  std::vector<DataSource> data_;
};

// Appends `body` under block[type][name], keeping types in first-use order.
void add_block(doc::Node& section, std::string_view type, std::string_view name, doc::Node body) {
  doc::Node* of_type = section.find(type);
  if (of_type == nullptr) of_type = &section.set(type, doc::Map{});
  std::get<doc::Map>(of_type->value).push_back({std::string(name), std::move(body)});
}

// A stack parameter's constraints as one Terraform condition: the same lengths and pattern the
// CloudFormation parameter states (MinLength, MaxLength, AllowedPattern); empty when it has none.
std::string variable_condition(const Parameter& p) {
  const std::string var = "var." + snake_case(p.name);
  std::string condition;
  const auto add = [&](const std::string& test) { condition += (condition.empty() ? "" : " && ") + test; };
  if (p.min_length > 0) add(fmt::format("length({}) >= {}", var, p.min_length));
  if (p.max_length > 0) add(fmt::format("length({}) <= {}", var, p.max_length));
  if (!p.allowed_pattern.empty())
    add(fmt::format("can(regex({}, {}))", hcl_string("^(?:" + p.allowed_pattern + ")$"), var));
  return condition;
}

// A `variable` block for a stack parameter, with its constraints as a validation.
doc::Node variable_block(const Parameter& p) {
  doc::Node v = doc::Map{};
  v.set("type", "string");
  if (!p.description.empty()) v.set("description", escape_template(p.description));
  v.set("default", escape_template(p.default_value));
  if (const std::string condition = variable_condition(p); !condition.empty()) {
    const std::string name = snake_case(p.name);
    v.set("validation", doc::Map{{"condition", "${" + condition + "}"},
                                 {"error_message",
                                  escape_template(p.constraint_description.empty() ? "Invalid value for " + name + "."
                                                                                   : p.constraint_description)}});
  }
  return v;
}

// The `depends_on` list of a resource's explicit dependencies, as "type.name" addresses.
doc::List depends_on(const TargetResource& r, const StackLowering& lowering) {
  doc::List depends;
  for (const auto& d : r.explicit_dependencies()) {
    if (const TargetResource* target = lowering.find(*d.resource, d.suffix)) {
      depends.emplace_back(fmt::format("{}.{}", target->type().terraform, target->terraform_name()));
    }
  }
  return depends;
}

// A resource block's body: properties, suppressions, dependencies, attributes, lifecycle, overrides.
doc::Node resource_body(TerraformLowering& lowering, TargetResource& r) {
  doc::Node body = std::move(r.properties().node());
  // Terraform JSON ignores "//" keys: suppressed compliance rules are recorded there.
  if (const auto suppressions = r.owner().effective_suppressions(); !suppressions.empty()) {
    std::string comment = "hipaa-synth suppressions:";
    for (const auto& s : suppressions) comment += fmt::format(" {} ({});", s.rule_id, s.reason);
    comment.pop_back();
    auto& entries = std::get<doc::Map>(body.value);
    entries.insert(entries.begin(), doc::Entry{"//", escape_template(comment)});
  }
  if (!r.explicit_dependencies().empty()) body.set("depends_on", depends_on(r, lowering));
  for (const auto& attribute : r.attributes()) body.set(attribute.key, attribute.value);
  if (r.removal() == RemovalPolicy::Retain) body.at_path("lifecycle.prevent_destroy") = true;
  if (r.is_primary()) lowering.apply_overrides(r.owner(), body);
  return body;
}

}  // namespace

doc::Node TerraformLowering::assemble() {
  const Stack& stack = this->stack();
  TerraformLowering& lowering = *this;

  const auto& props = stack.props();
  doc::Node root = doc::Map{};

  doc::Node& terraform = root.set("terraform", doc::Map{});
  terraform.set("required_version", std::string(kTerraformVersionConstraint));
  terraform.set(
      "required_providers",
      doc::Map{{"aws", doc::Map{{"source", "hashicorp/aws"}, {"version", std::string(kAwsProviderConstraint)}}}});
  auto [backend, config] = state_backend(stack, false);
  terraform.set("backend", doc::Map{{backend, std::move(config)}});

  doc::Node aws = doc::Map{};
  aws.set("region", props.region);
  // A stack whose tags some scope removes for part of it puts them on each resource instead
  // (TargetResource::tags): a default tag cannot be taken off one resource.
  if (!props.tags.empty() && !lowering.stack_tags_on_each_resource()) {
    doc::Node tags = doc::Map{};
    for (const auto& [k, v] : props.tags) tags.set(k, escape_template(v));
    aws.set("default_tags", doc::Map{{"tags", std::move(tags)}});
  }
  root.set("provider", doc::Map{{"aws", std::move(aws)}});

  if (!stack.parameters().empty()) {
    doc::Node& variables = root.set("variable", doc::Map{});
    for (const auto& p : stack.parameters()) {
      variables.set(snake_case(p.name), variable_block(p));
    }
  }

  doc::Node resources = doc::Map{};
  for (auto& r : lowering.target_resources_to_assemble()) {
    add_block(resources, r.type().terraform, r.terraform_name(), resource_body(lowering, r));
  }

  doc::Node outputs = doc::Map{};
  for (const auto& o : stack.outputs()) {
    doc::Node out = doc::Map{};
    if (!o.description.empty()) out.set("description", escape_template(o.description));
    out.set("value", lowering.render(o.value));
    outputs.set(snake_case(o.name), std::move(out));
  }
  // Values other stacks read through terraform_remote_state.
  for (const auto& e : exports()) {
    outputs.set(snake_case(export_output_id(e)),
                doc::Map{{"description", "Read by other stacks of the app"}, {"value", lowering.render(Value(e))}});
  }

  // Data sources are known only after everything else is rendered.
  doc::Node data = doc::Map{};
  doc::Node ephemeral = doc::Map{};
  for (auto& d : lowering.data_sources()) {
    add_block(d.ephemeral ? ephemeral : data, d.type, d.name, std::move(d.body));
  }
  if (!data.get_if<doc::Map>()->empty()) root.set("data", std::move(data));
  if (!ephemeral.get_if<doc::Map>()->empty()) root.set("ephemeral", std::move(ephemeral));
  root.set("resource", std::move(resources));
  if (!outputs.get_if<doc::Map>()->empty()) root.set("output", std::move(outputs));

  return root;
}

std::unique_ptr<StackLowering> terraform_lowering(const Stack& stack) {
  return std::make_unique<TerraformLowering>(stack);
}

}  // namespace hipaa::detail
