//! The `authdeck` binary: parse the command line and hand off to the CLI or the TUI.

fn main() -> std::process::ExitCode {
    authdeck::cli::main()
}
