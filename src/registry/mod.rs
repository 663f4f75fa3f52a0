//! What stackcraft knows about every CloudFormation resource type, generated
//! from the CloudFormation registry's resource provider schemas (as shipped,
//! pinned, by cfn-lint; see `data/README.md` and `scripts/gen_registry.py`).
//!
//! For each type: the attributes `Fn::GetAtt` may read, the create-only
//! properties (changing one replaces the resource), the required properties,
//! and every property's name, type, limits and nested property types.
//!
//! Loading is lazy and cheap: the artifact is embedded in the binary, the
//! first lookup indexes its lines (one per type), a type's line is read the
//! first time that type is asked for, and each of its property shapes and
//! definitions is parsed the first time it is looked up ([`ShapeMap`]), once
//! per process.

use std::sync::{LazyLock, OnceLock};

use serde::Deserialize;
use serde_json::Value;

mod shape;

pub use shape::{JsonType, Shape, ShapeMap};

/// The generated artifact: one JSON object per line, sorted by type name.
const DATA: &str = include_str!("../../data/registry.jsonl");

/// The cfn-lint release the artifact was generated from.
pub const CFN_LINT_VERSION: &str = "1.51.0";

/// One resource type.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypeInfo {
    /// The type name, e.g. `AWS::S3::Bucket`.
    #[serde(rename = "type")]
    pub name: String,
    /// `Fn::GetAtt` names; `*` in a name matches any text (`Outputs.*` of a
    /// nested stack, `*` of a custom resource).
    attributes: Vec<String>,
    /// Create-only properties as dotted paths (`FunctionName`,
    /// `KeySchema`, `Endpoint.Address`).
    create_only: Vec<String>,
    /// The resource's `Properties` object.
    root: Shape,
    /// Named property types the shapes refer to, parsed when first used
    /// (a type such as AWS::QuickSight::Dashboard has thousands; a template
    /// uses a few).
    #[serde(borrow)]
    definitions: ShapeMap<'static>,
    /// The region whose schema this is, when the type is not in us-east-1.
    region: Option<String>,
}

impl TypeInfo {
    /// The attributes `Fn::GetAtt` may read (may contain `*` wildcards).
    pub fn attributes(&self) -> &[String] {
        &self.attributes
    }

    /// Whether `Fn::GetAtt` may read `attr`.
    pub fn has_attribute(&self, attr: &str) -> bool {
        self.attributes.iter().any(|a| glob_match(a, attr))
    }

    /// Create-only properties: a change replaces the resource.
    pub fn create_only(&self) -> &[String] {
        &self.create_only
    }

    /// Required top-level properties.
    pub fn required(&self) -> &[String] {
        &self.root.required
    }

    /// The shape of the resource's `Properties` object.
    pub fn properties(&self) -> &Shape {
        &self.root
    }

    /// A property by dotted path (`BucketName`,
    /// `VersioningConfiguration.Status`), following arrays' items and
    /// definitions.
    pub fn property(&self, path: &str) -> Option<&Shape> {
        let mut shape = &self.root;
        for part in path.split('.') {
            let mut s = self.resolve(shape);
            while let Some(items) = &s.items {
                s = self.resolve(items);
            }
            shape = s.properties.get(part)?;
        }
        Some(self.resolve(shape))
    }

    /// The shape a reference points to (through chains of references); the
    /// shape itself when it is not a bare reference or the target is missing.
    pub fn resolve<'a>(&'a self, mut shape: &'a Shape) -> &'a Shape {
        // Chains are short; the bound stops a self-reference from looping.
        for _ in 0..16 {
            match shape.reference() {
                Some(name) => match self.definition(name) {
                    Some(def) => shape = def,
                    None => return shape,
                },
                None => return shape,
            }
        }
        shape
    }

    /// A named definition.
    pub fn definition(&self, name: &str) -> Option<&Shape> {
        self.definitions.get(name)
    }

    /// The region whose schema was used when the type is not available in
    /// us-east-1 (e.g. `AWS::DeviceFarm::Project`, us-west-2 only).
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }
}

/// `pattern` with `*` matching any text, against `text`.
fn glob_match(pattern: &str, text: &str) -> bool {
    let Some((first, rest)) = pattern.split_once('*') else {
        return pattern == text;
    };
    let Some(mut remaining) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = rest.split('*').collect();
    for (i, part) in parts.iter().enumerate() {
        if i == parts.len() - 1 {
            return remaining.ends_with(part);
        }
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// The index over the artifact: its first line, read in place.
///
/// The first line is `{"index":[["Type",offset,length],...]}`, sorted by
/// type. Looking a type up is a binary search over that text (a probe lands
/// anywhere and moves on to the next entry's `["`), so nothing is parsed or
/// allocated up front: a process that uses thirty types reads thirty
/// entries and thirty lines, not the 1,600 of each.
pub struct Registry {
    /// The index's entries: `["A",0,1],["B",2,3]`.
    entries: &'static str,
    /// The lines after the index, which offsets count from.
    body: &'static str,
    /// A type parsed on first use, at slot `entry start / SLOT` (an entry
    /// is longer than `SLOT` bytes, so two never share a slot), in chunks
    /// of `CHUNK` slots allocated when one of their types is first asked
    /// for: a process that uses thirty types touches thirty chunks, not the
    /// 80 KB a slot per index byte range would take.
    parsed: Box<[OnceLock<Chunk>]>,
}

/// `CHUNK` parse slots.
type Chunk = Box<[OnceLock<Option<Box<TypeInfo>>>]>;

/// Bytes per parse slot: no more than the shortest entry of a type that
/// [`Registry::get`] serves, `["A::B::C",0,0]` and its comma (16 bytes).
const SLOT: usize = 16;

/// Parse slots per chunk.
const CHUNK: usize = 32;

/// The shortest type name, `A::B::C`.
const SHORTEST: usize = 7;

/// One entry of the index: the type, its line's range, and where the entry
/// starts and ends in the index text.
struct IndexEntry<'a> {
    name: &'a str,
    line: (usize, usize),
    start: usize,
    end: usize,
}

/// Reads the entry that starts at `start` (at a `["`).
fn entry_at(entries: &str, start: usize) -> Option<IndexEntry<'_>> {
    let rest = entries.get(start + 2..)?;
    let (name, rest) = rest.split_once("\",")?;
    let close = rest.find(']')?;
    let (offset, len) = rest[..close].split_once(',')?;
    Some(IndexEntry {
        name,
        line: (offset.parse().ok()?, len.parse().ok()?),
        start,
        end: start + 2 + name.len() + 2 + close + 1,
    })
}

impl Registry {
    /// Indexes an artifact's text by its first line, without reading the
    /// lines. An unreadable index gives an empty registry; the drift test and
    /// the unit tests keep the embedded artifact well formed.
    pub fn index(text: &'static str) -> Registry {
        let (header, body) = text.split_once('\n').unwrap_or((text, ""));
        Registry::from_parts(header, body)
    }

    /// A registry over an artifact already split after its first line.
    fn from_parts(header: &'static str, body: &'static str) -> Registry {
        let entries = header
            .strip_prefix("{\"index\":[")
            .and_then(|h| h.strip_suffix("]}"))
            .unwrap_or("");
        let parsed = (0..=entries.len() / SLOT / CHUNK)
            .map(|_| OnceLock::new())
            .collect();
        Registry {
            entries,
            body,
            parsed,
        }
    }

    /// The first entry starting at or after byte `from`.
    fn next_entry(&self, from: usize) -> Option<IndexEntry<'static>> {
        let at = from + self.entries.get(from..)?.find("[\"")?;
        entry_at(self.entries, at)
    }

    /// The index entry of `name`, by binary search over the index text
    /// ([`crate::sorted_text`]).
    fn find(&self, name: &str) -> Option<IndexEntry<'static>> {
        let record = |from| {
            self.next_entry(from).map(|e| crate::sorted_text::Record {
                key: e.name,
                start: e.start,
                end: e.end,
                value: e,
            })
        };
        crate::sorted_text::find(self.entries.len(), name, record).map(|r| r.value)
    }

    /// The type named exactly `name`.
    pub fn get(&self, name: &str) -> Option<&TypeInfo> {
        if name.len() < SHORTEST {
            return None;
        }
        let e = self.find(name)?;
        let (start, len) = e.line;
        let slot = e.start / SLOT;
        let chunk = self
            .parsed
            .get(slot / CHUNK)?
            .get_or_init(|| (0..CHUNK).map(|_| OnceLock::new()).collect());
        chunk[slot % CHUNK]
            .get_or_init(|| {
                let line = self.body.get(start..start.checked_add(len)?)?;
                serde_json::from_str(line).ok().map(Box::new)
            })
            .as_deref()
    }

    /// Every type name, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        let mut from = 0;
        std::iter::from_fn(move || {
            loop {
                let e = self.next_entry(from)?;
                from = e.end;
                let (start, len) = e.line;
                let in_body = start
                    .checked_add(len)
                    .is_some_and(|end| end <= self.body.len());
                if in_body && e.name.len() >= SHORTEST {
                    return Some(e.name);
                }
            }
        })
    }
}

/// The embedded artifact's text (for benchmarks of indexing).
pub fn artifact() -> &'static str {
    DATA
}

/// The length of the embedded artifact's first line (the index), found
/// when compiling: finding it at run time read all 80 KB of the index.
const INDEX_LEN: usize = {
    let bytes = DATA.as_bytes();
    let mut i = 0;
    while i < bytes.len() && bytes[i] != b'\n' {
        i += 1;
    }
    i
};

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
    let (header, rest) = DATA.split_at(INDEX_LEN);
    Registry::from_parts(header, rest.get(1..).unwrap_or(""))
});

/// The process-wide registry over the embedded artifact.
pub fn registry() -> &'static Registry {
    &REGISTRY
}

/// The resource type named exactly `name` (`AWS::S3::Bucket`).
pub fn resource_type(name: &str) -> Option<&'static TypeInfo> {
    registry().get(name)
}

/// What a template's `Type` names, as far as the registry can tell.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A type the registry describes (custom resources resolve to
    /// `AWS::CloudFormation::CustomResource`, as CloudFormation treats them).
    Known(&'static TypeInfo),
    /// A type the registry cannot know: a third-party or private registry
    /// type, a module (`…::MODULE`), or a transform's type
    /// (`AWS::Serverless::*`, expanded before deployment).
    Unknowable,
    /// An `AWS::` type that does not exist.
    Unknown,
}

/// Classifies a resource's `Type`.
pub fn classify(type_name: &str) -> Kind {
    let lookup = if type_name.starts_with("Custom::") {
        "AWS::CloudFormation::CustomResource"
    } else {
        type_name
    };
    if let Some(info) = resource_type(lookup) {
        return Kind::Known(info);
    }
    if type_name.starts_with("AWS::")
        && !type_name.starts_with("AWS::Serverless::")
        && !type_name.ends_with("::MODULE")
    {
        Kind::Unknown
    } else {
        Kind::Unknowable
    }
}

/// Whether a JSON value is an intrinsic function (`Ref`, `Fn::*`,
/// `Condition`) rather than a literal.
pub fn is_intrinsic(v: &Value) -> bool {
    match v.as_object() {
        Some(m) if m.len() == 1 => m
            .keys()
            .next()
            .is_some_and(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::")),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
