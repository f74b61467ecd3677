//! Diagnostics on stderr: warnings, `-v` progress and `-vv` HTTP traces. Every line passes
//! through [`crate::secret::scrub`], so no registered secret reaches the terminal.
//!
//! A run can have a sink of its own ([`scope`]): its lines, at its level, go to the writer it
//! names (the run's stderr) instead of the process's stderr at the process-wide level. The sink is
//! a tokio task-local, so runs in parallel tests each keep their own lines; work a run hands to
//! another thread carries it along with [`current`] and [`sync_scope`].

use std::collections::HashSet;
use std::future::Future;
use std::io::Write;
use std::sync::atomic::{AtomicI8, Ordering};
use std::sync::{Arc, Mutex};

static LEVEL: AtomicI8 = AtomicI8::new(0);

/// The keys [`once`] has seen in lines outside any [`scope`].
static SEEN: Mutex<Option<HashSet<String>>> = Mutex::new(None);

/// `-q`: errors only.
pub const QUIET: i8 = -1;
/// Warnings and notes (the default).
pub const NORMAL: i8 = 0;
/// `-v`: progress and resolved parameters.
pub const VERBOSE: i8 = 1;
/// `-vv`: every HTTP request and status.
pub const TRACE: i8 = 2;

/// Where the lines of one run go, and which it shows.
#[derive(Clone)]
pub struct Sink {
    /// The highest level shown ([`QUIET`] … [`TRACE`]).
    pub level: i8,
    /// Opens the writer the lines go to (each line is written and flushed on its own).
    pub writer: Arc<dyn Fn() -> Box<dyn Write + Send> + Send + Sync>,
    /// The keys [`once`] has seen in this run.
    pub seen: Arc<Mutex<HashSet<String>>>,
    /// Put after `wa-analytics: ` in every line: `[profile]` in a run over several profiles.
    pub prefix: Option<Arc<str>>,
}

impl Sink {
    /// A sink at `level` writing to what `writer` opens.
    pub fn new(level: i8, writer: Arc<dyn Fn() -> Box<dyn Write + Send> + Send + Sync>) -> Self {
        Sink {
            level,
            writer,
            seen: Arc::default(),
            prefix: None,
        }
    }

    /// The same sink for one profile of a run over several: its lines say `[name]` after
    /// `wa-analytics: `, and what it says once it says once for this profile.
    pub fn for_profile(&self, name: &str) -> Sink {
        Sink {
            level: self.level,
            writer: self.writer.clone(),
            seen: Arc::default(),
            prefix: Some(format!("[{name}] ").into()),
        }
    }
}

tokio::task_local! {
    static SINK: Sink;
}

/// Sets the verbosity for the rest of the process (lines outside any [`scope`]).
pub fn set_level(level: i8) {
    LEVEL.store(level, Ordering::Relaxed);
}

/// Runs `future` with its diagnostics going to `sink`.
pub async fn scope<F: Future>(sink: Sink, future: F) -> F::Output {
    SINK.scope(sink, future).await
}

/// Runs `f` with its diagnostics going to `sink`, when there is one (on a blocking thread, say).
pub fn sync_scope<R>(sink: Option<Sink>, f: impl FnOnce() -> R) -> R {
    match sink {
        Some(sink) => SINK.sync_scope(sink, f),
        None => f(),
    }
}

/// The sink of the current run, if it has one of its own.
pub fn current() -> Option<Sink> {
    SINK.try_with(Sink::clone).ok()
}

/// Whether lines of `level` are shown.
pub fn enabled(level: i8) -> bool {
    SINK.try_with(|s| s.level)
        .unwrap_or_else(|_| LEVEL.load(Ordering::Relaxed))
        >= level
}

/// Writes one line to the run's stderr (else the process's), secrets scrubbed. Errors writing
/// it are ignored: there is nowhere left to report them.
pub fn emit(line: &str) {
    // One write of the whole line, so lines from several threads never interleave.
    let mut line = crate::secret::scrub(line).into_owned();
    if let Ok(Some(prefix)) = SINK.try_with(|s| s.prefix.clone()) {
        let at = if line.starts_with("wa-analytics: ") {
            "wa-analytics: ".len()
        } else {
            0
        };
        line.insert_str(at, &prefix);
    }
    line.push('\n');
    let written = SINK.try_with(|s| {
        let mut err = (s.writer)();
        let _ = err.write_all(line.as_bytes()).and_then(|()| err.flush());
    });
    if written.is_err() {
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }
}

/// Writes one diagnostic line (the macros' [`emit`]): whatever it quotes — a campaign name, a
/// vendor's words — cannot end the line or reach the terminal as a control character
/// ([`crate::api_error::visible`]).
pub fn emit_line(line: &str) {
    emit(&crate::api_error::visible(line));
}

/// True the first time `key` is asked for in this run (the run's [`scope`], else the process):
/// for diagnostics said once per run however many records give cause (`warn_once!`).
pub fn once(key: &str) -> bool {
    let fresh = SINK.try_with(|s| {
        s.seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key.to_string())
    });
    fresh.unwrap_or_else(|_| {
        SEEN.lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert_with(HashSet::new)
            .insert(key.to_string())
    })
}

/// A warning given once per run for `key` (hidden by `-q`).
#[macro_export]
macro_rules! warn_once {
    ($key:expr, $($arg:tt)*) => {
        if $crate::log::enabled($crate::log::NORMAL) && $crate::log::once(&$key) {
            $crate::log::emit_line(&format!("wa-analytics: warning: {}", format_args!($($arg)*)));
        }
    };
}

/// A `-v` line given once per run for `key`.
#[macro_export]
macro_rules! info_once {
    ($key:expr, $($arg:tt)*) => {
        if $crate::log::enabled($crate::log::VERBOSE) && $crate::log::once(&$key) {
            $crate::log::emit_line(&format!("wa-analytics: {}", format_args!($($arg)*)));
        }
    };
}

/// A warning (hidden by `-q`).
#[macro_export]
macro_rules! warn {
    ($($arg:tt)*) => {
        if $crate::log::enabled($crate::log::NORMAL) {
            $crate::log::emit_line(&format!("wa-analytics: warning: {}", format_args!($($arg)*)));
        }
    };
}

/// A note (hidden by `-q`).
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {
        if $crate::log::enabled($crate::log::NORMAL) {
            $crate::log::emit_line(&format!("wa-analytics: {}", format_args!($($arg)*)));
        }
    };
}

/// Progress and resolved parameters (`-v`).
#[macro_export]
macro_rules! info {
    ($($arg:tt)*) => {
        if $crate::log::enabled($crate::log::VERBOSE) {
            $crate::log::emit_line(&format!("wa-analytics: {}", format_args!($($arg)*)));
        }
    };
}

/// HTTP traces (`-vv`).
#[macro_export]
macro_rules! trace {
    ($($arg:tt)*) => {
        if $crate::log::enabled($crate::log::TRACE) {
            $crate::log::emit_line(&format!("wa-analytics: {}", format_args!($($arg)*)));
        }
    };
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    fn buffer_sink(level: i8) -> (Sink, Arc<Mutex<Vec<u8>>>) {
        #[derive(Clone)]
        struct Shared(Arc<Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let shared = Shared(bytes.clone());
        let sink = Sink::new(level, Arc::new(move || Box::new(shared.clone())));
        (sink, bytes)
    }

    fn text(bytes: &Mutex<Vec<u8>>) -> String {
        String::from_utf8(bytes.lock().unwrap().clone()).unwrap()
    }

    #[tokio::test]
    async fn a_scope_keeps_its_own_lines_at_its_own_level() {
        let (quiet, quiet_lines) = buffer_sink(QUIET);
        let (verbose, verbose_lines) = buffer_sink(VERBOSE);
        let a = scope(quiet, async {
            warn!("hidden by -q");
            emit("an error");
        });
        let b = scope(verbose, async {
            tokio::task::yield_now().await;
            warn!("shown");
            info!("progress");
            trace!("not at -v");
            // Carried to a blocking thread.
            let sink = current();
            tokio::task::spawn_blocking(move || sync_scope(sink, || note!("from a thread")))
                .await
                .unwrap();
        });
        futures::join!(a, b);
        assert_eq!(text(&quiet_lines), "an error\n");
        // A line quotes what it is given, but cannot be made two, nor move the cursor.
        let (normal, normal_lines) = buffer_sink(NORMAL);
        scope(normal, async {
            warn!("campaign '{}'", "x\x1b[2J\nwa-analytics: done, 0 errors");
        })
        .await;
        assert_eq!(
            text(&normal_lines),
            "wa-analytics: warning: campaign 'x\\e[2J\\nwa-analytics: done, 0 errors'\n"
        );
        assert_eq!(
            text(&verbose_lines),
            "wa-analytics: warning: shown\nwa-analytics: progress\nwa-analytics: from a thread\n"
        );
        assert!(current().is_none());
    }
}
