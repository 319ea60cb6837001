#include "aws/grants.hpp"

namespace hipaa::detail {

iam::Statement key_statement(const kms::Key& key, KeyUse use) {
  switch (use) {
    case KeyUse::Decrypt: return iam::allow({"kms:Decrypt"}).id("DecryptWith" + key.logical_id()).on(key.arn());
    case KeyUse::Encrypt:
      return iam::allow({"kms:Decrypt", "kms:GenerateDataKey"}).id("EncryptWith" + key.logical_id()).on(key.arn());
    case KeyUse::EncryptDecrypt:
      return iam::allow({"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"})
          .id("EncryptDecryptWith" + key.logical_id())
          .on(key.arn());
  }
  return iam::allow({"kms:Decrypt"}).id("DecryptWith" + key.logical_id()).on(key.arn());
}

void grant(const iam::Grantee& grantee, std::string_view grant, iam::Statement statement, const kms::Key* key,
           KeyUse use) {
  grantee.add_to_policy(std::move(statement), grant);
  if (key != nullptr) grantee.add_to_policy(key_statement(*key, use), grant);
}

}  // namespace hipaa::detail
