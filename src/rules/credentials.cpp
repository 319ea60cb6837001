// Credentials that must never be written down: in a function's environment, a generated secret's
// template, or an override of any resource. One rule across services, so it has its own file.
#include <algorithm>
#include <array>
#include <cctype>

#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/secretsmanager.hpp"
#include "rule_support.hpp"

namespace hipaa::rules::detail {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

// Names that say "this is a credential".
bool names_a_secret(std::string_view name) {
  const std::string n = upper(name);
  static constexpr auto kWords =
      std::to_array<std::string_view>({"PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY",
                                       "CREDENTIAL", "AUTHTOKEN", "AUTH_TOKEN"});
  return std::ranges::any_of(kWords, [&](std::string_view word) { return n.find(word) != std::string::npos; });
}

// A literal that is a reference to a secret rather than the secret itself.
bool is_secret_reference(std::string_view text) {
  return text.starts_with("arn:") || text.starts_with("{{resolve:") || text.empty();
}

void no_literal_secrets(const Inventory& stack, Reporter& report) {
  each<lambda::Function>(stack, [&](const lambda::Function& fn) {
    for (const auto& [name, value] : fn.props().environment) {
      const auto* text = value.get_if<std::string>();
      if (names_a_secret(name) && text != nullptr && !is_secret_reference(*text)) {
        report.flag(fn, "environment variable " + name + " holds a literal credential");
      }
    }
  });
  each<secretsmanager::Secret>(stack, [&](const secretsmanager::Secret& secret) {
    if (!secret.props().generate) return;
    const std::string& tmpl = secret.props().generate->template_json;
    // The template is stored in plain text: it may name fields, never hold secret values.
    for (std::string_view field : {"\"password\"", "\"token\"", "\"secret\""}) {
      if (auto at = tmpl.find(field); at != std::string::npos && tmpl.find(':', at) != std::string::npos) {
        report.flag(secret, "the generated secret's template contains a value for " + std::string(field));
        return;
      }
    }
  });
  for (const Resource* r : stack.resources()) {
    for (const auto& o : r->overrides()) {
      const auto last = o.path.substr(o.path.rfind('.') + 1);
      const auto* text = o.value.get_if<std::string>();
      if (names_a_secret(last) && text != nullptr && !is_secret_reference(*text)) {
        report.flag(*r, "override " + o.path + " sets a literal credential");
      }
    }
  }
}

}  // namespace

const std::vector<Rule>& literal_secret_rules() {
  static const std::vector<Rule> rules = {
      {"HIPAA-SECRET-1", Severity::Error, kAccessControl,
       "No password, token or key is written as a literal (environment, overrides, secret templates)",
       "generate credentials with the service (managed master passwords, generated secrets) and pass ARNs",
       no_literal_secrets},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
