// A misspelled property, with the props type spelled: both compilers name the field.
// expect: cidr
// expect: (no non-static data member named|does not refer to any field)
#include "hipaa/aws/ec2.hpp"

int main() {
  hipaa::App app;
  app.add_stack("S").add<hipaa::ec2::Vpc>("Vpc", hipaa::ec2::Vpc::Props{.cidr = "10.0.0.0/16"});
}
