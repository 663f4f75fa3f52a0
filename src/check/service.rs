//! Resource policies the owning service refuses or misreads: topic and queue
//! policies whose actions belong to another service.

use serde_json::Value;

use super::Ctx;
use super::values::{actions, props, statements};

/// The actions SNS documents for topic policies ("Valid Amazon SNS policy
/// actions"), plus `sns:Receive`, which SNS writes into every topic's
/// default policy. Lower case: action names are case-insensitive.
const SNS_TOPIC_ACTIONS: &[&str] = &[
    "sns:addpermission",
    "sns:deletetopic",
    "sns:getdataprotectionpolicy",
    "sns:gettopicattributes",
    "sns:listsubscriptionsbytopic",
    "sns:listtagsforresource",
    "sns:publish",
    "sns:putdataprotectionpolicy",
    "sns:removepermission",
    "sns:settopicattributes",
    "sns:subscribe",
    "sns:receive",
];

type Found = Vec<(&'static str, String, String, String)>;

pub(super) fn check(ctx: &mut Ctx<'_>) {
    let mut found = Vec::new();
    for kind in ["AWS::SNS::TopicPolicy", "AWS::SNS::TopicInlinePolicy"] {
        for (id, r) in ctx.of_type(kind) {
            topic_policy(id, r, &mut found);
        }
    }
    for kind in ["AWS::SQS::QueuePolicy", "AWS::SQS::QueueInlinePolicy"] {
        for (id, r) in ctx.of_type(kind) {
            queue_policy(id, r, &mut found);
        }
    }
    for (rule, id, path, message) in found {
        ctx.report(rule, &id, &path, message);
    }
}

fn topic_policy(id: &str, r: &Value, found: &mut Found) {
    for (i, s) in statements(props(r).get("PolicyDocument"))
        .into_iter()
        .enumerate()
    {
        let path = format!("Properties.PolicyDocument.Statement[{i}].Action");
        for action in actions(s) {
            let lower = action.to_ascii_lowercase();
            if !lower.starts_with("sns:") {
                found.push((
                    "SC-POL-001",
                    id.to_owned(),
                    path.clone(),
                    format!(
                        "action {action:?} is outside SNS: SNS refuses the whole topic policy (\"Policy statement action out of service scope\") and the stack rolls back; name SNS actions (a TLS-only deny uses sns:Publish)"
                    ),
                ));
            } else if !lower.contains('*') && !SNS_TOPIC_ACTIONS.contains(&lower.as_str()) {
                found.push((
                    "SC-POL-002",
                    id.to_owned(),
                    path.clone(),
                    format!(
                        "action {action:?} is not one SNS accepts in a topic policy (it documents {}); SNS refuses account-level actions such as sns:CreateTopic as out of service scope",
                        "AddPermission, DeleteTopic, Get/PutDataProtectionPolicy, GetTopicAttributes, ListSubscriptionsByTopic, ListTagsForResource, Publish, RemovePermission, SetTopicAttributes, Subscribe"
                    ),
                ));
            }
        }
    }
}

fn queue_policy(id: &str, r: &Value, found: &mut Found) {
    for (i, s) in statements(props(r).get("PolicyDocument"))
        .into_iter()
        .enumerate()
    {
        for action in actions(s) {
            // SQS accepts "*" (AddPermission documents it as a valid action
            // name); other services' actions mean nothing on a queue.
            if action == "*" || action.to_ascii_lowercase().starts_with("sqs:") {
                continue;
            }
            found.push((
                "SC-POL-003",
                id.to_owned(),
                format!("Properties.PolicyDocument.Statement[{i}].Action"),
                format!(
                    "action {action:?} is not an SQS action: a queue policy governs only SQS actions on the queue, so this grants or denies nothing; name sqs: actions"
                ),
            ));
        }
    }
}
