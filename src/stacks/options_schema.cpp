#include "stacks/options_schema.hpp"

#include "core/regions.hpp"

#include <array>
#include <span>
#include <string>
#include <utility>
#include <vector>

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

const std::array<std::pair<std::string_view, Preset>, 3> kPresets = [] {
  std::array<std::pair<std::string_view, Preset>, 3> names;
  std::size_t i = 0;
  for (Preset p : {Preset::Processing, Preset::Records, Preset::Hardened}) names.at(i++) = {to_string(p), p};
  return names;
}();
constexpr auto kDatabaseEngines = std::to_array<std::pair<std::string_view, DatabaseEngine>>({
    {"aurora-postgresql", DatabaseEngine::AuroraPostgresql},
    {"postgres", DatabaseEngine::Postgres},
});
constexpr auto kApiKinds = std::to_array<std::pair<std::string_view, ApiKind>>({
    {"rest", ApiKind::Rest},
    {"http", ApiKind::Http},
});

// Every known region, after "" when `with_empty`.
std::vector<std::string_view> regions(bool with_empty) {
  std::vector<std::string_view> out;
  if (with_empty) out.emplace_back();
  for (const Partition& p : partitions()) out.insert(out.end(), p.regions.begin(), p.regions.end());
  return out;
}
std::span<const std::string_view> known_regions_or_empty() {
  static const std::vector<std::string_view> all = regions(true);
  return all;
}
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

TextLimits loosest_environment_suffix_limits() {
  TextLimits limits = environment_suffix_limits("a");
  limits.description += fmt::format("; at most {} characters together with name_prefix", kNameBudget);
  return limits;
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

std::span<const std::string_view> known_regions() {
  static const std::vector<std::string_view> all = regions(false);
  return all;
}

EnumNames<Preset> preset_names() { return kPresets; }
EnumNames<DatabaseEngine> database_engine_names() { return kDatabaseEngines; }
EnumNames<ApiKind> api_kind_names() { return kApiKinds; }

OptionFields route_fields(HealthcareOptions::Route& route) {
  return {
      {"method", &route.method, "HTTP method, or ANY", {.choices = route_methods}},
      {"path", &route.path, "Resource path; {name} is a path parameter", {.prefix = kRoutePathStart}},
  };
}

// Adding an option is one line in the right table, with a short description for the schema.
OptionSchema::OptionSchema(HealthcareOptions& o)
    : network_{
          {"vpc_cidr", &o.network.vpc_cidr, "IPv4 CIDR block of the VPC"},
          {"public_subnet_cidrs", &o.network.public_subnet_cidrs,
           "CIDR blocks of public subnets with an internet gateway; nothing in the stack needs them"},
          {"private_subnet_cidrs", &o.network.private_subnet_cidrs,
           "CIDR blocks of the private subnets, one per availability zone"},
          {"flow_logs", &o.network.flow_logs, "VPC flow logs to an encrypted log group"},
          {"secrets_manager_endpoint", &o.network.secrets_manager_endpoint,
           "A VPC interface endpoint for Secrets Manager"},
          {"lambda_egress_anywhere", &o.network.lambda_egress_anywhere,
           "The function may send all traffic to 0.0.0.0/0 (a seed's defect)"},
      },
      database_{
          {"engine", &o.database.engine, "aurora-postgresql (Aurora Serverless v2) or postgres (an RDS instance)"},
          {"engine_version", &o.database.engine_version, "PostgreSQL engine version"},
          {"instance_class", &o.database.instance_class, "RDS instance class (postgres only)"},
          {"allocated_storage_gb", &o.database.allocated_storage_gb, "Storage in GiB (postgres only)"},
          {"min_capacity", &o.database.min_capacity, "Aurora Serverless v2 minimum capacity, in ACUs"},
          {"max_capacity", &o.database.max_capacity, "Aurora Serverless v2 maximum capacity, in ACUs"},
          {"instances", &o.database.instances, "Aurora cluster instances: a writer and up to 15 replicas",
           {.number = kDatabaseInstances}},
          {"multi_az", &o.database.multi_az, "A standby in another availability zone"},
          {"backup_retention_days", &o.database.backup_retention_days, "Days automated backups are kept"},
          {"enhanced_monitoring_interval", &o.database.enhanced_monitoring_interval,
           "Enhanced Monitoring every N seconds (1, 5, 10, 15, 30 or 60); 0 turns it off"},
          {"performance_insights", &o.database.performance_insights,
           "Performance Insights, encrypted with the data key"},
          {"log_exports", &o.database.log_exports,
           "Log types exported to CloudWatch Logs; empty: every type the engine exports"},
          {"deletion_protection", &o.database.deletion_protection, "The database cannot be deleted while it is on"},
          {"snapshot_on_delete", &o.database.snapshot_on_delete, "A final snapshot when the database is deleted"},
          {"database_name", &o.database.database_name, "Name of the database created in the cluster or instance",
           {.text = database_identifier_limits}},
          {"master_username", &o.database.master_username, "Master user name; its password is generated",
           {.text = database_identifier_limits}},
      },
      cache_{
          {"enabled", &o.cache.enabled, "A Redis cache (ElastiCache replication group)"},
          {"node_type", &o.cache.node_type, "ElastiCache node type"},
          {"engine_version", &o.cache.engine_version, "Redis engine version"},
          {"nodes", &o.cache.nodes, "Cache nodes"},
          {"snapshot_retention_days", &o.cache.snapshot_retention_days, "Days cache snapshots are kept"},
      },
      api_{
          {"kind", &o.api.kind, "rest (API Gateway REST API) or http (HTTP API)"},
          {"routes", &o.api.routes, "The API's routes to the function; replaces the preset's whole list"},
          {"iam_authorization", &o.api.iam_authorization, "Callers sign requests with IAM (SigV4)"},
          {"cors_allowed_origins", &o.api.cors_allowed_origins, "Origins CORS allows"},
          {"throttling_burst_limit", &o.api.throttling_burst_limit, "Throttling burst limit, in requests",
           {.number = kThrottlingLimits}},
          {"throttling_rate_limit", &o.api.throttling_rate_limit, "Throttling rate limit, in requests per second",
           {.number = kThrottlingLimits}},
          {"integration_timeout_ms", &o.api.integration_timeout_ms,
           "Integration timeout in milliseconds (REST integrations allow at most 29000)"},
          {"data_trace", &o.api.data_trace, "REST only: logs full request and response bodies (PHI)"},
          {"execution_logging_role", &o.api.execution_logging_role,
           "REST only: the API Gateway account's CloudWatch Logs role"},
          {"resource_policy", &o.api.resource_policy, "REST only: a seed's open execute-api resource policy"},
          {"cache", &o.api.cache, "REST only: an encrypted response cache for GET methods"},
          {"cache_ttl_seconds", &o.api.cache_ttl_seconds, "Seconds a cached response may be served"},
          {"client_certificate", &o.api.client_certificate,
           "REST only: API Gateway authenticates itself to the backend"},
          {"waf", &o.api.waf, "REST only: a logged WAF web ACL with AWS managed rules and a rate limit"},
      },
      function_{
          {"runtime", &o.function.runtime, "Lambda runtime"},
          {"memory_mb", &o.function.memory_mb, "Memory in MB"},
          {"timeout_seconds", &o.function.timeout_seconds, "Timeout in seconds"},
          {"aws_managed_vpc_policy", &o.function.aws_managed_vpc_policy,
           "Attach AWSLambdaVPCAccessExecutionRole (it also grants logs:* on every log group)"},
          {"reserved_concurrency", &o.function.reserved_concurrency,
           "Reserved concurrency; null leaves the function unreserved"},
          {"dead_letter_queue", &o.function.dead_letter_queue,
           "Failed asynchronous invocations go to an encrypted SQS queue"},
      },
      encryption_{
          {"separate_log_key", &o.encryption.separate_log_key, "One KMS key for data, another for logs"},
          {"log_key_allows_cloudwatch", &o.encryption.log_key_allows_cloudwatch,
           "The logs key's policy lets CloudWatch Logs use it"},
      },
      audit_{
          {"trail", &o.audit.trail, "A multi-region CloudTrail trail to an encrypted bucket and CloudWatch Logs"},
          {"replication_bucket_arn", &o.audit.replication_bucket_arn,
           "ARN of a bucket in another region the audit bucket replicates to; empty: none"},
          {"replication_key_arn", &o.audit.replication_key_arn,
           "ARN of the KMS key that encrypts the replicas"},
      },
      backup_{
          {"enabled", &o.backup.enabled, "AWS Backup of the database, to a locked vault"},
          {"retention_days", &o.backup.retention_days, "Days recovery points are kept"},
          {"schedule", &o.backup.schedule, "The backup plan's schedule expression"},
      },
      alarms_{
          {"enabled", &o.alarms.enabled, "Alarms to an encrypted SNS topic"},
          {"email_addresses", &o.alarms.email_addresses, "Email addresses subscribed to the alarm topic"},
      },
      state_{
          {"bucket", &o.state.bucket, "S3 bucket of the Terraform state; empty: local state"},
          {"key", &o.state.key, "Key of the state in the bucket; empty: <stack id>/<environment_suffix>.tfstate"},
          {"region", &o.state.region, "Region of the state bucket; empty: the stack's region",
           {.choices = known_regions_or_empty}},
          {"kms_key_id", &o.state.kms_key_id, "KMS key (ARN or alias) that encrypts the state"},
      },
      top_{
          {"preset", &preset_, "The preset the other options start from; applied before the rest of the file"},
          {"environment_suffix", &o.environment_suffix,
           "Suffix of resource names ('<name_prefix>-<what>-<environment_suffix>'), to keep environments apart",
           {.text = loosest_environment_suffix_limits}},
          {"region", &o.region, "AWS region of the stack", {.choices = known_regions}},
          {"name_prefix", &o.name_prefix, "Prefix of resource names", {.text = name_prefix_limits}},
          {"log_retention_days", &o.log_retention_days, "Days the stack's log groups keep events"},
          {"exports", &o.exports, "CloudFormation Outputs carry Export names"},
          {"network", &network_, "The VPC and its subnets"},
          {"database", &database_, "The PostgreSQL database"},
          {"cache", &cache_, "The Redis cache"},
          {"api", &api_, "The API in front of the function"},
          {"function", &function_, "The Lambda function"},
          {"encryption", &encryption_, "KMS keys"},
          {"audit", &audit_, "The audit trail"},
          {"backup", &backup_, "AWS Backup of the database"},
          {"alarms", &alarms_, "Alarms and their notifications"},
          {"state", &state_, "Where Terraform keeps the stack's state"},
      } {}

}  // namespace hipaa::detail
