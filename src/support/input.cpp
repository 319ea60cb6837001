#include "support/input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>

namespace hipaa::detail {
namespace {

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Closes a file descriptor on every path out.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

// The events of each document, for their nesting and where each document starts.
class StructureCheck : public YAML::EventHandler {
 public:
  YAML::Mark start;

  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    enter(mark);
  }
  void OnSequenceEnd() override { --depth_; }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    enter(mark);
  }
  void OnMapEnd() override { --depth_; }

 private:
  void enter(const YAML::Mark& mark) {
    // Throwing here unwinds yaml-cpp's recursive descent before it goes any deeper.
    if (++depth_ > kMaxNesting) {
      throw ParseError(fmt::format("nesting deeper than {} levels", kMaxNesting), static_cast<unsigned>(mark.line) + 1,
                       static_cast<unsigned>(mark.column) + 1);
    }
  }
  int depth_ = 0;
};

ParseError from_yaml_exception(const YAML::Exception& e) {
  const bool known = !e.mark.is_null() && e.mark.line >= 0;
  return {e.msg, known ? static_cast<unsigned>(e.mark.line) + 1 : 0,
          known ? static_cast<unsigned>(e.mark.column) + 1 : 0};
}

}  // namespace

unsigned line_of_offset(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return static_cast<unsigned>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n')) + 1;
}

InputFile read_input_file(const std::filesystem::path& path, std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  const Descriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (file.fd < 0) return {{}, std::strerror(errno)};
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) return {{}, std::strerror(errno)};
  if (!S_ISREG(info.st_mode)) return {{}, "it is " + kind_of(info.st_mode) + ", not a regular file"};
  if (static_cast<std::size_t>(info.st_size) > max_bytes) {
    return {{}, fmt::format("it is {} bytes; at most {} are read", info.st_size, max_bytes)};
  }
  InputFile out;
  out.text.resize(static_cast<std::size_t>(info.st_size));
  std::size_t done = 0;
  while (done < out.text.size()) {
    const ssize_t n = ::read(file.fd, out.text.data() + done, out.text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return {{}, std::strerror(errno)};
    if (n == 0) break;  // shrank while being read
    done += static_cast<std::size_t>(n);
  }
  out.text.resize(done);
  return out;
}

YamlDocuments load_yaml(std::string_view text) {
  const std::string copy(text);
  YamlDocuments out;
  try {
    std::istringstream stream(copy);
    YAML::Parser parser(stream);
    std::size_t previous_start = 0;
    // A third document is looked at only to tell a stray token after the first (which yields the
    // same empty document again) from a real second document.
    for (std::size_t seen = 0; seen < 3; ++seen) {
      StructureCheck check;
      if (!parser.HandleNextDocument(check)) break;
      // yaml-cpp 0.7 can hand out the same empty document again and again at a token it cannot
      // consume: a document that does not start after the previous one made no progress.
      const auto start = static_cast<std::size_t>(check.start.pos);
      if (seen > 0 && start <= previous_start) {
        throw ParseError(start < copy.size() ? fmt::format("unexpected '{}'", copy[start]) : "unexpected end of input",
                         static_cast<unsigned>(check.start.line) + 1, static_cast<unsigned>(check.start.column) + 1);
      }
      previous_start = start;
      if (out.count < 2 && ++out.count == 2) out.second_line = static_cast<unsigned>(check.start.line) + 1;
    }
    // A document after a stray token is not seen by the loop above when there are two already; the
    // first document alone decides what is loaded, and its structure is known to be sound now.
    if (out.count > 0) out.first = YAML::Load(copy);
  } catch (const YAML::Exception& e) {
    throw from_yaml_exception(e);
  }
  return out;
}

nlohmann::ordered_json parse_json(std::string_view text) {
  // Nesting first, by counting brackets outside strings: nlohmann's parser is iterative, but every
  // walk of the result is recursive.
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxNesting) {
        const unsigned line = line_of_offset(text, i);
        const auto line_start = text.rfind('\n', i);
        throw ParseError(fmt::format("nesting deeper than {} levels", kMaxNesting), line,
                         static_cast<unsigned>(line_start == std::string_view::npos ? i + 1 : i - line_start));
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  try {
    return nlohmann::ordered_json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    if (const auto colon = what.find("]: "); colon != std::string::npos) what = what.substr(colon + 3);
    const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    const auto line_start = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
    throw ParseError(what, line_of_offset(text, offset),
                     static_cast<unsigned>(line_start == std::string_view::npos ? offset + 1 : offset - line_start));
  }
}

}  // namespace hipaa::detail
