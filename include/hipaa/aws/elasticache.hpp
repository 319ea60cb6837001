// hipaa/aws/elasticache.hpp: ElastiCache for Redis: subnet groups, replication groups, and
// role-based access control users and user groups.
//
//   auto& cache = stack.add<elasticache::ReplicationGroup>("Cache", {
//       .replication_group_id = "patients", .subnet_group = group, .security_groups = {sg},
//       .kms_key = key, .user_groups = {users}});
//
// Clients authenticate with IAM through an RBAC user group, so no auth token exists to leak;
// `cache.grant_connect(fn)` lets a function's role connect.
#pragma once

#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/kms.hpp"

namespace hipaa::elasticache {

struct SubnetGroupProps {
  Value subnet_group_name;
  std::string description;
  Refs<ec2::Subnet> subnets;
  Tags tags;
};

class SubnetGroup final : public Node<SubnetGroup, SubnetGroupProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "elasticache::SubnetGroup",
      .summary = "The subnets a Redis replication group runs in",
      .tagging = Tagging::KeyValueList,
      .types = {cloudformation_type("AWS::ElastiCache::SubnetGroup", "CacheSubnetGroupName"),
                terraform_type("aws_elasticache_subnet_group", "name")}};
  [[nodiscard]] Value subnet_group_name() const { return attribute({"", "name"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

enum class Authentication { Iam, NoPasswordRequired };

struct UserProps {
  Value user_id;  // for IAM authentication the user id and user name must be equal
  Value user_name;
  std::string access_string = "on ~* +@all";
  Authentication authentication = Authentication::Iam;
  Tags tags;
};

class User final : public Node<User, UserProps> {
 public:
  static constexpr NodeInfo kInfo{.name = "elasticache::User",
                                  .summary = "A Redis RBAC user: IAM-authenticated, or the disabled default user",
                                  .tagging = Tagging::KeyValueList,
                                  .types = {cloudformation_type("AWS::ElastiCache::User", "Engine UserId UserName"),
                                            terraform_type("aws_elasticache_user", "user_id user_name")}};
  [[nodiscard]] Value user_id() const { return attribute({"", "user_id"}); }
  [[nodiscard]] Value arn() const { return attribute({"Arn", "arn"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct UserGroupProps {
  Value user_group_id;
  Refs<User> users;  // Redis requires one of them to be named "default"
  Tags tags;
};

class UserGroup final : public Node<UserGroup, UserGroupProps> {
 public:
  static constexpr NodeInfo kInfo{.name = "elasticache::UserGroup",
                                  .summary = "A Redis RBAC user group",
                                  .tagging = Tagging::KeyValueList,
                                  .types = {cloudformation_type("AWS::ElastiCache::UserGroup", "Engine UserGroupId"),
                                            terraform_type("aws_elasticache_user_group", "engine user_group_id")}};
  [[nodiscard]] Value user_group_id() const { return attribute({"", "user_group_id"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct ReplicationGroupProps {
  Value replication_group_id;
  std::string description = "Redis replication group";
  std::string engine_version = "7.1";
  std::string node_type = "cache.t4g.micro";
  int num_cache_clusters = 2;
  bool automatic_failover = true;
  bool multi_az = true;
  bool at_rest_encryption = true;
  bool transit_encryption = true;
  Ref<kms::Key> kms_key;
  int port = 6379;
  Ref<SubnetGroup> subnet_group;
  Refs<ec2::SecurityGroup> security_groups;
  Refs<UserGroup> user_groups;
  int snapshot_retention_days = 15;  // 0 turns snapshots off; HIPAA checks (and cdk-nag) want 15 or more
  std::string snapshot_window = "03:00-05:00";
  std::string maintenance_window = "sun:05:30-sun:07:00";  // apart from the snapshot window
  bool auto_minor_version_upgrade = true;
  Tags tags;
};

class ReplicationGroup final : public Node<ReplicationGroup, ReplicationGroupProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "elasticache::ReplicationGroup",
      .summary = "Redis with encryption at rest and in transit, RBAC, failover and snapshots",
      .tagging = Tagging::KeyValueList,
      .types = {
          cloudformation_type("AWS::ElastiCache::ReplicationGroup",
                              "AtRestEncryptionEnabled CacheSubnetGroupName DataTieringEnabled Engine "
                              "GlobalReplicationGroupId KmsKeyId NetworkType Port PreferredCacheClusterAZs "
                              "ReplicasPerNodeGroup ReplicationGroupId SnapshotArns SnapshotName",
                              "AuthToken NodeGroupConfiguration NumNodeGroups"),
          terraform_type(
              "aws_elasticache_replication_group",
              "at_rest_encryption_enabled data_tiering_enabled global_replication_group_id kms_key_id network_type "
              "port replication_group_id security_group_names snapshot_arns snapshot_name subnet_group_name")}};
  [[nodiscard]] Value primary_endpoint_address() const {
    return attribute({"PrimaryEndPoint.Address", "primary_endpoint_address"});
  }
  [[nodiscard]] Value primary_endpoint_port() const { return attribute({"PrimaryEndPoint.Port", "port"}); }
  [[nodiscard]] Value replication_group_id() const { return attribute({"", "id"}); }
  // arn:<partition>:elasticache:<region>:<account>:replicationgroup:<id>, for IAM policies.
  [[nodiscard]] Value arn() const;
  // Lets the grantee connect with IAM authentication (iam.hpp): elasticache:Connect on this
  // replication group and on each IAM-authenticated user of its user groups (sid ConnectTo<Cache>),
  // which is what ElastiCache checks for a client that signs in as that user. A replication group
  // with no such user cannot be connected to with IAM: HS3007 when validated.
  void grant_connect(const iam::Grantee& grantee);
  // The IAM-authenticated users of its user groups, in order, each once.
  [[nodiscard]] std::vector<const User*> iam_users() const;
  // The group's security groups and its port (`port`, 6379 unless set), for ec2::Connections:
  // `cache.connections().allow_default_port_from(fn)`.
  [[nodiscard]] ec2::Connections connections() const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;

 private:
  bool connect_granted_ = false;  // checked by validate (HS3007)
};

}  // namespace hipaa::elasticache
