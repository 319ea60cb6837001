#include "support/input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <vector>

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

// The events of each document, for their nesting, what its aliases expand to, and where each
// document starts. yaml-cpp resolves an alias to the anchored node itself, so every recursive walk
// of the result visits an aliased subtree once per alias: a few lines of nested aliases ("billion
// laughs") expand to billions of nodes, an alias inside its own anchored node is a cycle, and an
// aliased subtree adds its depth to where the alias stands. All three are measured here, on the
// events, before anything walks the nodes.
class StructureCheck : public YAML::EventHandler {
 public:
  YAML::Mark start;

  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t anchor) override { leaf(anchor); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override;
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t anchor, const std::string&) override {
    leaf(anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    enter(mark, anchor);
  }
  void OnSequenceEnd() override { leave(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    enter(mark, anchor);
  }
  void OnMapEnd() override { leave(); }

 private:
  // What an anchored node stands for wherever an alias repeats it.
  struct Anchored {
    std::size_t nodes = 0;
    int depth = 0;  // 0 for a scalar, 1 for a collection of scalars
    bool complete = false;
  };
  struct Open {
    YAML::anchor_t anchor;
    std::size_t first_node;  // nodes_ when it started
    int deepest;             // the deepest depth_ reached inside it
  };

  static ParseError error_at(const YAML::Mark& mark, const std::string& message) {
    return {message, static_cast<unsigned>(mark.line) + 1, static_cast<unsigned>(mark.column) + 1};
  }
  Anchored& anchored(YAML::anchor_t anchor) {
    if (anchor >= anchors_.size()) anchors_.resize(anchor + 1);
    return anchors_[anchor];
  }
  void reach(int depth) {
    if (!open_.empty()) open_.back().deepest = std::max(open_.back().deepest, depth);
  }
  void leaf(YAML::anchor_t anchor) {
    ++nodes_;
    if (anchor != YAML::NullAnchor) anchored(anchor) = {1, 0, true};
  }
  void enter(const YAML::Mark& mark, YAML::anchor_t anchor) {
    // Throwing here unwinds yaml-cpp's recursive descent before it goes any deeper.
    if (++depth_ > kMaxNesting) throw error_at(mark, fmt::format("nesting deeper than {} levels", kMaxNesting));
    reach(depth_);
    if (anchor != YAML::NullAnchor) anchored(anchor) = {};
    open_.push_back({anchor, nodes_++, depth_});
  }
  void leave() {
    const Open done = open_.back();
    open_.pop_back();
    if (done.anchor != YAML::NullAnchor) {
      anchored(done.anchor) = {nodes_ - done.first_node, done.deepest - depth_ + 1, true};
    }
    --depth_;
    reach(done.deepest);
  }
  int depth_ = 0;
  std::size_t nodes_ = 0;
  std::size_t alias_nodes_ = 0;
  std::vector<Open> open_;
  std::vector<Anchored> anchors_;  // by yaml-cpp's anchor number, 1-based within the document
};

void StructureCheck::OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) {
  const Anchored target = anchored(anchor);
  if (!target.complete) throw error_at(mark, "an alias inside the node it refers to (a cycle)");
  if (depth_ + target.depth > kMaxNesting) {
    throw error_at(mark, fmt::format("nesting deeper than {} levels once the alias is expanded", kMaxNesting));
  }
  alias_nodes_ += target.nodes;
  if (alias_nodes_ > kMaxAliasNodes) {
    throw error_at(mark, fmt::format("aliases expand to more than {} nodes", kMaxAliasNodes));
  }
  nodes_ += target.nodes;
  reach(depth_ + target.depth);
}

ParseError from_yaml_exception(const YAML::Exception& e) {
  const bool known = !e.mark.is_null() && e.mark.line >= 0;
  return {e.msg, known ? static_cast<unsigned>(e.mark.line) + 1 : 0,
          known ? static_cast<unsigned>(e.mark.column) + 1 : 0};
}

// "[json.exception.parse_error.101] parse error at line 1, column 2: ..." without the id.
std::string without_exception_id(std::string what) {
  if (const auto end = what.find("] "); what.starts_with("[json.exception.") && end != std::string::npos) {
    what.erase(0, end + 2);
  }
  return what;
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
    const std::string what = without_exception_id(e.what());
    const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    const auto line_start = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
    throw ParseError(what, line_of_offset(text, offset),
                     static_cast<unsigned>(line_start == std::string_view::npos ? offset + 1 : offset - line_start));
  } catch (const nlohmann::json::out_of_range& e) {
    // A number no double holds ("1e999", found by tests/fuzz); nlohmann gives no position for it.
    throw ParseError(without_exception_id(e.what()), 0, 0);
  }
}

}  // namespace hipaa::detail
