#include "hipaa/aws/apigateway.hpp"
#include "hipaa/aws/apigatewayv2.hpp"
#include "hipaa/aws/cognito.hpp"
#include "hipaa/aws/wafv2.hpp"
#include "showcase.hpp"

namespace hipaa::showcase {
namespace {

constexpr std::string_view kAccessLogFormat =
    R"({"requestId":"$context.requestId","ip":"$context.identity.sourceIp","user":"$context.authorizer.claims.sub",)"
    R"("requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","status":"$context.status"})";

}  // namespace

void add_api_edge(Stack& stack) {
  // Cognito: the user pool the APIs' authorizers accept tokens of, a public web client with OAuth
  // and a confidential server client.
  Construct& users = stack.add_group("Cognito");
  auto& pool =
      users.add<cognito::UserPool>("Users", {.user_pool_name = "showcase-clinicians", .tags = {{"DataClass", "PHI"}}});
  auto& web = users.add<cognito::UserPoolClient>(
      "WebClient",
      {.user_pool = pool,
       .client_name = "showcase-web",
       .oauth = cognito::OAuth{.callback_urls = {"https://app.example.com/callback", "http://localhost:3000/callback"},
                               .logout_urls = {"https://app.example.com/"}}});
  users.add<cognito::UserPoolClient>("ServerClient",
                                     {.user_pool = pool, .client_name = "showcase-server", .generate_secret = true});

  // What both APIs share: a key for their logs and a function behind them.
  Construct& shared = stack.add_group("ApiShared");
  auto& key = shared.add<kms::Key>("LogKey", {.description = "API and WAF logs", .allow_cloudwatch_logs = true});
  auto& role = shared.add<iam::Role>(
      "FunctionRole", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com"),
                       .managed_policy_arns = {iam::aws_managed("service-role/AWSLambdaBasicExecutionRole")}});
  auto& function = shared.add<lambda::Function>(
      "Function",
      {.function_name = "showcase-api",
       .code = lambda::Code::inline_source("index.js", "exports.handler = async () => ({statusCode: 200});"),
       .role = role,
       .reserved_concurrency = 5});

  // REST API: a Cognito authorizer on a method, a client certificate, an encrypted cache.
  Construct& rest = stack.add_group("ApiGateway");
  auto& api = rest.add<apigateway::RestApi>("Api", {.api_name = "showcase-rest"});
  auto& patients = rest.add<apigateway::ApiResource>("Patients", {.api = api, .path_part = "patients"});
  auto& authorizer = rest.add<apigateway::Authorizer>(
      "Authorizer", {.api = api, .authorizer_name = "clinicians", .user_pools = {pool}, .result_ttl_seconds = 300});
  auto& method = rest.add<apigateway::Method>("GetPatients", {.api = api,
                                                              .resource = patients,
                                                              .http_method = "GET",
                                                              .authorization = apigateway::Authorization::Cognito,
                                                              .authorizer = authorizer,
                                                              .authorization_scopes = {"email"},
                                                              .function = function});
  auto& deployment = rest.add<apigateway::Deployment>("Deployment", {.api = api, .methods = {method}});
  auto& logging_role = rest.add<iam::Role>(
      "CloudWatchRole",
      {.assume_role_policy = iam::assumed_by("apigateway.amazonaws.com"),
       .managed_policy_arns = {iam::aws_managed("service-role/AmazonAPIGatewayPushToCloudWatchLogs")}});
  auto& account = rest.add<apigateway::Account>("Account", {.cloudwatch_role = logging_role});
  auto& certificate = rest.add<apigateway::ClientCertificate>(
      "ClientCertificate", {.description = "Presented to the backends", .tags = {{"Purpose", "backend-auth"}}});
  auto& rest_logs = rest.add<logs::LogGroup>(
      "AccessLogs", {.log_group_name = "/showcase/rest-api", .retention_days = 731, .kms_key = key});
  auto& stage =
      rest.add<apigateway::Stage>("Stage", {.api = api,
                                            .deployment = deployment,
                                            .stage_name = "prod",
                                            .access_log_group = rest_logs,
                                            .access_log_format = std::string(kAccessLogFormat),
                                            .method_settings = apigateway::MethodSettings{.throttling_burst_limit = 50,
                                                                                          .throttling_rate_limit = 25,
                                                                                          .caching_enabled = true,
                                                                                          .cache_ttl_seconds = 60},
                                            .account = account,
                                            .client_certificate = certificate,
                                            .cache_cluster = apigateway::CacheCluster{.size = "0.5"}});
  rest.add<lambda::Permission>("RestInvoke",
                               {.function = function, .source_arn = interpolate({api.execution_arn(), "/*/*"})});

  // WAF: the managed groups and a rate limit in front of the REST stage, logging to CloudWatch.
  Construct& waf = stack.add_group("Wafv2");
  auto& waf_logs = waf.add<logs::LogGroup>(
      "Logs", {.log_group_name = "aws-waf-logs-showcase", .retention_days = 731, .kms_key = key});
  auto& acl = waf.add<wafv2::WebAcl>(
      "WebAcl", {.web_acl_name = "showcase-api",
                 .description = "In front of the showcase REST API",
                 .managed_rule_groups = {{.name = "AWSManagedRulesCommonRuleSet",
                                          .priority = 10,
                                          .excluded_rules = {"SizeRestrictions_BODY"}},
                                         {.name = "AWSManagedRulesKnownBadInputsRuleSet", .priority = 20},
                                         {.name = "AWSManagedRulesSQLiRuleSet", .priority = 30}},
                 .rate_limit = wafv2::RateLimit{.limit = 1000},
                 .log_group = waf_logs,
                 .redacted_headers = {"x-api-key"},
                 .tags = {{"Purpose", "edge"}}});
  waf.add<wafv2::WebAclAssociation>("StageAssociation", {.web_acl = acl, .stage = stage});

  // HTTP API: a JWT authorizer on a route, trusting the user pool's tokens for the web client.
  Construct& http = stack.add_group("ApiGatewayV2");
  auto& http_api = http.add<apigatewayv2::HttpApi>("Api", {.api_name = "showcase-http"});
  auto& http_logs = http.add<logs::LogGroup>(
      "AccessLogs", {.log_group_name = "/showcase/http-api", .retention_days = 731, .kms_key = key});
  http.add<apigatewayv2::Stage>("Stage", {.api = http_api,
                                          .access_log_group = http_logs,
                                          .access_log_format = std::string(kAccessLogFormat),
                                          .throttling_burst_limit = 50,
                                          .throttling_rate_limit = 25});
  auto& integration = http.add<apigatewayv2::Integration>("Integration", {.api = http_api, .function = function});
  auto& jwt = http.add<apigatewayv2::Authorizer>(
      "Authorizer",
      {.api = http_api, .authorizer_name = "clinicians", .issuer = pool.issuer(), .audience = {web.client_id()}});
  http.add<apigatewayv2::Route>("GetPatients", {.api = http_api,
                                                .route_key = "GET /patients",
                                                .integration = integration,
                                                .authorization = apigatewayv2::RouteAuthorization::Jwt,
                                                .authorizer = jwt,
                                                .authorization_scopes = {"email"}});
  http.add<lambda::Permission>("HttpInvoke",
                               {.function = function, .source_arn = interpolate({http_api.execution_arn(), "/*/*"})});
}

}  // namespace hipaa::showcase
