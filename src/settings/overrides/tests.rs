use serde_json::json;

use crate::blueprints::{BuiltIn, SynthError};
use crate::output::Artifact;
use crate::settings::Layers;

/// Synthesizes `b` (checked) with `text` as the user's settings file.
fn synth(b: BuiltIn, text: &str) -> Result<Vec<Artifact>, SynthError> {
    b.synth_checked(&b.defaults().file("my.yaml", text))
}

fn err(b: BuiltIn, text: &str) -> String {
    match synth(b, text) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => e.to_string(),
    }
}

fn template(artifacts: &[Artifact], file: &str) -> serde_json::Value {
    let a = artifacts
        .iter()
        .find(|a| a.path.to_string_lossy() == file)
        .unwrap();
    serde_json::from_str(a.contents()).unwrap()
}

#[test]
fn a_valid_override_changes_exactly_what_it_names() {
    let plain = BuiltIn::Todo.synth(None).unwrap();
    let text = "overrides:\n  todo:\n    TodoTable:\n      Properties.TableClass: STANDARD_INFREQUENT_ACCESS\n      Properties.Tags[1]: {Key: team, Value: data}\n";
    let changed = synth(BuiltIn::Todo, text).unwrap();
    let mut want = template(&plain, "todo.template.json");
    let props = &mut want["Resources"]["TodoTable"]["Properties"];
    props["TableClass"] = json!("STANDARD_INFREQUENT_ACCESS");
    props["Tags"]
        .as_array_mut()
        .unwrap()
        .push(json!({"Key": "team", "Value": "data"}));
    let got = &changed[0];
    assert_eq!(got.contents(), crate::cfn::render::to_string(&want));
    // The rest is untouched.
    assert_eq!(plain.len(), changed.len());
}

#[test]
fn overrides_work_for_every_blueprint_and_micro_by_stack_name() {
    let text = "overrides:\n  blog:\n    PostsTable:\n      UpdateReplacePolicy: Retain\n";
    let got = synth(BuiltIn::Blog, text).unwrap();
    let t = template(&got, "blog.template.json");
    assert_eq!(
        t["Resources"]["PostsTable"]["UpdateReplacePolicy"],
        "Retain"
    );
    let text = "overrides:\n  orders:\n    Table:\n      Properties.TableClass: STANDARD_INFREQUENT_ACCESS\n";
    let got = synth(BuiltIn::Micro, text).unwrap();
    let t = template(&got, "micro/orders.template.json");
    assert_eq!(
        t["Resources"]["Table"]["Properties"]["TableClass"],
        "STANDARD_INFREQUENT_ACCESS"
    );
    let plain = BuiltIn::Micro.synth(None).unwrap();
    let others: Vec<_> = got
        .iter()
        .zip(&plain)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.path.display().to_string())
        .collect();
    assert_eq!(others, ["micro/orders.template.json"]);
}

#[test]
fn each_bad_override_names_the_file_line_and_key() {
    let e = err(
        BuiltIn::Todo,
        "overrides:\n  tod:\n    TodoTable:\n      DeletionPolicy: Retain\n",
    );
    assert!(
        e.starts_with("my.yaml:2:3: overrides.tod: no template named \"tod\" (did you mean \"todo\"?); the templates are: todo"),
        "{e}"
    );
    let e = err(
        BuiltIn::Todo,
        "overrides:\n  todo:\n    TodoTabel:\n      DeletionPolicy: Retain\n",
    );
    assert!(
        e.starts_with("my.yaml:3:5: overrides.todo.TodoTabel.DeletionPolicy: todo.template.json has no resource \"TodoTabel\" (did you mean \"TodoTable\"?); its resources are: DataKey, "),
        "{e}"
    );
    let e = err(
        BuiltIn::Todo,
        "overrides:\n  todo:\n    TodoTable:\n      Properties.TableKlass: STANDARD\n",
    );
    assert!(
        e.starts_with("my.yaml:4:7: overrides.todo.TodoTable.Properties.TableKlass: AWS::DynamoDB::Table has no property \"TableKlass\" at Properties (did you mean \"TableClass\"?)"),
        "{e}"
    );
    assert!(
        e.contains("4 |       Properties.TableKlass: STANDARD"),
        "{e}"
    );
    let e = err(
        BuiltIn::Todo,
        "overrides:\n  todo:\n    TodoTable:\n      Properties.BillingMode: [1]\n",
    );
    assert!(
        e.starts_with("my.yaml:4:31: overrides.todo.TodoTable.Properties.BillingMode: BillingMode must be string, not a list"),
        "{e}"
    );
    let e = err(
        BuiltIn::Todo,
        "overrides:\n  todo:\n    TodoTable:\n      Properties..X: 1\n",
    );
    assert!(
        e.starts_with(
            "my.yaml:4:7: overrides.todo.TodoTable.Properties..X: \"Properties..X\": empty key"
        ),
        "{e}"
    );
    let e = err(BuiltIn::Todo, "overrides: [1]\n");
    assert!(
        e.starts_with("my.yaml:1:12: overrides: expected a mapping: template name"),
        "{e}"
    );
    let e = err(BuiltIn::Todo, "overrides:\n  todo: 3\n");
    assert!(
        e.starts_with("my.yaml:2:9: overrides.todo: expected a mapping: logical id"),
        "{e}"
    );
    let e = err(
        BuiltIn::Todo,
        "overrides:\n  todo:\n    TodoTable:\n      Properties.TableName: !Ref X\n",
    );
    assert!(
        e.contains("a YAML tag such as !Ref or !Sub is not read in settings files"),
        "{e}"
    );
}

#[test]
fn the_check_gate_still_refuses_what_an_override_breaks() {
    let text = "overrides:\n  todo:\n    TodoTable:\n      Properties.TableName: {Ref: Nope}\n";
    let e = err(BuiltIn::Todo, text);
    assert!(e.starts_with("todo: the synthesized templates fail"), "{e}");
    assert!(e.contains("SC-INT-001"), "{e}");
}

#[test]
fn settings_parse_around_the_key_and_empty_overrides_change_nothing() {
    let plain = BuiltIn::Todo.synth(None).unwrap();
    for text in [
        "overrides:\n",
        "overrides: {}\n",
        "overrides:\n  todo: {}\n",
    ] {
        assert_eq!(synth(BuiltIn::Todo, text).unwrap(), plain, "{text}");
    }
    // A later layer merges into the file's overrides key by key.
    let layers = BuiltIn::Todo
        .defaults()
        .file(
            "my.yaml",
            "overrides:\n  todo:\n    TodoTable:\n      DeletionPolicy: Retain\n",
        )
        .set("overrides.todo.DataKey={UpdateReplacePolicy: Retain}");
    let got = BuiltIn::Todo.synth_checked(&layers).unwrap();
    let t = template(&got, "todo.template.json");
    assert_eq!(t["Resources"]["DataKey"]["UpdateReplacePolicy"], "Retain");
    let _: Layers = layers;
    // `--set` splits its key at dots; the nested mappings merge, so this
    // sets one property, not the whole of Properties.
    let layers = BuiltIn::Todo
        .defaults()
        .set("overrides.todo.TodoTable.Properties.TableClass=STANDARD_INFREQUENT_ACCESS");
    let got = BuiltIn::Todo.synth_checked(&layers).unwrap();
    let t = template(&got, "todo.template.json");
    let props = &t["Resources"]["TodoTable"]["Properties"];
    assert_eq!(props["TableClass"], "STANDARD_INFREQUENT_ACCESS");
    assert_eq!(props["BillingMode"], "PROVISIONED");
}

#[test]
fn the_settings_schema_describes_the_key_for_every_blueprint() {
    for b in BuiltIn::ALL {
        let schema = b.settings_schema();
        let o = &schema["properties"]["overrides"];
        assert!(
            o["description"].as_str().unwrap().contains("escape hatch"),
            "{}",
            b.name()
        );
        assert_eq!(o["additionalProperties"]["type"], json!(["object", "null"]));
    }
}

#[test]
fn the_readme_example_synthesizes_and_passes_the_checks() {
    let readme = include_str!("../../../README.md");
    let start = readme.find("# my.yaml\noverrides:").unwrap();
    let end = start + readme[start..].find("```").unwrap();
    let got = synth(BuiltIn::Todo, &readme[start..end]).unwrap();
    let t = template(&got, "todo.template.json");
    let table = &t["Resources"]["TodoTable"];
    assert_eq!(table["UpdateReplacePolicy"], "Retain");
    assert_eq!(
        table["Properties"]["ContributorInsightsSpecification"],
        json!({"Enabled": true})
    );
    assert_eq!(table["Properties"]["Tags"][1]["Key"], "team");
    let function = &t["Resources"]["TodoApiFunction"]["Properties"];
    assert!(function.get("TracingConfig").is_none());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// No overrides text panics: it applies, or it is refused with an error.
    #[test]
    fn no_overrides_text_panics(
        template in "(todo|tod|blog|)",
        id in "(TodoTable|UserFilesBucket|TodoApiFunction|[A-Za-z]{0,5})",
        path in "(Properties|DeletionPolicy|DependsOn|Condition|Metadata|Type|)([.][A-Za-z]{0,10}|\\[[0-9]{1,2}\\]|[.\\[\\]\\\\]){0,4}",
        value in "(null|~|1|-3|true|x|\"\"|\\[\\]|\\{\\}|\\[1, a\\]|\\{Key: k, Value: v\\}|\\{Ref: DataKey\\}|\\{Ref: Nope\\}|Retain|[ -~]{0,8})",
    ) {
        let text = format!("overrides:\n  {template:?}:\n    {id:?}:\n      {path:?}: {value}\n");
        let _ = synth(BuiltIn::Todo, &text);
    }
}

#[test]
fn the_commented_example_in_each_defaults_file_works_uncommented() {
    for b in BuiltIn::ALL {
        let defaults = b.default_settings();
        let start = defaults.find("# overrides:").unwrap();
        let example: String = defaults[start..]
            .lines()
            .map(|l| format!("{}\n", l.strip_prefix("# ").unwrap_or(l)))
            .collect();
        let plain = b.synth(None).unwrap();
        let got = synth(b, &example).unwrap_or_else(|e| panic!("{}: {e}", b.name()));
        assert!(got != plain, "{}: the example changed nothing", b.name());
    }
}
