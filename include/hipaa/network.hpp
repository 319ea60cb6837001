// hipaa/network.hpp: a multi-AZ VPC from one call, as the CDK's ec2.Vpc: subnet tiers with CIDRs
// carved from the VPC's block, their route tables, an internet gateway and NAT gateways when a tier
// needs them, gateway endpoints (S3, DynamoDB) routed from the private tiers, interface endpoints
// with private DNS behind one security group, and flow logs to an encrypted log group. Built from
// the public nodes only (hipaa/aws/ec2.hpp, logs, iam, kms).
//
//   auto& net = stack.add<ec2::Network>("Network", {.availability_zones = 2,
//       .interface_endpoints = {"secretsmanager"}, .gateway_endpoints = {"s3"}});
//   auto& fn = stack.add<lambda::Function>("Api", {..., .subnets = net.subnets("Private"), ...});
//   net.endpoint_connections().allow_default_port_from(fn);  // HTTPS to the endpoints
//
// The default is HIPAA's: one isolated tier (no route to or from the internet) in two zones, AWS
// services reached through endpoints, flow logs on. Subnets of tier "Private" in zone i are
// "PrivateSubnet<i+1>"; zone i is select(i, availability_zones()), so selecting more zones than the
// stack's region has is error HS2008 at synth (or a Terraform precondition when the region is
// unknown).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/logs.hpp"

namespace hipaa::ec2 {

enum class SubnetType {
  // A route to the internet gateway: for load balancers and NAT gateways, never for data.
  Public,
  // Out to the internet through a NAT gateway (in the public tier), nothing in.
  PrivateWithEgress,
  // No route to or from the internet: AWS services through VPC endpoints.
  Isolated,
};

// One tier of subnets, one subnet per availability zone.
struct SubnetTier {
  std::string name;  // "Private": subnet ids "PrivateSubnet1", ...; unique within the network
  SubnetType type = SubnetType::Isolated;
  // Each subnet's prefix length: its block is carved from the VPC's, after the tiers before it.
  int cidr_mask = 24;
  // Explicit blocks instead, one per zone in zone order (at most one per zone): for an address plan
  // decided elsewhere. Checked like any subnet (inside the VPC, no overlap).
  std::vector<std::string> cidr_blocks;
};

struct NetworkProps {
  std::string cidr_block = "10.0.0.0/16";
  // Zones the tiers span: 2 (the least RDS and a resilient service need) to 6.
  int availability_zones = 2;
  std::vector<SubnetTier> subnets = {{.name = "Private", .type = SubnetType::Isolated}};
  // NAT gateways for the PrivateWithEgress tiers, in the first public tier's subnets; the private
  // subnet of zone i routes through gateway i modulo the count. Default: one per zone when a tier
  // needs egress (a zone's outage leaves the others theirs), none otherwise.
  std::optional<int> nat_gateways;
  // Gateway endpoints ("s3", "dynamodb"): routes in every non-public tier's route tables.
  std::vector<std::string> gateway_endpoints;
  // Interface endpoints ("secretsmanager", "kms", "logs", ...): in the first non-public tier, behind
  // endpoint_security_group(), which admits what endpoint_connections() allows (HTTPS).
  std::vector<std::string> interface_endpoints;
  // Flow logs of every packet (ACCEPT and REJECT) to a log group encrypted with flow_logs_key
  // (whose policy must allow CloudWatch Logs: allow_cloudwatch_logs); without a key the network
  // creates one with rotation. Flat rather than a nested struct: g++ 12 warns falsely
  // (maybe-uninitialized) on nested designated initializers that leave a member out.
  bool flow_logs = true;
  Ref<kms::Key> flow_logs_key;
  Value flow_logs_group_name;  // default: generated
  int flow_logs_retention_days = 365;
  // Tags for every resource of the network; each also gets a Name tag of its path, as the CDK does.
  Tags tags;
};

class Network : public Construct {
 public:
  using Props = NetworkProps;
  Network(Construct& scope, std::string id, const NetworkProps& props,
          SourceLocation where = SourceLocation::current());

  [[nodiscard]] Vpc& vpc() const { return *vpc_; }
  // The subnets of tier `name`, in zone order; empty for an unknown tier.
  [[nodiscard]] Refs<Subnet> subnets(std::string_view tier) const;
  // The subnets of every tier of `type`, in tier order then zone order.
  [[nodiscard]] Refs<Subnet> subnets(SubnetType type) const;
  // The group of the interface endpoints (nullptr without any), and its connections with default
  // port 443, to let a function reach the endpoints: endpoint_connections().allow_default_port_from(fn).
  [[nodiscard]] SecurityGroup* endpoint_security_group() const { return endpoint_group_; }
  [[nodiscard]] Connections endpoint_connections() const;
  [[nodiscard]] InternetGateway* internet_gateway() const { return internet_gateway_; }
  [[nodiscard]] logs::LogGroup* flow_logs_group() const { return flow_logs_group_; }

 private:
  struct Tier {
    std::string name;
    SubnetType type;
    Refs<Subnet> subnets;
    std::vector<RouteTable*> route_tables;  // one per tier, or one per zone with NAT gateways
  };
  void build_tiers(const NetworkProps& p);
  void build_routes(const NetworkProps& p);
  void build_endpoints(const NetworkProps& p);
  void build_flow_logs(const NetworkProps& p);
  [[nodiscard]] Tags tags_for(std::string_view id) const;
  // Why `name` cannot name another tier ("is used twice", ...), or "".
  [[nodiscard]] std::string tier_name_problem(const std::string& name) const;

  Tags tags_;
  Vpc* vpc_ = nullptr;
  std::vector<Tier> tiers_;
  InternetGateway* internet_gateway_ = nullptr;
  SecurityGroup* endpoint_group_ = nullptr;
  logs::LogGroup* flow_logs_group_ = nullptr;
};

}  // namespace hipaa::ec2
