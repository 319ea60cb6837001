// The --check reader: any bytes as what `-o DIR` holds in place of each file hipaa-synth would
// write there (a CloudFormation JSON template, Terraform's main.tf.json, its Lambda archive and
// the manifest), compared as --check compares them.
#include <cstddef>
#include <cstdint>

#include "diff/drift.hpp"
#include "fuzz_support.hpp"

namespace {

const std::vector<hipaa::OutputFile>& expected_files() {
  static const std::vector<hipaa::OutputFile> files = [] {
    using namespace hipaa;
    auto all = fuzz::synthesize_preset(Preset::Processing, Target::Terraform, Format::Yaml);
    auto cloudformation = fuzz::synthesize_preset(Preset::Processing, Target::CloudFormation, Format::Json);
    all.insert(all.end(), cloudformation.begin(), cloudformation.end());
    return all;
  }();
  return files;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hipaa;
  const std::string_view on_disk = fuzz::as_text(data, size);
  for (const OutputFile& file : expected_files()) {
    const auto report = detail::drift_report(on_disk, "out/" + file.path, file);
    if (!report) continue;
    fuzz::require(report->diagnostics.empty() || exit_status(*report) == 2, "errors make exit status 2");
    fuzz::require(!render_text(*report, false).empty(), "text rendering");
  }
  return 0;
}
