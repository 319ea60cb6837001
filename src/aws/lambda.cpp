#include "hipaa/aws/lambda.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>
#include <utility>

#include "core/origins.hpp"

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

  lower_code(l, fn);
}

namespace {

// A zip written beside the document, content-addressed like CDK assets: functions with the same
// code share one file, and the name changes exactly when the code does. `source` is the user's
// path the zip was packaged from ("" for inline code). Returns the zip's path below the stack's
// output directory and the digest.
std::pair<std::string, std::array<std::uint8_t, 32>> add_zip(Lowering& l, std::string zip, const std::string& source) {
  const auto digest = detail::sha256(zip);
  std::string path = "lambda/" + detail::hex(digest).substr(0, 16) + ".zip";
  l.add_asset({path, std::move(zip), source});
  return {std::move(path), digest};
}

}  // namespace

void Function::lower_code(Lowering& l, TargetResource& fn) const {
  const Code& code = props().code;
  if (l.is_cloudformation() && !code.package) {
    Properties inline_code = l.object();
    inline_code.set({"ZipFile", {}}, code.source);
    fn.properties().set({"Code", {}}, inline_code);
    return;
  }
  if (code.package && !code.package->problem.empty()) return;  // reported by validate
  if (l.is_cloudformation()) {
    // The local-artifact form `aws cloudformation package` knows: Code is the zip's path relative
    // to the template (<Stack>.template.yaml beside the <Stack>/ directory); package uploads it to
    // S3 as it is and rewrites Code to S3Bucket/S3Key.
    const auto [path, digest] = add_zip(l, code.package->zip, code.package->path);
    fn.properties().set({"Code", {}}, stack()->id() + "/" + path);
    return;
  }
  // Terraform has no inline code: inline source goes into a one-entry deterministic zip too, and
  // the zip's hash makes Terraform redeploy exactly when the code changes. Terraform uploads the
  // zip directly, where Lambda takes at most 50 MB.
  std::string zip;
  if (code.package) {
    zip = code.package->zip;
  } else {
    const detail::ZipEntry entry{code.file_name, code.source, 0644};
    zip = detail::make_zip(std::span<const detail::ZipEntry>(&entry, 1));
  }
  if (code.package && zip.size() > kMaxDirectUploadBytes) {
    Diagnostic d = detail::at(
        *this, "HS2011",
        "code from '" + code.package->path + "' is " + std::to_string(zip.size()) +
            " bytes zipped; Terraform uploads it directly (filename), where Lambda accepts at most " +
            std::to_string(kMaxDirectUploadBytes) + " (50 MB)",
        "leave large dependencies to a layer (.layers), or deploy with CloudFormation, whose package step uploads "
        "through S3 (250 MB unzipped)");
    detail::locate_at(d, code.package->where);
    l.report(std::move(d));
    return;
  }
  const auto [path, digest] = add_zip(l, std::move(zip), code.package ? code.package->path : std::string());
  fn.properties().set_node("filename", "${path.module}/" + path).terraform("source_code_hash", detail::base64(digest));
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

// HS2004: inline code over CloudFormation's limit (one limit for both targets, so a stack
// synthesizes for either); HS2011: code from files that could not be packaged, at the call's line.
void validate_code(const detail::Checker& check, const Code& code, Diagnostics& out, const Function& fn) {
  if (!code.package) {
    if (code.source.size() > Function::kMaxInlineBytes) {
      check.error("HS2004",
                  "function " + fn.path() + " has " + std::to_string(code.source.size()) + " bytes of inline code ('" +
                      code.file_name + "'); CloudFormation's ZipFile accepts at most " +
                      std::to_string(Function::kMaxInlineBytes),
                  R"(package it from files: .code = lambda::Code::from_file(")" + code.file_name +
                      R"(") or lambda::Code::from_directory("DIR"))");
    }
    return;
  }
  if (code.package->problem.empty()) return;
  std::error_code ec;
  Diagnostic d = detail::at(
      fn, "HS2011", "code for function " + fn.path() + " from '" + code.package->path + "' " + code.package->problem,
      "give Code::from_file a readable regular file, or Code::from_directory a directory of "
      "them, relative to the working directory (" +
          std::filesystem::current_path(ec).generic_string() + ")");
  detail::locate_at(d, code.package->where);
  out.push_back(std::move(d));
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
  if (!p.code.package) check.required(p.code.source, "code");
  check.name(p.function_name, "function_name", 64, detail::is_lambda_name_char, "A-Z a-z 0-9 _-");
  check.range(p.timeout_seconds, "timeout_seconds", 1, 900);
  check.range(p.memory_mb, "memory_mb", 128, 10240);
  validate_code(check, p.code, out, *this);
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
