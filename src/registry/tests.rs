use super::*;

#[test]
fn every_line_of_the_artifact_parses() {
    let names: Vec<&str> = registry().names().collect();
    assert!(names.len() > 1500, "only {} types", names.len());
    for name in names {
        let info = resource_type(name).unwrap_or_else(|| panic!("{name} does not parse"));
        assert_eq!(info.name, name);
    }
}

#[test]
fn real_attributes_are_known_including_nested_and_all_property_types() {
    let rds = resource_type("AWS::RDS::DBInstance").unwrap();
    assert!(rds.has_attribute("DbiResourceId"));
    assert!(rds.has_attribute("Endpoint.Address"));
    assert!(rds.has_attribute("Endpoint.Port"));
    assert!(!rds.has_attribute("Endpoint"));
    assert!(
        resource_type("AWS::SSM::Parameter")
            .unwrap()
            .has_attribute("Value")
    );
    assert!(
        resource_type("AWS::EC2::Subnet")
            .unwrap()
            .has_attribute("CidrBlock")
    );
    let queue = resource_type("AWS::SQS::Queue").unwrap();
    assert!(queue.has_attribute("Arn") && queue.has_attribute("QueueUrl"));
    assert!(!queue.has_attribute("Url"));
}

#[test]
fn wildcard_attributes_match_stack_outputs_and_custom_resources() {
    let stack = resource_type("AWS::CloudFormation::Stack").unwrap();
    assert!(stack.has_attribute("Outputs.BucketName"));
    assert!(!stack.has_attribute("BucketName"));
    let Kind::Known(custom) = classify("Custom::Anything") else {
        panic!("custom resources resolve to AWS::CloudFormation::CustomResource")
    };
    assert!(custom.has_attribute("Whatever.Nested"));
    assert_eq!(custom.required(), ["ServiceToken"]);
}

#[test]
fn create_only_required_and_limits() {
    let function = resource_type("AWS::Lambda::Function").unwrap();
    assert!(function.create_only().iter().any(|p| p == "FunctionName"));
    assert_eq!(function.required(), ["Code", "Role"]);
    let name = function.property("FunctionName").unwrap();
    assert_eq!(name.types, [JsonType::String]);
    assert_eq!((name.min_length, name.max_length), (Some(1), Some(64)));
    let bucket = resource_type("AWS::S3::Bucket").unwrap();
    let bucket_name = bucket.property("BucketName").unwrap();
    assert_eq!(bucket_name.max_length, Some(63));
    assert!(bucket_name.pattern.is_some());
    let status = bucket.property("VersioningConfiguration.Status").unwrap();
    let allowed = status.allowed.as_ref().unwrap();
    assert!(allowed.contains(&Value::from("Enabled")));
    let retention = resource_type("AWS::Logs::LogGroup")
        .unwrap()
        .property("RetentionInDays")
        .unwrap();
    assert!(
        retention
            .allowed
            .as_ref()
            .unwrap()
            .contains(&Value::from(30))
    );
    assert!(bucket.property("NoSuchProperty").is_none());
}

#[test]
fn types_are_classified() {
    assert!(matches!(classify("AWS::S3::Bucket"), Kind::Known(_)));
    assert!(matches!(classify("AWS::S3::Buckett"), Kind::Unknown));
    assert!(
        matches!(classify("AWS::DeviceFarm::Project"), Kind::Known(i) if i.region() == Some("us-west-2"))
    );
    for unknowable in [
        "AWS::Serverless::Function",
        "MongoDB::Atlas::Cluster",
        "My::Org::Bucket::MODULE",
    ] {
        assert!(
            matches!(classify(unknowable), Kind::Unknowable),
            "{unknowable}"
        );
    }
}

#[test]
fn globs() {
    assert!(glob_match("*", "a.b"));
    assert!(glob_match("Outputs.*", "Outputs.X"));
    assert!(!glob_match("Outputs.*", "Output.X"));
    assert!(glob_match("Rules.*.Arn", "Rules.0.Arn"));
    assert!(!glob_match("Rules.*.Arn", "Rules.0.Id"));
    assert!(glob_match("Arn", "Arn") && !glob_match("Arn", "Arns"));
}

#[test]
fn intrinsics_are_recognised() {
    use serde_json::json;
    assert!(is_intrinsic(&json!({"Ref": "X"})));
    assert!(is_intrinsic(&json!({"Fn::Sub": "x"})));
    assert!(!is_intrinsic(&json!({"Key": "x"})));
    assert!(!is_intrinsic(&json!("Ref")));
}

#[test]
fn every_property_and_definition_parses_and_names_are_sorted() {
    for name in registry().names() {
        let info = resource_type(name).unwrap();
        let root = info.properties().check_all();
        let definitions = info.definitions.check_all();
        assert_eq!(root, Ok(()), "{name} Properties");
        assert_eq!(definitions, Ok(()), "{name} definitions");
    }
}

#[test]
fn the_binary_search_finds_every_type_and_nothing_else() {
    let r = registry();
    let names: Vec<&str> = r.names().collect();
    assert!(names.is_sorted());
    for name in &names {
        assert!(r.find(name).is_some_and(|e| e.name == *name), "{name}");
    }
    for missing in [
        "",
        "A",
        "AAA::B::C",
        "AWS::S3::Bucke",
        "AWS::S3::BucketX",
        "ZZZ::Z::Z",
    ] {
        assert!(r.get(missing).is_none(), "{missing}");
    }
    // A small index, every length of search.
    let text = "{\"index\":[[\"A::B::C\",0,2],[\"A::B::D\",3,2],[\"B::C::DDDD\",6,2]]}\n{}\n{}\n{}";
    let r = Registry::index(Box::leak(text.to_owned().into_boxed_str()));
    assert_eq!(
        r.names().collect::<Vec<_>>(),
        ["A::B::C", "A::B::D", "B::C::DDDD"]
    );
    for name in ["A::B::C", "A::B::D", "B::C::DDDD"] {
        assert!(r.find(name).is_some(), "{name}");
    }
    assert!(r.find("A::B::CC").is_none());
}

#[test]
fn a_broken_index_gives_an_empty_registry_not_a_panic() {
    assert_eq!(Registry::index("not json\n{}").names().count(), 0);
    let r = Registry::index("{\"index\":[[\"A::B::C\",0,999]]}\n{}");
    assert_eq!(r.names().count(), 0);
    let r = Registry::index("{\"index\":[[\"A::B::C\",0,2]]}\n{}");
    assert!(r.get("A::B::C").is_none());
}

/// The process-wide registry, split at the compile-time length of the
/// index, serves the same types as indexing the text at run time.
#[test]
fn compile_time_split_matches_run_time_split() {
    let run_time = Registry::index(super::artifact());
    assert!(registry().names().eq(run_time.names()));
    let names: Vec<&str> = registry().names().collect();
    assert!(names.len() > 1_500, "{}", names.len());
    for name in [names[0], names[names.len() / 2], names[names.len() - 1]] {
        assert_eq!(
            registry().get(name).map(|t| t.name.as_str()),
            Some(name),
            "{name}"
        );
    }
}
