// hipaa/aws/elasticache.hpp: ElastiCache for Redis: subnet groups, replication groups, and
// role-based access control users and user groups.
//
//   auto& cache = stack.add<elasticache::ReplicationGroup>("Cache", {
//       .replication_group_id = "patients", .subnet_group = group, .security_groups = {sg},
//       .kms_key = key, .user_groups = {users}});
//
// Clients authenticate with IAM through an RBAC user group, so no auth token exists to leak.
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

class SubnetGroup : public ResourceWith<SubnetGroupProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::ElastiCache::SubnetGroup", "aws_elasticache_subnet_group",
                                      Tagging::KeyValueList};
  [[nodiscard]] ResourceType type() const override { return kType; }
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

class User : public ResourceWith<UserProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::ElastiCache::User", "aws_elasticache_user", Tagging::KeyValueList};
  [[nodiscard]] ResourceType type() const override { return kType; }
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

class UserGroup : public ResourceWith<UserGroupProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::ElastiCache::UserGroup", "aws_elasticache_user_group",
                                      Tagging::KeyValueList};
  [[nodiscard]] ResourceType type() const override { return kType; }
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
  int snapshot_retention_days = 7;
  std::string snapshot_window = "03:00-05:00";
  std::string maintenance_window = "sun:05:00-sun:07:00";
  bool auto_minor_version_upgrade = true;
  Tags tags;
};

class ReplicationGroup : public ResourceWith<ReplicationGroupProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::ElastiCache::ReplicationGroup", "aws_elasticache_replication_group",
                                      Tagging::KeyValueList};
  [[nodiscard]] ResourceType type() const override { return kType; }
  [[nodiscard]] Value primary_endpoint_address() const {
    return attribute({"PrimaryEndPoint.Address", "primary_endpoint_address"});
  }
  [[nodiscard]] Value primary_endpoint_port() const { return attribute({"PrimaryEndPoint.Port", "port"}); }
  [[nodiscard]] Value replication_group_id() const { return attribute({"", "id"}); }
  // arn:<partition>:elasticache:<region>:<account>:replicationgroup:<id>, for IAM policies.
  [[nodiscard]] Value arn() const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

}  // namespace hipaa::elasticache
