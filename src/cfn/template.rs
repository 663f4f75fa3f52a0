//! The template model: parameters, conditions, resources in their envelope,
//! outputs; and deterministic rendering.

use std::marker::PhantomData;

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{Map, Value as Json};

use super::json;
use super::value::{Intrinsic, List, Str, Val};

/// A CloudFormation resource type: a plain struct whose fields are the
/// resource's properties. Implemented by the `resource!` macro in
/// `crate::resources`, which also generates the typed attribute accessors.
pub trait Resource: Serialize {
    /// The CloudFormation type name, e.g. `AWS::DynamoDB::Table`.
    const TYPE: &'static str;
    /// The attributes `Fn::GetAtt` may read from this type.
    const ATTRIBUTES: &'static [&'static str];
}

/// Anything with a logical id that `DependsOn` may name.
pub trait LogicalId {
    /// The logical id in the template.
    fn logical_id(&self) -> &str;
}

/// A typed reference to a resource added to a template.
///
/// The handle only offers the attributes its type really has (the accessors
/// are generated per type in `crate::resources`), so a `Fn::GetAtt` of an
/// attribute that does not exist does not compile.
pub struct Handle<R> {
    id: String,
    _type: PhantomData<fn() -> R>,
}

impl<R> Clone for Handle<R> {
    fn clone(&self) -> Self {
        Handle {
            id: self.id.clone(),
            _type: PhantomData,
        }
    }
}

impl<R> std::fmt::Debug for Handle<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Handle({})", self.id)
    }
}

impl<R: Resource> Handle<R> {
    /// A handle to a resource declared elsewhere in the same template, by id.
    ///
    /// Use only where the resource is added later than its first reference
    /// (a cycle broken on purpose); `crate::check` verifies the id resolves.
    /// Crate-private: outside the crate a handle comes only from
    /// [`Template::add`], so "a wrong `GetAtt` does not compile" holds for
    /// users too. The explicit, unchecked escape is
    /// `Str::from(Intrinsic::GetAtt(id, attribute))`, which the check gate
    /// still verifies against the resource schemas.
    pub(crate) fn declared(id: &str) -> Self {
        Handle {
            id: id.to_owned(),
            _type: PhantomData,
        }
    }

    /// The resource's logical id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// `{"Ref": id}`: the resource's primary identifier (name, id or ARN,
    /// depending on the type).
    pub fn r#ref(&self) -> Str {
        Intrinsic::Ref(self.id.clone()).into()
    }

    /// `{"Fn::GetAtt": [id, attribute]}`. Called only by the generated,
    /// per-type accessors (crate-private, like the `resource!` macro).
    pub(crate) fn get_att<T>(&self, attribute: &'static str) -> Val<T> {
        debug_assert!(
            R::ATTRIBUTES.contains(&attribute),
            "{} has no attribute {attribute}",
            R::TYPE
        );
        Intrinsic::GetAtt(self.id.clone(), attribute.to_owned()).into()
    }
}

impl<R> LogicalId for Handle<R> {
    fn logical_id(&self) -> &str {
        &self.id
    }
}

/// What to do with a resource's physical resource when the stack deletes or
/// replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Policy {
    /// Remove it (CloudFormation's default).
    Delete,
    /// Keep it, orphaned from the stack.
    Retain,
    /// Keep it only if it was part of a stack that was rolled back on create.
    RetainExceptOnCreate,
    /// Take a final snapshot, then delete it (databases, volumes, caches).
    Snapshot,
}

/// The resource attributes around a resource's properties.
#[derive(Debug, Clone, Default)]
pub struct Envelope {
    depends_on: Vec<String>,
    deletion_policy: Option<Policy>,
    update_replace_policy: Option<Policy>,
    condition: Option<String>,
    metadata: Map<String, Json>,
}

impl Envelope {
    /// An envelope with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Create this resource only after `other`.
    pub fn depends_on(mut self, other: &impl LogicalId) -> Self {
        let id = other.logical_id().to_owned();
        if !self.depends_on.contains(&id) {
            self.depends_on.push(id);
        }
        self
    }

    /// Sets both `DeletionPolicy` and `UpdateReplacePolicy`, which should agree
    /// for anything holding data.
    pub fn policy(mut self, policy: Policy) -> Self {
        self.deletion_policy = Some(policy);
        self.update_replace_policy = Some(policy);
        self
    }

    /// Keep the physical resource when the stack is deleted or replaces it.
    pub fn retain(self) -> Self {
        self.policy(Policy::Retain)
    }

    /// Create the resource only when `condition` holds.
    pub fn condition(mut self, condition: &ConditionRef) -> Self {
        self.condition = Some(condition.id().to_owned());
        self
    }

    /// Adds a `Metadata` entry; a later entry with the same key replaces it.
    pub fn metadata(mut self, key: &str, value: Json) -> Self {
        self.metadata.insert(key.to_owned(), value);
        self
    }
}

/// A resource as it stands in the template: its type, envelope and rendered
/// properties.
#[derive(Debug, Clone)]
struct ResourceEntry {
    kind: &'static str,
    envelope: Envelope,
    properties: Json,
}

impl ResourceEntry {
    /// The resource as JSON, moving its properties (no copy): `Type`, then
    /// the envelope's attributes, then `Properties` when there are any.
    fn into_json(self) -> Json {
        let e = self.envelope;
        let mut map = Map::new();
        map.insert("Type".into(), self.kind.into());
        if let Some(c) = e.condition {
            map.insert("Condition".into(), c.into());
        }
        let mut depends_on = e.depends_on;
        match depends_on.len() {
            0 => {}
            1 => {
                map.insert("DependsOn".into(), depends_on.swap_remove(0).into());
            }
            _ => {
                map.insert("DependsOn".into(), depends_on.into());
            }
        }
        if let Some(p) = e.deletion_policy {
            map.insert("DeletionPolicy".into(), json(&p));
        }
        if let Some(p) = e.update_replace_policy {
            map.insert("UpdateReplacePolicy".into(), json(&p));
        }
        if !e.metadata.is_empty() {
            map.insert("Metadata".into(), Json::Object(e.metadata));
        }
        let empty = matches!(&self.properties, Json::Object(m) if m.is_empty());
        if !empty {
            map.insert("Properties".into(), self.properties);
        }
        Json::Object(map)
    }
}

/// A template parameter.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Parameter {
    /// `String`, `Number`, `CommaDelimitedList`, `AWS::EC2::VPC::Id`,
    /// `AWS::SSM::Parameter::Value<String>`, ...
    #[serde(rename = "Type")]
    pub kind: String,
    /// What the parameter is for, shown by the console.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The value used when the deployer gives none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Json>,
    /// The only values accepted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allowed_values: Vec<String>,
    /// A regular expression the value must match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_pattern: Option<String>,
    /// Shown when the value breaks a constraint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraint_description: Option<String>,
    /// Minimum string length.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// Maximum string length.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Minimum number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_value: Option<i64>,
    /// Maximum number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_value: Option<i64>,
    /// Mask the value in the console and API.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_echo: bool,
}

impl Parameter {
    /// A `String` parameter with a description.
    pub fn string(description: &str) -> Self {
        Parameter {
            kind: "String".into(),
            description: Some(description.into()),
            ..Default::default()
        }
    }

    /// A parameter of any type with a description.
    pub fn of_type(kind: &str, description: &str) -> Self {
        Parameter {
            kind: kind.into(),
            description: Some(description.into()),
            ..Default::default()
        }
    }

    /// Sets the default value.
    pub fn default_value(mut self, value: impl Into<Json>) -> Self {
        self.default = Some(value.into());
        self
    }

    /// Sets the regular expression the value must match, with the message
    /// shown when it does not.
    pub fn pattern(mut self, pattern: &str, description: &str) -> Self {
        self.allowed_pattern = Some(pattern.into());
        self.constraint_description = Some(description.into());
        self
    }
}

/// A reference to a parameter of the template.
#[derive(Debug, Clone)]
pub struct ParameterRef {
    id: String,
}

impl ParameterRef {
    /// The parameter's logical id.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// `{"Ref": id}` as a string value.
    pub fn r#ref(&self) -> Str {
        Intrinsic::Ref(self.id.clone()).into()
    }
    /// `{"Ref": id}` of a list-typed parameter.
    pub fn list(&self) -> List {
        Intrinsic::Ref(self.id.clone()).into()
    }
    /// `{"Ref": id}` typed as any value (a number parameter, say).
    pub fn value<T>(&self) -> Val<T> {
        Intrinsic::Ref(self.id.clone()).into()
    }
}

/// A reference to a named condition of the template.
#[derive(Debug, Clone)]
pub struct ConditionRef {
    id: String,
}

impl ConditionRef {
    /// A reference by name; prefer the one [`Template::condition`] returns.
    pub fn new(id: &str) -> Self {
        ConditionRef { id: id.to_owned() }
    }
    /// The condition's name.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// A stack output.
#[derive(Debug, Clone)]
pub struct Output {
    /// What the value is, for the person reading `describe-stacks`.
    pub description: String,
    /// The value.
    pub value: Str,
    /// The export name, when other stacks import the value.
    pub export: Option<Str>,
    /// Output only when the condition holds.
    pub condition: Option<String>,
}

impl Output {
    /// An output with a description and value.
    pub fn new(description: &str, value: Str) -> Self {
        Output {
            description: description.to_owned(),
            value,
            export: None,
            condition: None,
        }
    }

    /// Exports the value under `name`.
    pub fn export(mut self, name: Str) -> Self {
        self.export = Some(name);
        self
    }
}

impl Serialize for Output {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        if let Some(c) = &self.condition {
            map.serialize_entry("Condition", c)?;
        }
        map.serialize_entry("Description", &self.description)?;
        map.serialize_entry("Value", &self.value)?;
        if let Some(name) = &self.export {
            map.serialize_entry("Export", &serde_json::json!({ "Name": name }))?;
        }
        map.end()
    }
}

/// Merges `new` into `old`: lists gain the items they lack, anything else is
/// replaced.
fn merge_objects(old: &mut Map<String, Json>, new: Map<String, Json>) {
    for (k, v) in new {
        match (old.get_mut(&k), v) {
            (Some(Json::Array(items)), Json::Array(more)) => {
                for item in more {
                    if !items.contains(&item) {
                        items.push(item);
                    }
                }
            }
            (_, v) => {
                old.insert(k, v);
            }
        }
    }
}

/// Whether `id` is a valid logical id: ASCII letters and digits, 1 to 255.
pub fn is_valid_logical_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 255 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A CloudFormation template under construction.
///
/// Logical ids are chosen by the caller and kept in insertion order, so the
/// rendered bytes depend only on what was added, never on hashing.
#[derive(Debug, Clone, Default)]
pub struct Template {
    description: String,
    metadata: Map<String, Json>,
    parameters: IndexMap<String, Parameter>,
    mappings: IndexMap<String, Json>,
    rules: IndexMap<String, Json>,
    conditions: IndexMap<String, Intrinsic>,
    resources: IndexMap<String, ResourceEntry>,
    outputs: IndexMap<String, Output>,
}

impl Template {
    /// An empty template with a description.
    pub fn new(description: &str) -> Self {
        Template {
            description: description.to_owned(),
            ..Default::default()
        }
    }

    fn claim(&self, id: &str, what: &str) {
        // Logical ids come from blueprint code or from names validated when
        // settings were loaded; a bad one here is a bug, not bad input.
        assert!(
            is_valid_logical_id(id),
            "invalid logical id for {what}: {id:?}"
        );
        let taken = self.parameters.contains_key(id) || self.resources.contains_key(id);
        assert!(!taken, "logical id {id:?} used twice ({what})");
    }

    /// Adds a resource under `id` and returns its typed handle.
    ///
    /// # Panics
    /// When `id` is not a valid logical id or is already taken: both are bugs
    /// in the caller, which must validate names that come from settings.
    pub fn add<R: Resource>(&mut self, id: &str, resource: R) -> Handle<R> {
        self.add_with(id, resource, Envelope::new())
    }

    /// Adds a resource with resource attributes (`DependsOn`, policies, ...).
    ///
    /// # Panics
    /// As [`Template::add`].
    pub fn add_with<R: Resource>(
        &mut self,
        id: &str,
        resource: R,
        envelope: Envelope,
    ) -> Handle<R> {
        self.claim(id, R::TYPE);
        let entry = ResourceEntry {
            kind: R::TYPE,
            envelope,
            properties: json(&resource),
        };
        self.resources.insert(id.to_owned(), entry);
        Handle::declared(id)
    }

    /// Adds `Metadata` to a resource already in the template (a check waiver,
    /// say). When the entry exists and both are objects, the new object's
    /// keys are merged in: lists are extended with the items they lack, other
    /// values replaced, so waivers added by a pattern and by a blueprint
    /// add up.
    ///
    /// # Panics
    /// When no resource has that id.
    pub fn annotate(&mut self, id: &impl LogicalId, key: &str, value: Json) {
        let entry = self
            .resources
            .get_mut(id.logical_id())
            .unwrap_or_else(|| panic!("no resource {:?} to annotate", id.logical_id()));
        match (entry.envelope.metadata.get_mut(key), value) {
            (Some(Json::Object(old)), Json::Object(new)) => merge_objects(old, new),
            (_, value) => {
                entry.envelope.metadata.insert(key.to_owned(), value);
            }
        }
    }

    /// Makes `id` depend on `dependency` after both were added (a stage on
    /// the account-wide logging role, say).
    ///
    /// # Panics
    /// When no resource has that id.
    pub fn add_dependency(&mut self, id: &impl LogicalId, dependency: &impl LogicalId) {
        let entry = self
            .resources
            .get_mut(id.logical_id())
            .unwrap_or_else(|| panic!("no resource {:?}", id.logical_id()));
        let dep = dependency.logical_id().to_owned();
        if !entry.envelope.depends_on.contains(&dep) {
            entry.envelope.depends_on.push(dep);
        }
    }

    /// Declares a parameter.
    ///
    /// # Panics
    /// As [`Template::add`].
    pub fn parameter(&mut self, id: &str, parameter: Parameter) -> ParameterRef {
        self.claim(id, "parameter");
        self.parameters.insert(id.to_owned(), parameter);
        ParameterRef { id: id.to_owned() }
    }

    /// Declares a named condition.
    ///
    /// # Panics
    /// When the name is taken or invalid.
    pub fn condition(&mut self, id: &str, expression: Intrinsic) -> ConditionRef {
        assert!(is_valid_logical_id(id) && !self.conditions.contains_key(id));
        self.conditions.insert(id.to_owned(), expression);
        ConditionRef::new(id)
    }

    /// Declares a rule: assertions CloudFormation checks before creating or
    /// updating the stack (`{"Assertions": [{"Assert": ..., "AssertDescription": ...}]}`).
    pub fn rule(&mut self, id: &str, rule: Json) {
        self.rules.insert(id.to_owned(), rule);
    }

    /// Declares a mapping (`Fn::FindInMap` reads it).
    pub fn mapping(&mut self, id: &str, value: Json) {
        self.mappings.insert(id.to_owned(), value);
    }

    /// Declares an output.
    ///
    /// # Panics
    /// When the name is taken or invalid.
    pub fn output(&mut self, id: &str, output: Output) {
        assert!(
            is_valid_logical_id(id) && !self.outputs.contains_key(id),
            "output {id:?}"
        );
        self.outputs.insert(id.to_owned(), output);
    }

    /// Adds top-level template `Metadata`.
    pub fn metadata(&mut self, key: &str, value: Json) {
        self.metadata.insert(key.to_owned(), value);
    }

    /// The number of resources.
    pub fn resource_count(&self) -> usize {
        self.resources.len()
    }

    /// Logical ids of the resources, in insertion order.
    pub fn resource_ids(&self) -> impl Iterator<Item = &str> {
        self.resources.keys().map(String::as_str)
    }

    /// A resource's type and rendered properties, for the escape hatch
    /// (`crate::overrides`).
    pub(crate) fn properties_mut(&mut self, id: &str) -> Option<(&'static str, &mut Json)> {
        self.resources
            .get_mut(id)
            .map(|e| (e.kind, &mut e.properties))
    }

    /// The template as a JSON value, sections in CloudFormation's usual order.
    pub fn to_json(&self) -> Json {
        self.clone().into_json()
    }

    /// The template as a JSON value, like [`Template::to_json`], moving the
    /// resources' properties instead of copying them: what synthesis uses,
    /// since building a large template's value twice showed in profiles.
    pub fn into_json(self) -> Json {
        let mut map = Map::new();
        map.insert("AWSTemplateFormatVersion".into(), "2010-09-09".into());
        map.insert("Description".into(), self.description.into());
        if !self.metadata.is_empty() {
            map.insert("Metadata".into(), Json::Object(self.metadata));
        }
        if !self.parameters.is_empty() {
            map.insert("Parameters".into(), json(&self.parameters));
        }
        let sections = [("Rules", self.rules), ("Mappings", self.mappings)];
        for (name, section) in sections {
            if !section.is_empty() {
                map.insert(name.into(), Json::Object(section.into_iter().collect()));
            }
        }
        if !self.conditions.is_empty() {
            map.insert("Conditions".into(), json(&self.conditions));
        }
        let resources = self.resources.into_iter();
        let resources = resources.map(|(id, entry)| (id, entry.into_json()));
        map.insert("Resources".into(), Json::Object(resources.collect()));
        if !self.outputs.is_empty() {
            map.insert("Outputs".into(), json(&self.outputs));
        }
        Json::Object(map)
    }

    /// The template as JSON with a trailing newline, short lists and maps on
    /// one line (see [`crate::cfn::render`]): the bytes written to `out/`.
    pub fn render_json(&self) -> String {
        super::render::to_string(&self.to_json())
    }

    /// Renders like [`Template::render_json`] after renaming logical ids
    /// (old -> new; see [`crate::cfn::rename`]).
    pub fn render_json_renamed(
        &self,
        renames: &IndexMap<String, String>,
    ) -> Result<String, super::rename::RenameError> {
        let json = self.clone().into_json_renamed(renames)?;
        Ok(super::render::to_string(&json))
    }

    /// The template as a JSON value ([`Template::into_json`]) after
    /// renaming logical ids (old -> new; see [`crate::cfn::rename`]).
    pub fn into_json_renamed(
        self,
        renames: &IndexMap<String, String>,
    ) -> Result<Json, super::rename::RenameError> {
        let mut json = self.into_json();
        super::rename::rename_logical_ids(&mut json, renames)?;
        Ok(json)
    }

    /// The parameters, in the order they were declared.
    pub fn parameters(&self) -> impl Iterator<Item = (&str, &Parameter)> {
        self.parameters.iter().map(|(id, p)| (id.as_str(), p))
    }
}

impl From<Template> for Json {
    fn from(template: Template) -> Json {
        template.into_json()
    }
}

impl From<&Template> for Json {
    fn from(template: &Template) -> Json {
        template.to_json()
    }
}

impl Serialize for Template {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}
