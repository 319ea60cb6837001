// DynamoDB tables: both targets' output for the defaults and each option, the checks of
// validate(), and the rules over tables.
#include <catch2/catch.hpp>

#include "hipaa/aws/dynamodb.hpp"
#include "hipaa/rules.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

struct Fixture {
  App app;
  Stack& stack = app.add_stack("S");
  kms::Key& key = stack.add<kms::Key>("Key", {.description = "k"});

  dynamodb::Table& table(dynamodb::TableProps props = {}) {
    if (props.table_name.is_null()) props.table_name = "visits";
    if (props.partition_key.name.empty()) props.partition_key = {"patient_id"};
    if (!props.kms_key && props.encryption == dynamodb::Encryption::CustomerManagedKey) props.kms_key = key;
    return stack.add<dynamodb::Table>("Table", std::move(props));
  }
  json cfn() const { return test::cfn(app)["Resources"]["Table"]; }
  json tf() const { return test::tf(app)["resource"]["aws_dynamodb_table"]["table"]; }
};

std::vector<std::string> findings(const App& app, std::string_view rule) {
  std::vector<std::string> out;
  for (const auto& f : rules::check(app).findings) {
    if (f.rule->id == rule) out.push_back(f.path + ": " + f.message);
  }
  return out;
}

}  // namespace

TEST_CASE("A table is on-demand, encrypted with the given key, recoverable, protected and kept by default",
          "[dynamodb]") {
  Fixture f;
  f.table();
  CHECK(f.cfn() ==
        json{{"Type", "AWS::DynamoDB::Table"},
             {"DeletionPolicy", "Retain"},
             {"UpdateReplacePolicy", "Retain"},
             {"Properties",
              {{"TableName", "visits"},
               {"BillingMode", "PAY_PER_REQUEST"},
               {"AttributeDefinitions", {{{"AttributeName", "patient_id"}, {"AttributeType", "S"}}}},
               {"KeySchema", {{{"AttributeName", "patient_id"}, {"KeyType", "HASH"}}}},
               {"SSESpecification",
                {{"SSEEnabled", true}, {"SSEType", "KMS"}, {"KMSMasterKeyId", {{"Fn::GetAtt", {"Key", "Arn"}}}}}},
               {"PointInTimeRecoverySpecification", {{"PointInTimeRecoveryEnabled", true}}},
               {"DeletionProtectionEnabled", true}}}});
  CHECK(f.tf() == json{{"name", "visits"},
                       {"billing_mode", "PAY_PER_REQUEST"},
                       {"attribute", {{{"name", "patient_id"}, {"type", "S"}}}},
                       {"hash_key", "patient_id"},
                       {"server_side_encryption", {{"enabled", true}, {"kms_key_arn", "${aws_kms_key.key.arn}"}}},
                       {"point_in_time_recovery", {{"enabled", true}}},
                       {"deletion_protection_enabled", true},
                       {"lifecycle", {{"prevent_destroy", true}}}});
}

TEST_CASE("A sort key, a TTL attribute and a stream appear in both targets", "[dynamodb]") {
  Fixture f;
  f.table({.sort_key = {{"visit_at", dynamodb::AttributeType::Number}},
           .ttl_attribute = "expires_at",
           .stream = dynamodb::StreamViewType::NewAndOldImages,
           .tags = {{"DataClass", "phi"}}});
  const json cfn = f.cfn()["Properties"];
  CHECK(cfn["AttributeDefinitions"] == json{{{"AttributeName", "patient_id"}, {"AttributeType", "S"}},
                                            {{"AttributeName", "visit_at"}, {"AttributeType", "N"}}});
  CHECK(cfn["KeySchema"] == json{{{"AttributeName", "patient_id"}, {"KeyType", "HASH"}},
                                 {{"AttributeName", "visit_at"}, {"KeyType", "RANGE"}}});
  CHECK(cfn["TimeToLiveSpecification"] == json{{"AttributeName", "expires_at"}, {"Enabled", true}});
  CHECK(cfn["StreamSpecification"] == json{{"StreamViewType", "NEW_AND_OLD_IMAGES"}});
  CHECK(cfn["Tags"] == json{{{"Key", "DataClass"}, {"Value", "phi"}}});
  const json tf = f.tf();
  CHECK(tf["attribute"] == json{{{"name", "patient_id"}, {"type", "S"}}, {{"name", "visit_at"}, {"type", "N"}}});
  CHECK(tf["hash_key"] == "patient_id");
  CHECK(tf["range_key"] == "visit_at");
  CHECK(tf["ttl"] == json{{"attribute_name", "expires_at"}, {"enabled", true}});
  CHECK(tf["stream_enabled"] == true);
  CHECK(tf["stream_view_type"] == "NEW_AND_OLD_IMAGES");
  CHECK(tf["tags"] == json{{"DataClass", "phi"}});
}

TEST_CASE("Each stream view type and key attribute type is spelled as DynamoDB spells it", "[dynamodb]") {
  const std::vector<std::pair<dynamodb::StreamViewType, std::string>> streams = {
      {dynamodb::StreamViewType::KeysOnly, "KEYS_ONLY"},
      {dynamodb::StreamViewType::NewImage, "NEW_IMAGE"},
      {dynamodb::StreamViewType::OldImage, "OLD_IMAGE"},
      {dynamodb::StreamViewType::NewAndOldImages, "NEW_AND_OLD_IMAGES"}};
  for (const auto& [view, name] : streams) {
    Fixture f;
    f.table({.partition_key = {"blob", dynamodb::AttributeType::Binary}, .stream = view});
    CHECK(f.cfn()["Properties"]["StreamSpecification"]["StreamViewType"] == name);
    CHECK(f.cfn()["Properties"]["AttributeDefinitions"][0]["AttributeType"] == "B");
    CHECK(f.tf()["stream_view_type"] == name);
  }
}

TEST_CASE("Provisioned capacity is ProvisionedThroughput in CloudFormation and two arguments in Terraform",
          "[dynamodb]") {
  Fixture f;
  f.table({.billing_mode = dynamodb::BillingMode::Provisioned, .read_capacity_units = 5, .write_capacity_units = 2});
  CHECK(f.cfn()["Properties"]["BillingMode"] == "PROVISIONED");
  CHECK(f.cfn()["Properties"]["ProvisionedThroughput"] == json{{"ReadCapacityUnits", 5}, {"WriteCapacityUnits", 2}});
  CHECK(f.tf()["billing_mode"] == "PROVISIONED");
  CHECK(f.tf()["read_capacity"] == 5);
  CHECK(f.tf()["write_capacity"] == 2);
}

TEST_CASE("Insecure choices are explicit and written out, so that a diff shows them", "[dynamodb]") {
  Fixture f;
  f.table(
      {.encryption = dynamodb::Encryption::AwsOwnedKey, .point_in_time_recovery = false, .deletion_protection = false});
  const json cfn = f.cfn()["Properties"];
  CHECK(cfn["SSESpecification"] == json{{"SSEEnabled", false}});
  CHECK(cfn["PointInTimeRecoverySpecification"] == json{{"PointInTimeRecoveryEnabled", false}});
  CHECK(cfn["DeletionProtectionEnabled"] == false);
  const json tf = f.tf();
  CHECK(tf["server_side_encryption"] == json{{"enabled", false}});
  // Terraform keeps the current setting of an omitted block: off must be written.
  CHECK(tf["point_in_time_recovery"] == json{{"enabled", false}});
  CHECK(tf["deletion_protection_enabled"] == false);
}

TEST_CASE("A table removed with RemovalPolicy::Delete is deleted with the stack", "[dynamodb]") {
  Fixture f;
  f.table().set_removal_policy(RemovalPolicy::Delete);
  CHECK(f.cfn()["DeletionPolicy"] == "Delete");
  CHECK_FALSE(f.tf().contains("lifecycle"));
}

TEST_CASE("A table's accessors name its name, ARN and stream ARN in each target", "[dynamodb]") {
  Fixture f;
  auto& table = f.table({.stream = dynamodb::StreamViewType::KeysOnly});
  f.stack.add_output({.name = "TableName", .value = table.table_name()});
  f.stack.add_output({.name = "TableArn", .value = table.arn()});
  f.stack.add_output({.name = "StreamArn", .value = table.stream_arn()});
  const json cfn = test::cfn(f.app)["Outputs"];
  CHECK(cfn["TableName"]["Value"] == json{{"Ref", "Table"}});
  CHECK(cfn["TableArn"]["Value"] == json{{"Fn::GetAtt", {"Table", "Arn"}}});
  CHECK(cfn["StreamArn"]["Value"] == json{{"Fn::GetAtt", {"Table", "StreamArn"}}});
  const json tf = test::tf(f.app)["output"];
  CHECK(tf["table_name"]["value"] == "${aws_dynamodb_table.table.name}");
  CHECK(tf["table_arn"]["value"] == "${aws_dynamodb_table.table.arn}");
  CHECK(tf["stream_arn"]["value"] == "${aws_dynamodb_table.table.stream_arn}");
}

TEST_CASE("A table's names, keys, capacity, key and removal policy are checked", "[dynamodb]") {
  SECTION("name and keys") {
    App app;
    auto& stack = app.add_stack("S");
    stack.add<dynamodb::Table>("Table", {});
    stack.add<dynamodb::Table>("Short", {.table_name = "ab",
                                         .partition_key = {std::string(256, 'k')},
                                         .sort_key = {{""}},
                                         .encryption = dynamodb::Encryption::AwsOwnedKey,
                                         .ttl_attribute = std::string(256, 't')});
    stack.add<dynamodb::Table>("Odd", {.table_name = "visits/2024",
                                       .partition_key = {"id"},
                                       .sort_key = {{"id", dynamodb::AttributeType::Number}},
                                       .encryption = dynamodb::Encryption::AwsOwnedKey});
    CHECK(test::problems(app) ==
          std::vector<std::string>{
              "HS2001 S/Table: required property 'table_name' is not set",
              "HS2001 S/Table: required property 'partition_key.name' is not set",
              "HS2001 S/Table: required property 'kms_key' is not set",
              "HS2003 S/Short: 'table_name' value 'ab' has 2 characters; AWS accepts 3 to 255",
              "HS2003 S/Short: 'partition_key.name' value '" + std::string(256, 'k') +
                  "' has 256 characters; AWS accepts 1 to 255",
              "HS2001 S/Short: required property 'sort_key.name' is not set",
              "HS2003 S/Short: 'ttl_attribute' value '" + std::string(256, 't') +
                  "' has 256 characters; AWS accepts 1 to 255",
              "HS2003 S/Odd: 'table_name' value 'visits/2024' contains '/'; AWS accepts only A-Z a-z 0-9 _.-",
              "HS2004 S/Odd: 'sort_key' 'id' is also the partition key; a key needs two attributes",
          });
  }
  SECTION("capacity") {
    Fixture f;
    f.table({.billing_mode = dynamodb::BillingMode::Provisioned, .read_capacity_units = 0});
    f.stack.add<dynamodb::Table>(
        "OnDemand", {.table_name = "table2", .partition_key = {"id"}, .write_capacity_units = 50000, .kms_key = f.key});
    f.stack.add<dynamodb::Table>("Huge", {.table_name = "table3",
                                          .partition_key = {"id"},
                                          .billing_mode = dynamodb::BillingMode::Provisioned,
                                          .read_capacity_units = 40000,
                                          .write_capacity_units = 40001,
                                          .kms_key = f.key});
    CHECK(test::problems(f.app) ==
          std::vector<std::string>{
              "HS2004 S/Table: 'read_capacity_units' is 0; AWS accepts 1 to 40000",
              "HS2001 S/Table: billing_mode Provisioned needs 'write_capacity_units'",
              "HS2004 S/OnDemand: 'write_capacity_units' is set, but billing_mode is OnDemand, which has no "
              "provisioned capacity",
              "HS2004 S/Huge: 'write_capacity_units' is 40001; AWS accepts 1 to 40000",
          });
  }
  SECTION("key and removal policy") {
    Fixture f;
    f.table({.encryption = dynamodb::Encryption::AwsOwnedKey, .kms_key = f.key})
        .set_removal_policy(RemovalPolicy::Snapshot);
    CHECK(test::problems(f.app) ==
          std::vector<std::string>{
              "HS2004 S/Table: 'kms_key' is set, but encryption is AwsOwnedKey; use CustomerManagedKey to encrypt "
              "with it",
              "HS2004 S/Table: removal policy Snapshot is not supported by DynamoDB tables; use Retain or Delete",
          });
  }
}

TEST_CASE("Table rules flag point-in-time recovery, the key, deletion protection and provisioned capacity",
          "[dynamodb][rules]") {
  SECTION("the defaults pass") {
    Fixture f;
    f.table();
    for (const auto* rule : {"HIPAA-DYNAMODB-2", "HIPAA-DYNAMODB-3", "HIPAA-DYNAMODB-4", "HIPAA-DYNAMODB-5"}) {
      INFO(rule);
      CHECK(findings(f.app, rule).empty());
    }
  }
  SECTION("each opt-out is flagged") {
    Fixture f;
    f.table({.billing_mode = dynamodb::BillingMode::Provisioned,
             .read_capacity_units = 5,
             .write_capacity_units = 5,
             .encryption = dynamodb::Encryption::AwsOwnedKey,
             .point_in_time_recovery = false,
             .deletion_protection = false});
    CHECK(findings(f.app, "HIPAA-DYNAMODB-2") == std::vector<std::string>{"S/Table: point-in-time recovery is off"});
    CHECK(findings(f.app, "HIPAA-DYNAMODB-3") ==
          std::vector<std::string>{"S/Table: encrypted with a key DynamoDB owns, not a customer managed key"});
    CHECK(findings(f.app, "HIPAA-DYNAMODB-4") == std::vector<std::string>{"S/Table: deletion protection is off"});
    CHECK(findings(f.app, "HIPAA-DYNAMODB-5") ==
          std::vector<std::string>{
              "S/Table: provisioned capacity without auto scaling: requests beyond it are throttled"});
  }
  SECTION("a missing key is flagged even before validation") {
    App app;
    app.add_stack("S").add<dynamodb::Table>("Table", {.table_name = "t", .partition_key = {"id"}});
    CHECK(findings(app, "HIPAA-DYNAMODB-3") == std::vector<std::string>{"S/Table: no customer managed key is set"});
  }
}
