//! A real full disk: the Codex home lives on a 64 KiB tmpfs (mounted in a private user + mount
//! namespace, so nothing outside the test sees it), filled to the last byte. `switch`, `save`,
//! `mode` and `add` must each fail with a clear "no space" error and leave every file exactly
//! as it was, with no temp file behind.
//!
//! Needs `unshare` with unprivileged user namespaces (present on this project's machines); where
//! the kernel refuses them the test says so and checks nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use authdeck::codex::fixtures::{self, ChatgptSpec};

fn namespaces_available() -> bool {
    Command::new("unshare")
        .args(["-rm", "true"])
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_full_disk_changes_nothing_and_says_so() {
    if !namespaces_available() {
        eprintln!(
            "SKIPPED: unshare -rm is not permitted here; the full-disk test needs a private tmpfs"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed");
    std::fs::create_dir_all(seed.join("accounts")).unwrap();
    let mut a = fixtures::chatgpt_doc(&ChatgptSpec::default());
    a.set(
        "OPENAI_API_KEY",
        &serde_json::json!("sk-proj-1234567890FULLDISKA"),
    );
    let b = fixtures::api_key_doc("sk-proj-1234567890FULLDISK");
    std::fs::write(seed.join("auth.json"), a.as_bytes()).unwrap();
    std::fs::write(seed.join("accounts").join("a.json"), a.as_bytes()).unwrap();
    std::fs::write(seed.join("accounts").join("b.json"), b.as_bytes()).unwrap();
    // Private, as authdeck itself writes them (open modes would add a permission warning).
    {
        use std::os::unix::fs::PermissionsExt as _;
        let set = |p: std::path::PathBuf, mode: u32| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
        };
        set(seed.join("accounts"), 0o700);
        for f in ["auth.json", "accounts/a.json", "accounts/b.json"] {
            set(seed.join(f), 0o600);
        }
    }
    let mnt = dir.path().join("mnt");
    std::fs::create_dir_all(&mnt).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();

    // Inside the namespace: mount, copy the home in, pre-create the store's own directories,
    // fill the disk, run the commands, then report the files' checksums and the listing.
    let script = r#"
set -u
mount -t tmpfs -o size=64k,nr_inodes=64 tmpfs "$MNT" || exit 90
cp -a "$SEED/." "$MNT/"
mkdir -p "$MNT/accounts/.authdeck" "$MNT/accounts/.backups" "$MNT/accounts/.trash"
: > "$MNT/accounts/.authdeck/lock"
( cd "$MNT" && find . -type f | sort | xargs sha256sum ) > "$OUT/before"
dd if=/dev/zero of="$MNT/filler" bs=1k count=1000 2>/dev/null
run() { CODEX_HOME="$MNT" HOME="$OUT" "$BIN" "$@" > "$OUT/$1.out" 2> "$OUT/$1.err"; echo $? > "$OUT/$1.code"; }
run switch b
run save c
run mode apikey
printf 'sk-proj-1234567890NEWKEYFULL' | CODEX_HOME="$MNT" HOME="$OUT" "$BIN" add k --api-key-stdin > "$OUT/add.out" 2> "$OUT/add.err"; echo $? > "$OUT/add.code"
rm -f "$MNT/filler"
( cd "$MNT" && find . -type f | sort | xargs sha256sum ) > "$OUT/after"
"#;
    let status = Command::new("unshare")
        .args(["-rm", "sh", "-c", script])
        .env("MNT", &mnt)
        .env("SEED", &seed)
        .env("OUT", &out)
        .env("BIN", env!("CARGO_BIN_EXE_authdeck"))
        .status()
        .unwrap();
    assert!(status.success(), "the namespace script failed: {status:?}");
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap_or_default();
    for cmd in ["switch", "save", "mode", "add"] {
        let code = read(&format!("{cmd}.code"));
        let err = read(&format!("{cmd}.err"));
        assert_eq!(
            code.trim(),
            "1",
            "{cmd} must fail on a full disk; stderr: {err}"
        );
        assert!(
            err.starts_with("error: "),
            "{cmd}: one clear error line: {err}"
        );
        assert!(
            err.to_lowercase().contains("no space") || err.contains("disk"),
            "{cmd} says the disk is full: {err}"
        );
        assert!(
            !err.contains("FULLDISK") && !err.contains("NEWKEY"),
            "no secret in the error"
        );
    }
    for cmd in ["switch", "save", "mode", "add"] {
        eprintln!("{cmd}: {}", read(&format!("{cmd}.err")).trim_end());
    }
    let before = read("before");
    let after = read("after");
    assert!(
        before.contains("./auth.json") && before.contains("./accounts/b.json"),
        "{before}"
    );
    assert_eq!(
        before, after,
        "a full disk must leave every file exactly as it was (and no temp file)"
    );
}
