#include "hipaa/aws/elasticache.hpp"

#include <algorithm>

#include "aws/grants.hpp"
#include "validate/checks.hpp"

namespace hipaa::elasticache {

void SubnetGroup::lower(Lowering& l) const {
  const auto& p = props();
  auto& group = l.add(*this);
  group.properties()
      .set({"CacheSubnetGroupName", "name"}, p.subnet_group_name)
      .set({"Description", "description"}, p.description)
      .set({"SubnetIds", "subnet_ids"}, ec2::subnet_ids(p.subnets));
  group.tags(p.tags);
}

void SubnetGroup::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().description, "description");
  check.required_list(props().subnets, "subnets");
  check.name(props().subnet_group_name, "subnet_group_name", 255, detail::is_lower_alnum_dash,
             "lower-case letters, digits and -");
}

void User::lower(Lowering& l) const {
  const auto& p = props();
  auto& user = l.add(*this);
  Properties mode = l.object();
  mode.set({"Type", "type"}, p.authentication == Authentication::Iam ? "iam" : "no-password-required");
  user.properties()
      .set({"UserId", "user_id"}, p.user_id)
      .set({"UserName", "user_name"}, p.user_name)
      .set({"Engine", "engine"}, "redis")
      .set({"AccessString", "access_string"}, p.access_string)
      .set({"AuthenticationMode", "authentication_mode"}, mode);
  user.tags(p.tags);
}

void User::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().user_id, "user_id");
  check.required(props().user_name, "user_name");
  check.name(props().user_id, "user_id", 40, detail::is_alnum_dash, "A-Z a-z 0-9 -");
  if (props().authentication == Authentication::Iam) {
    auto id = detail::literal_text(props().user_id, *this);
    auto name = detail::literal_text(props().user_name, *this);
    if (id && name && *id != *name) {
      check.error("HS2003",
                  "IAM-authenticated users need 'user_id' equal to 'user_name' ('" + *id + "' vs '" + *name + "')");
    }
  }
}

void UserGroup::lower(Lowering& l) const {
  const auto& p = props();
  ValueList ids;
  for (const auto& u : p.users) ids.push_back(u->user_id());
  auto& group = l.add(*this);
  group.properties()
      .set({"UserGroupId", "user_group_id"}, p.user_group_id)
      .set({"Engine", "engine"}, "redis")
      .set({"UserIds", "user_ids"}, ids);
  group.tags(p.tags);
}

void UserGroup::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().user_group_id, "user_group_id");
  check.required_list(props().users, "users");
  bool has_default = false;
  for (const auto& u : props().users) {
    if (auto name = detail::literal_text(u->props().user_name, *u); name && *name == "default") has_default = true;
  }
  if (!has_default) {
    check.error("HS2001", "a Redis user group must contain a user named 'default'",
                "add a disabled default user: access_string \"off -@all\"");
  }
}

Value ReplicationGroup::arn() const {
  return interpolate({"arn:", partition(), ":elasticache:", region(), ":", account_id(),
                      ":replicationgroup:", replication_group_id()});
}

std::vector<const User*> ReplicationGroup::iam_users() const {
  std::vector<const User*> users;
  for (const auto& group : props().user_groups) {
    for (const auto& user : group->props().users) {
      if (user->props().authentication == Authentication::Iam && std::ranges::find(users, user.get()) == users.end()) {
        users.push_back(user.get());
      }
    }
  }
  return users;
}

void ReplicationGroup::grant_connect(const iam::Grantee& grantee) {
  connect_granted_ = true;
  const auto users = iam_users();
  if (users.empty()) return;  // validate reports it
  iam::Statement connect = iam::allow({"elasticache:Connect"}).id("ConnectTo" + logical_id()).on(arn());
  for (const User* user : users) connect.on(user->arn());
  detail::grant(grantee, path() + " grant_connect", std::move(connect));
}

void ReplicationGroup::lower(Lowering& l) const {
  const auto& p = props();
  ValueList user_groups;
  for (const auto& g : p.user_groups) user_groups.push_back(g->user_group_id());
  auto& group = l.add(*this);
  group.properties()
      .set({"ReplicationGroupId", "replication_group_id"}, p.replication_group_id)
      .set({"ReplicationGroupDescription", "description"}, p.description)
      .set({"Engine", "engine"}, "redis")
      .set({"EngineVersion", "engine_version"}, p.engine_version)
      .set({"CacheNodeType", "node_type"}, p.node_type)
      .set({"NumCacheClusters", "num_cache_clusters"}, p.num_cache_clusters)
      .set({"AutomaticFailoverEnabled", "automatic_failover_enabled"}, p.automatic_failover)
      .set({"MultiAZEnabled", "multi_az_enabled"}, p.multi_az)
      .set({"AtRestEncryptionEnabled", "at_rest_encryption_enabled"}, p.at_rest_encryption)
      .set({"TransitEncryptionEnabled", "transit_encryption_enabled"}, p.transit_encryption)
      .set({"KmsKeyId", "kms_key_id"}, p.kms_key ? p.kms_key->arn() : Value())
      .set({"Port", "port"}, p.port)
      .set({"CacheSubnetGroupName", "subnet_group_name"},
           p.subnet_group ? p.subnet_group->subnet_group_name() : Value())
      .set({"SecurityGroupIds", "security_group_ids"}, ec2::group_ids(p.security_groups))
      .set({"UserGroupIds", "user_group_ids"}, user_groups.empty() ? Value() : Value(user_groups))
      .set({"SnapshotRetentionLimit", "snapshot_retention_limit"}, p.snapshot_retention_days)
      .set({"SnapshotWindow", "snapshot_window"}, p.snapshot_window)
      .set({"PreferredMaintenanceWindow", "maintenance_window"}, p.maintenance_window)
      .set({"AutoMinorVersionUpgrade", "auto_minor_version_upgrade"}, p.auto_minor_version_upgrade);
  group.tags(p.tags);
  // A final snapshot when the group is deleted or replaced (CloudFormation's Snapshot policy;
  // Terraform's final_snapshot_identifier), encrypted with the group's key: what a cache held may
  // be the only copy of session state. Opt out with set_removal_policy(RemovalPolicy::Delete).
  const RemovalPolicy removal = removal_policy().value_or(RemovalPolicy::Snapshot);
  group.removal_policy(removal);
  if (l.is_terraform() && removal == RemovalPolicy::Snapshot && !p.replication_group_id.is_null()) {
    group.properties().terraform("final_snapshot_identifier", interpolate({p.replication_group_id, "-final"}));
  }
}

void ReplicationGroup::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  check.required(p.replication_group_id, "replication_group_id");
  check.required(p.subnet_group, "subnet_group");
  check.required_list(p.security_groups, "security_groups");
  check.name(p.replication_group_id, "replication_group_id", 40, detail::is_lower_alnum_dash,
             "lower-case letters, digits and -");
  check.range(p.num_cache_clusters, "num_cache_clusters", 1, 6);
  if (p.snapshot_retention_days > 0) {
    check.windows_apart(p.snapshot_window, "snapshot_window", p.maintenance_window, "maintenance_window");
  }
  if (p.automatic_failover && p.num_cache_clusters < 2) {
    check.error("HS2004", "automatic failover needs 'num_cache_clusters' of at least 2");
  }
  if (p.multi_az && !p.automatic_failover) {
    check.error("HS2004", "'multi_az' needs 'automatic_failover'");
  }
  if (!p.user_groups.empty() && !p.transit_encryption) {
    check.error("HS2004", "RBAC user groups need 'transit_encryption'");
  }
  if (connect_granted_ && iam_users().empty()) {
    check.error("HS3007", "grant_connect, but no user of its user groups authenticates with IAM",
                "add an elasticache::User with Authentication::Iam to one of its user_groups");
  }
}

}  // namespace hipaa::elasticache
