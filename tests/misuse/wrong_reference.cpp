// A reference to the wrong kind of node: a key where the subnet's VPC goes. Both node types are named.
// expect: kms::Key
// expect: Ref<hipaa::ec2::Vpc>
#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/kms.hpp"

int main() {
  hipaa::App app;
  auto& stack = app.add_stack("S");
  auto& key = stack.add<hipaa::kms::Key>("Key", {.description = "k"});
  stack.add<hipaa::ec2::Subnet>("Subnet", hipaa::ec2::Subnet::Props{.vpc = key, .cidr_block = "10.0.1.0/24"});
}
