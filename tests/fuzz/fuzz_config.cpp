// The --config reader: any bytes as a config file. A document the reader accepts also builds the
// healthcare stack, is validated and, when valid, synthesized, since the values a config file
// sets reach every later phase.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "hipaa/healthcare_config.hpp"
#include "hipaa/synth.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hipaa;
  const std::string_view text = fuzz::as_text(data, size);
  const auto preset_name = config_preset(text);
  const auto preset = parse_preset(preset_name.value_or("hardened"));
  if (!preset) return 0;  // the command line refuses an unknown preset before reading further
  HealthcareOptions options = HealthcareOptions::preset(*preset);
  const Diagnostics problems = apply_config(text, "fuzz.yaml", options);
  if (has_errors(problems)) {
    fuzz::require(!problems.empty() && !problems.front().message.empty(), "a refused config says why");
    return 0;
  }
  App app;
  app.add<HealthcareStack>("HealthcareStack", options);
  if (has_errors(validate(app, 1))) return 0;
  const SynthesisResult result = synthesize(app, {.jobs = 1, .allow_noncompliant = true});
  fuzz::require(result.ok() || !result.diagnostics.empty(), "a failed synthesis says why");
  return 0;
}
