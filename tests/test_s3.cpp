// S3 buckets and bucket policies: both targets' output for the secure defaults and each option,
// Terraform's configuration resources and their order, validation messages, and the S3 rules.
#include <catch2/catch.hpp>

#include "hipaa/aws/cloudtrail.hpp"
#include "hipaa/aws/s3.hpp"
#include "hipaa/rules.hpp"
#include "support.hpp"

using namespace hipaa;
using nlohmann::json;

namespace {

struct Fixture {
  App app;
  Stack& stack = app.add_stack("S");
  kms::Key& key = stack.add<kms::Key>("Key", {.description = "k"});
};

json tls_deny(const std::string& bucket) {
  return {{"Sid", "DenyInsecureTransport"},
          {"Effect", "Deny"},
          {"Principal", "*"},
          {"Action", "s3:*"},
          {"Resource", {{{"Fn::GetAtt", {bucket, "Arn"}}}, {{"Fn::Sub", "${" + bucket + ".Arn}/*"}}}},
          {"Condition", {{"Bool", {{"aws:SecureTransport", "false"}}}}}};
}

json tf_tls_deny(const std::string& bucket) {
  return {{"sid", "DenyInsecureTransport"},
          {"effect", "Deny"},
          {"actions", {"s3:*"}},
          {"resources", {"${aws_s3_bucket." + bucket + ".arn}", "${aws_s3_bucket." + bucket + ".arn}/*"}},
          {"principals", {{{"type", "*"}, {"identifiers", {"*"}}}}},
          {"condition", {{{"test", "Bool"}, {"variable", "aws:SecureTransport"}, {"values", {"false"}}}}}};
}

std::vector<std::string> rule_findings(const App& app, std::string_view prefix) {
  std::vector<std::string> out;
  for (const auto& f : rules::check(app).findings) {
    if (f.rule->id.starts_with(prefix) && !f.suppressed_because)
      out.push_back(std::string(f.rule->id) + " " + f.path + ": " + f.message);
  }
  return out;
}

}  // namespace

TEST_CASE("A bucket is SSE-KMS with a bucket key, versioned, private, TLS-only and retained by default", "[s3]") {
  Fixture f;
  f.stack.add<s3::Bucket>("Data", {.kms_key = f.key});
  const json cfn = test::cfn(f.app)["Resources"];
  CHECK(cfn["Data"] ==
        json{{"Type", "AWS::S3::Bucket"},
             {"DeletionPolicy", "Retain"},
             {"UpdateReplacePolicy", "Retain"},
             {"Properties",
              {{"BucketEncryption",
                {{"ServerSideEncryptionConfiguration",
                  {{{"ServerSideEncryptionByDefault",
                     {{"SSEAlgorithm", "aws:kms"}, {"KMSMasterKeyID", {{"Fn::GetAtt", {"Key", "Arn"}}}}}},
                    {"BucketKeyEnabled", true}}}}}},
               {"VersioningConfiguration", {{"Status", "Enabled"}}},
               {"PublicAccessBlockConfiguration",
                {{"BlockPublicAcls", true},
                 {"BlockPublicPolicy", true},
                 {"IgnorePublicAcls", true},
                 {"RestrictPublicBuckets", true}}},
               {"OwnershipControls", {{"Rules", {{{"ObjectOwnership", "BucketOwnerEnforced"}}}}}}}}});
  CHECK(cfn["DataPolicy"] ==
        json{{"Type", "AWS::S3::BucketPolicy"},
             {"Properties",
              {{"Bucket", {{"Ref", "Data"}}},
               {"PolicyDocument", {{"Version", "2012-10-17"}, {"Statement", {tls_deny("Data")}}}}}}});

  const json tf = test::tf(f.app);
  const json& r = tf["resource"];
  CHECK(r["aws_s3_bucket"]["data"] == json{{"force_destroy", false}, {"lifecycle", {{"prevent_destroy", true}}}});
  const std::string bucket = "${aws_s3_bucket.data.bucket}";
  CHECK(r["aws_s3_bucket_server_side_encryption_configuration"]["data_encryption"] ==
        json{{"bucket", bucket},
             {"rule",
              {{"apply_server_side_encryption_by_default",
                {{"sse_algorithm", "aws:kms"}, {"kms_master_key_id", "${aws_kms_key.key.arn}"}}},
               {"bucket_key_enabled", true}}}});
  CHECK(r["aws_s3_bucket_versioning"]["data_versioning"] ==
        json{{"bucket", bucket}, {"versioning_configuration", {{"status", "Enabled"}}}});
  CHECK(r["aws_s3_bucket_public_access_block"]["data_public_access_block"] == json{{"bucket", bucket},
                                                                                   {"block_public_acls", true},
                                                                                   {"block_public_policy", true},
                                                                                   {"ignore_public_acls", true},
                                                                                   {"restrict_public_buckets", true}});
  CHECK(r["aws_s3_bucket_ownership_controls"]["data_ownership_controls"] ==
        json{{"bucket", bucket}, {"rule", {{"object_ownership", "BucketOwnerEnforced"}}}});
  // The policy waits for the public access block: S3 rejects a policy put while it is being set.
  CHECK(r["aws_s3_bucket_policy"]["data_policy"] ==
        json{{"bucket", bucket},
             {"policy", "${data.aws_iam_policy_document.data_policy.json}"},
             {"depends_on", {"aws_s3_bucket_public_access_block.data_public_access_block"}}});
  CHECK(tf["data"]["aws_iam_policy_document"]["data_policy"] == json{{"statement", {tf_tls_deny("data")}}});
  for (const char* absent : {"aws_s3_bucket_logging", "aws_s3_bucket_lifecycle_configuration",
                             "aws_s3_bucket_object_lock_configuration", "aws_s3_bucket_replication_configuration"}) {
    CHECK_FALSE(r.contains(absent));
  }
}

TEST_CASE("A bucket's removal policy can be set to Delete, never Snapshot", "[s3]") {
  Fixture f;
  auto& scratch = f.stack.add<s3::Bucket>("Scratch", {.kms_key = f.key});
  scratch.set_removal_policy(RemovalPolicy::Delete);
  CHECK(test::cfn(f.app)["Resources"]["Scratch"]["DeletionPolicy"] == "Delete");
  CHECK(test::tf(f.app)["resource"]["aws_s3_bucket"]["scratch"] == json{{"force_destroy", false}});
  scratch.set_removal_policy(RemovalPolicy::Snapshot);
  CHECK(test::problems(f.app) ==
        std::vector<std::string>{"HS2004 S/Scratch: removal policy Snapshot: S3 buckets have no snapshots"});
}

TEST_CASE("An SSE-S3 bucket without TLS enforcement has neither key nor policy", "[s3]") {
  Fixture f;
  f.stack.add<s3::Bucket>("Plain", {.bucket_name = "plain-bucket",
                                    .encryption = s3::Encryption::S3Managed,
                                    .versioned = false,
                                    .enforce_tls = false});
  const json cfn = test::cfn(f.app)["Resources"];
  CHECK(cfn["Plain"]["Properties"]["BucketName"] == "plain-bucket");
  CHECK(
      cfn["Plain"]["Properties"]["BucketEncryption"] ==
      json{{"ServerSideEncryptionConfiguration", {{{"ServerSideEncryptionByDefault", {{"SSEAlgorithm", "AES256"}}}}}}});
  CHECK_FALSE(cfn["Plain"]["Properties"].contains("VersioningConfiguration"));
  CHECK_FALSE(cfn.contains("PlainPolicy"));
  const json tf = test::tf(f.app)["resource"];
  CHECK(tf["aws_s3_bucket"]["plain"]["bucket"] == "plain-bucket");
  CHECK(tf["aws_s3_bucket_server_side_encryption_configuration"]["plain_encryption"]["rule"] ==
        json{{"apply_server_side_encryption_by_default", {{"sse_algorithm", "AES256"}}}});
  CHECK_FALSE(tf.contains("aws_s3_bucket_versioning"));
  CHECK_FALSE(tf.contains("aws_s3_bucket_policy"));
}

TEST_CASE("A bucket receiving access logs grants the S3 logging service for its source buckets only", "[s3]") {
  Fixture f;
  auto& logs = f.stack.add<s3::Bucket>("Logs", {.encryption = s3::Encryption::S3Managed});
  f.stack.add<s3::Bucket>("Data", {.kms_key = f.key, .access_logs = s3::AccessLogs{.bucket = logs, .prefix = "data/"}});
  f.stack.add<s3::Bucket>("Other", {.kms_key = f.key, .access_logs = s3::AccessLogs{.bucket = logs}});
  const json cfn = test::cfn(f.app)["Resources"];
  CHECK(cfn["Data"]["Properties"]["LoggingConfiguration"] ==
        json{{"DestinationBucketName", {{"Ref", "Logs"}}}, {"LogFilePrefix", "data/"}});
  // Without a prefix, each source logs under its own logical id.
  CHECK(cfn["Other"]["Properties"]["LoggingConfiguration"]["LogFilePrefix"] == "Other/");
  CHECK(
      cfn["LogsPolicy"]["Properties"]["PolicyDocument"]["Statement"] ==
      json{tls_deny("Logs"),
           {{"Sid", "AllowS3ServerAccessLogs"},
            {"Effect", "Allow"},
            {"Principal", {{"Service", "logging.s3.amazonaws.com"}}},
            {"Action", "s3:PutObject"},
            {"Resource", {{{"Fn::Sub", "${Logs.Arn}/data/*"}}, {{"Fn::Sub", "${Logs.Arn}/Other/*"}}}},
            {"Condition",
             {{"ArnLike", {{"aws:SourceArn", {{{"Fn::GetAtt", {"Data", "Arn"}}}, {{"Fn::GetAtt", {"Other", "Arn"}}}}}}},
              {"StringEquals", {{"aws:SourceAccount", {{"Ref", "AWS::AccountId"}}}}}}}}});

  const json tf = test::tf(f.app);
  // Logging waits for the target's ownership controls (ACLs off) and its policy (the grant).
  CHECK(tf["resource"]["aws_s3_bucket_logging"]["data_logging"] ==
        json{{"bucket", "${aws_s3_bucket.data.bucket}"},
             {"target_bucket", "${aws_s3_bucket.logs.bucket}"},
             {"target_prefix", "data/"},
             {"depends_on",
              {"aws_s3_bucket_ownership_controls.logs_ownership_controls", "aws_s3_bucket_policy.logs_policy"}}});
  CHECK(tf["data"]["aws_iam_policy_document"]["logs_policy"]["statement"][1]["condition"] ==
        json{{{"test", "ArnLike"},
              {"variable", "aws:SourceArn"},
              {"values", {"${aws_s3_bucket.data.arn}", "${aws_s3_bucket.other.arn}"}}},
             {{"test", "StringEquals"},
              {"variable", "aws:SourceAccount"},
              {"values", {"${data.aws_caller_identity.current.account_id}"}}}});
}

TEST_CASE("Lifecycle rules, object lock and replication lower inline in CloudFormation", "[s3]") {
  Fixture f;
  auto& role = f.stack.add<iam::Role>("Replicator", {.assume_role_policy = iam::assumed_by("s3.amazonaws.com")});
  f.stack.add<s3::Bucket>(
      "Data",
      {.kms_key = f.key,
       .lifecycle_rules = {{.id = "tiering",
                            .noncurrent_version_expiration_days = 365,
                            .transitions = {{.storage_class = s3::StorageClass::StandardInfrequentAccess, .days = 30},
                                            {.storage_class = s3::StorageClass::DeepArchive, .days = 180}},
                            .abort_incomplete_multipart_upload_days = 7},
                           {.id = "exports", .prefix = "exports/", .expiration_days = 30}},
       .object_lock = s3::ObjectLock{.mode = s3::ObjectLockMode::Compliance, .years = 6},
       .replication = s3::Replication{.destination_bucket_arn = "arn:aws:s3:::replica",
                                      .replica_kms_key_arn = "arn:aws:kms:us-west-2:111122223333:key/abc",
                                      .role = role}});
  const json p = test::cfn(f.app)["Resources"]["Data"]["Properties"];
  CHECK(p["LifecycleConfiguration"] ==
        json{{"Rules",
              {{{"Id", "tiering"},
                {"Status", "Enabled"},
                {"NoncurrentVersionExpiration", {{"NoncurrentDays", 365}}},
                {"Transitions",
                 {{{"StorageClass", "STANDARD_IA"}, {"TransitionInDays", 30}},
                  {{"StorageClass", "DEEP_ARCHIVE"}, {"TransitionInDays", 180}}}},
                {"AbortIncompleteMultipartUpload", {{"DaysAfterInitiation", 7}}}},
               {{"Id", "exports"}, {"Status", "Enabled"}, {"Prefix", "exports/"}, {"ExpirationInDays", 30}}}}});
  CHECK(p["ObjectLockEnabled"] == true);
  CHECK(p["ObjectLockConfiguration"] == json{{"ObjectLockEnabled", "Enabled"},
                                             {"Rule", {{"DefaultRetention", {{"Mode", "COMPLIANCE"}, {"Years", 6}}}}}});
  CHECK(
      p["ReplicationConfiguration"] ==
      json{{"Role", {{"Fn::GetAtt", {"Replicator", "Arn"}}}},
           {"Rules",
            {{{"Id", "replicate-everything"},
              {"Status", "Enabled"},
              {"Priority", 1},
              {"Filter", {{"Prefix", ""}}},
              {"DeleteMarkerReplication", {{"Status", "Disabled"}}},
              {"SourceSelectionCriteria", {{"SseKmsEncryptedObjects", {{"Status", "Enabled"}}}}},
              {"Destination",
               {{"Bucket", "arn:aws:s3:::replica"},
                {"EncryptionConfiguration", {{"ReplicaKmsKeyID", "arn:aws:kms:us-west-2:111122223333:key/abc"}}}}}}}}});
}

TEST_CASE("Lifecycle rules, object lock and replication are resources of their own in Terraform, after versioning",
          "[s3]") {
  Fixture f;
  auto& role = f.stack.add<iam::Role>("Replicator", {.assume_role_policy = iam::assumed_by("s3.amazonaws.com")});
  f.stack.add<s3::Bucket>(
      "Data", {.encryption = s3::Encryption::S3Managed,
               .lifecycle_rules = {{.id = "all", .expiration_days = 400},
                                   {.id = "tmp", .prefix = "tmp/", .transitions = {{.days = 0}}}},
               .object_lock = s3::ObjectLock{.days = 30},
               .replication = s3::Replication{
                   .destination_bucket_arn = "arn:aws:s3:::replica", .role = role, .replicate_delete_markers = true}});
  const json r = test::tf(f.app)["resource"];
  const std::string bucket = "${aws_s3_bucket.data.bucket}";
  const json after_versioning = {"aws_s3_bucket_versioning.data_versioning"};
  CHECK(r["aws_s3_bucket"]["data"]["object_lock_enabled"] == true);
  // An empty filter block is the whole bucket.
  CHECK(r["aws_s3_bucket_lifecycle_configuration"]["data_lifecycle"] ==
        json{{"bucket", bucket},
             {"rule",
              {{{"id", "all"}, {"status", "Enabled"}, {"filter", json::object()}, {"expiration", {{"days", 400}}}},
               {{"id", "tmp"},
                {"status", "Enabled"},
                {"filter", {{"prefix", "tmp/"}}},
                {"transition", {{{"storage_class", "GLACIER"}, {"days", 0}}}}}}},
             {"depends_on", after_versioning}});
  CHECK(r["aws_s3_bucket_object_lock_configuration"]["data_object_lock"] ==
        json{{"bucket", bucket},
             {"rule", {{"default_retention", {{"mode", "GOVERNANCE"}, {"days", 30}}}}},
             {"depends_on", after_versioning}});
  // An SSE-S3 bucket without a replica key replicates without KMS criteria.
  CHECK(r["aws_s3_bucket_replication_configuration"]["data_replication"] ==
        json{{"bucket", bucket},
             {"role", "${aws_iam_role.replicator.arn}"},
             {"rule",
              {{{"id", "replicate-everything"},
                {"status", "Enabled"},
                {"priority", 1},
                {"filter", json::object()},
                {"delete_marker_replication", {{"status", "Enabled"}}},
                {"destination", {{"bucket", "arn:aws:s3:::replica"}}}}}},
             {"depends_on", after_versioning}});
}

TEST_CASE("An s3::BucketPolicy writes the bucket's policy: the bucket's statements, then its own", "[s3]") {
  Fixture f;
  auto& logs = f.stack.add<s3::Bucket>(
      "Logs", {.encryption = s3::Encryption::S3Managed,
               .enforce_tls = false,
               .policy_statements = {iam::deny({"s3:DeleteObject"}).id("KeepLogs").principal(iam::anyone()).on("*")}});
  f.stack.add<s3::Bucket>("Data", {.kms_key = f.key, .access_logs = s3::AccessLogs{.bucket = logs}});
  const auto read = iam::allow({"s3:GetObject"}).id("Read").principal(iam::account_root()).on(logs.arn_for_objects());
  f.stack.add<s3::BucketPolicy>("LogsPolicyWriter", {.bucket = logs, .statements = {read}});
  const json cfn = test::cfn(f.app)["Resources"];
  CHECK_FALSE(cfn.contains("LogsPolicy"));
  CHECK(cfn["LogsPolicyWriter"]["Type"] == "AWS::S3::BucketPolicy");
  CHECK(cfn["LogsPolicyWriter"]["Properties"]["Bucket"] == json{{"Ref", "Logs"}});
  // The writer's enforce_tls adds the deny the bucket itself left out.
  json sids = json::array();
  for (const auto& s : cfn["LogsPolicyWriter"]["Properties"]["PolicyDocument"]["Statement"]) sids.push_back(s["Sid"]);
  CHECK(sids == json{"DenyInsecureTransport", "KeepLogs", "AllowS3ServerAccessLogs", "Read"});

  const json tf = test::tf(f.app);
  CHECK(tf["resource"]["aws_s3_bucket_policy"].size() == 2);  // Data's own and the writer's
  CHECK(tf["resource"]["aws_s3_bucket_policy"]["logs_policy_writer"] ==
        json{{"bucket", "${aws_s3_bucket.logs.bucket}"},
             {"policy", "${data.aws_iam_policy_document.logs_policy_writer_document.json}"},
             {"depends_on", {"aws_s3_bucket_public_access_block.logs_public_access_block"}}});
  CHECK(tf["resource"]["aws_s3_bucket_logging"]["data_logging"]["depends_on"] ==
        json{"aws_s3_bucket_ownership_controls.logs_ownership_controls", "aws_s3_bucket_policy.logs_policy_writer"});
}

TEST_CASE("Bucket names follow S3's naming rules", "[s3]") {
  auto problems_for = [](const std::string& name) {
    App app;
    app.add_stack("S").add<s3::Bucket>("B", {.bucket_name = name, .encryption = s3::Encryption::S3Managed});
    return test::problems(app);
  };
  CHECK(problems_for("my-bucket.example-1").empty());
  CHECK(problems_for("ab") == std::vector<std::string>{"HS2003 S/B: 'bucket_name' value 'ab' has 2 characters; AWS "
                                                       "accepts 3 to 63"});
  CHECK(problems_for("My_Bucket") ==
        std::vector<std::string>{"HS2003 S/B: 'bucket_name' value 'My_Bucket' contains 'M'; AWS accepts only "
                                 "lower-case letters, digits, '.' and '-'"});
  CHECK(problems_for("-bucket") == std::vector<std::string>{"HS2003 S/B: 'bucket_name' value '-bucket' must start and "
                                                            "end with a letter or digit (S3 naming rules)"});
  CHECK(problems_for("my..bucket") == std::vector<std::string>{"HS2003 S/B: 'bucket_name' value 'my..bucket' must not "
                                                               "contain '..' (S3 naming rules)"});
  CHECK(problems_for("192.168.5.4") == std::vector<std::string>{"HS2003 S/B: 'bucket_name' value '192.168.5.4' must "
                                                                "not be formatted as an IP address (S3 naming rules)"});
  CHECK(problems_for("xn--bucket") == std::vector<std::string>{"HS2003 S/B: 'bucket_name' value 'xn--bucket' must not "
                                                               "start with 'xn--' (S3 naming rules)"});
  CHECK(problems_for("data-s3alias") == std::vector<std::string>{"HS2003 S/B: 'bucket_name' value 'data-s3alias' must "
                                                                 "not end with '-s3alias' (S3 naming rules)"});
  CHECK(problems_for("data--ol-s3") == std::vector<std::string>{"HS2003 S/B: 'bucket_name' value 'data--ol-s3' must "
                                                                "not end with '--ol-s3' (S3 naming rules)"});
  CHECK(problems_for("10.0.0.1.example").empty());
}

TEST_CASE("Bucket encryption needs a key with SSE-KMS and none with SSE-S3", "[s3]") {
  App app;
  Stack& stack = app.add_stack("S");
  auto& key = stack.add<kms::Key>("Key", {.description = "k"});
  stack.add<s3::Bucket>("NoKey", {});
  stack.add<s3::Bucket>("ExtraKey", {.encryption = s3::Encryption::S3Managed, .kms_key = key});
  CHECK(test::problems(app) ==
        std::vector<std::string>{
            "HS2001 S/NoKey: required property 'kms_key' is not set: SSE-KMS encryption needs a customer managed key",
            "HS2004 S/ExtraKey: 'kms_key' is set but encryption is S3Managed (SSE-S3), which uses no KMS key"});
}

TEST_CASE("Access logs go to another SSE-S3 bucket without object lock in the same stack", "[s3]") {
  App app;
  Stack& stack = app.add_stack("S");
  auto& key = stack.add<kms::Key>("Key", {.description = "k"});
  auto& kms_logs = stack.add<s3::Bucket>("KmsLogs", {.kms_key = key});
  auto& locked_logs = stack.add<s3::Bucket>(
      "LockedLogs", {.encryption = s3::Encryption::S3Managed, .object_lock = s3::ObjectLock{.days = 1}});
  auto& remote_logs = app.add_stack("Other").add<s3::Bucket>("Logs", {.encryption = s3::Encryption::S3Managed});
  stack.add<s3::Bucket>("A", {.kms_key = key, .access_logs = s3::AccessLogs{.bucket = kms_logs}});
  stack.add<s3::Bucket>("B", {.kms_key = key, .access_logs = s3::AccessLogs{.bucket = locked_logs}});
  stack.add<s3::Bucket>("C", {.kms_key = key, .access_logs = s3::AccessLogs{.bucket = remote_logs}});
  stack.add<s3::Bucket>("D", {.kms_key = key, .access_logs = s3::AccessLogs{}});
  CHECK(test::problems(app) ==
        std::vector<std::string>{
            "HS2004 S/A: S/A delivers server access logs to S/KmsLogs, which uses SSE-KMS; S3 delivers access logs "
            "only to a bucket with SSE-S3 encryption",
            "HS2004 S/B: S/B delivers server access logs to S/LockedLogs, which has object lock; S3 delivers no "
            "access logs to a bucket with object lock",
            "HS2004 S/C: 'access_logs.bucket' Other/Logs is in another stack",
            "HS2001 S/D: required property 'access_logs.bucket' is not set"});
}

TEST_CASE("Lifecycle rules need ids, actions and transitions S3 accepts", "[s3]") {
  auto problems_for = [](std::vector<s3::LifecycleRule> rules) {
    App app;
    app.add_stack("S").add<s3::Bucket>("B",
                                       {.encryption = s3::Encryption::S3Managed, .lifecycle_rules = std::move(rules)});
    return test::problems(app);
  };
  using SC = s3::StorageClass;
  CHECK(problems_for({{.id = "ok",
                       .transitions = {{SC::StandardInfrequentAccess, 30},
                                       {SC::IntelligentTiering, 60},
                                       {SC::Glacier, 120},
                                       {SC::DeepArchive, 300}}}})
            .empty());
  CHECK(problems_for({{.expiration_days = 1}, {.id = "a", .expiration_days = 0}, {.id = "a"}}) ==
        std::vector<std::string>{"HS2001 S/B: required property 'lifecycle_rules[0].id' is not set",
                                 "HS2004 S/B: 'lifecycle_rules[1].expiration_days' is 0; AWS accepts 1 or more days",
                                 "HS2004 S/B: 'lifecycle_rules' has two rules with id 'a'; ids must be unique",
                                 "HS2001 S/B: lifecycle_rules[2] ('a') has no action"});
  CHECK(
      problems_for({{.id = "early", .transitions = {{SC::StandardInfrequentAccess, 10}}}}) ==
      std::vector<std::string>{"HS2004 S/B: lifecycle_rules[0] ('early'): the transition to STANDARD_IA is on day 10; "
                               "AWS accepts day 30 or later"});
  CHECK(problems_for({{.id = "up", .transitions = {{SC::Glacier, 30}, {SC::StandardInfrequentAccess, 60}}}}) ==
        std::vector<std::string>{"HS2004 S/B: lifecycle_rules[0] ('up'): S3 cannot transition from GLACIER (day 30) to "
                                 "STANDARD_IA (day 60)"});
  CHECK(problems_for({{.id = "onezone",
                       .transitions = {{SC::OneZoneInfrequentAccess, 30}, {SC::GlacierInstantRetrieval, 90}}}}) ==
        std::vector<std::string>{"HS2004 S/B: lifecycle_rules[0] ('onezone'): S3 cannot transition from ONEZONE_IA "
                                 "(day 30) to GLACIER_IR (day 90)"});
  CHECK(problems_for({{.id = "soon", .transitions = {{SC::StandardInfrequentAccess, 30}, {SC::Glacier, 45}}}}) ==
        std::vector<std::string>{"HS2004 S/B: lifecycle_rules[0] ('soon'): the transition to GLACIER (day 45) comes 15 "
                                 "day(s) after STANDARD_IA (day 30); AWS needs at least 30"});
  CHECK(problems_for({{.id = "expire", .expiration_days = 90, .transitions = {{SC::Glacier, 90}}}}) ==
        std::vector<std::string>{"HS2004 S/B: lifecycle_rules[0] ('expire'): objects expire on day 90, not after their "
                                 "last transition (day 90)"});
}

TEST_CASE(
    "Object lock needs versioning and one default retention; replication needs a role, a destination and a "
    "replica key for SSE-KMS",
    "[s3]") {
  App app;
  Stack& stack = app.add_stack("S");
  auto& key = stack.add<kms::Key>("Key", {.description = "k"});
  stack.add<s3::Bucket>("A",
                        {.kms_key = key, .versioned = false, .object_lock = s3::ObjectLock{.days = 1, .years = 1}});
  stack.add<s3::Bucket>("B", {.kms_key = key, .object_lock = s3::ObjectLock{}});
  stack.add<s3::Bucket>("C", {.kms_key = key, .object_lock = s3::ObjectLock{.days = 40000}});
  stack.add<s3::Bucket>("D", {.kms_key = key, .versioned = false, .replication = s3::Replication{}});
  CHECK(test::problems(app) ==
        std::vector<std::string>{
            "HS2004 S/A: 'object_lock' needs versioned = true",
            "HS2004 S/A: 'object_lock' sets both days and years; AWS accepts one of them",
            "HS2001 S/B: 'object_lock' has no default retention",
            "HS2004 S/C: 'object_lock.days' is 40000; AWS accepts 1 to 36500",
            "HS2001 S/D: required property 'replication.role' is not set",
            "HS2001 S/D: required property 'replication.destination_bucket_arn' is not set",
            "HS2004 S/D: 'replication' needs versioned = true",
            "HS2001 S/D: required property 'replication.replica_kms_key_arn' is not set: the bucket uses SSE-KMS, and "
            "S3 replicates KMS-encrypted objects only into a key for the replicas"});
}

TEST_CASE("A bucket policy needs a bucket and at least one statement", "[s3]") {
  App app;
  Stack& stack = app.add_stack("S");
  auto& bucket = stack.add<s3::Bucket>("B", {.encryption = s3::Encryption::S3Managed, .enforce_tls = false});
  stack.add<s3::BucketPolicy>("Empty", {.bucket = bucket, .enforce_tls = false});
  stack.add<s3::BucketPolicy>("Nothing", {});
  CHECK(test::problems(app) == std::vector<std::string>{"HS2001 S/Empty: the policy of S/B would have no statement",
                                                        "HS2001 S/Nothing: required property 'bucket' is not set"});
}

TEST_CASE("A secure bucket passes the S3 rules but replication, which needs a destination", "[s3]") {
  Fixture f;
  auto& logs = f.stack.add<s3::Bucket>("Logs", {.encryption = s3::Encryption::S3Managed});
  f.stack.add<s3::Bucket>("Data", {.kms_key = f.key, .access_logs = s3::AccessLogs{.bucket = logs}});
  CHECK(rule_findings(f.app, "HIPAA-S3") ==
        std::vector<std::string>{
            "HIPAA-S3-3 S/Logs: the bucket is not replicated", "HIPAA-S3-3 S/Data: the bucket is not replicated",
            "HIPAA-S3-6 S/Logs: the bucket uses SSE-S3, as a server access log bucket must (S3 delivers no access logs "
            "to SSE-KMS buckets): suppress this rule on it with that reason"});
}

TEST_CASE("The S3 rules flag public, unlogged, unversioned, SSE-S3 and plain-text buckets", "[s3]") {
  Fixture f;
  auto& role = f.stack.add<iam::Role>("Replicator", {.assume_role_policy = iam::assumed_by("s3.amazonaws.com")});
  const s3::Replication replication{.destination_bucket_arn = "arn:aws:s3:::replica",
                                    .replica_kms_key_arn = "arn:aws:kms:us-west-2:1:key/k",
                                    .role = role};
  f.stack.add<s3::Bucket>(
      "Open",
      {.kms_key = f.key, .public_access_block = {.restrict_public_buckets = false}, .replication = replication});
  f.stack.add<s3::Bucket>("Shared",
                          {.kms_key = f.key,
                           .replication = replication,
                           .policy_statements = {iam::allow({"s3:GetObject"}).principal(iam::anyone()).on("*")}});
  f.stack.add<s3::Bucket>("Old", {.kms_key = f.key, .versioned = false, .enforce_tls = false});
  f.stack.add<s3::Bucket>("Plain", {.encryption = s3::Encryption::S3Managed, .replication = replication});
  f.stack.suppress("HIPAA-S3-2", "access logs are not the point here");
  CHECK(
      rule_findings(f.app, "HIPAA-S3") ==
      std::vector<std::string>{"HIPAA-S3-1 S/Open: the bucket's public access block is not fully on",
                               "HIPAA-S3-1 S/Shared: the bucket policy allows anyone without a condition",
                               "HIPAA-S3-3 S/Old: the bucket is not replicated",
                               "HIPAA-S3-4 S/Old: the bucket policy does not deny requests made without TLS",
                               "HIPAA-S3-5 S/Old: versioning is off",
                               "HIPAA-S3-6 S/Plain: the bucket uses SSE-S3, not SSE-KMS with a customer managed key"});

  // The policy's writer decides: an s3::BucketPolicy enforcing TLS covers the bucket that does not.
  auto& older = f.stack.add<s3::Bucket>("Older", {.kms_key = f.key, .replication = replication, .enforce_tls = false});
  f.stack.add<s3::BucketPolicy>("OlderPolicy", {.bucket = older});
  CHECK(rule_findings(f.app, "HIPAA-S3-4") ==
        std::vector<std::string>{"HIPAA-S3-4 S/Old: the bucket policy does not deny requests made without TLS"});
}
