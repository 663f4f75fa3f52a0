//! The front door of the ALB patterns (M1, M3): HTTPS -> internet-facing
//! Application Load Balancer -> target group, and the Route 53 name its
//! certificate covers.

use super::Ctx;
use crate::cfn::{Envelope, Handle, Parameter, Str, Template, sub_with};
use crate::patterns::waivers::waived;
use crate::resources::ec2::{SecurityGroup, SecurityGroupRule};
use crate::resources::elasticloadbalancingv2::{
    Action, Attribute, Certificate, Listener, LoadBalancer, Matcher, TargetGroup,
};
use crate::resources::route53::{AliasTarget, RecordSet};

const CERTIFICATE_PATTERN: &str = "^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$";

const DOMAIN_PATTERN: &str =
    "^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$";

const DOMAIN_DESCRIPTION: &str =
    "The service's domain name, e.g. orders.example.com: CertificateArn must cover it";

const WAF_WAIVER: &str = "Attach your organisation's WAF web ACL to the load balancer; it is \
     account policy, not service scaffolding";

/// TLS 1.3 and 1.2 only.
const SSL_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/// What the load balancer hands to the targets behind it.
pub(super) struct Alb {
    pub lb: Handle<LoadBalancer>,
    pub tg: Handle<TargetGroup>,
    /// The load balancer's security group: targets admit it.
    pub sg: Handle<SecurityGroup>,
    /// An ECS service must wait for it (the target group needs a listener).
    pub https: Handle<Listener>,
}

/// HTTPS -> internet-facing ALB -> target group of `target_type`. No
/// plain-HTTP listener: clients of a service API speak HTTPS.
pub(super) fn load_balancer(t: &mut Template, c: &mut Ctx<'_>, target_type: &'static str) -> Alb {
    let certificate = t.parameter(
        "CertificateArn",
        Parameter::string("ACM certificate for the load balancer's HTTPS listener")
            .pattern(CERTIFICATE_PATTERN, "an ACM certificate ARN"),
    );
    let sg = security_group(t, c);
    let lb = balancer(t, c, &sg);
    let tg = target_group(t, c, target_type);
    let https = t.add(
        "HttpsListener",
        Listener {
            load_balancer_arn: lb.r#ref(),
            protocol: "HTTPS",
            port: 443.into(),
            certificates: Some(vec![Certificate {
                certificate_arn: certificate.r#ref(),
            }]),
            ssl_policy: Some(SSL_POLICY),
            default_actions: vec![Action {
                kind: "forward",
                target_group_arn: Some(tg.r#ref()),
                redirect_config: None,
            }],
        },
    );
    Alb { lb, tg, sg, https }
}

/// HTTPS in from anywhere, the service port out to the VPC only.
fn security_group(t: &mut Template, c: &mut Ctx<'_>) -> Handle<SecurityGroup> {
    let vpc = c.inputs.vpc(t);
    let vpc_cidr = c.inputs.vpc_cidr(t);
    t.add(
        "LoadBalancerSecurityGroup",
        SecurityGroup {
            group_description: format!("{} load balancer: HTTPS from anywhere", c.svc.name),
            vpc_id: vpc,
            security_group_ingress: Some(vec![SecurityGroupRule::tcp_cidr(
                443,
                "0.0.0.0/0",
                "HTTPS from clients",
            )]),
            security_group_egress: Some(vec![SecurityGroupRule::tcp_cidr(
                c.svc.port.get(),
                vpc_cidr,
                "To the targets",
            )]),
            tags: c.tags(),
        },
    )
}

/// In the public subnets, logging to the network's bucket under the
/// service's name.
fn balancer(t: &mut Template, c: &mut Ctx<'_>, sg: &Handle<SecurityGroup>) -> Handle<LoadBalancer> {
    let subnets = c.inputs.public_subnets(t);
    let logs = c.inputs.logs_bucket(t);
    let lb = LoadBalancer {
        kind: Some("application"),
        scheme: Some("internet-facing"),
        subnets: Some(subnets),
        security_groups: Some(vec![sg.group_id()]),
        load_balancer_attributes: vec![
            Attribute::new("routing.http.drop_invalid_header_fields.enabled", "true"),
            Attribute::new("deletion_protection.enabled", "true"),
            Attribute::new("access_logs.s3.enabled", "true"),
            Attribute::new("access_logs.s3.bucket", logs),
            Attribute::new("access_logs.s3.prefix", c.svc.name.as_str()),
        ],
        tags: c.tags(),
    };
    let envelope = waived(Envelope::new(), &[("CKV2_AWS_28", WAF_WAIVER)]);
    t.add_with("LoadBalancer", lb, envelope)
}

/// Targets on the service port, healthy when `GET /health` answers 200.
fn target_group(
    t: &mut Template,
    c: &mut Ctx<'_>,
    target_type: &'static str,
) -> Handle<TargetGroup> {
    let vpc = c.inputs.vpc(t);
    t.add(
        "TargetGroup",
        TargetGroup {
            target_type: Some(target_type),
            protocol: Some("HTTP"),
            port: Some(c.svc.port.get().into()),
            vpc_id: Some(vpc),
            health_check_path: Some("/health".into()),
            health_check_protocol: Some("HTTP"),
            matcher: Some(Matcher {
                http_code: "200".into(),
            }),
            target_group_attributes: vec![Attribute::new(
                "deregistration_delay.timeout_seconds",
                "30",
            )],
            tags: c.tags(),
        },
    )
}

/// The ALB services' name: the HTTPS listener presents the user's
/// certificate, which cannot cover the load balancer's own
/// `*.elb.amazonaws.com` name, so callers that verify TLS need a name the
/// certificate covers. Adds the `DomainName` and `HostedZoneId` parameters and
/// a Route 53 alias record to the load balancer; returns `https://<domain>`.
/// What stands behind a load balancer: the names its security group gets.
pub(super) struct Targets {
    /// The security group's logical id.
    id: &'static str,
    /// What the group protects, in its description.
    what: &'static str,
    /// Why HTTPS goes out, in the egress rule's description.
    egress: &'static str,
}

impl Targets {
    /// Fargate tasks (`ecs.rs`).
    pub(super) const TASKS: Targets = Targets {
        id: "ServiceSecurityGroup",
        what: "tasks",
        egress: "HTTPS to AWS APIs and called services",
    };
    /// EC2 instances (`ec2.rs`).
    pub(super) const INSTANCES: Targets = Targets {
        id: "InstanceSecurityGroup",
        what: "instances",
        egress: "HTTPS to AWS APIs (SSM, Secrets Manager) and packages",
    };
}

/// The targets' security group: the service port from the load balancer
/// in, HTTPS out.
pub(super) fn targets_security_group(
    t: &mut Template,
    c: &mut Ctx<'_>,
    alb: &Alb,
    targets: Targets,
) -> Handle<SecurityGroup> {
    let vpc = c.inputs.vpc(t);
    t.add(
        targets.id,
        SecurityGroup {
            group_description: format!(
                "{} {}: the service port from the load balancer",
                c.svc.name, targets.what
            ),
            vpc_id: vpc,
            security_group_ingress: Some(vec![SecurityGroupRule::tcp_from_group(
                c.svc.port.get(),
                alb.sg.group_id(),
                "From the load balancer",
            )]),
            security_group_egress: Some(vec![SecurityGroupRule::tcp_cidr(
                443,
                "0.0.0.0/0",
                targets.egress,
            )]),
            tags: c.tags(),
        },
    )
}

pub(super) fn domain(t: &mut Template, lb: &Handle<LoadBalancer>) -> Str {
    let domain = t.parameter(
        "DomainName",
        Parameter::string(DOMAIN_DESCRIPTION)
            .pattern(DOMAIN_PATTERN, "a domain name such as orders.example.com"),
    );
    let zone = t.parameter(
        "HostedZoneId",
        Parameter::of_type(
            "AWS::Route53::HostedZone::Id",
            "Route 53 hosted zone of DomainName",
        ),
    );
    t.add(
        "LoadBalancerDnsRecord",
        RecordSet {
            hosted_zone_id: zone.r#ref(),
            name: domain.r#ref(),
            kind: "A",
            alias_target: Some(AliasTarget {
                dns_name: lb.dns_name(),
                hosted_zone_id: lb.canonical_hosted_zone_id(),
                evaluate_target_health: true.into(),
            }),
        },
    );
    sub_with("https://${Domain}", [("Domain", domain.r#ref())])
}
