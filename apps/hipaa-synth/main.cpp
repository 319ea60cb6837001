// hipaa-synth: the command line over the built-in healthcare stack.
#include "hipaa/cli.hpp"

int main(int argc, char** argv) { return hipaa::cli::run(argc, argv); }
