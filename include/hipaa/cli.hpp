// hipaa/cli.hpp: the hipaa-synth command line as a library call, so a program's main is one line.
//
//   int main(int argc, char** argv) { return hipaa::cli::run(argc, argv); }   // the healthcare stack
//   int main(int argc, char** argv) { App app; build(app); return hipaa::cli::run(argc, argv, app); }
//   ... return hipaa::cli::run(argc, argv, app, rules::RuleSet::hipaa().add(my_rule));  // own rules
//
// Exit codes: 0 success, 1 synthesis, validation, compliance or configuration errors, 2 usage
// errors, 3 the output directory is in use by another run (--no-wait).
#pragma once

#include "hipaa/construct.hpp"
#include "hipaa/rules.hpp"

namespace hipaa::cli {

enum class ExitCode : int { Ok = 0, Errors = 1, Usage = 2, Busy = 3 };

// Runs hipaa-synth over the built-in healthcare stack (--preset, --config, --env-suffix,
// --region choose its options). Prints documents to stdout, diagnostics to stderr; never throws.
[[nodiscard]] int run(int argc, const char* const* argv);

// Runs the same command line over an app a program built itself: --target, --format, -o, and the
// `check` and `rules` subcommands.
[[nodiscard]] int run(int argc, const char* const* argv, const App& app);

// As above, checking `rules` (the built-in rules and the program's own, or any set) wherever the
// command line checks compliance: synthesis refuses on their errors, `check` reports them (text,
// JSON, SARIF) and `rules` lists them.
[[nodiscard]] int run(int argc, const char* const* argv, const App& app, const rules::RuleSet& rules);

}  // namespace hipaa::cli
