// diff: loading (short and long form intrinsics), structural diff with property paths, the
// security section, the replacement tables (a check per entry), Terraform settings, errors, and the
// three renderings.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "aws/catalog.hpp"
#include "diff/replacement.hpp"
#include "diff/values.hpp"
#include "hipaa/diff.hpp"
#include "support.hpp"
#include "support/input.hpp"

namespace {

using namespace hipaa;

LoadedDocument load(std::string_view text, std::string_view name) {
  LoadedDocument document;
  const Diagnostics problems = load_document(text, name, document);
  for (const auto& d : problems) UNSCOPED_INFO(format(d));
  REQUIRE(problems.empty());
  return document;
}

DiffReport compare(std::string_view before, std::string_view after) {
  return diff(load(before, "old.yaml"), load(after, "new.yaml"));
}

const Change* change_of(const DiffReport& report, std::string_view id) {
  const auto it =
      std::find_if(report.changes.begin(), report.changes.end(), [&](const Change& c) { return c.id == id; });
  return it == report.changes.end() ? nullptr : &*it;
}

const PropertyChange* property_of(const Change& change, std::string_view path) {
  const auto it = std::find_if(change.properties.begin(), change.properties.end(),
                               [&](const PropertyChange& p) { return p.path == path; });
  return it == change.properties.end() ? nullptr : &*it;
}

std::string shown(const std::optional<doc::Node>& value) {
  return value ? diff_detail::compact_json(*value) : std::string("(absent)");
}

std::vector<std::string> paths(const Change& change) {
  std::vector<std::string> out;
  for (const auto& p : change.properties) out.push_back(p.path);
  return out;
}

std::vector<std::string> findings_of(const std::vector<SecurityFinding>& list) {
  std::vector<std::string> out;
  for (const auto& f : list) {
    out.push_back(f.category + " | " + f.resource + " | " + f.path + " | " + f.detail +
                  (f.weakens ? " | weakens" : ""));
  }
  return out;
}

std::vector<std::string> findings(const DiffReport& report) { return findings_of(report.security); }

bool has_finding(const DiffReport& report, std::string_view category, std::string_view resource,
                 std::string_view detail_part, bool weakens = true) {
  return std::any_of(report.security.begin(), report.security.end(), [&](const SecurityFinding& f) {
    return f.category == category && f.resource == resource && f.detail.find(detail_part) != std::string::npos &&
           f.weakens == weakens;
  });
}

// A one-resource CloudFormation template.
std::string cfn_resource(std::string_view type, std::string_view properties, std::string_view attributes = "") {
  return "Resources:\n  R:\n    Type: " + std::string(type) + "\n" + std::string(attributes) + "    Properties:\n" +
         std::string(properties);
}

// A one-resource Terraform JSON file.
std::string tf_resource(std::string_view type, std::string_view body) {
  return R"({"resource": {")" + std::string(type) + R"(": {"r": )" + std::string(body) + "}}}";
}

// A hipaa-synth template excerpt (hardened preset), as the YAML and the JSON the tool writes.
constexpr std::string_view kExcerptYaml = R"YAML(AWSTemplateFormatVersion: '2010-09-09'
Description: 'HIPAA patient records API: private PostgreSQL, Redis, Lambda behind API Gateway, KMS encryption, TLS, audit logs (hipaa-synth)'
Parameters:
  EnvironmentSuffix:
    Type: String
    Description: 'Suffix for resource names, to keep environments apart'
    Default: dev
    AllowedPattern: '[a-z0-9-]{1,20}'
    ConstraintDescription: '1-20 lower-case letters, digits or hyphens'
Resources:
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      Description: Encrypts patient data at rest
      EnableKeyRotation: true
      PendingWindowInDays: 30
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: EnableIamPolicies
            Effect: Allow
            Principal:
              AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'
            Action: kms:*
            Resource: '*'
      Tags:
        - Key: Application
          Value: patient-records
        - Key: Compliance
          Value: HIPAA
        - Key: ManagedBy
          Value: hipaa-synth
        - Key: Name
          Value: !Sub 'healthcare-data-key-${EnvironmentSuffix}'
  PrivateSubnet1:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.10.0/24
      AvailabilityZone: !Select [0, !GetAZs '']
      MapPublicIpOnLaunch: false
      Tags:
        - Key: Application
          Value: patient-records
        - Key: Compliance
          Value: HIPAA
        - Key: ManagedBy
          Value: hipaa-synth
        - Key: Name
          Value: !Sub 'healthcare-private-subnet-1-${EnvironmentSuffix}'
  DatabaseSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: !Sub 'healthcare-db-sg-${EnvironmentSuffix}'
      GroupDescription: Patient records PostgreSQL database
      VpcId: !Ref Vpc
      Tags:
        - Key: Application
          Value: patient-records
        - Key: Compliance
          Value: HIPAA
        - Key: ManagedBy
          Value: hipaa-synth
        - Key: Name
          Value: !Sub 'healthcare-db-sg-${EnvironmentSuffix}'
      SecurityGroupEgress:
        - CidrIp: 255.255.255.255/32
          Description: Disallow all traffic
          FromPort: 252
          IpProtocol: icmp
          ToPort: 86
  DatabaseFromLambdaIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt DatabaseSecurityGroup.GroupId
      IpProtocol: tcp
      Description: PostgreSQL from the Lambda function
      FromPort: 5432
      ToPort: 5432
      SourceSecurityGroupId: !GetAtt LambdaSecurityGroup.GroupId
  DatabaseCluster:
    Type: AWS::RDS::DBCluster
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties:
      DBClusterIdentifier: !Sub 'healthcare-db-${EnvironmentSuffix}'
      Engine: aurora-postgresql
      EngineMode: provisioned
      EngineVersion: '16.6'
      DatabaseName: patients
      MasterUsername: dbadmin
      ManageMasterUserPassword: true
      DBSubnetGroupName: !Ref DatabaseSubnetGroup
      VpcSecurityGroupIds:
        - !GetAtt DatabaseSecurityGroup.GroupId
      StorageEncrypted: true
      KmsKeyId: !GetAtt DataKey.Arn
      BackupRetentionPeriod: 7
      PreferredBackupWindow: '03:00-04:00'
      PreferredMaintenanceWindow: sun:04:00-sun:05:00
      EnableCloudwatchLogsExports:
        - postgresql
      DeletionProtection: true
      EnableIAMDatabaseAuthentication: true
      CopyTagsToSnapshot: true
      MasterUserSecret:
        KmsKeyId: !GetAtt DataKey.Arn
      ServerlessV2ScalingConfiguration:
        MinCapacity: 0.5
        MaxCapacity: 2.0
      Tags:
        - Key: Application
          Value: patient-records
        - Key: Compliance
          Value: HIPAA
        - Key: ManagedBy
          Value: hipaa-synth
        - Key: Name
          Value: !Sub 'healthcare-aurora-${EnvironmentSuffix}'
Outputs:
  DatabaseEndpoint:
    Description: PostgreSQL endpoint address
    Value: !GetAtt DatabaseCluster.Endpoint.Address
    Export:
      Name: !Sub 'healthcare-db-endpoint-${EnvironmentSuffix}'
)YAML";

constexpr std::string_view kExcerptJson = R"JSON({
  "AWSTemplateFormatVersion": "2010-09-09",
  "Description": "HIPAA patient records API: private PostgreSQL, Redis, Lambda behind API Gateway, KMS encryption, TLS, audit logs (hipaa-synth)",
  "Parameters": {
    "EnvironmentSuffix": {
      "Type": "String",
      "Description": "Suffix for resource names, to keep environments apart",
      "Default": "dev",
      "AllowedPattern": "[a-z0-9-]{1,20}",
      "ConstraintDescription": "1-20 lower-case letters, digits or hyphens"
    }
  },
  "Resources": {
    "DataKey": {
      "Type": "AWS::KMS::Key",
      "Properties": {
        "Description": "Encrypts patient data at rest",
        "EnableKeyRotation": true,
        "PendingWindowInDays": 30,
        "KeyPolicy": {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "EnableIamPolicies",
              "Effect": "Allow",
              "Principal": {
                "AWS": {
                  "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"
                }
              },
              "Action": "kms:*",
              "Resource": "*"
            }
          ]
        },
        "Tags": [
          {
            "Key": "Application",
            "Value": "patient-records"
          },
          {
            "Key": "Compliance",
            "Value": "HIPAA"
          },
          {
            "Key": "ManagedBy",
            "Value": "hipaa-synth"
          },
          {
            "Key": "Name",
            "Value": {
              "Fn::Sub": "healthcare-data-key-${EnvironmentSuffix}"
            }
          }
        ]
      }
    },
    "PrivateSubnet1": {
      "Type": "AWS::EC2::Subnet",
      "Properties": {
        "VpcId": {
          "Ref": "Vpc"
        },
        "CidrBlock": "10.0.10.0/24",
        "AvailabilityZone": {
          "Fn::Select": [
            0,
            {
              "Fn::GetAZs": ""
            }
          ]
        },
        "MapPublicIpOnLaunch": false,
        "Tags": [
          {
            "Key": "Application",
            "Value": "patient-records"
          },
          {
            "Key": "Compliance",
            "Value": "HIPAA"
          },
          {
            "Key": "ManagedBy",
            "Value": "hipaa-synth"
          },
          {
            "Key": "Name",
            "Value": {
              "Fn::Sub": "healthcare-private-subnet-1-${EnvironmentSuffix}"
            }
          }
        ]
      }
    },
    "DatabaseSecurityGroup": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupName": {
          "Fn::Sub": "healthcare-db-sg-${EnvironmentSuffix}"
        },
        "GroupDescription": "Patient records PostgreSQL database",
        "VpcId": {
          "Ref": "Vpc"
        },
        "Tags": [
          {
            "Key": "Application",
            "Value": "patient-records"
          },
          {
            "Key": "Compliance",
            "Value": "HIPAA"
          },
          {
            "Key": "ManagedBy",
            "Value": "hipaa-synth"
          },
          {
            "Key": "Name",
            "Value": {
              "Fn::Sub": "healthcare-db-sg-${EnvironmentSuffix}"
            }
          }
        ],
        "SecurityGroupEgress": [
          {
            "CidrIp": "255.255.255.255/32",
            "Description": "Disallow all traffic",
            "FromPort": 252,
            "IpProtocol": "icmp",
            "ToPort": 86
          }
        ]
      }
    },
    "DatabaseFromLambdaIngress": {
      "Type": "AWS::EC2::SecurityGroupIngress",
      "Properties": {
        "GroupId": {
          "Fn::GetAtt": [
            "DatabaseSecurityGroup",
            "GroupId"
          ]
        },
        "IpProtocol": "tcp",
        "Description": "PostgreSQL from the Lambda function",
        "FromPort": 5432,
        "ToPort": 5432,
        "SourceSecurityGroupId": {
          "Fn::GetAtt": [
            "LambdaSecurityGroup",
            "GroupId"
          ]
        }
      }
    },
    "DatabaseCluster": {
      "Type": "AWS::RDS::DBCluster",
      "DeletionPolicy": "Snapshot",
      "UpdateReplacePolicy": "Snapshot",
      "Properties": {
        "DBClusterIdentifier": {
          "Fn::Sub": "healthcare-db-${EnvironmentSuffix}"
        },
        "Engine": "aurora-postgresql",
        "EngineMode": "provisioned",
        "EngineVersion": "16.6",
        "DatabaseName": "patients",
        "MasterUsername": "dbadmin",
        "ManageMasterUserPassword": true,
        "DBSubnetGroupName": {
          "Ref": "DatabaseSubnetGroup"
        },
        "VpcSecurityGroupIds": [
          {
            "Fn::GetAtt": [
              "DatabaseSecurityGroup",
              "GroupId"
            ]
          }
        ],
        "StorageEncrypted": true,
        "KmsKeyId": {
          "Fn::GetAtt": [
            "DataKey",
            "Arn"
          ]
        },
        "BackupRetentionPeriod": 7,
        "PreferredBackupWindow": "03:00-04:00",
        "PreferredMaintenanceWindow": "sun:04:00-sun:05:00",
        "EnableCloudwatchLogsExports": [
          "postgresql"
        ],
        "DeletionProtection": true,
        "EnableIAMDatabaseAuthentication": true,
        "CopyTagsToSnapshot": true,
        "MasterUserSecret": {
          "KmsKeyId": {
            "Fn::GetAtt": [
              "DataKey",
              "Arn"
            ]
          }
        },
        "ServerlessV2ScalingConfiguration": {
          "MinCapacity": 0.5,
          "MaxCapacity": 2.0
        },
        "Tags": [
          {
            "Key": "Application",
            "Value": "patient-records"
          },
          {
            "Key": "Compliance",
            "Value": "HIPAA"
          },
          {
            "Key": "ManagedBy",
            "Value": "hipaa-synth"
          },
          {
            "Key": "Name",
            "Value": {
              "Fn::Sub": "healthcare-aurora-${EnvironmentSuffix}"
            }
          }
        ]
      }
    }
  },
  "Outputs": {
    "DatabaseEndpoint": {
      "Description": "PostgreSQL endpoint address",
      "Value": {
        "Fn::GetAtt": [
          "DatabaseCluster",
          "Endpoint.Address"
        ]
      },
      "Export": {
        "Name": {
          "Fn::Sub": "healthcare-db-endpoint-${EnvironmentSuffix}"
        }
      }
    }
  }
}
)JSON";

}  // namespace

// ---- Loading -----------------------------------------------------------------------------------

TEST_CASE("Short-form YAML intrinsics load exactly as their long JSON form", "[diff]") {
  const auto yaml = load(R"(Resources:
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      AvailabilityZone: !Select [0, !GetAZs '']
      CidrBlock: !If [IsProd, 10.0.0.0/24, !Join ['', [10.1., '0.0/24']]]
      Tags:
        - Key: Name
          Value: !Sub 'subnet-${AWS::Region}'
        - Key: Arn
          Value: !GetAtt Key.Arn
        - Key: Nested
          Value: !GetAtt Cluster.Endpoint.Address
Conditions:
  IsProd: !Equals [!Ref Env, prod]
)",
                         "short.yaml");
  const auto json = load(R"JSON({
  "Resources": {
    "Subnet": {
      "Type": "AWS::EC2::Subnet",
      "Properties": {
        "VpcId": {"Ref": "Vpc"},
        "AvailabilityZone": {"Fn::Select": ["0", {"Fn::GetAZs": ""}]},
        "CidrBlock": {"Fn::If": ["IsProd", "10.0.0.0/24", {"Fn::Join": ["", ["10.1.", "0.0/24"]]}]},
        "Tags": [
          {"Key": "Name", "Value": {"Fn::Sub": "subnet-${AWS::Region}"}},
          {"Key": "Arn", "Value": {"Fn::GetAtt": ["Key", "Arn"]}},
          {"Key": "Nested", "Value": {"Fn::GetAtt": "Cluster.Endpoint.Address"}}
        ]
      }
    }
  },
  "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}}
})JSON",
                         "long.json");
  CHECK(yaml.kind == DocumentKind::CloudFormation);
  CHECK(json.kind == DocumentKind::CloudFormation);
  CHECK(diff_detail::equivalent(yaml.root, json.root));

  const DiffReport report = diff(yaml, json);
  CHECK(report.empty());
  CHECK(report.security.empty());
  CHECK(exit_status(report) == 0);

  // `!GetAtt A.B.C` is ["A", "B.C"], as its JSON list form.
  const doc::Node* tags = yaml.root.find("Resources")->find("Subnet")->find("Properties")->find("Tags");
  const auto& nested = (*tags->get_if<doc::List>())[2];
  const auto* getatt = nested.find("Value")->get_if<doc::Intrinsic>();
  REQUIRE(getatt != nullptr);
  CHECK(getatt->name == "Fn::GetAtt");
  CHECK(diff_detail::compact_json(*getatt->argument) == R"(["Cluster","Endpoint.Address"])");
}

TEST_CASE("A hipaa-synth template in YAML and in JSON has no differences", "[diff]") {
  const DiffReport report = compare(kExcerptYaml, kExcerptJson);
  for (const auto& c : report.changes) UNSCOPED_INFO(c.section << " " << c.id);
  CHECK(report.empty());
  CHECK(report.security.empty());
  CHECK(report.diagnostics.empty());
  CHECK(exit_status(report) == 0);
}

TEST_CASE("Numbers equal their decimal strings and key order does not matter", "[diff]") {
  const DiffReport report =
      compare(R"(Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {BackupRetentionPeriod: 7, StorageEncrypted: true, AllocatedStorage: '20', MaxCapacity: 2.0}
)",
              R"JSON({"Resources": {"Db": {"Properties": {"StorageEncrypted": "true", "MaxCapacity": 2,
  "AllocatedStorage": 20, "BackupRetentionPeriod": "7"}, "Type": "AWS::RDS::DBInstance"}}})JSON");
  CHECK(report.empty());
}

TEST_CASE("Documents are recognised by their top-level keys", "[diff]") {
  CHECK(load("AWSTemplateFormatVersion: '2010-09-09'\n", "a").kind == DocumentKind::CloudFormation);
  CHECK(load("Resources: {}\n", "b").kind == DocumentKind::CloudFormation);
  CHECK(load(R"({"resource": {}})", "c").kind == DocumentKind::Terraform);
  CHECK(load(R"({"terraform": {"required_version": ">= 1.11"}})", "d").kind == DocumentKind::Terraform);
  CHECK(load(R"({"provider": {"aws": {"region": "us-east-1"}}})", "e").kind == DocumentKind::Terraform);
  CHECK(load("{Resources: {Bucket: {Type: 'AWS::S3::Bucket'}}}\n", "flow.yaml").kind == DocumentKind::CloudFormation);
}

// ---- Structural diff ---------------------------------------------------------------------------

TEST_CASE("Added, removed and changed resources are reported with exact property paths", "[diff]") {
  const DiffReport report = compare(R"(Resources:
  Database:
    Type: AWS::RDS::DBCluster
    Properties:
      BackupRetentionPeriod: 7
      PreferredBackupWindow: '03:00-04:00'
      Tags:
        - {Key: Application, Value: records}
        - {Key: Compliance, Value: HIPAA}
        - {Key: Name, Value: db}
  Queue:
    Type: AWS::SQS::Queue
)",
                                    R"(Resources:
  Database:
    Type: AWS::RDS::DBCluster
    Properties:
      BackupRetentionPeriod: 14
      CopyTagsToSnapshot: true
      Tags:
        - {Key: Application, Value: records}
        - {Key: Compliance, Value: HIPAA}
        - {Key: Name, Value: database}
  Topic:
    Type: AWS::SNS::Topic
)");
  REQUIRE(report.changes.size() == 3);
  CHECK(report.changes[0].id == "Database");
  CHECK(report.changes[1].id == "Queue");
  CHECK(report.changes[2].id == "Topic");
  CHECK(report.changes[1].kind == ChangeKind::Removed);
  CHECK(report.changes[1].type == "AWS::SQS::Queue");
  CHECK(report.changes[2].kind == ChangeKind::Added);
  CHECK(report.changes[2].type == "AWS::SNS::Topic");

  const Change& db = report.changes[0];
  CHECK(db.kind == ChangeKind::Modified);
  CHECK(db.section == "Resources");
  CHECK(db.type == "AWS::RDS::DBCluster");
  CHECK(paths(db) == std::vector<std::string>{"Properties.BackupRetentionPeriod", "Properties.CopyTagsToSnapshot",
                                              "Properties.PreferredBackupWindow", "Properties.Tags[2].Value"});
  const auto* retention = property_of(db, "Properties.BackupRetentionPeriod");
  CHECK(shown(retention->before) == "7");
  CHECK(shown(retention->after) == "14");
  const auto* added = property_of(db, "Properties.CopyTagsToSnapshot");
  CHECK(shown(added->before) == "(absent)");
  CHECK(shown(added->after) == "true");
  const auto* removed = property_of(db, "Properties.PreferredBackupWindow");
  CHECK(shown(removed->before) == R"("03:00-04:00")");
  CHECK(shown(removed->after) == "(absent)");
  const auto* tag = property_of(db, "Properties.Tags[2].Value");
  CHECK(shown(tag->before) == R"("db")");
  CHECK(shown(tag->after) == R"("database")");
  CHECK(db.replacement == Replacement::None);
  CHECK(exit_status(report) == 1);
}

TEST_CASE("An element inserted in a list is one added element, not every later one changed", "[diff]") {
  const DiffReport report = compare(R"(Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      Tags: [{Key: A, Value: '1'}, {Key: C, Value: '3'}, {Key: D, Value: '4'}]
)",
                                    R"(Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      Tags: [{Key: A, Value: '1'}, {Key: B, Value: '2'}, {Key: C, Value: '3'}, {Key: D, Value: '4'}]
)");
  REQUIRE(report.changes.size() == 1);
  CHECK(paths(report.changes[0]) == std::vector<std::string>{"Properties.Tags[1]"});
  CHECK(shown(report.changes[0].properties[0].after) == R"({"Key":"B","Value":"2"})");
}

TEST_CASE("Parameters, outputs and the template's scalars are diffed too", "[diff]") {
  const DiffReport report = compare(R"(AWSTemplateFormatVersion: '2010-09-09'
Description: one
Parameters:
  Env: {Type: String, Default: dev}
Resources: {}
Outputs:
  Old: {Value: x}
)",
                                    R"(AWSTemplateFormatVersion: '2010-09-09'
Description: two
Parameters:
  Env: {Type: String, Default: prod}
Resources: {}
Outputs:
  New: {Value: !Ref Env}
)");
  REQUIRE(report.changes.size() == 4);
  CHECK(report.changes[0].section == "Template");
  CHECK(report.changes[0].id == "Description");
  REQUIRE(report.changes[0].properties.size() == 1);
  CHECK(report.changes[0].properties[0].path.empty());
  CHECK(shown(report.changes[0].properties[0].after) == R"("two")");
  CHECK(report.changes[1].section == "Parameters");
  CHECK(paths(report.changes[1]) == std::vector<std::string>{"Default"});
  CHECK(report.changes[2].section == "Outputs");
  CHECK(report.changes[2].id == "New");
  CHECK(report.changes[2].kind == ChangeKind::Added);
  CHECK(report.changes[3].id == "Old");
  CHECK(report.changes[3].kind == ChangeKind::Removed);
}

// ---- Security section --------------------------------------------------------------------------

TEST_CASE("An IAM statement added to a role policy is a security-relevant change", "[diff]") {
  const std::string before = R"(Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: Access
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Sid: ReadSecret
                Effect: Allow
                Action: secretsmanager:GetSecretValue
                Resource: !Ref Secret
)";
  std::string after = before + R"(              - Effect: Allow
                Action: [s3:PutObject, s3:GetObject]
                Resource: '*'
)";
  const DiffReport report = compare(before, after);
  CHECK(findings(report) ==
        std::vector<std::string>{"IAM | Role | Properties.Policies[Access].PolicyDocument | statement added: Allow "
                                 "[s3:GetObject, s3:PutObject] on * | weakens"});
  REQUIRE(report.changes.size() == 1);
  CHECK(paths(report.changes[0]) == std::vector<std::string>{"Properties.Policies[0].PolicyDocument.Statement[1]"});

  // Removing it again is reported, and does not weaken anything; a Sid rename is no change at all.
  const DiffReport back = compare(after, before);
  CHECK(has_finding(back, "IAM", "Role", "statement removed: Allow [s3:GetObject, s3:PutObject] on *", false));
  std::string renamed = before;
  renamed.replace(renamed.find("ReadSecret"), 10, "GetTheSecret");
  CHECK(compare(before, renamed).security.empty());
}

TEST_CASE("A security group rule opened to 0.0.0.0/0 is flagged", "[diff]") {
  const DiffReport report = compare(R"(Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: database
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 10.0.0.0/16}
  Ssh:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/16}
)",
                                    R"(Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: database
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/0}
  Ssh:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
)");
  CHECK(
      findings(report) ==
      std::vector<std::string>{
          "Security group | Sg | Properties.SecurityGroupIngress | rule added: ingress tcp port 5432 from 0.0.0.0/0 "
          "(anywhere) | weakens",
          "Security group | Sg | Properties.SecurityGroupIngress | rule removed: ingress tcp port 5432 from "
          "10.0.0.0/16",
          R"(Security group | Ssh |  | rule added: ingress tcp port 22 from 0.0.0.0/0 (anywhere) on {"Ref":"Sg"} | weakens)",
          R"(Security group | Ssh |  | rule removed: ingress tcp port 22 from 10.0.0.0/16 on {"Ref":"Sg"})"});
  // CidrIp is a replacement property of the standalone rule.
  CHECK(change_of(report, "Ssh")->replacement == Replacement::Always);
}

TEST_CASE("Turning StorageEncrypted off weakens encryption and replaces the database", "[diff]") {
  const DiffReport report =
      compare(cfn_resource("AWS::RDS::DBCluster", "      Engine: aurora-postgresql\n      StorageEncrypted: true\n"),
              cfn_resource("AWS::RDS::DBCluster", "      Engine: aurora-postgresql\n      StorageEncrypted: false\n"));
  CHECK(findings(report) ==
        std::vector<std::string>{
            "Encryption | R | Properties.StorageEncrypted | encryption at rest turned off | weakens",
            "Data loss | R |  | data store replaced by a new, empty one; the old data is deleted | weakens"});
  const Change* change = change_of(report, "R");
  REQUIRE(change != nullptr);
  CHECK(change->replacement == Replacement::Always);
  CHECK(property_of(*change, "Properties.StorageEncrypted")->replacement == Replacement::Always);
  CHECK(shown(report.security[0].before) == "true");
  CHECK(shown(report.security[0].after) == "false");
}

TEST_CASE("A replaced database keeps its data only with a Snapshot or Retain UpdateReplacePolicy", "[diff]") {
  const std::string policy = "    UpdateReplacePolicy: Snapshot\n";
  const DiffReport report = compare(cfn_resource("AWS::RDS::DBInstance", "      DBName: a\n", policy),
                                    cfn_resource("AWS::RDS::DBInstance", "      DBName: b\n", policy));
  CHECK(findings(report) == std::vector<std::string>{"Data loss | R |  | data store replaced by a new, empty one; "
                                                     "UpdateReplacePolicy Snapshot keeps the old data"});
}

TEST_CASE("Turning DeletionProtection off is flagged", "[diff]") {
  const DiffReport report = compare(cfn_resource("AWS::RDS::DBCluster", "      DeletionProtection: true\n"),
                                    cfn_resource("AWS::RDS::DBCluster", "      DeletionProtection: false\n"));
  CHECK(findings(report) ==
        std::vector<std::string>{
            "Deletion protection | R | Properties.DeletionProtection | deletion protection turned off | weakens"});
  CHECK(report.changes[0].replacement == Replacement::None);
  // A DeletionPolicy that no longer snapshots is flagged too.
  CHECK(has_finding(
      compare(cfn_resource("AWS::RDS::DBCluster", "      Engine: aurora\n", "    DeletionPolicy: Snapshot\n"),
              cfn_resource("AWS::RDS::DBCluster", "      Engine: aurora\n")),
      "Deletion protection", "R", "deletion no longer keeps the data"));
}

TEST_CASE("Lowering BackupRetentionPeriod is flagged; raising it is not", "[diff]") {
  const DiffReport lowered = compare(cfn_resource("AWS::RDS::DBCluster", "      BackupRetentionPeriod: 7\n"),
                                     cfn_resource("AWS::RDS::DBCluster", "      BackupRetentionPeriod: 1\n"));
  CHECK(findings(lowered) ==
        std::vector<std::string>{
            "Backup retention | R | Properties.BackupRetentionPeriod | backup retention shortened | weakens"});
  const DiffReport removed = compare(cfn_resource("AWS::RDS::DBCluster", "      BackupRetentionPeriod: 7\n"),
                                     cfn_resource("AWS::RDS::DBCluster", "      Engine: aurora\n"));
  CHECK(has_finding(removed, "Backup retention", "R", "backup retention shortened"));
  const DiffReport raised = compare(cfn_resource("AWS::RDS::DBCluster", "      BackupRetentionPeriod: 7\n"),
                                    cfn_resource("AWS::RDS::DBCluster", "      BackupRetentionPeriod: 35\n"));
  CHECK(raised.security.empty());
  CHECK(!raised.empty());
}

TEST_CASE("An authorization type becoming NONE is flagged", "[diff]") {
  const DiffReport report =
      compare(cfn_resource("AWS::ApiGateway::Method", "      HttpMethod: GET\n      AuthorizationType: AWS_IAM\n"),
              cfn_resource("AWS::ApiGateway::Method", "      HttpMethod: GET\n      AuthorizationType: NONE\n"));
  CHECK(findings(report) ==
        std::vector<std::string>{"Authorization | R | Properties.AuthorizationType | authorization removed | weakens"});
  const DiffReport v2 =
      compare(cfn_resource("AWS::ApiGatewayV2::Route", "      RouteKey: GET /\n      AuthorizationType: AWS_IAM\n"),
              cfn_resource("AWS::ApiGatewayV2::Route", "      RouteKey: GET /\n      AuthorizationType: NONE\n"));
  CHECK(has_finding(v2, "Authorization", "R", "authorization removed"));
}

TEST_CASE("Public access, logging and encryption switches are flagged", "[diff]") {
  CHECK(has_finding(compare(cfn_resource("AWS::RDS::DBInstance", "      PubliclyAccessible: false\n"),
                            cfn_resource("AWS::RDS::DBInstance", "      PubliclyAccessible: true\n")),
                    "Public access", "R", "made publicly accessible"));
  CHECK(has_finding(compare(cfn_resource("AWS::RDS::DBCluster", "      EnableCloudwatchLogsExports: [postgresql]\n"),
                            cfn_resource("AWS::RDS::DBCluster", "      EnableCloudwatchLogsExports: []\n")),
                    "Logging", "R", "log exports removed"));
  CHECK(has_finding(compare(cfn_resource("AWS::Logs::LogGroup", "      RetentionInDays: 365\n"),
                            cfn_resource("AWS::Logs::LogGroup", "      RetentionInDays: 30\n")),
                    "Logging", "R", "log retention shortened"));
  CHECK(has_finding(compare(cfn_resource("AWS::KMS::Key", "      EnableKeyRotation: true\n"),
                            cfn_resource("AWS::KMS::Key", "      EnableKeyRotation: false\n")),
                    "Encryption", "R", "key rotation turned off"));
  CHECK(
      has_finding(compare(cfn_resource("AWS::ElastiCache::ReplicationGroup", "      TransitEncryptionEnabled: true\n"),
                          cfn_resource("AWS::ElastiCache::ReplicationGroup", "      Port: 6379\n")),
                  "Encryption", "R", "encryption in transit turned off"));
  CHECK(has_finding(compare(cfn_resource("AWS::Logs::LogGroup", "      KmsKeyId: !GetAtt Key.Arn\n"),
                            cfn_resource("AWS::Logs::LogGroup", "      RetentionInDays: 365\n")),
                    "Encryption", "R", "customer-managed KMS key removed"));
  // Turning a safeguard on is an ordinary change.
  CHECK(compare(cfn_resource("AWS::RDS::DBInstance", "      PubliclyAccessible: true\n"),
                cfn_resource("AWS::RDS::DBInstance", "      PubliclyAccessible: false\n"))
            .security.empty());
}

TEST_CASE("KMS key policy statements have their own category", "[diff]") {
  const std::string key = R"(Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - {Effect: Allow, Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}, Action: 'kms:*', Resource: '*'}
)";
  const DiffReport report =
      compare(key, key + "          - {Effect: Allow, Principal: '*', Action: kms:Decrypt, Resource: '*'}\n");
  CHECK(findings(report) ==
        std::vector<std::string>{
            "KMS key policy | Key | Properties.KeyPolicy | statement added: Allow kms:Decrypt on * for * | weakens"});
}

TEST_CASE("Removing a flow log or a Lambda permission is security-relevant", "[diff]") {
  const DiffReport report = compare(R"(Resources:
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties: {ResourceId: !Ref Vpc, ResourceType: VPC, TrafficType: ALL}
  Invoke:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Fn, Principal: apigateway.amazonaws.com}
)",
                                    "Resources: {}\n");
  CHECK(
      findings(report) ==
      std::vector<std::string>{
          R"(IAM | Invoke |  | permission removed: Allow lambda:InvokeFunction for apigateway.amazonaws.com on {"Ref":"Fn"})",
          "Logging | FlowLog |  | flow log removed | weakens"});
}

// ---- Replacement tables ------------------------------------------------------------------------

TEST_CASE("Every CloudFormation replacement table entry flags a replacement", "[diff]") {
  for (const auto& entry : diff_detail::cloudformation_replacements()) {
    DYNAMIC_SECTION(entry.type) {
      for (const auto& [names, expected] :
           {std::pair{entry.replaces, Replacement::Always}, std::pair{entry.may_replace, Replacement::Conditional}}) {
        for (std::string_view property : diff_detail::split_names(names)) {
          INFO(entry.type << " " << property);
          const std::string before = cfn_resource(entry.type, "      " + std::string(property) + ": old-value\n");
          const std::string after = cfn_resource(entry.type, "      " + std::string(property) + ": new-value\n");
          const DiffReport report = compare(before, after);
          REQUIRE(report.changes.size() == 1);
          CHECK(report.changes[0].replacement == expected);
          REQUIRE(report.changes[0].properties.size() == 1);
          CHECK(report.changes[0].properties[0].replacement == expected);
          // Adding the property replaces the resource as well.
          CHECK(compare(cfn_resource(entry.type, "      Other: x\n"), after).changes.at(0).replacement == expected);
        }
      }
      // A property outside the table is an in-place update.
      CHECK(compare(cfn_resource(entry.type, "      NotAReplacementProperty: a\n"),
                    cfn_resource(entry.type, "      NotAReplacementProperty: b\n"))
                .changes.at(0)
                .replacement == Replacement::None);
    }
  }
}

TEST_CASE("Every Terraform replacement table entry flags a replacement", "[diff]") {
  for (const auto& entry : diff_detail::terraform_replacements()) {
    DYNAMIC_SECTION(entry.type) {
      CHECK(entry.may_replace.empty());
      for (std::string_view argument : diff_detail::split_names(entry.replaces)) {
        INFO(entry.type << " " << argument);
        const DiffReport report = compare(tf_resource(entry.type, R"({")" + std::string(argument) + R"(": "old"})"),
                                          tf_resource(entry.type, R"({")" + std::string(argument) + R"(": "new"})"));
        REQUIRE(report.changes.size() == 1);
        CHECK(report.changes[0].id == std::string(entry.type) + ".r");
        CHECK(report.changes[0].replacement == Replacement::Always);
        CHECK(report.changes[0].properties.at(0).replacement == Replacement::Always);
      }
      CHECK(compare(tf_resource(entry.type, R"({"tags": {"Name": "a"}})"),
                    tf_resource(entry.type, R"({"tags": {"Name": "b"}})"))
                .changes.at(0)
                .replacement == Replacement::None);
    }
  }
}

TEST_CASE("Every typed node in the public headers is in the catalog the diff and docs are derived from", "[diff]") {
  // Every `class X final : public Node<` of include/hipaa/aws/<service>.hpp, as "<service>::X".
  std::set<std::string> declared;
  const std::regex node_pattern(R"RE(class (\w+) final : public Node<)RE");
  for (const auto& file :
       std::filesystem::directory_iterator(std::filesystem::path(HIPAA_SOURCE_DIR) / "include/hipaa/aws")) {
    std::ifstream in(file.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string source = text.str();
    for (std::sregex_iterator it(source.begin(), source.end(), node_pattern), end; it != end; ++it) {
      declared.insert(file.path().stem().string() + "::" + (*it)[1].str());
    }
  }
  std::set<std::string> catalogued;
  for (const NodeInfo* node : detail::node_catalog()) CHECK(catalogued.insert(std::string(node->name)).second);
  CHECK(catalogued == declared);
}

TEST_CASE("The replacement tables list every declared target type once, as its nodes declare it", "[diff]") {
  std::map<std::pair<Target, std::string_view>, const TargetType*> first;
  for (const NodeInfo* node : detail::node_catalog()) {
    INFO(node->name);
    CHECK_FALSE(node->primary(Target::CloudFormation).empty());
    CHECK_FALSE(node->primary(Target::Terraform).empty());
    for (const TargetType& type : node->declared()) {
      INFO(type.name);
      // Two nodes that emit one type (an RDS instance, an Aurora cluster member) agree on it.
      const auto [it, inserted] = first.emplace(std::pair{type.target, type.name}, &type);
      CHECK(it->second->replaces == type.replaces);
      CHECK(it->second->may_replace == type.may_replace);
      CHECK((type.target == Target::CloudFormation ? type.name.starts_with("AWS::") : type.name.starts_with("aws_")));
      for (auto word : diff_detail::split_names(type.replaces)) CHECK_FALSE(word.empty());
    }
  }
  auto listed = [](std::span<const diff_detail::ReplacementEntry> table) {
    std::vector<std::string_view> out;
    for (const auto& e : table) out.push_back(e.type);
    return out;
  };
  std::vector<std::string_view> cloudformation;
  std::vector<std::string_view> terraform;
  for (const auto& [key, type] : first)
    (key.first == Target::CloudFormation ? cloudformation : terraform).push_back(key.second);
  CHECK(listed(diff_detail::cloudformation_replacements()) == cloudformation);
  CHECK(listed(diff_detail::terraform_replacements()) == terraform);
  CHECK(cloudformation.size() >= 37);
}

TEST_CASE("Changing a CloudFormation resource's Type is a replacement", "[diff]") {
  const DiffReport report =
      compare("Resources:\n  R:\n    Type: AWS::SQS::Queue\n", "Resources:\n  R:\n    Type: AWS::SNS::Topic\n");
  REQUIRE(report.changes.size() == 1);
  CHECK(report.changes[0].replacement == Replacement::Always);
  CHECK(report.changes[0].type == "AWS::SNS::Topic");
  CHECK(paths(report.changes[0]) == std::vector<std::string>{"Type"});
}

// ---- Terraform ---------------------------------------------------------------------------------

constexpr std::string_view kTerraformOld = R"JSON({
  "terraform": {
    "required_version": ">= 1.11",
    "required_providers": {"aws": {"source": "hashicorp/aws", "version": ">= 5.100, < 7.0"}},
    "backend": {"s3": {"bucket": "state", "key": "dev/healthcare.tfstate", "region": "us-east-1", "encrypt": true}}
  },
  "provider": {"aws": {"region": "us-east-1", "default_tags": {"tags": {"Compliance": "HIPAA"}}}},
  "variable": {"environment_suffix": {"type": "string", "default": "dev"}},
  "data": {
    "aws_iam_policy_document": {
      "data_key_policy": {
        "statement": [{"sid": "EnableIamPolicies", "effect": "Allow", "actions": ["kms:*"], "resources": ["*"],
                       "principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::111122223333:root"]}]}]
      }
    }
  },
  "resource": {
    "aws_kms_key": {"data_key": {"enable_key_rotation": true, "policy": "${data.aws_iam_policy_document.data_key_policy.json}"}},
    "aws_security_group": {
      "db": {"name": "db", "vpc_id": "${aws_vpc.vpc.id}",
             "ingress": [{"protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidr_blocks": ["10.0.0.0/16"]}]}
    },
    "aws_rds_cluster": {
      "database_cluster": {"engine": "aurora-postgresql", "storage_encrypted": true, "deletion_protection": true,
                           "backup_retention_period": 7, "skip_final_snapshot": false}
    }
  }
})JSON";

constexpr std::string_view kTerraformNew = R"JSON({
  "terraform": {
    "required_version": ">= 1.11",
    "required_providers": {"aws": {"source": "hashicorp/aws", "version": ">= 6.0, < 7.0"}},
    "backend": {"s3": {"bucket": "state-2", "key": "dev/healthcare.tfstate", "region": "us-east-1", "encrypt": false}}
  },
  "provider": {"aws": {"region": "eu-west-1", "default_tags": {"tags": {"Compliance": "HIPAA"}}}},
  "variable": {"environment_suffix": {"type": "string", "default": "prod"}},
  "data": {
    "aws_iam_policy_document": {
      "data_key_policy": {
        "statement": [{"sid": "EnableIamPolicies", "effect": "Allow", "actions": ["kms:*"], "resources": ["*"],
                       "principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::111122223333:root"]}]},
                      {"effect": "Allow", "actions": ["kms:Decrypt"], "resources": ["*"],
                       "principals": [{"type": "*", "identifiers": ["*"]}]}]
      }
    }
  },
  "resource": {
    "aws_kms_key": {"data_key": {"enable_key_rotation": true, "policy": "${data.aws_iam_policy_document.data_key_policy.json}"}},
    "aws_security_group": {
      "db": {"name": "db", "vpc_id": "${aws_vpc.vpc.id}",
             "ingress": [{"protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidr_blocks": ["0.0.0.0/0"]}]}
    },
    "aws_rds_cluster": {
      "database_cluster": {"engine": "aurora-postgresql", "storage_encrypted": false, "deletion_protection": false,
                           "backup_retention_period": 1, "skip_final_snapshot": true}
    }
  },
  "output": {"vpc_id": {"value": "${aws_vpc.vpc.id}"}}
})JSON";

TEST_CASE("Terraform settings, providers, variables, outputs and resources are diffed", "[diff]") {
  const DiffReport report = compare(kTerraformOld, kTerraformNew);
  CHECK(report.kind == DocumentKind::Terraform);
  std::vector<std::string> ids;
  for (const auto& c : report.changes) ids.push_back(c.section + " " + c.id);
  CHECK(ids == std::vector<std::string>{
                   "terraform backend.s3", "terraform required_providers.aws", "provider aws",
                   "variable environment_suffix", "data data.aws_iam_policy_document.data_key_policy",
                   "resource aws_rds_cluster.database_cluster", "resource aws_security_group.db", "output vpc_id"});
  CHECK(paths(*change_of(report, "backend.s3")) == std::vector<std::string>{"bucket", "encrypt"});
  CHECK(paths(*change_of(report, "required_providers.aws")) == std::vector<std::string>{"version"});
  CHECK(paths(*change_of(report, "aws")) == std::vector<std::string>{"region"});
  CHECK(paths(*change_of(report, "environment_suffix")) == std::vector<std::string>{"default"});
  CHECK(change_of(report, "vpc_id")->kind == ChangeKind::Added);
  const Change* cluster = change_of(report, "aws_rds_cluster.database_cluster");
  CHECK(cluster->type == "aws_rds_cluster");
  CHECK(cluster->replacement == Replacement::Always);  // storage_encrypted forces a new resource
  CHECK(property_of(*cluster, "storage_encrypted")->replacement == Replacement::Always);
  CHECK(property_of(*cluster, "deletion_protection")->replacement == Replacement::None);
  CHECK(paths(*change_of(report, "aws_security_group.db")) == std::vector<std::string>{"ingress[0].cidr_blocks[0]"});
}

TEST_CASE("Terraform security changes: key policy, rules, state encryption and safeguards", "[diff]") {
  const DiffReport report = compare(kTerraformOld, kTerraformNew);
  CHECK(
      findings(report) ==
      std::vector<std::string>{
          "KMS key policy | data.aws_iam_policy_document.data_key_policy |  | statement added: Allow kms:Decrypt on * "
          "for * | weakens",
          "Security group | aws_security_group.db | ingress | rule added: ingress tcp port 5432 from 0.0.0.0/0 "
          "(anywhere) | weakens",
          "Security group | aws_security_group.db | ingress | rule removed: ingress tcp port 5432 from 10.0.0.0/16",
          "Encryption | aws_rds_cluster.database_cluster | storage_encrypted | encryption at rest turned off | weakens",
          "Encryption | backend.s3 | encrypt | state encryption turned off | weakens",
          "Deletion protection | aws_rds_cluster.database_cluster | deletion_protection | deletion protection turned "
          "off | weakens",
          "Deletion protection | aws_rds_cluster.database_cluster | skip_final_snapshot | final snapshot skipped on "
          "deletion | weakens",
          "Backup retention | aws_rds_cluster.database_cluster | backup_retention_period | backup retention shortened "
          "| weakens",
          "Data loss | aws_rds_cluster.database_cluster |  | data store replaced by a new, empty one; the old data is "
          "deleted | weakens"});
}

TEST_CASE("Terraform JSON policies and role policy attachments are compared statement by statement", "[diff]") {
  const std::string policy_old =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]})";
  const std::string policy_new =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"]},{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})";
  auto file = [](const std::string& policy, std::string_view arn) {
    nlohmann::json j = {{"resource",
                         {{"aws_iam_policy", {{"p", {{"policy", policy}}}}},
                          {"aws_iam_role_policy_attachment", {{"a", {{"role", "app"}, {"policy_arn", arn}}}}}}}};
    return j.dump();
  };
  const DiffReport report = compare(file(policy_old, "arn:aws:iam::aws:policy/ReadOnlyAccess"),
                                    file(policy_new, "arn:aws:iam::aws:policy/AdministratorAccess"));
  CHECK(findings(report) ==
        std::vector<std::string>{"IAM | aws_iam_policy.p | policy | statement added: Allow s3:* on * | weakens",
                                 "IAM | aws_iam_role_policy_attachment.a |  | managed policy added: "
                                 "arn:aws:iam::aws:policy/AdministratorAccess attached to app | weakens",
                                 "IAM | aws_iam_role_policy_attachment.a |  | managed policy removed: "
                                 "arn:aws:iam::aws:policy/ReadOnlyAccess attached to app"});
}

// ---- Errors ------------------------------------------------------------------------------------

TEST_CASE("Mixing a CloudFormation template and a Terraform file is an error", "[diff]") {
  const DiffReport report = diff(load("Resources: {}\n", "stack.yaml"), load(R"({"resource": {}})", "main.tf.json"));
  REQUIRE(report.diagnostics.size() == 1);
  CHECK(report.diagnostics[0].code == "HS6004");
  CHECK(report.diagnostics[0].message == "cannot compare stack.yaml (CloudFormation) with main.tf.json (Terraform)");
  CHECK(report.changes.empty());
  CHECK(exit_status(report) == 2);
  CHECK(render_text(report, false) ==
        "error HS6004: cannot compare stack.yaml (CloudFormation) with main.tf.json (Terraform)\n"
        "  hint: diff two CloudFormation templates or two Terraform JSON files\n");
}

TEST_CASE("Text that is not a template is one clear error", "[diff]") {
  for (std::string_view text :
       {"", "name: value\nlist: [1, 2]\n", "[1, 2, 3]", "just words", R"({"Description": "x"})"}) {
    INFO(text);
    LoadedDocument document;
    const Diagnostics problems = load_document(text, "notes.yaml", document);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].code == "HS6003");
    CHECK(problems[0].message == "notes.yaml is not a CloudFormation template or Terraform JSON file");
  }
}

TEST_CASE("Invalid YAML or JSON is an error with its line", "[diff]") {
  LoadedDocument document;
  const Diagnostics yaml = load_document("Resources:\n  A: [1,\n  B: 2\n", "bad.yaml", document);
  REQUIRE(yaml.size() == 1);
  CHECK(yaml[0].code == "HS6002");
  CHECK(yaml[0].file == "bad.yaml");
  CHECK(yaml[0].line > 0);
  CHECK(yaml[0].message.starts_with("bad.yaml is not valid YAML or JSON: "));
  const Diagnostics json = load_document("{\n  \"resource\": {\n    \"a\": [1, 2\n  }\n}\n", "bad.json", document);
  REQUIRE(json.size() == 1);
  CHECK(json[0].code == "HS6002");
  CHECK(json[0].line == 4);
  CHECK(json[0].message.starts_with("bad.json is not valid JSON: "));
}

TEST_CASE("An unreadable file is an error naming it", "[diff]") {
  LoadedDocument document;
  const auto missing = std::filesystem::temp_directory_path() / "hipaa-synth-diff-test-no-such-file.yaml";
  const Diagnostics problems = load_document_file(missing, document);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].code == "HS6001");
  CHECK(problems[0].message == "cannot read " + missing.string() + ": No such file or directory");
  const Diagnostics directory = load_document_file(std::filesystem::temp_directory_path(), document);
  REQUIRE(directory.size() == 1);
  CHECK(directory[0].code == "HS6001");
  CHECK(directory[0].message.ends_with("it is a directory, not a regular file"));
}

TEST_CASE("YAML aliases that form a cycle, expand past the limit or nest too deep are errors, not a crash", "[diff]") {
  LoadedDocument document;
  // yaml-cpp resolves `*a` inside `&a` to the node itself, and every walk of the document recursed
  // until the stack ran out (seed corpus/diff_cloudformation_yaml/alias-cycle.yaml).
  const Diagnostics cycle = load_document("Resources: &a [*a]\n", "cycle.yaml", document);
  REQUIRE(cycle.size() == 1);
  CHECK(cycle[0].code == "HS6002");
  CHECK(cycle[0].line == 1);
  CHECK(cycle[0].message == "cycle.yaml is not valid YAML or JSON: an alias inside the node it refers to (a cycle)");

  // Nine levels of nine aliases each would be 387 million nodes.
  std::string laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    std::string row;
    for (int j = 0; j < 9; ++j) row += (j == 0 ? "*a" : ", *a") + std::to_string(i - 1);
    laughs += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + row + "]\n";
  }
  const Diagnostics expanded = load_document("Resources:\n" + laughs, "laughs.yaml", document);
  REQUIRE(expanded.size() == 1);
  CHECK(expanded[0].message == "laughs.yaml is not valid YAML or JSON: aliases expand to more than 100000 nodes");

  // 150 levels, aliased 100 levels down: 250 once expanded.
  const std::string deep = "Deep: &d " + std::string(150, '[') + std::string(150, ']') + "\n";
  const Diagnostics nested =
      load_document("Resources:\n  " + deep + "  Use: " + std::string(100, '[') + "*d" + std::string(100, ']') + "\n",
                    "nested.yaml", document);
  REQUIRE(nested.size() == 1);
  CHECK(nested[0].message ==
        "nested.yaml is not valid YAML or JSON: nesting deeper than 200 levels once the alias is expanded");

  // Aliases within the bounds load as copies of their anchored node.
  REQUIRE(load_document("Resources:\n  A: &p {Type: AWS::SQS::Queue}\n  B: *p\n", "ok.yaml", document).empty());
  const doc::Node* b = document.root.find("Resources")->find("B");
  REQUIRE(b != nullptr);
  CHECK(b->find("Type")->get_if<std::string>() != nullptr);
}

TEST_CASE("A JSON number no double holds is a parse error, not an uncaught exception", "[diff]") {
  // Found by tests/fuzz (fuzz_diff_cloudformation_json): nlohmann throws out_of_range, not
  // parse_error, for it, and `diff` terminated.
  try {
    (void)detail::parse_json(R"({"Resources": {"A": 1e999}})");
    FAIL("1e999 parsed");
  } catch (const detail::ParseError& e) {
    CHECK(std::string(e.what()) == "number overflow parsing '1e999'");
  }
  // The loader then reads it as YAML flow style, where 1e999 is a plain string.
  LoadedDocument document;
  REQUIRE(load_document(R"({"Resources": {"A": 1e999}})", "big.json", document).empty());
  const doc::Node* a = document.root.find("Resources")->find("A");
  REQUIRE(a != nullptr);
  CHECK(a->get_if<std::string>() != nullptr);
}

TEST_CASE("A FIFO is refused without blocking, and documents nested past 200 levels are errors", "[diff]") {
  test::ScratchDir dir("diff-input");
  const auto fifo = dir.path / "template.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  LoadedDocument document;
  const Diagnostics problems = load_document_file(fifo, document);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message == "cannot read " + fifo.string() + ": it is a FIFO, not a regular file");

  const std::string deep = std::string(17000, '[') + std::string(17000, ']');
  const Diagnostics json = load_document(deep, "deep.json", document);
  REQUIRE(json.size() == 1);
  CHECK(json[0].code == "HS6002");
  CHECK(json[0].message == "deep.json is not valid JSON: nesting deeper than 200 levels");
  const Diagnostics yaml = load_document("Resources: " + deep, "deep.yaml", document);
  REQUIRE(yaml.size() == 1);
  CHECK(yaml[0].message == "deep.yaml is not valid YAML or JSON: nesting deeper than 200 levels");
  // Nesting within the limit is fine.
  CHECK(load_document("Resources: {A: " + std::string(150, '[') + std::string(150, ']') + "}", "ok.yaml", document)
            .empty());
}

TEST_CASE("A file loads with its name", "[diff]") {
  const auto path = std::filesystem::temp_directory_path() / "hipaa-synth-diff-test.json";
  {
    std::ofstream out(path);
    out << kExcerptJson;
  }
  LoadedDocument document;
  CHECK(load_document_file(path, document).empty());
  std::filesystem::remove(path);
  CHECK(document.name == path.string());
  CHECK(document.kind == DocumentKind::CloudFormation);
}

// ---- Renderings --------------------------------------------------------------------------------

constexpr std::string_view kSmallOld = R"(Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      StorageEncrypted: true
      Tags: [{Key: Name, Value: db}]
)";

constexpr std::string_view kSmallNew = R"(Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      StorageEncrypted: false
      Tags: [{Key: Name, Value: patients}]
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 365
)";

TEST_CASE("Text output for a small change is exact", "[diff]") {
  const DiffReport report = compare(kSmallOld, kSmallNew);
  CHECK(render_text(report, false) == R"(CloudFormation diff: old.yaml -> new.yaml

Security-relevant changes
  [!] Encryption: Database Properties.StorageEncrypted: encryption at rest turned off (true -> false)
  [!] Data loss: Database: data store replaced by a new, empty one; the old data is deleted

Resources
  [~] AWS::RDS::DBInstance Database (replacement)
      [~] Properties.StorageEncrypted: true -> false (requires replacement)
      [~] Properties.Tags[0].Value: "db" -> "patients"
  [+] AWS::Logs::LogGroup Logs

1 added, 0 removed, 1 modified; 1 replacement; 2 security-relevant changes (2 weakening)
)");
  const std::string colored = render_text(report, true);
  CHECK(colored.find("\x1b[1;31m[!]\x1b[0m") != std::string::npos);
  CHECK(colored.find("\x1b[32m[+]\x1b[0m") != std::string::npos);
  CHECK(render_text(report, false).find('\x1b') == std::string::npos);
}

TEST_CASE("Markdown output for a small change is exact", "[diff]") {
  const DiffReport report = compare(kSmallOld, kSmallNew);
  CHECK(render_markdown(report) == R"(### CloudFormation diff: `old.yaml` → `new.yaml`

1 added, 0 removed, 1 modified; 1 replacement; 2 security-relevant changes (2 weakening)

#### Security-relevant changes

- ⚠️ **Encryption** `Database` `Properties.StorageEncrypted`: encryption at rest turned off (`true` → `false`)
- ⚠️ **Data loss** `Database`: data store replaced by a new, empty one; the old data is deleted

#### Resources

- **modified** `AWS::RDS::DBInstance` `Database` — **replacement**
  - `Properties.StorageEncrypted`: `true` → `false` — **requires replacement**
  - `Properties.Tags[0].Value`: `"db"` → `"patients"`
- **added** `AWS::Logs::LogGroup` `Logs`
)");
}

TEST_CASE("JSON output for a small change is exact", "[diff]") {
  const DiffReport report = compare(kSmallOld, kSmallNew);
  CHECK(render_json(report) == R"JSON({
  "kind": "CloudFormation",
  "old": "old.yaml",
  "new": "new.yaml",
  "identical": false,
  "summary": {
    "added": 1,
    "removed": 0,
    "modified": 1,
    "replacements": 1,
    "possible_replacements": 0,
    "security": 2,
    "weakening": 2,
    "strengthening": 0
  },
  "security": [
    {
      "category": "Encryption",
      "resource": "Database",
      "path": "Properties.StorageEncrypted",
      "detail": "encryption at rest turned off",
      "old": true,
      "new": false,
      "weakens": true
    },
    {
      "category": "Data loss",
      "resource": "Database",
      "path": "",
      "detail": "data store replaced by a new, empty one; the old data is deleted",
      "weakens": true
    }
  ],
  "strengthening": [],
  "changes": [
    {
      "section": "Resources",
      "id": "Database",
      "type": "AWS::RDS::DBInstance",
      "change": "modified",
      "replacement": "always",
      "properties": [
        {
          "path": "Properties.StorageEncrypted",
          "old": true,
          "new": false,
          "replacement": "always"
        },
        {
          "path": "Properties.Tags[0].Value",
          "old": "db",
          "new": "patients"
        }
      ]
    },
    {
      "section": "Resources",
      "id": "Logs",
      "type": "AWS::Logs::LogGroup",
      "change": "added",
      "replacement": "none",
      "properties": []
    }
  ],
  "diagnostics": []
}
)JSON");
  CHECK(nlohmann::json::parse(render_json(report))["changes"].size() == 2);
}

TEST_CASE("No differences renders one line, and intrinsics show in long form", "[diff]") {
  const DiffReport same = compare(kSmallOld, kSmallOld);
  CHECK(render_text(same, true) == "No differences between old.yaml and new.yaml.\n");
  CHECK(render_markdown(same) == "No differences between `old.yaml` and `new.yaml`.\n");
  const auto json = nlohmann::json::parse(render_json(same));
  CHECK(json["identical"] == true);
  CHECK(json["changes"].empty());

  const DiffReport report =
      compare("Resources:\n  Alias:\n    Type: AWS::KMS::Alias\n    Properties: {TargetKeyId: !Ref A}\n",
              "Resources:\n  Alias:\n    Type: AWS::KMS::Alias\n    Properties: {TargetKeyId: !GetAtt B.Arn}\n");
  CHECK(render_text(report, false).find(R"(Properties.TargetKeyId: {"Ref":"A"} -> {"Fn::GetAtt":["B","Arn"]})") !=
        std::string::npos);
}

TEST_CASE("A possible replacement is shown as such", "[diff]") {
  const DiffReport report = compare(cfn_resource("AWS::RDS::DBInstance", "      Engine: postgres\n"),
                                    cfn_resource("AWS::RDS::DBInstance", "      Engine: mysql\n"));
  REQUIRE(report.changes.size() == 1);
  CHECK(report.changes[0].replacement == Replacement::Conditional);
  const std::string text = render_text(report, false);
  CHECK(text.find("  [~] AWS::RDS::DBInstance R (possible replacement)\n") != std::string::npos);
  CHECK(text.find("      [~] Properties.Engine: \"postgres\" -> \"mysql\" (may require replacement)\n") !=
        std::string::npos);
  CHECK(text.find("; 1 possible replacement;") != std::string::npos);
  CHECK(
      has_finding(report, "Data loss", "R", "data store may be replaced by a new, empty one; the old data is deleted"));
}

TEST_CASE("Condition intrinsics and provider aliases load in both forms", "[diff]") {
  const DiffReport conditions = compare(
      "Resources: {}\nConditions:\n  Both: !And [!Condition A, !Condition B]\n",
      R"JSON({"Resources": {}, "Conditions": {"Both": {"Fn::And": [{"Condition": "A"}, {"Condition": "B"}]}}})JSON");
  CHECK(conditions.empty());

  const DiffReport providers = compare(
      R"JSON({"provider": {"aws": [{"region": "us-east-1"}, {"alias": "replica", "region": "us-west-2"}]}})JSON",
      R"JSON({"provider": {"aws": [{"region": "us-east-1"}, {"alias": "replica", "region": "eu-west-1"}]}})JSON");
  REQUIRE(providers.changes.size() == 1);
  CHECK(providers.changes[0].section == "provider");
  CHECK(providers.changes[0].id == "aws.replica");
  CHECK(paths(providers.changes[0]) == std::vector<std::string>{"region"});
}

TEST_CASE("A Terraform database removed with a final snapshot keeps its data", "[diff]") {
  const std::string with_snapshot =
      tf_resource("aws_db_instance",
                  R"({"engine": "postgres", "final_snapshot_identifier": "db-final", "skip_final_snapshot": false})");
  CHECK(findings(compare(with_snapshot, R"({"resource": {}})")) ==
        std::vector<std::string>{
            "Data loss | aws_db_instance.r |  | data store removed; a final snapshot keeps the old data"});
  const std::string without = tf_resource("aws_db_instance", R"({"engine": "postgres", "skip_final_snapshot": true})");
  CHECK(
      findings(compare(without, R"({"resource": {}})")) ==
      std::vector<std::string>{"Data loss | aws_db_instance.r |  | data store removed; its data is deleted | weakens"});
}

// ---- Replacement through references ------------------------------------------------------------

// An Aurora cluster in a subnet group, with one member: renaming the subnet group replaces all three.
std::string aurora_cloudformation(std::string_view subnet_group_name) {
  return R"(Resources:
  DbSubnetGroup:
    Type: AWS::RDS::DBSubnetGroup
    Properties:
      DBSubnetGroupName: )" +
         std::string(subnet_group_name) + R"(
      DBSubnetGroupDescription: private subnets
      SubnetIds: [subnet-1, subnet-2]
  DatabaseCluster:
    Type: AWS::RDS::DBCluster
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties:
      Engine: aurora-postgresql
      DBSubnetGroupName: !Ref DbSubnetGroup
      StorageEncrypted: true
  DatabaseWriter:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: aurora-postgresql
      DBInstanceClass: db.r6g.large
      DBClusterIdentifier: !Ref DatabaseCluster
  DatabasePortIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupName: !Sub '${DbSubnetGroup}-clients'
      IpProtocol: tcp
      FromPort: !GetAtt DatabaseCluster.Endpoint.Port
      ToPort: !GetAtt DatabaseCluster.Endpoint.Port
)";
}

TEST_CASE("A CloudFormation replacement propagates through references, with the chain and data-loss warnings",
          "[diff]") {
  const DiffReport report = compare(aurora_cloudformation("records-db"), aurora_cloudformation("records-db-v2"));
  CHECK(render_text(report, false) == R"(CloudFormation diff: old.yaml -> new.yaml

Security-relevant changes
  [i] Data loss: DatabaseCluster: data store replaced by a new, empty one; UpdateReplacePolicy Snapshot keeps the old data
  [!] Data loss: DatabaseWriter: data store replaced by a new, empty one; the old data is deleted

Resources
  [~] AWS::RDS::DBCluster DatabaseCluster (replacement)
      replaced because DbSubnetGroup is replaced and DBSubnetGroupName takes its name
  [~] AWS::EC2::SecurityGroupIngress DatabasePortIngress (replacement)
      replaced because DbSubnetGroup is replaced and GroupName takes its name
  [~] AWS::RDS::DBInstance DatabaseWriter (replacement)
      replaced because DatabaseCluster is replaced (because DbSubnetGroup is replaced and DBSubnetGroupName takes its name) and DBClusterIdentifier takes its id
  [~] AWS::RDS::DBSubnetGroup DbSubnetGroup (replacement)
      [~] Properties.DBSubnetGroupName: "records-db" -> "records-db-v2" (requires replacement)

0 added, 0 removed, 4 modified; 4 replacements; 2 security-relevant changes (1 weakening)
)");
  const auto json = nlohmann::json::parse(render_json(report));
  CHECK(json["summary"]["replacements"] == 4);
  CHECK(json["changes"][0]["id"] == "DatabaseCluster");
  CHECK(json["changes"][0]["replacement"] == "always");
  CHECK(json["changes"][0]["replaced_because"] == "DbSubnetGroup is replaced and DBSubnetGroupName takes its name");
  CHECK(json["changes"][0]["properties"].empty());
  CHECK(!json["changes"][3].contains("replaced_because"));
  CHECK(render_markdown(report).find("  - replaced because DbSubnetGroup is replaced and DBSubnetGroupName takes its "
                                     "name\n") != std::string::npos);
}

TEST_CASE("Only references whose value changes with the replacement propagate it", "[diff]") {
  // The cluster is replaced (StorageEncrypted); the ingress rule's ports take its port, which the
  // new cluster keeps; its GroupName takes the subnet group's name, which is not replaced.
  std::string before = aurora_cloudformation("records-db");
  std::string after = before;
  after.replace(after.find("StorageEncrypted: true"), 22, "StorageEncrypted: false");
  const DiffReport report = compare(before, after);
  CHECK(change_of(report, "DatabaseCluster")->replacement == Replacement::Always);
  CHECK(change_of(report, "DatabaseCluster")->replaced_because.empty());
  CHECK(change_of(report, "DatabaseWriter")->replaced_because ==
        "DatabaseCluster is replaced and DBClusterIdentifier takes its id");
  CHECK(change_of(report, "DatabasePortIngress") == nullptr);
  CHECK(change_of(report, "DbSubnetGroup") == nullptr);
}

std::string aurora_terraform(std::string_view subnet_group_name, std::string_view description) {
  return R"({"resource": {
  "aws_db_subnet_group": {"db": {"name": ")" +
         std::string(subnet_group_name) + R"(", "description": ")" + std::string(description) +
         R"(", "subnet_ids": ["subnet-1"]}},
  "aws_rds_cluster": {"db": {"engine": "aurora-postgresql", "db_subnet_group_name": "${aws_db_subnet_group.db.name}",
                             "skip_final_snapshot": true}},
  "aws_rds_cluster_instance": {"writer": {"engine": "aurora-postgresql", "instance_class": "db.r6g.large",
                                          "cluster_identifier": "${aws_rds_cluster.db.id}"}}
}})";
}

TEST_CASE("A Terraform replacement propagates through interpolations to a fixed point", "[diff]") {
  const DiffReport report =
      compare(aurora_terraform("records-db", "private"), aurora_terraform("records-db-v2", "private"));
  CHECK(findings(report) ==
        std::vector<std::string>{
            "Data loss | aws_rds_cluster.db |  | data store replaced by a new, empty one; the old data is deleted | "
            "weakens"});
  CHECK(change_of(report, "aws_rds_cluster.db")->replaced_because ==
        "aws_db_subnet_group.db is replaced and db_subnet_group_name takes its name");
  CHECK(change_of(report, "aws_rds_cluster_instance.writer")->replaced_because ==
        "aws_rds_cluster.db is replaced (because aws_db_subnet_group.db is replaced and db_subnet_group_name takes "
        "its name) and cluster_identifier takes its id");
  const auto json = nlohmann::json::parse(render_json(report));
  CHECK(json["summary"]["replacements"] == 3);
  CHECK(json["changes"][1]["id"] == "aws_rds_cluster.db");
  CHECK(json["changes"][1]["replaced_because"] ==
        "aws_db_subnet_group.db is replaced and db_subnet_group_name takes its name");
}

TEST_CASE("A Terraform argument the configuration sets keeps its value across a replacement", "[diff]") {
  // A new description replaces group a under the same name: b takes the name, which the plan
  // knows and which does not change; c takes the id, unknown until the new group exists.
  const auto groups = [](std::string_view description) {
    return R"({"resource": {"aws_security_group": {
  "a": {"name": "a", "description": ")" +
           std::string(description) + R"("},
  "b": {"description": "peer of ${aws_security_group.a.name}"},
  "c": {"description": "peer of ${aws_security_group.a.id}, not $${aws_security_group.b.id}"}}}})";
  };
  const DiffReport report = compare(groups("first"), groups("second"));
  CHECK(change_of(report, "aws_security_group.b") == nullptr);
  REQUIRE(change_of(report, "aws_security_group.c") != nullptr);
  CHECK(change_of(report, "aws_security_group.c")->replaced_because ==
        "aws_security_group.a is replaced and description takes its id");
  CHECK(report.changes.size() == 2);
}

TEST_CASE("Replacement through a cycle of references ends", "[diff]") {
  const auto groups = [](std::string_view name) {
    return R"(Resources:
  A:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: )" +
           std::string(name) +
           R"(
      GroupDescription: !Sub 'peer of ${B}'
  B:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Sub 'peer of ${A}'
  C:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Sub 'peer of ${B} in ${AWS::Region}, ${!Literal}'
)";
  };
  const DiffReport report = compare(groups("a"), groups("a2"));
  REQUIRE(report.changes.size() == 3);
  CHECK(change_of(report, "A")->replaced_because.empty());
  CHECK(change_of(report, "B")->replaced_because == "A is replaced and GroupDescription takes its id");
  CHECK(change_of(report, "C")->replaced_because ==
        "B is replaced (because A is replaced and GroupDescription takes its id) and GroupDescription takes its id");
  CHECK(std::all_of(report.changes.begin(), report.changes.end(),
                    [](const Change& c) { return c.replacement == Replacement::Always; }));
}

// ---- Modified statements -----------------------------------------------------------------------

std::string role_policy(std::string_view statement) {
  return R"(Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: Access
          PolicyDocument:
            Statement:
              - )" +
         std::string(statement) + "\n";
}

TEST_CASE("A widened IAM statement is one modified statement with what widened and narrowed", "[diff]") {
  const DiffReport report =
      compare(role_policy("{Sid: Records, Effect: Allow, Action: s3:GetObject, Resource: 'arn:aws:s3:::records/*', "
                          "Condition: {Bool: {aws:SecureTransport: 'true'}}}"),
              role_policy("{Sid: Records, Effect: Allow, Action: [s3:GetObject, s3:PutObject], Resource: '*'}"));
  CHECK(findings(report) ==
        std::vector<std::string>{
            "IAM | Role | Properties.Policies[Access].PolicyDocument | statement Records modified; widened: actions "
            "added s3:PutObject, resources added * (wildcard), conditions removed Bool aws:SecureTransport true; "
            "narrowed: resources removed arn:aws:s3:::records/* | weakens"});
  const std::string text = render_text(report, false);
  CHECK(
      text.find(
          R"(  [!] IAM: Role Properties.Policies[Access].PolicyDocument: statement Records modified; widened: actions added s3:PutObject, resources added * (wildcard), conditions removed Bool aws:SecureTransport true; narrowed: resources removed arn:aws:s3:::records/* ("Allow s3:GetObject on arn:aws:s3:::records/* when {\"Bool\":{\"aws:SecureTransport\":\"true\"}}" -> "Allow [s3:GetObject, s3:PutObject] on *"))"
          "\n") != std::string::npos);
  const auto json = nlohmann::json::parse(render_json(report));
  REQUIRE(json["security"].size() == 1);
  CHECK(json["security"][0]["old"] ==
        R"(Allow s3:GetObject on arn:aws:s3:::records/* when {"Bool":{"aws:SecureTransport":"true"}})");
  CHECK(json["security"][0]["new"] == "Allow [s3:GetObject, s3:PutObject] on *");
  CHECK(json["security"][0]["weakens"] == true);

  // Narrowing only is not a weakening.
  const DiffReport narrowed =
      compare(role_policy("{Effect: Allow, Action: [s3:GetObject, s3:PutObject], Resource: '*'}"),
              role_policy("{Effect: Allow, Action: s3:GetObject, Resource: '*'}"));
  CHECK(findings(narrowed) ==
        std::vector<std::string>{"IAM | Role | Properties.Policies[Access].PolicyDocument | statement modified; "
                                 "narrowed: actions removed s3:PutObject"});
}

TEST_CASE("A statement whose Sid is renamed is matched by its content", "[diff]") {
  const DiffReport report =
      compare(role_policy("{Sid: ReadSecret, Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: !Ref "
                          "Secret}"),
              role_policy("{Sid: GetTheSecret, Effect: Allow, Action: 'secretsmanager:*', Resource: !Ref Secret}"));
  CHECK(findings(report) ==
        std::vector<std::string>{
            "IAM | Role | Properties.Policies[Access].PolicyDocument | statement modified (Sid ReadSecret -> "
            "GetTheSecret); widened: actions added secretsmanager:* (wildcard); narrowed: actions removed "
            "secretsmanager:GetSecretValue | weakens"});
  // A Deny that covers more takes more away: narrowed, not a weakening; a statement with nothing
  // in common with the old one is an added and a removed statement.
  const DiffReport deny =
      compare(role_policy("{Effect: Deny, Action: s3:DeleteObject, Resource: '*'}"),
              role_policy("{Effect: Deny, Action: [s3:DeleteObject, s3:DeleteBucket], Resource: '*'}"));
  CHECK(findings(deny) == std::vector<std::string>{"IAM | Role | Properties.Policies[Access].PolicyDocument | "
                                                   "statement modified; narrowed: actions added s3:DeleteBucket"});
  CHECK(findings(compare(role_policy("{Effect: Allow, Action: s3:GetObject, Resource: a}"),
                         role_policy("{Effect: Allow, Action: sqs:SendMessage, Resource: b}"))) ==
        std::vector<std::string>{
            "IAM | Role | Properties.Policies[Access].PolicyDocument | statement added: Allow sqs:SendMessage on b | "
            "weakens",
            "IAM | Role | Properties.Policies[Access].PolicyDocument | statement removed: Allow s3:GetObject on a"});
}

TEST_CASE("A widened Terraform policy document statement is one modified statement", "[diff]") {
  const auto document = [](std::string_view actions) {
    return R"({"data": {"aws_iam_policy_document": {"access": {"statement": [{"sid": "Read", "actions": )" +
           std::string(actions) + R"(, "resources": ["${aws_s3_bucket.records.arn}"]}]}}}, "resource": {}})";
  };
  CHECK(findings(compare(document(R"(["s3:GetObject"])"), document(R"(["s3:GetObject", "s3:*"])"))) ==
        std::vector<std::string>{"IAM | data.aws_iam_policy_document.access |  | statement Read modified; widened: "
                                 "actions added s3:* (wildcard) | weakens"});
}

// ---- Strengthened safeguards -------------------------------------------------------------------

TEST_CASE("A safeguard switched on is listed as strengthened, in text and JSON", "[diff]") {
  const DiffReport report = compare(cfn_resource("AWS::RDS::DBCluster", "      DeletionProtection: false\n"),
                                    cfn_resource("AWS::RDS::DBCluster", "      DeletionProtection: true\n"));
  CHECK(report.security.empty());
  CHECK(render_text(report, false) == R"(CloudFormation diff: old.yaml -> new.yaml

Strengthened safeguards
  [+] Deletion protection: R Properties.DeletionProtection: reverses: deletion protection turned off (false -> true)

Resources
  [~] AWS::RDS::DBCluster R
      [~] Properties.DeletionProtection: false -> true

0 added, 0 removed, 1 modified; 1 strengthened safeguard
)");
  const auto json = nlohmann::ordered_json::parse(render_json(report));
  CHECK(json["summary"]["strengthening"] == 1);
  CHECK(
      json["strengthening"].dump() ==
      R"([{"category":"Deletion protection","resource":"R","path":"Properties.DeletionProtection","detail":"reverses: deletion protection turned off","old":false,"new":true}])");
  CHECK(render_markdown(report).find("#### Strengthened safeguards\n\n- **Deletion protection** `R` "
                                     "`Properties.DeletionProtection`: reverses: deletion protection turned off "
                                     "(`false` → `true`)\n") != std::string::npos);

  // Public access turned off, retention raised, a customer-managed key added (Terraform).
  CHECK(findings_of(compare(cfn_resource("AWS::RDS::DBInstance", "      PubliclyAccessible: true\n"),
                            cfn_resource("AWS::RDS::DBInstance", "      PubliclyAccessible: false\n"))
                        .strengthening) ==
        std::vector<std::string>{
            "Public access | R | Properties.PubliclyAccessible | reverses: made publicly accessible"});
  CHECK(findings_of(compare(cfn_resource("AWS::RDS::DBCluster", "      BackupRetentionPeriod: 7\n"),
                            cfn_resource("AWS::RDS::DBCluster", "      BackupRetentionPeriod: 35\n"))
                        .strengthening) ==
        std::vector<std::string>{
            "Backup retention | R | Properties.BackupRetentionPeriod | reverses: backup retention shortened"});
  CHECK(findings_of(compare(tf_resource("aws_cloudwatch_log_group", R"({"name": "audit"})"),
                            tf_resource("aws_cloudwatch_log_group",
                                        R"({"name": "audit", "kms_key_id": "${aws_kms_key.logs.arn}"})"))
                        .strengthening) ==
        std::vector<std::string>{
            "Encryption | aws_cloudwatch_log_group.r | kms_key_id | reverses: customer-managed KMS key removed"});
}
