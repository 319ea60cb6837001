// hipaa/healthcare.hpp: the built-in HIPAA healthcare stack: a patient-records API with a private
// PostgreSQL database, a Redis cache, a Lambda function behind API Gateway, KMS encryption at
// rest, TLS in transit, audit logs, least-privilege IAM, backups and multi-AZ failover.
//
//   App app;
//   auto options = HealthcareOptions::preset(Preset::Hardened);
//   options.environment_suffix = "prod";
//   app.add<HealthcareStack>("HealthcareStack", options);
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hipaa/construct.hpp"

namespace hipaa {

// `processing` mirrors seed 000 (Aurora Serverless v2, Redis, HTTP API); `records` mirrors seed
// 002 (RDS instance, Secrets Manager endpoint, REST API with IAM auth, two keys, exports); both
// keep the seeds' policy defects so `hipaa-synth check` can show them. `hardened` has both
// architectures' parts with every defect fixed.
enum class Preset { Processing, Records, Hardened };
enum class DatabaseEngine { AuroraPostgresql, Postgres };
enum class ApiKind { Rest, Http };

[[nodiscard]] std::string_view to_string(Preset preset);
[[nodiscard]] std::optional<Preset> parse_preset(std::string_view name);

// Where a HealthcareStack's options were set, so that findings and validation errors about the
// stack point there: the preset they started from (HealthcareOptions::preset sets it), and the
// config file with the line of every key it gave (apply_config sets them).
struct OptionSources {
  std::string preset = "hardened";
  std::string file;  // the config file as the user named it; empty: none was applied
  // Every key the file gave, dotted, with its 1-based line: "database" -> 3,
  // "database.deletion_protection" -> 5, "preset" -> 1. An option set after the file was read
  // (--region on the command line) is erased, so nothing points at a line that did not set it.
  std::map<std::string, unsigned, std::less<>> lines;
};

struct HealthcareOptions {
  std::string environment_suffix = "dev";  // default of the EnvironmentSuffix parameter
  std::string region = "us-east-1";
  std::string name_prefix = "healthcare";  // resource names are "<prefix>-<what>-<suffix>"

  struct Network {
    std::string vpc_cidr = "10.0.0.0/16";
    // Public subnets with an internet gateway and a default route. Nothing in the stack needs
    // them (the seeds built them anyway), so the hardened stack has none.
    std::vector<std::string> public_subnet_cidrs = {};
    std::vector<std::string> private_subnet_cidrs = {"10.0.10.0/24", "10.0.11.0/24"};
    bool flow_logs = true;
    bool secrets_manager_endpoint = true;
    bool lambda_egress_anywhere = false;  // seed 000: all traffic to 0.0.0.0/0
  } network;

  struct Database {
    DatabaseEngine engine = DatabaseEngine::AuroraPostgresql;
    std::string engine_version = "16.6";
    std::string instance_class = "db.t4g.micro";  // RDS instance only
    int allocated_storage_gb = 20;                // RDS instance only
    double min_capacity = 0.5;                    // Aurora Serverless v2 ACUs
    double max_capacity = 2.0;
    int instances = 2;  // Aurora cluster instances
    bool multi_az = true;
    int backup_retention_days = 7;
    // RDS Enhanced Monitoring every N seconds (1, 5, 10, 15, 30, 60); 0 turns it off.
    int enhanced_monitoring_interval = 60;
    bool performance_insights = true;  // encrypted with the data key
    // Log types exported to CloudWatch Logs; empty: every type the engine exports.
    std::vector<std::string> log_exports = {};
    bool deletion_protection = true;
    bool snapshot_on_delete = true;
    std::string database_name = "patients";
    std::string master_username = "dbadmin";
  } database;

  struct Cache {
    bool enabled = true;
    std::string node_type = "cache.t4g.micro";
    std::string engine_version = "7.1";
    int nodes = 2;
    int snapshot_retention_days = 15;
  } cache;

  struct Route {
    std::string method;  // "GET", "POST", "ANY"
    std::string path;    // "/patients/{id}"
    friend bool operator==(const Route&, const Route&) = default;
  };

  struct Api {
    ApiKind kind = ApiKind::Rest;
    std::vector<Route> routes = {{"POST", "/patients"}, {"GET", "/patients/{id}"}};
    bool iam_authorization = true;
    std::vector<std::string> cors_allowed_origins = {"https://app.example.com"};
    int throttling_burst_limit = 100;
    double throttling_rate_limit = 50;
    int integration_timeout_ms = 29000;  // REST integrations allow at most 29000
    bool data_trace = false;             // REST only: logs full bodies (PHI) when on
    bool execution_logging_role = true;  // REST only: the API Gateway account's CloudWatch role
    bool resource_policy = false;        // REST only: seed 002's open execute-api policy
    // REST only: an encrypted response cache for GET methods, keyed by their path parameters. Not
    // keyed by caller: any caller allowed to call a method may get its cached responses.
    bool cache = true;
    int cache_ttl_seconds = 60;      // how stale a cached read may be
    bool client_certificate = true;  // REST only: API Gateway authenticates itself to the backend
    bool waf = true;                 // REST only: a WAF web ACL (AWS managed rules, rate limit), logged
  } api;

  struct Function {
    std::string runtime = "nodejs22.x";
    int memory_mb = 512;
    int timeout_seconds = 25;
    // The seeds attach AWSLambdaVPCAccessExecutionRole, which also grants logs:* on every log
    // group; without it the role gets only the network-interface actions a VPC function needs.
    bool aws_managed_vpc_policy = false;
    // Caps the function's share of the account's concurrency (and guarantees it that much).
    std::optional<int> reserved_concurrency = 25;
    // Failed asynchronous invocations go to an encrypted SQS queue kept 14 days.
    bool dead_letter_queue = true;
  } function;

  struct Encryption {
    bool separate_log_key = true;           // one key for data, one for logs
    bool log_key_allows_cloudwatch = true;  // seed 000 forgot this: log groups fail to create
  } encryption;

  // The audit trail: a multi-region CloudTrail trail with log file validation, encrypted with the
  // logs key, delivered to CloudWatch Logs and to an encrypted, versioned, access-logged, TLS-only
  // bucket that outlives the stack.
  struct Audit {
    bool trail = true;
    // Replicates the audit bucket to a versioned bucket in another region (its ARN, and the key
    // that encrypts replicas there), with a role the stack creates. Empty: not replicated, which
    // the stack records as a suppression of HIPAA-S3-3 with its reason.
    std::string replication_bucket_arn;
    std::string replication_key_arn;
  } audit;

  // AWS Backup of the database: a vault on the data key with a vault lock, a daily plan.
  struct Backup {
    bool enabled = true;
    int retention_days = 35;  // HIPAA-BACKUP-2 wants 35 or more
    std::string schedule = "cron(0 5 ? * * *)";
  } backup;

  // An SNS topic encrypted with the data key, and alarms on dead letters, API 5xx responses and
  // database CPU that notify it (and the given email addresses).
  struct Alarms {
    bool enabled = true;
    std::vector<std::string> email_addresses = {};
  } alarms;

  int log_retention_days = 365;
  bool exports = true;  // CloudFormation Outputs carry Export names

  // Where Terraform keeps the stack's state (state.bucket, state.key, state.region,
  // state.kms_key_id). No bucket: local state. The key defaults to "<stack id>/<suffix>.tfstate",
  // the region to the stack's.
  TerraformBackend state;

  // Not an option: where the options above were set (see OptionSources).
  OptionSources sources;

  [[nodiscard]] static HealthcareOptions preset(Preset preset);
};

// Findings and validation errors about its constructs name the option that set the offending
// value and where it was set: the config file's line for the key (options.sources), else the line
// of the program that added the stack; the built-in stack of the command line names its preset.
class HealthcareStack : public Stack {
 public:
  using Props = HealthcareOptions;
  HealthcareStack(Construct& scope, std::string id, HealthcareOptions options,
                  SourceLocation where = SourceLocation::current());
  ~HealthcareStack() override;

  [[nodiscard]] const HealthcareOptions& options() const { return options_; }

  // The options' own limits (names AWS would reject, unknown regions, methods API Gateway does
  // not know), each error naming the option, its value, its limit and where it was set.
  void validate(Diagnostics& out) const override;

 private:
  [[nodiscard]] std::optional<Origin> origin_of(const Construct& node, std::string_view code) const override;

  HealthcareOptions options_;
  // The part of the stack (an options section: "database") each child of the stack was built for.
  std::map<const Construct*, std::string_view> parts_;
  // Which option each problem of the stack comes from, worked out on first use.
  struct Blame;
  std::unique_ptr<Blame> blame_;
};

}  // namespace hipaa
