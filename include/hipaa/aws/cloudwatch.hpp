// hipaa/aws/cloudwatch.hpp: CloudWatch metric alarms that notify SNS topics.
//
//   stack.add<cloudwatch::Alarm>("DlqNotEmpty", {.alarm_name = "dlq-not-empty",
//       .metric = dlq.metric("ApproximateNumberOfMessagesVisible", cloudwatch::Statistic::Maximum),
//       .alarm_actions = {topic}});
//
// A metric no node offers is written out: {.namespace_name = "AWS/SQS", .metric_name = ...,
// .dimensions = {{"QueueName", dlq.queue_name()}}} (hipaa/aws/cloudwatch_metric.hpp).
//
// CloudWatch publishes to an action topic as the service cloudwatch.amazonaws.com: the topic must
// allow it (sns::TopicProps::allow_cloudwatch_alarms) and so must the topic's key
// (kms::KeyProps::allow_cloudwatch_alarms). Validation reports an action topic or key that does not.
#pragma once

#include <map>
#include <optional>
#include <variant>

#include "hipaa/aws/cloudwatch_metric.hpp"
#include "hipaa/aws/sns.hpp"

namespace hipaa::cloudwatch {

// Static-threshold comparisons (the anomaly-detection band operators need a threshold metric).
enum class Comparison {
  GreaterThanOrEqualToThreshold,
  GreaterThanThreshold,
  LessThanThreshold,
  LessThanOrEqualToThreshold
};

// What a period without data counts as.
enum class MissingData { Missing, Ignore, Breaching, NotBreaching };

struct AlarmProps {
  Value alarm_name;         // required: 1-255 printable ASCII characters; operators read it in every notification
  std::string description;  // up to 1024 characters
  Metric metric;
  int period_seconds = 300;  // 10, 20, 30 (high resolution) or a multiple of 60
  // The periods evaluated, at least 1; times period_seconds at most a day for periods under an
  // hour, at most 7 days otherwise.
  int evaluation_periods = 1;
  std::optional<int> datapoints_to_alarm;  // "M out of N": 1 to evaluation_periods; all of them when unset
  double threshold = 0;
  Comparison comparison = Comparison::GreaterThanThreshold;
  MissingData treat_missing_data = MissingData::Missing;
  bool actions_enabled = true;
  // Topics notified on entering ALARM, OK and INSUFFICIENT_DATA; at most 5 each.
  Refs<sns::Topic> alarm_actions;
  Refs<sns::Topic> ok_actions;
  Refs<sns::Topic> insufficient_data_actions;
  Tags tags;
};

class Alarm final : public Node<Alarm, AlarmProps> {
 public:
  static constexpr NodeInfo kInfo{.name = "cloudwatch::Alarm",
                                  .summary = "A CloudWatch metric alarm that notifies SNS topics",
                                  .tagging = Tagging::KeyValueList,
                                  .types = {cloudformation_type("AWS::CloudWatch::Alarm", "AlarmName"),
                                            terraform_type("aws_cloudwatch_metric_alarm", "alarm_name")}};
  static constexpr std::size_t kMaxActions = 5;
  [[nodiscard]] Value arn() const { return attribute({"Arn", "arn"}); }
  [[nodiscard]] Value alarm_name() const { return attribute({"", "alarm_name"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

}  // namespace hipaa::cloudwatch
