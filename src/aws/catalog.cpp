#include "catalog.hpp"

#include <array>
#include <type_traits>

#include "hipaa/aws/apigateway.hpp"
#include "hipaa/aws/apigatewayv2.hpp"
#include "hipaa/aws/backup.hpp"
#include "hipaa/aws/cloudtrail.hpp"
#include "hipaa/aws/cloudwatch.hpp"
#include "hipaa/aws/cognito.hpp"
#include "hipaa/aws/dynamodb.hpp"
#include "hipaa/aws/ec2.hpp"
#include "hipaa/aws/elasticache.hpp"
#include "hipaa/aws/iam.hpp"
#include "hipaa/aws/kms.hpp"
#include "hipaa/aws/lambda.hpp"
#include "hipaa/aws/logs.hpp"
#include "hipaa/aws/rds.hpp"
#include "hipaa/aws/s3.hpp"
#include "hipaa/aws/secretsmanager.hpp"
#include "hipaa/aws/sns.hpp"
#include "hipaa/aws/sqs.hpp"
#include "hipaa/aws/wafv2.hpp"

namespace hipaa::detail {
namespace {

// Rules find resources by their exact type: a subclass of a node would escape every rule.
template <class... Nodes>
constexpr std::array<const NodeInfo*, sizeof...(Nodes)> infos_of() {
  static_assert((std::is_final_v<Nodes> && ...), "typed nodes are final");
  return {&Nodes::kInfo...};
}

}  // namespace

std::span<const NodeInfo* const> node_catalog() {
  // One service a line, so that adding a node is a one-line change.
  // clang-format off
  static constexpr auto kNodes = infos_of<
      ec2::Vpc, ec2::InternetGateway, ec2::Subnet, ec2::RouteTable, ec2::Route, ec2::SubnetRouteTableAssociation, ec2::SecurityGroup, ec2::SecurityGroupIngress, ec2::SecurityGroupEgress, ec2::NatGateway, ec2::VpcEndpoint, ec2::FlowLog,
      iam::Role, iam::ManagedPolicy, iam::GrantPolicy,
      kms::Key, kms::Alias,
      logs::LogGroup,
      secretsmanager::Secret,
      rds::SubnetGroup, rds::DatabaseCluster, rds::DatabaseClusterInstance, rds::DatabaseInstance,
      elasticache::SubnetGroup, elasticache::User, elasticache::UserGroup, elasticache::ReplicationGroup,
      lambda::Function, lambda::Permission,
      apigatewayv2::HttpApi, apigatewayv2::Stage, apigatewayv2::Integration, apigatewayv2::Authorizer, apigatewayv2::Route,
      apigateway::RestApi, apigateway::ApiResource, apigateway::Authorizer, apigateway::Method, apigateway::Deployment, apigateway::Account, apigateway::ClientCertificate, apigateway::Stage,
      s3::Bucket, s3::BucketPolicy,
      cloudtrail::Trail,
      sqs::Queue, sqs::QueuePolicy,
      sns::Topic, sns::Subscription,
      cloudwatch::Alarm,
      cognito::UserPool, cognito::UserPoolClient,
      wafv2::WebAcl, wafv2::WebAclAssociation,
      dynamodb::Table,
      backup::Vault, backup::Plan, backup::Selection>();
  // clang-format on
  return kNodes;
}

}  // namespace hipaa::detail
