// CloudWatch rules: alarms notify someone, and every dead-letter queue is watched by one.
#include <algorithm>

#include "hipaa/aws/cloudwatch.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/sns.hpp"
#include "hipaa/aws/sqs.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

// A queue that holds dead letters (of a function, another queue or a subscription) is watched:
// an alarm with actions on its visible messages, anywhere in the app.
void dead_letters_watched(const Inventory& stack, Reporter& report) {
  std::vector<const sqs::Queue*> dead_letter_queues;
  auto add = [&](const sqs::Queue* queue) {
    if (queue != nullptr && std::ranges::find(dead_letter_queues, queue) == dead_letter_queues.end()) {
      dead_letter_queues.push_back(queue);
    }
  };
  each<lambda::Function>(stack, [&](const auto& fn) { add(fn.props().dead_letter.queue()); });
  each<sqs::Queue>(stack, [&](const auto& q) {
    if (q.props().dead_letter) add(q.props().dead_letter->queue.get());
  });
  each<sns::Subscription>(stack, [&](const auto& s) { add(s.props().dead_letter_queue.get()); });
  auto watches = [](const cloudwatch::Alarm& alarm, const sqs::Queue& queue) {
    const auto& p = alarm.props();
    if (!p.actions_enabled || p.alarm_actions.empty() || p.metric.namespace_name != "AWS/SQS") return false;
    const auto it = p.metric.dimensions.find("QueueName");
    if (it == p.metric.dimensions.end()) return false;
    if (const auto* ref = it->second.get_if<AttributeRef>()) return ref->target == &queue;
    const auto* name = it->second.get_if<std::string>();
    const auto* queue_name = queue.props().queue_name.get_if<std::string>();
    return name != nullptr && queue_name != nullptr && *name == *queue_name;
  };
  if (dead_letter_queues.empty()) return;
  // The stack's own alarms first: the app's are looked at only for a queue none of them watches.
  const auto local = stack.all<cloudwatch::Alarm>();
  std::vector<const cloudwatch::Alarm*> app_alarms;
  for (const sqs::Queue* queue : dead_letter_queues) {
    auto watched_by = [&](const cloudwatch::Alarm* a) { return watches(*a, *queue); };
    bool watched = std::ranges::any_of(local, watched_by);
    if (!watched) {
      if (app_alarms.empty()) app_alarms = stack.all_in_app<cloudwatch::Alarm>();
      watched = std::ranges::any_of(app_alarms, watched_by);
    }
    if (!watched) {
      report.flag(*queue,
                  "no alarm with actions watches this dead-letter queue: failed events would wait unseen until they "
                  "expire");
    }
  }
}

void alarm_action(const Inventory& stack, Reporter& report) {
  each<cloudwatch::Alarm>(stack, [&](const cloudwatch::Alarm& alarm) {
    const auto& p = alarm.props();
    if (!p.actions_enabled) {
      report.flag(alarm, "the alarm's actions are disabled");
    } else if (p.alarm_actions.empty() && p.ok_actions.empty() && p.insufficient_data_actions.empty()) {
      report.flag(alarm, "the alarm notifies no one: no alarm, OK or insufficient-data action");
    }
  });
}

}  // namespace

const std::vector<Rule>& cloudwatch_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-CLOUDWATCH-1", Severity::Error, kAuditControls,
       "CloudWatch alarms have their actions enabled and notify at least one topic",
       "set actions_enabled and an alarm, OK or insufficient-data action", alarm_action, "CloudWatchAlarmAction"},
      {"HIPAA-CLOUDWATCH-2", Severity::Warning, kContingencyPlan,
       "Dead-letter queues are watched by an alarm that notifies someone",
       "add a cloudwatch::Alarm on the queue's ApproximateNumberOfMessagesVisible (AWS/SQS, QueueName) with an "
       "alarm action",
       dead_letters_watched},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
