// Connections (hipaa/aws/ec2.hpp): one call adds the ingress rule on the target's security group and
// the matching egress rule on the source's, in both targets, once.
#include <set>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/elasticache.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/rds.hpp"
#include "hipaa/rules.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

struct Network {
  App app;
  Stack& stack = app.add_stack("S");
  ec2::Vpc& vpc = stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  ec2::Subnet& a = stack.add<ec2::Subnet>("A", {.vpc = vpc, .cidr_block = "10.0.1.0/24"});
  ec2::Subnet& b = stack.add<ec2::Subnet>("B", {.vpc = vpc, .cidr_block = "10.0.2.0/24"});
  ec2::SecurityGroup& fn_sg = stack.add<ec2::SecurityGroup>("FnSg", {.vpc = vpc, .description = "function"});
  ec2::SecurityGroup& db_sg = stack.add<ec2::SecurityGroup>("DbSg", {.vpc = vpc, .description = "database"});
  kms::Key& key = stack.add<kms::Key>("Key", {.description = "k"});
  iam::Role& role = stack.add<iam::Role>("Role", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com")});
  lambda::Function& fn = stack.add<lambda::Function>("Fn", {.code = lambda::Code::inline_source("index.js", "x"),
                                                            .role = role,
                                                            .subnets = {a, b},
                                                            .security_groups = {fn_sg}});
  rds::SubnetGroup& db_subnets = stack.add<rds::SubnetGroup>("DbSubnets", {.description = "d", .subnets = {a, b}});

  rds::DatabaseSettings settings(Refs<ec2::SecurityGroup> groups) {
    return {.engine_version = "16.6", .subnet_group = db_subnets, .security_groups = std::move(groups), .kms_key = key};
  }
};

// The resources of one CloudFormation type, by logical id.
json cfn_of_type(const json& cfn, const std::string& type) {
  json out = json::object();
  for (const auto& [id, resource] : cfn["Resources"].items()) {
    if (resource["Type"] == type) out[id] = resource;
  }
  return out;
}

json ingress_cfn(const std::string& group, const std::string& source, int port, const std::string& description) {
  return {{"Type", "AWS::EC2::SecurityGroupIngress"},
          {"Properties",
           {{"GroupId", {{"Fn::GetAtt", {group, "GroupId"}}}},
            {"IpProtocol", "tcp"},
            {"Description", description},
            {"FromPort", port},
            {"ToPort", port},
            {"SourceSecurityGroupId", {{"Fn::GetAtt", {source, "GroupId"}}}}}}};
}

json egress_cfn(const std::string& group, const std::string& destination, int port, const std::string& description) {
  return {{"Type", "AWS::EC2::SecurityGroupEgress"},
          {"Properties",
           {{"GroupId", {{"Fn::GetAtt", {group, "GroupId"}}}},
            {"IpProtocol", "tcp"},
            {"Description", description},
            {"FromPort", port},
            {"ToPort", port},
            {"DestinationSecurityGroupId", {{"Fn::GetAtt", {destination, "GroupId"}}}}}}};
}

json rule_tf(const std::string& group, const std::string& peer, int port, const std::string& description) {
  return {{"security_group_id", "${aws_security_group." + group + ".id}"},
          {"ip_protocol", "tcp"},
          {"description", description},
          {"from_port", port},
          {"to_port", port},
          {"referenced_security_group_id", "${aws_security_group." + peer + ".id}"}};
}

std::set<std::string> findings(const App& app) {
  std::set<std::string> out;
  for (const auto& f : rules::check(app).findings) out.insert(f.code + " " + f.path);
  return out;
}

}  // namespace

TEST_CASE("A database allows its engine's port from a function: ingress on its group, egress on the function's",
          "[connections]") {
  Network n;
  auto& db = n.stack.add<rds::DatabaseInstance>("Db", {.settings = n.settings({n.db_sg})});
  db.connections().allow_default_port_from(n.fn);

  // The rules are children of the groups they belong to, built from the public rule nodes.
  REQUIRE(n.db_sg.children().size() == 1);
  CHECK(n.db_sg.children()[0]->path() == "S/DbSg/FromFnSgPort5432");
  REQUIRE(n.fn_sg.children().size() == 1);
  CHECK(n.fn_sg.children()[0]->path() == "S/FnSg/ToDbSgPort5432");

  const json cfn = test::cfn(n.app);
  CHECK(cfn_of_type(cfn, "AWS::EC2::SecurityGroupIngress") ==
        json{{"DbSgFromFnSgPort5432", ingress_cfn("DbSg", "FnSg", 5432, "from S/Fn on 5432")}});
  CHECK(cfn_of_type(cfn, "AWS::EC2::SecurityGroupEgress") ==
        json{{"FnSgToDbSgPort5432", egress_cfn("FnSg", "DbSg", 5432, "to S/Db on 5432")}});

  const json tf = test::tf(n.app)["resource"];
  CHECK(tf["aws_vpc_security_group_ingress_rule"] ==
        json{{"db_sg_from_fn_sg_port5432", rule_tf("db_sg", "fn_sg", 5432, "from S/Fn on 5432")}});
  CHECK(tf["aws_vpc_security_group_egress_rule"] ==
        json{{"fn_sg_to_db_sg_port5432", rule_tf("fn_sg", "db_sg", 5432, "to S/Db on 5432")}});
}

TEST_CASE("An Aurora cluster, a MySQL instance and a Redis group connect on their engines' or configured ports",
          "[connections]") {
  Network n;
  auto& cluster_sg = n.stack.add<ec2::SecurityGroup>("ClusterSg", {.vpc = n.vpc, .description = "aurora"});
  auto& cache_sg = n.stack.add<ec2::SecurityGroup>("CacheSg", {.vpc = n.vpc, .description = "cache"});
  auto& cluster = n.stack.add<rds::DatabaseCluster>("Cluster", {.settings = n.settings({cluster_sg})});
  auto& mysql = n.stack.add<rds::DatabaseInstance>("Mysql", {.engine = "mysql", .settings = n.settings({n.db_sg})});
  auto& cache_subnets =
      n.stack.add<elasticache::SubnetGroup>("CacheSubnets", {.description = "c", .subnets = {n.a, n.b}});
  auto& cache = n.stack.add<elasticache::ReplicationGroup>("Cache", {.replication_group_id = "cache",
                                                                     .kms_key = n.key,
                                                                     .port = 6380,
                                                                     .subnet_group = cache_subnets,
                                                                     .security_groups = {cache_sg}});

  CHECK(cluster.connections().default_port() == 5432);
  CHECK(mysql.connections().default_port() == 3306);
  CHECK(cache.connections().default_port() == 6380);
  CHECK_FALSE(n.fn.connections().default_port().has_value());
  CHECK(rds::default_port("mariadb") == 3306);
  CHECK_FALSE(rds::default_port("oracle-ee").has_value());

  cluster.connections().allow_default_port_from(n.fn);
  mysql.connections().allow_default_port_from(n.fn);
  n.fn.connections().allow_default_port_to(cache);  // the same pair of rules, seen from the function

  const json cfn = test::cfn(n.app);
  CHECK(cfn_of_type(cfn, "AWS::EC2::SecurityGroupIngress") ==
        json{{"ClusterSgFromFnSgPort5432", ingress_cfn("ClusterSg", "FnSg", 5432, "from S/Fn on 5432")},
             {"DbSgFromFnSgPort3306", ingress_cfn("DbSg", "FnSg", 3306, "from S/Fn on 3306")},
             {"CacheSgFromFnSgPort6380", ingress_cfn("CacheSg", "FnSg", 6380, "from S/Fn on 6380")}});
  CHECK(cfn_of_type(cfn, "AWS::EC2::SecurityGroupEgress") ==
        json{{"FnSgToClusterSgPort5432", egress_cfn("FnSg", "ClusterSg", 5432, "to S/Cluster on 5432")},
             {"FnSgToDbSgPort3306", egress_cfn("FnSg", "DbSg", 3306, "to S/Mysql on 3306")},
             {"FnSgToCacheSgPort6380", egress_cfn("FnSg", "CacheSg", 6380, "to S/Cache on 6380")}});
  const json tf = test::tf(n.app)["resource"];
  CHECK(tf["aws_vpc_security_group_ingress_rule"]["cache_sg_from_fn_sg_port6380"] ==
        rule_tf("cache_sg", "fn_sg", 6380, "from S/Fn on 6380"));
  CHECK(tf["aws_vpc_security_group_egress_rule"]["fn_sg_to_cluster_sg_port5432"] ==
        rule_tf("fn_sg", "cluster_sg", 5432, "to S/Cluster on 5432"));
  CHECK(tf["aws_vpc_security_group_ingress_rule"].size() == 3);
  CHECK(tf["aws_vpc_security_group_egress_rule"].size() == 3);
}

TEST_CASE("allow_from takes a security group or any node with connections, on any port", "[connections]") {
  Network n;
  auto& bastion = n.stack.add<ec2::SecurityGroup>("Bastion", {.vpc = n.vpc, .description = "bastion"});
  n.db_sg.connections().allow_from(bastion, 22);
  n.fn.connections().allow_to(n.db_sg, 443);
  const json cfn = test::cfn(n.app);
  CHECK(cfn_of_type(cfn, "AWS::EC2::SecurityGroupIngress") ==
        json{{"DbSgFromBastionPort22", ingress_cfn("DbSg", "Bastion", 22, "from S/Bastion on 22")},
             {"DbSgFromFnSgPort443", ingress_cfn("DbSg", "FnSg", 443, "from S/Fn on 443")}});
  CHECK(cfn_of_type(cfn, "AWS::EC2::SecurityGroupEgress") ==
        json{{"BastionToDbSgPort22", egress_cfn("Bastion", "DbSg", 22, "to S/DbSg on 22")},
             {"FnSgToDbSgPort443", egress_cfn("FnSg", "DbSg", 443, "to S/DbSg on 443")}});
}

TEST_CASE("Repeating a connection adds no second rule and leaves the output byte for byte the same", "[connections]") {
  Network once;
  auto& db1 = once.stack.add<rds::DatabaseInstance>("Db", {.settings = once.settings({once.db_sg})});
  db1.connections().allow_default_port_from(once.fn);

  Network twice;
  auto& db2 = twice.stack.add<rds::DatabaseInstance>("Db", {.settings = twice.settings({twice.db_sg})});
  db2.connections().allow_default_port_from(twice.fn);
  db2.connections().allow_default_port_from(twice.fn);
  db2.connections().allow_from(twice.fn, 5432);
  twice.fn.connections().allow_default_port_to(db2);
  twice.fn.connections().allow_to(twice.db_sg, 5432);
  CHECK(twice.db_sg.children().size() == 1);
  CHECK(twice.fn_sg.children().size() == 1);

  for (const Target target : {Target::CloudFormation, Target::Terraform}) {
    const auto a = synthesize(once.app, {.target = target, .rules = {}});
    const auto b = synthesize(twice.app, {.target = target, .rules = {}});
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a.files.front().contents == b.files.front().contents);
  }
}

TEST_CASE("Nodes sharing a security group share its rules", "[connections]") {
  Network n;
  auto& first = n.stack.add<rds::DatabaseInstance>("First", {.settings = n.settings({n.db_sg})});
  auto& second = n.stack.add<rds::DatabaseInstance>("Second", {.settings = n.settings({n.db_sg})});
  first.connections().allow_default_port_from(n.fn);
  second.connections().allow_default_port_from(n.fn);
  const json cfn = test::cfn(n.app);
  // AWS refuses a duplicate rule; the first connection's description stays.
  CHECK(cfn_of_type(cfn, "AWS::EC2::SecurityGroupIngress") ==
        json{{"DbSgFromFnSgPort5432", ingress_cfn("DbSg", "FnSg", 5432, "from S/Fn on 5432")}});
  CHECK(cfn_of_type(cfn, "AWS::EC2::SecurityGroupEgress") ==
        json{{"FnSgToDbSgPort5432", egress_cfn("FnSg", "DbSg", 5432, "to S/First on 5432")}});
}

TEST_CASE("A node with several security groups gets a rule for every pair of groups", "[connections]") {
  Network n;
  auto& admin_sg = n.stack.add<ec2::SecurityGroup>("AdminSg", {.vpc = n.vpc, .description = "admin"});
  auto& db = n.stack.add<rds::DatabaseInstance>("Db", {.settings = n.settings({n.db_sg, admin_sg})});
  db.connections().allow_default_port_from(n.fn);
  const json cfn = test::cfn(n.app);
  CHECK(cfn_of_type(cfn, "AWS::EC2::SecurityGroupIngress") ==
        json{{"DbSgFromFnSgPort5432", ingress_cfn("DbSg", "FnSg", 5432, "from S/Fn on 5432")},
             {"AdminSgFromFnSgPort5432", ingress_cfn("AdminSg", "FnSg", 5432, "from S/Fn on 5432")}});
  CHECK(cfn_of_type(cfn, "AWS::EC2::SecurityGroupEgress") ==
        json{{"FnSgToDbSgPort5432", egress_cfn("FnSg", "DbSg", 5432, "to S/Db on 5432")},
             {"FnSgToAdminSgPort5432", egress_cfn("FnSg", "AdminSg", 5432, "to S/Db on 5432")}});
}

TEST_CASE("Connecting a node without a security group or default port is HS1008 at the call, naming the node",
          "[connections]") {
  Network n;
  auto& outside =
      n.stack.add<lambda::Function>("Outside", {.code = lambda::Code::inline_source("index.js", "x"), .role = n.role});
  auto& db = n.stack.add<rds::DatabaseInstance>("Db", {.settings = n.settings({n.db_sg})});
  auto& bare = n.stack.add<rds::DatabaseInstance>("Bare", {.settings = n.settings({})});
  const int first_call = __LINE__ + 1;
  db.connections().allow_default_port_from(outside);
  bare.connections().allow_from(n.fn, 5432);
  n.fn.connections().allow_default_port_from(db);
  db.connections().allow_from(n.fn, 70000);
  // Nothing was added by the calls that failed.
  CHECK(n.db_sg.children().empty());
  CHECK(n.fn_sg.children().empty());
  const auto result = synthesize(n.app, {.target = Target::CloudFormation, .rules = {}});
  CHECK(result.files.empty());
  std::vector<std::string> errors;
  for (const auto& d : result.diagnostics) {
    if (d.code != "HS1008") continue;
    CHECK_THAT(d.file, Catch::EndsWith("test_connections.cpp"));
    errors.push_back(d.path + " line +" + std::to_string(d.line - first_call) + ": " + d.message);
  }
  CHECK(errors == std::vector<std::string>{
                      "S/Fn line +2: S/Fn has no default port: connect it with allow_from / allow_to and a port",
                      "S/Db line +0: S/Outside has no security group to connect: give it security_groups (a function "
                      "needs subnets and security_groups to run in a VPC)",
                      "S/Db line +3: port 70000 connecting S/Fn to S/Db is outside 0-65535",
                      "S/Bare line +1: S/Bare has no security group to connect: give it security_groups (a function "
                      "needs subnets and security_groups to run in a VPC)"});
}

TEST_CASE("Groups in different stacks are refused rather than left to a stack cycle", "[connections]") {
  Network n;
  Stack& other = n.app.add_stack("T");
  auto& vpc = other.add<ec2::Vpc>("Vpc", {.cidr_block = "10.1.0.0/16"});
  auto& sg = other.add<ec2::SecurityGroup>("Sg", {.vpc = vpc, .description = "other"});
  n.db_sg.connections().allow_from(sg, 5432);
  const auto problems = test::problems(n.app);
  REQUIRE_FALSE(problems.empty());
  CHECK_THAT(problems, Catch::VectorContains(std::string(
                           "HS1008 S/DbSg: cannot connect T/Sg to S/DbSg: their security groups are in different "
                           "stacks (T/Sg, S/DbSg), whose rules would import each other's groups")));
  CHECK(n.db_sg.children().empty());
}

TEST_CASE("Connections add no compliance finding: rules between groups are not open to the internet", "[connections]") {
  Network n;
  auto& db = n.stack.add<rds::DatabaseInstance>("Db", {.settings = n.settings({n.db_sg})});
  const auto before = findings(n.app);
  db.connections().allow_default_port_from(n.fn);
  CHECK(findings(n.app) == before);
  // The database is reachable from the internet only when the function's group is: exposing it
  // is reported (HIPAA-NET-1), so the check sees the new rules.
  n.stack.add<ec2::SecurityGroupIngress>("Open", {.group = n.fn_sg, .from_port = 443, .cidr_ipv4 = "0.0.0.0/0"});
  CHECK(findings(n.app).contains("HIPAA-NET-1 S/Db"));
}
