//! The runner's file operations against real temp directories: switch, remove, undo, rename,
//! save and add (its JWT check against the JWKS and its size cap), and the record `switch -`
//! reads. Apart from `tests.rs` (loads, listings, watcher, panics) to keep each under 400 lines.

use super::tests::{KEY, logged, mock_signed_jwt, next, op_done, rig, rig_with_mock, said};
use super::*;
use crate::codex::fixtures;
use crate::ops::add::Verification;
use crate::secret::Secret;
use crate::store;
use crate::tui::outcome::Call;
use crate::tui::outcome::{Done, Failure};

#[tokio::test]
async fn file_operations_round_trip() {
    let mut r = rig(&[]);
    r.runner.execute(Effect::PlanSwitch { name: "key".into() });
    let Msg::SwitchPlanned(plan) = next(&mut r.rx).await else {
        panic!("plan")
    };
    let plan = (*plan).expect("plan");
    assert!(
        plan.changes
            .iter()
            .any(|c| c.key == "OPENAI_API_KEY" && !c.after.contains("FAKEFAKE"))
    );
    r.runner.execute(Effect::Switch { name: "key".into() });
    let done = op_done(&mut r.rx).await;
    assert!(done.result.is_ok(), "{done:?}");
    assert_eq!(
        std::fs::read(r.paths.auth_json()).expect("live"),
        std::fs::read(r.paths.store.join("key.json")).expect("account")
    );
    assert!(
        matches!(&done.result, Ok(Done::Switched { name, wrote, .. }) if name == "key" && wrote.ends_with("auth.json")),
        "{done:?}"
    );
    assert!(logged(&done).iter().any(|l| l.contains("auth.json")));
    r.runner.execute(Effect::Remove {
        name: "broken".into(),
    });
    assert!(op_done(&mut r.rx).await.result.is_ok());
    assert!(!r.paths.store.join("broken.json").exists());
    r.runner.execute(Effect::Undo {
        name: "broken".into(),
    });
    assert!(op_done(&mut r.rx).await.result.is_ok());
    assert!(r.paths.store.join("broken.json").exists());
    r.runner.execute(Effect::Rename {
        from: "broken".into(),
        to: "fixed".into(),
    });
    assert!(op_done(&mut r.rx).await.result.is_ok());
    r.runner.execute(Effect::SaveLive {
        name: "live-copy".into(),
    });
    assert!(op_done(&mut r.rx).await.result.is_ok());
    r.runner.execute(Effect::Add {
        name: "added".into(),
        material: Secret::new(KEY),
    });
    let done = op_done(&mut r.rx).await;
    assert!(matches!(
        &done.result,
        Ok(Done::Added {
            wrote: Some(_),
            verification: Verification::NoJwt,
            ..
        })
    ));
    assert_eq!(said(&done).as_deref(), Ok("added added"));
    r.runner.execute(Effect::Add {
        name: "added".into(),
        material: Secret::new(KEY),
    });
    let done = op_done(&mut r.rx).await;
    assert!(matches!(&done.result, Ok(Done::Added { wrote: None, .. })));
    assert!(said(&done).is_ok_and(|s| s.contains("already")));
    r.runner.execute(Effect::Add {
        name: "added".into(),
        material: Secret::new("sk-test-OTHERFAKEKEY999999"),
    });
    assert!(
        op_done(&mut r.rx).await.result.is_err(),
        "no silent overwrite"
    );
    r.runner.execute(Effect::SetMode {
        mode: crate::codex::credential::AuthMode::Chatgpt,
    });
    assert!(
        op_done(&mut r.rx).await.result.is_err(),
        "no ChatGPT material in an API-key doc"
    );
}

#[tokio::test]
async fn added_jwts_are_verified_against_the_jwks() {
    let (mock, mut r) = rig_with_mock().await;
    let jwt = mock_signed_jwt("agent-add-1", 9);
    r.runner.execute(Effect::Add {
        name: "signed".into(),
        material: Secret::new(jwt),
    });
    let done = op_done(&mut r.rx).await;
    assert_eq!(said(&done).as_deref(), Ok("added signed, JWT verified"));
    assert!(
        done.calls.iter().any(|c| matches!(
            c,
            Call::Finished {
                step: crate::runtime::Step::Jwks,
                status: 200,
                ..
            }
        )),
        "{:?}",
        done.calls
    );
    assert!(
        logged(&done)
            .iter()
            .any(|l| l.contains("fetch JWKS — 200") && l.ends_with("(add signed)")),
        "{:?}",
        logged(&done)
    );
    let forged = fixtures::unsigned_agent_jwt("agent-add-2", 4_102_444_800);
    r.runner.execute(Effect::Add {
        name: "forged".into(),
        material: Secret::new(forged),
    });
    let done = op_done(&mut r.rx).await;
    assert!(
        matches!(done.result, Err(Failure::NotVerified(_))),
        "{done:?}"
    );
    assert!(
        said(&done)
            .is_err_and(|e| e.contains("did not verify") && e.ends_with("nothing was added")),
        "{done:?}"
    );
    assert!(!r.paths.store.join("forged.json").exists(), "nothing saved");
    mock.shutdown().await;
}

#[tokio::test]
async fn a_tui_switch_is_remembered_for_switch_back() {
    let mut r = rig(&[]);
    let previous = |msg: Msg| match msg {
        Msg::StoreLoaded { previous, .. } => previous,
        other => panic!("expected StoreLoaded, got {other:?}"),
    };
    r.runner.execute(Effect::LoadStore { generation: 1 });
    assert_eq!(previous(next(&mut r.rx).await), None);
    // The live file is the `work` login: switching to `key` leaves `work`.
    r.runner.execute(Effect::Switch { name: "key".into() });
    assert!(op_done(&mut r.rx).await.result.is_ok());
    r.runner.execute(Effect::LoadStore { generation: 2 });
    assert_eq!(previous(next(&mut r.rx).await).as_deref(), Some("work"));
    // The CLI's `switch -` sees the same record.
    let back = store::resolve_switch_target(&r.paths, "-").expect("previous");
    assert_eq!(back.name, "work");
}

/// The add effect itself (whatever the form let through): 0.1.0 saved a 1 MiB pasted key as an
/// empty `{}` and said "added", and accepted 70–500 KB keys the CLI refuses. Now the same cap
/// and the same words as `authdeck add`, and nothing is written.
#[tokio::test]
async fn oversized_pasted_keys_are_refused_like_the_cli_and_nothing_is_written() {
    let mut r = rig(&[]);
    for (i, size) in [70 * 1024, 500 * 1024, 1024 * 1024].into_iter().enumerate() {
        let name = format!("huge{i}");
        r.runner.execute(Effect::Add {
            name: name.clone(),
            material: Secret::new(format!("sk-{}", "a".repeat(size))),
        });
        let done = op_done(&mut r.rx).await;
        assert!(matches!(
            done.result,
            Err(Failure::Material { file: false, .. })
        ));
        let err = said(&done).expect_err("refused");
        assert!(
            err.starts_with("the input holds more than 64 KiB, which is not an API key"),
            "{err}"
        );
        assert!(
            !r.paths.store.join(format!("{name}.json")).exists(),
            "nothing saved"
        );
    }
    r.runner.shutdown();
}
