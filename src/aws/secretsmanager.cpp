#include "hipaa/aws/secretsmanager.hpp"

#include <fmt/format.h>

#include "aws/grants.hpp"
#include "validate/checks.hpp"

namespace hipaa::secretsmanager {

void Secret::lower(Lowering& l) const {
  const auto& p = props();
  auto& secret = l.add(*this);
  secret.properties()
      .set({"Name", "name"}, p.secret_name)
      .set({"Description", "description"}, p.description)
      .set({"KmsKeyId", "kms_key_id"}, p.kms_key ? p.kms_key->arn() : Value());
  secret.tags(p.tags);
  if (p.rotation) lower_rotation(l);
  if (!p.generate) return;
  const auto& g = *p.generate;

  if (l.is_cloudformation()) {
    Properties generate = l.object();
    generate.set({"SecretStringTemplate", {}}, g.template_json)
        .set({"GenerateStringKey", {}}, g.key)
        .set({"PasswordLength", {}}, g.length)
        .set({"ExcludeCharacters", {}}, g.exclude_characters)
        .set({"RequireEachIncludedType", {}}, g.require_each_included_type);
    secret.properties().set({"GenerateSecretString", {}}, generate);
    return;
  }
  // Terraform: the password exists only during apply (an ephemeral resource) and is written
  // through a write-only argument, so it is never stored in state or shown in a plan.
  Properties password = l.object();
  password.terraform("password_length", g.length)
      .terraform("exclude_characters", g.exclude_characters)
      .terraform("require_each_included_type", g.require_each_included_type);
  const std::string generated =
      l.add_terraform_data("aws_secretsmanager_random_password", terraform_name(), std::move(password),
                           /*ephemeral=*/true);
  // The template's fields plus the generated password under `key`.
  const Value password_field =
      call("zipmap", {list({g.key}), list({TerraformReference{generated + ".random_password"}})});
  l.add(*this, "aws_secretsmanager_secret_version", "Version")
      .properties()
      .terraform("secret_id", attribute({"", "id"}))
      .terraform("secret_string_wo",
                 call("jsonencode", {call("merge", {call("jsondecode", {g.template_json}), password_field})}))
      .terraform("secret_string_wo_version", 1);
}

// Secrets Manager invokes the function for this secret only (the permission's source), and the
// schedule waits for the permission: with rotate_immediately the first rotation starts at once.
void Secret::lower_rotation(Lowering& l) const {
  const auto& r = *props().rotation;
  const lambda::Function* fn = r.function.get();
  l.add(*this, l.is_cloudformation() ? "AWS::Lambda::Permission" : "aws_lambda_permission", kRotationPermissionSuffix)
      .properties()
      .set({"FunctionName", "function_name"}, fn != nullptr ? fn->function_name() : Value())
      .set({"Action", "action"}, "lambda:InvokeFunction")
      .set({"Principal", "principal"}, "secretsmanager.amazonaws.com")
      .set({"SourceArn", "source_arn"}, arn());
  Properties rules = l.object();
  rules.set({"AutomaticallyAfterDays", "automatically_after_days"}, r.automatically_after_days);
  auto& schedule = l.add(
      *this, l.is_cloudformation() ? "AWS::SecretsManager::RotationSchedule" : "aws_secretsmanager_secret_rotation",
      kRotationSuffix);
  schedule.properties()
      .set({"SecretId", "secret_id"}, arn())
      .set({"RotationLambdaARN", "rotation_lambda_arn"}, fn != nullptr ? fn->arn() : Value())
      .set({"RotateImmediatelyOnUpdate", "rotate_immediately"}, r.rotate_immediately)
      .set({"RotationRules", "rotation_rules"}, std::move(rules));
  schedule.depends_on(*this, kRotationPermissionSuffix);
}

void Secret::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.name(
      props().secret_name, "secret_name", 512,
      [](char c) { return detail::is_alnum_dash(c) || std::string_view("/_+=.@").find(c) != std::string_view::npos; },
      "A-Z a-z 0-9 /_+=.@-");
  if (props().generate) {
    check.range(props().generate->length, "generate.length", 8, 4096);
  }
  if (props().rotation) {
    check.required(props().rotation->function, "rotation.function");
    check.range(props().rotation->automatically_after_days, "rotation.automatically_after_days", 1, 1000);
  }
}

void Secret::grant_read(const iam::Grantee& grantee) const {
  detail::grant(grantee, path() + " grant_read",
                iam::allow({"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"})
                    .id("ReadSecret" + logical_id())
                    .on(arn()),
                props().kms_key.get());
}

}  // namespace hipaa::secretsmanager
