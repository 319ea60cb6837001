// CloudWatch alarms: both targets' output, statistics and extended statistics, the limits
// CloudWatch enforces, action topics (and their keys) that must let CloudWatch publish, the
// alarm rule, and the diff's view of alarms and dead-letter targets that stop working.
#include <catch2/catch.hpp>

#include "hipaa/aws/apigateway.hpp"
#include "hipaa/aws/apigatewayv2.hpp"
#include "hipaa/aws/cloudwatch.hpp"
#include "hipaa/aws/rds.hpp"
#include "hipaa/aws/sqs.hpp"
#include "hipaa/diff.hpp"
#include "hipaa/rules.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

struct Fixture {
  App app;
  Stack& stack = app.add_stack("S");
  kms::Key& key = stack.add<kms::Key>("Key", {.description = "k", .allow_cloudwatch_alarms = true});
  sns::Topic& topic = stack.add<sns::Topic>("Topic", {.kms_key = key, .allow_cloudwatch_alarms = true});
};

cloudwatch::Metric queue_depth() {
  return {.namespace_name = "AWS/SQS",
          .metric_name = "ApproximateNumberOfMessagesVisible",
          .dimensions = {{"QueueName", "dlq"}},
          .statistic = cloudwatch::Statistic::Maximum};
}

std::vector<std::string> findings(const App& app, std::string_view rule) {
  std::vector<std::string> out;
  for (const auto& f : rules::check(app).findings) {
    if (f.rule->id == rule) out.push_back(f.path + ": " + f.message);
  }
  return out;
}

}  // namespace

TEST_CASE("An alarm watches one metric and notifies its topics in both targets", "[cloudwatch]") {
  Fixture f;
  auto& alarm = f.stack.add<cloudwatch::Alarm>("Alarm", {.alarm_name = "dlq-not-empty",
                                                         .description = "Messages wait in the dead-letter queue",
                                                         .metric = queue_depth(),
                                                         .period_seconds = 60,
                                                         .evaluation_periods = 5,
                                                         .datapoints_to_alarm = 2,
                                                         .threshold = 0,
                                                         .treat_missing_data = cloudwatch::MissingData::NotBreaching,
                                                         .alarm_actions = {f.topic},
                                                         .ok_actions = {f.topic},
                                                         .insufficient_data_actions = {f.topic},
                                                         .tags = {{"Team", "ops"}}});
  f.stack.add_output({.name = "AlarmArn", .value = alarm.arn()});
  f.stack.add_output({.name = "AlarmName", .value = alarm.alarm_name()});
  const json cfn = test::cfn(f.app);
  const json topic = {{"Ref", "Topic"}};
  CHECK(cfn["Resources"]["Alarm"] == json{{"Type", "AWS::CloudWatch::Alarm"},
                                          {"Properties",
                                           {{"AlarmName", "dlq-not-empty"},
                                            {"AlarmDescription", "Messages wait in the dead-letter queue"},
                                            {"Namespace", "AWS/SQS"},
                                            {"MetricName", "ApproximateNumberOfMessagesVisible"},
                                            {"Dimensions", {{{"Name", "QueueName"}, {"Value", "dlq"}}}},
                                            {"Statistic", "Maximum"},
                                            {"Period", 60},
                                            {"EvaluationPeriods", 5},
                                            {"DatapointsToAlarm", 2},
                                            {"Threshold", 0.0},
                                            {"ComparisonOperator", "GreaterThanThreshold"},
                                            {"TreatMissingData", "notBreaching"},
                                            {"ActionsEnabled", true},
                                            {"AlarmActions", {topic}},
                                            {"OKActions", {topic}},
                                            {"InsufficientDataActions", {topic}},
                                            {"Tags", {{{"Key", "Team"}, {"Value", "ops"}}}}}}});
  CHECK(cfn["Outputs"]["AlarmArn"]["Value"] == json{{"Fn::GetAtt", {"Alarm", "Arn"}}});
  CHECK(cfn["Outputs"]["AlarmName"]["Value"] == json{{"Ref", "Alarm"}});

  const json tf = test::tf(f.app);
  const std::string arn = "${aws_sns_topic.topic.arn}";
  CHECK(tf["resource"]["aws_cloudwatch_metric_alarm"]["alarm"] ==
        json{{"alarm_name", "dlq-not-empty"},
             {"alarm_description", "Messages wait in the dead-letter queue"},
             {"namespace", "AWS/SQS"},
             {"metric_name", "ApproximateNumberOfMessagesVisible"},
             {"dimensions", {{"QueueName", "dlq"}}},
             {"statistic", "Maximum"},
             {"period", 60},
             {"evaluation_periods", 5},
             {"datapoints_to_alarm", 2},
             {"threshold", 0.0},
             {"comparison_operator", "GreaterThanThreshold"},
             {"treat_missing_data", "notBreaching"},
             {"actions_enabled", true},
             {"alarm_actions", {arn}},
             {"ok_actions", {arn}},
             {"insufficient_data_actions", {arn}},
             {"tags", {{"Team", "ops"}}}});
  CHECK(tf["output"]["alarm_arn"]["value"] == "${aws_cloudwatch_metric_alarm.alarm.arn}");
  CHECK(tf["output"]["alarm_name"]["value"] == "${aws_cloudwatch_metric_alarm.alarm.alarm_name}");
}

TEST_CASE("An extended statistic replaces the statistic, and defaults fill the rest", "[cloudwatch]") {
  Fixture f;
  f.stack.add<cloudwatch::Alarm>(
      "Slow", {.alarm_name = "slow",
               .metric = {.namespace_name = "AWS/Lambda", .metric_name = "Duration", .statistic = "p99.9"},
               .threshold = 1500.5,
               .comparison = cloudwatch::Comparison::GreaterThanOrEqualToThreshold,
               .alarm_actions = {f.topic}});
  CHECK(test::cfn(f.app)["Resources"]["Slow"]["Properties"] ==
        json{{"AlarmName", "slow"},
             {"Namespace", "AWS/Lambda"},
             {"MetricName", "Duration"},
             {"ExtendedStatistic", "p99.9"},
             {"Period", 300},
             {"EvaluationPeriods", 1},
             {"Threshold", 1500.5},
             {"ComparisonOperator", "GreaterThanOrEqualToThreshold"},
             {"TreatMissingData", "missing"},
             {"ActionsEnabled", true},
             {"AlarmActions", {{{"Ref", "Topic"}}}}});
  const json tf = test::tf(f.app)["resource"]["aws_cloudwatch_metric_alarm"]["slow"];
  CHECK(tf["extended_statistic"] == "p99.9");
  CHECK_FALSE(tf.contains("statistic"));
  CHECK_FALSE(tf.contains("dimensions"));
}

TEST_CASE("A key that allows CloudWatch alarms lets this account's alarms use it", "[cloudwatch]") {
  Fixture f;
  CHECK(test::cfn(f.app)["Resources"]["Key"]["Properties"]["KeyPolicy"]["Statement"][1] ==
        json{{"Sid", "AllowCloudWatchAlarms"},
             {"Effect", "Allow"},
             {"Principal", {{"Service", "cloudwatch.amazonaws.com"}}},
             {"Action", {"kms:Decrypt", "kms:GenerateDataKey*"}},
             {"Resource", "*"},
             {"Condition", {{"StringEquals", {{"aws:SourceAccount", {{"Ref", "AWS::AccountId"}}}}}}}});
  CHECK(test::tf(f.app)["data"]["aws_iam_policy_document"]["key_policy"]["statement"][1] ==
        json{{"sid", "AllowCloudWatchAlarms"},
             {"effect", "Allow"},
             {"actions", {"kms:Decrypt", "kms:GenerateDataKey*"}},
             {"resources", {"*"}},
             {"principals", {{{"type", "Service"}, {"identifiers", {"cloudwatch.amazonaws.com"}}}}},
             {"condition",
              {{{"test", "StringEquals"},
                {"variable", "aws:SourceAccount"},
                {"values", {"${data.aws_caller_identity.current.account_id}"}}}}}});
}

TEST_CASE("Alarm validation names the property, the value and the limit", "[cloudwatch]") {
  Fixture f;
  f.stack.add<cloudwatch::Alarm>("Unnamed", {});
  f.stack.add<cloudwatch::Alarm>("Long", {.alarm_name = std::string(256, 'a'),
                                          .description = std::string(1025, 'd'),
                                          .metric = {.namespace_name = ":ns", .metric_name = "m", .statistic = "p101"},
                                          .period_seconds = 45,
                                          .evaluation_periods = 0,
                                          .datapoints_to_alarm = 2});
  f.stack.add<cloudwatch::Alarm>("TooLong", {.alarm_name = "too-long",
                                             .metric = queue_depth(),
                                             .period_seconds = 300,
                                             .evaluation_periods = 289,
                                             .alarm_actions = {f.topic, f.topic, f.topic, f.topic, f.topic, f.topic}});
  f.stack.add<cloudwatch::Alarm>("Week", {.alarm_name = "week",
                                          .metric = queue_depth(),
                                          .period_seconds = 3600,
                                          .evaluation_periods = 168,
                                          .ok_actions = {f.topic}});
  CHECK(
      test::problems(f.app) ==
      std::vector<std::string>{
          "HS2001 S/Unnamed: required property 'alarm_name' is not set",
          "HS2001 S/Unnamed: required property 'metric.namespace_name' is not set",
          "HS2001 S/Unnamed: required property 'metric.metric_name' is not set",
          "HS2003 S/Long: 'alarm_name' value '" + std::string(256, 'a') + "' has 256 characters; AWS accepts 1 to 255",
          "HS2004 S/Long: 'description' has 1025 characters; AWS accepts at most 1024",
          "HS2003 S/Long: 'metric.namespace_name' value ':ns' starts with ':'",
          "HS2004 S/Long: 'metric.statistic' 'p101' is not a statistic CloudWatch knows",
          "HS2004 S/Long: 'period_seconds' is 45; CloudWatch accepts 10, 20, 30 or a multiple of 60",
          "HS2004 S/Long: 'evaluation_periods' is 0; it must be at least 1",
          "HS2004 S/Long: 'datapoints_to_alarm' is 2; AWS accepts 1 to 1",
          "HS2004 S/TooLong: period_seconds x evaluation_periods is 86700 s; CloudWatch evaluates at most 86400 s "
          "(a day for periods under an hour)",
          "HS2004 S/TooLong: 'alarm_actions' has 6 topics; CloudWatch accepts at most 5",
      });
}

TEST_CASE("Extended statistics are the ones CloudWatch names", "[cloudwatch]") {
  for (const char* statistic : {"p0", "p50", "p99", "p99.9", "p99.99", "p100", "tm90", "wm99", "tc10.5", "ts90", "IQM",
                                "TM(10%:90%)", "WM(:95%)", "PR(100:2000)", "TC(0.005:0.030)", "TS(80%:)"}) {
    INFO(statistic);
    Fixture f;
    f.stack.add<cloudwatch::Alarm>("Alarm",
                                   {.alarm_name = "a",
                                    .metric = {.namespace_name = "n", .metric_name = "m", .statistic = statistic},
                                    .alarm_actions = {f.topic}});
    CHECK(test::problems(f.app).empty());
  }
  for (const char* statistic : {"p", "p101", "p99.999", "P99", "avg", "TM(10%)", "tm(10%:90%)", "IQM2"}) {
    INFO(statistic);
    Fixture f;
    f.stack.add<cloudwatch::Alarm>("Alarm",
                                   {.alarm_name = "a",
                                    .metric = {.namespace_name = "n", .metric_name = "m", .statistic = statistic},
                                    .alarm_actions = {f.topic}});
    CHECK(test::problems(f.app).size() == 1);
  }
}

TEST_CASE("An alarm's action topic and its key must let CloudWatch alarms publish", "[cloudwatch]") {
  App app;
  auto& stack = app.add_stack("S");
  auto& closed_key = stack.add<kms::Key>("ClosedKey", {.description = "k"});
  auto& open_key = stack.add<kms::Key>("OpenKey", {.description = "k", .allow_cloudwatch_alarms = true});
  auto& closed_topic = stack.add<sns::Topic>("ClosedTopic", {.kms_key = open_key});
  auto& locked_key_topic =
      stack.add<sns::Topic>("LockedKeyTopic", {.kms_key = closed_key, .allow_cloudwatch_alarms = true});
  auto& aws_key_topic =
      stack.add<sns::Topic>("AwsKeyTopic", {.aws_managed_key = true, .allow_cloudwatch_alarms = true});
  // No topic policy at all: SNS's default policy lets the account's alarms publish.
  auto& default_policy = stack.add<sns::Topic>("DefaultPolicy", {.kms_key = open_key, .enforce_tls = false});
  stack.add<cloudwatch::Alarm>("Alarm", {.alarm_name = "a",
                                         .metric = queue_depth(),
                                         .alarm_actions = {closed_topic, locked_key_topic},
                                         .ok_actions = {closed_topic, aws_key_topic, default_policy}});
  CHECK(test::problems(app) ==
        std::vector<std::string>{
            "HS2001 S/Alarm: alarm action topic S/ClosedTopic does not let CloudWatch alarms publish to it",
            "HS2001 S/Alarm: alarm action topic S/LockedKeyTopic is encrypted with S/ClosedKey, whose policy does "
            "not let CloudWatch alarms use it",
            "HS2001 S/Alarm: alarm action topic S/AwsKeyTopic is encrypted with the AWS managed key alias/aws/sns, "
            "which CloudWatch alarms cannot use",
        });
}

TEST_CASE("HIPAA-CLOUDWATCH-1 flags an alarm that notifies no one", "[cloudwatch][rules]") {
  Fixture f;
  f.stack.add<cloudwatch::Alarm>("Silent", {.alarm_name = "silent", .metric = queue_depth()});
  f.stack.add<cloudwatch::Alarm>(
      "Muted", {.alarm_name = "muted", .metric = queue_depth(), .actions_enabled = false, .alarm_actions = {f.topic}});
  f.stack.add<cloudwatch::Alarm>("Heard", {.alarm_name = "heard", .metric = queue_depth(), .ok_actions = {f.topic}});
  CHECK(findings(f.app, "HIPAA-CLOUDWATCH-1") ==
        std::vector<std::string>{"S/Silent: the alarm notifies no one: no alarm, OK or insufficient-data action",
                                 "S/Muted: the alarm's actions are disabled"});
}

TEST_CASE("diff reports alarms that stop notifying and dead-letter targets that are removed", "[cloudwatch][diff]") {
  auto template_of = [](bool actions, bool dead_letter) {
    App app;
    auto& stack = app.add_stack("S");
    auto& key = stack.add<kms::Key>("Key", {.description = "k", .allow_cloudwatch_alarms = true});
    auto& topic = stack.add<sns::Topic>("Topic", {.kms_key = key, .allow_cloudwatch_alarms = true});
    auto& dlq = stack.add<sqs::Queue>("Dlq", {.kms_key = key, .message_retention_seconds = 1209600});
    std::optional<sqs::DeadLetter> redrive;
    if (dead_letter) redrive = sqs::DeadLetter{.queue = dlq};
    stack.add<sqs::Queue>(
        "Work", {.kms_key = key, .message_retention_seconds = dead_letter ? 345600 : 3600, .dead_letter = redrive});
    stack.add<cloudwatch::Alarm>("Alarm", {.alarm_name = "a",
                                           .metric = queue_depth(),
                                           .actions_enabled = actions,
                                           .alarm_actions = actions ? Refs<sns::Topic>{topic} : Refs<sns::Topic>{}});
    return test::cfn(app).dump();
  };
  auto load = [](const std::string& text) {
    LoadedDocument document;
    REQUIRE(load_document(text, "t.json", document).empty());
    return document;
  };
  const DiffReport report = diff(load(template_of(true, true)), load(template_of(false, false)));
  std::vector<std::string> found;
  for (const auto& s : report.security) found.push_back(s.category + " | " + s.resource + " | " + s.detail);
  CHECK(found == std::vector<std::string>{
                     "Logging | Alarm | alarm actions turned off", "Logging | Alarm | alarm notification removed",
                     "Data loss | Work | message retention shortened", "Data loss | Work | dead-letter queue removed"});
}

TEST_CASE("Nodes give their metrics with their dimensions filled in", "[cloudwatch]") {
  Fixture f;
  auto& dlq = f.stack.add<sqs::Queue>("Dlq", {.kms_key = f.key});
  auto& rest = f.stack.add<apigateway::RestApi>("Rest", {.api_name = "records"});
  auto& http = f.stack.add<apigatewayv2::HttpApi>("Http", {.api_name = "processing"});
  const auto depth = dlq.metric("ApproximateNumberOfMessagesVisible", cloudwatch::Statistic::Maximum);
  CHECK(depth.namespace_name == "AWS/SQS");
  CHECK(depth.metric_name == "ApproximateNumberOfMessagesVisible");
  CHECK(std::get<cloudwatch::Statistic>(depth.statistic) == cloudwatch::Statistic::Maximum);
  auto& deployment = f.stack.add<apigateway::Deployment>(
      "Deployment",
      {.api = rest, .methods = {rest.add_method("GET", "/", {.authorization = apigateway::Authorization::None})}});
  auto& rest_stage = f.stack.add<apigateway::Stage>("RestStage", {.api = rest, .deployment = deployment});
  auto& http_stage = f.stack.add<apigatewayv2::Stage>("HttpStage", {.api = http});
  auto alarm = [&](std::string id, cloudwatch::Metric metric) {
    f.stack.add<cloudwatch::Alarm>(std::move(id),
                                   {.alarm_name = "a", .metric = std::move(metric), .alarm_actions = {f.topic}});
  };
  alarm("DepthAlarm", depth);
  alarm("RestAlarm", rest_stage.metric("5XXError", cloudwatch::Statistic::Sum));
  alarm("HttpAlarm", http_stage.metric("5xx"));
  const json cfn = test::cfn(f.app)["Resources"];
  CHECK(cfn["DepthAlarm"]["Properties"]["Dimensions"] ==
        json::parse(R"([{"Name": "QueueName", "Value": {"Fn::GetAtt": ["Dlq", "QueueName"]}}])"));
  CHECK(cfn["RestAlarm"]["Properties"]["Namespace"] == "AWS/ApiGateway");
  CHECK(cfn["RestAlarm"]["Properties"]["Statistic"] == "Sum");
  CHECK(cfn["RestAlarm"]["Properties"]["Dimensions"] ==
        json::parse(R"([{"Name": "ApiName", "Value": "records"}, {"Name": "Stage", "Value": "prod"}])"));
  CHECK(cfn["HttpAlarm"]["Properties"]["Dimensions"] ==
        json::parse(R"([{"Name": "ApiId", "Value": {"Ref": "Http"}}, {"Name": "Stage", "Value": "$default"}])"));
  const json tf = test::tf(f.app)["resource"]["aws_cloudwatch_metric_alarm"];
  CHECK(tf["depth_alarm"]["dimensions"] == json{{"QueueName", "${aws_sqs_queue.dlq.name}"}});
  CHECK(tf["http_alarm"]["dimensions"] == json{{"ApiId", "${aws_apigatewayv2_api.http.id}"}, {"Stage", "$default"}});
}

TEST_CASE("Database metrics are by cluster or by instance identifier", "[cloudwatch]") {
  Fixture f;
  auto& vpc = f.stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  auto& a = f.stack.add<ec2::Subnet>("A", {.vpc = vpc, .cidr_block = "10.0.0.0/24"});
  auto& b = f.stack.add<ec2::Subnet>("B", {.vpc = vpc, .cidr_block = "10.0.1.0/24"});
  auto& subnets = f.stack.add<rds::SubnetGroup>("Subnets", {.description = "d", .subnets = {a, b}});
  auto& sg = f.stack.add<ec2::SecurityGroup>("Sg", {.vpc = vpc, .description = "db"});
  const rds::DatabaseSettings settings{
      .engine_version = "16.4", .subnet_group = subnets, .security_groups = {sg}, .kms_key = f.key};
  auto& cluster = f.stack.add<rds::DatabaseCluster>("Cluster", {.settings = settings});
  auto& instance = f.stack.add<rds::DatabaseInstance>("Instance", {.settings = settings});
  const auto by_instance = instance.metric("FreeStorageSpace", cloudwatch::Statistic::Minimum);
  CHECK(by_instance.namespace_name == "AWS/RDS");
  CHECK(by_instance.metric_name == "FreeStorageSpace");
  CHECK(std::get<cloudwatch::Statistic>(by_instance.statistic) == cloudwatch::Statistic::Minimum);
  f.stack.add<cloudwatch::Alarm>(
      "ClusterCpu", {.alarm_name = "c", .metric = cluster.metric("CPUUtilization"), .alarm_actions = {f.topic}});
  f.stack.add<cloudwatch::Alarm>("InstanceStorage",
                                 {.alarm_name = "i", .metric = by_instance, .alarm_actions = {f.topic}});
  const json cfn = test::cfn(f.app)["Resources"];
  CHECK(cfn["ClusterCpu"]["Properties"]["Dimensions"] ==
        json::parse(R"([{"Name": "DBClusterIdentifier", "Value": {"Ref": "Cluster"}}])"));
  CHECK(cfn["InstanceStorage"]["Properties"]["Dimensions"] ==
        json::parse(R"([{"Name": "DBInstanceIdentifier", "Value": {"Ref": "Instance"}}])"));
}
