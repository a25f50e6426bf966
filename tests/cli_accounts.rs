//! The account commands through the real binary, in a hermetic environment (cleared env, HOME
//! and CODEX_HOME in temp dirs): human and JSON output, exit codes, bad inputs, and crash safety
//! of `switch` under SIGKILL.

use std::io::Write as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use authdeck::codex::auth_file::AuthDoc;
use authdeck::codex::fixtures::{self, ChatgptSpec};
use rand::Rng as _;
use serde_json::Value;

const KEY: &str = "sk-test-1234567890abcdef";

struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("codex")).expect("mkdir");
        Self { dir }
    }

    fn codex(&self) -> PathBuf {
        self.dir.path().join("codex")
    }

    fn auth(&self) -> PathBuf {
        self.codex().join("auth.json")
    }

    fn account(&self, name: &str) -> PathBuf {
        self.codex().join("accounts").join(format!("{name}.json"))
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_authdeck"));
        c.env_clear()
            .env("HOME", self.dir.path())
            .env("CODEX_HOME", self.codex())
            .env("PATH", "/usr/bin:/bin")
            .args(args)
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Out {
        Out(self.cmd(args).output().expect("run authdeck"))
    }

    fn run_stdin(&self, args: &[&str], input: &str) -> Out {
        let mut child = self
            .cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(input.as_bytes()).expect("stdin");
        }
        Out(child.wait_with_output().expect("wait"))
    }

    fn save_account(&self, name: &str, doc: &AuthDoc) {
        std::fs::create_dir_all(self.codex().join("accounts")).expect("mkdir");
        std::fs::write(self.account(name), doc.as_bytes()).expect("write");
    }

    fn set_live(&self, doc: &AuthDoc) {
        std::fs::write(self.auth(), doc.as_bytes()).expect("write");
    }
}

struct Out(Output);

impl Out {
    fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    fn json(&self) -> Value {
        let v: Value = serde_json::from_str(&self.stdout()).unwrap_or_else(|e| {
            panic!("stdout is not JSON ({e}): {}", self.stdout());
        });
        assert_eq!(v["schema_version"], 1, "{v}");
        v
    }
    #[track_caller]
    fn ok(self) -> Self {
        assert_eq!(
            self.code(),
            0,
            "stdout: {}\nstderr: {}",
            self.stdout(),
            self.stderr()
        );
        self
    }
}

fn login(user: &str, email: &str, generation: u32, last_refresh: &str) -> AuthDoc {
    fixtures::chatgpt_doc(&ChatgptSpec {
        email,
        user_id: user,
        last_refresh,
        generation,
        ..ChatgptSpec::default()
    })
}

#[test]
fn add_api_key_writes_what_codex_writes_and_prints_no_secret() {
    let h = Home::new();
    let out = h
        .run_stdin(&["add", "key", "--api-key-stdin"], &format!("  {KEY}\n"))
        .ok();
    assert!(
        out.stdout().contains("added account \"key\""),
        "{}",
        out.stdout()
    );
    assert!(out.stdout().contains("sk-test-***bcdef"));
    assert!(!out.stdout().contains("1234567890"));
    assert_eq!(
        std::fs::read_to_string(h.account("key")).expect("read"),
        format!("{{\n  \"auth_mode\": \"apikey\",\n  \"OPENAI_API_KEY\": \"{KEY}\"\n}}\n")
    );
    let mode = std::fs::metadata(h.account("key"))
        .expect("meta")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let out = h
        .run_stdin(&["add", "key2", "--api-key-stdin", "--json"], KEY)
        .ok();
    let v = out.json();
    assert_eq!(v["added"], "key2");
    assert_eq!(v["auth_mode"], "apikey");
    assert!(!out.stdout().contains("1234567890"));
    // Exists without --force.
    let out = h.run_stdin(&["add", "key", "--api-key-stdin"], "sk-test-other-key-0000");
    assert_eq!(out.code(), 1);
    assert!(out.stderr().contains("--force"), "{}", out.stderr());
}

#[test]
fn add_jwt_and_file_and_bad_material() {
    let h = Home::new();
    let jwt = fixtures::unsigned_agent_jwt("agent-1", 4_102_444_800);
    h.run_stdin(
        &["add", "agent", "--jwt-stdin", "--no-verify"],
        &format!("{jwt}\n"),
    )
    .ok();
    assert_eq!(
        std::fs::read_to_string(h.account("agent")).expect("read"),
        format!(
            "{{\n  \"auth_mode\": \"agentIdentity\",\n  \"OPENAI_API_KEY\": null,\n  \"agent_identity\": \"{jwt}\"\n}}\n"
        )
    );
    let out = h.run_stdin(&["add", "bad", "--jwt-stdin", "--offline"], "not-a-jwt");
    assert_eq!(out.code(), 5, "{}", out.stderr());
    assert!(
        out.stderr().contains("Agent Identity JWT"),
        "{}",
        out.stderr()
    );
    assert!(!h.account("bad").exists());
    // Empty stdin is a plain error (exit 1, as docs/json.md says), not an invalid credential.
    let out = h.run_stdin(&["add", "empty", "--api-key-stdin"], "   \n");
    assert_eq!(out.code(), 1, "{}", out.stderr());
    assert!(
        out.stderr()
            .contains("error: stdin is empty: expected an API key"),
        "{}",
        out.stderr()
    );
    assert!(
        out.stderr().contains("hint: pipe it in"),
        "{}",
        out.stderr()
    );
    assert!(!h.account("empty").exists());
    let out = h.run_stdin(&["add", "spaces", "--api-key-stdin"], "sk-test one two");
    assert_eq!(out.code(), 5);
    // --from-file keeps the document verbatim, unknown keys and all.
    let odd = "{\"OPENAI_API_KEY\":\"sk-test-abcdefghijklmnop\",\"future\":{\"x\":1}}";
    let src = h.dir.path().join("src.json");
    std::fs::write(&src, odd).expect("write");
    h.run(&["add", "file", "--from-file", src.to_str().expect("utf8")])
        .ok();
    assert_eq!(
        std::fs::read_to_string(h.account("file")).expect("read"),
        odd
    );
    std::fs::write(&src, "{\"auth_mode\":\"apikey\"}").expect("write");
    let out = h.run(&["add", "nokey", "--from-file", src.to_str().expect("utf8")]);
    assert_eq!(out.code(), 5);
    assert!(out.stderr().contains("OPENAI_API_KEY"), "{}", out.stderr());
    std::fs::write(&src, "[]").expect("write");
    assert_eq!(
        h.run(&["add", "arr", "--from-file", src.to_str().expect("utf8")])
            .code(),
        5
    );
    // No material flag, or two: usage errors.
    assert_eq!(h.run(&["add", "x"]).code(), 2);
    assert_eq!(
        h.run(&["add", "x", "--api-key-stdin", "--jwt-stdin"])
            .code(),
        2
    );
}

#[test]
fn list_marks_active_and_stale_in_both_outputs() {
    let h = Home::new();
    let work_old = login("user-w", "work@example.com", 1, "2026-01-01T00:00:00Z");
    h.save_account("work", &work_old);
    h.save_account("key", &fixtures::api_key_doc(KEY));
    std::fs::write(h.account("broken"), "{").expect("write");
    h.set_live(&login(
        "user-w",
        "work@example.com",
        2,
        "2026-02-01T00:00:00Z",
    ));
    let out = h.run(&["list"]).ok();
    let text = out.stdout();
    let work_line = text.lines().find(|l| l.contains("work")).expect("work row");
    assert!(work_line.starts_with('*'), "{text}");
    assert!(
        work_line.contains("work@example.com") && work_line.contains("Pro"),
        "{text}"
    );
    assert!(work_line.contains("stale"), "{text}");
    let broken_line = text
        .lines()
        .find(|l| l.contains("broken"))
        .expect("broken row");
    assert!(broken_line.contains("invalid"), "{text}");
    let v = h.run(&["list", "--json"]).ok().json();
    assert_eq!(v["active"], "work");
    let accounts = v["accounts"].as_array().expect("array");
    assert_eq!(accounts.len(), 3);
    let work = accounts.iter().find(|a| a["name"] == "work").expect("work");
    assert_eq!(work["active"], true);
    assert_eq!(work["stale"], true);
    assert_eq!(work["auth_mode"], "chatgpt");
    assert_eq!(work["email"], "work@example.com");
    assert_eq!(work["plan"], "Pro");
    assert_eq!(work["problem"], Value::Null);
    let broken = accounts
        .iter()
        .find(|a| a["name"] == "broken")
        .expect("broken");
    assert!(
        broken["problem"]
            .as_str()
            .is_some_and(|p| p.contains("JSON"))
    );
    assert!(!h.run(&["list", "--json"]).stdout().contains("1234567890"));
    // An empty store is fine.
    let empty = Home::new();
    assert!(
        empty
            .run(&["list"])
            .ok()
            .stdout()
            .contains("no saved accounts")
    );
    let v = empty.run(&["list", "--json"]).ok().json();
    assert_eq!(v["accounts"], serde_json::json!([]));
    assert_eq!(v["active"], Value::Null);
}

#[test]
fn save_refuses_missing_and_corrupt_live_files() {
    let h = Home::new();
    let out = h.run(&["save", "x"]);
    assert_eq!(out.code(), 3, "{}", out.stderr());
    assert!(out.stderr().contains("hint:"), "{}", out.stderr());
    std::fs::write(h.auth(), "{\"tokens\": ").expect("write");
    let out = h.run(&["save", "x"]);
    assert_eq!(out.code(), 5, "{}", out.stderr());
    assert!(
        out.stderr().lines().any(|l| l.starts_with("error: ")),
        "{}",
        out.stderr()
    );
    assert!(out.stderr().contains("auth.json"), "{}", out.stderr());
    assert!(!h.account("x").exists());
    let live = login("user-s", "s@example.com", 1, "2026-01-01T00:00:00Z");
    h.set_live(&live);
    h.run(&["save", "x"]).ok();
    assert_eq!(
        std::fs::read(h.account("x")).expect("read"),
        live.as_bytes()
    );
    let v = h.run(&["save", "x", "--json"]).ok().json();
    assert_eq!(v["unchanged"], true);
    let newer = login("user-s", "s@example.com", 2, "2026-02-01T00:00:00Z");
    h.set_live(&newer);
    let out = h.run(&["save", "x"]);
    assert_eq!(out.code(), 1);
    assert!(out.stderr().contains("--force"));
    let v = h.run(&["save", "x", "--force", "--json"]).ok().json();
    assert_eq!(v["saved"], "x");
    let old_copy = v["replaced_to"].as_str().expect("old copy in trash");
    assert_eq!(std::fs::read(old_copy).expect("read"), live.as_bytes());
    assert_eq!(h.run(&["save", "../up"]).code(), 2);
    assert_eq!(h.run(&["save", &"n".repeat(65)]).code(), 2);
}

#[test]
fn switch_human_and_json() {
    let h = Home::new();
    let a1 = login("user-a", "a@example.com", 1, "2026-01-01T00:00:00Z");
    let b = fixtures::api_key_doc(KEY);
    h.save_account("a", &a1);
    h.save_account("b", &b);
    let a2 = login("user-a", "a@example.com", 2, "2026-02-01T00:00:00Z");
    h.set_live(&a2);
    let out = h.run(&["switch", "b"]).ok();
    let text = out.stdout();
    assert!(text.contains("switched to \"b\" (from \"a\")"), "{text}");
    assert!(
        text.contains("saved the newer live tokens into \"a\""),
        "{text}"
    );
    assert!(text.contains("backed up to"), "{text}");
    assert!(
        text.contains("auth_mode") && text.contains("chatgpt → apikey"),
        "{text}"
    );
    assert!(text.contains("restart"), "{text}");
    assert!(
        !text.contains("1234567890") && !text.contains("rt_fake"),
        "{text}"
    );
    assert_eq!(std::fs::read(h.auth()).expect("live"), b.as_bytes());
    assert_eq!(std::fs::read(h.account("a")).expect("a"), a2.as_bytes());
    let out = h.run(&["switch", "a", "--json"]).ok();
    let v = out.json();
    assert_eq!(v["switched_to"], "a");
    assert_eq!(v["from"], "b");
    assert_eq!(v["synced_back"], false);
    assert!(v["backup"].is_string());
    assert!(v["changes"].as_array().is_some_and(|c| !c.is_empty()));
    assert!(v["processes"].is_array());
    assert!(!out.stdout().contains("1234567890") && !out.stdout().contains("rt_fake"));
    assert_eq!(std::fs::read(h.auth()).expect("live"), a2.as_bytes());
    let v = h.run(&["switch", "a", "--json"]).ok().json();
    assert_eq!(v["already_active"], true);
    // Errors.
    let out = h.run(&["switch", "nope"]);
    assert_eq!(out.code(), 1);
    assert!(
        out.stderr().contains("no account named \"nope\""),
        "{}",
        out.stderr()
    );
    assert_eq!(h.run(&["switch", ".hidden"]).code(), 2);
    std::fs::write(
        h.codex().join("config.toml"),
        "cli_auth_credentials_store = \"keyring\"\n",
    )
    .expect("write");
    let out = h.run(&["switch", "b"]);
    assert_eq!(out.code(), 1);
    assert!(out.stderr().contains("OS keyring"), "{}", out.stderr());
    assert_eq!(std::fs::read(h.auth()).expect("live"), a2.as_bytes());
}

#[test]
fn env_token_switch_warns_on_stderr() {
    let h = Home::new();
    h.save_account("b", &fixtures::api_key_doc(KEY));
    let out = Out(h
        .cmd(&["switch", "b"])
        .env("CODEX_ACCESS_TOKEN", "x.y.z")
        .output()
        .expect("run"))
    .ok();
    assert!(
        out.stderr().contains("warning: CODEX_ACCESS_TOKEN is set"),
        "{}",
        out.stderr()
    );
}

#[test]
fn mode_human_and_json() {
    let h = Home::new();
    let mut both = login("user-m", "m@example.com", 1, "2026-01-01T00:00:00Z");
    both.set("OPENAI_API_KEY", &serde_json::json!(KEY));
    h.set_live(&both);
    let out = h.run(&["mode", "apikey"]).ok();
    assert!(
        out.stdout().contains("auth_mode: chatgpt → apikey"),
        "{}",
        out.stdout()
    );
    assert_eq!(
        std::fs::read_to_string(h.auth()).expect("read"),
        both.text().replacen("\"chatgpt\"", "\"apikey\"", 1)
    );
    let v = h.run(&["mode", "chatgpt", "--json"]).ok().json();
    assert_eq!(v["auth_mode"], "chatgpt");
    assert_eq!(v["previous"], "apikey");
    assert_eq!(v["changed"], true);
    assert_eq!(std::fs::read(h.auth()).expect("read"), both.as_bytes());
    let out = h.run(&["mode", "agentIdentity"]);
    assert_eq!(out.code(), 1);
    assert!(
        out.stderr().contains("available: apikey, chatgpt"),
        "{}",
        out.stderr()
    );
    std::fs::remove_file(h.auth()).expect("rm");
    assert_eq!(h.run(&["mode", "apikey"]).code(), 3);
}

#[test]
fn rename_and_remove_human_and_json() {
    let h = Home::new();
    h.save_account("a", &fixtures::api_key_doc(KEY));
    h.save_account("b", &fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb"));
    let out = h.run(&["rename", "a", "b"]);
    assert_eq!(out.code(), 1);
    assert!(out.stderr().contains("already exists"), "{}", out.stderr());
    assert!(
        h.run(&["rename", "a", "c"])
            .ok()
            .stdout()
            .contains("renamed \"a\" to \"c\"")
    );
    let v = h.run(&["rename", "c", "d", "--json"]).ok().json();
    assert_eq!(v["renamed"]["to"], "d");
    assert!(h.account("d").exists() && !h.account("c").exists());
    assert_eq!(h.run(&["rename", "d", "a/b"]).code(), 2);
    let out = h.run(&["remove", "d"]).ok();
    assert!(out.stdout().contains("recoverable"), "{}", out.stdout());
    assert!(!h.account("d").exists());
    let v = h.run(&["remove", "b", "--json"]).ok().json();
    let trash = v["trash_path"].as_str().expect("path");
    assert!(Path::new(trash).exists());
    assert_eq!(h.run(&["remove", "b"]).code(), 1);
}

/// SIGKILL `switch` at random moments: auth.json is always one whole document (a, b or the
/// original), the accounts are intact, and no stale lock blocks the next run.
#[test]
fn killed_switches_never_leave_a_torn_live_file() {
    let h = Home::new();
    let a = fixtures::api_key_doc("sk-test-aaaaaaaaaaaaaaaa");
    let b = login("user-b", "b@example.com", 1, "2026-01-01T00:00:00Z");
    let original = fixtures::api_key_doc("sk-test-original-0000000");
    h.save_account("a", &a);
    h.save_account("b", &b);
    h.save_account("orig", &original);
    h.set_live(&original);
    let allowed = [a.as_bytes(), b.as_bytes(), original.as_bytes()];
    let mut rng = rand::thread_rng();
    for i in 0..30 {
        let name = if i % 2 == 0 { "a" } else { "b" };
        let mut child = h
            .cmd(&["switch", name])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(rng.gen_range(0..=20)));
        let _ = child.kill();
        let _ = child.wait();
        let live = std::fs::read(h.auth()).expect("auth.json exists");
        assert!(
            allowed.contains(&live.as_slice()),
            "iteration {i}: torn live file ({} bytes)",
            live.len()
        );
        assert_eq!(std::fs::read(h.account("a")).expect("a"), a.as_bytes());
        assert_eq!(std::fs::read(h.account("b")).expect("b"), b.as_bytes());
        assert_eq!(
            std::fs::read(h.account("orig")).expect("orig"),
            original.as_bytes()
        );
    }
    // A killed holder never leaves the lock stuck.
    let started = std::time::Instant::now();
    h.run(&["switch", "a"]).ok();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(std::fs::read(h.auth()).expect("live"), a.as_bytes());
}

/// `AUTHDECK_STORE` / `--store` at the Codex home: 0.1.0 listed auth.json as the account `auth`
/// and `remove auth` moved the live credential to the trash. Now every command refuses the
/// store with one clear error, and the live file stays where it is.
#[test]
fn a_store_at_the_codex_home_is_refused_and_the_live_file_survives() {
    let h = Home::new();
    let live = fixtures::api_key_doc(KEY);
    h.set_live(&live);
    let codex = h.codex();
    let codex = codex.to_str().expect("utf8");
    for args in [
        vec!["list"],
        vec!["remove", "auth"],
        vec!["--store", codex, "remove", "auth"],
    ] {
        let out = Out(h
            .cmd(&args)
            .env("AUTHDECK_STORE", codex)
            .output()
            .expect("run"));
        assert_eq!(out.code(), 1, "{args:?}: {}", out.stderr());
        assert!(
            out.stderr().contains("is the Codex home itself"),
            "{args:?}: {}",
            out.stderr()
        );
        assert!(!out.stdout().contains("auth"), "{args:?}: {}", out.stdout());
        assert_eq!(
            std::fs::read(h.auth()).expect("live file still there"),
            live.as_bytes()
        );
    }
}

/// Open permissions on the live file, the store or an account: one ssh-style warning line each
/// on stderr, with the exact chmod that fixes it; private files give none.
#[test]
fn open_permissions_are_warned_about_with_the_fix() {
    let h = Home::new();
    h.set_live(&fixtures::api_key_doc(KEY));
    h.save_account("work", &fixtures::api_key_doc(KEY));
    let store = h.codex().join("accounts");
    let set = |p: &Path, mode: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).expect("chmod");
    };
    set(&h.auth(), 0o644);
    set(&store, 0o755);
    set(&h.account("work"), 0o644);
    let out = h.run(&["list"]).ok();
    let warnings: Vec<String> = out
        .stderr()
        .lines()
        .filter(|l| l.starts_with("warning: permissions"))
        .map(str::to_string)
        .collect();
    assert_eq!(warnings.len(), 3, "{}", out.stderr());
    assert!(
        warnings
            .iter()
            .any(|w| w.ends_with(&format!("chmod 600 '{}'", h.auth().display())))
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.ends_with(&format!("chmod 700 '{}'", store.display())))
    );
    assert!(
        warnings.iter().any(|w| w.contains("for the account file")
            && w.ends_with(&format!("chmod 600 '{}'", h.account("work").display()))),
        "{}",
        out.stderr()
    );
    // `list --json` and `switch NAME` take the account files' modes from their own `stat`s:
    // still one line per problem, never two for the account file.
    for args in [&["list", "--json"][..], &["switch", "work"][..]] {
        let out = h.run(args).ok();
        let err = out.stderr();
        assert_eq!(
            err.matches("warning: permissions").count(),
            3,
            "{args:?}: {err}"
        );
        assert_eq!(
            err.matches("for the account file").count(),
            1,
            "{args:?}: {err}"
        );
    }
    set(&h.account("work"), 0o600);
    // status looks at the live file and the store only.
    let out = h.run(&["status", "--offline"]);
    assert_eq!(
        out.stderr().matches("warning: permissions").count(),
        2,
        "{}",
        out.stderr()
    );

    set(&h.auth(), 0o600);
    set(&store, 0o700);
    set(&h.account("work"), 0o600);
    let out = h.run(&["list"]).ok();
    assert!(!out.stderr().contains("warning"), "{}", out.stderr());
}

/// `--timeout 0` used to be refused with "between 0 and 3600", which allows 0. The message now
/// states the rule that is applied.
#[test]
fn timeout_message_states_the_rule_it_applies() {
    let h = Home::new();
    for bad in ["0", "-1", "3600.5", "nan"] {
        let out = h.run(&[&format!("--timeout={bad}"), "list"]);
        assert_eq!(out.code(), 2, "{bad}: {}", out.stderr());
        assert!(
            out.stderr()
                .contains("--timeout must be more than 0 and at most 3600 seconds"),
            "{bad}: {}",
            out.stderr()
        );
    }
    h.run(&["--timeout", "0.5", "list"]).ok();
    h.run(&["--timeout", "3600", "list"]).ok();
}

#[test]
fn switch_and_mode_refuse_what_config_toml_makes_codex_refuse_unless_forced() {
    let h = Home::new();
    h.save_account("key", &fixtures::api_key_doc(KEY));
    let login = login("user-1", "a@example.com", 1, "2026-11-01T10:00:00Z");
    h.set_live(&login);
    std::fs::write(
        h.codex().join("config.toml"),
        "forced_login_method = \"chatgpt\"\n",
    )
    .expect("config");
    // Codex would log an API key out (and delete auth.json): refused, nothing written.
    let out = h.run(&["switch", "key"]);
    assert_eq!(out.code(), 5, "{}", out.stderr());
    assert!(
        out.stderr().contains("Codex would refuse"),
        "{}",
        out.stderr()
    );
    assert!(out.stderr().contains("--force"), "{}", out.stderr());
    assert_eq!(std::fs::read(h.auth()).expect("live"), login.as_bytes());
    let mut both = login.clone();
    both.set(
        "OPENAI_API_KEY",
        &serde_json::json!("sk-proj-another1234567890"),
    );
    h.set_live(&both);
    let out = h.run(&["mode", "apikey"]);
    assert_eq!(out.code(), 5, "{}", out.stderr());
    assert_eq!(std::fs::read(h.auth()).expect("live"), both.as_bytes());
    // --force writes it and spells out the consequence; status then says what Codex will do.
    let out = h.run(&["switch", "key", "--force"]).ok();
    assert!(
        out.stderr().contains("forced: Codex will not use"),
        "{}",
        out.stderr()
    );
    let status = h.run(&["status", "--json", "--offline"]);
    assert_eq!(status.code(), 5);
    let v = status.json();
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("forced_login_method")),
        "{v}"
    );
}

#[test]
fn list_marks_accounts_codex_would_refuse() {
    let h = Home::new();
    let good = login("user-1", "a@example.com", 1, "2026-11-01T10:00:00Z");
    h.save_account("good", &good);
    // The same login without a refresh token: Codex's loader rejects the whole file.
    let text = String::from_utf8(good.as_bytes().to_vec()).expect("utf8");
    let mut v: Value = serde_json::from_str(&text).expect("json");
    v["tokens"]
        .as_object_mut()
        .expect("tokens")
        .remove("refresh_token");
    let bad =
        AuthDoc::parse(serde_json::to_string_pretty(&v).expect("json").as_bytes()).expect("parses");
    h.save_account("no-refresh", &bad);
    let list = h.run(&["list", "--json"]).ok().json();
    let problem = |name: &str| {
        list["accounts"]
            .as_array()
            .expect("accounts")
            .iter()
            .find(|a| a["name"] == name)
            .map(|a| a["problem"].clone())
            .expect("listed")
    };
    assert_eq!(problem("good"), Value::Null);
    assert!(
        problem("no-refresh")
            .as_str()
            .is_some_and(|p| p.contains("refresh_token")),
        "{list}"
    );
}
