//! A YAML document as a tree whose every node remembers where it was
//! written (which layer, line and column), so settings can be merged from
//! several layers and errors still point at the line the user wrote.

use granit_parser::{Event, Parser, ScalarStyle};

/// Where a node was written: the layer (an index into the layers) and the
/// 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    /// Index of the layer (defaults, the settings file, each `--set`).
    pub layer: usize,
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
}

/// A node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What it holds.
    pub kind: Kind,
    /// Where it was written.
    pub pos: Pos,
}

/// The three shapes of YAML.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A scalar's text; `plain` when unquoted (and so may be a number,
    /// a boolean or null).
    Scalar {
        /// The text.
        text: String,
        /// Unquoted, not a block scalar.
        plain: bool,
    },
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, in the order written: (key, where the key is, value).
    Map(Vec<(String, Pos, Node)>),
}

/// A document that is not YAML this loader accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFailure {
    /// Where.
    pub pos: Pos,
    /// What was wrong.
    pub message: String,
}

/// Tags such as `!Ref` would otherwise be dropped silently, turning a
/// function into its argument.
const LOCAL_TAG: &str = "a YAML tag such as !Ref or !Sub is not read in settings files; \
     write the long form: {Ref: Name}, {\"Fn::GetAtt\": [Id, Attribute]}, {\"Fn::Sub\": text}";

const UNKNOWN_ANCHOR: &str = "an alias (*name) must refer to an anchor (&name) defined before it";

enum Frame {
    Seq(Vec<Node>, Pos, usize),
    Map(Vec<(String, Pos, Node)>, Option<(String, Pos)>, Pos, usize),
}

/// Parses `text` (layer `layer`) into a tree. Duplicate keys and non-scalar
/// keys are refused; aliases are expanded; an empty document is an empty
/// mapping.
pub fn parse(layer: usize, text: &str) -> Result<Node, ParseFailure> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: Vec<Option<Node>> = Vec::new();
    let mut root: Option<Node> = None;
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| {
            let m = e.marker();
            let info = e.info();
            let message = if info.contains("unknown anchor") {
                UNKNOWN_ANCHOR.to_owned()
            } else {
                info.to_string()
            };
            failure(layer, m.line(), m.col(), message)
        })?;
        let pos = Pos {
            layer,
            line: span.start.line() as u64,
            column: span.start.col() as u64 + 1,
        };
        let fail = |message: String| ParseFailure { pos, message };
        if let Event::Scalar(_, _, _, Some(tag))
        | Event::SequenceStart(_, _, Some(tag))
        | Event::MappingStart(_, _, Some(tag)) = &event
            && !tag.is_yaml_core_schema()
        {
            return Err(fail(LOCAL_TAG.into()));
        }
        let (node, anchor) = match event {
            Event::Scalar(text, style, anchor, _) => {
                let plain = style == ScalarStyle::Plain;
                let kind = Kind::Scalar {
                    text: text.into_owned(),
                    plain,
                };
                (Node { kind, pos }, anchor)
            }
            Event::SequenceStart(_, anchor, _) => {
                stack.push(Frame::Seq(Vec::new(), pos, anchor));
                continue;
            }
            Event::MappingStart(_, anchor, _) => {
                stack.push(Frame::Map(Vec::new(), None, pos, anchor));
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(items, start, anchor)) => (
                    Node {
                        kind: Kind::Seq(items),
                        pos: start,
                    },
                    anchor,
                ),
                _ => return Err(fail("unbalanced sequence".into())),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(entries, _, start, anchor)) => (
                    Node {
                        kind: Kind::Map(entries),
                        pos: start,
                    },
                    anchor,
                ),
                _ => return Err(fail("unbalanced mapping".into())),
            },
            Event::Alias(id) => match anchors.get(id.wrapping_sub(1)) {
                Some(Some(node)) => (
                    Node {
                        kind: node.kind.clone(),
                        pos,
                    },
                    0,
                ),
                _ => {
                    return Err(fail(UNKNOWN_ANCHOR.into()));
                }
            },
            _ => continue,
        };
        if anchor > 0 {
            if anchors.len() < anchor {
                anchors.resize(anchor, None);
            }
            anchors[anchor - 1] = Some(node.clone());
        }
        push(&mut stack, &mut root, node)?;
    }
    Ok(root.unwrap_or(Node {
        kind: Kind::Map(Vec::new()),
        pos: Pos {
            layer,
            line: 1,
            column: 1,
        },
    }))
}

fn failure(layer: usize, line: usize, col: usize, message: String) -> ParseFailure {
    ParseFailure {
        pos: Pos {
            layer,
            line: line as u64,
            column: col as u64 + 1,
        },
        message,
    }
}

/// Adds a finished node to the collection being built, or makes it the root.
fn push(stack: &mut [Frame], root: &mut Option<Node>, node: Node) -> Result<(), ParseFailure> {
    match stack.last_mut() {
        None => *root = Some(node),
        Some(Frame::Seq(items, _, _)) => items.push(node),
        Some(Frame::Map(entries, key, _, _)) => match key.take() {
            None => {
                let Kind::Scalar { text, .. } = node.kind else {
                    return Err(ParseFailure {
                        pos: node.pos,
                        message: "expected a plain key, found a list or mapping".into(),
                    });
                };
                if let Some((_, first, _)) = entries.iter().find(|(k, _, _)| *k == text) {
                    return Err(ParseFailure {
                        pos: node.pos,
                        message: format!(
                            "key {text:?} appears twice (first at line {}); keep one",
                            first.line
                        ),
                    });
                }
                *key = Some((text, node.pos));
            }
            Some((k, kpos)) => entries.push((k, kpos, node)),
        },
    }
    Ok(())
}

/// Lays `over` on `base`: mappings merge key by key (recursively), anything
/// else (scalars and lists) in `over` replaces what `base` had.
pub fn merge(base: Node, over: Node) -> Node {
    match (base.kind, over.kind) {
        (Kind::Map(mut entries), Kind::Map(overs)) => {
            for (k, kpos, v) in overs {
                match entries.iter().position(|(b, _, _)| *b == k) {
                    Some(i) => {
                        let (_, _, old) = entries.remove(i);
                        entries.insert(i, (k, kpos, merge(old, v)));
                    }
                    None => entries.push((k, kpos, v)),
                }
            }
            Node {
                kind: Kind::Map(entries),
                pos: over.pos,
            }
        }
        (_, kind) => Node {
            kind,
            pos: over.pos,
        },
    }
}

/// One step of a key path: a mapping key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `name`
    Key(String),
    /// `[n]`
    Index(usize),
}

/// Splits `a.b[2].c` into steps; `None` when it is malformed.
pub fn steps(path: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = part.split_once('[').map_or((part, ""), |(n, r)| (n, r));
        if name.is_empty() && out.is_empty() && !rest.is_empty() {
            return None;
        }
        if !name.is_empty() {
            out.push(Step::Key(name.to_owned()));
        } else if rest.is_empty() {
            return None;
        }
        while !rest.is_empty() {
            let (n, after) = rest.split_once(']')?;
            out.push(Step::Index(n.parse().ok()?));
            rest = after.strip_prefix('[').unwrap_or(after);
            if !after.is_empty() && !after.starts_with('[') {
                return None;
            }
        }
    }
    Some(out)
}

impl Node {
    /// The deepest node on `path` and where it stands: the key's position
    /// when `key` and the last step is a mapping key, else the value's.
    pub fn locate(&self, path: &[Step], key: bool) -> Pos {
        let mut node = self;
        let mut at = self.pos;
        for (i, step) in path.iter().enumerate() {
            let last = i + 1 == path.len();
            match (step, &node.kind) {
                (Step::Key(k), Kind::Map(entries)) => {
                    let Some((_, kpos, v)) = entries.iter().find(|(n, _, _)| n == k) else {
                        return at;
                    };
                    at = if last && key { *kpos } else { v.pos };
                    node = v;
                }
                (Step::Index(n), Kind::Seq(items)) => {
                    let Some(v) = items.get(*n) else { return at };
                    at = v.pos;
                    node = v;
                }
                _ => return at,
            }
        }
        at
    }

    /// Replaces the node at `path` with `value`, creating mappings on the
    /// way; a list index must already exist. `Err` names the first step that
    /// cannot be taken.
    pub fn set(&mut self, path: &[Step], value: Node) -> Result<(), String> {
        let Some((first, rest)) = path.split_first() else {
            *self = value;
            return Ok(());
        };
        let pos = value.pos;
        match (first, &mut self.kind) {
            (Step::Key(k), Kind::Map(entries)) => {
                if let Some((_, _, v)) = entries.iter_mut().find(|(n, _, _)| n == k) {
                    return v.set(rest, value);
                }
                let mut child = Node {
                    kind: Kind::Map(Vec::new()),
                    pos,
                };
                child.set(rest, value)?;
                entries.push((k.clone(), pos, child));
                Ok(())
            }
            (Step::Index(n), Kind::Seq(items)) => match items.get_mut(*n) {
                Some(v) => v.set(rest, value),
                None => Err(format!(
                    "[{n}] is past the end of a list of {}",
                    items.len()
                )),
            },
            (Step::Key(k), _) => Err(format!("{k}: the value above it is not a mapping")),
            (Step::Index(n), _) => Err(format!("[{n}]: the value above it is not a list")),
        }
    }
}
