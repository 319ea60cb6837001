// The construct tree: ids, paths, logical ids and their stability, duplicates and collisions.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "docs/reference.hpp"
#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/kms.hpp"
#include "hipaa/node.hpp"
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

namespace {

std::string read_source(const std::filesystem::path& relative) {
  std::ifstream in(std::filesystem::path(HIPAA_SOURCE_DIR) / relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A user's own typed node, declared the way the shipped ones are; it emits a secondary type only
// when asked to, and declares it only when asked to.
struct SsmParameterProps {
  std::string name;
  bool add_version = false;
};

class SsmParameter final : public Node<SsmParameter, SsmParameterProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "test::Parameter",
      .summary = "An SSM parameter",
      .types = {cloudformation_type("AWS::SSM::Parameter", "Name Type"), terraform_type("aws_ssm_parameter", "name")}};
  void lower(Lowering& l) const override {
    l.add(*this).properties().set({"Name", "name"}, props().name);
    if (props().add_version) l.add(*this, l.is_cloudformation() ? "AWS::SSM::Undeclared" : "aws_undeclared", "V");
  }
};

// A store with a default resource policy of its own, and a node that writes that policy instead.
struct StoreProps {};
class Store final : public Node<Store, StoreProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "test::Store",
      .summary = "A store with a default policy",
      .types = {cloudformation_type("AWS::SQS::Queue"), cloudformation_type("AWS::SQS::QueuePolicy"),
                terraform_type("aws_sqs_queue"), terraform_type("aws_sqs_queue_policy")}};
  void lower(Lowering& l) const override {
    l.add(*this);
    if (l.policy_writer(*this) == nullptr)
      l.add(*this, l.is_cloudformation() ? "AWS::SQS::QueuePolicy" : "aws_sqs_queue_policy", "Policy");
  }
};

struct StorePolicyProps {
  Ref<Store> store;
};
class StorePolicy final : public Node<StorePolicy, StorePolicyProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "test::StorePolicy",
      .summary = "Writes a store's policy",
      .types = {cloudformation_type("AWS::SQS::QueuePolicy"), terraform_type("aws_sqs_queue_policy")}};
  [[nodiscard]] const Resource* writes_policy_of() const override { return props().store.get(); }
  void lower(Lowering& l) const override { l.add(*this); }
};

}  // namespace

TEST_CASE("A resource leaves its resource policy to the one node that writes it", "[tree]") {
  App app;
  Stack& stack = app.add_stack("S");
  auto& own = stack.add<Store>("Own", {});
  auto& shared = stack.add<Store>("Shared", {});
  stack.add<StorePolicy>("SharedPolicy", {.store = shared});
  const auto resources = test::cfn(app)["Resources"];
  CHECK(resources.contains("OwnPolicy"));
  CHECK_FALSE(
      resources.contains("SharedPolicy"
                         "Policy"));
  CHECK(resources["SharedPolicy"]["Type"] == "AWS::SQS::QueuePolicy");
  CHECK(test::tf(app)["resource"]["aws_sqs_queue_policy"].size() == 2);

  stack.add<StorePolicy>("Again", {.store = shared});
  app.add_stack("Other").add<StorePolicy>("Remote", {.store = own});
  CHECK(
      test::problems(app) ==
      std::vector<std::string>{"HS2005 S/Again: the resource policy of S/Shared is written by both S/SharedPolicy and "
                               "S/Again",
                               "HS2005 Other/Remote: writes the resource policy of S/Own, which is in another stack"});
}

TEST_CASE("A node declared with Node<Self, Props> needs no constructor and lowers its declared types", "[tree]") {
  App app;
  auto& parameter = app.add_stack("S").add<SsmParameter>("Param", {.name = "/app/flag"});
  CHECK(parameter.props().name == "/app/flag");
  CHECK(parameter.type().cloudformation == "AWS::SSM::Parameter");
  CHECK(&parameter.info() == &SsmParameter::kInfo);
  CHECK(std::string(parameter.created_at().file_name()).ends_with("test_tree.cpp"));
  CHECK(test::cfn(app)["Resources"]["Param"]["Type"] == "AWS::SSM::Parameter");
  CHECK(test::tf(app)["resource"]["aws_ssm_parameter"]["param"]["name"] == "/app/flag");
}

TEST_CASE("A node constructed other than through add<T>() is refused, naming the node", "[tree]") {
  CHECK_THROWS_WITH(kms::Key(),
                    "hipaa-synth: a kms::Key is created with scope.add<kms::Key>(id, props), not "
                    "constructed directly");
}

TEST_CASE("Emitting a target type the node does not declare is an internal error naming both", "[tree]") {
  App app;
  app.add_stack("S").add<SsmParameter>("Param", {.name = "p", .add_version = true});
  CHECK(
      test::problems(app) ==
      std::vector<std::string>{
          "HS9001 S/Param: internal: test::Parameter emits AWS::SSM::Undeclared, which its NodeInfo does not declare"});
  CHECK(test::problems(app, Target::Terraform) ==
        std::vector<std::string>{
            "HS9001 S/Param: internal: test::Parameter emits aws_undeclared, which its NodeInfo does not declare"});
}

TEST_CASE("docs/diagnostics.md is the current output of `hipaa-synth codes --format markdown`", "[tree]") {
  CHECK(read_source("docs/diagnostics.md") == detail::codes_markdown());
}

TEST_CASE("docs/resources.md's node table is the current output of `hipaa-synth nodes --format markdown`", "[tree]") {
  const std::string text = read_source("docs/resources.md");
  const std::string begin = "<!-- BEGIN generated: hipaa-synth nodes --format markdown -->\n";
  const auto start = text.find(begin);
  const auto end = text.find("<!-- END generated -->");
  REQUIRE(start != std::string::npos);
  REQUIRE(end != std::string::npos);
  CHECK(text.substr(start + begin.size(), end - start - begin.size()) == detail::nodes_markdown());
}

TEST_CASE("Every diagnostic code reported is in the table, and every code in the table is reported", "[tree]") {
  std::set<std::string> table;
  for (const auto& c : diagnostic_codes()) {
    CHECK(table.insert(std::string(c.code)).second);
    CHECK(std::regex_match(std::string(c.code), std::regex("HS[1-9][0-9]{3}")));
    CHECK_FALSE(c.title.empty());
    CHECK_FALSE(c.explanation.empty());
  }
  std::set<std::string> reported;
  const std::regex literal(R"RE("(HS[0-9]{4})")RE");
  for (const char* folder : {"src", "apps"}) {
    for (const auto& file :
         std::filesystem::recursive_directory_iterator(std::filesystem::path(HIPAA_SOURCE_DIR) / folder)) {
      if (!file.is_regular_file() || file.path().filename() == "diagnostic_codes.cpp") continue;
      const std::string source =
          read_source(std::filesystem::relative(file.path(), std::filesystem::path(HIPAA_SOURCE_DIR)));
      for (std::sregex_iterator it(source.begin(), source.end(), literal), end; it != end; ++it) {
        reported.insert((*it)[1].str());
      }
    }
  }
  CHECK(reported == table);
  CHECK(find_diagnostic_code("HS2003")->title == "Name AWS would reject");
  CHECK(find_diagnostic_code("HS3001") == nullptr);
}
