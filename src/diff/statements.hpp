// Internal: policy statements as the diff compares them.
//
// A statement from IAM JSON (`Effect`, `Action`, `Principal`, `Condition`, ...) or from a Terraform
// aws_iam_policy_document block (`effect`, `actions`, `principals`, `condition`) becomes one
// StatementParts: sorted value lists per field and one entry per condition. Its text is the
// one-line form the security section shows; two versions of a statement compare field by field,
// into what widened the access it grants and what narrowed it.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "hipaa/document.hpp"

namespace hipaa::diff_detail {

// A value in a statement or rule: scalars as themselves, anything else as JSON with sorted keys,
// so that two spellings of one policy give one text.
[[nodiscard]] std::string display(const doc::Node& node);
// The displayed values of a scalar or list, sorted; none for nullptr.
[[nodiscard]] std::vector<std::string> values_of(const doc::Node* node);
// One value as itself, several as "[a, b]".
[[nodiscard]] std::string join(const std::vector<std::string>& values);

// Action, NotAction, Resource, NotResource, Principal, NotPrincipal.
inline constexpr std::size_t kStatementFields = 6;

struct StatementParts {
  std::string sid;
  std::string effect;                                             // "Allow" unless the statement says otherwise
  std::array<std::vector<std::string>, kStatementFields> fields;  // sorted values
  std::array<bool, kStatementFields> present{};
  std::vector<std::string> conditions;  // "StringEquals aws:SourceAccount 111122223333", sorted
  std::string condition_text;           // as the statement's text shows it

  [[nodiscard]] bool deny() const { return effect == "Deny"; }
};

[[nodiscard]] StatementParts iam_statement(const doc::Node& statement);
[[nodiscard]] StatementParts terraform_statement(const doc::Node& statement);

// "Allow [a, b] on r for Service:x when {...}".
[[nodiscard]] std::string statement_text(const StatementParts& statement);

// How well two statements of one policy match as versions of each other: 0 when they cannot be
// (different effects, or nothing in common); more values shared, higher.
[[nodiscard]] std::size_t match_score(const StatementParts& a, const StatementParts& b);

// What a statement's new version grants beyond the old one, and what it no longer grants:
// "actions added s3:PutObject", "resources added * (wildcard)", "conditions removed ...".
struct StatementDelta {
  std::vector<std::string> widened;
  std::vector<std::string> narrowed;
};
[[nodiscard]] StatementDelta compare_statements(const StatementParts& before, const StatementParts& after);

}  // namespace hipaa::diff_detail
