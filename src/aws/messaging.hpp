// Internal: what SQS queues and SNS topics share: FIFO names, and resource policies that deny
// requests without TLS and scope statements without resources to their own resource.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hipaa/aws/iam.hpp"
#include "validate/checks.hpp"

namespace hipaa::detail {

// The statement that denies `action` to anyone on `resource` over a connection without TLS.
[[nodiscard]] iam::Statement deny_without_tls(std::string action, Value resource);

// Appends `statements` to `policy`; those without resources apply to `resource`.
void add_scoped(iam::PolicyDocument& policy, const std::vector<iam::Statement>& statements, const Value& resource);

// HS2003 on a queue's or topic's name (checked on its literal text): 1 to `max_length`
// characters of A-Z a-z 0-9 _- and, exactly when `fifo`, a final ".fifo" (counted in the length).
// `kind` is "queue" or "topic".
void check_fifo_name(const Checker& check, const Value& name, const Construct& where, std::string_view property,
                     std::size_t max_length, bool fifo, std::string_view kind);

// HS2001 for each statement of a resource policy without a principal.
void check_principals(const Checker& check, const std::vector<iam::Statement>& statements, std::string_view property);

}  // namespace hipaa::detail
