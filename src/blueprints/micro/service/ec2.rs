//! M3: HTTPS -> ALB -> EC2 Auto Scaling in the private subnets -> RDS.

use serde_json::json;

use super::super::settings::Datastore;
use super::alb::{self, Alb, Targets};
use super::{Ctx, datastore};
use crate::blueprints::SynthError;
use crate::cfn::{Handle, Parameter, Str, Template, base64, sub, sub_with};
use crate::resources::autoscaling::{AutoScalingGroup, LaunchTemplateSpecification, TagProperty};
use crate::resources::ec2::{LaunchTemplate, SecurityGroup};
use crate::resources::iam::{InstanceProfile, Role, Statement};
use crate::templates;

/// AWS's public SSM parameter of the latest Amazon Linux 2023 image.
const AMI_PARAMETER: &str = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

const SSM_MANAGED_POLICY: &str =
    "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore";

/// Builds the Auto Scaling group behind its load balancer (and the
/// database, for `datastore: rds`); returns its URL.
pub(super) fn service(t: &mut Template, c: &mut Ctx<'_>) -> Result<Str, SynthError> {
    let ami = t.parameter(
        "ImageId",
        Parameter::of_type(
            "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
            "Amazon Linux 2023 image, from AWS's public SSM parameter",
        )
        .default_value(AMI_PARAMETER),
    );
    let alb = alb::load_balancer(t, c, "instance");
    let sg = alb::targets_security_group(t, c, &alb, Targets::INSTANCES);
    // The database's address reaches the instances like any setting; with
    // no database the skeleton's /health reports it down.
    let (db_host, db_port) = if c.svc.datastore == Datastore::Rds {
        let vpc = c.inputs.vpc(t);
        let db = datastore::rds(t, c, &sg, &vpc);
        c.statements.push(Statement::allow(
            ["secretsmanager:GetSecretValue"],
            vec![db.master_user_secret_arn()],
        ));
        c.env
            .insert("DB_SECRET_ARN".into(), db.master_user_secret_arn());
        (db.endpoint_address(), db.endpoint_port())
    } else {
        (Str::from("localhost"), Str::from("5432"))
    };
    let profile = instance_profile(t, c);
    let launch = launch_template(t, c, ami.r#ref(), &sg, &profile, db_host, db_port)?;
    auto_scaling_group(t, c, &alb, &launch);
    Ok(alb::domain(t, &alb.lb))
}

/// Session Manager access and the service's own permissions.
fn instance_profile(t: &mut Template, c: &Ctx<'_>) -> Handle<InstanceProfile> {
    let role = t.add(
        "InstanceRole",
        Role {
            managed_policy_arns: vec![sub(SSM_MANAGED_POLICY)],
            ..Role::for_service(
                "ec2.amazonaws.com",
                format!(
                    "{} instances: Session Manager access and the service's own permissions",
                    c.svc.name
                ),
                "ServiceAccess",
                c.statements.clone(),
            )
        },
    );
    t.add(
        "InstanceProfile",
        InstanceProfile {
            roles: vec![role.r#ref()],
        },
    )
}

/// IMDSv2 only, encrypted gp3 root volume, and user data that runs the
/// service skeleton.
fn launch_template(
    t: &mut Template,
    c: &Ctx<'_>,
    ami: Str,
    sg: &Handle<SecurityGroup>,
    profile: &Handle<InstanceProfile>,
    db_host: Str,
    db_port: Str,
) -> Result<Handle<LaunchTemplate>, SynthError> {
    // The service's settings reach the process as environment variables of
    // its systemd unit, filled in by Fn::Sub.
    let keys: Vec<&String> = c.env.keys().collect();
    let port = c.svc.port.get();
    let context = minijinja::context! {
        name => c.svc.name.as_str(), version => c.svc.version.as_str(), port => port, env => keys
    };
    let script = templates::render("ec2/user_data.sh.j2", context)?;
    let mut vars: Vec<(&str, Str)> = vec![("DbHost", db_host), ("DbPort", db_port)];
    vars.extend(c.env.iter().map(|(k, v)| (k.as_str(), v.clone())));
    let user_data = base64(sub_with(&script, vars));
    let volume = json!({
        "VolumeType": "gp3",
        "VolumeSize": 20,
        "Encrypted": true,
        "DeleteOnTermination": true
    });
    let metadata = json!({
        "HttpTokens": "required",
        "HttpEndpoint": "enabled",
        "HttpPutResponseHopLimit": 1
    });
    let data = json!({
        "ImageId": ami.to_json(),
        "InstanceType": "t3.small",
        "IamInstanceProfile": {"Arn": profile.arn().to_json()},
        "SecurityGroupIds": [sg.group_id().to_json()],
        "MetadataOptions": metadata,
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": volume}],
        "Monitoring": {"Enabled": true},
        "UserData": user_data.to_json(),
        "TagSpecifications": [{"ResourceType": "volume", "Tags": crate::cfn::json(&c.tags())}]
    });
    Ok(t.add(
        "LaunchTemplate",
        LaunchTemplate {
            launch_template_data: data,
            tag_specifications: None,
        },
    ))
}

/// `count` instances (up to three times as many) in the private subnets,
/// replaced when the load balancer finds them unhealthy.
fn auto_scaling_group(
    t: &mut Template,
    c: &mut Ctx<'_>,
    alb: &Alb,
    launch: &Handle<LaunchTemplate>,
) {
    let subnets = c.inputs.private_subnets(t);
    let count = c.svc.count.get();
    let tags = c.tags().into_iter().map(|tag| TagProperty {
        key: tag.key,
        value: tag.value,
        propagate_at_launch: true,
    });
    t.add(
        "AutoScalingGroup",
        AutoScalingGroup {
            min_size: count.to_string(),
            max_size: (count * 3).to_string(),
            desired_capacity: Some(count.to_string()),
            launch_template: Some(LaunchTemplateSpecification {
                launch_template_id: launch.r#ref(),
                version: launch.latest_version_number(),
            }),
            vpc_zone_identifier: Some(subnets),
            target_group_arns: Some(vec![alb.tg.r#ref()]),
            health_check_type: Some("ELB"),
            health_check_grace_period: Some(300.into()),
            tags: tags.collect(),
        },
    );
}
