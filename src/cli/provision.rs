//! `authdeck provision`: turn a ChatGPT login into an Agent Identity, the way Codex does
//! (docs/codex-formats.md §4.6).
//!
//! Generate an Ed25519 key → register the agent with the ChatGPT bearer → register a task →
//! store the record (form b) beside the tokens. Nothing is written unless every network step
//! succeeded, and the write happens under the store lock after checking that the file is still
//! byte-for-byte what provisioning started from — a `codex login` in another terminal meanwhile
//! aborts the write instead of being overwritten. Every other member of the document is kept
//! exactly (lossless `AuthDoc::set`), and `auth_mode` is left alone: the user opts in with
//! `authdeck mode agentIdentity`.
//!
//! With `--json` the progress lines are left out and one JSON object reports the result
//! (docs/json.md); errors stay on stderr.

use std::io::Write as _;

use serde_json::json;

use super::status::{event_line, load};
use super::{CliError, CliResult, Ctx, Exit};
use crate::codex::agent_identity::{AgentFacts, AgentIdentity, record_value};
use crate::codex::agent_key::AgentKey;
use crate::codex::auth_file::AuthDoc;
use crate::report::SourceReport;
use crate::runtime::driver::{RetryPolicy, backend_for_home, register_task};
use crate::sanitize::clean;
use crate::store;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  authdeck provision                 # the live ChatGPT login\n  authdeck provision --account work\n  authdeck mode agentIdentity        # then use it"
)]
pub struct ProvisionArgs {
    /// Provision the stored account NAME instead of the live auth.json
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
    /// Replace an agent identity the document already holds
    #[arg(long)]
    pub force: bool,
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// `authdeck provision`.
pub fn provision(ctx: &Ctx, args: &ProvisionArgs) -> CliResult {
    if ctx.offline {
        return Err(
            CliError::new("provision needs the network, but --offline was given").exit(Exit::Usage),
        );
    }
    let loaded = load(ctx, args.account.as_deref())?;
    let SourceReport::File { path } = &loaded.source else {
        return Err(CliError::new("provision needs a ChatGPT login in auth.json or an account; the live credential is not a file")
            .with_hint("use --account NAME to provision a stored account"));
    };
    let path = std::path::PathBuf::from(path);
    let analysis = loaded.analysis.as_ref().ok_or_else(|| {
        CliError::new(
            loaded
                .file_problem
                .clone()
                .unwrap_or_else(|| "no credential".into()),
        )
        .exit(Exit::Invalid)
    })?;
    let login = analysis.material.chatgpt_ok().ok_or_else(|| {
        CliError::new(format!("{} holds no usable ChatGPT login", path.display()))
            .with_hint("sign in with `codex login` first")
    })?;
    if analysis.material.agent.is_some() && !args.force {
        return Err(CliError::new(format!(
            "{} already holds an agent identity",
            path.display()
        ))
        .with_hint("pass --force to replace it"));
    }
    let original = std::fs::read(&path)
        .map(zeroize::Zeroizing::new)
        .map_err(|e| CliError::new(format!("cannot read {}: {e}", path.display())))?;
    let backend = backend_for_home(&ctx.env.as_fn(), ctx.config_toml().as_deref(), ctx.timeout)
        .map_err(|e| CliError::new(e.message))?;
    let rt = super::tokio_runtime()?;
    let human = !ctx.json;
    let say = |line: &str| {
        if human {
            say(line);
        }
    };
    let key = AgentKey::generate();
    say(&format!("generated an Ed25519 key {}", key.fingerprint()));
    // The backend's messages already name the step ("agent registration failed: HTTP 401 …").
    let runtime_id = rt
        .block_on(backend.register_agent(&login.access_token, login.claims.fedramp, &key))
        .map_err(|e| {
            CliError::new(e.message)
                .with_hint("nothing was written")
                .exit(Exit::RuntimeInitFailed)
        })?
        .value;
    say(&format!("registered agent {}", clean(&runtime_id)));
    let sink = |ev: crate::runtime::Event| {
        if let Some(line) = event_line(&ev) {
            say(&line);
        }
    };
    let task = rt
        .block_on(register_task(&runtime_id, &key, &backend, &RetryPolicy::default(), &sink))
        .map_err(|e| {
            CliError::new(e.message)
                .with_hint(format!(
                    "nothing was written; the agent {} exists but has no task — run provision again",
                    clean(&runtime_id)
                ))
                .exit(Exit::RuntimeInitFailed)
        })?;
    let facts = AgentFacts {
        runtime_id: runtime_id.clone(),
        private_key: key.to_pkcs8_v2_base64(),
        account_id: login
            .account_id
            .clone()
            .or_else(|| login.claims.account_id.clone()),
        chatgpt_user_id: login.claims.chatgpt_user_id.clone(),
        email: login.claims.email.clone(),
        plan: login.claims.plan.clone(),
        fedramp: login.claims.fedramp,
    };
    write_record(
        ctx,
        &path,
        &original,
        &facts,
        &task.task_id,
        args.account.is_none(),
    )?;
    if ctx.json {
        super::print_json(&json!({
            "schema_version": 1,
            "provisioned": path,
            "account": args.account,
            "agent_runtime_id": runtime_id,
            "key_fingerprint": key.fingerprint(),
            "task_id_masked": task.task_id.masked(),
            "auth_mode_changed": false,
        }));
        return Ok(Exit::Ok);
    }
    say(&format!(
        "stored the agent identity (task {}) beside the ChatGPT tokens in {}",
        task.task_id.masked(),
        clean(&path.display().to_string())
    ));
    say("auth_mode is unchanged; run `authdeck mode agentIdentity` to use the agent identity");
    Ok(Exit::Ok)
}

fn write_record(
    ctx: &Ctx,
    path: &std::path::Path,
    original: &[u8],
    facts: &AgentFacts,
    task_id: &crate::secret::Secret,
    is_live: bool,
) -> Result<(), CliError> {
    let paths = ctx.paths()?;
    let lock = store::lock(&paths).map_err(CliError::from)?;
    let now = std::fs::read(path)
        .map(zeroize::Zeroizing::new)
        .map_err(|e| CliError::new(format!("cannot read {}: {e}", path.display())))?;
    if now.as_slice() != original {
        return Err(CliError::new(format!(
            "{} changed while provisioning; nothing was written",
            path.display()
        ))
        .with_hint("run provision again"));
    }
    let mut doc =
        AuthDoc::parse(&now).map_err(|e| CliError::new(format!("{}: {e}", path.display())))?;
    let mut record = record_value(facts, Some(task_id));
    doc.set("agent_identity", &record);
    crate::codex::auth_file::wipe_value(&mut record);
    // Our own record must read back as a usable identity before it replaces anything.
    let check = doc.get("agent_identity").map(AgentIdentity::from_value);
    if !matches!(check, Some(Ok(AgentIdentity::Record(_)))) {
        return Err(CliError::new(
            "internal error: the new agent record does not read back; nothing was written",
        ));
    }
    if is_live {
        let replaced =
            store::replace_live(&lock, &paths, doc.as_bytes(), &store::Options::default())
                .map_err(CliError::from)?;
        if let Some(w) = replaced.warning {
            eprintln!("warning: {}", crate::sanitize::clean(&w));
        }
    } else {
        store::write_atomic(path, doc.as_bytes()).map_err(CliError::from)?;
    }
    drop(lock);
    Ok(())
}
