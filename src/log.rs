//! Diagnostics on stderr: warnings, `-v` progress and `-vv` HTTP traces. Every line passes
//! through [`crate::secret::scrub`], so no registered secret reaches the terminal.

use std::io::Write;
use std::sync::atomic::{AtomicI8, Ordering};

static LEVEL: AtomicI8 = AtomicI8::new(0);

/// `-q`: errors only.
pub const QUIET: i8 = -1;
/// Warnings and notes (the default).
pub const NORMAL: i8 = 0;
/// `-v`: progress and resolved parameters.
pub const VERBOSE: i8 = 1;
/// `-vv`: every HTTP request and status.
pub const TRACE: i8 = 2;

/// Sets the verbosity for the rest of the process.
pub fn set_level(level: i8) {
    LEVEL.store(level, Ordering::Relaxed);
}

/// Whether lines of `level` are shown.
pub fn enabled(level: i8) -> bool {
    LEVEL.load(Ordering::Relaxed) >= level
}

/// Writes one line to stderr, secrets scrubbed. Errors writing to stderr are ignored: there is
/// nowhere left to report them.
pub fn emit(line: &str) {
    let line = crate::secret::scrub(line);
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// A warning (hidden by `-q`).
#[macro_export]
macro_rules! warn {
    ($($arg:tt)*) => {
        if $crate::log::enabled($crate::log::NORMAL) {
            $crate::log::emit(&format!("wa-analytics: warning: {}", format_args!($($arg)*)));
        }
    };
}

/// A note (hidden by `-q`).
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {
        if $crate::log::enabled($crate::log::NORMAL) {
            $crate::log::emit(&format!("wa-analytics: {}", format_args!($($arg)*)));
        }
    };
}

/// Progress and resolved parameters (`-v`).
#[macro_export]
macro_rules! info {
    ($($arg:tt)*) => {
        if $crate::log::enabled($crate::log::VERBOSE) {
            $crate::log::emit(&format!("wa-analytics: {}", format_args!($($arg)*)));
        }
    };
}

/// HTTP traces (`-vv`).
#[macro_export]
macro_rules! trace {
    ($($arg:tt)*) => {
        if $crate::log::enabled($crate::log::TRACE) {
            $crate::log::emit(&format!("wa-analytics: {}", format_args!($($arg)*)));
        }
    };
}
