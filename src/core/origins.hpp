// Internal: how Construct::origin() tells the library's own lines from the user's, and how a
// construct that answers origin_of() by building scratch trees keeps them from asking in turn.
#pragma once

#include <string_view>

#include "hipaa/diagnostic.hpp"
#include "hipaa/source_location.hpp"

namespace hipaa::detail {

// A file of the library's own sources, as __FILE__ names them where the library is compiled
// (CMake maps the source directory to "hipaa-synth/", so no build machine's path is compiled in).
[[nodiscard]] bool is_library_file(std::string_view file);

// Points `d` at `where`, the user's line that made the call it is about (an add_override, a
// connection), instead of where its construct came from; a line of the library's own changes
// nothing, so problems of a composite's internal calls stay at the user's line that added it.
void locate_at(Diagnostic& d, const SourceLocation& where);

// While one is alive on a thread, Construct::origin() there asks no construct's origin_of(): the
// answer is the line that created the node. Scratch trees built to answer origin_of() use it.
class PlainOrigins {
 public:
  PlainOrigins();
  ~PlainOrigins();
  PlainOrigins(const PlainOrigins&) = delete;
  PlainOrigins& operator=(const PlainOrigins&) = delete;

 private:
  bool previous_;
};

}  // namespace hipaa::detail
