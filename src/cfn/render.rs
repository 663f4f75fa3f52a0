//! Deterministic JSON rendering that stays readable in a diff and compact
//! enough for CloudFormation's 51,200-byte inline template limit: a list or
//! map is written on one line when it fits in [`WIDTH`] columns, and broken
//! over lines, two-space indented, when it does not.

use serde_json::Value;
use std::fmt::Write;

/// The widest a line may grow before a list or map is broken over lines.
pub const WIDTH: usize = 100;

/// Renders `value` with a trailing newline.
pub fn to_string(value: &Value) -> String {
    let mut out = String::with_capacity(16 * 1024);
    write_value(&mut out, value, 0, 0);
    out.push('\n');
    out
}

/// Writes `value` at `indent` spaces, where the current line already holds
/// `used` columns.
fn write_value(out: &mut String, value: &Value, indent: usize, used: usize) {
    match value {
        Value::Array(items) if !items.is_empty() => {
            if fits(value, WIDTH.saturating_sub(used)) {
                write_inline(out, value);
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                newline(out, indent + 2);
                write_value(out, item, indent + 2, indent + 2);
                if i + 1 < items.len() {
                    out.push(',');
                }
            }
            newline(out, indent);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            if fits(value, WIDTH.saturating_sub(used)) {
                write_inline(out, value);
                return;
            }
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                newline(out, indent + 2);
                let start = out.len();
                write_string(out, key);
                out.push_str(": ");
                let key_width = out.len() - start;
                write_value(out, item, indent + 2, indent + 2 + key_width);
                if i + 1 < map.len() {
                    out.push(',');
                }
            }
            newline(out, indent);
            out.push('}');
        }
        _ => write_inline(out, value),
    }
}

fn newline(out: &mut String, indent: usize) {
    // One copy from a run of spaces, not a character at a time.
    const SPACES: &str = "                                                                ";
    out.push('\n');
    let mut left = indent;
    while left > 0 {
        let n = left.min(SPACES.len());
        out.push_str(&SPACES[..n]);
        left -= n;
    }
}

/// Whether the one-line form of `value` (plus a trailing comma) fits in `room`.
fn fits(value: &Value, room: usize) -> bool {
    let mut budget = room.saturating_sub(1) as isize;
    measure(value, &mut budget);
    budget >= 0
}

/// Subtracts the one-line width of `value` from `budget`, stopping early once
/// it is spent (so a huge subtree is not measured in full).
fn measure(value: &Value, budget: &mut isize) {
    if *budget < 0 {
        return;
    }
    match value {
        Value::Array(items) => {
            *budget -= 2 + 2 * items.len().saturating_sub(1) as isize;
            for item in items {
                measure(item, budget);
            }
        }
        Value::Object(map) => {
            *budget -= 4 + 2 * map.len().saturating_sub(1) as isize;
            for (k, v) in map {
                *budget -= k.len() as isize + 4;
                measure(v, budget);
            }
        }
        Value::String(s) => {
            // Strings with escapes (code, newlines) are never worth inlining.
            if s.contains(['\n', '"', '\\']) {
                *budget = -1;
            } else {
                *budget -= s.len() as isize + 2;
            }
        }
        other => *budget -= display_len(other) as isize,
    }
}

/// The length of a scalar's JSON text, without building it.
fn display_len(value: &Value) -> usize {
    struct Count(usize);
    impl Write for Count {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut c = Count(0);
    let _ = write!(c, "{value}");
    c.0
}

fn write_inline(out: &mut String, value: &Value) {
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_inline(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(out, k);
                out.push_str(": ");
                write_inline(out, v);
            }
            out.push('}');
        }
        Value::String(s) => write_string(out, s),
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

/// Writes `s` as a JSON string, escaped as serde_json escapes it (`\"`,
/// `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, other control characters as
/// `\u00XX`), so the bytes do not change; plain runs are copied whole.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escaped.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escaped);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn short_containers_stay_on_one_line() {
        let v = json!({"a": {"Fn::GetAtt": ["X", "Arn"]}, "b": [1, 2], "c": {}, "d": []});
        assert_eq!(
            to_string(&v),
            "{\"a\": {\"Fn::GetAtt\": [\"X\", \"Arn\"]}, \"b\": [1, 2], \"c\": {}, \"d\": []}\n"
        );
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for s in [
            "plain",
            "",
            "quote \" back \\ slash",
            "lines\nand\r\ttabs",
            "\u{8}\u{c}\u{1}\u{1f}\u{7f}",
            "unicode é ✓ \u{2028}",
        ] {
            let mut out = String::new();
            write_string(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn long_containers_break_and_output_is_valid_json() {
        let long: Vec<String> = (0..30).map(|i| format!("item-{i}")).collect();
        let v = json!({"list": long, "code": "line1\nline2", "n": null});
        let s = to_string(&v);
        assert!(s.contains("\"list\": [\n    \"item-0\",\n"), "{s}");
        assert!(
            s.lines().all(|l| l.len() <= WIDTH || l.contains("\\n")),
            "{s}"
        );
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
