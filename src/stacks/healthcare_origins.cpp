// Where the problems of a HealthcareStack come from: the option that set the offending value, and
// the line that set the option (a config file's key, or the program's line that added the stack).
//
// Rules and validation read typed nodes; they do not know which option built a node or which
// property they read. So the stack works it out the way a reviewer would: for each option whose
// value differs from the hardened default, it builds the stack again with that one option at its
// hardened value, and an option whose change makes a problem go away, on a construct that is
// still there, is the option behind that problem. What no single option fixes that way is tried
// the other way round: the option whose value alone brings the problem into the hardened stack.
// A problem neither explains points at the options section its construct was built for
// ("database:"). This runs once per stack, only when a problem of the stack is located; it builds
// the stack twice per differing option at most (the processing preset: about 40 ms in all).
#include <set>
#include <vector>

#include "core/origins.hpp"
#include "hipaa/rules.hpp"
#include "hipaa/synth.hpp"
#include "stacks/healthcare_origins.hpp"
#include "stacks/options_schema.hpp"

namespace hipaa {
namespace {

using Problem = std::pair<std::string, std::string>;  // (code, construct path)

struct Outcome {
  std::set<Problem> diagnostics;
  std::set<Problem> findings;  // empty when the rules did not run: the tree has errors
  bool rules_ran = false;
  std::set<std::string> paths;  // every construct of the stack
};

void collect_paths(const Construct& c, std::set<std::string>& out) {
  out.insert(c.path());
  for (const auto& child : c.children()) collect_paths(*child, out);
}

// The stack's problems with these options, built on its own in a scratch app.
Outcome outcome(const std::string& id, const HealthcareOptions& options) {
  App app;
  const auto& stack = app.add<HealthcareStack>(id, options);
  Outcome out;
  collect_paths(stack, out.paths);
  const Diagnostics diagnostics = validate(app, 1);
  for (const auto& d : diagnostics) out.diagnostics.emplace(d.code, d.path);
  out.rules_ran = !has_errors(diagnostics);  // rules assume a well-formed tree
  if (out.rules_ran) {
    for (const auto& f : rules::check(app).findings) out.findings.emplace(std::string(f.rule->id), f.path);
  }
  return out;
}

// The dotted keys of the options of `a` whose values differ from those of `b`, in schema order.
std::vector<std::string> differing_options(HealthcareOptions a, HealthcareOptions b) {
  const detail::OptionSchema left(a);
  const detail::OptionSchema right(b);
  std::vector<std::string> keys;
  detail::for_each_option(left.top(), right.top(), "", [&](const std::string& key, auto* x, auto* y) {
    if (!(*x == *y)) keys.push_back(key);
  });
  return keys;
}

// `to` with option `key` set to its value in `from`.
HealthcareOptions with_option(HealthcareOptions to, HealthcareOptions from, std::string_view key) {
  const detail::OptionSchema target(to);
  const detail::OptionSchema source(from);
  detail::for_each_option(target.top(), source.top(), "", [&](const std::string& k, auto* x, auto* y) {
    if (k == key) *x = *y;
  });
  return to;
}

std::map<Problem, std::string, std::less<>> blame(const HealthcareStack& stack) {
  // The scratch stacks' own problems need no origins (and must not work them out in turn).
  const detail::PlainOrigins plain;
  const HealthcareOptions& options = stack.options();
  std::map<Problem, std::string, std::less<>> out;
  const HealthcareOptions hardened;  // the defaults are the hardened preset
  const std::vector<std::string> differing = differing_options(options, hardened);
  // Only an option that differs from the hardened preset can be blamed: with none (the default
  // stack), no scratch stack is built at all.
  if (differing.empty()) return out;
  const Outcome base = outcome(stack.id(), options);
  if (base.diagnostics.empty() && base.findings.empty()) return out;
  std::map<Problem, std::vector<std::string>> candidates;
  // A problem goes away with the change, on a construct that is still there.
  const auto gone = [&](const std::set<Problem>& before, const std::set<Problem>& after, const Outcome& changed,
                        const std::string& key) {
    for (const Problem& problem : before) {
      if (!after.contains(problem) && changed.paths.contains(problem.second)) candidates[problem].push_back(key);
    }
  };
  for (const std::string& key : differing) {
    const Outcome changed = outcome(stack.id(), with_option(options, hardened, key));
    gone(base.diagnostics, changed.diagnostics, changed, key);
    // Findings are compared only where the rules ran on both trees.
    if (changed.rules_ran) gone(base.findings, changed.findings, changed, key);
  }
  // What no single option's hardened value fixes (two options that only together make it, one
  // whose hardened value alone makes the tree invalid), the other way round: the option whose
  // value alone brings the problem into the hardened stack.
  std::set<Problem> unexplained;
  for (const auto* problems : {&base.diagnostics, &base.findings}) {
    for (const Problem& problem : *problems) {
      if (!candidates.contains(problem)) unexplained.insert(problem);
    }
  }
  if (!unexplained.empty()) {
    const Outcome secure = outcome(stack.id(), hardened);
    for (const std::string& key : differing) {
      const Outcome changed = outcome(stack.id(), with_option(hardened, options, key));
      for (const Problem& problem : unexplained) {
        const bool brought = (changed.diagnostics.contains(problem) && !secure.diagnostics.contains(problem)) ||
                             (changed.findings.contains(problem) && !secure.findings.contains(problem));
        if (brought) candidates[problem].push_back(key);
      }
    }
  }
  // Several options may each fix a problem: the one the config file gave, else the first.
  const auto& lines = options.sources.lines;
  for (auto& [problem, keys] : candidates) {
    const auto given = std::find_if(keys.begin(), keys.end(), [&](const std::string& k) { return lines.contains(k); });
    out.emplace(problem, given != keys.end() ? *given : keys.front());
  }
  return out;
}

// Whether option `key` has the value the preset gives it.
bool presets_value(const HealthcareOptions& options, std::string_view key) {
  const std::optional<Preset> preset = parse_preset(options.sources.preset);
  if (!preset) return false;
  const std::vector<std::string> differing = differing_options(options, HealthcareOptions::preset(*preset));
  return std::find(differing.begin(), differing.end(), key) == differing.end();
}

// The line of `key` in the config file, or of the nearest enclosing key the file gave.
std::optional<unsigned> enclosing_line(const OptionSources& sources, std::string_view key) {
  for (std::string_view k = key; !k.empty();) {
    if (const auto it = sources.lines.find(k); it != sources.lines.end()) return it->second;
    const auto dot = k.rfind('.');
    k = dot == std::string_view::npos ? std::string_view() : k.substr(0, dot);
  }
  return std::nullopt;
}

}  // namespace

Origin detail::option_origin(const HealthcareOptions& options, const SourceLocation& where, const std::string& option,
                             std::string_view part) {
  const OptionSources& sources = options.sources;
  Origin origin;
  origin.option = option;
  if (sources.file.empty()) {
    // Options set in C++: the program's line that added the stack; none for the command line's
    // built-in stack, which is its preset.
    if (!detail::is_library_file(where.file_name())) {
      origin.file = where.file_name();
      origin.line = where.line();
    }
    // A value the preset did not give, in the command line's stack, came from its flags
    // (--env-suffix, --region): no preset to name.
    if (option.empty() ? origin.file.empty() : presets_value(options, option)) origin.preset = sources.preset;
    return origin;
  }
  // Options from a config file: the line of the key that set the value. A value the file left at
  // its default points at the nearest enclosing key the file gave ("database:"), else at the
  // `preset:` that chose it, else at line 1 (the file as a whole).
  origin.file = sources.file;
  origin.line = 1;
  if (option.empty()) {
    if (const auto line = enclosing_line(sources, part)) origin.line = *line;
    return origin;
  }
  if (const auto it = sources.lines.find(option); it != sources.lines.end()) {
    origin.line = it->second;
    return origin;
  }
  const bool from_preset = presets_value(options, option);
  if (from_preset) origin.preset = sources.preset;
  if (const auto line = enclosing_line(sources, option)) {
    origin.line = *line;
  } else if (const auto preset_line = sources.lines.find("preset"); from_preset && preset_line != sources.lines.end()) {
    origin.line = preset_line->second;
  }
  return origin;
}

HealthcareStack::~HealthcareStack() = default;

std::optional<Origin> HealthcareStack::origin_of(const Construct& node, std::string_view code) const {
  // The options section the node was built for: that of the stack's child it is part of. A
  // construct the program added to the stack is no option's: the line that created it says more.
  const Construct* top = &node;
  while (top->scope() != nullptr && top->scope() != this) top = top->scope();
  std::string_view part;
  if (&node != this) {
    const auto it = parts_.find(top);
    if (top->scope() != this || it == parts_.end()) return std::nullopt;
    part = it->second;
  }
  std::call_once(blame_->once, [&] { blame_->options = blame(*this); });
  std::string option;
  if (const auto it = blame_->options.find(Problem(code, node.path())); it != blame_->options.end()) {
    option = it->second;
  }

  return detail::option_origin(options_, created_at(), option, part);
}

}  // namespace hipaa
