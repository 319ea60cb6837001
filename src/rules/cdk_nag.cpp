// The rules of cdk-nag's HIPAA Security pack (3.0.2) that no hipaa-synth rule covers, each with
// why. Every other rule of the pack is named by some rule's `cdk_nag` field; tests/cdk-nag checks
// that the two together are the whole pack. docs/rules.md lists this table.
#include "rule_support.hpp"

namespace hipaa::rules::detail {

const std::vector<UncoveredCdkNagRule>& uncovered_cdk_nag_rules() {
  static constexpr std::string_view kAlb = "AWS::ElasticLoadBalancingV2::LoadBalancer is not modelled";
  static constexpr std::string_view kAlbListener = "AWS::ElasticLoadBalancingV2::Listener is not modelled";
  static constexpr std::string_view kClassicElb = "AWS::ElasticLoadBalancing::LoadBalancer is not modelled";
  static constexpr std::string_view kInstance = "AWS::EC2::Instance is not modelled";
  static constexpr std::string_view kOpenSearch =
      "AWS::OpenSearchService::Domain and AWS::Elasticsearch::Domain are not modelled";
  static constexpr std::string_view kRedshift = "AWS::Redshift::Cluster is not modelled";
  static const std::vector<UncoveredCdkNagRule> rules = {
      {"ALBHttpDropInvalidHeaderEnabled", kAlb},
      {"ALBHttpToHttpsRedirection", kAlbListener},
      {"AutoScalingGroupELBHealthCheckRequired", "AWS::AutoScaling::AutoScalingGroup is not modelled"},
      {"AutoScalingLaunchConfigPublicIpDisabled", "AWS::AutoScaling::LaunchConfiguration is not modelled"},
      {"CodeBuildProjectEnvVarAwsCred", "AWS::CodeBuild::Project is not modelled"},
      {"CodeBuildProjectSourceRepoUrl", "AWS::CodeBuild::Project is not modelled"},
      {"DMSReplicationNotPublic", "AWS::DMS::ReplicationInstance is not modelled"},
      {"EC2EBSInBackupPlan", "AWS::EC2::Volume is not modelled"},
      {"EC2EBSOptimizedInstance", kInstance},
      {"EC2IMDSv2Enabled",
       "AWS::EC2::Instance, AWS::EC2::LaunchTemplate and AWS::AutoScaling::LaunchConfiguration are not modelled"},
      {"EC2InstanceDetailedMonitoringEnabled", kInstance},
      {"EC2InstanceNoPublicIp", kInstance},
      {"EC2InstanceProfileAttached", kInstance},
      {"EC2InstancesInVPC", kInstance},
      {"ECSTaskDefinitionUserForHostMode", "AWS::ECS::TaskDefinition is not modelled"},
      {"EFSEncrypted", "AWS::EFS::FileSystem is not modelled"},
      {"EFSInBackupPlan", "AWS::EFS::FileSystem is not modelled"},
      {"ELBACMCertificateRequired", kClassicElb},
      {"ELBCrossZoneLoadBalancingEnabled", kClassicElb},
      {"ELBDeletionProtectionEnabled", kAlb},
      {"ELBLoggingEnabled",
       "AWS::ElasticLoadBalancing::LoadBalancer and AWS::ElasticLoadBalancingV2::LoadBalancer "
       "are not modelled"},
      {"ELBTlsHttpsListenersOnly", kClassicElb},
      {"ELBv2ACMCertificateRequired", kAlbListener},
      {"EMRKerberosEnabled", "AWS::EMR::Cluster is not modelled"},
      {"ElasticBeanstalkEnhancedHealthReportingEnabled", "AWS::ElasticBeanstalk::Environment is not modelled"},
      {"ElasticBeanstalkManagedUpdatesEnabled", "AWS::ElasticBeanstalk::Environment is not modelled"},
      {"IAMGroupHasUsers", "AWS::IAM::Group is not modelled"},
      {"IAMUserGroupMembership", "AWS::IAM::User is not modelled"},
      {"IAMUserNoPolicies",
       "AWS::IAM::User is not modelled, and iam::ManagedPolicy attaches to roles only (it has no Users)"},
      {"OpenSearchEncryptedAtRest", kOpenSearch},
      {"OpenSearchErrorLogsToCloudWatch", kOpenSearch},
      {"OpenSearchInVPCOnly", kOpenSearch},
      {"OpenSearchNodeToNodeEncryption", kOpenSearch},
      {"RedshiftBackupEnabled", kRedshift},
      {"RedshiftClusterConfiguration", kRedshift},
      {"RedshiftClusterMaintenanceSettings", kRedshift},
      {"RedshiftClusterPublicAccess", kRedshift},
      {"RedshiftEnhancedVPCRoutingEnabled", kRedshift},
      {"RedshiftRequireTlsSSL", "AWS::Redshift::Cluster and AWS::Redshift::ClusterParameterGroup are not modelled"},
      {"SageMakerEndpointConfigurationKMSKeyConfigured", "AWS::SageMaker::EndpointConfig is not modelled"},
      {"SageMakerNotebookInstanceKMSKeyConfigured", "AWS::SageMaker::NotebookInstance is not modelled"},
      {"SageMakerNotebookNoDirectInternetAccess", "AWS::SageMaker::NotebookInstance is not modelled"},
  };
  return rules;
}

}  // namespace hipaa::rules::detail
