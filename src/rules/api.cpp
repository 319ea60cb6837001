// API Gateway rules: authorization, CORS, logging without bodies, tracing, resource policies,
// encrypted caches, client certificates.
#include "hipaa/aws/apigateway.hpp"
#include "hipaa/aws/apigatewayv2.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

// Terraform writes a REST stage's method settings as aws_api_gateway_method_settings, which no
// override of the stage reaches.
constexpr CheckedProperty kMethodSettings{"MethodSettings", {}};

void rest_stage_logging(const Inventory& stack, Reporter& report) {
  each<apigateway::Stage>(stack, [&](const apigateway::Stage& stage) {
    const auto& p = stage.props();
    if (!p.access_log_group) {
      report.flag(stage, "the stage has no access log");
    } else {
      flag_override(stage, {"AccessLogSetting", "access_log_settings"}, report);
    }
    if (!p.method_settings || p.method_settings->logging_level == "OFF") {
      report.flag(stage, "execution logging is off");
    } else {
      flag_override(stage, kMethodSettings, report);
    }
  });
}

void http_stage_logging(const Inventory& stack, Reporter& report) {
  each<apigatewayv2::Stage>(stack, [&](const apigatewayv2::Stage& stage) {
    if (!stage.props().access_log_group) report.flag(stage, "the stage has no access log");
  });
}

void rest_logging_role(const Inventory& stack, Reporter& report) {
  const bool stack_has_account = !all<apigateway::Account>(stack).empty();
  each<apigateway::Stage>(stack, [&](const apigateway::Stage& stage) {
    const auto& p = stage.props();
    const bool logs_executions = p.method_settings && p.method_settings->logging_level != "OFF";
    if (logs_executions && !p.account && !stack_has_account) {
      report.flag(stage,
                  "execution logging needs the API Gateway account's CloudWatch Logs role, which no "
                  "apigateway::Account in the stack sets");
    }
  });
}

void rest_tracing(const Inventory& stack, Reporter& report) {
  each<apigateway::Stage>(stack, [&](const apigateway::Stage& stage) {
    if (!stage.props().tracing) {
      report.flag(stage, "X-Ray tracing is off");
    } else {
      flag_override(stage, {"TracingEnabled", "xray_tracing_enabled", false}, report);
    }
  });
}

void no_body_logging(const Inventory& stack, Reporter& report) {
  each<apigateway::Stage>(stack, [&](const apigateway::Stage& stage) {
    const auto& m = stage.props().method_settings;
    if (m && m->data_trace) {
      report.flag(stage, "data trace logs full request and response bodies, which carry PHI, to CloudWatch Logs");
    } else {
      flag_override(stage, kMethodSettings, report);
    }
  });
}

void routes_authorized(const Inventory& stack, Reporter& report) {
  each<apigatewayv2::Route>(stack, [&](const apigatewayv2::Route& route) {
    if (route.props().authorization == apigatewayv2::RouteAuthorization::None) {
      report.flag(route, "route '" + route.props().route_key + "' has no authorization");
    }
  });
  each<apigateway::Method>(stack, [&](const apigateway::Method& method) {
    // CORS preflight requests carry no credentials by design.
    if (method.props().authorization == apigateway::Authorization::None && method.props().http_method != "OPTIONS") {
      report.flag(method, "method " + method.props().http_method + " has no authorization");
    }
  });
}

void no_wildcard_cors(const Inventory& stack, Reporter& report) {
  each<apigatewayv2::HttpApi>(stack, [&](const apigatewayv2::HttpApi& api) {
    if (!api.props().cors) return;
    for (const auto& origin : api.props().cors->allow_origins) {
      if (origin.find('*') != std::string::npos) {
        report.flag(api, "CORS allows origin '" + origin + "'");
        return;
      }
    }
  });
}

void no_open_resource_policy(const Inventory& stack, Reporter& report) {
  each<apigateway::RestApi>(stack, [&](const apigateway::RestApi& api) {
    for (const auto& s : api.props().resource_policy.statements) {
      if (s.effect != iam::Effect::Allow || !s.conditions.empty()) continue;
      for (const auto& p : s.principals) {
        if (p.kind == iam::Principal::Kind::Any) {
          report.flag(api, "the resource policy lets anyone invoke the API, with no condition");
          return;
        }
      }
    }
  });
}

void cache_encrypted(const Inventory& stack, Reporter& report) {
  each<apigateway::Stage>(stack, [&](const apigateway::Stage& stage) {
    const auto& m = stage.props().method_settings;
    if (m && m->caching_enabled && !m->cache_data_encrypted) {
      report.flag(stage, "cached responses, which carry PHI, are not encrypted");
    } else if (m && m->caching_enabled) {
      flag_override(stage, kMethodSettings, report);
    }
  });
}

// cdk-nag's APIGWCacheEnabledAndEncrypted: every method's responses are cached, encrypted. An
// unencrypted cache is HIPAA-API-9's (an error) and not reported twice.
void cache_enabled(const Inventory& stack, Reporter& report) {
  each<apigateway::Stage>(stack, [&](const apigateway::Stage& stage) {
    const auto& p = stage.props();
    if (!p.cache_cluster) {
      report.flag(stage, "the stage has no cache cluster");
    } else if (!p.method_settings || !p.method_settings->caching_enabled) {
      report.flag(stage, "the stage's methods do not cache responses");
    }
  });
}

void client_certificate(const Inventory& stack, Reporter& report) {
  each<apigateway::Stage>(stack, [&](const apigateway::Stage& stage) {
    if (!stage.props().client_certificate) report.flag(stage, "the stage has no client certificate");
  });
}

}  // namespace

const std::vector<Rule>& api_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-API-1", Severity::Error, kAuditControls, "REST API stages have access logs and execution logging",
       "set access_log_group and method_settings.logging_level INFO or ERROR", rest_stage_logging,
       "APIGWExecutionLoggingEnabled"},
      {"HIPAA-API-2", Severity::Error, kAuditControls, "HTTP API stages have access logs",
       "set access_log_group and access_log_format", http_stage_logging},
      {"HIPAA-API-3", Severity::Warning, kAuditControls,
       "REST execution logging has the API Gateway account's CloudWatch Logs role",
       "add an apigateway::Account with a role trusted by apigateway.amazonaws.com", rest_logging_role},
      {"HIPAA-API-4", Severity::Error, kAuditControls, "REST API stages trace requests with X-Ray", "set tracing",
       rest_tracing, "APIGWXrayEnabled"},
      {"HIPAA-API-5", Severity::Error, kAccessControl,
       "API logs never contain request or response bodies (data trace off)", "set method_settings.data_trace to false",
       no_body_logging},
      {"HIPAA-API-6", Severity::Error, kAuthentication, "Every route and method requires authorization",
       "use IAM authorization (or an authorizer) on every route", routes_authorized},
      {"HIPAA-API-7", Severity::Error, kAccessControl, "CORS names the allowed origins (no wildcard)",
       "list the application's origins in cors.allow_origins", no_wildcard_cors},
      {"HIPAA-API-8", Severity::Warning, kAccessControl,
       "REST API resource policies do not allow anyone without a condition",
       "restrict the principal, or add a condition such as aws:SourceVpce or aws:PrincipalOrgID",
       no_open_resource_policy},
      {"HIPAA-API-9", Severity::Error, kEncryptionAtRest, "REST API response caches are encrypted",
       "leave method_settings.cache_data_encrypted on", cache_encrypted, "APIGWCacheEnabledAndEncrypted"},
      // An error, as cdk-nag's APIGWCacheEnabledAndEncrypted is, though the cache is a performance
      // choice billed by the hour and keyed by path, not caller; what HIPAA needs most is that a
      // cache is encrypted (HIPAA-API-9).
      {"HIPAA-API-10", Severity::Error, kEncryptionAtRest,
       "REST API stages cache responses in an encrypted cache cluster",
       "set cache_cluster and method_settings.caching_enabled (encrypted by default); cache only responses every "
       "allowed caller may see",
       cache_enabled, "APIGWCacheEnabledAndEncrypted"},
      // An error, as cdk-nag's APIGWSSLEnabled is, though API Gateway presents the certificate to
      // HTTP backends only: the Lambda proxy integrations hipaa-synth models are invoked through
      // IAM and never see it.
      {"HIPAA-API-11", Severity::Error, kTransmissionSecurity,
       "REST API stages present a client certificate to their backends",
       "add an apigateway::ClientCertificate and set the stage's client_certificate", client_certificate,
       "APIGWSSLEnabled"},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
