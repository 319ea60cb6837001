// hipaa/aws/cloudwatch_metric.hpp: what a CloudWatch alarm watches. Nodes that publish metrics
// give them by name with their dimensions filled in (as the CDK's queue.metric(...)):
//
//   auto visible = dlq.metric("ApproximateNumberOfMessagesVisible", cloudwatch::Statistic::Maximum);
//   auto cpu = cluster.metric("CPUUtilization");  // AWS/RDS, DBClusterIdentifier
#pragma once

#include <map>
#include <string>
#include <variant>

#include "hipaa/value.hpp"

namespace hipaa::cloudwatch {

enum class Statistic { Average, Sum, Minimum, Maximum, SampleCount };

struct Metric {
  std::string namespace_name;               // "AWS/SQS"; 1-255 characters, not starting with ':'
  std::string metric_name;                  // "ApproximateNumberOfMessagesVisible"; 1-255 characters
  std::map<std::string, Value> dimensions;  // name -> value, at most 30
  // A statistic, or an extended statistic: a percentile ("p99", "p99.9"), a trimmed or winsorized
  // mean, count or sum ("tm90", "TM(10%:90%)", "wm99", "tc90", "ts90"), "PR(:300)" or "IQM".
  std::variant<Statistic, std::string> statistic = Statistic::Average;
};

}  // namespace hipaa::cloudwatch
