//! Schema rules: every resource against its type's CloudFormation registry
//! schema (`crate::registry`): the type exists, its properties exist, the
//! required ones are present, literal values have the property's type and
//! stay within its limits, and names built from the stack name fit.
//!
//! Only literal values are judged. An intrinsic function's value is not
//! knowable before deployment, so it is skipped, never guessed; the one
//! exception is `Fn::If`, whose two branches are values the template states.

use std::borrow::Cow;
use std::fmt::Write;

use serde_json::{Map, Value};

use super::Ctx;
use super::stack_name::longest_with_stack_name;
use crate::registry::{JsonType, Kind, Shape, TypeInfo, is_intrinsic};

/// A finding before it is recorded: rule, resource, path, message.
type Found = (&'static str, String, String, String);

pub(super) fn check(ctx: &mut Ctx<'_>) {
    let mut found: Vec<Found> = Vec::new();
    for (id, resource) in ctx.resources {
        let Some(kind) = resource.get("Type").and_then(Value::as_str) else {
            continue;
        };
        match ctx.classify(kind) {
            Kind::Unknown => found.push((
                "SC-SCH-001",
                id.clone(),
                "Type".into(),
                format!("{kind:?} is not a CloudFormation resource type"),
            )),
            Kind::Unknowable => {}
            Kind::Known(info) => {
                let mut v = Validator::new(info, kind, id, "Properties", &mut found);
                v.properties(resource.get("Properties"));
            }
        }
    }
    for (rule, id, path, message) in found {
        ctx.report(rule, &id, &path, message);
    }
}

/// The problems of one value set at `path` (`Properties.A.B`) of a
/// resource of type `info`, judged against `shape` as the schema rules judge
/// a template (used by the escape hatch, `crate::overrides`, before it
/// changes a template).
pub(crate) fn judge(
    info: &'static TypeInfo,
    path: &str,
    value: &Value,
    shape: &Shape,
) -> Vec<String> {
    let mut found = Vec::new();
    let mut v = Validator::new(info, &info.name, "", path, &mut found);
    v.value(value, shape);
    found
        .into_iter()
        .map(|(_, _, at, message)| {
            if at == path {
                message
            } else {
                format!("{at}: {message}")
            }
        })
        .collect()
}

/// Properties that `aws cloudformation package` (and `sam package`) replace
/// with an S3 location before deployment, so a local path string is valid
/// input there (the AWS CLI reference for `cloudformation package` lists
/// them). Paths are as this validator writes them.
const PACKAGED: &[(&str, &str)] = &[
    ("AWS::Lambda::Function", "Properties.Code"),
    ("AWS::Lambda::LayerVersion", "Properties.Content"),
    ("AWS::ApiGateway::RestApi", "Properties.BodyS3Location"),
    (
        "AWS::AppSync::GraphQLSchema",
        "Properties.DefinitionS3Location",
    ),
    (
        "AWS::AppSync::Resolver",
        "Properties.RequestMappingTemplateS3Location",
    ),
    (
        "AWS::AppSync::Resolver",
        "Properties.ResponseMappingTemplateS3Location",
    ),
    (
        "AWS::AppSync::FunctionConfiguration",
        "Properties.RequestMappingTemplateS3Location",
    ),
    (
        "AWS::AppSync::FunctionConfiguration",
        "Properties.ResponseMappingTemplateS3Location",
    ),
    ("AWS::CloudFormation::Stack", "Properties.TemplateURL"),
    (
        "AWS::ElasticBeanstalk::ApplicationVersion",
        "Properties.SourceBundle",
    ),
    ("AWS::Glue::Job", "Properties.Command.ScriptLocation"),
    (
        "AWS::StepFunctions::StateMachine",
        "Properties.DefinitionS3Location",
    ),
    ("AWS::CodeCommit::Repository", "Properties.Code.S3"),
];

/// A value a packaging tool rewrites before CloudFormation sees it: a local
/// path where `package` uploads an artifact, or a `Rain::` directive
/// (`Rain::Embed`, `Rain::S3`) that AWS's `rain` expands. Judging it as the
/// final value would be a false finding.
fn packaging_directive(kind: &str, path: &str, v: &Value) -> bool {
    let rain = v
        .as_object()
        .is_some_and(|m| m.len() == 1 && m.keys().all(|k| k.starts_with("Rain::")));
    rain || (v.is_string() && PACKAGED.contains(&(kind, path)))
}

/// Walks one resource's properties along its type's schema.
struct Validator<'a> {
    info: &'static TypeInfo,
    kind: &'a str,
    id: &'a str,
    found: &'a mut Vec<Found>,
    /// Where the walk is (`Properties.A[0].B`): one buffer, grown on the
    /// way down and cut back on the way up, so a path is only copied for a
    /// finding (building one per value visited was a tenth of the check).
    path: String,
}

impl<'a> Validator<'a> {
    fn new(
        info: &'static TypeInfo,
        kind: &'a str,
        id: &'a str,
        path: &str,
        found: &'a mut Vec<Found>,
    ) -> Self {
        let mut buffer = String::with_capacity(128);
        buffer.push_str(path);
        Validator {
            info,
            kind,
            id,
            found,
            path: buffer,
        }
    }

    /// Records a problem at the current path.
    fn report(&mut self, rule: &'static str, message: String) {
        self.found
            .push((rule, self.id.to_owned(), self.path.clone(), message));
    }

    /// The last segment of the current path, for messages.
    fn name(&self) -> String {
        property_name(&self.path)
    }

    /// The `Properties` object (absent counts as empty).
    fn properties(&mut self, props: Option<&Value>) {
        let root = self.info.properties();
        match props {
            None | Some(Value::Null) => self.object(&Map::new(), root),
            Some(v) if is_intrinsic(v) => {}
            Some(Value::Object(m)) => self.object(m, root),
            Some(_) => self.report("SC-SCH-005", "Properties must be a mapping".into()),
        }
    }

    /// Any value against a shape.
    fn value(&mut self, v: &Value, shape: &Shape) {
        let shape = self.info.resolve(shape);
        if is_intrinsic(v) {
            self.intrinsic(v, shape);
            return;
        }
        if v.is_null() || packaging_directive(self.kind, &self.path, v) {
            return;
        }
        if !type_fits(v, &shape.types) {
            let message = format!(
                "{} must be {}, not {}",
                self.name(),
                shape.type_names(),
                kind_of(v)
            );
            self.report("SC-SCH-005", message);
            return;
        }
        match v {
            Value::Object(m) => self.object(m, shape),
            Value::Array(items) => self.array(items, shape),
            _ => self.scalar(v, shape),
        }
    }

    /// `Fn::If` branches are judged; other functions only for the length a
    /// name built from the stack name can reach.
    fn intrinsic(&mut self, v: &Value, shape: &Shape) {
        if let Some(Value::Array(args)) = v.get("Fn::If") {
            for branch in args.iter().skip(1).take(2) {
                self.value(branch, shape);
            }
            return;
        }
        let (Some(max), true) = (shape.max_length, shape.types.contains(&JsonType::String)) else {
            return;
        };
        let Some(length) = longest_with_stack_name(v) else {
            return;
        };
        if length.total > max as usize {
            let message = length.describe(&self.name(), max as usize);
            self.report("SC-SCH-006", message);
        }
    }

    /// An object: names known, required names present, values judged.
    fn object(&mut self, m: &Map<String, Value>, shape: &Shape) {
        // Keys such as `Fn::ForEach::Name` (a transform's) make the set of
        // names unknowable: only the names written out are judged.
        let transformed = m.keys().any(|k| k.starts_with("Fn::"));
        let alternatives: Vec<&Shape> = shape
            .any_ref
            .iter()
            .filter_map(|name| self.info.definition(name))
            .map(|s| self.info.resolve(s))
            .collect();
        for (key, child) in m {
            let len = self.path.len();
            self.path.push('.');
            self.path.push_str(key);
            self.member(key, child, shape, &alternatives);
            self.path.truncate(len);
        }
        if transformed {
            return;
        }
        for name in &shape.required {
            if !m.contains_key(name) {
                let message = format!("{} requires {name:?} here", self.kind);
                self.report("SC-SCH-003", message);
            }
        }
    }

    /// One member `key` of an object of `shape`, the path at the member.
    fn member(&mut self, key: &str, child: &Value, shape: &Shape, alternatives: &[&Shape]) {
        if let Some(sub) = shape.properties.get(key) {
            // With alternatives in play, which one applies is unknown.
            if alternatives.is_empty() {
                self.value(child, sub);
            }
            return;
        }
        let known_elsewhere = alternatives
            .iter()
            .any(|a| a.properties.contains_key(key) || name_matches(key, &a.pattern_properties));
        let all_closed =
            shape.names_are_closed() && alternatives.iter().all(|a| a.names_are_closed());
        if key.starts_with("Fn::")
            || known_elsewhere
            || name_matches(key, &shape.pattern_properties)
            || !all_closed
        {
            return;
        }
        let message = format!(
            "{} has no property {key:?} here{}",
            self.kind,
            suggestion(key, shape)
        );
        self.report("SC-SCH-002", message);
    }

    /// A list: items judged, item count within limits when it is literal.
    fn array(&mut self, items: &[Value], shape: &Shape) {
        if let Some(item) = &shape.items {
            for (i, v) in items.iter().enumerate() {
                let len = self.path.len();
                // Writing to a String cannot fail.
                let _ = write!(self.path, "[{i}]");
                self.value(v, item);
                self.path.truncate(len);
            }
        }
        // An item that is a function may be AWS::NoValue: the count is
        // then not knowable.
        if items.iter().any(is_intrinsic) {
            return;
        }
        let n = items.len() as u64;
        if let Some(min) = shape.min_items.filter(|min| n < *min) {
            let message = format!("{} has {n} item(s), fewer than {min}", self.name());
            self.report("SC-SCH-004", message);
        }
        if let Some(max) = shape.max_items.filter(|max| n > *max) {
            let message = format!("{} has {n} item(s), more than {max}", self.name());
            self.report("SC-SCH-004", message);
        }
    }

    /// A string, number or boolean against enum, length, pattern and range.
    fn scalar(&mut self, v: &Value, shape: &Shape) {
        let text = scalar_text(v);
        let mut problems = Vec::new();
        if let Some(allowed) = &shape.allowed
            && !allowed.iter().any(|a| scalar_text(a) == text)
        {
            problems.push(format!(
                "{} is {text:?}, not one of {}",
                self.name(),
                listing(allowed)
            ));
        }
        if let Some(allowed) = &shape.enum_case_insensitive
            && !allowed
                .iter()
                .any(|a| scalar_text(a).eq_ignore_ascii_case(&text))
        {
            problems.push(format!(
                "{} is {text:?}, not one of {}",
                self.name(),
                listing(allowed)
            ));
        }
        if let Value::String(s) = v {
            string_limits(&mut problems, &self.path, s, shape);
        }
        number_limits(&mut problems, &self.path, v, shape);
        for message in problems {
            self.report("SC-SCH-004", message);
        }
    }
}

/// Adds the length and pattern problems of a string at `path`.
fn string_limits(problems: &mut Vec<String>, path: &str, s: &str, shape: &Shape) {
    let name = || property_name(path);
    let len = s.chars().count() as u64;
    if let Some(min) = shape.min_length.filter(|min| len < *min) {
        problems.push(format!(
            "{} is {len} characters long, shorter than {min}",
            name()
        ));
    }
    if let Some(max) = shape.max_length.filter(|max| len > *max) {
        problems.push(format!(
            "{} is {len} characters long, longer than {max}",
            name()
        ));
    }
    if let Some(pattern) = &shape.pattern
        && pattern_matches(pattern, s) == Some(false)
    {
        problems.push(format!(
            "{} {s:?} does not match the pattern {pattern}",
            name()
        ));
    }
}

/// Adds the range problems of a number (or a string holding one) at `path`.
fn number_limits(problems: &mut Vec<String>, path: &str, v: &Value, shape: &Shape) {
    let numeric =
        shape.types.contains(&JsonType::Integer) || shape.types.contains(&JsonType::Number);
    let n = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) if numeric => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let Some(n) = n else { return };
    if let Some(min) = shape.minimum.filter(|min| n < *min) {
        problems.push(format!("{} is {n}, less than {min}", property_name(path)));
    }
    if let Some(max) = shape.maximum.filter(|max| n > *max) {
        problems.push(format!("{} is {n}, more than {max}", property_name(path)));
    }
}

/// Whether a literal has one of the types, as CloudFormation converts
/// scalars: numbers and booleans are strings, numeric strings are numbers,
/// `"true"`/`"false"` are booleans.
fn type_fits(v: &Value, types: &[JsonType]) -> bool {
    types.is_empty()
        || types.iter().any(|t| match (t, v) {
            (JsonType::String, Value::String(_) | Value::Number(_) | Value::Bool(_)) => true,
            (JsonType::Number, Value::Number(_)) => true,
            (JsonType::Number, Value::String(s)) => s.trim().parse::<f64>().is_ok(),
            (JsonType::Integer, Value::Number(n)) => n.as_f64().is_some_and(|f| f.fract() == 0.0),
            (JsonType::Integer, Value::String(s)) => {
                s.trim().parse::<f64>().is_ok_and(|f| f.fract() == 0.0)
            }
            (JsonType::Boolean, Value::Bool(_)) => true,
            (JsonType::Boolean, Value::String(s)) => {
                s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false")
            }
            (JsonType::Array, Value::Array(_)) | (JsonType::Object, Value::Object(_)) => true,
            (JsonType::Null, Value::Null) => true,
            _ => false,
        })
}

/// What a JSON value is, in words for messages ("a list", "a mapping").
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// A scalar as CloudFormation passes it on: text (borrowed when it is
/// text already, as most values an enum is compared with are).
fn scalar_text(v: &Value) -> Cow<'_, str> {
    match v {
        Value::String(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.to_string()),
    }
}

/// The allowed values, cut short when there are many.
fn listing(values: &[Value]) -> String {
    const SHOWN: usize = 12;
    let mut list: Vec<String> = values
        .iter()
        .take(SHOWN)
        .map(|v| scalar_text(v).into_owned())
        .collect();
    if values.len() > SHOWN {
        list.push(format!("and {} more", values.len() - SHOWN));
    }
    list.join(", ")
}

/// The last segment of a path, for messages: `Properties.A[0].B` -> `B`.
fn property_name(path: &str) -> String {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.split('[').next().unwrap_or(last).to_owned()
}

/// A known name differing only in case, as a hint.
fn suggestion(key: &str, shape: &Shape) -> String {
    shape
        .properties
        .keys()
        .find(|k| k.eq_ignore_ascii_case(key))
        .map(|k| format!(" (did you mean {k:?}?)"))
        .unwrap_or_default()
}

/// Whether a name matches one of the schema's pattern properties. A
/// pattern Rust's regex engine cannot compile matches every name: the
/// check must not reject what it cannot judge.
fn name_matches(key: &str, patterns: &[String]) -> bool {
    patterns
        .iter()
        .any(|p| pattern_matches(p, key) != Some(false))
}

mod pattern;

pub(crate) use pattern::pattern_matches;

#[cfg(test)]
mod tests;
