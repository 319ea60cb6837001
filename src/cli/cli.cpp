#include "hipaa/cli.hpp"

#include <chrono>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <unordered_set>

#include <sys/resource.h>
#include <unistd.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "diff/drift.hpp"
#include "docs/reference.hpp"
#include "hipaa/diff.hpp"
#include "hipaa/healthcare.hpp"
#include "hipaa/healthcare_config.hpp"
#include "hipaa/rules.hpp"
#include "hipaa/synth.hpp"
#include "hipaa/synthetic.hpp"
#include "init.hpp"
#include "support/input.hpp"

namespace hipaa::cli {
namespace {

constexpr const char* kDescription =
    "hipaa-synth: synthesizes a typed AWS construct tree to Terraform JSON or CloudFormation,\n"
    "after checking it against HIPAA Security Rule safeguards.\n"
    "Exit codes: 0 success, 1 synthesis/validation/compliance/config errors, 2 usage errors,\n"
    "3 the -o directory is in use by another run (--no-wait).";

int code(ExitCode c) { return static_cast<int>(c); }

void print(const Diagnostics& diagnostics) {
  for (const auto& d : diagnostics) std::cerr << format(d) << '\n';
}

// Where the app comes from: the built-in healthcare stack (options from flags and a config
// file), or an app a custom program built.
struct AppSource {
  const App* fixed = nullptr;
  const rules::RuleSet* rules = nullptr;  // the compliance rules: the built-in ones or the program's
  std::optional<SyntheticAppOptions> synthetic;
  std::string preset;
  std::string config;
  std::string env_suffix;
  std::string region;
  // --state-*: the Terraform backend (state.bucket, state.key, state.region, state.kms_key_id).
  std::map<std::string, std::string, std::less<>> state;

  // Builds (or returns) the app; nullptr after printing why not, with `failure` set. With
  // `problems`, the config file's problems go there instead of being printed.
  const App* get(std::unique_ptr<App>& storage, int& failure, Diagnostics* problems_out = nullptr) const {
    const auto report = [&](Diagnostics problems) {
      if (problems_out != nullptr) {
        problems_out->insert(problems_out->end(), problems.begin(), problems.end());
      } else {
        print(problems);
      }
    };
    if (fixed != nullptr) return fixed;
    if (synthetic) {
      storage = std::make_unique<App>(SourceLocation::current());  // here, not in <memory>
      add_synthetic_stacks(*storage, *synthetic);
      return storage.get();
    }
    std::string preset_name = preset;
    std::string config_text;
    if (!config.empty()) {
      detail::InputFile input = detail::read_input_file(config);
      if (!input.error.empty()) {
        report({Diagnostic{.code = "HS5004",
                           .file = config,
                           .message = fmt::format("cannot read config file '{}': {}", config, input.error),
                           .hint = "check the path given to --config and its permissions"}});
        failure = code(ExitCode::Errors);
        return nullptr;
      }
      config_text = std::move(input.text);
      if (preset_name.empty()) preset_name = config_preset(config_text).value_or("");
    }
    if (preset_name.empty()) preset_name = "hardened";
    const auto parsed = parse_preset(preset_name);
    if (!parsed) {
      std::cerr << "error: unknown preset '" << preset_name << "'; valid presets: processing, records, hardened\n";
      failure = code(ExitCode::Usage);
      return nullptr;
    }
    HealthcareOptions options = HealthcareOptions::preset(*parsed);
    if (!config.empty()) {
      Diagnostics problems = apply_config(config_text, config, options);
      if (has_errors(problems)) {
        report(std::move(problems));
        failure = code(ExitCode::Errors);
        return nullptr;
      }
    }
    // Set here, not by a line of the config file: nothing may point at one.
    if (!env_suffix.empty()) {
      options.environment_suffix = env_suffix;
      options.sources.lines.erase("environment_suffix");
    }
    if (!region.empty()) {
      options.region = region;
      options.sources.lines.erase("region");
    }
    for (const auto& [key, value] : state) {
      if (value.empty()) continue;
      std::string* field = key == "bucket"   ? &options.state.bucket
                           : key == "key"    ? &options.state.key
                           : key == "region" ? &options.state.region
                                             : &options.state.kms_key_id;
      *field = value;
      options.sources.lines.erase("state." + key);
    }
    storage = std::make_unique<App>(SourceLocation::current());  // here, not in <memory>
    storage->add<HealthcareStack>("HealthcareStack", options);
    return storage.get();
  }
};

struct SynthArgs {
  std::string target;
  std::string format = "yaml";
  std::string output_dir;
  bool check_only = false;  // --check: compare with output_dir, write nothing
  bool no_wait = false;     // --no-wait: fail (exit 3) instead of waiting for another run's lock
  bool atomic = false;      // --atomic: output_dir is a link to a complete generation
  bool allow_noncompliant = false;
  bool stats = false;
  unsigned jobs = 0;  // threads for validation, synthesis and writing; 0: one per core
  std::vector<std::string> stacks;
};

struct DiffArgs {
  std::string old_file;
  std::string new_file;
  std::string format = "text";
  bool no_color = false;
};

using Clock = std::chrono::steady_clock;
double elapsed_ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

// --stats: where the time went, what came out, and the process's peak memory.
void print_statistics(double build_ms, double write_ms, std::size_t stacks, const SynthesisStatistics& s) {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::cerr << fmt::format(
      "stats: build tree {:.2f} ms, validate {:.2f} ms, rules {:.2f} ms, lower {:.2f} ms, link {:.2f} ms, "
      "serialize {:.2f} ms, write {:.2f} ms\n"
      "stats: {} stack(s), {} target resource(s), {} byte(s) written, peak RSS {:.1f} MiB\n",
      build_ms, s.validate_ms, s.rules_ms, s.lower_ms, s.link_ms, s.serialize_ms, write_ms, stacks, s.resources,
      s.bytes, static_cast<double>(usage.ru_maxrss) / 1024.0);
}

int drift_check(const std::string& directory, const std::vector<OutputFile>& files, const DiffArgs& style);

// Standard output carries each stack's main document; assets and the manifest need a directory.
// Inline code's Terraform zip is left out (the document is still worth reading), but a document
// whose Lambda code is packaged from the user's files refers to a zip only -o writes: refused.
int print_documents(const App& app, const SynthesisOptions& synthesis, const std::vector<OutputFile>& files) {
  std::unordered_set<std::string> main_paths;
  for (const Stack* stack : app.stacks()) main_paths.insert(main_document_path(*stack, synthesis));
  std::vector<const OutputFile*> documents;
  for (const auto& file : files) {  // in app order
    if (main_paths.contains(file.path)) documents.push_back(&file);
    if (!file.source.empty()) {
      std::cerr << "error: " << file.path << " is Lambda code packaged from '" << file.source
                << "', which standard output cannot carry; write the stacks with -o DIR\n";
      return code(ExitCode::Usage);
    }
  }
  // Several stacks are several documents: YAML has a stream of them; JSON and Terraform's
  // per-stack directories do not.
  if (documents.size() > 1 && (synthesis.target == Target::Terraform || synthesis.format == Format::Json)) {
    std::cerr << "error: " << documents.size() << " stacks are "
              << (synthesis.target == Target::Terraform ? "Terraform configurations, one directory each"
                                                        : "JSON templates, which cannot share one stream")
              << "; write them with -o DIR, or pick one with --stack NAME\n";
    return code(ExitCode::Usage);
  }
  for (std::size_t i = 0; i < documents.size(); ++i) {
    if (i > 0) std::cout << "---\n";
    std::cout << documents[i]->contents;
  }
  return code(ExitCode::Ok);
}

int write_directory(const SynthArgs& args, const std::vector<OutputFile>& files) {
  const WriteResult written =
      write_files(args.output_dir, files, {.jobs = args.jobs, .wait = !args.no_wait, .atomic = args.atomic});
  if (!written.ok()) {
    print(written.diagnostics);
    const bool busy = written.diagnostics.front().code == "HS4002";
    return code(busy ? ExitCode::Busy : ExitCode::Errors);
  }
  if (!args.stats) {
    for (std::size_t i = 0; i < files.size(); ++i) {
      std::cerr << (written.outcomes[i] == WriteOutcome::Written ? "wrote " : "unchanged ") << args.output_dir << "/"
                << files[i].path << '\n';
    }
  }
  return code(ExitCode::Ok);
}

int synthesize_command(const AppSource& source, const SynthArgs& args, const DiffArgs& style) {
  std::unique_ptr<App> storage;
  int failure = 0;
  auto clock = Clock::now();
  const App* app = source.get(storage, failure);
  if (app == nullptr) return failure;
  const double build_ms = elapsed_ms(clock);

  // Validation, the compliance gate and synthesis are the library's; the CLI prints.
  SynthesisOptions synthesis;
  synthesis.target = args.target == "tf" ? Target::Terraform : Target::CloudFormation;
  synthesis.format = args.format == "json" ? Format::Json : Format::Yaml;
  synthesis.stacks = args.stacks;
  synthesis.jobs = args.jobs;
  synthesis.rules = *source.rules;
  synthesis.allow_noncompliant = args.allow_noncompliant;
  SynthesisResult result = synthesize(*app, synthesis);
  for (const auto& finding : result.compliance.findings) {
    if (!finding.suppressed_because) std::cerr << rules::format(finding) << '\n';
  }
  print(result.diagnostics);
  if (!result.ok()) return code(ExitCode::Errors);

  if (args.check_only) return drift_check(args.output_dir, result.files, style);
  clock = Clock::now();
  const int written =
      args.output_dir.empty() ? print_documents(*app, synthesis, result.files) : write_directory(args, result.files);
  if (written != code(ExitCode::Ok)) return written;
  if (args.stats) print_statistics(build_ms, elapsed_ms(clock), app->stacks().size(), result.statistics);
  return code(ExitCode::Ok);
}

bool use_color(const DiffArgs& args) { return !args.no_color && std::getenv("NO_COLOR") == nullptr && isatty(1) != 0; }

std::string render(const DiffReport& report, const DiffArgs& args) {
  if (args.format == "markdown") return render_markdown(report);
  if (args.format == "json") return render_json(report);
  return render_text(report, use_color(args));
}

int diff_command(const DiffArgs& args) {
  LoadedDocument before;
  LoadedDocument after;
  Diagnostics problems = load_document_file(args.old_file, before);
  const Diagnostics more = load_document_file(args.new_file, after);
  problems.insert(problems.end(), more.begin(), more.end());
  if (has_errors(problems)) {
    print(problems);
    return code(ExitCode::Usage);  // as diff(1): 2 is trouble
  }
  const DiffReport report = diff(before, after);
  if (!report.diagnostics.empty()) {
    print(report.diagnostics);
    return exit_status(report);
  }
  std::cout << render(report, args);
  return exit_status(report);
}

// The drift gate: compares what would be written with what `directory` holds. Documents are
// compared semantically (diff), other files byte for byte. Writes nothing.
int drift_check(const std::string& directory, const std::vector<OutputFile>& files, const DiffArgs& style) {
  namespace fs = std::filesystem;
  bool drift = false;
  for (const auto& file : files) {
    const fs::path existing = fs::path(directory) / file.path;
    if (!fs::exists(existing)) {
      std::cout << "+ " << file.path << " (would be created)\n";
      drift = true;
      continue;
    }
    const detail::InputFile read = detail::read_input_file(existing);
    if (!read.error.empty()) {
      std::cout << "! " << file.path << " (cannot be read: " << read.error << ")\n";
      drift = true;
      continue;
    }
    const std::string& current = read.text;
    if (current == file.contents) continue;
    drift = true;
    const std::optional<DiffReport> report = detail::drift_report(current, existing.string(), file);
    if (!report) {
      std::cout << "~ " << file.path << " (would change)\n";
    } else if (report->empty()) {
      std::cout << "~ " << file.path << " (formatting only)\n";
    } else {
      std::cout << render(*report, style);
    }
  }
  if (!drift) std::cerr << "no drift: " << directory << " is up to date\n";
  return code(drift ? ExitCode::Errors : ExitCode::Ok);
}

struct CheckArgs {
  std::string format = "text";
  std::string source_root;  // SARIF locations are relative to it; empty: the working directory
};

// Text prints the tree's errors to stderr and the findings to stdout; JSON and SARIF print one
// complete document in every case, with the config file's or the tree's errors as its results
// when the rules could not run.
int check_command(const AppSource& source, const CheckArgs& args) {
  const bool text = args.format == "text";
  std::unique_ptr<App> storage;
  int failure = 0;
  rules::Report report;
  const App* app = source.get(storage, failure, text ? nullptr : &report.diagnostics);
  if (app == nullptr && (text || report.diagnostics.empty())) return failure;
  if (app != nullptr) report.diagnostics = validate(*app);
  if (app != nullptr && !has_errors(report.diagnostics)) {
    rules::Report checked = rules::check(*app, *source.rules);
    report.findings = std::move(checked.findings);
    report.diagnostics.insert(report.diagnostics.end(), checked.diagnostics.begin(), checked.diagnostics.end());
  }
  report.rules = *source.rules;
  if (text && has_errors(report.diagnostics)) {
    print(report.diagnostics);
    return code(ExitCode::Errors);
  }
  if (args.format == "json") {
    std::cout << rules::to_json(report);
  } else if (args.format == "sarif") {
    std::cout << rules::to_sarif(report, {.tool_version = HIPAA_SYNTH_VERSION, .source_root = args.source_root});
  } else {
    std::cout << rules::to_text(report);
  }
  const bool failed = has_errors(report.diagnostics) || report.has_unsuppressed_errors();
  return code(failed ? ExitCode::Errors : ExitCode::Ok);
}

int rules_command(const rules::RuleSet& set, const std::string& format) {
  if (const Diagnostics problems = set.problems(); has_errors(problems)) {
    print(problems);
    return code(ExitCode::Errors);
  }
  if (format == "markdown") {
    std::cout << rules::rules_markdown(set);
    return code(ExitCode::Ok);
  }
  for (const auto& rule : set.rules()) {
    std::cout << rule->id << "  " << (rule->severity == Severity::Error ? "error  " : "warning") << "  "
              << rule->citation << "  " << rule->title << '\n';
  }
  return code(ExitCode::Ok);
}

int init_command(const std::string& dir, const std::string& name) {
  if (const Diagnostics problems = scaffold::init_project(dir, name, HIPAA_SYNTH_VERSION); !problems.empty()) {
    print(problems);
    return code(ExitCode::Errors);
  }
  std::cout << "created " << dir << ": CMakeLists.txt, main.cpp, .gitignore, README.md\n"
            << "next: " << (dir == "." ? "" : "cd " + dir + " && ")
            << "cmake -S . -B build && cmake --build build && ./build/"
            << (name.empty() ? scaffold::default_project_name(dir) : name) << " --target cfn\n";
  return code(ExitCode::Ok);
}

// The generated reference pages: text for a terminal, markdown for docs/.
int reference_command(const std::string& format, std::string (*markdown)(), std::string (*text)()) {
  std::cout << (format == "markdown" ? markdown() : text());
  return code(ExitCode::Ok);
}

int run_cli(int argc, const char* const* argv, const App* fixed_app, const rules::RuleSet& rule_set) {
  CLI::App cli(kDescription, "hipaa-synth");
  cli.set_version_flag("--version", std::string("hipaa-synth ") + HIPAA_SYNTH_VERSION);
  cli.require_subcommand(0, 1);

  AppSource source;
  source.fixed = fixed_app;
  source.rules = &rule_set;
  if (fixed_app == nullptr) {
    cli.add_option("--preset", source.preset, "Healthcare stack preset: processing, records or hardened (default)");
    cli.add_option("--config", source.config, "Healthcare stack options as a YAML or JSON file")
        ->check(CLI::ExistingFile);
    cli.add_option("--env-suffix", source.env_suffix, "Environment suffix for resource names (default 'dev')");
    cli.add_option("--region", source.region, "AWS region (default us-east-1)");
    cli.add_option("--state-bucket", source.state["bucket"],
                   "Terraform: S3 bucket of the state (default: none, a local backend)");
    cli.add_option("--state-key", source.state["key"],
                   "Terraform: key of the state in the bucket (default <stack>/<env-suffix>.tfstate)");
    cli.add_option("--state-region", source.state["region"],
                   "Terraform: region of the state bucket (default: the stack's region)");
    cli.add_option("--state-kms-key", source.state["kms_key_id"],
                   "Terraform: KMS key (ARN or alias) that encrypts the state (default: the bucket's encryption)");
  }

  SynthArgs synth;
  cli.add_option("--target", synth.target, "Output target: cfn (CloudFormation) or tf (Terraform JSON)")
      ->check(CLI::IsMember({"cfn", "tf"}));
  auto* format_option =
      cli.add_option("--format", synth.format, "CloudFormation format: yaml (short-form intrinsics) or json")
          ->check(CLI::IsMember({"yaml", "json"}));
  cli.add_option("-o,--output", synth.output_dir,
                 "Write files to this directory: <Stack>.template.yaml|json, or <Stack>/main.tf.json "
                 "plus lambda/*.zip");

  cli.add_flag("--no-wait", synth.no_wait,
               "With -o: when another run is writing the directory, fail at once (HS4002, exit 3) instead of "
               "waiting for it");
  cli.add_flag("--atomic", synth.atomic,
               "With -o: make DIR a symbolic link to a complete generation (DIR.generations/N) and replace the link "
               "in one rename, so every reader at every instant, and after a kill, sees one whole set; DIR must be "
               "absent or such a link");
  cli.add_flag("--check", synth.check_only,
               "With -o: write nothing; show how the files in the directory would change and exit 1 if they would");
  cli.add_flag("--stats", synth.stats, "Print per-phase times, resource and byte counts and peak memory to stderr");
  cli.add_option("--stack", synth.stacks, "Synthesize only the stacks matching this glob (repeatable)");
  cli.add_option("-j,--jobs", synth.jobs,
                 "Threads that validate, synthesize and write stacks side by side (default: one per core); the output "
                 "is the same")
      ->check(CLI::Range(1U, 1024U));
  cli.add_flag("--allow-noncompliant", synth.allow_noncompliant,
               "Synthesize even when compliance rules report errors (they are still printed). For "
               "reproducing existing stacks, such as the seed presets; never for new ones");

  CheckArgs check_args;
  auto* check = cli.add_subcommand("check", "Check the stack against the HIPAA rules; exit 1 on unsuppressed errors");
  check->add_option("--format", check_args.format, "text, json or sarif (SARIF 2.1.0)")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  check
      ->add_option("--source-root", check_args.source_root,
                   "SARIF: files under this directory are named relative to it (base id SRCROOT); default: the "
                   "working directory")
      ->check(CLI::ExistingDirectory);
  check->fallthrough();

  DiffArgs diff_args;
  cli.add_flag("--no-color", diff_args.no_color, "No colour in diffs (also when NO_COLOR is set or not a terminal)");
  auto* diff_cmd = cli.add_subcommand("diff",
                                      "Compare two CloudFormation templates or two Terraform JSON files; "
                                      "exit 0 same, 1 different, 2 error");
  diff_cmd->add_option("old", diff_args.old_file, "The old template")->required();
  diff_cmd->add_option("new", diff_args.new_file, "The new template")->required();
  diff_cmd->add_option("--format", diff_args.format, "text, markdown or json")
      ->check(CLI::IsMember({"text", "markdown", "json"}));
  diff_cmd->add_flag("--no-color", diff_args.no_color, "No colour");

  SyntheticAppOptions synthetic;
  auto* bench =
      cli.add_subcommand("bench-app", "Synthesize a generated app of many stacks (with --target, -o, --stats)");
  bench->add_option("--stacks", synthetic.stacks, "Number of stacks")->check(CLI::Range(1, 100000));
  bench->add_option("--resources-per-stack", synthetic.resources_per_stack, "Resources per stack (about)")
      ->check(CLI::Range(16, 3000));
  bench->fallthrough();

  std::string rules_format = "text";
  auto* rules = cli.add_subcommand("rules", "List every compliance rule with its HIPAA citation");
  rules->add_option("--format", rules_format, "text or markdown")->check(CLI::IsMember({"text", "markdown"}));

  std::string codes_format = "text";
  auto* codes = cli.add_subcommand("codes", "List every diagnostic code with what it means");
  codes->add_option("--format", codes_format, "text or markdown")->check(CLI::IsMember({"text", "markdown"}));

  // A new project: only for hipaa-synth itself, not for a program that passes its own app.
  std::string init_dir = ".";
  std::string init_name;
  CLI::App* init = nullptr;
  if (fixed_app == nullptr) {
    init = cli.add_subcommand("init",
                              "Write a new stack project into DIR (new or empty): CMakeLists.txt using find_package, "
                              "main.cpp, .gitignore, README.md");
    init->add_option("dir", init_dir, "The project's directory (default: the working directory)");
    init->add_option("--name", init_name,
                     "The CMake project and executable name (default: DIR's name); letters, digits, '-', '_'");
  }

  std::string nodes_format = "text";
  auto* nodes = cli.add_subcommand("nodes", "List every typed node with the resource types it emits in each target");
  nodes->add_option("--format", nodes_format, "text or markdown")->check(CLI::IsMember({"text", "markdown"}));

  // The --config format's schema (the built-in stack's only: a program's own app has no --config).
  CLI::App* schema = nullptr;
  if (fixed_app == nullptr) {
    schema = cli.add_subcommand("schema",
                                "Print the JSON Schema (draft 2020-12) of the --config file format, for editors and "
                                "validators: hipaa-synth schema > hipaa-synth.schema.json");
  }

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int exit = cli.exit(e);
    return exit == 0 ? 0 : code(ExitCode::Usage);
  }

  if (diff_cmd->parsed()) return diff_command(diff_args);
  if (init != nullptr && init->parsed()) return init_command(init_dir, init_name);
  if (bench->parsed()) source.synthetic = synthetic;
  if (check->parsed()) return check_command(source, check_args);
  if (rules->parsed()) return rules_command(rule_set, rules_format);
  if (codes->parsed()) return reference_command(codes_format, detail::codes_markdown, detail::codes_text);
  if (nodes->parsed()) return reference_command(nodes_format, detail::nodes_markdown, detail::nodes_text);
  if (schema != nullptr && schema->parsed()) {
    std::cout << config_schema();
    return code(ExitCode::Ok);
  }
  if (synth.target.empty()) {
    std::cerr << "error: --target is required (cfn or tf), or use a subcommand: check, rules, codes, nodes, schema, "
                 "diff, bench-app, init\n"
              << "Run with --help for more information.\n";
    return code(ExitCode::Usage);
  }
  // Terraform output is always JSON; `--format json` is accepted to keep scripts symmetric.
  if (synth.target == "tf" && format_option->count() > 0 && synth.format != "json") {
    std::cerr << "error: --format " << synth.format << " applies to CloudFormation only; Terraform output is JSON\n";
    return code(ExitCode::Usage);
  }
  if (synth.no_wait && synth.output_dir.empty()) {
    std::cerr << "error: --no-wait applies to writing a directory: give it with -o\n";
    return code(ExitCode::Usage);
  }
  if (synth.atomic && synth.output_dir.empty()) {
    std::cerr << "error: --atomic applies to writing a directory: give it with -o\n";
    return code(ExitCode::Usage);
  }
  if (synth.check_only && synth.output_dir.empty()) {
    std::cerr << "error: --check compares with a directory: give it with -o\n";
    return code(ExitCode::Usage);
  }
  return synthesize_command(source, synth, diff_args);
}

template <class F>
int guarded(F&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    std::cerr << "error: internal error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "error: internal error\n";
  }
  return code(ExitCode::Errors);
}

}  // namespace

int run(int argc, const char* const* argv) {
  return guarded([&] { return run_cli(argc, argv, nullptr, rules::RuleSet::hipaa()); });
}

int run(int argc, const char* const* argv, const App& app) {
  return guarded([&] { return run_cli(argc, argv, &app, rules::RuleSet::hipaa()); });
}

int run(int argc, const char* const* argv, const App& app, const rules::RuleSet& rules) {
  return guarded([&] { return run_cli(argc, argv, &app, rules); });
}

}  // namespace hipaa::cli
