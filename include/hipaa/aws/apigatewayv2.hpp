// hipaa/aws/apigatewayv2.hpp: API Gateway HTTP APIs (v2): API, stage, Lambda integration, routes.
//
//   auto& api = stack.add<apigatewayv2::HttpApi>("Api", {.api_name = "patients"});
//   auto& integration = stack.add<apigatewayv2::Integration>("Fn", {.api = api, .function = fn});
//   stack.add<apigatewayv2::Route>("Get", {.api = api, .route_key = "GET /patients/{id}", .integration = integration});
#pragma once

#include <optional>

#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/logs.hpp"

namespace hipaa::apigatewayv2 {

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

class HttpApi : public ResourceWith<HttpApiProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::ApiGatewayV2::Api", "aws_apigatewayv2_api", Tagging::Map};
  [[nodiscard]] ResourceType type() const override { return kType; }
  [[nodiscard]] Value api_id() const { return attribute({"", "id"}); }
  [[nodiscard]] Value api_endpoint() const { return attribute({"ApiEndpoint", "api_endpoint"}); }
  [[nodiscard]] Value execution_arn() const;
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

class Stage : public ResourceWith<StageProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::ApiGatewayV2::Stage", "aws_apigatewayv2_stage", Tagging::Map};
  [[nodiscard]] ResourceType type() const override { return kType; }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct IntegrationProps {
  Ref<HttpApi> api;
  Ref<lambda::Function> function;
  std::string payload_format_version = "2.0";
  int timeout_ms = 29000;
};

class Integration : public ResourceWith<IntegrationProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::ApiGatewayV2::Integration", "aws_apigatewayv2_integration", Tagging::None};
  [[nodiscard]] ResourceType type() const override { return kType; }
  [[nodiscard]] Value integration_id() const { return attribute({"", "id"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

enum class RouteAuthorization { None, Iam };

struct RouteProps {
  Ref<HttpApi> api;
  std::string route_key;  // "GET /patients/{id}"
  Ref<Integration> integration;
  RouteAuthorization authorization = RouteAuthorization::Iam;
};

class Route : public ResourceWith<RouteProps> {
 public:
  using ResourceWith::ResourceWith;
  static constexpr ResourceType kType{"AWS::ApiGatewayV2::Route", "aws_apigatewayv2_route", Tagging::None};
  [[nodiscard]] ResourceType type() const override { return kType; }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

}  // namespace hipaa::apigatewayv2
