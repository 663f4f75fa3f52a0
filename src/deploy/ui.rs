//! The terminal side: confirmation, and the live view of stack events (an
//! indicatif progress bar on a terminal, a line per event otherwise).

use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use super::DeployError;
use super::events::{Event, Progress};

/// How to talk to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ui {
    /// A line per event instead of a progress bar.
    pub plain: bool,
    /// `--yes`: do not ask.
    pub assume_yes: bool,
}

impl Ui {
    /// A progress bar only when stderr is a terminal and `CI` is not set.
    pub fn detect(assume_yes: bool) -> Self {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        Ui {
            plain: ci || !std::io::stderr().is_terminal(),
            assume_yes,
        }
    }

    /// Asks `question`; `--yes` answers yes. Without a terminal to ask on,
    /// refuses rather than guessing.
    pub fn confirm(&self, question: &str) -> Result<bool, DeployError> {
        if self.assume_yes {
            return Ok(true);
        }
        let stdin = std::io::stdin();
        if !stdin.is_terminal() {
            return Err(DeployError::NotConfirmed(format!(
                "{question} needs confirmation and there is no terminal to ask on: pass --yes"
            )));
        }
        eprint!("{question} [y/N] ");
        std::io::stderr().flush()?;
        let mut answer = String::new();
        stdin.lock().read_line(&mut answer)?;
        Ok(matches!(
            answer.trim().to_ascii_lowercase().as_str(),
            "y" | "yes"
        ))
    }

    /// A live view of one stack operation over `total` resources.
    pub fn tracker(&self, stack: &str, total: usize) -> Tracker {
        let bar = (!self.plain).then(|| {
            let style = ProgressStyle::with_template(
                "{spinner} {prefix} [{bar:24}] {pos}/{len} {elapsed} {wide_msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            let bar = ProgressBar::new(total as u64)
                .with_style(style)
                .with_prefix(stack.to_owned());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Tracker {
            stack: stack.to_owned(),
            progress: Progress::new(total),
            bar,
        }
    }
}

/// Shows events as they arrive.
#[derive(Debug)]
pub struct Tracker {
    stack: String,
    progress: Progress,
    bar: Option<ProgressBar>,
}

impl Tracker {
    /// Takes in one event: a log line in plain mode; in a terminal, the bar
    /// moves and only failures are printed above it.
    pub fn event(&mut self, e: &Event) {
        self.progress.apply(e, &self.stack);
        let line = format!(
            "{}: {} {} {}{}",
            self.stack,
            e.status,
            e.logical_id,
            e.resource_type,
            e.reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        );
        match &self.bar {
            None => eprintln!("{line}"),
            Some(bar) => {
                bar.set_length(self.progress.total as u64);
                bar.set_position(self.progress.done.len() as u64);
                bar.set_message(self.progress.current.clone().unwrap_or_default());
                if e.status.ends_with("_FAILED") {
                    bar.println(line);
                }
            }
        }
    }

    /// Ends the view with the stack's final status.
    pub fn finish(self, status: &str) {
        let done = self.progress.done.len();
        match self.bar {
            Some(bar) => bar.finish_with_message(status.to_owned()),
            None => eprintln!(
                "{}: {status} ({done}/{} resources)",
                self.stack, self.progress.total
            ),
        }
    }
}
