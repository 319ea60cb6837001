// `hipaa-synth schema`: the JSON Schema of the --config format holds exactly the keys the reader
// accepts, with the reader's enum spellings, and the limits it carries accept and refuse what the
// reader and the synth check accept and refuse. The keys the reader accepts are taken from the
// reader itself (the "valid keys" hint of an unknown key), not from the generator's tables. The
// schema is checked here by a small validator of the keywords it uses; tests/config-schema runs
// Ajv over it and over every config example in docs/ and tests/.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hipaa/healthcare.hpp"
#include "hipaa/healthcare_config.hpp"
#include "support.hpp"

using namespace hipaa;
using json = nlohmann::ordered_json;  // keys in the schema's order

namespace {

const json& schema() {
  static const json kSchema = json::parse(config_schema());
  return kSchema;
}

// --- A validator of the keywords the schema uses (type, enum, properties, additionalProperties,
// required, items, minimum, maximum, minLength, maxLength, pattern).

bool has_type(const json& value, const std::string& type) {
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  FAIL("the schema uses type " << type);
  return false;
}

bool valid(const json& s, const json& value) {
  static const std::set<std::string> kKnown = {
      "description", "type",      "enum",      "default", "properties",           "required", "items", "minimum",
      "maximum",     "minLength", "maxLength", "pattern", "additionalProperties", "$schema",  "$id",   "title"};
  for (const auto& [keyword, ignored] : s.items()) {
    if (!kKnown.contains(keyword)) FAIL("the schema uses keyword " << keyword);
  }
  if (s.contains("type")) {
    const json types = s["type"].is_array() ? s["type"] : json::array({s["type"]});
    if (std::ranges::none_of(types, [&](const json& t) { return has_type(value, t.get<std::string>()); })) {
      return false;
    }
  }
  if (s.contains("enum") && std::ranges::find(s["enum"], value) == s["enum"].end()) return false;
  if (value.is_number()) {
    if (s.contains("minimum") && value.get<double>() < s["minimum"].get<double>()) return false;
    if (s.contains("maximum") && value.get<double>() > s["maximum"].get<double>()) return false;
  }
  if (value.is_string()) {
    const auto text = value.get<std::string>();
    if (s.contains("minLength") && text.size() < s["minLength"].get<std::size_t>()) return false;
    if (s.contains("maxLength") && text.size() > s["maxLength"].get<std::size_t>()) return false;
    if (s.contains("pattern") && !std::regex_search(text, std::regex(s["pattern"].get<std::string>()))) return false;
  }
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (s.contains("properties") && s["properties"].contains(key)) {
        if (!valid(s["properties"][key], item)) return false;
      } else if (s.value("additionalProperties", true) == false) {
        return false;
      }
    }
    if (s.contains("required")) {
      for (const auto& key : s["required"]) {
        if (!value.contains(key.get<std::string>())) return false;
      }
    }
  }
  if (value.is_array() && s.contains("items")) {
    for (const auto& item : value) {
      if (!valid(s["items"], item)) return false;
    }
  }
  return true;
}

// --- The reader and the synth check.

// `{"a": {"b": value}}` for the key path "a.b".
json config_setting(const std::string& path, const json& value) {
  json out = value;
  std::string rest = path;
  while (!rest.empty()) {
    const std::size_t dot = rest.rfind('.');
    const std::string key = dot == std::string::npos ? rest : rest.substr(dot + 1);
    out = json{{key, out}};
    rest = dot == std::string::npos ? "" : rest.substr(0, dot);
  }
  return out;
}

Diagnostics read(const json& config, HealthcareOptions& options) {
  return apply_config(config.dump(), "config.json", options);
}

// The reader accepts the document and the stack built from it passes its own checks.
bool accepted(const json& config) {
  HealthcareOptions options = HealthcareOptions::preset(Preset::Hardened);
  if (!read(config, options).empty()) return false;
  App app;
  app.add<HealthcareStack>("HealthcareStack", options);
  return std::ranges::none_of(validate(app, 1), [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

// The keys the reader accepts in a map, from its own hint for an unknown key ("valid keys: a, b").
// `where` is the map's path ("" at the top, "api.routes[0]" for a route); nullopt when it is not a
// map of options.
std::optional<std::vector<std::string>> reader_keys(const std::string& where) {
  json config = {{"zz_unknown", 1}};
  if (where == "api.routes[0]") {
    config = {{"api", {{"routes", json::array({{{"method", "GET"}, {"path", "/"}, {"zz_unknown", 1}}})}}}};
  } else if (!where.empty()) {
    config = config_setting(where, config);
  }
  HealthcareOptions options = HealthcareOptions::preset(Preset::Hardened);
  const Diagnostics problems = read(config, options);
  const std::string unknown = (where.empty() ? "" : where + ".") + "zz_unknown";
  const auto found = std::ranges::find_if(problems, [&](const Diagnostic& d) { return d.path == unknown; });
  if (found == problems.end()) return std::nullopt;
  REQUIRE(found->code == "HS5002");
  const std::string prefix = "valid keys: ";
  REQUIRE(found->hint.find(prefix) != std::string::npos);
  std::vector<std::string> keys;
  std::string list = found->hint.substr(found->hint.find(prefix) + prefix.size());
  for (std::size_t comma; (comma = list.find(", ")) != std::string::npos; list.erase(0, comma + 2)) {
    keys.push_back(list.substr(0, comma));
  }
  keys.push_back(list);
  return keys;
}

std::vector<std::string> schema_keys(const json& object) {
  std::vector<std::string> keys;
  for (const auto& [key, ignored] : object["properties"].items()) keys.push_back(key);
  return keys;
}

// Every key path of the schema with its property schema: "database", "database.engine", ...
void leaves(const json& object, const std::string& prefix, std::map<std::string, json>& out) {
  for (const auto& [key, property] : object["properties"].items()) {
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    out[path] = property;
    if (property.contains("properties")) leaves(property, path, out);
  }
}

const std::map<std::string, json>& schema_paths() {
  static const std::map<std::string, json> kPaths = [] {
    std::map<std::string, json> out;
    leaves(schema(), "", out);
    return out;
  }();
  return kPaths;
}

bool is_section(const json& property) { return property.contains("properties"); }

}  // namespace

TEST_CASE("The config schema is a draft 2020-12 schema with a stable id, the same on every call", "[config-schema]") {
  const json& s = schema();
  CHECK(s["$schema"] == "https://json-schema.org/draft/2020-12/schema");
  CHECK(s["$id"] == "urn:hipaa-synth:config");
  CHECK(s["title"] == "hipaa-synth config");
  CHECK_FALSE(s["description"].get<std::string>().empty());
  CHECK(s["type"] == "object");
  CHECK(s["additionalProperties"] == false);
  CHECK(config_schema() == config_schema());
  // Keys in the reader's order, not sorted.
  CHECK(config_schema().find("\"preset\"") < config_schema().find("\"environment_suffix\""));
}

TEST_CASE("Every map of the schema has exactly the keys the reader accepts there, in its order", "[config-schema]") {
  // The reader's top-level keys, and each one it reads as a map of options (a section).
  const auto top = reader_keys("");
  REQUIRE(top);
  CHECK(*top == schema_keys(schema()));
  std::size_t sections = 0;
  for (const std::string& key : *top) {
    CAPTURE(key);
    const auto section = reader_keys(key);
    const json& property = schema()["properties"][key];
    CHECK(section.has_value() == is_section(property));
    if (!section) continue;
    ++sections;
    CHECK(*section == schema_keys(property));
    CHECK(property["additionalProperties"] == false);
  }
  CHECK(sections == 10);
  // A route's keys, both required.
  const auto route = reader_keys("api.routes[0]");
  REQUIRE(route);
  const json& items = schema()["properties"]["api"]["properties"]["routes"]["items"];
  CHECK(*route == schema_keys(items));
  CHECK(items["required"] == json(*route));
  CHECK(items["additionalProperties"] == false);
}

TEST_CASE("The reader accepts every key of the schema set to its default, and the schema accepts it too",
          "[config-schema]") {
  std::size_t options = 0;
  for (const auto& [path, property] : schema_paths()) {
    CAPTURE(path);
    if (is_section(property)) {
      // `section:` with nothing under it changes nothing.
      CHECK(accepted(config_setting(path, nullptr)));
      CHECK(valid(schema(), config_setting(path, nullptr)));
      continue;
    }
    ++options;
    REQUIRE(property.contains("description"));
    REQUIRE(property.contains("default"));
    const json config = config_setting(path, property["default"]);
    HealthcareOptions o = HealthcareOptions::preset(Preset::Hardened);
    CHECK(read(config, o).empty());
    CHECK(o.sources.lines.contains(path));  // the reader read the key itself
    CHECK(accepted(config));
    CHECK(valid(schema(), config));
  }
  CHECK(options > 60);
}

TEST_CASE("An unknown key is refused by the reader and by the schema, at every level", "[config-schema]") {
  for (const auto& [path, property] : schema_paths()) {
    if (!is_section(property)) continue;
    CAPTURE(path);
    const json config = config_setting(path + ".zz_unknown", true);
    CHECK_FALSE(accepted(config));
    CHECK_FALSE(valid(schema(), config));
  }
  const json top = {{"zz_unknown", true}};
  CHECK_FALSE(accepted(top));
  CHECK_FALSE(valid(schema(), top));
  const json route = {{"api", {{"routes", json::array({{{"method", "GET"}, {"path", "/"}, {"verb", "GET"}}})}}}};
  CHECK_FALSE(accepted(route));
  CHECK_FALSE(valid(schema(), route));
  const json incomplete = {{"api", {{"routes", json::array({{{"method", "GET"}}})}}}};
  CHECK_FALSE(accepted(incomplete));
  CHECK_FALSE(valid(schema(), incomplete));
}

TEST_CASE("The schema's enums are the names the reader accepts", "[config-schema]") {
  for (const std::string path : {"preset", "database.engine", "api.kind"}) {
    CAPTURE(path);
    const json& property = schema_paths().at(path);
    REQUIRE(property.contains("enum"));
    std::string names;
    for (const auto& name : property["enum"]) {
      names += (names.empty() ? "" : ", ") + name.get<std::string>();
      CHECK(accepted(config_setting(path, name)));
      CHECK(valid(schema(), config_setting(path, name)));
    }
    // The reader's hint lists the names it accepts, in the schema's order.
    HealthcareOptions o = HealthcareOptions::preset(Preset::Hardened);
    const Diagnostics problems = read(config_setting(path, "zz-unknown"), o);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].hint == "valid values: " + names);
    CHECK_FALSE(valid(schema(), config_setting(path, "zz-unknown")));
    // Case matters to both.
    std::string upper = property["enum"][0].get<std::string>();
    std::ranges::transform(upper, upper.begin(), [](char c) { return static_cast<char>(std::toupper(c)); });
    CHECK_FALSE(accepted(config_setting(path, upper)));
    CHECK_FALSE(valid(schema(), config_setting(path, upper)));
  }
  // The values synth accepts: every known region, every route method.
  const json& regions = schema_paths().at("region")["enum"];
  CHECK(regions.size() > 30);
  for (const auto& region : regions) CHECK(accepted(config_setting("region", region)));
  const json& methods = schema_paths().at("api.routes")["items"]["properties"]["method"]["enum"];
  for (const auto& method : methods) {
    CHECK(accepted(config_setting("api.routes", json::array({{{"method", method}, {"path", "/x"}}}))));
  }
  CHECK(schema_paths().at("state.region")["enum"][0] == "");
  CHECK(accepted(config_setting("state.region", "")));
}

TEST_CASE("A value at a limit is accepted by the reader and the schema, one beyond it refused by both",
          "[config-schema]") {
  struct Case {
    json config;
    bool ok;
  };
  const auto route = [](const std::string& method, const std::string& path) {
    return json{{"api", {{"routes", json::array({{{"method", method}, {"path", path}}})}}}};
  };
  const std::string a24(24, 'a');
  const std::string a63(63, 'a');
  const std::vector<Case> cases = {
      // Checked when the config is read (HS5003).
      {config_setting("database.instances", 16), true},
      {config_setting("database.instances", 17), false},
      {config_setting("database.instances", 0), true},
      {config_setting("database.instances", -1), false},
      // Integers fit an int.
      {config_setting("cache.nodes", 2147483648LL), false},
      // Checked at synth (HS2007).
      {config_setting("api.throttling_burst_limit", 0), true},
      {config_setting("api.throttling_burst_limit", -1), false},
      {config_setting("api.throttling_rate_limit", 0.0), true},
      {config_setting("api.throttling_rate_limit", -0.5), false},
      {{{"name_prefix", a24}, {"environment_suffix", "a"}}, true},
      {{{"name_prefix", a24 + "a"}, {"environment_suffix", "a"}}, false},
      {{{"name_prefix", "a"}, {"environment_suffix", a24}}, true},
      {{{"name_prefix", "a"}, {"environment_suffix", a24 + "a"}}, false},
      {config_setting("name_prefix", "1abc"), false},
      {config_setting("name_prefix", "a-b"), true},
      {config_setting("name_prefix", "a--b"), false},
      {config_setting("environment_suffix", "abc-"), false},
      {config_setting("environment_suffix", ""), false},
      {config_setting("environment_suffix", "prod-2"), true},
      {config_setting("database.database_name", a63), true},
      {config_setting("database.database_name", a63 + "a"), false},
      {config_setting("database.master_username", "admin_1"), true},
      {config_setting("database.master_username", "1admin"), false},
      {config_setting("region", "eu-west-1"), true},
      {config_setting("region", "mars-1"), false},
      {config_setting("state.region", "us-gov-west-1"), true},
      {config_setting("state.region", "moon-1"), false},
      {route("GET", "/patients/{id}"), true},
      {route("get", "/patients"), false},
      {route("GET", "patients"), false},
      {config_setting("function.reserved_concurrency", nullptr), true},
      {config_setting("function.reserved_concurrency", "25"), false},
      {config_setting("network.flow_logs", "true"), false},
      {config_setting("network.private_subnet_cidrs", nullptr), false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.config.dump());
    CHECK(accepted(c.config) == c.ok);
    CHECK(valid(schema(), c.config) == c.ok);
  }
}

TEST_CASE("hipaa-synth schema prints the schema", "[config-schema][cli]") {
  const test::Run run = test::run("schema", test::Stderr::Dropped);
  CHECK(run.exit_code == 0);
  CHECK(run.out == config_schema());
}
