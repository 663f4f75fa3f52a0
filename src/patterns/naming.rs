//! Physical names that fit their property's length limit for any stack.
//!
//! A stack name can be 128 characters, so a name built from
//! `AWS::StackName` overflows every 64-character limit (origin access
//! controls, SES templates) and many 128-character ones, and CloudFormation
//! cannot truncate. Where a name must be unique per account, these helpers
//! use a short piece of the stack's id instead: bounded, and different for
//! every stack (also for a stack re-created under the same name).

use crate::cfn::{Str, aws, select, split, sub_with};

/// Characters of [`stack_suffix`].
pub const STACK_SUFFIX_LEN: usize = 8;

/// The first group of the stack id's UUID
/// (`arn:...:stack/<name>/<8 hex>-<4>-<4>-<4>-<12>`): 8 lowercase hex
/// digits. It is the UUID's low time field, which differs between any two
/// stacks not created in the same 100 ns (the last group is the host's and
/// repeats).
pub fn stack_suffix() -> Str {
    select(0, split("-", select(2, split("/", aws::stack_id()))))
}

/// `<prefix>-<stack suffix>`: `prefix.len() + 9` characters.
pub fn unique(prefix: &str) -> Str {
    sub_with(
        &format!("{prefix}-${{StackSuffix}}"),
        [("StackSuffix", stack_suffix())],
    )
}

/// `order-events` -> `OrderEvents`: a name as a logical-id part, the one
/// derivation every builder and every settings check uses (so a collision
/// the settings check finds is the one a builder would hit). Splits on
/// `-`, `_` and `.`, and capitalizes each part's first character.
pub fn pascal(name: &str) -> String {
    name.split(['-', '_', '.'])
        .map(|part| {
            let mut c = part.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_capitalizes_each_part() {
        assert_eq!(pascal("order-events"), "OrderEvents");
        assert_eq!(pascal("todoId"), "TodoId");
        assert_eq!(pascal("a_b.c"), "ABC");
        assert_eq!(pascal(""), "");
    }

    #[test]
    fn unique_names_take_the_first_group_of_the_stack_id() {
        let json = serde_json::to_value(unique("blog-oac")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"Fn::Sub": ["blog-oac-${StackSuffix}", {"StackSuffix":
                {"Fn::Select": [0, {"Fn::Split": ["-",
                    {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}]}]}}]})
        );
    }
}
