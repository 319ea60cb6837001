#include "hipaa/aws/sqs.hpp"

#include "aws/grants.hpp"
#include "messaging.hpp"
#include "validate/checks.hpp"

namespace hipaa::sqs {
namespace {

// The policy resource of `queue`, written by `owner` (the queue itself or an sqs::QueuePolicy).
void lower_policy(Lowering& l, TargetResource& resource, const Resource& owner, std::string_view document_suffix,
                  const Queue& queue, const iam::PolicyDocument& policy) {
  resource.properties()
      .set({"Queues", {}}, ValueList{queue.queue_url()})
      .set({{}, "queue_url"}, queue.queue_url())
      .set_node(l.is_cloudformation() ? "PolicyDocument" : "policy",
                iam::lower_policy_document(l, owner, document_suffix, policy));
}

}  // namespace

iam::PolicyDocument Queue::queue_policy(const QueuePolicy* writer) const {
  const auto& p = props();
  iam::PolicyDocument policy;
  if (p.enforce_tls || (writer != nullptr && writer->props().enforce_tls)) {
    policy.statements.push_back(detail::deny_without_tls("sqs:*", arn()));
  }
  detail::add_scoped(policy, p.policy_statements, arn());
  if (writer != nullptr) detail::add_scoped(policy, writer->props().statements, arn());
  return policy;
}

cloudwatch::Metric Queue::metric(std::string metric_name, cloudwatch::Statistic statistic) const {
  return {.namespace_name = "AWS/SQS",
          .metric_name = std::move(metric_name),
          .dimensions = {{"QueueName", queue_name()}},
          .statistic = statistic};
}

void Queue::lower(Lowering& l) const {
  const auto& p = props();
  auto& queue = l.add(*this);
  queue.properties()
      .set({"QueueName", "name"}, p.queue_name)
      .set({"FifoQueue", "fifo_queue"}, p.fifo ? Value(true) : Value())
      .set({"ContentBasedDeduplication", "content_based_deduplication"},
           p.content_based_deduplication ? Value(true) : Value())
      .set({"KmsMasterKeyId", "kms_master_key_id"}, p.kms_key ? p.kms_key->arn() : Value())
      .set({"KmsDataKeyReusePeriodSeconds", "kms_data_key_reuse_period_seconds"},
           p.kms_key ? Value(p.kms_data_key_reuse_seconds) : Value())
      // Only as the explicit opt-out: Terraform refuses it beside kms_master_key_id, even false.
      .set({"SqsManagedSseEnabled", "sqs_managed_sse_enabled"}, p.sqs_managed_encryption ? Value(true) : Value())
      .set({"MessageRetentionPeriod", "message_retention_seconds"}, p.message_retention_seconds)
      .set({"VisibilityTimeout", "visibility_timeout_seconds"}, p.visibility_timeout_seconds)
      .set({"DelaySeconds", "delay_seconds"}, p.delay_seconds)
      .set({"MaximumMessageSize", "max_message_size"}, p.max_message_size_bytes);
  if (p.dead_letter && p.dead_letter->queue) {
    const Value redrive = map(
        {{"deadLetterTargetArn", p.dead_letter->queue->arn()}, {"maxReceiveCount", p.dead_letter->max_receive_count}});
    // An object in CloudFormation, a JSON string in Terraform.
    queue.properties()
        .cloudformation("RedrivePolicy", redrive)
        .terraform("redrive_policy", call("jsonencode", {redrive}));
  }
  queue.tags(p.tags);
  // Messages are data: kept unless the user opts out (see the header).
  queue.removal_policy(removal_policy().value_or(RemovalPolicy::Retain));

  if (l.policy_writer(*this) != nullptr) return;  // an sqs::QueuePolicy writes it
  const iam::PolicyDocument policy = queue_policy();
  if (policy.empty()) return;
  auto& resource =
      l.add(*this, l.is_cloudformation() ? kQueuePolicyCloudFormationType.name : kQueuePolicyTerraformType.name,
            kPolicySuffix);
  lower_policy(l, resource, *this, kPolicySuffix, *this, policy);
}

void Queue::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  if (!p.kms_key && !p.sqs_managed_encryption) {
    check.error("HS2001", "required property 'kms_key' is not set",
                "encrypt the queue with a customer managed kms::Key, or opt out explicitly with "
                "sqs_managed_encryption = true");
  }
  if (p.kms_key && p.sqs_managed_encryption) {
    check.error("HS2004",
                "'kms_key' and 'sqs_managed_encryption' are both set; a queue has one server-side encryption");
  }
  if (p.fifo && p.queue_name.is_null()) {
    check.error("HS2001", "a FIFO queue needs a 'queue_name' ending in '.fifo'");
  }
  detail::check_fifo_name(check, p.queue_name, *this, "queue_name", 80, p.fifo, "queue");
  if (p.kms_key) check.range(p.kms_data_key_reuse_seconds, "kms_data_key_reuse_seconds", 60, 86400);
  check.range(p.message_retention_seconds, "message_retention_seconds", 60, 1209600);
  check.range(p.visibility_timeout_seconds, "visibility_timeout_seconds", 0, 43200);
  check.range(p.delay_seconds, "delay_seconds", 0, 900);
  if (p.max_message_size_bytes && (*p.max_message_size_bytes < 1024 || *p.max_message_size_bytes > 262144)) {
    check.error("HS2004", "'max_message_size_bytes' is " + std::to_string(*p.max_message_size_bytes) +
                              "; the hashicorp/aws 5.x provider accepts 1024 to 262144");
  }
  if (p.content_based_deduplication && !p.fifo) {
    check.error("HS2004", "'content_based_deduplication' is set but the queue is not FIFO");
  }
  if (p.dead_letter) {
    const auto& dead_letter = *p.dead_letter;
    check.required(dead_letter.queue, "dead_letter.queue");
    check.range(dead_letter.max_receive_count, "dead_letter.max_receive_count", 1, 1000);
    if (const Queue* dlq = dead_letter.queue.get()) {
      if (dlq == this) {
        check.error("HS2004", "'dead_letter.queue' is the queue itself");
      } else if (dlq->props().fifo != p.fifo) {
        check.error("HS2004", std::string("'dead_letter.queue' ") + dlq->path() + " is " +
                                  (dlq->props().fifo ? "FIFO" : "standard") + " but this queue is " +
                                  (p.fifo ? "FIFO" : "standard") + "; SQS needs both of one kind");
      } else if (!p.fifo && dlq->props().message_retention_seconds <= p.message_retention_seconds) {
        // Not an error AWS makes, but messages would expire early: a standard queue's message
        // keeps its original enqueue time in the dead-letter queue.
        out.push_back(
            detail::at(*this, "HS2004",
                       "dead-letter queue " + dlq->path() + " keeps messages " +
                           std::to_string(dlq->props().message_retention_seconds) +
                           " s, not longer than this queue's " + std::to_string(p.message_retention_seconds) +
                           " s: a message that moves there late expires almost at once (it keeps its enqueue time)",
                       "give the dead-letter queue a longer message_retention_seconds, e.g. 1209600 (14 days)",
                       Severity::Warning));
      }
    }
  }
  if (removal_policy() == RemovalPolicy::Snapshot) {
    check.error("HS2004", "a queue has no snapshots: its removal policy is Retain (the default) or Delete");
  }
  detail::check_principals(check, p.policy_statements, "policy_statements");
}

void QueuePolicy::lower(Lowering& l) const {
  auto& resource = l.add(*this);
  if (const Queue* queue = props().queue.get()) {
    lower_policy(l, resource, *this, "Document", *queue, queue->queue_policy(this));
  }
}

void QueuePolicy::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().queue, "queue");
  detail::check_principals(check, props().statements, "statements");
  if (const Queue* queue = props().queue.get(); queue != nullptr && queue->queue_policy(this).empty()) {
    check.error("HS2001", "the policy of " + queue->path() + " would have no statement",
                "add statements, or leave enforce_tls on");
  }
}

void Queue::grant_send_messages(const iam::Grantee& grantee) const {
  detail::grant(grantee, path() + " grant_send_messages",
                iam::allow({"sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"})
                    .id("SendTo" + logical_id())
                    .on(arn()),
                props().kms_key.get(), detail::KeyUse::Encrypt);
}

void Queue::grant_consume_messages(const iam::Grantee& grantee) const {
  detail::grant(grantee, path() + " grant_consume_messages",
                iam::allow({"sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                            "sqs:GetQueueUrl", "sqs:ReceiveMessage"})
                    .id("ConsumeFrom" + logical_id())
                    .on(arn()),
                props().kms_key.get(), detail::KeyUse::Decrypt);
}

}  // namespace hipaa::sqs
