// ec2::Network (hipaa/network.hpp): a multi-AZ VPC from one call, subnets carved from its block,
// routes, NAT and endpoints wired, flow logs encrypted; and overlapping subnets refused anywhere.
#include <algorithm>
#include <set>

#include <catch2/catch.hpp>

#include "hipaa/aws/lambda.hpp"
#include "hipaa/network.hpp"
#include "hipaa/rules.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

// The logical ids of the resources of one CloudFormation type, sorted.
std::set<std::string> ids_of_type(const json& cfn, const std::string& type) {
  std::set<std::string> out;
  for (const auto& [id, resource] : cfn["Resources"].items()) {
    if (resource["Type"] == type) out.insert(id);
  }
  return out;
}

json property(const json& cfn, const std::string& id, const std::string& name) {
  return cfn["Resources"][id]["Properties"][name];
}

bool has_problem(const std::vector<std::string>& problems, const std::string& text) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE("The default network is one isolated tier in two zones, with encrypted flow logs and nothing public",
          "[network]") {
  App app;
  auto& stack = app.add_stack("S");
  auto& net = stack.add<ec2::Network>("Net");
  const json cfn = test::cfn(app);

  CHECK(ids_of_type(cfn, "AWS::EC2::Subnet") == std::set<std::string>{"NetPrivateSubnet1", "NetPrivateSubnet2"});
  CHECK(property(cfn, "NetPrivateSubnet1", "CidrBlock") == "10.0.0.0/24");
  CHECK(property(cfn, "NetPrivateSubnet2", "CidrBlock") == "10.0.1.0/24");
  CHECK(property(cfn, "NetPrivateSubnet2", "AvailabilityZone") == json{{"Fn::Select", {1, {{"Fn::GetAZs", ""}}}}});
  CHECK(ids_of_type(cfn, "AWS::EC2::InternetGateway").empty());
  CHECK(ids_of_type(cfn, "AWS::EC2::NatGateway").empty());
  CHECK(ids_of_type(cfn, "AWS::EC2::Route").empty());  // isolated: no route out
  CHECK(ids_of_type(cfn, "AWS::EC2::SubnetRouteTableAssociation") ==
        std::set<std::string>{"NetPrivateSubnet1RouteTableAssociation", "NetPrivateSubnet2RouteTableAssociation"});
  // Flow logs to a group encrypted with a key of its own, through a role allowed to write there.
  CHECK(ids_of_type(cfn, "AWS::EC2::FlowLog") == std::set<std::string>{"NetFlowLog"});
  CHECK(property(cfn, "NetFlowLogsLogGroup", "KmsKeyId") == json{{"Fn::GetAtt", {"NetFlowLogsKey", "Arn"}}});
  CHECK(property(cfn, "NetFlowLog", "DeliverLogsPermissionArn") == json{{"Fn::GetAtt", {"NetFlowLogsRole", "Arn"}}});
  // The flow log waits for the role's grants: delivery fails until the role may write.
  CHECK(cfn["Resources"]["NetFlowLog"]["DependsOn"] == "NetFlowLogsRoleGrants");
  // Every resource is named after its path.
  CHECK(property(cfn, "NetVpc", "Tags") == json{{{"Key", "Name"}, {"Value", "S/Net/Vpc"}}});
  CHECK(net.subnets("Private").size() == 2);
  CHECK(net.subnets(ec2::SubnetType::Public).empty());
  // The default network passes every HIPAA rule (the stack as a whole has no audit trail).
  std::vector<std::string> findings;
  for (const auto& f : rules::check(app).findings) {
    if (f.path.starts_with("S/Net")) findings.push_back(f.code + " " + f.path);
  }
  CHECK(findings == std::vector<std::string>{});
}

TEST_CASE("Public, private-with-egress and isolated tiers in three zones: carving, NAT per zone and routes",
          "[network]") {
  App app;
  auto& stack = app.add_stack("S");
  stack.add<ec2::Network>("Net", {.cidr_block = "10.1.0.0/16",
                                  .availability_zones = 3,
                                  .subnets = {{.name = "Public", .type = ec2::SubnetType::Public, .cidr_mask = 26},
                                              {.name = "App", .type = ec2::SubnetType::PrivateWithEgress},
                                              {.name = "Data", .type = ec2::SubnetType::Isolated, .cidr_mask = 28}},
                                  .flow_logs = false});
  const json cfn = test::cfn(app);
  // Tier after tier, zone after zone, each block aligned on its own size.
  CHECK(property(cfn, "NetPublicSubnet1", "CidrBlock") == "10.1.0.0/26");
  CHECK(property(cfn, "NetPublicSubnet3", "CidrBlock") == "10.1.0.128/26");
  CHECK(property(cfn, "NetAppSubnet1", "CidrBlock") == "10.1.1.0/24");
  CHECK(property(cfn, "NetAppSubnet3", "CidrBlock") == "10.1.3.0/24");
  CHECK(property(cfn, "NetDataSubnet1", "CidrBlock") == "10.1.4.0/28");
  CHECK(property(cfn, "NetDataSubnet3", "CidrBlock") == "10.1.4.32/28");

  CHECK(ids_of_type(cfn, "AWS::EC2::NatGateway") ==
        std::set<std::string>{"NetNatGateway1", "NetNatGateway2", "NetNatGateway3"});
  CHECK(property(cfn, "NetNatGateway2", "SubnetId") == json{{"Ref", "NetPublicSubnet2"}});
  CHECK(property(cfn, "NetNatGateway2", "AllocationId") == json{{"Fn::GetAtt", {"NetNatGateway2Eip", "AllocationId"}}});
  CHECK(property(cfn, "NetNatGateway2Eip", "Domain") == "vpc");
  CHECK(cfn["Resources"]["NetNatGateway2"]["DependsOn"] == "NetInternetGatewayAttachment");
  // Zone i's private table routes through zone i's NAT gateway; the public one to the gateway.
  CHECK(property(cfn, "NetAppRoute2", "NatGatewayId") == json{{"Ref", "NetNatGateway2"}});
  CHECK(property(cfn, "NetAppRoute2", "RouteTableId") == json{{"Ref", "NetAppRouteTable2"}});
  CHECK(property(cfn, "NetPublicRoute", "GatewayId") == json{{"Ref", "NetInternetGateway"}});
  CHECK(ids_of_type(cfn, "AWS::EC2::Route") ==
        std::set<std::string>{"NetPublicRoute", "NetAppRoute1", "NetAppRoute2", "NetAppRoute3"});
  CHECK(property(cfn, "NetPublicSubnet1", "MapPublicIpOnLaunch") == false);

  const json tf = test::tf(app)["resource"];
  CHECK(tf["aws_nat_gateway"]["net_nat_gateway1"]["allocation_id"] == "${aws_eip.net_nat_gateway1_eip.id}");
  CHECK(tf["aws_nat_gateway"]["net_nat_gateway1"]["depends_on"] == json{"aws_internet_gateway.net_internet_gateway"});
  CHECK(tf["aws_eip"]["net_nat_gateway1_eip"]["domain"] == "vpc");
  CHECK(tf["aws_route"]["net_app_route3"]["nat_gateway_id"] == "${aws_nat_gateway.net_nat_gateway3.id}");
  CHECK(tf["aws_subnet"]["net_data_subnet2"]["cidr_block"] == "10.1.4.16/28");
}

TEST_CASE("Fewer NAT gateways than zones are shared round-robin", "[network]") {
  App app;
  auto& stack = app.add_stack("S");
  stack.add<ec2::Network>("Net", {.availability_zones = 3,
                                  .subnets = {{.name = "Public", .type = ec2::SubnetType::Public},
                                              {.name = "App", .type = ec2::SubnetType::PrivateWithEgress}},
                                  .nat_gateways = 1,
                                  .flow_logs = false});
  const json cfn = test::cfn(app);
  CHECK(ids_of_type(cfn, "AWS::EC2::NatGateway") == std::set<std::string>{"NetNatGateway1"});
  for (const std::string route : {"NetAppRoute1", "NetAppRoute2", "NetAppRoute3"}) {
    CHECK(property(cfn, route, "NatGatewayId") == json{{"Ref", "NetNatGateway1"}});
  }
}

TEST_CASE("Gateway endpoints route from every private table; interface endpoints sit behind one group", "[network]") {
  App app;
  auto& stack = app.add_stack("S");
  auto& net = stack.add<ec2::Network>("Net", {.subnets = {{.name = "Public", .type = ec2::SubnetType::Public},
                                                          {.name = "App", .type = ec2::SubnetType::PrivateWithEgress},
                                                          {.name = "Data", .type = ec2::SubnetType::Isolated}},
                                              .gateway_endpoints = {"s3", "dynamodb"},
                                              .interface_endpoints = {"secretsmanager", "ecr.api"},
                                              .flow_logs = false});
  auto& role = stack.add<iam::Role>("Role", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com")});
  auto& fn_sg = stack.add<ec2::SecurityGroup>("FnSg", {.vpc = net.vpc(), .description = "function"});
  auto& fn = stack.add<lambda::Function>("Fn", {.code = lambda::Code::inline_source("index.js", "x"),
                                                .role = role,
                                                .subnets = net.subnets("App"),
                                                .security_groups = {fn_sg}});
  net.endpoint_connections().allow_default_port_from(fn);

  const json cfn = test::cfn(app);
  CHECK(property(cfn, "NetS3Endpoint", "VpcEndpointType") == "Gateway");
  CHECK(property(cfn, "NetS3Endpoint", "RouteTableIds") ==
        json{{{"Ref", "NetAppRouteTable1"}}, {{"Ref", "NetAppRouteTable2"}}, {{"Ref", "NetDataRouteTable"}}});
  CHECK(property(cfn, "NetDynamodbEndpoint", "ServiceName") ==
        json{{"Fn::Sub", "com.amazonaws.${AWS::Region}.dynamodb"}});
  // Interface endpoints: in the first non-public tier, private DNS, behind the endpoint group.
  CHECK(property(cfn, "NetEcrApiEndpoint", "SubnetIds") ==
        json{{{"Ref", "NetAppSubnet1"}}, {{"Ref", "NetAppSubnet2"}}});
  CHECK(property(cfn, "NetSecretsmanagerEndpoint", "PrivateDnsEnabled") == true);
  CHECK(property(cfn, "NetSecretsmanagerEndpoint", "SecurityGroupIds") ==
        json{{{"Fn::GetAtt", {"NetEndpointSecurityGroup", "GroupId"}}}});
  // endpoint_connections(): HTTPS in from the function, and out of the function's group.
  CHECK(property(cfn, "NetEndpointSecurityGroupFromFnSgPort443", "SourceSecurityGroupId") ==
        json{{"Fn::GetAtt", {"FnSg", "GroupId"}}});
  CHECK(property(cfn, "FnSgToNetEndpointSecurityGroupPort443", "DestinationSecurityGroupId") ==
        json{{"Fn::GetAtt", {"NetEndpointSecurityGroup", "GroupId"}}});

  const json tf = test::tf(app)["resource"];
  CHECK(tf["aws_vpc_endpoint"]["net_s3_endpoint"]["route_table_ids"] ==
        json{"${aws_route_table.net_app_route_table1.id}", "${aws_route_table.net_app_route_table2.id}",
             "${aws_route_table.net_data_route_table.id}"});
}

TEST_CASE("Explicit blocks are kept and carved tiers step around them", "[network]") {
  App app;
  auto& stack = app.add_stack("S");
  stack.add<ec2::Network>("Net", {.subnets = {{.name = "Fixed", .cidr_blocks = {"10.0.0.0/24", "10.0.2.0/24"}},
                                              {.name = "Carved", .cidr_mask = 24}},
                                  .flow_logs = false});
  const json cfn = test::cfn(app);
  CHECK(property(cfn, "NetFixedSubnet2", "CidrBlock") == "10.0.2.0/24");
  CHECK(property(cfn, "NetCarvedSubnet1", "CidrBlock") == "10.0.1.0/24");
  CHECK(property(cfn, "NetCarvedSubnet2", "CidrBlock") == "10.0.3.0/24");
}

TEST_CASE("A network refuses what AWS would: zone counts, a full VPC, NAT without a public tier", "[network]") {
  auto problems_of = [](const ec2::NetworkProps& props) {
    App app;
    app.add_stack("S").add<ec2::Network>("Net", props);
    return test::problems(app);
  };
  CHECK(has_problem(problems_of({.availability_zones = 1}),
                    "HS2004 S/Net: 'availability_zones' is 1; a network spans 2 to 6 zones"));
  CHECK(has_problem(problems_of({.availability_zones = 7}), "'availability_zones' is 7"));
  CHECK(has_problem(problems_of({.cidr_block = "10.0.0.0/24", .subnets = {{.name = "Big", .cidr_mask = 25}}}),
                    "HS2002 S/Net: subnet tier 'Big' needs /25 blocks for 2 zones, but the VPC's 10.0.0.0/24 has no "
                    "room left") == false);  // two /25 fit exactly
  CHECK(has_problem(
      problems_of(
          {.cidr_block = "10.0.0.0/24", .availability_zones = 3, .subnets = {{.name = "Big", .cidr_mask = 25}}}),
      "HS2002 S/Net: subnet tier 'Big' needs /25 blocks for 3 zones, but the VPC's 10.0.0.0/24 has no "
      "room left"));
  CHECK(has_problem(problems_of({.subnets = {{.name = "App", .type = ec2::SubnetType::PrivateWithEgress}}}),
                    "a NAT gateway needs a Public subnet tier"));
  CHECK(has_problem(problems_of({.subnets = {{.name = "Public", .type = ec2::SubnetType::Public},
                                             {.name = "App", .type = ec2::SubnetType::PrivateWithEgress}},
                                 .nat_gateways = 0}),
                    "'nat_gateways' is 0, but a PrivateWithEgress tier routes through NAT gateways"));
  CHECK(has_problem(problems_of({.subnets = {{.name = "A"}, {.name = "A"}}}), "subnet tier name 'A' is used twice"));
  CHECK(has_problem(
      problems_of({.subnets = {{.name = "Public", .type = ec2::SubnetType::Public}}, .interface_endpoints = {"kms"}}),
      "interface endpoints need a subnet tier that is not Public"));
  CHECK(has_problem(problems_of({.gateway_endpoints = {"sqs"}}),
                    "'service' sqs has no gateway endpoint: AWS offers them for s3 and dynamodb only"));
  // Zones beyond the region's are refused at synth (HS2008) once the region is known.
  App app;
  auto& stack = app.add_stack("S", {.region = "eu-west-1"});
  stack.add<ec2::Network>("Net", {.availability_zones = 4});
  CHECK(has_problem(test::problems(app), "HS2008"));
}

TEST_CASE("Overlapping subnets of one VPC are an error on the later one, anywhere in the stack", "[network]") {
  App app;
  auto& stack = app.add_stack("S");
  auto& vpc = stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  stack.add<ec2::Subnet>("A", {.vpc = vpc, .cidr_block = "10.0.0.0/23"});
  auto& group = stack.add_group("Deeper");
  group.add<ec2::Subnet>("B", {.vpc = vpc, .cidr_block = "10.0.1.0/24"});
  stack.add<ec2::Subnet>("C", {.vpc = vpc, .cidr_block = "10.0.2.0/24"});  // beside both: fine
  auto& other = stack.add<ec2::Vpc>("Other", {.cidr_block = "10.0.0.0/16"});
  stack.add<ec2::Subnet>("D", {.vpc = other, .cidr_block = "10.0.0.0/24"});  // another VPC: fine
  const auto problems = test::problems(app);
  CHECK(problems == std::vector<std::string>{"HS2002 S/Deeper/B: 'cidr_block' 10.0.1.0/24 overlaps 10.0.0.0/23 of "
                                             "S/A, another subnet of S/Vpc"});
}
