//! The `overrides:` key of a settings file: the escape hatch
//! (`crate::overrides`) from settings, with errors that point at the line.
//!
//! ```yaml
//! overrides:
//!   todo:                      # a template: its file name without .template.json
//!     ItemsTable:              # a logical id in that template
//!       Properties.TableClass: STANDARD_INFREQUENT_ACCESS
//!       Properties.Tags[0].Value: x   # [N] indexes a list; [len] appends
//!       Properties.SSESpecification: null   # null deletes
//!       DeletionPolicy: Retain
//! ```
//!
//! The key is read here, not by the blueprints' settings types, so it is the
//! same for every blueprint.

use serde::Deserialize;
use serde_json::Value;

use super::tree::{Kind, Node, Pos};
use super::{Layers, SettingsError, layered};
use crate::output::Artifact;
use crate::overrides::{Override, OverrideError, Path, did_you_mean};

/// The top-level key.
pub const KEY: &str = "overrides";

/// The suffix that makes an artifact a template.
const TEMPLATE: &str = ".template.json";

/// One override as written, with where its parts stand.
struct Written {
    template: (String, Pos),
    id_pos: Pos,
    key_pos: Pos,
    value_pos: Pos,
    key: String,
    o: Override,
}

/// The JSON Schema of the `overrides:` key, for `stackcraft settings
/// <blueprint> --schema`. The values are judged against the registry
/// schemas when the overrides are applied, not here.
pub(super) fn schema() -> Value {
    serde_json::json!({
        "description": "The escape hatch: set, replace or delete (null) any part of a synthesized \
            resource, judged against the CloudFormation registry schemas before the checks run. \
            template (file name without .template.json) -> logical id -> path -> value; a path \
            starts with Properties, DeletionPolicy, UpdateReplacePolicy, DependsOn, Condition, \
            Metadata, UpdatePolicy or CreationPolicy, keys joined by '.', list items as [N]",
        "type": ["object", "null"],
        "additionalProperties": {
            "type": ["object", "null"],
            "additionalProperties": {
                "type": ["object", "null"],
                "propertyNames": {
                    "pattern": "^(Properties|DeletionPolicy|UpdateReplacePolicy|DependsOn|Condition|Metadata|UpdatePolicy|CreationPolicy)([.\\[]|$)"
                }
            }
        },
        "examples": [{"todo": {"TodoTable": {
            "Properties.TableClass": "STANDARD_INFREQUENT_ACCESS",
            "DeletionPolicy": "Retain"
        }}}]
    })
}

/// Removes the `overrides:` key from a settings tree (the blueprints'
/// settings types do not know it).
pub(super) fn strip(mut tree: Node) -> Node {
    if let Kind::Map(entries) = &mut tree.kind {
        entries.retain(|(k, _, _)| k != KEY);
    }
    tree
}

impl Layers {
    /// Applies the settings' `overrides:` to synthesized artifacts: each is
    /// judged against the registry schemas and the template, then applied;
    /// the first that fails is reported where it is written, and nothing is
    /// changed.
    pub fn apply_overrides(&self, artifacts: &mut [Artifact]) -> Result<(), SettingsError> {
        let tree = self.tree()?;
        let Kind::Map(entries) = &tree.kind else {
            return Ok(());
        };
        let Some((_, _, node)) = entries.iter().find(|(k, _, _)| k == KEY) else {
            return Ok(());
        };
        let written = self.read(node)?;
        // Each template touched is parsed once, changed in place by its
        // overrides in order, and rendered once.
        let mut changed: Vec<(usize, Value)> = Vec::new();
        for w in &written {
            let (name, pos) = &w.template;
            let index = self.template_index(artifacts, name, *pos)?;
            let slot = match changed.iter().position(|(i, _)| *i == index) {
                Some(slot) => slot,
                None => {
                    let json = match artifacts[index].template_json() {
                        Some(json) => json.clone(),
                        None => serde_json::from_str(artifacts[index].contents()).map_err(|e| {
                            self.error(*pos, &format!("{KEY}.{name}: "), e.to_string())
                        })?,
                    };
                    changed.push((index, json));
                    changed.len() - 1
                }
            };
            let file = artifacts[index].path.display().to_string();
            crate::overrides::apply(&file, &mut changed[slot].1, &w.o)
                .map_err(|e| self.override_error(w, e))?;
        }
        for (index, json) in changed {
            artifacts[index].set_template(json);
        }
        Ok(())
    }

    /// The artifact index of template `name`.
    fn template_index(
        &self,
        artifacts: &[Artifact],
        name: &str,
        pos: Pos,
    ) -> Result<usize, SettingsError> {
        let names: Vec<String> = artifacts
            .iter()
            .filter_map(|a| {
                let file = a.path.file_name()?.to_str()?;
                file.strip_suffix(TEMPLATE).map(str::to_owned)
            })
            .collect();
        let found = artifacts.iter().position(|a| {
            a.path
                .file_name()
                .and_then(|f| f.to_str())
                .is_some_and(|f| f.strip_suffix(TEMPLATE) == Some(name))
        });
        found.ok_or_else(|| {
            let e = OverrideError::UnknownTemplate {
                name: name.to_owned(),
                hint: did_you_mean(name, names.iter().map(String::as_str)),
                known: names.clone(),
            };
            self.error(pos, &format!("{KEY}.{name}: "), e.to_string())
        })
    }

    /// An override's error, at the part of it that is wrong.
    fn override_error(&self, w: &Written, e: OverrideError) -> SettingsError {
        let pos = match &e {
            OverrideError::UnknownTemplate { .. } => w.template.1,
            OverrideError::UnknownResource { .. } => w.id_pos,
            OverrideError::Value { .. } => w.value_pos,
            _ => w.key_pos,
        };
        let message = match e {
            // The key already names the path.
            OverrideError::Value { problems, .. } => problems.join("; "),
            e => e.to_string(),
        };
        self.error(pos, &format!("{}: ", w.key), message)
    }

    /// Reads `overrides:` into overrides, in the order written.
    fn read(&self, node: &Node) -> Result<Vec<Written>, SettingsError> {
        let mut out = Vec::new();
        let expected = "expected a mapping: template name -> logical id -> path -> value";
        for (template, tpos, ids) in self.mapping(node, KEY, expected)? {
            let at = format!("{KEY}.{template}");
            for (id, id_pos, paths) in
                self.mapping(ids, &at, "expected a mapping: logical id -> path -> value")?
            {
                let at = format!("{at}.{id}");
                let expected =
                    "expected a mapping: path (Properties.Name, DeletionPolicy, ...) -> value";
                for (key, key_pos, value) in self.mapping(paths, &at, expected)? {
                    let full = format!("{at}.{key}");
                    let path = Path::parse(key)
                        .map_err(|m| self.error(*key_pos, &format!("{full}: "), m))?;
                    let value_pos = value.pos;
                    let value = Value::deserialize(layered::De(value))
                        .map_err(|m| self.error(value_pos, &format!("{full}: "), m.0))?;
                    out.push(Written {
                        template: (template.clone(), *tpos),
                        id_pos: *id_pos,
                        key_pos: *key_pos,
                        value_pos,
                        key: full,
                        o: Override {
                            logical_id: id.clone(),
                            path,
                            value: (!value.is_null()).then_some(value),
                        },
                    });
                }
            }
        }
        Ok(out)
    }

    /// The entries of a mapping node; an empty value (`key:` alone) has
    /// none; anything else is an error at `key`.
    fn mapping<'n>(
        &self,
        node: &'n Node,
        key: &str,
        expected: &str,
    ) -> Result<&'n [(String, Pos, Node)], SettingsError> {
        match &node.kind {
            Kind::Map(entries) => Ok(entries),
            Kind::Scalar { text, plain: true }
                if text.is_empty() || text == "~" || text == "null" =>
            {
                Ok(&[])
            }
            _ => Err(self.error(node.pos, &format!("{key}: "), expected.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests;
