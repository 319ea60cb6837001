// hipaa/cli.hpp: the hipaa-synth command line as a library call, so a program's main is one line.
//
//   int main(int argc, char** argv) { return hipaa::cli::run(argc, argv); }   // the healthcare stack
//   int main(int argc, char** argv) { App app; build(app); return hipaa::cli::run(argc, argv, app); }
//
// Exit codes: 0 success, 1 synthesis, validation, compliance or configuration errors, 2 usage
// errors.
#pragma once

#include "hipaa/construct.hpp"

namespace hipaa::cli {

enum class ExitCode : int { Ok = 0, Errors = 1, Usage = 2 };

// Runs hipaa-synth over the built-in healthcare stack (--preset, --config, --env-suffix,
// --region choose its options). Prints documents to stdout, diagnostics to stderr; never throws.
[[nodiscard]] int run(int argc, const char* const* argv);

// Runs the same command line over an app a program built itself: --target, --format, -o, and the
// `check` and `rules` subcommands.
[[nodiscard]] int run(int argc, const char* const* argv, const App& app);

}  // namespace hipaa::cli
