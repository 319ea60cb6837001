// Shared by the libFuzzer harnesses: the healthcare stack's real output, to compare fuzzed
// documents with, and a check that makes a broken invariant a crash the fuzzer reports.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "hipaa/healthcare.hpp"
#include "hipaa/synth.hpp"

namespace hipaa::fuzz {

// The files `hipaa-synth --preset P --target T --format F -o DIR` writes. One thread: libFuzzer
// runs each input in one process, and threads would only add noise to its coverage.
inline std::vector<OutputFile> synthesize_preset(Preset preset, Target target, Format format) {
  App app;
  app.add<HealthcareStack>("HealthcareStack", HealthcareOptions::preset(preset));
  SynthesisResult result = synthesize(app, {.target = target, .format = format, .jobs = 1, .allow_noncompliant = true});
  if (!result.ok()) {
    std::fputs("fuzz: the preset does not synthesize\n", stderr);
    std::abort();
  }
  return std::move(result.files);
}

inline void require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz: invariant broken: %s\n", what);
  std::abort();
}

inline std::string_view as_text(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
}

}  // namespace hipaa::fuzz
