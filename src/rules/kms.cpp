// KMS rules: customer managed keys rotate.
#include "hipaa/aws/kms.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

void kms_rotation(const Inventory& stack, Reporter& report) {
  each<kms::Key>(stack, [&](const kms::Key& key) {
    if (!key.props().enable_key_rotation) {
      report.flag(key, "automatic key rotation is off");
    } else {
      flag_override(key, {"EnableKeyRotation", "enable_key_rotation", false}, report);
    }
  });
}

}  // namespace

const std::vector<Rule>& kms_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-KMS-1", Severity::Error, kEncryptionAtRest, "KMS keys rotate automatically", "set enable_key_rotation",
       kms_rotation},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
