//! The runtime commands (`status`, `register`, `header`, `provision`) as a user runs them: the
//! real binary, a temp Codex home, and the embedded mock backend on 127.0.0.1 with one fault at
//! a time. Each test asserts the state, the error's kind and class, the attempts, the exit code,
//! that no secret is printed, and (generously) that the process ends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use authdeck::codex::agent_key::AgentKey;
use authdeck::codex::fixtures::{self, ChatgptSpec};
use authdeck::mock_backend::{
    AgentJwtSpec, Fault, MockBackend, MockConfig, mint_agent_jwt, mint_unsigned_jwt,
};
use base64::Engine as _;
use serde_json::{Value, json};
use tempfile::TempDir;

struct World {
    rt: tokio::runtime::Runtime,
    mock: Option<MockBackend>,
    dir: TempDir,
    extra_env: Vec<(String, String)>,
}

impl World {
    fn new(config: MockConfig) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let mock = rt.block_on(MockBackend::start(config, 0)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        std::fs::create_dir_all(dir.path().join("codex")).unwrap();
        Self {
            rt,
            mock: Some(mock),
            dir,
            extra_env: Vec::new(),
        }
    }

    fn mock(&self) -> &MockBackend {
        self.mock.as_ref().unwrap()
    }

    fn codex_home(&self) -> PathBuf {
        self.dir.path().join("codex")
    }

    fn auth_json(&self) -> PathBuf {
        self.codex_home().join("auth.json")
    }

    /// A known agent whose JWT (signed with the demo key) is the live auth.json.
    fn live_agent(&self, runtime_id: &str) -> AgentKey {
        let key = AgentKey::generate();
        self.mock()
            .register_agent_key(runtime_id, key.public_key_bytes());
        let jwt = mint_agent_jwt(&AgentJwtSpec::demo(
            runtime_id,
            key.clone(),
            chrono::Utc::now().timestamp(),
        ))
        .unwrap();
        std::fs::write(self.auth_json(), fixtures::agent_jwt_doc(&jwt).as_bytes()).unwrap();
        key
    }

    /// `authdeck ARGS` in this world: a cleared environment with its homes and the mock's URLs.
    fn cmd(&self, args: &[&str]) -> Command {
        let url = self.mock().base_url();
        let mut env: Vec<(String, std::ffi::OsString)> = vec![
            ("PATH".into(), std::env::var_os("PATH").unwrap_or_default()),
            ("HOME".into(), self.dir.path().join("home").into_os_string()),
            ("CODEX_HOME".into(), self.codex_home().into_os_string()),
            (
                "CODEX_AGENT_IDENTITY_JWKS_BASE_URL".into(),
                url.clone().into(),
            ),
            ("CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL".into(), url.into()),
        ];
        env.extend(self.extra_env.iter().map(|(k, v)| (k.clone(), v.into())));
        common::authdeck(args, env)
    }

    fn run(&self, args: &[&str]) -> (Output, Duration) {
        let started = Instant::now();
        let out = self.cmd(args).output().unwrap();
        (out, started.elapsed())
    }

    fn status_json(&self, extra: &[&str]) -> (Value, i32, String) {
        let mut args = vec!["status", "--json"];
        args.extend_from_slice(extra);
        let (out, elapsed) = self.run(&args);
        assert!(elapsed < Duration::from_secs(60), "status must end");
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "status --json must print JSON ({e}): {stdout} / {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (v, out.status.code().unwrap(), stdout)
    }
}

impl Drop for World {
    fn drop(&mut self) {
        if let Some(m) = self.mock.take() {
            self.rt.block_on(m.shutdown());
        }
    }
}

fn failure(v: &Value) -> (&str, &str) {
    (
        v["error"]["kind"].as_str().unwrap_or(""),
        v["error"]["class"].as_str().unwrap_or(""),
    )
}

#[test]
fn healthy_agent_is_ready_with_a_verified_jwt_and_a_masked_task() {
    let w = World::new(MockConfig::default());
    w.live_agent("agent-ok");
    let (v, code, text) = w.status_json(&[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["state"], "ready");
    assert_eq!(v["agent_identity"]["jwt_verified"], true);
    assert_eq!(v["task"]["status"], "registered");
    assert_eq!(v["task"]["attempts"], 1);
    assert_eq!(v["account"]["email"], "demo@example.com");
    assert!(v["task"]["task_id_masked"].as_str().unwrap().contains('…'));
    assert!(
        !text.contains("task-"),
        "the task id must be masked: {text}"
    );
    assert!(
        !text.contains("agent_private_key") && !text.contains("eyJ"),
        "no key or JWT in output"
    );
    let stats = w.mock().stats();
    assert_eq!((stats.jwks, stats.task_register), (1, 1));
    // The human form says how far away the JWT's expiry is, as it does for an access token.
    let (out, _) = w.run(&["status"]);
    let human = String::from_utf8_lossy(&out.stdout);
    let jwt = human
        .lines()
        .find(|l| l.starts_with("JWT "))
        .unwrap_or_else(|| panic!("a JWT row: {human}"));
    assert!(
        jwt.contains("verified; expires ") && jwt.contains(" (in "),
        "{jwt}"
    );
}

#[test]
fn flaky_backend_succeeds_on_the_third_attempt() {
    let w = World::new(MockConfig::with_task_fault(Fault::FailFirst {
        n: 2,
        status: 503,
    }));
    w.live_agent("agent-flaky");
    let (v, code, _) = w.status_json(&[]);
    assert_eq!((code, v["state"].as_str()), (0, Some("ready")), "{v}");
    assert_eq!(v["task"]["attempts"], 3);
    let w = World::new(MockConfig::with_task_fault(Fault::FailFirst {
        n: 2,
        status: 429,
    }));
    w.live_agent("agent-429");
    let (v, code, _) = w.status_json(&[]);
    assert_eq!((code, v["task"]["attempts"].as_u64()), (0, Some(3)), "{v}");
}

#[test]
fn backend_down_is_runtime_init_failed_transient_with_the_account_still_shown() {
    let w = World::new(MockConfig::with_task_fault(Fault::Status(503)));
    w.live_agent("agent-down");
    let (v, code, _) = w.status_json(&[]);
    assert_eq!(code, 4, "{v}");
    assert_eq!(v["state"], "runtime_init_failed");
    assert_eq!(failure(&v), ("registration", "transient"));
    assert_eq!(v["task"]["attempts"], 3);
    assert_eq!(v["task"]["status"], "failed");
    assert!(v["error"]["message"].as_str().unwrap().contains("503"));
    assert_eq!(
        v["account"]["email"], "demo@example.com",
        "the account stays visible"
    );
    assert_eq!(v["auth_mode"], "agentIdentity");
    assert_eq!(w.mock().stats().task_register, 3);
}

#[test]
fn permanent_registration_failures_are_not_retried() {
    for (fault, needle) in [
        (Fault::Status(403), "403"),
        (Fault::Status(404), "404"),
        (Fault::Status(401), "401"),
        (Fault::Garbage, "not JSON"),
        (Fault::MissingTaskId, "omitted task id"),
        (Fault::BadSealed, ""),
        (Fault::NonUtf8Sealed, ""),
        (Fault::RejectSignature, "401"),
    ] {
        let w = World::new(MockConfig::with_task_fault(fault.clone()));
        w.live_agent("agent-perm");
        let (v, code, _) = w.status_json(&[]);
        assert_eq!(code, 4, "{fault:?}: {v}");
        assert_eq!(failure(&v), ("registration", "permanent"), "{fault:?}: {v}");
        assert_eq!(v["task"]["attempts"], 1, "{fault:?}");
        assert!(
            v["error"]["message"].as_str().unwrap().contains(needle),
            "{fault:?}: {v}"
        );
        assert_eq!(w.mock().stats().task_register, 1, "{fault:?}");
    }
}

#[test]
fn sealed_task_ids_are_opened() {
    for fault in [Fault::Sealed, Fault::SealedCamel, Fault::PlainCamel] {
        let w = World::new(MockConfig::with_task_fault(fault.clone()));
        w.live_agent("agent-sealed");
        let (v, code, _) = w.status_json(&[]);
        assert_eq!(
            (code, v["state"].as_str()),
            (0, Some("ready")),
            "{fault:?}: {v}"
        );
    }
}

#[test]
fn a_hung_server_times_out_as_transient_within_the_bound() {
    let w = World::new(MockConfig::with_task_fault(Fault::Hang));
    w.live_agent("agent-hang");
    let (out, elapsed) = w.run(&["status", "--json", "--timeout", "1"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(4), "{v}");
    assert_eq!(failure(&v), ("registration", "transient"));
    assert_eq!(v["task"]["attempts"], 3);
    assert!(
        elapsed < Duration::from_secs(40),
        "3 × 1 s attempts + back-off, took {elapsed:?}"
    );
}

#[test]
fn jwks_failures_are_their_own_kind() {
    let w = World::new(MockConfig {
        jwks_fault: Fault::Status(500),
        ..MockConfig::default()
    });
    w.live_agent("agent-jwks");
    let (v, code, _) = w.status_json(&[]);
    assert_eq!(code, 4, "{v}");
    assert_eq!(failure(&v), ("jwks", "transient"));
    let w = World::new(MockConfig {
        jwks_fault: Fault::Garbage,
        ..MockConfig::default()
    });
    w.live_agent("agent-jwks2");
    let (v, _, _) = w.status_json(&[]);
    assert_eq!(failure(&v), ("jwks", "permanent"), "{v}");
}

#[test]
fn jwts_codex_refuses_are_invalid_and_offline_failures_make_no_request() {
    let w = World::new(MockConfig::default());
    let key = AgentKey::generate();
    w.mock()
        .register_agent_key("agent-v", key.public_key_bytes());
    let now = chrono::Utc::now().timestamp();
    let good = AgentJwtSpec::demo("agent-v", key.clone(), now);
    let expired = AgentJwtSpec {
        iat: now - 7200,
        exp: now - 3600,
        ..good.clone()
    };
    let mut wrong_iss = good.claims();
    wrong_iss["iss"] = json!("https://evil.example/agent-identity");
    let cases = [
        ("expired", mint_agent_jwt(&expired).unwrap()),
        ("alg none", {
            // An `alg: none` token with a signature segment present, so it decodes and only a
            // verifier can refuse it.
            let t = mint_unsigned_jwt(&good.claims(), Some(authdeck::mock_backend::DEMO_KID));
            format!("{t}c2ln")
        }),
        ("wrong issuer", {
            let mut h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
            h.kid = Some(authdeck::mock_backend::DEMO_KID.into());
            authdeck::mock_backend::mint_jwt_with(
                h,
                &wrong_iss,
                authdeck::mock_backend::demo_rsa_private_pem(),
            )
            .unwrap()
        }),
    ];
    // With an empty signature segment the token is not even a well-formed JWT: invalid (5).
    let empty_sig = mint_unsigned_jwt(&good.claims(), Some(authdeck::mock_backend::DEMO_KID));
    std::fs::write(
        w.auth_json(),
        fixtures::agent_jwt_doc(&empty_sig).as_bytes(),
    )
    .unwrap();
    let (v, code, _) = w.status_json(&[]);
    assert_eq!((code, v["state"].as_str()), (5, Some("invalid")), "{v}");
    // Expiry, algorithm and issuer are checked before any request, as Codex does: a bad
    // credential (5), not a runtime failure, and neither the JWKS nor registration is asked.
    for (what, jwt) in cases {
        std::fs::write(w.auth_json(), fixtures::agent_jwt_doc(&jwt).as_bytes()).unwrap();
        let before = w.mock().stats();
        let (v, code, _) = w.status_json(&[]);
        assert_eq!(code, 5, "{what}: {v}");
        assert_eq!(
            failure(&v),
            ("invalid_credential", "permanent"),
            "{what}: {v}"
        );
        assert_eq!(v["agent_identity"]["jwt_verified"], false, "{what}");
        let after = w.mock().stats();
        assert_eq!(after.jwks, before.jwks, "{what}: no JWKS request");
        assert_eq!(
            after.task_register, before.task_register,
            "{what}: no registration"
        );
    }
    // A signature only the JWKS can refuse: invalid too, after the JWKS answered.
    let good_jwt = mint_agent_jwt(&good).unwrap();
    let forged = format!("{}AAAA", &good_jwt[..good_jwt.len() - 4]);
    std::fs::write(w.auth_json(), fixtures::agent_jwt_doc(&forged).as_bytes()).unwrap();
    let (v, code, _) = w.status_json(&[]);
    assert_eq!(code, 5, "bad signature: {v}");
    assert_eq!(failure(&v), ("invalid_credential", "permanent"), "{v}");
}

#[test]
fn connection_refused_is_transient_and_a_non_loopback_override_is_refused_before_any_request() {
    let mut w = World::new(MockConfig::default());
    w.live_agent("agent-net");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    drop(listener);
    w.extra_env
        .push(("CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL".into(), dead));
    let (v, code, _) = w.status_json(&["--timeout", "2"]);
    assert_eq!(code, 4, "{v}");
    assert_eq!(failure(&v), ("registration", "transient"));

    w.extra_env = vec![(
        "CODEX_AGENT_IDENTITY_JWKS_BASE_URL".into(),
        "http://example.com".into(),
    )];
    let before = w.mock().stats();
    let (v, code, _) = w.status_json(&[]);
    assert_eq!(code, 4, "{v}");
    assert_eq!(failure(&v), ("jwks", "permanent"));
    assert!(
        v["error"]["message"].as_str().unwrap().contains("loopback"),
        "{v}"
    );
    assert_eq!(
        w.mock().stats(),
        before,
        "nothing may be sent when an override is refused"
    );
}

#[test]
fn unknown_runtime_id_and_wrong_key_are_permanent() {
    let w = World::new(MockConfig::default());
    let key = AgentKey::generate();
    let jwt = mint_agent_jwt(&AgentJwtSpec::demo(
        "agent-unknown",
        key,
        chrono::Utc::now().timestamp(),
    ))
    .unwrap();
    std::fs::write(w.auth_json(), fixtures::agent_jwt_doc(&jwt).as_bytes()).unwrap();
    let (v, code, _) = w.status_json(&[]);
    assert_eq!(
        (code, failure(&v)),
        (4, ("registration", "permanent")),
        "{v}"
    );
    w.mock()
        .register_agent_key("agent-unknown", AgentKey::generate().public_key_bytes());
    let (v, code, _) = w.status_json(&[]);
    assert_eq!(
        (code, failure(&v)),
        (4, ("registration", "permanent")),
        "{v}"
    );
    assert!(
        v["error"]["message"].as_str().unwrap().contains("401"),
        "{v}"
    );
}

/// The JWKS check and the registration run side by side: whether the JWT verified, and which
/// failure is the cause, never depend on which answer came first. A JWT that cannot be
/// verified stops the registration (no retries for an identity that is at fault).
#[test]
fn a_failed_init_reports_the_verification_and_its_cause_whatever_answered_first() {
    // Registration refused at once, the JWKS a little later: the JWT still verified.
    let w = World::new(MockConfig {
        task_fault: Fault::Status(401),
        jwks_fault: Fault::Latency(Duration::from_millis(400)),
        ..MockConfig::default()
    });
    w.live_agent("agent-slow-jwks");
    let (v, code, _) = w.status_json(&[]);
    assert_eq!(
        (code, failure(&v)),
        (4, ("registration", "permanent")),
        "{v}"
    );
    assert_eq!(v["agent_identity"]["jwt_verified"], true, "{v}");

    // Both fail, the registration first: the JWKS failure is the cause shown.
    let w = World::new(MockConfig {
        task_fault: Fault::Status(401),
        jwks_fault: Fault::Status(404),
        latency: Duration::ZERO,
        ..MockConfig::default()
    });
    w.live_agent("agent-no-jwks");
    let (v, code, _) = w.status_json(&[]);
    assert_eq!((code, failure(&v).0), (4, "jwks"), "{v}");
    assert_eq!(v["agent_identity"]["jwt_verified"], false, "{v}");

    // The JWKS refused at once, the registration transient (it would retry after a back-off of
    // at least 200 ms): the JWKS failure is the cause and the registration is not retried.
    let w = World::new(MockConfig {
        task_fault: Fault::Status(503),
        jwks_fault: Fault::Status(404),
        latency: Duration::ZERO,
        ..MockConfig::default()
    });
    w.live_agent("agent-no-jwks-flaky");
    let (v, code, _) = w.status_json(&[]);
    assert_eq!((code, failure(&v).0), (4, "jwks"), "{v}");
    assert!(
        w.mock().stats().task_register < 3,
        "the registration stopped when the JWT could not be verified: {:?}",
        w.mock().stats()
    );
}

#[test]
fn offline_signed_out_and_invalid_states_and_exit_codes() {
    let w = World::new(MockConfig::default());
    let (v, code, _) = w.status_json(&[]);
    assert_eq!((code, v["state"].as_str()), (3, Some("signed_out")));
    w.live_agent("agent-off");
    let (v, code, _) = w.status_json(&["--offline"]);
    assert_eq!((code, v["state"].as_str()), (0, Some("offline")), "{v}");
    assert_eq!(v["agent_identity"]["jwt_verified"], false);
    assert_eq!(v["task"]["status"], "pending");
    assert_eq!(w.mock().stats().jwks, 0, "offline sends nothing");
    let corrupt = b"{\"auth_mode\": \"chatgpt\", \"tokens\": ";
    std::fs::write(w.auth_json(), corrupt).unwrap();
    let (v, code, _) = w.status_json(&[]);
    assert_eq!((code, v["state"].as_str()), (5, Some("invalid")), "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("auth.json")
    );
    assert_eq!(
        std::fs::read(w.auth_json()).unwrap(),
        corrupt,
        "never modified"
    );
}

#[test]
fn record_form_with_a_persisted_task_needs_no_registration() {
    let w = World::new(MockConfig::default());
    let key = AgentKey::generate();
    let mut doc = fixtures::chatgpt_doc(&ChatgptSpec::default());
    doc.set(
        "agent_identity",
        &json!({"agent_runtime_id": "agent-rec", "agent_private_key": key.to_pkcs8_v2_base64().expose(),
            "account_id": "account-123", "chatgpt_user_id": "user-12345", "plan_type": "pro",
            "chatgpt_account_is_fedramp": false, "task_id": "task-persisted-1"}),
    );
    doc.set_auth_mode("agentIdentity");
    std::fs::write(w.auth_json(), doc.as_bytes()).unwrap();
    let (v, code, _) = w.status_json(&[]);
    assert_eq!((code, v["state"].as_str()), (0, Some("ready")), "{v}");
    assert_eq!(v["task"]["reused"], true);
    assert_eq!(w.mock().stats().task_register, 0);
    assert_eq!(w.mock().stats().jwks, 0, "a record has no JWT to verify");
}

#[test]
fn register_streams_json_lines_ending_with_the_result() {
    let w = World::new(MockConfig::with_task_fault(Fault::FailFirst {
        n: 1,
        status: 503,
    }));
    w.live_agent("agent-reg");
    let (out, _) = w.run(&["register", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.iter().all(|l| l["schema_version"] == 1));
    let events: Vec<&str> = lines.iter().filter_map(|l| l["event"].as_str()).collect();
    assert!(events.contains(&"attempt_failed"), "{events:?}");
    assert!(
        lines
            .iter()
            .any(|l| l["event"] == "attempt_failed" && l["retry_in_ms"].is_u64())
    );
    let last = lines.last().unwrap();
    assert_eq!(last["type"], "result");
    assert_eq!(last["state"], "ready");
    assert_eq!(last["task"]["attempts"], 2);
    let (human, _) = w.run(&["register"]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("register task") && text.contains("attempt 1/3"),
        "{text}"
    );
    assert!(
        text.trim_end().lines().last().unwrap().starts_with("Ready"),
        "{text}"
    );
}

#[test]
fn header_signs_a_fresh_agent_assertion() {
    let w = World::new(MockConfig::default());
    let key = w.live_agent("agent-h");
    let (out, _) = w.run(&["header"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value = String::from_utf8(out.stdout).unwrap();
    let token = value
        .trim()
        .strip_prefix("AgentAssertion ")
        .expect("scheme");
    let envelope = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .unwrap();
    let envelope = String::from_utf8(envelope).unwrap();
    assert!(
        envelope.starts_with("{\"agent_runtime_id\":\"agent-h\",\"signature\":"),
        "{envelope}"
    );
    let v: Value = serde_json::from_str(&envelope).unwrap();
    let payload = format!(
        "agent-h:{}:{}",
        v["task_id"].as_str().unwrap(),
        v["timestamp"].as_str().unwrap()
    );
    assert!(authdeck::codex::agent_key::verify_signature_base64(
        &key.public_key_bytes(),
        payload.as_bytes(),
        v["signature"].as_str().unwrap()
    ));
    let (out, _) = w.run(&["header", "--format", "curl"]);
    let curl = String::from_utf8(out.stdout).unwrap();
    assert!(
        curl.starts_with("-H 'Authorization: AgentAssertion "),
        "{curl}"
    );
    assert!(
        curl.contains("-H 'ChatGPT-Account-ID: account-demo'"),
        "{curl}"
    );
    let (out, _) = w.run(&["header", "--copy"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "--copy without a terminal is refused"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("terminal"));
}

#[test]
fn header_for_an_api_key_and_a_failed_runtime() {
    let w = World::new(MockConfig::with_task_fault(Fault::Status(503)));
    std::fs::write(
        w.auth_json(),
        fixtures::api_key_doc("sk-proj-1234567890ABCDE").as_bytes(),
    )
    .unwrap();
    let (out, _) = w.run(&["header", "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["Authorization"], "Bearer sk-proj-1234567890ABCDE");
    w.live_agent("agent-hdown");
    let (out, _) = w.run(&["header", "--timeout", "1"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Runtime init failed"));
}

fn chatgpt_live(w: &World) -> Vec<u8> {
    let doc = fixtures::chatgpt_doc(&ChatgptSpec::default());
    let mut text = doc.text().to_string();
    text = text.replacen('{', "{\n  \"future_key\": {\"kept\": [1, 2]},", 1);
    std::fs::write(w.auth_json(), &text).unwrap();
    text.into_bytes()
}

#[test]
fn provision_stores_a_record_beside_the_tokens_and_keeps_everything_else() {
    let w = World::new(MockConfig::default());
    let before = chatgpt_live(&w);
    let (out, _) = w.run(&["provision"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = std::fs::read_to_string(w.auth_json()).unwrap();
    let v: Value = serde_json::from_str(&after).unwrap();
    assert_eq!(v["auth_mode"], "chatgpt", "mode untouched");
    assert_eq!(v["future_key"], json!({"kept": [1, 2]}));
    let record = &v["agent_identity"];
    assert!(
        record["agent_runtime_id"]
            .as_str()
            .unwrap()
            .starts_with("agent-")
    );
    assert!(!record["task_id"].as_str().unwrap().is_empty());
    assert_eq!(record["chatgpt_user_id"], "user-12345");
    let original = String::from_utf8(before.clone()).unwrap();
    let head = original.trim_end().strip_suffix('}').unwrap().trim_end();
    assert!(
        after.starts_with(head),
        "every byte before the new member is as it was"
    );
    assert_eq!(w.mock().stats().agent_register, 1);
    let backups: Vec<_> = std::fs::read_dir(w.codex_home().join("accounts").join(".backups"))
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(
        backups,
        vec![before.clone()],
        "the replaced live file is backed up first"
    );
    assert!(
        !String::from_utf8_lossy(&out.stdout)
            .contains(record["agent_private_key"].as_str().unwrap())
    );
    // And the new identity works.
    let (out, _) = w.run(&["mode", "agentIdentity"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (v, code, _) = w.status_json(&[]);
    assert_eq!((code, v["state"].as_str()), (0, Some("ready")), "{v}");
}

#[test]
fn provision_writes_nothing_when_a_step_fails() {
    let w = World::new(MockConfig {
        agent_register_fault: Fault::Status(401),
        ..MockConfig::default()
    });
    let before = chatgpt_live(&w);
    let (out, _) = w.run(&["provision"]);
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nothing was written"));
    // Said once: the message used to read "agent registration failed: agent registration failed".
    assert!(
        err.contains("error: agent registration failed: HTTP 401"),
        "{err}"
    );
    assert_eq!(err.matches("registration failed").count(), 1, "{err}");
    assert_eq!(std::fs::read(w.auth_json()).unwrap(), before);
    let w = World::new(MockConfig::with_task_fault(Fault::Status(403)));
    let before = chatgpt_live(&w);
    let (out, _) = w.run(&["provision", "--json"]);
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("task registration failed").count(), 1, "{err}");
    assert!(out.stdout.is_empty(), "no human progress lines with --json");
    assert_eq!(std::fs::read(w.auth_json()).unwrap(), before);
    assert_eq!(
        dir_names(&w.codex_home()),
        vec!["auth.json".to_string()],
        "no stray files"
    );
}

fn dir_names(p: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(p)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

impl World {
    fn run_stdin(&self, args: &[&str], input: &str) -> Output {
        common::output_with_stdin(self.cmd(args), Some(input))
    }
}

#[test]
fn add_jwt_verifies_against_jwks_unless_told_not_to() {
    let w = World::new(MockConfig::default());
    let now = chrono::Utc::now().timestamp();
    let good = mint_agent_jwt(&AgentJwtSpec::demo("agent-add", AgentKey::generate(), now)).unwrap();
    let out = w.run_stdin(&["add", "good", "--jwt-stdin", "--json"], &good);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verified"], true);
    assert_eq!(w.mock().stats().jwks, 1);

    let expired = AgentJwtSpec {
        iat: now - 7200,
        exp: now - 3600,
        ..AgentJwtSpec::demo("agent-old", AgentKey::generate(), now)
    };
    let expired = mint_agent_jwt(&expired).unwrap();
    let out = w.run_stdin(&["add", "old", "--jwt-stdin"], &expired);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("did not verify") && err.contains("--no-verify"),
        "{err}"
    );
    assert!(
        !w.codex_home().join("accounts").join("old.json").exists(),
        "nothing written"
    );

    let out = w.run_stdin(
        &["add", "old", "--jwt-stdin", "--no-verify", "--json"],
        &expired,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verified"], false);
}

/// A task id is untrusted text (from the server, or stored in a record). Its masked form keeps
/// its first characters, which used to reach the terminal raw: `ESC c` resets the terminal,
/// `ESC [2J` clears it. Every output must show them escaped.
#[test]
fn task_ids_with_terminal_escapes_are_never_printed_raw() {
    const EVIL: &str = "\u{1b}c\u{1b}[2Jtask-evil-0123456789\u{9b}31m";
    let raw = |out: &Output| {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        text.contains('\u{1b}') || text.contains('\u{9b}')
    };
    // From the server.
    let w = World::new(MockConfig::with_task_fault(Fault::TaskId(EVIL.into())));
    w.live_agent("agent-evil");
    for args in [vec!["register"], vec!["status"], vec!["register", "--json"]] {
        let (out, _) = w.run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(
            !raw(&out),
            "{args:?}: {:?}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let (out, _) = w.run(&["register"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("task \\u{1b}c\\u{1b}[…"),
        "shown escaped: {}",
        String::from_utf8_lossy(&out.stdout)
    );

    // Stored in a record-form identity.
    let key = AgentKey::generate();
    let mut doc = fixtures::chatgpt_doc(&ChatgptSpec::default());
    doc.set(
        "agent_identity",
        &json!({
            "agent_runtime_id": "agent-rec", "agent_private_key": key.to_pkcs8_v2_base64().expose(),
            "account_id": "acct-1", "chatgpt_user_id": "user-1", "email": "a@example.com",
            "plan_type": "pro", "chatgpt_account_is_fedramp": false, "task_id": EVIL,
        }),
    );
    doc.set_auth_mode("agentIdentity");
    std::fs::write(w.auth_json(), doc.as_bytes()).unwrap();
    for args in [
        vec!["register"],
        vec!["status"],
        vec!["status", "--format", "short"],
        vec!["header"],
        vec!["header", "--format", "http"],
    ] {
        let (out, _) = w.run(&args);
        assert!(
            !raw(&out),
            "{args:?}: {:?}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

/// `register` and `provision` need the network: offline, each says so (exit 2) before an
/// account name is even resolved, so a typo in `--account` does not hide the real problem.
#[test]
fn offline_register_and_provision_say_they_need_the_network() {
    let w = World::new(MockConfig::default());
    w.live_agent("agent-offline");
    for command in ["register", "provision"] {
        let (out, _) = w.run(&[command, "--offline", "--account", "no-such-account"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "{command} needs the network, but --offline was given"
            )),
            "{command}: {stderr}"
        );
    }
    let stats = w.mock().stats();
    assert_eq!(
        (stats.jwks, stats.task_register),
        (0, 0),
        "nothing was asked"
    );
}
