// hipaa_synth_showcase: the showcase app (showcase.hpp) behind the full command line, e.g.
// `hipaa_synth_showcase --target tf --allow-noncompliant -o out`.
#include "hipaa/cli.hpp"
#include "showcase.hpp"

int main(int argc, char** argv) {
  hipaa::App app;
  hipaa::Stack& stack = app.add_stack("Showcase", {.description = "Every hipaa-synth node (conformance showcase)",
                                                   .region = "us-east-1",
                                                   .tags = {{"Application", "showcase"}}});
  hipaa::showcase::add_kms_and_logs(stack);
  hipaa::showcase::add_s3(stack);
  hipaa::showcase::add_cloudtrail(stack);
  hipaa::showcase::add_messaging(stack);
  hipaa::showcase::add_api_edge(stack);
  hipaa::showcase::add_dynamodb_and_backup(stack);
  return hipaa::cli::run(argc, argv, app);
}
