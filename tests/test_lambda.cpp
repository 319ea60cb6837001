// Lambda functions' dead-letter targets (a queue or a topic, never FIFO) and layers, and the
// dead-letter rule (HIPAA-LAMBDA-4) that waits for the healthcare stack's function to get one.
#include <catch2/catch.hpp>

#include "hipaa/aws/lambda.hpp"
#include "rules/rule_support.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

struct Fixture {
  App app;
  Stack& stack = app.add_stack("S");
  kms::Key& key = stack.add<kms::Key>("Key", {.description = "k"});
  iam::Role& role = stack.add<iam::Role>("Role", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com")});

  lambda::Function& function(std::string id, lambda::FunctionProps props) {
    props.code = lambda::Code::inline_source("index.js", "exports.handler = async () => ({});");
    props.role = role;
    return stack.add<lambda::Function>(std::move(id), std::move(props));
  }
};

}  // namespace

TEST_CASE("A function's dead-letter queue or topic and its layers reach both targets", "[lambda]") {
  Fixture f;
  auto& queue = f.stack.add<sqs::Queue>("Dlq", {.kms_key = f.key, .message_retention_seconds = 1209600});
  auto& topic = f.stack.add<sns::Topic>("Failures", {.kms_key = f.key});
  const Value layer = interpolate({"arn:", partition(), ":lambda:", region(), ":", account_id(), ":layer:shared:3"});
  f.function("ToQueue", {.dead_letter = queue, .layers = {layer, "arn:aws:lambda:us-east-1:111122223333:layer:x:1"}});
  f.function("ToTopic", {.dead_letter = topic});
  f.function("Neither", {});

  const json cfn = test::cfn(f.app)["Resources"];
  CHECK(cfn["ToQueue"]["Properties"]["DeadLetterConfig"] == json{{"TargetArn", {{"Fn::GetAtt", {"Dlq", "Arn"}}}}});
  CHECK(cfn["ToQueue"]["Properties"]["Layers"] ==
        json{{{"Fn::Sub", "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:layer:shared:3"}},
             "arn:aws:lambda:us-east-1:111122223333:layer:x:1"});
  CHECK(cfn["ToTopic"]["Properties"]["DeadLetterConfig"] == json{{"TargetArn", {{"Ref", "Failures"}}}});
  CHECK_FALSE(cfn["Neither"]["Properties"].contains("DeadLetterConfig"));
  CHECK_FALSE(cfn["Neither"]["Properties"].contains("Layers"));

  const json tf = test::tf(f.app)["resource"]["aws_lambda_function"];
  CHECK(tf["to_queue"]["dead_letter_config"] == json{{"target_arn", "${aws_sqs_queue.dlq.arn}"}});
  CHECK(tf["to_queue"]["layers"] ==
        json{"arn:${data.aws_partition.current.partition}:lambda:${data.aws_region.current.name}:${data.aws_caller_"
             "identity.current.account_id}:layer:shared:3",
             "arn:aws:lambda:us-east-1:111122223333:layer:x:1"});
  CHECK(tf["to_topic"]["dead_letter_config"] == json{{"target_arn", "${aws_sns_topic.failures.arn}"}});
  CHECK_FALSE(tf["neither"].contains("dead_letter_config"));
}

TEST_CASE("A dead-letter target is a queue or a topic, never both", "[lambda]") {
  Fixture f;
  auto& queue = f.stack.add<sqs::Queue>("Dlq", {.kms_key = f.key});
  const lambda::DeadLetterTarget none;
  const lambda::DeadLetterTarget to_queue = queue;
  CHECK_FALSE(none);
  CHECK(none.arn().is_null());
  CHECK(to_queue);
  CHECK(to_queue.queue() == &queue);
  CHECK(to_queue.topic() == nullptr);
}

TEST_CASE("Lambda rejects FIFO dead-letter targets and more than five layers", "[lambda]") {
  Fixture f;
  auto& fifo_queue = f.stack.add<sqs::Queue>("FifoQueue", {.queue_name = "q.fifo", .kms_key = f.key, .fifo = true});
  auto& fifo_topic = f.stack.add<sns::Topic>("FifoTopic", {.topic_name = "t.fifo", .kms_key = f.key, .fifo = true});
  const std::string layer = "arn:aws:lambda:us-east-1:111122223333:layer:shared:";
  f.function("ToFifoQueue", {.dead_letter = fifo_queue});
  f.function("ToFifoTopic", {.dead_letter = fifo_topic});
  f.function("Layers", {.layers = {layer + "1", layer + "2", layer + "3", layer + "4", layer + "5", layer + "6"}});
  f.function("BadLayers", {.layers = {"arn:aws:lambda:us-east-1:111122223333:function:shared", layer + "1", layer + "1",
                                      "arn:aws:lambda:us-east-1:1111:layer:shared:1"}});
  CHECK(test::problems(f.app) ==
        std::vector<std::string>{
            "HS2004 S/ToFifoQueue: 'dead_letter' queue S/FifoQueue is FIFO; Lambda sends failed events only to a "
            "standard queue or topic",
            "HS2004 S/ToFifoTopic: 'dead_letter' topic S/FifoTopic is FIFO; Lambda sends failed events only to a "
            "standard queue or topic",
            "HS2004 S/Layers: 'layers' has 6 layers; Lambda accepts at most 5",
            "HS2004 S/BadLayers: 'layers' entry 'arn:aws:lambda:us-east-1:111122223333:function:shared' is not a "
            "layer version ARN",
            "HS2004 S/BadLayers: 'layers' lists 'arn:aws:lambda:us-east-1:111122223333:layer:shared:1' twice",
            "HS2004 S/BadLayers: 'layers' entry 'arn:aws:lambda:us-east-1:1111:layer:shared:1' is not a layer version "
            "ARN",
        });
}

TEST_CASE("HIPAA-LAMBDA-4 flags a function without a dead-letter target", "[lambda][rules]") {
  Fixture f;
  auto& queue = f.stack.add<sqs::Queue>("Dlq", {.kms_key = f.key});
  f.function("Kept", {.dead_letter = queue});
  f.function("Dropped", {});
  const auto& rule = rules::detail::lambda_dead_letter_rules().at(0);
  CHECK(rule.id == "HIPAA-LAMBDA-4");
  CHECK(rule.severity == Severity::Error);
  CHECK(rule.cdk_nag == "LambdaDLQ");
  std::vector<rules::Finding> found;
  rules::Reporter reporter(std::make_shared<const rules::Rule>(rule), found);
  rule.check(rules::Inventory(f.stack), reporter);
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "S/Dropped");
  CHECK(found[0].message == "no dead-letter queue or topic keeps the events of failed invocations");
  CHECK(rules::find_rule("HIPAA-LAMBDA-4") != nullptr);  // in every check
}

TEST_CASE("A function without a name gets one in Terraform, which requires it; CloudFormation generates its own",
          "[lambda]") {
  Fixture f;
  f.function("Worker", {});
  const std::string long_id(70, 'W');
  f.function(long_id, {});
  f.function("Named", {.function_name = "given-name"});

  const json tf = test::tf(f.app)["resource"]["aws_lambda_function"];
  CHECK(tf["worker"]["function_name"] == "S-Worker");
  CHECK(tf["named"]["function_name"] == "given-name");
  std::string long_name;
  for (const auto& [name, body] : tf.items()) {
    if (name != "worker" && name != "named") long_name = body["function_name"];
  }
  REQUIRE(long_name.size() == 64);  // Lambda's limit
  CHECK(long_name.starts_with("S-" + std::string(53, 'W') + "-"));
  CHECK(long_name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
        std::string::npos);

  const json cfn = test::cfn(f.app)["Resources"];
  CHECK_FALSE(cfn["Worker"]["Properties"].contains("FunctionName"));
  CHECK(cfn["Named"]["Properties"]["FunctionName"] == "given-name");
}
