use super::*;
use crate::codex::fixtures;

use crate::env::fixed as env_of;

#[test]
fn signed_out_when_nothing_exists() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path().join("nope"));
    let live = read_live(&paths, &env_of(&[]));
    assert_eq!(live.source, Source::None);
    assert_eq!(live.file, FileState::Missing);
    assert_eq!(live.store_kind, CredentialStoreKind::File);
}

#[test]
fn env_token_wins_but_file_is_still_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path());
    let doc = fixtures::api_key_doc("sk-test-1234567890abcdef");
    std::fs::write(paths.auth_json(), doc.as_bytes()).expect("write");
    // CODEX_AGENT_IDENTITY exists in no Codex version: ignored.
    let live = read_live(
        &paths,
        &env_of(&[
            ("CODEX_ACCESS_TOKEN", " "),
            ("CODEX_AGENT_IDENTITY", "a.b.c\n"),
        ]),
    );
    assert_eq!(
        live.source,
        Source::File {
            path: paths.auth_json()
        }
    );
    let live = read_live(&paths, &env_of(&[("CODEX_ACCESS_TOKEN", "a.b.c\n")]));
    assert_eq!(live.env_token.as_ref().map(Secret::expose), Some("a.b.c"));
    assert_eq!(live.file.doc(), Some(&doc));
    assert!(live.env_notice().is_some_and(|n| n.contains("no effect")));
    // `save` asks only whether a variable is the live credential: the same answer, no reads.
    assert_eq!(
        env_token_var(&env_of(&[("CODEX_ACCESS_TOKEN", "a.b.c\n")])),
        live.env_var()
    );
    assert_eq!(env_token_var(&env_of(&[("CODEX_ACCESS_TOKEN", " ")])), None);
    let live = read_live(&paths, &env_of(&[("CODEX_ACCESS_TOKEN", "x.y.z")]));
    assert_eq!(live.env_var(), Some("CODEX_ACCESS_TOKEN"));
    let live = read_live(&paths, &env_of(&[]));
    assert_eq!(
        live.source,
        Source::File {
            path: paths.auth_json()
        }
    );
}

#[test]
fn bad_files_are_states_not_failures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("auth.json");
    std::fs::write(&p, "{ not json").expect("write");
    assert!(matches!(
        read_doc_file(&p),
        FileState::Malformed {
            error: DocError::Json { .. },
            ..
        }
    ));
    std::fs::write(&p, vec![b' '; MAX_DOC_BYTES + 10]).expect("write");
    match read_doc_file(&p) {
        FileState::Malformed {
            error: DocError::TooLarge { size, .. },
            ..
        } => assert_eq!(size, MAX_DOC_BYTES + 10),
        other => panic!("unexpected {other:?}"),
    }
    std::fs::remove_file(&p).expect("rm");
    std::fs::create_dir(&p).expect("mkdir");
    let st = read_doc_file(&p);
    assert!(
        st.problem().is_some_and(|m| m.contains("directory")),
        "{st:?}"
    );
    let link = dir.path().join("dangling.json");
    std::os::unix::fs::symlink(dir.path().join("gone"), &link).expect("symlink");
    assert!(matches!(read_doc_file(&link), FileState::Unreadable { .. }));
}

#[test]
fn keyring_store_reads_codex_entry_and_auto_falls_back_to_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path());
    let file_doc = fixtures::api_key_doc("sk-test-1234567890abcdef");
    std::fs::write(paths.auth_json(), file_doc.as_bytes()).expect("write");
    let stored = fixtures::chatgpt_doc(&fixtures::ChatgptSpec::default());
    let want_account = keyring_account(&paths.codex_home);
    let found = |service: &str, account: &str| {
        assert_eq!(service, KEYRING_SERVICE);
        assert_eq!(account, want_account);
        KeyringRead::Found(Zeroizing::new(stored.as_bytes().to_vec()))
    };
    let unreachable = |_: &str, _: &str| KeyringRead::Unreachable("no keyring here".into());
    let missing = |_: &str, _: &str| KeyringRead::Missing;
    let with = |store: &str, keyring: KeyringFn<'_>| {
        std::fs::write(
            paths.config_toml(),
            format!("cli_auth_credentials_store = \"{store}\"\n"),
        )
        .expect("config");
        read_live_with(&paths, &env_of(&[]), keyring)
    };
    let live = with("keyring", &found);
    assert!(matches!(live.source, Source::Keyring { .. }));
    assert!(matches!(
        live.keyring.as_ref().map(|k| &k.state),
        Some(KeyringState::Doc(d)) if d == &stored
    ));
    let live = with("keyring", &unreachable);
    assert!(matches!(live.source, Source::Keyring { .. }), "no fallback");
    assert_eq!(with("keyring", &missing).source, Source::None);
    assert!(matches!(
        with("auto", &found).source,
        Source::Keyring { .. }
    ));
    for keyring in [&unreachable as KeyringFn<'_>, &missing] {
        assert_eq!(
            with("auto", keyring).source,
            Source::File {
                path: paths.auth_json()
            },
            "auto falls back to auth.json"
        );
    }
    // `file` and `ephemeral` never ask the keyring.
    let never = |_: &str, _: &str| -> KeyringRead { panic!("keyring asked") };
    assert!(matches!(with("file", &never).source, Source::File { .. }));
    assert_eq!(with("ephemeral", &never).source, Source::None);
}

#[test]
fn codex_api_key_is_a_notice_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path());
    let live = read_live(&paths, &env_of(&[("CODEX_API_KEY", "sk-test-123")]));
    assert_eq!(live.source, Source::None);
    assert!(
        live.exec_api_key_notice()
            .is_some_and(|n| n.contains("codex exec"))
    );
}
