// hipaa/aws/ec2.hpp: VPC networking: VPC, subnets, routing, internet gateway, security groups
// and their rules, VPC endpoints and flow logs.
//
//   auto& vpc = stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
//   auto& subnet = stack.add<ec2::Subnet>("Private1", {.vpc = vpc, .cidr_block = "10.0.1.0/24",
//                                                      .availability_zone = select(0, availability_zones())});
#pragma once

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
  Tags tags;
};

class Vpc : public ResourceWith<VpcProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::EC2::VPC", "aws_vpc", Tagging::KeyValueList};
  [[nodiscard]] ResourceType type() const override { return kType; }
  [[nodiscard]] Value vpc_id() const { return attribute({"", "id"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// In CloudFormation an internet gateway and its VPC attachment are two resources; in Terraform
// the attachment is the gateway's vpc_id. Resources that need the route to exist depend on the
// attachment through `attachment_suffix`.
struct InternetGatewayProps {
  Ref<Vpc> vpc;
  Tags tags;
};

class InternetGateway : public ResourceWith<InternetGatewayProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::EC2::InternetGateway", "aws_internet_gateway", Tagging::KeyValueList};
  static constexpr std::string_view kAttachmentSuffix = "Attachment";
  [[nodiscard]] ResourceType type() const override { return kType; }
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

class Subnet : public ResourceWith<SubnetProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::EC2::Subnet", "aws_subnet", Tagging::KeyValueList};
  [[nodiscard]] ResourceType type() const override { return kType; }
  [[nodiscard]] Value subnet_id() const { return attribute({"", "id"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct RouteTableProps {
  Ref<Vpc> vpc;
  Tags tags;
};

class RouteTable : public ResourceWith<RouteTableProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::EC2::RouteTable", "aws_route_table", Tagging::KeyValueList};
  [[nodiscard]] ResourceType type() const override { return kType; }
  [[nodiscard]] Value route_table_id() const { return attribute({"", "id"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct RouteProps {
  Ref<RouteTable> route_table;
  std::string destination_cidr_block = "0.0.0.0/0";
  Ref<InternetGateway> gateway;
};

class Route : public ResourceWith<RouteProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::EC2::Route", "aws_route", Tagging::None};
  [[nodiscard]] ResourceType type() const override { return kType; }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct SubnetRouteTableAssociationProps {
  Ref<Subnet> subnet;
  Ref<RouteTable> route_table;
};

class SubnetRouteTableAssociation : public ResourceWith<SubnetRouteTableAssociationProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::EC2::SubnetRouteTableAssociation", "aws_route_table_association",
                                      Tagging::None};
  [[nodiscard]] ResourceType type() const override { return kType; }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// A security group with no inline rules; rules are separate resources so that groups can refer
// to each other without a dependency cycle. Egress is denied unless rules allow it.
struct SecurityGroupProps {
  Ref<Vpc> vpc;
  Value group_name;
  std::string description;
  Tags tags;
};

class SecurityGroup : public ResourceWith<SecurityGroupProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::EC2::SecurityGroup", "aws_security_group", Tagging::KeyValueList};
  [[nodiscard]] ResourceType type() const override { return kType; }
  [[nodiscard]] Value group_id() const { return attribute({"GroupId", "id"}); }
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

class SecurityGroupIngress : public ResourceWith<SecurityGroupRuleProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::EC2::SecurityGroupIngress", "aws_vpc_security_group_ingress_rule",
                                      Tagging::None};
  [[nodiscard]] ResourceType type() const override { return kType; }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

class SecurityGroupEgress : public ResourceWith<SecurityGroupRuleProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::EC2::SecurityGroupEgress", "aws_vpc_security_group_egress_rule",
                                      Tagging::None};
  [[nodiscard]] ResourceType type() const override { return kType; }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

enum class EndpointType { Interface, Gateway };

struct VpcEndpointProps {
  Ref<Vpc> vpc;
  std::string service;  // short service name, e.g. "secretsmanager"
  EndpointType endpoint_type = EndpointType::Interface;
  Refs<Subnet> subnets;
  Refs<SecurityGroup> security_groups;
  bool private_dns_enabled = true;
};

class VpcEndpoint : public ResourceWith<VpcEndpointProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::EC2::VPCEndpoint", "aws_vpc_endpoint", Tagging::None};
  [[nodiscard]] ResourceType type() const override { return kType; }
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

class FlowLog : public ResourceWith<FlowLogProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::EC2::FlowLog", "aws_flow_log", Tagging::KeyValueList};
  [[nodiscard]] ResourceType type() const override { return kType; }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// Subnet ids of a list of subnets, for properties that take them.
[[nodiscard]] Value subnet_ids(const Refs<Subnet>& subnets);
[[nodiscard]] Value group_ids(const Refs<SecurityGroup>& groups);

}  // namespace hipaa::ec2
