// Internal: the AWS regions hipaa-synth knows, by partition, in one table. A stack's region and
// its Terraform state region are checked against it, so `--region mars-1` is an error at synth
// rather than at deploy.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace hipaa::detail {

struct Partition {
  std::string_view name;  // "aws", "aws-cn", "aws-us-gov"
  std::span<const std::string_view> regions;
};

[[nodiscard]] std::span<const Partition> partitions();

// The partition whose regions include `region`; nullptr for a region no partition has.
[[nodiscard]] const Partition* partition_of(std::string_view region);

// The partition a region name claims by its prefix ("cn-" is aws-cn, "us-gov-" aws-us-gov, any
// other aws), so an unknown region's error can list the regions it was probably meant to be.
[[nodiscard]] const Partition& claimed_partition(std::string_view region);

// How many availability zones an account can place subnets in, in a known region; 0 for a region
// this table does not know. AWS documents at least three per region; where accounts see different
// numbers (the oldest regions map zones per account), the highest, so that synth never refuses
// what some account can deploy: the Terraform postcondition on aws_availability_zones and
// CloudFormation's Fn::Select catch the rest at plan or deploy time.
[[nodiscard]] std::size_t availability_zone_count(std::string_view region);

// "'mars-1' is not a region of partition aws, whose regions are: us-east-1, ..."; empty when known.
[[nodiscard]] std::string unknown_region_problem(std::string_view region);

}  // namespace hipaa::detail
