#include "hipaa/aws/sns.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "aws/grants.hpp"
#include "messaging.hpp"
#include "validate/checks.hpp"

namespace hipaa::sns {

std::string_view protocol_name(Protocol protocol) {
  switch (protocol) {
    case Protocol::Https: return "https";
    case Protocol::Email: return "email";
    case Protocol::EmailJson: return "email-json";
    case Protocol::Sqs: return "sqs";
    case Protocol::Lambda: return "lambda";
    case Protocol::Sms: return "sms";
    case Protocol::Application: return "application";
    case Protocol::Firehose: return "firehose";
  }
  return "https";
}

iam::Statement allow_delivery_from(const Topic& topic) {
  return iam::allow({"sqs:SendMessage"})
      .id("AllowDeliveryFrom" + topic.logical_id())
      .principal(iam::service("sns.amazonaws.com"))
      .when({"ArnEquals", "aws:SourceArn", {topic.topic_arn()}});
}

iam::Statement allow_encrypted_delivery() {
  // aws:SourceAccount rather than the topic's ARN: a key shared by a topic and the queue it
  // delivers to would otherwise refer to the topic that refers to it.
  return iam::allow({"kms:Decrypt", "kms:GenerateDataKey*"})
      .id("AllowSnsDelivery")
      .principal(iam::service("sns.amazonaws.com"))
      .on("*")
      .when({"StringEquals", "aws:SourceAccount", {account_id()}});
}

iam::PolicyDocument Topic::topic_policy() const {
  const auto& p = props();
  iam::PolicyDocument policy;
  if (p.enforce_tls) policy.statements.push_back(detail::deny_without_tls("sns:Publish", topic_arn()));
  if (p.allow_cloudwatch_alarms) {
    policy.statements.push_back(
        iam::allow({"sns:Publish"})
            .id("AllowCloudWatchAlarms")
            .principal(iam::service("cloudwatch.amazonaws.com"))
            .on(topic_arn())
            .when({"StringEquals", "aws:SourceAccount", {account_id()}})
            .when({"ArnLike",
                   "aws:SourceArn",
                   {interpolate({"arn:", partition(), ":cloudwatch:", region(), ":", account_id(), ":alarm:*"})}}));
  }
  detail::add_scoped(policy, p.policy_statements, topic_arn());
  return policy;
}

void Topic::lower(Lowering& l) const {
  const auto& p = props();
  Value key;
  if (p.kms_key) {
    key = p.kms_key->arn();
  } else if (p.aws_managed_key) {
    key = std::string(kAwsManagedKey);
  }
  Value tracing;
  if (p.tracing) tracing = *p.tracing == Tracing::Active ? "Active" : "PassThrough";
  auto& topic = l.add(*this);
  topic.properties()
      .set({"TopicName", "name"}, p.topic_name)
      .set({"DisplayName", "display_name"}, p.display_name)
      .set({"FifoTopic", "fifo_topic"}, p.fifo ? Value(true) : Value())
      .set({"ContentBasedDeduplication", "content_based_deduplication"},
           p.content_based_deduplication ? Value(true) : Value())
      .set({"KmsMasterKeyId", "kms_master_key_id"}, key)
      .set({"TracingConfig", "tracing_config"}, tracing);
  topic.tags(p.tags);

  if (l.policy_writer(*this) != nullptr) return;
  const iam::PolicyDocument policy = topic_policy();
  if (policy.empty()) return;  // SNS's default policy stays
  l.add(*this, l.is_cloudformation() ? "AWS::SNS::TopicPolicy" : "aws_sns_topic_policy", kPolicySuffix)
      .properties()
      .set({"Topics", {}}, ValueList{topic_arn()})
      .set({{}, "arn"}, topic_arn())
      .set_node(l.is_cloudformation() ? "PolicyDocument" : "policy",
                iam::lower_policy_document(l, *this, kPolicySuffix, policy));
}

void Topic::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  if (!p.kms_key && !p.aws_managed_key) {
    check.error(
        "HS2001", "required property 'kms_key' is not set",
        "encrypt the topic with a customer managed kms::Key, or opt out explicitly with aws_managed_key = true");
  }
  if (p.kms_key && p.aws_managed_key) {
    check.error("HS2004", "'kms_key' and 'aws_managed_key' are both set; a topic has one key");
  }
  if (p.fifo && p.topic_name.is_null()) {
    check.error("HS2001", "a FIFO topic needs a 'topic_name' ending in '.fifo'");
  }
  detail::check_fifo_name(check, p.topic_name, *this, "topic_name", 256, p.fifo, "topic");
  if (p.display_name.size() > 100) {
    check.error("HS2003",
                "'display_name' has " + std::to_string(p.display_name.size()) + " characters; AWS accepts at most 100");
  }
  if (p.content_based_deduplication && !p.fifo) {
    check.error("HS2004", "'content_based_deduplication' is set but the topic is not FIFO");
  }
  detail::check_principals(check, p.policy_statements, "policy_statements");
}

namespace {

bool is_phone_number(std::string_view text) {
  // E.164: a '+', then up to 15 digits.
  if (text.size() < 8 || text.size() > 16 || text.front() != '+') return false;
  return std::all_of(text.begin() + 1, text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// The endpoint's literal text must fit the protocol; a reference must be the ARN of the right node.
void check_endpoint(const detail::Checker& check, const Subscription& subscription) {
  const auto& p = subscription.props();
  const std::string protocol(protocol_name(p.protocol));
  if (const auto* ref = p.endpoint.get_if<AttributeRef>()) {
    std::string_view wanted;
    if (p.protocol == Protocol::Sqs) wanted = "sqs::Queue";
    if (p.protocol == Protocol::Lambda) wanted = "lambda::Function";
    if (!wanted.empty() && (ref->target->info().name != wanted || ref->attribute.cloudformation != "Arn")) {
      check.error("HS2004", "'endpoint' of a " + protocol + " subscription must be the arn() of a " +
                                std::string(wanted) + ", not an attribute of " + ref->target->path());
    }
    return;
  }
  const auto text = detail::literal_text(p.endpoint, subscription);
  if (!text) return;
  const std::string quoted = "'endpoint' value '" + *text + "'";
  switch (p.protocol) {
    case Protocol::Https:
      if (text->starts_with("http://")) {
        check.error("HS2004", quoted + " is plain HTTP: SNS would send every message, PHI included, in clear text",
                    "use an https:// endpoint");
      } else if (!text->starts_with("https://")) {
        check.error("HS2004", quoted + " must start with 'https://' for protocol https");
      }
      break;
    case Protocol::Email:
    case Protocol::EmailJson:
      if (text->find('@') == std::string::npos) check.error("HS2004", quoted + " is not an email address");
      break;
    case Protocol::Sms:
      if (!is_phone_number(*text)) {
        check.error("HS2004", quoted + " is not a phone number in E.164 form ('+' and up to 15 digits)");
      }
      break;
    case Protocol::Sqs:
    case Protocol::Lambda:
    case Protocol::Application:
    case Protocol::Firehose:
      if (!text->starts_with("arn:")) check.error("HS2004", quoted + " must be an ARN for protocol " + protocol);
      break;
  }
}

}  // namespace

void Subscription::lower(Lowering& l) const {
  const auto& p = props();
  auto& subscription = l.add(*this);
  subscription.properties()
      .set({"TopicArn", "topic_arn"}, p.topic ? p.topic->topic_arn() : Value())
      .set({"Protocol", "protocol"}, protocol_name(p.protocol))
      .set({"Endpoint", "endpoint"}, p.endpoint)
      .set({"RawMessageDelivery", "raw_message_delivery"}, p.raw_message_delivery ? Value(true) : Value())
      .set({"FilterPolicy", "filter_policy"}, p.filter_policy)
      .set({"SubscriptionRoleArn", "subscription_role_arn"},
           p.subscription_role ? p.subscription_role->arn() : Value());
  if (p.dead_letter_queue) {
    const Value redrive = map({{"deadLetterTargetArn", p.dead_letter_queue->arn()}});
    // An object in CloudFormation, a JSON string in Terraform.
    subscription.properties()
        .cloudformation("RedrivePolicy", redrive)
        .terraform("redrive_policy", call("jsonencode", {redrive}));
  }
}

void Subscription::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  check.required(p.topic, "topic");
  check.required(p.endpoint, "endpoint");
  check_endpoint(check, *this);
  const std::string protocol(protocol_name(p.protocol));
  if (p.raw_message_delivery && p.protocol != Protocol::Sqs && p.protocol != Protocol::Https &&
      p.protocol != Protocol::Firehose) {
    check.error("HS2004", "'raw_message_delivery' is set on a " + protocol +
                              " subscription; SNS delivers raw messages only to sqs, https and firehose");
  }
  if (p.protocol == Protocol::Firehose && !p.subscription_role) {
    check.error("HS2001", "a firehose subscription needs 'subscription_role'");
  }
  if (p.protocol != Protocol::Firehose && p.subscription_role) {
    check.error("HS2004", "'subscription_role' is set on a " + protocol + " subscription; only firehose uses one");
  }
  if (!p.filter_policy.empty()) {
    const auto parsed = nlohmann::json::parse(p.filter_policy, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_object()) check.error("HS2004", "'filter_policy' is not a JSON object: " + p.filter_policy);
  }
  if (const Topic* topic = p.topic.get()) {
    const bool fifo = topic->props().fifo;
    if (fifo && p.protocol != Protocol::Sqs) {
      check.error("HS2004", "FIFO topic " + topic->path() + " delivers only to SQS queues, not to " + protocol);
    }
    if (const sqs::Queue* dlq = p.dead_letter_queue.get(); dlq != nullptr && dlq->props().fifo != fifo) {
      check.error("HS2004", std::string("'dead_letter_queue' ") + dlq->path() + " is " +
                                (dlq->props().fifo ? "FIFO" : "standard") + " but topic " + topic->path() + " is " +
                                (fifo ? "FIFO" : "standard") + "; SNS needs both of one kind");
    }
  }
}

void Topic::grant_publish(const iam::Grantee& grantee) const {
  detail::grant(grantee, path() + " grant_publish",
                iam::allow({"sns:Publish"}).id("PublishTo" + logical_id()).on(topic_arn()),
                props().aws_managed_key ? nullptr : props().kms_key.get(), detail::KeyUse::Encrypt);
}

}  // namespace hipaa::sns
