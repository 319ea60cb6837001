// Network rules: flow logs, open ingress, and reachability of data stores from the internet.
#include <map>
#include <set>

#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/elasticache.hpp"
#include "hipaa/aws/rds.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

bool is_anywhere(const std::optional<std::string>& cidr) { return cidr && (*cidr == "0.0.0.0/0" || *cidr == "::/0"); }

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

}  // namespace

const std::vector<Rule>& network_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-VPC-1", Severity::Error, kAuditControls, "VPCs have flow logs",
       "add an ec2::FlowLog for the VPC delivering to an encrypted log group", vpc_flow_logs, "VPCFlowLogsEnabled"},
      {"HIPAA-EC2-1", Severity::Error, kTransmissionSecurity,
       "Security groups do not allow inbound traffic from 0.0.0.0/0 or ::/0",
       "allow ingress from specific security groups or CIDRs", open_ingress},
      {"HIPAA-NET-1", Severity::Error, kTransmissionSecurity,
       "Databases and caches are not reachable from the internet through any chain of security group rules",
       "admit traffic to data stores only from groups that are not themselves reachable from 0.0.0.0/0",
       data_store_reachable_from_internet},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
