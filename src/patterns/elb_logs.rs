//! Who may write Elastic Load Balancing access logs into a bucket.
//!
//! The ELB user guide ("Enable access logs for your Application Load
//! Balancer", bucket permissions) names two principals: in Regions available
//! before August 2022 the Region's Elastic Load Balancing account, in newer
//! Regions the `logdelivery.elasticloadbalancing.amazonaws.com` service
//! principal. Templates here do not know their Region, so they carry the
//! account table as a mapping and choose with a condition.
//!
//! Every Region the pinned resource schemas know has a row (newer Regions
//! with an empty account): CloudFormation evaluates `Fn::FindInMap` even in
//! the branch of an `Fn::If` it does not take, and fails on a missing key
//! ("Unable to get mapping for ..."; aws-cloudformation-templates#271), so a
//! Region missing from the mapping could not deploy at all. A Region
//! launched after this table fails the same way, by name, at create time:
//! add its row (AWS CDK's region facts behave alike).

use serde_json::{Map, Value, json as json_lit};

use crate::cfn::{Intrinsic, Str, Template, aws, equals, find_in_map, json, not, sub_with};
use crate::resources::iam::Statement;

/// The mapping holding [`ELB_ACCOUNTS`].
pub const MAPPING: &str = "ElbLogDeliveryAccounts";
/// The condition: the stack's Region has an Elastic Load Balancing account.
pub const CONDITION: &str = "ElbLogsFromRegionAccount";

/// Elastic Load Balancing's account per Region: for Regions available before
/// August 2022 the account from the ELB user guide's bucket-permission table
/// (as AWS CDK's region-info fact table `ELBV2_ACCOUNTS` carries it); empty
/// for the Regions launched since, which use the log delivery service
/// principal. The Regions are those of cfn-lint 1.51.0's schema set.
pub const ELB_ACCOUNTS: [(&str, &str); 46] = [
    ("af-south-1", "098369216593"),
    ("ap-east-1", "754344448648"),
    ("ap-east-2", ""),
    ("ap-northeast-1", "582318560864"),
    ("ap-northeast-2", "600734575887"),
    ("ap-northeast-3", "383597477331"),
    ("ap-south-1", "718504428378"),
    ("ap-south-2", ""),
    ("ap-southeast-1", "114774131450"),
    ("ap-southeast-2", "783225319266"),
    ("ap-southeast-3", "589379963580"),
    ("ap-southeast-4", ""),
    ("ap-southeast-5", ""),
    ("ap-southeast-6", ""),
    ("ap-southeast-7", ""),
    ("ca-central-1", "985666609251"),
    ("ca-west-1", ""),
    ("cn-north-1", "638102146993"),
    ("cn-northwest-1", "037604701340"),
    ("eu-central-1", "054676820928"),
    ("eu-central-2", ""),
    ("eu-isoe-west-1", ""),
    ("eu-north-1", "897822967062"),
    ("eu-south-1", "635631232127"),
    ("eu-south-2", ""),
    ("eu-west-1", "156460612806"),
    ("eu-west-2", "652711504416"),
    ("eu-west-3", "009996457667"),
    ("eusc-de-east-1", ""),
    ("il-central-1", ""),
    ("me-central-1", ""),
    ("me-south-1", "076674570225"),
    ("mx-central-1", ""),
    ("sa-east-1", "507241528517"),
    ("us-east-1", "127311923021"),
    ("us-east-2", "033677994240"),
    ("us-gov-east-1", "190560391635"),
    ("us-gov-west-1", "048591011584"),
    ("us-iso-east-1", "770363063475"),
    ("us-iso-west-1", "121062877647"),
    ("us-isob-east-1", "740734521339"),
    ("us-isob-west-1", ""),
    ("us-isof-east-1", ""),
    ("us-isof-south-1", ""),
    ("us-west-1", "027434742980"),
    ("us-west-2", "797873946194"),
];

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
    let account = find_in_map(MAPPING, aws::region(), "Account");
    let condition = t.condition(CONDITION, not(equals(account.clone(), "".into())));
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
