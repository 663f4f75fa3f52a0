use proptest::prelude::*;
use serde_json::json;

use super::*;

fn template() -> Value {
    json!({
        "Conditions": {"IsProd": {"Fn::Equals": ["a", "a"]}},
        "Resources": {
            "Table": {
                "Type": "AWS::DynamoDB::Table",
                "Properties": {
                    "BillingMode": "PAY_PER_REQUEST",
                    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                    "Tags": [{"Key": "a", "Value": "b"}]
                }
            },
            "Queue": {
                "Type": "AWS::SQS::Queue",
                "Properties": {"VisibilityTimeout": {"Fn::If": ["IsProd", 60, 30]}}
            },
            "Thing": {"Type": "Custom::Thing", "Properties": {"ServiceToken": "arn:aws:lambda:x"}}
        }
    })
}

fn o(id: &str, path: &str, value: Option<Value>) -> Override {
    Override {
        logical_id: id.into(),
        path: Path::parse(path).unwrap(),
        value,
    }
}

/// Applies one override to a fresh template.
fn run(id: &str, path: &str, value: Option<Value>) -> Result<Value, OverrideError> {
    let mut t = template();
    apply("t.template.json", &mut t, &o(id, path, value)).map(|()| t)
}

fn err(id: &str, path: &str, value: Option<Value>) -> String {
    let before = template();
    let mut t = template();
    let e = apply("t.template.json", &mut t, &o(id, path, value)).unwrap_err();
    assert_eq!(t, before, "a failed override changes nothing");
    e.to_string()
}

#[test]
fn sets_new_nested_properties_last_and_replaces_in_place() {
    let t = run(
        "Table",
        "Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled",
        Some(json!(true)),
    )
    .unwrap();
    let props = t["Resources"]["Table"]["Properties"].as_object().unwrap();
    assert_eq!(
        props.keys().next_back().unwrap(),
        "PointInTimeRecoverySpecification"
    );
    assert_eq!(
        props["PointInTimeRecoverySpecification"],
        json!({"PointInTimeRecoveryEnabled": true})
    );
    let t = run(
        "Table",
        "Properties.BillingMode",
        Some(json!("PROVISIONED")),
    )
    .unwrap();
    let props = t["Resources"]["Table"]["Properties"].as_object().unwrap();
    assert_eq!(props.keys().next().unwrap(), "BillingMode");
    assert_eq!(props["BillingMode"], "PROVISIONED");
}

#[test]
fn list_items_are_replaced_appended_and_deleted_by_index() {
    let t = run("Table", "Properties.Tags[0].Value", Some(json!("c"))).unwrap();
    assert_eq!(
        t["Resources"]["Table"]["Properties"]["Tags"],
        json!([{"Key": "a", "Value": "c"}])
    );
    let tag = json!({"Key": "k", "Value": "v"});
    let t = run("Table", "Properties.Tags[1]", Some(tag.clone())).unwrap();
    assert_eq!(t["Resources"]["Table"]["Properties"]["Tags"][1], tag);
    let t = run("Table", "Properties.Tags[0]", None).unwrap();
    assert_eq!(t["Resources"]["Table"]["Properties"]["Tags"], json!([]));
    let e = err("Table", "Properties.Tags[3]", Some(tag));
    assert!(
        e.contains("Properties.Tags[3]: [3] is past the end of a list of 1 ([1] appends)"),
        "{e}"
    );
    let e = err("Table", "Properties.Tags[1]", None);
    assert!(e.contains("past the end"), "{e}");
}

#[test]
fn mappings_merge_deeply_as_in_the_cdk_and_other_values_replace() {
    // Into a list item: the key given changes, the rest stays.
    let t = run("Table", "Properties.Tags[0]", Some(json!({"Value": "c"}))).unwrap();
    assert_eq!(
        t["Resources"]["Table"]["Properties"]["Tags"],
        json!([{"Key": "a", "Value": "c"}])
    );
    // Into Properties itself, with a null deleting one key.
    let t = run(
        "Table",
        "Properties",
        Some(json!({"TableClass": "STANDARD", "Tags": null})),
    )
    .unwrap();
    let props = &t["Resources"]["Table"]["Properties"];
    assert_eq!(props["TableClass"], "STANDARD");
    assert_eq!(props["BillingMode"], "PAY_PER_REQUEST");
    assert!(props.get("Tags").is_none());
    // A list replaces; a function replaces a mapping and is never merged into.
    let t = run("Table", "Properties.Tags", Some(json!([]))).unwrap();
    assert_eq!(t["Resources"]["Table"]["Properties"]["Tags"], json!([]));
    let t = run(
        "Queue",
        "Properties.VisibilityTimeout",
        Some(json!({"Ref": "Timeout"})),
    )
    .unwrap();
    assert_eq!(
        t["Resources"]["Queue"]["Properties"]["VisibilityTimeout"],
        json!({"Ref": "Timeout"})
    );
    // The merged result is what is judged: a partial mapping is fine where
    // the rest is already there, an invalid merged value is not.
    let e = err("Table", "Properties", Some(json!({"KeySchema": null})));
    assert!(e.contains("requires \"KeySchema\""), "{e}");
}

#[test]
fn null_deletes_and_deleting_nothing_is_an_error() {
    let t = run("Table", "Properties.Tags", None).unwrap();
    assert!(t["Resources"]["Table"]["Properties"].get("Tags").is_none());
    let e = err("Table", "Properties.TableName", None);
    assert!(
        e.contains("Properties.TableName is not set in the template: nothing to delete"),
        "{e}"
    );
    let e = err("Table", "Properties.SSESpecification.SSEEnabled", None);
    assert!(e.contains("nothing to delete"), "{e}");
}

#[test]
fn an_unknown_logical_id_lists_the_ids_with_a_guess() {
    let e = err(
        "Tabel",
        "Properties.BillingMode",
        Some(json!("PROVISIONED")),
    );
    assert_eq!(
        e,
        "t.template.json has no resource \"Tabel\" (did you mean \"Table\"?); its resources are: Table, Queue, Thing"
    );
}

#[test]
fn an_unknown_property_lists_the_names_there_with_a_guess() {
    let e = err("Table", "Properties.BillingMod", Some(json!("PROVISIONED")));
    assert!(
        e.starts_with(
            "AWS::DynamoDB::Table has no property \"BillingMod\" at Properties (did you mean \"BillingMode\"?); known there: "
        ),
        "{e}"
    );
    assert!(e.contains("AttributeDefinitions, BillingMode"), "{e}");
    let e = err(
        "Table",
        "Properties.PointInTimeRecoverySpecification.Enabled",
        Some(json!(true)),
    );
    assert!(
        e.contains("no property \"Enabled\" at Properties.PointInTimeRecoverySpecification"),
        "{e}"
    );
    assert!(e.contains("PointInTimeRecoveryEnabled"), "{e}");
    // Into list items' properties, too.
    let e = err("Table", "Properties.Tags[0].Valeu", Some(json!("x")));
    assert!(
        e.contains("at Properties.Tags[0] (did you mean \"Value\"?)"),
        "{e}"
    );
}

#[test]
fn values_must_fit_the_schema() {
    let e = err(
        "Table",
        "Properties.AttributeDefinitions[0].AttributeType",
        Some(json!("X")),
    );
    assert!(
        e.starts_with(
            "Properties.AttributeDefinitions[0].AttributeType: AttributeType is \"X\", not one of B, N, S"
        ),
        "{e}"
    );
    let e = err("Table", "Properties.Tags", Some(json!("x")));
    assert!(e.contains("Tags must be array, not a string"), "{e}");
    let e = err("Table", "Properties.Tags[1]", Some(json!({"Key": "k"})));
    assert!(e.contains("requires \"Value\""), "{e}");
    let e = err(
        "Queue",
        "Properties.MessageRetentionPeriod",
        Some(json!(10)),
    );
    assert!(e.contains("less than 60"), "{e}");
    // Functions are not judged: their value is known only at deployment.
    run(
        "Table",
        "Properties.BillingMode",
        Some(json!({"Ref": "Mode"})),
    )
    .unwrap();
}

#[test]
fn resource_attributes_are_judged() {
    let t = run("Table", "DeletionPolicy", Some(json!("Retain"))).unwrap();
    assert_eq!(t["Resources"]["Table"]["DeletionPolicy"], "Retain");
    let e = err("Table", "DeletionPolicy", Some(json!("Keep")));
    assert!(
        e.contains("expected one of Delete, Retain, RetainExceptOnCreate, found \"Keep\""),
        "{e}"
    );
    let e = err(
        "Table",
        "UpdateReplacePolicy",
        Some(json!("RetainExceptOnCreate")),
    );
    assert!(e.contains("expected one of Delete, Retain, found"), "{e}");
    // Snapshot only where CloudFormation takes snapshots.
    for attribute in ["DeletionPolicy", "UpdateReplacePolicy"] {
        let e = err("Table", attribute, Some(json!("Snapshot")));
        assert!(
            e.contains("AWS::DynamoDB::Table takes no final snapshot (Snapshot is valid only for AWS::DocDB::DBCluster, AWS::EC2::Volume, "),
            "{e}"
        );
        assert!(e.contains("): expected one of Delete, Retain"), "{e}");
    }
    let e = err("Table", "DeletionPolicy.X", Some(json!("Retain")));
    assert!(e.contains("DeletionPolicy is a single value"), "{e}");
    run("Table", "DependsOn", Some(json!(["Queue"]))).unwrap();
    let e = err("Table", "DependsOn", Some(json!("Qeue")));
    assert!(
        e.contains("no resource \"Qeue\" (did you mean \"Queue\"?)"),
        "{e}"
    );
    let e = err("Table", "DependsOn", Some(json!("Table")));
    assert!(e.contains("cannot depend on itself"), "{e}");
    run("Table", "Condition", Some(json!("IsProd"))).unwrap();
    let e = err("Table", "Condition", Some(json!("IsPrd")));
    assert!(
        e.contains("no condition \"IsPrd\" (did you mean \"IsProd\"?)"),
        "{e}"
    );
    run("Table", "Metadata.Note", Some(json!("kept"))).unwrap();
    let e = err("Table", "Metadata", Some(json!("x")));
    assert!(e.contains("Metadata must be a mapping"), "{e}");
    let e = err("Table", "Type", Some(json!("AWS::SQS::Queue")));
    assert!(
        e.contains("\"Type\" is not a resource attribute an override may set"),
        "{e}"
    );
    let e = err("Table", "Propertes.X", Some(json!(1)));
    assert!(e.contains("(did you mean \"Properties\"?)"), "{e}");
}

#[test]
fn paths_that_do_not_fit_the_schema_or_the_template_say_why() {
    let e = err("Table", "Properties.BillingMode[0]", Some(json!("x")));
    assert!(
        e.contains("Properties.BillingMode is string, not a list"),
        "{e}"
    );
    let e = err("Table", "Properties.Tags.Key", Some(json!("x")));
    assert!(
        e.contains("Properties.Tags is a list: address an item as Properties.Tags[0].Key"),
        "{e}"
    );
    let e = err("Queue", "Properties.VisibilityTimeout.X", Some(json!(1)));
    assert!(
        e.contains("not a list") || e.contains("no property") || e.contains("intrinsic"),
        "{e}"
    );
    let e = err(
        "Queue",
        "Properties.RedrivePolicy.deadLetterTargetArn",
        None,
    );
    assert!(e.contains("nothing to delete"), "{e}");
    // A function in the template is replaced whole, not walked into.
    run("Queue", "Properties.VisibilityTimeout", Some(json!(45))).unwrap();
    let e = err(
        "Table",
        "Properties.GlobalSecondaryIndexes[0].IndexName",
        Some(json!("x")),
    );
    assert!(e.contains("has no items to index: set it whole"), "{e}");
}

#[test]
fn a_walk_into_a_function_is_refused() {
    let mut t = template();
    t["Resources"]["Table"]["Properties"]["SSESpecification"] =
        json!({"Fn::If": ["IsProd", {"SSEEnabled": true}, {"Ref": "AWS::NoValue"}]});
    let e = apply(
        "t",
        &mut t,
        &o(
            "Table",
            "Properties.SSESpecification.SSEEnabled",
            Some(json!(false)),
        ),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("Properties.SSESpecification is an intrinsic function (Fn::If) in the template: override it whole"),
        "{e}"
    );
}

#[test]
fn custom_resources_take_any_property() {
    let t = run("Thing", "Properties.Anything.Deep", Some(json!([1, 2]))).unwrap();
    assert_eq!(
        t["Resources"]["Thing"]["Properties"]["Anything"],
        json!({"Deep": [1, 2]})
    );
}

#[test]
fn template_set_property_is_the_library_form() {
    use crate::resources::sqs::Queue;
    let mut t = crate::cfn::Template::new("d");
    t.add("Q", Queue::default());
    t.set_property("Q", "DelaySeconds", json!(5)).unwrap();
    t.set_property("Q", "Tags[0]", json!({"Key": "team", "Value": "x"}))
        .unwrap_err();
    t.set_property("Q", "Tags", json!([{"Key": "team", "Value": "x"}]))
        .unwrap();
    let e = t.set_property("Q", "DelaySecs", json!(5)).unwrap_err();
    assert!(
        e.to_string().contains("did you mean \"DelaySeconds\""),
        "{e}"
    );
    let e = t
        .set_property("Q", "DelaySeconds", json!(9999))
        .unwrap_err();
    assert!(e.to_string().contains("more than 900"), "{e}");
    let e = t.set_property("R", "DelaySeconds", json!(1)).unwrap_err();
    assert!(e.to_string().contains("no resource \"R\""), "{e}");
    t.delete_property("Q", "Tags").unwrap();
    assert_eq!(
        t.to_json()["Resources"]["Q"],
        json!({"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 5}})
    );
}

#[test]
fn text_is_rerendered_as_synth_renders_it() {
    let text = crate::cfn::render::to_string(&template());
    assert_eq!(apply_to_text("t", &text, &[]).unwrap(), text);
    let out = apply_to_text(
        "t",
        &text,
        &[o("Table", "Properties.TableClass", Some(json!("STANDARD")))],
    )
    .unwrap();
    let mut want = template();
    want["Resources"]["Table"]["Properties"]["TableClass"] = json!("STANDARD");
    assert_eq!(out, crate::cfn::render::to_string(&want));
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "[A-Za-z:]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[A-Za-z:]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// No path text, id or value panics; a failure leaves the template as it was.
    #[test]
    fn no_input_panics(
        id in prop_oneof![Just("Table".to_owned()), Just("Queue".to_owned()), Just("Thing".to_owned()), "[A-Za-z]{0,6}"],
        path in prop_oneof![
            "(Properties|DeletionPolicy|DependsOn|Condition|Metadata|Type)(\\.[A-Za-z]{1,12}|\\[[0-9]{1,2}\\]){0,4}",
            "Properties\\.(Tags|KeySchema|BillingMode|VisibilityTimeout|SSESpecification)(\\.[A-Za-z]{1,9}|\\[[0-3]\\]){0,3}",
            "[\\PC]{0,24}",
        ],
        value in prop::option::of(any_json()),
    ) {
        let Ok(path) = Path::parse(&path) else { return Ok(()) };
        let mut t = template();
        let before = t.clone();
        let o = Override { logical_id: id, path, value };
        if apply("t", &mut t, &o).is_err() {
            prop_assert_eq!(t, before);
        }
    }
}
