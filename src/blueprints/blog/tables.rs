//! B3: posts and subscribers in DynamoDB global tables, streams on
//! (replication needs them, B4 reads the subscribers' stream).

use super::{Settings, tags};
use crate::cfn::{Envelope, Handle, Template};
use crate::resources::dynamodb::{
    AttributeDefinition, GlobalSseSpecification, GlobalTable, GlobalTableIndex, KeySchema,
    PointInTimeRecoverySpecification, Projection, Replica, StreamSpecification,
};

/// The two global tables.
pub(super) struct Tables {
    /// Posts by slug, and by date through the `byDate` index.
    pub posts: Handle<GlobalTable>,
    /// Subscribers by email address.
    pub subscribers: Handle<GlobalTable>,
}

/// The name of the posts table's index by date.
pub(super) const POSTS_BY_DATE: &str = "byDate";

/// Adds the posts and subscribers tables.
pub(super) fn add(t: &mut Template, s: &Settings) -> Tables {
    let posts = global_table(
        t,
        s,
        "PostsTable",
        "slug",
        &["kind", "publishedAt"],
        Some(GlobalTableIndex {
            index_name: POSTS_BY_DATE.into(),
            key_schema: vec![KeySchema::hash("kind"), KeySchema::range("publishedAt")],
            projection: Projection {
                projection_type: "INCLUDE",
                non_key_attributes: Some(
                    ["slug", "title", "summary", "author", "tags"]
                        .map(String::from)
                        .to_vec(),
                ),
            },
        }),
    );
    let subscribers = global_table(t, s, "SubscribersTable", "email", &[], None);
    Tables { posts, subscribers }
}

/// A retained, encrypted global table with a replica (point-in-time recovery
/// and deletion protection on) in every configured Region.
fn global_table(
    t: &mut Template,
    s: &Settings,
    id: &str,
    hash: &str,
    index_keys: &[&str],
    index: Option<GlobalTableIndex>,
) -> Handle<GlobalTable> {
    let mut attributes = vec![AttributeDefinition::string(hash)];
    attributes.extend(index_keys.iter().map(|k| AttributeDefinition::string(k)));
    t.add_with(
        id,
        GlobalTable {
            attribute_definitions: attributes,
            key_schema: vec![KeySchema::hash(hash)],
            billing_mode: Some("PAY_PER_REQUEST"),
            global_secondary_indexes: index.map(|i| vec![i]),
            replicas: s
                .regions
                .iter()
                .map(|r| Replica {
                    region: r.as_str().into(),
                    point_in_time_recovery_specification: Some(PointInTimeRecoverySpecification {
                        point_in_time_recovery_enabled: true.into(),
                    }),
                    deletion_protection_enabled: Some(true.into()),
                    tags: tags(s),
                })
                .collect(),
            sse_specification: Some(GlobalSseSpecification {
                sse_enabled: true.into(),
                sse_type: "KMS",
            }),
            stream_specification: Some(StreamSpecification {
                stream_view_type: "NEW_AND_OLD_IMAGES",
            }),
            ..Default::default()
        },
        Envelope::new().retain(),
    )
}
