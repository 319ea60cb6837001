// Connections (hipaa/aws/ec2.hpp): the pair of security group rules that lets one node reach
// another, built from the public rule nodes only. No backend knowledge here: the rules lower as
// any ec2::SecurityGroupIngress / SecurityGroupEgress does.
#include <optional>
#include <string>

#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/elasticache.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/rds.hpp"

namespace hipaa {
namespace ec2 {
namespace {

// A call that cannot be honoured: unwinds to the public entry point, which records it on the node
// (Construct::add_error, HS1008) instead of adding anything. Never leaves this file.
struct Refused {
  std::string message;
};
[[noreturn]] void refuse(std::string message) { throw Refused{std::move(message)}; }

std::string name_of(const Construct& node) { return node.path().empty() ? node.id() : node.path(); }

// The construct as its scope owns it. A Ref is a read-only view of a node's properties; its rules
// (and errors) are added to it through the tree, which owns it as a mutable construct.
Construct* owned(const Construct& node) {
  if (node.scope() != nullptr) {
    for (const auto& child : node.scope()->children()) {
      if (child.get() == &node) return child.get();
    }
  }
  return nullptr;
}

Construct& owned(const SecurityGroup& group) {
  Construct* found = owned(static_cast<const Construct&>(group));
  if (found == nullptr) refuse("security group " + name_of(group) + " is not part of a construct tree");
  return *found;
}

// Runs `connect`; a refusal is recorded on `owner` at the user's call.
template <class F>
void guarded(const Construct& owner, SourceLocation where, F&& connect) {
  try {
    connect();
  } catch (const Refused& refused) {
    if (Construct* node = owned(owner)) {
      node->add_error("HS1008", refused.message,
                      "give both nodes security groups in one stack, and a port within 0-65535", where);
    }
  }
}

// Adds one rule under `group` unless the same rule is already there: ids are derived from the
// peer and the port, so the id finds it.
template <class Rule>
void add_rule(const SecurityGroup& group, const SecurityGroup& peer, int port, const std::string& id,
              const std::string& description) {
  Construct& scope = owned(group);
  for (const auto& child : scope.children()) {
    if (child->id() != id) continue;
    const Resource* resource = child->as_resource();
    if (resource == nullptr || &resource->info() != &Rule::kInfo) continue;
    const auto& rule = static_cast<const Rule&>(*resource);
    if (rule.props().peer.get() == &peer && rule.props().from_port == port) return;  // already connected
  }
  // A different construct with that id is left to validation (HS1001, duplicate id).
  scope.add<Rule>(id, {.group = group,
                       .protocol = "tcp",
                       .from_port = port,
                       .to_port = port,
                       .cidr_ipv4 = std::nullopt,
                       .peer = peer,
                       .description = description});
}

void check_connectable(const Connections& c) {
  if (c.security_groups().empty()) {
    refuse(name_of(c.owner()) +
           " has no security group to connect: give it security_groups (a function needs subnets and "
           "security_groups to run in a VPC)");
  }
  for (const auto& group : c.security_groups()) {
    if (!group) refuse(name_of(c.owner()) + " lists an empty security group reference");
  }
}

// Every pair of `target`'s groups and `source`'s groups: ingress on the target's, egress on the source's.
void connect(const Connections& source, const Connections& target, int port) {
  check_connectable(source);
  check_connectable(target);
  if (port < 0 || port > 65535) {
    refuse("port " + std::to_string(port) + " connecting " + name_of(source.owner()) + " to " +
           name_of(target.owner()) + " is outside 0-65535");
  }
  const std::string on = " on " + std::to_string(port);
  const std::string suffix = "Port" + std::to_string(port);
  for (const auto& to : target.security_groups()) {
    for (const auto& from : source.security_groups()) {
      if (to->stack() != from->stack()) {
        refuse("cannot connect " + name_of(source.owner()) + " to " + name_of(target.owner()) +
               ": their security groups are in different stacks (" + from->path() + ", " + to->path() +
               "), whose rules would import each other's groups");
      }
      add_rule<SecurityGroupIngress>(*to, *from, port, "From" + from->logical_id() + suffix,
                                     "from " + name_of(source.owner()) + on);
      add_rule<SecurityGroupEgress>(*from, *to, port, "To" + to->logical_id() + suffix,
                                    "to " + name_of(target.owner()) + on);
    }
  }
}

int default_port_of(const Connections& c) {
  if (!c.default_port()) {
    refuse(name_of(c.owner()) + " has no default port: connect it with allow_from / allow_to and a port");
  }
  return *c.default_port();
}

}  // namespace

void Connections::allow_from(const Connections& other, int port, SourceLocation where) const {
  guarded(owner(), where, [&] { connect(other, *this, port); });
}
void Connections::allow_to(const Connections& other, int port, SourceLocation where) const {
  guarded(owner(), where, [&] { connect(*this, other, port); });
}
void Connections::allow_default_port_from(const Connections& other, SourceLocation where) const {
  guarded(owner(), where, [&] { connect(other, *this, default_port_of(*this)); });
}
void Connections::allow_default_port_to(const Connections& other, SourceLocation where) const {
  guarded(owner(), where, [&] { connect(*this, other, default_port_of(other)); });
}

Connections SecurityGroup::connections() const { return {*this, {*this}}; }

}  // namespace ec2

std::optional<int> rds::default_port(std::string_view engine) {
  if (engine == "postgres" || engine == "aurora-postgresql") return 5432;
  if (engine == "mysql" || engine == "mariadb" || engine == "aurora-mysql" || engine == "aurora") return 3306;
  return std::nullopt;
}

ec2::Connections rds::DatabaseCluster::connections() const {
  return {*this, props().settings.security_groups, default_port(props().engine)};
}

ec2::Connections rds::DatabaseInstance::connections() const {
  return {*this, props().settings.security_groups, default_port(props().engine)};
}

ec2::Connections elasticache::ReplicationGroup::connections() const {
  return {*this, props().security_groups, props().port};
}

ec2::Connections lambda::Function::connections() const { return {*this, props().security_groups}; }

}  // namespace hipaa
