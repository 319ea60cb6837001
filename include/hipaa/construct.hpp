// hipaa/construct.hpp: the construct tree: App > Stack > constructs > resources.
//
// Every construct has an id unique among its siblings and a path ("Stack/Database/Cluster").
// Resources are the leaves that lower to target resources; other constructs only group them.
//
//   App app;
//   Stack& stack = app.add_stack("Network", {.region = "us-east-1"});
//   auto& vpc = stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "hipaa/source_location.hpp"

#include "hipaa/diagnostic.hpp"
#include "hipaa/value.hpp"

namespace hipaa {

class Stack;
class App;
class Lowering;
class Construct;
class ScopeTags;
struct NodeInfo;
enum class Target { CloudFormation, Terraform };

namespace detail {

// How `add<T>()` hands a typed node (hipaa/node.hpp) its scope, id, properties and the caller's
// line without the node declaring a constructor: add<T>() sets up a frame on this thread, and the
// Node base takes it. Creating a node any other way is a programming error, reported by take().
class NodeConstruction {
 public:
  struct Frame {
    Construct* scope;
    std::string id;
    void* props;  // the T::Props given to add<T>()
    SourceLocation where;
  };
  NodeConstruction(Construct& scope, std::string id, void* props, SourceLocation where);
  ~NodeConstruction();
  NodeConstruction(const NodeConstruction&) = delete;
  NodeConstruction& operator=(const NodeConstruction&) = delete;
  // The frame of the add<>() under way on this thread; throws std::logic_error naming the node
  // when there is none (a node constructed directly rather than through scope.add<T>()).
  [[nodiscard]] static Frame take(std::string_view node_name);

 private:
  Frame frame_;
};

}  // namespace detail

class Construct {
 public:
  Construct(const Construct&) = delete;
  Construct& operator=(const Construct&) = delete;
  virtual ~Construct();

  [[nodiscard]] const std::string& id() const { return id_; }
  // Ids from the stack down, joined by '/'; includes the stack's own id.
  [[nodiscard]] std::string path() const;
  [[nodiscard]] const Construct* scope() const { return scope_; }
  [[nodiscard]] const std::vector<std::unique_ptr<Construct>>& children() const { return children_; }
  // The line of the user's program that created this construct. A construct that library code
  // created (inside a composite construct such as AuditTrail or HealthcareStack) takes the line
  // that created its scope: the user's line that added the composite.
  [[nodiscard]] const SourceLocation& created_at() const { return created_at_; }
  // Where the value behind a problem with this construct was set: a finding of rule `code`, or a
  // diagnostic with that code. The line that created it (created_at), unless an enclosing
  // construct knows better: a HealthcareStack names the option and, when built from a config
  // file, the file and the line of the key. Never a path inside the library.
  [[nodiscard]] Origin origin(std::string_view code = {}) const;
  // The stack this construct belongs to (itself for a stack), and the app at the root.
  [[nodiscard]] const Stack* stack() const { return stack_; }
  [[nodiscard]] const App* app() const { return app_; }
  // This construct as a resource, or nullptr: lets passes find resources without RTTI.
  [[nodiscard]] virtual const Resource* as_resource() const { return nullptr; }

  // Adds a child construct of type T, built from its typed properties: a typed node
  // (hipaa/node.hpp), or a composite construct whose constructor takes
  // (Construct& scope, std::string id, typename T::Props, SourceLocation where).
  template <class T>
  T& add(std::string id, typename T::Props props = {}, SourceLocation where = SourceLocation::current()) {
    if constexpr (std::is_constructible_v<T, Construct&, std::string, typename T::Props, SourceLocation>) {
      return adopt(std::make_unique<T>(*this, std::move(id), std::move(props), where));
    } else {
      const detail::NodeConstruction frame(*this, std::move(id), &props, where);
      return adopt(std::make_unique<T>());
    }
  }

  // A plain grouping construct, for organising a tree ("Database", "Api", ...).
  Construct& add_group(std::string id, SourceLocation where = SourceLocation::current());

  // Suppresses a compliance rule on this construct and everything below it. The reason is
  // required: it is listed in reports and recorded in the synthesized output.
  void suppress(std::string rule_id, std::string reason) {
    suppressions_.push_back({std::move(rule_id), std::move(reason)});
  }
  struct Suppression {
    std::string rule_id;
    std::string reason;
  };
  [[nodiscard]] const std::vector<Suppression>& suppressions() const { return suppressions_; }
  // This construct's suppressions and its ancestors', nearest first.
  [[nodiscard]] std::vector<Suppression> effective_suppressions() const;
  // The suppression of `rule_id` that applies here, if any.
  [[nodiscard]] const Suppression* find_suppression(std::string_view rule_id) const;

  // An error found while the tree is built, by a helper that refused a call (a connection for a
  // node without a security group): reported when the tree is validated, at `where`, so building
  // never throws and synthesis refuses with the message (the CDK's Annotations.of(x).addError).
  void add_error(std::string code, std::string message, std::string hint = {},
                 SourceLocation where = SourceLocation::current()) {
    build_errors_.push_back({std::move(code), std::move(message), std::move(hint), where});
  }
  struct BuildError {
    std::string code;
    std::string message;
    std::string hint;
    SourceLocation where;
  };
  [[nodiscard]] const std::vector<BuildError>& build_errors() const { return build_errors_; }

  // The tags set on this scope through Tags::of(scope) (hipaa/lowering.hpp): key -> value, or
  // nullopt for a key removed here. Applied at synthesis to every taggable resource below.
  [[nodiscard]] const std::map<std::string, std::optional<std::string>, std::less<>>& scope_tags() const {
    return scope_tags_;
  }

 protected:
  Construct(Construct* scope, std::string id, SourceLocation where);

  // Lets a construct say where the problems of `node` (itself or a construct below it) come from;
  // origin() asks the node first, then each enclosing construct. nullopt: no better answer than
  // the line that created the node. Called for findings and diagnostics only, possibly from
  // several threads (one per stack).
  [[nodiscard]] virtual std::optional<Origin> origin_of(const Construct& node, std::string_view code) const;

  // The scope, for a node's helpers that build beside it (RestApi::add_method adds the method
  // where the API is); nullptr for the app.
  [[nodiscard]] Construct* enclosing_scope() { return scope_; }

  template <class T>
  T& adopt(std::unique_ptr<T> child) {
    T& ref = *child;
    children_.push_back(std::move(child));
    return ref;
  }

 private:
  Construct* scope_;
  std::string id_;
  SourceLocation created_at_;
  std::vector<std::unique_ptr<Construct>> children_;
  std::vector<Suppression> suppressions_;
  std::vector<BuildError> build_errors_;
  std::map<std::string, std::optional<std::string>, std::less<>> scope_tags_;
  friend class ScopeTags;

 protected:
  // Set once at construction from the scope (Stack and App set their own).
  const Stack* stack_ = nullptr;
  const App* app_ = nullptr;
};

// Tags on a scope, as the CDK's Tags.of: Tags::of(scope).add("team", "records") tags every
// taggable resource below `scope` (a stack, a group, a composite, or one resource), including
// resources added after the call, in both targets. Precedence, nearest wins: a resource's own
// `tags` property over any scope's; a nearer scope's add or remove over a farther scope's (the
// stack's own StackProps::tags count as the stack scope's, below Tags::of(stack)); within one
// scope the later call wins. Resource types that carry no tags (NodeInfo::tagging None) are
// skipped. Keys are 1-128 characters not starting with "aws:", values at most 256 (HS2009).
class ScopeTags {
 public:
  explicit ScopeTags(Construct& scope) : scope_(&scope) {}
  // Tags every taggable resource below the scope with `key` = `value`.
  ScopeTags& add(std::string key, std::string value);
  // Removes `key` below the scope: a farther scope's tag (the stack's too) does not reach it.
  ScopeTags& remove(std::string key);

 private:
  Construct* scope_;
};

// A typed, non-null reference to another resource of type T, for properties that must name a
// resource of a particular kind (a subnet, a key). `Ref<kms::Key>` does not accept a subnet.
template <class T>
class Ref {
 public:
  Ref() = default;
  Ref(const T& target) : target_(&target) {}
  [[nodiscard]] explicit operator bool() const { return target_ != nullptr; }
  [[nodiscard]] const T* operator->() const { return target_; }
  [[nodiscard]] const T& operator*() const { return *target_; }
  [[nodiscard]] const T* get() const { return target_; }

 private:
  const T* target_ = nullptr;
};

template <class T>
using Refs = std::vector<Ref<T>>;

enum class RemovalPolicy { Delete, Retain, Snapshot };

// How a resource type carries tags in CloudFormation (Terraform always uses a map).
enum class Tagging { None, KeyValueList, Map };

// A target resource type in each backend.
struct ResourceType {
  std::string_view cloudformation;  // "AWS::EC2::VPC"
  std::string_view terraform;       // "aws_vpc"
  Tagging tagging = Tagging::None;
};

// A resource: a leaf that lowers to one or more target resources.
class Resource : public Construct {
 public:
  // The logical id of the primary target resource: derived from the path unless pinned.
  [[nodiscard]] const std::string& logical_id() const { return logical_id_; }
  // Pins the logical id (for example to match an already deployed stack). The Terraform name
  // becomes its snake_case form unless pinned separately.
  void pin_logical_id(std::string id);
  void pin_terraform_name(std::string name) {
    terraform_name_ = std::move(name);
    terraform_name_pinned_ = true;
  }
  // The Terraform resource name: the snake_case of the logical id unless pinned.
  [[nodiscard]] const std::string& terraform_name() const { return terraform_name_; }

  [[nodiscard]] const Resource* as_resource() const override { return this; }

  // Explicit ordering where no reference expresses it (CloudFormation DependsOn,
  // Terraform depends_on).
  void add_dependency(const Resource& other) { dependencies_.push_back(&other); }
  [[nodiscard]] const std::vector<const Resource*>& dependencies() const { return dependencies_; }

  // What happens to the resource's data when it is removed from the stack or replaced.
  void set_removal_policy(RemovalPolicy policy) { removal_policy_ = policy; }
  [[nodiscard]] std::optional<RemovalPolicy> removal_policy() const { return removal_policy_; }

  // Escape hatch for what is not modelled, as in the CDK and CDKTF: sets `path` to `value` in the
  // given target's output only. The path is the target's own, relative to the primary target
  // resource, dot separated, a list element by its index: CloudFormation from a resource key
  // ("Properties.Tags.0.Value", "Metadata.Key", "DeletionPolicy"), Terraform from an argument or
  // block ("tags.Name", "lifecycle.ignore_changes"). A path that does not parse is HS1007, one
  // through a single value or past a list's end HS3012, both at `where`. Compliance rules judge
  // the effective value: an override of a property a rule checks (Properties.StorageEncrypted:
  // false) is reported at `where`.
  void add_override(Target target, std::string path, Value value, SourceLocation where = SourceLocation::current());
  struct Override {
    Target target;
    std::string path;
    Value value;
    SourceLocation where;  // the line that added it
  };
  [[nodiscard]] const std::vector<Override>& overrides() const { return overrides_; }

  // Emits this resource's target resources. Each resource type keeps both targets' knowledge
  // side by side here.
  virtual void lower(Lowering& lowering) const = 0;

  // What the node declares about itself (hipaa/node.hpp): its target types, replacements, docs.
  [[nodiscard]] virtual const NodeInfo& info() const = 0;
  // The primary target resource type, which attribute references point at.
  [[nodiscard]] ResourceType type() const;

  [[nodiscard]] AttributeRef attribute(Attribute which) const { return {this, which}; }

  // The resource whose resource policy this one writes (an s3::BucketPolicy or a CloudTrail trail
  // writes its bucket's), or nullptr. A resource that would write a default policy of its own
  // leaves it to that writer (Lowering::policy_writer), so a bucket never gets two policies.
  // The writer must be in the same stack, and there is at most one (validation checks both).
  [[nodiscard]] virtual const Resource* writes_policy_of() const { return nullptr; }

  // Checks the resource's own properties (names AWS would reject, CIDRs, required references)
  // and appends a diagnostic per problem. Runs before lowering, for every target.
  virtual void validate(Diagnostics& out) const;

 protected:
  Resource(Construct* scope, std::string id, SourceLocation where);

 private:
  // Derived from the path at construction unless pinned, never on first use: references render
  // them many times, and a tree that is only read can be lowered from several threads.
  std::string logical_id_;
  std::string terraform_name_;
  bool terraform_name_pinned_ = false;
  std::vector<const Resource*> dependencies_;
  std::optional<RemovalPolicy> removal_policy_;
  std::vector<Override> overrides_;
};

// Where Terraform keeps a stack's state. Without a bucket, a local backend (terraform.tfstate in
// the stack's directory), as CDKTF does: nothing of anyone else's is assumed. With a bucket, an S3
// backend, encrypted, locked by S3 itself (use_lockfile: Terraform 1.11 deprecates DynamoDB
// locking, and a lock table is one more resource to own). A backend block cannot read variables,
// so each environment is synthesized on its own (or given `terraform init -backend-config`).
struct TerraformBackend {
  std::string bucket;      // empty: local state
  std::string key;         // default: "<stack id>.tfstate"
  std::string region;      // default: the stack's region
  std::string kms_key_id;  // default: the bucket's own encryption (SSE-S3); else a KMS key ARN or alias
};

struct StackProps {
  std::string description;
  std::string region = "us-east-1";
  // Tags every taggable resource carries (Terraform provider default_tags).
  std::map<std::string, std::string> tags;
  TerraformBackend terraform_backend;
};

struct Parameter {
  std::string name;  // CloudFormation spelling, e.g. "EnvironmentSuffix"
  std::string description;
  std::string default_value;
  std::string allowed_pattern;  // regular expression; empty when any string is allowed
  // Length limits (CloudFormation MinLength/MaxLength, a length() test in Terraform); 0: none.
  std::size_t min_length = 0;
  std::size_t max_length = 0;
  std::string constraint_description;
};

struct Output {
  std::string name;  // CloudFormation spelling, e.g. "ApiEndpoint"
  std::string description;
  Value value;
  std::optional<Value> export_name;  // CloudFormation only; Terraform outputs are read by state
};

class Stack : public Construct {
 public:
  using Props = StackProps;
  Stack(Construct& app, std::string id, StackProps props, SourceLocation where);

  [[nodiscard]] const StackProps& props() const { return props_; }

  // Declares a string parameter and returns a reference to it.
  [[nodiscard]] Value add_parameter(Parameter parameter);
  [[nodiscard]] const std::vector<Parameter>& parameters() const { return parameters_; }

  void add_output(Output output);
  [[nodiscard]] const std::vector<Output>& outputs() const { return outputs_; }

  // All resources in the stack, depth first in insertion order.
  [[nodiscard]] std::vector<const Resource*> resources() const;

  // Checks the stack's own settings (its region, its Terraform backend) and appends a diagnostic
  // per problem; a stack built from options checks those too. Runs before lowering.
  virtual void validate(Diagnostics& out) const;

 private:
  StackProps props_;
  std::vector<Parameter> parameters_;
  std::vector<Output> outputs_;
};

class App : public Construct {
 public:
  explicit App(SourceLocation where = SourceLocation::current());

  Stack& add_stack(std::string id, StackProps props = {}, SourceLocation where = SourceLocation::current());
  [[nodiscard]] std::vector<const Stack*> stacks() const;
};

}  // namespace hipaa
