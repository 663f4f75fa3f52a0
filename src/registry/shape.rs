//! The shape of one property: its JSON types, limits and nested properties.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

/// A JSON Schema type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JsonType {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A list.
    Array,
    /// A mapping.
    Object,
    /// `null`.
    Null,
}

impl JsonType {
    /// The schema's name of the type.
    pub fn name(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::Boolean => "boolean",
            JsonType::Array => "array",
            JsonType::Object => "object",
            JsonType::Null => "null",
        }
    }
}

/// A property's schema, reduced to what checks use. Limits come from the
/// schema as written; when the schema offers alternatives (`oneOf`,
/// `anyOf`), only the union of names and types is kept, never a limit.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Shape {
    /// Allowed JSON types; empty when the schema does not say.
    #[serde(rename = "type")]
    pub types: Vec<JsonType>,
    /// A named definition this shape is.
    #[serde(rename = "ref")]
    reference: Option<String>,
    /// Definitions one of which this shape is (alternatives).
    pub any_ref: Vec<String>,
    /// Shortest string.
    pub min_length: Option<u64>,
    /// Longest string.
    pub max_length: Option<u64>,
    /// A regular expression strings must match.
    pub pattern: Option<String>,
    /// The allowed values.
    #[serde(rename = "enum")]
    pub allowed: Option<Vec<Value>>,
    /// The allowed values, compared without case.
    pub enum_case_insensitive: Option<Vec<Value>>,
    /// Smallest number.
    pub minimum: Option<f64>,
    /// Largest number.
    pub maximum: Option<f64>,
    /// Fewest list items.
    pub min_items: Option<u64>,
    /// Most list items.
    pub max_items: Option<u64>,
    /// The shape of a list's items.
    pub items: Option<Box<Shape>>,
    /// An object's named properties.
    pub properties: IndexMap<String, Shape>,
    /// An object's required properties.
    pub required: Vec<String>,
    /// Regular expressions other property names may match.
    pub pattern_properties: Vec<String>,
    /// No property beyond `properties` and `pattern_properties` is allowed.
    pub closed: bool,
    /// Alternatives allow properties not listed here.
    pub open: bool,
}

impl Shape {
    /// The definition this shape refers to, when it is only a reference.
    pub fn reference(&self) -> Option<&str> {
        let bare = self.types.is_empty() && self.properties.is_empty() && self.items.is_none();
        self.reference.as_deref().filter(|_| bare)
    }

    /// Whether the schema lists the names an object may have, so any other
    /// name is a mistake.
    pub fn names_are_closed(&self) -> bool {
        self.closed && !self.open && self.any_ref.is_empty()
    }

    /// The names of the allowed types, for messages.
    pub fn type_names(&self) -> String {
        let names: Vec<&str> = self.types.iter().map(|t| t.name()).collect();
        names.join(" or ")
    }
}
