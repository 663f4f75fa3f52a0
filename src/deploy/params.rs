//! Parameter values from `--parameter [STACK:]KEY=VALUE` and `--parameters
//! FILE`, resolved per stack against the template's declarations.

use serde_json::Value;

use super::{DeployError, StackSpec};

/// One value: for every stack that declares `key`, or for `stack` only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The stack's short or CloudFormation name; `None` means every stack.
    pub stack: Option<String>,
    /// The parameter's logical name.
    pub key: String,
    /// Its value.
    pub value: String,
}

/// The values given on the command line and in a parameters file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParameterValues {
    /// `--parameter` values; they win over the file, stack-scoped over global.
    pub cli: Vec<Assignment>,
    /// Values from `--parameters FILE`.
    pub file: Vec<Assignment>,
}

/// What to send for one parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// This value.
    Value(String, String),
    /// The value the stack has now (an update with no value given).
    UsePrevious(String),
}

impl Assignment {
    /// Parses `[STACK:]KEY=VALUE`; the value may contain `:` and `=`.
    pub fn parse(text: &str) -> Result<Self, DeployError> {
        let bad = || {
            DeployError::Parameter(format!(
                "--parameter {text}: expected [STACK:]KEY=VALUE, KEY letters and digits"
            ))
        };
        let (lhs, value) = text.split_once('=').ok_or_else(bad)?;
        let (stack, key) = match lhs.split_once(':') {
            Some((s, k)) if !s.is_empty() => (Some(s.to_owned()), k),
            Some(_) => return Err(bad()),
            None => (None, lhs),
        };
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(bad());
        }
        Ok(Assignment {
            stack,
            key: key.to_owned(),
            value: value.to_owned(),
        })
    }
}

/// Parses a parameters file: a JSON object whose values are either a
/// parameter's value (string, number or boolean, for every stack that
/// declares it) or an object of values for the stack named by the key.
pub fn parse_file(file: &str, text: &str) -> Result<Vec<Assignment>, DeployError> {
    let bad = |m: String| DeployError::Parameter(format!("{file}: {m}"));
    let root: Value = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
    let Value::Object(map) = root else {
        return Err(bad(
            "expected a JSON object of KEY: VALUE or STACK: {KEY: VALUE}".into(),
        ));
    };
    let mut out = Vec::new();
    for (k, v) in map {
        match v {
            Value::Object(inner) => {
                for (key, value) in inner {
                    let value = scalar(&value).ok_or_else(|| {
                        bad(format!("{k}.{key}: expected a string, number or boolean"))
                    })?;
                    out.push(Assignment {
                        stack: Some(k.clone()),
                        key,
                        value,
                    });
                }
            }
            other => {
                let value = scalar(&other).ok_or_else(|| {
                    bad(format!(
                        "{k}: expected a value or an object of stack values"
                    ))
                })?;
                out.push(Assignment {
                    stack: None,
                    key: k,
                    value,
                });
            }
        }
    }
    Ok(out)
}

/// The value of the last assignment in `list` that `pick` accepts.
fn last(list: &[Assignment], pick: impl Fn(&Assignment) -> bool) -> Option<&str> {
    list.iter()
        .rev()
        .find(|a| pick(a))
        .map(|a| a.value.as_str())
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The declared parameters of a template: name and whether it has a default.
pub fn declared(template: &Value) -> Vec<(String, bool)> {
    template
        .get("Parameters")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, p)| (k.clone(), p.get("Default").is_some()))
                .collect()
        })
        .unwrap_or_default()
}

impl ParameterValues {
    /// The value for `key` in `stack`: command line before file, a
    /// stack-scoped value before a global one, the last one given winning.
    pub fn value(&self, stack: &StackSpec, key: &str) -> Option<&str> {
        let scoped = |a: &Assignment| {
            a.key == key
                && a.stack
                    .as_deref()
                    .is_some_and(|s| s == stack.name || s == stack.stack_name)
        };
        let global = |a: &Assignment| a.key == key && a.stack.is_none();
        last(&self.cli, scoped)
            .or_else(|| last(&self.cli, global))
            .or_else(|| last(&self.file, scoped))
            .or_else(|| last(&self.file, global))
    }

    /// Checks, before any AWS call, that every value names a parameter that
    /// some selected stack declares and that every parameter without a
    /// default has a value.
    pub fn check(&self, stacks: &[StackSpec]) -> Result<(), DeployError> {
        for a in self.cli.iter().chain(&self.file) {
            let targets: Vec<&StackSpec> = stacks
                .iter()
                .filter(|s| {
                    a.stack
                        .as_deref()
                        .is_none_or(|n| n == s.name || n == s.stack_name)
                })
                .collect();
            if !targets
                .iter()
                .any(|s| declared(&s.template).iter().any(|(k, _)| *k == a.key))
            {
                let scope = a
                    .stack
                    .as_deref()
                    .map(|s| format!("stack {s}"))
                    .unwrap_or("no selected stack".into());
                return Err(DeployError::Parameter(format!(
                    "parameter {}: {scope} declares it",
                    a.key
                )));
            }
        }
        for s in stacks {
            for (key, has_default) in declared(&s.template) {
                if !has_default && self.value(s, &key).is_none() {
                    return Err(DeployError::MissingParameter {
                        stack: s.name.clone(),
                        parameter: key,
                    });
                }
            }
        }
        Ok(())
    }

    /// What to send for `stack`'s parameters: given values, the previous
    /// value on update (`previous` lists the deployed stack's parameter
    /// keys), or nothing so that the template's default applies.
    pub fn resolve(&self, stack: &StackSpec, previous: Option<&[String]>) -> Vec<Resolved> {
        declared(&stack.template)
            .into_iter()
            .filter_map(|(key, _)| match self.value(stack, &key) {
                Some(v) => Some(Resolved::Value(key, v.to_owned())),
                None if previous.is_some_and(|p| p.contains(&key)) => {
                    Some(Resolved::UsePrevious(key))
                }
                None => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stack(name: &str, params: Value) -> StackSpec {
        StackSpec {
            name: name.into(),
            stack_name: format!("app-{name}"),
            body: String::new(),
            template: json!({"Parameters": params, "Resources": {}}),
        }
    }

    #[test]
    fn assignments_parse_with_and_without_stack_and_keep_colons_in_values() {
        let a = Assignment::parse("orders:CertificateArn=arn:aws:acm:x=y").unwrap();
        assert_eq!(a.stack.as_deref(), Some("orders"));
        assert_eq!(
            (a.key.as_str(), a.value.as_str()),
            ("CertificateArn", "arn:aws:acm:x=y")
        );
        assert_eq!(Assignment::parse("Size=3").unwrap().stack, None);
        for bad in ["Size", ":K=v", "a-b=1", "=v"] {
            assert!(Assignment::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn file_values_are_global_or_per_stack_and_bad_files_name_the_key() {
        let got = parse_file(
            "p.json",
            r#"{"Size": 3, "orders": {"Cert": "c", "On": true}}"#,
        )
        .unwrap();
        assert_eq!(got.len(), 3);
        assert_eq!(
            got[0],
            Assignment {
                stack: None,
                key: "Size".into(),
                value: "3".into()
            }
        );
        assert_eq!(got[2].stack.as_deref(), Some("orders"));
        let err = parse_file("p.json", r#"{"orders": {"Cert": [1]}}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("p.json: orders.Cert"), "{err}");
        assert!(parse_file("p.json", "[]").is_err());
    }

    #[test]
    fn precedence_is_cli_scoped_cli_global_file_scoped_file_global() {
        let s = stack("orders", json!({"K": {"Type": "String"}}));
        let mut v = ParameterValues {
            file: vec![
                Assignment::parse("K=fg").unwrap(),
                Assignment::parse("orders:K=fs").unwrap(),
            ],
            cli: vec![],
        };
        assert_eq!(v.value(&s, "K"), Some("fs"));
        v.cli.push(Assignment::parse("K=cg").unwrap());
        assert_eq!(v.value(&s, "K"), Some("cg"));
        v.cli.push(Assignment::parse("app-orders:K=cs").unwrap());
        assert_eq!(v.value(&s, "K"), Some("cs"));
    }

    #[test]
    fn a_required_parameter_without_value_names_stack_and_parameter() {
        let stacks = [stack(
            "orders",
            json!({"Cert": {"Type": "String"}, "N": {"Type": "Number", "Default": 1}}),
        )];
        let err = ParameterValues::default()
            .check(&stacks)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("stack orders: parameter Cert has no default"),
            "{err}"
        );
        let ok = ParameterValues {
            cli: vec![Assignment::parse("Cert=x").unwrap()],
            file: vec![],
        };
        ok.check(&stacks).unwrap();
        let unknown = ParameterValues {
            cli: vec![Assignment::parse("other:Cert=x").unwrap()],
            file: vec![],
        };
        assert!(
            unknown
                .check(&stacks)
                .unwrap_err()
                .to_string()
                .contains("stack other declares")
        );
    }

    #[test]
    fn updates_keep_previous_values_of_parameters_not_given() {
        let s = stack(
            "a",
            json!({"Given": {"Type": "String"}, "Old": {"Type": "String", "Default": "d"}, "New": {"Type": "String", "Default": "d"}}),
        );
        let v = ParameterValues {
            cli: vec![Assignment::parse("Given=1").unwrap()],
            file: vec![],
        };
        let prev = vec!["Given".to_owned(), "Old".to_owned()];
        assert_eq!(
            v.resolve(&s, Some(&prev)),
            [
                Resolved::Value("Given".into(), "1".into()),
                Resolved::UsePrevious("Old".into())
            ]
        );
        assert_eq!(
            v.resolve(&s, None),
            [Resolved::Value("Given".into(), "1".into())]
        );
    }
}
