// hipaa/aws/secretsmanager.hpp: Secrets Manager secrets whose value the service generates.
//
//   auto& secret = stack.add<secretsmanager::Secret>("ApiKey", {
//       .secret_name = "api-key", .kms_key = key,
//       .generate = secretsmanager::GeneratedSecret{.template_json = R"({"user":"app"})", .key = "password"}});
//
// The generated value never appears in a template, a plan or Terraform state: CloudFormation uses
// GenerateSecretString; Terraform an ephemeral aws_secretsmanager_random_password written through
// the write-only secret_string_wo argument.
//
// Rotation: `.rotation = secretsmanager::Rotation{.function = rotator}` rotates the secret with a
// Lambda function on a schedule (CloudFormation AWS::SecretsManager::RotationSchedule, Terraform
// aws_secretsmanager_secret_rotation) and lets Secrets Manager invoke the function for this
// secret only (a lambda::Permission-like AWS::Lambda::Permission / aws_lambda_permission with the
// secret as source). The function implements the four rotation steps; its role must be allowed
// to read and write this secret and to use its key.
#pragma once

#include <optional>

#include "hipaa/aws/kms.hpp"
#include "hipaa/aws/lambda.hpp"

namespace hipaa::secretsmanager {

struct GeneratedSecret {
  std::string template_json = "{}";  // JSON object the generated value is added to
  std::string key = "password";      // the field that receives the generated value
  int length = 32;
  std::string exclude_characters = "\"@/\\";
  bool require_each_included_type = true;
};

// Rotation by a Lambda function: managed rotation exists only for secrets other services own
// (an RDS-managed master secret rotates with RDS), and CloudFormation's hosted rotation functions
// need a template transform Terraform has no counterpart for.
struct Rotation {
  Ref<lambda::Function> function;
  int automatically_after_days = 30;  // 1-1000
  bool rotate_immediately = true;     // rotate once when the schedule is created
};

struct SecretProps {
  Value secret_name;
  std::string description;
  Ref<kms::Key> kms_key;
  std::optional<GeneratedSecret> generate;
  std::optional<Rotation> rotation;
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
                               "secret_binary secret_id secret_string secret_string_wo_version"),
                cloudformation_type("AWS::SecretsManager::RotationSchedule", "SecretId"),
                terraform_type("aws_secretsmanager_secret_rotation", "secret_id"), lambda::Permission::kInfo.types[0],
                lambda::Permission::kInfo.types[1]}};
  static constexpr std::string_view kRotationSuffix = "Rotation";
  static constexpr std::string_view kRotationPermissionSuffix = "RotationPermission";
  [[nodiscard]] Value arn() const { return attribute({"", "arn"}); }
  // Lets the grantee (a role, or a function's role) read the value: secretsmanager:GetSecretValue
  // and secretsmanager:DescribeSecret on this secret (sid ReadSecret<Secret>), and with kms_key
  // kms:Decrypt on the key (sid DecryptWith<Key>).
  void grant_read(const iam::Grantee& grantee) const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;

 private:
  void lower_rotation(Lowering& l) const;
};

}  // namespace hipaa::secretsmanager
