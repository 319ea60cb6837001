// The healthcare stack's option limits: what synth accepts is what the emitted EnvironmentSuffix
// parameter (CloudFormation) and variable (Terraform) accept, every name derived at the longest
// accepted lengths is one AWS accepts, and each value the template or AWS would reject is an error
// naming the option, its limit and the config line that set it. Also where Terraform keeps state.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/kms.hpp"
#include "hipaa/aws/logs.hpp"
#include "hipaa/healthcare.hpp"
#include "hipaa/healthcare_config.hpp"
#include "support.hpp"

using namespace hipaa;
using json = nlohmann::json;

namespace {

HealthcareOptions with_suffix(Preset preset, const std::string& suffix) {
  HealthcareOptions o = HealthcareOptions::preset(preset);
  o.environment_suffix = suffix;
  return o;
}

Diagnostics errors_of(const HealthcareOptions& options) {
  App app;
  app.add<HealthcareStack>("HealthcareStack", options);
  Diagnostics out;
  for (auto& d : validate(app, 1)) {
    if (d.severity == Severity::Error) out.push_back(std::move(d));
  }
  return out;
}

bool has_code(const Diagnostics& diagnostics, std::string_view code) {
  return std::ranges::any_of(diagnostics, [&](const Diagnostic& d) { return d.code == code; });
}

// Whether the emitted CloudFormation parameter accepts `value`: its MinLength, MaxLength and
// AllowedPattern (which CloudFormation matches against the whole value).
bool cloudformation_accepts(const json& parameter, const std::string& value) {
  const std::regex pattern("^(?:" + parameter["AllowedPattern"].get<std::string>() + ")$");
  return value.size() >= parameter["MinLength"].get<std::size_t>() &&
         value.size() <= parameter["MaxLength"].get<std::size_t>() && std::regex_match(value, pattern);
}

// Whether the Terraform variable's validation condition holds for `value`: the condition is read
// back from the emitted text (its length tests and its regex), not rebuilt from the options.
bool terraform_accepts(const json& variable, const std::string& value) {
  const std::string condition = variable["validation"]["condition"].get<std::string>();
  static const std::regex shape(
      R"re(^\$\{length\(var\.environment_suffix\) >= (\d+) && length\(var\.environment_suffix\) <= (\d+) && )re"
      R"re(can\(regex\("(.*)", var\.environment_suffix\)\)\}$)re");
  std::smatch parts;
  REQUIRE(std::regex_match(condition, parts, shape));
  const std::regex pattern(parts[3].str());
  return value.size() >= std::stoul(parts[1].str()) && value.size() <= std::stoul(parts[2].str()) &&
         std::regex_search(value, pattern);
}

}  // namespace

TEST_CASE("The suffixes synth accepts are the ones the emitted parameter and variable accept", "[limits]") {
  // Good values first; the issue's rejected values after them.
  const std::vector<std::pair<std::string, bool>> values = {
      {"dev", true},    {"a", true},        {"7", true},
      {"prod-2", true}, {"a1-b2-c3", true}, {"abcdefghijklmn", true},
      {"", false},      {"abc-", false},    {"-abc", false},
      {"a--b", false},  {"Prod", false},    {"a_b", false},
      {"a b", false},   {"dev.1", false},   {std::string(40, 'a'), false},
  };
  for (Preset preset : {Preset::Hardened, Preset::Processing, Preset::Records}) {
    const HealthcareOptions defaults = HealthcareOptions::preset(preset);
    App app;
    app.add<HealthcareStack>("HealthcareStack", defaults);
    const json parameter = test::cfn(app)["Parameters"]["EnvironmentSuffix"];
    const json variable = test::tf(app)["variable"]["environment_suffix"];
    // The longest suffix the prefix leaves room for, and one character more.
    const std::size_t longest = 25 - defaults.name_prefix.size();
    CHECK(parameter["MaxLength"] == longest);
    std::vector<std::pair<std::string, bool>> cases = values;
    cases.emplace_back(std::string(longest, 'z'), true);
    cases.emplace_back(std::string(longest + 1, 'z'), false);
    for (const auto& [value, good] : cases) {
      CAPTURE(std::string(to_string(preset)), value);
      const bool synth_accepts = !has_code(errors_of(with_suffix(preset, value)), "HS2007");
      CHECK(synth_accepts == good);
      CHECK(cloudformation_accepts(parameter, value) == good);
      CHECK(terraform_accepts(variable, value) == good);
    }
  }
}

TEST_CASE("At the longest accepted prefix and suffix every derived name is one AWS accepts", "[limits]") {
  for (Preset preset : {Preset::Hardened, Preset::Processing, Preset::Records}) {
    HealthcareOptions o = HealthcareOptions::preset(preset);
    const std::size_t longest = 25 - o.name_prefix.size();
    // Hyphens where they are allowed, so every derived name holds them too.
    o.environment_suffix = std::string(longest - 2, '9') + "-x";
    CAPTURE(std::string(to_string(preset)), o.environment_suffix);
    CHECK(errors_of(o).empty());
    // The longest prefix leaves one character to the suffix.
    o.name_prefix = "p" + std::string(21, 'q') + "-r";
    o.environment_suffix = "s";
    REQUIRE(o.name_prefix.size() == 24);
    CHECK(errors_of(o).empty());
    // One character more: the suffix's own error, not the derived names' errors that blame it
    // besides (RDS, ElastiCache, Lambda, IAM, S3 and log group names are checked by their nodes).
    o.environment_suffix = "st";
    const Diagnostics too_long = errors_of(o);
    CHECK(has_code(too_long, "HS2007"));
    CHECK(std::ranges::none_of(
        too_long, [](const Diagnostic& d) { return d.code != "HS2007" && d.option == "environment_suffix"; }));
  }
}

TEST_CASE("Each value AWS or the template would reject is an error naming the option, its limit and its line",
          "[limits]") {
  struct Case {
    std::string yaml;  // set on line 2 of the config
    std::string option;
    std::string code;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"environment_suffix: abc-", "environment_suffix", "HS2007", "1-15 lower-case letters or digits"},
      {"environment_suffix: a--b", "environment_suffix", "HS2007", "single hyphens"},
      {"environment_suffix: ''", "environment_suffix", "HS2007", "'environment_suffix' is ''"},
      {"name_prefix: ''", "name_prefix", "HS2007", "starting with a letter"},
      {"region: mars-1", "region", "HS2006",
       "the stack's region 'mars-1' is not a region of partition aws, whose regions are: us-east-1"},
      {"region: cn-south-9", "region", "HS2006", "partition aws-cn, whose regions are: cn-north-1, cn-northwest-1"},
      {"database:\n  database_name: ''", "database.database_name", "HS2007", "1-63 letters"},
      {"api:\n  throttling_burst_limit: -1", "api.throttling_burst_limit", "HS2007", "must be 0 or more"},
      {"api:\n  throttling_rate_limit: -0.5", "api.throttling_rate_limit", "HS2007", "must be 0 or more"},
      {"api:\n  routes: [{method: GE T, path: /patients}]", "api.routes", "HS2007",
       "'api.routes[0].method' is 'GE T'; it must be one of GET, POST"},
      {"state:\n  region: moon-1", "state.region", "HS2006",
       "the Terraform state's region 'moon-1' is not a region of partition aws"},
      {"state:\n  bucket: Bad_Bucket", "state.bucket", "HS2003", "Terraform state bucket 'Bad_Bucket'"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.yaml);
    HealthcareOptions o = HealthcareOptions::preset(Preset::Hardened);
    REQUIRE(apply_config("preset: hardened\n" + c.yaml + "\n", "stack.yaml", o).empty());
    // Names derived from a bad value may be reported by their nodes too; the option's own error
    // is the one that says what to change.
    const Diagnostics errors = errors_of(o);
    const auto found =
        std::ranges::find_if(errors, [&](const Diagnostic& d) { return d.option == c.option && d.code == c.code; });
    REQUIRE(found != errors.end());
    const Diagnostic& d = *found;
    CHECK(d.file == "stack.yaml");
    // The key's own line: line 2 for a top-level key, line 3 for one under a section.
    CHECK(d.line == (c.option.find('.') == std::string::npos ? 2U : 3U));
    CHECK_THAT(d.message, Catch::Contains(c.says));
    // And synthesize() refuses: nothing is emitted.
    App app;
    app.add<HealthcareStack>("HealthcareStack", o);
    const SynthesisResult result = synthesize(app, {.target = Target::Terraform});
    CHECK_FALSE(result.ok());
    CHECK(result.files.empty());
  }
}

TEST_CASE("An unknown region names the partitions' regions; every partition's regions are accepted", "[limits]") {
  for (const std::string region : {"us-east-1", "eu-central-2", "cn-northwest-1", "us-gov-east-1"}) {
    HealthcareOptions o = HealthcareOptions::preset(Preset::Hardened);
    o.region = region;
    CAPTURE(region);
    CHECK(errors_of(o).empty());
  }
  App app;
  app.add_stack("Plain", {.region = "us-gov-north-9"});
  const auto problems = test::problems(app);
  REQUIRE(problems.size() == 1);
  CHECK_THAT(problems.front(),
             Catch::StartsWith("HS2006 Plain: the stack's region 'us-gov-north-9' is not a region of "
                               "partition aws-us-gov, whose regions are: us-gov-west-1, us-gov-east-1"));
}

TEST_CASE("Terraform keeps state locally unless given a bucket, then in the stack's region", "[limits][state]") {
  HealthcareOptions o = HealthcareOptions::preset(Preset::Hardened);
  o.region = "eu-west-1";
  o.environment_suffix = "prod";
  {
    App app;
    app.add<HealthcareStack>("HealthcareStack", o);
    CHECK(test::tf(app)["terraform"]["backend"] == json{{"local", {{"path", "terraform.tfstate"}}}});
  }
  o.state.bucket = "acme-terraform-state";
  {
    App app;
    app.add<HealthcareStack>("HealthcareStack", o);
    CHECK(test::tf(app)["terraform"]["backend"] == json{{"s3",
                                                         {{"bucket", "acme-terraform-state"},
                                                          {"key", "HealthcareStack/prod.tfstate"},
                                                          {"region", "eu-west-1"},
                                                          {"encrypt", true},
                                                          {"use_lockfile", true}}}});
  }
  o.state.region = "us-west-2";
  o.state.key = "records/prod.tfstate";
  o.state.kms_key_id = "alias/terraform-state";
  {
    App app;
    app.add<HealthcareStack>("HealthcareStack", o);
    const json s3 = test::tf(app)["terraform"]["backend"]["s3"];
    CHECK(s3["region"] == "us-west-2");
    CHECK(s3["key"] == "records/prod.tfstate");
    CHECK(s3["kms_key_id"] == "alias/terraform-state");
  }
}

TEST_CASE("Another stack reads local state from the producer's directory", "[limits][state]") {
  App app;
  auto& producer = app.add_stack("Shared", {});
  auto& key = producer.add<kms::Key>("Key", {.description = "k"});
  app.add_stack("Api").add<logs::LogGroup>("Logs", {.log_group_name = "x", .kms_key = key});
  const SynthesisResult tf = synthesize(app, {.target = Target::Terraform, .allow_noncompliant = true});
  REQUIRE(tf.ok());
  CHECK(json::parse(tf.files[1].contents)["data"]["terraform_remote_state"]["shared"] ==
        json{{"backend", "local"}, {"config", {{"path", "../Shared/terraform.tfstate"}}}});
}

TEST_CASE("Terraform fails the plan in a region with fewer zones than the subnets need", "[limits]") {
  App app;
  app.add<HealthcareStack>("HealthcareStack", HealthcareOptions::preset(Preset::Hardened));
  const json zones = test::tf(app)["data"]["aws_availability_zones"]["available"];
  CHECK(zones["lifecycle"]["postcondition"]["condition"] == "${length(self.names) >= 2}");
  // One subnet needs one zone, which every region has: no condition.
  App single;
  auto& stack = single.add_stack("Single");
  auto& vpc = stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  stack.add<ec2::Subnet>(
      "Subnet", {.vpc = vpc, .cidr_block = "10.0.1.0/24", .availability_zone = select(0, availability_zones())});
  CHECK_FALSE(test::tf(single)["data"]["aws_availability_zones"]["available"].contains("lifecycle"));
}

TEST_CASE("More availability zones than a known region has is an error at synth, in both targets", "[limits]") {
  // Four subnets, one per zone: eu-west-1 has three, us-west-2 four.
  auto app_in = [](const std::string& region) {
    auto app = std::make_unique<App>();
    auto& stack = app->add_stack("Spread", {.region = region});
    auto& vpc = stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
    for (std::size_t i = 0; i < 4; ++i) {
      stack.add<ec2::Subnet>("Subnet" + std::to_string(i), {.vpc = vpc,
                                                            .cidr_block = "10.0." + std::to_string(i) + ".0/24",
                                                            .availability_zone = select(i, availability_zones())});
    }
    return app;
  };
  for (Target target : {Target::CloudFormation, Target::Terraform}) {
    CAPTURE(target);
    const auto ireland = app_in("eu-west-1");
    const auto problems = test::problems(*ireland, target);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] ==
          "HS2008 Spread/Subnet3: selects availability zone 4 (index 3), but region eu-west-1 has 3 availability "
          "zones");
    CHECK(test::problems(*app_in("us-west-2"), target).empty());
  }
  // A region with more zones than selected keeps the plan-time guard for the account's own count.
  CHECK(test::tf(*app_in(
            "us-west-2"))["data"]["aws_availability_zones"]["available"]["lifecycle"]["postcondition"]["condition"] ==
        "${length(self.names) >= 4}");
}
