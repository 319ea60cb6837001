// ElastiCache (Redis) rules: encrypted at rest and in transit, authenticated, snapshotted, highly
// available.
#include <string>

#include "hipaa/aws/elasticache.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

void cache_encrypted_at_rest(const Inventory& stack, Reporter& report) {
  each<elasticache::ReplicationGroup>(stack, [&](const auto& cache) {
    if (!cache.props().at_rest_encryption) {
      report.flag(cache, "encryption at rest is off");
    } else {
      flag_override(cache, {"AtRestEncryptionEnabled", "at_rest_encryption_enabled", false}, report);
    }
  });
}

void cache_encrypted_in_transit(const Inventory& stack, Reporter& report) {
  each<elasticache::ReplicationGroup>(stack, [&](const auto& cache) {
    if (!cache.props().transit_encryption) {
      report.flag(cache, "TLS (in-transit encryption) is off");
    } else {
      flag_override(cache, {"TransitEncryptionEnabled", "transit_encryption_enabled", false}, report);
    }
  });
}

void cache_authenticated(const Inventory& stack, Reporter& report) {
  each<elasticache::ReplicationGroup>(stack, [&](const auto& cache) {
    if (cache.props().user_groups.empty()) {
      report.flag(cache, "clients connect without authentication: no RBAC user group");
    }
  });
}

void cache_snapshots(const Inventory& stack, Reporter& report) {
  each<elasticache::ReplicationGroup>(stack, [&](const auto& cache) {
    const int days = cache.props().snapshot_retention_days;
    if (days < 1) {
      report.flag(cache, "automatic snapshots are off");
    } else if (days < 15) {
      report.flag(cache, "automatic snapshots are kept " + std::to_string(days) + " day(s); at least 15 are required");
    }
  });
}

void cache_failover(const Inventory& stack, Reporter& report) {
  each<elasticache::ReplicationGroup>(stack, [&](const auto& cache) {
    if (!cache.props().automatic_failover || !cache.props().multi_az) {
      report.flag(cache, "automatic failover across availability zones is off");
    }
  });
}

}  // namespace

const std::vector<Rule>& elasticache_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-CACHE-1", Severity::Error, kEncryptionAtRest, "Redis encrypts data at rest",
       "set at_rest_encryption and kms_key", cache_encrypted_at_rest},
      {"HIPAA-CACHE-2", Severity::Error, kTransmissionSecurity, "Redis requires TLS", "set transit_encryption",
       cache_encrypted_in_transit},
      {"HIPAA-CACHE-3", Severity::Error, kAuthentication, "Redis clients authenticate",
       "attach an RBAC user group with IAM-authenticated users and a disabled default user", cache_authenticated},
      {"HIPAA-CACHE-4", Severity::Error, kDataBackupPlan, "Redis keeps automatic snapshots for at least 15 days",
       "set snapshot_retention_days to 15 or more", cache_snapshots, "ElastiCacheRedisClusterAutomaticBackup"},
      {"HIPAA-CACHE-5", Severity::Warning, kContingencyPlan, "Redis fails over across availability zones",
       "set automatic_failover and multi_az with two or more nodes", cache_failover},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
