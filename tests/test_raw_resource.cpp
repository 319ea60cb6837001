// RawResource (hipaa/raw_resource.hpp): a resource given as its target type and properties takes
// part in references, dependencies, tags and rules as a typed node does, and refuses a target it
// has no form for.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "hipaa/aws/kms.hpp"
#include "hipaa/aws/sqs.hpp"
#include "hipaa/raw_resource.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

// An event bus encrypted with a typed key: both forms, a reference to the key in each.
RawResource& event_bus(Construct& scope, const kms::Key& key, Tags tags = {}) {
  return scope.add<RawResource>(
      "Bus", {.cloudformation = {.type = "AWS::Events::EventBus",
                                 .properties = {{"Name", "records"}, {"KmsKeyIdentifier", key.arn()}}},
              .terraform = {.type = "aws_cloudwatch_event_bus",
                            .arguments = {{"name", "records"}, {"kms_key_identifier", key.arn()}}},
              .tags = std::move(tags)});
}

std::vector<std::string> errors(const SynthesisResult& result, unsigned first_line) {
  std::vector<std::string> out;
  for (const auto& d : result.diagnostics) {
    CHECK_THAT(d.file, Catch::EndsWith("test_raw_resource.cpp"));
    out.push_back(d.code + " " + d.path + " line +" + std::to_string(d.line - first_line) + ": " + d.message);
  }
  return out;
}

}  // namespace

TEST_CASE("A raw resource is written as given in each target, referring to typed nodes and referred to by them",
          "[raw]") {
  App app;
  Stack& stack = app.add_stack("S");
  auto& key = stack.add<kms::Key>("Key", {.description = "bus"});
  auto& bus = event_bus(stack, key);
  // A typed node takes the raw resource's attributes like any other reference; the names are
  // copied, so they need not outlive the call.
  stack.add<sqs::Queue>("Work",
                        {.queue_name = bus.attribute({std::string("Name"), std::string("name")}), .kms_key = key});
  stack.add<sqs::Queue>("Ids", {.queue_name = bus.ref(), .kms_key = key});

  const json cfn = test::cfn(app)["Resources"];
  CHECK(cfn["Bus"] ==
        json{{"Type", "AWS::Events::EventBus"},
             {"Properties", {{"Name", "records"}, {"KmsKeyIdentifier", {{"Fn::GetAtt", {"Key", "Arn"}}}}}}});
  CHECK(cfn["Work"]["Properties"]["QueueName"] == json{{"Fn::GetAtt", {"Bus", "Name"}}});
  CHECK(cfn["Ids"]["Properties"]["QueueName"] == json{{"Ref", "Bus"}});

  const json tf = test::tf(app)["resource"];
  CHECK(tf["aws_cloudwatch_event_bus"]["bus"] ==
        json{{"name", "records"}, {"kms_key_identifier", "${aws_kms_key.key.arn}"}});
  CHECK(tf["aws_sqs_queue"]["work"]["name"] == "${aws_cloudwatch_event_bus.bus.name}");
  CHECK(tf["aws_sqs_queue"]["ids"]["name"] == "${aws_cloudwatch_event_bus.bus.id}");
  // The info passes read: its types, no fixed NodeInfo.
  CHECK(bus.info().name == "RawResource");
  CHECK(bus.type().cloudformation == "AWS::Events::EventBus");
  CHECK(bus.type().terraform == "aws_cloudwatch_event_bus");
}

TEST_CASE("A raw resource orders creation by its references and explicit dependencies, both ways", "[raw]") {
  App app;
  Stack& stack = app.add_stack("S");
  auto& key = stack.add<kms::Key>("Key", {.description = "bus"});
  auto& other = stack.add<kms::Key>("Other", {.description = "unrelated"});
  auto& bus = event_bus(stack, key);
  bus.add_dependency(other);
  auto& queue = stack.add<sqs::Queue>("Work", {.kms_key = key});
  queue.add_dependency(bus);

  const json cfn = test::cfn(app)["Resources"];
  CHECK(cfn["Bus"]["DependsOn"] == "Other");
  CHECK(cfn["Work"]["DependsOn"] == "Bus");
  const json tf = test::tf(app)["resource"];
  CHECK(tf["aws_cloudwatch_event_bus"]["bus"]["depends_on"] == json{"aws_kms_key.other"});
  CHECK(tf["aws_sqs_queue"]["work"]["depends_on"] == json{"aws_cloudwatch_event_bus.bus"});

  // A loop through a raw resource is found as any other.
  key.add_dependency(bus);
  const auto problems = test::problems(app);
  REQUIRE_FALSE(problems.empty());
  for (const auto& problem : problems) CHECK(problem.starts_with("HS3003 S/"));
  CHECK(problems[0].find("Bus") != std::string::npos);
}

TEST_CASE("A raw resource carries the stack's tags, Tags::of and its own as its tagging says", "[raw][tags]") {
  App app;
  Stack& stack = app.add_stack("S", {.tags = {{"env", "prod"}}});
  Construct& events = stack.add_group("Events");
  Tags::of(events).add("data", "phi");
  auto& key = stack.add<kms::Key>("Key", {.description = "bus"});
  event_bus(events, key, {{"owner", "records"}});
  // An SSM parameter takes a map of tags; a type without tags takes none of the scopes'.
  events.add<RawResource>(
      "Param", {.cloudformation = {.type = "AWS::SSM::Parameter", .properties = {{"Type", "String"}, {"Value", "x"}}},
                .terraform = {.type = "aws_ssm_parameter", .arguments = {{"type", "String"}, {"value", "x"}}},
                .tagging = Tagging::Map});
  events.add<RawResource>(
      "Seed", {.cloudformation = {.type = "Custom::Seed", .properties = {{"ServiceToken", key.arn()}, {"rows", 3}}},
               .tagging = Tagging::None});

  const SynthesisResult result =
      synthesize(app, {.target = Target::CloudFormation, .format = Format::Json, .rules = {}});
  REQUIRE(result.ok());
  const json cfn = json::parse(result.files[0].contents)["Resources"];
  CHECK(cfn["EventsBus"]["Properties"]["Tags"] == json{{{"Key", "data"}, {"Value", "phi"}},
                                                       {{"Key", "env"}, {"Value", "prod"}},
                                                       {{"Key", "owner"}, {"Value", "records"}}});
  CHECK(cfn["EventsParam"]["Properties"]["Tags"] == json{{"data", "phi"}, {"env", "prod"}});
  CHECK(cfn["EventsSeed"]["Properties"] == json{{"ServiceToken", {{"Fn::GetAtt", {"Key", "Arn"}}}}, {"rows", 3}});

  // Terraform: the stack's tags are the provider's default_tags; the resource carries the rest.
  // The custom resource has no Terraform form, so it is left out of this app for Terraform.
  App tf_app;
  Stack& tf_stack = tf_app.add_stack("S", {.tags = {{"env", "prod"}}});
  Construct& tf_events = tf_stack.add_group("Events");
  Tags::of(tf_events).add("data", "phi");
  event_bus(tf_events, tf_stack.add<kms::Key>("Key", {.description = "bus"}), {{"owner", "records"}});
  const json tf = test::tf(tf_app);
  CHECK(tf["resource"]["aws_cloudwatch_event_bus"]["events_bus"]["tags"] ==
        json{{"data", "phi"}, {"owner", "records"}});
  CHECK(tf["provider"]["aws"]["default_tags"]["tags"] == json{{"env", "prod"}});
}

TEST_CASE("Synthesizing a raw resource for a target it has no form for is HS3006 naming it and the target", "[raw]") {
  App app;
  Stack& stack = app.add_stack("S");
  const RawResourceProps seed{.cloudformation = {.type = "Custom::Seed", .properties = {{"ServiceToken", "arn"}}},
                              .tagging = Tagging::None};
  const RawResourceProps bucket{.terraform = {.type = "aws_s3_bucket", .arguments = {{"bucket", "b"}}}};
  const unsigned line = __LINE__ + 1;
  stack.add<RawResource>("Seed", seed);
  stack.add<RawResource>("Bucket", bucket);

  const SynthesisResult tf = synthesize(app, {.target = Target::Terraform, .rules = {}});
  CHECK(tf.files.empty());
  CHECK(errors(tf, line) ==
        std::vector<std::string>{"HS3006 S/Seed line +0: raw resource Custom::Seed has no Terraform form: its props "
                                 "give no terraform.type"});
  REQUIRE_FALSE(tf.diagnostics.empty());
  CHECK_THAT(format(tf.diagnostics[0]), Catch::StartsWith("error HS3006 at S/Seed (") &&
                                            Catch::Contains("test_raw_resource.cpp:" + std::to_string(line) + ")"));

  const SynthesisResult cfn = synthesize(app, {.target = Target::CloudFormation, .rules = {}});
  CHECK(errors(cfn, line) ==
        std::vector<std::string>{"HS3006 S/Bucket line +1: raw resource aws_s3_bucket has no CloudFormation form: its "
                                 "props give no cloudformation.type"});
}

TEST_CASE("Raw resource types and property names a target would refuse are HS2010 at the user's line", "[raw]") {
  App app;
  Stack& stack = app.add_stack("S");
  const RawResourceProps names{
      .cloudformation = {.type = "AWS::S3::Bucket",
                         .properties = {{"", 1}, {"Bucket.Name", "b"}, {"bucketName", "b"}, {"Tags", 1}}},
      .terraform = {.type = "aws_s3_bucket", .arguments = {{"bucket", "a"}, {"bucket", "b"}, {"Bucket", 1}}}};
  const RawResourceProps untyped{
      .terraform = {.arguments = {{"bucket", "b"}}}, .tagging = Tagging::None, .tags = {{"team", "records"}}};
  const unsigned line = __LINE__ + 1;
  stack.add<RawResource>("None", {});
  stack.add<RawResource>("TwoWords", {.cloudformation = {.type = "AWS::S3"}, .terraform = {.type = "aws"}});
  stack.add<RawResource>("Lower", {.cloudformation = {.type = "aws::s3::bucket"}, .terraform = {.type = "S3-Bucket"}});
  stack.add<RawResource>("Custom", {.cloudformation = {.type = "Custom::"}, .terraform = {.type = "aws_"}});
  stack.add<RawResource>("Names", names);
  stack.add<RawResource>("Untyped", untyped);

  const SynthesisResult result = synthesize(app, {.target = Target::CloudFormation, .rules = {}});
  CHECK(result.files.empty());
  // Messages in variables, so that the list below reads one diagnostic a line.
  const std::string three_words =
      "is not three words of letters and digits from an upper-case letter joined by '::' (AWS::Service::Resource, "
      "Org::Service::Resource), nor Custom::Name";
  const std::string snake =
      "is not a provider's name and a resource's in lower-case letters, digits and '_' (aws_s3_bucket)";
  const std::string custom = "is not Custom:: followed by 1-60 letters, digits and _ @ -";
  const std::string dot = "has a '.'; a property is one name (nest a map for more)";
  const std::string pascal = "is not letters and digits starting with an upper-case letter (BucketName)";
  const std::string lower = "is not lower-case letters, digits and '_' starting with a letter (bucket_prefix)";
  const std::string neither = "raw resource has neither a CloudFormation nor a Terraform type";
  CHECK(errors(result, line) ==
        std::vector<std::string>{
            "HS2010 S/None line +0: " + neither,
            "HS2010 S/TwoWords line +1: CloudFormation type 'AWS::S3' " + three_words,
            "HS2010 S/TwoWords line +1: Terraform type 'aws' " + snake,
            "HS2010 S/Lower line +2: CloudFormation type 'aws::s3::bucket' " + three_words,
            "HS2010 S/Lower line +2: Terraform type 'S3-Bucket' " + snake,
            "HS2010 S/Custom line +3: CloudFormation type 'Custom::' " + custom,
            "HS2010 S/Custom line +3: Terraform type 'aws_' " + snake,
            "HS2010 S/Names line +4: CloudFormation property name '' is empty",
            "HS2010 S/Names line +4: CloudFormation property name 'Bucket.Name' " + dot,
            "HS2010 S/Names line +4: CloudFormation property name 'bucketName' " + pascal,
            "HS2010 S/Names line +4: CloudFormation property 'Tags' is set directly",
            "HS2010 S/Names line +4: Terraform argument 'bucket' is given twice",
            "HS2010 S/Names line +4: Terraform argument name 'Bucket' " + lower,
            "HS2010 S/Untyped line +5: " + neither,
            "HS2010 S/Untyped line +5: Terraform argument 'bucket' is given without a Terraform type",
            "HS2010 S/Untyped line +5: 'tags' has 1 tag(s) but 'tagging' is None",
        });
}

TEST_CASE("A program's rule sees raw resources, their types and properties", "[raw][rules]") {
  App app;
  Stack& stack = app.add_stack("S");
  stack.suppress("HIPAA-TRAIL-4", "the organization trail records the account");
  stack.add<RawResource>("Plain", {.cloudformation = {.type = "AWS::S3::Bucket", .properties = {{"BucketName", "b"}}},
                                   .terraform = {.type = "aws_s3_bucket", .arguments = {{"bucket", "b"}}}});
  auto& key = stack.add<kms::Key>("Key", {.description = "bus"});
  event_bus(stack, key);
  // An organization's rule: a raw S3 bucket escapes the built-in bucket rules.
  rules::RuleSet set = rules::RuleSet::hipaa();
  set.add({.id = "ORG-RAW-1",
           .citation = "Org policy 7",
           .title = "Buckets are typed s3::Bucket nodes",
           .remediation = "use s3::Bucket, which the HIPAA rules check",
           .check = [](const rules::Inventory& inventory, rules::Reporter& report) {
             for (const RawResource* raw : inventory.all<RawResource>()) {
               if (raw->props().cloudformation.type != "AWS::S3::Bucket") continue;
               for (const auto& [name, value] : raw->props().cloudformation.properties) {
                 const auto* bucket = value.get_if<std::string>();
                 if (name == "BucketName" && bucket != nullptr) report.flag(*raw, "raw bucket " + *bucket);
               }
             }
           }});
  const SynthesisResult result = synthesize(app, {.target = Target::Terraform, .rules = set});
  CHECK_FALSE(result.ok());
  std::vector<std::string> found;
  for (const auto& f : result.compliance.findings) {
    if (!f.suppressed_because) found.push_back(f.code + " " + f.path + ": " + f.message);
  }
  CHECK(found == std::vector<std::string>{"ORG-RAW-1 S/Plain: raw bucket b"});
}

TEST_CASE("A reference to a raw resource in another stack is an export and an import", "[raw][values]") {
  App app;
  Stack& shared = app.add_stack("Shared", {.terraform_backend = {.bucket = "state", .key = "shared.tfstate"}});
  auto& bus = event_bus(shared, shared.add<kms::Key>("Key", {.description = "bus"}));
  Stack& api = app.add_stack("Api");
  api.add<RawResource>("Archive", {.cloudformation = {.type = "AWS::Events::Archive",
                                                      .properties = {{"SourceArn", bus.attribute({"Arn", "arn"})}}},
                                   .terraform = {.type = "aws_cloudwatch_event_archive",
                                                 .arguments = {{"event_source_arn", bus.attribute({"Arn", "arn"})}}},
                                   .tagging = Tagging::None});

  const SynthesisResult cfn = synthesize(app, {.target = Target::CloudFormation, .format = Format::Json, .rules = {}});
  REQUIRE(cfn.ok());
  CHECK(json::parse(cfn.files[0].contents)["Outputs"]["ExportBusArn"]["Value"] == json{{"Fn::GetAtt", {"Bus", "Arn"}}});
  CHECK(json::parse(cfn.files[1].contents)["Resources"]["Archive"]["Properties"]["SourceArn"] ==
        json{{"Fn::ImportValue", "Shared-Bus-Arn"}});

  const SynthesisResult tf = synthesize(app, {.target = Target::Terraform, .rules = {}});
  REQUIRE(tf.ok());
  CHECK(json::parse(tf.files[0].contents)["output"]["export_bus_arn"]["value"] ==
        "${aws_cloudwatch_event_bus.bus.arn}");
  CHECK(json::parse(tf.files[1].contents)["resource"]["aws_cloudwatch_event_archive"]["archive"]["event_source_arn"] ==
        "${data.terraform_remote_state.shared.outputs.export_bus_arn}");
  CHECK(json::parse(tf.files.back().contents)["deploy_order"] == json{"Shared", "Api"});
}
