//! The `blog` blueprint: every MISSION flow wired, settings validated, the
//! output stable.

use serde_json::{Value, json};
use stackcraft::blueprints::BuiltIn;

fn synth(text: Option<&str>) -> Value {
    let artifacts = BuiltIn::Blog
        .synth(text.map(|t| ("blog.yaml", t)))
        .expect("synthesizes");
    assert_eq!(artifacts[0].path.to_str(), Some("blog.template.json"));
    serde_json::from_str(artifacts[0].contents()).unwrap()
}

fn defaults_with(from: &str, to: &str) -> String {
    let text = BuiltIn::Blog.default_settings();
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
fn b4_subscribers_confirm_before_the_welcome_email() {
    let t = synth(None);
    let r = &t["Resources"];
    let esm = &r["WelcomeEmailTrigger"]["Properties"];
    assert_eq!(
        esm["EventSourceArn"],
        json!({"Fn::GetAtt": ["SubscribersTable", "StreamArn"]})
    );
    // Only new pending subscribers (confirmation link) and pending ->
    // confirmed changes (welcome) reach the function.
    let filters: Vec<Value> = esm["FilterCriteria"]["Filters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| serde_json::from_str(f["Pattern"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(
        filters,
        vec![
            json!({"eventName": ["INSERT"], "dynamodb": {"NewImage": {"status": {"S": ["pending"]}}}}),
            json!({"eventName": ["MODIFY"], "dynamodb": {
                "OldImage": {"status": {"S": ["pending"]}},
                "NewImage": {"status": {"S": ["confirmed"]}}}}),
        ]
    );
    assert_eq!(esm["BisectBatchOnFunctionError"], true);
    assert_eq!(
        esm["DestinationConfig"]["OnFailure"]["Destination"],
        json!({"Fn::GetAtt": ["WelcomeEmailFailures", "Arn"]})
    );
    assert_eq!(
        r["BlogApiApiSubscribersConfirmGet"]["Properties"]["HttpMethod"],
        "GET"
    );
    let env = &r["WelcomeEmailFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(
        env["CONFIRM_TEMPLATE_NAME"],
        json!({"Ref": "ConfirmEmailTemplate"})
    );
    assert_eq!(
        env["CONFIGURATION_SET"],
        json!({"Ref": "EmailConfigurationSet"})
    );
    let destination = &r["EmailEventsToCloudWatch"]["Properties"];
    assert_eq!(
        destination["ConfigurationSetName"],
        json!({"Ref": "EmailConfigurationSet"})
    );
    let events = &destination["EventDestination"]["MatchingEventTypes"];
    assert!(events.as_array().unwrap().contains(&json!("bounce")));
    assert!(events.as_array().unwrap().contains(&json!("complaint")));
}

#[test]
fn b4_the_sender_may_mail_any_recipient_identity_but_only_from_its_address() {
    let t = synth(None);
    let statements = t["Resources"]["WelcomeEmailRole"]["Properties"]["Policies"][0]
        ["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap()
        .clone();
    let ses = statements
        .iter()
        .find(|s| s["Action"] == json!(["ses:SendTemplatedEmail"]))
        .unwrap();
    // In the SES sandbox SES also authorizes the send against the
    // recipient's identity: the sender's own identity ARN is not enough.
    let resources: Vec<String> = ses["Resource"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.to_string())
        .collect();
    assert!(resources[0].contains(":identity/*"), "{resources:?}");
    assert!(
        resources
            .iter()
            .any(|r| r.contains(":configuration-set/${Set}"))
    );
    assert_eq!(
        resources
            .iter()
            .filter(|r| r.contains(":template/${Template}"))
            .count(),
        2
    );
    assert_eq!(
        ses["Condition"],
        json!({"StringEquals": {"ses:FromAddress": {"Ref": "SenderAddress"}}})
    );
}

#[test]
fn b4_the_sender_identity_is_created_only_when_asked() {
    let t = synth(None);
    assert!(t["Resources"]["SenderIdentity"].is_null());
    let description = t["Parameters"]["SenderAddress"]["Description"]
        .as_str()
        .unwrap();
    assert!(description.contains("already verified"), "{description}");
    let owned = synth(Some(&defaults_with(
        "create_identity: false",
        "create_identity: true",
    )));
    assert_eq!(
        owned["Resources"]["SenderIdentity"]["Properties"]["EmailIdentity"],
        json!({"Ref": "SenderAddress"})
    );
    // Retained: an update that drops it, or deleting the stack, must not
    // delete an identity other senders may use.
    assert_eq!(
        owned["Resources"]["SenderIdentity"]["DeletionPolicy"],
        "Retain"
    );
    assert_eq!(
        owned["Resources"]["SenderIdentity"]["UpdateReplacePolicy"],
        "Retain"
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
    let source = &publish["Condition"]["ArnEquals"]["aws:SourceArn"]["Fn::Sub"][1]["BucketName"]["Fn::Sub"]
        [0];
    assert_eq!(
        source,
        "globalblog-uploads-${AWS::AccountId}-${StackSuffix}"
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
        let err = BuiltIn::Blog
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
        BuiltIn::Blog.synth(None).unwrap(),
        BuiltIn::Blog.synth(None).unwrap()
    );
}

#[test]
fn a_certificate_needs_domain_names_and_names_need_a_certificate() {
    let t = synth(None);
    let assertions = t["Rules"]["CertificateAndDomainNamesTogether"]["Assertions"]
        .as_array()
        .expect("a rule on the two parameters")
        .clone();
    let text = serde_json::to_string(&assertions).unwrap();
    // With a certificate, no domain name may be empty (an empty list
    // parameter is [""], which CloudFront refuses as an alias)...
    assert!(text.contains(r#"{"Fn::Not":[{"Fn::Contains":[{"Ref":"DomainNames"},""]}]}"#));
    // ...and without one, every domain name must be empty.
    assert!(text.contains(r#"{"Fn::EachMemberEquals":[{"Ref":"DomainNames"},""]}"#));
    let config = &t["Resources"]["Distribution"]["Properties"]["DistributionConfig"];
    assert_eq!(config["Aliases"]["Fn::If"][0], "HasCertificate");
}

#[test]
fn uploads_bucket_name_is_unique_per_stack_and_the_topic_policy_names_it() {
    let t = synth(None);
    let r = &t["Resources"];
    let name = &r["UploadsBucket"]["Properties"]["BucketName"];
    let text = name.to_string();
    assert!(text.contains("AWS::StackId"), "stack-unique: {text}");
    assert!(!text.contains("AWS::StackName"), "bounded: {text}");
    // The ARN in the topic policy is built from the same name, not from a
    // reference to the bucket (which would close a cycle).
    let statements = r["UploadsTopicPolicy"]["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    let publish = statements
        .iter()
        .find(|s| s["Sid"] == "UploadsBucketPublishes")
        .unwrap();
    let arn = &publish["Condition"]["ArnEquals"]["aws:SourceArn"]["Fn::Sub"];
    assert_eq!(arn[0], "arn:${AWS::Partition}:s3:::${BucketName}");
    assert_eq!(&arn[1]["BucketName"], name);
    assert_eq!(r["UploadsBucket"]["DependsOn"], "UploadsTopicPolicy");
}

#[test]
fn missing_files_get_the_404_page_and_api_errors_pass_through() {
    let t = synth(None);
    let r = &t["Resources"];
    let config = &r["Distribution"]["Properties"]["DistributionConfig"];
    // Distribution-wide error pages would rewrite /api/* errors too.
    assert!(config["CustomErrorResponses"].is_null());
    assert_eq!(
        config["DefaultCacheBehavior"]["TargetOriginId"],
        "SiteOrNotFoundPage"
    );
    let group = &config["OriginGroups"]["Items"][0];
    assert_eq!(group["Id"], "SiteOrNotFoundPage");
    assert_eq!(
        group["FailoverCriteria"]["StatusCodes"]["Items"],
        json!([403, 404])
    );
    assert_eq!(
        group["Members"]["Items"],
        json!([{"OriginId": "Site"}, {"OriginId": "NotFoundPage"}])
    );
    let origin = config["Origins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["Id"] == "NotFoundPage")
        .unwrap();
    assert_eq!(origin["OriginPath"], "/live/api/not-found");
    let api = config["CacheBehaviors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["PathPattern"] == "/api/*")
        .unwrap();
    assert_eq!(api["TargetOriginId"], "Api");
    // A HEAD fails over with its method, so the route answers HEAD too.
    assert_eq!(
        r["BlogApiApiNotFoundProxyHead"]["Properties"]["HttpMethod"],
        "HEAD"
    );
    let method = &r["BlogApiApiNotFoundProxyGet"]["Properties"];
    assert_eq!(
        method["RequestParameters"],
        json!({"method.request.path.proxy": true})
    );
}

/// Reserved concurrency is off unless set, per function.
#[test]
fn reserved_concurrency_is_a_setting_off_by_default() {
    let t = synth(None);
    for (id, r) in t["Resources"].as_object().unwrap() {
        if r["Type"] == "AWS::Lambda::Function" {
            assert!(
                r["Properties"]
                    .get("ReservedConcurrentExecutions")
                    .is_none(),
                "{id}"
            );
        }
    }
    let set = synth(Some(&defaults_with(
        "  thumbnails: null",
        "  thumbnails: 5",
    )));
    let reserved: Vec<&Value> = set["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(|r| r["Properties"].get("ReservedConcurrentExecutions"))
        .collect();
    assert_eq!(reserved, [&json!(5)]);
    let bad = defaults_with("  api: null", "  api: 5000");
    let err = BuiltIn::Blog
        .synth(Some(("blog.yaml", &bad)))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("reserved_concurrency.api: expected an integer from 1 to 1000, found 5000"),
        "{err}"
    );
}
