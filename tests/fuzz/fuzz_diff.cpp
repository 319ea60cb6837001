// The `diff` loader, built once per document kind (HIPAA_FUZZ_TARGET, HIPAA_FUZZ_FORMAT), each
// with its own seed corpus: any bytes as the old document, compared with itself (no change, so
// loading is deterministic and the comparison reflexive) and with the hardened preset's document
// of that kind, rendered in every format.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "hipaa/diff.hpp"

namespace {

const hipaa::LoadedDocument& reference() {
  static const hipaa::LoadedDocument loaded = [] {
    using namespace hipaa;
    const auto files = fuzz::synthesize_preset(Preset::Hardened, Target::HIPAA_FUZZ_TARGET, Format::HIPAA_FUZZ_FORMAT);
    LoadedDocument document;
    fuzz::require(!has_errors(load_document(files.front().contents, files.front().path, document)),
                  "the preset's document loads");
    return document;
  }();
  return loaded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hipaa;
  LoadedDocument fuzzed;
  const Diagnostics problems = load_document(fuzz::as_text(data, size), "old.yaml", fuzzed);
  if (has_errors(problems)) {
    fuzz::require(!problems.front().message.empty(), "a refused document says why");
    return 0;
  }
  const DiffReport same = diff(fuzzed, fuzzed);
  fuzz::require(same.empty() && same.security.empty(), "a document does not differ from itself");
  const DiffReport report = diff(fuzzed, reference());
  fuzz::require(exit_status(report) == (report.diagnostics.empty() ? (report.empty() ? 0 : 1) : 2),
                "the exit status matches the report");
  fuzz::require(!render_text(report, true).empty(), "text rendering");
  fuzz::require(!render_markdown(report).empty(), "Markdown rendering");
  fuzz::require(!render_json(report).empty(), "JSON rendering");
  return 0;
}
