// A stack whose function's code is packaged from a directory, for check.py:
//   hipaa_synth_lambda_code_app HANDLER_DIR [hipaa-synth arguments]
#include "hipaa/aws/lambda.hpp"
#include "hipaa/cli.hpp"

int main(int argc, char** argv) {
  using namespace hipaa;
  if (argc < 2) return 2;
  App app;
  Stack& stack = app.add_stack("Api");
  auto& role = stack.add<iam::Role>("Role", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com")});
  stack.add<lambda::Function>("Handler", {.runtime = "provided.al2023",
                                          .handler = "bootstrap",
                                          .code = lambda::Code::from_directory(argv[1]),
                                          .role = role});
  // argv[1], the directory, stands where the program's name would: the rest is hipaa-synth's.
  return cli::run(argc - 1, argv + 1, app, rules::RuleSet{});
}
