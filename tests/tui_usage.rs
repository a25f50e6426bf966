//! Usage in the real TUI, in a pseudo-terminal, against the embedded mock backend: the live
//! account's meters appear on their own, `b` picks the account with the most room through the
//! switch confirm and the switch rewrites auth.json; and in `--demo`, `U` fills the headroom
//! column and `b` skips the account at its limit. No timing asserts: each wait has a generous
//! deadline and only fails when the text never shows up.

mod tui_support;

use std::path::Path;

use authdeck::codex::fixtures::{self, ChatgptSpec};
use authdeck::mock_backend::{MockBackend, MockConfig, UsageScenario};
use tui_support::Session;

fn write_private(path: &Path, bytes: &[u8]) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::write(path, bytes).expect("write");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
}

fn account(name: &str) -> Vec<u8> {
    let email = format!("{name}@example.com");
    let id = format!("acct-{name}");
    let user = format!("user-{name}");
    fixtures::chatgpt_doc(&ChatgptSpec {
        email: &email,
        account_id: &id,
        user_id: &user,
        ..ChatgptSpec::default()
    })
    .as_bytes()
    .to_vec()
}

#[test]
fn the_live_accounts_meters_appear_and_b_switches_to_the_roomiest() {
    let rt = tokio::runtime::Runtime::new().expect("tokio");
    let mock = rt
        .block_on(MockBackend::start(MockConfig::default(), 0))
        .expect("mock backend");
    mock.set_usage(Some("acct-bob"), UsageScenario::LimitReached);
    mock.set_usage(
        Some("acct-carol"),
        UsageScenario::FiveHourWeekly {
            primary_used: 3,
            secondary_used: 10,
        },
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path().join("home");
    let codex = tmp.path().join("codex");
    let store = codex.join("accounts");
    std::fs::create_dir_all(&home).expect("home");
    std::fs::create_dir_all(&store).expect("store");
    std::fs::write(
        codex.join("config.toml"),
        format!("chatgpt_base_url = \"{}/backend-api\"\n", mock.base_url()),
    )
    .expect("config");
    let alice = account("alice");
    write_private(&codex.join("auth.json"), &alice);
    write_private(&store.join("alice.json"), &alice);
    write_private(&store.join("bob.json"), &account("bob"));
    let carol = account("carol");
    write_private(&store.join("carol.json"), &carol);

    let mut app = Session::start(
        &["--no-mouse"],
        &[
            ("HOME", home.to_str().expect("utf8")),
            ("CODEX_HOME", codex.to_str().expect("utf8")),
            ("TERM", "xterm-256color"),
        ],
        tmp.path(),
    );
    // The live account's meters, fetched in the background on start.
    app.screen.wait_for("Usage");
    app.screen.wait_for("resets in 2h 13m");
    let text = app.screen.text();
    assert!(text.contains("5h") && text.contains("weekly"), "{text}");
    assert!(text.contains("headroom 37%"), "{text}");

    // Every account, then the best pick through the confirm popup.
    app.press("U");
    app.screen.wait_for("0%");
    app.screen.wait_for("90%");
    app.press("b");
    app.screen.wait_for("Switch to carol?");
    app.screen
        .wait_for("chosen by b: most usage headroom (90%)");
    app.press("y");
    app.screen.wait_for("switched to carol");
    let auth = codex.join("auth.json");
    app.screen.wait_until("auth.json to hold carol", |_| {
        std::fs::read(&auth).is_ok_and(|b| b == carol)
    });
    app.screen.wait_for("headroom 90%");

    app.press("q");
    assert!(app.wait_exit(), "clean exit");
    app.assert_restored();
    // Only the usage endpoint was asked, with each account's own id; never a refresh.
    let reqs = mock.usage_requests();
    assert!(reqs.iter().all(|r| r.path == "/backend-api/wham/usage"));
    for id in ["acct-alice", "acct-bob", "acct-carol"] {
        assert!(
            reqs.iter().any(|r| r.account_id.as_deref() == Some(id)),
            "{id}"
        );
    }
    rt.block_on(mock.shutdown());
}

#[test]
fn the_demo_has_varied_meters_and_b_skips_the_account_at_its_limit() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path().to_str().expect("utf8").to_string();
    let tmpdir = tmp.path().join("tmp");
    std::fs::create_dir_all(&tmpdir).expect("tmpdir");
    let tmpdir_s = tmpdir.to_str().expect("utf8").to_string();
    let mut app = Session::start(
        &["--demo", "--no-mouse"],
        &[
            ("HOME", &home),
            ("TERM", "xterm-256color"),
            ("TMPDIR", &tmpdir_s),
        ],
        tmp.path(),
    );
    app.screen.wait_for("DEMO");
    app.screen.wait_for("Ready");
    app.press("U");
    app.screen.wait_for(" 0%");
    app.screen.wait_for("70%");
    app.press("b");
    app.screen.wait_for("Switch to agent-record?");
    app.screen.wait_for("chosen by b");
    app.press("n");
    app.press("q");
    assert!(app.wait_exit(), "clean exit");
    app.assert_restored();
}
