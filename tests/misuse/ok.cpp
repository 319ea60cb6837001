// The control: the same program spelled right compiles, so a failure below is the misuse's.
// expect-success
#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/kms.hpp"

int main() {
  hipaa::App app;
  auto& stack = app.add_stack("S");
  auto& vpc = stack.add<hipaa::ec2::Vpc>("Vpc", hipaa::ec2::Vpc::Props{.cidr_block = "10.0.0.0/16"});
  stack.add<hipaa::ec2::Subnet>("Subnet", {.vpc = vpc, .cidr_block = "10.0.1.0/24"});
}
