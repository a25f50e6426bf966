//! `authdeck add`'s side of credential material: reading a key or JWT from stdin (capped), and
//! the CLI's words for a JWT that does not verify. The checks and builders themselves live in
//! [`crate::ops::material`] and the verification in [`crate::ops::add`], shared with the TUI's
//! add form, so the two faces can never disagree; this module maps their errors to exit codes.
//!
//! A JWT is verified against the backend's JWKS before it is stored, unless `--no-verify` or
//! `--offline`.

use std::io::{self, Read as _};
use std::path::Path;

use super::CliError;
use crate::ops::OpError;
use crate::ops::add::AddError;
use crate::ops::material::{MAX_MATERIAL_BYTES, MaterialError, Problem, checked_text};
use crate::sanitize::clean;
use crate::secret::{Secret, Zeroizing};

/// A path as shown to the user (control characters made visible).
pub(super) fn show(p: &Path) -> String {
    clean(&p.display().to_string()).into_owned()
}

/// Empty input or a missing file is an error (exit 1); material that is there but unusable is an
/// invalid credential (exit 5) — the kinds of [`OpError`].
impl From<MaterialError> for CliError {
    fn from(e: MaterialError) -> Self {
        OpError::from(e).into()
    }
}

/// Reads stdin (capped), trimmed. `what` is "API key" or "JWT".
pub(super) fn read_stdin(what: &str) -> Result<Secret, CliError> {
    read_capped_input(io::stdin().lock(), what)
}

/// The read buffer holds the key: it has room for the whole cap up front (no reallocation
/// leaving copies behind) and is wiped on drop; only the trimmed value travels on, as a secret.
fn read_capped_input(input: impl io::Read, what: &str) -> Result<Secret, CliError> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(MAX_MATERIAL_BYTES + 1));
    input
        .take(MAX_MATERIAL_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::new(format!("could not read the {what} from stdin: {e}")))?;
    match checked_text(&bytes, what) {
        Ok(text) => Ok(Secret::new(text)),
        Err(e) if e.problem == Problem::Empty => Err(CliError::new(format!(
            "stdin is empty: expected {}",
            crate::ops::material::with_article(what)
        ))
        .with_hint(format!(
            "pipe it in, e.g. `pbpaste | authdeck add NAME --{}-stdin`",
            if what == "JWT" { "jwt" } else { "api-key" }
        ))),
        Err(e) => Err(e.into()),
    }
}

/// The CLI's words for an add that stopped before anything was written: a JWT that does not
/// verify is refused with a way round it; anything else is the operation's error.
pub fn add_error(e: AddError) -> CliError {
    match e {
        AddError::NotVerified(e) => CliError::new(format!(
            "the Agent Identity JWT did not verify: {}",
            clean(&e.reason)
        ))
        .with_hint("nothing was added; pass --no-verify to add it unverified"),
        AddError::Op(e) => e.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Exit;

    #[test]
    fn stdin_is_capped_and_trimmed() {
        assert_eq!(
            read_capped_input(&b"  sk-abc\n"[..], "API key")
                .expect("ok")
                .expose(),
            "sk-abc"
        );
        let empty = read_capped_input(&b" \n"[..], "API key").expect_err("empty");
        assert_eq!(
            empty.exit,
            Exit::Error,
            "empty stdin is exit 1, as documented"
        );
        assert_eq!(empty.message, "stdin is empty: expected an API key");
        let big = vec![b'a'; 70 * 1024];
        let e = read_capped_input(&big[..], "JWT").expect_err("too big");
        assert!(e.message.contains("64 KiB"), "{}", e.message);
        assert_eq!(e.exit, Exit::Invalid);
        assert!(read_capped_input(&b"\xff\xfe"[..], "JWT").is_err());
    }
}
