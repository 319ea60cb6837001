// The limit, documented: a misspelled property in a bare braced list (no props type spelled) fails
// overload resolution, and neither compiler names the field; both name the props type, which is
// where to look (docs/concepts.md, "When the compiler refuses the props").
// expect: VpcProps
#include "hipaa/aws/ec2.hpp"

int main() {
  hipaa::App app;
  app.add_stack("S").add<hipaa::ec2::Vpc>("Vpc", {.cidr = "10.0.0.0/16"});
}
