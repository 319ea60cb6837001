// API Gateway at the edge: Cognito authorizers on REST methods, JWT authorizers on HTTP routes,
// client certificates and encrypted response caches on REST stages; output, validation, rules.
#include <catch2/catch.hpp>

#include "hipaa/aws/apigateway.hpp"
#include "hipaa/aws/apigatewayv2.hpp"
#include "hipaa/aws/cognito.hpp"
#include "hipaa/rules.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

struct Fixture {
  App app;
  Stack& stack = app.add_stack("S");
  cognito::UserPool& pool = stack.add<cognito::UserPool>("Users", {.user_pool_name = "clinicians"});
  cognito::UserPoolClient& web = stack.add<cognito::UserPoolClient>("Web", {.user_pool = pool, .client_name = "web"});
  iam::Role& role = stack.add<iam::Role>("Role", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com")});
  lambda::Function& fn =
      stack.add<lambda::Function>("Fn", {.code = lambda::Code::inline_source("index.js", "x"), .role = role});
  apigateway::RestApi& api = stack.add<apigateway::RestApi>("Api", {.api_name = "api"});
  apigateway::ApiResource& patients =
      stack.add<apigateway::ApiResource>("Patients", {.api = api, .path_part = "patients"});
};

std::vector<std::string> findings(const App& app, std::string_view prefix) {
  std::vector<std::string> out;
  for (const auto& f : rules::check(app).findings) {
    if (f.rule->id.starts_with(prefix)) out.push_back(std::string(f.rule->id) + " " + f.path + ": " + f.message);
  }
  return out;
}

}  // namespace

TEST_CASE("A REST method accepts Cognito user pool tokens through an authorizer", "[apigateway]") {
  Fixture f;
  auto& authorizer = f.stack.add<apigateway::Authorizer>(
      "Auth", {.api = f.api, .authorizer_name = "clinicians", .user_pools = {f.pool}});
  f.stack.add<apigateway::Method>("Get", {.api = f.api,
                                          .resource = f.patients,
                                          .http_method = "GET",
                                          .authorization = apigateway::Authorization::Cognito,
                                          .authorizer = authorizer,
                                          .authorization_scopes = {"email"},
                                          .function = f.fn});
  const json cfn = test::cfn(f.app)["Resources"];
  CHECK(cfn["Auth"] == json::parse(R"({
      "Type": "AWS::ApiGateway::Authorizer",
      "Properties": {"RestApiId": {"Ref": "Api"}, "Name": "clinicians", "Type": "COGNITO_USER_POOLS",
                     "ProviderARNs": [{"Fn::GetAtt": ["Users", "Arn"]}],
                     "IdentitySource": "method.request.header.Authorization", "AuthorizerResultTtlInSeconds": 300}})"));
  CHECK(cfn["Get"]["Properties"]["AuthorizationType"] == "COGNITO_USER_POOLS");
  CHECK(cfn["Get"]["Properties"]["AuthorizerId"] == json{{"Ref", "Auth"}});
  CHECK(cfn["Get"]["Properties"]["AuthorizationScopes"] == json{"email"});
  const json tf = test::tf(f.app)["resource"];
  CHECK(tf["aws_api_gateway_authorizer"]["auth"] == json::parse(R"({
      "rest_api_id": "${aws_api_gateway_rest_api.api.id}", "name": "clinicians", "type": "COGNITO_USER_POOLS",
      "provider_arns": ["${aws_cognito_user_pool.users.arn}"],
      "identity_source": "method.request.header.Authorization", "authorizer_result_ttl_in_seconds": 300})"));
  CHECK(tf["aws_api_gateway_method"]["get"]["authorization"] == "COGNITO_USER_POOLS");
  CHECK(tf["aws_api_gateway_method"]["get"]["authorizer_id"] == "${aws_api_gateway_authorizer.auth.id}");
  CHECK(tf["aws_api_gateway_method"]["get"]["authorization_scopes"] == json{"email"});
  // Cognito authorization is authorization (HIPAA-API-6).
  CHECK(findings(f.app, "HIPAA-API-6").empty());
}

TEST_CASE("A method without the new options lowers as before", "[apigateway]") {
  Fixture f;
  f.stack.add<apigateway::Method>("Get", {.api = f.api, .resource = f.patients, .http_method = "GET"});
  CHECK(test::cfn(f.app)["Resources"]["Get"]["Properties"] ==
        json::parse(R"({"RestApiId": {"Ref": "Api"}, "ResourceId": {"Ref": "Patients"}, "HttpMethod": "GET",
                        "AuthorizationType": "AWS_IAM"})"));
  CHECK(test::tf(f.app)["resource"]["aws_api_gateway_method"]["get"] ==
        json::parse(R"({"rest_api_id": "${aws_api_gateway_rest_api.api.id}",
                        "resource_id": "${aws_api_gateway_resource.patients.id}", "http_method": "GET",
                        "authorization": "AWS_IAM"})"));
}

TEST_CASE("Authorizers and method authorization are validated for consistency", "[apigateway]") {
  Fixture f;
  auto& other = f.stack.add<apigateway::RestApi>("Other", {.api_name = "other"});
  auto& foreign = f.stack.add<apigateway::Authorizer>(
      "Foreign", {.api = other, .authorizer_name = "a", .user_pools = {f.pool}, .result_ttl_seconds = 3601});
  f.stack.add<apigateway::Authorizer>("Empty", {.identity_source = "method.request.querystring.token"});
  f.stack.add<apigateway::Method>("NoAuthorizer", {.api = f.api,
                                                   .resource = f.patients,
                                                   .http_method = "GET",
                                                   .authorization = apigateway::Authorization::Cognito});
  f.stack.add<apigateway::Method>("IamWithAuthorizer", {.api = f.api,
                                                        .resource = f.patients,
                                                        .http_method = "POST",
                                                        .authorizer = foreign,
                                                        .authorization_scopes = {"email"}});
  CHECK(test::problems(f.app) ==
        std::vector<std::string>{
            "HS2004 S/Foreign: 'result_ttl_seconds' is 3601; AWS accepts 0 to 3600",
            "HS2001 S/Empty: required property 'api' is not set",
            "HS2001 S/Empty: required property 'authorizer_name' is not set",
            "HS2001 S/Empty: 'user_pools' needs at least 1 item(s), has 0",
            "HS2004 S/Empty: 'identity_source' is 'method.request.querystring.token'; a Cognito authorizer reads a "
            "header",
            "HS2001 S/NoAuthorizer: required property 'authorizer' is not set",
            "HS2004 S/IamWithAuthorizer: 'authorizer' is set but 'authorization' is AWS_IAM",
            "HS2004 S/IamWithAuthorizer: 'authorization_scopes' apply only to Cognito authorization, not AWS_IAM",
            "HS2004 S/IamWithAuthorizer: 'authorizer' S/Foreign belongs to another REST API"});
}

TEST_CASE("A REST stage presents a client certificate and caches responses encrypted", "[apigateway]") {
  Fixture f;
  auto& method = f.stack.add<apigateway::Method>("Get", {.api = f.api, .resource = f.patients, .function = f.fn});
  auto& deployment = f.stack.add<apigateway::Deployment>("Deploy", {.api = f.api, .methods = {method}});
  auto& certificate = f.stack.add<apigateway::ClientCertificate>(
      "Cert", {.description = "backends", .tags = {{"Purpose", "backend-auth"}}});
  f.stack.add<apigateway::Stage>("Prod", {.api = f.api,
                                          .deployment = deployment,
                                          .method_settings = apigateway::MethodSettings{.caching_enabled = true},
                                          .client_certificate = certificate,
                                          .cache_cluster = apigateway::CacheCluster{.size = "1.6"}});
  const json cfn = test::cfn(f.app)["Resources"];
  CHECK(cfn["Cert"] == json::parse(R"({"Type": "AWS::ApiGateway::ClientCertificate",
      "Properties": {"Description": "backends", "Tags": [{"Key": "Purpose", "Value": "backend-auth"}]}})"));
  const json stage = cfn["Prod"]["Properties"];
  CHECK(stage["ClientCertificateId"] == json{{"Ref", "Cert"}});
  CHECK(stage["CacheClusterEnabled"] == true);
  CHECK(stage["CacheClusterSize"] == "1.6");
  CHECK(stage["MethodSettings"] == json::parse(R"([{"LoggingLevel": "INFO", "DataTraceEnabled": false,
      "MetricsEnabled": true, "CachingEnabled": true, "CacheDataEncrypted": true, "CacheTtlInSeconds": 300,
      "ResourcePath": "/*", "HttpMethod": "*"}])"));
  const json tf = test::tf(f.app)["resource"];
  CHECK(tf["aws_api_gateway_client_certificate"]["cert"] ==
        json::parse(R"({"description": "backends", "tags": {"Purpose": "backend-auth"}})"));
  CHECK(tf["aws_api_gateway_stage"]["prod"]["client_certificate_id"] ==
        "${aws_api_gateway_client_certificate.cert.id}");
  CHECK(tf["aws_api_gateway_stage"]["prod"]["cache_cluster_enabled"] == true);
  CHECK(tf["aws_api_gateway_stage"]["prod"]["cache_cluster_size"] == "1.6");
  CHECK(tf["aws_api_gateway_method_settings"]["prod_method_settings"]["settings"] == json::parse(R"({
      "logging_level": "INFO", "data_trace_enabled": false, "metrics_enabled": true, "caching_enabled": true,
      "cache_data_encrypted": true, "cache_ttl_in_seconds": 300, "require_authorization_for_cache_control": true,
      "unauthorized_cache_control_header_strategy": "SUCCEED_WITH_RESPONSE_HEADER"})"));
  CHECK(findings(f.app, "HIPAA-API-9").empty());
  CHECK(findings(f.app, "HIPAA-API-10").empty());
  CHECK(findings(f.app, "HIPAA-API-11").empty());
}

TEST_CASE("A stage without a cache or certificate gets the cdk-nag warnings; an unencrypted cache an error",
          "[apigateway]") {
  Fixture f;
  auto& method = f.stack.add<apigateway::Method>("Get", {.api = f.api, .resource = f.patients});
  auto& deployment = f.stack.add<apigateway::Deployment>("Deploy", {.api = f.api, .methods = {method}});
  f.stack.add<apigateway::Stage>("Bare", {.api = f.api, .deployment = deployment, .stage_name = "bare"});
  f.stack.add<apigateway::Stage>("Uncached", {.api = f.api,
                                              .deployment = deployment,
                                              .stage_name = "uncached",
                                              .method_settings = apigateway::MethodSettings{},
                                              .cache_cluster = apigateway::CacheCluster{}});
  f.stack.add<apigateway::Stage>(
      "Plain", {.api = f.api,
                .deployment = deployment,
                .stage_name = "plain",
                .method_settings = apigateway::MethodSettings{.caching_enabled = true, .cache_data_encrypted = false},
                .cache_cluster = apigateway::CacheCluster{}});
  CHECK(test::cfn(f.app)["Resources"]["Plain"]["Properties"]["MethodSettings"][0]["CacheDataEncrypted"] == false);
  CHECK(findings(f.app, "HIPAA-API-9") ==
        std::vector<std::string>{"HIPAA-API-9 S/Plain: cached responses, which carry PHI, are not encrypted"});
  CHECK(findings(f.app, "HIPAA-API-10") ==
        std::vector<std::string>{"HIPAA-API-10 S/Bare: the stage has no cache cluster",
                                 "HIPAA-API-10 S/Uncached: the stage's methods do not cache responses"});
  CHECK(findings(f.app, "HIPAA-API-11") ==
        std::vector<std::string>{"HIPAA-API-11 S/Bare: the stage has no client certificate",
                                 "HIPAA-API-11 S/Uncached: the stage has no client certificate",
                                 "HIPAA-API-11 S/Plain: the stage has no client certificate"});
}

TEST_CASE("Caching needs a cache cluster of a size API Gateway offers and a TTL of at most an hour", "[apigateway]") {
  Fixture f;
  auto& method = f.stack.add<apigateway::Method>("Get", {.api = f.api, .resource = f.patients});
  auto& deployment = f.stack.add<apigateway::Deployment>("Deploy", {.api = f.api, .methods = {method}});
  f.stack.add<apigateway::Stage>(
      "NoCluster", {.api = f.api,
                    .deployment = deployment,
                    .method_settings = apigateway::MethodSettings{.caching_enabled = true, .cache_ttl_seconds = 3601}});
  f.stack.add<apigateway::Stage>("OddSize", {.api = f.api,
                                             .deployment = deployment,
                                             .stage_name = "odd",
                                             .cache_cluster = apigateway::CacheCluster{.size = "1"}});
  CHECK(test::problems(f.app) ==
        std::vector<std::string>{
            "HS2004 S/NoCluster: 'method_settings.cache_ttl_seconds' is 3601; AWS accepts 0 to 3600",
            "HS2004 S/NoCluster: 'method_settings.caching_enabled' is on but the stage has no cache cluster",
            "HS2004 S/OddSize: 'cache_cluster.size' is '1', which API Gateway does not offer"});
}

TEST_CASE("A REST stage's ARN and name are what WAF associates with", "[apigateway]") {
  Fixture f;
  auto& method = f.stack.add<apigateway::Method>("Get", {.api = f.api, .resource = f.patients});
  auto& deployment = f.stack.add<apigateway::Deployment>("Deploy", {.api = f.api, .methods = {method}});
  auto& stage = f.stack.add<apigateway::Stage>("Prod", {.api = f.api, .deployment = deployment});
  f.stack.add_output({.name = "StageArn", .value = stage.arn()});
  CHECK(test::cfn(f.app)["Outputs"]["StageArn"]["Value"] ==
        json{{"Fn::Sub", "arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Prod}"}});
}

TEST_CASE("An HTTP route accepts a user pool's tokens through a JWT authorizer", "[apigateway]") {
  Fixture f;
  auto& http = f.stack.add<apigatewayv2::HttpApi>("Http", {.api_name = "http"});
  auto& integration = f.stack.add<apigatewayv2::Integration>("Lambda", {.api = http, .function = f.fn});
  auto& jwt = f.stack.add<apigatewayv2::Authorizer>(
      "Jwt",
      {.api = http, .authorizer_name = "clinicians", .issuer = f.pool.issuer(), .audience = {f.web.client_id()}});
  f.stack.add<apigatewayv2::Route>("Get", {.api = http,
                                           .route_key = "GET /patients",
                                           .integration = integration,
                                           .authorization = apigatewayv2::RouteAuthorization::Jwt,
                                           .authorizer = jwt,
                                           .authorization_scopes = {"email"}});
  const json cfn = test::cfn(f.app)["Resources"];
  CHECK(cfn["Jwt"] == json::parse(R"({
      "Type": "AWS::ApiGatewayV2::Authorizer",
      "Properties": {"ApiId": {"Ref": "Http"}, "Name": "clinicians", "AuthorizerType": "JWT",
                     "IdentitySource": ["$request.header.Authorization"],
                     "JwtConfiguration": {
                       "Issuer": {"Fn::Sub": "https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${Users}"},
                       "Audience": [{"Ref": "Web"}]}}})"));
  CHECK(cfn["Get"]["Properties"]["AuthorizationType"] == "JWT");
  CHECK(cfn["Get"]["Properties"]["AuthorizerId"] == json{{"Ref", "Jwt"}});
  CHECK(cfn["Get"]["Properties"]["AuthorizationScopes"] == json{"email"});
  const json tf = test::tf(f.app)["resource"];
  CHECK(tf["aws_apigatewayv2_authorizer"]["jwt"]["authorizer_type"] == "JWT");
  CHECK(tf["aws_apigatewayv2_authorizer"]["jwt"]["identity_sources"] == json{"$request.header.Authorization"});
  CHECK(tf["aws_apigatewayv2_authorizer"]["jwt"]["jwt_configuration"]["audience"] ==
        json{"${aws_cognito_user_pool_client.web.id}"});
  CHECK(tf["aws_apigatewayv2_route"]["get"]["authorization_type"] == "JWT");
  CHECK(tf["aws_apigatewayv2_route"]["get"]["authorizer_id"] == "${aws_apigatewayv2_authorizer.jwt.id}");
  CHECK(tf["aws_apigatewayv2_route"]["get"]["authorization_scopes"] == json{"email"});
  CHECK(findings(f.app, "HIPAA-API-6").empty());
}

TEST_CASE("JWT authorizers and route authorization are validated for consistency", "[apigateway]") {
  Fixture f;
  auto& http = f.stack.add<apigatewayv2::HttpApi>("Http", {.api_name = "http"});
  auto& other = f.stack.add<apigatewayv2::HttpApi>("Other", {.api_name = "other"});
  auto& integration = f.stack.add<apigatewayv2::Integration>("Lambda", {.api = http, .function = f.fn});
  auto& foreign = f.stack.add<apigatewayv2::Authorizer>(
      "Foreign", {.api = other, .authorizer_name = "a", .issuer = "http://issuer.example.com", .audience = {"x"}});
  f.stack.add<apigatewayv2::Authorizer>("Empty", {.identity_source = "$request.querystring.token"});
  f.stack.add<apigatewayv2::Route>("NoAuthorizer", {.api = http,
                                                    .route_key = "GET /a",
                                                    .integration = integration,
                                                    .authorization = apigatewayv2::RouteAuthorization::Jwt});
  f.stack.add<apigatewayv2::Route>("OpenWithAuthorizer", {.api = http,
                                                          .route_key = "GET /b",
                                                          .integration = integration,
                                                          .authorization = apigatewayv2::RouteAuthorization::None,
                                                          .authorizer = foreign,
                                                          .authorization_scopes = {"email"}});
  CHECK(test::problems(f.app) ==
        std::vector<std::string>{
            "HS2004 S/Foreign: 'issuer' is 'http://issuer.example.com'; a JWT issuer is an https:// URL",
            "HS2001 S/Empty: required property 'api' is not set",
            "HS2001 S/Empty: required property 'authorizer_name' is not set",
            "HS2001 S/Empty: required property 'issuer' is not set",
            "HS2001 S/Empty: 'audience' needs at least 1 item(s), has 0",
            "HS2004 S/Empty: 'identity_source' is '$request.querystring.token'; a JWT authorizer reads a header",
            "HS2001 S/NoAuthorizer: required property 'authorizer' is not set",
            "HS2004 S/OpenWithAuthorizer: 'authorizer' is set but 'authorization' is NONE",
            "HS2004 S/OpenWithAuthorizer: 'authorization_scopes' apply only to JWT authorization, not NONE",
            "HS2004 S/OpenWithAuthorizer: 'authorizer' S/Foreign belongs to another HTTP API"});
}

TEST_CASE("add_method makes each path's resources once, beside the API, with ids from the path", "[apigateway]") {
  App app;
  Stack& stack = app.add_stack("S");
  auto& role = stack.add<iam::Role>("Role", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com")});
  auto& fn = stack.add<lambda::Function>("Fn", {.code = lambda::Code::inline_source("index.js", "x"), .role = role});
  auto& api = stack.add<apigateway::RestApi>("Api", {.api_name = "api"});
  auto& get =
      api.add_method("GET", "/patients/{id}", {.authorization = apigateway::Authorization::None, .function = fn});
  api.add_method("POST", "/patients", {.function = fn});
  api.add_method("ANY", "/", {.function = fn});
  CHECK(get.path() == "S/GetPatientsIdMethod");
  CHECK(get.props().http_method == "GET");
  CHECK(get.props().authorization == apigateway::Authorization::None);
  // The second path reuses /patients; the same path asked again is the same resource.
  CHECK(api.resource_for_path("/patients/{id}").get() == get.props().resource.get());
  CHECK_FALSE(api.resource_for_path("/"));

  const json cfn = test::cfn(app)["Resources"];
  CHECK(cfn["PatientsResource"]["Properties"] ==
        json::parse(R"({"RestApiId": {"Ref": "Api"}, "ParentId": {"Fn::GetAtt": ["Api", "RootResourceId"]},
                        "PathPart": "patients"})"));
  CHECK(cfn["PatientsIdResource"]["Properties"] ==
        json::parse(R"({"RestApiId": {"Ref": "Api"}, "ParentId": {"Ref": "PatientsResource"}, "PathPart": "{id}"})"));
  CHECK(cfn["GetPatientsIdMethod"]["Properties"]["ResourceId"] == json{{"Ref", "PatientsIdResource"}});
  CHECK(cfn["PostPatientsMethod"]["Properties"]["ResourceId"] == json{{"Ref", "PatientsResource"}});
  CHECK(cfn["AnyMethod"]["Properties"]["ResourceId"] == json{{"Fn::GetAtt", {"Api", "RootResourceId"}}});
  std::size_t resources = 0;
  for (const auto& [id, resource] : cfn.items()) resources += resource["Type"] == "AWS::ApiGateway::Resource" ? 1 : 0;
  CHECK(resources == 2);
  const json tf = test::tf(app)["resource"];
  CHECK(tf["aws_api_gateway_resource"]["patients_id_resource"]["parent_id"] ==
        "${aws_api_gateway_resource.patients_resource.id}");
  CHECK(tf["aws_api_gateway_method"]["any_method"]["resource_id"] ==
        "${aws_api_gateway_rest_api.api.root_resource_id}");
  CHECK(test::problems(app).empty());
}

TEST_CASE("A path that is not a resource path is HS1008 at the call; the same route twice is a duplicate id",
          "[apigateway]") {
  App app;
  Stack& stack = app.add_stack("S");
  auto& api = stack.add<apigateway::RestApi>("Api", {.api_name = "api"});
  const int line = __LINE__ + 1;
  api.add_method("GET", "patients", {});
  api.add_method("GET", "/patients//x", {});
  api.add_method("PUT", "/a", {});
  api.add_method("PUT", "/a", {});
  std::vector<std::string> errors;
  for (const auto& d : synthesize(app, {.target = Target::CloudFormation}).diagnostics) {
    CHECK_THAT(d.file, Catch::EndsWith("test_apigateway.cpp"));
    errors.push_back(d.code + " " + d.path + " line +" + std::to_string(d.line - line) + ": " + d.message);
  }
  CHECK_THAT(errors, Catch::VectorContains(
                         std::string("HS1008 S/Api line +0: path 'patients' of S/Api is not a resource path")));
  CHECK_THAT(errors, Catch::VectorContains(
                         std::string("HS1008 S/Api line +1: path '/patients//x' of S/Api is not a resource path")));
  bool duplicate = false;
  for (const auto& e : errors)
    duplicate = duplicate || (e.starts_with("HS1001") && e.find("PutAMethod") != std::string::npos);
  CHECK(duplicate);
}

TEST_CASE("add_route names an HTTP route from its key and fills in the API", "[apigateway]") {
  App app;
  Stack& stack = app.add_stack("S");
  auto& role = stack.add<iam::Role>("Role", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com")});
  auto& fn = stack.add<lambda::Function>("Fn", {.code = lambda::Code::inline_source("index.js", "x"), .role = role});
  auto& api = stack.add<apigatewayv2::HttpApi>("Api", {.api_name = "api"});
  auto& integration = stack.add<apigatewayv2::Integration>("FnIntegration", {.api = api, .function = fn});
  auto& route = api.add_route("GET /patients/{id}", {.integration = integration});
  CHECK(route.path() == "S/GetPatientsIdRoute");
  CHECK(test::cfn(app)["Resources"]["GetPatientsIdRoute"]["Properties"] ==
        json::parse(R"({"ApiId": {"Ref": "Api"}, "RouteKey": "GET /patients/{id}", "AuthorizationType": "AWS_IAM",
                        "Target": {"Fn::Sub": "integrations/${FnIntegration}"}})"));
}
