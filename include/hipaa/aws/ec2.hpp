// hipaa/aws/ec2.hpp: VPC networking: VPC, subnets, routing, internet gateway, security groups
// and their rules, VPC endpoints and flow logs.
//
//   auto& vpc = stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
//   auto& subnet = stack.add<ec2::Subnet>("Private1", {.vpc = vpc, .cidr_block = "10.0.1.0/24",
//                                                      .availability_zone = select(0, availability_zones())});
#pragma once

#include <array>
#include <optional>

#include "hipaa/aws/iam.hpp"

namespace hipaa::logs {
class LogGroup;
}

namespace hipaa::ec2 {

struct VpcProps {
  std::string cidr_block;
  bool enable_dns_hostnames = true;
  bool enable_dns_support = true;
  // Removes every rule of the VPC's default security group, which otherwise lets its members
  // reach each other on every port and send anything anywhere. Terraform adopts the group as an
  // aws_default_security_group with no rules. CloudFormation has no resource for it: an
  // AWS::SSM::Association runs AWS's runbook AWSConfigRemediation-RemoveVPCDefaultSecurityGroupRules
  // once on the group, through a role (and managed policy) allowed only that.
  bool restrict_default_security_group = true;
  Tags tags;
};

class Vpc final : public Node<Vpc, VpcProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "ec2::Vpc",
      .summary = "A VPC with DNS support",
      .tagging = Tagging::KeyValueList,
      .types = {cloudformation_type("AWS::EC2::VPC", "CidrBlock Ipv4IpamPoolId Ipv4NetmaskLength VpcEncryptionControl",
                                    "InstanceTenancy"),
                cloudformation_type("AWS::SSM::Association", "InstanceId"), iam::kRoleCloudFormationType,
                cloudformation_type("AWS::IAM::ManagedPolicy", "Description ManagedPolicyName Path"),
                terraform_type("aws_vpc", "cidr_block ipv4_ipam_pool_id ipv4_netmask_length"),
                terraform_type("aws_default_security_group", "vpc_id")}};
  // Secondary resources of restrict_default_security_group (CloudFormation: association, role,
  // policy; Terraform: the adopted default group).
  static constexpr std::string_view kRestrictDefaultSecurityGroupSuffix = "RestrictDefaultSecurityGroup";
  static constexpr std::string_view kRestrictDefaultSecurityGroupRoleSuffix = "RestrictDefaultSecurityGroupRole";
  static constexpr std::string_view kRestrictDefaultSecurityGroupPolicySuffix = "RestrictDefaultSecurityGroupPolicy";
  static constexpr std::string_view kDefaultSecurityGroupSuffix = "DefaultSecurityGroup";
  // AWS's runbook that removes every rule of a VPC's default security group.
  static constexpr std::string_view kRemoveDefaultRulesRunbook =
      "AWSConfigRemediation-RemoveVPCDefaultSecurityGroupRules";
  [[nodiscard]] Value vpc_id() const { return attribute({"", "id"}); }
  [[nodiscard]] Value default_security_group_id() const {
    return attribute({"DefaultSecurityGroup", "default_security_group_id"});
  }
  // The cdk-nag rule the CloudFormation output acknowledges when the group is closed.
  static constexpr std::string_view kCdkNagDefaultSecurityGroupRule = "HIPAA.Security-VPCDefaultSecurityGroupClosed";
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;

 private:
  void lower_default_security_group(Lowering& l, TargetResource& vpc) const;
};

// In CloudFormation an internet gateway and its VPC attachment are two resources; in Terraform
// the attachment is the gateway's vpc_id. Resources that need the route to exist depend on the
// attachment through `attachment_suffix`.
struct InternetGatewayProps {
  Ref<Vpc> vpc;
  Tags tags;
};

class InternetGateway final : public Node<InternetGateway, InternetGatewayProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "ec2::InternetGateway",
      .summary = "An internet gateway attached to a VPC (a separate attachment in CloudFormation, vpc_id in Terraform)",
      .tagging = Tagging::KeyValueList,
      .types = {cloudformation_type("AWS::EC2::InternetGateway"),
                cloudformation_type("AWS::EC2::VPCGatewayAttachment", "VpcId"),
                terraform_type("aws_internet_gateway")}};
  static constexpr std::string_view kAttachmentSuffix = "Attachment";
  [[nodiscard]] Value gateway_id() const { return attribute({"", "id"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct SubnetProps {
  Ref<Vpc> vpc;
  std::string cidr_block;
  Value availability_zone;  // e.g. select(0, availability_zones())
  bool map_public_ip_on_launch = false;
  Tags tags;
};

class Subnet final : public Node<Subnet, SubnetProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "ec2::Subnet",
      .summary = "A subnet of a VPC in one availability zone",
      .tagging = Tagging::KeyValueList,
      .types = {
          cloudformation_type("AWS::EC2::Subnet",
                              "AvailabilityZone AvailabilityZoneId CidrBlock Ipv4IpamPoolId Ipv4NetmaskLength "
                              "Ipv6IpamPoolId Ipv6Native Ipv6NetmaskLength OutpostArn VpcId",
                              "Ipv6CidrBlock"),
          terraform_type("aws_subnet",
                         "availability_zone availability_zone_id cidr_block ipv4_ipam_pool_id ipv4_netmask_length "
                         "ipv6_ipam_pool_id ipv6_native ipv6_netmask_length outpost_arn vpc_id")}};
  [[nodiscard]] Value subnet_id() const { return attribute({"", "id"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct RouteTableProps {
  Ref<Vpc> vpc;
  Tags tags;
};

class RouteTable final : public Node<RouteTable, RouteTableProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "ec2::RouteTable",
      .summary = "A route table of a VPC",
      .tagging = Tagging::KeyValueList,
      .types = {cloudformation_type("AWS::EC2::RouteTable", "VpcId"), terraform_type("aws_route_table", "vpc_id")}};
  [[nodiscard]] Value route_table_id() const { return attribute({"", "id"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// A NAT gateway in a public subnet, with the Elastic IP it sends from: lets private subnets reach
// out (a route to it) while nothing can reach in. It needs the VPC's internet gateway attached
// first, so it depends on `internet_gateway`.
struct NatGatewayProps {
  Ref<Subnet> subnet;  // a public subnet: one whose route table sends 0.0.0.0/0 to the internet gateway
  Ref<InternetGateway> internet_gateway;
  Tags tags;
};

class NatGateway final : public Node<NatGateway, NatGatewayProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "ec2::NatGateway",
      .summary = "A public NAT gateway with its Elastic IP, after the internet gateway's attachment",
      .tagging = Tagging::KeyValueList,
      .types = {cloudformation_type("AWS::EC2::NatGateway", "AllocationId ConnectivityType PrivateIpAddress SubnetId"),
                cloudformation_type("AWS::EC2::EIP",
                                    "Address Domain IpamPoolId NetworkBorderGroup PublicIpv4Pool TransferAddress"),
                terraform_type("aws_nat_gateway", "allocation_id connectivity_type private_ip subnet_id"),
                terraform_type("aws_eip",
                               "address customer_owned_ipv4_pool domain ipam_pool_id network_border_group "
                               "public_ipv4_pool")}};
  static constexpr std::string_view kElasticIpSuffix = "Eip";
  [[nodiscard]] Value nat_gateway_id() const { return attribute({"", "id"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// A route to an internet gateway (public subnets) or to a NAT gateway (private subnets with
// egress): exactly one of the two.
struct RouteProps {
  Ref<RouteTable> route_table;
  std::string destination_cidr_block = "0.0.0.0/0";
  Ref<InternetGateway> gateway;
  Ref<NatGateway> nat_gateway;
};

class Route final : public Node<Route, RouteProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "ec2::Route",
      .summary = "A route to an internet gateway (DependsOn its attachment in CloudFormation) or a NAT gateway",
      .tagging = Tagging::None,
      .types = {
          cloudformation_type("AWS::EC2::Route",
                              "DestinationCidrBlock DestinationIpv6CidrBlock DestinationPrefixListId RouteTableId"),
          terraform_type(
              "aws_route",
              "destination_cidr_block destination_ipv6_cidr_block destination_prefix_list_id route_table_id")}};
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct SubnetRouteTableAssociationProps {
  Ref<Subnet> subnet;
  Ref<RouteTable> route_table;
};

class SubnetRouteTableAssociation final : public Node<SubnetRouteTableAssociation, SubnetRouteTableAssociationProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "ec2::SubnetRouteTableAssociation",
      .summary = "Associates a subnet with a route table",
      .tagging = Tagging::None,
      .types = {cloudformation_type("AWS::EC2::SubnetRouteTableAssociation", "RouteTableId SubnetId"),
                terraform_type("aws_route_table_association", "gateway_id subnet_id")}};
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

class Connections;

// A security group with no inline rules; rules are separate resources so that groups can refer
// to each other without a dependency cycle. Egress is denied unless rules allow it.
struct SecurityGroupProps {
  Ref<Vpc> vpc;
  Value group_name;
  std::string description;
  Tags tags;
};

class SecurityGroup final : public Node<SecurityGroup, SecurityGroupProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "ec2::SecurityGroup",
      .summary = "A security group with no rules of its own: egress is denied until an egress rule allows it",
      .tagging = Tagging::KeyValueList,
      .types = {cloudformation_type("AWS::EC2::SecurityGroup", "GroupDescription GroupName VpcId"),
                terraform_type("aws_security_group", "description name name_prefix vpc_id")}};
  [[nodiscard]] Value group_id() const { return attribute({"GroupId", "id"}); }
  // The group itself as a peer of connections (see Connections below): no default port.
  [[nodiscard]] Connections connections() const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// One rule of a security group: traffic from/to either an IPv4 CIDR or another group.
struct SecurityGroupRuleProps {
  Ref<SecurityGroup> group;
  std::string protocol = "tcp";  // "tcp", "udp", "icmp" or "-1" for all
  std::optional<int> from_port;
  std::optional<int> to_port;
  std::optional<std::string> cidr_ipv4;
  Ref<SecurityGroup> peer;
  std::string description;
};

class SecurityGroupIngress final : public Node<SecurityGroupIngress, SecurityGroupRuleProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "ec2::SecurityGroupIngress",
      .summary = "One ingress rule of a security group",
      .tagging = Tagging::None,
      .types = {cloudformation_type("AWS::EC2::SecurityGroupIngress",
                                    "CidrIp CidrIpv6 FromPort GroupId GroupName IpProtocol SourcePrefixListId "
                                    "SourceSecurityGroupId SourceSecurityGroupName SourceSecurityGroupOwnerId ToPort"),
                terraform_type("aws_vpc_security_group_ingress_rule", "security_group_id")}};
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

class SecurityGroupEgress final : public Node<SecurityGroupEgress, SecurityGroupRuleProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "ec2::SecurityGroupEgress",
      .summary = "One egress rule of a security group",
      .tagging = Tagging::None,
      .types = {
          cloudformation_type(
              "AWS::EC2::SecurityGroupEgress",
              "CidrIp CidrIpv6 DestinationPrefixListId DestinationSecurityGroupId FromPort GroupId IpProtocol ToPort"),
          terraform_type("aws_vpc_security_group_egress_rule", "security_group_id")}};
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// The network side of a node, as in the CDK's ec2.Connections: the security groups it runs in
// and the port it listens on. Connecting two of them adds the pair of rules traffic needs, since
// egress is denied by default here: an ingress rule on each of the target's groups from each of
// the source's groups, and the matching egress rule on each of the source's groups to each of the
// target's (every pair, as the CDK does, when a node has several groups).
//
//   db.connections().allow_default_port_from(fn);  // 5432: ingress on db's groups, egress on fn's
//   cache.connections().allow_from(fn, 6379);
//
// The rules are ec2::SecurityGroupIngress / SecurityGroupEgress nodes added as children of the
// group they belong to, with ids from the peer group's logical id and the port
// ("FromFnSgPort5432" under the target's group, "ToDbSgPort5432" under the source's), so output
// is deterministic and a repeated call adds nothing (AWS rejects a duplicate rule). The
// description names the nodes connected: "from Stack/Api on 5432", "to Stack/Db on 5432"; a
// rule two connections share (nodes sharing a group) keeps the first one's.
//
// A node without a security group (a function outside a VPC) cannot be connected: the call adds
// nothing and records error HS1008 on the node, at the line of the call, which validation reports
// (synthesis refuses), as it does for a port outside 0-65535, for allow_default_port_* on a node
// without a default port (a function, a security group), and for groups in different stacks
// (their rules would import each other's groups, a cycle).
class Connections {
 public:
  // `owner`: the node these connections belong to, named in descriptions and errors.
  Connections(const Construct& owner, Refs<SecurityGroup> security_groups, std::optional<int> default_port = {})
      : owner_(&owner), security_groups_(std::move(security_groups)), default_port_(default_port) {}

  [[nodiscard]] const Construct& owner() const { return *owner_; }
  [[nodiscard]] const Refs<SecurityGroup>& security_groups() const { return security_groups_; }
  // The port the node listens on (a database engine's, a cache's configured one); none for a
  // function or a bare security group.
  [[nodiscard]] std::optional<int> default_port() const { return default_port_; }

  // Lets `other` reach these groups on TCP `port`: ingress here, egress there.
  void allow_from(const Connections& other, int port, SourceLocation where = SourceLocation::current()) const;
  // Lets these groups reach `other` on TCP `port`: egress here, ingress there.
  void allow_to(const Connections& other, int port, SourceLocation where = SourceLocation::current()) const;
  // allow_from / allow_to on this node's default port, and on `other`'s default port.
  void allow_default_port_from(const Connections& other, SourceLocation where = SourceLocation::current()) const;
  void allow_default_port_to(const Connections& other, SourceLocation where = SourceLocation::current()) const;

  // The same for anything with connections(): a function, a database, a cache, a security group.
  template <class T>
  requires requires(const T& t) { t.connections(); }
  void allow_from(const T& other, int port, SourceLocation where = SourceLocation::current()) const {
    allow_from(other.connections(), port, where);
  }
  template <class T>
  requires requires(const T& t) { t.connections(); }
  void allow_to(const T& other, int port, SourceLocation where = SourceLocation::current()) const {
    allow_to(other.connections(), port, where);
  }
  template <class T>
  requires requires(const T& t) { t.connections(); }
  void allow_default_port_from(const T& other, SourceLocation where = SourceLocation::current()) const {
    allow_default_port_from(other.connections(), where);
  }
  template <class T>
  requires requires(const T& t) { t.connections(); }
  void allow_default_port_to(const T& other, SourceLocation where = SourceLocation::current()) const {
    allow_default_port_to(other.connections(), where);
  }

 private:
  const Construct* owner_;
  Refs<SecurityGroup> security_groups_;
  std::optional<int> default_port_;
};

enum class EndpointType { Interface, Gateway };

// An interface endpoint puts network interfaces of an AWS service in `subnets` (at most one per
// zone), behind `security_groups`, and with private DNS the service's usual name resolves to them.
// A gateway endpoint (S3 and DynamoDB only) is a route in each of `route_tables` instead.
struct VpcEndpointProps {
  Ref<Vpc> vpc;
  std::string service;  // short service name, e.g. "secretsmanager", "s3"
  EndpointType endpoint_type = EndpointType::Interface;
  Refs<Subnet> subnets;                 // interface endpoints
  Refs<SecurityGroup> security_groups;  // interface endpoints
  bool private_dns_enabled = true;      // interface endpoints
  Refs<RouteTable> route_tables;        // gateway endpoints
};

class VpcEndpoint final : public Node<VpcEndpoint, VpcEndpointProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "ec2::VpcEndpoint",
      .summary = "A VPC endpoint: an interface endpoint with private DNS, or a gateway endpoint in route tables",
      .tagging = Tagging::None,
      .types = {
          cloudformation_type(
              "AWS::EC2::VPCEndpoint",
              "ResourceConfigurationArn ServiceName ServiceNetworkArn ServiceRegion VpcEndpointType VpcId"),
          terraform_type(
              "aws_vpc_endpoint",
              "resource_configuration_arn service_name service_network_arn service_region vpc_endpoint_type vpc_id")}};
  // The services AWS offers gateway endpoints for.
  static constexpr std::array<std::string_view, 2> kGatewayServices{"dynamodb", "s3"};
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// VPC flow logs delivered to a CloudWatch log group.
struct FlowLogProps {
  Ref<Vpc> vpc;
  Ref<logs::LogGroup> log_group;
  Ref<iam::Role> delivery_role;
  std::string traffic_type = "ALL";
  Tags tags;
};

class FlowLog final : public Node<FlowLog, FlowLogProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "ec2::FlowLog",
      .summary = "VPC flow logs to a CloudWatch Logs log group",
      .tagging = Tagging::KeyValueList,
      .types = {cloudformation_type("AWS::EC2::FlowLog",
                                    "DeliverCrossAccountRole DeliverLogsPermissionArn DestinationOptions "
                                    "LogDestination LogDestinationType LogFormat LogGroupName MaxAggregationInterval "
                                    "ResourceId ResourceType TagFieldSpecifications TrafficType"),
                terraform_type("aws_flow_log",
                               "deliver_cross_account_role destination_options eni_id iam_role_arn log_destination "
                               "log_destination_type log_format max_aggregation_interval regional_nat_gateway_id "
                               "subnet_id traffic_type transit_gateway_attachment_id transit_gateway_id vpc_id")}};
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// Subnet ids of a list of subnets, for properties that take them.
[[nodiscard]] Value subnet_ids(const Refs<Subnet>& subnets);
[[nodiscard]] Value group_ids(const Refs<SecurityGroup>& groups);

}  // namespace hipaa::ec2
