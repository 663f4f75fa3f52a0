//! Rendering tests of the core model: what the template looks like on disk.

use super::*;
use serde::Serialize;
use serde_json::json as j;

#[derive(Serialize, Default)]
#[serde(rename_all = "PascalCase")]
struct Thing {
    name: Str,
    size: Int,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<Str>>,
}

impl Resource for Thing {
    const TYPE: &'static str = "Test::Thing";
    const ATTRIBUTES: &'static [&'static str] = &["Arn"];
}

fn sample() -> Template {
    let mut t = Template::new("A sample");
    let size = t.parameter(
        "Size",
        Parameter::of_type("Number", "How big").default_value(3),
    );
    let prod = t.condition("IsProd", equals(ref_("AWS::StackName"), "prod".into()));
    let a = t.add(
        "First",
        Thing {
            name: "first".into(),
            size: size.value(),
            tags: None,
        },
    );
    let b = t.add_with(
        "Second",
        Thing {
            name: a.r#ref(),
            size: if_(&prod, 10i64.into(), 1i64.into()),
            tags: Some(vec![a.get_att("Arn")]),
        },
        Envelope::new()
            .depends_on(&a)
            .retain()
            .condition(&prod)
            .metadata("Purpose", j!("test")),
    );
    t.output(
        "SecondArn",
        Output::new("The second thing", b.get_att("Arn")).export(sub("${AWS::StackName}-Second")),
    );
    t
}

#[test]
fn renders_sections_and_envelope_in_order() {
    insta::assert_snapshot!(sample().render_json());
}

#[test]
fn rendering_is_deterministic() {
    assert_eq!(sample().render_json(), sample().render_json());
}

#[test]
fn empty_properties_are_omitted() {
    #[derive(Serialize)]
    struct Empty {}
    impl Resource for Empty {
        const TYPE: &'static str = "Test::Empty";
        const ATTRIBUTES: &'static [&'static str] = &[];
    }
    let mut t = Template::new("x");
    t.add("E", Empty {});
    assert_eq!(t.to_json()["Resources"]["E"], j!({"Type": "Test::Empty"}));
}

#[test]
#[should_panic(expected = "used twice")]
fn duplicate_logical_ids_are_refused() {
    let mut t = Template::new("x");
    t.add("A", Thing::default());
    t.add("A", Thing::default());
}

#[test]
#[should_panic(expected = "invalid logical id")]
fn non_alphanumeric_logical_ids_are_refused() {
    let mut t = Template::new("x");
    t.add("my-thing", Thing::default());
}

#[test]
fn logical_id_rules() {
    assert!(is_valid_logical_id("Abc123"));
    assert!(!is_valid_logical_id(""));
    assert!(!is_valid_logical_id("a_b"));
    assert!(!is_valid_logical_id(&"a".repeat(256)));
}
