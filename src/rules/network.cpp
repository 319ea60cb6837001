// Network rules: flow logs, the default security group, open ingress and egress, routes to the
// internet, public subnets, and reachability of data stores from the internet.
#include <map>
#include <set>

#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/elasticache.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/rds.hpp"
#include "rule_support.hpp"
#include "validate/checks.hpp"

namespace hipaa::rules::detail {
namespace {

// A block of every address: a prefix of length 0 ("0.0.0.0/0", and "0.0.0.0/00", which parses
// the same), or IPv6's "::/0".
bool is_anywhere(std::string_view cidr) {
  if (cidr == "::/0") return true;
  const auto parsed = ::hipaa::detail::parse_cidr(cidr);
  return parsed && parsed->prefix == 0;
}
bool is_anywhere(const std::optional<std::string>& cidr) { return cidr && is_anywhere(std::string_view(*cidr)); }

void vpc_flow_logs(const Inventory& stack, Reporter& report) {
  const auto flow_logs = all<ec2::FlowLog>(stack);
  each<ec2::Vpc>(stack, [&](const ec2::Vpc& vpc) {
    for (const auto* log : flow_logs) {
      if (log->props().vpc.get() == &vpc) return;
    }
    report.flag(vpc, "VPC has no flow log");
  });
}

void open_ingress(const Inventory& stack, Reporter& report) {
  each<ec2::SecurityGroupIngress>(stack, [&](const ec2::SecurityGroupIngress& rule) {
    if (is_anywhere(rule.props().cidr_ipv4)) {
      report.flag(rule, "allows inbound traffic from " + *rule.props().cidr_ipv4);
    }
  });
}

// A group is exposed when it admits traffic from anywhere, or from a member of an exposed group:
// whoever controls an exposed instance reaches everything that instance reaches.
void data_store_reachable_from_internet(const Inventory& stack, Reporter& report) {
  std::map<const ec2::SecurityGroup*, std::string> exposed;  // group -> how it is reached
  bool grew = true;
  const auto ingress = all<ec2::SecurityGroupIngress>(stack);
  for (const auto* rule : ingress) {
    if (is_anywhere(rule->props().cidr_ipv4) && rule->props().group) {
      exposed.emplace(rule->props().group.get(), *rule->props().cidr_ipv4 + " -> " + rule->props().group->path());
    }
  }
  while (grew) {
    grew = false;
    for (const auto* rule : ingress) {
      const auto* target = rule->props().group.get();
      const auto* peer = rule->props().peer.get();
      if (target == nullptr || peer == nullptr || exposed.contains(target)) continue;
      if (auto it = exposed.find(peer); it != exposed.end()) {
        exposed.emplace(target, it->second + " -> " + target->path());
        grew = true;
      }
    }
  }
  auto check_groups = [&](const Construct& store, const Refs<ec2::SecurityGroup>& groups) {
    for (const auto& g : groups) {
      if (auto it = exposed.find(g.get()); it != exposed.end()) {
        report.flag(store, "reachable from the internet through " + it->second);
        return;
      }
    }
  };
  each<rds::DatabaseCluster>(stack, [&](const auto& db) { check_groups(db, db.props().settings.security_groups); });
  each<rds::DatabaseInstance>(stack, [&](const auto& db) { check_groups(db, db.props().settings.security_groups); });
  each<elasticache::ReplicationGroup>(stack,
                                      [&](const auto& cache) { check_groups(cache, cache.props().security_groups); });
}

std::string source_of(const ec2::SecurityGroupRuleProps& p) {
  if (p.cidr_ipv4) return *p.cidr_ipv4;
  return p.peer ? p.peer->path() : std::string("nowhere");
}

// Every protocol and port ("-1"), whatever the source: cdk-nag's EC2RestrictedCommonPorts counts
// such a rule as opening the common ports (20, 21, 3306, 3389, ...) even between groups.
void ingress_all_traffic(const Inventory& stack, Reporter& report) {
  each<ec2::SecurityGroupIngress>(stack, [&](const ec2::SecurityGroupIngress& rule) {
    if (rule.props().protocol == "-1") {
      report.flag(rule, "allows all traffic (every protocol and port) from " + source_of(rule.props()));
    }
  });
}

bool all_ports(const ec2::SecurityGroupRuleProps& p) {
  if (p.protocol == "-1") return true;
  if (p.protocol != "tcp" && p.protocol != "udp") return false;
  const int to = p.to_port.value_or(p.from_port.value_or(0));
  return p.from_port.value_or(0) <= 1 && to >= 65535;
}

// What uses a security group, for the message: a function's group sending everything anywhere is
// the seed's defect (a path out for PHI); any other group's is as wide.
std::string users_of(const Inventory& stack, const ec2::SecurityGroup* group) {
  std::string users;
  each<lambda::Function>(stack, [&](const lambda::Function& fn) {
    for (const auto& g : fn.props().security_groups) {
      if (g.get() == group) {
        users += (users.empty() ? " (used by " : ", ") + fn.path();
        break;
      }
    }
  });
  return users.empty() ? users : users + ")";
}

void egress_anywhere(const Inventory& stack, Reporter& report) {
  each<ec2::SecurityGroupEgress>(stack, [&](const ec2::SecurityGroupEgress& rule) {
    const auto& p = rule.props();
    if (is_anywhere(p.cidr_ipv4) && all_ports(p)) {
      report.flag(rule, "lets " + (p.group ? p.group->path() : std::string("the group")) +
                            users_of(stack, p.group.get()) + " send " +
                            (p.protocol == "-1" ? std::string("all traffic") : "every " + p.protocol + " port") +
                            " to " + *p.cidr_ipv4);
    }
  });
}

void default_security_group_closed(const Inventory& stack, Reporter& report) {
  each<ec2::Vpc>(stack, [&](const ec2::Vpc& vpc) {
    if (!vpc.props().restrict_default_security_group) {
      report.flag(vpc,
                  "the VPC's default security group keeps its rules: its members reach each other on every port "
                  "and may send anything anywhere");
    }
  });
}

void no_route_anywhere_to_internet_gateway(const Inventory& stack, Reporter& report) {
  each<ec2::Route>(stack, [&](const ec2::Route& route) {
    const auto& p = route.props();
    if (p.gateway && is_anywhere(std::string_view(p.destination_cidr_block))) {
      report.flag(route, "routes " + p.destination_cidr_block + " to internet gateway " + p.gateway->path());
    }
  });
}

void subnet_no_public_ip(const Inventory& stack, Reporter& report) {
  each<ec2::Subnet>(stack, [&](const ec2::Subnet& subnet) {
    if (subnet.props().map_public_ip_on_launch) {
      report.flag(subnet, "the subnet gives every network interface launched in it a public IP address");
    }
  });
}

// A subnet is public when its route table sends any destination to an internet gateway: whatever
// has a public address there (a database made publicly accessible, an instance) is reachable from
// the internet. Nothing hipaa-synth models needs a public subnet.
void subnet_not_public(const Inventory& stack, Reporter& report) {
  std::map<const ec2::RouteTable*, const ec2::Route*> public_tables;
  each<ec2::Route>(stack, [&](const ec2::Route& route) {
    if (route.props().gateway && route.props().route_table)
      public_tables.emplace(route.props().route_table.get(), &route);
  });
  if (public_tables.empty()) return;
  std::map<const ec2::Subnet*, std::string> public_subnets;
  each<ec2::SubnetRouteTableAssociation>(stack, [&](const ec2::SubnetRouteTableAssociation& association) {
    const auto it = public_tables.find(association.props().route_table.get());
    if (it == public_tables.end() || !association.props().subnet) return;
    const auto& route = it->second->props();
    public_subnets.emplace(association.props().subnet.get(), "route table " + it->first->path() + " sends " +
                                                                 route.destination_cidr_block +
                                                                 " to internet gateway " + route.gateway->path());
  });
  each<ec2::Subnet>(stack, [&](const ec2::Subnet& subnet) {
    if (auto it = public_subnets.find(&subnet); it != public_subnets.end()) {
      report.flag(subnet, "the subnet is public: its " + it->second);
    }
  });
}

}  // namespace

const std::vector<Rule>& network_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-VPC-1", Severity::Error, kAuditControls, "VPCs have flow logs",
       "add an ec2::FlowLog for the VPC delivering to an encrypted log group", vpc_flow_logs, "VPCFlowLogsEnabled"},
      {"HIPAA-EC2-1", Severity::Error, kTransmissionSecurity,
       "Security groups do not allow inbound traffic from 0.0.0.0/0 or ::/0",
       "allow ingress from specific security groups or CIDRs", open_ingress,
       "EC2RestrictedSSH EC2RestrictedCommonPorts"},
      {"HIPAA-NET-1", Severity::Error, kTransmissionSecurity,
       "Databases and caches are not reachable from the internet through any chain of security group rules",
       "admit traffic to data stores only from groups that are not themselves reachable from 0.0.0.0/0",
       data_store_reachable_from_internet},
      {"HIPAA-VPC-2", Severity::Error, kAccessControl, "VPC default security groups have no rules",
       "leave restrict_default_security_group on", default_security_group_closed, "VPCDefaultSecurityGroupClosed"},
      {"HIPAA-VPC-3", Severity::Error, kTransmissionSecurity,
       "No route sends all traffic (0.0.0.0/0 or ::/0) to an internet gateway",
       "remove the route; reach AWS services through VPC endpoints", no_route_anywhere_to_internet_gateway,
       "VPCNoUnrestrictedRouteToIGW"},
      {"HIPAA-VPC-4", Severity::Error, kAccessControl, "Subnets do not assign public IP addresses on launch",
       "set map_public_ip_on_launch to false", subnet_no_public_ip, "VPCSubnetAutoAssignPublicIpDisabled"},
      {"HIPAA-VPC-5", Severity::Error, kAccessControl,
       "Subnets are private: no route table associated with a subnet routes to an internet gateway",
       "remove the internet gateway route, or suppress with the reason on a subnet that must be public",
       subnet_not_public},
      {"HIPAA-EC2-2", Severity::Error, kAccessControl,
       "Security group ingress rules name a protocol and ports (no all-traffic rule, from any source)",
       "allow the one protocol and port range the peer needs", ingress_all_traffic, "EC2RestrictedCommonPorts"},
      {"HIPAA-EC2-3", Severity::Error, kTransmissionSecurity,
       "Security groups do not send all traffic (every protocol, or every port) to 0.0.0.0/0 or ::/0",
       "allow egress to the security groups, endpoints or CIDRs the resource talks to, on their ports",
       egress_anywhere},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
