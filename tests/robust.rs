//! No panic and no silent loss from user input: settings whose names collide
//! once turned into logical ids, networks too small to split, and bounded
//! property tests over the settings loaders and the template reader.

use proptest::prelude::*;
use stackcraft::blueprints::BuiltIn;

fn micro_with(from: &str, to: &str) -> String {
    let text = BuiltIn::Micro.default_settings();
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

fn micro_err(text: &str) -> String {
    BuiltIn::Micro
        .synth(Some(("m.yaml", text)))
        .expect_err("the settings must be refused")
        .to_string()
}

#[test]
fn stream_names_that_collide_as_logical_ids_are_refused_with_their_key() {
    let text = micro_with("streams: [order-events]", "streams: [ev-1, ev1]");
    let err = micro_err(&text);
    assert!(
        err.contains(
            "services[0].streams[1]: \"ev-1\" and \"ev1\" both become the logical id part \"Ev1\""
        ),
        "{err}"
    );
    assert!(err.starts_with("m.yaml:"), "{err}");
}

#[test]
fn queue_names_that_collide_as_logical_ids_are_refused() {
    let text = micro_with("queues: [signups]", "queues: [signups, q-2, q2]");
    let err = micro_err(&text);
    assert!(
        err.contains("services[2].queues[2]: \"q-2\" and \"q2\""),
        "{err}"
    );
}

#[test]
fn consumed_sources_that_collide_as_logical_ids_are_refused_not_merged() {
    let text = micro_with("streams: [order-events]", "streams: [order-events, a-1, a1]")
        .replacen(
            "      - stream: orders/order-events\n",
            "      - stream: orders/order-events\n      - stream: orders/a-1\n      - stream: orders/a1\n",
            1,
        );
    // The owner's streams collide first; the consumer's sources collide too.
    let err = micro_err(&text);
    assert!(err.contains("services[0].streams[2]"), "{err}");

    // Owners whose names collide: `a-1/events` and `a1/events`.
    let text = micro_with(
        "  # M5: Lambda triggers",
        "  - name: a-1\n    version: 1.0.0\n    pattern: ecs\n    streams: [events]\n  - name: a1\n    version: 1.0.0\n    pattern: ecs\n    streams: [events]\n  # M5: Lambda triggers",
    );
    let err = micro_err(&text);
    assert!(
        err.contains("services[4].name: \"a-1\" and \"a1\" both become the logical id part \"A1\""),
        "{err}"
    );
}

#[test]
fn the_same_source_consumed_twice_is_one_source() {
    let text = micro_with(
        "      - stream: orders/order-events\n",
        "      - stream: orders/order-events\n      - stream: orders/order-events\n",
    );
    let artifacts = BuiltIn::Micro.synth(Some(("m.yaml", &text))).unwrap();
    let t = artifacts
        .iter()
        .find(|a| a.path.ends_with("notifications.template.json"))
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(t.contents()).unwrap();
    let mappings = v["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::Lambda::EventSourceMapping")
        .count();
    assert_eq!(mappings, 2, "one per distinct source");
}

#[test]
fn a_network_too_small_to_split_is_a_settings_error_not_a_panic() {
    let text = micro_with("cidr: 10.40.0.0/16", "cidr: 10.0.0.0/26");
    let err = micro_err(&text);
    assert!(
        err.contains("network.cidr: expected a block of /16 to /25 to split into 4 subnets"),
        "{err}"
    );
    assert!(err.starts_with("m.yaml:16:"), "{err}");
}

/// Values a mutation puts in place of a value of the defaults: good ones,
/// bad ones, and ones of the wrong shape.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("~".to_owned()),
        Just("[]".to_owned()),
        Just("{}".to_owned()),
        Just("[a, b]".to_owned()),
        Just("{x: 1}".to_owned()),
        Just("&a 1".to_owned()),
        Just("*a".to_owned()),
        Just("10.0.0.0/26".to_owned()),
        Just("10.0.0.0/25".to_owned()),
        Just("10.0.0.0/16".to_owned()),
        Just("ev-1".to_owned()),
        Just("ev1".to_owned()),
        Just("[ev-1, ev1]".to_owned()),
        Just("[orders, orders]".to_owned()),
        Just("network".to_owned()),
        Just("-1".to_owned()),
        Just("99999999999999999999".to_owned()),
        Just("1.5".to_owned()),
        Just("true".to_owned()),
        Just("\"\"".to_owned()),
        Just("\"a\\u0000b\"".to_owned()),
        (0i64..5000).prop_map(|n| n.to_string()),
        "[a-z][a-z0-9-]{0,40}",
        "[ -~]{0,20}",
    ]
}

/// A default settings file with a few values replaced, lines dropped or
/// duplicated.
fn mutated(defaults: &'static str) -> impl Strategy<Value = String> {
    let lines = defaults.lines().count();
    proptest::collection::vec((0..lines, 0u8..4, value()), 1..4).prop_map(move |edits| {
        let mut lines: Vec<String> = defaults.lines().map(str::to_owned).collect();
        for (at, how, v) in edits {
            let at = at % lines.len();
            match how {
                0 => {
                    lines.remove(at);
                    if lines.is_empty() {
                        lines.push(String::new());
                    }
                }
                1 => {
                    let copy = lines[at].clone();
                    lines.insert(at, copy);
                }
                _ => {
                    if let Some((key, _)) = lines[at].split_once(": ") {
                        lines[at] = format!("{key}: {v}");
                    } else if let Some(key) = lines[at].strip_suffix(':') {
                        lines[at] = format!("{key}: {v}");
                    }
                }
            }
        }
        lines.join("\n") + "\n"
    })
}

fn blueprint() -> impl Strategy<Value = BuiltIn> {
    prop_oneof![
        Just(BuiltIn::Todo),
        Just(BuiltIn::Blog),
        Just(BuiltIn::Micro)
    ]
}

proptest! {
    // Bounded so the whole file runs in seconds in CI; raise locally with
    // PROPTEST_CASES to search longer.
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_default_settings_never_panic(
        (b, text) in blueprint().prop_flat_map(|b| (Just(b), mutated(b.default_settings())))
    ) {
        let _ = b.synth_unchecked(Some(("p.yaml", &text)));
    }

    #[test]
    fn arbitrary_yaml_settings_never_panic(b in blueprint(), text in "([a-z_]{1,8}: ?|  |- |\\[|\\]|\\{|\\}|, |&a |\\*a |!!str |\"|'|#|\n|[0-9./]{1,6}|[a-z-]{1,6}){0,40}") {
        let _ = b.synth_unchecked(Some(("p.yaml", &text)));
    }
}

/// JSON-ish and YAML-ish text of CloudFormation's shapes.
fn template_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(", ".to_owned()),
        Just(": ".to_owned()),
        Just("\n".to_owned()),
        Just("  ".to_owned()),
        Just("- ".to_owned()),
        Just("\"Resources\"".to_owned()),
        Just("Resources".to_owned()),
        Just("Type".to_owned()),
        Just("Properties".to_owned()),
        Just("Outputs".to_owned()),
        Just("Parameters".to_owned()),
        Just("Conditions".to_owned()),
        Just("\"AWS::S3::Bucket\"".to_owned()),
        Just("AWS::Lambda::Function".to_owned()),
        Just("!Ref".to_owned()),
        Just("!GetAtt".to_owned()),
        Just("!Sub".to_owned()),
        Just("!If".to_owned()),
        Just("!Nope".to_owned()),
        Just("\"Ref\"".to_owned()),
        Just("\"Fn::GetAtt\"".to_owned()),
        Just("\"Fn::Sub\"".to_owned()),
        Just("&a ".to_owned()),
        Just("*a".to_owned()),
        Just("*b".to_owned()),
        Just("1e400".to_owned()),
        Just("-0".to_owned()),
        Just("null".to_owned()),
        Just("\"${X}\"".to_owned()),
        Just("\"${!Y}.${Z.Arn}\"".to_owned()),
        "[A-Za-z0-9]{1,8}",
    ];
    proptest::collection::vec(token, 0..60).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_template_reader_never_panics(text in template_text()) {
        let _ = stackcraft::check::check_text("t.yaml", &text);
        let _ = stackcraft::check::check_text("t.json", &format!("{{{text}"));
    }

    #[test]
    fn the_template_reader_never_panics_on_any_text(text in "\\PC{0,200}") {
        let _ = stackcraft::check::check_text("t.yaml", &text);
    }
}

#[test]
fn distinct_sources_with_the_same_logical_id_are_refused() {
    // `a-b/c` and `a/b-c` both become `ABCStream`.
    let text = micro_with(
        "  # M5: Lambda triggers",
        "  - name: a-b\n    version: 1.0.0\n    pattern: ecs\n    streams: [c]\n  - name: a\n    version: 1.0.0\n    pattern: ecs\n    streams: [b-c]\n  - name: w\n    version: 1.0.0\n    pattern: worker\n    datastore: dynamodb\n    consumes:\n      - stream: a-b/c\n      - stream: a/b-c\n  # M5: Lambda triggers",
    );
    let err = micro_err(&text);
    assert!(
        err.contains("services[5].consumes[1]: \"stream: a-b/c\" and \"stream: a/b-c\" both become the logical id part \"ABCStream\""),
        "{err}"
    );
}
