//! Stack events: the root cause of a failure and the progress of an
//! operation.

use std::collections::BTreeSet;

/// One stack event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The event id.
    pub id: String,
    /// The logical id (the stack's name for stack-level events).
    pub logical_id: String,
    /// The resource type (`AWS::CloudFormation::Stack` for the stack).
    pub resource_type: String,
    /// E.g. `CREATE_IN_PROGRESS`, `CREATE_FAILED`.
    pub status: String,
    /// The reason, when CloudFormation gives one.
    pub reason: Option<String>,
}

impl Event {
    fn is_stack(&self, stack: &str) -> bool {
        self.resource_type == "AWS::CloudFormation::Stack" && self.logical_id == stack
    }

    /// A failure that only follows another one ("Resource creation
    /// cancelled" and the like).
    fn is_cascade(&self) -> bool {
        self.reason
            .as_deref()
            .is_some_and(|r| r.to_ascii_lowercase().contains("cancelled"))
    }
}

/// The root cause of a failed operation, from `events` in chronological
/// order: the first resource `*_FAILED` event that is not a cancellation
/// cascade, else the first failed stack-level event with a reason.
pub fn root_cause(events: &[Event], stack: &str) -> Option<String> {
    let failed = |e: &&Event| e.status.ends_with("_FAILED") && e.reason.is_some();
    let describe = |e: &Event| {
        format!(
            "{} ({}) {}: {}",
            e.logical_id,
            e.resource_type,
            e.status,
            e.reason.as_deref().unwrap_or_default()
        )
    };
    events
        .iter()
        .filter(failed)
        .find(|e| !e.is_stack(stack) && !e.is_cascade())
        .or_else(|| events.iter().filter(failed).find(|e| !e.is_cascade()))
        .or_else(|| events.iter().find(failed))
        .map(describe)
}

/// Whether a stack status is final (nothing is in progress).
pub fn is_terminal(status: &str) -> bool {
    !status.ends_with("_IN_PROGRESS")
}

/// Whether a final stack status means the operation succeeded.
pub fn is_success(status: &str) -> bool {
    matches!(
        status,
        "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "DELETE_COMPLETE" | "IMPORT_COMPLETE"
    )
}

/// Resources done out of the total, and the one in progress.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// How many resources the operation touches.
    pub total: usize,
    /// Logical ids that reached a final state.
    pub done: BTreeSet<String>,
    /// The resource most recently started, `Id (Type)`.
    pub current: Option<String>,
}

impl Progress {
    /// Progress over `total` resources.
    pub fn new(total: usize) -> Self {
        Progress {
            total,
            ..Self::default()
        }
    }

    /// Takes one event into account (stack-level events change nothing).
    pub fn apply(&mut self, e: &Event, stack: &str) {
        if e.is_stack(stack) {
            return;
        }
        if e.status.ends_with("_IN_PROGRESS") {
            self.current = Some(format!("{} ({})", e.logical_id, e.resource_type));
        } else {
            self.done.insert(e.logical_id.clone());
            if self.done.len() > self.total {
                // a rollback touches resources beyond the plan
                self.total = self.done.len();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: &str, ty: &str, status: &str, reason: Option<&str>) -> Event {
        Event {
            id: format!("{id}-{status}"),
            logical_id: id.into(),
            resource_type: ty.into(),
            status: status.into(),
            reason: reason.map(Into::into),
        }
    }

    #[test]
    fn the_root_cause_is_the_first_failure_not_the_cancellations() {
        let events = [
            ev(
                "app",
                "AWS::CloudFormation::Stack",
                "CREATE_IN_PROGRESS",
                Some("User Initiated"),
            ),
            ev("Queue", "AWS::SQS::Queue", "CREATE_IN_PROGRESS", None),
            ev(
                "Topic",
                "AWS::SNS::Topic",
                "CREATE_FAILED",
                Some("Resource creation cancelled"),
            ),
            ev(
                "Param",
                "AWS::SSM::Parameter",
                "CREATE_FAILED",
                Some("Value too long"),
            ),
            ev(
                "Queue",
                "AWS::SQS::Queue",
                "CREATE_FAILED",
                Some("Resource creation cancelled"),
            ),
            ev(
                "app",
                "AWS::CloudFormation::Stack",
                "ROLLBACK_IN_PROGRESS",
                Some("The following resource(s) failed to create: [Param]"),
            ),
            ev(
                "app",
                "AWS::CloudFormation::Stack",
                "ROLLBACK_COMPLETE",
                None,
            ),
        ];
        assert_eq!(
            root_cause(&events, "app").as_deref(),
            Some("Param (AWS::SSM::Parameter) CREATE_FAILED: Value too long")
        );
    }

    #[test]
    fn a_stack_level_failure_is_the_fallback() {
        let events = [ev(
            "app",
            "AWS::CloudFormation::Stack",
            "UPDATE_FAILED",
            Some("Template error"),
        )];
        assert!(
            root_cause(&events, "app")
                .unwrap()
                .ends_with("UPDATE_FAILED: Template error")
        );
        assert_eq!(root_cause(&[], "app"), None);
    }

    #[test]
    fn progress_counts_finished_resources_and_names_the_current_one() {
        let mut p = Progress::new(2);
        p.apply(
            &ev(
                "app",
                "AWS::CloudFormation::Stack",
                "CREATE_IN_PROGRESS",
                None,
            ),
            "app",
        );
        assert_eq!((p.done.len(), p.current.clone()), (0, None));
        p.apply(
            &ev("Queue", "AWS::SQS::Queue", "CREATE_IN_PROGRESS", None),
            "app",
        );
        assert_eq!(p.current.as_deref(), Some("Queue (AWS::SQS::Queue)"));
        p.apply(
            &ev("Queue", "AWS::SQS::Queue", "CREATE_COMPLETE", None),
            "app",
        );
        p.apply(
            &ev("Queue", "AWS::SQS::Queue", "CREATE_COMPLETE", None),
            "app",
        );
        assert_eq!(p.done.len(), 1);
    }

    #[test]
    fn terminal_and_success_statuses() {
        assert!(!is_terminal("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"));
        assert!(is_terminal("ROLLBACK_COMPLETE") && !is_success("ROLLBACK_COMPLETE"));
        assert!(is_success("UPDATE_COMPLETE"));
    }
}
