#include "hipaa/network.hpp"

#include <algorithm>
#include <cctype>

#include "validate/checks.hpp"

namespace hipaa::ec2 {
namespace {

constexpr int kMinZones = 2;
constexpr int kMaxZones = 6;
constexpr int kHttpsPort = 443;

std::string cidr_text(const detail::Ipv4Cidr& block) {
  const std::uint32_t a = block.address;
  return std::to_string(a >> 24U) + "." + std::to_string((a >> 16U) & 0xffU) + "." + std::to_string((a >> 8U) & 0xffU) +
         "." + std::to_string(a & 0xffU) + "/" + std::to_string(block.prefix);
}

std::uint64_t block_size(int prefix) { return std::uint64_t{1} << static_cast<unsigned>(32 - prefix); }
std::uint64_t block_end(const detail::Ipv4Cidr& block) { return block.address + block_size(block.prefix); }

bool is_public(const SubnetTier& tier) { return tier.type == SubnetType::Public; }

// The next free block of prefix length `mask` at or after `cursor`: aligned on its size, clear of
// every `taken` block, inside `vpc`. Advances `cursor` past it; nullopt when the VPC is full.
std::optional<detail::Ipv4Cidr> carve(std::uint64_t& cursor, int mask, const std::vector<detail::Ipv4Cidr>& taken,
                                      const detail::Ipv4Cidr& vpc) {
  const std::uint64_t size = block_size(mask);
  for (bool moved = true; moved;) {
    cursor = (cursor + size - 1) / size * size;
    moved = false;
    for (const auto& block : taken) {
      if (cursor < block_end(block) && block.address < cursor + size) {
        cursor = block_end(block);
        moved = true;
      }
    }
  }
  if (cursor + size > block_end(vpc)) return std::nullopt;
  const detail::Ipv4Cidr block{static_cast<std::uint32_t>(cursor), mask};
  cursor += size;
  return block;
}

}  // namespace

Network::Network(Construct& scope, std::string id, const NetworkProps& props, SourceLocation where)
    : Construct(&scope, std::move(id), where), tags_(props.tags) {
  const NetworkProps& p = props;
  if (p.availability_zones < kMinZones || p.availability_zones > kMaxZones) {
    add_error("HS2004",
              "'availability_zones' is " + std::to_string(p.availability_zones) + "; a network spans " +
                  std::to_string(kMinZones) + " to " + std::to_string(kMaxZones) + " zones",
              "RDS subnet groups and a resilient service need at least two zones", where);
  }
  vpc_ = &add<Vpc>("Vpc", {.cidr_block = p.cidr_block, .tags = tags_for("Vpc")});
  build_tiers(p);
  build_routes(p);
  build_endpoints(p);
  if (p.flow_logs) build_flow_logs(p);
}

std::string Network::tier_name_problem(const std::string& name) const {
  if (std::any_of(tiers_.begin(), tiers_.end(), [&](const Tier& t) { return t.name == name; })) return "is used twice";
  const bool alphanumeric =
      std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
  return name.empty() || !alphanumeric ? "must be letters and digits, and not empty" : "";
}

Tags Network::tags_for(std::string_view id) const {
  Tags tags = tags_;
  tags.try_emplace("Name", path() + "/" + std::string(id));
  return tags;
}

// Each tier gets one subnet per zone. Explicit blocks are taken as given; the others are carved
// from the VPC's block in tier order, each aligned on its size and stepping over explicit blocks,
// so adding a tier at the end never moves an existing subnet.
void Network::build_tiers(const NetworkProps& p) {
  const auto vpc_block = detail::parse_cidr(p.cidr_block);  // a bad block is the Vpc's own error
  std::vector<detail::Ipv4Cidr> taken;
  for (const auto& tier : p.subnets) {
    for (const auto& text : tier.cidr_blocks) {
      if (auto block = detail::parse_cidr(text)) taken.push_back(*block);
    }
  }
  std::uint64_t cursor = vpc_block ? vpc_block->address : 0;
  const int zones = std::clamp(p.availability_zones, 1, kMaxZones);
  for (const auto& tier : p.subnets) {
    if (const std::string problem = tier_name_problem(tier.name); !problem.empty()) {
      add_error("HS2001", "subnet tier name '" + tier.name + "' " + problem,
                "tier names become construct ids: \"Private\" -> PrivateSubnet1", created_at());
      continue;
    }
    Tier& built = tiers_.emplace_back(Tier{.name = tier.name, .type = tier.type, .subnets = {}, .route_tables = {}});
    if (tier.cidr_blocks.size() > static_cast<std::size_t>(zones)) {
      add_error("HS2004",
                "subnet tier '" + tier.name + "' lists " + std::to_string(tier.cidr_blocks.size()) +
                    " CIDR blocks for " + std::to_string(zones) + " availability zones; at most one per zone",
                "raise 'availability_zones' or list fewer blocks", created_at());
    }
    const std::size_t count = tier.cidr_blocks.empty()
                                  ? static_cast<std::size_t>(zones)
                                  : std::min(tier.cidr_blocks.size(), static_cast<std::size_t>(zones));
    for (std::size_t zone = 0; zone < count; ++zone) {
      std::string block_text;
      if (!tier.cidr_blocks.empty()) {
        block_text = tier.cidr_blocks[zone];
      } else if (vpc_block && tier.cidr_mask >= vpc_block->prefix && tier.cidr_mask <= 28) {
        const auto block = carve(cursor, tier.cidr_mask, taken, *vpc_block);
        if (!block) {
          add_error("HS2002",
                    "subnet tier '" + tier.name + "' needs /" + std::to_string(tier.cidr_mask) + " blocks for " +
                        std::to_string(count) + " zones, but the VPC's " + p.cidr_block + " has no room left",
                    "use a larger VPC block, fewer zones or a longer 'cidr_mask'", created_at());
          break;
        }
        block_text = cidr_text(*block);
      } else {
        add_error("HS2002",
                  "subnet tier '" + tier.name + "' has 'cidr_mask' /" + std::to_string(tier.cidr_mask) +
                      "; it must lie between the VPC's prefix and /28",
                  {}, created_at());
        break;
      }
      const std::string id = tier.name + "Subnet" + std::to_string(zone + 1);
      built.subnets.push_back(add<Subnet>(id, {.vpc = *vpc_,
                                               .cidr_block = block_text,
                                               .availability_zone = select(zone, availability_zones()),
                                               .map_public_ip_on_launch = false,
                                               .tags = tags_for(id)}));
    }
  }
}

void Network::build_routes(const NetworkProps& p) {
  const auto public_tier = std::find_if(p.subnets.begin(), p.subnets.end(), is_public);
  const bool needs_egress = std::any_of(p.subnets.begin(), p.subnets.end(),
                                        [](const SubnetTier& t) { return t.type == SubnetType::PrivateWithEgress; });
  const int zones = std::clamp(p.availability_zones, 1, kMaxZones);
  const int nat_count = p.nat_gateways.value_or(needs_egress ? zones : 0);
  if ((needs_egress || nat_count > 0) && public_tier == p.subnets.end()) {
    add_error("HS2004", "a NAT gateway needs a Public subnet tier to live in, and this network has none",
              "add a tier {.name = \"Public\", .type = SubnetType::Public}, or make the tier Isolated", created_at());
  }
  if (needs_egress && nat_count < 1) {
    add_error("HS2004", "'nat_gateways' is 0, but a PrivateWithEgress tier routes through NAT gateways",
              "make the tier Isolated, or allow at least one NAT gateway", created_at());
  }
  if (nat_count < 0 || nat_count > zones) {
    add_error("HS2004",
              "'nat_gateways' is " + std::to_string(nat_count) + "; between 0 and one per zone (" +
                  std::to_string(zones) + ")",
              {}, created_at());
  }
  if (public_tier != p.subnets.end()) {
    internet_gateway_ = &add<InternetGateway>("InternetGateway", {.vpc = *vpc_, .tags = tags_for("InternetGateway")});
  }
  std::vector<NatGateway*> nat_gateways;
  const Tier* nat_tier = nullptr;
  for (const auto& tier : tiers_) {
    if (tier.type == SubnetType::Public && nat_tier == nullptr) nat_tier = &tier;
  }
  if (nat_tier != nullptr && needs_egress) {
    const auto count =
        std::min<std::size_t>(static_cast<std::size_t>(std::max(nat_count, 0)), nat_tier->subnets.size());
    for (std::size_t i = 0; i < count; ++i) {
      const std::string id = "NatGateway" + std::to_string(i + 1);
      nat_gateways.push_back(&add<NatGateway>(
          id, {.subnet = nat_tier->subnets[i], .internet_gateway = *internet_gateway_, .tags = tags_for(id)}));
    }
  }
  for (auto& tier : tiers_) {
    auto associate = [&](RouteTable& table, std::size_t zone) {
      add<SubnetRouteTableAssociation>(tier.name + "Subnet" + std::to_string(zone + 1) + "RouteTableAssociation",
                                       {.subnet = tier.subnets[zone], .route_table = table});
    };
    if (tier.type == SubnetType::PrivateWithEgress && !nat_gateways.empty()) {
      // One table per zone, each to a NAT gateway (its own zone's when there is one per zone).
      for (std::size_t zone = 0; zone < tier.subnets.size(); ++zone) {
        const std::string number = std::to_string(zone + 1);
        auto& table = add<RouteTable>(tier.name + "RouteTable" + number,
                                      {.vpc = *vpc_, .tags = tags_for(tier.name + "RouteTable" + number)});
        add<Route>(tier.name + "Route" + number,
                   {.route_table = table, .nat_gateway = *nat_gateways[zone % nat_gateways.size()]});
        associate(table, zone);
        tier.route_tables.push_back(&table);
      }
      continue;
    }
    auto& table = add<RouteTable>(tier.name + "RouteTable", {.vpc = *vpc_, .tags = tags_for(tier.name + "RouteTable")});
    if (tier.type == SubnetType::Public)
      add<Route>(tier.name + "Route", {.route_table = table, .gateway = *internet_gateway_});
    for (std::size_t zone = 0; zone < tier.subnets.size(); ++zone) associate(table, zone);
    tier.route_tables.push_back(&table);
  }
}

void Network::build_endpoints(const NetworkProps& p) {
  Refs<RouteTable> private_tables;
  const Tier* endpoint_tier = nullptr;
  for (const auto& tier : tiers_) {
    if (tier.type == SubnetType::Public) continue;
    for (RouteTable* table : tier.route_tables) private_tables.push_back(*table);
    if (endpoint_tier == nullptr) endpoint_tier = &tier;
  }
  for (const auto& service : p.gateway_endpoints) {
    add<VpcEndpoint>(
        pascal_case(service) + "Endpoint",
        {.vpc = *vpc_, .service = service, .endpoint_type = EndpointType::Gateway, .route_tables = private_tables});
  }
  if (p.interface_endpoints.empty()) return;
  if (endpoint_tier == nullptr) {
    add_error("HS2004", "interface endpoints need a subnet tier that is not Public, and this network has none",
              "endpoints serve private subnets: add an Isolated or PrivateWithEgress tier", created_at());
    return;
  }
  endpoint_group_ = &add<SecurityGroup>(
      "EndpointSecurityGroup",
      {.vpc = *vpc_, .description = "Interface endpoints of " + path(), .tags = tags_for("EndpointSecurityGroup")});
  for (const auto& service : p.interface_endpoints) {
    add<VpcEndpoint>(pascal_case(service) + "Endpoint", {.vpc = *vpc_,
                                                         .service = service,
                                                         .endpoint_type = EndpointType::Interface,
                                                         .subnets = endpoint_tier->subnets,
                                                         .security_groups = {*endpoint_group_},
                                                         .private_dns_enabled = true});
  }
}

// Flow logs: a role VPC Flow Logs assumes to write to an encrypted log group.
void Network::build_flow_logs(const NetworkProps& p) {
  Ref<kms::Key> key = p.flow_logs_key;
  if (!key) {
    key = add<kms::Key>("FlowLogsKey", {.description = "Encrypts the flow logs of " + path(),
                                        .allow_cloudwatch_logs = true,
                                        .tags = tags_for("FlowLogsKey")});
  }
  flow_logs_group_ = &add<logs::LogGroup>("FlowLogsLogGroup", {.log_group_name = p.flow_logs_group_name,
                                                               .retention_days = p.flow_logs_retention_days,
                                                               .kms_key = key,
                                                               .tags = tags_for("FlowLogsLogGroup")});
  auto& role = add<iam::Role>("FlowLogsRole", {.description = "Lets VPC Flow Logs deliver to its log group",
                                               .assume_role_policy = iam::assumed_by("vpc-flow-logs.amazonaws.com"),
                                               .tags = tags_for("FlowLogsRole")});
  flow_logs_group_->grant_write(role);
  role.add_to_policy(iam::allow({"logs:DescribeLogGroups", "logs:DescribeLogStreams"})
                         .id("DescribeFlowLogsGroup")
                         .on(flow_logs_group_->streams_arn()));
  add<FlowLog>("FlowLog",
               {.vpc = *vpc_, .log_group = *flow_logs_group_, .delivery_role = role, .tags = tags_for("FlowLog")});
}

Refs<Subnet> Network::subnets(std::string_view tier) const {
  for (const auto& t : tiers_) {
    if (t.name == tier) return t.subnets;
  }
  return {};
}

Refs<Subnet> Network::subnets(SubnetType type) const {
  Refs<Subnet> all;
  for (const auto& t : tiers_) {
    if (t.type == type) all.insert(all.end(), t.subnets.begin(), t.subnets.end());
  }
  return all;
}

Connections Network::endpoint_connections() const {
  Refs<SecurityGroup> groups;
  if (endpoint_group_ != nullptr) groups.push_back(*endpoint_group_);
  return {*this, std::move(groups), kHttpsPort};
}

}  // namespace hipaa::ec2
