//! A customer managed KMS key for a stack's data: tables, log groups, queues
//! and topics encrypted with a key the account controls and rotates.

use serde_json::json;

use crate::cfn::{Envelope, Handle, Policy, Template, sub, sub_with};
use crate::resources::iam::{PolicyDocument, Statement};
use crate::resources::kms::{Alias, Key};

/// A service that encrypts with the key on the account's behalf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUser {
    /// CloudWatch Logs log groups of this stack's region.
    Logs,
    /// DynamoDB tables (and their streams).
    DynamoDb,
    /// SQS queues.
    Sqs,
    /// SNS topics.
    Sns,
    /// Kinesis data streams.
    Kinesis,
    /// S3 event notifications published to an encrypted topic or queue.
    S3Notifications,
}

impl KeyUser {
    fn service(self) -> &'static str {
        match self {
            KeyUser::Logs => "logs",
            KeyUser::DynamoDb => "dynamodb",
            KeyUser::Sqs => "sqs",
            KeyUser::Sns => "sns",
            KeyUser::Kinesis => "kinesis",
            KeyUser::S3Notifications => "s3",
        }
    }
}

/// What a service needs to encrypt and decrypt data keys with the key.
const USE_KEY: [&str; 7] = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:DescribeKey",
];

/// Adds `{id}` (rotated yearly, retained with the data it protects) and an
/// alias `alias/{alias}`. The key policy gives the account's administrators
/// the key (as every key policy must, or the key becomes unmanageable), lets
/// CloudWatch Logs encrypt this region's log groups, and lets principals of
/// this account use it only through the listed services.
pub fn data_key(t: &mut Template, id: &str, alias: &str, users: &[KeyUser]) -> Handle<Key> {
    let mut statements = vec![
        Statement::allow(["kms:*"], vec!["*".into()])
            .sid("AccountAdministers")
            .principal(
                json!({"AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root").to_json()}),
            ),
    ];
    if users.contains(&KeyUser::Logs) {
        statements.push(
            Statement::allow(
                USE_KEY,
                vec!["*".into()],
            )
            .sid("LogsEncryptLogGroups")
            .principal(json!({"Service": sub("logs.${AWS::Region}.amazonaws.com").to_json()}))
            .condition(json!({"ArnLike": {
                "kms:EncryptionContext:aws:logs:arn":
                    sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*").to_json()
            }})),
        );
    }
    if users.contains(&KeyUser::S3Notifications) {
        // S3 publishes as a service principal, not through a caller, so the
        // through-service statement below does not cover it.
        statements.push(
            Statement::allow(["kms:GenerateDataKey", "kms:Decrypt"], vec!["*".into()])
                .sid("S3PublishesNotifications")
                .principal(json!({"Service": "s3.amazonaws.com"}))
                .condition(
                    json!({"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}),
                ),
        );
    }
    let via: Vec<serde_json::Value> = users
        .iter()
        .filter(|u| !matches!(u, KeyUser::Logs | KeyUser::S3Notifications))
        .map(|u| sub(&format!("{}.${{AWS::Region}}.amazonaws.com", u.service())).to_json())
        .collect();
    if !via.is_empty() {
        statements.push(
            Statement::allow(
                USE_KEY.into_iter().chain(["kms:CreateGrant"]),
                vec!["*".into()],
            )
            .sid("AccountUsesThroughServices")
            .principal(json!({"AWS": "*"}))
            .condition(json!({"StringEquals": {
                "kms:CallerAccount": {"Ref": "AWS::AccountId"},
                "kms:ViaService": via
            }})),
        );
    }
    // The through-service statement names principal "*" narrowed by
    // kms:CallerAccount and kms:ViaService, as AWS documents for these
    // services; checkov cannot see the conditions.
    let envelope = super::waivers::waived(
        Envelope::new().policy(Policy::Retain),
        &[("CKV_AWS_33", PRINCIPAL_STAR_WAIVER)],
    );
    let key = t.add_with(
        id,
        Key {
            description: Some(format!("Encrypts the data of this stack ({alias})")),
            enable_key_rotation: Some(true.into()),
            pending_window_in_days: Some(30.into()),
            key_policy: PolicyDocument::new(statements),
            tags: vec![],
        },
        envelope,
    );
    t.add(
        &format!("{id}Alias"),
        Alias {
            alias_name: sub_with(
                &format!("alias/{alias}-${{Stack}}"),
                [("Stack", crate::cfn::aws::stack_name())],
            ),
            target_key_id: key.r#ref(),
        },
    );
    key
}

/// The through-service statement's principal `*`, and what narrows it.
const PRINCIPAL_STAR_WAIVER: &str = "Principal * is limited to this account by kms:CallerAccount \
     and to the named services by kms:ViaService";
