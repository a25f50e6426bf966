//! Fake runtime progress: events, tasks, failures, and whole runs.

use std::time::Duration;

use crate::backend::{FailureClass, FailureKind};
use crate::runtime::{Event, EventKind, InitError, Outcome, Step, TaskRuntime};
use crate::secret::Secret;
use crate::tui::model::Model;
use crate::tui::msg::Msg;
use crate::tui::update::update;

use super::at_ms;

pub fn ev(kind: EventKind, ms: i64) -> Event {
    Event {
        at: at_ms(ms),
        kind,
    }
}

pub fn task(ms: u64) -> TaskRuntime {
    TaskRuntime {
        runtime_id: "agent-runtime-1".into(),
        task_id: Secret::new("task-FAKE-0123456789abcdef"),
        registered_at: at_ms(500),
        latency: Duration::from_millis(ms),
        reused: false,
    }
}

pub fn init_error(class: FailureClass) -> InitError {
    InitError {
        kind: FailureKind::Registration,
        class,
        message: "agent task registration failed with status 503".into(),
        status: Some(503),
        attempts: 3,
    }
}

/// Runtime events of the current generation.
pub fn runtime(m: &mut Model, events: Vec<Event>) {
    for e in events {
        let generation = m.live.runtime_generation;
        let _ = update(
            m,
            Msg::Runtime {
                generation,
                event: Box::new(e),
            },
        );
    }
}

/// JWKS + verify done, registration attempt 1 of 3 in flight.
pub fn registering() -> Vec<Event> {
    vec![
        ev(EventKind::Started { step: Step::Jwks }, 0),
        ev(
            EventKind::Started {
                step: Step::Register,
            },
            0,
        ),
        ev(
            EventKind::Attempt {
                step: Step::Jwks,
                attempt: 1,
                of: 3,
            },
            0,
        ),
        ev(
            EventKind::Attempt {
                step: Step::Register,
                attempt: 1,
                of: 3,
            },
            0,
        ),
        ev(
            EventKind::Finished {
                step: Step::Jwks,
                status: Some(200),
                latency: Duration::from_millis(12),
            },
            12,
        ),
        ev(EventKind::Started { step: Step::Verify }, 12),
        ev(
            EventKind::Finished {
                step: Step::Verify,
                status: None,
                latency: Duration::from_millis(1),
            },
            13,
        ),
    ]
}

pub fn ready_events() -> Vec<Event> {
    let mut e = registering();
    e.push(ev(
        EventKind::Finished {
            step: Step::Register,
            status: Some(200),
            latency: Duration::from_millis(42),
        },
        42,
    ));
    e.push(ev(
        EventKind::Done(Outcome::Ready {
            task: Some(task(42)),
            jwt_verified: true,
        }),
        42,
    ));
    e
}

pub fn failed_events(class: FailureClass) -> Vec<Event> {
    let mut e = registering();
    e.push(ev(
        EventKind::AttemptFailed {
            step: Step::Register,
            attempt: 1,
            of: 3,
            status: Some(503),
            latency: Duration::from_millis(30),
            class,
            message: "agent task registration failed with status 503".into(),
            retry_in: None,
        },
        30,
    ));
    e.push(ev(EventKind::Done(Outcome::Failed(init_error(class))), 30));
    e
}
