//! What the AWS Service Authorization Reference says about IAM actions:
//! which accept no resource-level permission, so that `Resource: "*"` is
//! their only form. The list is generated (scripts/gen_iam_star_only.py)
//! from the reference as cfn-lint ships it, never written by hand.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The generated artifact: `service action action ...` per line.
const STAR_ONLY: &str = include_str!("data/iam_star_only.txt");

/// Each service's line of actions, borrowed from the embedded text: a few
/// hundred entries, where a set of every action would allocate thousands
/// of strings at start-up for the few actions a template names.
fn star_only() -> &'static HashMap<&'static str, &'static str> {
    static BY_SERVICE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    BY_SERVICE.get_or_init(|| {
        STAR_ONLY
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once(' '))
            .collect()
    })
}

/// Whether `action` (`service:Name`, any case) accepts only `Resource: "*"`.
/// Wildcards and actions the reference does not list are taken to accept
/// resources, so naming them with `"*"` stays a finding.
pub(crate) fn accepts_only_star(action: &str) -> bool {
    if action.contains(['*', '?']) {
        return false;
    }
    let Some((service, name)) = action.split_once(':') else {
        return false;
    };
    let service = service.to_ascii_lowercase();
    star_only()
        .get(service.as_str())
        .is_some_and(|actions| actions.split(' ').any(|a| a.eq_ignore_ascii_case(name)))
}

#[cfg(test)]
mod tests {
    use super::accepts_only_star;

    #[test]
    fn the_reference_decides() {
        for a in [
            "xray:PutTraceSegments",
            "ec2:DescribeNetworkInterfaces",
            "ecr:GetAuthorizationToken",
            "cloudwatch:PutMetricData",
            "sts:GetCallerIdentity",
        ] {
            assert!(accepts_only_star(a), "{a}");
        }
        // These take resources: a network interface, a bucket, a queue.
        for a in [
            "ec2:CreateNetworkInterface",
            "ec2:DeleteNetworkInterface",
            "s3:GetObject",
            "sqs:SendMessage",
            "ec2:Describe*",
            "unknown:Thing",
        ] {
            assert!(!accepts_only_star(a), "{a}");
        }
        let actions: usize = super::star_only()
            .values()
            .map(|l| l.split(' ').count())
            .sum();
        assert!(actions > 5_000, "{actions}");
    }
}
