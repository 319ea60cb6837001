// Lowering of each resource type: the properties both targets get, and the places where one
// neutral node becomes different resources per target.
#include <catch2/catch.hpp>

#include "hipaa/aws/apigateway.hpp"
#include "hipaa/aws/apigatewayv2.hpp"
#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/elasticache.hpp"
#include "hipaa/aws/rds.hpp"
#include "hipaa/aws/secretsmanager.hpp"
#include "support.hpp"
#include "support/archive.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

struct Network {
  App app;
  Stack& stack = app.add_stack("S");
  ec2::Vpc& vpc = stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  ec2::Subnet& a = stack.add<ec2::Subnet>("A", {.vpc = vpc, .cidr_block = "10.0.1.0/24"});
  ec2::Subnet& b = stack.add<ec2::Subnet>("B", {.vpc = vpc, .cidr_block = "10.0.2.0/24"});
  ec2::SecurityGroup& sg = stack.add<ec2::SecurityGroup>("Sg", {.vpc = vpc, .description = "sg"});
  kms::Key& key = stack.add<kms::Key>("Key", {.description = "k"});
  iam::Role& role = stack.add<iam::Role>("Role", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com")});
};

json cfn_resource(const App& app, const std::string& id) { return test::cfn(app)["Resources"][id]; }
json tf_resource(const App& app, const std::string& type, const std::string& name) {
  return test::tf(app)["resource"][type][name];
}

}  // namespace

TEST_CASE("An internet gateway is attached by its own resource in CloudFormation only", "[resources]") {
  Network n;
  auto& gateway = n.stack.add<ec2::InternetGateway>("Igw", {.vpc = n.vpc});
  auto& table = n.stack.add<ec2::RouteTable>("Rt", {.vpc = n.vpc});
  n.stack.add<ec2::Route>("Default", {.route_table = table, .gateway = gateway});
  const json cfn = test::cfn(n.app)["Resources"];
  CHECK(cfn["IgwAttachment"] ==
        json{{"Type", "AWS::EC2::VPCGatewayAttachment"},
             {"Properties", {{"VpcId", {{"Ref", "Vpc"}}}, {"InternetGatewayId", {{"Ref", "Igw"}}}}}});
  CHECK(cfn["Default"]["DependsOn"] == "IgwAttachment");
  const json tf = test::tf(n.app)["resource"];
  CHECK(tf["aws_internet_gateway"]["igw"]["vpc_id"] == "${aws_vpc.vpc.id}");
  CHECK_FALSE(tf["aws_route"]["default"].contains("depends_on"));
}

TEST_CASE("Security groups deny egress by default and rules are separate resources", "[resources]") {
  Network n;
  auto& db = n.stack.add<ec2::SecurityGroup>("Db", {.vpc = n.vpc, .description = "db"});
  n.stack.add<ec2::SecurityGroupIngress>("DbIn", {.group = db, .from_port = 5432, .peer = n.sg});
  n.stack.add<ec2::SecurityGroupEgress>("AllOut", {.group = n.sg, .protocol = "-1", .cidr_ipv4 = "0.0.0.0/0"});
  const json cfn = test::cfn(n.app)["Resources"];
  CHECK(cfn["Db"]["Properties"]["SecurityGroupEgress"][0]["CidrIp"] == "255.255.255.255/32");
  CHECK(cfn["DbIn"]["Properties"] == json{{"GroupId", {{"Fn::GetAtt", {"Db", "GroupId"}}}},
                                          {"IpProtocol", "tcp"},
                                          {"FromPort", 5432},
                                          {"ToPort", 5432},
                                          {"SourceSecurityGroupId", {{"Fn::GetAtt", {"Sg", "GroupId"}}}}});
  CHECK_FALSE(cfn["AllOut"]["Properties"].contains("FromPort"));
  const json tf = test::tf(n.app)["resource"];
  CHECK_FALSE(tf["aws_security_group"]["db"].contains("egress"));
  CHECK(tf["aws_vpc_security_group_ingress_rule"]["db_in"]["referenced_security_group_id"] ==
        "${aws_security_group.sg.id}");
  CHECK(tf["aws_vpc_security_group_egress_rule"]["all_out"] ==
        json{{"security_group_id", "${aws_security_group.sg.id}"}, {"ip_protocol", "-1"}, {"cidr_ipv4", "0.0.0.0/0"}});
}

TEST_CASE("A generated secret never appears in any output", "[resources]") {
  Network n;
  n.stack.add<secretsmanager::Secret>(
      "Secret", {.secret_name = "s",
                 .kms_key = n.key,
                 .generate = secretsmanager::GeneratedSecret{.template_json = R"({"username":"app"})"}});
  const json cfn = cfn_resource(n.app, "Secret")["Properties"]["GenerateSecretString"];
  CHECK(cfn == json{{"SecretStringTemplate", R"({"username":"app"})"},
                    {"GenerateStringKey", "password"},
                    {"PasswordLength", 32},
                    {"ExcludeCharacters", "\"@/\\"},
                    {"RequireEachIncludedType", true}});
  const json tf = test::tf(n.app);
  CHECK(tf["ephemeral"]["aws_secretsmanager_random_password"]["secret"]["password_length"] == 32);
  const json version = tf["resource"]["aws_secretsmanager_secret_version"]["secret_version"];
  CHECK(version["secret_string_wo"] ==
        "${jsonencode(merge(jsondecode(\"{\\\"username\\\":\\\"app\\\"}\"), zipmap([\"password\"], "
        "[ephemeral.aws_secretsmanager_random_password.secret.random_password])))}");
  CHECK(version["secret_string_wo_version"] == 1);
  CHECK_FALSE(version.contains("secret_string"));
}

TEST_CASE("Databases get service-managed master passwords encrypted with the given key", "[resources]") {
  Network n;
  auto& group = n.stack.add<rds::SubnetGroup>("Subnets", {.description = "d", .subnets = {n.a, n.b}});
  n.stack.add<rds::DatabaseInstance>(
      "Db",
      {.settings = {.engine_version = "16.6", .subnet_group = group, .security_groups = {n.sg}, .kms_key = n.key}});
  const json cfn = cfn_resource(n.app, "Db");
  CHECK(cfn["DeletionPolicy"] == "Snapshot");
  CHECK(cfn["Properties"]["ManageMasterUserPassword"] == true);
  CHECK(cfn["Properties"]["MasterUserSecret"] == json{{"KmsKeyId", {{"Fn::GetAtt", {"Key", "Arn"}}}}});
  CHECK_FALSE(cfn["Properties"].contains("MasterUserPassword"));
  const json tf = tf_resource(n.app, "aws_db_instance", "db");
  CHECK(tf["manage_master_user_password"] == true);
  CHECK(tf["master_user_secret_kms_key_id"] == "${aws_kms_key.key.arn}");
  CHECK(tf["skip_final_snapshot"] == false);
  CHECK(tf["final_snapshot_identifier"] == "db-final");
  CHECK_FALSE(tf.contains("password"));
}

TEST_CASE("Aurora cluster instances inherit the cluster's engine", "[resources]") {
  Network n;
  auto& group = n.stack.add<rds::SubnetGroup>("Subnets", {.description = "d", .subnets = {n.a, n.b}});
  auto& cluster = n.stack.add<rds::DatabaseCluster>(
      "Cluster",
      {.settings = {.engine_version = "16.6", .subnet_group = group, .security_groups = {n.sg}, .kms_key = n.key}});
  n.stack.add<rds::DatabaseClusterInstance>("One", {.cluster = cluster});
  const json cfn = test::cfn(n.app)["Resources"];
  CHECK(cfn["Cluster"]["Properties"]["ServerlessV2ScalingConfiguration"] ==
        json{{"MinCapacity", 0.5}, {"MaxCapacity", 2.0}});
  CHECK(cfn["One"]["Properties"]["Engine"] == "aurora-postgresql");
  CHECK(cfn["One"]["Properties"]["DBClusterIdentifier"] == json{{"Ref", "Cluster"}});
  const json tf = test::tf(n.app)["resource"];
  CHECK(tf["aws_rds_cluster_instance"]["one"]["engine_version"] == "16.6");
  CHECK(tf["aws_rds_cluster"]["cluster"]["serverlessv2_scaling_configuration"]["max_capacity"] == 2.0);
}

TEST_CASE("Database instances get Enhanced Monitoring with a role they create, and encrypted Performance Insights",
          "[resources]") {
  Network n;
  auto& group = n.stack.add<rds::SubnetGroup>("Subnets", {.description = "d", .subnets = {n.a, n.b}});
  const rds::DatabaseSettings settings{
      .engine_version = "16.6", .subnet_group = group, .security_groups = {n.sg}, .kms_key = n.key};
  n.stack.add<rds::DatabaseInstance>("Db", {.settings = settings});
  auto& cluster = n.stack.add<rds::DatabaseCluster>("Cluster", {.settings = settings});
  n.stack.add<rds::DatabaseClusterInstance>(
      "Member", {.cluster = cluster, .monitoring = {.interval_seconds = 30, .role = n.role}});
  n.stack.add<rds::DatabaseClusterInstance>(
      "Quiet", {.cluster = cluster, .monitoring = {.interval_seconds = 0}, .performance_insights = {.enabled = false}});

  const json cfn = test::cfn(n.app)["Resources"];
  const json db = cfn["Db"]["Properties"];
  CHECK(db["MonitoringInterval"] == 60);
  CHECK(db["MonitoringRoleArn"] == json{{"Fn::GetAtt", {"DbMonitoringRole", "Arn"}}});
  CHECK(db["EnablePerformanceInsights"] == true);
  CHECK(db["PerformanceInsightsKMSKeyId"] == json{{"Fn::GetAtt", {"Key", "Arn"}}});
  CHECK(db["PerformanceInsightsRetentionPeriod"] == 7);
  CHECK(db["EnableCloudwatchLogsExports"] == json{"postgresql", "upgrade"});
  CHECK(cfn["Cluster"]["Properties"]["EnableCloudwatchLogsExports"] == json{"postgresql"});
  const json role = cfn["DbMonitoringRole"];
  CHECK(role["Type"] == "AWS::IAM::Role");
  CHECK(role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] ==
        json{{"Service", "monitoring.rds.amazonaws.com"}});
  CHECK(role["Properties"]["ManagedPolicyArns"] ==
        json{{{"Fn::Sub", "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"}}});
  // A given role is used as it is; none is created.
  CHECK(cfn["Member"]["Properties"]["MonitoringInterval"] == 30);
  CHECK(cfn["Member"]["Properties"]["MonitoringRoleArn"] == json{{"Fn::GetAtt", {"Role", "Arn"}}});
  CHECK_FALSE(cfn.contains("MemberMonitoringRole"));
  CHECK(cfn["Member"]["Properties"]["PerformanceInsightsKMSKeyId"] == json{{"Fn::GetAtt", {"Key", "Arn"}}});
  CHECK_FALSE(cfn["Quiet"]["Properties"].contains("MonitoringInterval"));
  CHECK_FALSE(cfn["Quiet"]["Properties"].contains("EnablePerformanceInsights"));

  const json tf = test::tf(n.app)["resource"];
  CHECK(tf["aws_db_instance"]["db"]["monitoring_interval"] == 60);
  CHECK(tf["aws_db_instance"]["db"]["monitoring_role_arn"] == "${aws_iam_role.db_monitoring_role.arn}");
  CHECK(tf["aws_db_instance"]["db"]["performance_insights_kms_key_id"] == "${aws_kms_key.key.arn}");
  CHECK(tf["aws_iam_role_policy_attachment"]["db_monitoring_role_amazon_rds_enhanced_monitoring_role"]["role"] ==
        "${aws_iam_role.db_monitoring_role.name}");
  CHECK(tf["aws_rds_cluster_instance"]["member"]["monitoring_role_arn"] == "${aws_iam_role.role.arn}");
}

TEST_CASE("Enhanced Monitoring intervals and Performance Insights retention are what RDS accepts", "[resources]") {
  Network n;
  auto& group = n.stack.add<rds::SubnetGroup>("Subnets", {.description = "d", .subnets = {n.a, n.b}});
  n.stack.add<rds::DatabaseInstance>(
      "Db",
      {.monitoring = {.interval_seconds = 45},
       .performance_insights = {.retention_days = 30},
       .settings = {.engine_version = "16.6", .subnet_group = group, .security_groups = {n.sg}, .kms_key = n.key}});
  CHECK(test::problems(n.app) ==
        std::vector<std::string>{
            "HS2004 S/Db: 'monitoring.interval_seconds' is 45; RDS accepts 0, 1, 5, 10, 15, 30 or 60",
            "HS2004 S/Db: 'performance_insights.retention_days' is 30; RDS accepts 7 or a multiple of 31 up to 731"});
}

TEST_CASE("Lambda code is inline in CloudFormation and a hashed zip in Terraform", "[resources]") {
  Network n;
  n.stack.add<lambda::Function>("Fn", {.code = lambda::Code::inline_source("index.js", "exports.handler = 1;\n"),
                                       .role = n.role,
                                       .subnets = {n.a},
                                       .security_groups = {n.sg}});
  CHECK(cfn_resource(n.app, "Fn")["Properties"]["Code"] == json{{"ZipFile", "exports.handler = 1;\n"}});
  const SynthesisResult result = synthesize(n.app, {.target = Target::Terraform, .allow_noncompliant = true});
  REQUIRE(result.files.size() == 3);  // main.tf.json, the zip, the manifest
  const std::string name = detail::hex(detail::sha256(result.files[1].contents)).substr(0, 16) + ".zip";
  CHECK(result.files[1].path == "S/lambda/" + name);
  const std::string& zip = result.files[1].contents;
  CHECK(zip.starts_with("PK\x03\x04"));
  const json fn = json::parse(result.files[0].contents)["resource"]["aws_lambda_function"]["fn"];
  CHECK(fn["filename"] == "${path.module}/lambda/" + name);
  CHECK(fn["source_code_hash"] == detail::base64(detail::sha256(zip)));
  CHECK(fn["vpc_config"]["subnet_ids"] == json{"${aws_subnet.a.id}"});
}

TEST_CASE("Roles keep policies inline in CloudFormation and as resources in Terraform", "[resources]") {
  App app;
  app.add_stack("S").add<iam::Role>(
      "Role", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com"),
               .managed_policy_arns = {iam::aws_managed("service-role/AWSLambdaBasicExecutionRole")},
               .inline_policies = {{"Read", {{iam::allow({"s3:GetObject"}).on("arn:aws:s3:::b/*")}}}}});
  const json cfn = cfn_resource(app, "Role")["Properties"];
  CHECK(cfn["ManagedPolicyArns"] ==
        json{{{"Fn::Sub", "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}}});
  CHECK(cfn["Policies"][0]["PolicyDocument"]["Statement"][0] ==
        json{{"Effect", "Allow"}, {"Action", "s3:GetObject"}, {"Resource", "arn:aws:s3:::b/*"}});
  const json tf = test::tf(app);
  CHECK(tf["resource"]["aws_iam_role"]["role"]["assume_role_policy"] ==
        "${data.aws_iam_policy_document.role_assume_role_policy.json}");
  CHECK(tf["data"]["aws_iam_policy_document"]["role_assume_role_policy"]["statement"][0]["principals"][0] ==
        json{{"type", "Service"}, {"identifiers", {"lambda.amazonaws.com"}}});
  CHECK(tf["resource"]["aws_iam_role_policy_attachment"]["role_aws_lambda_basic_execution_role"]["role"] ==
        "${aws_iam_role.role.name}");
  CHECK(tf["resource"]["aws_iam_role_policy"]["role_read"]["policy"] ==
        "${data.aws_iam_policy_document.role_read.json}");
}

TEST_CASE("A REST method's integration is its own resource in Terraform", "[resources]") {
  Network n;
  auto& fn =
      n.stack.add<lambda::Function>("Fn", {.code = lambda::Code::inline_source("index.js", "x"), .role = n.role});
  auto& api = n.stack.add<apigateway::RestApi>("Api", {.api_name = "api"});
  auto& patients = n.stack.add<apigateway::ApiResource>("Patients", {.api = api, .path_part = "patients"});
  auto& method =
      n.stack.add<apigateway::Method>("Get", {.api = api, .resource = patients, .http_method = "GET", .function = fn});
  auto& deployment = n.stack.add<apigateway::Deployment>("Deploy", {.api = api, .methods = {method}});
  n.stack.add<apigateway::Stage>(
      "Prod", {.api = api, .deployment = deployment, .method_settings = apigateway::MethodSettings{}});
  const json cfn = test::cfn(n.app)["Resources"];
  CHECK(cfn["Get"]["Properties"]["AuthorizationType"] == "AWS_IAM");
  CHECK(cfn["Get"]["Properties"]["Integration"]["Type"] == "AWS_PROXY");
  CHECK(cfn["Deploy"]["DependsOn"] == "Get");
  CHECK(cfn["Prod"]["Properties"]["MethodSettings"][0]["DataTraceEnabled"] == false);
  const json tf = test::tf(n.app)["resource"];
  CHECK(tf["aws_api_gateway_method"]["get"]["authorization"] == "AWS_IAM");
  CHECK(tf["aws_api_gateway_integration"]["get_integration"]["http_method"] ==
        "${aws_api_gateway_method.get.http_method}");
  CHECK(tf["aws_api_gateway_deployment"]["deploy"]["depends_on"] ==
        json{"aws_api_gateway_method.get", "aws_api_gateway_integration.get_integration"});
  CHECK(tf["aws_api_gateway_method_settings"]["prod_method_settings"]["method_path"] == "*/*");
}

TEST_CASE("HTTP API routes target their integration and carry authorization", "[resources]") {
  Network n;
  auto& fn =
      n.stack.add<lambda::Function>("Fn", {.code = lambda::Code::inline_source("index.js", "x"), .role = n.role});
  auto& api = n.stack.add<apigatewayv2::HttpApi>("Api", {.api_name = "api"});
  auto& integration = n.stack.add<apigatewayv2::Integration>("Lambda", {.api = api, .function = fn});
  n.stack.add<apigatewayv2::Route>("Get", {.api = api, .route_key = "GET /p", .integration = integration});
  const json cfn = test::cfn(n.app)["Resources"]["Get"]["Properties"];
  CHECK(cfn["Target"] == json{{"Fn::Sub", "integrations/${Lambda}"}});
  CHECK(cfn["AuthorizationType"] == "AWS_IAM");
  CHECK(tf_resource(n.app, "aws_apigatewayv2_route", "get")["target"] ==
        "integrations/${aws_apigatewayv2_integration.lambda.id}");
}

TEST_CASE("Redis users authenticate with IAM and the group needs a default user", "[resources]") {
  Network n;
  auto& app_user = n.stack.add<elasticache::User>("AppUser", {.user_id = "app", .user_name = "app"});
  n.stack.add<elasticache::UserGroup>("Users", {.user_group_id = "users", .users = {app_user}});
  const auto found = test::problems(n.app);
  REQUIRE(found.size() == 1);
  CHECK(found[0] == "HS2001 S/Users: a Redis user group must contain a user named 'default'");
  CHECK(synthesize(n.app, {.allow_noncompliant = true}).files.empty());
}

TEST_CASE("Tags merge stack tags in CloudFormation and use default_tags in Terraform", "[resources]") {
  App app;
  Stack& stack = app.add_stack("S", {.tags = {{"Team", "care"}}});
  stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16", .tags = {{"Name", "main"}}});
  CHECK(test::cfn(app)["Resources"]["Vpc"]["Properties"]["Tags"] ==
        json{{{"Key", "Name"}, {"Value", "main"}}, {{"Key", "Team"}, {"Value", "care"}}});
  const json tf = test::tf(app);
  CHECK(tf["provider"]["aws"]["default_tags"]["tags"] == json{{"Team", "care"}});
  CHECK(tf["resource"]["aws_vpc"]["vpc"]["tags"] == json{{"Name", "main"}});
}

TEST_CASE("Backup and snapshot windows must lie apart from the maintenance window", "[resources]") {
  Network n;
  auto& db_subnets = n.stack.add<rds::SubnetGroup>("Subnets", {.description = "d", .subnets = {n.a, n.b}});
  auto& cache_subnets =
      n.stack.add<elasticache::SubnetGroup>("CacheSubnets", {.description = "d", .subnets = {n.a, n.b}});
  const auto database = [&](const std::string& id, const std::string& backup, const std::string& maintenance) {
    n.stack.add<rds::DatabaseInstance>(id, {.settings = {.engine_version = "16.6",
                                                         .subnet_group = db_subnets,
                                                         .security_groups = {n.sg},
                                                         .preferred_backup_window = backup,
                                                         .preferred_maintenance_window = maintenance}});
  };
  int caches = 0;
  const auto cache = [&](const std::string& id, int retention_days, const std::string& snapshot,
                         const std::string& maintenance) {
    n.stack.add<elasticache::ReplicationGroup>(id, {.replication_group_id = "c" + std::to_string(++caches),
                                                    .subnet_group = cache_subnets,
                                                    .security_groups = {n.sg},
                                                    .snapshot_retention_days = retention_days,
                                                    .snapshot_window = snapshot,
                                                    .maintenance_window = maintenance});
  };
  // The defaults are apart.
  n.stack.add<rds::DatabaseInstance>(
      "Defaults", {.settings = {.engine_version = "16.6", .subnet_group = db_subnets, .security_groups = {n.sg}}});
  cache("CacheDefaults", 15, elasticache::ReplicationGroupProps{}.snapshot_window,
        elasticache::ReplicationGroupProps{}.maintenance_window);
  database("Apart", "03:00-04:00", "Sun:04:01-Sun:05:00");
  database("Touching", "03:00-04:00", "sun:04:00-sun:05:00");          // the records preset's old pair
  database("AcrossMidnight", "23:30-00:30", "mon:00:00-mon:01:00");    // the daily window wraps
  database("AcrossTheWeek", "00:10-01:00", "sun:23:00-mon:00:15");     // the weekly window wraps
  database("Malformed", "3am", "sun:04:00-sun:05:00");                 // left to AWS's format check
  cache("CacheTouching", 15, "03:00-05:00", "sun:05:00-sun:07:00");    // the old defaults
  cache("CacheNoSnapshots", 0, "03:00-05:00", "sun:05:00-sun:07:00");  // no snapshot is taken
  const std::string apart = " overlap or touch; AWS requires the two windows to be apart";
  CHECK(test::problems(n.app) ==
        std::vector<std::string>{
            "HS2004 S/Touching: 'preferred_backup_window' 03:00-04:00 and 'preferred_maintenance_window' "
            "sun:04:00-sun:05:00" +
                apart,
            "HS2004 S/AcrossMidnight: 'preferred_backup_window' 23:30-00:30 and 'preferred_maintenance_window' "
            "mon:00:00-mon:01:00" +
                apart,
            "HS2004 S/AcrossTheWeek: 'preferred_backup_window' 00:10-01:00 and 'preferred_maintenance_window' "
            "sun:23:00-mon:00:15" +
                apart,
            "HS2004 S/CacheTouching: 'snapshot_window' 03:00-05:00 and 'maintenance_window' sun:05:00-sun:07:00" +
                apart});
}
