// hipaa/aws/rds.hpp: PostgreSQL on RDS: subnet groups, Aurora clusters and their instances, and
// single DB instances. Master credentials are always generated and kept by RDS in Secrets
// Manager (ManageMasterUserPassword / manage_master_user_password), encrypted with your key.
//
//   auto& db = stack.add<rds::DatabaseInstance>("Db", {.settings = {.engine_version = "16.6",
//       .subnet_group = group, .security_groups = {sg}, .kms_key = key}});
//   Value host = db.endpoint_address();
//   db.grant_connect(fn, "app_user");
#pragma once

#include <optional>

#include "hipaa/aws/cloudwatch_metric.hpp"
#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/kms.hpp"

namespace hipaa::rds {

struct SubnetGroupProps {
  Value subnet_group_name;
  std::string description;
  Refs<ec2::Subnet> subnets;
  Tags tags;
};

class SubnetGroup final : public Node<SubnetGroup, SubnetGroupProps> {
 public:
  static constexpr NodeInfo kInfo{.name = "rds::SubnetGroup",
                                  .summary = "The subnets an RDS database runs in",
                                  .tagging = Tagging::KeyValueList,
                                  .types = {cloudformation_type("AWS::RDS::DBSubnetGroup", "DBSubnetGroupName"),
                                            terraform_type("aws_db_subnet_group", "name name_prefix")}};
  [[nodiscard]] Value subnet_group_name() const { return attribute({"", "name"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// Settings every PostgreSQL database here shares, cluster or instance.
struct DatabaseSettings {
  std::string engine_version;
  Value database_name;
  std::string master_username = "dbadmin";
  Ref<SubnetGroup> subnet_group;
  Refs<ec2::SecurityGroup> security_groups;
  Ref<kms::Key> kms_key;  // storage and master secret encryption
  int backup_retention_days = 7;
  std::string preferred_backup_window = "03:00-04:00";
  std::string preferred_maintenance_window = "sun:04:30-sun:05:30";  // apart from the backup window
  // Log types exported to CloudWatch Logs; empty: every type the engine exports (PostgreSQL:
  // postgresql and upgrade; Aurora PostgreSQL: postgresql). export_logs = false exports none.
  std::vector<std::string> cloudwatch_logs_exports;
  bool export_logs = true;
  bool deletion_protection = true;
  bool iam_database_authentication = true;
  bool storage_encrypted = true;
  // Removal takes a final snapshot unless explicitly set to Delete.
  RemovalPolicy removal = RemovalPolicy::Snapshot;
};

struct ServerlessV2Scaling {
  double min_capacity = 0.5;
  double max_capacity = 2.0;
};

struct DatabaseClusterProps {
  Value cluster_identifier;
  std::string engine = "aurora-postgresql";
  DatabaseSettings settings;
  std::optional<ServerlessV2Scaling> serverless_v2 = ServerlessV2Scaling{};
  Tags tags;
};

class DatabaseCluster final : public Node<DatabaseCluster, DatabaseClusterProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "rds::DatabaseCluster",
      .summary = "An Aurora PostgreSQL cluster with a managed, KMS-encrypted master secret",
      .tagging = Tagging::KeyValueList,
      .holds_data = true,
      .types = {cloudformation_type("AWS::RDS::DBCluster",
                                    "AvailabilityZones ClusterScalabilityType DBClusterIdentifier DBSubnetGroupName "
                                    "DBSystemId DatabaseName EngineMode KmsKeyId PubliclyAccessible RestoreToTime "
                                    "RestoreType SnapshotIdentifier SourceDBClusterIdentifier "
                                    "SourceDbClusterResourceId SourceRegion StorageEncrypted UseLatestRestorableTime",
                                    "Engine GlobalClusterIdentifier MasterUsername"),
                terraform_type(
                    "aws_rds_cluster",
                    "availability_zones cluster_identifier cluster_identifier_prefix cluster_scalability_type "
                    "database_name db_subnet_group_name db_system_id engine engine_mode kms_key_id master_username "
                    "restore_to_point_in_time snapshot_identifier source_region storage_encrypted")}};
  [[nodiscard]] Value cluster_id() const { return attribute({"", "id"}); }
  // One of the cluster's AWS/RDS metrics ("CPUUtilization"), by DBClusterIdentifier.
  [[nodiscard]] cloudwatch::Metric metric(std::string metric_name,
                                          cloudwatch::Statistic statistic = cloudwatch::Statistic::Average) const;
  [[nodiscard]] Value arn() const { return attribute({"DBClusterArn", "arn"}); }
  [[nodiscard]] Value endpoint_address() const { return attribute({"Endpoint.Address", "endpoint"}); }
  [[nodiscard]] Value endpoint_port() const { return attribute({"Endpoint.Port", "port"}); }
  [[nodiscard]] Value master_secret_arn() const {
    return attribute({"MasterUserSecret.SecretArn", "master_user_secret[0].secret_arn"});
  }
  // The cluster's resource id ("cluster-..."), which IAM database authentication names.
  [[nodiscard]] Value resource_id() const { return attribute({"DBClusterResourceId", "cluster_resource_id"}); }
  // Grants: see "Grants on a database" below.
  void grant_connect(const iam::Grantee& grantee, const std::string& db_user);
  void grant_read_master_secret(const iam::Grantee& grantee) const;
  // The cluster's security groups (settings.security_groups) and its engine's port (5432 for
  // aurora-postgresql, 3306 for aurora-mysql), for ec2::Connections:
  // `cluster.connections().allow_default_port_from(fn)`.
  [[nodiscard]] ec2::Connections connections() const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;

 private:
  std::vector<std::string> connect_users_;  // grant_connect's users, checked by validate (HS3007)
};

// Grants on a database (iam.hpp), cluster or instance:
//   grant_connect(grantee, "app_user"): rds-db:connect on
//       arn:<partition>:rds-db:<region>:<account>:dbuser:<resource_id()>/app_user (sid ConnectTo<Db>As<User>),
//       what IAM database authentication asks of a client that logs in as app_user. The database
//       must have iam_database_authentication on (the default), and the user name must be a plain
//       PostgreSQL name (letters, digits, '_' and '$', not starting with a digit or '$', at most 63):
//       else HS3007 when validated. The user must exist in the database with the rds_iam role.
//   grant_read_master_secret(grantee): secretsmanager:GetSecretValue and secretsmanager:DescribeSecret
//       on the RDS-managed master user secret (master_secret_arn(); sid ReadMasterSecretOf<Db>), and
//       with the database's kms_key, which encrypts that secret, kms:Decrypt on it (sid DecryptWith<Key>).

// Aurora cluster members and single instances are both AWS::RDS::DBInstance in CloudFormation.
inline constexpr TargetType kDbInstanceCloudFormationType = cloudformation_type(
    "AWS::RDS::DBInstance",
    "BackupTarget CharacterSetName CustomIAMInstanceProfile DBClusterIdentifier DBInstanceIdentifier DBName "
    "DBSubnetGroupName DBSystemId KmsKeyId MasterUsername NcharCharacterSetName Port SourceRegion StorageEncrypted "
    "Timezone",
    "AutoMinorVersionUpgrade AvailabilityZone BackupRetentionPeriod DBClusterSnapshotIdentifier DBParameterGroupName "
    "DBSnapshotIdentifier Engine MultiAZ PerformanceInsightsKMSKeyId PreferredMaintenanceWindow RestoreTime "
    "SourceDBClusterIdentifier SourceDBInstanceAutomatedBackupsArn SourceDBInstanceIdentifier SourceDbiResourceId "
    "StorageType UseLatestRestorableTime");

// Enhanced Monitoring: operating-system metrics every `interval_seconds`, published to
// CloudWatch Logs by a role trusted by monitoring.rds.amazonaws.com.
struct EnhancedMonitoring {
  int interval_seconds = 60;  // 1, 5, 10, 15, 30 or 60; 0 turns it off (explicitly)
  Ref<iam::Role> role;        // empty: the node creates one with AmazonRDSEnhancedMonitoringRole
};

// Performance Insights, encrypted with the database's customer managed key.
struct PerformanceInsights {
  bool enabled = true;
  int retention_days = 7;  // 7 (the free tier), or a multiple of 31 up to 731
};

// The suffix of the Enhanced Monitoring role an instance creates when none is given.
inline constexpr std::string_view kMonitoringRoleSuffix = "MonitoringRole";

struct DatabaseClusterInstanceProps {
  Value instance_identifier;
  Ref<DatabaseCluster> cluster;
  std::string instance_class = "db.serverless";
  bool publicly_accessible = false;
  bool auto_minor_version_upgrade = true;
  EnhancedMonitoring monitoring;
  PerformanceInsights performance_insights;
  Tags tags;
};

class DatabaseClusterInstance final : public Node<DatabaseClusterInstance, DatabaseClusterInstanceProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "rds::DatabaseClusterInstance",
      .summary =
          "An instance of an Aurora cluster, with Enhanced Monitoring (and the role it needs) and "
          "Performance Insights",
      .tagging = Tagging::KeyValueList,
      .types = {kDbInstanceCloudFormationType, iam::kRoleCloudFormationType,
                terraform_type("aws_rds_cluster_instance",
                               "availability_zone cluster_identifier custom_iam_instance_profile db_subnet_group_name "
                               "engine identifier identifier_prefix"),
                iam::kRoleTerraformType, iam::kRolePolicyAttachmentTerraformType}};
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct DatabaseInstanceProps {
  Value instance_identifier;
  std::string engine = "postgres";
  std::string instance_class = "db.t4g.micro";
  int allocated_storage_gb = 20;
  std::string storage_type = "gp3";
  bool multi_az = true;
  bool publicly_accessible = false;
  bool auto_minor_version_upgrade = true;
  EnhancedMonitoring monitoring;
  PerformanceInsights performance_insights;
  DatabaseSettings settings;
  Tags tags;
};

class DatabaseInstance final : public Node<DatabaseInstance, DatabaseInstanceProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "rds::DatabaseInstance",
      .summary =
          "An RDS PostgreSQL instance with a managed, KMS-encrypted master secret, Enhanced Monitoring "
          "(and the role it needs) and Performance Insights",
      .tagging = Tagging::KeyValueList,
      .holds_data = true,
      .types = {kDbInstanceCloudFormationType, iam::kRoleCloudFormationType,
                terraform_type("aws_db_instance",
                               "availability_zone backup_target character_set_name custom_iam_instance_profile db_name "
                               "engine kms_key_id nchar_character_set_name restore_to_point_in_time "
                               "snapshot_identifier storage_encrypted timezone username"),
                iam::kRoleTerraformType, iam::kRolePolicyAttachmentTerraformType}};
  [[nodiscard]] Value arn() const { return attribute({"DBInstanceArn", "arn"}); }
  // One of the instance's AWS/RDS metrics ("CPUUtilization"), by DBInstanceIdentifier.
  [[nodiscard]] cloudwatch::Metric metric(std::string metric_name,
                                          cloudwatch::Statistic statistic = cloudwatch::Statistic::Average) const;
  [[nodiscard]] Value endpoint_address() const { return attribute({"Endpoint.Address", "address"}); }
  [[nodiscard]] Value endpoint_port() const { return attribute({"Endpoint.Port", "port"}); }
  [[nodiscard]] Value master_secret_arn() const {
    return attribute({"MasterUserSecret.SecretArn", "master_user_secret[0].secret_arn"});
  }
  // The instance's resource id ("db-..."), which IAM database authentication names.
  [[nodiscard]] Value resource_id() const { return attribute({"DbiResourceId", "resource_id"}); }
  // Grants: see "Grants on a database" above.
  void grant_connect(const iam::Grantee& grantee, const std::string& db_user);
  void grant_read_master_secret(const iam::Grantee& grantee) const;
  // The instance's security groups (settings.security_groups) and its engine's port (5432 for
  // postgres, 3306 for mysql and mariadb), for ec2::Connections.
  [[nodiscard]] ec2::Connections connections() const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;

 private:
  std::vector<std::string> connect_users_;  // grant_connect's users, checked by validate (HS3007)
};

// The port an RDS engine listens on by default ("postgres", "aurora-postgresql": 5432; "mysql",
// "mariadb", "aurora-mysql": 3306); none for an engine not listed.
[[nodiscard]] std::optional<int> default_port(std::string_view engine);

}  // namespace hipaa::rds
