//! A stack's diff as text: a header with counts, a line per resource, its
//! changed values, the other sections, and the warnings last.

use std::fmt::Write;
use std::io::IsTerminal;

use serde_json::Value;

use super::compare::PathDisplay;
use super::{Action, EntryDiff, Replacement, ResourceDiff, StackDiff};

/// Whether to colour the text: only for a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// ANSI colours on.
    pub color: bool,
}

impl Style {
    /// Colours when stdout is a terminal, outside CI (as `deploy` shows a
    /// progress bar only then) and without `NO_COLOR`.
    pub fn detect() -> Style {
        let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty() && v != "false");
        Style {
            color: std::io::stdout().is_terminal() && !set("CI") && !set("NO_COLOR"),
        }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

const GREEN: &str = "32";
const RED: &str = "31";
const YELLOW: &str = "33";
const LOUD: &str = "1;31";

/// The text for one stack; ends with a newline.
pub fn render(d: &StackDiff, style: Style) -> String {
    let mut out = String::new();
    let diff = &d.diff;
    if d.new {
        let _ = writeln!(
            out,
            "{}: new stack, {} resource(s) to add",
            d.stack_name,
            diff.count(Action::Add)
        );
    } else if diff.is_empty() {
        let _ = writeln!(out, "{}: no differences", d.stack_name);
        return out;
    } else {
        let _ = writeln!(out, "{}: {}", d.stack_name, counts(d));
    }
    let width = diff
        .resources
        .iter()
        .map(|r| r.logical_id.len())
        .max()
        .unwrap_or(0);
    for r in &diff.resources {
        resource(&mut out, r, width, style);
    }
    if !d.new {
        entries(&mut out, &diff.entries, style);
    }
    for w in diff.resources.iter().filter_map(|r| r.warning.as_deref()) {
        let code = if w.starts_with("WARNING") {
            LOUD
        } else {
            YELLOW
        };
        let _ = writeln!(out, "  {}", style.paint(code, w));
    }
    out
}

fn counts(d: &StackDiff) -> String {
    let diff = &d.diff;
    let (yes, maybe) = (
        diff.replaced(Replacement::Yes),
        diff.replaced(Replacement::Maybe),
    );
    let mut replaced = Vec::new();
    if yes > 0 {
        replaced.push(format!("{yes} replaced"));
    }
    if maybe > 0 {
        replaced.push(format!("{maybe} may be replaced"));
    }
    let replaced = if replaced.is_empty() {
        String::new()
    } else {
        format!(" ({})", replaced.join(", "))
    };
    format!(
        "{} to add, {} to modify{replaced}, {} to remove",
        diff.count(Action::Add),
        diff.count(Action::Modify),
        diff.count(Action::Remove)
    )
}

fn resource(out: &mut String, r: &ResourceDiff, width: usize, style: Style) {
    let (symbol, code, tag) = match (r.action, r.replacement) {
        (Action::Add, _) => ("+", GREEN, ""),
        (Action::Remove, _) => ("-", RED, ""),
        (Action::Modify, Replacement::Yes) => ("±", RED, "  REPLACE"),
        (Action::Modify, Replacement::Maybe) => ("±", RED, "  MAY REPLACE"),
        (Action::Modify, Replacement::No) => ("~", YELLOW, ""),
    };
    let line = format!("{symbol} {:width$}  {}{tag}", r.logical_id, r.resource_type);
    let _ = writeln!(out, "  {}", style.paint(code, line.trim_end()));
    for c in &r.changes {
        let note = match c.replacement {
            Replacement::Yes => "  (create-only: replaces)",
            Replacement::Maybe => {
                "  (may replace: create-only, or no schema, with a value known at deploy)"
            }
            Replacement::No => "",
        };
        let _ = writeln!(
            out,
            "      {}: {} -> {}{note}",
            PathDisplay(&c.path),
            compact(c.old.as_ref()),
            compact(c.new.as_ref())
        );
    }
    for reason in &r.reasons {
        let _ = writeln!(out, "      {reason}");
    }
}

fn entries(out: &mut String, entries: &[EntryDiff], style: Style) {
    let mut sections: Vec<&str> = entries.iter().map(|e| e.section.as_str()).collect();
    sections.dedup();
    for section in sections {
        let list: Vec<String> = entries
            .iter()
            .filter(|e| e.section == section)
            .map(|e| {
                let (symbol, code) = match e.action {
                    Action::Add => ("+", GREEN),
                    Action::Remove => ("-", RED),
                    Action::Modify => ("~", YELLOW),
                };
                style.paint(code, &format!("{symbol} {}", e.name))
            })
            .collect();
        let _ = writeln!(out, "  {section}: {}", list.join(", "));
    }
}

/// A value on one line: JSON, cut at 60 characters.
fn compact(v: Option<&Value>) -> String {
    const MAX: usize = 60;
    let Some(v) = v else {
        return "(none)".into();
    };
    let text = serde_json::to_string(v).unwrap_or_default();
    if text.chars().count() <= MAX {
        return text;
    }
    let cut: String = text.chars().take(MAX - 1).collect();
    format!("{cut}…")
}
