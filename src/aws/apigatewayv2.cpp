#include "hipaa/aws/apigatewayv2.hpp"

#include "validate/checks.hpp"

namespace hipaa::apigatewayv2 {
namespace {

bool is_printable_ascii(char c) { return c >= 0x20 && c < 0x7f; }

std::string_view authorization_type(RouteAuthorization a) {
  switch (a) {
    case RouteAuthorization::None: return "NONE";
    case RouteAuthorization::Iam: return "AWS_IAM";
    case RouteAuthorization::Jwt: return "JWT";
  }
  return "AWS_IAM";
}

}  // namespace

Value HttpApi::execution_arn() const {
  return interpolate({"arn:", partition(), ":execute-api:", region(), ":", account_id(), ":", api_id()});
}

Route& HttpApi::add_route(std::string route_key, RouteProps props, SourceLocation where) {
  std::string id = pascal_case(route_key, WordCase::Lower) + "Route";
  props.api = *this;
  props.route_key = std::move(route_key);
  return enclosing_scope()->add<Route>(std::move(id), std::move(props), where);
}

cloudwatch::Metric Stage::metric(std::string metric_name, cloudwatch::Statistic statistic) const {
  const auto& p = props();
  return {.namespace_name = "AWS/ApiGateway",
          .metric_name = std::move(metric_name),
          .dimensions = {{"ApiId", p.api ? p.api->api_id() : Value()}, {"Stage", p.stage_name}},
          .statistic = statistic};
}

void HttpApi::lower(Lowering& l) const {
  const auto& p = props();
  auto& api = l.add(*this);
  api.properties()
      .set({"Name", "name"}, p.api_name)
      .set({"Description", "description"}, p.description)
      .set({"ProtocolType", "protocol_type"}, "HTTP");
  if (p.cors) {
    Properties cors = l.object();
    cors.set({"AllowOrigins", "allow_origins"}, Value(p.cors->allow_origins))
        .set({"AllowMethods", "allow_methods"}, Value(p.cors->allow_methods))
        .set({"AllowHeaders", "allow_headers"}, Value(p.cors->allow_headers))
        .set({"MaxAge", "max_age"}, p.cors->max_age_seconds);
    api.properties().set({"CorsConfiguration", "cors_configuration"}, cors);
  }
  api.tags(p.tags);
}

void HttpApi::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().api_name, "api_name");
  check.name(props().api_name, "api_name", 128, is_printable_ascii, "printable ASCII");
}

void Stage::lower(Lowering& l) const {
  const auto& p = props();
  auto& stage = l.add(*this);
  stage.properties()
      .set({"ApiId", "api_id"}, p.api ? p.api->api_id() : Value())
      .set({"StageName", "name"}, p.stage_name)
      .set({"AutoDeploy", "auto_deploy"}, p.auto_deploy);
  if (p.access_log_group) {
    Properties access = l.object();
    access.set({"DestinationArn", "destination_arn"}, p.access_log_group->arn())
        .set({"Format", "format"}, p.access_log_format);
    stage.properties().set({"AccessLogSettings", "access_log_settings"}, access);
  }
  Properties defaults = l.object();
  defaults.set({"ThrottlingBurstLimit", "throttling_burst_limit"}, p.throttling_burst_limit)
      .set({"ThrottlingRateLimit", "throttling_rate_limit"}, p.throttling_rate_limit)
      .set({"DetailedMetricsEnabled", "detailed_metrics_enabled"}, p.detailed_metrics);
  stage.properties().set({"DefaultRouteSettings", "default_route_settings"}, defaults);
  stage.tags(p.tags);
}

void Stage::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().api, "api");
  if (props().access_log_group) check.required(props().access_log_format, "access_log_format");
}

void Integration::lower(Lowering& l) const {
  const auto& p = props();
  l.add(*this)
      .properties()
      .set({"ApiId", "api_id"}, p.api ? p.api->api_id() : Value())
      .set({"IntegrationType", "integration_type"}, "AWS_PROXY")
      .set({"IntegrationUri", "integration_uri"}, p.function ? p.function->arn() : Value())
      .set({"IntegrationMethod", "integration_method"}, "POST")
      .set({"PayloadFormatVersion", "payload_format_version"}, p.payload_format_version)
      .set({"TimeoutInMillis", "timeout_milliseconds"}, p.timeout_ms);
}

void Integration::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().api, "api");
  check.required(props().function, "function");
  check.range(props().timeout_ms, "timeout_ms", 50, 30000);
}

void Authorizer::lower(Lowering& l) const {
  const auto& p = props();
  Properties jwt = l.object();
  jwt.set({"Issuer", "issuer"}, p.issuer).set({"Audience", "audience"}, Value(ValueList(p.audience)));
  l.add(*this)
      .properties()
      .set({"ApiId", "api_id"}, p.api ? p.api->api_id() : Value())
      .set({"Name", "name"}, p.authorizer_name)
      .set({"AuthorizerType", "authorizer_type"}, "JWT")
      .set({"IdentitySource", "identity_sources"}, Value(std::vector<std::string>{p.identity_source}))
      .set({"JwtConfiguration", "jwt_configuration"}, std::move(jwt));
}

void Authorizer::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  check.required(p.api, "api");
  check.required(p.authorizer_name, "authorizer_name");
  check.name(p.authorizer_name, "authorizer_name", 128, is_printable_ascii, "printable ASCII");
  check.required(p.issuer, "issuer");
  if (auto issuer = detail::literal_text(p.issuer, *this); issuer && !issuer->starts_with("https://")) {
    check.error("HS2004", "'issuer' is '" + *issuer + "'; a JWT issuer is an https:// URL",
                "use the identity provider's issuer, e.g. cognito::UserPool::issuer()");
  }
  check.required_list(p.audience, "audience");
  if (!p.identity_source.starts_with("$request.header.") || p.identity_source.size() == 16) {
    check.error("HS2004", "'identity_source' is '" + p.identity_source + "'; a JWT authorizer reads a header",
                "use $request.header.<name>, e.g. $request.header.Authorization");
  }
}

void Route::lower(Lowering& l) const {
  const auto& p = props();
  auto& route = l.add(*this);
  route.properties()
      .set({"ApiId", "api_id"}, p.api ? p.api->api_id() : Value())
      .set({"RouteKey", "route_key"}, p.route_key)
      .set({"Target", "target"},
           p.integration ? interpolate({"integrations/", p.integration->integration_id()}) : Value())
      .set({"AuthorizationType", "authorization_type"}, authorization_type(p.authorization));
  if (p.authorizer) route.properties().set({"AuthorizerId", "authorizer_id"}, p.authorizer->authorizer_id());
  if (!p.authorization_scopes.empty()) {
    route.properties().set({"AuthorizationScopes", "authorization_scopes"}, Value(p.authorization_scopes));
  }
}

void Route::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  check.required(p.api, "api");
  check.required(p.route_key, "route_key");
  check.required(p.integration, "integration");
  if (p.authorization == RouteAuthorization::Jwt) {
    check.required(p.authorizer, "authorizer");
  } else if (p.authorizer) {
    check.error("HS2004",
                "'authorizer' is set but 'authorization' is " + std::string(authorization_type(p.authorization)),
                "set authorization to RouteAuthorization::Jwt, or remove the authorizer");
  }
  if (!p.authorization_scopes.empty() && p.authorization != RouteAuthorization::Jwt) {
    check.error("HS2004", "'authorization_scopes' apply only to JWT authorization, not " +
                              std::string(authorization_type(p.authorization)));
  }
  if (p.authorizer && p.api && p.authorizer->props().api && p.authorizer->props().api.get() != p.api.get()) {
    check.error("HS2004", "'authorizer' " + p.authorizer->path() + " belongs to another HTTP API");
  }
}

}  // namespace hipaa::apigatewayv2
