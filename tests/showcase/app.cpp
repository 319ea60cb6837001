#include "showcase.hpp"

namespace hipaa::showcase {

Stack& build(App& app) {
  Stack& stack = app.add_stack("Showcase", {.description = "Every hipaa-synth node (conformance showcase)",
                                            .region = "us-east-1",
                                            .tags = {{"Application", "showcase"}}});
  add_kms_and_logs(stack);
  add_s3(stack);
  add_cloudtrail(stack);
  add_messaging(stack);
  add_api_edge(stack);
  add_dynamodb_and_backup(stack);
  add_grants(stack);
  add_network(stack);
  add_raw(stack);
  return stack;
}

}  // namespace hipaa::showcase
