//! `header`: freshly signed auth headers for the live credential or an account.
//!
//! An Agent Identity needs a registered task first, so this runs the runtime init through
//! [`super::status::evaluate`] (or reuses a task id stored with a record-form identity); offline
//! only a stored task id can be used. The result is the [`HeaderSet`] itself — printing, copying
//! (OSC 52 or the system clipboard) and masking are the faces' business.

use chrono::Utc;

use super::status::{Subject, evaluate};
use super::{Ctx, OpError};
use crate::codex::headers::{HeaderError, HeaderSet, header_set};
use crate::runtime::State;

/// Why no headers could be made.
#[derive(Debug, thiserror::Error)]
pub enum HeaderOpError {
    /// The credential did not reach a usable state; `why` is the runtime's error message, if any.
    #[error("no headers: {} ({why})", state.label())]
    NotReady { state: State, why: String },
    /// The state is usable but no credential was analysed (nothing is signed in).
    #[error("no credential")]
    NoCredential,
    /// The credential cannot make headers (no task yet, an unsupported mode, …).
    #[error(transparent)]
    Header(#[from] HeaderError),
    #[error(transparent)]
    Op(#[from] OpError),
}

/// `header`: the headers for the subject's credential, signed now.
pub fn header(ctx: &Ctx, subject: &Subject) -> Result<HeaderSet, HeaderOpError> {
    let ev = evaluate(ctx, subject, &|_| {})?;
    match &ev.model.state {
        State::Ready | State::Offline => {}
        other => {
            let why = ev.report().error.map(|e| e.message).unwrap_or_default();
            return Err(HeaderOpError::NotReady {
                state: other.clone(),
                why,
            });
        }
    }
    let analysis = ev
        .loaded
        .analysis
        .as_ref()
        .ok_or(HeaderOpError::NoCredential)?;
    let task = ev.model.task.as_ref().map(|t| &t.task_id);
    Ok(header_set(analysis, task, Utc::now())?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codex::fixtures;
    use crate::codex::headers::HeaderFormat;
    use crate::ops::testing::ctx_in;
    use crate::store;

    #[test]
    fn signed_out_has_no_headers_and_an_api_key_has_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ctx = ctx_in(dir.path(), true);
        let err = header(&ctx, &Subject::Live).expect_err("signed out");
        assert!(
            matches!(
                &err,
                HeaderOpError::NotReady {
                    state: State::SignedOut,
                    ..
                }
            ),
            "{err:?}"
        );
        let paths = ctx.paths().expect("paths");
        store::write_atomic(
            &paths.auth_json(),
            fixtures::api_key_doc("sk-test-header").as_bytes(),
        )
        .expect("live");
        let set = header(&ctx, &Subject::Live).expect("headers");
        assert!(
            set.format(HeaderFormat::Value)
                .expose()
                .contains("sk-test-header")
        );
    }
}
