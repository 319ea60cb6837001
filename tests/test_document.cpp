// The document model and its two serializers.
#include <yaml-cpp/yaml.h>
#include <catch2/catch.hpp>

#include "hipaa/document.hpp"

using hipaa::doc::Node;
namespace doc = hipaa::doc;

TEST_CASE("JSON output is indented, ordered and escaped", "[document]") {
  Node root = doc::Map{};
  root.set("b", 1);
  root.set("a", doc::List{"x\"y", true, nullptr});
  root.set("empty", doc::Map{});
  CHECK(doc::to_json(root) ==
        "{\n  \"b\": 1,\n  \"a\": [\n    \"x\\\"y\",\n    true,\n    null\n  ],\n  \"empty\": {}\n}\n");
}

TEST_CASE("JSON renders intrinsic functions in long form", "[document]") {
  Node root = doc::Map{};
  root.set("Value", doc::intrinsic("Fn::GetAtt", doc::List{"Db", "Endpoint.Address"}));
  CHECK(doc::to_json(root) ==
        "{\n  \"Value\": {\n    \"Fn::GetAtt\": [\n      \"Db\",\n      \"Endpoint.Address\"\n    ]\n  }\n}\n");
}

TEST_CASE("YAML renders intrinsic functions in short form", "[document]") {
  Node root = doc::Map{};
  root.set("A", doc::intrinsic("Ref", "Vpc"));
  root.set("B", doc::intrinsic("Fn::GetAtt", doc::List{"Key", "Arn"}));
  root.set("C", doc::intrinsic("Fn::Select", doc::List{0, doc::intrinsic("Fn::GetAZs", "")}));
  root.set("D", doc::intrinsic("Fn::Sub", "x-${Suffix}"));
  CHECK(doc::to_yaml(root) == "A: !Ref Vpc\nB: !GetAtt Key.Arn\nC: !Select [0, !GetAZs '']\nD: !Sub 'x-${Suffix}'\n");
}

TEST_CASE("YAML quotes every string a parser would read as something else", "[document]") {
  for (const char* tricky : {"yes",  "No",     "true",   "null", "~", "123",     "1.5", "0x1F", "12:30", "-1", "a: b",
                             "x #y", "- item", "*alias", "!tag", "",  " padded", "{}",  "[a]",  "@x",    "%x"}) {
    Node root = doc::Map{};
    root.set("k", tricky);
    const YAML::Node parsed = YAML::Load(doc::to_yaml(root));
    INFO("value: '" << tricky << "' yaml: " << doc::to_yaml(root));
    CHECK(parsed["k"].Tag() != "?");  // quoted scalars carry the non-specific "!" tag
    CHECK(parsed["k"].as<std::string>() == tricky);
  }
}

TEST_CASE("YAML writes plain strings unquoted when unambiguous", "[document]") {
  Node root = doc::Map{};
  root.set("Type", "AWS::EC2::VPC");
  root.set("Cidr", "10.0.0.0/16");
  CHECK(doc::to_yaml(root) == "Type: AWS::EC2::VPC\nCidr: 10.0.0.0/16\n");
}

TEST_CASE("YAML writes multi-line strings as literal blocks that read back exactly", "[document]") {
  Node root = doc::Map{};
  root.set("Code", "line one\n  indented: yes\n\nlast\n");
  const std::string yaml = doc::to_yaml(root);
  CHECK(yaml == "Code: |\n  line one\n    indented: yes\n\n  last\n");
  CHECK(YAML::Load(yaml)["Code"].as<std::string>() == "line one\n  indented: yes\n\nlast\n");
}

TEST_CASE("YAML nests lists of maps with the first key on the dash line", "[document]") {
  Node root = doc::Map{};
  root.set("Tags", doc::List{doc::Map{{"Key", "Name"}, {"Value", "x"}}});
  CHECK(doc::to_yaml(root) == "Tags:\n  - Key: Name\n    Value: x\n");
}

TEST_CASE("at_path creates intermediate maps and set replaces in place", "[document]") {
  Node root = doc::Map{};
  root.set("Properties", doc::Map{{"A", 1}});
  root.at_path("Properties.B.C") = "deep";
  root.set("Properties", *root.find("Properties"));
  CHECK(doc::to_json(root) ==
        "{\n  \"Properties\": {\n    \"A\": 1,\n    \"B\": {\n      \"C\": \"deep\"\n    }\n  }\n}\n");
}

TEST_CASE("Non-ASCII and control characters survive YAML as double-quoted strings", "[document]") {
  Node root = doc::Map{};
  root.set("k", "caf\xc3\xa9\ttab");
  const std::string yaml = doc::to_yaml(root);
  CHECK(yaml == "k: \"caf\xc3\xa9\\ttab\"\n");
  CHECK(YAML::Load(yaml)["k"].as<std::string>() == "caf\xc3\xa9\ttab");
}
