// hipaa_synth_showcase: the showcase app (showcase.hpp) behind the full command line, e.g.
// `hipaa_synth_showcase --target tf --allow-noncompliant -o out`.
#include "hipaa/cli.hpp"
#include "showcase.hpp"

int main(int argc, char** argv) {
  hipaa::App app;
  hipaa::showcase::build(app);
  return hipaa::cli::run(argc, argv, app);
}
