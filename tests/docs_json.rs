//! `docs/json.md` tells the truth: every example block parses, and has exactly the fields (at
//! every level) that the real command prints. A field added to an output without documenting it,
//! or documented but gone, fails here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use authdeck::codex::agent_key::AgentKey;
use authdeck::codex::fixtures::{self, ChatgptSpec};
use authdeck::mock_backend::{AgentJwtSpec, Fault, MockBackend, MockConfig, mint_agent_jwt};
use serde_json::Value;

/// `(shape name, example)` for every `<!-- shape: NAME -->` + json block.
fn examples() -> Vec<(String, Value)> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json.md")).unwrap();
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("<!-- shape: ") {
        rest = &rest[i + 12..];
        let name = rest[..rest.find(" -->").unwrap()].to_string();
        let start = rest.find("```json\n").unwrap() + 8;
        let end = start + rest[start..].find("```").unwrap();
        let v: Value = serde_json::from_str(&rest[start..end])
            .unwrap_or_else(|e| panic!("docs/json.md example {name} does not parse: {e}"));
        out.push((name, v));
        rest = &rest[end..];
    }
    out
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Same fields at every level where both sides are objects (arrays: their first elements).
fn same_shape(doc: &Value, real: &Value, path: &str) {
    match (doc, real) {
        (Value::Object(d), Value::Object(r)) => {
            assert_eq!(keys(doc), keys(real), "fields differ at {path}");
            for (k, dv) in d {
                same_shape(dv, &r[k], &format!("{path}.{k}"));
            }
        }
        (Value::Array(d), Value::Array(r)) => {
            if let (Some(d0), Some(r0)) = (d.first(), r.first()) {
                same_shape(d0, r0, &format!("{path}[0]"));
            }
        }
        _ => {}
    }
}

struct Home {
    dir: tempfile::TempDir,
    url: String,
}

impl Home {
    fn run(&self, args: &[&str], stdin: Option<&str>) -> String {
        let env = [
            ("HOME", self.dir.path().join("h").into_os_string()),
            ("CODEX_HOME", self.dir.path().join("c").into_os_string()),
            (
                "CODEX_AGENT_IDENTITY_JWKS_BASE_URL",
                self.url.clone().into(),
            ),
            (
                "CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL",
                self.url.clone().into(),
            ),
        ];
        let out = common::output_with_stdin(common::authdeck(args, env), stdin);
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str], stdin: Option<&str>) -> Value {
        let out = self.run(args, stdin);
        serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}): {out}"))
    }
}

#[test]
fn every_documented_example_matches_the_real_output() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mock = rt
        .block_on(MockBackend::start(
            MockConfig::with_task_fault(Fault::FailFirst { n: 1, status: 503 }),
            0,
        ))
        .unwrap();
    let down = AgentKey::generate();
    mock.register_agent_key("agent-down", down.public_key_bytes());
    mock.set_fault(Some("agent-down"), Fault::Status(503));
    let h = Home {
        dir: tempfile::tempdir().unwrap(),
        url: mock.base_url(),
    };
    let codex = h.dir.path().join("c");
    std::fs::create_dir_all(codex.join("accounts")).unwrap();
    let jwt = mint_agent_jwt(&AgentJwtSpec::demo(
        "agent-down",
        down,
        chrono::Utc::now().timestamp(),
    ))
    .unwrap();
    std::fs::write(
        codex.join("auth.json"),
        fixtures::agent_jwt_doc(&jwt).as_bytes(),
    )
    .unwrap();

    let mut real: Vec<(&str, Value)> = Vec::new();
    real.push((
        "status",
        h.json(&["status", "--json", "--timeout", "1"], None),
    ));
    let reg = h.run(&["register", "--json", "--timeout", "1"], None);
    let event = reg
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| v["event"] == "attempt_failed" && v["retry_in_ms"].is_u64())
        .expect("a retried attempt");
    real.push(("register-event", event));
    let mut chatgpt = fixtures::chatgpt_doc(&ChatgptSpec::default());
    chatgpt.set(
        "OPENAI_API_KEY",
        &Value::String("sk-proj-1234567890ABCDEFGH".into()),
    );
    std::fs::write(codex.join("auth.json"), chatgpt.as_bytes()).unwrap();
    real.push(("save", h.json(&["save", "alice", "--json"], None)));
    real.push((
        "provision",
        h.json(&["provision", "--account", "alice", "--json"], None),
    ));
    real.push((
        "add",
        h.json(
            &["add", "work-key", "--api-key-stdin", "--json"],
            Some("sk-proj-1234567890ABCDEFGH"),
        ),
    ));
    std::fs::write(codex.join("accounts").join("broken.json"), "{\"a\": ").unwrap();
    real.push(("list", h.json(&["list", "--json"], None)));
    real.push(("mode", h.json(&["mode", "apikey", "--json"], None)));
    real.push(("switch", h.json(&["switch", "work", "--json"], None)));
    real.push((
        "rename",
        h.json(&["rename", "work-key", "k2", "--json"], None),
    ));
    real.push(("switch-list", h.json(&["switch", "--json"], None)));
    real.push(("remove", h.json(&["remove", "k", "--json"], None)));
    real.push(("header", h.json(&["header", "--format", "json"], None)));
    std::fs::write(
        codex.join("config.toml"),
        format!("chatgpt_base_url = \"{}/backend-api\"\n", h.url),
    )
    .unwrap();
    real.push(("usage", h.json(&["usage", "--all", "--json"], None)));
    real.push((
        "switch-best",
        h.json(&["switch", "--best", "--dry-run", "--json"], None),
    ));
    rt.block_on(mock.shutdown());

    let docs = examples();
    let documented: BTreeSet<&str> = docs.iter().map(|(n, _)| n.as_str()).collect();
    let produced: BTreeSet<&str> = real.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        documented, produced,
        "every example is checked, every output documented"
    );
    for (name, doc) in &docs {
        let (_, actual) = real.iter().find(|(n, _)| n == name).unwrap();
        same_shape(doc, actual, name);
        if let Some(v) = doc.get("schema_version") {
            assert_eq!(v, 1, "{name}");
        }
    }
    let status = &real[0].1;
    assert_eq!(
        status["state"], "runtime_init_failed",
        "the status example is a real failure: {status}"
    );
}
