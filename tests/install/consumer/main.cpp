// A network stack built against the installed library: a VPC, a private subnet and a KMS key,
// printed as CloudFormation and as Terraform JSON.
#include <iostream>

#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/kms.hpp"
#include "hipaa/synth.hpp"

int main() {
  hipaa::App app;
  hipaa::Stack& stack = app.add_stack("Consumer", {.region = "us-west-2"});
  auto& vpc = stack.add<hipaa::ec2::Vpc>("Vpc", {.cidr_block = "10.20.0.0/16"});
  stack.add<hipaa::ec2::Subnet>(
      "Private",
      {.vpc = vpc, .cidr_block = "10.20.1.0/24", .availability_zone = hipaa::select(0, hipaa::availability_zones())});
  stack.add<hipaa::kms::Key>("DataKey", {.description = "Installed-package consumer key"});
  vpc.suppress("HIPAA-VPC-1", "the account's network baseline enables flow logs on every VPC");

  for (hipaa::Target target : {hipaa::Target::CloudFormation, hipaa::Target::Terraform}) {
    const hipaa::SynthesisResult result = hipaa::synthesize(app, {.target = target});
    for (const auto& diagnostic : result.diagnostics) std::cerr << hipaa::format(diagnostic) << '\n';
    if (!result.ok() || result.files.empty()) return 1;
    std::cout << result.files.front().contents;
  }
  return 0;
}
