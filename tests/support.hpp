// Test helpers: synthesize a tree and look at the result as JSON.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "hipaa/synth.hpp"

namespace hipaa::test {

// A fresh, uniquely named directory under the system's temporary directory, removed with
// everything in it on scope exit, so a failed test leaves nothing behind.
struct ScratchDir {
  std::filesystem::path path;
  explicit ScratchDir(const std::string& label = "test") {
    std::random_device random;
    path = std::filesystem::temp_directory_path() /
           ("hipaa-synth-" + label + "-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
};

// The main document of the first stack, parsed (CloudFormation as JSON; Terraform JSON). Tests of
// lowering run no compliance rule (rules::check and the rule tests do).
inline nlohmann::json synth_json(const App& app, Target target) {
  const SynthesisResult result = synthesize(app, {.target = target, .format = Format::Json, .rules = {}});
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
  for (const auto& d : synthesize(app, {.target = target, .rules = {}}).diagnostics)
    out.push_back(d.code + " " + d.path + ": " + d.message);
  return out;
}

#ifdef HIPAA_SYNTH_BINARY
// The hipaa-synth binary run as a process: its exit code and what it printed.
struct Run {
  int exit_code = 0;
  std::string out;
};

enum class Stderr { Merged, Dropped };

// Runs `hipaa-synth ARGUMENTS` through the shell; stderr joins stdout unless dropped.
inline Run run(const std::string& arguments, Stderr stderr_output = Stderr::Merged) {
  const std::string command =
      std::string(HIPAA_SYNTH_BINARY) + " " + arguments + (stderr_output == Stderr::Merged ? " 2>&1" : " 2>/dev/null");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
  std::string out;
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
  const int status = pclose(pipe);
  return {WEXITSTATUS(status), out};
}
#endif

}  // namespace hipaa::test
