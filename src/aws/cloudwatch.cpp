#include "hipaa/aws/cloudwatch.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <regex>

#include "validate/checks.hpp"

namespace hipaa::cloudwatch {
namespace {

std::string_view statistic_name(Statistic statistic) {
  switch (statistic) {
    case Statistic::Average: return "Average";
    case Statistic::Sum: return "Sum";
    case Statistic::Minimum: return "Minimum";
    case Statistic::Maximum: return "Maximum";
    case Statistic::SampleCount: return "SampleCount";
  }
  return "Average";
}

std::string_view comparison_name(Comparison comparison) {
  switch (comparison) {
    case Comparison::GreaterThanOrEqualToThreshold: return "GreaterThanOrEqualToThreshold";
    case Comparison::GreaterThanThreshold: return "GreaterThanThreshold";
    case Comparison::LessThanThreshold: return "LessThanThreshold";
    case Comparison::LessThanOrEqualToThreshold: return "LessThanOrEqualToThreshold";
  }
  return "GreaterThanThreshold";
}

std::string_view missing_data_name(MissingData missing) {
  switch (missing) {
    case MissingData::Missing: return "missing";
    case MissingData::Ignore: return "ignore";
    case MissingData::Breaching: return "breaching";
    case MissingData::NotBreaching: return "notBreaching";
  }
  return "missing";
}

Value topic_arns(const Refs<sns::Topic>& topics) {
  ValueList arns;
  for (const auto& topic : topics) {
    if (topic) arns.push_back(topic->topic_arn());
  }
  return arns.empty() ? Value() : Value(std::move(arns));
}

// The extended statistics CloudWatch names: pNN(.NN), tm/wm/tc/ts NN(.NN), their
// TM/WM/TC/TS/PR(lower:upper) ranges in values or percent, and IQM.
bool is_extended_statistic(const std::string& text) {
  static const std::regex pattern(
      R"RE((p|tm|wm|tc|ts)(100|[0-9]{1,2}(\.[0-9]{1,2})?)|IQM|(TM|WM|TC|TS|PR)\(([0-9]+(\.[0-9]+)?%?)?:([0-9]+(\.[0-9]+)?%?)?\))RE");
  return std::regex_match(text, pattern);
}

bool is_printable(char c) { return c >= ' ' && c <= '~'; }

bool is_valid_period(int seconds) {
  return seconds == 10 || seconds == 20 || seconds == 30 || (seconds > 0 && seconds % 60 == 0);
}

// An alarm publishes to a topic as cloudwatch.amazonaws.com: the topic's policy and its key's
// policy must let it.
void check_action_topic(const detail::Checker& check, const sns::Topic& topic) {
  const auto& t = topic.props();
  if (!t.allow_cloudwatch_alarms && !topic.topic_policy().empty()) {
    check.error("HS2001", "alarm action topic " + topic.path() + " does not let CloudWatch alarms publish to it",
                "set allow_cloudwatch_alarms on " + topic.path());
  }
  if (const kms::Key* key = t.kms_key.get(); key != nullptr && !key->props().allow_cloudwatch_alarms) {
    check.error("HS2001",
                "alarm action topic " + topic.path() + " is encrypted with " + key->path() +
                    ", whose policy does not let CloudWatch alarms use it",
                "set allow_cloudwatch_alarms on " + key->path());
  } else if (key == nullptr && t.aws_managed_key) {
    check.error("HS2001",
                "alarm action topic " + topic.path() + " is encrypted with the AWS managed key " +
                    std::string(sns::Topic::kAwsManagedKey) + ", which CloudWatch alarms cannot use",
                "encrypt the topic with a customer managed key that sets allow_cloudwatch_alarms");
  }
}

}  // namespace

void Alarm::lower(Lowering& l) const {
  const auto& p = props();
  const auto& m = p.metric;
  auto& alarm = l.add(*this);
  alarm.properties()
      .set({"AlarmName", "alarm_name"}, p.alarm_name)
      .set({"AlarmDescription", "alarm_description"}, p.description)
      .set({"Namespace", "namespace"}, m.namespace_name)
      .set({"MetricName", "metric_name"}, m.metric_name);
  if (!m.dimensions.empty()) {
    if (l.is_cloudformation()) {
      ValueList dimensions;
      for (const auto& [name, value] : m.dimensions) dimensions.push_back(map({{"Name", name}, {"Value", value}}));
      alarm.properties().cloudformation("Dimensions", dimensions);
    } else {
      ValueMap dimensions;
      for (const auto& [name, value] : m.dimensions) dimensions.push_back({name, value});
      alarm.properties().terraform("dimensions", dimensions);
    }
  }
  if (const auto* statistic = std::get_if<Statistic>(&m.statistic)) {
    alarm.properties().set({"Statistic", "statistic"}, statistic_name(*statistic));
  } else {
    alarm.properties().set({"ExtendedStatistic", "extended_statistic"}, std::get<std::string>(m.statistic));
  }
  alarm.properties()
      .set({"Period", "period"}, p.period_seconds)
      .set({"EvaluationPeriods", "evaluation_periods"}, p.evaluation_periods)
      .set({"DatapointsToAlarm", "datapoints_to_alarm"}, p.datapoints_to_alarm)
      .set({"Threshold", "threshold"}, p.threshold)
      .set({"ComparisonOperator", "comparison_operator"}, comparison_name(p.comparison))
      .set({"TreatMissingData", "treat_missing_data"}, missing_data_name(p.treat_missing_data))
      .set({"ActionsEnabled", "actions_enabled"}, p.actions_enabled)
      .set({"AlarmActions", "alarm_actions"}, topic_arns(p.alarm_actions))
      .set({"OKActions", "ok_actions"}, topic_arns(p.ok_actions))
      .set({"InsufficientDataActions", "insufficient_data_actions"}, topic_arns(p.insufficient_data_actions));
  alarm.tags(p.tags);
}

void Alarm::validate(Diagnostics& out) const {
  const auto& p = props();
  const auto& m = p.metric;
  detail::Checker check(*this, out);
  check.required(p.alarm_name, "alarm_name");
  check.name(p.alarm_name, "alarm_name", 255, is_printable, "printable ASCII characters");
  if (p.description.size() > 1024) {
    check.error("HS2004",
                "'description' has " + std::to_string(p.description.size()) + " characters; AWS accepts at most 1024");
  }
  check.required(m.namespace_name, "metric.namespace_name");
  check.required(m.metric_name, "metric.metric_name");
  if (!m.namespace_name.empty()) {
    check.name(Value(m.namespace_name), "metric.namespace_name", 255, is_printable, "printable ASCII characters");
    if (m.namespace_name.starts_with(":")) {
      check.error("HS2003", "'metric.namespace_name' value '" + m.namespace_name + "' starts with ':'");
    }
  }
  if (!m.metric_name.empty()) {
    check.name(Value(m.metric_name), "metric.metric_name", 255, is_printable, "printable ASCII characters");
  }
  if (m.dimensions.size() > 30) {
    check.error("HS2004", "'metric.dimensions' has " + std::to_string(m.dimensions.size()) +
                              " dimensions; AWS accepts at most 30");
  }
  for (const auto& [name, value] : m.dimensions) {
    if (name.empty() || name.size() > 255) {
      check.error("HS2003", "'metric.dimensions' name '" + name + "' has " + std::to_string(name.size()) +
                                " characters; AWS accepts 1 to 255");
    }
    check.required(value, "metric.dimensions[" + name + "]");
  }
  if (const auto* extended = std::get_if<std::string>(&m.statistic);
      extended != nullptr && !is_extended_statistic(*extended)) {
    check.error("HS2004", "'metric.statistic' '" + *extended + "' is not a statistic CloudWatch knows",
                "use a percentile such as p99 or p99.9, tm90, TM(10%:90%), wm99, tc90, ts90, PR(:300) or IQM");
  }
  if (!is_valid_period(p.period_seconds)) {
    check.error("HS2004", "'period_seconds' is " + std::to_string(p.period_seconds) +
                              "; CloudWatch accepts 10, 20, 30 or a multiple of 60");
  }
  if (p.evaluation_periods < 1) {
    check.error("HS2004",
                "'evaluation_periods' is " + std::to_string(p.evaluation_periods) + "; it must be at least 1");
  }
  const std::int64_t evaluated = static_cast<std::int64_t>(p.period_seconds) * p.evaluation_periods;
  const std::int64_t limit = p.period_seconds < 3600 ? 86400 : 604800;
  if (evaluated > limit) {
    check.error("HS2004", "period_seconds x evaluation_periods is " + std::to_string(evaluated) +
                              " s; CloudWatch evaluates at most " + std::to_string(limit) + " s (" +
                              (limit == 86400 ? "a day for periods under an hour" : "7 days") + ")");
  }
  if (p.datapoints_to_alarm) {
    check.range(*p.datapoints_to_alarm, "datapoints_to_alarm", 1, std::max(1, p.evaluation_periods));
  }
  const std::array<std::pair<const Refs<sns::Topic>*, std::string_view>, 3> lists = {
      {{&p.alarm_actions, "alarm_actions"},
       {&p.ok_actions, "ok_actions"},
       {&p.insufficient_data_actions, "insufficient_data_actions"}}};
  std::vector<const sns::Topic*> topics;
  for (const auto& [list, property] : lists) {
    if (list->size() > kMaxActions) {
      check.error("HS2004", "'" + std::string(property) + "' has " + std::to_string(list->size()) +
                                " topics; CloudWatch accepts at most 5");
    }
    for (const auto& topic : *list) {
      if (!topic) {
        check.error("HS2001", "'" + std::string(property) + "' has an empty topic reference");
      } else if (std::find(topics.begin(), topics.end(), topic.get()) == topics.end()) {
        topics.push_back(topic.get());
      }
    }
  }
  for (const sns::Topic* topic : topics) check_action_topic(check, *topic);
}

}  // namespace hipaa::cloudwatch
