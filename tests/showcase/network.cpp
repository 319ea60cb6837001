#include "hipaa/network.hpp"
#include "showcase.hpp"

namespace hipaa::showcase {

// Every tier type, a NAT gateway shared by the zones, both gateway endpoints and an interface
// endpoint: the NAT gateway, its Elastic IP and the gateway endpoints' route tables are used by
// no preset.
void add_network(Stack& stack) {
  Construct& group = stack.add_group("Network");
  group.add<ec2::Network>("Net", {.cidr_block = "10.20.0.0/16",
                                  .availability_zones = 3,
                                  .subnets = {{.name = "Public", .type = ec2::SubnetType::Public, .cidr_mask = 26},
                                              {.name = "App", .type = ec2::SubnetType::PrivateWithEgress},
                                              {.name = "Data", .type = ec2::SubnetType::Isolated, .cidr_mask = 27}},
                                  .nat_gateways = 1,
                                  .gateway_endpoints = {"s3", "dynamodb"},
                                  .interface_endpoints = {"kms"},
                                  .flow_logs_retention_days = 731,
                                  .tags = {{"Purpose", "network"}}});
}

}  // namespace hipaa::showcase
