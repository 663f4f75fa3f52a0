//! Typed CloudFormation values: a property is either a literal or an intrinsic
//! function, never a string with a function smuggled inside it.

use indexmap::IndexMap;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value as Json;

/// A CloudFormation intrinsic function or condition function.
///
/// Arguments that may themselves be any value (a literal, a list, another
/// function) are kept as already-serialized JSON so that functions nest freely.
#[derive(Debug, Clone, PartialEq)]
pub enum Intrinsic {
    /// `{"Ref": id}`: a resource's primary value, a parameter, or a pseudo parameter.
    Ref(String),
    /// `{"Fn::GetAtt": [id, attribute]}`.
    GetAtt(String, String),
    /// `{"Fn::Sub": string}`: variables resolve against the template.
    Sub(String),
    /// `{"Fn::Sub": [string, {var: value}]}`.
    SubWith(String, IndexMap<String, Json>),
    /// `{"Fn::Join": [separator, [values]]}`.
    Join(String, Vec<Json>),
    /// `{"Fn::Select": [index, list]}`.
    Select(u32, Json),
    /// `{"Fn::Split": [separator, string]}`.
    Split(String, Json),
    /// `{"Fn::GetAZs": region}`.
    GetAZs(Json),
    /// `{"Fn::Cidr": [block, count, bits]}`.
    Cidr(Json, u32, u32),
    /// `{"Fn::If": [condition, then, else]}`.
    If(String, Json, Json),
    /// `{"Fn::Equals": [a, b]}` (condition function).
    Equals(Json, Json),
    /// `{"Fn::Not": [condition]}` (condition function).
    Not(Json),
    /// `{"Fn::And": [conditions]}` (condition function).
    And(Vec<Json>),
    /// `{"Fn::Or": [conditions]}` (condition function).
    Or(Vec<Json>),
    /// `{"Condition": name}`: refers to a named condition inside a condition function.
    Condition(String),
    /// `{"Fn::ImportValue": name}`.
    ImportValue(Json),
    /// `{"Fn::Base64": value}`.
    Base64(Json),
    /// `{"Fn::FindInMap": [map, top key, second key]}`.
    FindInMap(String, Json, Json),
}

impl Intrinsic {
    /// The function's name as written in a template (`Ref`, `Fn::GetAtt`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Intrinsic::Ref(_) => "Ref",
            Intrinsic::GetAtt(..) => "Fn::GetAtt",
            Intrinsic::Sub(_) | Intrinsic::SubWith(..) => "Fn::Sub",
            Intrinsic::Join(..) => "Fn::Join",
            Intrinsic::Select(..) => "Fn::Select",
            Intrinsic::Split(..) => "Fn::Split",
            Intrinsic::GetAZs(_) => "Fn::GetAZs",
            Intrinsic::Cidr(..) => "Fn::Cidr",
            Intrinsic::If(..) => "Fn::If",
            Intrinsic::Equals(..) => "Fn::Equals",
            Intrinsic::Not(_) => "Fn::Not",
            Intrinsic::And(_) => "Fn::And",
            Intrinsic::Or(_) => "Fn::Or",
            Intrinsic::Condition(_) => "Condition",
            Intrinsic::ImportValue(_) => "Fn::ImportValue",
            Intrinsic::Base64(_) => "Fn::Base64",
            Intrinsic::FindInMap(..) => "Fn::FindInMap",
        }
    }
}

impl Serialize for Intrinsic {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        let name = self.name();
        match self {
            Intrinsic::Ref(id) | Intrinsic::Sub(id) | Intrinsic::Condition(id) => {
                map.serialize_entry(name, id)?
            }
            Intrinsic::GetAtt(id, attr) => map.serialize_entry(name, &[id, attr])?,
            Intrinsic::SubWith(s, vars) => map.serialize_entry(name, &(s, vars))?,
            Intrinsic::Join(sep, parts) => map.serialize_entry(name, &(sep, parts))?,
            Intrinsic::Select(i, list) => map.serialize_entry(name, &(i, list))?,
            Intrinsic::Split(sep, s) => map.serialize_entry(name, &(sep, s))?,
            Intrinsic::GetAZs(v) | Intrinsic::ImportValue(v) | Intrinsic::Base64(v) => {
                map.serialize_entry(name, v)?
            }
            Intrinsic::Cidr(block, count, bits) => {
                map.serialize_entry(name, &(block, count, bits))?
            }
            Intrinsic::If(c, a, b) => map.serialize_entry(name, &(c, a, b))?,
            Intrinsic::Equals(a, b) => map.serialize_entry(name, &(a, b))?,
            Intrinsic::Not(c) => map.serialize_entry(name, &[c])?,
            Intrinsic::And(cs) | Intrinsic::Or(cs) => map.serialize_entry(name, cs)?,
            Intrinsic::FindInMap(m, a, b) => map.serialize_entry(name, &(m, a, b))?,
        }
        map.end()
    }
}

/// A property value: a literal `T` or an intrinsic function that yields one.
///
/// This is how an integer property accepts either `5` or `{"Ref": "Count"}`
/// without ever turning the function into a string.
#[derive(Debug, Clone, PartialEq)]
pub enum Val<T> {
    /// A literal value.
    Lit(T),
    /// A value computed by CloudFormation at deploy time.
    Fn(Box<Intrinsic>),
}

/// A string-typed property.
pub type Str = Val<String>;
/// An integer-typed property.
pub type Int = Val<i64>;
/// A boolean-typed property.
pub type Bool = Val<bool>;
/// A list-of-strings property: literal elements, or one function yielding a list.
pub type List = Val<Vec<Str>>;

impl<T: Serialize> Serialize for Val<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Val::Lit(v) => v.serialize(serializer),
            Val::Fn(f) => f.serialize(serializer),
        }
    }
}

impl<T> Val<T> {
    /// The intrinsic behind this value, if it is not a literal.
    pub fn intrinsic(&self) -> Option<&Intrinsic> {
        match self {
            Val::Lit(_) => None,
            Val::Fn(f) => Some(f),
        }
    }
}

impl<T: Serialize> Val<T> {
    /// This value as JSON, for places that take any value (function arguments,
    /// policy conditions).
    pub fn to_json(&self) -> Json {
        crate::cfn::json(self)
    }
}

impl<T> From<Intrinsic> for Val<T> {
    fn from(f: Intrinsic) -> Self {
        Val::Fn(Box::new(f))
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Self {
        Val::Lit(s.to_owned())
    }
}

impl From<String> for Str {
    fn from(s: String) -> Self {
        Val::Lit(s)
    }
}

impl From<&String> for Str {
    fn from(s: &String) -> Self {
        Val::Lit(s.clone())
    }
}

impl From<i64> for Int {
    fn from(v: i64) -> Self {
        Val::Lit(v)
    }
}

impl From<i32> for Int {
    fn from(v: i32) -> Self {
        Val::Lit(i64::from(v))
    }
}

impl From<u32> for Int {
    fn from(v: u32) -> Self {
        Val::Lit(i64::from(v))
    }
}

impl From<bool> for Bool {
    fn from(v: bool) -> Self {
        Val::Lit(v)
    }
}

impl From<Vec<Str>> for List {
    fn from(v: Vec<Str>) -> Self {
        Val::Lit(v)
    }
}

impl From<Vec<&str>> for List {
    fn from(v: Vec<&str>) -> Self {
        Val::Lit(v.into_iter().map(Str::from).collect())
    }
}

impl From<Vec<String>> for List {
    fn from(v: Vec<String>) -> Self {
        Val::Lit(v.into_iter().map(Str::from).collect())
    }
}

impl From<&[String]> for List {
    fn from(v: &[String]) -> Self {
        Val::Lit(v.iter().map(Str::from).collect())
    }
}

impl From<&str> for Val<Json> {
    fn from(s: &str) -> Self {
        Val::Lit(Json::String(s.to_owned()))
    }
}

impl<T: Default> Default for Val<T> {
    fn default() -> Self {
        Val::Lit(T::default())
    }
}
