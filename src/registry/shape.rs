//! The shape of one property: its JSON types, limits and nested properties.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

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
///
/// Shapes are read from the embedded artifact, which lives as long as the
/// process: nested shapes borrow their JSON text from it and are parsed the
/// first time they are looked at (see [`ShapeMap`]).
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
    #[serde(borrow)]
    pub properties: ShapeMap<'static>,
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

/// Named shapes (an object's properties, a schema's definitions) in the
/// artifact's order, sorted by name. Each stays JSON text, borrowed from the
/// artifact, until it is first looked up: a template uses a few of a type's
/// properties, and parsing all of them was most of the cost of loading a
/// type (a fifth of `synth micro`, perf).
#[derive(Debug, Default)]
pub struct ShapeMap<'a> {
    entries: Vec<(Cow<'a, str>, LazyShape<'a>)>,
}

/// A shape kept as JSON text until it is first needed (boxed once parsed,
/// so that a map of mostly unparsed entries stays small).
#[derive(Debug)]
struct LazyShape<'a> {
    raw: &'a RawValue,
    shape: OnceLock<Box<Shape>>,
}

impl ShapeMap<'static> {
    /// The shape named `name`. The artifact's names are sorted
    /// (`scripts/gen_registry.py` sorts them; a test checks every map), so
    /// this is a binary search.
    pub fn get(&self, name: &str) -> Option<&Shape> {
        let at = self
            .entries
            .binary_search_by(|(k, _)| k.as_ref().cmp(name))
            .ok()?;
        Some(self.entries[at].1.get())
    }
}

impl ShapeMap<'_> {
    /// Whether a shape is named `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.entries
            .binary_search_by(|(k, _)| k.as_ref().cmp(name))
            .is_ok()
    }

    /// The names, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_ref())
    }

    /// How many shapes are named.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no shape is named.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
impl ShapeMap<'static> {
    /// Checks that the names are sorted and every shape, nested ones
    /// included, parses (the lazy reader would fall back to the
    /// unconstrained shape), naming the first that does not.
    pub(crate) fn check_all(&self) -> Result<(), String> {
        if !self.entries.is_sorted_by(|a, b| a.0 < b.0) {
            return Err(format!(
                "names not sorted: {:?}",
                self.keys().collect::<Vec<_>>()
            ));
        }
        for (name, lazy) in &self.entries {
            let shape: Shape =
                serde_json::from_str(lazy.raw.get()).map_err(|e| format!("{name}: {e}"))?;
            shape.check_all().map_err(|e| format!("{name}.{e}"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
impl Shape {
    /// [`ShapeMap::check_all`] for this shape's properties and items.
    pub(crate) fn check_all(&self) -> Result<(), String> {
        self.properties.check_all()?;
        match &self.items {
            Some(items) => items.check_all().map_err(|e| format!("items.{e}")),
            None => Ok(()),
        }
    }
}

impl LazyShape<'static> {
    /// The parsed shape. Text that does not parse as a shape gives the
    /// unconstrained one, so a check never rejects what it cannot read (the
    /// registry's tests parse every shape of the artifact).
    fn get(&self) -> &Shape {
        self.shape
            .get_or_init(|| Box::new(serde_json::from_str(self.raw.get()).unwrap_or_default()))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for ShapeMap<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ShapeMapVisitor(std::marker::PhantomData))
    }
}

/// Reads a JSON object into a [`ShapeMap`], keeping each value's text.
struct ShapeMapVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for ShapeMapVisitor<'a> {
    type Value = ShapeMap<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping of names to shapes")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(Name(key)) = map.next_key()? {
            let raw: &'de RawValue = map.next_value()?;
            let shape = OnceLock::new();
            entries.push((key, LazyShape { raw, shape }));
        }
        Ok(ShapeMap { entries })
    }
}

/// A name borrowed from the artifact's text, or owned when JSON escapes
/// in it had to be decoded.
struct Name<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Name<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(NameVisitor(std::marker::PhantomData))
    }
}

struct NameVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for NameVisitor<'a> {
    type Value = Name<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a name")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Name<'a>, E> {
        Ok(Name(Cow::Borrowed(v)))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Name<'a>, E> {
        Ok(Name(Cow::Owned(v.to_owned())))
    }
}
