// hipaa/aws/apigatewayv2.hpp: API Gateway HTTP APIs (v2): API, stage, Lambda integration, JWT
// authorizers, routes.
//
//   auto& api = stack.add<apigatewayv2::HttpApi>("Api", {.api_name = "patients"});
//   auto& integration = stack.add<apigatewayv2::Integration>("Fn", {.api = api, .function = fn});
//   api.add_route("GET /patients/{id}", {.integration = integration});  // GetPatientsIdRoute
#pragma once

#include <optional>

#include "hipaa/aws/cloudwatch_metric.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/logs.hpp"

namespace hipaa::apigatewayv2 {

class HttpApi;
class Integration;
class Authorizer;
class Route;

enum class RouteAuthorization {
  None,
  Iam,  // AWS_IAM: SigV4-signed requests, checked against IAM policies
  Jwt,  // JWT: a token checked by `authorizer`
};

struct RouteProps {
  Ref<HttpApi> api;
  std::string route_key;  // "GET /patients/{id}"
  Ref<Integration> integration;
  RouteAuthorization authorization = RouteAuthorization::Iam;
  Ref<Authorizer> authorizer;                     // required with RouteAuthorization::Jwt, else empty
  std::vector<std::string> authorization_scopes;  // JWT only: scopes the token must carry (any one)
};

struct Cors {
  std::vector<std::string> allow_origins;
  std::vector<std::string> allow_methods;
  std::vector<std::string> allow_headers;
  int max_age_seconds = 300;
};

struct HttpApiProps {
  Value api_name;
  std::string description;
  std::optional<Cors> cors;
  Tags tags;
};

class HttpApi final : public Node<HttpApi, HttpApiProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "apigatewayv2::HttpApi",
      .summary = "An HTTP API, with optional CORS",
      .tagging = Tagging::Map,
      .types = {cloudformation_type("AWS::ApiGatewayV2::Api", "ProtocolType"),
                terraform_type("aws_apigatewayv2_api", "credentials_arn protocol_type route_key target")}};
  [[nodiscard]] Value api_id() const { return attribute({"", "id"}); }
  [[nodiscard]] Value api_endpoint() const { return attribute({"ApiEndpoint", "api_endpoint"}); }
  [[nodiscard]] Value execution_arn() const;

  // A route, made beside the API with an id from its key ("GET /patients/{id}" ->
  // "GetPatientsIdRoute"); `props` give the rest (api and route_key are the call's).
  Route& add_route(std::string route_key, RouteProps props, SourceLocation where = SourceLocation::current());

  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct StageProps {
  Ref<HttpApi> api;
  std::string stage_name = "$default";
  bool auto_deploy = true;
  Ref<logs::LogGroup> access_log_group;
  std::string access_log_format;
  std::optional<int> throttling_burst_limit;
  std::optional<double> throttling_rate_limit;
  bool detailed_metrics = true;
  Tags tags;
};

class Stage final : public Node<Stage, StageProps> {
 public:
  static constexpr NodeInfo kInfo{.name = "apigatewayv2::Stage",
                                  .summary = "The auto-deployed stage of an HTTP API, with access logs and throttling",
                                  .tagging = Tagging::Map,
                                  .types = {cloudformation_type("AWS::ApiGatewayV2::Stage", "ApiId StageName"),
                                            terraform_type("aws_apigatewayv2_stage", "api_id name")}};
  // One of the stage's AWS/ApiGateway metrics ("5xx", "Latency"), by ApiId and Stage.
  [[nodiscard]] cloudwatch::Metric metric(std::string metric_name,
                                          cloudwatch::Statistic statistic = cloudwatch::Statistic::Average) const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct IntegrationProps {
  Ref<HttpApi> api;
  Ref<lambda::Function> function;
  std::string payload_format_version = "2.0";
  int timeout_ms = 29000;
};

class Integration final : public Node<Integration, IntegrationProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "apigatewayv2::Integration",
      .summary = "A Lambda proxy integration of an HTTP API",
      .tagging = Tagging::None,
      .types = {cloudformation_type("AWS::ApiGatewayV2::Integration", "ApiId"),
                terraform_type("aws_apigatewayv2_integration", "api_id integration_subtype integration_type")}};
  [[nodiscard]] Value integration_id() const { return attribute({"", "id"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// Lets routes accept JSON Web Tokens from an OpenID Connect issuer, such as a Cognito user pool:
// API Gateway checks the signature (with the issuer's published keys), expiry, issuer and audience
// before the route runs.
struct AuthorizerProps {
  Ref<HttpApi> api;
  Value authorizer_name;  // 1-128 characters
  Value issuer;           // https://...: e.g. cognito::UserPool::issuer()
  // Accepted "aud" claims (Cognito access tokens: "client_id"), e.g. UserPoolClient::client_id().
  std::vector<Value> audience;
  std::string identity_source = "$request.header.Authorization";
};

class Authorizer final : public Node<Authorizer, AuthorizerProps> {
 public:
  static constexpr NodeInfo kInfo{.name = "apigatewayv2::Authorizer",
                                  .summary = "A JWT authorizer of an HTTP API",
                                  .tagging = Tagging::None,
                                  .types = {cloudformation_type("AWS::ApiGatewayV2::Authorizer", "ApiId"),
                                            terraform_type("aws_apigatewayv2_authorizer", "api_id")}};
  [[nodiscard]] Value authorizer_id() const { return attribute({"", "id"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

class Route final : public Node<Route, RouteProps> {
 public:
  static constexpr NodeInfo kInfo{.name = "apigatewayv2::Route",
                                  .summary = "A route of an HTTP API: IAM- or JWT-authorized, or open",
                                  .tagging = Tagging::None,
                                  .types = {cloudformation_type("AWS::ApiGatewayV2::Route", "ApiId"),
                                            terraform_type("aws_apigatewayv2_route", "api_id")}};
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

}  // namespace hipaa::apigatewayv2
