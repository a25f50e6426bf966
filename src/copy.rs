//! Copying: OSC 52 to the terminal (works over SSH and inside tmux) plus the system clipboard
//! when one exists. A neutral module: the TUI copies with both, `authdeck header --copy` with
//! OSC 52 only, and neither face imports the other for it.
//!
//! The sequence is `ESC ] 52 ; c ; <base64> ESC \`, terminated by ST as the standard has it
//! (0.1 wrote BEL; every terminal that honours OSC 52 takes both). It is built here rather than
//! by crossterm's `CopyToClipboard` so that every copy of the secret is wiped (see
//! [`osc52_sequence`]). On Linux `arboard` also speaks Wayland's
//! data-control protocol, so Wayland desktops get the system clipboard without XWayland.
//!
//! The OSC 52 sequence is written by the loop between frames, never by a background task, so
//! it cannot interleave with a frame being drawn. The native clipboard (`arboard`) is created
//! on the first copy — not at start-up, so the first frame never waits on a display server —
//! and then kept alive for the whole session: on Linux (X11) the copied text is served by the
//! clipboard object and vanishes when it is dropped. Without a display it fails to initialise,
//! and copies go to the terminal only; the status line then says "sent to terminal" instead of
//! "copied".

use base64::Engine as _;

use crate::secret::{Secret, Zeroizing};

/// The OSC 52 "set clipboard" sequence for `text` (`ESC ] 52 ; c ; <base64> ESC \`). The text
/// is usually a secret, and base64 hides nothing: the sequence is built in one exact-size buffer
/// and wiped on drop. Not crossterm's `CopyToClipboard`, which writes the same bytes but encodes
/// the base64 into a temporary `String` that is freed without being wiped (crossterm 0.29).
pub fn osc52_sequence(text: &str) -> Zeroizing<String> {
    const START: &str = "\x1b]52;c;";
    const END: &str = "\x1b\\";
    let b64 = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(text));
    let mut seq = Zeroizing::new(String::with_capacity(START.len() + b64.len() + END.len()));
    seq.push_str(START);
    seq.push_str(&b64);
    seq.push_str(END);
    seq
}

/// The session's clipboards.
#[derive(Default)]
pub struct Clipboard {
    native: Option<arboard::Clipboard>,
    /// Why there is no native clipboard (after a failed attempt; not retried).
    unavailable: Option<String>,
    /// What authdeck last put there (for the auto-clear).
    last: Option<Secret>,
}

impl std::fmt::Debug for Clipboard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clipboard")
            .field("native", &self.native.is_some())
            .field("unavailable", &self.unavailable)
            .field("last", &self.last)
            .finish()
    }
}

impl Clipboard {
    /// A clipboard that never tries the system one (tests, `--no-mouse` has no bearing).
    pub fn terminal_only(reason: &str) -> Self {
        Self {
            native: None,
            unavailable: Some(reason.to_string()),
            last: None,
        }
    }

    fn native(&mut self) -> Result<&mut arboard::Clipboard, String> {
        if self.native.is_none() && self.unavailable.is_none() {
            match arboard::Clipboard::new() {
                Ok(c) => self.native = Some(c),
                Err(e) => self.unavailable = Some(e.to_string()),
            }
        }
        match (&mut self.native, &self.unavailable) {
            (Some(c), _) => Ok(c),
            (None, why) => Err(why.clone().unwrap_or_else(|| "unavailable".to_string())),
        }
    }

    /// Puts `text` on the system clipboard. `Err` says why it could not.
    pub fn set(&mut self, text: &str) -> Result<(), String> {
        self.native()?.set_text(text).map_err(|e| e.to_string())?;
        self.last = Some(Secret::new(text));
        Ok(())
    }

    /// Clears what was copied (the auto-clear) — only while the system clipboard still holds
    /// it, so something the user copied since is left alone.
    pub fn clear(&mut self) -> Result<(), String> {
        let Some(last) = self.last.take() else {
            return Ok(());
        };
        let native = self.native()?;
        if native
            .get_text()
            .map(Zeroizing::new)
            .is_ok_and(|now| now.as_str() == last.expose())
        {
            native.clear().map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_is_base64_between_the_markers() {
        assert_eq!(osc52_sequence("hi").as_str(), "\x1b]52;c;aGk=\x1b\\");
        assert_eq!(osc52_sequence("").as_str(), "\x1b]52;c;\x1b\\");
        let seq = osc52_sequence("Authorization: Bearer \x1b[31m");
        assert_eq!(
            seq.matches('\x1b').count(),
            2,
            "the payload never carries a raw escape (only the opening ESC and the ST)"
        );
    }

    #[test]
    fn terminal_only_reports_why() {
        let mut c = Clipboard::terminal_only("no display");
        assert_eq!(c.set("x"), Err("no display".to_string()));
        assert_eq!(c.clear(), Ok(()), "nothing of ours to clear");
    }
}
