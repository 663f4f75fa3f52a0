//! What the AWS Service Authorization Reference says about IAM actions:
//! which accept no resource-level permission, so that `Resource: "*"` is
//! their only form. The list is generated (scripts/gen_iam_star_only.py)
//! from the reference as cfn-lint ships it, never written by hand.

use crate::sorted_text::Record;

/// The generated artifact: `service action action ...` per line, sorted by
/// service, after a `#` comment header.
const STAR_ONLY: &str = include_str!("data/iam_star_only.txt");

/// The actions line of `service` (lower case), found by binary search over
/// the sorted text ([`crate::sorted_text`]): a lookup reads a dozen lines of
/// the 142 KB, where building a map of every service read all of it in each
/// process.
fn service_actions(service: &str) -> Option<&'static str> {
    let body = body();
    crate::sorted_text::find(body.len(), service, |from| line_at(body, from)).map(|r| r.value)
}

/// The first line that starts at or after byte `from`: its service and its
/// actions.
fn line_at(body: &str, from: usize) -> Option<Record<'_, &str>> {
    let (start, line) = crate::sorted_text::record_after(body, from, b'\n')?;
    let (service, actions) = line.split_once(' ').unwrap_or((line, ""));
    Some(Record {
        key: service,
        start,
        end: start + line.len() + 1,
        value: actions,
    })
}

/// The artifact without its comment header.
fn body() -> &'static str {
    let mut rest = STAR_ONLY;
    while rest.starts_with('#') {
        rest = rest.split_once('\n').map_or("", |(_, r)| r);
    }
    rest
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
    if name.is_empty() {
        return false;
    }
    let service = service.to_ascii_lowercase();
    service_actions(&service)
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
            "xray:",
            ":PutTraceSegments",
        ] {
            assert!(!accepts_only_star(a), "{a}");
        }
        let actions: usize = super::body()
            .lines()
            .map(|l| l.split(' ').count() - 1)
            .sum();
        assert!(actions > 5_000, "{actions}");
    }

    /// Every service line is found by the search, and names between,
    /// before and after them are not.
    #[test]
    fn every_service_is_found() {
        let mut services = 0;
        for line in super::body().lines() {
            let (service, actions) = line.split_once(' ').unwrap();
            assert_eq!(super::service_actions(service), Some(actions), "{service}");
            assert_eq!(super::service_actions(&format!("{service}0")), None);
            assert!(
                super::service_actions(&service[..service.len() - 1]).is_none_or(|a| a != actions)
            );
            services += 1;
        }
        assert!(services > 300, "{services}");
        for absent in ["", " ", "0", "a", "zzzz", "~"] {
            assert_eq!(super::service_actions(absent), None, "{absent:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Any action text, Unicode included, is answered without a panic.
        #[test]
        fn any_action_is_judged_without_panic(action in "\\PC{0,40}") {
            let _ = accepts_only_star(&action);
        }
    }
}
