// Test helpers: synthesize a tree and look at the result as JSON.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "hipaa/synth.hpp"

namespace hipaa::test {

// The main document of the first stack, parsed (CloudFormation as JSON; Terraform JSON).
inline nlohmann::json synth_json(const App& app, Target target) {
  const SynthesisResult result = synthesize(app, {.target = target, .format = Format::Json});
  if (!result.ok() || result.files.empty()) {
    std::string problems;
    for (const auto& d : result.diagnostics) problems += format(d) + "\n";
    throw std::runtime_error("synthesis failed:\n" + problems);
  }
  return nlohmann::json::parse(result.files.front().contents);
}

inline nlohmann::json cfn(const App& app) { return synth_json(app, Target::CloudFormation); }
inline nlohmann::json tf(const App& app) { return synth_json(app, Target::Terraform); }

// Every diagnostic of a tree that fails, formatted.
inline std::vector<std::string> problems(const App& app, Target target = Target::CloudFormation) {
  std::vector<std::string> out;
  for (const auto& d : synthesize(app, {.target = target}).diagnostics)
    out.push_back(d.code + " " + d.path + ": " + d.message);
  return out;
}

}  // namespace hipaa::test
