#include "hipaa/synth.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "hipaa/document.hpp"
#include "stack_lowering.hpp"
#include "support/archive.hpp"
#include "support/parallel.hpp"

namespace hipaa {

std::string main_document_path(const Stack& stack, const SynthesisOptions& options) {
  if (options.target == Target::Terraform) return stack.id() + "/main.tf.json";
  return stack.id() + (options.format == Format::Json ? ".template.json" : ".template.yaml");
}

namespace {

// Deploy order: producers before consumers, otherwise app order. Reports a cycle.
std::vector<const Stack*> deploy_order(const std::vector<const Stack*>& stacks,
                                       const std::map<const Stack*, std::vector<const Stack*>>& depends_on,
                                       Diagnostics& out) {
  std::vector<const Stack*> order;
  std::map<const Stack*, int> state;  // 0 unvisited, 1 on the path, 2 done
  std::vector<const Stack*> path;
  std::function<bool(const Stack*)> visit = [&](const Stack* s) {
    if (state[s] == 2) return true;
    if (state[s] == 1) {
      std::string loop;
      for (auto it = std::find(path.begin(), path.end(), s); it != path.end(); ++it) loop += (*it)->id() + " -> ";
      out.push_back(detail::at(*s, "HS3005", "stack dependency cycle: " + loop + s->id(),
                               "move the shared resources into a stack both can depend on"));
      return false;
    }
    state[s] = 1;
    path.push_back(s);
    if (auto it = depends_on.find(s); it != depends_on.end()) {
      for (const Stack* d : it->second) {
        if (!visit(d)) return false;
      }
    }
    path.pop_back();
    state[s] = 2;
    order.push_back(s);
    return true;
  };
  for (const Stack* s : stacks) {
    if (!visit(s)) return {};
  }
  return order;
}

using Clock = std::chrono::steady_clock;
double elapsed_ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

// CloudFormation's per-template quotas: over a hard limit the stack cannot be created.
void check_cloudformation_limits(const Stack& stack, const doc::Node& tmpl, std::size_t bytes, Diagnostics& out) {
  auto count = [&](std::string_view section) -> std::size_t {
    const doc::Node* node = tmpl.find(section);
    const auto* map = node != nullptr ? node->get_if<doc::Map>() : nullptr;
    return map != nullptr ? map->size() : 0;
  };
  auto over = [&](std::string_view what, std::size_t value, std::size_t limit) {
    if (value <= limit) return;
    out.push_back(detail::at(
        stack, "HS3010",
        fmt::format("stack '{}' has {} {}; CloudFormation allows at most {}", stack.id(), value, what, limit),
        "split the stack; cross-stack references become exports and imports"));
  };
  over("resources", count("Resources"), 500);
  over("outputs", count("Outputs"), 200);
  over("parameters", count("Parameters"), 200);
  over("template bytes", bytes, 1'000'000);
  if (bytes > 51'200 && bytes <= 1'000'000) {
    out.push_back(detail::at(stack, "HS3011",
                             fmt::format("stack '{}' template is {} bytes: over 51,200, so it must be uploaded to S3 "
                                         "rather than passed directly",
                                         stack.id(), bytes),
                             "deploy with an S3 bucket (aws cloudformation deploy --s3-bucket ...)",
                             Severity::Warning));
  }
}

bool matches_any(const std::string& name, const std::vector<std::string>& patterns) {
  if (patterns.empty()) return true;
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& p) { return fnmatch(p.c_str(), name.c_str(), 0) == 0; });
}

}  // namespace

namespace {

// What one stack contributes to the result, produced on a worker thread.
struct StackOutput {
  std::vector<OutputFile> files;  // main document first, then assets; empty when not selected
  std::string sha256;             // of the main document
  Diagnostics diagnostics;
  std::size_t resources = 0;  // target resources
};

// Runs the rule set; false when synthesis must stop (a set that cannot run, or unsuppressed
// errors without allow_noncompliant), with the reason in result.diagnostics.
bool passes_compliance(const App& app, const SynthesisOptions& options, SynthesisResult& result) {
  const auto clock = Clock::now();
  result.compliance = rules::check(app, options.rules);
  result.statistics.rules_ms = elapsed_ms(clock);
  result.diagnostics.insert(result.diagnostics.end(), result.compliance.diagnostics.begin(),
                            result.compliance.diagnostics.end());
  if (has_errors(result.diagnostics)) return false;
  const std::size_t errors = result.compliance.count(Severity::Error, false);
  if (errors == 0) return true;
  const bool refuse = !options.allow_noncompliant;
  result.diagnostics.push_back(
      {.code = "HS7001",
       .severity = refuse ? Severity::Error : Severity::Warning,
       .message = refuse ? fmt::format("{} unsuppressed compliance error(s); nothing was synthesized", errors)
                         : fmt::format("synthesized despite {} unsuppressed compliance error(s)", errors),
       .hint = refuse ? "fix them, or suppress one with its reason; allow_noncompliant (--allow-noncompliant) "
                        "synthesizes anyway"
                      : "allow_noncompliant (--allow-noncompliant) is set"});
  return !refuse;
}

}  // namespace

SynthesisResult synthesize(const App& app, const SynthesisOptions& options) {
  SynthesisResult result;
  auto clock = Clock::now();
  result.diagnostics = validate(app, options.jobs);
  result.statistics.validate_ms = elapsed_ms(clock);
  if (has_errors(result.diagnostics)) return result;

  // Compliance before anything is lowered: a refused tree costs no lowering.
  if (!passes_compliance(app, options, result)) return result;

  // Stacks are independent until linked, so each phase runs them side by side; every stack writes
  // only its own slot, and slots are merged in app order.
  const std::vector<const Stack*> stacks = app.stacks();
  const unsigned threads = detail::worker_count(options.jobs, stacks.size());
  auto each_stack = [&](const auto& work) { detail::for_each_index(stacks.size(), threads, work); };

  // 1. Lower every stack: references to other stacks are recorded as imports.
  clock = Clock::now();
  std::vector<std::unique_ptr<detail::StackLowering>> lowerings(stacks.size());
  each_stack([&](std::size_t i) {
    lowerings[i] = options.target == Target::CloudFormation ? detail::cloudformation_lowering(*stacks[i])
                                                            : detail::terraform_lowering(*stacks[i]);
    lowerings[i]->lower_all();
  });
  std::unordered_map<const Stack*, std::size_t> index_of;
  std::map<const Stack*, std::vector<const Stack*>> depends_on;
  for (std::size_t i = 0; i < stacks.size(); ++i) {
    index_of.emplace(stacks[i], i);
    depends_on[stacks[i]] = lowerings[i]->stack_dependencies();
  }
  result.statistics.lower_ms = elapsed_ms(clock);

  // 2. Link: every import becomes an export of its producer; stacks deploy in dependency order.
  clock = Clock::now();
  for (const auto& lowering : lowerings) {
    for (const auto& import : lowering->imports())
      lowerings[index_of.at(import.producer)]->add_export(import.reference);
  }
  const std::vector<const Stack*> order = deploy_order(stacks, depends_on, result.diagnostics);
  result.statistics.link_ms = elapsed_ms(clock);

  // 3. Assemble each stack's document and serialize it. Each tree, and the stack's lowering, is
  // freed as soon as it is text, on the thread that made it.
  std::vector<StackOutput> outputs(stacks.size());
  clock = Clock::now();
  const bool yaml = options.target == Target::CloudFormation && options.format == Format::Yaml;
  each_stack([&](std::size_t i) {
    const Stack& stack = *stacks[i];
    StackOutput& out = outputs[i];
    const doc::Node document = lowerings[i]->assemble();
    out.diagnostics = std::move(lowerings[i]->diagnostics());
    out.resources = lowerings[i]->target_resources().size();
    if (matches_any(stack.id(), options.stacks)) {
      out.files.push_back({main_document_path(stack, options), yaml ? doc::to_yaml(document) : doc::to_json(document)});
      for (auto& asset : lowerings[i]->assets()) {
        out.files.push_back(
            {stack.id() + "/" + asset.relative_path, std::move(asset.contents), std::move(asset.source)});
      }
      out.sha256 = detail::hex(detail::sha256(out.files.front().contents));
      if (options.target == Target::CloudFormation) {
        check_cloudformation_limits(stack, document, out.files.front().contents.size(), out.diagnostics);
      }
    }
    lowerings[i].reset();
  });
  result.statistics.serialize_ms = elapsed_ms(clock);

  doc::List manifest_stacks;
  for (std::size_t i = 0; i < stacks.size(); ++i) {
    StackOutput& out = outputs[i];
    result.statistics.resources += out.resources;
    for (auto& d : out.diagnostics) result.diagnostics.push_back(std::move(d));
    if (out.files.empty()) continue;  // not selected
    doc::List paths;
    for (const auto& f : out.files) paths.emplace_back(f.path);
    doc::List dependencies;
    for (const Stack* d : depends_on.at(stacks[i])) dependencies.emplace_back(d->id());
    manifest_stacks.push_back(doc::Map{{"name", stacks[i]->id()},
                                       {"files", std::move(paths)},
                                       {"dependencies", std::move(dependencies)},
                                       {"sha256", std::move(out.sha256)}});
    for (auto& f : out.files) {
      result.statistics.bytes += f.contents.size();
      result.files.push_back(std::move(f));
    }
  }
  if (has_errors(result.diagnostics)) {
    result.files.clear();
    return result;
  }
  doc::List deploy;
  for (const Stack* s : order) {
    if (matches_any(s->id(), options.stacks)) deploy.emplace_back(s->id());
  }
  const doc::Node manifest =
      doc::Map{{"version", 1},
               {"tool", "hipaa-synth"},
               {"target", options.target == Target::CloudFormation ? "cloudformation" : "terraform"},
               {"stacks", std::move(manifest_stacks)},
               {"deploy_order", std::move(deploy)}};
  result.files.push_back({std::string(kManifestFile), doc::to_json(manifest)});
  return result;
}

}  // namespace hipaa
