// hipaa/aws/apigateway.hpp: API Gateway REST APIs (v1): API, resources, methods with Lambda
// proxy integration, deployment, stage, and the account-level CloudWatch role.
//
//   auto& api = stack.add<apigateway::RestApi>("Api", {.api_name = "patients"});
//   auto& patients = stack.add<apigateway::ApiResource>("Patients", {.api = api, .path_part = "patients"});
//   stack.add<apigateway::Method>("PatientsAny", {.api = api, .resource = patients, .function = fn});
#pragma once

#include <optional>

#include "hipaa/aws/iam.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/logs.hpp"

namespace hipaa::apigateway {

struct RestApiProps {
  Value api_name;
  std::string description;
  std::string endpoint_type = "REGIONAL";
  iam::PolicyDocument resource_policy;  // optional
  Tags tags;
};

class RestApi : public ResourceWith<RestApiProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::ApiGateway::RestApi", "aws_api_gateway_rest_api", Tagging::KeyValueList};
  [[nodiscard]] ResourceType type() const override { return kType; }
  [[nodiscard]] Value api_id() const { return attribute({"", "id"}); }
  [[nodiscard]] Value root_resource_id() const { return attribute({"RootResourceId", "root_resource_id"}); }
  // arn:<partition>:execute-api:<region>:<account>:<api id>
  [[nodiscard]] Value execution_arn() const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct ApiResourceProps {
  Ref<RestApi> api;
  Ref<class ApiResource> parent;  // the API's root when empty
  std::string path_part;
};

class ApiResource : public ResourceWith<ApiResourceProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::ApiGateway::Resource", "aws_api_gateway_resource", Tagging::None};
  [[nodiscard]] ResourceType type() const override { return kType; }
  [[nodiscard]] Value resource_id() const { return attribute({"", "id"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

enum class Authorization { None, Iam };

// A method with a Lambda proxy integration. In Terraform the integration is its own resource.
struct MethodProps {
  Ref<RestApi> api;
  Ref<ApiResource> resource;
  std::string http_method = "ANY";
  Authorization authorization = Authorization::Iam;
  Ref<lambda::Function> function;
  int integration_timeout_ms = 29000;
};

class Method : public ResourceWith<MethodProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::ApiGateway::Method", "aws_api_gateway_method", Tagging::None};
  static constexpr std::string_view kIntegrationSuffix = "Integration";
  [[nodiscard]] ResourceType type() const override { return kType; }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct DeploymentProps {
  Ref<RestApi> api;
  std::string description;
  Refs<Method> methods;  // deployed after these exist; Terraform redeploys when they change
};

class Deployment : public ResourceWith<DeploymentProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::ApiGateway::Deployment", "aws_api_gateway_deployment", Tagging::None};
  [[nodiscard]] ResourceType type() const override { return kType; }
  [[nodiscard]] Value deployment_id() const { return attribute({"", "id"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// The account-level setting that lets API Gateway write execution logs to CloudWatch Logs.
struct AccountProps {
  Ref<iam::Role> cloudwatch_role;
};

class Account : public ResourceWith<AccountProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::ApiGateway::Account", "aws_api_gateway_account", Tagging::None};
  [[nodiscard]] ResourceType type() const override { return kType; }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct MethodSettings {
  std::string logging_level = "INFO";  // "OFF", "ERROR" or "INFO"
  bool data_trace = false;             // logs full request and response bodies: never for PHI
  bool metrics = true;
  std::optional<int> throttling_burst_limit;
  std::optional<double> throttling_rate_limit;
};

struct StageProps {
  Ref<RestApi> api;
  Ref<Deployment> deployment;
  std::string stage_name = "prod";
  std::string description;
  Ref<logs::LogGroup> access_log_group;
  std::string access_log_format;
  std::optional<MethodSettings> method_settings;
  bool tracing = true;
  Ref<Account> account;  // execution logging needs the account's CloudWatch role first
  Tags tags;
};

class Stage : public ResourceWith<StageProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::ApiGateway::Stage", "aws_api_gateway_stage", Tagging::KeyValueList};
  static constexpr std::string_view kMethodSettingsSuffix = "MethodSettings";
  [[nodiscard]] ResourceType type() const override { return kType; }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

}  // namespace hipaa::apigateway
