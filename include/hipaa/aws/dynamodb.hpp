// hipaa/aws/dynamodb.hpp: DynamoDB tables encrypted with your KMS key, with point-in-time
// recovery and deletion protection on, kept when removed from the stack.
//
//   auto& table = stack.add<dynamodb::Table>("Visits", {.table_name = "visits", .partition_key = {"patient_id"},
//       .sort_key = {{"visit_at", dynamodb::AttributeType::Number}}, .kms_key = key});
//   Value arn = table.arn();
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "hipaa/aws/kms.hpp"

namespace hipaa::dynamodb {

// The scalar types a key attribute may have: S, N or B.
enum class AttributeType { String, Number, Binary };

// A key attribute, `{"patient_id"}` or `{"visit_at", AttributeType::Number}`; the table's attribute
// definitions follow from its keys. (A constructor rather than a plain aggregate: g++ 12 warns,
// wrongly, of an uninitialized string when a nested aggregate is brace-initialized in TableProps.)
struct KeyAttribute {
  KeyAttribute() = default;
  KeyAttribute(std::string attribute_name, AttributeType attribute_type = AttributeType::String)
      : name(std::move(attribute_name)), type(attribute_type) {}
  std::string name;  // 1-255 characters
  AttributeType type = AttributeType::String;
};

enum class BillingMode {
  OnDemand,     // PAY_PER_REQUEST: no capacity to plan, never throttled by a provisioned limit
  Provisioned,  // PROVISIONED: read and write capacity units required
};

// Who holds the key that encrypts the table. DynamoDB always encrypts at rest; only a customer
// managed key gives a key policy you control and key use recorded in CloudTrail.
enum class Encryption {
  CustomerManagedKey,  // `kms_key` (required)
  AwsOwnedKey,         // an explicit opt-out: the key belongs to DynamoDB, not to your account
};

// What a change record in the table's stream holds.
enum class StreamViewType { KeysOnly, NewImage, OldImage, NewAndOldImages };

struct TableProps {
  Value table_name;  // required: 3-255 characters from A-Z a-z 0-9 _.-
  KeyAttribute partition_key;
  std::optional<KeyAttribute> sort_key;
  BillingMode billing_mode = BillingMode::OnDemand;
  // Required with BillingMode::Provisioned, rejected with OnDemand: 1 to 40000 (the default
  // per-table quota).
  std::optional<int> read_capacity_units;
  std::optional<int> write_capacity_units;
  Encryption encryption = Encryption::CustomerManagedKey;
  Ref<kms::Key> kms_key;
  // Restore to any second of the last 35 days; required by HIPAA-DYNAMODB-2.
  bool point_in_time_recovery = true;
  bool deletion_protection = true;
  std::string ttl_attribute;  // items expire at the epoch seconds this Number attribute holds
  std::optional<StreamViewType> stream;
  Tags tags;
};

class Table final : public Node<Table, TableProps> {
 public:
  static constexpr NodeInfo kInfo{
      .name = "dynamodb::Table",
      .summary =
          "A DynamoDB table encrypted with a customer managed key, with point-in-time recovery and deletion "
          "protection (kept when removed from the stack)",
      .tagging = Tagging::KeyValueList,
      .holds_data = true,
      .types = {cloudformation_type("AWS::DynamoDB::Table", "ImportSourceSpecification KeySchema TableName"),
                terraform_type("aws_dynamodb_table",
                               "hash_key import_table local_secondary_index name range_key restore_date_time "
                               "restore_source_name restore_source_table_arn restore_to_latest_time")}};
  [[nodiscard]] Value table_name() const { return attribute({"", "name"}); }
  [[nodiscard]] Value arn() const { return attribute({"Arn", "arn"}); }
  // Only when `stream` is set.
  [[nodiscard]] Value stream_arn() const { return attribute({"StreamArn", "stream_arn"}); }
  // Grants (iam.hpp), on this table's ARN:
  //   grant_read_data:       dynamodb:BatchGetItem, dynamodb:ConditionCheckItem, dynamodb:DescribeTable,
  //                          dynamodb:GetItem, dynamodb:Query, dynamodb:Scan (sid ReadDataIn<Table>);
  //                          with a customer managed key, kms:Decrypt on it (sid DecryptWith<Key>)
  //   grant_read_write_data: those and dynamodb:BatchWriteItem, dynamodb:DeleteItem, dynamodb:PutItem,
  //                          dynamodb:UpdateItem (sid ReadWriteDataIn<Table>); with a customer managed
  //                          key, kms:Decrypt and kms:GenerateDataKey (sid EncryptWith<Key>)
  // A table with an AWS owned key needs no key permission.
  void grant_read_data(const iam::Grantee& grantee) const;
  void grant_read_write_data(const iam::Grantee& grantee) const;
  void lower(Lowering& l) const override;
  void validate(Diagnostics& out) const override;
};

}  // namespace hipaa::dynamodb
