#include "hipaa/aws/kms.hpp"
#include "hipaa/aws/logs.hpp"
#include "hipaa/aws/secretsmanager.hpp"
#include "showcase.hpp"

namespace hipaa::showcase {

void add_kms_and_logs(Stack& stack) {
  Construct& group = stack.add_group("Keys");
  auto& key = group.add<kms::Key>("Key", {.description = "Showcase key", .allow_cloudwatch_logs = true});
  group.add<kms::Alias>("Alias", {.alias_name = "alias/showcase", .target = key});
  group.add<logs::LogGroup>("Logs", {.log_group_name = "/showcase/app", .retention_days = 731, .kms_key = key});
  // A generated secret: an ephemeral random password in Terraform, never in plan or state.
  group.add<secretsmanager::Secret>("Secret", {.secret_name = "showcase/api-key",
                                               .description = "Showcase API key",
                                               .kms_key = key,
                                               .generate = secretsmanager::GeneratedSecret{}});
}

}  // namespace hipaa::showcase
