//! The fold: [`RuntimeModel`] applies each [`Event`] of the runtime init to plain data (state,
//! task status, the step log the Task pane draws), the same way in the CLI and the TUI.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{Event, EventKind, InitError, Outcome, Phase, State, Step, TaskRuntime, TaskStatus};
use crate::backend::{FailureClass, FailureKind};

/// One line of the step log the Task pane draws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepLine {
    pub step: Step,
    pub started: DateTime<Utc>,
    pub attempt: u32,
    pub of: u32,
    /// `None` while in flight; `Some(Ok(status))` or `Some(Err(message))` when over.
    pub result: Option<Result<Option<u16>, String>>,
    pub latency: Option<Duration>,
}

/// Everything the faces show about the runtime, folded from events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeModel {
    pub state: State,
    pub task_status: TaskStatus,
    pub task: Option<TaskRuntime>,
    pub jwt_verified: bool,
    pub attempts: u32,
    pub attempts_of: u32,
    pub steps: Vec<StepLine>,
    pub last_error: Option<InitError>,
    /// When the next retry starts (transient failure between attempts).
    pub next_retry_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    /// A transient failure happened but an earlier good task is kept.
    pub kept_last_good: bool,
    /// The JWT check is in flight.
    verifying: bool,
}

impl RuntimeModel {
    /// A model in a settled state with no runtime work (signed out, invalid, offline, or a
    /// mode that needs none).
    pub fn settled(state: State, task_status: TaskStatus) -> Self {
        Self {
            state,
            task_status,
            task: None,
            jwt_verified: false,
            attempts: 0,
            attempts_of: 0,
            steps: Vec::new(),
            last_error: None,
            next_retry_at: None,
            started_at: None,
            kept_last_good: false,
            verifying: false,
        }
    }

    /// A model about to run the Agent Identity init. `last_good` is the task of an earlier
    /// run for the same runtime id, kept if this run fails transiently.
    pub fn starting(now: DateTime<Utc>, last_good: Option<TaskRuntime>) -> Self {
        Self {
            started_at: Some(now),
            task: last_good,
            ..Self::settled(
                State::Loading {
                    phase: Phase::Loading,
                },
                TaskStatus::Pending,
            )
        }
    }

    /// Whether something is in flight (the TUI ticks only then).
    pub fn busy(&self) -> bool {
        matches!(self.state, State::Loading { .. })
    }

    /// Folds one event into the model. Pure.
    pub fn apply(&mut self, ev: &Event) {
        match &ev.kind {
            EventKind::Started { step } => {
                if *step == Step::Register {
                    self.task_status = TaskStatus::Registering;
                } else {
                    self.verifying = true;
                }
                self.state = State::Loading {
                    phase: self.phase(),
                };
            }
            EventKind::Attempt { step, attempt, of } => {
                self.next_retry_at = None;
                if *step == Step::Register {
                    self.attempts = *attempt;
                    self.attempts_of = *of;
                }
                self.steps.push(StepLine {
                    step: *step,
                    started: ev.at,
                    attempt: *attempt,
                    of: *of,
                    result: None,
                    latency: None,
                });
            }
            EventKind::AttemptFailed {
                step,
                status,
                latency,
                message,
                retry_in,
                class,
                attempt,
                ..
            } => {
                self.close_line(*step, Err(message.clone()), *latency);
                self.next_retry_at = retry_in
                    .and_then(|d| chrono::Duration::from_std(d).ok())
                    .map(|d| ev.at + d);
                self.last_error = Some(InitError {
                    kind: kind_of(*step),
                    class: *class,
                    message: message.clone(),
                    status: *status,
                    attempts: *attempt,
                });
            }
            EventKind::Finished {
                step,
                status,
                latency,
            } => {
                self.close_line(*step, Ok(*status), *latency);
                if *step == Step::Verify {
                    self.jwt_verified = true;
                    self.verifying = false;
                    self.state = State::Loading {
                        phase: self.phase(),
                    };
                }
            }
            EventKind::TaskReused => {}
            EventKind::Done(outcome) => self.finish(outcome),
        }
    }

    /// Verifying while the JWT check runs (registration may run beside it), then Registering.
    fn phase(&self) -> Phase {
        if self.verifying {
            Phase::Verifying
        } else if self.task_status == TaskStatus::Registering {
            Phase::Registering
        } else {
            Phase::Loading
        }
    }

    fn close_line(&mut self, step: Step, result: Result<Option<u16>, String>, latency: Duration) {
        if let Some(line) = self
            .steps
            .iter_mut()
            .rev()
            .find(|l| l.step == step && l.result.is_none())
        {
            line.result = Some(result);
            line.latency = Some(latency);
        }
    }

    fn finish(&mut self, outcome: &Outcome) {
        self.next_retry_at = None;
        self.verifying = false;
        // A step still open was cancelled when the other branch decided the run (the driver
        // drops it); a settled run lists nothing as running.
        for line in self.steps.iter_mut().filter(|l| l.result.is_none()) {
            line.result = Some(Err("cancelled".to_string()));
        }
        match outcome {
            Outcome::Ready { task, jwt_verified } => {
                self.state = State::Ready;
                self.jwt_verified = *jwt_verified;
                self.kept_last_good = false;
                self.last_error = None;
                if let Some(t) = task {
                    self.task = Some(t.clone());
                    self.task_status = TaskStatus::Registered;
                } else {
                    self.task_status = TaskStatus::NotNeeded;
                }
            }
            Outcome::Failed(err) => {
                self.last_error = Some(err.clone());
                let keep = err.class == FailureClass::Transient && self.task.is_some();
                if keep {
                    // A transient failure must not throw away a task that still works.
                    self.state = State::Ready;
                    self.task_status = TaskStatus::Registered;
                    self.kept_last_good = true;
                } else if err.kind == FailureKind::Verification {
                    // The JWKS answered and the JWT does not verify against it (unknown kid, bad
                    // signature): a bad credential, as Codex treats it — not a runtime failure.
                    self.task = None;
                    self.task_status = TaskStatus::NotNeeded;
                    self.state = State::Invalid {
                        reason: format!("Codex refuses this Agent Identity JWT: {}", err.message),
                    };
                } else {
                    self.task = None;
                    self.task_status = TaskStatus::Failed;
                    self.state = State::RuntimeInitFailed(err.clone());
                }
            }
        }
    }
}

fn kind_of(step: Step) -> FailureKind {
    match step {
        Step::Jwks => FailureKind::Jwks,
        Step::Verify => FailureKind::Verification,
        Step::Register => FailureKind::Registration,
    }
}
