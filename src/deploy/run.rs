//! `deploy`: a change set per stack, in order, summarized, confirmed,
//! executed and followed to the end.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::client::{Aws, ChangeSetInfo, CreatedChangeSet, StackInfo};
use super::events::{self, Event};
use super::params::ParameterValues;
use super::ui::Ui;
use super::{DeployError, StackSpec, artifacts, capabilities, summary};

/// How to deploy.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// Create the change sets and stop (`--no-execute`).
    pub no_execute: bool,
    /// The bucket for templates over the inline limit (`--bucket`); ours
    /// when `None`.
    pub bucket: Option<String>,
    /// The longest wait between two polls; polling starts fast and backs off
    /// to this.
    pub max_poll: Duration,
}

impl Default for DeployOptions {
    fn default() -> Self {
        DeployOptions {
            no_execute: false,
            bucket: None,
            max_poll: Duration::from_secs(5),
        }
    }
}

/// What happened to one stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The change set was executed; the stack's outputs.
    Deployed(Vec<(String, String)>),
    /// Nothing to change.
    NoChanges,
    /// `--no-execute`: the change set's id, left for review.
    Left(String),
}

/// Deploys `stacks` in the order given (dependency order), stopping at the
/// first failure since later stacks depend on earlier ones. Parameters are
/// checked before any AWS call.
pub async fn deploy(
    aws: &Aws,
    ui: &Ui,
    stacks: &[StackSpec],
    values: &ParameterValues,
    opts: &DeployOptions,
) -> Result<Vec<Outcome>, DeployError> {
    values.check(stacks)?;
    let mut outcomes = Vec::with_capacity(stacks.len());
    for s in stacks {
        outcomes.push(deploy_one(aws, ui, s, values, opts).await?);
    }
    Ok(outcomes)
}

async fn deploy_one(
    aws: &Aws,
    ui: &Ui,
    s: &StackSpec,
    values: &ParameterValues,
    opts: &DeployOptions,
) -> Result<Outcome, DeployError> {
    let existing = prepare(aws, ui, s, opts).await?;
    let create = existing
        .as_ref()
        .is_none_or(|e| e.status == "REVIEW_IN_PROGRESS");
    let previous = existing
        .as_ref()
        .filter(|_| !create)
        .map(|e| e.parameter_keys.as_slice());
    let source =
        artifacts::template_source(aws, &s.stack_name, &s.body, opts.bucket.as_deref()).await?;
    let created = aws
        .create_change_set(
            &s.stack_name,
            &change_set_name(),
            create,
            &source,
            &values.resolve(s, previous),
            &capabilities::required(&s.template),
        )
        .await?;
    let cs = wait_change_set(aws, &created.id, opts.max_poll).await?;
    if is_empty(&cs) {
        abandon(aws, &created, create).await?;
        println!("{}: no changes", s.stack_name);
        return Ok(Outcome::NoChanges);
    }
    if cs.status != "CREATE_COMPLETE" {
        return Err(DeployError::Failed {
            stack: s.stack_name.clone(),
            status: format!("change set {}", cs.status),
            cause: cs.reason,
        });
    }
    let kind = if create { "CREATE" } else { "UPDATE" };
    // A removal's DeletionPolicy is in the deployed template.
    let deployed = if create {
        None
    } else {
        aws.deployed_template(&created.stack_id).await?
    };
    let text = summary::render(
        &s.stack_name,
        kind,
        &cs.changes,
        deployed.as_ref(),
        &s.template,
    );
    print!("{text}");
    if opts.no_execute {
        println!(
            "{}: change set left for review: {}",
            s.stack_name, created.id
        );
        return Ok(Outcome::Left(created.id));
    }
    confirm(aws, ui, s, &created, create).await?;
    execute(aws, ui, s, &created, cs.changes.len(), opts).await
}

/// Asks before executing; on no (or no terminal to ask on) removes what
/// this run made, so that nothing is left half-done: the change set and,
/// for a create, the empty `REVIEW_IN_PROGRESS` stack it made.
async fn confirm(
    aws: &Aws,
    ui: &Ui,
    s: &StackSpec,
    created: &CreatedChangeSet,
    create: bool,
) -> Result<(), DeployError> {
    let answer = ui.confirm(&format!("Deploy {}?", s.stack_name));
    if matches!(answer, Ok(true)) {
        return Ok(());
    }
    abandon(aws, created, create).await?;
    Err(answer
        .err()
        .unwrap_or_else(|| DeployError::NotConfirmed(format!("{}: not deployed", s.stack_name))))
}

/// Deletes a change set that will not run; for a create, also the stack in
/// `REVIEW_IN_PROGRESS` that the change set made (it has no resources).
async fn abandon(aws: &Aws, created: &CreatedChangeSet, create: bool) -> Result<(), DeployError> {
    aws.delete_change_set(&created.id).await?;
    let review = aws
        .describe(&created.stack_id)
        .await?
        .is_some_and(|i| i.status == "REVIEW_IN_PROGRESS");
    if create && review {
        aws.delete_stack(&created.stack_id).await?;
    }
    Ok(())
}

/// The stack as it is, made ready for a change set: a stack left in
/// `ROLLBACK_COMPLETE` by a failed create (so it never completed) is deleted;
/// a stack that cannot take a change set now is an error.
async fn prepare(
    aws: &Aws,
    ui: &Ui,
    s: &StackSpec,
    opts: &DeployOptions,
) -> Result<Option<StackInfo>, DeployError> {
    let Some(info) = aws.describe(&s.stack_name).await? else {
        return Ok(None);
    };
    let advice = match info.status.as_str() {
        "ROLLBACK_COMPLETE" => {
            eprintln!(
                "{}: ROLLBACK_COMPLETE after a failed create; deleting it before retrying",
                s.stack_name
            );
            let since = aws.latest_event(&info.id).await?;
            aws.delete_stack(&info.id).await?;
            let (status, events) =
                follow_from(aws, ui, &s.stack_name, &info.id, since, 0, opts.max_poll).await?;
            if status != "DELETE_COMPLETE" {
                return Err(failure(&s.stack_name, status, &events));
            }
            return Ok(None);
        }
        "REVIEW_IN_PROGRESS" => return Ok(Some(info)),
        s if s.ends_with("_IN_PROGRESS") => {
            "an operation is in progress; wait for it to finish and rerun"
        }
        "ROLLBACK_FAILED" | "DELETE_FAILED" => {
            "fix what blocks the delete (see the stack's events), delete the stack and rerun"
        }
        "UPDATE_ROLLBACK_FAILED" => "continue the rollback (ContinueUpdateRollback) and rerun",
        _ => return Ok(Some(info)),
    };
    Err(DeployError::State {
        stack: s.stack_name.clone(),
        status: info.status,
        advice: advice.into(),
    })
}

async fn execute(
    aws: &Aws,
    ui: &Ui,
    s: &StackSpec,
    created: &CreatedChangeSet,
    total: usize,
    opts: &DeployOptions,
) -> Result<Outcome, DeployError> {
    // The stack the change set belongs to, by id: following another stack
    // of the same name would wait forever.
    let stack_id = created.stack_id.as_str();
    let since = aws.latest_event(stack_id).await?;
    aws.execute_change_set(&created.id).await?;
    let (status, events) = follow_from(
        aws,
        ui,
        &s.stack_name,
        stack_id,
        since,
        total,
        opts.max_poll,
    )
    .await?;
    if !events::is_success(&status) {
        return Err(failure(&s.stack_name, status, &events));
    }
    let outputs = aws
        .describe(stack_id)
        .await?
        .map(|i| i.outputs)
        .unwrap_or_default();
    for (k, v) in &outputs {
        println!("{}: output {k} = {v}", s.stack_name);
    }
    Ok(Outcome::Deployed(outputs))
}

/// The failure of a stack operation, with its root cause.
pub(crate) fn failure(stack: &str, status: String, events: &[Event]) -> DeployError {
    DeployError::Failed {
        stack: stack.to_owned(),
        cause: events::root_cause(events, stack),
        status,
    }
}

/// Follows an operation on `stack_id` that started after event `since`,
/// showing each event, until the stack reaches a final status; returns that
/// status and the events.
pub(crate) async fn follow_from(
    aws: &Aws,
    ui: &Ui,
    stack: &str,
    stack_id: &str,
    mut since: Option<String>,
    total: usize,
    max_poll: Duration,
) -> Result<(String, Vec<Event>), DeployError> {
    let mut tracker = ui.tracker(stack, total);
    let mut seen: Vec<Event> = Vec::new();
    let mut delay = Duration::from_millis(200);
    let began = std::time::Instant::now();
    loop {
        for e in aws.events_since(stack_id, since.as_deref()).await? {
            tracker.event(&e);
            since = Some(e.id.clone());
            seen.push(e);
        }
        // Right after ExecuteChangeSet the stack may still show the previous
        // operation's final status: trust the status once this operation's
        // first stack event is there.
        let started = seen
            .iter()
            .any(|e| e.logical_id == stack && e.resource_type == STACK_TYPE);
        if started {
            let status = aws
                .describe(stack_id)
                .await?
                .map(|i| i.status)
                .unwrap_or_else(|| "DELETE_COMPLETE".into());
            if events::is_terminal(&status) {
                for e in aws.events_since(stack_id, since.as_deref()).await? {
                    tracker.event(&e);
                    seen.push(e);
                }
                tracker.finish(&status);
                return Ok((status, seen));
            }
        } else if began.elapsed() > START_TIMEOUT {
            // CloudFormation records the stack's first event at once; a
            // wait without it would never end.
            return Err(DeployError::State {
                stack: stack.to_owned(),
                status: "no event".into(),
                advice: format!(
                    "the operation did not start within {} s; see the stack's events",
                    START_TIMEOUT.as_secs()
                ),
            });
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(max_poll);
    }
}

const STACK_TYPE: &str = "AWS::CloudFormation::Stack";

/// How long an operation may go without its first stack event.
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// Waits until CloudFormation has computed the change set.
async fn wait_change_set(
    aws: &Aws,
    id: &str,
    max_poll: Duration,
) -> Result<ChangeSetInfo, DeployError> {
    let mut delay = Duration::from_millis(200);
    loop {
        let cs = aws.describe_change_set(id).await?;
        if !matches!(cs.status.as_str(), "CREATE_PENDING" | "CREATE_IN_PROGRESS") {
            return Ok(cs);
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(max_poll);
    }
}

/// Whether a change set has nothing to do: CloudFormation fails it with
/// "The submitted information didn't contain changes." (or, for some
/// implementations, completes it with no changes).
pub fn is_empty(cs: &ChangeSetInfo) -> bool {
    let reason = cs.reason.as_deref().unwrap_or_default();
    (cs.status == "FAILED"
        && (reason.contains("didn't contain changes")
            || reason.contains("No updates are to be performed")))
        || (cs.status == "CREATE_COMPLETE" && cs.changes.is_empty())
}

fn change_set_name() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("stackcraft-{secs}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cs(status: &str, reason: Option<&str>, changes: usize) -> ChangeSetInfo {
        ChangeSetInfo {
            status: status.into(),
            reason: reason.map(Into::into),
            changes: (0..changes)
                .map(|i| summary::Change {
                    action: "Add".into(),
                    logical_id: format!("R{i}"),
                    resource_type: "AWS::SNS::Topic".into(),
                    replacement: None,
                })
                .collect(),
        }
    }

    #[test]
    fn an_empty_change_set_is_no_changes_not_a_failure() {
        assert!(is_empty(&cs(
            "FAILED",
            Some(
                "The submitted information didn't contain changes. Submit different information to create a change set."
            ),
            0
        )));
        assert!(is_empty(&cs("CREATE_COMPLETE", None, 0)));
        assert!(!is_empty(&cs("CREATE_COMPLETE", None, 1)));
        assert!(!is_empty(&cs("FAILED", Some("Template format error"), 0)));
    }

    #[test]
    fn change_set_names_are_valid() {
        let n = change_set_name();
        assert!(
            n.starts_with("stackcraft-")
                && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        );
    }
}
