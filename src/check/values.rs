//! Reading property values the way CloudFormation would resolve them, as far
//! as a template alone allows: literals, parameter defaults, and names built
//! with `Fn::Sub` or `Fn::Join`.

use serde_json::Value;

use super::integrity::sub_variables;

/// Marks a part of a rendered value that no template alone can tell
/// (`Fn::If`, `Fn::FindInMap`, `Fn::ImportValue`, ...).
pub(crate) const UNKNOWN: &str = "${?}";

/// Pseudo parameters whose value is fixed for an account and Region.
const ACCOUNT_AND_REGION: &[&str] = &[
    "AWS::AccountId",
    "AWS::Region",
    "AWS::Partition",
    "AWS::URLSuffix",
];

/// A resource's `Properties`, or `null`.
pub(crate) fn props(r: &Value) -> &Value {
    r.get("Properties").unwrap_or(&Value::Null)
}

/// A value that may be one item or a list, as a list.
pub(crate) fn as_list(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        None | Some(Value::Null) => vec![],
        Some(other) => vec![other],
    }
}

/// A policy document's statements.
pub(crate) fn statements(doc: Option<&Value>) -> Vec<&Value> {
    as_list(doc.and_then(|d| d.get("Statement")))
}

/// A statement's actions that are plain strings.
pub(crate) fn actions(statement: &Value) -> Vec<&str> {
    as_list(statement.get("Action"))
        .into_iter()
        .filter_map(Value::as_str)
        .collect()
}

/// Whether the resource is kept when the stack deletes it.
pub(crate) fn retained(r: &Value) -> bool {
    matches!(
        r.get("DeletionPolicy").and_then(Value::as_str),
        Some("Retain" | "RetainExceptOnCreate")
    )
}

/// The value as text: literals as they are, `Ref` and `Fn::GetAtt` as
/// `${Name}` / `${Name.Attr}`, `Fn::Sub` with its own variables filled in,
/// `Fn::Join` joined; anything else [`UNKNOWN`].
pub(crate) fn render(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Object(m) if m.len() == 1 => render_function(m),
        _ => UNKNOWN.to_owned(),
    }
}

fn render_function(m: &serde_json::Map<String, Value>) -> String {
    if let Some(Value::String(name)) = m.get("Ref") {
        return format!("${{{name}}}");
    }
    if let Some(att) = m.get("Fn::GetAtt") {
        return match att {
            Value::Array(a) => {
                let parts: Vec<String> = a.iter().map(render).collect();
                format!("${{{}}}", parts.join("."))
            }
            Value::String(s) => format!("${{{s}}}"),
            _ => UNKNOWN.to_owned(),
        };
    }
    if let Some(sub) = m.get("Fn::Sub") {
        return render_sub(sub);
    }
    if let Some(Value::Array(args)) = m.get("Fn::Join")
        && let (Some(Value::String(delimiter)), Some(Value::Array(items))) =
            (args.first(), args.get(1))
    {
        let parts: Vec<String> = items.iter().map(render).collect();
        return parts.join(delimiter);
    }
    UNKNOWN.to_owned()
}

fn render_sub(sub: &Value) -> String {
    let (text, vars) = match sub {
        Value::String(s) => (s.as_str(), None),
        Value::Array(a) => match (a.first(), a.get(1)) {
            (Some(Value::String(s)), vars) => (s.as_str(), vars.and_then(Value::as_object)),
            _ => return UNKNOWN.to_owned(),
        },
        _ => return UNKNOWN.to_owned(),
    };
    let mut out = text.to_owned();
    for (name, value) in vars.into_iter().flatten() {
        out = out.replace(&format!("${{{name}}}"), &render(value));
    }
    out
}

/// The variables (`${X}`) of a rendered value.
pub(crate) fn variables(rendered: &str) -> Vec<&str> {
    sub_variables(rendered)
}

/// Whether a rendered name is the same for every stack in an account and
/// Region: a literal, or built only from the account, Region and partition.
pub(crate) fn fixed_per_account(rendered: &str) -> bool {
    variables(rendered)
        .iter()
        .all(|v| ACCOUNT_AND_REGION.contains(v))
}

/// The number a property holds: a literal (or numeric string), or the
/// default of the parameter it refers to. `None` when the template alone
/// cannot tell.
pub(crate) fn number(template: &Value, v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Object(m) if m.len() == 1 => {
            let name = m.get("Ref")?.as_str()?;
            let default = template.pointer(&format!("/Parameters/{name}/Default"))?;
            match default {
                Value::Object(_) => None,
                other => number(template, other),
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rendering_names() {
        assert_eq!(render(&json!("a")), "a");
        assert_eq!(
            render(&json!({"Fn::Sub": "x-${AWS::AccountId}-${B.Arn}"})),
            "x-${AWS::AccountId}-${B.Arn}"
        );
        assert_eq!(
            render(&json!({"Fn::Sub": ["${N}-x", {"N": {"Ref": "AWS::StackName"}}]})),
            "${AWS::StackName}-x"
        );
        assert_eq!(
            render(
                &json!({"Fn::Join": ["-", ["a", {"Ref": "AWS::Region"}, {"Fn::GetAtt": ["B", "Arn"]}]]})
            ),
            "a-${AWS::Region}-${B.Arn}"
        );
        assert_eq!(render(&json!({"Fn::If": ["C", "a", "b"]})), UNKNOWN);
        assert!(fixed_per_account("logs-${AWS::AccountId}-${AWS::Region}"));
        assert!(fixed_per_account("literal"));
        assert!(!fixed_per_account("${AWS::StackName}-logs"));
        assert!(!fixed_per_account(UNKNOWN));
    }

    #[test]
    fn numbers_from_literals_and_parameter_defaults() {
        let t = json!({"Parameters": {"T": {"Type": "Number", "Default": 30}, "N": {"Type": "Number"}}});
        assert_eq!(number(&t, &json!(5)), Some(5.0));
        assert_eq!(number(&t, &json!("7")), Some(7.0));
        assert_eq!(number(&t, &json!({"Ref": "T"})), Some(30.0));
        assert_eq!(number(&t, &json!({"Ref": "N"})), None);
        assert_eq!(number(&t, &json!({"Fn::If": ["C", 1, 2]})), None);
    }
}
