// hipaa/synthetic.hpp: a generator of realistic many-stack apps, for benchmarks and scale tests.
//
//   App app;
//   add_synthetic_stacks(app, {.stacks = 200, .resources_per_stack = 50});
//   auto result = synthesize(app, {.target = Target::Terraform});
//
// Each stack has a VPC and an HTTP API, then units of twelve resources (subnet, security group
// and rule, KMS key, encrypted log group, generated secret, managed policy, role, Lambda
// function, integration, route, invoke permission). Every secret is encrypted with a key shared
// from the first stack, so every other stack imports from it.
#pragma once

#include "hipaa/construct.hpp"

namespace hipaa {

struct SyntheticAppOptions {
  int stacks = 10;
  int resources_per_stack = 50;
};

// Adds the stacks to `app`; returns the number of resources added.
std::size_t add_synthetic_stacks(App& app, const SyntheticAppOptions& options);

}  // namespace hipaa
