// hipaa/lowering.hpp: how a resource turns into target resources, one call per property, with
// both targets' names side by side.
//
//   void Vpc::lower(Lowering& l) const {
//     l.add(*this).properties()
//         .set({"CidrBlock", "cidr_block"}, props().cidr_block);
//   }
//
// A Key names a property in each target; an empty name means the property does not exist there.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hipaa/construct.hpp"
#include "hipaa/diagnostic.hpp"
#include "hipaa/document.hpp"
#include "hipaa/value.hpp"

namespace hipaa {

struct Key {
  std::string_view cloudformation;
  std::string_view terraform;
};

// A resource's own tags (a node's `tags` property): key -> value.
struct Tags : std::map<std::string, Value> {
  using std::map<std::string, Value>::map;
  // Tags on a whole scope: Tags::of(stack).add("team", "records") (see ScopeTags in
  // hipaa/construct.hpp for the precedence).
  [[nodiscard]] static ScopeTags of(Construct& scope) { return ScopeTags(scope); }
};

class Lowering;

// A property object (CloudFormation) or argument body (Terraform) under construction for the
// target being lowered.
class Properties {
 public:
  explicit Properties(Lowering& lowering) : lowering_(&lowering) {}

  // Sets a property; skipped when the target has no such property or the value is null or an
  // empty string (AWS gives an empty string no meaning).
  Properties& set(Key key, const Value& value);
  template <class T>
  Properties& set(Key key, const std::optional<T>& value) {
    if (value) set(key, Value(*value));
    return *this;
  }
  // Sets a nested object (CloudFormation property type, Terraform nested block). Taken by value:
  // a temporary is moved in, not copied.
  Properties& set(Key key, Properties nested);
  // Sets a list of nested objects (repeated Terraform blocks).
  Properties& set(Key key, std::vector<Properties> nested);
  // Sets an already rendered node, for target-specific shapes.
  Properties& set_node(std::string_view key, doc::Node node);
  // Target-only properties.
  Properties& cloudformation(std::string_view key, const Value& value);
  Properties& terraform(std::string_view key, const Value& value);

  [[nodiscard]] bool empty() const;
  [[nodiscard]] const doc::Node& node() const { return node_; }
  [[nodiscard]] doc::Node& node() { return node_; }

 private:
  [[nodiscard]] std::string_view pick(Key key) const;
  Lowering* lowering_;
  doc::Node node_ = doc::Map{};
};

// One resource of the target (a CloudFormation resource or a Terraform resource block).
class TargetResource {
 public:
  // The primary target resource of `owner` when `suffix` is empty, else a secondary one named
  // after the owner plus the suffix.
  TargetResource(Lowering& lowering, ResourceType type, const Resource& owner, std::string_view suffix = {});

  [[nodiscard]] Properties& properties() { return properties_; }
  [[nodiscard]] const Properties& properties() const { return properties_; }
  [[nodiscard]] const ResourceType& type() const { return type_; }
  [[nodiscard]] const std::string& logical_id() const { return logical_id_; }
  [[nodiscard]] const std::string& terraform_name() const { return terraform_name_; }
  [[nodiscard]] const Resource& owner() const { return *owner_; }
  // The primary target resource carries the owner's overrides and removal policy.
  [[nodiscard]] bool is_primary() const { return suffix_.empty(); }
  [[nodiscard]] const std::string& suffix() const { return suffix_; }

  // Merges resource tags with the stack's tags per the type's tagging style, under "Tags" in
  // CloudFormation unless the type names its tags otherwise (a user pool's "UserPoolTags").
  TargetResource& tags(const Tags& tags, std::string_view cloudformation_key = "Tags");
  // Explicit ordering on another resource's primary target resource, or on one of its
  // secondary target resources (`suffix`, as given to Lowering::add).
  TargetResource& depends_on(const Resource& other, std::string_view suffix = {});
  struct Dependency {
    const Resource* resource;
    std::string suffix;
  };
  [[nodiscard]] const std::vector<Dependency>& explicit_dependencies() const { return depends_on_; }
  TargetResource& removal_policy(RemovalPolicy policy);
  // This resource's removal policy, or for the primary one the owner's.
  [[nodiscard]] std::optional<RemovalPolicy> removal() const;
  // A reference to one of this target resource's attributes, rendered for the target being
  // lowered: how a node points one of its target resources at another of its own (the ARN of the
  // role it created). `Ref` when the CloudFormation attribute name is empty.
  [[nodiscard]] doc::Node reference(Attribute attribute) const;
  // Terraform lifecycle, CloudFormation Metadata and similar top-level attributes.
  TargetResource& set_attribute(std::string_view key, doc::Node node);
  [[nodiscard]] const doc::Map& attributes() const { return attributes_; }

 private:
  ResourceType type_;
  std::string suffix_;
  std::string logical_id_;
  std::string terraform_name_;
  const Resource* owner_;
  Properties properties_;
  Lowering* lowering_;
  std::vector<Dependency> depends_on_;
  std::optional<RemovalPolicy> removal_;
  doc::Map attributes_;
};

// A file written beside the main document (a Lambda zip).
struct Asset {
  std::string relative_path;
  std::string contents;
  // The user's file or directory it was made from (lambda::Code::from_directory), "" when the
  // library made it from the tree alone (inline code's zip).
  std::string source = {};  // = {}: positional initializers may leave it out
};

// The per-stack, per-target lowering context handed to Resource::lower.
class Lowering {
 public:
  virtual ~Lowering() = default;

  [[nodiscard]] virtual Target target() const = 0;
  [[nodiscard]] bool is_cloudformation() const { return target() == Target::CloudFormation; }
  [[nodiscard]] bool is_terraform() const { return target() == Target::Terraform; }
  [[nodiscard]] virtual const Stack& stack() const = 0;

  // Adds the primary target resource of `owner` (its node's first declared type in this target),
  // named after its logical id.
  virtual TargetResource& add(const Resource& owner) = 0;
  // Adds a secondary target resource of a type the owner's node declares for this target, named
  // after the owner's logical id plus `suffix`.
  virtual TargetResource& add(const Resource& owner, std::string_view type_name, std::string_view suffix) = 0;
  // Adds a Terraform data source (or ephemeral resource when `ephemeral`) and returns the
  // expression prefix that refers to it ("data.aws_region.current").
  virtual std::string add_terraform_data(std::string_view type, std::string_view name, Properties body,
                                         bool ephemeral = false) = 0;

  // Renders a neutral value for this target.
  [[nodiscard]] virtual doc::Node render(const Value& value) = 0;
  // A Terraform expression (without "${ }") for a value, to build target-specific expressions.
  [[nodiscard]] virtual std::string terraform_expression(const Value& value) = 0;

  // The resource of this stack that writes `target`'s resource policy (Resource::writes_policy_of),
  // or nullptr when `target` writes its own.
  [[nodiscard]] virtual const Resource* policy_writer(const Resource& target) const = 0;

  virtual void add_asset(Asset asset) = 0;
  virtual void report(Diagnostic diagnostic) = 0;

  [[nodiscard]] Properties object() { return Properties(*this); }

  // Whether the stack's tags (StackProps::tags) go on each taggable resource: always in
  // CloudFormation; in Terraform only when some scope removes one of them for part of the stack
  // (Tags::of(x).remove), since the provider's default_tags cannot be taken off one resource.
  [[nodiscard]] bool stack_tags_on_each_resource();

 private:
  std::optional<bool> stack_tags_on_each_resource_;  // computed once per stack and target
};

// Terraform block labels: "PatientDatabase" -> "patient_database".
[[nodiscard]] std::string snake_case(std::string_view pascal_case);

// Ids from words: every run of letters and digits starts with an upper-case letter and the rest
// is dropped ("ecr.api" -> "EcrApi"). WordCase::Lower also lowers the rest of each word, for words
// written in capitals ("GET /patients/{id}" -> "GetPatientsId").
enum class WordCase { Keep, Lower };
[[nodiscard]] std::string pascal_case(std::string_view words, WordCase rest = WordCase::Keep);

}  // namespace hipaa
