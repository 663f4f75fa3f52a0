//! B1: the site's private buckets (files, thumbnails, and the logs of both
//! and of CloudFront), readable by the distribution only.

use serde_json::json;

use super::{Settings, tags};
use crate::cfn::{Envelope, Handle, Template, sub_with};
use crate::patterns::{storage, waivers};
use crate::resources::cloudfront::Distribution;
use crate::resources::iam::Statement;
use crate::resources::s3::{Bucket, OwnershipControls, OwnershipRule};

/// The site's buckets.
pub(super) struct Site {
    /// CloudFront's standard logs.
    pub cdn_logs: Handle<Bucket>,
    /// Server access logs of the other buckets.
    pub access_logs: Handle<Bucket>,
    /// The static files.
    pub files: Handle<Bucket>,
    /// Thumbnails made by B5.
    pub thumbs: Handle<Bucket>,
}

/// Adds the log buckets and the site's two content buckets.
pub(super) fn add_buckets(t: &mut Template, s: &Settings) -> Site {
    let cdn_logs = cdn_log_bucket(t, s);
    let access_logs = storage::access_log_bucket(t, "AccessLogsBucket", s.log_retention_days.get());
    let mut site = storage::private_bucket(30);
    site.logging_configuration = Some(storage::log_to(&access_logs, SITE_LOGS));
    site.tags = tags(s);
    let files = t.add_with("SiteBucket", site, Envelope::new().retain());
    let mut thumbs = storage::private_bucket(30);
    thumbs.logging_configuration = Some(storage::log_to(&access_logs, THUMBNAIL_LOGS));
    thumbs.tags = tags(s);
    let thumbs = t.add_with("ThumbnailsBucket", thumbs, Envelope::new().retain());
    Site {
        cdn_logs,
        access_logs,
        files,
        thumbs,
    }
}

/// Where each bucket's server access logs go in the access log bucket.
const SITE_LOGS: &str = "site/";
const THUMBNAIL_LOGS: &str = "thumbnails/";
pub(super) const UPLOAD_LOGS: &str = "uploads/";

/// The access log bucket's policy: delivery from the site, thumbnails and
/// uploads buckets only, each under its prefix.
pub(super) fn allow_access_logs(t: &mut Template, site: &Site, uploads: &Handle<Bucket>) {
    storage::allow_access_logs(
        t,
        &site.access_logs,
        &[
            (&site.files, SITE_LOGS),
            (&site.thumbs, THUMBNAIL_LOGS),
            (uploads, UPLOAD_LOGS),
        ],
    );
}

/// CloudFront standard logs are delivered with ACLs, so this bucket, alone,
/// lets the bucket owner keep ACL-written objects (`BucketOwnerPreferred`).
fn cdn_log_bucket(t: &mut Template, s: &Settings) -> Handle<Bucket> {
    let mut bucket = storage::private_bucket(s.log_retention_days.get());
    bucket.ownership_controls = Some(OwnershipControls {
        rules: vec![OwnershipRule {
            object_ownership: "BucketOwnerPreferred",
        }],
    });
    if let Some(l) = &mut bucket.lifecycle_configuration {
        l.rules[0].expiration_in_days = Some(s.log_retention_days.get().into());
    }
    let bucket = t.add_with(
        "CdnLogsBucket",
        bucket,
        // Retained: CloudFormation cannot delete a bucket holding logs.
        waivers::waived(
            Envelope::new().retain(),
            &[(
                "CKV_AWS_18",
                "This is the CloudFront log destination; logging it to itself would loop",
            )],
        ),
    );
    storage::bucket_policy(t, "CdnLogsBucketPolicy", &bucket, vec![]);
    bucket
}

/// Bucket policies letting only `distribution` (through origin access
/// control) read the site's files and thumbnails.
pub(super) fn allow_cloudfront(t: &mut Template, site: &Site, distribution: &Handle<Distribution>) {
    let distribution_arn = sub_with(
        "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}",
        [("Distribution", distribution.r#ref())],
    );
    for (id, bucket) in [
        ("SiteBucketPolicy", &site.files),
        ("ThumbnailsBucketPolicy", &site.thumbs),
    ] {
        let read = Statement::allow(
            ["s3:GetObject"],
            vec![sub_with("${Bucket}/*", [("Bucket", bucket.arn())])],
        )
        .sid("CloudFrontReads")
        .principal(json!({"Service": "cloudfront.amazonaws.com"}))
        .condition(json!({"StringEquals": {"AWS:SourceArn": distribution_arn.to_json()}}));
        storage::bucket_policy(t, id, bucket, vec![read]);
    }
}
