use serde_json::{Value, json};

use super::*;

fn vpc(cidr: Value) -> Value {
    json!({
        "Resources": {
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": cidr, "EnableDnsSupport": true}},
            "Subnet": {"Type": "AWS::EC2::Subnet", "Properties": {
                "VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.0.0/24"}},
            "Param": {"Type": "AWS::SSM::Parameter", "Properties": {
                "Type": "String", "Value": {"Ref": "Vpc"}}}
        }
    })
}

fn find<'a>(d: &'a TemplateDiff, id: &str) -> &'a ResourceDiff {
    d.resources.iter().find(|r| r.logical_id == id).unwrap()
}

#[test]
fn identical_templates_do_not_differ() {
    let t = vpc(json!("10.0.0.0/16"));
    assert!(diff_templates(&t, &t).is_empty());
    assert!(!StackDiff::of("s", Some(&t), &t).differs());
}

#[test]
fn a_create_only_change_replaces_and_drags_what_refers_to_it() {
    let d = diff_templates(&vpc(json!("10.0.0.0/16")), &vpc(json!("10.1.0.0/16")));
    let v = find(&d, "Vpc");
    assert_eq!(
        (v.action, v.replacement),
        (Action::Modify, Replacement::Yes)
    );
    assert_eq!(v.changes.len(), 1);
    assert_eq!(
        compare::PathDisplay(&v.changes[0].path).to_string(),
        "Properties.CidrBlock"
    );
    // The subnet's VpcId is create-only and refers to the VPC.
    let s = find(&d, "Subnet");
    assert_eq!(s.replacement, Replacement::Maybe);
    assert_eq!(s.reasons, ["VpcId refers to Vpc, which is replaced"]);
    // The parameter's Value is not create-only: updated in place, not listed.
    assert!(d.resources.iter().all(|r| r.logical_id != "Param"));
}

#[test]
fn an_updatable_change_does_not_replace() {
    let mut new = vpc(json!("10.0.0.0/16"));
    new["Resources"]["Vpc"]["Properties"]["EnableDnsSupport"] = json!(false);
    let d = diff_templates(&vpc(json!("10.0.0.0/16")), &new);
    assert_eq!(d.resources.len(), 1);
    let v = find(&d, "Vpc");
    assert_eq!(v.replacement, Replacement::No);
    assert_eq!(v.changes[0].old, Some(json!(true)));
    assert_eq!(v.changes[0].new, Some(json!(false)));
}

#[test]
fn an_intrinsic_on_a_create_only_property_may_replace() {
    let d = diff_templates(
        &vpc(json!("10.0.0.0/16")),
        &vpc(json!({"Fn::Select": [0, {"Fn::Cidr": ["10.0.0.0/8", 1, 16]}]})),
    );
    assert_eq!(find(&d, "Vpc").replacement, Replacement::Maybe);
}

#[test]
fn a_changed_type_replaces() {
    let old = json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}});
    let new = json!({"Resources": {"Q": {"Type": "AWS::SNS::Topic"}}});
    let d = diff_templates(&old, &new);
    let q = find(&d, "Q");
    assert_eq!(q.replacement, Replacement::Yes);
    assert_eq!(q.reasons, ["Type AWS::SQS::Queue -> AWS::SNS::Topic"]);
}

#[test]
fn list_items_and_nested_create_only_paths_are_matched() {
    // AWS::MSK::Replicator-like `*` paths: Tags.*.Key is create-only on some
    // types; here an index path is matched against a `*` pattern.
    let pattern = ["Tags", "*", "Key"];
    let rel = [
        Segment::Key("Tags".into()),
        Segment::Index(2),
        Segment::Key("Key".into()),
    ];
    assert!(replace_touches(&pattern, &rel));
    let other = [
        Segment::Key("Tags".into()),
        Segment::Index(2),
        Segment::Key("Value".into()),
    ];
    assert!(!replace_touches(&pattern, &other));
}

fn replace_touches(pattern: &[&str], rel: &[Segment]) -> bool {
    replace::touches(pattern, rel, None, None)
}

#[test]
fn removing_or_replacing_data_is_loud_unless_a_policy_keeps_it() {
    let old = json!({"Resources": {
        "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "a"}},
        "Bucket": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"},
        "Queue": {"Type": "AWS::SQS::Queue"}
    }});
    let new = json!({"Resources": {
        "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "b"}}
    }});
    let d = diff_templates(&old, &new);
    let w = |id| find(&d, id).warning.clone().unwrap();
    assert!(
        w("Table")
            .starts_with("WARNING: Table (AWS::DynamoDB::Table) holds data and will be REPLACED")
    );
    assert!(w("Bucket").starts_with(
        "note: Bucket (AWS::S3::Bucket) holds data and will be DELETED; the old resource stays"
    ));
    assert!(
        w("Queue").starts_with("WARNING: Queue (AWS::SQS::Queue) holds data and will be DELETED")
    );
}

#[test]
fn other_sections_are_compared_entry_by_entry() {
    let old = json!({"Parameters": {"A": {"Type": "String"}, "B": {"Type": "String"}},
                     "Outputs": {"O": {"Value": "x"}}, "Description": "one", "Resources": {}});
    let new = json!({"Parameters": {"B": {"Type": "String", "Default": "b"}, "C": {"Type": "String"}},
                     "Outputs": {"O": {"Value": "x"}}, "Description": "two", "Resources": {}});
    let got: Vec<(String, String, Action)> = diff_templates(&old, &new)
        .entries
        .into_iter()
        .map(|e| (e.section, e.name, e.action))
        .collect();
    let want = [
        ("Parameters", "A", Action::Remove),
        ("Parameters", "B", Action::Modify),
        ("Parameters", "C", Action::Add),
        ("Template", "Description", Action::Modify),
    ];
    assert_eq!(got.len(), want.len(), "{got:?}");
    for ((s, n, a), (ws, wn, wa)) in got.iter().zip(want) {
        assert_eq!((s.as_str(), n.as_str(), *a), (ws, wn, wa));
    }
}

#[test]
fn the_text_is_deterministic_and_plain_without_a_terminal() {
    let old = vpc(json!("10.0.0.0/16"));
    let mut new = vpc(json!("10.1.0.0/16"));
    new["Resources"]["Topic"] = json!({"Type": "AWS::SNS::Topic"});
    let d = StackDiff::of("net", Some(&old), &new);
    let text = render(&d, Style::default());
    assert_eq!(text, render(&d, Style::default()));
    assert_eq!(
        text,
        "net: 1 to add, 2 to modify (1 replaced, 1 may be replaced), 0 to remove\n\
         \x20 ± Subnet  AWS::EC2::Subnet  MAY REPLACE\n\
         \x20     VpcId refers to Vpc, which is replaced\n\
         \x20 + Topic   AWS::SNS::Topic\n\
         \x20 ± Vpc     AWS::EC2::VPC  REPLACE\n\
         \x20     Properties.CidrBlock: \"10.0.0.0/16\" -> \"10.1.0.0/16\"  (create-only: replaces)\n"
    );
    assert!(!text.contains('\x1b'));
    assert!(render(&d, Style { color: true }).contains("\x1b[31m"));
    let fresh = StackDiff::of("net", None, &new);
    assert!(render(&fresh, Style::default()).starts_with("net: new stack, 4 resource(s) to add\n"));
    let same = StackDiff::of("net", Some(&old), &old);
    assert_eq!(render(&same, Style::default()), "net: no differences\n");
}
