//! `provision`: turn a ChatGPT login into an Agent Identity, the way Codex does
//! (docs/codex-formats.md §4.6).
//!
//! Generate an Ed25519 key → register the agent with the ChatGPT bearer → register a task →
//! store the record (form b) beside the tokens. Nothing is written unless every network step
//! succeeded, and the write happens under the store lock after checking that the file is still
//! byte-for-byte what provisioning started from — a `codex login` in another terminal meanwhile
//! aborts the write instead of being overwritten. Every other member of the document is kept
//! exactly (lossless `AuthDoc::set`), and `auth_mode` is left alone: the user opts in with
//! `mode agentIdentity`.
//!
//! The transaction lives here, not in a face: the faces get [`Progress`] as it happens and a
//! [`Provisioned`] or a typed [`ProvisionError`] at the end, and word them.

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::status::{Subject, load};
use super::{Ctx, OpError};
use crate::codex::agent_identity::{AgentFacts, AgentIdentity, record_value};
use crate::codex::agent_key::AgentKey;
use crate::codex::auth_file::AuthDoc;
use crate::codex::credential::ChatgptLogin;
use crate::runtime::Event;
use crate::runtime::driver::{RetryPolicy, backend_for_home, register_task};
use crate::runtime::report::SourceReport;
use crate::secret::Secret;
use crate::store;

/// A step that succeeded, reported as it happens.
#[derive(Debug)]
pub enum Progress<'a> {
    /// A fresh Ed25519 key; its fingerprint.
    KeyGenerated { fingerprint: &'a str },
    /// The backend registered the agent.
    AgentRegistered { runtime_id: &'a str },
    /// An event of the task registration (attempts, retries, the result).
    Task(&'a Event),
}

/// What provisioning stored.
#[derive(Debug)]
pub struct Provisioned {
    /// The file that now holds the agent record.
    pub path: PathBuf,
    pub runtime_id: String,
    pub key_fingerprint: String,
    /// The registered task id, masked.
    pub task_id_masked: String,
    /// A warning from replacing the live file (e.g. its backup could not be pruned).
    pub warning: Option<String>,
}

/// Why nothing (or, for [`ProvisionError::Task`], only the agent) was provisioned. Nothing is
/// ever written on an error.
#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    /// Provisioning needs the network.
    #[error("provision needs the network, but --offline was given")]
    Offline,
    /// The live credential is not a file (an environment token, the keyring).
    #[error("the live credential is not a file")]
    NotAFile,
    /// The file holds no usable credential; the loader's problem, if it named one.
    #[error("no credential")]
    NoCredential { problem: Option<String> },
    #[error("{} holds no usable ChatGPT login", path.display())]
    NoChatgptLogin { path: PathBuf },
    /// The document already holds an agent identity and replacing it was not asked for.
    #[error("{} already holds an agent identity", path.display())]
    AlreadyProvisioned { path: PathBuf },
    #[error("cannot read {}: {error}", path.display())]
    Read { path: PathBuf, error: String },
    /// The backend could not be set up from the Codex home.
    #[error("{0}")]
    Backend(String),
    /// Registering the agent failed (the message names the step).
    #[error("{0}")]
    Agent(String),
    /// The agent exists, but registering its task failed.
    #[error("{message}")]
    Task { runtime_id: String, message: String },
    /// The file changed while provisioning.
    #[error("{} changed while provisioning; nothing was written", path.display())]
    Changed { path: PathBuf },
    #[error("{}: {error}", path.display())]
    Parse { path: PathBuf, error: String },
    /// Our own record did not read back as a usable identity.
    #[error("internal error: the new agent record does not read back; nothing was written")]
    RecordUnreadable,
    #[error(transparent)]
    Op(#[from] OpError),
}

impl From<store::StoreError> for ProvisionError {
    fn from(e: store::StoreError) -> Self {
        Self::Op(e.into())
    }
}

/// Reads `path`, the read buffer wiped on drop.
fn read(path: &Path) -> Result<Zeroizing<Vec<u8>>, ProvisionError> {
    std::fs::read(path)
        .map(Zeroizing::new)
        .map_err(|e| ProvisionError::Read {
            path: path.to_path_buf(),
            error: e.to_string(),
        })
}

/// Provisioning needs the network. A face checks this before it resolves an account name, so
/// an offline `provision --account typo` says the one thing wrong.
pub fn allowed(ctx: &Ctx) -> Result<(), ProvisionError> {
    if ctx.offline {
        return Err(ProvisionError::Offline);
    }
    Ok(())
}

/// `provision`: the subject's ChatGPT login gets an Agent Identity. `force` replaces one the
/// document already holds.
pub fn provision(
    ctx: &Ctx,
    subject: &Subject,
    force: bool,
    progress: &(dyn Fn(Progress<'_>) + Send + Sync),
) -> Result<Provisioned, ProvisionError> {
    allowed(ctx)?;
    let loaded = load(ctx, subject)?;
    let SourceReport::File { path } = &loaded.source else {
        return Err(ProvisionError::NotAFile);
    };
    let path = PathBuf::from(path);
    let analysis = loaded
        .analysis
        .as_ref()
        .ok_or_else(|| ProvisionError::NoCredential {
            problem: loaded.file_problem.clone(),
        })?;
    let login = analysis
        .material
        .chatgpt_ok()
        .ok_or_else(|| ProvisionError::NoChatgptLogin { path: path.clone() })?;
    if analysis.material.agent.is_some() && !force {
        return Err(ProvisionError::AlreadyProvisioned { path });
    }
    let original = read(&path)?;
    let backend = backend_for_home(&ctx.env.as_fn(), ctx.config_toml().as_deref(), ctx.timeout)
        .map_err(|e| ProvisionError::Backend(e.message))?;
    let rt = super::tokio_runtime()?;
    let key = AgentKey::generate();
    let key_fingerprint = key.fingerprint();
    progress(Progress::KeyGenerated {
        fingerprint: &key_fingerprint,
    });
    let runtime_id = rt
        .block_on(backend.register_agent(&login.access_token, login.claims.fedramp, &key))
        .map_err(|e| ProvisionError::Agent(e.message))?
        .value;
    progress(Progress::AgentRegistered {
        runtime_id: &runtime_id,
    });
    let sink = |ev: Event| progress(Progress::Task(&ev));
    let task = rt
        .block_on(register_task(
            &runtime_id,
            &key,
            &backend,
            &RetryPolicy::default(),
            &sink,
        ))
        .map_err(|e| ProvisionError::Task {
            runtime_id: runtime_id.clone(),
            message: e.message,
        })?;
    let facts = facts_for(login, &runtime_id, &key);
    let warning = write_record(
        ctx,
        &path,
        &original,
        &facts,
        &task.task_id,
        subject.is_live(),
    )?;
    Ok(Provisioned {
        path,
        runtime_id,
        key_fingerprint,
        task_id_masked: task.task_id.masked(),
        warning,
    })
}

/// The facts of the agent record: the new agent and key, and who the login belongs to.
fn facts_for(login: &ChatgptLogin, runtime_id: &str, key: &AgentKey) -> AgentFacts {
    AgentFacts {
        runtime_id: runtime_id.to_string(),
        private_key: key.to_pkcs8_v2_base64(),
        account_id: login
            .account_id
            .clone()
            .or_else(|| login.claims.account_id.clone()),
        chatgpt_user_id: login.claims.chatgpt_user_id.clone(),
        email: login.claims.email.clone(),
        plan: login.claims.plan.clone(),
        fedramp: login.claims.fedramp,
    }
}

/// The read-compare-replace under the store lock: the record is written only when the file is
/// still byte-for-byte `original`. Returns the live replacement's warning, if any.
fn write_record(
    ctx: &Ctx,
    path: &Path,
    original: &[u8],
    facts: &AgentFacts,
    task_id: &Secret,
    is_live: bool,
) -> Result<Option<String>, ProvisionError> {
    let paths = ctx.paths()?;
    let lock = store::lock(&paths)?;
    let now = read(path)?;
    if now.as_slice() != original {
        return Err(ProvisionError::Changed {
            path: path.to_path_buf(),
        });
    }
    let mut doc = AuthDoc::parse(&now).map_err(|e| ProvisionError::Parse {
        path: path.to_path_buf(),
        error: e.to_string(),
    })?;
    let mut record = record_value(facts, Some(task_id));
    doc.set("agent_identity", &record);
    crate::codex::auth_file::wipe_value(&mut record);
    // Our own record must read back as a usable identity before it replaces anything.
    let check = doc.get("agent_identity").map(AgentIdentity::from_value);
    if !matches!(check, Some(Ok(AgentIdentity::Record(_)))) {
        return Err(ProvisionError::RecordUnreadable);
    }
    let warning = if is_live {
        store::replace_live(&lock, &paths, doc.as_bytes(), &store::Options::default())?.warning
    } else {
        store::write_atomic(path, doc.as_bytes())?;
        None
    };
    drop(lock);
    Ok(warning)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codex::fixtures;
    use crate::ops::testing::ctx_in;

    #[test]
    fn refusals_are_typed_and_write_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let offline = ctx_in(dir.path(), true);
        assert!(matches!(
            provision(&offline, &Subject::Live, false, &|_| {}),
            Err(ProvisionError::Offline)
        ));
        let ctx = ctx_in(dir.path(), false);
        let paths = ctx.paths().expect("paths");
        let doc = fixtures::api_key_doc("sk-test-prov");
        store::write_atomic(&paths.auth_json(), doc.as_bytes()).expect("live");
        let err = provision(&ctx, &Subject::Live, false, &|_| {}).expect_err("no login");
        assert!(
            matches!(err, ProvisionError::NoChatgptLogin { .. }),
            "{err:?}"
        );
        assert_eq!(
            std::fs::read(paths.auth_json()).expect("read"),
            doc.as_bytes()
        );
    }
}
