//! Writes the `--demo` accounts into a directory (one `<name>.json` each), for inspecting them or
//! for checking them with another tool (`scripts/codex-accepts.sh` feeds them to the real Codex).
//!
//! Run: `cargo run --example demo-accounts -- DIR`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: demo-accounts DIR");
        return ExitCode::from(2);
    };
    let dir = std::path::PathBuf::from(dir);
    let agents = authdeck::tui::demo::demo_agents();
    let docs = match authdeck::tui::demo::demo_documents(&agents, chrono::Utc::now().timestamp()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {}", e.message);
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("error: {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    for (name, bytes) in docs {
        let path = dir.join(format!("{name}.json"));
        if let Err(e) = std::fs::write(&path, bytes) {
            eprintln!("error: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("{}", path.display());
    }
    ExitCode::SUCCESS
}
