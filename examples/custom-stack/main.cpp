// The README's first custom stack: a test checks that the README shows exactly this code.
#include <iostream>

#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/kms.hpp"
#include "hipaa/synth.hpp"

int main() {
  using namespace hipaa;
  App app;
  Stack& stack = app.add_stack("Network", {.region = "eu-west-1"});
  auto& vpc = stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  stack.add<ec2::Subnet>(
      "Private1", {.vpc = vpc, .cidr_block = "10.0.1.0/24", .availability_zone = select(0, availability_zones())});
  stack.add<kms::Key>("Key", {.description = "Encrypts patient data"});
  // synthesize() checks the HIPAA rules first and refuses on an unsuppressed error; without this
  // line: "error HIPAA-VPC-1 at Network/Vpc (main.cpp:12): VPC has no flow log".
  vpc.suppress("HIPAA-VPC-1", "the account's network baseline enables flow logs on every VPC");

  for (Target target : {Target::CloudFormation, Target::Terraform}) {
    SynthesisResult result = synthesize(app, {.target = target});
    for (const auto& f : result.compliance.findings) std::cerr << rules::format(f) << '\n';
    for (const auto& d : result.diagnostics) std::cerr << format(d) << '\n';
    if (!result.ok()) return 1;
    std::cout << result.files.front().contents;
  }
}
