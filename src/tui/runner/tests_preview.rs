//! The runner's preview effects against real temp directories: reading a previewed account
//! file writes nothing and only the newest read matters; the dry verification fetches the JWKS
//! and registers nothing.

use super::tests::{mock_signed_jwt, next, rig, rig_with_mock};
use super::*;
use crate::codex::fixtures;
use crate::runtime::State;
use crate::tui::outcome::VerifyFailure;

#[tokio::test]
async fn preview_reads_use_the_status_words_write_nothing_and_only_the_newest_matters() {
    let mut r = rig(&[]);
    let before: Vec<(String, Vec<u8>)> = [r.paths.auth_json(), r.paths.store.join("broken.json")]
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read(p).expect("readable")))
        .collect();
    r.runner.execute(Effect::LoadPreview {
        generation: 1,
        name: "broken".into(),
    });
    let Msg::PreviewLoaded {
        generation,
        name,
        loaded,
    } = next(&mut r.rx).await
    else {
        panic!("preview");
    };
    assert_eq!((generation, name.as_str()), (1, "broken"));
    // The words `status`/`register --account` use: the path, then the parse error.
    let path = r.paths.store.join("broken.json");
    let expected = match crate::store::read_doc_file(&path) {
        crate::store::FileState::Malformed { error, .. } => {
            format!("{}: {error}", path.display())
        }
        other => panic!("broken.json must be malformed, got {other:?}"),
    };
    let State::Invalid { reason } = loaded.initial_model(true, chrono::Utc::now(), None).state
    else {
        panic!("a broken account previews as invalid");
    };
    assert_eq!(reason, expected);

    // A burst of selections: results arrive in order, the newest last.
    for g in 2..=200u64 {
        let name = if g % 2 == 0 { "key" } else { "work" };
        r.runner.execute(Effect::LoadPreview {
            generation: g,
            name: name.into(),
        });
    }
    let mut seen = Vec::new();
    loop {
        match next(&mut r.rx).await {
            Msg::PreviewLoaded {
                generation,
                name,
                loaded,
            } => {
                seen.push(generation);
                if generation == 200 {
                    assert_eq!(name, "key");
                    let a = loaded.analysis.expect("a document");
                    assert_eq!(a.mode, crate::codex::credential::AuthMode::ApiKey);
                    break;
                }
            }
            other => panic!("only preview reads were asked for, got {other:?}"),
        }
    }
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "never an older result after a newer one: {seen:?}"
    );
    for (p, bytes) in before {
        assert_eq!(
            std::fs::read(&p).expect("still there"),
            bytes,
            "{p} untouched"
        );
    }
    assert!(
        !r.paths.codex_home.join("auth.json.bak").exists()
            && std::fs::read_dir(&r.paths.store).expect("store").count() == 3,
        "a preview writes nothing"
    );
}

#[tokio::test]
async fn a_dry_preview_verification_fetches_the_jwks_and_registers_nothing() {
    use crate::codex::agent_identity::AgentIdentity;
    let (mock, mut r) = rig_with_mock().await;
    let jwt = mock_signed_jwt("agent-preview-1", 7);
    let identity = AgentIdentity::from_value(&serde_json::Value::String(jwt)).expect("identity");
    r.runner.execute(Effect::VerifyPreview {
        generation: 3,
        identity: Box::new(identity),
    });
    let Msg::PreviewVerified { generation, result } = next(&mut r.rx).await else {
        panic!("verified");
    };
    assert_eq!((generation, result), (3, Ok(true)));

    let forged = fixtures::unsigned_agent_jwt("agent-preview-2", 4_102_444_800);
    let identity = AgentIdentity::from_value(&serde_json::Value::String(forged)).expect("identity");
    r.runner.execute(Effect::VerifyPreview {
        generation: 4,
        identity: Box::new(identity),
    });
    let Msg::PreviewVerified { generation, result } = next(&mut r.rx).await else {
        panic!("verified");
    };
    assert_eq!(generation, 4);
    assert!(
        matches!(result, Err(VerifyFailure::Failed(_))),
        "a forged JWT does not verify: {result:?}"
    );
    let stats = mock.stats();
    assert!(stats.jwks >= 2, "{stats:?}");
    assert_eq!(
        (
            stats.task_register,
            stats.agent_register,
            stats.tasks_issued
        ),
        (0, 0, 0),
        "a dry run never registers"
    );
    mock.shutdown().await;
}
