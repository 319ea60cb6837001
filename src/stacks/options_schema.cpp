#include "stacks/options_schema.hpp"

#include <array>
#include <string>

#include <fmt/format.h>

namespace hipaa::detail {

namespace {
constexpr NameGrammar kLowerWords{.first = "a-z0-9", .rest = "a-z0-9", .separator = '-'};
constexpr NameGrammar kLowerWordsFromLetter{.first = "a-z", .rest = "a-z0-9", .separator = '-'};
constexpr NameGrammar kIdentifier{.first = "A-Za-z", .rest = "A-Za-z0-9_"};

// Whether `c` is in the bracket expression body `set` ("A-Za-z0-9_": ranges and single characters).
bool in_set(std::string_view set, char c) {
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (i + 2 < set.size() && set[i + 1] == '-') {
      if (c >= set[i] && c <= set[i + 2]) return true;
      i += 2;
    } else if (c == set[i]) {
      return true;
    }
  }
  return false;
}
constexpr auto kRouteMethods =
    std::to_array<std::string_view>({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"});
}  // namespace

TextLimits environment_suffix_limits(std::string_view name_prefix) {
  const std::size_t max = name_prefix.size() < kNameBudget ? kNameBudget - name_prefix.size() : 1;
  return {.grammar = kLowerWords,
          .min_length = 1,
          .max_length = max,
          .description = max == 1
                             ? std::string("one lower-case letter or digit (the name prefix leaves no more room)")
                             : fmt::format("1-{} lower-case letters or digits, with single hyphens between them", max)};
}

TextLimits name_prefix_limits() {
  return {.grammar = kLowerWordsFromLetter,
          .min_length = 1,
          .max_length = kNameBudget - 1,
          .description =
              fmt::format("1-{} lower-case letters or digits starting with a letter, with single hyphens between them",
                          kNameBudget - 1)};
}

TextLimits database_identifier_limits() {
  return {.grammar = kIdentifier,
          .min_length = 1,
          .max_length = 63,
          .description = "1-63 letters, digits or underscores starting with a letter"};
}

bool within(const TextLimits& limits, std::string_view value) {
  if (value.size() < limits.min_length || (limits.max_length != 0 && value.size() > limits.max_length)) return false;
  return limits.grammar.matches(value);
}

std::string NameGrammar::pattern() const {
  const std::string word = first == rest ? fmt::format("[{}]+", first) : fmt::format("[{}][{}]*", first, rest);
  return separator == '\0' ? word : fmt::format("{}({}[{}]+)*", word, separator, rest);
}

bool NameGrammar::matches(std::string_view value) const {
  if (value.empty() || !in_set(first, value.front())) return false;
  for (std::size_t i = 1; i < value.size(); ++i) {
    const char c = value[i];
    const bool separates = separator != '\0' && c == separator;
    if (separates && (value[i - 1] == separator || i + 1 == value.size())) return false;
    if (!separates && !in_set(rest, c)) return false;
  }
  return true;
}

std::span<const std::string_view> route_methods() { return kRouteMethods; }

// Adding an option is one line in the right table.
OptionSchema::OptionSchema(HealthcareOptions& o)
    : network_{
          {"vpc_cidr", &o.network.vpc_cidr},
          {"public_subnet_cidrs", &o.network.public_subnet_cidrs},
          {"private_subnet_cidrs", &o.network.private_subnet_cidrs},
          {"flow_logs", &o.network.flow_logs},
          {"secrets_manager_endpoint", &o.network.secrets_manager_endpoint},
          {"lambda_egress_anywhere", &o.network.lambda_egress_anywhere},
      },
      database_{
          {"engine", &o.database.engine},
          {"engine_version", &o.database.engine_version},
          {"instance_class", &o.database.instance_class},
          {"allocated_storage_gb", &o.database.allocated_storage_gb},
          {"min_capacity", &o.database.min_capacity},
          {"max_capacity", &o.database.max_capacity},
          {"instances", &o.database.instances},
          {"multi_az", &o.database.multi_az},
          {"backup_retention_days", &o.database.backup_retention_days},
          {"enhanced_monitoring_interval", &o.database.enhanced_monitoring_interval},
          {"performance_insights", &o.database.performance_insights},
          {"log_exports", &o.database.log_exports},
          {"deletion_protection", &o.database.deletion_protection},
          {"snapshot_on_delete", &o.database.snapshot_on_delete},
          {"database_name", &o.database.database_name},
          {"master_username", &o.database.master_username},
      },
      cache_{
          {"enabled", &o.cache.enabled},
          {"node_type", &o.cache.node_type},
          {"engine_version", &o.cache.engine_version},
          {"nodes", &o.cache.nodes},
          {"snapshot_retention_days", &o.cache.snapshot_retention_days},
      },
      api_{
          {"kind", &o.api.kind},
          {"routes", &o.api.routes},
          {"iam_authorization", &o.api.iam_authorization},
          {"cors_allowed_origins", &o.api.cors_allowed_origins},
          {"throttling_burst_limit", &o.api.throttling_burst_limit},
          {"throttling_rate_limit", &o.api.throttling_rate_limit},
          {"integration_timeout_ms", &o.api.integration_timeout_ms},
          {"data_trace", &o.api.data_trace},
          {"execution_logging_role", &o.api.execution_logging_role},
          {"resource_policy", &o.api.resource_policy},
          {"cache", &o.api.cache},
          {"cache_ttl_seconds", &o.api.cache_ttl_seconds},
          {"client_certificate", &o.api.client_certificate},
          {"waf", &o.api.waf},
      },
      function_{
          {"runtime", &o.function.runtime},
          {"memory_mb", &o.function.memory_mb},
          {"timeout_seconds", &o.function.timeout_seconds},
          {"aws_managed_vpc_policy", &o.function.aws_managed_vpc_policy},
          {"reserved_concurrency", &o.function.reserved_concurrency},
          {"dead_letter_queue", &o.function.dead_letter_queue},
      },
      encryption_{
          {"separate_log_key", &o.encryption.separate_log_key},
          {"log_key_allows_cloudwatch", &o.encryption.log_key_allows_cloudwatch},
      },
      audit_{
          {"trail", &o.audit.trail},
          {"replication_bucket_arn", &o.audit.replication_bucket_arn},
          {"replication_key_arn", &o.audit.replication_key_arn},
      },
      backup_{
          {"enabled", &o.backup.enabled},
          {"retention_days", &o.backup.retention_days},
          {"schedule", &o.backup.schedule},
      },
      alarms_{
          {"enabled", &o.alarms.enabled},
          {"email_addresses", &o.alarms.email_addresses},
      },
      state_{
          {"bucket", &o.state.bucket},
          {"key", &o.state.key},
          {"region", &o.state.region},
          {"kms_key_id", &o.state.kms_key_id},
      },
      top_{
          {"preset", &preset_},
          {"environment_suffix", &o.environment_suffix},
          {"region", &o.region},
          {"name_prefix", &o.name_prefix},
          {"log_retention_days", &o.log_retention_days},
          {"exports", &o.exports},
          {"network", &network_},
          {"database", &database_},
          {"cache", &cache_},
          {"api", &api_},
          {"function", &function_},
          {"encryption", &encryption_},
          {"audit", &audit_},
          {"backup", &backup_},
          {"alarms", &alarms_},
          {"state", &state_},
      } {}

}  // namespace hipaa::detail
