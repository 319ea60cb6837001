// Messaging and monitoring rules: queues and topics encrypted with customer managed keys and
// reachable only over TLS, subscriptions that never deliver in clear text, alarms that notify
// someone, and functions whose failed events are kept.
#include <algorithm>
#include <cctype>

#include "hipaa/aws/cloudwatch.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/sns.hpp"
#include "hipaa/aws/sqs.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool is_text(const Value& value, std::string_view text) {
  const auto* s = value.get_if<std::string>();
  return s != nullptr && *s == text;
}

// A statement that denies `action` (or everything of its service, or "*") to every principal
// when aws:SecureTransport is false: what cdk-nag's SQS4 and SNS3 look for in a resource policy.
bool denies_without_tls(const iam::PolicyDocument& policy, std::string_view action, std::string_view service_all) {
  return std::ranges::any_of(policy.statements, [&](const iam::Statement& s) {
    const bool every_principal = std::ranges::any_of(s.principals, [](const iam::Principal& p) {
      return p.kind == iam::Principal::Kind::Any ||
             (p.kind == iam::Principal::Kind::Aws &&
              std::ranges::any_of(p.identifiers, [](const Value& v) { return is_text(v, "*"); }));
    });
    const bool covers_action = std::ranges::any_of(
        s.actions, [&](const std::string& a) { return a == "*" || iequals(a, action) || iequals(a, service_all); });
    const bool without_tls = std::ranges::any_of(s.conditions, [](const iam::Condition& c) {
      return c.test == "Bool" && c.variable == "aws:SecureTransport" &&
             std::ranges::any_of(c.values, [](const Value& v) { return is_text(v, "false"); });
    });
    return s.effect == iam::Effect::Deny && every_principal && covers_action && without_tls;
  });
}

// The sqs::QueuePolicy that writes `queue`'s policy, or nullptr.
const sqs::QueuePolicy* policy_writer(const Inventory& stack, const sqs::Queue& queue) {
  for (const auto* writer : stack.all<sqs::QueuePolicy>()) {
    if (writer->props().queue.get() == &queue) return writer;
  }
  return nullptr;
}

void queue_customer_key(const Inventory& stack, Reporter& report) {
  each<sqs::Queue>(stack, [&](const sqs::Queue& queue) {
    if (queue.props().kms_key) return;
    report.flag(queue, queue.props().sqs_managed_encryption
                           ? "encrypted with keys owned by SQS (SSE-SQS), not a customer managed key"
                           : "not encrypted with a customer managed key");
  });
}

void queue_tls_only(const Inventory& stack, Reporter& report) {
  each<sqs::Queue>(stack, [&](const sqs::Queue& queue) {
    if (!denies_without_tls(queue.queue_policy(policy_writer(stack, queue)), "sqs:*", "sqs:*")) {
      report.flag(queue, "the queue policy does not deny requests made without TLS");
    }
  });
}

void topic_customer_key(const Inventory& stack, Reporter& report) {
  each<sns::Topic>(stack, [&](const sns::Topic& topic) {
    if (topic.props().kms_key) return;
    report.flag(topic, topic.props().aws_managed_key
                           ? "encrypted with the AWS managed key alias/aws/sns, not a customer managed key"
                           : "not encrypted with KMS");
  });
}

void topic_tls_only(const Inventory& stack, Reporter& report) {
  each<sns::Topic>(stack, [&](const sns::Topic& topic) {
    if (!denies_without_tls(topic.topic_policy(), "sns:Publish", "sns:*")) {
      report.flag(topic, "the topic policy does not deny publishing without TLS");
    }
  });
}

// The typed API has no "http" protocol and validation refuses an http:// endpoint; what is left is
// the escape hatch, an override of the protocol or the endpoint.
void subscription_no_plain_http(const Inventory& stack, Reporter& report) {
  each<sns::Subscription>(stack, [&](const sns::Subscription& subscription) {
    for (const auto& o : subscription.overrides()) {
      const auto last = o.path.substr(o.path.rfind('.') + 1);
      const auto* text = o.value.get_if<std::string>();
      if (text == nullptr) continue;
      if (iequals(last, "protocol") && iequals(*text, "http")) {
        report.flag(subscription, "override " + o.path + " delivers over plain HTTP");
        return;
      }
      if (iequals(last, "endpoint") && text->size() >= 7 && iequals(text->substr(0, 7), "http://")) {
        report.flag(subscription, "override " + o.path + " sends to an http:// endpoint");
        return;
      }
    }
  });
}

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

void lambda_dead_letter(const Inventory& stack, Reporter& report) {
  each<lambda::Function>(stack, [&](const lambda::Function& fn) {
    if (!fn.props().dead_letter)
      report.flag(fn, "no dead-letter queue or topic keeps the events of failed invocations");
  });
}

}  // namespace

const std::vector<Rule>& messaging_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-SQS-1", Severity::Error, kEncryptionAtRest, "SQS queues are encrypted with a customer managed KMS key",
       "set kms_key", queue_customer_key},
      {"HIPAA-SQS-2", Severity::Error, kTransmissionSecurity, "SQS queues deny requests made without TLS",
       "leave enforce_tls on (the queue's or its sqs::QueuePolicy's)", queue_tls_only},
      {"HIPAA-SNS-1", Severity::Error, kEncryptionAtRest, "SNS topics are encrypted with a customer managed KMS key",
       "set kms_key", topic_customer_key, "SNSEncryptedKMS"},
      {"HIPAA-SNS-2", Severity::Error, kTransmissionSecurity, "SNS topics deny publishing without TLS",
       "leave enforce_tls on", topic_tls_only},
      {"HIPAA-SNS-3", Severity::Error, kTransmissionSecurity, "No SNS subscription delivers over plain HTTP",
       "subscribe an https:// endpoint; remove the protocol or endpoint override", subscription_no_plain_http},
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

const std::vector<Rule>& lambda_dead_letter_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-LAMBDA-4", Severity::Error, kAuditControls,
       "Lambda functions send failed asynchronous events to a dead-letter queue or topic",
       "set dead_letter to an sqs::Queue or sns::Topic, and let the role send to it and use its key",
       lambda_dead_letter, "LambdaDLQ"},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
