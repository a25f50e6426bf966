//! `authdeck usage` and `authdeck switch --best` as a user runs them: the real binary, a temp
//! Codex home whose config.toml points `chatgpt_base_url` at the embedded mock backend, and one
//! usage scenario per account (chosen by its ChatGPT account id). Each test asserts the JSON,
//! the exit code, what the mock received (one request per account, with that account's own
//! token and id, none for API-key accounts) and that no token leaks into output or cache.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;
use std::process::Output;

use authdeck::codex::agent_identity::{AgentFacts, record_value};
use authdeck::codex::agent_key::AgentKey;
use authdeck::codex::claims::Plan;
use authdeck::codex::fixtures::{self, ChatgptSpec};
use authdeck::mock_backend::{MockBackend, MockConfig, UsageScenario};
use authdeck::secret::Secret;
use serde_json::Value;
use tempfile::TempDir;

struct World {
    rt: tokio::runtime::Runtime,
    mock: Option<MockBackend>,
    dir: TempDir,
}

impl World {
    fn new() -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let mock = rt
            .block_on(MockBackend::start(MockConfig::default(), 0))
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        std::fs::create_dir_all(dir.path().join("codex/accounts")).unwrap();
        let w = Self {
            rt,
            mock: Some(mock),
            dir,
        };
        w.set_base(&format!("{}/backend-api", w.mock().base_url()));
        w
    }

    fn mock(&self) -> &MockBackend {
        self.mock.as_ref().unwrap()
    }

    fn codex_home(&self) -> PathBuf {
        self.dir.path().join("codex")
    }

    fn set_base(&self, base: &str) {
        std::fs::write(
            self.codex_home().join("config.toml"),
            format!("chatgpt_base_url = \"{base}\"\n"),
        )
        .unwrap();
    }

    /// Saves a ChatGPT account `name` (account id `acct-<name>`) answering `scenario`.
    fn account(&self, name: &str, scenario: Option<UsageScenario>) -> Vec<u8> {
        let email = format!("{name}@example.com");
        let account_id = format!("acct-{name}");
        let user_id = format!("user-{name}");
        let doc = fixtures::chatgpt_doc(&ChatgptSpec {
            email: &email,
            account_id: &account_id,
            user_id: &user_id,
            fedramp: name.starts_with("fed"),
            ..ChatgptSpec::default()
        });
        let path = self.codex_home().join(format!("accounts/{name}.json"));
        std::fs::write(&path, doc.as_bytes()).unwrap();
        if let Some(s) = scenario {
            self.mock().set_usage(Some(&account_id), s);
        }
        doc.as_bytes().to_vec()
    }

    fn api_key_account(&self, name: &str) {
        let doc = fixtures::api_key_doc("sk-test-usage-0123456789abcdef");
        let path = self.codex_home().join(format!("accounts/{name}.json"));
        std::fs::write(path, doc.as_bytes()).unwrap();
    }

    fn make_live(&self, bytes: &[u8]) {
        std::fs::write(self.codex_home().join("auth.json"), bytes).unwrap();
    }

    fn live(&self) -> Vec<u8> {
        std::fs::read(self.codex_home().join("auth.json")).unwrap_or_default()
    }

    fn run(&self, args: &[&str]) -> Output {
        let env: Vec<(String, std::ffi::OsString)> = vec![
            ("PATH".into(), std::env::var_os("PATH").unwrap_or_default()),
            ("HOME".into(), self.dir.path().join("home").into_os_string()),
            ("CODEX_HOME".into(), self.codex_home().into_os_string()),
        ];
        common::authdeck(args, env).output().unwrap()
    }

    fn json(&self, args: &[&str]) -> (Value, i32) {
        let out = self.run(args);
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?} must print JSON ({e}): {stdout} / {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (v, out.status.code().unwrap())
    }

    /// The usage entry of `name`.
    fn entry<'a>(v: &'a Value, name: &str) -> &'a Value {
        v["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .unwrap_or_else(|| panic!("{name} missing from {v}"))
    }

    fn cache_files(&self) -> Vec<String> {
        let dir = self.codex_home().join("accounts/.authdeck/usage");
        std::fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .map(|e| std::fs::read_to_string(e.path()).unwrap())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for World {
    fn drop(&mut self) {
        if let Some(m) = self.mock.take() {
            self.rt.block_on(m.shutdown());
        }
    }
}

fn labels(entry: &Value) -> Vec<String> {
    entry["windows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_scenario_and_error_kind_side_by_side() {
    let w = World::new();
    let live = w.account("alice", UsageScenario::named("5h-weekly"));
    w.make_live(&live);
    w.account("bob", UsageScenario::named("weekly-only"));
    w.account("carol", UsageScenario::named("monthly"));
    w.account("dave", UsageScenario::named("limit-reached"));
    w.account("erin", UsageScenario::named("credits"));
    w.account("frank", UsageScenario::named("unauthorized"));
    w.account("gina", UsageScenario::named("rate-limited"));
    w.account("hank", UsageScenario::named("garbage"));
    w.api_key_account("keys");

    let (v, code) = w.json(&["usage", "--all", "--json"]);
    assert_eq!(code, 1, "some accounts failed: {v}");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["accounts"].as_array().unwrap().len(), 9);

    let alice_v = World::entry(&v, "alice");
    assert_eq!(alice_v["status"], "ok");
    assert_eq!(alice_v["active"], true);
    assert_eq!(alice_v["email"], "alice@example.com");
    assert_eq!(alice_v["plan"], "Pro");
    assert_eq!(labels(alice_v), ["5h", "weekly"]);
    assert_eq!(alice_v["windows"][0]["used_percent"], 42.0);
    assert_eq!(alice_v["windows"][0]["remaining_percent"], 58.0);
    assert_eq!(alice_v["windows"][0]["window_seconds"], 18000);
    assert_eq!(alice_v["headroom_percent"], 37.0);
    assert!(alice_v["fetched_at"].as_str().unwrap().ends_with('Z'));
    assert!(
        alice_v["windows"][0]["resets_at"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    assert_eq!(alice_v["error"], Value::Null);

    let bob_v = World::entry(&v, "bob");
    assert_eq!(
        labels(bob_v),
        ["weekly"],
        "a weekly window in the primary slot"
    );
    assert_eq!(bob_v["windows"][0]["source"], "primary");
    assert_eq!(labels(World::entry(&v, "carol")), ["monthly"]);

    let dave_v = World::entry(&v, "dave");
    assert_eq!(dave_v["limit_reached"], true);
    assert_eq!(dave_v["allowed"], false);
    assert_eq!(dave_v["reached_kind"], "rate_limit_reached");
    assert_eq!(dave_v["headroom_percent"], 0.0);

    let erin_v = World::entry(&v, "erin");
    assert_eq!(erin_v["credits"]["balance"], "12.5");
    assert_eq!(erin_v["credits"]["has_credits"], true);
    assert_eq!(labels(erin_v), ["5h", "weekly", "1d"]);
    assert_eq!(erin_v["windows"][2]["source"], "codex-review");
    assert_eq!(
        erin_v["headroom_percent"], 70.0,
        "additional limits stay out of headroom"
    );

    let frank_v = World::entry(&v, "frank");
    assert_eq!(frank_v["status"], "error");
    assert_eq!(frank_v["error"]["kind"], "unauthorized");
    assert_eq!(frank_v["error"]["http_status"], 401);

    let gina_v = World::entry(&v, "gina");
    assert_eq!(gina_v["error"]["kind"], "rate_limited");
    assert_eq!(gina_v["error"]["retry_after_seconds"], 30);

    let hank_v = World::entry(&v, "hank");
    assert_eq!(hank_v["error"]["kind"], "bad_response");

    let keys_v = World::entry(&v, "keys");
    assert_eq!(keys_v["status"], "not_applicable");
    assert_eq!(keys_v["windows"], Value::Array(vec![]));

    // One request per ChatGPT account, each with its own token and account id; none for the key.
    let reqs = w.mock().usage_requests();
    assert_eq!(reqs.len(), 8, "{reqs:?}");
    for name in [
        "alice", "bob", "carol", "dave", "erin", "frank", "gina", "hank",
    ] {
        let id = format!("acct-{name}");
        let mine: Vec<_> = reqs
            .iter()
            .filter(|r| r.account_id.as_deref() == Some(id.as_str()))
            .collect();
        assert_eq!(mine.len(), 1, "{name}");
        let doc: Value = serde_json::from_slice(
            &std::fs::read(w.codex_home().join(format!("accounts/{name}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(
            mine[0].bearer.as_deref(),
            doc["tokens"]["access_token"].as_str(),
            "{name} used its own token"
        );
        assert_eq!(mine[0].path, "/backend-api/wham/usage");
        assert!(
            mine[0]
                .user_agent
                .as_deref()
                .unwrap()
                .starts_with("authdeck/")
        );
    }

    // No secret in the output or the cache; nothing written to any credential.
    let text = w.run(&["usage", "--all"]);
    let human = String::from_utf8_lossy(&text.stdout);
    for doc_name in ["alice", "bob"] {
        let doc: Value = serde_json::from_slice(
            &std::fs::read(w.codex_home().join(format!("accounts/{doc_name}.json"))).unwrap(),
        )
        .unwrap();
        let token = doc["tokens"]["access_token"].as_str().unwrap();
        let refresh = doc["tokens"]["refresh_token"].as_str().unwrap();
        assert!(!v.to_string().contains(token));
        assert!(!human.contains(token));
        for c in w.cache_files() {
            assert!(!c.contains(token) && !c.contains(refresh));
        }
    }
    assert_eq!(w.live(), live, "auth.json untouched");
    assert!(
        human.contains("token expired or rejected — not refreshed"),
        "{human}"
    );
    assert!(human.contains("limit reached — resets in"), "{human}");
    assert!(human.contains("not applicable"), "{human}");
}

#[test]
fn live_account_exits_zero_and_shows_bars() {
    let w = World::new();
    let live = w.account("alice", None);
    w.make_live(&live);
    let out = w.run(&["usage"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("alice (live)  alice@example.com · Pro"),
        "{text}"
    );
    assert!(text.contains("5h") && text.contains("weekly"), "{text}");
    assert!(
        text.contains("42% used") && text.contains("resets in 2h 13m"),
        "{text}"
    );
    assert!(text.contains("headroom: 37%"), "{text}");
    assert!(text.contains('█'), "{text}");
}

#[test]
fn unsaved_live_credential_is_listed_without_a_name() {
    let w = World::new();
    let doc = fixtures::chatgpt_doc(&ChatgptSpec::default());
    w.make_live(doc.as_bytes());
    let (v, code) = w.json(&["usage", "--json"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["accounts"][0]["name"], Value::Null);
    assert_eq!(v["accounts"][0]["active"], true);
}

#[test]
fn signed_out_and_unknown_names_are_clear_errors() {
    let w = World::new();
    let out = w.run(&["usage"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("signed out"));
    std::fs::write(w.codex_home().join("auth.json"), b"{not json").unwrap();
    let out = w.run(&["usage"]);
    assert_eq!(
        out.status.code(),
        Some(5),
        "an unusable live file is an invalid credential"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used"));
    let out = w.run(&["usage", "nobody"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no account"));
    assert!(w.mock().usage_requests().is_empty());
}

#[test]
fn api_key_only_is_not_applicable_exit_zero_and_no_request() {
    let w = World::new();
    w.api_key_account("keys");
    let (v, code) = w.json(&["usage", "keys", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(v["accounts"][0]["status"], "not_applicable");
    assert!(w.mock().usage_requests().is_empty());
}

#[test]
fn hung_account_times_out_without_holding_up_the_others() {
    let w = World::new();
    w.account("stuck", Some(UsageScenario::Hang));
    w.account("fine", None);
    let (v, code) = w.json(&["usage", "--all", "--json", "--timeout", "1"]);
    assert_eq!(code, 1);
    assert_eq!(World::entry(&v, "stuck")["error"]["kind"], "timeout");
    assert_eq!(World::entry(&v, "fine")["status"], "ok");
}

#[test]
fn offline_serves_the_cache_with_its_age_and_makes_no_request() {
    let w = World::new();
    w.account("alice", None);
    w.account("bob", None);
    let (first, code) = w.json(&["usage", "alice", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(w.mock().usage_requests().len(), 1);
    let (v, code) = w.json(&["usage", "--all", "--json", "--offline"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(w.mock().usage_requests().len(), 1, "offline: no request");
    let a = World::entry(&v, "alice");
    assert_eq!(a["status"], "cached");
    assert_eq!(a["fetched_at"], first["accounts"][0]["fetched_at"]);
    assert_eq!(a["headroom_percent"], 37.0);
    let b = World::entry(&v, "bob");
    assert_eq!(b["status"], "cached");
    assert_eq!(b["fetched_at"], Value::Null);
    let out = w.run(&["usage", "--all", "--offline"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("cached figures from just now"), "{text}");
    assert!(text.contains("no cached figures yet"), "{text}");
}

#[test]
fn retry_after_is_honoured_and_the_cache_is_served_meanwhile() {
    let w = World::new();
    w.account("alice", None);
    assert_eq!(w.json(&["usage", "alice", "--json"]).1, 0);
    w.mock().set_usage(
        Some("acct-alice"),
        UsageScenario::RateLimited { retry_after: 600 },
    );
    let (v, code) = w.json(&["usage", "alice", "--json"]);
    assert_eq!(code, 0, "served from the cache: {v}");
    let a = &v["accounts"][0];
    assert_eq!(a["status"], "cached");
    assert_eq!(a["error"]["kind"], "rate_limited");
    assert_eq!(a["error"]["retry_after_seconds"], 600);
    assert_eq!(w.mock().usage_requests().len(), 2);
    // Until Retry-After passes, no request at all.
    let (v, _) = w.json(&["usage", "alice", "--json"]);
    assert_eq!(
        w.mock().usage_requests().len(),
        2,
        "no request before Retry-After"
    );
    assert_eq!(v["accounts"][0]["status"], "cached");
    assert!(
        v["accounts"][0]["error"]["retry_after_seconds"]
            .as_u64()
            .unwrap()
            <= 600
    );
    let text = String::from_utf8_lossy(&w.run(&["usage", "alice"]).stdout).to_string();
    assert!(text.contains("note: rate limited, retry in"), "{text}");

    // Without a cache, a 429 is an error.
    w.account("bob", Some(UsageScenario::RateLimited { retry_after: 30 }));
    let (v, code) = w.json(&["usage", "bob", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(v["accounts"][0]["status"], "error");
}

#[test]
fn a_plain_http_base_is_refused_before_any_request() {
    let w = World::new();
    w.set_base("http://example.com/backend-api");
    w.account("alice", None);
    let (v, code) = w.json(&["usage", "alice", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(v["accounts"][0]["error"]["kind"], "refused_url");
    assert!(
        v["accounts"][0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("chatgpt_base_url")
    );
    assert!(w.mock().usage_requests().is_empty());
}

#[test]
fn a_base_without_backend_api_uses_the_codex_path_and_fedramp_is_sent() {
    let w = World::new();
    w.set_base(&w.mock().base_url());
    w.account("fedsam", None);
    let (_, code) = w.json(&["usage", "fedsam", "--json"]);
    assert_eq!(code, 0);
    let reqs = w.mock().usage_requests();
    assert_eq!(reqs[0].path, "/api/codex/usage");
    assert!(reqs[0].fedramp);
}

#[test]
fn switch_best_picks_the_most_room_and_switches_like_switch() {
    let w = World::new();
    let live = w.account(
        "low",
        Some(UsageScenario::FiveHourWeekly {
            primary_used: 90,
            secondary_used: 10,
        }),
    );
    w.make_live(&live);
    let roomy = w.account(
        "roomy",
        Some(UsageScenario::FiveHourWeekly {
            primary_used: 5,
            secondary_used: 20,
        }),
    );
    w.account("full", UsageScenario::named("limit-reached"));
    w.account("expired", UsageScenario::named("unauthorized"));
    w.api_key_account("keys");

    let (v, code) = w.json(&["switch", "--best", "--dry-run", "--json"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["picked"], "roomy");
    assert_eq!(v["switched"], false);
    assert_eq!(v["next_reset"], Value::Null);
    let cands = v["candidates"].as_array().unwrap();
    assert_eq!(cands.len(), 5);
    let by = |n: &str| cands.iter().find(|c| c["name"] == n).unwrap().clone();
    assert_eq!(by("roomy")["headroom_percent"], 80.0);
    assert_eq!(by("full")["headroom_percent"], 0.0);
    assert!(
        by("expired")["skipped"]
            .as_str()
            .unwrap()
            .contains("not refreshed")
    );
    assert!(
        by("keys")["skipped"]
            .as_str()
            .unwrap()
            .contains("not applicable")
    );
    assert_eq!(w.live(), live, "--dry-run changes nothing");
    let requests = w.mock().usage_requests().len();

    let out = w.run(&["switch", "--best"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("picked \"roomy\" (most headroom: 80%)"),
        "{text}"
    );
    assert!(
        text.contains("switched to \"roomy\" (from \"low\")"),
        "{text}"
    );
    assert_eq!(w.live(), roomy);
    assert!(
        w.codex_home().join("accounts/.backups").is_dir(),
        "backed up like switch NAME"
    );
    // Figures younger than 60 s were reused; only the failed accounts were asked again.
    assert_eq!(w.mock().usage_requests().len(), requests + 1);
}

#[test]
fn switch_best_exits_6_when_no_account_has_room() {
    let w = World::new();
    let live = w.account("a", UsageScenario::named("limit-reached"));
    w.make_live(&live);
    w.account("b", UsageScenario::named("limit-reached"));
    let out = w.run(&["switch", "--best"]);
    assert_eq!(out.status.code(), Some(6));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("all accounts are at their limit; the first to reset is a, in 41m"),
        "{err}"
    );
    assert_eq!(w.live(), live);
    let (v, code) = w.json(&["switch", "--best", "--json"]);
    assert_eq!(code, 6);
    assert_eq!(v["picked"], Value::Null);
    assert_eq!(v["switched"], false);
    assert!(v["next_reset"].as_str().unwrap().ends_with('Z'));
    assert_eq!(w.live(), live);
}

#[test]
fn network_failures_and_broken_files_are_per_account_errors_and_nothing_is_written() {
    let w = World::new();
    // A port that was just free: nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    w.set_base(&format!("http://{closed}/backend-api"));
    let alice = w.account("alice", None);
    w.make_live(&alice);
    std::fs::write(w.codex_home().join("accounts/broken.json"), b"{\"a\": ").unwrap();
    let before: Vec<(String, Vec<u8>)> = ["alice", "broken"]
        .iter()
        .map(|n| {
            let p = w.codex_home().join(format!("accounts/{n}.json"));
            ((*n).to_string(), std::fs::read(p).unwrap())
        })
        .collect();
    let (v, code) = w.json(&["usage", "--all", "--json", "--timeout", "5"]);
    assert_eq!(code, 1);
    let alice_v = World::entry(&v, "alice");
    assert_eq!(alice_v["error"]["kind"], "network", "{v}");
    assert_eq!(alice_v["error"]["http_status"], Value::Null);
    let broken_v = World::entry(&v, "broken");
    assert_eq!(broken_v["error"]["kind"], "invalid_credential");
    // Never a refresh, never a write to a credential.
    for (name, bytes) in before {
        let p = w.codex_home().join(format!("accounts/{name}.json"));
        assert_eq!(std::fs::read(p).unwrap(), bytes, "{name} untouched");
    }
    assert_eq!(w.live(), alice);
}

#[test]
fn switch_best_keeps_the_live_account_on_a_full_tie() {
    let w = World::new();
    let live = w.account("zed", None);
    w.make_live(&live);
    w.account("amy", None);
    let out = w.run(&["switch", "--best"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("\"zed\" is live and has the most room"),
        "{text}"
    );
    assert_eq!(w.live(), live);
    let (v, code) = w.json(&["switch", "--best", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(v["picked"], "zed");
    assert_eq!(v["switched"], false);
}

#[test]
fn usage_names_follow_the_switch_naming_rules() {
    let w = World::new();
    w.api_key_account("keys-main");
    w.api_key_account("keys-spare");
    // A unique prefix picks its account, and says so on stderr.
    let out = w.run(&["usage", "keys-m", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["accounts"][0]["name"], "keys-main");
    // An ambiguous prefix is a usage error naming the candidates; nothing is asked.
    let out = w.run(&["usage", "keys"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("keys-main") && err.contains("keys-spare"),
        "{err}"
    );
    // A typo gets a suggestion.
    let out = w.run(&["usage", "keys-mian"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean"));
    assert!(w.mock().usage_requests().is_empty());
}

/// Saves an Agent Identity record with no ChatGPT login beside it, its task stored or not.
fn agent_record(w: &World, name: &str, key: &AgentKey, runtime_id: &str, task: Option<&str>) {
    let facts = AgentFacts {
        runtime_id: runtime_id.into(),
        private_key: key.to_pkcs8_v2_base64(),
        account_id: Some("acct-agent".into()),
        chatgpt_user_id: Some(format!("user-{name}")),
        email: Some(format!("{name}@example.com")),
        plan: Some(Plan::parse("team")),
        fedramp: false,
    };
    let task = task.map(Secret::new);
    let doc = serde_json::json!({
        "auth_mode": "agentIdentity",
        "agent_identity": record_value(&facts, task.as_ref()),
    });
    let path = w.codex_home().join(format!("accounts/{name}.json"));
    std::fs::write(path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
}

/// An Agent Identity without a ChatGPT login reads its usage with an AgentAssertion for the
/// task stored in its record (signed by its own key; the mock verifies the signature), is not
/// applicable without a task — usage never registers one — and an assertion signed by a key
/// the backend does not hold for that runtime is refused like an expired token.
#[test]
fn an_agent_identity_asks_with_its_stored_task_and_never_registers_one() {
    let w = World::new();
    let key = AgentKey::generate();
    w.mock()
        .register_agent_key("rt-usage", key.public_key_bytes());
    w.mock()
        .set_usage(Some("acct-agent"), UsageScenario::named("monthly").unwrap());
    agent_record(&w, "stored", &key, "rt-usage", Some("task-stored-1"));
    agent_record(&w, "notask", &key, "rt-usage", None);
    agent_record(
        &w,
        "forger",
        &AgentKey::generate(),
        "rt-usage",
        Some("task-3"),
    );
    agent_record(
        &w,
        "stranger",
        &AgentKey::generate(),
        "rt-stranger",
        Some("task-2"),
    );

    let (v, code) = w.json(&["usage", "stored", "notask", "forger", "stranger", "--json"]);
    assert_eq!(code, 1, "the stranger failed: {v}");
    let stored = World::entry(&v, "stored");
    assert_eq!(stored["status"], "ok", "{v}");
    assert_eq!(labels(stored), ["monthly"]);
    let notask = World::entry(&v, "notask");
    assert_eq!(notask["status"], "not_applicable", "{v}");
    assert!(
        notask["note"]
            .as_str()
            .unwrap()
            .contains("never registers one"),
        "{v}"
    );
    for refused in ["forger", "stranger"] {
        let e = World::entry(&v, refused);
        assert_eq!(e["status"], "error", "{refused}: {v}");
        assert_eq!(e["error"]["kind"], "unauthorized", "{refused}: {v}");
        let message = e["error"]["message"].as_str().unwrap();
        assert!(message.starts_with("AgentAssertion rejected"), "{message}");
    }

    let requests = w.mock().usage_requests();
    assert_eq!(requests.len(), 3, "all but notask asked: {requests:?}");
    let verified: Vec<_> = requests
        .iter()
        .filter_map(|r| r.agent_runtime_id.as_deref())
        .collect();
    assert_eq!(verified, ["rt-usage"]);
    assert!(requests.iter().all(|r| r.bearer.is_none()));
    assert!(
        requests
            .iter()
            .all(|r| r.account_id.as_deref() == Some("acct-agent"))
    );
    let stats = w.mock().stats();
    assert_eq!(
        (stats.task_register, stats.jwks),
        (0, 0),
        "reading usage registers nothing and verifies nothing"
    );
    let text = String::from_utf8_lossy(&w.run(&["usage", "stored"]).stdout).to_string();
    assert!(!text.contains("task-stored-1"), "{text}");
    let text = String::from_utf8_lossy(&w.run(&["usage", "forger"]).stdout).to_string();
    assert!(
        text.contains("error: AgentAssertion rejected (the task may no longer be valid)"),
        "the refusal names what was refused: {text}"
    );
}
