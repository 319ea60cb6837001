// The --config reader: YAML and JSON documents applied to HealthcareOptions, and the diagnostics
// for documents that are wrong (every problem at once, with file, line and key path).
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "hipaa/healthcare_config.hpp"
#include "support.hpp"

using namespace hipaa;
namespace fs = std::filesystem;

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

// Every option, one per line, so a mismatch shows which field differs.
std::string dump(const HealthcareOptions& o) {
  std::string routes;
  for (const auto& r : o.api.routes) routes += fmt::format("{} {};", r.method, r.path);
  std::ostringstream out;
  out << "environment_suffix=" << o.environment_suffix << "\nregion=" << o.region << "\nname_prefix=" << o.name_prefix
      << "\nlog_retention_days=" << o.log_retention_days << "\nexports=" << o.exports
      << "\nnetwork.vpc_cidr=" << o.network.vpc_cidr
      << "\nnetwork.public_subnet_cidrs=" << join(o.network.public_subnet_cidrs)
      << "\nnetwork.private_subnet_cidrs=" << join(o.network.private_subnet_cidrs)
      << "\nnetwork.flow_logs=" << o.network.flow_logs
      << "\nnetwork.secrets_manager_endpoint=" << o.network.secrets_manager_endpoint
      << "\nnetwork.lambda_egress_anywhere=" << o.network.lambda_egress_anywhere
      << "\ndatabase.engine=" << static_cast<int>(o.database.engine)
      << "\ndatabase.engine_version=" << o.database.engine_version
      << "\ndatabase.instance_class=" << o.database.instance_class
      << "\ndatabase.allocated_storage_gb=" << o.database.allocated_storage_gb
      << "\ndatabase.min_capacity=" << o.database.min_capacity << "\ndatabase.max_capacity=" << o.database.max_capacity
      << "\ndatabase.instances=" << o.database.instances << "\ndatabase.multi_az=" << o.database.multi_az
      << "\ndatabase.backup_retention_days=" << o.database.backup_retention_days
      << "\ndatabase.deletion_protection=" << o.database.deletion_protection
      << "\ndatabase.snapshot_on_delete=" << o.database.snapshot_on_delete
      << "\ndatabase.database_name=" << o.database.database_name
      << "\ndatabase.master_username=" << o.database.master_username << "\ncache.enabled=" << o.cache.enabled
      << "\ncache.node_type=" << o.cache.node_type << "\ncache.engine_version=" << o.cache.engine_version
      << "\ncache.nodes=" << o.cache.nodes << "\ncache.snapshot_retention_days=" << o.cache.snapshot_retention_days
      << "\napi.kind=" << static_cast<int>(o.api.kind) << "\napi.routes=" << routes
      << "\napi.iam_authorization=" << o.api.iam_authorization
      << "\napi.cors_allowed_origins=" << join(o.api.cors_allowed_origins)
      << "\napi.throttling_burst_limit=" << o.api.throttling_burst_limit
      << "\napi.throttling_rate_limit=" << o.api.throttling_rate_limit << "\napi.data_trace=" << o.api.data_trace
      << "\napi.execution_logging_role=" << o.api.execution_logging_role
      << "\napi.resource_policy=" << o.api.resource_policy << "\nfunction.runtime=" << o.function.runtime
      << "\nfunction.memory_mb=" << o.function.memory_mb << "\nfunction.timeout_seconds=" << o.function.timeout_seconds
      << "\nencryption.separate_log_key=" << o.encryption.separate_log_key
      << "\nencryption.log_key_allows_cloudwatch=" << o.encryption.log_key_allows_cloudwatch
      << "\nstate.bucket=" << o.state.bucket << "\nstate.key=" << o.state.key << "\nstate.region=" << o.state.region
      << "\nstate.kms_key_id=" << o.state.kms_key_id << '\n';
  return out.str();
}

// Every option set to something other than the hardened preset's value.
constexpr const char* kFullYaml = R"(# every option
preset: records
environment_suffix: prod
region: eu-west-1
name_prefix: clinic
log_retention_days: 2557
exports: false
network:
  vpc_cidr: 10.8.0.0/16
  public_subnet_cidrs: [10.8.1.0/24, 10.8.2.0/24, 10.8.3.0/24]
  private_subnet_cidrs:
    - 10.8.10.0/24
    - 10.8.11.0/24
  flow_logs: false
  secrets_manager_endpoint: false
  lambda_egress_anywhere: true
database:
  engine: postgres
  engine_version: 15.8
  instance_class: db.r6g.large
  allocated_storage_gb: 100
  min_capacity: 1
  max_capacity: 8.5
  instances: 3
  multi_az: false
  backup_retention_days: 35
  deletion_protection: false
  snapshot_on_delete: false
  database_name: records
  master_username: records_admin
cache:
  enabled: false
  node_type: cache.r7g.large
  engine_version: "7.0"
  nodes: 3
  snapshot_retention_days: 1
api:
  kind: http
  routes:
    - {method: GET, path: /patients}
    - method: DELETE
      path: /patients/{id}
  iam_authorization: false
  cors_allowed_origins: []
  throttling_burst_limit: 500
  throttling_rate_limit: 250.5
  data_trace: true
  execution_logging_role: false
  resource_policy: true
function:
  runtime: nodejs20.x
  memory_mb: 1024
  timeout_seconds: 10
encryption:
  separate_log_key: false
  log_key_allows_cloudwatch: false
state:
  bucket: clinic-state
  key: clinic/prod.tfstate
  region: eu-west-1
  kms_key_id: alias/clinic-state
)";

constexpr const char* kFullJson = R"({
  "preset": "records",
  "environment_suffix": "prod",
  "region": "eu-west-1",
  "name_prefix": "clinic",
  "log_retention_days": 2557,
  "exports": false,
  "network": {
    "vpc_cidr": "10.8.0.0/16",
    "public_subnet_cidrs": ["10.8.1.0/24", "10.8.2.0/24", "10.8.3.0/24"],
    "private_subnet_cidrs": ["10.8.10.0/24", "10.8.11.0/24"],
    "flow_logs": false,
    "secrets_manager_endpoint": false,
    "lambda_egress_anywhere": true
  },
  "database": {
    "engine": "postgres",
    "engine_version": "15.8",
    "instance_class": "db.r6g.large",
    "allocated_storage_gb": 100,
    "min_capacity": 1,
    "max_capacity": 8.5,
    "instances": 3,
    "multi_az": false,
    "backup_retention_days": 35,
    "deletion_protection": false,
    "snapshot_on_delete": false,
    "database_name": "records",
    "master_username": "records_admin"
  },
  "cache": {
    "enabled": false,
    "node_type": "cache.r7g.large",
    "engine_version": "7.0",
    "nodes": 3,
    "snapshot_retention_days": 1
  },
  "api": {
    "kind": "http",
    "routes": [
      {"method": "GET", "path": "/patients"},
      {"method": "DELETE", "path": "/patients/{id}"}
    ],
    "iam_authorization": false,
    "cors_allowed_origins": [],
    "throttling_burst_limit": 500,
    "throttling_rate_limit": 250.5,
    "data_trace": true,
    "execution_logging_role": false,
    "resource_policy": true
  },
  "function": {"runtime": "nodejs20.x", "memory_mb": 1024, "timeout_seconds": 10},
  "encryption": {"separate_log_key": false, "log_key_allows_cloudwatch": false},
  "state": {"bucket": "clinic-state", "key": "clinic/prod.tfstate", "region": "eu-west-1",
            "kms_key_id": "alias/clinic-state"}
}
)";

HealthcareOptions hardened() { return HealthcareOptions::preset(Preset::Hardened); }

// Applies `text` to the hardened preset and returns the problems, formatted one per entry.
std::vector<std::string> problems(std::string_view text) {
  HealthcareOptions options = hardened();
  std::vector<std::string> out;
  for (const Diagnostic& d : apply_config(text, "stack.yaml", options)) out.push_back(format(d));
  return out;
}

// The single diagnostic `text` produces.
Diagnostic only_problem(std::string_view text) {
  HealthcareOptions options = hardened();
  const Diagnostics found = apply_config(text, "stack.yaml", options);
  REQUIRE(found.size() == 1);
  return found.front();
}

}  // namespace

TEST_CASE("A full YAML config sets every option and the equivalent JSON sets the same", "[config]") {
  HealthcareOptions expected = hardened();
  expected.environment_suffix = "prod";
  expected.region = "eu-west-1";
  expected.name_prefix = "clinic";
  expected.log_retention_days = 2557;
  expected.exports = false;
  expected.network = {.vpc_cidr = "10.8.0.0/16",
                      .public_subnet_cidrs = {"10.8.1.0/24", "10.8.2.0/24", "10.8.3.0/24"},
                      .private_subnet_cidrs = {"10.8.10.0/24", "10.8.11.0/24"},
                      .flow_logs = false,
                      .secrets_manager_endpoint = false,
                      .lambda_egress_anywhere = true};
  expected.database = {.engine = DatabaseEngine::Postgres,
                       .engine_version = "15.8",
                       .instance_class = "db.r6g.large",
                       .allocated_storage_gb = 100,
                       .min_capacity = 1.0,
                       .max_capacity = 8.5,
                       .instances = 3,
                       .multi_az = false,
                       .backup_retention_days = 35,
                       .deletion_protection = false,
                       .snapshot_on_delete = false,
                       .database_name = "records",
                       .master_username = "records_admin"};
  expected.cache = {.enabled = false,
                    .node_type = "cache.r7g.large",
                    .engine_version = "7.0",
                    .nodes = 3,
                    .snapshot_retention_days = 1};
  expected.api = {.kind = ApiKind::Http,
                  .routes = {{"GET", "/patients"}, {"DELETE", "/patients/{id}"}},
                  .iam_authorization = false,
                  .cors_allowed_origins = {},
                  .throttling_burst_limit = 500,
                  .throttling_rate_limit = 250.5,
                  .data_trace = true,
                  .execution_logging_role = false,
                  .resource_policy = true};
  expected.function = {.runtime = "nodejs20.x", .memory_mb = 1024, .timeout_seconds = 10};
  expected.encryption = {.separate_log_key = false, .log_key_allows_cloudwatch = false};
  expected.state = {.bucket = "clinic-state",
                    .key = "clinic/prod.tfstate",
                    .region = "eu-west-1",
                    .kms_key_id = "alias/clinic-state"};

  HealthcareOptions from_yaml = hardened();
  CHECK(apply_config(kFullYaml, "stack.yaml", from_yaml).empty());
  HealthcareOptions from_json = hardened();
  CHECK(apply_config(kFullJson, "stack.json", from_json).empty());

  CHECK(dump(from_yaml) == dump(expected));
  CHECK(dump(from_json) == dump(from_yaml));
  // The test really changes every option.
  std::istringstream before(dump(hardened())), after(dump(expected));
  for (std::string a, b; std::getline(before, a) && std::getline(after, b);) CHECK(a != b);
}

TEST_CASE("Only the keys given change, and a list replaces the preset's list", "[config]") {
  HealthcareOptions options = HealthcareOptions::preset(Preset::Processing);
  HealthcareOptions expected = options;
  REQUIRE(apply_config("database:\n  instances: 4\napi:\n  routes:\n    - {method: ANY, path: /}\n", "c.yaml", options)
              .empty());
  expected.database.instances = 4;
  expected.api.routes = {{"ANY", "/"}};
  CHECK(dump(options) == dump(expected));
}

TEST_CASE("An empty document or an empty section changes nothing", "[config]") {
  for (const char* text : {"", "# nothing yet\n", "network:\ndatabase: {}\n", "{}"}) {
    HealthcareOptions options = hardened();
    CHECK(apply_config(text, "c.yaml", options).empty());
    CHECK(dump(options) == dump(hardened()));
  }
}

TEST_CASE("An unknown top-level key is reported with its line and the valid keys", "[config]") {
  const Diagnostic d = only_problem("region: us-west-2\ndatabse:\n  engine: postgres\n");
  CHECK(d.code == "HS5002");
  CHECK(d.severity == Severity::Error);
  CHECK(d.path == "databse");
  CHECK(d.file == "stack.yaml");
  CHECK(d.line == 2);
  CHECK(d.message == "unknown key 'databse' in the top level");
  CHECK(
      d.hint ==
      "did you mean 'database'? valid keys: preset, environment_suffix, region, name_prefix, "
      "log_retention_days, exports, network, database, cache, api, function, encryption, audit, backup, alarms, state");
  CHECK(
      format(d) ==
      "error HS5002 at databse (stack.yaml:2): unknown key 'databse' in the top level\n"
      "  hint: did you mean 'database'? valid keys: preset, environment_suffix, region, name_prefix, "
      "log_retention_days, exports, network, database, cache, api, function, encryption, audit, backup, alarms, state");
}

TEST_CASE("An unknown nested key is reported with its dotted path", "[config]") {
  const Diagnostic d = only_problem("database:\n  engine: postgres\n  engine_verison: '16.4'\n");
  CHECK(d.code == "HS5002");
  CHECK(d.path == "database.engine_verison");
  CHECK(d.line == 3);
  CHECK(d.message == "unknown key 'engine_verison' in 'database'");
  CHECK(d.hint ==
        "did you mean 'engine_version'? valid keys: engine, engine_version, instance_class, "
        "allocated_storage_gb, min_capacity, max_capacity, instances, multi_az, backup_retention_days, "
        "enhanced_monitoring_interval, performance_insights, log_exports, deletion_protection, snapshot_on_delete, "
        "database_name, master_username");

  // Without a close match the hint only lists the keys.
  const Diagnostic far = only_problem("cache:\n  colour: blue\n");
  CHECK(far.message == "unknown key 'colour' in 'cache'");
  CHECK(far.hint == "valid keys: enabled, node_type, engine_version, nodes, snapshot_retention_days");

  const Diagnostic route = only_problem("api:\n  routes:\n    - method: GET\n      path: /a\n      verb: GET\n");
  CHECK(route.path == "api.routes[0].verb");
  CHECK(route.line == 5);
  CHECK(route.message == "unknown key 'verb' in 'api.routes[0]'");
  CHECK(route.hint == "valid keys: method, path");
}

TEST_CASE("A value of the wrong type is reported with its line and the expected type", "[config]") {
  const Diagnostic d = only_problem("database:\n  engine: postgres\n  instances: two\n");
  CHECK(d.code == "HS5003");
  CHECK(d.path == "database.instances");
  CHECK(d.line == 3);
  CHECK(d.message == "'database.instances' must be an integer, got 'two'");
  CHECK(format(d) ==
        "error HS5003 at database.instances (stack.yaml:3): "
        "'database.instances' must be an integer, got 'two'");

  CHECK(only_problem("database:\n  instances: 2.5\n").message == "'database.instances' must be an integer, got '2.5'");
  CHECK(only_problem("function:\n  memory_mb: 99999999999\n").message ==
        "'function.memory_mb' must be an integer from -2147483648 to 2147483647, got '99999999999'");
  CHECK(only_problem("database:\n  max_capacity: lots\n").message ==
        "'database.max_capacity' must be a number, got 'lots'");
  CHECK(only_problem("database:\n  max_capacity: .inf\n").message ==
        "'database.max_capacity' must be a number, got '.inf'");

  const Diagnostic yes = only_problem("network:\n  flow_logs: yes\n");
  CHECK(yes.message == "'network.flow_logs' must be a boolean, got 'yes'");
  CHECK(yes.hint == "write true or false");

  // Quoted scalars are strings, in YAML and JSON alike.
  const Diagnostic quoted = only_problem("{\"network\": {\"flow_logs\": \"true\"}}");
  CHECK(quoted.line == 1);
  CHECK(quoted.message == "'network.flow_logs' must be a boolean, got 'true'");
  CHECK(quoted.hint == "the value is quoted, so it is a string; remove the quotes");
  CHECK(only_problem("log_retention_days: '30'\n").message == "'log_retention_days' must be an integer, got '30'");

  // A missing value is null, reported on the key's line.
  const Diagnostic null = only_problem("region:\nexports: true\n");
  CHECK(null.line == 1);
  CHECK(null.message == "'region' must be a string, got null");

  CHECK(only_problem("database: 5\n").message == "'database' must be a map, got '5'");
  CHECK(only_problem("network:\n  public_subnet_cidrs: 10.0.1.0/24\n").message ==
        "'network.public_subnet_cidrs' must be a list of strings, got '10.0.1.0/24'");

  const Diagnostic item = only_problem("network:\n  private_subnet_cidrs:\n    - 10.0.10.0/24\n    - [a, b]\n");
  CHECK(item.path == "network.private_subnet_cidrs[1]");
  CHECK(item.line == 4);
  CHECK(item.message == "'network.private_subnet_cidrs[1]' must be a string, got a list");

  const Diagnostic missing = only_problem("api:\n  routes:\n    - {method: GET}\n");
  CHECK(missing.path == "api.routes[0].path");
  CHECK(missing.line == 3);
  CHECK(missing.message == "'api.routes[0]' needs a 'path' string");
  CHECK(missing.hint == "each route is a map such as {method: GET, path: /patients/{id}}");
}

TEST_CASE("Numbers accept integers, and strings accept numbers as written", "[config]") {
  HealthcareOptions options = hardened();
  REQUIRE(apply_config("database:\n  min_capacity: 1\n  max_capacity: 4\n  engine_version: 16.10\n", "c.yaml", options)
              .empty());
  CHECK(options.database.min_capacity == 1.0);
  CHECK(options.database.max_capacity == 4.0);
  CHECK(options.database.engine_version == "16.10");
}

TEST_CASE("An invalid enum value is reported with the valid values", "[config]") {
  const Diagnostic engine = only_problem("database:\n  engine: mysql\n");
  CHECK(engine.code == "HS5003");
  CHECK(engine.path == "database.engine");
  CHECK(engine.line == 2);
  CHECK(engine.message == "'database.engine' must be one of aurora-postgresql, postgres, got 'mysql'");
  CHECK(engine.hint == "valid values: aurora-postgresql, postgres");

  const Diagnostic kind = only_problem("api:\n  kind: graphql\n");
  CHECK(kind.message == "'api.kind' must be one of rest, http, got 'graphql'");
  CHECK(kind.hint == "valid values: rest, http");

  const Diagnostic preset = only_problem("preset: strict\n");
  CHECK(preset.path == "preset");
  CHECK(preset.message == "'preset' must be one of processing, records, hardened, got 'strict'");
}

TEST_CASE("A malformed document is reported with the parser's line", "[config]") {
  const Diagnostic yaml = only_problem("database:\n  engine: postgres\n instances: 2\n");
  CHECK(yaml.code == "HS5001");
  CHECK(yaml.path.empty());
  CHECK(yaml.file == "stack.yaml");
  CHECK(yaml.line == 3);
  CHECK(yaml.message == "malformed document at column 2: end of map not found");
  CHECK(yaml.hint == "the config must be a YAML or JSON map of options");

  const Diagnostic json = only_problem("{\n  \"region\": \"us-east-2\",\n  \"exports\": [true\n}\n");
  CHECK(json.code == "HS5001");
  CHECK(json.line == 4);
  CHECK(json.message == "malformed document at column 1: illegal flow end");
}

TEST_CASE("A key given twice, a non-map document and several documents are errors", "[config]") {
  const Diagnostic twice = only_problem("region: us-east-1\nexports: true\nregion: us-west-2\n");
  CHECK(twice.code == "HS5001");
  CHECK(twice.path == "region");
  CHECK(twice.line == 3);
  CHECK(twice.message == "key 'region' is given twice in the top level");
  CHECK(twice.hint == "it was first given on line 1; keep one");

  const Diagnostic list = only_problem("- region: us-east-1\n");
  CHECK(list.code == "HS5003");
  CHECK(list.line == 1);
  CHECK(list.message == "the document must be a map of options, got a list");

  CHECK(only_problem("just words\n").message == "the document must be a map of options, got 'just words'");

  const Diagnostic two = only_problem("region: us-east-1\n---\nregion: us-west-2\n");
  CHECK(two.code == "HS5001");
  CHECK(two.line == 2);
  CHECK(two.message == "the config must be one document; a second one starts on line 2");
}

TEST_CASE("Every problem in a document is reported together, in document order", "[config]") {
  CHECK(problems("databse: {}\n"
                 "database:\n"
                 "  engine: oracle\n"
                 "  instances: 2.5\n"
                 "api:\n"
                 "  data_trace: maybe\n"
                 "  routes:\n"
                 "    - {method: GET, path: /a}\n"
                 "    - GET /b\n") ==
        std::vector<std::string>{
            "error HS5002 at databse (stack.yaml:1): unknown key 'databse' in the top level\n"
            "  hint: did you mean 'database'? valid keys: preset, environment_suffix, region, name_prefix, "
            "log_retention_days, exports, network, database, cache, api, function, encryption, audit, backup, alarms, "
            "state",
            "error HS5003 at database.engine (stack.yaml:3): "
            "'database.engine' must be one of aurora-postgresql, postgres, got 'oracle'\n"
            "  hint: valid values: aurora-postgresql, postgres",
            "error HS5003 at database.instances (stack.yaml:4): 'database.instances' must be an integer, got '2.5'",
            "error HS5003 at api.data_trace (stack.yaml:6): 'api.data_trace' must be a boolean, got 'maybe'\n"
            "  hint: write true or false",
            "error HS5003 at api.routes[1] (stack.yaml:9): 'api.routes[1]' must be a route, got 'GET /b'\n"
            "  hint: each route is a map such as {method: GET, path: /patients/{id}}",
        });
}

TEST_CASE("Options are untouched when the document has any problem", "[config]") {
  HealthcareOptions options = HealthcareOptions::preset(Preset::Records);
  const std::string before = dump(options);
  const Diagnostics found =
      apply_config("environment_suffix: staging\ndatabase:\n  instances: 5\n  multi_az: nope\napi:\n  routes: []\n",
                   "c.yaml", options);
  REQUIRE(found.size() == 1);
  CHECK(found.front().path == "database.multi_az");
  CHECK(dump(options) == before);

  CHECK_FALSE(apply_config("region: [\n", "c.yaml", options).empty());
  CHECK(dump(options) == before);
}

TEST_CASE("A config file is read from disk, and an unreadable one is a diagnostic", "[config]") {
  const hipaa::test::ScratchDir dir("config");
  const fs::path file = dir.path / "stack.yaml";
  std::ofstream(file) << "environment_suffix: qa\ndatabase:\n  instances: x\n";

  HealthcareOptions options = hardened();
  const Diagnostics found = apply_config_file(file, options);
  REQUIRE(found.size() == 1);
  CHECK(found.front().file == file.string());
  CHECK(found.front().line == 3);

  std::ofstream(file) << "environment_suffix: qa\n";
  CHECK(apply_config_file(file, options).empty());
  CHECK(options.environment_suffix == "qa");

  const fs::path missing = dir.path / "missing.yaml";
  const Diagnostics absent = apply_config_file(missing, options);
  REQUIRE(absent.size() == 1);
  CHECK(absent.front().code == "HS5004");
  CHECK(absent.front().file == missing.string());
  CHECK(absent.front().line == 0);
  CHECK(absent.front().message ==
        fmt::format("cannot read config file '{}': No such file or directory", missing.string()));
  CHECK(absent.front().hint == "check the path given to --config and its permissions");

  const Diagnostics directory = apply_config_file(dir.path, options);
  REQUIRE(directory.size() == 1);
  CHECK(directory.front().code == "HS5004");
  CHECK(directory.front().message ==
        fmt::format("cannot read config file '{}': it is a directory, not a regular file", dir.path.string()));
  CHECK(options.environment_suffix == "qa");
}

TEST_CASE("config_preset finds the top-level preset of a YAML or JSON document", "[config]") {
  CHECK(config_preset("preset: records\nregion: us-east-2\n") == "records");
  CHECK(config_preset("{\"region\": \"us-east-2\", \"preset\": \"processing\"}") == "processing");
  CHECK(config_preset(kFullYaml) == "records");
  // Returned as written; the caller validates it with parse_preset.
  CHECK(config_preset("preset: strict\n") == "strict");

  CHECK(config_preset("region: us-east-2\n") == std::nullopt);
  CHECK(config_preset("database:\n  preset: records\n") == std::nullopt);
  CHECK(config_preset("preset: [records]\n") == std::nullopt);
  CHECK(config_preset("preset: [records\n") == std::nullopt);
  CHECK(config_preset("- preset: records\n") == std::nullopt);
  CHECK(config_preset("") == std::nullopt);
}

TEST_CASE("The preset key is accepted but not applied by apply_config", "[config]") {
  HealthcareOptions options = hardened();
  CHECK(apply_config("preset: processing\n", "c.yaml", options).empty());
  CHECK(dump(options) == dump(hardened()));
}

TEST_CASE("Input yaml-cpp would parse forever, and nesting past 200 levels, are errors naming the place", "[config]") {
  // yaml-cpp 0.7's LoadAll never returns on these.
  const Diagnostic comma = only_problem(",");
  CHECK(comma.code == "HS5001");
  CHECK(comma.line == 1);
  CHECK(comma.message == "malformed document at column 1: unexpected ','");
  const Diagnostic trailing = only_problem("{a: 1,\n},");
  CHECK(trailing.line == 2);
  CHECK(trailing.message == "malformed document at column 2: unexpected ','");

  const Diagnostic flow = only_problem("region: " + std::string(5000, '[') + std::string(5000, ']'));
  CHECK(flow.code == "HS5001");
  CHECK(flow.message == "malformed document at column 208: nesting deeper than 200 levels");
  std::string block;
  for (int i = 0; i < 20000; ++i) block += "- ";
  CHECK(only_problem(block + "x").message == "malformed document at column 401: nesting deeper than 200 levels");
}

TEST_CASE("The number of Aurora instances is bounded, so no config builds millions of constructs", "[config]") {
  // The stack adds one cluster member per instance: this many would never finish.
  const Diagnostic d = only_problem("database:\n  instances: 2000000000\n");
  CHECK(d.code == "HS5003");
  CHECK(d.path == "database.instances");
  CHECK(d.line == 2);
  CHECK(d.message == "'database.instances' must be an integer from 0 to 16, got 2000000000");
  CHECK(only_problem("database:\n  instances: -1\n").message ==
        "'database.instances' must be an integer from 0 to 16, got -1");
  HealthcareOptions options = hardened();
  CHECK(apply_config("database:\n  instances: 16\n", "c.yaml", options).empty());
  CHECK(options.database.instances == 16);
}

TEST_CASE("An alias inside the node it refers to is an error, not endless recursion", "[config]") {
  // yaml-cpp makes `*n` the node `&n` itself (seed tests/fuzz/corpus/config/alias-cycle.yaml).
  const Diagnostic cycle = only_problem("network: &n {vpc_cidr: 10.0.0.0/16, more: *n}\n");
  CHECK(cycle.code == "HS5001");
  CHECK(cycle.line == 1);
  CHECK(cycle.message == "malformed document at column 43: an alias inside the node it refers to (a cycle)");
}

TEST_CASE("A FIFO given as the config file is refused without waiting for a writer", "[config]") {
  test::ScratchDir dir("config-fifo");
  const auto fifo = dir.path / "config.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  HealthcareOptions options;
  const Diagnostics problems = apply_config_file(fifo, options);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].code == "HS5004");
  CHECK(problems[0].message == "cannot read config file '" + fifo.string() + "': it is a FIFO, not a regular file");
}
