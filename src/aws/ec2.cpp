#include "hipaa/aws/ec2.hpp"

#include <algorithm>

#include "hipaa/aws/logs.hpp"
#include "validate/checks.hpp"

namespace hipaa::ec2 {

Value subnet_ids(const Refs<Subnet>& subnets) {
  ValueList ids;
  for (const auto& s : subnets) {
    if (s) ids.push_back(s->subnet_id());
  }
  return ids;
}

Value group_ids(const Refs<SecurityGroup>& groups) {
  ValueList ids;
  for (const auto& g : groups) {
    if (g) ids.push_back(g->group_id());
  }
  return ids;
}

namespace {
template <class T>
Value id_of(const Ref<T>& ref, Value (T::*attribute)() const) {
  return ref ? ((*ref).*attribute)() : Value();
}
}  // namespace

void Vpc::lower(Lowering& l) const {
  const auto& p = props();
  auto& vpc = l.add(*this);
  vpc.properties()
      .set({"CidrBlock", "cidr_block"}, p.cidr_block)
      .set({"EnableDnsHostnames", "enable_dns_hostnames"}, p.enable_dns_hostnames)
      .set({"EnableDnsSupport", "enable_dns_support"}, p.enable_dns_support);
  vpc.tags(p.tags);
  if (p.restrict_default_security_group) lower_default_security_group(l, vpc);
}

// The default security group admits every member of the group and lets anything out. Terraform
// adopts it with no rules, which removes them all; CloudFormation runs AWS's remediation runbook
// on it once, through an SSM association and a role allowed only to read and revoke that group's
// rules.
void Vpc::lower_default_security_group(Lowering& l, TargetResource& vpc) const {
  if (l.is_terraform()) {
    l.add(*this, "aws_default_security_group", kDefaultSecurityGroupSuffix).properties().terraform("vpc_id", vpc_id());
    return;
  }
  const Value group = default_security_group_id();
  auto arn = [](std::string_view service, ValueList rest) {
    ValueList parts{"arn:", partition(), ":" + std::string(service) + ":", region(), ":", account_id(), ":"};
    parts.insert(parts.end(), rest.begin(), rest.end());
    return interpolate(std::move(parts));
  };
  const iam::PolicyDocument permissions{
      {iam::allow({"ec2:DescribeSecurityGroups"}).id("DescribeSecurityGroups").on("*"),
       iam::allow({"ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress"})
           .id("RevokeDefaultSecurityGroupRules")
           .on(arn("ec2", {"security-group/", group})),
       iam::allow({"ssm:StartAutomationExecution"})
           .id("StartRunbook")
           .on(arn("ssm", {"automation-definition/" + std::string(kRemoveDefaultRulesRunbook) + ":*"})),
       iam::allow({"ssm:GetAutomationExecution"})
           .id("ReadRunbookExecutions")
           .on(arn("ssm", {"automation-execution/*"}))}};
  const iam::PolicyDocument trust{{iam::allow({"sts:AssumeRole"})
                                       .principal(iam::service("ssm.amazonaws.com"))
                                       .when({"StringEquals", "aws:SourceAccount", {account_id()}})}};
  auto& policy = l.add(*this, "AWS::IAM::ManagedPolicy", kRestrictDefaultSecurityGroupPolicySuffix);
  policy.properties()
      .cloudformation("Description", "Lets Systems Manager remove the rules of the VPC's default security group")
      .set_node("PolicyDocument",
                iam::lower_policy_document(l, *this, kRestrictDefaultSecurityGroupPolicySuffix, permissions));
  auto& role = l.add(*this, "AWS::IAM::Role", kRestrictDefaultSecurityGroupRoleSuffix);
  role.properties()
      .cloudformation("Description", "Runs " + std::string(kRemoveDefaultRulesRunbook) + " on the VPC's default group")
      .set_node("AssumeRolePolicyDocument",
                iam::lower_policy_document(l, *this, kRestrictDefaultSecurityGroupRoleSuffix, trust))
      .set_node("ManagedPolicyArns", doc::List{policy.reference({"", ""})});
  l.add(*this, "AWS::SSM::Association", kRestrictDefaultSecurityGroupSuffix)
      .properties()
      .cloudformation("Name", std::string(kRemoveDefaultRulesRunbook))
      .set_node("Parameters", doc::Map{{"AutomationAssumeRole", doc::List{role.reference({"Arn", "arn"})}}})
      .set_node("Targets", doc::List{doc::Map{{"Key", "ParameterValues"}, {"Values", doc::List{l.render(group)}}}})
      .cloudformation("AutomationTargetParameterName", "GroupId");
  // cdk-nag's VPCDefaultSecurityGroupClosed looks for the CDK Vpc construct's custom resource in
  // the construct tree, which no CloudFormation template has; it is told what closes the group.
  vpc.set_attribute(
      "Metadata",
      doc::Map{
          {"cdk_nag",
           doc::Map{{"rules_to_suppress",
                     doc::List{doc::Map{
                         {"id", std::string(kCdkNagDefaultSecurityGroupRule)},
                         {"reason", "the default security group's rules are removed by " + logical_id() +
                                        std::string(kRestrictDefaultSecurityGroupSuffix) +
                                        " (AWS::SSM::Association "
                                        "running " +
                                        std::string(kRemoveDefaultRulesRunbook) +
                                        "); cdk-nag recognizes only the CDK Vpc construct's custom resource"}}}}}}});
}

void Vpc::validate(Diagnostics& out) const {
  detail::Checker(*this, out).cidr(props().cidr_block, "cidr_block", 16, 28);
}

void InternetGateway::lower(Lowering& l) const {
  const auto& p = props();
  auto& gateway = l.add(*this);
  gateway.tags(p.tags);
  const Value vpc = id_of(p.vpc, &Vpc::vpc_id);
  if (l.is_terraform()) {
    gateway.properties().terraform("vpc_id", vpc);
    return;
  }
  l.add(*this, "AWS::EC2::VPCGatewayAttachment", kAttachmentSuffix)
      .properties()
      .cloudformation("VpcId", vpc)
      .cloudformation("InternetGatewayId", gateway_id());
}

void InternetGateway::validate(Diagnostics& out) const { detail::Checker(*this, out).required(props().vpc, "vpc"); }

void Subnet::lower(Lowering& l) const {
  const auto& p = props();
  auto& subnet = l.add(*this);
  subnet.properties()
      .set({"VpcId", "vpc_id"}, id_of(p.vpc, &Vpc::vpc_id))
      .set({"CidrBlock", "cidr_block"}, p.cidr_block)
      .set({"AvailabilityZone", "availability_zone"}, p.availability_zone)
      .set({"MapPublicIpOnLaunch", "map_public_ip_on_launch"}, p.map_public_ip_on_launch);
  subnet.tags(p.tags);
}

namespace {

// The first subnet of `vpc` before `subnet` in its stack (tree order) whose block overlaps `block`.
const Subnet* earlier_overlapping(const Construct& scope, const Subnet& subnet, const Vpc& vpc,
                                  const detail::Ipv4Cidr& block, bool& reached) {
  for (const auto& child : scope.children()) {
    if (child.get() == &subnet) {
      reached = true;
      return nullptr;
    }
    const Resource* resource = child->as_resource();
    if (resource != nullptr && &resource->info() == &Subnet::kInfo) {
      const auto& other = static_cast<const Subnet&>(*resource);
      if (other.props().vpc.get() == &vpc) {
        auto other_block = detail::parse_cidr(other.props().cidr_block);
        if (other_block && detail::cidrs_overlap(*other_block, block)) return &other;
      }
    }
    if (const Subnet* found = earlier_overlapping(*child, subnet, vpc, block, reached)) return found;
    if (reached) return nullptr;
  }
  return nullptr;
}

}  // namespace

void Subnet::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().vpc, "vpc");
  auto own = check.cidr(props().cidr_block, "cidr_block", 16, 28);
  if (!own || !props().vpc) return;
  const Vpc& vpc = *props().vpc;
  if (auto range = detail::parse_cidr(vpc.props().cidr_block); range && !detail::cidr_contains(*range, *own)) {
    check.error("HS2002", "'cidr_block' " + props().cidr_block + " is outside the VPC's " + vpc.props().cidr_block +
                              " (" + vpc.path() + ")");
  }
  // AWS refuses a subnet whose block overlaps another of its VPC's (InvalidSubnet.Conflict), at
  // deploy time, after everything before it was created. Each pair is reported once, on the later
  // subnet. Subnets of the VPC in other stacks are not seen (each stack is validated alone).
  bool reached = false;
  if (stack() == nullptr) return;
  if (const Subnet* other = earlier_overlapping(*stack(), *this, vpc, *own, reached)) {
    check.error("HS2002", "'cidr_block' " + props().cidr_block + " overlaps " + other->props().cidr_block + " of " +
                              other->path() + ", another subnet of " + vpc.path());
  }
}

void NatGateway::lower(Lowering& l) const {
  const auto& p = props();
  auto& address = l.add(*this, l.is_terraform() ? "aws_eip" : "AWS::EC2::EIP", kElasticIpSuffix);
  address.properties().set({"Domain", "domain"}, "vpc");
  address.tags(p.tags);
  auto& gateway = l.add(*this);
  gateway.properties()
      .set({"SubnetId", "subnet_id"}, id_of(p.subnet, &Subnet::subnet_id))
      .set_node(l.is_terraform() ? "allocation_id" : "AllocationId", address.reference({"AllocationId", "id"}));
  gateway.tags(p.tags);
  // A public NAT gateway fails to create in a VPC without an attached internet gateway (and
  // Terraform's documentation asks for the same explicit dependency).
  if (p.internet_gateway) {
    gateway.depends_on(*p.internet_gateway, l.is_cloudformation() ? InternetGateway::kAttachmentSuffix : "");
  }
}

void NatGateway::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().subnet, "subnet");
  check.required(props().internet_gateway, "internet_gateway");
}

void RouteTable::lower(Lowering& l) const {
  auto& table = l.add(*this);
  table.properties().set({"VpcId", "vpc_id"}, id_of(props().vpc, &Vpc::vpc_id));
  table.tags(props().tags);
}

void RouteTable::validate(Diagnostics& out) const { detail::Checker(*this, out).required(props().vpc, "vpc"); }

void Route::lower(Lowering& l) const {
  const auto& p = props();
  auto& route = l.add(*this);
  route.properties()
      .set({"RouteTableId", "route_table_id"}, id_of(p.route_table, &RouteTable::route_table_id))
      .set({"DestinationCidrBlock", "destination_cidr_block"}, p.destination_cidr_block)
      .set({"GatewayId", "gateway_id"}, id_of(p.gateway, &InternetGateway::gateway_id))
      .set({"NatGatewayId", "nat_gateway_id"}, id_of(p.nat_gateway, &NatGateway::nat_gateway_id));
  // CloudFormation: a route through a gateway fails until the gateway is attached to the VPC.
  if (l.is_cloudformation() && p.gateway) route.depends_on(*p.gateway, InternetGateway::kAttachmentSuffix);
}

void Route::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().route_table, "route_table");
  if (static_cast<bool>(props().gateway) == static_cast<bool>(props().nat_gateway)) {
    check.error("HS2001", "set exactly one of 'gateway' and 'nat_gateway'");
  }
  check.cidr(props().destination_cidr_block, "destination_cidr_block", 0, 32);
}

void SubnetRouteTableAssociation::lower(Lowering& l) const {
  l.add(*this)
      .properties()
      .set({"SubnetId", "subnet_id"}, id_of(props().subnet, &Subnet::subnet_id))
      .set({"RouteTableId", "route_table_id"}, id_of(props().route_table, &RouteTable::route_table_id));
}

void SubnetRouteTableAssociation::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().subnet, "subnet");
  check.required(props().route_table, "route_table");
}

void SecurityGroup::lower(Lowering& l) const {
  const auto& p = props();
  auto& group = l.add(*this);
  group.properties()
      .set({"GroupName", "name"}, p.group_name)
      .set({"GroupDescription", "description"}, p.description)
      .set({"VpcId", "vpc_id"}, id_of(p.vpc, &Vpc::vpc_id));
  group.tags(p.tags);
  if (l.is_cloudformation()) {
    // CloudFormation gives a new group an allow-all egress rule unless the template lists one;
    // this rule matches no traffic, so egress is exactly the separate egress rules (Terraform
    // removes the default rule itself).
    group.properties().set_node("SecurityGroupEgress", doc::List{doc::Map{{"CidrIp", "255.255.255.255/32"},
                                                                          {"Description", "Disallow all traffic"},
                                                                          {"FromPort", 252},
                                                                          {"IpProtocol", "icmp"},
                                                                          {"ToPort", 86}}});
  }
}

void SecurityGroup::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().vpc, "vpc");
  check.required(props().description, "description");
  check.name(
      props().group_name, "group_name", 255, [](char c) { return c >= 0x20 && c < 0x7f; }, "printable ASCII");
  if (auto name = detail::literal_text(props().group_name, *this); name && name->starts_with("sg-")) {
    check.error("HS2003", "'group_name' must not start with 'sg-'");
  }
}

namespace {

// Ingress and egress rules differ only in the names of their peer properties.
void lower_rule(Lowering& l, const Resource& owner, const SecurityGroupRuleProps& p, bool ingress) {
  const bool all_traffic = p.protocol == "-1";
  auto& rule = l.add(owner);
  rule.properties()
      .set({"GroupId", "security_group_id"}, id_of(p.group, &SecurityGroup::group_id))
      .set({"IpProtocol", "ip_protocol"}, p.protocol)
      .set({"Description", "description"}, p.description);
  if (!all_traffic) {  // ports are meaningless (and rejected by Terraform) for all traffic
    rule.properties()
        .set({"FromPort", "from_port"}, p.from_port)
        .set({"ToPort", "to_port"}, p.to_port ? p.to_port : p.from_port);
  }
  if (p.cidr_ipv4) rule.properties().set({"CidrIp", "cidr_ipv4"}, *p.cidr_ipv4);
  if (p.peer) {
    rule.properties().set(
        {ingress ? "SourceSecurityGroupId" : "DestinationSecurityGroupId", "referenced_security_group_id"},
        p.peer->group_id());
  }
}

void validate_rule(const Resource& owner, const SecurityGroupRuleProps& p, Diagnostics& out) {
  detail::Checker check(owner, out);
  check.required(p.group, "group");
  if (p.cidr_ipv4.has_value() == static_cast<bool>(p.peer)) {
    check.error("HS2001", "set exactly one of 'cidr_ipv4' and 'peer'");
  }
  if (p.cidr_ipv4) check.cidr(*p.cidr_ipv4, "cidr_ipv4", 0, 32);
  if (p.protocol != "-1") {
    if (!p.from_port) {
      check.error("HS2001", "required property 'from_port' is not set for protocol " + p.protocol);
    } else {
      check.range(*p.from_port, "from_port", p.protocol == "icmp" ? -1 : 0, 65535);
    }
  }
}

}  // namespace

void SecurityGroupIngress::lower(Lowering& l) const { lower_rule(l, *this, props(), true); }
void SecurityGroupIngress::validate(Diagnostics& out) const { validate_rule(*this, props(), out); }
void SecurityGroupEgress::lower(Lowering& l) const { lower_rule(l, *this, props(), false); }
void SecurityGroupEgress::validate(Diagnostics& out) const { validate_rule(*this, props(), out); }

void VpcEndpoint::lower(Lowering& l) const {
  const auto& p = props();
  const bool interface = p.endpoint_type == EndpointType::Interface;
  auto& endpoint = l.add(*this);
  endpoint.properties()
      .set({"VpcId", "vpc_id"}, id_of(p.vpc, &Vpc::vpc_id))
      .set({"ServiceName", "service_name"}, interpolate({"com.amazonaws.", region(), "." + p.service}))
      .set({"VpcEndpointType", "vpc_endpoint_type"}, interface ? "Interface" : "Gateway");
  if (interface) {
    endpoint.properties()
        .set({"SubnetIds", "subnet_ids"}, subnet_ids(p.subnets))
        .set({"SecurityGroupIds", "security_group_ids"}, group_ids(p.security_groups))
        .set({"PrivateDnsEnabled", "private_dns_enabled"}, p.private_dns_enabled);
  } else {
    ValueList tables;
    for (const auto& table : p.route_tables) {
      if (table) tables.push_back(table->route_table_id());
    }
    if (!tables.empty()) endpoint.properties().set({"RouteTableIds", "route_table_ids"}, Value(std::move(tables)));
  }
}

void VpcEndpoint::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().vpc, "vpc");
  check.required(props().service, "service");
  if (props().endpoint_type == EndpointType::Interface) {
    check.required_list(props().subnets, "subnets");
    check.required_list(props().security_groups, "security_groups");
  } else if (std::find(kGatewayServices.begin(), kGatewayServices.end(), props().service) == kGatewayServices.end()) {
    check.error("HS2004", "'service' " + props().service +
                              " has no gateway endpoint: AWS offers them for s3 and dynamodb only (use an interface "
                              "endpoint)");
  }
}

void FlowLog::lower(Lowering& l) const {
  const auto& p = props();
  auto& flow_log = l.add(*this);
  flow_log.properties()
      .set({"ResourceId", "vpc_id"}, id_of(p.vpc, &Vpc::vpc_id))
      .set({"ResourceType", {}}, "VPC")
      .set({"TrafficType", "traffic_type"}, p.traffic_type)
      .set({"LogDestinationType", "log_destination_type"}, "cloud-watch-logs")
      .set({"LogDestination", "log_destination"}, p.log_group ? p.log_group->arn() : Value())
      .set({"DeliverLogsPermissionArn", "iam_role_arn"}, p.delivery_role ? p.delivery_role->arn() : Value());
  flow_log.tags(p.tags);
  // Delivery fails (and the flow log reports an access error) until the role may write: wait for
  // the role's grants (log_group.grant_write(role)), attached in Terraform by their attachment.
  const iam::GrantPolicy* grants = p.delivery_role ? p.delivery_role->grant_policy() : nullptr;
  if (grants != nullptr && grants->stack() == stack()) {
    flow_log.depends_on(*grants, l.is_terraform() ? iam::GrantPolicy::kAttachmentSuffix : std::string_view());
  }
}

void FlowLog::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().vpc, "vpc");
  check.required(props().log_group, "log_group");
  check.required(props().delivery_role, "delivery_role");
}

}  // namespace hipaa::ec2
