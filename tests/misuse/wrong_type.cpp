// A property given a value of the wrong type: the value's type and the property's are named.
// expect: int
// expect: string
#include "hipaa/aws/ec2.hpp"

int main() {
  hipaa::App app;
  app.add_stack("S").add<hipaa::ec2::Vpc>("Vpc", hipaa::ec2::Vpc::Props{.cidr_block = 16});
}
