// SNS rules: topics are encrypted with a customer managed key and refuse publishing without TLS,
// and no subscription delivers in clear text.
#include "hipaa/aws/sns.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

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

}  // namespace

const std::vector<Rule>& sns_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-SNS-1", Severity::Error, kEncryptionAtRest, "SNS topics are encrypted with a customer managed KMS key",
       "set kms_key", topic_customer_key, "SNSEncryptedKMS"},
      {"HIPAA-SNS-2", Severity::Error, kTransmissionSecurity, "SNS topics deny publishing without TLS",
       "leave enforce_tls on", topic_tls_only},
      {"HIPAA-SNS-3", Severity::Error, kTransmissionSecurity, "No SNS subscription delivers over plain HTTP",
       "subscribe an https:// endpoint; remove the protocol or endpoint override", subscription_no_plain_http},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
