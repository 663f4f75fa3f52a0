//! How long a name built from the stack name can get. A stack name is up to
//! 128 characters, so `${AWS::StackName}-orders-handler` fits a 64-character
//! limit only for short stack names.

use serde_json::Value;

use super::integrity::sub_variables;

/// The longest a stack name can be.
pub(crate) const MAX_STACK_NAME: usize = 128;

/// The length a value reaches when the stack name is 128 characters long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Length {
    /// Characters, counting only what is known (a lower bound when
    /// `exact` is false).
    pub total: usize,
    /// How many times the stack name occurs.
    pub stack_names: usize,
    /// Whether every part's length is known.
    pub exact: bool,
}

impl Length {
    fn known(n: usize) -> Length {
        Length {
            total: n,
            stack_names: 0,
            exact: true,
        }
    }

    fn unknown() -> Length {
        Length {
            total: 0,
            stack_names: 0,
            exact: false,
        }
    }

    fn add(self, other: Length) -> Length {
        Length {
            total: self.total + other.total,
            stack_names: self.stack_names + other.stack_names,
            exact: self.exact && other.exact,
        }
    }

    /// A message for a `name` limited to `max` characters.
    pub fn describe(&self, name: &str, max: usize) -> String {
        let at_least = if self.exact { "" } else { "at least " };
        let rest = self.total - MAX_STACK_NAME * self.stack_names;
        let fits = if rest >= max {
            "whatever the stack name".to_owned()
        } else {
            let longest = (max - rest) / self.stack_names.max(1);
            format!("stack names longer than {longest} characters")
        };
        format!(
            "{name} is built from the stack name and reaches {at_least}{} characters for a \
             {MAX_STACK_NAME}-character stack name, more than its limit of {max}: it fails for {fits}",
            self.total
        )
    }
}

/// The length of a `Ref`, `Fn::Sub` or `Fn::Join` value that contains the
/// stack name, when the stack name is as long as it can be; `None` when the
/// value does not contain the stack name or is another function.
pub(crate) fn longest_with_stack_name(v: &Value) -> Option<Length> {
    let length = length_of(v);
    (length.stack_names > 0).then_some(length)
}

/// Pseudo parameters' shortest lengths, so a total stays a lower bound.
fn pseudo(name: &str) -> Length {
    match name {
        "AWS::StackName" => Length {
            total: MAX_STACK_NAME,
            stack_names: 1,
            exact: true,
        },
        "AWS::AccountId" => Length::known(12),
        // us-east-1 and eu-west-1 are among the shortest region names.
        "AWS::Region" => Length {
            exact: false,
            ..Length::known(9)
        },
        "AWS::Partition" => Length {
            exact: false,
            ..Length::known(3)
        },
        "AWS::URLSuffix" => Length {
            exact: false,
            ..Length::known("amazonaws.com".len())
        },
        _ => Length::unknown(),
    }
}

fn length_of(v: &Value) -> Length {
    match v {
        Value::String(s) => Length::known(s.chars().count()),
        Value::Number(n) => Length::known(n.to_string().len()),
        Value::Object(m) if m.len() == 1 => {
            if let Some(Value::String(name)) = m.get("Ref") {
                pseudo(name)
            } else if let Some(sub) = m.get("Fn::Sub") {
                sub_length(sub)
            } else if let Some(Value::Array(args)) = m.get("Fn::Join") {
                join_length(args)
            } else {
                Length::unknown()
            }
        }
        _ => Length::unknown(),
    }
}

fn sub_length(sub: &Value) -> Length {
    let (text, vars) = match sub {
        Value::String(s) => (s.as_str(), None),
        Value::Array(a) => match (a.first(), a.get(1)) {
            (Some(Value::String(s)), vars) => (s.as_str(), vars.and_then(Value::as_object)),
            _ => return Length::unknown(),
        },
        _ => return Length::unknown(),
    };
    let mut length = Length::known(literal_length(text));
    for var in sub_variables(text) {
        length = length.add(match vars.and_then(|m| m.get(var)) {
            Some(value) => length_of(value),
            None => pseudo(var),
        });
    }
    length
}

/// Characters of a `Fn::Sub` string outside its `${…}` variables; `${!X}`
/// is written out as `${X}`.
fn literal_length(text: &str) -> usize {
    let mut total = 0;
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        total += rest[..start].chars().count();
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            return total + rest[start..].chars().count();
        };
        if let Some(literal) = after[..end].strip_prefix('!') {
            total += literal.chars().count() + 3;
        }
        rest = &after[end + 1..];
    }
    total + rest.chars().count()
}

fn join_length(args: &[Value]) -> Length {
    let (Some(Value::String(delimiter)), Some(Value::Array(parts))) = (args.first(), args.get(1))
    else {
        return Length::unknown();
    };
    let separators = delimiter.chars().count() * parts.len().saturating_sub(1);
    parts
        .iter()
        .map(length_of)
        .fold(Length::known(separators), Length::add)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lengths_with_a_128_character_stack_name() {
        let sub = json!({"Fn::Sub": "${AWS::StackName}-orders"});
        assert_eq!(
            longest_with_stack_name(&sub),
            Some(Length {
                total: 135,
                stack_names: 1,
                exact: true
            })
        );
        let join = json!({"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "x", {"Ref": "P"}]]});
        assert_eq!(
            longest_with_stack_name(&join),
            Some(Length {
                total: 131,
                stack_names: 1,
                exact: false
            })
        );
        let own = json!({"Fn::Sub": ["${S}-${!Lit}", {"S": {"Ref": "AWS::StackName"}}]});
        assert_eq!(longest_with_stack_name(&own).unwrap().total, 128 + 1 + 6);
        assert_eq!(
            longest_with_stack_name(&json!({"Fn::Sub": "${AWS::Region}-x"})),
            None
        );
        assert_eq!(
            longest_with_stack_name(&json!({"Fn::GetAtt": ["A", "B"]})),
            None
        );
    }

    #[test]
    fn messages_say_which_stack_names_fail() {
        let l = Length {
            total: 135,
            stack_names: 1,
            exact: true,
        };
        let m = l.describe("FunctionName", 64);
        assert!(m.contains("reaches 135 characters"), "{m}");
        assert!(
            m.contains("fails for stack names longer than 57 characters"),
            "{m}"
        );
    }
}
