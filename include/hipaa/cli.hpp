// hipaa/cli.hpp: the hipaa-synth command line as a library call, so a program's main is one line.
//
//   int main(int argc, char** argv) { return hipaa::cli::run(argc, argv); }
//
// Exit codes: 0 success, 1 synthesis, validation or configuration errors, 2 usage errors.
#pragma once

namespace hipaa::cli {

enum class ExitCode : int { Ok = 0, Errors = 1, Usage = 2 };

// Runs hipaa-synth over the built-in healthcare stack. Prints documents to stdout, diagnostics
// to stderr; never throws.
[[nodiscard]] int run(int argc, const char* const* argv);

}  // namespace hipaa::cli
