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

class RestApi final : public Node<RestApi, RestApiProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "apigateway::RestApi",
      .summary = "A REST API (regional), with an optional resource policy",
      .tagging = Tagging::KeyValueList,
      .types = {cloudformation_type("AWS::ApiGateway::RestApi"), terraform_type("aws_api_gateway_rest_api")}};
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

class ApiResource final : public Node<ApiResource, ApiResourceProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "apigateway::ApiResource",
      .summary = "A path segment of a REST API",
      .tagging = Tagging::None,
      .types = {cloudformation_type("AWS::ApiGateway::Resource", "ParentId PathPart RestApiId"),
                terraform_type("aws_api_gateway_resource", "rest_api_id")}};
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

class Method final : public Node<Method, MethodProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "apigateway::Method",
      .summary =
          "A REST method with a Lambda proxy integration (inline in CloudFormation, its own resource in Terraform)",
      .tagging = Tagging::None,
      .types = {
          cloudformation_type("AWS::ApiGateway::Method", "HttpMethod ResourceId RestApiId"),
          terraform_type("aws_api_gateway_method", "http_method resource_id rest_api_id"),
          terraform_type(
              "aws_api_gateway_integration",
              "credentials http_method integration_http_method passthrough_behavior resource_id rest_api_id type")}};
  static constexpr std::string_view kIntegrationSuffix = "Integration";
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct DeploymentProps {
  Ref<RestApi> api;
  std::string description;
  Refs<Method> methods;  // deployed after these exist; Terraform redeploys when they change
};

class Deployment final : public Node<Deployment, DeploymentProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "apigateway::Deployment",
      .summary = "A deployment of a REST API; Terraform redeploys when a method changes",
      .tagging = Tagging::None,
      .types = {cloudformation_type("AWS::ApiGateway::Deployment", "DeploymentCanarySettings RestApiId"),
                terraform_type("aws_api_gateway_deployment", "rest_api_id triggers variables")}};
  [[nodiscard]] Value deployment_id() const { return attribute({"", "id"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// The account-level setting that lets API Gateway write execution logs to CloudWatch Logs.
struct AccountProps {
  Ref<iam::Role> cloudwatch_role;
};

class Account final : public Node<Account, AccountProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "apigateway::Account",
      .summary = "The account-level CloudWatch role API Gateway writes execution logs with",
      .tagging = Tagging::None,
      .types = {cloudformation_type("AWS::ApiGateway::Account"), terraform_type("aws_api_gateway_account")}};
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

class Stage final : public Node<Stage, StageProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "apigateway::Stage",
      .summary =
          "A REST API stage with access logs, tracing and method settings (inline in CloudFormation, their own "
          "resource in Terraform)",
      .tagging = Tagging::KeyValueList,
      .types = {cloudformation_type("AWS::ApiGateway::Stage", "RestApiId StageName"),
                terraform_type("aws_api_gateway_stage", "rest_api_id stage_name"),
                terraform_type("aws_api_gateway_method_settings", "method_path rest_api_id stage_name")}};
  static constexpr std::string_view kMethodSettingsSuffix = "MethodSettings";
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

}  // namespace hipaa::apigateway
