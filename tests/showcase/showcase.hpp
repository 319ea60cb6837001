// The showcase app: every typed node (and a raw resource), with the options the presets leave at
// their defaults turned on, in one stack. The conformance check (tests/conformance/check-presets.sh)
// synthesizes it for every target and format and validates it like the presets, so a node that no
// preset uses is still checked against the CloudFormation resource specification, the provider
// schema, cfn-lint and `terraform validate`.
//
// Each service adds its nodes in a function of its own file, under a group named after the
// service, with whatever it needs created there too (so files do not depend on each other).
#pragma once

#include "hipaa/construct.hpp"

namespace hipaa::showcase {

// The showcase stack, with every service's nodes (app.cpp); the executable and the tests share it.
Stack& build(App& app);

void add_kms_and_logs(Stack& stack);
void add_s3(Stack& stack);
void add_cloudtrail(Stack& stack);
void add_messaging(Stack& stack);
void add_api_edge(Stack& stack);
void add_dynamodb_and_backup(Stack& stack);
void add_grants(Stack& stack);
void add_network(Stack& stack);
void add_raw(Stack& stack);

}  // namespace hipaa::showcase
