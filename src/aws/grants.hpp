// Internal: what the resources' grant methods (secret.grant_read(fn), queue.grant_send_messages(fn),
// ...) share: the statement on a resource's customer managed key, and adding a grant's statements
// to the grantee in order.
#pragma once

#include <string_view>

#include "hipaa/aws/kms.hpp"

namespace hipaa::detail {

// What a grantee does with a resource's key.
enum class KeyUse {
  Decrypt,         // read:  kms:Decrypt                                      sid DecryptWith<Key>
  Encrypt,         // write: kms:Decrypt kms:GenerateDataKey                  sid EncryptWith<Key>
  EncryptDecrypt,  // kms::Key::grant_encrypt_decrypt: + kms:Encrypt         sid EncryptDecryptWith<Key>
};

// The statement allowing `use` of `key`, on the key's ARN. Its sid names the key and the use, so
// grants on resources sharing a key share one statement per use.
[[nodiscard]] iam::Statement key_statement(const kms::Key& key, KeyUse use);

// Adds `statement` to the grantee's policy and then, when `key` is set, the statement for `use`
// of it. `grant` names the grant in errors ("Stack/Secret grant_read").
void grant(const iam::Grantee& grantee, std::string_view grant, iam::Statement statement, const kms::Key* key = nullptr,
           KeyUse use = KeyUse::Decrypt);

}  // namespace hipaa::detail
