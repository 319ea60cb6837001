#include "hipaa/construct.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "core/origins.hpp"
#include "hipaa/lowering.hpp"
#include "hipaa/node.hpp"

namespace hipaa {
namespace detail {
namespace {
// The add<T>() under way on this thread; a tree is built on one thread at a time.
thread_local NodeConstruction::Frame* pending_node = nullptr;
}  // namespace

NodeConstruction::NodeConstruction(Construct& scope, std::string id, void* props, SourceLocation where)
    : frame_{&scope, std::move(id), props, where} {
  pending_node = &frame_;
}

// A node's constructor takes its frame at once; clear it also when that never happened.
NodeConstruction::~NodeConstruction() { pending_node = nullptr; }

NodeConstruction::Frame NodeConstruction::take(std::string_view node_name) {
  if (pending_node == nullptr) {
    throw std::logic_error("hipaa-synth: a " + std::string(node_name) + " is created with scope.add<" +
                           std::string(node_name) + ">(id, props), not constructed directly");
  }
  Frame frame = std::move(*pending_node);
  pending_node = nullptr;
  return frame;
}

namespace {

// This file's name as the library was compiled: "hipaa-synth/src/core/construct.cpp" with the
// build's prefix map, an absolute path without it. What precedes "src/" is the library's root.
constexpr std::string_view kThisFile = __FILE__;
constexpr std::string_view kThisFileInLibrary = "src/core/construct.cpp";

thread_local bool plain_origins = false;

}  // namespace

void locate_at(Diagnostic& d, const SourceLocation& where) {
  if (is_library_file(where.file_name())) return;
  d.file = where.file_name();
  d.line = where.line();
  d.option.clear();
  d.preset.clear();
}

bool is_library_file(std::string_view file) {
  if (!kThisFile.ends_with(kThisFileInLibrary)) return false;
  const std::string_view root = kThisFile.substr(0, kThisFile.size() - kThisFileInLibrary.size());
  if (!file.starts_with(root)) return false;
  file.remove_prefix(root.size());
  return file.starts_with("src/") || file.starts_with("include/hipaa/");
}

PlainOrigins::PlainOrigins() : previous_(plain_origins) { plain_origins = true; }
PlainOrigins::~PlainOrigins() { plain_origins = previous_; }

}  // namespace detail

std::string to_string(const Origin& origin) {
  std::string where;
  if (!origin.file.empty()) where = origin.line > 0 ? fmt::format("{}:{}", origin.file, origin.line) : origin.file;
  std::string what = origin.option;
  if (!origin.preset.empty()) {
    what =
        what.empty() ? fmt::format("preset {}", origin.preset) : fmt::format("{} from preset {}", what, origin.preset);
  }
  if (where.empty()) return what;
  return what.empty() ? where : fmt::format("{}, {}", where, what);
}

ResourceType Resource::type() const { return info().resource_type(); }

namespace {

// A construct that only groups others.
class Group final : public Construct {
 public:
  Group(Construct& scope, std::string id, SourceLocation where) : Construct(&scope, std::move(id), where) {}
};

}  // namespace

namespace {

// A construct that library code creates inside a scope is the user's line that created the scope.
SourceLocation user_line(const Construct* scope, SourceLocation where) {
  if (scope != nullptr && detail::is_library_file(where.file_name())) return scope->created_at();
  return where;
}

}  // namespace

Construct::Construct(Construct* scope, std::string id, SourceLocation where)
    : scope_(scope), id_(std::move(id)), created_at_(user_line(scope, where)) {
  if (scope != nullptr) {
    stack_ = scope->stack_;
    app_ = scope->app_;
  }
}

Construct::~Construct() = default;

std::optional<Origin> Construct::origin_of(const Construct& /*node*/, std::string_view /*code*/) const {
  return std::nullopt;
}

Origin Construct::origin(std::string_view code) const {
  if (!detail::plain_origins) {
    for (const Construct* c = this; c != nullptr; c = c->scope_) {
      if (std::optional<Origin> found = c->origin_of(*this, code)) return std::move(*found);
    }
  }
  // The library's own lines are no place of the user's: an app the command line built.
  if (detail::is_library_file(created_at_.file_name())) return {};
  return Origin{.file = created_at_.file_name(), .line = created_at_.line()};
}

std::string Construct::path() const {
  if (scope_ == nullptr) return {};  // the app has no path of its own
  std::string parent = scope_->path();
  return parent.empty() ? id_ : parent + "/" + id_;
}

std::vector<Construct::Suppression> Construct::effective_suppressions() const {
  std::vector<Suppression> out;
  for (const Construct* c = this; c != nullptr; c = c->scope_) {
    out.insert(out.end(), c->suppressions_.begin(), c->suppressions_.end());
  }
  return out;
}

const Construct::Suppression* Construct::find_suppression(std::string_view rule_id) const {
  for (const Construct* c = this; c != nullptr; c = c->scope_) {
    for (const auto& s : c->suppressions_) {
      if (s.rule_id == rule_id) return &s;
    }
  }
  return nullptr;
}

ScopeTags& ScopeTags::add(std::string key, std::string value) {
  scope_->scope_tags_.insert_or_assign(std::move(key), std::move(value));
  return *this;
}

ScopeTags& ScopeTags::remove(std::string key) {
  scope_->scope_tags_.insert_or_assign(std::move(key), std::nullopt);
  return *this;
}

Construct& Construct::add_group(std::string id, SourceLocation where) {
  return adopt(std::make_unique<Group>(*this, std::move(id), where));
}

namespace {

// PascalCase concatenation of the path below the stack: "Database/Cluster" -> "DatabaseCluster".
// Depends on nothing but the resource's own path, so unrelated changes never rename it;
// collisions are reported by validation rather than hidden behind a hash.
std::string derived_logical_id(const Construct& resource) {
  std::vector<const Construct*> chain;
  for (const Construct* c = &resource; c != nullptr && c != resource.stack(); c = c->scope()) chain.push_back(c);
  std::string id;
  std::reverse(chain.begin(), chain.end());  // outermost first
  for (const Construct* c : chain) id += pascal_case(c->id());
  return id;
}

}  // namespace

Resource::Resource(Construct* scope, std::string id, SourceLocation where)
    : Construct(scope, std::move(id), where),
      logical_id_(derived_logical_id(*this)),
      terraform_name_(snake_case(logical_id_)) {}

void Resource::pin_logical_id(std::string id) {
  logical_id_ = std::move(id);
  if (!terraform_name_pinned_) terraform_name_ = snake_case(logical_id_);
}

void Resource::add_override(Target target, std::string path, Value value, SourceLocation where) {
  overrides_.push_back({target, std::move(path), std::move(value), where});
}

Stack::Stack(Construct& app, std::string id, StackProps props, SourceLocation where)
    : Construct(&app, std::move(id), where), props_(std::move(props)) {
  stack_ = this;
}

Value Stack::add_parameter(Parameter parameter) {
  std::string name = parameter.name;
  parameters_.push_back(std::move(parameter));
  return ParameterRef{std::move(name)};
}

void Stack::add_output(Output output) { outputs_.push_back(std::move(output)); }

namespace {
void collect_resources(const Construct& c, std::vector<const Resource*>& out) {
  for (const auto& child : c.children()) {
    if (const Resource* r = child->as_resource()) out.push_back(r);
    collect_resources(*child, out);
  }
}
}  // namespace

std::vector<const Resource*> Stack::resources() const {
  std::vector<const Resource*> out;
  collect_resources(*this, out);
  return out;
}

App::App(SourceLocation where) : Construct(nullptr, "", where) { app_ = this; }

Stack& App::add_stack(std::string id, StackProps props, SourceLocation where) {
  return add<Stack>(std::move(id), std::move(props), where);
}

std::vector<const Stack*> App::stacks() const {
  std::vector<const Stack*> out;
  for (const auto& child : children()) {
    if (child->stack() == child.get()) out.push_back(child->stack());
  }
  return out;
}

}  // namespace hipaa
