//! The stack's outputs: where the site and API answer, and the names of
//! what operators and scripts touch.

use super::Settings;
use super::api::Api;
use super::site::Site;
use super::tables::Tables;
use super::thumbnails::Thumbnails;
use crate::cfn::{Handle, Output, Str, Template, sub_with};
use crate::resources::cloudfront::Distribution;
use crate::resources::sqs::Queue;

/// Everything the outputs name.
pub(super) struct Built<'a> {
    pub site_url: Str,
    pub distribution: &'a Handle<Distribution>,
    pub api: &'a Api,
    pub site: &'a Site,
    pub tables: &'a Tables,
    pub thumbnails: &'a Thumbnails,
    pub email_failures: &'a Handle<Queue>,
}

/// Adds the outputs.
pub(super) fn add(t: &mut Template, s: &Settings, b: Built<'_>) {
    let site_url = b.site_url;
    let outputs: [(&str, &str, Str); 13] = [
        ("SiteUrl", "The site", site_url.clone()),
        (
            "DistributionId",
            "CloudFront distribution (for invalidations)",
            b.distribution.r#ref(),
        ),
        (
            "ApiUrl",
            "The REST API through CloudFront",
            sub_with("${Site}/api/", [("Site", site_url.clone())]),
        ),
        (
            "ApiInvokeUrl",
            "The REST API's own endpoint: sign publishing requests (POST /api/posts) for this host",
            sub_with(
                &format!(
                    "https://${{Api}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{}/api/",
                    s.stage
                ),
                [("Api", b.api.rest_api.r#ref())],
            ),
        ),
        (
            "SiteBucketName",
            "Bucket of the static site",
            b.site.files.r#ref(),
        ),
        (
            "UploadsBucketName",
            "Bucket for photo uploads (under uploads/)",
            b.thumbnails.uploads.r#ref(),
        ),
        (
            "ThumbnailsBucketName",
            "Bucket of generated thumbnails",
            b.site.thumbs.r#ref(),
        ),
        (
            "PostsTableName",
            "Global table of posts",
            b.tables.posts.r#ref(),
        ),
        (
            "SubscribersTableName",
            "Global table of subscribers",
            b.tables.subscribers.r#ref(),
        ),
        (
            "UploadsTopicArn",
            "Topic of upload events",
            b.thumbnails.topic.r#ref(),
        ),
        (
            "ThumbnailQueueUrl",
            "Queue feeding the thumbnail function",
            b.thumbnails.queue.queue.queue_url(),
        ),
        (
            "ThumbnailDeadLetterQueueUrl",
            "Uploads that could not be thumbnailed",
            b.thumbnails.queue.dead_letter.queue_url(),
        ),
        (
            "WelcomeEmailFailuresUrl",
            "Stream records whose welcome email failed",
            b.email_failures.queue_url(),
        ),
    ];
    for (id, description, value) in outputs {
        t.output(id, Output::new(description, value));
    }
}
