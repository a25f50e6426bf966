//! `authdeck --demo`: every state of the contract, on a fresh machine, touching nothing.
//!
//! The demo builds a throw-away Codex home in a temporary directory (removed on exit, also when
//! the TUI fails), fills its store from the demo material in `assets/demo/` — API key, ChatGPT
//! Pro, a Business workspace whose access token expires in minutes, Agent Identities that are
//! healthy / flaky (503 twice) / down / record-form with a stored task, and one corrupt file —
//! starts the embedded mock backend on 127.0.0.1 with a per-identity scenario and realistic
//! latency, points the Codex URL overrides at it, and opens the normal TUI with a banner.
//!
//! Usage meters vary by account (the mock answers per ChatGPT account id, see [`usage_plan`]):
//! the Pro login has room in its 5-hour and weekly windows, the Business workspace is at its
//! limit (so `b` visibly skips it), and the record-form agent's login has credits and an
//! additional per-feature limit. config.toml's `chatgpt_base_url` points at the mock. The demo
//! session asks for every account's usage at the start (a real session asks only for the live
//! one), so the list's headroom column fills in within a second, without `U`.
//!
//! Everything here is fake: unsigned ChatGPT tokens, demo Ed25519 seeds and a demo RSA key that
//! real Codex never trusts (see `assets/demo/README.md`).

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use color_eyre::eyre;

use crate::codex::agent_identity::{AgentFacts, record_value};
use crate::codex::agent_key::AgentKey;
use crate::codex::auth_file::AuthDoc;
use crate::codex::claims::Plan;
use crate::codex::fixtures::{self, ChatgptSpec};
use crate::codex::urls::{AUTHAPI_BASE_VAR, JWKS_BASE_VAR};
use crate::mock_backend::{
    AgentJwtSpec, Fault, MockBackend, MockConfig, UsageScenario, mint_agent_jwt,
};
use crate::ops::{Ctx, OpError, TuiArgs};
use crate::secret::Secret;
use crate::store::write_atomic;

/// The demo agents' keys and scenarios (`assets/demo/demo-agents.json`).
pub const DEMO_AGENTS_JSON: &str = include_str!("../../assets/demo/demo-agents.json");

/// One demo agent.
#[derive(Debug, Clone, Deserialize)]
pub struct DemoAgent {
    pub account: String,
    pub runtime_id: String,
    pub scenario: String,
    pub description: String,
    seed_hex: String,
}

impl DemoAgent {
    /// The agent's key, from its published demo seed.
    pub fn key(&self) -> Option<AgentKey> {
        let mut seed = [0u8; 32];
        hex::decode_to_slice(&self.seed_hex, &mut seed).ok()?;
        Some(AgentKey::from_seed(seed))
    }
}

#[derive(Deserialize)]
struct DemoAgents {
    agents: Vec<DemoAgent>,
}

/// The demo agents shipped in `assets/demo/`.
pub fn demo_agents() -> Vec<DemoAgent> {
    serde_json::from_str::<DemoAgents>(DEMO_AGENTS_JSON)
        .map(|d| d.agents)
        .unwrap_or_default()
}

fn fault_for(scenario: &str) -> Fault {
    match scenario {
        "flaky" => Fault::FailFirst { n: 2, status: 503 },
        "down" => Fault::Status(503),
        _ => Fault::Ok,
    }
}

/// The mock configuration for the demo: each agent's scenario, with a realistic latency.
pub fn mock_config(agents: &[DemoAgent]) -> MockConfig {
    MockConfig {
        per_runtime: agents
            .iter()
            .map(|a| (a.runtime_id.clone(), fault_for(&a.scenario)))
            .collect::<HashMap<_, _>>(),
        latency: Duration::from_millis(350),
        ..MockConfig::default()
    }
}

fn doc_err(e: impl std::fmt::Display) -> OpError {
    OpError::new(format!("could not build the demo: {e}"))
}

/// The demo accounts: `(name, document bytes)`, plus the one corrupt file.
pub fn demo_documents(
    agents: &[DemoAgent],
    now_unix: i64,
) -> Result<Vec<(String, Vec<u8>)>, OpError> {
    let mut docs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut put =
        |name: &str, doc: &AuthDoc| docs.push((name.to_string(), doc.as_bytes().to_vec()));
    put(
        "api-key",
        &fixtures::api_key_doc("sk-demo-0000000000000000DEMO1"),
    );
    let pro = ChatgptSpec {
        email: "alice@example.com",
        user_id: "user-alice",
        account_id: "account-alice",
        plan: "pro",
        access_exp: now_unix + 9 * 86_400,
        ..ChatgptSpec::default()
    };
    put("chatgpt-pro", &fixtures::chatgpt_doc(&pro));
    let business = ChatgptSpec {
        email: "bob@acme.example",
        user_id: "user-bob",
        account_id: "workspace-acme",
        plan: "business",
        access_exp: now_unix + 4 * 60,
        ..ChatgptSpec::default()
    };
    put("business-acme", &fixtures::chatgpt_doc(&business));
    for agent in agents {
        let key = agent
            .key()
            .ok_or_else(|| doc_err(format!("bad demo seed for {}", agent.account)))?;
        if agent.account == "agent-record" {
            let mut doc = fixtures::chatgpt_doc(&ChatgptSpec {
                email: "carol@example.com",
                user_id: "user-carol",
                account_id: "account-carol",
                plan: "plus",
                access_exp: now_unix + 5 * 86_400,
                ..ChatgptSpec::default()
            });
            let facts = AgentFacts {
                runtime_id: agent.runtime_id.clone(),
                private_key: key.to_pkcs8_v2_base64(),
                account_id: Some("account-carol".into()),
                chatgpt_user_id: Some("user-carol".into()),
                email: Some("carol@example.com".into()),
                plan: Some(Plan::parse("plus")),
                fedramp: false,
            };
            doc.set(
                "agent_identity",
                &record_value(&facts, Some(&Secret::new("task-demo-record-0001"))),
            );
            doc.set_auth_mode("agentIdentity");
            put(&agent.account, &doc);
        } else {
            let mut spec = AgentJwtSpec::demo(&agent.runtime_id, key, now_unix);
            spec.email = Some(format!("{}@example.com", agent.account));
            spec.plan_type = "business".into();
            let jwt = mint_agent_jwt(&spec).map_err(doc_err)?;
            put(&agent.account, &fixtures::agent_jwt_doc(&jwt));
        }
    }
    docs.push((
        "corrupt".into(),
        b"{\n  \"auth_mode\": \"chatgpt\",\n  \"tokens\": {\n    \"id_token\": \"eyJ".to_vec(),
    ));
    Ok(docs)
}

/// The demo's usage answers, by ChatGPT account id.
pub fn usage_plan() -> Vec<(&'static str, UsageScenario)> {
    vec![
        (
            "account-alice",
            UsageScenario::FiveHourWeekly {
                primary_used: 42,
                secondary_used: 63,
            },
        ),
        // The Agent Identities' workspace: read with the live one's registered task.
        (
            "account-demo",
            UsageScenario::FiveHourWeekly {
                primary_used: 18,
                secondary_used: 35,
            },
        ),
        ("workspace-acme", UsageScenario::LimitReached),
        ("account-carol", UsageScenario::CreditsAndAdditional),
    ]
}

/// Points the demo home's `chatgpt_base_url` at the mock and scripts its usage answers.
pub fn wire_usage(home: &Path, mock: &MockBackend) -> Result<(), OpError> {
    for (account_id, scenario) in usage_plan() {
        mock.set_usage(Some(account_id), scenario);
    }
    mock.set_usage_latency(Duration::from_millis(250));
    std::fs::write(
        home.join("config.toml"),
        format!(
            "# authdeck demo home\ncli_auth_credentials_store = \"file\"\nchatgpt_base_url = \"{}/backend-api\"\n",
            mock.base_url()
        ),
    )
    .map_err(doc_err)
}

/// Writes the demo home: the store, and `live` as auth.json.
pub fn write_demo_home(home: &Path, docs: &[(String, Vec<u8>)], live: &str) -> Result<(), OpError> {
    let store = home.join("accounts");
    // Private, as authdeck keeps every store: an open demo store would greet the user with a
    // permissions warning about a directory they never made.
    std::os::unix::fs::DirBuilderExt::mode(std::fs::DirBuilder::new().recursive(true), 0o700)
        .create(&store)
        .map_err(doc_err)?;
    for (name, bytes) in docs {
        write_atomic(&store.join(format!("{name}.json")), bytes).map_err(doc_err)?;
        if name == live {
            write_atomic(&home.join("auth.json"), bytes).map_err(doc_err)?;
        }
    }
    std::fs::write(
        home.join("config.toml"),
        "# authdeck demo home\ncli_auth_credentials_store = \"file\"\n",
    )
    .map_err(doc_err)?;
    Ok(())
}

/// `authdeck --demo`.
pub fn run(ctx: &Ctx, args: &TuiArgs) -> eyre::Result<()> {
    let dir = tempfile::Builder::new()
        .prefix("authdeck-demo-")
        .tempdir()
        .map_err(|e| OpError::new(format!("could not create a temporary demo home: {e}")))?;
    let agents = demo_agents();
    let docs = demo_documents(&agents, chrono::Utc::now().timestamp())?;
    write_demo_home(dir.path(), &docs, "agent-healthy")?;

    let rt = crate::ops::tokio_runtime()?;
    let mock = rt
        .block_on(MockBackend::start(mock_config(&agents), 0))
        .map_err(|e| OpError::new(format!("could not start the demo mock backend: {e}")))?;
    for agent in &agents {
        if let Some(key) = agent.key() {
            mock.register_agent_key(&agent.runtime_id, key.public_key_bytes());
        }
    }
    wire_usage(dir.path(), &mock)?;
    let url = mock.base_url();
    let mut demo_ctx = ctx.clone();
    demo_ctx.codex_home = Some(dir.path().to_path_buf());
    demo_ctx.store = Some(dir.path().join("accounts"));
    for var in [
        "CODEX_ACCESS_TOKEN",
        "CODEX_AGENT_IDENTITY",
        "AUTHDECK_STORE",
        "CODEX_HOME",
    ] {
        demo_ctx.env.remove(var);
    }
    demo_ctx.env.set(JWKS_BASE_VAR, &url);
    demo_ctx.env.set(AUTHAPI_BASE_VAR, &url);
    let banner = format!(
        "DEMO · nothing of yours is touched · mock backend {} · home {}",
        url.trim_start_matches("http://"),
        dir.path().display()
    );
    let result = super::run_with(&demo_ctx, args, Some(super::DemoSession { banner }));
    rt.block_on(mock.shutdown());
    drop(rt);
    // The TempDir removes the demo home here, whatever the TUI returned.
    drop(dir);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codex::credential::{Analysis, AuthMode};

    #[test]
    fn demo_material_covers_every_kind_of_account() {
        let agents = demo_agents();
        assert_eq!(agents.len(), 4);
        assert!(agents.iter().all(|a| a.key().is_some()));
        let docs = demo_documents(&agents, 1_790_000_000).expect("builds");
        let names: Vec<&str> = docs.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "api-key",
                "chatgpt-pro",
                "business-acme",
                "agent-healthy",
                "agent-flaky",
                "agent-down",
                "agent-record",
                "corrupt"
            ]
        );
        let analyse = |i: usize| Analysis::of_doc(&AuthDoc::parse(&docs[i].1).expect("parses"));
        assert_eq!(analyse(0).mode, AuthMode::ApiKey);
        assert_eq!(
            analyse(2)
                .material
                .chatgpt_ok()
                .and_then(|c| c.access_expires_at),
            Some(1_790_000_240)
        );
        let record = analyse(6);
        assert_eq!(record.mode, AuthMode::AgentIdentity);
        assert!(
            record
                .material
                .agent_ok()
                .and_then(|a| a.persisted_task_id())
                .is_some()
        );
        assert!(record.problem.is_none());
        assert!(
            AuthDoc::parse(&docs[7].1).is_err(),
            "the corrupt file must be corrupt"
        );
        assert_eq!(mock_config(&agents).per_runtime.len(), 4);
    }

    /// Each demo account's usage answer reports the plan its file says (or none, leaving it
    /// standing): the list and the meters name the same plan (the demo showed business-acme as Business in the list and
    /// Plus beside its meters).
    #[test]
    fn the_usage_answers_report_each_accounts_own_plan() {
        let docs = demo_documents(&demo_agents(), 1_790_000_000).expect("builds");
        for (account_id, scenario) in usage_plan() {
            let plan = docs
                .iter()
                .filter_map(|(_, bytes)| AuthDoc::parse(bytes).ok())
                .map(|doc| Analysis::of_doc(&doc).account().unwrap_or_default())
                .find(|facts| facts.account_id.as_deref() == Some(account_id))
                .and_then(|facts| facts.plan)
                .unwrap_or_else(|| panic!("a demo account has id {account_id} and a plan"));
            if let Some(answered) = scenario.plan_type() {
                assert_eq!(Plan::parse(answered), plan, "{account_id}");
            }
        }
    }

    /// The demo home is as private as a real store, so `permission_warnings` has nothing to say
    /// about it (0.1.0 + the permissions check greeted every demo with a warning).
    #[test]
    fn the_demo_home_is_private() {
        let dir = tempfile::tempdir().expect("tempdir");
        let docs = demo_documents(&demo_agents(), 1_790_000_000).expect("builds");
        write_demo_home(dir.path(), &docs, "agent-healthy").expect("writes");
        let paths = crate::store::Paths::in_codex_home(dir.path());
        assert_eq!(
            crate::store::permission_warnings(&paths, true),
            Vec::<String>::new()
        );
    }
}
