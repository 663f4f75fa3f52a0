//! checkov waivers, written one way: a rule id and the reason it does not
//! apply, stored under the resource's `Metadata.checkov.skip` where checkov
//! reads them (and `stackcraft check` reports them as waived).

use serde_json::{Value, json};

use crate::cfn::{Envelope, LogicalId, Template};

/// A waiver: the checkov rule id and why it does not apply here.
pub type Waiver<'a> = (&'a str, &'a str);

/// `{"skip": [{"id": ..., "comment": ...}, ...]}`, the value of a
/// resource's `checkov` metadata.
pub fn checkov(items: &[Waiver<'_>]) -> Value {
    let skip: Vec<Value> = items
        .iter()
        .map(|(id, comment)| json!({"id": id, "comment": comment}))
        .collect();
    json!({ "skip": skip })
}

/// Adds `items` to the checkov waivers of the resource `id` (merged with
/// any it already has).
pub fn waive(t: &mut Template, id: &impl LogicalId, items: &[Waiver<'_>]) {
    t.annotate(id, "checkov", checkov(items));
}

/// `envelope` with `items` as its checkov waivers, for resources waived as
/// they are added.
pub fn waived(envelope: Envelope, items: &[Waiver<'_>]) -> Envelope {
    envelope.metadata("checkov", checkov(items))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waivers_are_checkov_skip_lists() {
        assert_eq!(
            checkov(&[("CKV_AWS_18", "why")]),
            json!({"skip": [{"id": "CKV_AWS_18", "comment": "why"}]})
        );
    }
}
