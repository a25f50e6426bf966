use super::*;

#[test]
fn forced_login_words_are_the_config_values() {
    for (words, expected) in [("chatgpt", ForcedLogin::Chatgpt), ("api", ForcedLogin::Api)] {
        let table: toml::Table =
            toml::from_str(&format!("forced_login_method = \"{words}\"")).expect("toml");
        let config = parse_table(&table).expect("parses");
        assert_eq!(config.forced_login_method, Some(expected));
        assert_eq!(expected.as_str(), words);
    }
}

fn kind_for(text: &str) -> CredentialStoreKind {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("config.toml");
    std::fs::write(&p, text).expect("write");
    read_store_kind(&p)
}

#[test]
fn values_are_recognised() {
    assert_eq!(kind_for(""), CredentialStoreKind::File);
    assert_eq!(kind_for("model = \"o3\"\n"), CredentialStoreKind::File);
    assert_eq!(
        kind_for("cli_auth_credentials_store = \"file\""),
        CredentialStoreKind::File
    );
    assert_eq!(
        kind_for("cli_auth_credentials_store = \"keyring\""),
        CredentialStoreKind::Keyring
    );
    assert_eq!(
        kind_for("cli_auth_credentials_store = \"auto\""),
        CredentialStoreKind::Auto
    );
    assert_eq!(
        kind_for("cli_auth_credentials_store = \"ephemeral\""),
        CredentialStoreKind::Ephemeral
    );
    assert!(matches!(
        kind_for("cli_auth_credentials_store = \"vault\""),
        CredentialStoreKind::Unparseable { .. }
    ));
    // A key inside a table is not the top-level setting.
    assert_eq!(
        kind_for("[profiles.x]\ncli_auth_credentials_store = \"keyring\""),
        CredentialStoreKind::File
    );
}

#[test]
fn missing_config_is_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(
        read_store_kind(&dir.path().join("config.toml")),
        CredentialStoreKind::File
    );
}

#[test]
fn broken_config_is_an_error_codex_will_not_start_with() {
    let k = kind_for("cli_auth_credentials_store = \n[[[");
    assert!(k.is_file());
    assert!(matches!(k, CredentialStoreKind::Unparseable { .. }));
    assert!(
        k.notice().is_some_and(|n| n.contains("not valid TOML")),
        "{k:?}"
    );
    let k = kind_for("cli_auth_credentials_store = 3");
    assert!(k.is_file());
    assert!(k.notice().is_some_and(|n| n.contains("must be a string")));
}

#[test]
fn keyring_notice_is_the_plain_statement() {
    assert_eq!(
        CredentialStoreKind::Keyring.notice().as_deref(),
        Some(KEYRING_NOTICE)
    );
    assert!(!CredentialStoreKind::Keyring.is_file());
    assert!(!CredentialStoreKind::Auto.is_file());
    assert!(!CredentialStoreKind::Other("x".into()).is_file());
    assert_eq!(CredentialStoreKind::File.notice(), None);
}
