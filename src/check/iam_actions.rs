//! What the AWS Service Authorization Reference says about IAM actions:
//! which accept no resource-level permission, so that `Resource: "*"` is
//! their only form. The list is generated (scripts/gen_iam_star_only.py)
//! from the reference as cfn-lint ships it, never written by hand.

use std::collections::HashSet;
use std::sync::OnceLock;

/// The generated artifact: `service action action ...` per line.
const STAR_ONLY: &str = include_str!("data/iam_star_only.txt");

fn star_only() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut set = HashSet::new();
        for line in STAR_ONLY.lines().filter(|l| !l.starts_with('#')) {
            let mut words = line.split_whitespace();
            let Some(service) = words.next() else {
                continue;
            };
            for action in words {
                set.insert(format!("{service}:{action}"));
            }
        }
        set
    })
}

/// Whether `action` (`service:Name`, any case) accepts only `Resource: "*"`.
/// Wildcards and actions the reference does not list are taken to accept
/// resources, so naming them with `"*"` stays a finding.
pub(crate) fn accepts_only_star(action: &str) -> bool {
    !action.contains(['*', '?']) && star_only().contains(&action.to_ascii_lowercase())
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
        assert!(super::star_only().len() > 5_000);
    }
}
