/**
 * The values CloudTrail documents for the two selector fields whose values name an AWS service:
 * `resources.type` of data events and `eventSource` of network activity events.
 *
 * AWS adds data resource types and network activity sources every few weeks (the CloudTrail
 * user guide's document history), and a CDK app cannot know which ones its account's CloudTrail
 * accepts today. So a value missing from these lists is reported as an acknowledgeable warning, never
 * refused: refusing would make every new service unusable until this library is updated, while the
 * warning still catches the typo that would otherwise fail the deployment (or record nothing).
 */

/**
 * `resources.type` values of data events: the "Data events supported by AWS CloudTrail" table of
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
 * (and of cloudtrail-events.html), as of the October 2025 additions.
 */
export const DATA_RESOURCE_TYPES: readonly string[] = [
  'AWS::AIDevOps::AgentSpace', 'AWS::AIDevOps::Association', 'AWS::AIDevOps::OperatorAppTeam',
  'AWS::AIDevOps::PipelineMetadata', 'AWS::AIDevOps::Service', 'AWS::AIOps::InvestigationGroup',
  'AWS::AgentAccessMCP::Tools', 'AWS::AppConfig::Configuration', 'AWS::AppSync::GraphQLApi',
  'AWS::B2BI::Transformer', 'AWS::Backup::SearchJob',
  'AWS::Bedrock::AdvancedOptimizePromptJob', 'AWS::Bedrock::AgentAlias', 'AWS::Bedrock::AsyncInvoke',
  'AWS::Bedrock::AutomatedReasoningPolicy', 'AWS::Bedrock::AutomatedReasoningPolicyVersion',
  'AWS::Bedrock::Blueprint', 'AWS::Bedrock::DataAutomationInvocation', 'AWS::Bedrock::DataAutomationProfile',
  'AWS::Bedrock::DataAutomationProject', 'AWS::Bedrock::FlowAlias', 'AWS::Bedrock::FlowExecution',
  'AWS::Bedrock::Guardrail', 'AWS::Bedrock::InlineAgent', 'AWS::Bedrock::KnowledgeBase', 'AWS::Bedrock::Model',
  'AWS::Bedrock::PromptVersion', 'AWS::Bedrock::Session', 'AWS::Bedrock::Tool',
  'AWS::BedrockAgentCore::APIKeyCredentialProvider', 'AWS::BedrockAgentCore::Browser',
  'AWS::BedrockAgentCore::BrowserCustom', 'AWS::BedrockAgentCore::CodeInterpreter',
  'AWS::BedrockAgentCore::CodeInterpreterCustom', 'AWS::BedrockAgentCore::Evaluator',
  'AWS::BedrockAgentCore::Gateway', 'AWS::BedrockAgentCore::Memory',
  'AWS::BedrockAgentCore::OAuth2CredentialProvider', 'AWS::BedrockAgentCore::Runtime',
  'AWS::BedrockAgentCore::RuntimeEndpoint', 'AWS::BedrockAgentCore::TokenVault',
  'AWS::BedrockAgentCore::WorkloadIdentity', 'AWS::BedrockAgentCore::WorkloadIdentityDirectory',
  'AWS::Cassandra::Stream', 'AWS::Cassandra::Table', 'AWS::CloudFront::KeyValueStore',
  'AWS::CloudOptimization::Profile', 'AWS::CloudOptimization::Recommendation', 'AWS::CloudTrail::Channel',
  'AWS::CloudWatch::Metric', 'AWS::CodeGuruProfiler::ProfilingGroup', 'AWS::CodeWhisperer::Customization',
  'AWS::CodeWhisperer::Profile', 'AWS::Cognito::IdentityPool', 'AWS::DSQL::Cluster', 'AWS::DataExchange::Asset',
  'AWS::Deadline::Fleet', 'AWS::Deadline::Job', 'AWS::Deadline::Queue', 'AWS::Deadline::Worker',
  'AWS::DynamoDB::Stream', 'AWS::DynamoDB::Table', 'AWS::EC2::InstanceConnectEndpoint', 'AWS::EC2::Snapshot',
  'AWS::ECS::ContainerInstance', 'AWS::EKS::Dashboard', 'AWS::EMRWAL::Workspace', 'AWS::FSx::Volume',
  'AWS::FinSpace::Environment', 'AWS::GameLiftStreams::Application', 'AWS::GameLiftStreams::StreamGroup',
  'AWS::GeoMaps::Provider', 'AWS::GeoPlaces::Provider', 'AWS::GeoRoutes::Provider', 'AWS::Glue::Table',
  'AWS::GreengrassV2::ComponentVersion', 'AWS::GreengrassV2::Deployment', 'AWS::GuardDuty::Detector',
  'AWS::GuardDuty::MalwareScan', 'AWS::IoT::Certificate', 'AWS::IoT::Thing', 'AWS::IoTSiteWise::Asset',
  'AWS::IoTSiteWise::TimeSeries', 'AWS::IoTTwinMaker::Entity', 'AWS::IoTTwinMaker::Workspace',
  'AWS::KendraRanking::ExecutionPlan', 'AWS::Kinesis::Stream', 'AWS::Kinesis::StreamConsumer',
  'AWS::KinesisFirehose::DeliveryStream', 'AWS::KinesisVideo::SignalingChannel', 'AWS::KinesisVideo::Stream',
  'AWS::Lambda::Function', 'AWS::MWAA::Environment', 'AWS::MachineLearning::MlModel',
  'AWS::ManagedBlockchain::Network', 'AWS::ManagedBlockchain::Node', 'AWS::ManagedBlockchainQuery::QueryAPI',
  'AWS::MedicalImaging::Datastore', 'AWS::MedicalImaging::Imageset', 'AWS::NeptuneGraph::Graph',
  'AWS::NetworkFlowMonitor::Monitor', 'AWS::NetworkFlowMonitor::Scope', 'AWS::NovaAct::WorkflowDefinition',
  'AWS::NovaAct::WorkflowRun', 'AWS::One::UKey', 'AWS::One::User', 'AWS::PCAConnectorAD::Connector',
  'AWS::PCAConnectorSCEP::Connector', 'AWS::PaymentCryptography::Alias', 'AWS::PaymentCryptography::Key',
  'AWS::Pinpoint::App', 'AWS::QApps::QApp', 'AWS::QApps::QAppSession', 'AWS::QBusiness::Application',
  'AWS::QBusiness::DataSource', 'AWS::QBusiness::Index', 'AWS::QBusiness::Integration',
  'AWS::QBusiness::WebExperience', 'AWS::QDeveloper::Integration', 'AWS::QuickSight::Flow',
  'AWS::QuickSight::FlowSession', 'AWS::Quicksight::ActionConnector', 'AWS::RDS::DBCluster',
  'AWS::RUM::AppMonitor', 'AWS::Redshift::Cluster', 'AWS::S3::AccessPoint', 'AWS::S3::Object',
  'AWS::S3Express::Object', 'AWS::S3ObjectLambda::AccessPoint', 'AWS::S3Outposts::Object',
  'AWS::S3Tables::Table', 'AWS::S3Tables::TableBucket', 'AWS::S3Vectors::Index', 'AWS::S3Vectors::VectorBucket',
  'AWS::SCN::Instance', 'AWS::SDB::Domain', 'AWS::SES::ConfigurationSet', 'AWS::SES::EmailIdentity',
  'AWS::SES::Template', 'AWS::SMSVoice::Message', 'AWS::SMSVoice::OriginationIdentity', 'AWS::SNS::PlatformEndpoint',
  'AWS::SNS::Topic', 'AWS::SQS::Queue', 'AWS::SSM::ExecutionPreview', 'AWS::SSM::ManagedNode',
  'AWS::SSMMessages::ControlChannel', 'AWS::SWF::Domain', 'AWS::SageMaker::Endpoint',
  'AWS::SageMaker::ExperimentTrialComponent', 'AWS::SageMaker::FeatureGroup',
  'AWS::SageMaker::MlflowTrackingServer', 'AWS::ServiceDiscovery::Namespace', 'AWS::ServiceDiscovery::Service',
  'AWS::Signer::SigningJob', 'AWS::Signer::SigningProfile', 'AWS::SitewiseAssistant::Conversation',
  'AWS::SocialMessaging::PhoneNumberId', 'AWS::SocialMessaging::WabaId', 'AWS::StepFunctions::Activity',
  'AWS::StepFunctions::StateMachine', 'AWS::SupportAccess::Tenant', 'AWS::SupportAccess::TrustingAccount',
  'AWS::SupportAccess::TrustingRole', 'AWS::ThinClient::Device', 'AWS::ThinClient::Environment',
  'AWS::Timestream::Database', 'AWS::Timestream::RegionalEndpoint', 'AWS::Timestream::Table',
  'AWS::Transform::AgentInstance', 'AWS::TransformCustom::Campaign', 'AWS::TransformCustom::Conversation',
  'AWS::TransformCustom::KnowledgeItem', 'AWS::TransformCustom::Package',
  'AWS::VerifiedPermissions::PolicyStore', 'AWS::XRay::Trace',
];

/**
 * `eventSource` values of network activity events: the valid values listed on
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html
 */
export const NETWORK_ACTIVITY_EVENT_SOURCES: readonly string[] = [
  'aco-automation.amazonaws.com', 'appconfig.amazonaws.com', 'application-signals.amazonaws.com',
  'appmesh.amazonaws.com', 'athena.amazonaws.com', 'b2bi.amazonaws.com', 'backup-gateway.amazonaws.com',
  'bcm-data-exports.amazonaws.com', 'bcm-pricing-calculator.amazonaws.com', 'bedrock-agentcore.amazonaws.com',
  'bedrock.amazonaws.com', 'billing.amazonaws.com', 'cassandra.amazonaws.com', 'ce.amazonaws.com',
  'cloudcontrolapi.amazonaws.com', 'cloudformation.amazonaws.com', 'cloudhsm.amazonaws.com',
  'cloudoptimization.amazonaws.com', 'cloudtrail.amazonaws.com', 'codedeploy.amazonaws.com',
  'comprehend.amazonaws.com', 'comprehendmedical.amazonaws.com', 'config.amazonaws.com', 'ds.amazonaws.com',
  'dynamodb.amazonaws.com', 'ec2.amazonaws.com', 'ecs.amazonaws.com', 'elasticfilesystem.amazonaws.com',
  'elasticloadbalancing.amazonaws.com', 'events.amazonaws.com', 'firehose.amazonaws.com',
  'frauddetector.amazonaws.com', 'freetier.amazonaws.com', 'fsx.amazonaws.com', 'glue.amazonaws.com',
  'healthlake.amazonaws.com', 'invoicing.amazonaws.com', 'iot.amazonaws.com', 'iotfleetwise.amazonaws.com',
  'iotsecuredtunneling.amazonaws.com', 'kms.amazonaws.com', 'lakeformation.amazonaws.com', 'lambda.amazonaws.com',
  'license-manager.amazonaws.com', 'lookoutequipment.amazonaws.com', 'lookoutvision.amazonaws.com',
  'monitoring.amazonaws.com', 'nova-act.amazonaws.com', 'personalize.amazonaws.com', 'qbusiness.amazonaws.com',
  'rds.amazonaws.com', 'rekognition.amazonaws.com', 'rolesanywhere.amazonaws.com', 's3.amazonaws.com',
  'sagemaker.amazonaws.com', 'scheduler.amazonaws.com', 'secretsmanager.amazonaws.com',
  'servicediscovery.amazonaws.com', 'sns.amazonaws.com', 'sqs.amazonaws.com', 'ssm-contacts.amazonaws.com',
  'ssm.amazonaws.com', 'storagegateway.amazonaws.com', 'swf.amazonaws.com', 'textract.amazonaws.com',
  'transcribe.amazonaws.com', 'transcribestreaming.amazonaws.com', 'transform-agents.amazonaws.com',
  'transform-custom.amazonaws.com', 'transform.amazonaws.com', 'translate.amazonaws.com',
  'user-subscriptions.amazonaws.com', 'verifiedpermissions.amazonaws.com', 'voiceid.amazonaws.com',
  'workmail.amazonaws.com', 'workmailmessageflow.amazonaws.com',
];

/** Warning ID for a `resources.type` missing from {@link DATA_RESOURCE_TYPES}. */
export const UNKNOWN_DATA_RESOURCE_TYPE_WARNING = 'cdk-cloudtrail-governance:trail:unknownDataResourceType';
/** Warning ID for an `eventSource` missing from {@link NETWORK_ACTIVITY_EVENT_SOURCES}. */
export const UNKNOWN_NETWORK_ACTIVITY_SOURCE_WARNING = 'cdk-cloudtrail-governance:trail:unknownNetworkActivitySource';

/** A documented value that differs from `value` only in case or separators, for a "did you mean". */
export function closestKnown(value: string, known: readonly string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const key = squash(value);
  return known.find(k => squash(k) === key);
}
