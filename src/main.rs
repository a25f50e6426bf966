//! The `authdeck` binary: parse the command line and hand off to the CLI or the TUI.

fn main() -> std::process::ExitCode {
    // First thing, before any secret is read: no core dumps, no ptrace by other processes of
    // the user (src/secret.rs). A failure here is not fatal (the kernel may forbid prctl in a
    // sandbox) and there is no log yet to say so; authdeck works the same either way.
    let _ = authdeck::secret::harden_process();
    authdeck::cli::main()
}
