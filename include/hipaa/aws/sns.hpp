// hipaa/aws/sns.hpp: SNS topics encrypted with a customer managed KMS key that refuse publishing
// without TLS, and their subscriptions.
//
//   auto& topic = stack.add<sns::Topic>("Alerts", {.kms_key = key, .allow_cloudwatch_alarms = true});
//   stack.add<sns::Subscription>("Pager", {.topic = topic, .protocol = sns::Protocol::Https,
//                                          .endpoint = "https://pager.example.com/hook"});
//
// A topic writes its own topic policy (AWS::SNS::TopicPolicy / aws_sns_topic_policy), which
// replaces SNS's default one: principals of the account still publish through their IAM
// policies, but an AWS service needs a statement (allow_cloudwatch_alarms for alarms).
// Delivery to an encrypted queue needs the queue's policy to let the topic send
// (allow_delivery_from) and the queue's key to let SNS use it (allow_encrypted_delivery); the
// same holds for a subscription's dead-letter queue. Email, email-json and SMS deliver the
// message outside AWS in plain text: never publish PHI to a topic with such subscribers.
#pragma once

#include <optional>

#include "hipaa/aws/iam.hpp"
#include "hipaa/aws/kms.hpp"
#include "hipaa/aws/sqs.hpp"

namespace hipaa::sns {

enum class Tracing { PassThrough, Active };

struct TopicProps {
  Value topic_name;          // 1-256 of A-Z a-z 0-9 _-, ending in ".fifo" exactly when `fifo`
  std::string display_name;  // up to 100 characters; the sender of SMS and email messages
  // Server-side encryption with a customer managed key (required): messages wait encrypted until
  // delivered, and the key's policy decides which services may publish (allow_cloudwatch_alarms).
  Ref<kms::Key> kms_key;
  // Explicit opt-out: the AWS managed key alias/aws/sns instead of `kms_key`. Its policy cannot
  // be changed, so CloudWatch alarms and other AWS services cannot publish to the topic;
  // HIPAA-SNS-1 reports it.
  bool aws_managed_key = false;
  bool fifo = false;
  bool content_based_deduplication = false;  // FIFO only
  // The topic policy denies sns:Publish without TLS (aws:SecureTransport false) to any principal.
  bool enforce_tls = true;
  // Lets CloudWatch alarms of this account publish (sns:Publish for cloudwatch.amazonaws.com,
  // aws:SourceAccount and aws:SourceArn of this account's alarms). Its key must allow them too
  // (kms::KeyProps::allow_cloudwatch_alarms).
  bool allow_cloudwatch_alarms = false;
  // Statements added to the topic policy; a statement without resources applies to this topic.
  // Resource policies need a principal in every statement.
  std::vector<iam::Statement> policy_statements;
  std::optional<Tracing> tracing;  // X-Ray: Active traces publishes, PassThrough only forwards
  Tags tags;
};

class Topic final : public Node<Topic, TopicProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "sns::Topic",
      .summary = "An SNS topic encrypted with a customer managed key, with its topic policy (TLS only)",
      .tagging = Tagging::KeyValueList,
      .types = {cloudformation_type("AWS::SNS::Topic", "FifoTopic TopicName"),
                terraform_type("aws_sns_topic", "fifo_topic name name_prefix"),
                cloudformation_type("AWS::SNS::TopicPolicy"), terraform_type("aws_sns_topic_policy", "arn")}};
  static constexpr std::string_view kPolicySuffix = "Policy";
  static constexpr std::string_view kAwsManagedKey = "alias/aws/sns";
  [[nodiscard]] Value topic_arn() const { return attribute({"", "arn"}); }
  [[nodiscard]] Value topic_name() const { return attribute({"TopicName", "name"}); }
  // The topic policy: the TLS deny, the CloudWatch alarms statement, then policy_statements; a
  // statement without resources applies to this topic. Empty when there is nothing to say (SNS's
  // default policy stays).
  [[nodiscard]] iam::PolicyDocument topic_policy() const;
  // Lets the grantee publish (iam.hpp): sns:Publish on this topic (sid PublishTo<Topic>), and with
  // kms_key kms:Decrypt and kms:GenerateDataKey on the key (sid EncryptWith<Key>). The AWS managed
  // key (aws_managed_key) lets the account's principals use it through SNS: no key statement.
  void grant_publish(const iam::Grantee& grantee) const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// How a subscription receives messages. There is no plain "http": it would send the message,
// PHI included, over the network in clear text.
enum class Protocol { Https, Email, EmailJson, Sqs, Lambda, Sms, Application, Firehose };

// "https", "email-json", ... as SNS spells it.
[[nodiscard]] std::string_view protocol_name(Protocol protocol);

struct SubscriptionProps {
  Ref<Topic> topic;
  Protocol protocol = Protocol::Https;
  // https: an https:// URL; email, email-json: an address; sqs: a queue's arn(); lambda: a
  // function's arn(); sms: a phone number (+15555550100); application: an endpoint ARN;
  // firehose: a delivery stream ARN.
  Value endpoint;
  // The message as published, without SNS's JSON envelope (sqs, https and firehose only).
  bool raw_message_delivery = false;
  std::string filter_policy;  // a JSON object; empty: every message
  // Messages SNS could not deliver after its retries. The queue's policy must let the topic send
  // to it (allow_delivery_from), and it is FIFO exactly when the topic is.
  Ref<sqs::Queue> dead_letter_queue;
  Ref<iam::Role> subscription_role;  // firehose (required): the role SNS writes to the stream with
};

class Subscription final : public Node<Subscription, SubscriptionProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "sns::Subscription",
      .summary = "A subscription to a topic over https, email, sqs, lambda, sms, application or firehose",
      .tagging = Tagging::None,
      .types = {cloudformation_type("AWS::SNS::Subscription", "Endpoint Protocol TopicArn"),
                terraform_type("aws_sns_topic_subscription", "endpoint protocol topic_arn")}};
  [[nodiscard]] Value arn() const { return attribute({"", "arn"}); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

// The queue policy statement that lets `topic` deliver to a queue (sqs:SendMessage for
// sns.amazonaws.com, aws:SourceArn the topic), for a subscribed queue or a subscription's
// dead-letter queue. Without resources: in a queue's policy it applies to that queue.
[[nodiscard]] iam::Statement allow_delivery_from(const Topic& topic);
// The key policy statement that lets SNS encrypt messages it delivers to queues encrypted with
// the key (kms:GenerateDataKey* and kms:Decrypt for sns.amazonaws.com, for this account's topics).
[[nodiscard]] iam::Statement allow_encrypted_delivery();

}  // namespace hipaa::sns
