#include "hipaa/cli.hpp"

#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "hipaa/healthcare.hpp"
#include "hipaa/healthcare_config.hpp"
#include "hipaa/synth.hpp"

namespace hipaa::cli {
namespace {

constexpr const char* kDescription =
    "hipaa-synth: synthesizes a typed AWS construct tree to Terraform JSON or CloudFormation.\n"
    "Without --config it emits the built-in HIPAA healthcare stack (preset 'hardened').\n"
    "Exit codes: 0 success, 1 synthesis/validation/config errors, 2 usage errors.";

struct Arguments {
  std::string target;
  std::string format = "yaml";
  std::string preset;
  std::string config;
  std::string env_suffix;
  std::string region;
  std::string output_dir;
};

void print(const Diagnostics& diagnostics) {
  for (const auto& d : diagnostics) std::cerr << format(d) << '\n';
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int synthesize_command(const Arguments& args) {
  // Options: a preset (flag, else the config's `preset:`, else hardened), then the config file,
  // then the individual flags.
  std::string preset_name = args.preset;
  std::string config_text;
  if (!args.config.empty()) {
    config_text = read_file(args.config);
    if (preset_name.empty()) preset_name = config_preset(config_text).value_or("");
  }
  if (preset_name.empty()) preset_name = "hardened";
  const auto preset = parse_preset(preset_name);
  if (!preset) {
    std::cerr << "error: unknown preset '" << preset_name
              << "'; valid presets: processing, records, hardened\n";
    return static_cast<int>(ExitCode::Usage);
  }
  HealthcareOptions options = HealthcareOptions::preset(*preset);
  if (!args.config.empty()) {
    const Diagnostics problems = apply_config(config_text, args.config, options);
    if (has_errors(problems)) {
      print(problems);
      return static_cast<int>(ExitCode::Errors);
    }
  }
  if (!args.env_suffix.empty()) options.environment_suffix = args.env_suffix;
  if (!args.region.empty()) options.region = args.region;

  App app;
  app.add<HealthcareStack>("HealthcareStack", options);

  SynthesisOptions synthesis;
  synthesis.target = args.target == "tf" ? Target::Terraform : Target::CloudFormation;
  synthesis.format = args.format == "json" ? Format::Json : Format::Yaml;
  SynthesisResult result = synthesize(app, synthesis);
  print(result.diagnostics);
  if (!result.ok()) return static_cast<int>(ExitCode::Errors);

  if (args.output_dir.empty()) {
    // Standard output carries each stack's main document; assets (the Terraform Lambda zip)
    // need a directory.
    for (const Stack* stack : app.stacks()) {
      const std::string main_path = main_document_path(*stack, synthesis);
      for (const auto& file : result.files) {
        if (file.path == main_path) std::cout << file.contents;
      }
    }
    return static_cast<int>(ExitCode::Ok);
  }
  const Diagnostics written = write_files(args.output_dir, result.files);
  if (!written.empty()) {
    print(written);
    return static_cast<int>(ExitCode::Errors);
  }
  for (const auto& file : result.files) std::cerr << "wrote " << args.output_dir << "/" << file.path << '\n';
  return static_cast<int>(ExitCode::Ok);
}

}  // namespace

int run(int argc, const char* const* argv) {
  try {
    CLI::App cli(kDescription, "hipaa-synth");
    cli.set_version_flag("--version", std::string("hipaa-synth ") + HIPAA_SYNTH_VERSION);
    Arguments args;
    cli.add_option("--target", args.target, "Output target: cfn (CloudFormation) or tf (Terraform JSON)")
        ->required()
        ->check(CLI::IsMember({"cfn", "tf"}));
    cli.add_option("--format", args.format, "CloudFormation format: yaml (short-form intrinsics) or json")
        ->check(CLI::IsMember({"yaml", "json"}))
        ->capture_default_str();
    cli.add_option("--preset", args.preset, "Healthcare stack preset: processing, records or hardened (default)");
    cli.add_option("--config", args.config, "Healthcare stack options as a YAML or JSON file")
        ->check(CLI::ExistingFile);
    cli.add_option("--env-suffix", args.env_suffix, "Environment suffix for resource names (default 'dev')");
    cli.add_option("--region", args.region, "AWS region (default us-east-1)");
    cli.add_option("-o,--output", args.output_dir,
                   "Write files to this directory: <Stack>.template.yaml|json, or <Stack>/main.tf.json "
                   "plus lambda/*.zip");
    try {
      cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      const int code = cli.exit(e);
      return code == 0 ? 0 : static_cast<int>(ExitCode::Usage);
    }
    // Terraform output is always JSON; `--format json` is accepted to keep scripts symmetric.
    if (args.target == "tf" && cli.count("--format") > 0 && args.format != "json") {
      std::cerr << "error: --format " << args.format << " applies to CloudFormation only; Terraform output is JSON\n";
      return static_cast<int>(ExitCode::Usage);
    }
    return synthesize_command(args);
  } catch (const std::exception& e) {
    std::cerr << "error: internal error: " << e.what() << '\n';
    return static_cast<int>(ExitCode::Errors);
  } catch (...) {
    std::cerr << "error: internal error\n";
    return static_cast<int>(ExitCode::Errors);
  }
}

}  // namespace hipaa::cli
