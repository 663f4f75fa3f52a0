//! A service stack's inputs: parameters whose defaults name SSM parameters
//! that other stacks publish (the network's, other services'). Each is
//! declared on first use, so a stack declares only what it reads.

use indexmap::IndexMap;

use crate::cfn::{List, Parameter, ParameterRef, Str, Template};

/// Stack inputs read from SSM parameters, declared on first use.
pub(super) struct Inputs {
    app: String,
    env: String,
    declared: IndexMap<String, ParameterRef>,
}

impl Inputs {
    /// Inputs under `/<app>/<env>/`.
    pub(super) fn new(app: &str, env: &str) -> Self {
        Inputs {
            app: app.to_owned(),
            env: env.to_owned(),
            declared: IndexMap::new(),
        }
    }

    /// The parameter `id` of SSM type `value_type` read from
    /// `/<app>/<env>/<path>`, declared when first asked for.
    pub(super) fn get(
        &mut self,
        t: &mut Template,
        id: &str,
        value_type: &str,
        path: &str,
        description: &str,
    ) -> ParameterRef {
        if let Some(p) = self.declared.get(id) {
            return p.clone();
        }
        let full = format!("/{}/{}/{path}", self.app, self.env);
        let p = t.parameter(
            id,
            Parameter::of_type(
                &format!("AWS::SSM::Parameter::Value<{value_type}>"),
                description,
            )
            .default_value(full),
        );
        self.declared.insert(id.to_owned(), p.clone());
        p
    }

    /// The shared VPC's id.
    pub(super) fn vpc(&mut self, t: &mut Template) -> Str {
        self.get(
            t,
            "VpcId",
            "AWS::EC2::VPC::Id",
            "network/vpc-id",
            "VPC of the shared network (SSM parameter name)",
        )
        .r#ref()
    }

    /// The shared VPC's address range.
    pub(super) fn vpc_cidr(&mut self, t: &mut Template) -> Str {
        self.get(
            t,
            "VpcCidr",
            "String",
            "network/vpc-cidr",
            "Address range of the shared VPC (SSM parameter name)",
        )
        .r#ref()
    }

    /// The private subnets, one per zone.
    pub(super) fn private_subnets(&mut self, t: &mut Template) -> List {
        self.get(
            t,
            "PrivateSubnets",
            "List<AWS::EC2::Subnet::Id>",
            "network/private-subnets",
            "Private subnets (SSM parameter name)",
        )
        .list()
    }

    /// The public subnets, one per zone.
    pub(super) fn public_subnets(&mut self, t: &mut Template) -> List {
        self.get(
            t,
            "PublicSubnets",
            "List<AWS::EC2::Subnet::Id>",
            "network/public-subnets",
            "Public subnets (SSM parameter name)",
        )
        .list()
    }

    /// The bucket load balancers write access logs to.
    pub(super) fn logs_bucket(&mut self, t: &mut Template) -> Str {
        self.get(
            t,
            "LoadBalancerLogsBucket",
            "String",
            "network/load-balancer-logs-bucket",
            "Bucket for load balancer access logs (SSM parameter name)",
        )
        .r#ref()
    }

    /// The KMS key that encrypts service data and logs.
    pub(super) fn data_key(&mut self, t: &mut Template) -> Str {
        self.get(
            t,
            "DataKeyArn",
            "String",
            "network/data-key-arn",
            "KMS key for data and logs (SSM parameter name)",
        )
        .r#ref()
    }
}
