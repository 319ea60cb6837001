// Internal: the security section of a diff, as `cdk diff` has for IAM and security groups.
//
// Two passes. Facts: every IAM or KMS key policy statement, Lambda permission and security group
// rule of each document, in a canonical one-line form; facts only in the new document are
// "added", facts only in the old one "removed". Safeguards: one table per target of properties
// whose change can weaken a HIPAA safeguard (encryption, public access, deletion protection,
// logging, authorization, backup retention), checked against the changed properties; the same
// check with old and new swapped finds the changes that strengthen one.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "hipaa/diff.hpp"

namespace hipaa::diff_detail {

enum class Check {
  TurnedOff,       // true (or ON, ACTIVE, ENFORCED, ENABLED) -> anything else, or removed
  TurnedOn,        // becomes true (public access, skipping snapshots)
  Lowered,         // a number decreases
  Shrinks,         // list elements removed, or the whole value removed
  Removed,         // the value is removed
  BecomesNone,     // an authorization type becomes NONE
  PolicyWeakened,  // DeletionPolicy Retain/Snapshot -> Delete
};

struct Safeguard {
  std::string_view key;       // property or argument name (the last key of the path)
  std::string_view category;  // "Encryption", "Public access", ...
  Check check;
  std::string_view detail;  // what the change means
  bool removal_weakens;     // for Lowered: removing the value falls back to a weaker default
  bool zero_is_unlimited;   // for Lowered: 0 means "keep forever"
};

[[nodiscard]] std::span<const Safeguard> cloudformation_safeguards();
[[nodiscard]] std::span<const Safeguard> terraform_safeguards();

// Fills report.security and report.strengthening from the documents and report.changes.
void add_security_findings(const LoadedDocument& old_document, const LoadedDocument& new_document, DiffReport& report);

}  // namespace hipaa::diff_detail
