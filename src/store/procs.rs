//! Running Codex processes, so a switch can say who still holds the old credential.
//!
//! A running Codex keeps its credential in memory: after a switch it keeps using (and
//! refreshing) the old account until restarted, and may even write it back over auth.json. The
//! switch report lists those processes. Detection reads `/proc/*/cmdline` (Linux) and matches an
//! executable named `codex`, or a Node.js process running a script whose path ends in `/codex`
//! (or `/codex.js`, or lies inside the `@openai/codex` package). Without `/proc` (macOS, a
//! sandbox) the list is simply empty: this is advice, never a reason to fail.
//!
//! Only the program name and a plain sub-command word are reported, never the other arguments,
//! which could hold a prompt or a key.

use std::path::Path;

use serde::Serialize;

use crate::sanitize::clean;

/// A running Codex process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodexProcess {
    pub pid: u32,
    /// A short, safe description such as `codex exec` or `node …/codex.js`.
    pub command: String,
}

/// Codex processes on this machine (empty when `/proc` is unavailable).
pub fn codex_processes() -> Vec<CodexProcess> {
    codex_processes_in(Path::new("/proc"), std::process::id())
}

/// Codex processes found under a `/proc`-like directory, excluding `own_pid`.
pub fn codex_processes_in(proc_root: &Path, own_pid: u32) -> Vec<CodexProcess> {
    let Ok(rd) = std::fs::read_dir(proc_root) else {
        return Vec::new();
    };
    let mut out: Vec<CodexProcess> = rd
        .filter_map(Result::ok)
        .filter_map(|e| {
            let pid: u32 = e.file_name().to_str()?.parse().ok()?;
            if pid == own_pid {
                return None;
            }
            let cmdline = std::fs::read(e.path().join("cmdline")).ok()?;
            describe(&cmdline).map(|command| CodexProcess { pid, command })
        })
        .collect();
    out.sort_by_key(|p| p.pid);
    out
}

fn base_name(arg: &str) -> &str {
    arg.rsplit('/').next().unwrap_or(arg)
}

fn is_codex_script(arg: &str) -> bool {
    arg.ends_with("/codex") || arg.ends_with("/codex.js") || arg.contains("/@openai/codex/")
}

fn is_plain_word(arg: &str) -> bool {
    arg.len() <= 20
        && arg.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
        && arg.chars().all(|c| c.is_ascii_lowercase() || c == '-')
}

/// A short description when `cmdline` (NUL-separated arguments) is a Codex process.
fn describe(cmdline: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(cmdline);
    let args: Vec<&str> = text.split('\0').filter(|a| !a.is_empty()).collect();
    let argv0 = *args.first()?;
    let exe = base_name(argv0);
    let (shown, rest) = if exe == "codex" {
        ("codex".to_string(), args.get(1..).unwrap_or_default())
    } else if exe.starts_with("node") || exe == "bun" || exe == "deno" {
        let script = args.iter().skip(1).find(|a| !a.starts_with('-'))?;
        if !is_codex_script(script) {
            return None;
        }
        let pos = args.iter().position(|a| a == script).unwrap_or(1);
        (
            format!("{exe} …/{}", base_name(script)),
            args.get(pos + 1..).unwrap_or_default(),
        )
    } else {
        return None;
    };
    let sub = rest.first().filter(|a| is_plain_word(a));
    let described = match sub {
        Some(s) => format!("{shown} {s}"),
        None => shown,
    };
    Some(clean(&described).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_native_and_node_codex() {
        assert_eq!(describe(b"codex\0"), Some("codex".into()));
        assert_eq!(
            describe(b"/usr/local/bin/codex\0exec\0write a poem\0"),
            Some("codex exec".into())
        );
        assert_eq!(
            describe(b"node\0/usr/lib/node_modules/@openai/codex/bin/codex.js\0"),
            Some("node …/codex.js".into())
        );
        assert_eq!(
            describe(b"/usr/bin/node\0--no-warnings\0/home/u/.npm/bin/codex\0login\0"),
            Some("node …/codex login".into())
        );
        assert_eq!(
            describe(b"codex\0--api-key\0sk-secret\0"),
            Some("codex".into())
        );
    }

    #[test]
    fn ignores_everything_else() {
        assert_eq!(describe(b""), None);
        assert_eq!(describe(b"vim\0codex\0"), None);
        assert_eq!(describe(b"node\0server.js\0"), None);
        assert_eq!(describe(b"codex-helper\0"), None);
        assert_eq!(describe(b"authdeck\0switch\0codex\0"), None);
    }

    #[test]
    fn scans_a_proc_like_tree_and_survives_its_absence() {
        let dir = tempfile::tempdir().expect("tempdir");
        for (pid, cmd) in [
            ("12", &b"codex\0"[..]),
            ("7", b"bash\0"),
            ("99", b"codex\0exec\0"),
            ("self", b"codex\0"),
        ] {
            std::fs::create_dir(dir.path().join(pid)).expect("mkdir");
            std::fs::write(dir.path().join(pid).join("cmdline"), cmd).expect("write");
        }
        let found = codex_processes_in(dir.path(), 99);
        assert_eq!(
            found,
            vec![CodexProcess {
                pid: 12,
                command: "codex".into()
            }]
        );
        assert!(codex_processes_in(&dir.path().join("missing"), 1).is_empty());
        // The real /proc never fails either.
        let _ = codex_processes();
    }
}
