//! The module arrows of `docs/architecture.md`, enforced.
//!
//! The table between `<!-- arrows:begin -->` and `<!-- arrows:end -->` says which top-level
//! module may use which. This test reads every `.rs` file under `src/`, finds every module it
//! names — `use crate::x`, a `crate::x::…` path anywhere in code, `use crate::{x, y::z}` groups,
//! a `super::` path that climbs out of the top-level module, and `authdeck::x` in `main.rs` —
//! and fails, naming file and line, when the table does not allow the arrow. Comments are
//! skipped (a doc link is not a dependency). So the faces can never import each other again,
//! and the docs cannot drift from the code: a new module needs a row.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `module -> modules it may use`, from docs/architecture.md.
fn allowed_arrows() -> BTreeMap<String, BTreeSet<String>> {
    let doc = std::fs::read_to_string(Path::new(ROOT).join("docs/architecture.md"))
        .expect("docs/architecture.md is readable");
    let start = doc
        .find("<!-- arrows:begin -->")
        .expect("docs/architecture.md has an arrows:begin marker");
    let end = doc
        .find("<!-- arrows:end -->")
        .expect("docs/architecture.md has an arrows:end marker");
    let mut arrows = BTreeMap::new();
    for line in doc[start..end].lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // `| `module` | `a`, `b` |` splits into ["", module, uses, ""].
        let [_, module, uses, _] = cells.as_slice() else {
            continue;
        };
        let Some(module) = module.strip_prefix('`').and_then(|m| m.strip_suffix('`')) else {
            continue; // the header and the separator row
        };
        let uses = uses
            .split(',')
            .map(|u| u.trim().trim_matches('`').to_string())
            .filter(|u| !u.is_empty() && u != "—")
            .collect();
        arrows.insert(module.to_string(), uses);
    }
    arrows
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file under `src/`: `src/cli/mod.rs` → `["cli"]`, `src/cli/out.rs` →
/// `["cli", "out"]`, `src/main.rs` → `["main"]`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs").to_string();
        if stem != "mod" {
            parts.push(stem);
        }
    }
    parts
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The top-level modules named on one line of code of a file whose module path is `path`.
fn named_modules(line: &str, path: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    let is_main = path == ["main"];
    for root in ["crate::", "authdeck::"] {
        if root == "authdeck::" && !is_main {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find(root) {
            // `foo_crate::x` is not `crate::x`.
            let before = rest[..i].chars().next_back();
            rest = &rest[i + root.len()..];
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            if let Some(group) = rest.strip_prefix('{') {
                // `crate::{a, b::c, d as e}`: the first segment of each top-level item.
                let mut depth = 0usize;
                let mut at_item_start = true;
                for (j, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => at_item_start = true,
                        c if at_item_start && (c.is_ascii_alphabetic() || c == '_') => {
                            found.push(ident_at(&group[j..]).to_string());
                            at_item_start = false;
                        }
                        c if c.is_whitespace() => {}
                        _ => at_item_start = false,
                    }
                }
            } else {
                let id = ident_at(rest);
                if !id.is_empty() {
                    found.push(id.to_string());
                }
            }
        }
    }
    // `super::super::x` climbing to the crate root.
    let mut rest = line;
    while let Some(i) = rest.find("super::") {
        let before = rest[..i].chars().next_back();
        let tail = &rest[i..];
        let mut n = 0;
        let mut t = tail;
        while let Some(next) = t.strip_prefix("super::") {
            n += 1;
            t = next;
        }
        rest = t;
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        if n >= path.len() {
            let id = ident_at(t);
            if !id.is_empty() {
                found.push(id.to_string());
            }
        }
    }
    found
}

/// Every `(file:line, from, to)` arrow the table forbids.
fn violations(arrows: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let src = Path::new(ROOT).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(
        files.len() > 50,
        "found the sources ({} files)",
        files.len()
    );
    let mut bad = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&src).expect("under src/");
        if rel == Path::new("lib.rs") {
            continue; // declares the modules; uses none
        }
        let path = module_path(rel);
        let from = path[0].clone();
        let Some(allowed) = arrows.get(&from) else {
            bad.push(format!(
                "src/{}: module `{from}` has no row in docs/architecture.md",
                rel.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for to in named_modules(line, &path) {
                let known = arrows.contains_key(&to) || to == "report";
                if to == from || !known {
                    continue; // itself, or not a module (`crate::Error`, a macro, …)
                }
                if !allowed.contains(&to) {
                    bad.push(format!(
                        "src/{}:{}: `{from}` may not use `{to}`: {}",
                        rel.display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    bad
}

#[test]
fn every_use_follows_the_documented_arrows() {
    let arrows = allowed_arrows();
    for module in [
        "codex", "store", "backend", "runtime", "ops", "cli", "tui", "main",
    ] {
        assert!(
            arrows.contains_key(module),
            "docs table has a `{module}` row"
        );
    }
    let bad = violations(&arrows);
    assert!(
        bad.is_empty(),
        "imports against docs/architecture.md:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_faces_never_use_each_other() {
    let arrows = allowed_arrows();
    assert!(!arrows["cli"].contains("tui"), "the table lets cli use tui");
    assert!(!arrows["tui"].contains("cli"), "the table lets tui use cli");
    assert!(
        arrows["codex"]
            .iter()
            .all(|m| ["env", "sanitize", "secret"].contains(&m.as_str())),
        "codex uses only leaf modules"
    );
}

/// The scanner itself: each way of naming a module is caught, comments and look-alikes are not.
#[test]
fn the_scanner_sees_every_form_of_path() {
    let cli_file = vec!["cli".to_string(), "header".to_string()];
    let cli_mod = vec!["cli".to_string()];
    let names = |line: &str, path: &[String]| named_modules(line, path);
    assert_eq!(names("use crate::tui::clipboard;", &cli_file), ["tui"]);
    assert_eq!(
        names("let x = crate::tui::run(&ctx);", &cli_file),
        ["tui"],
        "a path in an expression, not only a use line"
    );
    assert_eq!(
        names(
            "use crate::{ops::Ctx, tui, store::{self, Paths}};",
            &cli_file
        ),
        ["ops", "tui", "store"]
    );
    assert_eq!(names("super::tui::run()", &cli_mod), ["tui"]);
    assert!(names("use super::out;", &cli_file).is_empty());
    assert_eq!(names("super::super::tui::x", &cli_file), ["tui"]);
    assert!(names("use my_crate::tui;", &cli_file).is_empty());
    assert!(names("use authdeck::tui;", &cli_file).is_empty());
    assert_eq!(names("use authdeck::tui;", &["main".to_string()]), ["tui"]);

    // A forbidden arrow in a table is reported.
    let mut arrows = allowed_arrows();
    if let Some(cli) = arrows.get_mut("cli") {
        cli.remove("ops");
    }
    let bad = violations(&arrows);
    assert!(
        bad.iter().any(|b| b.contains("`cli` may not use `ops`")),
        "removing an arrow the code uses is caught: {bad:?}"
    );
}

/// Inside the TUI (docs/architecture.md, "Inside the TUI"): `update` and `ui` never use each
/// other — both ask `tui::layout` and `tui::contexts` — and neither uses the runner, the loop
/// or anything else that does IO.
#[test]
fn inside_the_tui_update_and_ui_never_use_each_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
    let rules: [(&str, &[&str]); 2] = [
        ("update", &["ui", "runner", "app", "terminal", "watch"]),
        ("ui", &["update", "runner", "app", "terminal", "watch"]),
    ];
    let mut bad = Vec::new();
    for (dir, forbidden) in rules {
        let mut files = Vec::new();
        rust_files(&root.join(dir), &mut files);
        let top = root.join(format!("{dir}.rs"));
        if top.exists() {
            files.push(top);
        }
        assert!(!files.is_empty(), "no files under src/tui/{dir}");
        for file in files {
            let text = std::fs::read_to_string(&file).expect("readable");
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for m in forbidden {
                    let paths = [format!("tui::{m}"), format!("super::super::{m}")];
                    if paths.iter().any(|p| {
                        code.match_indices(p.as_str()).any(|(i, _)| {
                            !code[i + p.len()..]
                                .starts_with(|c: char| c.is_alphanumeric() || c == '_')
                        })
                    }) {
                        bad.push(format!(
                            "{}:{}: {dir} uses {m}: {}",
                            file.display(),
                            n + 1,
                            line.trim()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "forbidden uses inside the TUI:\n{}",
        bad.join("\n")
    );
}

/// The faces reach credentials only through the operations layer (docs/architecture.md, "The
/// operations layer"): outside their tests, `cli` and `tui` name the store's and the usage
/// core's types but call none of their functions. So what a face shows is what the operation
/// returned, and the CLI and the TUI cannot drift apart by reading the store two ways.
#[test]
fn the_faces_read_and_write_only_through_ops() {
    let src = Path::new(ROOT).join("src");
    let mut bad = Vec::new();
    for face in ["cli", "tui"] {
        let mut files = Vec::new();
        rust_files(&src.join(face), &mut files);
        assert!(files.len() > 5, "found the sources of {face}");
        for file in files {
            let rel = file.strip_prefix(&src).expect("under src/");
            let name = rel.to_string_lossy();
            if name.contains("test") {
                continue; // tests set up stores by hand
            }
            let text = std::fs::read_to_string(&file).expect("readable");
            for (n, line) in text.lines().enumerate() {
                if line.starts_with("#[cfg(test)]") {
                    break; // the file's own tests, at its end
                }
                let code = line.split("//").next().unwrap_or("");
                if let Some(call) = store_call(code) {
                    bad.push(format!(
                        "src/{name}:{}: calls {call}: {}",
                        n + 1,
                        line.trim()
                    ));
                }
                for f in imported_functions(code) {
                    if !IMPORTS_ALLOWED.contains(&f.as_str()) {
                        bad.push(format!(
                            "src/{name}:{}: imports {f}: {}",
                            n + 1,
                            line.trim()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "a face calls the store or the usage core directly (use an `ops` function):\n{}",
        bad.join("\n")
    );
}

/// Functions of the store a face may import by name, and why.
const IMPORTS_ALLOWED: &[&str] = &[
    // The naming rules, pure: the TUI's forms check a name as it is typed.
    "validate_name",
    // The demo writes its scratch Codex home (a temp dir) before the TUI starts.
    "write_atomic",
];

/// The functions a `use crate::store…` or `use crate::usage::gather…` line imports by name
/// (lower-case items that are not `self`; modules of the store are not imported by name).
fn imported_functions(code: &str) -> Vec<String> {
    let code = code.trim();
    let Some(rest) = code
        .strip_prefix("use crate::store::")
        .or_else(|| code.strip_prefix("use crate::usage::gather::"))
    else {
        return Vec::new();
    };
    rest.trim_end_matches(';')
        .split([',', '{', '}'])
        .map(|item| item.trim().rsplit("::").next().unwrap_or("").trim())
        .filter(|item| item.starts_with(|c: char| c.is_ascii_lowercase()) && *item != "self")
        .map(str::to_string)
        .collect()
}

/// The call in a line of code, if it calls a function of `store` or of `usage::gather`
/// (`store::read_live(`, `Store::new(`, `store::config::x(`, `gather::targets(`).
fn store_call(code: &str) -> Option<String> {
    for root in ["store::", "Store::", "gather::"] {
        for (i, _) in code.match_indices(root) {
            let before = code[..i].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue; // `SomeStore::`, `my_store::`
            }
            let mut rest = &code[i + root.len()..];
            let mut path = root.to_string();
            loop {
                let id = ident_at(rest);
                if id.is_empty() {
                    break;
                }
                path.push_str(id);
                rest = &rest[id.len()..];
                if let Some(next) = rest.strip_prefix("::") {
                    path.push_str("::");
                    rest = next;
                    continue;
                }
                let is_fn = id.starts_with(|c: char| c.is_ascii_lowercase());
                if is_fn && rest.starts_with('(') {
                    return Some(path);
                }
                break;
            }
        }
    }
    None
}

#[test]
fn the_store_call_scanner_sees_calls_not_types() {
    assert_eq!(
        store_call("let live = store::read_live(&p, &env);").as_deref(),
        Some("store::read_live")
    );
    assert_eq!(
        store_call("Store::new(&paths).save(n, d, false)").as_deref(),
        Some("Store::new")
    );
    assert_eq!(
        store_call("x = crate::store::config::read_x(&p)").as_deref(),
        Some("store::config::read_x")
    );
    assert_eq!(
        store_call("gather::targets(&p, &e, &s)").as_deref(),
        Some("gather::targets")
    );
    assert_eq!(store_call("use crate::store::{self, Paths};"), None);
    assert_eq!(
        store_call("fn f(e: store::StoreError) -> store::Paths"),
        None
    );
    assert_eq!(store_call("Err(store::ErrorKind::Io)"), None);
    assert_eq!(store_call("my_store::read(x)"), None);

    assert_eq!(
        imported_functions("use crate::store::{self, read_live, Paths};"),
        ["read_live"]
    );
    assert_eq!(
        imported_functions("use crate::usage::gather::targets;"),
        ["targets"]
    );
    assert!(imported_functions("use crate::store::{self, FieldChange};").is_empty());
    assert!(imported_functions("use crate::ops::accounts::names;").is_empty());
}
