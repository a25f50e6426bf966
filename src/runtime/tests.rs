use chrono::TimeZone;

use super::*;

fn at(s: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_790_000_000 + s, 0)
        .single()
        .expect("valid time")
}

fn ev(s: i64, kind: EventKind) -> Event {
    Event { at: at(s), kind }
}

fn task(id: &str) -> TaskRuntime {
    TaskRuntime {
        runtime_id: "agent-1".into(),
        task_id: Secret::new(id),
        registered_at: at(0),
        latency: Duration::from_millis(80),
        reused: false,
    }
}

fn transient(attempts: u32) -> InitError {
    InitError {
        kind: FailureKind::Registration,
        class: FailureClass::Transient,
        message: "task registration failed: HTTP 503".into(),
        status: Some(503),
        attempts,
    }
}

#[test]
fn jwt_identity_walks_verifying_registering_ready() {
    let mut m = RuntimeModel::starting(at(0), None);
    assert_eq!(m.state.label(), "Loading");
    assert!(m.busy());
    m.apply(&ev(0, EventKind::Started { step: Step::Jwks }));
    m.apply(&ev(
        0,
        EventKind::Started {
            step: Step::Register,
        },
    ));
    assert_eq!(m.state.label(), "Verifying");
    assert_eq!(m.task_status, TaskStatus::Registering);
    m.apply(&ev(
        0,
        EventKind::Attempt {
            step: Step::Register,
            attempt: 1,
            of: 3,
        },
    ));
    m.apply(&ev(
        1,
        EventKind::Finished {
            step: Step::Verify,
            status: None,
            latency: Duration::from_millis(5),
        },
    ));
    assert_eq!(m.state.label(), "Registering");
    assert!(m.jwt_verified);
    m.apply(&ev(
        1,
        EventKind::Finished {
            step: Step::Register,
            status: Some(200),
            latency: Duration::from_millis(90),
        },
    ));
    m.apply(&ev(
        1,
        EventKind::Done(Outcome::Ready {
            task: Some(task("task-1")),
            jwt_verified: true,
        }),
    ));
    assert_eq!(m.state, State::Ready);
    assert_eq!(m.task_status, TaskStatus::Registered);
    assert_eq!(m.attempts, 1);
    assert!(!m.busy());
    let line = m
        .steps
        .iter()
        .find(|l| l.step == Step::Register)
        .expect("logged");
    assert_eq!(line.result, Some(Ok(Some(200))));
    assert_eq!(line.latency, Some(Duration::from_millis(90)));
}

#[test]
fn transient_attempt_sets_retry_countdown_then_clears_it() {
    let mut m = RuntimeModel::starting(at(0), None);
    m.apply(&ev(
        0,
        EventKind::Started {
            step: Step::Register,
        },
    ));
    assert_eq!(m.state.label(), "Registering");
    m.apply(&ev(
        0,
        EventKind::Attempt {
            step: Step::Register,
            attempt: 1,
            of: 3,
        },
    ));
    m.apply(&ev(
        1,
        EventKind::AttemptFailed {
            step: Step::Register,
            attempt: 1,
            of: 3,
            status: Some(503),
            latency: Duration::from_millis(40),
            class: FailureClass::Transient,
            message: "HTTP 503".into(),
            retry_in: Some(Duration::from_secs(2)),
        },
    ));
    assert_eq!(m.next_retry_at, Some(at(3)));
    assert_eq!(m.last_error.as_ref().map(|e| e.status), Some(Some(503)));
    m.apply(&ev(
        3,
        EventKind::Attempt {
            step: Step::Register,
            attempt: 2,
            of: 3,
        },
    ));
    assert_eq!(m.next_retry_at, None);
    assert_eq!(m.attempts, 2);
    assert_eq!(m.steps.len(), 2);
    assert_eq!(m.steps[0].result, Some(Err("HTTP 503".into())));
}

#[test]
fn failure_is_runtime_init_failed_not_signed_out() {
    let mut m = RuntimeModel::starting(at(0), None);
    m.apply(&ev(2, EventKind::Done(Outcome::Failed(transient(3)))));
    assert_eq!(m.state.name(), "runtime_init_failed");
    assert_eq!(m.state.label(), "Runtime init failed");
    assert_eq!(m.task_status, TaskStatus::Failed);
    assert!(m.task.is_none());
}

#[test]
fn transient_failure_keeps_last_good_task_permanent_replaces_it() {
    let mut m = RuntimeModel::starting(at(0), Some(task("task-old")));
    m.apply(&ev(1, EventKind::Done(Outcome::Failed(transient(3)))));
    assert_eq!(m.state, State::Ready);
    assert!(m.kept_last_good);
    assert_eq!(
        m.task.as_ref().map(|t| t.task_id.expose()),
        Some("task-old")
    );
    assert!(m.last_error.is_some());

    let mut m = RuntimeModel::starting(at(0), Some(task("task-old")));
    let permanent = InitError {
        class: FailureClass::Permanent,
        status: Some(403),
        ..transient(1)
    };
    m.apply(&ev(1, EventKind::Done(Outcome::Failed(permanent.clone()))));
    assert_eq!(m.state, State::RuntimeInitFailed(permanent));
    assert!(m.task.is_none());
}

#[test]
fn verification_failure_is_classified_by_step() {
    let mut m = RuntimeModel::starting(at(0), None);
    m.apply(&ev(0, EventKind::Started { step: Step::Verify }));
    m.apply(&ev(
        0,
        EventKind::AttemptFailed {
            step: Step::Verify,
            attempt: 1,
            of: 1,
            status: None,
            latency: Duration::ZERO,
            class: FailureClass::Permanent,
            message: "wrong audience".into(),
            retry_in: None,
        },
    ));
    assert_eq!(
        m.last_error.as_ref().map(|e| e.kind),
        Some(FailureKind::Verification)
    );
    assert_eq!(m.state.label(), "Verifying");
}

#[test]
fn labels_match_the_contract() {
    assert_eq!(State::SignedOut.label(), "Signed out");
    assert_eq!(
        State::Invalid { reason: "x".into() }.label(),
        "Invalid credential"
    );
    assert_eq!(State::Offline.label(), "Offline (not verified)");
    assert_eq!(State::Offline.name(), "offline");
}

#[test]
fn task_status_words_match_the_serialised_names() {
    for t in [
        TaskStatus::NotNeeded,
        TaskStatus::Pending,
        TaskStatus::Registering,
        TaskStatus::Registered,
        TaskStatus::Failed,
    ] {
        let value = serde_json::to_value(t).expect("serialises");
        assert_eq!(Some(t.as_str()), value.as_str());
    }
}

#[test]
fn the_event_log_calls_only_network_steps_http() {
    assert_eq!(Step::Jwks.log_name(), "HTTP fetch JWKS");
    assert_eq!(Step::Register.log_name(), "HTTP register task");
    assert_eq!(
        Step::Verify.log_name(),
        "verify JWT",
        "a local signature check"
    );
}
