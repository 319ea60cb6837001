#include "hipaa/aws/dynamodb.hpp"
#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/elasticache.hpp"
#include "hipaa/aws/iam.hpp"
#include "hipaa/aws/kms.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/logs.hpp"
#include "hipaa/aws/rds.hpp"
#include "hipaa/aws/s3.hpp"
#include "hipaa/aws/secretsmanager.hpp"
#include "hipaa/aws/sns.hpp"
#include "hipaa/aws/sqs.hpp"
#include "showcase.hpp"

namespace hipaa::showcase {

// Every grant, to one function: its role's GrantPolicy carries each grant's statements and the
// key's, so the conformance check validates the policy and every ARN a grant builds (the
// databases' resource ids and master secrets, the cache's users) in both targets.
void add_grants(Stack& stack) {
  Construct& group = stack.add_group("Grants");
  auto& key = group.add<kms::Key>("Key", {.description = "Showcase grants key", .allow_cloudwatch_logs = true});
  auto& secret = group.add<secretsmanager::Secret>(
      "Secret", {.secret_name = "showcase/grants", .kms_key = key, .generate = secretsmanager::GeneratedSecret{}});
  auto& queue = group.add<sqs::Queue>("Queue", {.queue_name = "showcase-grants", .kms_key = key});
  auto& topic = group.add<sns::Topic>("Topic", {.topic_name = "showcase-grants", .kms_key = key});
  auto& bucket = group.add<s3::Bucket>("Bucket", {.kms_key = key});
  auto& table = group.add<dynamodb::Table>(
      "Table", {.table_name = "showcase-grants", .partition_key = {"patient_id"}, .kms_key = key});
  auto& log_group =
      group.add<logs::LogGroup>("Logs", {.log_group_name = "/showcase/grants", .retention_days = 731, .kms_key = key});

  auto& vpc = group.add<ec2::Vpc>("Vpc", {.cidr_block = "10.40.0.0/16"});
  auto& a = group.add<ec2::Subnet>(
      "A", {.vpc = vpc, .cidr_block = "10.40.1.0/24", .availability_zone = select(0, availability_zones())});
  auto& b = group.add<ec2::Subnet>(
      "B", {.vpc = vpc, .cidr_block = "10.40.2.0/24", .availability_zone = select(1, availability_zones())});
  auto& sg = group.add<ec2::SecurityGroup>("Clients", {.vpc = vpc, .description = "Showcase grants clients"});
  auto& db_subnets = group.add<rds::SubnetGroup>("DbSubnets", {.description = "Showcase grants", .subnets = {a, b}});
  const rds::DatabaseSettings settings{
      .engine_version = "16.6", .subnet_group = db_subnets, .security_groups = {sg}, .kms_key = key};
  auto& cluster = group.add<rds::DatabaseCluster>("Cluster", {.settings = settings});
  group.add<rds::DatabaseClusterInstance>("ClusterInstance", {.cluster = cluster});
  auto& instance = group.add<rds::DatabaseInstance>("Instance", {.settings = settings});
  auto& cache_subnets = group.add<elasticache::SubnetGroup>(
      "CacheSubnets", {.subnet_group_name = "showcase-grants", .description = "Showcase grants", .subnets = {a, b}});
  auto& user = group.add<elasticache::User>("CacheUser", {.user_id = "showcase-app", .user_name = "showcase-app"});
  auto& default_user = group.add<elasticache::User>(
      "CacheDefaultUser", {.user_id = "showcase-default",
                           .user_name = "default",
                           .access_string = "off -@all",
                           .authentication = elasticache::Authentication::NoPasswordRequired});
  auto& users = group.add<elasticache::UserGroup>("CacheUsers",
                                                  {.user_group_id = "showcase-grants", .users = {default_user, user}});
  auto& cache = group.add<elasticache::ReplicationGroup>("Cache", {.replication_group_id = "showcase-grants",
                                                                   .kms_key = key,
                                                                   .subnet_group = cache_subnets,
                                                                   .security_groups = {sg},
                                                                   .user_groups = {users}});

  iam::PolicyDocument trust = iam::assumed_by("lambda.amazonaws.com");
  auto& role = group.add<iam::Role>(
      "Role", {.assume_role_policy = trust,
               .managed_policy_arns = {iam::aws_managed("service-role/AWSLambdaVPCAccessExecutionRole")}});
  auto& fn = group.add<lambda::Function>(
      "Function", {.function_name = "showcase-grants",
                   .code = lambda::Code::inline_source("index.js", "exports.handler = async () => ({ ok: true });"),
                   .role = role,
                   .subnets = {a, b},
                   .security_groups = {sg},
                   .log_group = log_group,
                   .reserved_concurrency = 1,
                   .dead_letter = queue});
  secret.grant_read(fn);
  key.grant_decrypt(fn);
  key.grant_encrypt_decrypt(fn);
  queue.grant_send_messages(fn);
  queue.grant_consume_messages(fn);
  topic.grant_publish(fn);
  bucket.grant_read(fn);
  bucket.grant_read_write(fn);
  table.grant_read_data(fn);
  table.grant_read_write_data(fn);
  log_group.grant_write(fn);
  cluster.grant_connect(fn, "showcase_app");
  cluster.grant_read_master_secret(fn);
  instance.grant_connect(role, "showcase_app");
  instance.grant_read_master_secret(role);
  cache.grant_connect(fn);
}

}  // namespace hipaa::showcase
