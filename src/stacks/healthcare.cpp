#include "hipaa/healthcare.hpp"
#include "hipaa/network.hpp"

#include <algorithm>
#include <map>

#include "hipaa/audit_trail.hpp"
#include "hipaa/aws/apigateway.hpp"
#include "hipaa/aws/apigatewayv2.hpp"
#include "hipaa/aws/backup.hpp"
#include "hipaa/aws/cloudwatch.hpp"
#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/elasticache.hpp"
#include "hipaa/aws/iam.hpp"
#include "hipaa/aws/kms.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/logs.hpp"
#include "hipaa/aws/rds.hpp"
#include "hipaa/aws/secretsmanager.hpp"
#include "hipaa/aws/sns.hpp"
#include "hipaa/aws/sqs.hpp"
#include "hipaa/aws/wafv2.hpp"
#include "stacks/healthcare_handler.hpp"
#include "stacks/healthcare_origins.hpp"
#include "stacks/options_schema.hpp"

namespace hipaa {

namespace {

// Builds the stack's constructs in dependency order; each method is one part of the system.
class Builder {
 public:
  Builder(HealthcareStack& stack, const HealthcareOptions& options) : s_(stack), o_(options) {
    // The limits synth checks the option against (HealthcareStack::validate), so a value the
    // template accepts at deploy time is one synth would have accepted.
    detail::TextLimits limits = detail::environment_suffix_limits(options.name_prefix);
    suffix_ = stack.add_parameter({.name = "EnvironmentSuffix",
                                   .description = "Suffix for resource names, to keep environments apart",
                                   .default_value = options.environment_suffix,
                                   .allowed_pattern = limits.grammar.pattern(),
                                   .min_length = limits.min_length,
                                   .max_length = limits.max_length,
                                   .constraint_description = std::move(limits.description)});
  }

  // Builds the stack; returns the options section each of the stack's children was built for.
  std::map<const Construct*, std::string_view> build() {
    part("encryption", &Builder::keys);
    if (o_.audit.trail) part("audit", &Builder::audit);
    part("network", &Builder::network);
    part("database", &Builder::database);
    if (o_.backup.enabled) part("backup", &Builder::backup);
    if (o_.cache.enabled) part("cache", &Builder::cache);
    if (o_.function.dead_letter_queue) part("function", &Builder::dead_letter_queue);
    part("function", &Builder::function);
    part("api", &Builder::api);
    if (o_.alarms.enabled) part("alarms", &Builder::alarms);
    outputs();
    return std::move(parts_);
  }

 private:
  void part(std::string_view section, void (Builder::*build_part)()) {
    const std::size_t first = s_.children().size();
    (this->*build_part)();
    for (std::size_t i = first; i < s_.children().size(); ++i) parts_[s_.children()[i].get()] = section;
  }

  // "<prefix>-<what>-<suffix>"
  [[nodiscard]] Value name(std::string_view what) const {
    return interpolate({o_.name_prefix + "-" + std::string(what) + "-", suffix_});
  }
  [[nodiscard]] Tags tags(std::string_view what) const { return {{"Name", name(what)}}; }

  void keys() {
    data_key_ = &s_.add<kms::Key>("DataKey", {.description = "Encrypts patient data at rest",
                                              .pending_window_days = 30,
                                              .allow_cloudwatch_alarms = o_.alarms.enabled,
                                              .tags = tags("data-key")});
    s_.add<kms::Alias>("DataKeyAlias", {.alias_name = interpolate({"alias/" + o_.name_prefix + "-data-", suffix_}),
                                        .target = *data_key_});
    if (!o_.encryption.separate_log_key) {
      log_key_ = data_key_;
      return;
    }
    log_key_ = &s_.add<kms::Key>("LogsKey", {.description = "Encrypts CloudWatch Logs log groups and the audit trail",
                                             .pending_window_days = 30,
                                             .allow_cloudwatch_logs = o_.encryption.log_key_allows_cloudwatch,
                                             .allow_cloudtrail = o_.audit.trail,
                                             .tags = tags("logs-key")});
    s_.add<kms::Alias>("LogsKeyAlias", {.alias_name = interpolate({"alias/" + o_.name_prefix + "-logs-", suffix_}),
                                        .target = *log_key_});
  }

  logs::LogGroup& log_group(std::string id, const std::string& path) {
    return s_.add<logs::LogGroup>(std::move(id), {.log_group_name = interpolate({path, suffix_}),
                                                  .retention_days = o_.log_retention_days,
                                                  .kms_key = *log_key_,
                                                  .tags = tags("logs")});
  }

  // Who did what, in every region: CloudTrail to CloudWatch Logs (searchable) and to a bucket that
  // outlives the stack, encrypted with the logs key and access-logged.
  void audit() {
    const auto& a = o_.audit;
    std::optional<AuditTrailProps::Replication> replication;
    if (!a.replication_bucket_arn.empty()) {
      replication = AuditTrailProps::Replication{
          .bucket_name = interpolate({o_.name_prefix + "-audit-", account_id(), "-", suffix_}),
          .destination_bucket_arn = a.replication_bucket_arn,
          .destination_kms_key_arn = a.replication_key_arn};
    }
    s_.add<AuditTrail>("Audit", {.kms_key = *log_key_,
                                 .trail_name = name("trail"),
                                 .log_group_name = interpolate({"/aws/cloudtrail/" + o_.name_prefix + "-", suffix_}),
                                 .log_retention_days = o_.log_retention_days,
                                 .replication = replication,
                                 .tags = tags("audit")});
  }

  // The VPC: private subnets (no route to or from the internet) reached by the function, the
  // database and the cache; AWS services through an interface endpoint; flow logs with the logs
  // key. The seeds' public subnets and internet gateway, when configured, are a Public tier.
  void network() {
    const auto& n = o_.network;
    std::vector<ec2::SubnetTier> tiers;
    if (!n.public_subnet_cidrs.empty()) {
      tiers.push_back({.name = "Public", .type = ec2::SubnetType::Public, .cidr_blocks = n.public_subnet_cidrs});
    }
    tiers.push_back({.name = "Private", .type = ec2::SubnetType::Isolated, .cidr_blocks = n.private_subnet_cidrs});
    std::vector<std::string> endpoints;
    if (n.secrets_manager_endpoint) endpoints.emplace_back("secretsmanager");
    network_ = &s_.add<ec2::Network>(
        "Network",
        {.cidr_block = n.vpc_cidr,
         .availability_zones = static_cast<int>(std::max(n.private_subnet_cidrs.size(), n.public_subnet_cidrs.size())),
         .subnets = tiers,
         .interface_endpoints = endpoints,
         .flow_logs = n.flow_logs,
         .flow_logs_key = *log_key_,
         .flow_logs_group_name = interpolate({"/aws/vpc/flow-logs/" + o_.name_prefix + "-", suffix_}),
         .flow_logs_retention_days = o_.log_retention_days});
    private_subnets_ = network_->subnets("Private");

    // The groups' rules are the function's connections, added once it exists (function()).
    lambda_sg_ = &security_group("LambdaSecurityGroup", "lambda-sg", "Patient records Lambda function");
    database_sg_ = &security_group("DatabaseSecurityGroup", "db-sg", "Patient records PostgreSQL database");
    if (o_.cache.enabled) cache_sg_ = &security_group("CacheSecurityGroup", "cache-sg", "Patient records Redis cache");
    if (n.lambda_egress_anywhere) {
      s_.add<ec2::SecurityGroupEgress>(
          "LambdaEgressAnywhere",
          {.group = *lambda_sg_, .protocol = "-1", .cidr_ipv4 = "0.0.0.0/0", .description = "All outbound traffic"});
    }
  }

  ec2::SecurityGroup& security_group(std::string id, std::string_view what, std::string description) {
    return s_.add<ec2::SecurityGroup>(
        std::move(id),
        {.vpc = network_->vpc(), .group_name = name(what), .description = std::move(description), .tags = tags(what)});
  }

  void database() {
    const auto& d = o_.database;
    auto& subnet_group = s_.add<rds::SubnetGroup>("DatabaseSubnetGroup",
                                                  {.subnet_group_name = name("db-subnet-group"),
                                                   .description = "Private subnets of the patient records database",
                                                   .subnets = private_subnets_,
                                                   .tags = tags("db-subnet-group")});
    rds::DatabaseSettings settings{
        .engine_version = d.engine_version,
        .database_name = d.database_name,
        .master_username = d.master_username,
        .subnet_group = subnet_group,
        .security_groups = {*database_sg_},
        .kms_key = *data_key_,
        .backup_retention_days = d.backup_retention_days,
        .cloudwatch_logs_exports = d.log_exports,
        .deletion_protection = d.deletion_protection,
        .removal = d.snapshot_on_delete ? RemovalPolicy::Snapshot : RemovalPolicy::Delete,
    };
    if (d.engine == DatabaseEngine::AuroraPostgresql) {
      auto& cluster = s_.add<rds::DatabaseCluster>(
          "DatabaseCluster", {.cluster_identifier = name("db"),
                              .settings = settings,
                              .serverless_v2 = rds::ServerlessV2Scaling{d.min_capacity, d.max_capacity},
                              .tags = tags("aurora")});
      cluster_ = &cluster;
      for (int i = 1; i <= d.instances; ++i) {
        const std::string number = std::to_string(i);
        members_.push_back(&s_.add<rds::DatabaseClusterInstance>(
            "DatabaseInstance" + number, {.instance_identifier = name("db-instance-" + number),
                                          .cluster = cluster,
                                          .monitoring = {.interval_seconds = d.enhanced_monitoring_interval},
                                          .performance_insights = {.enabled = d.performance_insights},
                                          .tags = tags("db-instance-" + number)}));
      }
      database_host_ = cluster.endpoint_address();
      database_port_ = cluster.endpoint_port();
      database_secret_ = cluster.master_secret_arn();
    } else {
      auto& instance =
          s_.add<rds::DatabaseInstance>("Database", {.instance_identifier = name("db"),
                                                     .instance_class = d.instance_class,
                                                     .allocated_storage_gb = d.allocated_storage_gb,
                                                     .multi_az = d.multi_az,
                                                     .monitoring = {.interval_seconds = d.enhanced_monitoring_interval},
                                                     .performance_insights = {.enabled = d.performance_insights},
                                                     .settings = settings,
                                                     .tags = tags("db")});
      instance_ = &instance;
      database_host_ = instance.endpoint_address();
      database_port_ = instance.endpoint_port();
      database_secret_ = instance.master_secret_arn();
    }
  }

  // AWS Backup of the database, beside RDS's own automated backups: a vault on the data key whose
  // lock keeps recovery points for the retention, and a daily plan.
  void backup() {
    const auto& b = o_.backup;
    auto& vault =
        s_.add<backup::Vault>("BackupVault", {.vault_name = name("backup-vault"),
                                              .kms_key = *data_key_,
                                              .lock = backup::VaultLock{.min_retention_days = b.retention_days},
                                              .tags = tags("backup-vault")});
    auto& plan = s_.add<backup::Plan>("BackupPlan", {.plan_name = name("backup-plan"),
                                                     .rules = {{.rule_name = "Daily",
                                                                .vault = vault,
                                                                .schedule = b.schedule,
                                                                .lifecycle = {.delete_after_days = b.retention_days}}},
                                                     .tags = tags("backup-plan")});
    backup::SelectionProps selection{.selection_name = name("database"), .plan = plan};
    if (cluster_ != nullptr) selection.database_clusters = {*cluster_};
    if (instance_ != nullptr) selection.database_instances = {*instance_};
    s_.add<backup::Selection>("BackupSelection", selection);
    // cdk-nag wants every DBInstance in a backup selection, Aurora members too; AWS Backup backs
    // Aurora up at the cluster, which the selection names.
    for (auto* member : members_) {
      member->suppress("HIPAA.Security-RDSInBackupPlan",
                       "AWS Backup protects Aurora at the cluster: the backup selection names the cluster, whose "
                       "recovery points hold every instance's data; it does not back up Aurora instances");
    }
  }

  // Where failed asynchronous invocations of the function go, encrypted, kept 14 days.
  void dead_letter_queue() {
    dead_letters_ = &s_.add<sqs::Queue>("FunctionDeadLetterQueue", {.queue_name = name("api-dlq"),
                                                                    .kms_key = *data_key_,
                                                                    .message_retention_seconds = 1209600,
                                                                    .tags = tags("api-dlq")});
  }

  void cache() {
    const auto& c = o_.cache;
    auto& subnet_group = s_.add<elasticache::SubnetGroup>(
        "CacheSubnetGroup", {.subnet_group_name = name("cache-subnet-group"),
                             .description = "Private subnets of the patient records cache",
                             .subnets = private_subnets_,
                             .tags = tags("cache-subnet-group")});
    // Redis RBAC: the mandatory "default" user is switched off; the application connects as an
    // IAM-authenticated user, so no password or token exists anywhere.
    auto& default_user = s_.add<elasticache::User>("CacheDefaultUser",
                                                   {.user_id = name("cache-default"),
                                                    .user_name = "default",
                                                    .access_string = "off -@all",
                                                    .authentication = elasticache::Authentication::NoPasswordRequired});
    cache_user_id_ = name("cache-app");
    auto& app_user = s_.add<elasticache::User>(
        "CacheAppUser",
        {.user_id = cache_user_id_, .user_name = cache_user_id_, .access_string = "on ~patients:* +@all -@dangerous"});
    auto& users = s_.add<elasticache::UserGroup>(
        "CacheUserGroup", {.user_group_id = name("cache-users"), .users = {default_user, app_user}});
    cache_ = &s_.add<elasticache::ReplicationGroup>("Cache", {.replication_group_id = name("cache"),
                                                              .description = "Patient record cache",
                                                              .engine_version = c.engine_version,
                                                              .node_type = c.node_type,
                                                              .num_cache_clusters = c.nodes,
                                                              .kms_key = *data_key_,
                                                              .subnet_group = subnet_group,
                                                              .security_groups = {*cache_sg_},
                                                              .user_groups = {users},
                                                              .snapshot_retention_days = c.snapshot_retention_days,
                                                              .tags = tags("redis")});
  }

  void function() {
    auto& group = log_group("FunctionLogGroup", "/aws/lambda/" + o_.name_prefix + "-api-");
    std::vector<Value> managed;
    if (o_.function.aws_managed_vpc_policy) {
      managed.push_back(iam::aws_managed("service-role/AWSLambdaVPCAccessExecutionRole"));
    }
    auto& role = s_.add<iam::Role>("FunctionRole", {.role_name = name("lambda-role"),
                                                    .description = "Patient records Lambda function",
                                                    .assume_role_policy = iam::assumed_by("lambda.amazonaws.com"),
                                                    .managed_policy_arns = managed,
                                                    .tags = tags("lambda-role")});
    std::map<std::string, Value> environment{
        {"DB_SECRET_ARN", database_secret_},    {"DB_HOST", database_host_}, {"DB_PORT", database_port_},
        {"DB_NAME", o_.database.database_name}, {"ENVIRONMENT", suffix_},
    };
    if (cache_ != nullptr) {
      environment["REDIS_HOST"] = cache_->primary_endpoint_address();
      environment["REDIS_PORT"] = "6379";
      environment["REDIS_USER"] = cache_user_id_;
    }
    auto& fn = s_.add<lambda::Function>(
        "Function", {.function_name = name("api"),
                     .description = "Patient records API",
                     .runtime = o_.function.runtime,
                     .handler = "index.handler",
                     .code = lambda::Code::inline_source("index.js", std::string(detail::kHealthcareHandlerSource)),
                     .role = role,
                     .timeout_seconds = o_.function.timeout_seconds,
                     .memory_mb = o_.function.memory_mb,
                     .environment = environment,
                     .subnets = private_subnets_,
                     .security_groups = {*lambda_sg_},
                     .log_group = group,
                     .reserved_concurrency = o_.function.reserved_concurrency,
                     .environment_kms_key = *data_key_,
                     .dead_letter = dead_letters_ != nullptr ? lambda::DeadLetterTarget(*dead_letters_)
                                                             : lambda::DeadLetterTarget(),
                     .tags = tags("api")});
    function_ = &fn;

    // What the function may use, granted by each resource (statements in the role's GrantPolicy),
    // and whom it may reach (a rule pair per connection).
    group.grant_write(fn);
    data_key_->grant_decrypt(fn);  // its environment variables are encrypted with the data key
    auto use_database = [&](const auto& database) {
      database.grant_read_master_secret(fn);  // and kms:Decrypt on the data key, which encrypts it
      database.connections().allow_default_port_from(fn);
    };
    if (cluster_ != nullptr) use_database(*cluster_);
    if (instance_ != nullptr) use_database(*instance_);
    if (cache_ != nullptr) {
      cache_->grant_connect(fn);
      cache_->connections().allow_default_port_from(fn);
    }
    // Lambda checks this one when it creates the function, which therefore waits for the grants.
    if (dead_letters_ != nullptr) dead_letters_->grant_send_messages(fn);
    if (o_.network.secrets_manager_endpoint) network_->endpoint_connections().allow_default_port_from(fn);

    // What no resource grants.
    role.add_to_policy(iam::allow({"xray:PutTraceSegments", "xray:PutTelemetryRecords"}).id("WriteTraces").on("*"));
    if (!o_.function.aws_managed_vpc_policy) {
      // EC2 does not support resource-level permissions for these: "*" is the narrowest scope.
      role.add_to_policy(
          iam::allow({"ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
                      "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"})
              .id("ManageVpcNetworkInterfaces")
              .on("*"));
    }
  }

  // Access logs: who called what and the outcome; never request or response bodies.
  static std::string access_log_format(std::string_view route_variable) {
    return std::string(R"({"requestId":"$context.requestId","ip":"$context.identity.sourceIp",)") +
           R"("caller":"$context.identity.caller","user":"$context.identity.user",)" +
           R"("requestTime":"$context.requestTime","httpMethod":"$context.httpMethod",)" + R"("route":"$context.)" +
           std::string(route_variable) + R"(","status":"$context.status",)" +
           R"("protocol":"$context.protocol","responseLength":"$context.responseLength"})";
  }

  void api() {
    auto& group = log_group("ApiAccessLogGroup", "/aws/apigateway/" + o_.name_prefix + "-api-");
    if (o_.api.kind == ApiKind::Http) {
      http_api(group);
    } else {
      rest_api(group);
    }
  }

  void http_api(logs::LogGroup& group) {
    const auto& a = o_.api;
    std::optional<apigatewayv2::Cors> cors;
    if (!a.cors_allowed_origins.empty()) {
      cors =
          apigatewayv2::Cors{.allow_origins = a.cors_allowed_origins,
                             .allow_methods = {"GET", "POST", "OPTIONS"},
                             .allow_headers = {"Content-Type", "Authorization", "X-Amz-Date", "X-Amz-Security-Token"},
                             .max_age_seconds = 300};
    }
    auto& api = s_.add<apigatewayv2::HttpApi>(
        "HttpApi", {.api_name = name("api"), .description = "Patient records API", .cors = cors, .tags = tags("api")});
    auto& stage = s_.add<apigatewayv2::Stage>("HttpApiStage", {.api = api,
                                                               .access_log_group = group,
                                                               .access_log_format = access_log_format("routeKey"),
                                                               .throttling_burst_limit = a.throttling_burst_limit,
                                                               .throttling_rate_limit = a.throttling_rate_limit,
                                                               .tags = tags("api-stage")});
    auto& integration = s_.add<apigatewayv2::Integration>(
        "HttpApiIntegration", {.api = api, .function = *function_, .timeout_ms = a.integration_timeout_ms});
    for (const auto& route : a.routes) {
      api.add_route(route.method + " " + route.path,
                    {.integration = integration,
                     .authorization = a.iam_authorization ? apigatewayv2::RouteAuthorization::Iam
                                                          : apigatewayv2::RouteAuthorization::None});
    }
    s_.add<lambda::Permission>("ApiInvokePermission",
                               {.function = *function_, .source_arn = interpolate({api.execution_arn(), "/*/*"})});
    api_endpoint_ = api.api_endpoint();
    api_errors_ = stage.metric("5xx", cloudwatch::Statistic::Sum);
  }

  void rest_api(logs::LogGroup& group) {
    const auto& a = o_.api;
    iam::PolicyDocument resource_policy;
    if (a.resource_policy) {
      resource_policy.statements.push_back(
          iam::allow({"execute-api:Invoke"}).principal(iam::anyone()).on("execute-api:/*"));
    }
    auto& api = s_.add<apigateway::RestApi>("RestApi", {.api_name = name("api"),
                                                        .description = "Patient records API",
                                                        .resource_policy = resource_policy,
                                                        .tags = tags("api")});
    Refs<apigateway::Method> methods;
    for (const auto& route : a.routes) {
      methods.push_back(api.add_method(
          route.method, route.path,
          {.authorization = a.iam_authorization ? apigateway::Authorization::Iam : apigateway::Authorization::None,
           .function = *function_,
           .integration_timeout_ms = std::min(a.integration_timeout_ms, 29000)}));
    }
    auto& deployment = s_.add<apigateway::Deployment>(
        "RestApiDeployment", {.api = api, .description = "Patient records API", .methods = methods});
    Ref<apigateway::Account> account;
    if (a.execution_logging_role) {
      auto& role = s_.add<iam::Role>(
          "ApiGatewayCloudWatchRole",
          {.role_name = name("apigw-logs-role"),
           .description = "Lets API Gateway write execution logs to CloudWatch Logs",
           .assume_role_policy = iam::assumed_by("apigateway.amazonaws.com"),
           .managed_policy_arns = {iam::aws_managed("service-role/AmazonAPIGatewayPushToCloudWatchLogs")},
           .tags = tags("apigw-logs-role")});
      account = s_.add<apigateway::Account>("ApiGatewayAccount", {.cloudwatch_role = role});
    }
    Ref<apigateway::ClientCertificate> certificate;
    if (a.client_certificate) {
      certificate = s_.add<apigateway::ClientCertificate>(
          "ApiClientCertificate",
          {.description = "Lets backends verify that requests come from the patient records API",
           .tags = tags("api-client-certificate")});
    }
    std::optional<apigateway::CacheCluster> cache;
    if (a.cache) cache = apigateway::CacheCluster{};
    auto& stage = s_.add<apigateway::Stage>(
        "RestApiStage",
        {.api = api,
         .deployment = deployment,
         .stage_name = "prod",
         .description = "Production stage",
         .access_log_group = group,
         .access_log_format = access_log_format("resourcePath"),
         .method_settings = apigateway::MethodSettings{.logging_level = "INFO",
                                                       .data_trace = a.data_trace,
                                                       .metrics = true,
                                                       .throttling_burst_limit = a.throttling_burst_limit,
                                                       .throttling_rate_limit = a.throttling_rate_limit,
                                                       .caching_enabled = a.cache,
                                                       .cache_ttl_seconds = a.cache_ttl_seconds},
         .account = account,
         .client_certificate = certificate,
         .cache_cluster = cache,
         .tags = tags("api-stage")});
    if (a.waf) {
      // WAF log group names must start with aws-waf-logs-.
      auto& waf_logs = s_.add<logs::LogGroup>(
          "ApiFirewallLogGroup", {.log_group_name = interpolate({"aws-waf-logs-" + o_.name_prefix + "-api-", suffix_}),
                                  .retention_days = o_.log_retention_days,
                                  .kms_key = *log_key_,
                                  .tags = tags("waf-logs")});
      auto& firewall = s_.add<wafv2::WebAcl>("ApiFirewall", {.web_acl_name = name("api-waf"),
                                                             .description = "Patient records API",
                                                             .log_group = waf_logs,
                                                             .tags = tags("api-waf")});
      s_.add<wafv2::WebAclAssociation>("ApiFirewallAssociation", {.web_acl = firewall, .stage = stage});
    }
    s_.add<lambda::Permission>("ApiInvokePermission",
                               {.function = *function_, .source_arn = interpolate({api.execution_arn(), "/*/*"})});
    api_endpoint_ = interpolate({"https://", api.api_id(), ".execute-api.", region(), ".", url_suffix(), "/prod"});
    api_errors_ = stage.metric("5XXError", cloudwatch::Statistic::Sum);
  }

  // Alarms that page someone: failed invocations parked in the dead-letter queue, the API
  // answering with server errors, the database running hot. Notifications go to an SNS topic on
  // the data key (which lets CloudWatch use it), and to the given email addresses.
  void alarms() {
    auto& topic = s_.add<sns::Topic>("AlarmTopic", {.topic_name = name("alarms"),
                                                    .display_name = "Patient records alarms",
                                                    .kms_key = *data_key_,
                                                    .allow_cloudwatch_alarms = true,
                                                    .tags = tags("alarms")});
    for (std::size_t i = 0; i < o_.alarms.email_addresses.size(); ++i) {
      s_.add<sns::Subscription>(
          "AlarmEmail" + std::to_string(i + 1),
          {.topic = topic, .protocol = sns::Protocol::Email, .endpoint = o_.alarms.email_addresses[i]});
    }
    auto alarm = [&](std::string id, std::string_view what, std::string description, cloudwatch::Metric metric,
                     double threshold, int periods) {
      s_.add<cloudwatch::Alarm>(std::move(id), {.alarm_name = name(what),
                                                .description = std::move(description),
                                                .metric = std::move(metric),
                                                .evaluation_periods = periods,
                                                .threshold = threshold,
                                                .treat_missing_data = cloudwatch::MissingData::NotBreaching,
                                                .alarm_actions = {topic},
                                                .ok_actions = {topic},
                                                .tags = tags(what)});
    };
    if (dead_letters_ != nullptr) {
      alarm("DeadLetterAlarm", "dead-letters-alarm", "Failed invocations are waiting in the dead-letter queue",
            dead_letters_->metric("ApproximateNumberOfMessagesVisible", cloudwatch::Statistic::Maximum), 0, 1);
    }
    alarm("ApiErrorsAlarm", "api-errors-alarm", "The API answers with server errors (" + api_errors_.metric_name + ")",
          api_errors_, 5, 1);
    alarm("DatabaseCpuAlarm", "db-cpu-alarm", "The database has used over 80% CPU for 15 minutes",
          cluster_ != nullptr ? cluster_->metric("CPUUtilization") : instance_->metric("CPUUtilization"), 80, 3);
  }

  void output(std::string output_name, std::string description, Value value, std::string_view export_suffix) {
    Output out{.name = std::move(output_name), .description = std::move(description), .value = std::move(value)};
    if (o_.exports) out.export_name = name(export_suffix);
    s_.add_output(std::move(out));
  }

  void outputs() {
    output("ApiEndpoint", "Base URL of the patient records API", api_endpoint_, "api-endpoint");
    output("DatabaseEndpoint", "PostgreSQL endpoint address", database_host_, "db-endpoint");
    output("DatabaseSecretArn", "Secrets Manager secret holding the database credentials", database_secret_,
           "db-secret-arn");
    output("FunctionArn", "Patient records Lambda function", function_->arn(), "lambda-arn");
    output("VpcId", "VPC of the stack", network_->vpc().vpc_id(), "vpc-id");
    output("DatabaseSecurityGroupId", "Security group of the database", database_sg_->group_id(), "db-sg-id");
    output("LambdaSecurityGroupId", "Security group of the Lambda function", lambda_sg_->group_id(), "lambda-sg-id");
  }

  HealthcareStack& s_;
  const HealthcareOptions& o_;
  std::map<const Construct*, std::string_view> parts_;
  Value suffix_;
  kms::Key* data_key_ = nullptr;
  kms::Key* log_key_ = nullptr;
  ec2::Network* network_ = nullptr;
  Refs<ec2::Subnet> private_subnets_;
  ec2::SecurityGroup* lambda_sg_ = nullptr;
  ec2::SecurityGroup* database_sg_ = nullptr;
  ec2::SecurityGroup* cache_sg_ = nullptr;
  Value database_host_;
  Value database_port_;
  Value database_secret_;
  elasticache::ReplicationGroup* cache_ = nullptr;
  rds::DatabaseCluster* cluster_ = nullptr;
  rds::DatabaseInstance* instance_ = nullptr;
  std::vector<rds::DatabaseClusterInstance*> members_;
  sqs::Queue* dead_letters_ = nullptr;
  cloudwatch::Metric api_errors_;  // server errors of the API's stage
  Value cache_user_id_;
  lambda::Function* function_ = nullptr;
  Value api_endpoint_;
};

StackProps stack_props(const std::string& id, const HealthcareOptions& o) {
  StackProps props;
  props.description =
      "HIPAA patient records API: private PostgreSQL, Redis, Lambda behind API Gateway, "
      "KMS encryption, TLS, audit logs (hipaa-synth)";
  props.region = o.region;
  props.tags = {{"Application", "patient-records"}, {"Compliance", "HIPAA"}, {"ManagedBy", "hipaa-synth"}};
  props.terraform_backend = o.state;
  // One state per stack and environment: a backend block cannot read the suffix variable, so the
  // key holds the suffix synthesized for (docs/getting-started.md: one synth per environment).
  if (props.terraform_backend.key.empty()) props.terraform_backend.key = id + "/" + o.environment_suffix + ".tfstate";
  return props;
}

}  // namespace

// The id is read twice (the stack's id and its state key), so it cannot be moved into the base;
// by value like every construct's id all the same.
// NOLINTNEXTLINE(performance-unnecessary-value-param)
HealthcareStack::HealthcareStack(Construct& scope, std::string id, HealthcareOptions options, SourceLocation where)
    : Stack(scope, id, stack_props(id, options), where),
      options_(std::move(options)),
      blame_(std::make_unique<Blame>()) {
  parts_ = Builder(*this, options_).build();
}

}  // namespace hipaa
