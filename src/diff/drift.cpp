#include "diff/drift.hpp"

namespace hipaa::detail {

std::optional<DiffReport> drift_report(std::string_view on_disk, std::string_view disk_name,
                                       const OutputFile& expected) {
  if (expected.path.ends_with(".zip") || expected.path == kManifestFile) return std::nullopt;
  LoadedDocument before;
  LoadedDocument after;
  if (has_errors(load_document(on_disk, disk_name, before)) ||
      has_errors(load_document(expected.contents, expected.path, after))) {
    return std::nullopt;
  }
  return diff(before, after);
}

}  // namespace hipaa::detail
