#include "hipaa/aws/apigateway.hpp"

#include "validate/checks.hpp"

namespace hipaa::apigateway {

Value RestApi::execution_arn() const {
  return interpolate({"arn:", partition(), ":execute-api:", region(), ":", account_id(), ":", api_id()});
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

void Method::lower(Lowering& l) const {
  const auto& p = props();
  const Value api = p.api ? p.api->api_id() : Value();
  const Value resource = p.resource ? p.resource->resource_id() : Value();
  const std::string authorization = p.authorization == Authorization::Iam ? "AWS_IAM" : "NONE";
  auto& method = l.add(*this);
  method.properties()
      .set({"RestApiId", "rest_api_id"}, api)
      .set({"ResourceId", "resource_id"}, resource)
      .set({"HttpMethod", "http_method"}, p.http_method)
      .set({"AuthorizationType", "authorization"}, authorization);
  if (!p.function) return;
  const Value uri = p.function->invoke_uri();
  if (l.is_cloudformation()) {
    Properties integration = l.object();
    integration.set({"Type", {}}, "AWS_PROXY")
        .set({"IntegrationHttpMethod", {}}, "POST")
        .set({"Uri", {}}, uri)
        .set({"TimeoutInMillis", {}}, p.integration_timeout_ms);
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
      .terraform("timeout_milliseconds", p.integration_timeout_ms);
}

void Method::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().api, "api");
  check.required(props().resource, "resource");
  check.range(props().integration_timeout_ms, "integration_timeout_ms", 50, 29000);
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
    std::string ids = "[";
    for (std::size_t i = 0; i < p.methods.size(); ++i) {
      if (i > 0) ids += ", ";
      ids += l.terraform_expression(p.methods[i]->attribute({"", "id"}));
    }
    ids += "]";
    deployment.properties().set_node("triggers", doc::Map{{"redeployment", "${sha1(jsonencode(" + ids + "))}"}});
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
  detail::Checker check(*this, out);
  check.required(props().api, "api");
  check.required(props().deployment, "deployment");
  if (props().access_log_group) check.required(props().access_log_format, "access_log_format");
}

}  // namespace hipaa::apigateway
