#include "hipaa/aws/cloudwatch.hpp"
#include "hipaa/aws/iam.hpp"
#include "hipaa/aws/kms.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/sns.hpp"
#include "hipaa/aws/sqs.hpp"
#include "showcase.hpp"

namespace hipaa::showcase {

void add_messaging(Stack& stack) {
  Construct& group = stack.add_group("Messaging");
  // CloudWatch alarms publish to the topic, and SNS delivers to the queues, through this key.
  auto& key = group.add<kms::Key>("Key", {.description = "Showcase messaging key",
                                          .policy_statements = {sns::allow_encrypted_delivery()},
                                          .allow_cloudwatch_alarms = true});
  auto& topic = group.add<sns::Topic>("Alerts", {.topic_name = "showcase-alerts",
                                                 .display_name = "Showcase alerts",
                                                 .kms_key = key,
                                                 .allow_cloudwatch_alarms = true,
                                                 .tracing = sns::Tracing::Active,
                                                 .tags = {{"Purpose", "alerts"}}});
  // The dead-letter queue also takes what SNS could not deliver, so its own policy lets the topic send.
  auto& dead_letters = group.add<sqs::Queue>("DeadLetters", {.queue_name = "showcase-dead-letters",
                                                             .kms_key = key,
                                                             .kms_data_key_reuse_seconds = 600,
                                                             .message_retention_seconds = 1209600,
                                                             .policy_statements = {sns::allow_delivery_from(topic)}});
  auto& queue =
      group.add<sqs::Queue>("Work", {.queue_name = "showcase-work",
                                     .kms_key = key,
                                     .visibility_timeout_seconds = 60,
                                     .delay_seconds = 5,
                                     .max_message_size_bytes = 262144,
                                     .dead_letter = sqs::DeadLetter{.queue = dead_letters, .max_receive_count = 3},
                                     .tags = {{"Purpose", "work"}}});
  group.add<sqs::QueuePolicy>("WorkPolicy", {.queue = queue, .statements = {sns::allow_delivery_from(topic)}});
  auto& ordered_dead_letters =
      group.add<sqs::Queue>("OrderedDeadLetters", {.queue_name = "showcase-ordered-dead-letters.fifo",
                                                   .kms_key = key,
                                                   .message_retention_seconds = 1209600,
                                                   .fifo = true});
  group.add<sqs::Queue>("Ordered", {.queue_name = "showcase-ordered.fifo",
                                    .kms_key = key,
                                    .fifo = true,
                                    .content_based_deduplication = true,
                                    .dead_letter = sqs::DeadLetter{.queue = ordered_dead_letters}});

  group.add<sns::Subscription>("Webhook", {.topic = topic,
                                           .protocol = sns::Protocol::Https,
                                           .endpoint = "https://alerts.example.com/hooks/sns",
                                           .raw_message_delivery = true,
                                           .filter_policy = R"({"severity": ["high", "critical"]})",
                                           .dead_letter_queue = dead_letters});
  group.add<sns::Subscription>("ToWork", {.topic = topic,
                                          .protocol = sns::Protocol::Sqs,
                                          .endpoint = queue.arn(),
                                          .raw_message_delivery = true,
                                          .dead_letter_queue = dead_letters});

  group.add<cloudwatch::Alarm>("DeadLettersVisible",
                               {.alarm_name = "showcase-dead-letters-visible",
                                .description = "Messages are waiting in the dead-letter queue",
                                .metric = {.namespace_name = "AWS/SQS",
                                           .metric_name = "ApproximateNumberOfMessagesVisible",
                                           .dimensions = {{"QueueName", dead_letters.queue_name()}},
                                           .statistic = cloudwatch::Statistic::Maximum},
                                .period_seconds = 60,
                                .evaluation_periods = 5,
                                .datapoints_to_alarm = 1,
                                .threshold = 0,
                                .treat_missing_data = cloudwatch::MissingData::NotBreaching,
                                .alarm_actions = {topic},
                                .ok_actions = {topic},
                                .tags = {{"Purpose", "dead-letters"}}});

  // The function sends failed asynchronous events to the work queue: its role may send there
  // and use the queue's key.
  iam::PolicyDocument trust = iam::assumed_by("lambda.amazonaws.com");
  auto& access = group.add<iam::ManagedPolicy>(
      "WorkerPolicy",
      {.description = "Showcase worker: dead-letter queue",
       .document = {{iam::allow({"sqs:SendMessage"}).id("SendFailedEvents").on(queue.arn()),
                     iam::allow({"kms:Decrypt", "kms:GenerateDataKey"}).id("UseQueueKey").on(key.arn())}}});
  auto& role = group.add<iam::Role>(
      "WorkerRole",
      {.assume_role_policy = trust,
       .managed_policy_arns = {iam::aws_managed("service-role/AWSLambdaBasicExecutionRole"), access.arn()}});
  auto& worker = group.add<lambda::Function>(
      "Worker", {.function_name = "showcase-worker",
                 .code = lambda::Code::inline_source("index.js", "exports.handler = async (event) => ({ ok: true });"),
                 .role = role,
                 .reserved_concurrency = 2,
                 .dead_letter = queue,
                 .layers = {interpolate(
                     {"arn:", partition(), ":lambda:", region(), ":", account_id(), ":layer:showcase-shared:1"})}});
  group.add<cloudwatch::Alarm>("WorkerSlow", {.alarm_name = "showcase-worker-slow",
                                              .metric = {.namespace_name = "AWS/Lambda",
                                                         .metric_name = "Duration",
                                                         .dimensions = {{"FunctionName", worker.function_name()}},
                                                         .statistic = "p99"},
                                              .threshold = 20000,
                                              .comparison = cloudwatch::Comparison::GreaterThanOrEqualToThreshold,
                                              .alarm_actions = {topic},
                                              .insufficient_data_actions = {topic}});
}

}  // namespace hipaa::showcase
