// Grants: each resource's grant methods add exact, least-privilege statements (and the statements
// its customer managed key needs) to a role's GrantPolicy, the same in both targets, once however
// often they are called, in call order; a function without a role is an error; rules see them.
#include <catch2/catch.hpp>

#include <array>
#include <functional>

#include "hipaa/aws/dynamodb.hpp"
#include "hipaa/aws/elasticache.hpp"
#include "hipaa/aws/rds.hpp"
#include "hipaa/aws/s3.hpp"
#include "hipaa/aws/secretsmanager.hpp"
#include "hipaa/rules.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

// Every resource a grant exists for, encrypted with the customer managed key `Key` (`cmk`) or
// without one, and a function whose role `Role` receives the grants.
struct World {
  explicit World(bool cmk = true) {
    const Ref<kms::Key> key = cmk ? Ref<kms::Key>(data_key) : Ref<kms::Key>();
    secret =
        &stack.add<secretsmanager::Secret>("Secret", {.kms_key = key, .generate = secretsmanager::GeneratedSecret{}});
    queue = &stack.add<sqs::Queue>("Queue", {.kms_key = key, .sqs_managed_encryption = !cmk});
    topic = &stack.add<sns::Topic>("Topic", {.kms_key = key, .aws_managed_key = !cmk});
    bucket = &stack.add<s3::Bucket>(
        "Bucket", {.encryption = cmk ? s3::Encryption::Kms : s3::Encryption::S3Managed, .kms_key = key});
    table = &stack.add<dynamodb::Table>(
        "Table", {.table_name = "visits",
                  .partition_key = {"patient_id"},
                  .encryption = cmk ? dynamodb::Encryption::CustomerManagedKey : dynamodb::Encryption::AwsOwnedKey,
                  .kms_key = key});
    logs = &stack.add<logs::LogGroup>("Logs", {.log_group_name = "/app", .kms_key = key});
    const rds::DatabaseSettings settings{
        .engine_version = "16.6", .subnet_group = db_subnets, .security_groups = {sg}, .kms_key = key};
    db = &stack.add<rds::DatabaseCluster>("Db", {.settings = settings});
    instance = &stack.add<rds::DatabaseInstance>("Instance", {.settings = settings});
    auto& user = stack.add<elasticache::User>("CacheUser", {.user_id = "app", .user_name = "app"});
    auto& default_user = stack.add<elasticache::User>(
        "DefaultUser", {.user_id = "app-default",
                        .user_name = "default",
                        .access_string = "off -@all",
                        .authentication = elasticache::Authentication::NoPasswordRequired});
    auto& users = stack.add<elasticache::UserGroup>("Users", {.user_group_id = "users", .users = {default_user, user}});
    cache = &stack.add<elasticache::ReplicationGroup>("Cache", {.replication_group_id = "cache",
                                                                .kms_key = key,
                                                                .subnet_group = cache_subnets,
                                                                .security_groups = {sg},
                                                                .user_groups = {users}});
  }

  App app;
  Stack& stack = app.add_stack("S");
  ec2::Vpc& vpc = stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  ec2::Subnet& a = stack.add<ec2::Subnet>("A", {.vpc = vpc, .cidr_block = "10.0.1.0/24"});
  ec2::Subnet& b = stack.add<ec2::Subnet>("B", {.vpc = vpc, .cidr_block = "10.0.2.0/24"});
  ec2::SecurityGroup& sg = stack.add<ec2::SecurityGroup>("Sg", {.vpc = vpc, .description = "sg"});
  rds::SubnetGroup& db_subnets = stack.add<rds::SubnetGroup>("DbSubnets", {.description = "d", .subnets = {a, b}});
  elasticache::SubnetGroup& cache_subnets =
      stack.add<elasticache::SubnetGroup>("CacheSubnets", {.description = "d", .subnets = {a, b}});
  kms::Key& data_key = stack.add<kms::Key>("Key", {.description = "k"});
  iam::Role& role = stack.add<iam::Role>("Role", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com")});
  lambda::Function& fn =
      stack.add<lambda::Function>("Fn", {.code = lambda::Code::inline_source("index.js", "x"), .role = role});
  secretsmanager::Secret* secret = nullptr;
  sqs::Queue* queue = nullptr;
  sns::Topic* topic = nullptr;
  s3::Bucket* bucket = nullptr;
  dynamodb::Table* table = nullptr;
  logs::LogGroup* logs = nullptr;
  rds::DatabaseCluster* db = nullptr;
  rds::DatabaseInstance* instance = nullptr;
  elasticache::ReplicationGroup* cache = nullptr;
};

// One statement of the role's GrantPolicy as either target wrote it.
struct Granted {
  std::string sid;
  std::vector<std::string> actions;
  json resources;  // always a list
  bool operator==(const Granted&) const = default;
};

json as_list(const json& v) { return v.is_array() ? v : json::array({v}); }

// The statements of `role`'s GrantPolicy in the CloudFormation output; empty when it has none.
std::vector<Granted> granted_cloudformation(const json& doc, const std::string& role) {
  std::vector<Granted> out;
  const json& resources = doc["Resources"];
  if (!resources.contains(role + "Grants")) return out;
  const json& policy = resources[role + "Grants"];
  CHECK(policy["Type"] == "AWS::IAM::ManagedPolicy");
  CHECK(policy["Properties"]["Roles"] == json::array({{{"Ref", role}}}));
  for (const auto& s : policy["Properties"]["PolicyDocument"]["Statement"]) {
    CHECK(s["Effect"] == "Allow");
    CHECK_FALSE(s.contains("Principal"));
    out.push_back({s["Sid"], as_list(s["Action"]).get<std::vector<std::string>>(), as_list(s["Resource"])});
  }
  return out;
}

// The same in the Terraform output: the policy document, the policy and its attachment.
std::vector<Granted> granted_terraform(const json& doc, const std::string& role) {
  std::vector<Granted> out;
  const std::string name = snake_case(role) + "_grants";
  if (!doc.contains("data") || !doc["data"]["aws_iam_policy_document"].contains(name)) return out;
  const json& policy = doc["resource"]["aws_iam_policy"][name];
  CHECK(policy["policy"] == "${data.aws_iam_policy_document." + name + ".json}");
  CHECK(doc["resource"]["aws_iam_role_policy_attachment"][name + "_attachment"] ==
        json{{"role", "${aws_iam_role." + snake_case(role) + ".name}"},
             {"policy_arn", "${aws_iam_policy." + name + ".arn}"}});
  for (const auto& s : doc["data"]["aws_iam_policy_document"][name]["statement"]) {
    CHECK(s["effect"] == "Allow");
    out.push_back({s["sid"], s["actions"].get<std::vector<std::string>>(), s["resources"]});
  }
  return out;
}

std::vector<Granted> granted(const App& app, Target target, const std::string& role = "Role") {
  const json doc = test::synth_json(app, target);
  return target == Target::CloudFormation ? granted_cloudformation(doc, role) : granted_terraform(doc, role);
}

// A statement expected in each target: the same sid and actions, each target's spelling of the
// resources.
struct Expected {
  std::string sid;
  std::vector<std::string> actions;
  // Vectors, not json: `json x = {one_json}` is an array of one for g++ and a copy for clang
  // (CWG 2137); a vector of one is the same for both.
  std::vector<json> cloudformation;
  std::vector<json> terraform;
};

std::vector<Granted> in(Target target, const std::vector<Expected>& expected) {
  std::vector<Granted> out;
  out.reserve(expected.size());
  for (const auto& e : expected) {
    out.push_back({e.sid, e.actions, json(target == Target::CloudFormation ? e.cloudformation : e.terraform)});
  }
  return out;
}

json get_att(const std::string& id, const std::string& attribute) { return {{"Fn::GetAtt", {id, attribute}}}; }
json ref(const std::string& id) { return {{"Ref", id}}; }
json sub(const std::string& text) { return {{"Fn::Sub", text}}; }

const Expected kDecrypt{"DecryptWithKey", {"kms:Decrypt"}, {get_att("Key", "Arn")}, {"${aws_kms_key.key.arn}"}};
const Expected kEncrypt{
    "EncryptWithKey", {"kms:Decrypt", "kms:GenerateDataKey"}, {get_att("Key", "Arn")}, {"${aws_kms_key.key.arn}"}};

const std::string kTfArnPrefix =
    "arn:${data.aws_partition.current.partition}:{}:${data.aws_region.current.name}:${data.aws_caller_identity."
    "current.account_id}:";
std::string tf_arn(const std::string& service, const std::string& rest) {
  std::string prefix = kTfArnPrefix;
  prefix.replace(prefix.find("{}"), 2, service);
  return prefix + rest;
}
std::string cfn_arn(const std::string& service, const std::string& rest) {
  return "arn:${AWS::Partition}:" + service + ":${AWS::Region}:${AWS::AccountId}:" + rest;
}

struct Case {
  std::string name;
  std::function<void(World&, const iam::Grantee&)> grant;
  std::vector<Expected> resource;  // the resource's own statements
  std::vector<Expected> key;       // what its customer managed key adds
};

std::vector<Case> cases() {
  const Expected read_secret{"ReadSecretSecret",
                             {"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"},
                             {ref("Secret")},
                             {"${aws_secretsmanager_secret.secret.arn}"}};
  const Expected list_bucket{
      "ListBucket", {"s3:ListBucket"}, {get_att("Bucket", "Arn")}, {"${aws_s3_bucket.bucket.arn}"}};
  const std::vector<std::string> table_read{"dynamodb:BatchGetItem",  "dynamodb:ConditionCheckItem",
                                            "dynamodb:DescribeTable", "dynamodb:GetItem",
                                            "dynamodb:Query",         "dynamodb:Scan"};
  return {
      {"secret.grant_read",
       [](World& w, const iam::Grantee& p) { w.secret->grant_read(p); },
       {read_secret},
       {kDecrypt}},
      {"key.grant_decrypt", [](World& w, const iam::Grantee& p) { w.data_key.grant_decrypt(p); }, {kDecrypt}, {}},
      {"key.grant_encrypt_decrypt",
       [](World& w, const iam::Grantee& p) { w.data_key.grant_encrypt_decrypt(p); },
       {{"EncryptDecryptWithKey",
         {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"},
         {get_att("Key", "Arn")},
         {"${aws_kms_key.key.arn}"}}},
       {}},
      {"queue.grant_send_messages",
       [](World& w, const iam::Grantee& p) { w.queue->grant_send_messages(p); },
       {{"SendToQueue",
         {"sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"},
         {get_att("Queue", "Arn")},
         {"${aws_sqs_queue.queue.arn}"}}},
       {kEncrypt}},
      {"queue.grant_consume_messages",
       [](World& w, const iam::Grantee& p) { w.queue->grant_consume_messages(p); },
       {{"ConsumeFromQueue",
         {"sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
          "sqs:ReceiveMessage"},
         {get_att("Queue", "Arn")},
         {"${aws_sqs_queue.queue.arn}"}}},
       {kDecrypt}},
      {"topic.grant_publish",
       [](World& w, const iam::Grantee& p) { w.topic->grant_publish(p); },
       {{"PublishToTopic", {"sns:Publish"}, {ref("Topic")}, {"${aws_sns_topic.topic.arn}"}}},
       {kEncrypt}},
      {"bucket.grant_read",
       [](World& w, const iam::Grantee& p) { w.bucket->grant_read(p); },
       {list_bucket,
        {"ReadObjectsInBucket", {"s3:GetObject"}, {sub("${Bucket.Arn}/*")}, {"${aws_s3_bucket.bucket.arn}/*"}}},
       {kDecrypt}},
      {"bucket.grant_read_write",
       [](World& w, const iam::Grantee& p) { w.bucket->grant_read_write(p); },
       {list_bucket,
        {"ReadWriteObjectsInBucket",
         {"s3:DeleteObject", "s3:GetObject", "s3:PutObject"},
         {sub("${Bucket.Arn}/*")},
         {"${aws_s3_bucket.bucket.arn}/*"}}},
       {kEncrypt}},
      {"table.grant_read_data",
       [](World& w, const iam::Grantee& p) { w.table->grant_read_data(p); },
       {{"ReadDataInTable", table_read, {get_att("Table", "Arn")}, {"${aws_dynamodb_table.table.arn}"}}},
       {kDecrypt}},
      {"table.grant_read_write_data",
       [](World& w, const iam::Grantee& p) { w.table->grant_read_write_data(p); },
       {{"ReadWriteDataInTable",
         {"dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
          "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan",
          "dynamodb:UpdateItem"},
         {get_att("Table", "Arn")},
         {"${aws_dynamodb_table.table.arn}"}}},
       {kEncrypt}},
      {"log_group.grant_write",
       [](World& w, const iam::Grantee& p) { w.logs->grant_write(p); },
       {{"WriteLogsToLogs",
         {"logs:CreateLogStream", "logs:PutLogEvents"},
         {sub(cfn_arn("logs", "log-group:${Logs}:*"))},
         {tf_arn("logs", "log-group:${aws_cloudwatch_log_group.logs.name}:*")}}},
       {}},  // CloudWatch Logs uses the group's key itself
      {"cluster.grant_connect",
       [](World& w, const iam::Grantee& p) { w.db->grant_connect(p, "app_user"); },
       {{"ConnectToDbAsappuser",
         {"rds-db:connect"},
         {sub(cfn_arn("rds-db", "dbuser:${Db.DBClusterResourceId}/app_user"))},
         {tf_arn("rds-db", "dbuser:${aws_rds_cluster.db.cluster_resource_id}/app_user")}}},
       {}},
      {"instance.grant_connect",
       [](World& w, const iam::Grantee& p) { w.instance->grant_connect(p, "app_user"); },
       {{"ConnectToInstanceAsappuser",
         {"rds-db:connect"},
         {sub(cfn_arn("rds-db", "dbuser:${Instance.DbiResourceId}/app_user"))},
         {tf_arn("rds-db", "dbuser:${aws_db_instance.instance.resource_id}/app_user")}}},
       {}},
      {"cluster.grant_read_master_secret",
       [](World& w, const iam::Grantee& p) { w.db->grant_read_master_secret(p); },
       {{"ReadMasterSecretOfDb",
         {"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"},
         {get_att("Db", "MasterUserSecret.SecretArn")},
         {"${aws_rds_cluster.db.master_user_secret[0].secret_arn}"}}},
       {kDecrypt}},
      {"instance.grant_read_master_secret",
       [](World& w, const iam::Grantee& p) { w.instance->grant_read_master_secret(p); },
       {{"ReadMasterSecretOfInstance",
         {"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"},
         {get_att("Instance", "MasterUserSecret.SecretArn")},
         {"${aws_db_instance.instance.master_user_secret[0].secret_arn}"}}},
       {kDecrypt}},
      {"cache.grant_connect",
       [](World& w, const iam::Grantee& p) { w.cache->grant_connect(p); },
       // The IAM-authenticated user only, not the disabled default user.
       {{"ConnectToCache",
         {"elasticache:Connect"},
         {sub(cfn_arn("elasticache", "replicationgroup:${Cache}")), get_att("CacheUser", "Arn")},
         {tf_arn("elasticache", "replicationgroup:${aws_elasticache_replication_group.cache.id}"),
          "${aws_elasticache_user.cache_user.arn}"}}},
       {}},
  };
}

constexpr std::array kTargets{Target::CloudFormation, Target::Terraform};

// Each finding as "<rule> <path>"; only the IAM rules' with `iam_only`.
std::vector<std::string> findings(const App& app, bool iam_only = false) {
  std::vector<std::string> out;
  for (const auto& f : rules::check(app).findings) {
    if (!iam_only || f.code.starts_with("HIPAA-IAM")) out.push_back(f.code + " " + f.path);
  }
  return out;
}

// Makes `c`'s grant in a world with or without customer managed keys, to the function or to its
// role, and checks both targets' statements.
void check_grant(const Case& c, bool cmk, bool through_function) {
  INFO(c.name << (cmk ? " with a customer managed key" : " without one")
              << (through_function ? ", to the function" : ", to the role"));
  World w(cmk);
  if (through_function) {
    c.grant(w, w.fn);
  } else {
    c.grant(w, w.role);
  }
  std::vector<Expected> expected = c.resource;
  if (cmk) expected.insert(expected.end(), c.key.begin(), c.key.end());
  for (const Target target : kTargets) {
    INFO((target == Target::CloudFormation ? "CloudFormation" : "Terraform"));
    CHECK(granted(w.app, target) == in(target, expected));
  }
}

}  // namespace

TEST_CASE("Each grant adds its exact actions on its resources, and its key's statement with a CMK", "[grants]") {
  for (const Case& c : cases()) {
    for (const bool cmk : {true, false}) {
      check_grant(c, cmk, /*through_function=*/true);
      check_grant(c, cmk, /*through_function=*/false);
    }
  }
}

TEST_CASE("The same grant made twice is granted once", "[grants]") {
  for (const Case& c : cases()) {
    INFO(c.name);
    World once;
    c.grant(once, once.fn);
    World twice;
    c.grant(twice, twice.fn);
    c.grant(twice, twice.role);  // the function's role: the same grantee
    for (const Target target : kTargets) {
      const auto expected = granted(once.app, target);
      CHECK_FALSE(expected.empty());
      CHECK(granted(twice.app, target) == expected);
      CHECK(test::synth_json(twice.app, target) == test::synth_json(once.app, target));
    }
  }
}

TEST_CASE("Statements follow the order of the grant calls; a key shared by grants is granted once per use",
          "[grants]") {
  World w;
  w.topic->grant_publish(w.fn);
  w.secret->grant_read(w.fn);
  w.queue->grant_send_messages(w.fn);  // EncryptWithKey again: not repeated
  w.data_key.grant_decrypt(w.fn);      // DecryptWithKey again: not repeated
  for (const Target target : kTargets) {
    std::vector<std::string> sids;
    for (const auto& s : granted(w.app, target)) sids.push_back(s.sid);
    CHECK(sids == std::vector<std::string>{"PublishToTopic", "EncryptWithKey", "ReadSecretSecret", "DecryptWithKey",
                                           "SendToQueue"});
  }
  // Byte for byte the same output on every run.
  World again;
  again.topic->grant_publish(again.fn);
  again.secret->grant_read(again.fn);
  again.queue->grant_send_messages(again.fn);
  again.data_key.grant_decrypt(again.fn);
  for (const Target target : kTargets) {
    CHECK(synthesize(w.app, {.target = target, .rules = {}}).files.front().contents ==
          synthesize(again.app, {.target = target, .rules = {}}).files.front().contents);
  }
}

TEST_CASE("add_to_policy keeps sids unique and adds equal permissions once", "[grants]") {
  World w;
  CHECK(w.role.add_to_policy(iam::allow({"sqs:SendMessage"}).id("Send").on("arn:aws:sqs:us-east-1:111111111111:a")));
  CHECK(w.role.add_to_policy(iam::allow({"sqs:SendMessage"}).id("Send").on("arn:aws:sqs:us-east-1:111111111111:b")));
  CHECK_FALSE(
      w.role.add_to_policy(iam::allow({"sqs:SendMessage"}).id("Send").on("arn:aws:sqs:us-east-1:111111111111:b")));
  CHECK_FALSE(
      w.role.add_to_policy(iam::allow({"sqs:SendMessage"}).id("Other").on("arn:aws:sqs:us-east-1:111111111111:a")));
  REQUIRE(w.role.grant_policy() != nullptr);
  CHECK(w.role.grant_policy()->path() == "S/Role/Grants");
  const std::vector<Granted> expected{{"Send", {"sqs:SendMessage"}, json{"arn:aws:sqs:us-east-1:111111111111:a"}},
                                      {"Send2", {"sqs:SendMessage"}, json{"arn:aws:sqs:us-east-1:111111111111:b"}}};
  for (const Target target : kTargets) CHECK(granted(w.app, target) == expected);
}

TEST_CASE("A role without grants is emitted as before, with no grant policy", "[grants]") {
  World w;
  CHECK(w.role.grant_policy() == nullptr);
  const json cfn = test::cfn(w.app);
  CHECK_FALSE(cfn["Resources"].contains("RoleGrants"));
  CHECK_FALSE(cfn["Resources"]["Role"]["Properties"].contains("Policies"));
  CHECK_FALSE(cfn["Resources"]["Role"]["Properties"].contains("ManagedPolicyArns"));
  const json tf = test::tf(w.app);
  CHECK_FALSE(tf["resource"].contains("aws_iam_policy"));
  // (The databases' monitoring roles have attachments of their own.)
  CHECK_FALSE(tf["resource"]["aws_iam_role_policy_attachment"].contains("role_grants_attachment"));
  CHECK_FALSE(tf["data"]["aws_iam_policy_document"].contains("role_grants"));
  CHECK(granted(w.app, Target::CloudFormation).empty());
  CHECK(granted(w.app, Target::Terraform).empty());
}

TEST_CASE("A grant to a function with no role is an error naming the function", "[grants]") {
  World w;
  auto& orphan = w.stack.add<lambda::Function>("Orphan", {.code = lambda::Code::inline_source("index.js", "x")});
  w.secret->grant_read(orphan);
  w.secret->grant_read(orphan);  // reported once
  w.queue->grant_send_messages(orphan);
  for (const Target target : kTargets) {
    CHECK(test::problems(w.app, target) ==
          std::vector<std::string>{
              "HS2001 S/Orphan: required property 'role' is not set",
              "HS3007 S/Orphan: function S/Orphan was granted S/Secret grant_read, but it has no iam::Role of this "
              "app to hold the grant",
              "HS3007 S/Orphan: function S/Orphan was granted S/Queue grant_send_messages, but it has no iam::Role "
              "of this app to hold the grant"});
  }
}

TEST_CASE("Connection grants the resource would refuse are errors", "[grants]") {
  World w;
  auto& no_iam = w.stack.add<rds::DatabaseInstance>("NoIam", {.settings = {.engine_version = "16.6",
                                                                           .subnet_group = w.db_subnets,
                                                                           .security_groups = {w.sg},
                                                                           .iam_database_authentication = false}});
  no_iam.grant_connect(w.fn, "app_user");
  w.db->grant_connect(w.fn, "*");
  auto& cache = w.stack.add<elasticache::ReplicationGroup>(
      "Plain", {.replication_group_id = "plain", .subnet_group = w.cache_subnets, .security_groups = {w.sg}});
  cache.grant_connect(w.role);
  CHECK(
      test::problems(w.app) ==
      std::vector<std::string>{"HS3007 S/Db: grant_connect as '*': not a database user name an IAM policy can name",
                               "HS3007 S/NoIam: grant_connect as 'app_user', but IAM database authentication is off",
                               "HS3007 S/Plain: grant_connect, but no user of its user groups authenticates with IAM"});
  // Nothing was granted for them.
  CHECK(w.role.grant_policy() == nullptr);
}

TEST_CASE("A function with a dead-letter queue waits for the grant that lets it send there", "[grants]") {
  World w;
  auto& fn = w.stack.add<lambda::Function>(
      "Worker", {.code = lambda::Code::inline_source("index.js", "x"), .role = w.role, .dead_letter = *w.queue});
  w.queue->grant_send_messages(fn);
  CHECK(test::cfn(w.app)["Resources"]["Worker"]["DependsOn"] == "RoleGrants");
  CHECK(test::tf(w.app)["resource"]["aws_lambda_function"]["worker"]["depends_on"] ==
        json{"aws_iam_role_policy_attachment.role_grants_attachment"});
  // A function without a dead-letter target, outside a VPC, does not wait.
  CHECK_FALSE(test::cfn(w.app)["Resources"]["Fn"].contains("DependsOn"));
}

TEST_CASE("A function in a VPC waits for the grants that let it manage its network interfaces", "[grants]") {
  World w;
  auto& role = w.stack.add<iam::Role>("VpcRole", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com")});
  w.stack.add<lambda::Function>("InVpc", {.code = lambda::Code::inline_source("index.js", "x"),
                                          .role = role,
                                          .subnets = {w.a, w.b},
                                          .security_groups = {w.sg}});
  // Without grants there is nothing to wait for.
  CHECK_FALSE(test::cfn(w.app)["Resources"]["InVpc"].contains("DependsOn"));
  role.add_to_policy(iam::allow({"ec2:CreateNetworkInterface"}).id("ManageVpcNetworkInterfaces").on("*"));
  CHECK(test::cfn(w.app)["Resources"]["InVpc"]["DependsOn"] == "VpcRoleGrants");
  CHECK(test::tf(w.app)["resource"]["aws_lambda_function"]["in_vpc"]["depends_on"] ==
        json{"aws_iam_role_policy_attachment.vpc_role_grants_attachment"});
}

TEST_CASE("A key policy naming the granted role forms no dependency cycle", "[grants]") {
  World w;
  auto& key = w.stack.add<kms::Key>(
      "RoleKey", {.description = "k",
                  .policy_statements = {iam::allow({"kms:Decrypt"}).principal(iam::aws(w.role.arn())).on("*")}});
  key.grant_decrypt(w.fn);
  for (const Target target : kTargets) CHECK(test::problems(w.app, target).empty());
}

TEST_CASE("Compliance rules read grants: no finding for grants, a wildcard added to the policy is found",
          "[grants][rules]") {
  World without;
  World with;
  for (const Case& c : cases()) c.grant(with, with.fn);
  REQUIRE(with.role.grant_policy() != nullptr);
  CHECK(findings(with.app, /*iam_only=*/true).empty());
  // Grants add no finding of any rule.
  CHECK(findings(with.app) == findings(without.app));

  with.role.add_to_policy(iam::allow({"s3:*"}).id("Everything").on(with.bucket->arn()));
  CHECK(findings(with.app, /*iam_only=*/true) == std::vector<std::string>{"HIPAA-IAM-1 S/Role/Grants"});
}
