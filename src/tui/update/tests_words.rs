//! `update` words what the runner reports as data: typed results and typed failures become
//! the status line, the event log and the form's error.

use std::path::PathBuf;
use std::time::Duration;

use ratatui::crossterm::event::KeyCode;

use crate::ops::add::{NotVerified, Verification};
use crate::ops::material::MaterialError;
use crate::runtime::Step;
use crate::store::{ErrorKind, StoreError};
use crate::tui::model::{Overlay, Tone};
use crate::tui::msg::Msg;
use crate::tui::outcome::{Call, Done, Failure, Op, OpDone};
use crate::tui::testkit::*;

fn finished(op: Op, result: Result<Done, Failure>, calls: Vec<Call>) -> Msg {
    Msg::OpDone(Box::new(OpDone { op, result, calls }))
}

fn logs(m: &crate::tui::model::Model) -> Vec<String> {
    m.log.iter().map(|l| l.text.clone()).collect()
}

#[test]
fn a_switch_is_worded_from_its_data() {
    let mut m = model();
    let done = Done::Switched {
        name: "work".into(),
        synced_back_into: Some("home".into()),
        backup: Some(PathBuf::from("/b/auth.json.bak")),
        wrote: PathBuf::from("/c/auth.json"),
        processes: 2,
    };
    send(
        &mut m,
        [finished(
            Op::Switch {
                name: "work".into(),
            },
            Ok(done),
            Vec::new(),
        )],
    );
    let status = m.status.as_ref().expect("status");
    assert_eq!(status.tone, Tone::Good);
    assert_eq!(
        status.text,
        "switched to work; 2 running Codex process(es) keep the old credential until restarted"
    );
    assert_eq!(
        logs(&m),
        [
            "wrote the live tokens back into account home",
            "backed up the live file to /b/auth.json.bak",
            "wrote /c/auth.json (account work)",
        ]
    );
}

#[test]
fn a_typed_add_failure_is_worded_in_the_form_and_the_status_line() {
    let mut m = model();
    send(&mut m, [key('a')]);
    let calls = vec![
        Call::Finished {
            step: Step::Jwks,
            status: 200,
            latency: Duration::from_millis(12),
        },
        Call::Failed {
            step: Step::Verify,
            message: "bad\u{1b}[31m signature".into(),
        },
    ];
    let failure = Failure::NotVerified(NotVerified {
        reason: "signature mismatch".into(),
    });
    send(
        &mut m,
        [finished(Op::Add { name: "x".into() }, Err(failure), calls)],
    );
    let want = "the Agent Identity JWT did not verify: signature mismatch; nothing was added";
    let Overlay::Add(form) = &m.overlay else {
        panic!("the form stays open")
    };
    assert_eq!(form.error.as_deref(), Some(want));
    let status = m.status.as_ref().expect("status");
    assert_eq!((status.tone, status.text.as_str()), (Tone::Bad, want));
    let log = logs(&m);
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0], "HTTP fetch JWKS — 200 in 12 ms (add x)");
    assert!(
        log[1].starts_with("verify JWT — failed (add x): bad"),
        "{log:?}"
    );
    assert!(!log[1].contains('\u{1b}'), "escaped: {log:?}");
    // Esc still closes the form.
    send(&mut m, [code(KeyCode::Esc)]);
    assert!(matches!(m.overlay, Overlay::None));
}

#[test]
fn each_failure_kind_has_its_words() {
    use super::words::failure;
    let store = StoreError::new(ErrorKind::Locked, "the store is locked").with_hint("wait");
    assert_eq!(failure(&Failure::Store(store)), "the store is locked; wait");
    let error = MaterialError {
        problem: crate::ops::material::Problem::NotFound,
        message: "no such file".into(),
        hint: Some("nothing was written".into()),
    };
    assert_eq!(
        failure(&Failure::Material {
            error: error.clone(),
            file: true
        }),
        "no such file"
    );
    assert_eq!(
        failure(&Failure::Material { error, file: false }),
        "no such file (nothing was written)"
    );
    assert_eq!(
        failure(&Failure::Task("cancelled".into())),
        "the save task failed: cancelled"
    );
}

#[test]
fn unchanged_saves_and_adds_say_so_and_log_no_write() {
    use super::words::{log, summary};
    let saved = Done::Saved {
        name: "a".into(),
        wrote: None,
    };
    assert_eq!(summary(&saved), "a already holds the live credential");
    assert!(log(&saved).is_empty());
    let added = Done::Added {
        name: "b".into(),
        wrote: Some(PathBuf::from("/s/b.json")),
        verification: Verification::Skipped,
    };
    assert_eq!(summary(&added), "added b, JWT not verified (offline)");
    assert_eq!(log(&added), ["wrote /s/b.json"]);
}
