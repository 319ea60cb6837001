#include "core/regions.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace hipaa::detail {
namespace {

// The public regions of each partition as AWS lists them (AWS General Reference, "AWS Regions",
// late 2025), opt-in regions included. A region launched later is one line here.
constexpr auto kAws = std::to_array<std::string_view>({
    "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",      "af-south-1",     "ap-east-1",
    "ap-east-2",      "ap-south-1",     "ap-south-2",     "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ap-northeast-1", "ap-northeast-2",
    "ap-northeast-3", "ca-central-1",   "ca-west-1",      "eu-central-1",   "eu-central-2",   "eu-west-1",
    "eu-west-2",      "eu-west-3",      "eu-south-1",     "eu-south-2",     "eu-north-1",     "il-central-1",
    "me-south-1",     "me-central-1",   "mx-central-1",   "sa-east-1",
});
constexpr auto kAwsCn = std::to_array<std::string_view>({"cn-north-1", "cn-northwest-1"});
constexpr auto kAwsUsGov = std::to_array<std::string_view>({"us-gov-west-1", "us-gov-east-1"});

const std::array<Partition, 3> kPartitions = {{
    {"aws", kAws},
    {"aws-cn", kAwsCn},
    {"aws-us-gov", kAwsUsGov},
}};

// Regions with more than the three availability zones every region has (AWS Global
// Infrastructure, "AWS Availability Zones": the AZ IDs per region).
struct ZoneCount {
  std::string_view region;
  std::size_t zones;
};
constexpr auto kMoreThanThreeZones = std::to_array<ZoneCount>({
    {"us-east-1", 6},
    {"us-west-2", 4},
    {"ap-northeast-1", 4},
    {"ap-northeast-2", 4},
});
constexpr std::size_t kZonesPerRegion = 3;

}  // namespace

std::size_t availability_zone_count(std::string_view region) {
  if (partition_of(region) == nullptr) return 0;
  const auto* found = std::ranges::find(kMoreThanThreeZones, region, &ZoneCount::region);
  return found == kMoreThanThreeZones.end() ? kZonesPerRegion : found->zones;
}

std::span<const Partition> partitions() { return kPartitions; }

const Partition* partition_of(std::string_view region) {
  const auto* found = std::ranges::find_if(
      kPartitions, [&](const Partition& p) { return std::ranges::find(p.regions, region) != p.regions.end(); });
  return found == kPartitions.end() ? nullptr : found;
}

const Partition& claimed_partition(std::string_view region) {
  if (region.starts_with("cn-")) return kPartitions[1];
  if (region.starts_with("us-gov-")) return kPartitions[2];
  return kPartitions[0];
}

std::string unknown_region_problem(std::string_view region) {
  if (partition_of(region) != nullptr) return {};
  const Partition& partition = claimed_partition(region);
  std::string known;
  for (std::string_view r : partition.regions) known += fmt::format("{}{}", known.empty() ? "" : ", ", r);
  return fmt::format("'{}' is not a region of partition {}, whose regions are: {}", region, partition.name, known);
}

}  // namespace hipaa::detail
