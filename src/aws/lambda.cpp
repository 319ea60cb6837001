#include "hipaa/aws/lambda.hpp"

#include <algorithm>
#include <cctype>

#include "support/archive.hpp"
#include "validate/checks.hpp"

namespace hipaa::lambda {

Value Function::invoke_uri() const {
  return interpolate(
      {"arn:", partition(), ":apigateway:", region(), ":lambda:path/2015-03-31/functions/", arn(), "/invocations"});
}

namespace {

// Terraform needs a function name where CloudFormation generates one: "<stack>-<LogicalId>",
// which is unique in the app, stable, and within Lambda's 64 characters of [A-Za-z0-9_-] (a longer
// one keeps its first 55 characters and a hash of the whole).
std::string default_function_name(const Function& fn) {
  constexpr std::size_t kMaxName = 64;
  constexpr std::size_t kKept = 55;
  std::string name = (fn.stack() != nullptr ? fn.stack()->id() + "-" : std::string()) + fn.logical_id();
  std::replace_if(
      name.begin(), name.end(),
      [](char c) { return std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_'; }, '-');
  if (name.size() <= kMaxName) return name;
  return name.substr(0, kKept) + "-" + detail::hex(detail::sha256(name)).substr(0, kMaxName - kKept - 1);
}

}  // namespace

void Function::lower(Lowering& l) const {
  const auto& p = props();
  auto& fn = l.add(*this);
  const bool generated_name = p.function_name.is_null() && l.is_terraform();
  fn.properties()
      .set({"FunctionName", "function_name"}, generated_name ? Value(default_function_name(*this)) : p.function_name)
      .set({"Description", "description"}, p.description)
      .set({"Runtime", "runtime"}, p.runtime)
      .set({"Handler", "handler"}, p.handler)
      .set({"Role", "role"}, p.role ? p.role->arn() : Value())
      .set({"Timeout", "timeout"}, p.timeout_seconds)
      .set({"MemorySize", "memory_size"}, p.memory_mb)
      .set({"ReservedConcurrentExecutions", "reserved_concurrent_executions"}, p.reserved_concurrency)
      .set({"KmsKeyArn", "kms_key_arn"}, p.environment_kms_key ? p.environment_kms_key->arn() : Value());

  if (!p.environment.empty()) {
    ValueMap variables;
    for (const auto& [name, value] : p.environment) variables.push_back({name, value});
    Properties environment = l.object();
    environment.set({"Variables", "variables"}, Value(std::move(variables)));
    fn.properties().set({"Environment", "environment"}, environment);
  }
  if (!p.subnets.empty()) {
    Properties vpc = l.object();
    vpc.set({"SubnetIds", "subnet_ids"}, ec2::subnet_ids(p.subnets))
        .set({"SecurityGroupIds", "security_group_ids"}, ec2::group_ids(p.security_groups));
    fn.properties().set({"VpcConfig", "vpc_config"}, vpc);
  }
  if (p.log_group) {
    Properties logging = l.object();
    logging.set({"LogFormat", "log_format"}, "JSON").set({"LogGroup", "log_group"}, p.log_group->log_group_name());
    fn.properties().set({"LoggingConfig", "logging_config"}, logging);
    // The reference also orders creation: the function never logs before its group exists with
    // retention and a key (otherwise Lambda would create an unencrypted group that never expires).
  }
  if (p.dead_letter) {
    Properties dead_letter = l.object();
    dead_letter.set({"TargetArn", "target_arn"}, p.dead_letter.arn());
    fn.properties().set({"DeadLetterConfig", "dead_letter_config"}, dead_letter);
  }
  // Lambda checks, when it creates the function, that the role may send to the dead-letter target
  // and, in a VPC, manage network interfaces: wait for the role's grants (queue.grant_send_messages(fn),
  // role.add_to_policy(...)), attached in Terraform by their attachment.
  const iam::GrantPolicy* grants = p.role ? p.role->grant_policy() : nullptr;
  if ((p.dead_letter || !p.subnets.empty()) && grants != nullptr && grants->stack() == stack()) {
    fn.depends_on(*grants, l.is_terraform() ? iam::GrantPolicy::kAttachmentSuffix : std::string_view());
  }
  if (!p.layers.empty()) fn.properties().set({"Layers", "layers"}, ValueList(p.layers));
  if (p.active_tracing) {
    Properties tracing = l.object();
    tracing.set({"Mode", "mode"}, "Active");
    fn.properties().set({"TracingConfig", "tracing_config"}, tracing);
  }
  fn.tags(p.tags);

  if (l.is_cloudformation()) {
    Properties code = l.object();
    code.set({"ZipFile", {}}, p.code.source);
    fn.properties().set({"Code", {}}, code);
    return;
  }
  // Terraform has no inline code: the same source goes into a deterministic zip beside
  // main.tf.json, and its hash makes Terraform redeploy exactly when the source changes.
  const detail::ZipEntry entry{p.code.file_name, p.code.source, 0644};
  const std::string zip = detail::make_zip(std::span<const detail::ZipEntry>(&entry, 1));
  // Content-addressed, like CDK assets: functions with the same code share one file, and the
  // name changes exactly when the code does.
  const auto digest = detail::sha256(zip);
  const std::string path = "lambda/" + detail::hex(digest).substr(0, 16) + ".zip";
  fn.properties().set_node("filename", "${path.module}/" + path).terraform("source_code_hash", detail::base64(digest));
  l.add_asset({path, zip});
}

namespace {

// arn:<partition>:lambda:<region>:<account>:layer:<name>:<version>, as CloudFormation checks it.
bool is_layer_version_arn(std::string_view arn) {
  std::vector<std::string_view> parts;
  while (true) {
    const auto colon = arn.find(':');
    parts.push_back(arn.substr(0, colon));
    if (colon == std::string_view::npos) break;
    arn.remove_prefix(colon + 1);
  }
  auto digits = [](std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  };
  return parts.size() == 8 && parts[0] == "arn" && !parts[1].empty() && parts[2] == "lambda" && !parts[3].empty() &&
         parts[4].size() == 12 && digits(parts[4]) && parts[5] == "layer" && !parts[6].empty() &&
         std::all_of(parts[6].begin(), parts[6].end(), detail::is_lambda_name_char) && digits(parts[7]);
}

void validate_dead_letter_and_layers(const detail::Checker& check, const FunctionProps& p, const Function& fn) {
  if (const sqs::Queue* queue = p.dead_letter.queue(); queue != nullptr && queue->props().fifo) {
    check.error("HS2004", "'dead_letter' queue " + queue->path() +
                              " is FIFO; Lambda sends failed events only to "
                              "a standard queue or topic");
  }
  if (const sns::Topic* topic = p.dead_letter.topic(); topic != nullptr && topic->props().fifo) {
    check.error("HS2004", "'dead_letter' topic " + topic->path() +
                              " is FIFO; Lambda sends failed events only to "
                              "a standard queue or topic");
  }
  if (p.layers.size() > Function::kMaxLayers) {
    check.error("HS2004", "'layers' has " + std::to_string(p.layers.size()) + " layers; Lambda accepts at most 5");
  }
  std::vector<std::string> seen;
  for (const auto& layer : p.layers) {
    const auto text = detail::literal_text(layer, fn);
    if (!text) continue;  // only known at deploy time
    if (!is_layer_version_arn(*text)) {
      check.error("HS2004", "'layers' entry '" + *text + "' is not a layer version ARN",
                  "write it as arn:<partition>:lambda:<region>:<account>:layer:<name>:<version>");
    } else if (std::find(seen.begin(), seen.end(), *text) != seen.end()) {
      check.error("HS2004", "'layers' lists '" + *text + "' twice");
    }
    seen.push_back(*text);
  }
}

}  // namespace

void Function::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  check.required(p.role, "role");
  check.required(p.code.source, "code");
  check.name(p.function_name, "function_name", 64, detail::is_lambda_name_char, "A-Z a-z 0-9 _-");
  check.range(p.timeout_seconds, "timeout_seconds", 1, 900);
  check.range(p.memory_mb, "memory_mb", 128, 10240);
  if (p.code.source.size() > kMaxInlineBytes) {
    check.error("HS2004", "inline code is " + std::to_string(p.code.source.size()) +
                              " bytes; CloudFormation accepts at most 4096");
  }
  if (!p.subnets.empty() && p.security_groups.empty()) {
    check.error("HS2001", "a function in a VPC needs 'security_groups'");
  }
  validate_dead_letter_and_layers(check, p, *this);
  for (const auto& grant : grants_without_role_) {
    check.error(
        "HS3007",
        "function " + path() + " was granted " + grant + ", but it has no iam::Role of this app to hold the grant",
        "give the function a role (.role = role) built in this app, or grant to an iam::Role");
  }
}

void Permission::lower(Lowering& l) const {
  const auto& p = props();
  l.add(*this)
      .properties()
      .set({"FunctionName", "function_name"}, p.function ? p.function->function_name() : Value())
      .set({"Action", "action"}, p.action)
      .set({"Principal", "principal"}, p.principal)
      .set({"SourceArn", "source_arn"}, p.source_arn);
}

void Permission::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().function, "function");
  check.required(props().principal, "principal");
}

}  // namespace hipaa::lambda
