//! The `blog` blueprint: every MISSION flow wired, settings validated, the
//! output stable.

use serde_json::{Value, json};
use stackcraft::blueprints::Blueprint;

fn synth(text: Option<&str>) -> Value {
    let artifacts = Blueprint::Blog
        .synth(text.map(|t| ("blog.yaml", t)))
        .expect("synthesizes");
    assert_eq!(artifacts[0].path.to_str(), Some("blog.template.json"));
    serde_json::from_str(&artifacts[0].contents).unwrap()
}

fn defaults_with(from: &str, to: &str) -> String {
    let text = Blueprint::Blog.default_settings();
    assert!(text.contains(from), "defaults contain {from:?}");
    text.replacen(from, to, 1)
}

#[test]
fn b1_private_bucket_is_read_only_by_this_distribution() {
    let t = synth(None);
    let r = &t["Resources"];
    let pab = &r["SiteBucket"]["Properties"]["PublicAccessBlockConfiguration"];
    assert_eq!(pab["BlockPublicPolicy"], true);
    let statements = &r["SiteBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    let read = statements
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Sid"] == "CloudFrontReads")
        .unwrap();
    assert_eq!(
        read["Principal"],
        json!({"Service": "cloudfront.amazonaws.com"})
    );
    let arn = &read["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"];
    assert_eq!(arn[1]["Distribution"], json!({"Ref": "Distribution"}));
    let config = &r["Distribution"]["Properties"]["DistributionConfig"];
    let site = &config["Origins"][0];
    assert_eq!(
        site["OriginAccessControlId"],
        json!({"Fn::GetAtt": ["SiteOriginAccessControl", "Id"]})
    );
    assert_eq!(
        config["DefaultCacheBehavior"]["ViewerProtocolPolicy"],
        "redirect-to-https"
    );
    assert_eq!(config["DefaultRootObject"], "index.html");
}

#[test]
fn b2_api_is_served_on_api_path_with_short_query_keyed_cache() {
    let t = synth(None);
    let r = &t["Resources"];
    let config = &r["Distribution"]["Properties"]["DistributionConfig"];
    let api = config["CacheBehaviors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["PathPattern"] == "/api/*")
        .unwrap();
    assert_eq!(api["TargetOriginId"], "Api");
    assert_eq!(
        api["CachePolicyId"],
        json!({"Fn::GetAtt": ["ApiCachePolicy", "Id"]})
    );
    let key = &r["ApiCachePolicy"]["Properties"]["CachePolicyConfig"];
    assert_eq!(
        key["ParametersInCacheKeyAndForwardedToOrigin"]["QueryStringsConfig"]["QueryStringBehavior"],
        "all"
    );
    assert_eq!(key["DefaultTTL"], 30);
    assert_eq!(config["Origins"][2]["OriginPath"], "/live");
    // Reading and subscribing are public; publishing needs IAM.
    assert_eq!(
        r["BlogApiApiPostsGet"]["Properties"]["AuthorizationType"],
        "NONE"
    );
    assert_eq!(
        r["BlogApiApiPostsPost"]["Properties"]["AuthorizationType"],
        "AWS_IAM"
    );
    let throttles = r["BlogApiStage"]["Properties"]["MethodSettings"]
        .as_array()
        .unwrap();
    assert!(
        throttles
            .iter()
            .any(|m| m["ResourcePath"] == "/~1api~1subscribers" && m["ThrottlingRateLimit"] == 5.0)
    );
}

#[test]
fn b3_global_tables_replicate_to_every_region() {
    let t = synth(None);
    for id in ["PostsTable", "SubscribersTable"] {
        let table = &t["Resources"][id];
        assert_eq!(table["Type"], "AWS::DynamoDB::GlobalTable");
        let regions: Vec<&str> = table["Properties"]["Replicas"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["Region"].as_str().unwrap())
            .collect();
        assert_eq!(regions, ["us-east-1", "eu-west-1", "ap-southeast-2"]);
        assert_eq!(
            table["Properties"]["StreamSpecification"]["StreamViewType"],
            "NEW_AND_OLD_IMAGES"
        );
    }
    let rule = &t["Rules"]["DeployInAReplicaRegion"]["Assertions"][0]["Assert"]["Fn::Contains"];
    assert_eq!(rule[1], json!({"Ref": "AWS::Region"}));
}

#[test]
fn b4_new_subscribers_trigger_the_welcome_email() {
    let t = synth(None);
    let r = &t["Resources"];
    let esm = &r["WelcomeEmailTrigger"]["Properties"];
    assert_eq!(
        esm["EventSourceArn"],
        json!({"Fn::GetAtt": ["SubscribersTable", "StreamArn"]})
    );
    assert_eq!(
        esm["FilterCriteria"]["Filters"][0]["Pattern"],
        "{\"eventName\":[\"INSERT\"]}"
    );
    assert_eq!(esm["BisectBatchOnFunctionError"], true);
    assert_eq!(
        esm["DestinationConfig"]["OnFailure"]["Destination"],
        json!({"Fn::GetAtt": ["WelcomeEmailFailures", "Arn"]})
    );
    let statements =
        r["WelcomeEmailRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
            .as_array()
            .unwrap();
    let ses = statements
        .iter()
        .find(|s| s["Action"] == json!(["ses:SendTemplatedEmail"]))
        .unwrap();
    let resources = ses["Resource"].as_array().unwrap();
    assert_eq!(resources.len(), 2);
    assert!(
        resources[0]["Fn::Sub"][0]
            .as_str()
            .unwrap()
            .ends_with(":identity/${Sender}")
    );
    assert!(
        resources[1]["Fn::Sub"][0]
            .as_str()
            .unwrap()
            .ends_with(":template/${Template}")
    );
}

#[test]
fn b5_uploads_flow_through_sns_and_sqs_to_another_bucket() {
    let t = synth(None);
    let r = &t["Resources"];
    let uploads = &r["UploadsBucket"];
    assert_eq!(uploads["DependsOn"], "UploadsTopicPolicy");
    let notification =
        &uploads["Properties"]["NotificationConfiguration"]["TopicConfigurations"][0];
    assert_eq!(notification["Topic"], json!({"Ref": "UploadsTopic"}));
    let publish = &r["UploadsTopicPolicy"]["Properties"]["PolicyDocument"]["Statement"][1];
    let source = publish["Condition"]["ArnEquals"]["aws:SourceArn"]["Fn::Sub"]
        .as_str()
        .unwrap();
    assert!(
        source.starts_with("arn:${AWS::Partition}:s3:::globalblog-uploads-"),
        "{source}"
    );
    assert_eq!(
        r["ThumbnailSubscription"]["Properties"]["Endpoint"],
        json!({"Fn::GetAtt": ["ThumbnailQueue", "Arn"]})
    );
    assert_eq!(
        r["ThumbnailTrigger"]["Properties"]["EventSourceArn"],
        json!({"Fn::GetAtt": ["ThumbnailQueue", "Arn"]})
    );
    let env = &r["ThumbnailFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(env["THUMBNAIL_BUCKET"], json!({"Ref": "ThumbnailsBucket"}));
    assert_ne!(env["THUMBNAIL_BUCKET"], json!({"Ref": "UploadsBucket"}));
    assert_eq!(env["THUMBNAIL_SIZES"], "256,1024");
    assert!(r["ThumbnailQueue"]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"].is_object());
}

#[test]
fn bad_settings_name_the_line_and_key() {
    let cases = [
        (
            "regions: [us-east-1, eu-west-1, ap-southeast-2]",
            "regions: [us-east-1]",
            "regions: expected at least two regions",
        ),
        (
            "regions: [us-east-1, eu-west-1, ap-southeast-2]",
            "regions: [us-east-1, us-east-1]",
            "regions: expected each region once, found us-east-1 twice",
        ),
        (
            "regions: [us-east-1, eu-west-1, ap-southeast-2]",
            "regions: [us-east-1, moon-1]",
            "regions[1]: expected an AWS region code",
        ),
        (
            "  sizes: [256, 1024]",
            "  sizes: [0]",
            "thumbnails.sizes[0]: expected an integer from 16 to 4096, found 0",
        ),
        (
            "  sender: news@example.com",
            "  sender: not-an-address",
            "email.sender: expected an email address",
        ),
        (
            "  price_class: PriceClass_All",
            "  price_class: Cheap",
            "cdn.price_class: unknown variant `Cheap`",
        ),
    ];
    for (from, to, want) in cases {
        let text = defaults_with(from, to);
        let err = Blueprint::Blog
            .synth(Some(("my.yaml", &text)))
            .unwrap_err()
            .to_string();
        let line = text.lines().position(|l| l == to).unwrap() + 1;
        assert!(err.starts_with(&format!("my.yaml:{line}:")), "{to}: {err}");
        assert!(err.contains(want), "{to}: {err}");
    }
}

#[test]
fn synthesis_is_deterministic() {
    assert_eq!(
        Blueprint::Blog.synth(None).unwrap(),
        Blueprint::Blog.synth(None).unwrap()
    );
}
