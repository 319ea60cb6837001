#include "hipaa/aws/rds.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "aws/grants.hpp"
#include "validate/checks.hpp"

namespace hipaa::rds {

void SubnetGroup::lower(Lowering& l) const {
  const auto& p = props();
  auto& group = l.add(*this);
  group.properties()
      .set({"DBSubnetGroupName", "name"}, p.subnet_group_name)
      .set({"DBSubnetGroupDescription", "description"}, p.description)
      .set({"SubnetIds", "subnet_ids"}, ec2::subnet_ids(p.subnets));
  group.tags(p.tags);
}

void SubnetGroup::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().description, "description");
  check.required_list(props().subnets, "subnets", 2);
  check.name(
      props().subnet_group_name, "subnet_group_name", 255,
      [](char c) { return detail::is_lower_alnum_dash(c) || c == '_' || c == '.' || c == ' '; },
      "lower-case letters, digits, spaces and ._-");
}

namespace {

// The log types a database exports: the ones given, or every type its engine has.
std::vector<std::string> log_exports(const DatabaseSettings& s, std::string_view engine) {
  if (!s.export_logs) return {};
  if (!s.cloudwatch_logs_exports.empty()) return s.cloudwatch_logs_exports;
  if (engine == "aurora-postgresql") return {"postgresql"};
  return {"postgresql", "upgrade"};
}

// Enhanced Monitoring and Performance Insights, which Aurora cluster members and single instances
// set alike; `key` encrypts Performance Insights data.
void lower_monitoring(Lowering& l, const Resource& owner, TargetResource& instance, const EnhancedMonitoring& m,
                      const PerformanceInsights& pi, const Ref<kms::Key>& key) {
  if (m.interval_seconds > 0) {
    instance.properties().set({"MonitoringInterval", "monitoring_interval"}, m.interval_seconds);
    if (m.role) {
      instance.properties().set({"MonitoringRoleArn", "monitoring_role_arn"}, m.role->arn());
    } else {
      const auto role = iam::lower_service_role(
          l, owner, kMonitoringRoleSuffix,
          {.service = "monitoring.rds.amazonaws.com",
           .description = "Publishes RDS Enhanced Monitoring metrics to CloudWatch Logs",
           .managed_policy_arns = {iam::aws_managed("service-role/AmazonRDSEnhancedMonitoringRole")},
           .trust_conditions = {{"StringEquals", "aws:SourceAccount", {account_id()}}}});
      instance.properties().set_node(l.is_cloudformation() ? "MonitoringRoleArn" : "monitoring_role_arn",
                                     role.role->reference({"Arn", "arn"}));
    }
  }
  if (pi.enabled) {
    instance.properties()
        .set({"EnablePerformanceInsights", "performance_insights_enabled"}, true)
        .set({"PerformanceInsightsKMSKeyId", "performance_insights_kms_key_id"}, key ? key->arn() : Value())
        .set({"PerformanceInsightsRetentionPeriod", "performance_insights_retention_period"}, pi.retention_days);
  }
}

void validate_monitoring(const detail::Checker& check, const EnhancedMonitoring& m, const PerformanceInsights& pi) {
  constexpr std::array kIntervals = {0, 1, 5, 10, 15, 30, 60};
  if (std::find(kIntervals.begin(), kIntervals.end(), m.interval_seconds) == kIntervals.end()) {
    check.error("HS2004", "'monitoring.interval_seconds' is " + std::to_string(m.interval_seconds) +
                              "; RDS accepts 0, 1, 5, 10, 15, 30 or 60");
  }
  if (pi.enabled && pi.retention_days != 7 && (pi.retention_days % 31 != 0 || pi.retention_days > 731)) {
    check.error("HS2004", "'performance_insights.retention_days' is " + std::to_string(pi.retention_days) +
                              "; RDS accepts 7 or a multiple of 31 up to 731");
  }
}

// The properties clusters and instances share, spelled per target. Where a DB cluster and a DB
// instance spell one setting differently, the caller passes both spellings.
void lower_settings(Lowering& l, TargetResource& db, const DatabaseSettings& s, bool cluster, std::string_view engine,
                    const Value& identifier) {
  db.properties()
      .set({"EngineVersion", "engine_version"}, s.engine_version)
      .set({cluster ? "DatabaseName" : "DBName", cluster ? "database_name" : "db_name"}, s.database_name)
      .set({"MasterUsername", cluster ? "master_username" : "username"}, s.master_username)
      // RDS generates the master password and keeps it in Secrets Manager, rotated, encrypted
      // with our key: it never appears in a template, plan or state.
      .set({"ManageMasterUserPassword", "manage_master_user_password"}, true)
      .set({"DBSubnetGroupName", "db_subnet_group_name"},
           s.subnet_group ? s.subnet_group->subnet_group_name() : Value())
      .set({cluster ? "VpcSecurityGroupIds" : "VPCSecurityGroups", "vpc_security_group_ids"},
           ec2::group_ids(s.security_groups))
      .set({"StorageEncrypted", "storage_encrypted"}, s.storage_encrypted)
      .set({"KmsKeyId", "kms_key_id"}, s.kms_key ? s.kms_key->arn() : Value())
      .set({"BackupRetentionPeriod", "backup_retention_period"}, s.backup_retention_days)
      .set({"PreferredBackupWindow", cluster ? "preferred_backup_window" : "backup_window"}, s.preferred_backup_window)
      .set({"PreferredMaintenanceWindow", cluster ? "preferred_maintenance_window" : "maintenance_window"},
           s.preferred_maintenance_window)
      .set({"EnableCloudwatchLogsExports", "enabled_cloudwatch_logs_exports"}, Value(log_exports(s, engine)))
      .set({"DeletionProtection", "deletion_protection"}, s.deletion_protection)
      .set({"EnableIAMDatabaseAuthentication", "iam_database_authentication_enabled"}, s.iam_database_authentication)
      .set({"CopyTagsToSnapshot", "copy_tags_to_snapshot"}, true);
  if (s.kms_key) {
    if (l.is_cloudformation()) {
      Properties secret = l.object();
      secret.set({"KmsKeyId", {}}, s.kms_key->arn());
      db.properties().set({"MasterUserSecret", {}}, secret);
    } else {
      db.properties().terraform("master_user_secret_kms_key_id", s.kms_key->arn());
    }
  }
  db.removal_policy(s.removal);
  if (l.is_terraform()) {
    // Terraform's equivalent of a Snapshot removal policy is a final snapshot on destroy.
    const bool snapshot = s.removal != RemovalPolicy::Delete;
    db.properties().terraform("skip_final_snapshot", !snapshot);
    if (snapshot) {
      // Identifiers allow only letters, digits and hyphens.
      std::string fallback;
      for (char c : db.owner().logical_id()) fallback += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      db.properties().terraform("final_snapshot_identifier",
                                interpolate({identifier.is_null() ? Value(fallback) : identifier, "-final"}));
    }
  }
}

void validate_settings(const detail::Checker& check, const DatabaseSettings& s) {
  check.required(s.engine_version, "engine_version");
  check.required(s.subnet_group, "subnet_group");
  check.required_list(s.security_groups, "security_groups");
  check.range(s.backup_retention_days, "backup_retention_days", 1, 35);
  check.windows_apart(s.preferred_backup_window, "preferred_backup_window", s.preferred_maintenance_window,
                      "preferred_maintenance_window");
  check.name(
      s.master_username, "master_username", 63,
      [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }, "letters, digits and _");
  if (s.master_username == "postgres" || s.master_username == "admin" || s.master_username == "rdsadmin") {
    check.error("HS2003", "'master_username' '" + s.master_username + "' is reserved by RDS");
  }
}

bool is_identifier_char(char c) { return detail::is_alnum_dash(c); }

// A PostgreSQL name needing no quotes: what an rds-db:connect ARN can name without a wildcard.
bool is_plain_user_name(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  const auto first = static_cast<unsigned char>(name.front());
  if (std::isalpha(first) == 0 && first != '_') return false;
  return std::ranges::all_of(
      name, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$'; });
}

// rds-db:connect as `db_user` on the database with IAM resource id `resource_id`.
void grant_connect_to(const Resource& db, const Value& resource_id, const iam::Grantee& grantee,
                      const std::string& db_user) {
  std::string sid = "ConnectTo" + db.logical_id() + "As";
  for (char c : db_user) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) sid += c;
  }
  detail::grant(grantee, db.path() + " grant_connect",
                iam::allow({"rds-db:connect"})
                    .id(std::move(sid))
                    .on(interpolate({"arn:", partition(), ":rds-db:", region(), ":", account_id(),
                                     ":dbuser:", resource_id, "/" + db_user})));
}

void grant_master_secret(const Resource& db, const Value& secret_arn, const DatabaseSettings& s,
                         const iam::Grantee& grantee) {
  detail::grant(grantee, db.path() + " grant_read_master_secret",
                iam::allow({"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"})
                    .id("ReadMasterSecretOf" + db.logical_id())
                    .on(secret_arn),
                s.kms_key.get());
}

void validate_connect_users(const detail::Checker& check, const DatabaseSettings& s,
                            const std::vector<std::string>& users) {
  for (const auto& user : users) {
    if (!s.iam_database_authentication) {
      check.error("HS3007", "grant_connect as '" + user + "', but IAM database authentication is off",
                  "set settings.iam_database_authentication = true");
    }
    if (!is_plain_user_name(user)) {
      check.error("HS3007", "grant_connect as '" + user + "': not a database user name an IAM policy can name",
                  "use 1-63 letters, digits, '_' and '$', starting with a letter or '_'");
    }
  }
}

}  // namespace

void DatabaseCluster::grant_connect(const iam::Grantee& grantee, const std::string& db_user) {
  if (std::ranges::find(connect_users_, db_user) == connect_users_.end()) connect_users_.push_back(db_user);
  if (props().settings.iam_database_authentication && is_plain_user_name(db_user)) {
    grant_connect_to(*this, resource_id(), grantee, db_user);
  }
}

void DatabaseCluster::grant_read_master_secret(const iam::Grantee& grantee) const {
  grant_master_secret(*this, master_secret_arn(), props().settings, grantee);
}

void DatabaseInstance::grant_connect(const iam::Grantee& grantee, const std::string& db_user) {
  if (std::ranges::find(connect_users_, db_user) == connect_users_.end()) connect_users_.push_back(db_user);
  if (props().settings.iam_database_authentication && is_plain_user_name(db_user)) {
    grant_connect_to(*this, resource_id(), grantee, db_user);
  }
}

void DatabaseInstance::grant_read_master_secret(const iam::Grantee& grantee) const {
  grant_master_secret(*this, master_secret_arn(), props().settings, grantee);
}

cloudwatch::Metric DatabaseCluster::metric(std::string metric_name, cloudwatch::Statistic statistic) const {
  return {.namespace_name = "AWS/RDS",
          .metric_name = std::move(metric_name),
          .dimensions = {{"DBClusterIdentifier", cluster_id()}},
          .statistic = statistic};
}

cloudwatch::Metric DatabaseInstance::metric(std::string metric_name, cloudwatch::Statistic statistic) const {
  return {.namespace_name = "AWS/RDS",
          .metric_name = std::move(metric_name),
          .dimensions = {{"DBInstanceIdentifier", attribute({"", "identifier"})}},
          .statistic = statistic};
}

void DatabaseCluster::lower(Lowering& l) const {
  const auto& p = props();
  auto& cluster = l.add(*this);
  cluster.properties()
      .set({"DBClusterIdentifier", "cluster_identifier"}, p.cluster_identifier)
      .set({"Engine", "engine"}, p.engine)
      .set({"EngineMode", "engine_mode"}, "provisioned");
  lower_settings(l, cluster, p.settings, /*cluster=*/true, p.engine, p.cluster_identifier);
  if (p.serverless_v2) {
    Properties scaling = l.object();
    scaling.set({"MinCapacity", "min_capacity"}, p.serverless_v2->min_capacity)
        .set({"MaxCapacity", "max_capacity"}, p.serverless_v2->max_capacity);
    cluster.properties().set({"ServerlessV2ScalingConfiguration", "serverlessv2_scaling_configuration"}, scaling);
  }
  cluster.tags(p.tags);
}

void DatabaseCluster::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  validate_settings(check, props().settings);
  validate_connect_users(check, props().settings, connect_users_);
  check.name(props().cluster_identifier, "cluster_identifier", 63, is_identifier_char, "A-Z a-z 0-9 -");
  if (props().serverless_v2) {
    check.range(props().serverless_v2->min_capacity, "serverless_v2.min_capacity", 0, 256);
    check.range(props().serverless_v2->max_capacity, "serverless_v2.max_capacity",
                std::max(1.0, props().serverless_v2->min_capacity), 256);
  }
}

void DatabaseClusterInstance::lower(Lowering& l) const {
  const auto& p = props();
  auto& instance = l.add(*this);
  instance.properties()
      .set({"DBInstanceIdentifier", "identifier"}, p.instance_identifier)
      .set({"DBClusterIdentifier", "cluster_identifier"}, p.cluster ? p.cluster->cluster_id() : Value())
      .set({"DBInstanceClass", "instance_class"}, p.instance_class)
      .set({"Engine", "engine"}, p.cluster ? Value(p.cluster->props().engine) : Value())
      .set({"PubliclyAccessible", "publicly_accessible"}, p.publicly_accessible)
      .set({"AutoMinorVersionUpgrade", "auto_minor_version_upgrade"}, p.auto_minor_version_upgrade);
  // An Aurora member holds no data of its own (the cluster does, and keeps a final snapshot), and
  // RDS refuses a snapshot of a cluster member: stated explicitly, so that no reader (or cfn-lint's
  // I3011) takes the default for an oversight.
  instance.removal_policy(removal_policy().value_or(RemovalPolicy::Delete));
  if (l.is_terraform() && p.cluster) {
    instance.properties().terraform("engine_version", p.cluster->props().settings.engine_version);
  }
  lower_monitoring(l, *this, instance, p.monitoring, p.performance_insights,
                   p.cluster ? p.cluster->props().settings.kms_key : Ref<kms::Key>());
  instance.tags(p.tags);
}

void DatabaseClusterInstance::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().cluster, "cluster");
  check.name(props().instance_identifier, "instance_identifier", 63, is_identifier_char, "A-Z a-z 0-9 -");
  validate_monitoring(check, props().monitoring, props().performance_insights);
  if (removal_policy() == RemovalPolicy::Snapshot) {
    check.error("HS2004",
                "RDS takes no snapshot of an Aurora cluster member: the cluster keeps the data and its "
                "final snapshot; use Delete (the default) or Retain");
  }
}

void DatabaseInstance::lower(Lowering& l) const {
  const auto& p = props();
  auto& db = l.add(*this);
  db.properties()
      .set({"DBInstanceIdentifier", "identifier"}, p.instance_identifier)
      .set({"Engine", "engine"}, p.engine)
      .set({"DBInstanceClass", "instance_class"}, p.instance_class)
      .set({"AllocatedStorage", "allocated_storage"},
           l.is_cloudformation() ? Value(std::to_string(p.allocated_storage_gb)) : Value(p.allocated_storage_gb))
      .set({"StorageType", "storage_type"}, p.storage_type)
      .set({"MultiAZ", "multi_az"}, p.multi_az)
      .set({"PubliclyAccessible", "publicly_accessible"}, p.publicly_accessible)
      .set({"AutoMinorVersionUpgrade", "auto_minor_version_upgrade"}, p.auto_minor_version_upgrade);
  lower_settings(l, db, p.settings, /*cluster=*/false, p.engine, p.instance_identifier);
  lower_monitoring(l, *this, db, p.monitoring, p.performance_insights, p.settings.kms_key);
  db.tags(p.tags);
}

void DatabaseInstance::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  validate_settings(check, props().settings);
  validate_connect_users(check, props().settings, connect_users_);
  check.name(props().instance_identifier, "instance_identifier", 63, is_identifier_char, "A-Z a-z 0-9 -");
  check.range(props().allocated_storage_gb, "allocated_storage_gb", 20, 65536);
  validate_monitoring(check, props().monitoring, props().performance_insights);
}

}  // namespace hipaa::rds
