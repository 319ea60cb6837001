#include "messaging.hpp"

namespace hipaa::detail {

iam::Statement deny_without_tls(std::string action, Value resource) {
  return iam::deny({std::move(action)})
      .id("DenyWithoutTls")
      .principal(iam::anyone())
      .on(std::move(resource))
      .when({"Bool", "aws:SecureTransport", {"false"}});
}

void add_scoped(iam::PolicyDocument& policy, const std::vector<iam::Statement>& statements, const Value& resource) {
  for (const auto& statement : statements) {
    policy.statements.push_back(statement);
    if (statement.resources.empty()) policy.statements.back().on(resource);
  }
}

void check_fifo_name(const Checker& check, const Value& name, const Construct& where, std::string_view property,
                     std::size_t max_length, bool fifo, std::string_view kind) {
  const auto text = literal_text(name, where);
  if (!text) return;  // only known at deploy time
  const std::string quoted = "'" + std::string(property) + "' value '" + *text + "'";
  constexpr std::string_view kSuffix = ".fifo";
  if (fifo != text->ends_with(kSuffix)) {
    check.error("HS2003", fifo ? quoted + " must end in '.fifo': the " + std::string(kind) + " is FIFO"
                               : quoted + " ends in '.fifo', which only a FIFO " + std::string(kind) + " may");
    return;
  }
  const std::size_t min_length = fifo ? kSuffix.size() + 1 : 1;
  if (text->size() < min_length || text->size() > max_length) {
    check.error("HS2003", quoted + " has " + std::to_string(text->size()) + " characters; AWS accepts " +
                              std::to_string(min_length) + " to " + std::to_string(max_length));
    return;
  }
  const std::string_view stem = std::string_view(*text).substr(0, text->size() - (fifo ? kSuffix.size() : 0));
  for (char c : stem) {
    if (!is_lambda_name_char(c)) {
      check.error("HS2003", quoted + " contains '" + std::string(1, c) + "'; AWS accepts only A-Z a-z 0-9 _-" +
                                (fifo ? " before the '.fifo' suffix" : ""));
      return;
    }
  }
}

void check_principals(const Checker& check, const std::vector<iam::Statement>& statements, std::string_view property) {
  for (std::size_t i = 0; i < statements.size(); ++i) {
    if (statements[i].principals.empty()) {
      const std::string sid = statements[i].sid.empty() ? "" : " (" + statements[i].sid + ")";
      check.error("HS2001", "'" + std::string(property) + "' statement " + std::to_string(i + 1) + sid +
                                " has no principal; every statement of a resource policy names one");
    }
  }
}

}  // namespace hipaa::detail
