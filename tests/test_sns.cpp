// SNS: topics encrypted with a customer managed key and a topic policy that denies publishing
// without TLS, subscriptions for every protocol but plain http, validation and the SNS rules.
#include <catch2/catch.hpp>

#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/sns.hpp"
#include "hipaa/rules.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

struct Fixture {
  App app;
  Stack& stack = app.add_stack("S");
  kms::Key& key = stack.add<kms::Key>("Key", {.description = "k"});
};

std::vector<std::string> findings(const App& app, std::string_view rule) {
  std::vector<std::string> out;
  for (const auto& f : rules::check(app).findings) {
    if (f.rule->id == rule) out.push_back(f.path + ": " + f.message);
  }
  return out;
}

}  // namespace

TEST_CASE("A topic is encrypted with its key and its policy denies publishing without TLS", "[sns]") {
  Fixture f;
  f.stack.add<sns::Topic>("Topic", {.kms_key = f.key});
  const json cfn = test::cfn(f.app)["Resources"];
  CHECK(cfn["Topic"] ==
        json{{"Type", "AWS::SNS::Topic"}, {"Properties", {{"KmsMasterKeyId", {{"Fn::GetAtt", {"Key", "Arn"}}}}}}});
  CHECK(cfn["TopicPolicy"] == json{{"Type", "AWS::SNS::TopicPolicy"},
                                   {"Properties",
                                    {{"Topics", {{{"Ref", "Topic"}}}},
                                     {"PolicyDocument",
                                      {{"Version", "2012-10-17"},
                                       {"Statement",
                                        {{{"Sid", "DenyWithoutTls"},
                                          {"Effect", "Deny"},
                                          {"Principal", "*"},
                                          {"Action", "sns:Publish"},
                                          {"Resource", {{"Ref", "Topic"}}},
                                          {"Condition", {{"Bool", {{"aws:SecureTransport", "false"}}}}}}}}}}}}});
  const json tf = test::tf(f.app);
  CHECK(tf["resource"]["aws_sns_topic"]["topic"] == json{{"kms_master_key_id", "${aws_kms_key.key.arn}"}});
  CHECK(tf["resource"]["aws_sns_topic_policy"]["topic_policy"] ==
        json{{"arn", "${aws_sns_topic.topic.arn}"}, {"policy", "${data.aws_iam_policy_document.topic_policy.json}"}});
  CHECK(tf["data"]["aws_iam_policy_document"]["topic_policy"] ==
        json{{"statement",
              {{{"sid", "DenyWithoutTls"},
                {"effect", "Deny"},
                {"actions", {"sns:Publish"}},
                {"resources", {"${aws_sns_topic.topic.arn}"}},
                {"principals", {{{"type", "*"}, {"identifiers", {"*"}}}}},
                {"condition", {{{"test", "Bool"}, {"variable", "aws:SecureTransport"}, {"values", {"false"}}}}}}}}});
}

TEST_CASE("A topic's settings and its CloudWatch alarms statement reach both targets", "[sns]") {
  Fixture f;
  auto& topic = f.stack.add<sns::Topic>(
      "Topic", {.topic_name = "alerts.fifo",
                .display_name = "Alerts",
                .kms_key = f.key,
                .fifo = true,
                .content_based_deduplication = true,
                .allow_cloudwatch_alarms = true,
                .policy_statements = {iam::allow({"sns:Subscribe"}).id("Subscribe").principal(iam::account_root())},
                .tracing = sns::Tracing::PassThrough,
                .tags = {{"Team", "ops"}}});
  f.stack.add_output({.name = "TopicArn", .value = topic.topic_arn()});
  f.stack.add_output({.name = "TopicName", .value = topic.topic_name()});
  const json cfn = test::cfn(f.app);
  CHECK(cfn["Resources"]["Topic"]["Properties"] == json{{"TopicName", "alerts.fifo"},
                                                        {"DisplayName", "Alerts"},
                                                        {"FifoTopic", true},
                                                        {"ContentBasedDeduplication", true},
                                                        {"KmsMasterKeyId", {{"Fn::GetAtt", {"Key", "Arn"}}}},
                                                        {"TracingConfig", "PassThrough"},
                                                        {"Tags", {{{"Key", "Team"}, {"Value", "ops"}}}}});
  const json statements = cfn["Resources"]["TopicPolicy"]["Properties"]["PolicyDocument"]["Statement"];
  REQUIRE(statements.size() == 3);
  CHECK(statements[1] ==
        json{{"Sid", "AllowCloudWatchAlarms"},
             {"Effect", "Allow"},
             {"Principal", {{"Service", "cloudwatch.amazonaws.com"}}},
             {"Action", "sns:Publish"},
             {"Resource", {{"Ref", "Topic"}}},
             {"Condition",
              {{"StringEquals", {{"aws:SourceAccount", {{"Ref", "AWS::AccountId"}}}}},
               {"ArnLike",
                {{"aws:SourceArn",
                  {{"Fn::Sub", "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*"}}}}}}}});
  CHECK(statements[2]["Resource"] == json{{"Ref", "Topic"}});
  CHECK(cfn["Outputs"]["TopicArn"]["Value"] == json{{"Ref", "Topic"}});
  CHECK(cfn["Outputs"]["TopicName"]["Value"] == json{{"Fn::GetAtt", {"Topic", "TopicName"}}});

  const json tf = test::tf(f.app);
  CHECK(tf["resource"]["aws_sns_topic"]["topic"] == json{{"name", "alerts.fifo"},
                                                         {"display_name", "Alerts"},
                                                         {"fifo_topic", true},
                                                         {"content_based_deduplication", true},
                                                         {"kms_master_key_id", "${aws_kms_key.key.arn}"},
                                                         {"tracing_config", "PassThrough"},
                                                         {"tags", {{"Team", "ops"}}}});
  CHECK(tf["output"]["topic_arn"]["value"] == "${aws_sns_topic.topic.arn}");
  CHECK(tf["output"]["topic_name"]["value"] == "${aws_sns_topic.topic.name}");
}

TEST_CASE("The AWS managed key is an explicit opt-out, and a topic with nothing to say keeps SNS's policy", "[sns]") {
  Fixture f;
  f.stack.add<sns::Topic>("Topic", {.aws_managed_key = true, .enforce_tls = false});
  const json cfn = test::cfn(f.app)["Resources"];
  CHECK(cfn["Topic"]["Properties"] == json{{"KmsMasterKeyId", "alias/aws/sns"}});
  CHECK_FALSE(cfn.contains("TopicPolicy"));
  CHECK_FALSE(test::tf(f.app)["resource"].contains("aws_sns_topic_policy"));
}

TEST_CASE("Subscriptions deliver over https, to queues and to streams, with filters and a dead-letter queue", "[sns]") {
  Fixture f;
  auto& topic = f.stack.add<sns::Topic>("Topic", {.kms_key = f.key});
  auto& dlq = f.stack.add<sqs::Queue>("Dlq", {.kms_key = f.key, .message_retention_seconds = 1209600});
  auto& queue = f.stack.add<sqs::Queue>("Queue", {.kms_key = f.key});
  auto& role = f.stack.add<iam::Role>("Role", {.assume_role_policy = iam::assumed_by("sns.amazonaws.com")});
  f.stack.add<sns::Subscription>("Hook", {.topic = topic,
                                          .endpoint = "https://example.com/hook",
                                          .raw_message_delivery = true,
                                          .filter_policy = R"({"kind": ["lab-result"]})",
                                          .dead_letter_queue = dlq});
  f.stack.add<sns::Subscription>("ToQueue", {.topic = topic, .protocol = sns::Protocol::Sqs, .endpoint = queue.arn()});
  f.stack.add<sns::Subscription>("ToStream",
                                 {.topic = topic,
                                  .protocol = sns::Protocol::Firehose,
                                  .endpoint = "arn:aws:firehose:us-east-1:111122223333:deliverystream/audit",
                                  .subscription_role = role});
  const json cfn = test::cfn(f.app)["Resources"];
  CHECK(cfn["Hook"] == json{{"Type", "AWS::SNS::Subscription"},
                            {"Properties",
                             {{"TopicArn", {{"Ref", "Topic"}}},
                              {"Protocol", "https"},
                              {"Endpoint", "https://example.com/hook"},
                              {"RawMessageDelivery", true},
                              {"FilterPolicy", R"({"kind": ["lab-result"]})"},
                              {"RedrivePolicy", {{"deadLetterTargetArn", {{"Fn::GetAtt", {"Dlq", "Arn"}}}}}}}}});
  CHECK(cfn["ToQueue"]["Properties"] ==
        json{{"TopicArn", {{"Ref", "Topic"}}}, {"Protocol", "sqs"}, {"Endpoint", {{"Fn::GetAtt", {"Queue", "Arn"}}}}});
  CHECK(cfn["ToStream"]["Properties"]["SubscriptionRoleArn"] == json{{"Fn::GetAtt", {"Role", "Arn"}}});

  const json tf = test::tf(f.app)["resource"]["aws_sns_topic_subscription"];
  CHECK(tf["hook"] == json{{"topic_arn", "${aws_sns_topic.topic.arn}"},
                           {"protocol", "https"},
                           {"endpoint", "https://example.com/hook"},
                           {"raw_message_delivery", true},
                           {"filter_policy", R"({"kind": ["lab-result"]})"},
                           {"redrive_policy", R"(${jsonencode({"deadLetterTargetArn" = aws_sqs_queue.dlq.arn})})"}});
  CHECK(tf["to_queue"] == json{{"topic_arn", "${aws_sns_topic.topic.arn}"},
                               {"protocol", "sqs"},
                               {"endpoint", "${aws_sqs_queue.queue.arn}"}});
  CHECK(tf["to_stream"]["subscription_role_arn"] == "${aws_iam_role.role.arn}");
}

TEST_CASE("Every protocol is spelled as SNS spells it", "[sns]") {
  CHECK(sns::protocol_name(sns::Protocol::Https) == "https");
  CHECK(sns::protocol_name(sns::Protocol::Email) == "email");
  CHECK(sns::protocol_name(sns::Protocol::EmailJson) == "email-json");
  CHECK(sns::protocol_name(sns::Protocol::Sqs) == "sqs");
  CHECK(sns::protocol_name(sns::Protocol::Lambda) == "lambda");
  CHECK(sns::protocol_name(sns::Protocol::Sms) == "sms");
  CHECK(sns::protocol_name(sns::Protocol::Application) == "application");
  CHECK(sns::protocol_name(sns::Protocol::Firehose) == "firehose");
}

TEST_CASE("SNS's key statement lets it encrypt deliveries to queues of this account", "[sns]") {
  App app;
  auto& stack = app.add_stack("S");
  stack.add<kms::Key>("Key", {.description = "k", .policy_statements = {sns::allow_encrypted_delivery()}});
  CHECK(test::cfn(app)["Resources"]["Key"]["Properties"]["KeyPolicy"]["Statement"][1] ==
        json{{"Sid", "AllowSnsDelivery"},
             {"Effect", "Allow"},
             {"Principal", {{"Service", "sns.amazonaws.com"}}},
             {"Action", {"kms:Decrypt", "kms:GenerateDataKey*"}},
             {"Resource", "*"},
             {"Condition", {{"StringEquals", {{"aws:SourceAccount", {{"Ref", "AWS::AccountId"}}}}}}}});
}

TEST_CASE("Topic and subscription validation names the property, the value and the limit", "[sns]") {
  Fixture f;
  auto& topic = f.stack.add<sns::Topic>("Topic", {.kms_key = f.key});
  auto& fifo = f.stack.add<sns::Topic>("Fifo", {.topic_name = "events.fifo", .kms_key = f.key, .fifo = true});
  auto& queue = f.stack.add<sqs::Queue>("Queue", {.kms_key = f.key});
  auto& role = f.stack.add<iam::Role>("Role", {.assume_role_policy = iam::assumed_by("sns.amazonaws.com")});
  f.stack.add<sns::Topic>("NoKey", {});
  f.stack.add<sns::Topic>("TwoKeys", {.kms_key = f.key, .aws_managed_key = true});
  f.stack.add<sns::Topic>("Named", {.topic_name = "alerts!", .kms_key = f.key});
  f.stack.add<sns::Topic>("FifoUnnamed", {.kms_key = f.key, .fifo = true});
  f.stack.add<sns::Topic>("Display", {.display_name = std::string(101, 'd'),
                                      .kms_key = f.key,
                                      .content_based_deduplication = true,
                                      .policy_statements = {iam::allow({"sns:Publish"}).id("Anyone")}});
  f.stack.add<sns::Subscription>("Empty", {});
  f.stack.add<sns::Subscription>("Plain", {.topic = topic, .endpoint = "http://example.com/hook"});
  f.stack.add<sns::Subscription>("Relative", {.topic = topic, .endpoint = "example.com/hook"});
  f.stack.add<sns::Subscription>("Mail", {.topic = topic, .protocol = sns::Protocol::Email, .endpoint = "ops"});
  f.stack.add<sns::Subscription>("Text", {.topic = topic, .protocol = sns::Protocol::Sms, .endpoint = "555-0100"});
  f.stack.add<sns::Subscription>("Url",
                                 {.topic = topic, .protocol = sns::Protocol::Sqs, .endpoint = queue.queue_url()});
  f.stack.add<sns::Subscription>("Arnless", {.topic = topic, .protocol = sns::Protocol::Application, .endpoint = "x"});
  f.stack.add<sns::Subscription>("Raw", {.topic = topic,
                                         .protocol = sns::Protocol::EmailJson,
                                         .endpoint = "ops@example.com",
                                         .raw_message_delivery = true});
  f.stack.add<sns::Subscription>(
      "Stream", {.topic = topic, .protocol = sns::Protocol::Firehose, .endpoint = "arn:aws:firehose:us-east-1:1:x"});
  f.stack.add<sns::Subscription>("WithRole",
                                 {.topic = topic, .endpoint = "https://example.com", .subscription_role = role});
  f.stack.add<sns::Subscription>(
      "Filter", {.topic = topic, .endpoint = "https://example.com", .filter_policy = R"(["not", "an object"])"});
  f.stack.add<sns::Subscription>("Ordered",
                                 {.topic = fifo, .endpoint = "https://example.com", .dead_letter_queue = queue});
  CHECK(test::problems(f.app) ==
        std::vector<std::string>{
            "HS2001 S/NoKey: required property 'kms_key' is not set",
            "HS2004 S/TwoKeys: 'kms_key' and 'aws_managed_key' are both set; a topic has one key",
            "HS2003 S/Named: 'topic_name' value 'alerts!' contains '!'; AWS accepts only A-Z a-z 0-9 _-",
            "HS2001 S/FifoUnnamed: a FIFO topic needs a 'topic_name' ending in '.fifo'",
            "HS2003 S/Display: 'display_name' has 101 characters; AWS accepts at most 100",
            "HS2004 S/Display: 'content_based_deduplication' is set but the topic is not FIFO",
            "HS2001 S/Display: 'policy_statements' statement 1 (Anyone) has no principal; every statement of a "
            "resource policy names one",
            "HS2001 S/Empty: required property 'topic' is not set",
            "HS2001 S/Empty: required property 'endpoint' is not set",
            "HS2004 S/Plain: 'endpoint' value 'http://example.com/hook' is plain HTTP: SNS would send every "
            "message, PHI included, in clear text",
            "HS2004 S/Relative: 'endpoint' value 'example.com/hook' must start with 'https://' for protocol https",
            "HS2004 S/Mail: 'endpoint' value 'ops' is not an email address",
            "HS2004 S/Text: 'endpoint' value '555-0100' is not a phone number in E.164 form ('+' and up to 15 "
            "digits)",
            "HS2004 S/Url: 'endpoint' of a sqs subscription must be the arn() of a sqs::Queue, not an attribute of "
            "S/Queue",
            "HS2004 S/Arnless: 'endpoint' value 'x' must be an ARN for protocol application",
            "HS2004 S/Raw: 'raw_message_delivery' is set on a email-json subscription; SNS delivers raw messages "
            "only to sqs, https and firehose",
            "HS2001 S/Stream: a firehose subscription needs 'subscription_role'",
            "HS2004 S/WithRole: 'subscription_role' is set on a https subscription; only firehose uses one",
            R"(HS2004 S/Filter: 'filter_policy' is not a JSON object: ["not", "an object"])",
            "HS2004 S/Ordered: FIFO topic S/Fifo delivers only to SQS queues, not to https",
            "HS2004 S/Ordered: 'dead_letter_queue' S/Queue is standard but topic S/Fifo is FIFO; SNS needs both of "
            "one kind",
        });
}

TEST_CASE("A subscription's lambda endpoint must be a function's ARN", "[sns]") {
  Fixture f;
  auto& topic = f.stack.add<sns::Topic>("Topic", {.kms_key = f.key});
  auto& role = f.stack.add<iam::Role>("Role", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com")});
  auto& fn = f.stack.add<lambda::Function>(
      "Fn", {.code = lambda::Code::inline_source("index.js", "exports.handler = async () => ({});"), .role = role});
  f.stack.add<sns::Subscription>("Good", {.topic = topic, .protocol = sns::Protocol::Lambda, .endpoint = fn.arn()});
  f.stack.add<sns::Subscription>("Bad",
                                 {.topic = topic, .protocol = sns::Protocol::Lambda, .endpoint = fn.function_name()});
  CHECK(test::problems(f.app) ==
        std::vector<std::string>{"HS2004 S/Bad: 'endpoint' of a lambda subscription must be the arn() of a "
                                 "lambda::Function, not an attribute of S/Fn"});
}

TEST_CASE("HIPAA-SNS-1 flags a topic without a customer managed key", "[sns][rules]") {
  Fixture f;
  f.stack.add<sns::Topic>("AwsManaged", {.aws_managed_key = true});
  f.stack.add<sns::Topic>("Managed", {.kms_key = f.key});
  CHECK(findings(f.app, "HIPAA-SNS-1") ==
        std::vector<std::string>{
            "S/AwsManaged: encrypted with the AWS managed key alias/aws/sns, not a customer managed key"});
}

TEST_CASE("HIPAA-SNS-2 flags a topic whose policy lets anyone publish without TLS", "[sns][rules]") {
  Fixture f;
  f.stack.add<sns::Topic>("Open", {.kms_key = f.key, .enforce_tls = false});
  f.stack.add<sns::Topic>("Closed", {.kms_key = f.key});
  CHECK(findings(f.app, "HIPAA-SNS-2") ==
        std::vector<std::string>{"S/Open: the topic policy does not deny publishing without TLS"});
}

TEST_CASE("HIPAA-SNS-3 flags a subscription overridden to plain HTTP", "[sns][rules]") {
  Fixture f;
  auto& topic = f.stack.add<sns::Topic>("Topic", {.kms_key = f.key});
  f.stack.add<sns::Subscription>("Secure", {.topic = topic, .endpoint = "https://example.com"});
  f.stack.add<sns::Subscription>("Downgraded", {.topic = topic, .endpoint = "https://example.com"})
      .add_override(Target::CloudFormation, "Properties.Protocol", "http");
  f.stack.add<sns::Subscription>("Redirected", {.topic = topic, .endpoint = "https://example.com"})
      .add_override(Target::Terraform, "endpoint", "http://example.com");
  CHECK(findings(f.app, "HIPAA-SNS-3") ==
        std::vector<std::string>{"S/Downgraded: override Properties.Protocol delivers over plain HTTP",
                                 "S/Redirected: override endpoint sends to an http:// endpoint"});
}
