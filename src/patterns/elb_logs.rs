//! Who may write Elastic Load Balancing access logs into a bucket.
//!
//! The ELB user guide ("Enable access logs for your Application Load
//! Balancer", bucket permissions) names two principals: in Regions available
//! before August 2022 the Region's Elastic Load Balancing account, in newer
//! Regions the `logdelivery.elasticloadbalancing.amazonaws.com` service
//! principal. Templates here do not know their Region, so they carry the
//! account table as a mapping and choose with a condition.

use serde_json::{Map, Value, json as json_lit};

use crate::cfn::{Intrinsic, Str, Template, aws, equals, find_in_map, json, or, sub_with};
use crate::resources::iam::Statement;

/// The mapping holding [`ELB_ACCOUNTS`].
pub const MAPPING: &str = "ElbLogDeliveryAccounts";
/// The condition: the stack's Region has an Elastic Load Balancing account.
pub const CONDITION: &str = "ElbLogsFromRegionAccount";

/// Elastic Load Balancing's account per Region, for Regions available before
/// August 2022. Source: the ELB user guide's bucket-permission table, as
/// AWS CDK's region-info fact table `ELBV2_ACCOUNTS` carries it (Apache-2.0).
/// Any other Region uses the log delivery service principal.
pub const ELB_ACCOUNTS: [(&str, &str); 29] = [
    ("af-south-1", "098369216593"),
    ("ap-east-1", "754344448648"),
    ("ap-northeast-1", "582318560864"),
    ("ap-northeast-2", "600734575887"),
    ("ap-northeast-3", "383597477331"),
    ("ap-south-1", "718504428378"),
    ("ap-southeast-1", "114774131450"),
    ("ap-southeast-2", "783225319266"),
    ("ap-southeast-3", "589379963580"),
    ("ca-central-1", "985666609251"),
    ("cn-north-1", "638102146993"),
    ("cn-northwest-1", "037604701340"),
    ("eu-central-1", "054676820928"),
    ("eu-north-1", "897822967062"),
    ("eu-south-1", "635631232127"),
    ("eu-west-1", "156460612806"),
    ("eu-west-2", "652711504416"),
    ("eu-west-3", "009996457667"),
    ("me-south-1", "076674570225"),
    ("sa-east-1", "507241528517"),
    ("us-east-1", "127311923021"),
    ("us-east-2", "033677994240"),
    ("us-gov-east-1", "190560391635"),
    ("us-gov-west-1", "048591011584"),
    ("us-iso-east-1", "770363063475"),
    ("us-iso-west-1", "121062877647"),
    ("us-isob-east-1", "740734521339"),
    ("us-west-1", "027434742980"),
    ("us-west-2", "797873946194"),
];

/// `Fn::Or` takes at most 10 conditions: Regions are tested in groups.
const OR_LIMIT: usize = 10;

/// Declares [`MAPPING`] and [`CONDITION`] in `t` and returns the statement
/// letting Elastic Load Balancing put access logs under
/// `<prefix>/AWSLogs/<this account>/` in the bucket `bucket_arn`, for any
/// prefix (each load balancer uses its own). Scoping to this account's
/// `AWSLogs/` keeps other accounts' load balancers out of the bucket.
pub fn delivery_statement(t: &mut Template, bucket_arn: Str) -> Statement {
    let rows: Map<String, Value> = ELB_ACCOUNTS
        .iter()
        .map(|(region, account)| ((*region).to_owned(), json_lit!({ "Account": account })))
        .collect();
    t.mapping(MAPPING, Value::Object(rows));
    let groups = ELB_ACCOUNTS.chunks(OR_LIMIT).map(|group| {
        or(group
            .iter()
            .map(|(r, _)| equals(aws::region(), (*r).into())))
    });
    let condition = t.condition(CONDITION, or(groups));
    let account = find_in_map(MAPPING, aws::region(), "Account");
    let region_account = sub_with(
        "arn:${AWS::Partition}:iam::${Account}:root",
        [("Account", account)],
    );
    let principal = Intrinsic::If(
        condition.id().to_owned(),
        json_lit!({ "AWS": region_account.to_json() }),
        json_lit!({ "Service": "logdelivery.elasticloadbalancing.amazonaws.com" }),
    );
    Statement::allow(
        ["s3:PutObject"],
        vec![sub_with(
            "${Bucket}/*/AWSLogs/${AWS::AccountId}/*",
            [("Bucket", bucket_arn)],
        )],
    )
    .sid("ElbDeliversAccessLogs")
    .principal(json(&principal))
}
