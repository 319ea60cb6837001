// RDS and Aurora rules: encrypted, private, logged, monitored, backed up, protected from deletion,
// highly available, patched.
#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>

#include "hipaa/aws/rds.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

// Calls `visit(construct, settings)` for every Aurora cluster and RDS instance.
template <class F>
void each_database(const Inventory& stack, F&& visit) {
  each<rds::DatabaseCluster>(stack, [&](const auto& db) { visit(db, db.props().settings); });
  each<rds::DatabaseInstance>(stack, [&](const auto& db) { visit(db, db.props().settings); });
}

void database_encrypted(const Inventory& stack, Reporter& report) {
  each_database(stack, [&](const Resource& db, const rds::DatabaseSettings& s) {
    if (!s.storage_encrypted) {
      report.flag(db, "storage is not encrypted");
    } else if (flag_override(db, {"StorageEncrypted", "storage_encrypted", false}, report)) {
      return;
    } else if (!s.kms_key) {
      report.flag(db, "storage is encrypted with the AWS managed key, not a customer managed key");
    }
  });
}

void database_private(const Inventory& stack, Reporter& report) {
  each<rds::DatabaseInstance>(stack, [&](const auto& db) {
    if (db.props().publicly_accessible) {
      report.flag(db, "the instance is publicly accessible");
    } else {
      flag_override(db, {"PubliclyAccessible", "publicly_accessible", true}, report);
    }
  });
  each<rds::DatabaseClusterInstance>(stack, [&](const auto& db) {
    if (db.props().publicly_accessible) {
      report.flag(db, "the cluster instance is publicly accessible");
    } else {
      flag_override(db, {"PubliclyAccessible", "publicly_accessible", true}, report);
    }
  });
}

// Every log type the engine has: PostgreSQL's upgrade log records major version upgrades.
void database_logs(const Inventory& stack, Reporter& report) {
  auto check = [&](const Construct& db, const rds::DatabaseSettings& s, std::initializer_list<std::string_view> all) {
    if (!s.export_logs) {
      report.flag(db, "no database logs are exported to CloudWatch Logs");
      return;
    }
    if (s.cloudwatch_logs_exports.empty()) return;  // every type the engine has
    std::string missing;
    for (std::string_view type : all) {
      if (std::find(s.cloudwatch_logs_exports.begin(), s.cloudwatch_logs_exports.end(), type) ==
          s.cloudwatch_logs_exports.end()) {
        missing += (missing.empty() ? "" : ", ") + std::string(type);
      }
    }
    if (!missing.empty()) report.flag(db, "log types not exported to CloudWatch Logs: " + missing);
  };
  each<rds::DatabaseCluster>(stack, [&](const auto& db) { check(db, db.props().settings, {"postgresql"}); });
  each<rds::DatabaseInstance>(stack, [&](const auto& db) {
    check(db, db.props().settings, {"postgresql", "upgrade"});
  });
}

// Enhanced Monitoring on every instance, cluster members included.
void database_enhanced_monitoring(const Inventory& stack, Reporter& report) {
  auto check = [&](const Construct& db, const rds::EnhancedMonitoring& m) {
    if (m.interval_seconds <= 0) report.flag(db, "Enhanced Monitoring is off");
  };
  each<rds::DatabaseInstance>(stack, [&](const auto& db) { check(db, db.props().monitoring); });
  each<rds::DatabaseClusterInstance>(stack, [&](const auto& db) { check(db, db.props().monitoring); });
}

void database_minor_version_upgrades(const Inventory& stack, Reporter& report) {
  each<rds::DatabaseInstance>(stack, [&](const auto& db) {
    if (!db.props().auto_minor_version_upgrade) report.flag(db, "automatic minor version upgrades are off");
  });
  each<rds::DatabaseClusterInstance>(stack, [&](const auto& db) {
    if (!db.props().auto_minor_version_upgrade) report.flag(db, "automatic minor version upgrades are off");
  });
}

void database_iam_authentication(const Inventory& stack, Reporter& report) {
  each_database(stack, [&](const Construct& db, const rds::DatabaseSettings& s) {
    if (!s.iam_database_authentication) report.flag(db, "IAM database authentication is off");
  });
}

void database_backups(const Inventory& stack, Reporter& report) {
  each_database(stack, [&](const Construct& db, const rds::DatabaseSettings& s) {
    if (s.backup_retention_days < 7) {
      report.flag(db, "automated backups are kept " + std::to_string(s.backup_retention_days) +
                          " day(s); at least 7 are required");
    }
  });
}

void database_deletion_protection(const Inventory& stack, Reporter& report) {
  each_database(stack, [&](const Resource& db, const rds::DatabaseSettings& s) {
    if (!s.deletion_protection) {
      report.flag(db, "deletion protection is off");
    } else {
      flag_override(db, {"DeletionProtection", "deletion_protection", false}, report);
    }
  });
}

void database_multi_az(const Inventory& stack, Reporter& report) {
  each<rds::DatabaseInstance>(stack, [&](const auto& db) {
    if (!db.props().multi_az) report.flag(db, "the instance is in a single availability zone");
  });
  const auto instances = all<rds::DatabaseClusterInstance>(stack);
  each<rds::DatabaseCluster>(stack, [&](const auto& cluster) {
    std::size_t count = 0;
    for (const auto* i : instances) count += i->props().cluster.get() == &cluster ? 1 : 0;
    if (count < 2) {
      report.flag(cluster, "the cluster has " + std::to_string(count) + " instance(s); failover needs at least 2");
    }
  });
}

void databases_in_backup_plan(const Inventory& stack, Reporter& report) {
  BackupCoverage coverage(stack);
  each<rds::DatabaseCluster>(stack, [&](const auto& db) {
    if (!coverage.protects(db)) report.flag(db, std::string(kNotInBackupPlan));
  });
  each<rds::DatabaseInstance>(stack, [&](const auto& db) {
    if (!coverage.protects(db)) report.flag(db, std::string(kNotInBackupPlan));
  });
}

}  // namespace

const std::vector<Rule>& rds_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-RDS-1", Severity::Error, kEncryptionAtRest, "Databases encrypt storage with a customer managed KMS key",
       "set storage_encrypted and kms_key", database_encrypted, "RDSStorageEncrypted"},
      {"HIPAA-RDS-2", Severity::Error, kTransmissionSecurity, "Database instances are not publicly accessible",
       "set publicly_accessible to false", database_private, "RDSInstancePublicAccess"},
      {"HIPAA-RDS-3", Severity::Error, kAuditControls,
       "Databases export every log type of their engine to CloudWatch Logs",
       "leave cloudwatch_logs_exports empty (every type) or list them all (PostgreSQL: postgresql, upgrade)",
       database_logs, "RDSLoggingEnabled"},
      {"HIPAA-RDS-4", Severity::Warning, kAuthentication, "Databases accept IAM authentication",
       "set iam_database_authentication", database_iam_authentication},
      {"HIPAA-RDS-5", Severity::Error, kDataBackupPlan, "Databases keep automated backups for at least 7 days",
       "set backup_retention_days to 7 or more", database_backups, "RDSInstanceBackupEnabled"},
      {"HIPAA-RDS-6", Severity::Error, kContingencyPlan, "Databases have deletion protection",
       "set deletion_protection", database_deletion_protection, "RDSInstanceDeletionProtectionEnabled"},
      {"HIPAA-RDS-7", Severity::Error, kContingencyPlan,
       "Databases survive the loss of an availability zone (Multi-AZ, or two or more cluster instances)",
       "set multi_az, or add a second cluster instance", database_multi_az, "RDSMultiAZSupport"},
      {"HIPAA-RDS-8", Severity::Error, kAuditControls, "Database instances have Enhanced Monitoring",
       "set monitoring.interval_seconds to 60 or less (not 0)", database_enhanced_monitoring,
       "RDSEnhancedMonitoringEnabled"},
      {"HIPAA-RDS-9", Severity::Error, kContingencyPlan, "Database instances take automatic minor version upgrades",
       "set auto_minor_version_upgrade", database_minor_version_upgrades, "RDSAutomaticMinorVersionUpgradeEnabled"},
  };
  return rules;
}

// Aurora is backed up at the cluster (AWS Backup does not back up its instances); cdk-nag's
// RDSInBackupPlan asks for the instances too, which the healthcare stack suppresses with a reason.
const std::vector<Rule>& database_backup_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-RDS-10", Severity::Error, kDataBackupPlan, "Databases are in an AWS Backup plan",
       "select the cluster or instance in a backup::Selection whose plan has a rule", databases_in_backup_plan,
       "RDSInBackupPlan"},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
