#include "hipaa/aws/dynamodb.hpp"

#include <algorithm>

#include "aws/grants.hpp"
#include "validate/checks.hpp"

namespace hipaa::dynamodb {
namespace {

std::string_view attribute_type(AttributeType type) {
  switch (type) {
    case AttributeType::String: return "S";
    case AttributeType::Number: return "N";
    case AttributeType::Binary: return "B";
  }
  return "S";
}

std::string_view stream_view_type(StreamViewType type) {
  switch (type) {
    case StreamViewType::KeysOnly: return "KEYS_ONLY";
    case StreamViewType::NewImage: return "NEW_IMAGE";
    case StreamViewType::OldImage: return "OLD_IMAGE";
    case StreamViewType::NewAndOldImages: return "NEW_AND_OLD_IMAGES";
  }
  return "NEW_AND_OLD_IMAGES";
}

constexpr int kMaxCapacityUnits = 40000;  // the default per-table quota for reads and for writes

}  // namespace

void Table::lower(Lowering& l) const {
  const auto& p = props();
  auto& table = l.add(*this);
  // Data outlives its stack: the table is kept unless the user opts into Delete.
  table.removal_policy(removal_policy().value_or(RemovalPolicy::Retain));
  const bool provisioned = p.billing_mode == BillingMode::Provisioned;
  table.properties()
      .set({"TableName", "name"}, p.table_name)
      .set({"BillingMode", "billing_mode"}, provisioned ? "PROVISIONED" : "PAY_PER_REQUEST");

  // The attribute definitions are exactly the key attributes (DynamoDB rejects unused ones).
  std::vector<Properties> attributes;
  std::vector<Properties> key_schema;
  auto add_key = [&](const KeyAttribute& key, std::string_view key_type) {
    Properties attribute = l.object();
    attribute.set({"AttributeName", "name"}, key.name).set({"AttributeType", "type"}, attribute_type(key.type));
    attributes.push_back(std::move(attribute));
    Properties element = l.object();
    element.set({"AttributeName", {}}, key.name).set({"KeyType", {}}, key_type);
    key_schema.push_back(std::move(element));
  };
  add_key(p.partition_key, "HASH");
  if (p.sort_key) add_key(*p.sort_key, "RANGE");
  table.properties()
      .set({"AttributeDefinitions", "attribute"}, std::move(attributes))
      .set({"KeySchema", {}}, std::move(key_schema))
      .set({{}, "hash_key"}, p.partition_key.name)
      .set({{}, "range_key"}, p.sort_key ? Value(p.sort_key->name) : Value());

  if (provisioned) {
    if (l.is_cloudformation()) {
      Properties throughput = l.object();
      throughput.set({"ReadCapacityUnits", {}}, p.read_capacity_units)
          .set({"WriteCapacityUnits", {}}, p.write_capacity_units);
      table.properties().set({"ProvisionedThroughput", {}}, std::move(throughput));
    } else {
      table.properties()
          .set({{}, "read_capacity"}, p.read_capacity_units)
          .set({{}, "write_capacity"}, p.write_capacity_units);
    }
  }

  // Written out in both cases, so that a change from one key to the other shows in a diff.
  const bool customer_key = p.encryption == Encryption::CustomerManagedKey;
  Properties encryption = l.object();
  encryption.set({"SSEEnabled", "enabled"}, customer_key);
  if (customer_key) {
    encryption.set({"SSEType", {}}, "KMS")
        .set({"KMSMasterKeyId", "kms_key_arn"}, p.kms_key ? p.kms_key->arn() : Value());
  }
  table.properties().set({"SSESpecification", "server_side_encryption"}, std::move(encryption));

  // Written out when off too: Terraform keeps the current setting of an omitted block.
  Properties recovery = l.object();
  recovery.set({"PointInTimeRecoveryEnabled", "enabled"}, p.point_in_time_recovery);
  table.properties()
      .set({"PointInTimeRecoverySpecification", "point_in_time_recovery"}, std::move(recovery))
      .set({"DeletionProtectionEnabled", "deletion_protection_enabled"}, p.deletion_protection);

  if (!p.ttl_attribute.empty()) {
    Properties ttl = l.object();
    ttl.set({"AttributeName", "attribute_name"}, p.ttl_attribute).set({"Enabled", "enabled"}, true);
    table.properties().set({"TimeToLiveSpecification", "ttl"}, std::move(ttl));
  }
  if (p.stream) {
    if (l.is_cloudformation()) {
      Properties stream = l.object();
      stream.set({"StreamViewType", {}}, stream_view_type(*p.stream));
      table.properties().set({"StreamSpecification", {}}, std::move(stream));
    } else {
      table.properties().terraform("stream_enabled", true).terraform("stream_view_type", stream_view_type(*p.stream));
    }
  }
  table.tags(p.tags);
}

void Table::validate(Diagnostics& out) const {
  const auto& p = props();
  detail::Checker check(*this, out);
  check.required(p.table_name, "table_name");
  check.name(
      p.table_name, "table_name", 255, [](char c) { return detail::is_alnum_dash(c) || c == '_' || c == '.'; },
      "A-Z a-z 0-9 _.-", 3);

  // Attribute names may hold any character; only their length is limited.
  const auto any = [](char) { return true; };
  auto key_name = [&](const std::string& name, std::string_view property) {
    if (name.empty()) {
      check.required(name, property);
    } else {
      check.name(name, property, 255, any, "any character");
    }
  };
  key_name(p.partition_key.name, "partition_key.name");
  if (p.sort_key) {
    key_name(p.sort_key->name, "sort_key.name");
    if (!p.sort_key->name.empty() && p.sort_key->name == p.partition_key.name) {
      check.error("HS2004",
                  "'sort_key' '" + p.sort_key->name + "' is also the partition key; a key needs two attributes");
    }
  }
  if (!p.ttl_attribute.empty()) check.name(p.ttl_attribute, "ttl_attribute", 255, any, "any character");

  const bool provisioned = p.billing_mode == BillingMode::Provisioned;
  for (const auto& [units, property] : {std::pair{&p.read_capacity_units, "read_capacity_units"},
                                        std::pair{&p.write_capacity_units, "write_capacity_units"}}) {
    if (provisioned && !*units) {
      check.error("HS2001", std::string("billing_mode Provisioned needs '") + property + "'");
    } else if (provisioned) {
      check.range(**units, property, 1, kMaxCapacityUnits);
    } else if (*units) {
      check.error("HS2004", std::string("'") + property +
                                "' is set, but billing_mode is OnDemand, which has no provisioned capacity");
    }
  }

  if (p.encryption == Encryption::CustomerManagedKey) {
    check.required(p.kms_key, "kms_key");
  } else if (p.kms_key) {
    check.error("HS2004", "'kms_key' is set, but encryption is AwsOwnedKey; use CustomerManagedKey to encrypt with it");
  }
  if (removal_policy() == RemovalPolicy::Snapshot) {
    check.error("HS2004", "removal policy Snapshot is not supported by DynamoDB tables; use Retain or Delete");
  }
}

namespace {

const std::vector<std::string>& read_actions() {
  static const std::vector<std::string> actions{"dynamodb:BatchGetItem",  "dynamodb:ConditionCheckItem",
                                                "dynamodb:DescribeTable", "dynamodb:GetItem",
                                                "dynamodb:Query",         "dynamodb:Scan"};
  return actions;
}

const kms::Key* customer_managed_key(const TableProps& p) {
  return p.encryption == Encryption::CustomerManagedKey ? p.kms_key.get() : nullptr;
}

}  // namespace

void Table::grant_read_data(const iam::Grantee& grantee) const {
  detail::grant(grantee, path() + " grant_read_data",
                iam::allow(read_actions()).id("ReadDataIn" + logical_id()).on(arn()), customer_managed_key(props()),
                detail::KeyUse::Decrypt);
}

void Table::grant_read_write_data(const iam::Grantee& grantee) const {
  std::vector<std::string> actions = read_actions();
  for (const char* write :
       {"dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}) {
    actions.emplace_back(write);
  }
  std::ranges::sort(actions);
  detail::grant(grantee, path() + " grant_read_write_data",
                iam::allow(std::move(actions)).id("ReadWriteDataIn" + logical_id()).on(arn()),
                customer_managed_key(props()), detail::KeyUse::Encrypt);
}

}  // namespace hipaa::dynamodb
