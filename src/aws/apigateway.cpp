#include "hipaa/aws/apigateway.hpp"

#include <algorithm>
#include <array>

#include "validate/checks.hpp"

namespace hipaa::apigateway {
namespace {

bool is_printable_ascii(char c) { return c >= 0x20 && c < 0x7f; }

std::string_view authorization_type(Authorization a) {
  switch (a) {
    case Authorization::None: return "NONE";
    case Authorization::Iam: return "AWS_IAM";
    case Authorization::Cognito: return "COGNITO_USER_POOLS";
  }
  return "AWS_IAM";
}

constexpr std::array<std::string_view, 8> kCacheClusterSizes = {"0.5",  "1.6",  "6.1", "13.5",
                                                                "28.4", "58.2", "118", "237"};

}  // namespace

Value RestApi::execution_arn() const {
  return interpolate({"arn:", partition(), ":execute-api:", region(), ":", account_id(), ":", api_id()});
}

Ref<ApiResource> RestApi::resource_for_path(std::string_view path, SourceLocation where) {
  if (!path.starts_with('/') || (path.size() > 1 && path.ends_with('/')) || path.find("//") != std::string_view::npos) {
    add_error("HS1008", "path '" + std::string(path) + "' of " + this->path() + " is not a resource path",
              "a path starts with '/' and has no empty segment: \"/patients/{id}\"", where);
    return {};
  }
  Construct& beside = *enclosing_scope();
  Ref<ApiResource> parent;  // the root
  for (std::size_t end = 0; end != std::string_view::npos && path.size() > 1;) {
    end = path.find('/', end + 1);
    const std::string_view prefix = path.substr(0, end);  // "/patients", then "/patients/{id}"
    auto found = resources_.find(prefix);
    if (found == resources_.end()) {
      auto& made = beside.add<ApiResource>(
          pascal_case(prefix, WordCase::Lower) + "Resource",
          {.api = *this, .parent = parent, .path_part = std::string(prefix.substr(prefix.rfind('/') + 1))}, where);
      found = resources_.emplace(std::string(prefix), &made).first;
    }
    parent = *found->second;
  }
  return parent;
}

Method& RestApi::add_method(std::string_view http_method, std::string_view path, MethodProps props,
                            SourceLocation where) {
  props.api = *this;
  props.resource = resource_for_path(path, where);
  props.http_method = std::string(http_method);
  const std::string id = pascal_case(std::string(http_method) + " " + std::string(path), WordCase::Lower) + "Method";
  return enclosing_scope()->add<Method>(id, std::move(props), where);
}

cloudwatch::Metric Stage::metric(std::string metric_name, cloudwatch::Statistic statistic) const {
  const auto& p = props();
  return {.namespace_name = "AWS/ApiGateway",
          .metric_name = std::move(metric_name),
          .dimensions = {{"ApiName", p.api ? p.api->props().api_name : Value()}, {"Stage", p.stage_name}},
          .statistic = statistic};
}

void RestApi::lower(Lowering& l) const {
  const auto& p = props();
  auto& api = l.add(*this);
  Properties endpoint = l.object();
  endpoint.set({"Types", "types"}, Value(std::vector<std::string>{p.endpoint_type}));
  api.properties()
      .set({"Name", "name"}, p.api_name)
      .set({"Description", "description"}, p.description)
      .set({"EndpointConfiguration", "endpoint_configuration"}, endpoint);
  if (!p.resource_policy.empty()) {
    api.properties().set_node(l.is_cloudformation() ? "Policy" : "policy",
                              iam::lower_policy_document(l, *this, "ResourcePolicy", p.resource_policy));
  }
  api.tags(p.tags);
}

void RestApi::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().api_name, "api_name");
}

void ApiResource::lower(Lowering& l) const {
  const auto& p = props();
  l.add(*this)
      .properties()
      .set({"RestApiId", "rest_api_id"}, p.api ? p.api->api_id() : Value())
      .set({"ParentId", "parent_id"},
           p.parent ? p.parent->resource_id() : (p.api ? p.api->root_resource_id() : Value()))
      .set({"PathPart", "path_part"}, p.path_part);
}

void ApiResource::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().api, "api");
  check.required(props().path_part, "path_part");
}

void Authorizer::lower(Lowering& l) const {
  const auto& p = props();
  ValueList pools;
  for (const auto& pool : p.user_pools) pools.push_back(pool->arn());
  l.add(*this)
      .properties()
      .set({"RestApiId", "rest_api_id"}, p.api ? p.api->api_id() : Value())
      .set({"Name", "name"}, p.authorizer_name)
      .set({"Type", "type"}, "COGNITO_USER_POOLS")
      .set({"ProviderARNs", "provider_arns"}, Value(std::move(pools)))
      .set({"IdentitySource", "identity_source"}, p.identity_source)
      .set({"AuthorizerResultTtlInSeconds", "authorizer_result_ttl_in_seconds"}, p.result_ttl_seconds);
}

void Authorizer::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  check.required(p.api, "api");
  check.required(p.authorizer_name, "authorizer_name");
  check.name(p.authorizer_name, "authorizer_name", 128, is_printable_ascii, "printable ASCII");
  check.required_list(p.user_pools, "user_pools");
  if (p.user_pools.size() > 1000) {
    check.error("HS2004", "'user_pools' has " + std::to_string(p.user_pools.size()) + " pools; AWS accepts 1000");
  }
  if (!p.identity_source.starts_with("method.request.header.") || p.identity_source.size() == 22) {
    check.error("HS2004", "'identity_source' is '" + p.identity_source + "'; a Cognito authorizer reads a header",
                "use method.request.header.<name>, e.g. method.request.header.Authorization");
  }
  check.range(p.result_ttl_seconds, "result_ttl_seconds", 0, 3600);
}

namespace {

// "method.request.path.<name>" for every {name} (or {name+}) segment of a resource's path, root
// first.
std::vector<std::string> path_parameters(const ApiResource* resource) {
  std::vector<std::string> out;
  for (; resource != nullptr; resource = resource->props().parent.get()) {
    const std::string& part = resource->props().path_part;
    if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
      std::string name = part.substr(1, part.size() - 2);
      if (name.ends_with('+')) name.pop_back();
      out.insert(out.begin(), "method.request.path." + name);
    }
  }
  return out;
}

}  // namespace

void Method::lower(Lowering& l) const {
  const auto& p = props();
  // Path parameters are declared on the method and are the integration's cache keys: with a
  // stage cache, /patients/1 and /patients/2 would otherwise share one cached response.
  const std::vector<std::string> parameters = path_parameters(p.resource.get());
  const Value api = p.api ? p.api->api_id() : Value();
  const Value resource = p.resource ? p.resource->resource_id() : (p.api ? p.api->root_resource_id() : Value());
  auto& method = l.add(*this);
  method.properties()
      .set({"RestApiId", "rest_api_id"}, api)
      .set({"ResourceId", "resource_id"}, resource)
      .set({"HttpMethod", "http_method"}, p.http_method)
      .set({"AuthorizationType", "authorization"}, authorization_type(p.authorization));
  if (p.authorizer) method.properties().set({"AuthorizerId", "authorizer_id"}, p.authorizer->authorizer_id());
  if (!p.authorization_scopes.empty()) {
    method.properties().set({"AuthorizationScopes", "authorization_scopes"}, Value(p.authorization_scopes));
  }
  if (!parameters.empty()) {
    ValueMap required;
    for (const auto& parameter : parameters) required.push_back({parameter, true});
    method.properties().set({"RequestParameters", "request_parameters"}, Value(std::move(required)));
  }
  if (!p.function) return;
  const Value uri = p.function->invoke_uri();
  if (l.is_cloudformation()) {
    Properties integration = l.object();
    integration.set({"Type", {}}, "AWS_PROXY")
        .set({"IntegrationHttpMethod", {}}, "POST")
        .set({"Uri", {}}, uri)
        .set({"TimeoutInMillis", {}}, p.integration_timeout_ms);
    if (!parameters.empty()) integration.set({"CacheKeyParameters", {}}, Value(parameters));
    method.properties().set({"Integration", {}}, integration);
    return;
  }
  // Terraform models the integration as a resource of its own.
  l.add(*this, "aws_api_gateway_integration", kIntegrationSuffix)
      .properties()
      .terraform("rest_api_id", api)
      .terraform("resource_id", resource)
      .terraform("http_method", attribute({"", "http_method"}))
      .terraform("type", "AWS_PROXY")
      .terraform("integration_http_method", "POST")
      .terraform("uri", uri)
      .terraform("timeout_milliseconds", p.integration_timeout_ms)
      .terraform("cache_key_parameters", parameters.empty() ? Value() : Value(parameters));
}

void Method::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  check.required(p.api, "api");
  check.range(p.integration_timeout_ms, "integration_timeout_ms", 50, 29000);
  if (p.authorization == Authorization::Cognito) {
    check.required(p.authorizer, "authorizer");
  } else if (p.authorizer) {
    check.error("HS2004",
                "'authorizer' is set but 'authorization' is " + std::string(authorization_type(p.authorization)),
                "set authorization to Authorization::Cognito, or remove the authorizer");
  }
  if (!p.authorization_scopes.empty() && p.authorization != Authorization::Cognito) {
    check.error("HS2004", "'authorization_scopes' apply only to Cognito authorization, not " +
                              std::string(authorization_type(p.authorization)));
  }
  if (p.authorizer && p.api && p.authorizer->props().api && p.authorizer->props().api.get() != p.api.get()) {
    check.error("HS2004", "'authorizer' " + p.authorizer->path() + " belongs to another REST API");
  }
}

void Deployment::lower(Lowering& l) const {
  const auto& p = props();
  auto& deployment = l.add(*this);
  deployment.properties()
      .set({"RestApiId", "rest_api_id"}, p.api ? p.api->api_id() : Value())
      .set({"Description", "description"}, p.description);
  for (const auto& m : p.methods) deployment.depends_on(*m);
  if (l.is_terraform()) {
    for (const auto& m : p.methods) deployment.depends_on(*m, Method::kIntegrationSuffix);
    // A deployment is a snapshot: redeploy whenever a method changes.
    ValueList ids;
    for (const auto& m : p.methods) ids.push_back(m->attribute({"", "id"}));
    deployment.properties().terraform(
        "triggers", map({{"redeployment", call("sha1", {call("jsonencode", {Value(std::move(ids))})})}}));
    deployment.set_attribute("lifecycle", doc::Map{{"create_before_destroy", true}});
  }
}

void Deployment::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().api, "api");
  check.required_list(props().methods, "methods");
}

void Account::lower(Lowering& l) const {
  l.add(*this).properties().set({"CloudWatchRoleArn", "cloudwatch_role_arn"},
                                props().cloudwatch_role ? props().cloudwatch_role->arn() : Value());
}

void Account::validate(Diagnostics& out) const {
  detail::Checker(*this, out).required(props().cloudwatch_role, "cloudwatch_role");
}

void ClientCertificate::lower(Lowering& l) const {
  auto& certificate = l.add(*this);
  certificate.properties().set({"Description", "description"}, props().description);
  certificate.tags(props().tags);
}

Value Stage::arn() const {
  return interpolate({"arn:", partition(), ":apigateway:", region(), "::/restapis/",
                      props().api ? props().api->api_id() : Value(), "/stages/", stage_name()});
}

void Stage::lower(Lowering& l) const {
  const auto& p = props();
  const Value api = p.api ? p.api->api_id() : Value();
  auto& stage = l.add(*this);
  stage.properties()
      .set({"RestApiId", "rest_api_id"}, api)
      .set({"DeploymentId", "deployment_id"}, p.deployment ? p.deployment->deployment_id() : Value())
      .set({"StageName", "stage_name"}, p.stage_name)
      .set({"Description", "description"}, p.description)
      .set({"TracingEnabled", "xray_tracing_enabled"}, p.tracing);
  if (p.access_log_group) {
    Properties access = l.object();
    access.set({"DestinationArn", "destination_arn"}, p.access_log_group->arn())
        .set({"Format", "format"}, p.access_log_format);
    stage.properties().set({"AccessLogSetting", "access_log_settings"}, access);
  }
  if (p.client_certificate) {
    stage.properties().set({"ClientCertificateId", "client_certificate_id"},
                           p.client_certificate->client_certificate_id());
  }
  if (p.cache_cluster) {
    stage.properties()
        .set({"CacheClusterEnabled", "cache_cluster_enabled"}, true)
        .set({"CacheClusterSize", "cache_cluster_size"}, p.cache_cluster->size);
  }
  if (p.account) stage.depends_on(*p.account);
  stage.tags(p.tags);
  if (!p.method_settings) return;

  const auto& m = *p.method_settings;
  Properties settings = l.object();
  settings.set({"LoggingLevel", "logging_level"}, m.logging_level)
      .set({"DataTraceEnabled", "data_trace_enabled"}, m.data_trace)
      .set({"MetricsEnabled", "metrics_enabled"}, m.metrics)
      .set({"ThrottlingBurstLimit", "throttling_burst_limit"}, m.throttling_burst_limit)
      .set({"ThrottlingRateLimit", "throttling_rate_limit"}, m.throttling_rate_limit);
  if (m.caching_enabled) {
    settings.set({"CachingEnabled", "caching_enabled"}, true)
        .set({"CacheDataEncrypted", "cache_data_encrypted"}, m.cache_data_encrypted)
        .set({"CacheTtlInSeconds", "cache_ttl_in_seconds"}, m.cache_ttl_seconds)
        // CloudFormation's MethodSetting cannot set these: API Gateway's default applies there.
        .set({{}, "require_authorization_for_cache_control"}, m.require_authorization_for_cache_control);
    if (m.require_authorization_for_cache_control) {
      settings.set({{}, "unauthorized_cache_control_header_strategy"}, "SUCCEED_WITH_RESPONSE_HEADER");
    }
  }
  if (l.is_cloudformation()) {
    settings.set({"ResourcePath", {}}, "/*").set({"HttpMethod", {}}, "*");
    stage.properties().set({"MethodSettings", {}}, std::vector<Properties>{settings});
    return;
  }
  // Terraform: method settings are a resource of their own, for every method ("*/*").
  auto& method_settings = l.add(*this, "aws_api_gateway_method_settings", kMethodSettingsSuffix);
  method_settings.properties()
      .terraform("rest_api_id", api)
      .terraform("stage_name", attribute({"", "stage_name"}))
      .terraform("method_path", "*/*")
      .set({{}, "settings"}, settings);
  if (p.account) method_settings.depends_on(*p.account);
}

void Stage::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  check.required(p.api, "api");
  check.required(p.deployment, "deployment");
  if (p.access_log_group) check.required(p.access_log_format, "access_log_format");
  if (p.cache_cluster && std::find(kCacheClusterSizes.begin(), kCacheClusterSizes.end(), p.cache_cluster->size) ==
                             kCacheClusterSizes.end()) {
    check.error("HS2004", "'cache_cluster.size' is '" + p.cache_cluster->size + "', which API Gateway does not offer",
                "use one of 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237 (GB)");
  }
  if (!p.method_settings) return;
  const auto& m = *p.method_settings;
  check.range(m.cache_ttl_seconds, "method_settings.cache_ttl_seconds", 0, 3600);
  if (m.caching_enabled && !p.cache_cluster) {
    check.error("HS2004", "'method_settings.caching_enabled' is on but the stage has no cache cluster",
                "set cache_cluster, e.g. apigateway::CacheCluster{.size = \"0.5\"}");
  }
}

}  // namespace hipaa::apigateway
