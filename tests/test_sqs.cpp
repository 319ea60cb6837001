// SQS: queues encrypted with a customer managed key, retained, with a queue policy that denies
// requests without TLS (written by the queue or by an sqs::QueuePolicy), dead-letter queues,
// validation and the SQS rules.
#include <catch2/catch.hpp>

#include "hipaa/aws/sns.hpp"
#include "hipaa/aws/sqs.hpp"
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

json tls_deny(const json& resource) {
  return {{"Sid", "DenyWithoutTls"}, {"Effect", "Deny"},
          {"Principal", "*"},        {"Action", "sqs:*"},
          {"Resource", resource},    {"Condition", {{"Bool", {{"aws:SecureTransport", "false"}}}}}};
}

json tf_tls_deny(const std::string& queue) {
  return {{"sid", "DenyWithoutTls"},
          {"effect", "Deny"},
          {"actions", {"sqs:*"}},
          {"resources", {"${aws_sqs_queue." + queue + ".arn}"}},
          {"principals", {{{"type", "*"}, {"identifiers", {"*"}}}}},
          {"condition", {{{"test", "Bool"}, {"variable", "aws:SecureTransport"}, {"values", {"false"}}}}}};
}

std::vector<std::string> findings(const App& app, std::string_view rule) {
  std::vector<std::string> out;
  for (const auto& f : rules::check(app).findings) {
    if (f.rule->id == rule) out.push_back(f.path + ": " + f.message);
  }
  return out;
}

}  // namespace

TEST_CASE("A queue is encrypted with its key, retained, and denies every request without TLS", "[sqs]") {
  Fixture f;
  f.stack.add<sqs::Queue>("Queue", {.kms_key = f.key});
  const json cfn = test::cfn(f.app)["Resources"];
  CHECK(cfn["Queue"] == json{{"Type", "AWS::SQS::Queue"},
                             {"DeletionPolicy", "Retain"},
                             {"UpdateReplacePolicy", "Retain"},
                             {"Properties",
                              {{"KmsMasterKeyId", {{"Fn::GetAtt", {"Key", "Arn"}}}},
                               {"KmsDataKeyReusePeriodSeconds", 300},
                               {"MessageRetentionPeriod", 345600},
                               {"VisibilityTimeout", 30},
                               {"DelaySeconds", 0}}}});
  CHECK(cfn["QueuePolicy"] ==
        json{{"Type", "AWS::SQS::QueuePolicy"},
             {"Properties",
              {{"Queues", {{{"Ref", "Queue"}}}},
               {"PolicyDocument",
                {{"Version", "2012-10-17"}, {"Statement", {tls_deny({{"Fn::GetAtt", {"Queue", "Arn"}}})}}}}}}});

  const json tf = test::tf(f.app);
  CHECK(tf["resource"]["aws_sqs_queue"]["queue"] == json{{"kms_master_key_id", "${aws_kms_key.key.arn}"},
                                                         {"kms_data_key_reuse_period_seconds", 300},
                                                         {"message_retention_seconds", 345600},
                                                         {"visibility_timeout_seconds", 30},
                                                         {"delay_seconds", 0},
                                                         {"lifecycle", {{"prevent_destroy", true}}}});
  CHECK(tf["resource"]["aws_sqs_queue_policy"]["queue_policy"] ==
        json{{"queue_url", "${aws_sqs_queue.queue.url}"},
             {"policy", "${data.aws_iam_policy_document.queue_policy.json}"}});
  CHECK(tf["data"]["aws_iam_policy_document"]["queue_policy"] == json{{"statement", {tf_tls_deny("queue")}}});
}

TEST_CASE("A queue's settings, FIFO and dead-letter queue reach both targets", "[sqs]") {
  Fixture f;
  auto& dlq = f.stack.add<sqs::Queue>(
      "Dlq", {.queue_name = "orders-dlq.fifo", .kms_key = f.key, .message_retention_seconds = 1209600, .fifo = true});
  f.stack.add<sqs::Queue>("Orders", {.queue_name = "orders.fifo",
                                     .kms_key = f.key,
                                     .kms_data_key_reuse_seconds = 3600,
                                     .message_retention_seconds = 86400,
                                     .visibility_timeout_seconds = 120,
                                     .delay_seconds = 10,
                                     .max_message_size_bytes = 65536,
                                     .fifo = true,
                                     .content_based_deduplication = true,
                                     .dead_letter = sqs::DeadLetter{.queue = dlq, .max_receive_count = 4},
                                     .tags = {{"Team", "billing"}}});
  CHECK(test::cfn(f.app)["Resources"]["Orders"]["Properties"] ==
        json{{"QueueName", "orders.fifo"},
             {"FifoQueue", true},
             {"ContentBasedDeduplication", true},
             {"KmsMasterKeyId", {{"Fn::GetAtt", {"Key", "Arn"}}}},
             {"KmsDataKeyReusePeriodSeconds", 3600},
             {"MessageRetentionPeriod", 86400},
             {"VisibilityTimeout", 120},
             {"DelaySeconds", 10},
             {"MaximumMessageSize", 65536},
             {"RedrivePolicy", {{"deadLetterTargetArn", {{"Fn::GetAtt", {"Dlq", "Arn"}}}}, {"maxReceiveCount", 4}}},
             {"Tags", {{{"Key", "Team"}, {"Value", "billing"}}}}});
  CHECK(test::tf(f.app)["resource"]["aws_sqs_queue"]["orders"] ==
        json{{"name", "orders.fifo"},
             {"fifo_queue", true},
             {"content_based_deduplication", true},
             {"kms_master_key_id", "${aws_kms_key.key.arn}"},
             {"kms_data_key_reuse_period_seconds", 3600},
             {"message_retention_seconds", 86400},
             {"visibility_timeout_seconds", 120},
             {"delay_seconds", 10},
             {"max_message_size", 65536},
             {"redrive_policy",
              R"(${jsonencode({"deadLetterTargetArn" = aws_sqs_queue.dlq.arn, "maxReceiveCount" = 4})})"},
             {"tags", {{"Team", "billing"}}},
             {"lifecycle", {{"prevent_destroy", true}}}});
}

TEST_CASE("A queue's accessors name its URL, ARN and name in each target", "[sqs]") {
  Fixture f;
  auto& queue = f.stack.add<sqs::Queue>("Queue", {.kms_key = f.key});
  f.stack.add_output({.name = "Url", .value = queue.queue_url()});
  f.stack.add_output({.name = "Arn", .value = queue.arn()});
  f.stack.add_output({.name = "Name", .value = queue.queue_name()});
  const json cfn = test::cfn(f.app)["Outputs"];
  CHECK(cfn["Url"]["Value"] == json{{"Ref", "Queue"}});
  CHECK(cfn["Arn"]["Value"] == json{{"Fn::GetAtt", {"Queue", "Arn"}}});
  CHECK(cfn["Name"]["Value"] == json{{"Fn::GetAtt", {"Queue", "QueueName"}}});
  const json tf = test::tf(f.app)["output"];
  CHECK(tf["url"]["value"] == "${aws_sqs_queue.queue.url}");
  CHECK(tf["arn"]["value"] == "${aws_sqs_queue.queue.arn}");
  CHECK(tf["name"]["value"] == "${aws_sqs_queue.queue.name}");
}

TEST_CASE("Keys owned by SQS are an explicit opt-out, and a deleted queue is an explicit choice", "[sqs]") {
  Fixture f;
  auto& queue = f.stack.add<sqs::Queue>("Queue", {.sqs_managed_encryption = true});
  queue.set_removal_policy(RemovalPolicy::Delete);
  const json cfn = test::cfn(f.app)["Resources"]["Queue"];
  CHECK(cfn["DeletionPolicy"] == "Delete");
  CHECK(cfn["Properties"] == json{{"SqsManagedSseEnabled", true},
                                  {"MessageRetentionPeriod", 345600},
                                  {"VisibilityTimeout", 30},
                                  {"DelaySeconds", 0}});
  const json tf = test::tf(f.app)["resource"]["aws_sqs_queue"]["queue"];
  CHECK(tf["sqs_managed_sse_enabled"] == true);
  CHECK_FALSE(tf.contains("kms_master_key_id"));
  CHECK_FALSE(tf.contains("kms_data_key_reuse_period_seconds"));
  CHECK_FALSE(tf.contains("lifecycle"));
}

TEST_CASE("A queue's own statements follow the TLS deny and apply to the queue when they name no resource", "[sqs]") {
  Fixture f;
  auto& topic = f.stack.add<sns::Topic>("Topic", {.kms_key = f.key});
  f.stack.add<sqs::Queue>("Queue", {.kms_key = f.key,
                                    .policy_statements = {sns::allow_delivery_from(topic),
                                                          iam::allow({"sqs:ReceiveMessage"})
                                                              .principal(iam::account_root())
                                                              .on("arn:aws:sqs:us-east-1:111122223333:other")}});
  const json statements = test::cfn(f.app)["Resources"]["QueuePolicy"]["Properties"]["PolicyDocument"]["Statement"];
  REQUIRE(statements.size() == 3);
  CHECK(statements[0]["Sid"] == "DenyWithoutTls");
  CHECK(statements[1] == json{{"Sid", "AllowDeliveryFromTopic"},
                              {"Effect", "Allow"},
                              {"Principal", {{"Service", "sns.amazonaws.com"}}},
                              {"Action", "sqs:SendMessage"},
                              {"Resource", {{"Fn::GetAtt", {"Queue", "Arn"}}}},
                              {"Condition", {{"ArnEquals", {{"aws:SourceArn", {{"Ref", "Topic"}}}}}}}});
  CHECK(statements[2]["Resource"] == "arn:aws:sqs:us-east-1:111122223333:other");
}

TEST_CASE("A queue without TLS enforcement or statements writes no policy", "[sqs]") {
  Fixture f;
  f.stack.add<sqs::Queue>("Queue", {.kms_key = f.key, .enforce_tls = false});
  CHECK_FALSE(test::cfn(f.app)["Resources"].contains("QueuePolicy"));
  CHECK_FALSE(test::tf(f.app)["resource"].contains("aws_sqs_queue_policy"));
}

TEST_CASE("A QueuePolicy writes the queue's policy: the queue's statements, then its own", "[sqs]") {
  Fixture f;
  auto& topic = f.stack.add<sns::Topic>("Topic", {.kms_key = f.key});
  auto& queue = f.stack.add<sqs::Queue>(
      "Queue", {.kms_key = f.key,
                .enforce_tls = false,
                .policy_statements = {iam::allow({"sqs:ReceiveMessage"}).id("Own").principal(iam::account_root())}});
  f.stack.add<sqs::QueuePolicy>("Writer", {.queue = queue, .statements = {sns::allow_delivery_from(topic)}});
  const json cfn = test::cfn(f.app)["Resources"];
  CHECK_FALSE(cfn.contains("QueuePolicy"));
  CHECK(cfn["Writer"]["Type"] == "AWS::SQS::QueuePolicy");
  CHECK(cfn["Writer"]["Properties"]["Queues"] == json{{{"Ref", "Queue"}}});
  const json statements = cfn["Writer"]["Properties"]["PolicyDocument"]["Statement"];
  REQUIRE(statements.size() == 3);
  // The writer's enforce_tls (on by default) keeps the deny the queue opted out of.
  CHECK(statements[0] == tls_deny({{"Fn::GetAtt", {"Queue", "Arn"}}}));
  CHECK(statements[1]["Sid"] == "Own");
  CHECK(statements[1]["Resource"] == json{{"Fn::GetAtt", {"Queue", "Arn"}}});
  CHECK(statements[2]["Sid"] == "AllowDeliveryFromTopic");

  const json tf = test::tf(f.app);
  CHECK(tf["resource"]["aws_sqs_queue_policy"].size() == 1);
  CHECK(tf["resource"]["aws_sqs_queue_policy"]["writer"] ==
        json{{"queue_url", "${aws_sqs_queue.queue.url}"},
             {"policy", "${data.aws_iam_policy_document.writer_document.json}"}});
  CHECK(tf["data"]["aws_iam_policy_document"]["writer_document"]["statement"][0] == tf_tls_deny("queue"));
  CHECK_FALSE(tf["data"]["aws_iam_policy_document"].contains("queue_policy"));
}

TEST_CASE("Queue validation names the property, the value and the limit", "[sqs]") {
  Fixture f;
  auto& standard = f.stack.add<sqs::Queue>("Standard", {.kms_key = f.key});
  f.stack.add<sqs::Queue>("NoKey", {});
  f.stack.add<sqs::Queue>("BothKeys", {.kms_key = f.key, .sqs_managed_encryption = true});
  f.stack.add<sqs::Queue>("Long", {.queue_name = std::string(81, 'q'), .kms_key = f.key});
  f.stack.add<sqs::Queue>("Dotted", {.queue_name = "a.b", .kms_key = f.key});
  f.stack.add<sqs::Queue>("NotFifo", {.queue_name = "jobs.fifo", .kms_key = f.key});
  f.stack.add<sqs::Queue>("Fifo", {.queue_name = "jobs", .kms_key = f.key, .fifo = true});
  f.stack.add<sqs::Queue>("FifoUnnamed", {.kms_key = f.key, .fifo = true});
  f.stack.add<sqs::Queue>("Ranges", {.kms_key = f.key,
                                     .kms_data_key_reuse_seconds = 30,
                                     .message_retention_seconds = 1209601,
                                     .visibility_timeout_seconds = 43201,
                                     .delay_seconds = 901,
                                     .max_message_size_bytes = 1048576,
                                     .content_based_deduplication = true});
  f.stack.add<sqs::Queue>("Mixed", {.queue_name = "mixed.fifo",
                                    .kms_key = f.key,
                                    .fifo = true,
                                    .dead_letter = sqs::DeadLetter{.queue = standard, .max_receive_count = 0}});
  f.stack.add<sqs::Queue>("NoDlq", {.kms_key = f.key, .dead_letter = sqs::DeadLetter{}});
  f.stack.add<sqs::Queue>("Anonymous", {.kms_key = f.key, .policy_statements = {iam::allow({"sqs:SendMessage"})}});
  f.stack.add<sqs::Queue>("Snapshot", {.kms_key = f.key}).set_removal_policy(RemovalPolicy::Snapshot);
  auto& quiet = f.stack.add<sqs::Queue>("Quiet", {.kms_key = f.key, .enforce_tls = false});
  f.stack.add<sqs::QueuePolicy>("Empty", {.queue = quiet, .enforce_tls = false});
  f.stack.add<sqs::QueuePolicy>("Unattached", {});
  CHECK(test::problems(f.app) ==
        std::vector<std::string>{
            "HS2001 S/NoKey: required property 'kms_key' is not set",
            "HS2004 S/BothKeys: 'kms_key' and 'sqs_managed_encryption' are both set; a queue has one server-side "
            "encryption",
            "HS2003 S/Long: 'queue_name' value '" + std::string(81, 'q') + "' has 81 characters; AWS accepts 1 to 80",
            "HS2003 S/Dotted: 'queue_name' value 'a.b' contains '.'; AWS accepts only A-Z a-z 0-9 _-",
            "HS2003 S/NotFifo: 'queue_name' value 'jobs.fifo' ends in '.fifo', which only a FIFO queue may",
            "HS2003 S/Fifo: 'queue_name' value 'jobs' must end in '.fifo': the queue is FIFO",
            "HS2001 S/FifoUnnamed: a FIFO queue needs a 'queue_name' ending in '.fifo'",
            "HS2004 S/Ranges: 'kms_data_key_reuse_seconds' is 30; AWS accepts 60 to 86400",
            "HS2004 S/Ranges: 'message_retention_seconds' is 1209601; AWS accepts 60 to 1209600",
            "HS2004 S/Ranges: 'visibility_timeout_seconds' is 43201; AWS accepts 0 to 43200",
            "HS2004 S/Ranges: 'delay_seconds' is 901; AWS accepts 0 to 900",
            "HS2004 S/Ranges: 'max_message_size_bytes' is 1048576; the hashicorp/aws 5.x provider accepts 1024 to "
            "262144",
            "HS2004 S/Ranges: 'content_based_deduplication' is set but the queue is not FIFO",
            "HS2004 S/Mixed: 'dead_letter.max_receive_count' is 0; AWS accepts 1 to 1000",
            "HS2004 S/Mixed: 'dead_letter.queue' S/Standard is standard but this queue is FIFO; SQS needs both of "
            "one kind",
            "HS2001 S/NoDlq: required property 'dead_letter.queue' is not set",
            "HS2001 S/Anonymous: 'policy_statements' statement 1 has no principal; every statement of a resource "
            "policy names one",
            "HS2004 S/Snapshot: a queue has no snapshots: its removal policy is Retain (the default) or Delete",
            "HS2001 S/Empty: the policy of S/Quiet would have no statement",
            "HS2001 S/Unattached: required property 'queue' is not set",
        });
}

TEST_CASE("A dead-letter queue that keeps messages no longer than its source is a warning", "[sqs]") {
  Fixture f;
  auto& dlq = f.stack.add<sqs::Queue>("Dlq", {.kms_key = f.key});
  f.stack.add<sqs::Queue>("Work", {.kms_key = f.key, .dead_letter = sqs::DeadLetter{.queue = dlq}});
  const auto result = synthesize(f.app, {.target = Target::CloudFormation, .rules = {}});
  CHECK(result.ok());
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].severity == Severity::Warning);
  CHECK(result.diagnostics[0].message ==
        "dead-letter queue S/Dlq keeps messages 345600 s, not longer than this queue's 345600 s: a message that "
        "moves there late expires almost at once (it keeps its enqueue time)");
}

TEST_CASE("HIPAA-SQS-1 flags a queue without a customer managed key", "[sqs][rules]") {
  Fixture f;
  f.stack.add<sqs::Queue>("Owned", {.sqs_managed_encryption = true});
  f.stack.add<sqs::Queue>("Managed", {.kms_key = f.key});
  CHECK(findings(f.app, "HIPAA-SQS-1") ==
        std::vector<std::string>{"S/Owned: encrypted with keys owned by SQS (SSE-SQS), not a customer managed key"});
}

TEST_CASE("HIPAA-SQS-2 reads the queue's policy, whoever writes it", "[sqs][rules]") {
  Fixture f;
  f.stack.add<sqs::Queue>("Open", {.kms_key = f.key, .enforce_tls = false});
  f.stack.add<sqs::Queue>("Closed", {.kms_key = f.key});
  // Its writer keeps TLS on although the queue opted out.
  auto& written = f.stack.add<sqs::Queue>("Written", {.kms_key = f.key, .enforce_tls = false});
  f.stack.add<sqs::QueuePolicy>("WrittenPolicy", {.queue = written});
  // The user's own statement denies requests without TLS, as cdk-nag's SQS4 accepts.
  f.stack.add<sqs::Queue>(
      "Own", {.kms_key = f.key,
              .enforce_tls = false,
              .policy_statements = {
                  iam::deny({"*"}).principal(iam::aws("*")).when({"Bool", "aws:SecureTransport", {"false"}})}});
  CHECK(findings(f.app, "HIPAA-SQS-2") ==
        std::vector<std::string>{"S/Open: the queue policy does not deny requests made without TLS"});
}
