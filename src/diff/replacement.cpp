#include "diff/replacement.hpp"

#include <algorithm>
#include <array>

namespace hipaa::diff_detail {
namespace {

// CloudFormation resource specification (@aws-cdk/aws-service-spec db.json: properties with
// causesReplacement "yes", then "maybe"), for the types hipaa-synth models.
constexpr std::array kCloudFormation = std::to_array<ReplacementEntry>({
    {"AWS::EC2::VPC", "CidrBlock Ipv4IpamPoolId Ipv4NetmaskLength VpcEncryptionControl", "InstanceTenancy"},
    {"AWS::EC2::InternetGateway", "", ""},
    {"AWS::EC2::VPCGatewayAttachment", "VpcId", ""},
    {"AWS::EC2::Subnet",
     "AvailabilityZone AvailabilityZoneId CidrBlock Ipv4IpamPoolId Ipv4NetmaskLength "
     "Ipv6IpamPoolId Ipv6Native Ipv6NetmaskLength OutpostArn VpcId",
     "Ipv6CidrBlock"},
    {"AWS::EC2::RouteTable", "VpcId", ""},
    {"AWS::EC2::Route", "DestinationCidrBlock DestinationIpv6CidrBlock DestinationPrefixListId RouteTableId", ""},
    {"AWS::EC2::SubnetRouteTableAssociation", "RouteTableId SubnetId", ""},
    {"AWS::EC2::SecurityGroup", "GroupDescription GroupName VpcId", ""},
    {"AWS::EC2::SecurityGroupIngress",
     "CidrIp CidrIpv6 FromPort GroupId GroupName IpProtocol SourcePrefixListId "
     "SourceSecurityGroupId SourceSecurityGroupName SourceSecurityGroupOwnerId ToPort",
     ""},
    {"AWS::EC2::SecurityGroupEgress",
     "CidrIp CidrIpv6 DestinationPrefixListId DestinationSecurityGroupId FromPort GroupId "
     "IpProtocol ToPort",
     ""},
    {"AWS::EC2::VPCEndpoint",
     "ResourceConfigurationArn ServiceName ServiceNetworkArn ServiceRegion VpcEndpointType VpcId", ""},
    {"AWS::EC2::FlowLog",
     "DeliverCrossAccountRole DeliverLogsPermissionArn DestinationOptions LogDestination "
     "LogDestinationType LogFormat LogGroupName MaxAggregationInterval ResourceId ResourceType "
     "TagFieldSpecifications TrafficType",
     ""},
    {"AWS::KMS::Key", "", ""},
    {"AWS::KMS::Alias", "AliasName", ""},
    {"AWS::SecretsManager::Secret", "Name", ""},
    {"AWS::RDS::DBSubnetGroup", "DBSubnetGroupName", ""},
    {"AWS::RDS::DBCluster",
     "AvailabilityZones ClusterScalabilityType DBClusterIdentifier DBSubnetGroupName DBSystemId "
     "DatabaseName EngineMode KmsKeyId PubliclyAccessible RestoreToTime RestoreType "
     "SnapshotIdentifier SourceDBClusterIdentifier SourceDbClusterResourceId SourceRegion "
     "StorageEncrypted UseLatestRestorableTime",
     "Engine GlobalClusterIdentifier MasterUsername"},
    {"AWS::RDS::DBInstance",
     "BackupTarget CharacterSetName CustomIAMInstanceProfile DBClusterIdentifier "
     "DBInstanceIdentifier DBName DBSubnetGroupName DBSystemId KmsKeyId MasterUsername "
     "NcharCharacterSetName Port SourceRegion StorageEncrypted Timezone",
     "AutoMinorVersionUpgrade AvailabilityZone BackupRetentionPeriod DBClusterSnapshotIdentifier "
     "DBParameterGroupName DBSnapshotIdentifier Engine MultiAZ PerformanceInsightsKMSKeyId "
     "PreferredMaintenanceWindow RestoreTime SourceDBClusterIdentifier "
     "SourceDBInstanceAutomatedBackupsArn SourceDBInstanceIdentifier SourceDbiResourceId "
     "StorageType UseLatestRestorableTime"},
    {"AWS::ElastiCache::SubnetGroup", "CacheSubnetGroupName", ""},
    {"AWS::ElastiCache::ReplicationGroup",
     "AtRestEncryptionEnabled CacheSubnetGroupName DataTieringEnabled Engine "
     "GlobalReplicationGroupId KmsKeyId NetworkType Port PreferredCacheClusterAZs "
     "ReplicasPerNodeGroup ReplicationGroupId SnapshotArns SnapshotName",
     "AuthToken NodeGroupConfiguration NumNodeGroups"},
    {"AWS::ElastiCache::User", "Engine UserId UserName", ""},
    {"AWS::ElastiCache::UserGroup", "Engine UserGroupId", ""},
    {"AWS::Logs::LogGroup", "LogGroupName", ""},
    {"AWS::IAM::Role", "Path RoleName", ""},
    {"AWS::IAM::ManagedPolicy", "Description ManagedPolicyName Path", ""},
    {"AWS::Lambda::Function", "FunctionName PackageType TenancyConfig", ""},
    {"AWS::Lambda::Permission",
     "Action EventSourceToken FunctionName FunctionUrlAuthType InvokedViaFunctionUrl Principal "
     "PrincipalOrgID SourceAccount SourceArn",
     ""},
    {"AWS::ApiGatewayV2::Api", "ProtocolType", ""},
    {"AWS::ApiGatewayV2::Stage", "ApiId StageName", ""},
    {"AWS::ApiGatewayV2::Integration", "ApiId", ""},
    {"AWS::ApiGatewayV2::Route", "ApiId", ""},
    {"AWS::ApiGateway::RestApi", "", ""},
    {"AWS::ApiGateway::Resource", "ParentId PathPart RestApiId", ""},
    {"AWS::ApiGateway::Method", "HttpMethod ResourceId RestApiId", ""},
    {"AWS::ApiGateway::Deployment", "DeploymentCanarySettings RestApiId", ""},
    {"AWS::ApiGateway::Stage", "RestApiId StageName", ""},
    {"AWS::ApiGateway::Account", "", ""},
});

// hashicorp/aws provider schema: top-level arguments with ForceNew (SDK resources) or
// RequiresReplace (framework resources), for the types hipaa-synth models.
constexpr std::array kTerraform = std::to_array<ReplacementEntry>({
    {"aws_vpc", "cidr_block ipv4_ipam_pool_id ipv4_netmask_length", ""},
    {"aws_internet_gateway", "", ""},
    {"aws_subnet",
     "availability_zone availability_zone_id cidr_block ipv4_ipam_pool_id ipv4_netmask_length "
     "ipv6_ipam_pool_id ipv6_native ipv6_netmask_length outpost_arn vpc_id",
     ""},
    {"aws_route_table", "vpc_id", ""},
    {"aws_route",
     "destination_cidr_block destination_ipv6_cidr_block destination_prefix_list_id "
     "route_table_id",
     ""},
    {"aws_route_table_association", "gateway_id subnet_id", ""},
    {"aws_security_group", "description name name_prefix vpc_id", ""},
    {"aws_vpc_security_group_ingress_rule", "security_group_id", ""},
    {"aws_vpc_security_group_egress_rule", "security_group_id", ""},
    {"aws_vpc_endpoint",
     "resource_configuration_arn service_name service_network_arn service_region "
     "vpc_endpoint_type vpc_id",
     ""},
    {"aws_flow_log",
     "deliver_cross_account_role destination_options eni_id iam_role_arn log_destination "
     "log_destination_type log_format max_aggregation_interval regional_nat_gateway_id subnet_id "
     "traffic_type transit_gateway_attachment_id transit_gateway_id vpc_id",
     ""},
    {"aws_kms_key", "custom_key_store_id customer_master_key_spec key_usage multi_region xks_key_id", ""},
    {"aws_kms_alias", "name name_prefix", ""},
    {"aws_secretsmanager_secret", "name name_prefix", ""},
    {"aws_secretsmanager_secret_version", "secret_binary secret_id secret_string secret_string_wo_version", ""},
    {"aws_db_subnet_group", "name name_prefix", ""},
    {"aws_rds_cluster",
     "availability_zones cluster_identifier cluster_identifier_prefix cluster_scalability_type "
     "database_name db_subnet_group_name db_system_id engine engine_mode kms_key_id "
     "master_username restore_to_point_in_time snapshot_identifier source_region "
     "storage_encrypted",
     ""},
    {"aws_rds_cluster_instance",
     "availability_zone cluster_identifier custom_iam_instance_profile db_subnet_group_name "
     "engine identifier identifier_prefix",
     ""},
    {"aws_db_instance",
     "availability_zone backup_target character_set_name custom_iam_instance_profile db_name "
     "engine kms_key_id nchar_character_set_name restore_to_point_in_time snapshot_identifier "
     "storage_encrypted timezone username",
     ""},
    {"aws_elasticache_subnet_group", "name", ""},
    {"aws_elasticache_replication_group",
     "at_rest_encryption_enabled data_tiering_enabled global_replication_group_id kms_key_id "
     "network_type port replication_group_id security_group_names snapshot_arns snapshot_name "
     "subnet_group_name",
     ""},
    {"aws_elasticache_user", "user_id user_name", ""},
    {"aws_elasticache_user_group", "engine user_group_id", ""},
    {"aws_cloudwatch_log_group", "log_group_class name name_prefix", ""},
    {"aws_iam_role", "name name_prefix path", ""},
    {"aws_iam_policy", "description name name_prefix path", ""},
    {"aws_iam_role_policy", "name name_prefix role", ""},
    {"aws_iam_role_policy_attachment", "policy_arn role", ""},
    {"aws_lambda_function", "function_name package_type tenancy_config", ""},
    {"aws_lambda_permission",
     "action event_source_token function_name function_url_auth_type invoked_via_function_url "
     "principal principal_org_id qualifier source_account source_arn statement_id "
     "statement_id_prefix",
     ""},
    {"aws_apigatewayv2_api", "credentials_arn protocol_type route_key target", ""},
    {"aws_apigatewayv2_stage", "api_id name", ""},
    {"aws_apigatewayv2_integration", "api_id integration_subtype integration_type", ""},
    {"aws_apigatewayv2_route", "api_id", ""},
    {"aws_api_gateway_rest_api", "", ""},
    {"aws_api_gateway_resource", "rest_api_id", ""},
    {"aws_api_gateway_method", "http_method resource_id rest_api_id", ""},
    {"aws_api_gateway_integration",
     "credentials http_method integration_http_method passthrough_behavior resource_id "
     "rest_api_id type",
     ""},
    {"aws_api_gateway_deployment", "rest_api_id triggers variables", ""},
    {"aws_api_gateway_stage", "rest_api_id stage_name", ""},
    {"aws_api_gateway_method_settings", "method_path rest_api_id stage_name", ""},
    {"aws_api_gateway_account", "", ""},
});

bool contains(std::string_view names, std::string_view name) {
  return std::ranges::any_of(split_names(names), [&](std::string_view word) { return word == name; });
}

}  // namespace

std::span<const ReplacementEntry> cloudformation_replacements() { return kCloudFormation; }
std::span<const ReplacementEntry> terraform_replacements() { return kTerraform; }

std::vector<std::string_view> split_names(std::string_view names) {
  std::vector<std::string_view> out;
  while (!names.empty()) {
    const auto space = names.find(' ');
    if (space != 0) out.push_back(names.substr(0, space));
    if (space == std::string_view::npos) break;
    names.remove_prefix(space + 1);
  }
  return out;
}

Replacement replacement_for(DocumentKind kind, std::string_view type, std::string_view property) {
  const auto table = kind == DocumentKind::CloudFormation ? cloudformation_replacements() : terraform_replacements();
  const auto it = std::find_if(table.begin(), table.end(), [&](const ReplacementEntry& e) { return e.type == type; });
  if (it == table.end()) return Replacement::None;
  if (contains(it->replaces, property)) return Replacement::Always;
  if (contains(it->may_replace, property)) return Replacement::Conditional;
  return Replacement::None;
}

}  // namespace hipaa::diff_detail
