// hipaa/aws/secretsmanager.hpp: Secrets Manager secrets whose value the service generates.
//
//   auto& secret = stack.add<secretsmanager::Secret>("ApiKey", {
//       .secret_name = "api-key", .kms_key = key,
//       .generate = secretsmanager::GeneratedSecret{.template_json = R"({"user":"app"})", .key = "password"}});
//
// The generated value never appears in a template, a plan or Terraform state: CloudFormation uses
// GenerateSecretString; Terraform an ephemeral aws_secretsmanager_random_password written through
// the write-only secret_string_wo argument.
#pragma once

#include <optional>

#include "hipaa/aws/kms.hpp"

namespace hipaa::secretsmanager {

struct GeneratedSecret {
  std::string template_json = "{}";  // JSON object the generated value is added to
  std::string key = "password";      // the field that receives the generated value
  int length = 32;
  std::string exclude_characters = "\"@/\\";
  bool require_each_included_type = true;
};

struct SecretProps {
  Value secret_name;
  std::string description;
  Ref<kms::Key> kms_key;
  std::optional<GeneratedSecret> generate;
  Tags tags;
};

class Secret final : public Node<Secret, SecretProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "secretsmanager::Secret",
      .summary =
          "A Secrets Manager secret, optionally generated (an ephemeral random password written write-only in "
          "Terraform)",
      .tagging = Tagging::KeyValueList,
      .types = {cloudformation_type("AWS::SecretsManager::Secret", "Name"),
                terraform_type("aws_secretsmanager_secret", "name name_prefix"),
                terraform_type("aws_secretsmanager_secret_version",
                               "secret_binary secret_id secret_string secret_string_wo_version")}};
  [[nodiscard]] Value arn() const { return attribute({"", "arn"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

}  // namespace hipaa::secretsmanager
