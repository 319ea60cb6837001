// hipaa/synth.hpp: the pipeline entry points: validate a tree, check it against the compliance
// rules, synthesize it for a target, write the files atomically.
//
//   SynthesisResult result = synthesize(app, {.target = Target::Terraform});
//   for (auto& f : result.compliance.findings) if (!f.suppressed_because) std::cerr << rules::format(f) << '\n';
//   if (!result.ok()) { for (auto& d : result.diagnostics) std::cerr << format(d) << '\n'; }
//   else if (WriteResult written = write_files("out", result.files); !written.ok()) { ... }
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "hipaa/construct.hpp"
#include "hipaa/diagnostic.hpp"
#include "hipaa/rules.hpp"

namespace hipaa {

enum class Format { Yaml, Json };

struct SynthesisOptions {
  Target target = Target::CloudFormation;
  Format format = Format::Yaml;  // CloudFormation only; Terraform is always JSON
  // Stacks to emit, as glob patterns ("Network*"); empty emits all. References into stacks left
  // out still resolve (as imports).
  std::vector<std::string> stacks;
  // Threads that lower, assemble and serialize stacks side by side; 0: one per core this process
  // may run on (its CPU affinity). The output is the same bytes for any number.
  unsigned jobs = 0;
  // The compliance rules run after validation and before lowering: the built-in HIPAA rules
  // unless a program adds its own (RuleSet::hipaa().add(...)) or checks nothing (RuleSet{}).
  rules::RuleSet rules = rules::RuleSet::hipaa();
  // Unsuppressed compliance errors refuse synthesis (an HS7001 error, no files) unless this is
  // set; then HS7001 is a warning and the files are written. Either way the findings are in
  // SynthesisResult::compliance.
  bool allow_noncompliant = false;
};

// The file listing stacks, their files, dependencies, deploy order and content hashes.
inline constexpr std::string_view kManifestFile = "manifest.json";

struct OutputFile {
  std::string path;  // relative to the output directory, '/' separated
  std::string contents;
  // An asset packaged from the user's files: the file or directory it came from
  // (lambda::Code::from_directory); "" for documents and files made from the tree alone.
  std::string source = {};  // = {}: positional initializers may leave it out
};

// Where synthesis spent its time, and what it produced.
struct SynthesisStatistics {
  double validate_ms = 0;
  double rules_ms = 0;  // the compliance rules
  double lower_ms = 0;
  double link_ms = 0;
  double serialize_ms = 0;    // assembling each stack's document and rendering it as text
  std::size_t resources = 0;  // target resources, all stacks
  std::size_t bytes = 0;      // output bytes, all files but the manifest
};

struct SynthesisResult {
  // Per stack: its main document first (the template, or main.tf.json), then its assets; last,
  // the manifest (kManifestFile).
  std::vector<OutputFile> files;
  Diagnostics diagnostics;
  // What the compliance rules found (suppressed findings too); empty when validation failed.
  rules::Report compliance;
  SynthesisStatistics statistics;
  [[nodiscard]] bool ok() const { return !has_errors(diagnostics); }
};

// Tree-level checks that need no target: ids, names, CIDRs, required references. Stacks are
// checked on `jobs` threads, as SynthesisOptions::jobs (0: one per core).
[[nodiscard]] Diagnostics validate(const App& app, unsigned jobs = 0);

// validate + compliance rules + lower + link (references, cycles) + serialize. The tree is
// validated once. Files are empty when any error (a validation error, a refusal for compliance,
// or a problem found while lowering).
[[nodiscard]] SynthesisResult synthesize(const App& app, const SynthesisOptions& options);

enum class WriteOutcome {
  Written,    // created or replaced
  Unchanged,  // already held the same bytes: left untouched (contents and mtime)
};

struct WriteResult {
  Diagnostics diagnostics;             // one diagnostic on failure; no file was replaced then
  std::vector<WriteOutcome> outcomes;  // on success, one per file, in the order given
  [[nodiscard]] bool ok() const { return diagnostics.empty(); }
};

struct WriteOptions {
  // Threads that stage and rename files, as SynthesisOptions::jobs (0: one per core).
  unsigned jobs = 0;
  // While another run (any process or thread) writes the same directory: true waits for it;
  // false fails at once with HS4002, naming its pid.
  bool wait = true;
  // The atomic layout: `directory` becomes a symbolic link to a complete generation directory,
  // <directory>.generations/<N> (the link's target is relative), and a run writes generation N+1
  // and renames a new link over `directory`. Every reader, at every instant and after any kill,
  // finds one whole set matching its manifest; the default layout needs the lock (or the next
  // run, after a kill) for that. `directory` must be absent or a link this layout made: a real
  // directory or another link is an error (HS4001), never replaced.
  bool atomic = false;
};

// Writes every file under `directory` (creating directories as needed) as one transaction: the
// directory is locked (`directory`/.hipaa-synth.lock, so concurrent runs take turns), every
// changed file is staged under a unique temporary name, and they are renamed into place only when
// all are complete, manifest.json last, with the files they replace kept aside until then. A
// failure at any step, or a kill (the next run undoes it first), leaves the previous set of
// files; a reader never sees a half-written file. Files that already hold the same bytes are not
// rewritten; files no longer in `files` are left as they are. A symbolic link inside `directory`
// where an output file or subdirectory goes is an error (HS4001), never written through.
// With WriteOptions::atomic the layout is a link to a generation instead (see there): files not
// in `files` are then gone from the new generation, and a file unchanged from the current one is
// a hard link to it (WriteOutcome::Unchanged). Nothing is thrown.
[[nodiscard]] WriteResult write_files(const std::filesystem::path& directory, const std::vector<OutputFile>& files,
                                      const WriteOptions& options = {});

// The file name of a stack's main document: "<Stack>.template.yaml" or "<Stack>/main.tf.json".
[[nodiscard]] std::string main_document_path(const Stack& stack, const SynthesisOptions& options);

}  // namespace hipaa
