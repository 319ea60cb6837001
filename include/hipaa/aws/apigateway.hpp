// hipaa/aws/apigateway.hpp: API Gateway REST APIs (v1): API, resources, methods with Lambda
// proxy integration, Cognito user pool authorizers, deployment, stage (with an optional encrypted
// cache and a client certificate), and the account-level CloudWatch role.
//
//   auto& api = stack.add<apigateway::RestApi>("Api", {.api_name = "patients"});
//   api.add_method("GET", "/patients/{id}", {.function = fn});  // PatientsResource, PatientsIdResource,
//                                                                // GetPatientsIdMethod beside the API
#pragma once

#include <map>
#include <optional>

#include "hipaa/aws/cloudwatch_metric.hpp"
#include "hipaa/aws/cognito.hpp"
#include "hipaa/aws/iam.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/logs.hpp"

namespace hipaa::apigateway {

class RestApi;
class ApiResource;
class Authorizer;
class Method;

enum class Authorization {
  None,
  Iam,      // AWS_IAM: SigV4-signed requests, checked against IAM policies
  Cognito,  // COGNITO_USER_POOLS: a user pool token, checked by `authorizer`
};

// A method with a Lambda proxy integration. In Terraform the integration is its own resource.
struct MethodProps {
  Ref<RestApi> api;
  Ref<ApiResource> resource;  // the API's root when empty
  std::string http_method = "ANY";
  Authorization authorization = Authorization::Iam;
  Ref<Authorizer> authorizer;                     // required with Authorization::Cognito, else empty
  std::vector<std::string> authorization_scopes;  // Cognito only: OAuth scopes an access token must carry
  Ref<lambda::Function> function;
  int integration_timeout_ms = 29000;
};

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

  // The resource at `path` ("/patients/{id}"): one ApiResource per segment, made beside the API
  // the first time a path reaches it, with an id from its path ("PatientsIdResource"), and shared
  // by every path below it. The root "/" is an empty Ref (the API's root resource). A path that
  // does not start with '/' or has an empty segment is error HS1008 at the call.
  Ref<ApiResource> resource_for_path(std::string_view path, SourceLocation where = SourceLocation::current());
  // A method at `path` with a Lambda proxy integration, made beside the API with an id from the
  // method and path ("GET", "/patients/{id}" -> "GetPatientsIdMethod"); `props` give the rest
  // (api, resource and http_method are the call's).
  Method& add_method(std::string_view http_method, std::string_view path, MethodProps props,
                     SourceLocation where = SourceLocation::current());

  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;

 private:
  std::map<std::string, ApiResource*, std::less<>> resources_;  // by path, made by resource_for_path
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

// Lets a method accept the ID or access tokens of Cognito user pools (COGNITO_USER_POOLS): API
// Gateway checks the token's signature, expiry and issuer before the method runs.
struct AuthorizerProps {
  Ref<RestApi> api;
  Value authorizer_name;               // 1-128 characters
  Refs<cognito::UserPool> user_pools;  // at least one, at most 1000
  std::string identity_source = "method.request.header.Authorization";
  int result_ttl_seconds = 300;  // 0-3600: how long API Gateway caches a token's validation
};

class Authorizer final : public Node<Authorizer, AuthorizerProps> {
 public:
  static constexpr NodeInfo kInfo{.name = "apigateway::Authorizer",
                                  .summary = "A Cognito user pool authorizer of a REST API",
                                  .tagging = Tagging::None,
                                  .types = {cloudformation_type("AWS::ApiGateway::Authorizer", "RestApiId"),
                                            terraform_type("aws_api_gateway_authorizer", "rest_api_id")}};
  [[nodiscard]] Value authorizer_id() const { return attribute({"", "id"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

class Method final : public Node<Method, MethodProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "apigateway::Method",
      .summary =
          "A REST method (IAM, Cognito or no authorization) with a Lambda proxy integration (inline in "
          "CloudFormation, its own resource in Terraform)",
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

// A client certificate API Gateway presents to HTTP backends, which can then tell its requests
// from others. (Lambda integrations are invoked through IAM and do not use it.)
struct ClientCertificateProps {
  std::string description;
  Tags tags;
};

class ClientCertificate final : public Node<ClientCertificate, ClientCertificateProps> {
 public:
  static constexpr NodeInfo kInfo{.name = "apigateway::ClientCertificate",
                                  .summary = "A client certificate a REST API stage presents to its backends",
                                  .tagging = Tagging::KeyValueList,
                                  .types = {cloudformation_type("AWS::ApiGateway::ClientCertificate"),
                                            terraform_type("aws_api_gateway_client_certificate")}};
  [[nodiscard]] Value client_certificate_id() const { return attribute({"", "id"}); }
  void lower(Lowering& l) const override;
};

// The cache cluster of a stage, in which cached responses are kept.
struct CacheCluster {
  std::string size = "0.5";  // GB: 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118 or 237
};

struct MethodSettings {
  std::string logging_level = "INFO";  // "OFF", "ERROR" or "INFO"
  bool data_trace = false;             // logs full request and response bodies: never for PHI
  bool metrics = true;
  std::optional<int> throttling_burst_limit;
  std::optional<double> throttling_rate_limit;
  // Response caching; needs the stage's cache_cluster. Cached responses hold PHI, so they are
  // encrypted unless cache_data_encrypted is explicitly false (HIPAA-API-9 reports that). The
  // cache key is the method and path (plus any cache key parameters), not the caller: cache only
  // responses every caller allowed to call the method may see.
  bool caching_enabled = false;
  bool cache_data_encrypted = true;
  int cache_ttl_seconds = 300;  // 0-3600
  // Only callers allowed execute-api:InvalidateCache may flush an entry with Cache-Control:
  // max-age=0; other such requests are served normally, with a warning header.
  bool require_authorization_for_cache_control = true;
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
  Ref<ClientCertificate> client_certificate;
  std::optional<CacheCluster> cache_cluster;
  Tags tags;
};

class Stage final : public Node<Stage, StageProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "apigateway::Stage",
      .summary =
          "A REST API stage with access logs, tracing, method settings (inline in CloudFormation, their own "
          "resource in Terraform), an optional encrypted response cache and a client certificate",
      .tagging = Tagging::KeyValueList,
      .types = {cloudformation_type("AWS::ApiGateway::Stage", "RestApiId StageName"),
                terraform_type("aws_api_gateway_stage", "rest_api_id stage_name"),
                terraform_type("aws_api_gateway_method_settings", "method_path rest_api_id stage_name")}};
  static constexpr std::string_view kMethodSettingsSuffix = "MethodSettings";
  [[nodiscard]] Value stage_name() const { return attribute({"", "stage_name"}); }
  // One of the stage's AWS/ApiGateway metrics ("5XXError", "Latency"), by ApiName and Stage.
  [[nodiscard]] cloudwatch::Metric metric(std::string metric_name,
                                          cloudwatch::Statistic statistic = cloudwatch::Statistic::Average) const;
  // arn:<partition>:apigateway:<region>::/restapis/<api id>/stages/<stage name>, what a web ACL is
  // associated with.
  [[nodiscard]] Value arn() const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

}  // namespace hipaa::apigateway
