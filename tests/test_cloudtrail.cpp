// CloudTrail trails: both targets' output, the bucket policy the trail writes, the CloudWatch Logs
// delivery role, data events, the key policy CloudTrail needs, validation messages and the rules.
#include <catch2/catch.hpp>

#include "hipaa/aws/cloudtrail.hpp"
#include "hipaa/diff.hpp"
#include "hipaa/rules.hpp"
#include "rules/rule_support.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

struct Fixture {
  App app;
  Stack& stack = app.add_stack("S");
  kms::Key& key = stack.add<kms::Key>("Key", {.description = "k", .allow_cloudtrail = true});
  s3::Bucket& bucket = stack.add<s3::Bucket>("Bucket", {.kms_key = key});
};

const std::string kTrailArn = "arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/";

std::vector<std::string> rule_findings(const App& app, std::string_view prefix) {
  std::vector<std::string> out;
  for (const auto& f : rules::check(app).findings) {
    if (f.rule->id.starts_with(prefix)) out.push_back(std::string(f.rule->id) + " " + f.path + ": " + f.message);
  }
  return out;
}

}  // namespace

TEST_CASE("A trail is multi-region, KMS-encrypted, validated and logging, after the bucket policy it writes",
          "[cloudtrail]") {
  Fixture f;
  f.stack.add<cloudtrail::Trail>("Trail", {.bucket = f.bucket, .kms_key = f.key});
  const json cfn = test::cfn(f.app)["Resources"];
  CHECK(cfn["Trail"] == json{{"Type", "AWS::CloudTrail::Trail"},
                             {"DependsOn", "TrailBucketPolicy"},
                             {"Properties",
                              {{"TrailName", "Trail"},
                               {"S3BucketName", {{"Ref", "Bucket"}}},
                               {"KMSKeyId", {{"Fn::GetAtt", {"Key", "Arn"}}}},
                               {"IsMultiRegionTrail", true},
                               {"IncludeGlobalServiceEvents", true},
                               {"EnableLogFileValidation", true},
                               {"IsLogging", true}}}});
  // The trail writes the bucket's policy: the bucket's TLS deny, then CloudTrail's statements for
  // this trail only (named by an ARN built from its name: the trail depends on the policy).
  CHECK_FALSE(cfn.contains("BucketPolicy"));
  const json source = {{"Fn::Sub", kTrailArn + "Trail"}};
  CHECK(cfn["TrailBucketPolicy"]["Properties"]["Bucket"] == json{{"Ref", "Bucket"}});
  const json statements = cfn["TrailBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"];
  REQUIRE(statements.size() == 3);
  CHECK(statements[0]["Sid"] == "DenyInsecureTransport");
  CHECK(statements[1] == json{{"Sid", "AWSCloudTrailAclCheck"},
                              {"Effect", "Allow"},
                              {"Principal", {{"Service", "cloudtrail.amazonaws.com"}}},
                              {"Action", "s3:GetBucketAcl"},
                              {"Resource", {{"Fn::GetAtt", {"Bucket", "Arn"}}}},
                              {"Condition", {{"StringEquals", {{"aws:SourceArn", source}}}}}});
  CHECK(statements[2] ==
        json{{"Sid", "AWSCloudTrailWrite"},
             {"Effect", "Allow"},
             {"Principal", {{"Service", "cloudtrail.amazonaws.com"}}},
             {"Action", "s3:PutObject"},
             {"Resource", {{"Fn::Sub", "${Bucket.Arn}/AWSLogs/${AWS::AccountId}/*"}}},
             {"Condition",
              {{"StringEquals", {{"s3:x-amz-acl", "bucket-owner-full-control"}, {"aws:SourceArn", source}}}}}});

  const json tf = test::tf(f.app)["resource"];
  CHECK(tf["aws_cloudtrail"]["trail"] == json{{"name", "Trail"},
                                              {"s3_bucket_name", "${aws_s3_bucket.bucket.bucket}"},
                                              {"kms_key_id", "${aws_kms_key.key.arn}"},
                                              {"is_multi_region_trail", true},
                                              {"include_global_service_events", true},
                                              {"enable_log_file_validation", true},
                                              {"enable_logging", true},
                                              {"depends_on", {"aws_s3_bucket_policy.trail_bucket_policy"}}});
  CHECK(tf["aws_s3_bucket_policy"] ==
        json{{"trail_bucket_policy",
              {{"bucket", "${aws_s3_bucket.bucket.bucket}"},
               {"policy", "${data.aws_iam_policy_document.trail_bucket_policy.json}"},
               {"depends_on", {"aws_s3_bucket_public_access_block.bucket_public_access_block"}}}}});
}

TEST_CASE("A trail's key prefix scopes CloudTrail's write statement", "[cloudtrail]") {
  Fixture f;
  f.stack.add<cloudtrail::Trail>("Trail",
                                 {.trail_name = "audit", .bucket = f.bucket, .s3_key_prefix = "org", .kms_key = f.key});
  const json p = test::cfn(f.app)["Resources"]["TrailBucketPolicy"]["Properties"]["PolicyDocument"];
  CHECK(p["Statement"][2]["Resource"] == json{{"Fn::Sub", "${Bucket.Arn}/org/AWSLogs/${AWS::AccountId}/*"}});
  CHECK(p["Statement"][2]["Condition"]["StringEquals"]["aws:SourceArn"] == json{{"Fn::Sub", kTrailArn + "audit"}});
  CHECK(test::tf(f.app)["resource"]["aws_cloudtrail"]["trail"]["s3_key_prefix"] == "org");
}

TEST_CASE("A trail delivering to CloudWatch Logs creates its role with a managed policy, never an inline one",
          "[cloudtrail]") {
  Fixture f;
  auto& group = f.stack.add<logs::LogGroup>("TrailLogs", {.log_group_name = "/audit/trail"});
  f.stack.add<cloudtrail::Trail>("Trail", {.bucket = f.bucket, .kms_key = f.key, .cloudwatch_log_group = group});
  const json cfn = test::cfn(f.app)["Resources"];
  CHECK(cfn["Trail"]["Properties"]["CloudWatchLogsLogGroupArn"] == json{{"Fn::GetAtt", {"TrailLogs", "Arn"}}});
  CHECK(cfn["Trail"]["Properties"]["CloudWatchLogsRoleArn"] == json{{"Fn::GetAtt", {"TrailLogsRole", "Arn"}}});
  CHECK(cfn["TrailLogsPolicy"] == json{{"Type", "AWS::IAM::ManagedPolicy"},
                                       {"Properties",
                                        {{"PolicyDocument",
                                          {{"Version", "2012-10-17"},
                                           {"Statement",
                                            {{{"Sid", "DeliverToLogStreams"},
                                              {"Effect", "Allow"},
                                              {"Action", {"logs:CreateLogStream", "logs:PutLogEvents"}},
                                              {"Resource",
                                               {{"Fn::Sub",
                                                 "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-"
                                                 "group:${TrailLogs}:log-stream:*"}}}}}}}}}}});
  CHECK(cfn["TrailLogsRole"] ==
        json{{"Type", "AWS::IAM::Role"},
             {"Properties",
              {{"AssumeRolePolicyDocument",
                {{"Version", "2012-10-17"},
                 {"Statement",
                  {{{"Effect", "Allow"},
                    {"Principal", {{"Service", "cloudtrail.amazonaws.com"}}},
                    {"Action", "sts:AssumeRole"},
                    {"Condition", {{"StringEquals", {{"aws:SourceArn", {{"Fn::Sub", kTrailArn + "Trail"}}}}}}}}}}}},
               {"ManagedPolicyArns", {{{"Ref", "TrailLogsPolicy"}}}}}}});

  const json tf = test::tf(f.app);
  const json& r = tf["resource"];
  // Terraform's log group ARN lacks the ":*" CloudTrail wants.
  CHECK(r["aws_cloudtrail"]["trail"]["cloud_watch_logs_group_arn"] == "${aws_cloudwatch_log_group.trail_logs.arn}:*");
  CHECK(r["aws_cloudtrail"]["trail"]["cloud_watch_logs_role_arn"] == "${aws_iam_role.trail_logs_role.arn}");
  CHECK(
      r["aws_cloudtrail"]["trail"]["depends_on"] ==
      json{"aws_iam_role_policy_attachment.trail_logs_policy_attachment", "aws_s3_bucket_policy.trail_bucket_policy"});
  CHECK(r["aws_iam_policy"]["trail_logs_policy"] ==
        json{{"policy", "${data.aws_iam_policy_document.trail_logs_policy.json}"}});
  CHECK(r["aws_iam_role"]["trail_logs_role"] ==
        json{{"assume_role_policy", "${data.aws_iam_policy_document.trail_logs_role_trust.json}"}});
  CHECK(r["aws_iam_role_policy_attachment"]["trail_logs_policy_attachment"] ==
        json{{"role", "${aws_iam_role.trail_logs_role.name}"},
             {"policy_arn", "${aws_iam_policy.trail_logs_policy.arn}"}});
  CHECK_FALSE(r.contains("aws_iam_role_policy"));
}

TEST_CASE("Data events are advanced event selectors beside all management events", "[cloudtrail]") {
  Fixture f;
  auto& data = f.stack.add<s3::Bucket>("Data", {.kms_key = f.key});
  auto& role = f.stack.add<iam::Role>("Role", {.assume_role_policy = iam::assumed_by("lambda.amazonaws.com")});
  auto& fn = f.stack.add<lambda::Function>("Fn", {.code = lambda::Code::inline_source("index.js", "x"), .role = role});
  f.stack.add<cloudtrail::Trail>(
      "Some", {.bucket = f.bucket,
               .kms_key = f.key,
               .data_events = {
                   .s3_buckets = {data}, .lambda_functions = {fn}, .read_write = cloudtrail::ReadWrite::WriteOnly}});
  const json some = test::cfn(f.app)["Resources"]["Some"]["Properties"]["AdvancedEventSelectors"];
  CHECK(some == json{{{"Name", "Management events"},
                      {"FieldSelectors", {{{"Field", "eventCategory"}, {"Equals", {"Management"}}}}}},
                     {{"Name", "S3 data events"},
                      {"FieldSelectors",
                       {{{"Field", "eventCategory"}, {"Equals", {"Data"}}},
                        {{"Field", "resources.type"}, {"Equals", {"AWS::S3::Object"}}},
                        {{"Field", "resources.ARN"}, {"StartsWith", {{{"Fn::Sub", "${Data.Arn}/"}}}}},
                        {{"Field", "readOnly"}, {"Equals", {"false"}}}}}},
                     {{"Name", "Lambda data events"},
                      {"FieldSelectors",
                       {{{"Field", "eventCategory"}, {"Equals", {"Data"}}},
                        {{"Field", "resources.type"}, {"Equals", {"AWS::Lambda::Function"}}},
                        {{"Field", "resources.ARN"}, {"Equals", {{{"Fn::GetAtt", {"Fn", "Arn"}}}}}},
                        {{"Field", "readOnly"}, {"Equals", {"false"}}}}}}});

  // Every bucket but the trail's own (whose data events would log the trail's deliveries).
  App app;
  Stack& stack = app.add_stack("S");
  auto& key = stack.add<kms::Key>("Key", {.description = "k", .allow_cloudtrail = true});
  auto& bucket = stack.add<s3::Bucket>("Bucket", {.kms_key = key});
  stack.add<cloudtrail::Trail>("All", {.bucket = bucket, .kms_key = key, .data_events = {.all_s3_buckets = true}});
  const json selectors = test::tf(app)["resource"]["aws_cloudtrail"]["all"]["advanced_event_selector"];
  REQUIRE(selectors.size() == 2);
  CHECK(selectors[1] == json{{"name", "S3 data events"},
                             {"field_selector",
                              {{{"field", "eventCategory"}, {"equals", {"Data"}}},
                               {{"field", "resources.type"}, {"equals", {"AWS::S3::Object"}}},
                               {{"field", "resources.ARN"}, {"not_starts_with", {"${aws_s3_bucket.bucket.arn}/"}}}}}});
}

TEST_CASE("A key with allow_cloudtrail lets CloudTrail encrypt and the account decrypt trail logs", "[cloudtrail]") {
  App app;
  app.add_stack("S").add<kms::Key>("Key", {.description = "k", .allow_cloudtrail = true});
  const json statements = test::cfn(app)["Resources"]["Key"]["Properties"]["KeyPolicy"]["Statement"];
  REQUIRE(statements.size() == 4);
  const json trails = {{"Fn::Sub", "arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*"}};
  CHECK(statements[1] ==
        json{{"Sid", "AllowCloudTrailEncrypt"},
             {"Effect", "Allow"},
             {"Principal", {{"Service", "cloudtrail.amazonaws.com"}}},
             {"Action", "kms:GenerateDataKey*"},
             {"Resource", "*"},
             {"Condition",
              {{"StringLike", {{"kms:EncryptionContext:aws:cloudtrail:arn", trails}, {"aws:SourceArn", trails}}}}}});
  CHECK(statements[2] == json{{"Sid", "AllowCloudTrailDescribe"},
                              {"Effect", "Allow"},
                              {"Principal", {{"Service", "cloudtrail.amazonaws.com"}}},
                              {"Action", "kms:DescribeKey"},
                              {"Resource", "*"}});
  CHECK(statements[3] ==
        json{{"Sid", "AllowAccountToDecryptTrailLogs"},
             {"Effect", "Allow"},
             {"Principal", {{"AWS", {{"Fn::Sub", "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}}}},
             {"Action", {"kms:Decrypt", "kms:ReEncryptFrom"}},
             {"Resource", "*"},
             {"Condition",
              {{"StringEquals", {{"kms:CallerAccount", {{"Ref", "AWS::AccountId"}}}}},
               {"StringLike", {{"kms:EncryptionContext:aws:cloudtrail:arn", trails}}}}}});
}

TEST_CASE("A trail needs a bucket, a valid name and a key CloudTrail may use", "[cloudtrail]") {
  App app;
  Stack& stack = app.add_stack("S");
  auto& plain_key = stack.add<kms::Key>("PlainKey", {.description = "k"});
  auto& bucket = stack.add<s3::Bucket>("Bucket", {.kms_key = plain_key});
  stack.add<cloudtrail::Trail>("A", {.trail_name = "-audit", .bucket = bucket});
  stack.add<cloudtrail::Trail>("B", {.trail_name = "my--trail", .kms_key = plain_key});
  stack.add<cloudtrail::Trail>("C", {.trail_name = "10.0.0.1", .kms_encryption = false, .kms_key = plain_key});
  stack.add<cloudtrail::Trail>("D", {.trail_name = "audit!", .kms_encryption = false});
  stack.add<cloudtrail::Trail>(
      "E", {.s3_key_prefix = std::string(201, 'p'), .kms_encryption = false, .include_global_service_events = false});
  CHECK(
      test::problems(app) ==
      std::vector<std::string>{
          "HS2003 S/A: 'trail_name' value '-audit' must start and end with a letter or digit (CloudTrail naming rules)",
          "HS2001 S/A: required property 'kms_key' is not set: log files are encrypted with a KMS key",
          "HS2001 S/B: required property 'bucket' is not set",
          "HS2003 S/B: 'trail_name' value 'my--trail' must not have adjacent '.', '_' or '-' (CloudTrail naming rules)",
          "HS2004 S/B: the policy of key S/PlainKey does not let CloudTrail use it, so the trail cannot be created",
          "HS2001 S/C: required property 'bucket' is not set",
          "HS2003 S/C: 'trail_name' value '10.0.0.1' must not be formatted as an IP address (CloudTrail naming rules)",
          "HS2004 S/C: 'kms_key' is set but kms_encryption is false",
          "HS2001 S/D: required property 'bucket' is not set",
          "HS2003 S/D: 'trail_name' value 'audit!' contains '!'; AWS accepts only letters, digits, '.', '_' and '-'",
          "HS2001 S/E: required property 'bucket' is not set",
          "HS2003 S/E: 'trail_name' value 'E' has 1 characters; AWS accepts 3 to 128",
          "HS2003 S/E: 's3_key_prefix' has 201 characters; AWS accepts 0 to 200",
          "HS2004 S/E: a multi-region trail must include global service events"});
}

TEST_CASE("A trail without its own key needs a bucket key CloudTrail may use; data events are one choice each",
          "[cloudtrail]") {
  App app;
  Stack& stack = app.add_stack("S");
  auto& plain_key = stack.add<kms::Key>("PlainKey", {.description = "k"});
  auto& bucket = stack.add<s3::Bucket>("Bucket", {.kms_key = plain_key});
  auto& other = stack.add<s3::Bucket>("Other", {.kms_key = plain_key});
  stack.add<cloudtrail::Trail>("Trail", {.bucket = bucket,
                                         .kms_encryption = false,
                                         .data_events = {.all_s3_buckets = true,
                                                         .s3_buckets = {other, bucket},
                                                         .all_lambda_functions = true,
                                                         .lambda_functions = {{}}}});
  CHECK(
      test::problems(app) ==
      std::vector<std::string>{
          "HS2004 S/Trail: log files get the default encryption of S/Bucket, whose key S/PlainKey does not let "
          "CloudTrail use it",
          "HS2004 S/Trail: 'data_events' sets both all_s3_buckets and s3_buckets",
          "HS2004 S/Trail: 'data_events' sets both all_lambda_functions and lambda_functions",
          "HS2001 S/Trail: 'data_events.lambda_functions' has an empty reference",
          "HS2004 S/Trail: 'data_events.s3_buckets' includes the trail's own bucket S/Bucket: the trail would log its "
          "own deliveries without end"});
}

TEST_CASE("A trail and an s3::BucketPolicy cannot both write one bucket's policy", "[cloudtrail]") {
  Fixture f;
  f.stack.add<cloudtrail::Trail>("Trail", {.bucket = f.bucket, .kms_key = f.key});
  f.stack.add<s3::BucketPolicy>("Policy", {.bucket = f.bucket});
  CHECK(test::problems(f.app) ==
        std::vector<std::string>{
            "HS2005 S/Policy: the resource policy of S/Bucket is written by both S/Trail and S/Policy"});
}

TEST_CASE("The CloudTrail rules flag trails without CloudWatch Logs, a key or log file validation", "[cloudtrail]") {
  Fixture f;
  auto& group = f.stack.add<logs::LogGroup>("Logs", {.log_group_name = "trail"});
  f.stack.add<cloudtrail::Trail>("Good", {.bucket = f.bucket, .kms_key = f.key, .cloudwatch_log_group = group});
  CHECK(rule_findings(f.app, "HIPAA-TRAIL").empty());

  App app;
  Stack& stack = app.add_stack("S");
  auto& key = stack.add<kms::Key>("Key", {.description = "k", .allow_cloudtrail = true});
  auto& bucket = stack.add<s3::Bucket>("Bucket", {.kms_key = key});
  stack.add<cloudtrail::Trail>("Bare",
                               {.bucket = bucket, .kms_encryption = false, .enable_log_file_validation = false});
  CHECK(rule_findings(app, "HIPAA-TRAIL") ==
        std::vector<std::string>{"HIPAA-TRAIL-1 S/Bare: the trail does not deliver to CloudWatch Logs",
                                 "HIPAA-TRAIL-2 S/Bare: log files are not encrypted with a customer managed KMS key",
                                 "HIPAA-TRAIL-3 S/Bare: log file validation is off"});
}

TEST_CASE("A stack that holds data is covered by a multi-region trail that is logging", "[cloudtrail]") {
  const rules::Rule& rule = *rules::find_rule("HIPAA-TRAIL-4");
  CHECK(rule.id == "HIPAA-TRAIL-4");
  auto findings = [&](const App& app) {
    std::vector<rules::Finding> out;
    for (const Stack* stack : app.stacks()) {
      rules::Reporter reporter(std::make_shared<const rules::Rule>(rule), out);
      rule.check(rules::Inventory(*stack), reporter);
    }
    std::vector<std::string> text;
    for (const auto& f : out) text.push_back(f.path + ": " + f.message + (f.suppressed_because ? " (suppressed)" : ""));
    return text;
  };
  App app;
  Stack& data = app.add_stack("Data");
  auto& key = data.add<kms::Key>("Key", {.description = "k", .allow_cloudtrail = true});
  auto& bucket = data.add<s3::Bucket>("Bucket", {.kms_key = key});
  app.add_stack("Network").add<ec2::Vpc>("Vpc", {.cidr_block = "10.0.0.0/16"});
  CHECK(findings(app) ==
        std::vector<std::string>{
            "Data: the stack holds data (Data/Bucket) but no multi-region CloudTrail trail that is "
            "logging records who accesses it; add a cloudtrail::Trail with a bucket and a KMS key that "
            "allows CloudTrail"});

  // A single-region or stopped trail does not cover the stack; a multi-region one in any stack of the
  // app does (one trail records the account).
  data.add<cloudtrail::Trail>("Single", {.bucket = bucket, .kms_key = key, .is_multi_region = false});
  CHECK(findings(app).size() == 1);
  Stack& audit = app.add_stack("Audit");
  auto& audit_key = audit.add<kms::Key>("Key", {.description = "k", .allow_cloudtrail = true});
  auto& audit_bucket = audit.add<s3::Bucket>("Bucket", {.kms_key = audit_key});
  audit.add<cloudtrail::Trail>("Stopped", {.bucket = audit_bucket, .kms_key = audit_key, .is_logging = false});
  CHECK(findings(app).size() == 2);  // Data, and Audit's own bucket
  App covered;
  Stack& s = covered.add_stack("S");
  auto& k = s.add<kms::Key>("Key", {.description = "k", .allow_cloudtrail = true});
  s.add<cloudtrail::Trail>("Trail", {.bucket = s.add<s3::Bucket>("Bucket", {.kms_key = k}), .kms_key = k});
  CHECK(findings(covered).empty());

  data.suppress("HIPAA-TRAIL-4", "the organization trail in the audit account covers this account");
  CHECK(findings(app).front().ends_with("(suppressed)"));
}

namespace {

// The template of an app with a bucket and a trail, secure or weakened.
std::string audit_template(bool weakened, Target target) {
  App app;
  Stack& stack = app.add_stack("S");
  auto& key = stack.add<kms::Key>("Key", {.description = "k", .allow_cloudwatch_logs = true, .allow_cloudtrail = true});
  auto& logs = stack.add<s3::Bucket>("Logs", {.encryption = s3::Encryption::S3Managed});
  auto& role = stack.add<iam::Role>("Replicator", {.assume_role_policy = iam::assumed_by("s3.amazonaws.com")});
  s3::BucketProps data{.kms_key = key};
  if (!weakened) {
    data.access_logs = s3::AccessLogs{.bucket = logs};
    data.object_lock = s3::ObjectLock{.days = 30};
    data.replication = s3::Replication{.destination_bucket_arn = "arn:aws:s3:::replica",
                                       .replica_kms_key_arn = "arn:aws:kms:us-west-2:1:key/k",
                                       .role = role};
  } else {
    data.versioned = false;
  }
  auto& bucket = stack.add<s3::Bucket>("Data", data);
  auto& group = stack.add<logs::LogGroup>("TrailLogs", {.log_group_name = "trail", .kms_key = key});
  cloudtrail::TrailProps trail{.bucket = bucket, .kms_key = key, .data_events = {.all_s3_buckets = true}};
  if (weakened) {
    trail.kms_encryption = false;
    trail.kms_key = {};
    trail.is_multi_region = false;
    trail.data_events = {};
  } else {
    trail.cloudwatch_log_group = group;
  }
  stack.add<cloudtrail::Trail>("Trail", trail);
  const auto result = synthesize(app, {.target = target, .format = Format::Json, .allow_noncompliant = true});
  REQUIRE(result.ok());
  return result.files.front().contents;
}

std::vector<std::string> weakening(Target target) {
  LoadedDocument before;
  LoadedDocument after;
  REQUIRE(load_document(audit_template(false, target), "before.json", before).empty());
  REQUIRE(load_document(audit_template(true, target), "after.json", after).empty());
  std::vector<std::string> out;
  for (const auto& f : diff(before, after).security) {
    if (f.weakens && f.category != "IAM" && f.category != "Data loss") {
      out.push_back(f.category + " " + f.resource + " " + f.detail);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("diff reports a weakened bucket or trail in its security section", "[cloudtrail]") {
  CHECK(weakening(Target::CloudFormation) ==
        std::vector<std::string>{
            "Encryption Trail customer-managed KMS key removed", "Logging Data access logging removed",
            "Logging Trail data event selectors removed", "Logging Trail CloudWatch Logs delivery removed",
            "Logging Trail trail limited to one region", "Deletion protection Data object lock retention removed",
            "Deletion protection Data bucket versioning removed", "Backup retention Data replication removed"});
  CHECK(
      weakening(Target::Terraform) ==
      std::vector<std::string>{"Encryption aws_cloudtrail.trail customer-managed KMS key removed",
                               "Logging aws_cloudtrail.trail data event selectors removed",
                               "Logging aws_cloudtrail.trail CloudWatch Logs delivery removed",
                               "Logging aws_cloudtrail.trail trail limited to one region",
                               "Logging aws_s3_bucket_logging.data_logging access logging removed",
                               "Deletion protection aws_s3_bucket_object_lock_configuration.data_object_lock object "
                               "lock retention removed",
                               "Deletion protection aws_s3_bucket_versioning.data_versioning bucket versioning removed",
                               "Backup retention aws_s3_bucket_replication_configuration.data_replication replication "
                               "removed"});
}
