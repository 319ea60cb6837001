// Tags on a scope (Tags::of, hipaa/construct.hpp): every taggable resource below a scope, in both
// targets, nearest scope first, the resource's own tags over all.
#include <string>

#include <catch2/catch.hpp>

#include "hipaa/aws/ec2.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

// A CloudFormation Tags list from key -> value.
json tag_list(const std::map<std::string, std::string>& tags) {
  json out = json::array();
  for (const auto& [key, value] : tags) out.push_back({{"Key", key}, {"Value", value}});
  return out;
}

json cfn_tags(const json& cfn, const std::string& id) {
  const json& properties = cfn["Resources"][id]["Properties"];
  return properties.contains("Tags") ? properties["Tags"] : json();
}

json tf_tags(const json& tf, const std::string& type, const std::string& name) {
  const json& body = tf["resource"][type][name];
  return body.contains("tags") ? body["tags"] : json();
}

}  // namespace

TEST_CASE("Tags::of a scope tags every taggable resource below it, also those added later, and none outside",
          "[tags]") {
  App app;
  Stack& stack = app.add_stack("S");
  Construct& net = stack.add_group("Net");
  auto& vpc = net.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  Tags::of(net).add("team", "records");
  // Added after the call: tagged all the same.
  auto& sg = net.add<ec2::SecurityGroup>("Sg", {.vpc = vpc, .description = "sg"});
  net.add<ec2::SecurityGroupIngress>("In", {.group = sg, .from_port = 443, .peer = sg});  // carries no tags
  stack.add<ec2::Vpc>("Other", {.cidr_block = "10.1.0.0/16"});

  const json cfn = test::cfn(app);
  CHECK(cfn_tags(cfn, "NetVpc") == tag_list({{"team", "records"}}));
  CHECK(cfn_tags(cfn, "NetSg") == tag_list({{"team", "records"}}));
  CHECK(cfn_tags(cfn, "NetIn").is_null());
  CHECK(cfn_tags(cfn, "Other").is_null());

  const json tf = test::tf(app);
  CHECK(tf_tags(tf, "aws_vpc", "net_vpc") == json{{"team", "records"}});
  CHECK(tf_tags(tf, "aws_security_group", "net_sg") == json{{"team", "records"}});
  CHECK(tf_tags(tf, "aws_vpc_security_group_ingress_rule", "net_in").is_null());
  CHECK(tf_tags(tf, "aws_vpc", "other").is_null());
  CHECK_FALSE(tf["provider"]["aws"].contains("default_tags"));
}

TEST_CASE("Tags::of a single resource tags only it", "[tags]") {
  App app;
  Stack& stack = app.add_stack("S");
  auto& one = stack.add<ec2::Vpc>("One", {.cidr_block = "10.0.0.0/16"});
  stack.add<ec2::Vpc>("Two", {.cidr_block = "10.1.0.0/16"});
  Tags::of(one).add("data", "phi").add("team", "records");
  const json cfn = test::cfn(app);
  CHECK(cfn_tags(cfn, "One") == tag_list({{"data", "phi"}, {"team", "records"}}));
  CHECK(cfn_tags(cfn, "Two").is_null());
  const json tf = test::tf(app);
  CHECK(tf_tags(tf, "aws_vpc", "one") == json{{"data", "phi"}, {"team", "records"}});
  CHECK(tf_tags(tf, "aws_vpc", "two").is_null());
}

TEST_CASE("The nearest scope wins, and a resource's own tags win over every scope", "[tags]") {
  App app;
  Stack& stack = app.add_stack("S", {.tags = {{"env", "prod"}, {"cost", "1"}}});
  Tags::of(app).add("env", "app").add("owner", "platform");  // farther than the stack's own tags
  Construct& group = stack.add_group("G");
  Tags::of(group).add("env", "dev");
  group.add<ec2::Vpc>("Grouped", {.cidr_block = "10.0.0.0/16"});
  auto& near = group.add<ec2::Vpc>("Near", {.cidr_block = "10.1.0.0/16"});
  Tags::of(near).add("env", "near");
  group.add<ec2::Vpc>("Own", {.cidr_block = "10.2.0.0/16", .tags = {{"env", "own"}}});
  stack.add<ec2::Vpc>("Outside", {.cidr_block = "10.3.0.0/16"});
  // Within one scope the later call wins.
  Tags::of(stack).add("cost", "2").add("cost", "3");

  const json cfn = test::cfn(app);
  CHECK(cfn_tags(cfn, "GGrouped") == tag_list({{"cost", "3"}, {"env", "dev"}, {"owner", "platform"}}));
  CHECK(cfn_tags(cfn, "GNear") == tag_list({{"cost", "3"}, {"env", "near"}, {"owner", "platform"}}));
  CHECK(cfn_tags(cfn, "GOwn") == tag_list({{"cost", "3"}, {"env", "own"}, {"owner", "platform"}}));
  CHECK(cfn_tags(cfn, "Outside") == tag_list({{"cost", "3"}, {"env", "prod"}, {"owner", "platform"}}));

  // Terraform: the stack's tags stay the provider's default_tags; a resource carries what differs.
  const json tf = test::tf(app);
  CHECK(tf["provider"]["aws"]["default_tags"]["tags"] == json{{"cost", "1"}, {"env", "prod"}});
  CHECK(tf_tags(tf, "aws_vpc", "g_grouped") == json{{"cost", "3"}, {"env", "dev"}, {"owner", "platform"}});
  CHECK(tf_tags(tf, "aws_vpc", "g_near") == json{{"cost", "3"}, {"env", "near"}, {"owner", "platform"}});
  CHECK(tf_tags(tf, "aws_vpc", "g_own") == json{{"cost", "3"}, {"env", "own"}, {"owner", "platform"}});
  CHECK(tf_tags(tf, "aws_vpc", "outside") == json{{"cost", "3"}, {"owner", "platform"}});
}

TEST_CASE("remove() takes a farther scope's tag, the stack's too, off a subtree", "[tags]") {
  App app;
  Stack& stack = app.add_stack("S", {.tags = {{"env", "prod"}, {"cost", "1"}}});
  Tags::of(app).add("team", "records");
  Construct& group = stack.add_group("G");
  Tags::of(group).remove("cost").remove("team");
  group.add<ec2::Vpc>("Inside", {.cidr_block = "10.0.0.0/16"});
  auto& again = group.add<ec2::Vpc>("Again", {.cidr_block = "10.1.0.0/16"});
  Tags::of(again).add("cost", "2");  // nearer than the remove
  stack.add<ec2::Vpc>("Outside", {.cidr_block = "10.2.0.0/16"});

  const json cfn = test::cfn(app);
  CHECK(cfn_tags(cfn, "GInside") == tag_list({{"env", "prod"}}));
  CHECK(cfn_tags(cfn, "GAgain") == tag_list({{"cost", "2"}, {"env", "prod"}}));
  CHECK(cfn_tags(cfn, "Outside") == tag_list({{"cost", "1"}, {"env", "prod"}, {"team", "records"}}));

  // A default tag cannot be taken off one resource: the stack's tags go on each resource instead.
  const json tf = test::tf(app);
  CHECK_FALSE(tf["provider"]["aws"].contains("default_tags"));
  CHECK(tf_tags(tf, "aws_vpc", "g_inside") == json{{"env", "prod"}});
  CHECK(tf_tags(tf, "aws_vpc", "g_again") == json{{"cost", "2"}, {"env", "prod"}});
  CHECK(tf_tags(tf, "aws_vpc", "outside") == json{{"cost", "1"}, {"env", "prod"}, {"team", "records"}});
}

TEST_CASE("A stack without scope tags keeps its tags as Terraform's default_tags only", "[tags]") {
  App app;
  Stack& stack = app.add_stack("S", {.tags = {{"env", "prod"}}});
  stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  const json tf = test::tf(app);
  CHECK(tf["provider"]["aws"]["default_tags"]["tags"] == json{{"env", "prod"}});
  CHECK(tf_tags(tf, "aws_vpc", "vpc").is_null());
  CHECK(cfn_tags(test::cfn(app), "Vpc") == tag_list({{"env", "prod"}}));
}

TEST_CASE("Scope tags AWS would reject are reported with HS2009", "[tags]") {
  App app;
  Stack& stack = app.add_stack("S");
  Construct& group = stack.add_group("G");
  group.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  Tags::of(group).add("aws:team", "x").add("team", std::string(257, 'v')).add("", "empty").add("bad", "a|b");
  Tags::of(app).add(std::string(129, 'k'), "v");
  const auto problems = test::problems(app);
  const std::string in_group = "HS2009 S/G: tag ";
  const std::string set = " set with Tags::of ";
  CHECK(problems ==
        std::vector<std::string>{
            "HS2009 : tag '" + std::string(128, 'k') + "'" + set + "has a key of 129 characters (1-128)",
            in_group + "''" + set + "has a key of 0 characters (1-128)",
            in_group + "'aws:team'" + set + "has a key starting with 'aws:', which AWS reserves",
            in_group + "'bad'" + set + "has characters other than letters, digits, spaces and " + "_ . : / = + - @",
            in_group + "'team'" + set + "has a value of 257 characters (at most 256)",
        });
}

TEST_CASE("A resource given more than 50 tags by its scopes is reported", "[tags]") {
  App app;
  Stack& stack = app.add_stack("S", {.tags = {{"env", "prod"}}});
  auto& vpc = stack.add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  for (int i = 0; i < 49; ++i) Tags::of(stack).add("k" + std::to_string(i), "v");
  CHECK(test::problems(app).empty());
  Tags::of(vpc).add("one-more", "v");
  CHECK(test::problems(app) ==
        std::vector<std::string>{"HS2009 S/Vpc: would carry 51 tags from its stack and scopes (at most 50)"});
}
