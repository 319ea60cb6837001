// The construct tree: ids, paths, logical ids and their stability, duplicates and collisions.
#include <catch2/catch.hpp>

#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/kms.hpp"
#include "support.hpp"

using namespace hipaa;

TEST_CASE("Constructs have paths from the stack down", "[tree]") {
  App app;
  Stack& stack = app.add_stack("Net");
  Construct& group = stack.add_group("Network");
  auto& vpc = group.add<ec2::Vpc>("Main", {.cidr_block = "10.0.0.0/16"});
  CHECK(vpc.path() == "Net/Network/Main");
  CHECK(vpc.stack() == &stack);
  CHECK(vpc.app() == &app);
}

TEST_CASE("Logical ids are the PascalCase path below the stack", "[tree]") {
  App app;
  Stack& stack = app.add_stack("S");
  auto& vpc = stack.add_group("network-core").add<ec2::Vpc>("main_vpc", {.cidr_block = "10.0.0.0/16"});
  CHECK(vpc.logical_id() == "NetworkCoreMainVpc");
  CHECK(vpc.terraform_name() == "network_core_main_vpc");
}

TEST_CASE("snake_case splits words and acronyms", "[tree]") {
  CHECK(snake_case("PatientAPIFunction") == "patient_api_function");
  CHECK(snake_case("VPCEndpoint2") == "vpc_endpoint2");
  CHECK(snake_case("Subnet1RouteTable") == "subnet1_route_table");
  CHECK(snake_case("9Lives") == "r_9_lives");
}

TEST_CASE("Adding, removing or reordering unrelated constructs renames nothing", "[tree]") {
  auto build = [](bool extra, bool reversed) {
    auto app = std::make_unique<App>();
    Stack& stack = app->add_stack("S");
    if (reversed) stack.add<kms::Key>("Key", {.description = "k"});
    auto& vpc = stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
    if (extra) stack.add<ec2::Vpc>("Other", {.cidr_block = "10.1.0.0/16"});
    stack.add<ec2::Subnet>("Subnet", {.vpc = vpc, .cidr_block = "10.0.1.0/24"});
    if (!reversed) stack.add<kms::Key>("Key", {.description = "k"});
    return app;
  };
  const auto base = test::cfn(*build(false, false));
  const auto changed = test::cfn(*build(true, true));
  for (const char* id : {"Vpc", "Subnet", "Key"}) {
    INFO(id);
    REQUIRE(changed["Resources"].contains(id));
    CHECK(changed["Resources"][id] == base["Resources"][id]);
  }
  CHECK(changed["Resources"].contains("Other"));
}

TEST_CASE("A duplicate construct id is an error naming both", "[tree]") {
  App app;
  Stack& stack = app.add_stack("S");
  stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.1.0.0/16"});
  const Diagnostics found = validate(app);
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "HS1001");
  CHECK(found[0].path == "S/Vpc");
  CHECK_THAT(found[0].message,
             Catch::Matches("duplicate construct id 'Vpc' under 'S': first created at .*test_tree.cpp:[0-9]+"));
  CHECK(std::string(found[0].file).ends_with("test_tree.cpp"));
}

TEST_CASE("Logical id collisions are reported with both paths", "[tree]") {
  App app;
  Stack& stack = app.add_stack("S");
  stack.add_group("A").add<ec2::Vpc>("BVpc", {.cidr_block = "10.0.0.0/16"});
  stack.add_group("AB").add<ec2::Vpc>("Vpc", {.cidr_block = "10.1.0.0/16"});
  const auto found = test::problems(app);
  REQUIRE(found.size() == 1);
  CHECK(found[0] == "HS1003 S/AB/Vpc: logical id 'ABVpc' is also the id of S/A/BVpc");
}

TEST_CASE("A pinned logical id is used in both targets", "[tree]") {
  App app;
  Stack& stack = app.add_stack("S");
  auto& vpc = stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  vpc.pin_logical_id("VPC");
  CHECK(test::cfn(app)["Resources"].contains("VPC"));
  CHECK(test::tf(app)["resource"]["aws_vpc"].contains("vpc"));
  vpc.pin_terraform_name("legacy");
  CHECK(test::tf(app)["resource"]["aws_vpc"].contains("legacy"));
}

TEST_CASE("An invalid pinned logical id is rejected", "[tree]") {
  App app;
  auto& vpc = app.add_stack("S").add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  vpc.pin_logical_id("my-vpc");
  const auto found = test::problems(app);
  REQUIRE(!found.empty());
  CHECK(found[0] == "HS1004 S/Vpc: logical id 'my-vpc' is not 1-255 alphanumeric characters");
}

TEST_CASE("Every problem in a tree is reported at once", "[tree]") {
  App app;
  Stack& stack = app.add_stack("S");
  stack.add<ec2::Vpc>("Bad", {.cidr_block = "10.0.0.0/33"});
  auto& vpc = stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  stack.add<ec2::Subnet>("Outside", {.vpc = vpc, .cidr_block = "192.168.0.0/24"});
  stack.add<ec2::Subnet>("NoVpc", {.cidr_block = "10.0.1.0/24"});
  stack.add<kms::Key>("Key", {.pending_window_days = 3});
  const auto found = test::problems(app);
  CHECK(found == std::vector<std::string>{
                     "HS2002 S/Bad: 'cidr_block' is not a valid IPv4 CIDR block: '10.0.0.0/33'",
                     "HS2002 S/Outside: 'cidr_block' 192.168.0.0/24 is outside the VPC's 10.0.0.0/16 (S/Vpc)",
                     "HS2001 S/NoVpc: required property 'vpc' is not set",
                     "HS2004 S/Key: 'pending_window_days' is 3; AWS accepts 7 to 30",
                 });
}
