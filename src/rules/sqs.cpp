// SQS rules: queues are encrypted with a customer managed key and refuse requests without TLS.
#include "hipaa/aws/sqs.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

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

}  // namespace

const std::vector<Rule>& sqs_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-SQS-1", Severity::Error, kEncryptionAtRest, "SQS queues are encrypted with a customer managed KMS key",
       "set kms_key", queue_customer_key},
      {"HIPAA-SQS-2", Severity::Error, kTransmissionSecurity, "SQS queues deny requests made without TLS",
       "leave enforce_tls on (the queue's or its sqs::QueuePolicy's)", queue_tls_only},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
