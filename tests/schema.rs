//! `stackcraft settings <bp> --schema`: a JSON Schema generated from the
//! settings types, checked here against each blueprint's defaults with a
//! small validator for the keywords the schemas use.

use serde_json::{Value, json};
use stackcraft::blueprints::BuiltIn;

/// Errors of `value` against `schema` (a subset of draft 2020-12: `$ref`,
/// `type`, `enum`, `const`, `minimum`, `maximum`, `properties`,
/// `additionalProperties`, `required`, `items`, `oneOf`, `anyOf`).
fn validate(value: &Value, schema: &Value, root: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let def = root
            .pointer(r.trim_start_matches('#'))
            .expect("$ref resolves");
        validate(value, def, root, at, errors);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(subs) = schema.get(key).and_then(Value::as_array) {
            let ok = subs
                .iter()
                .filter(|s| {
                    let mut e = Vec::new();
                    validate(value, s, root, at, &mut e);
                    e.is_empty()
                })
                .count();
            if (key == "oneOf" && ok != 1) || ok == 0 {
                errors.push(format!("{at}: {key} matched {ok}"));
            }
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        if !types
            .iter()
            .any(|t| *t == actual || (*t == "number" && actual == "integer"))
        {
            errors.push(format!("{at}: expected {types:?}, found {actual}"));
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(value)
    {
        errors.push(format!("{at}: {value} not in {e:?}"));
    }
    if let Some(c) = schema.get("const")
        && c != value
    {
        errors.push(format!("{at}: {value} is not {c}"));
    }
    if let (Some(n), Some(min)) = (
        value.as_f64(),
        schema.get("minimum").and_then(Value::as_f64),
    ) && n < min
    {
        errors.push(format!("{at}: {n} below {min}"));
    }
    if let (Some(n), Some(max)) = (
        value.as_f64(),
        schema.get("maximum").and_then(Value::as_f64),
    ) && n > max
    {
        errors.push(format!("{at}: {n} above {max}"));
    }
    if let Some(obj) = value.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, v) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(v, s, root, &format!("{at}.{k}"), errors),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => errors.push(format!("{at}: unknown key {k}")),
                    Some(s @ Value::Object(_)) => {
                        validate(v, s, root, &format!("{at}.{k}"), errors)
                    }
                    _ => {}
                },
            }
        }
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !obj.contains_key(r.as_str().unwrap_or_default()) {
                errors.push(format!("{at}: missing {r}"));
            }
        }
    }
    if let (Some(items), Some(s)) = (value.as_array(), schema.get("items")) {
        for (i, v) in items.iter().enumerate() {
            validate(v, s, root, &format!("{at}[{i}]"), errors);
        }
    }
}

fn errors(b: BuiltIn, yaml: &str) -> Vec<String> {
    let value: Value = serde_saphyr::from_str(yaml).unwrap();
    let schema = b.settings_schema();
    let mut errors = Vec::new();
    validate(&value, &schema, &schema, "", &mut errors);
    errors
}

#[test]
fn every_blueprints_defaults_validate_against_its_schema() {
    for b in BuiltIn::ALL {
        let schema = b.settings_schema();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(schema["additionalProperties"], false);
        assert_eq!(
            errors(b, b.default_settings()),
            Vec::<String>::new(),
            "{}",
            b.name()
        );
    }
}

#[test]
fn the_schema_refuses_what_the_loader_refuses() {
    let bad = BuiltIn::Todo
        .default_settings()
        .replace("  az_count: 2", "  az_count: 9");
    let e = errors(BuiltIn::Todo, &bad);
    assert!(
        e.iter().any(|e| e.contains(".network.az_count: 9 above 3")),
        "{e:?}"
    );
    let e = errors(BuiltIn::Todo, "netwrk: {}\n");
    assert_eq!(e, [": unknown key netwrk"]);
    let e = errors(BuiltIn::Todo, "log_retention_days: 8\n");
    assert_eq!(e.len(), 1, "{e:?}");
}

#[test]
fn a_partial_file_is_valid_but_list_items_need_their_required_keys() {
    assert!(errors(BuiltIn::Todo, "network:\n  az_count: 3\n").is_empty());
    let e = errors(BuiltIn::Micro, "services:\n  - name: a\n");
    assert!(
        e.iter()
            .any(|e| e.contains("services[0]: missing \"version\"")),
        "{e:?}"
    );
    assert_eq!(
        BuiltIn::Micro.settings_schema()["$defs"]["Service"]["required"],
        json!(["name", "version", "pattern"])
    );
}

#[test]
fn the_cli_prints_the_schema() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stackcraft"))
        .env(
            "STACKCRAFT_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/gate-cache"),
        )
        .args(["settings", "micro", "--schema"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed, BuiltIn::Micro.settings_schema());
}
