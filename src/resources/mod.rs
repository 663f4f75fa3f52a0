//! Typed CloudFormation resources, one module per AWS service namespace.
//!
//! A resource is a plain struct whose fields are its CloudFormation
//! properties; serde renders it. The [`resource!`] macro binds a struct to its
//! type name and generates the `Fn::GetAtt` accessors on its
//! [`Handle`](crate::cfn::Handle), so only real attributes can be read.
//!
//! Property structs use `#[skip_serializing_none]` so an unset optional
//! property is absent from the template rather than `null`.

/// Declares a struct as a CloudFormation resource type and generates typed
/// attribute accessors on `Handle<Type>`.
///
/// ```text
/// resource!(Table, "AWS::DynamoDB::Table", arn => "Arn", stream_arn => "StreamArn");
/// ```
macro_rules! resource {
    ($ty:ident, $name:literal $(, $accessor:ident => $attr:literal)* $(,)?) => {
        impl $crate::cfn::Resource for $ty {
            const TYPE: &'static str = $name;
            const ATTRIBUTES: &'static [&'static str] = &[$($attr),*];
        }

        impl $crate::cfn::Handle<$ty> {
            $(
                #[doc = concat!("`Fn::GetAtt` of `", $attr, "`.")]
                pub fn $accessor(&self) -> $crate::cfn::Str {
                    self.get_att($attr)
                }
            )*
        }
    };
}

/// Lists the modelled resource types, so tests can hold them against the
/// CloudFormation registry (`crate::registry`), where `check` gets its
/// knowledge from.
macro_rules! modelled {
    ($($path:path),* $(,)?) => {
        /// `(type name, attributes)` of every resource type this crate models.
        pub fn modelled() -> &'static [(&'static str, &'static [&'static str])] {
            use $crate::cfn::Resource;
            &[$((<$path>::TYPE, <$path>::ATTRIBUTES)),*]
        }
    };
}

pub mod apigateway;
pub mod applicationautoscaling;
pub mod autoscaling;
pub mod cloudfront;
pub mod cloudwatch;
pub mod cognito;
pub mod dax;
pub mod dynamodb;
pub mod ec2;
pub mod ecs;
pub mod elasticache;
pub mod elasticloadbalancingv2;
pub mod iam;
pub mod kinesis;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod rds;
pub mod route53;
pub mod s3;
pub mod ses;
pub mod sns;
pub mod sqs;
pub mod ssm;

modelled![
    apigateway::RestApi,
    apigateway::Resource,
    apigateway::Method,
    apigateway::RequestValidator,
    apigateway::Authorizer,
    apigateway::Deployment,
    apigateway::Stage,
    apigateway::Account,
    apigateway::DomainName,
    apigateway::BasePathMapping,
    applicationautoscaling::ScalableTarget,
    applicationautoscaling::ScalingPolicy,
    autoscaling::AutoScalingGroup,
    cloudfront::Distribution,
    cloudfront::OriginAccessControl,
    cloudfront::CachePolicy,
    cloudfront::ResponseHeadersPolicy,
    cloudwatch::Alarm,
    cognito::UserPool,
    cognito::UserPoolClient,
    cognito::IdentityPool,
    cognito::IdentityPoolRoleAttachment,
    dax::Cluster,
    dax::SubnetGroup,
    dax::ParameterGroup,
    dynamodb::Table,
    dynamodb::GlobalTable,
    ec2::Vpc,
    ec2::Subnet,
    ec2::RouteTable,
    ec2::SubnetRouteTableAssociation,
    ec2::InternetGateway,
    ec2::VpcGatewayAttachment,
    ec2::Route,
    ec2::Eip,
    ec2::NatGateway,
    ec2::SecurityGroup,
    ec2::SecurityGroupIngress,
    ec2::SecurityGroupEgress,
    ec2::VpcEndpoint,
    ec2::LaunchTemplate,
    ec2::FlowLog,
    ecs::Cluster,
    ecs::TaskDefinition,
    ecs::Service,
    elasticache::SubnetGroup,
    elasticache::ReplicationGroup,
    elasticloadbalancingv2::LoadBalancer,
    elasticloadbalancingv2::TargetGroup,
    elasticloadbalancingv2::Listener,
    iam::InstanceProfile,
    kinesis::Stream,
    iam::Role,
    iam::Policy,
    iam::ManagedPolicy,
    kms::Key,
    kms::Alias,
    lambda::Function,
    lambda::Permission,
    lambda::EventSourceMapping,
    logs::LogGroup,
    rds::DbSubnetGroup,
    rds::DbInstance,
    route53::RecordSet,
    s3::Bucket,
    s3::BucketPolicy,
    ses::ConfigurationSet,
    ses::ConfigurationSetEventDestination,
    ses::EmailIdentity,
    ses::Template,
    sns::Topic,
    sns::Subscription,
    sns::TopicPolicy,
    sqs::Queue,
    sqs::QueuePolicy,
    ssm::Parameter,
];

/// A `Key`/`Value` tag, as most resource types take them.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// The tag key.
    pub key: String,
    /// The tag value.
    pub value: crate::cfn::Str,
}

impl Tag {
    /// A tag.
    pub fn new(key: &str, value: impl Into<crate::cfn::Str>) -> Self {
        Tag {
            key: key.to_owned(),
            value: value.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::registry::resource_type;

    /// Every type we model exists, and every typed `Fn::GetAtt` accessor
    /// reads an attribute the CloudFormation schema has.
    #[test]
    fn modelled_types_and_attributes_exist_in_the_registry() {
        for (name, attrs) in super::modelled() {
            let info = resource_type(name)
                .unwrap_or_else(|| panic!("{name} is not a CloudFormation type"));
            for attr in *attrs {
                assert!(info.has_attribute(attr), "{name} has no attribute {attr}");
            }
        }
    }
}
