//! Standard output that never panics when its reader goes away.
//!
//! `println!` panics with "failed printing to stdout: Broken pipe" when the other end of a pipe
//! is closed (`authdeck list --json | head -1`). The crate forbids `unsafe`, so SIGPIPE cannot be
//! reset to its default; instead every line of command output goes through [`line`], which stops
//! writing quietly once the pipe is gone. The command still finishes and exits with its own code,
//! so a script sees the same exit status whether or not it read everything. Messages on stderr go
//! through [`err_line`] for the same reason: `eprintln!` panics when stderr is a terminal that
//! was closed.

use std::fmt;
use std::io::{self, Write as _};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once stdout has been closed by its reader; nothing more is written.
static CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `args` (no newline added). A closed pipe ends output silently; any other write error
/// is reported once on stderr.
pub fn write(args: fmt::Arguments<'_>) {
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        CLOSED.store(true, Ordering::Relaxed);
        if e.kind() != io::ErrorKind::BrokenPipe {
            err_line(format_args!(
                "error: could not write to standard output: {e}"
            ));
        }
    }
}

/// Writes `args` and a newline.
pub fn line(args: fmt::Arguments<'_>) {
    write(format_args!("{args}\n"));
}

/// `println!` for command output, through [`line`].
macro_rules! outln {
    () => {
        $crate::cli::out::line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::cli::out::line(format_args!($($arg)*))
    };
}

/// Writes `args` and a newline to stderr; a failure is ignored (there is nowhere left to say it).
pub fn err_line(args: fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr().lock(), "{args}");
}

/// `eprintln!` for warnings and notes, through [`err_line`].
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::out::err_line(format_args!($($arg)*))
    };
}

/// `print!` for command output, through [`write`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::out::write(format_args!($($arg)*))
    };
}

pub(crate) use {errln, out, outln};
