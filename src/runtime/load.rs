//! The first step of the state machine: from what is on disk (or in the environment) to an
//! analysed credential and the state it starts in.
//!
//! This is where *signed out* and *invalid* are told apart: signed out only when there is no
//! credential anywhere; a file that exists but cannot be read, parsed or used is invalid, with
//! the path and the reason. Pure apart from the `Live` value it is handed.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::report::{SourceReport, StatusReport};
use super::{RuntimeModel, State, TaskRuntime, TaskStatus};
use crate::codex::agent_identity::AgentIdentity;
use crate::codex::credential::{Analysis, AuthMode};
use crate::store::live::KeyringState;
use crate::store::{CredentialStoreKind, FileState, KEYRING_SERVICE, Live, Source, codex_refusal};

/// The live credential, analysed.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub source: SourceReport,
    /// `None` when there is no usable document (signed out, unreadable, malformed).
    pub analysis: Option<Analysis>,
    /// Why the credential is invalid before any analysis (unreadable or malformed file).
    pub file_problem: Option<String>,
    pub notices: Vec<String>,
}

fn path_text(p: &Path) -> String {
    p.display().to_string()
}

/// Where the credential came from, its analysis, and why it cannot be used (when it cannot).
type Found = (SourceReport, Option<Analysis>, Option<String>);

/// Codex's own keyring entry (`cli_auth_credentials_store = "keyring" | "auto"`).
fn from_keyring(live: &Live, account: &str) -> Found {
    let source = SourceReport::Keyring {
        service: KEYRING_SERVICE.to_string(),
        account: account.to_string(),
    };
    match live.keyring.as_ref().map(|k| &k.state) {
        Some(KeyringState::Doc(doc)) => (source, Some(Analysis::of_doc(doc)), None),
        Some(KeyringState::Malformed(e)) => (source, None, Some(format!("the keyring entry: {e}"))),
        Some(KeyringState::Unreachable(m)) => (
            source,
            None,
            Some(format!(
                "config.toml keeps Codex's credentials in the OS keyring \
                 (cli_auth_credentials_store = \"{}\"), and no keyring is reachable: {m}",
                live.store_kind.as_str()
            )),
        ),
        Some(KeyringState::Missing) | None => (SourceReport::None, None, None),
    }
}

/// auth.json (or a saved account's file read as if it were).
fn from_file(file: &FileState) -> Found {
    let at = |path: &std::path::Path| SourceReport::File {
        path: path_text(path),
    };
    match file {
        FileState::Missing => (SourceReport::None, None, None),
        FileState::Doc { path, doc } => (at(path), Some(Analysis::of_doc(doc)), None),
        FileState::Unreadable { path, message } => (
            at(path),
            None,
            Some(format!("{} cannot be read: {message}", path_text(path))),
        ),
        FileState::Malformed { path, error } => (
            at(path),
            None,
            Some(format!("{}: {error}", path_text(path))),
        ),
    }
}

impl Loaded {
    /// Analyses the live credential.
    pub fn from_live(live: &Live) -> Self {
        let notices = [
            live.store_kind.notice(),
            live.env_notice(),
            live.exec_api_key_notice(),
        ]
        .into_iter()
        .flatten()
        .collect();
        let (source, analysis, file_problem) = match (&live.source, &live.env_token) {
            (Source::Env { var }, Some(token)) => (
                SourceReport::Env {
                    var: (*var).to_string(),
                },
                Some(Analysis::of_env_token(token.expose())),
                None,
            ),
            (Source::Keyring { account }, _) => from_keyring(live, account),
            _ if live.store_kind == CredentialStoreKind::Ephemeral => {
                (SourceReport::None, None, None)
            }
            _ => from_file(&live.file),
        };
        // What config.toml makes Codex do with it: refuse to start, or log out (and delete) a
        // login it forbids. Never Ready for those.
        let file_problem = file_problem.or_else(|| {
            let refusal =
                match &analysis {
                    Some(a) if a.problem.is_none() => codex_refusal(&live.config, a),
                    Some(_) => None,
                    None => live.config.error.as_ref().map(|e| {
                        format!("Codex cannot load config.toml ({e}), so it will not start")
                    }),
                };
            refusal.filter(|_| !matches!(source, SourceReport::None) || live.config.error.is_some())
        });
        Self {
            source,
            analysis,
            file_problem,
            notices,
        }
    }

    /// The Agent Identity that needs a runtime init, if the mode in force is Agent Identity
    /// and its material is usable.
    pub fn agent_to_init(&self) -> Option<&AgentIdentity> {
        let a = self.analysis.as_ref()?;
        if a.problem.is_some() || a.mode != AuthMode::AgentIdentity {
            return None;
        }
        a.material.agent_ok()
    }

    /// The model this credential starts in. Agent Identities start `Loading` (the caller then
    /// runs the driver) unless `offline`; everything else is already settled. `last_good` is
    /// kept only when it belongs to the same runtime id.
    pub fn initial_model(
        &self,
        offline: bool,
        now: DateTime<Utc>,
        last_good: Option<TaskRuntime>,
    ) -> RuntimeModel {
        if let Some(reason) = &self.file_problem {
            return RuntimeModel::settled(
                State::Invalid {
                    reason: reason.clone(),
                },
                TaskStatus::NotNeeded,
            );
        }
        let Some(a) = &self.analysis else {
            return RuntimeModel::settled(State::SignedOut, TaskStatus::NotNeeded);
        };
        if let Some(reason) = &a.problem {
            return RuntimeModel::settled(
                State::Invalid {
                    reason: reason.clone(),
                },
                TaskStatus::NotNeeded,
            );
        }
        let agent = self.agent_to_init();
        if offline {
            let status = if agent.is_some() {
                TaskStatus::Pending
            } else {
                TaskStatus::NotNeeded
            };
            return RuntimeModel::settled(State::Offline, status);
        }
        match agent.and_then(AgentIdentity::facts) {
            Some(facts) => {
                let kept = last_good.filter(|t| t.runtime_id == facts.runtime_id);
                RuntimeModel::starting(now, kept)
            }
            None => RuntimeModel::settled(State::Ready, TaskStatus::NotNeeded),
        }
    }

    /// The report for a model.
    pub fn report(&self, model: &RuntimeModel) -> StatusReport {
        StatusReport::build(
            self.source.clone(),
            self.analysis.as_ref(),
            model,
            self.notices.clone(),
        )
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::codex::auth_file::{AuthDoc, DocError};
    use crate::codex::fixtures;
    use crate::secret::Secret;
    use crate::store::CredentialStoreKind;

    fn live(source: Source, env_token: Option<&str>, file: FileState) -> Live {
        Live {
            source,
            env_token: env_token.map(Secret::new),
            file,
            store_kind: CredentialStoreKind::File,
            config: crate::store::CodexConfig {
                store: CredentialStoreKind::File,
                ..crate::store::CodexConfig::default()
            },
            keyring: None,
            exec_api_key: false,
        }
    }

    /// The live credential is an Agent Identity token in `CODEX_ACCESS_TOKEN`.
    fn env_loaded(token: &str) -> Loaded {
        Loaded::from_live(&live(
            Source::Env {
                var: "CODEX_ACCESS_TOKEN",
            },
            Some(token),
            FileState::Missing,
        ))
    }

    fn file_source() -> Source {
        Source::File {
            path: PathBuf::from("/h/auth.json"),
        }
    }

    #[test]
    fn nothing_is_signed_out_and_broken_file_is_invalid() {
        let l = Loaded::from_live(&live(Source::None, None, FileState::Missing));
        assert_eq!(
            l.initial_model(false, Utc::now(), None).state,
            State::SignedOut
        );
        let broken = FileState::Malformed {
            path: PathBuf::from("/h/auth.json"),
            error: DocError::Empty,
        };
        let l = Loaded::from_live(&live(file_source(), None, broken));
        let State::Invalid { reason } = l.initial_model(false, Utc::now(), None).state else {
            panic!("must be invalid, not signed out");
        };
        assert_eq!(reason, "/h/auth.json: the file is empty");
    }

    #[test]
    fn api_key_is_ready_offline_is_offline_agent_starts_loading() {
        let doc = fixtures::api_key_doc("sk-proj-1234567890ABCDE");
        let l = Loaded::from_live(&live(
            file_source(),
            None,
            FileState::Doc {
                path: "/h/auth.json".into(),
                doc,
            },
        ));
        assert_eq!(l.initial_model(false, Utc::now(), None).state, State::Ready);
        assert_eq!(
            l.initial_model(true, Utc::now(), None).state,
            State::Offline
        );
        assert!(l.agent_to_init().is_none());

        let jwt = fixtures::unsigned_agent_jwt("agent-1", 4_102_444_800);
        let l = env_loaded(&jwt);
        assert!(l.agent_to_init().is_some());
        let m = l.initial_model(false, Utc::now(), None);
        assert_eq!(m.state.label(), "Loading");
        assert_eq!(
            l.initial_model(true, Utc::now(), None).task_status,
            TaskStatus::Pending
        );
        assert_eq!(
            l.source,
            SourceReport::Env {
                var: "CODEX_ACCESS_TOKEN".into()
            }
        );
    }

    #[test]
    fn last_good_is_kept_only_for_the_same_runtime() {
        let jwt = fixtures::unsigned_agent_jwt("agent-1", 4_102_444_800);
        let l = env_loaded(&jwt);
        let task = |rt: &str| TaskRuntime {
            runtime_id: rt.into(),
            task_id: Secret::new("task-1"),
            registered_at: Utc::now(),
            latency: std::time::Duration::ZERO,
            reused: false,
        };
        assert!(
            l.initial_model(false, Utc::now(), Some(task("agent-1")))
                .task
                .is_some()
        );
        assert!(
            l.initial_model(false, Utc::now(), Some(task("agent-2")))
                .task
                .is_none()
        );
    }

    #[test]
    fn invalid_document_reports_reason() {
        let doc = AuthDoc::parse(br#"{"auth_mode":"apikey"}"#).expect("parses");
        let l = Loaded::from_live(&live(
            file_source(),
            None,
            FileState::Doc {
                path: "/h/auth.json".into(),
                doc,
            },
        ));
        let m = l.initial_model(false, Utc::now(), None);
        assert_eq!(m.state.name(), "invalid");
        let r = l.report(&m);
        assert_eq!(
            r.error.map(|e| e.kind),
            Some(crate::runtime::report::ErrorKind::InvalidCredential)
        );
    }
}
