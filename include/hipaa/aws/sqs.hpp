// hipaa/aws/sqs.hpp: SQS queues encrypted with a customer managed KMS key, with a dead-letter
// queue and a queue policy that refuses requests without TLS.
//
//   auto& dlq = stack.add<sqs::Queue>("Failed", {.kms_key = key, .message_retention_seconds = 1209600});
//   auto& queue = stack.add<sqs::Queue>("Work", {.kms_key = key, .dead_letter = sqs::DeadLetter{.queue = dlq}});
//   stack.add<sqs::QueuePolicy>("WorkPolicy", {.queue = queue, .statements = {sns::allow_delivery_from(topic)}});
//
// A queue writes its own policy (AWS::SQS::QueuePolicy / aws_sqs_queue_policy: the TLS deny and
// its policy_statements) unless an sqs::QueuePolicy in the same stack writes it instead, merging
// its statements with the queue's. Whoever sends to the queue needs sqs:SendMessage and, for the
// queue's key, kms:GenerateDataKey and kms:Decrypt: an IAM principal through its own policies,
// an AWS service (SNS, EventBridge) through a queue policy statement and the key's policy.
#pragma once

#include <optional>

#include "hipaa/aws/cloudwatch_metric.hpp"
#include "hipaa/aws/iam.hpp"
#include "hipaa/aws/kms.hpp"

namespace hipaa::sqs {

class Queue;

// Where messages go after `max_receive_count` failed receives. It must be a queue of the same
// kind (FIFO or standard) in the same stack's account and region.
struct DeadLetter {
  Ref<Queue> queue;
  int max_receive_count = 5;  // 1-1000: enough to ride out a transient failure, few for a poison message
};

struct QueueProps {
  Value queue_name;  // 1-80 of A-Z a-z 0-9 _-, ending in ".fifo" exactly when `fifo`
  // Server-side encryption with a customer managed key (required): the key's policy decides who
  // may read the messages, and its use is logged in CloudTrail.
  Ref<kms::Key> kms_key;
  // Explicit opt-out: SSE-SQS (keys owned by SQS) instead of `kms_key`. Nobody can restrict or
  // audit the use of those keys; HIPAA-SQS-1 reports it.
  bool sqs_managed_encryption = false;
  int kms_data_key_reuse_seconds = 300;  // 60-86400: how long SQS reuses a data key before asking KMS again
  // 60-1209600. Four days, SQS's default, for a working queue; give a dead-letter queue longer
  // (14 days, 1209600) than the queues that feed it: a standard queue's message keeps its
  // original enqueue time when it moves to the dead-letter queue.
  int message_retention_seconds = 345600;
  int visibility_timeout_seconds = 30;  // 0-43200; at least the consumer's processing time (a function's timeout)
  int delay_seconds = 0;                // 0-900
  // 1024-262144 bytes; SQS's default (the largest) when unset. SQS now takes up to 1 MiB, but the
  // hashicorp/aws 5.x provider still refuses more than 256 KiB.
  std::optional<int> max_message_size_bytes;
  bool fifo = false;
  bool content_based_deduplication = false;  // FIFO only
  std::optional<DeadLetter> dead_letter;
  // The queue's policy denies every sqs:* request made without TLS (aws:SecureTransport false),
  // from any principal.
  bool enforce_tls = true;
  // Statements added to the queue's policy after the TLS deny. A statement without resources
  // applies to this queue. Resource policies need a principal in every statement.
  std::vector<iam::Statement> policy_statements;
  Tags tags;
};

class QueuePolicy;

// A queue's policy is one resource, written by the queue or by an sqs::QueuePolicy.
inline constexpr TargetType kQueuePolicyCloudFormationType = cloudformation_type("AWS::SQS::QueuePolicy");
inline constexpr TargetType kQueuePolicyTerraformType = terraform_type("aws_sqs_queue_policy", "queue_url");

// A queue holds data (its messages), so it is retained by default: removing it from the stack or
// replacing it (a new name, FIFO on or off) keeps the old queue and its unprocessed messages, in
// CloudFormation (DeletionPolicy/UpdateReplacePolicy Retain) and in Terraform (prevent_destroy).
// A message in a queue may be the only copy of a record nobody has processed yet, and a
// dead-letter queue holds exactly the records that failed. Opt out with
// set_removal_policy(RemovalPolicy::Delete).
class Queue final : public Node<Queue, QueueProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "sqs::Queue",
      .summary = "An SQS queue encrypted with a customer managed key, with its queue policy (TLS only)",
      .tagging = Tagging::KeyValueList,
      .holds_data = true,
      .types = {cloudformation_type("AWS::SQS::Queue", "FifoQueue QueueName"),
                terraform_type("aws_sqs_queue", "fifo_queue name name_prefix"), kQueuePolicyCloudFormationType,
                kQueuePolicyTerraformType}};
  static constexpr std::string_view kPolicySuffix = "Policy";
  [[nodiscard]] Value queue_url() const { return attribute({"", "url"}); }
  [[nodiscard]] Value arn() const { return attribute({"Arn", "arn"}); }
  [[nodiscard]] Value queue_name() const { return attribute({"QueueName", "name"}); }
  // One of the queue's AWS/SQS metrics ("ApproximateNumberOfMessagesVisible"), by QueueName.
  [[nodiscard]] cloudwatch::Metric metric(std::string metric_name,
                                          cloudwatch::Statistic statistic = cloudwatch::Statistic::Average) const;
  // The queue's resource policy: the TLS deny when either the queue or `writer` enforces TLS,
  // then the queue's policy_statements, then the writer's statements; a statement without
  // resources applies to this queue. Empty when there is nothing to say (no policy is written).
  [[nodiscard]] iam::PolicyDocument queue_policy(const QueuePolicy* writer = nullptr) const;
  // Grants (iam.hpp), on this queue's ARN:
  //   grant_send_messages:    sqs:GetQueueAttributes, sqs:GetQueueUrl, sqs:SendMessage (sid SendTo<Queue>);
  //                           with kms_key, kms:Decrypt and kms:GenerateDataKey on it (sid EncryptWith<Key>)
  //   grant_consume_messages: sqs:ChangeMessageVisibility, sqs:DeleteMessage, sqs:GetQueueAttributes,
  //                           sqs:GetQueueUrl, sqs:ReceiveMessage (sid ConsumeFrom<Queue>);
  //                           with kms_key, kms:Decrypt on it (sid DecryptWith<Key>)
  // A queue with sqs_managed_encryption needs no key permission.
  void grant_send_messages(const iam::Grantee& grantee) const;
  void grant_consume_messages(const iam::Grantee& grantee) const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

struct QueuePolicyProps {
  Ref<Queue> queue;
  std::vector<iam::Statement> statements;  // merged after the queue's own policy_statements
  bool enforce_tls = true;                 // the TLS deny is written when this or the queue's is set
};

// Writes a queue's policy instead of the queue, in the queue's stack: for statements that refer
// to nodes created after the queue (a topic that delivers to it), or to keep a policy on its own.
class QueuePolicy final : public Node<QueuePolicy, QueuePolicyProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "sqs::QueuePolicy",
      .summary = "Writes a queue's policy: the queue's statements, these statements, and the TLS deny",
      .tagging = Tagging::None,
      .types = {kQueuePolicyCloudFormationType, kQueuePolicyTerraformType}};
  [[nodiscard]] const Resource* writes_policy_of() const override { return props().queue.get(); }
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

}  // namespace hipaa::sqs
