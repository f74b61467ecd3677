//! wa-analytics: one command line for the WhatsApp campaign-analytics APIs of Engage, Engati,
//! Insider, Wolkvox and Engagive.
//!
//! Data flows one way: [`cli`] parses and resolves a query, a [`provider`] streams unified
//! records, and [`output`] renders them. Only [`http`] talks to the network.

#[macro_use]
pub mod log;

pub mod api_error;
pub mod cli;
pub mod config;
pub mod error;
pub mod http;
pub mod output;
pub mod progress;
pub mod provider;
pub mod report;
pub mod sandbox;
pub mod secret;
pub mod state;
pub mod time;
pub mod vendor;

#[cfg(test)]
mod layering;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, ColorChoice, Command, Ctx, Host};
use error::AppError;

/// Runs the command line and returns the process exit code (product.md, "Exit codes").
pub fn run() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        log::emit(&format!(
            "wa-analytics: error: internal error: {what}{place}\nhint: this is a bug in wa-analytics; please report it with the command you ran"
        ));
    }));
    match std::panic::catch_unwind(|| run_on_runtime(std::env::args_os(), Host::system(), true)) {
        Ok(code) => ExitCode::from(code),
        Err(_) => ExitCode::from(1),
    }
}

/// Runs a command line in-process, as the binary would, on a runtime of its own, and returns the
/// exit code. `args` starts with the program name (`["wa-analytics", "providers"]`); `host` gives
/// the streams, environment, clock and provider factory. Unlike the binary, it leaves Ctrl-C and
/// the process-wide log level alone: its diagnostics go to `host`'s stderr. Call it outside any
/// async runtime (within one, use [`run_async`]).
///
/// Clap reads the `env =` fallbacks of the global options (`WA_ANALYTICS_PROFILE`, `_PROVIDER`,
/// `_CONFIG`, `_FORMAT`) from the process environment, and a config's `{ env = "X" }` secrets are
/// read from it too; everything else the run looks up goes through `host.env`.
pub fn run_with<I, T>(args: I, host: Host) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    run_on_runtime(args, host, false)
}

/// [`run_with`] on the caller's tokio runtime (a `#[tokio::test]`, say).
pub async fn run_async<I, T>(args: I, host: Host) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let run = match prepare(args, host) {
        Ok(run) => run,
        Err(code) => return code,
    };
    let result = log::scope(run.sink.clone(), execute(run.command, run.ctx, false)).await;
    finish(result, &run.sink, run.color)
}

/// A parsed command line ready to run.
struct Prepared {
    command: Command,
    ctx: Ctx,
    /// Where the run's diagnostics go, at its verbosity.
    sink: log::Sink,
    color: bool,
}

/// Parses `args` as the binary does. Clap's own output (`--help`, usage errors) goes to the
/// host's streams; its exit code is the `Err`.
fn prepare<I, T>(args: I, host: Host) -> Result<Prepared, u8>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            print_clap(&e, &host.io);
            return Err(e.exit_code().clamp(0, 255) as u8);
        }
    };
    let sink = log::Sink::new(verbosity(&cli, &*host.env), host.io.stderr_factory());
    let color = use_color(cli.global.color, host.io.stderr_is_terminal, &*host.env);
    let ctx = Ctx::new(cli.global.clone(), host);
    Ok(Prepared {
        command: cli.command,
        ctx,
        sink,
        color,
    })
}

/// `--help`, `--version` and usage errors: as clap prints them for the process (coloured on a
/// terminal), plain text on other streams.
fn print_clap(e: &clap::Error, io: &cli::IoStreams) {
    if io.is_system() {
        let _ = e.print();
        return;
    }
    let mut out = if e.use_stderr() {
        io.stderr()
    } else {
        io.stdout()
    };
    let _ = write!(out, "{}", e.render()).and_then(|()| out.flush());
}

/// The binary (`process`: the process-wide log level is set and Ctrl-C interrupts the run) and
/// [`run_with`]: a multi-threaded runtime of the run's own.
fn run_on_runtime<I, T>(args: I, host: Host, process: bool) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let run = match prepare(args, host) {
        Ok(run) => run,
        Err(code) => return code,
    };
    if process {
        log::set_level(run.sink.level);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(blocking_threads())
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            log::sync_scope(Some(run.sink), || {
                report(
                    &AppError::Internal(format!("could not start the async runtime: {e}")),
                    run.color,
                )
            });
            return 1;
        }
    };
    let result = runtime.block_on(log::scope(
        run.sink.clone(),
        execute(run.command, run.ctx, process),
    ));
    // Pending requests of an interrupted run must not keep the process alive, nor a secret's
    // command outlive it.
    runtime.shutdown_background();
    if process {
        secret::end_running_commands();
    }
    finish(result, &run.sink, run.color)
}

/// Dispatches the command; with `interrupt`, Ctrl-C (exit 130), SIGTERM and SIGHUP (exit 143)
/// end it unless the command handles Ctrl-C itself. Ending it drops the run, which removes its
/// temporary file; see [`signals::listen`] for a run that does not end at once.
async fn execute(command: Command, ctx: Ctx, interrupt: bool) -> Result<(), AppError> {
    if !interrupt || command.handles_interrupt() {
        return cli::dispatch(command, ctx).await;
    }
    let mut stop = signals::listen()
        .map_err(|e| AppError::Internal(format!("cannot listen for signals: {e}")))?;
    let result = tokio::select! {
        biased;
        Ok(stopped) = &mut stop => return Err(stopped.error()),
        r = cli::dispatch(command, ctx) => r,
    };
    // A signal that came while the run was blocked (reading a `{ command = … }` secret, which
    // the signal ended) ends the run with the signal's exit code, not the secret's error.
    match stop.try_recv() {
        Ok(stopped) => Err(stopped.error()),
        Err(_) => result,
    }
}

/// Ctrl-C, SIGTERM and SIGHUP: the run is ended as for Ctrl-C (product.md, "Exit codes").
mod signals {
    use std::time::Duration;

    use tokio::sync::oneshot;

    use crate::error::AppError;

    /// How long an ended run may take to drop: a main thread stuck in a write (a FIFO whose
    /// reader stopped reading) never gets there, so the process then ends without it.
    const GRACE: Duration = Duration::from_secs(3);

    /// Starts listening; the receiver gets the error of the first signal. If the run has not
    /// ended [`GRACE`] after it (or a second signal comes), the temporary files are removed
    /// here, the same one-line message is printed and the process exits with the same code.
    pub(super) fn listen() -> std::io::Result<oneshot::Receiver<Stop>> {
        let mut signals = Signals::new()?;
        let (tx, rx) = oneshot::channel();
        let sink = crate::log::current();
        tokio::spawn(async move {
            let first = signals.next().await;
            let _ = tx.send(first);
            // A `{ command = … }` secret runs in a process group of its own, out of reach of
            // the terminal's signals, and blocks the task that reads it: end it here (after the
            // run was told why, so its failure is read as the signal's).
            crate::secret::end_running_commands();
            tokio::select! {
                () = tokio::time::sleep(GRACE) => {}
                _ = signals.next() => {}
            }
            crate::output::remove_temporary_files();
            crate::log::sync_scope(sink, || {
                crate::log::emit(&format!("wa-analytics: error: {}", first.error()));
            });
            std::process::exit(i32::from(first.error().exit_code()));
        });
        Ok(rx)
    }

    /// Which signal came.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub(crate) enum Stop {
        Interrupt,
        #[cfg_attr(not(unix), allow(dead_code))]
        Terminate,
        #[cfg_attr(not(unix), allow(dead_code))]
        Hangup,
    }

    impl Stop {
        /// The run's error: Ctrl-C is exit 130, SIGTERM and SIGHUP exit 143.
        pub(crate) fn error(self) -> AppError {
            match self {
                Stop::Interrupt => AppError::Interrupted,
                Stop::Terminate => AppError::Terminated("SIGTERM"),
                Stop::Hangup => AppError::Terminated("SIGHUP"),
            }
        }
    }

    /// The signals that end a run; a command that handles them itself (`sandbox`) listens with
    /// one of its own, from before it says it is ready.
    pub(crate) struct Signals {
        #[cfg(unix)]
        interrupt: tokio::signal::unix::Signal,
        #[cfg(unix)]
        terminate: tokio::signal::unix::Signal,
        #[cfg(unix)]
        hangup: tokio::signal::unix::Signal,
    }

    impl Signals {
        /// Starts listening.
        #[cfg(unix)]
        pub(crate) fn new() -> std::io::Result<Signals> {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
                hangup: signal(SignalKind::hangup())?,
            })
        }

        /// Starts listening.
        #[cfg(not(unix))]
        pub(crate) fn new() -> std::io::Result<Signals> {
            Ok(Signals {})
        }

        /// The next signal.
        #[cfg(unix)]
        pub(crate) async fn next(&mut self) -> Stop {
            tokio::select! {
                _ = self.interrupt.recv() => Stop::Interrupt,
                _ = self.terminate.recv() => Stop::Terminate,
                _ = self.hangup.recv() => Stop::Hangup,
            }
        }

        /// The next signal.
        #[cfg(not(unix))]
        pub(crate) async fn next(&mut self) -> Stop {
            let _ = tokio::signal::ctrl_c().await;
            Stop::Interrupt
        }
    }
}

/// The exit code of a finished run, its error reported to the run's stderr.
fn finish(result: Result<(), AppError>, sink: &log::Sink, color: bool) -> u8 {
    match result {
        Ok(()) => 0,
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            log::sync_scope(Some(sink.clone()), || report(&e, color));
            e.exit_code()
        }
    }
}

/// Threads for CPU-bound work (decoding pages, encoding rows): one per core, and at least two so
/// that decoding and encoding overlap. More only compete for the same cores, and every thread
/// that allocates grows the process's memory by an allocator arena of its own: with tokio's
/// default (up to 512) a million-row export took a fifth longer and 30% more memory.
fn blocking_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().max(2))
}

/// `-q`, `-v`/`-vv`, else `WA_ANALYTICS_LOG` (0–2, or quiet/info/debug/trace).
fn verbosity(cli: &Cli, env: &dyn Fn(&str) -> Option<String>) -> i8 {
    if cli.global.quiet {
        return log::QUIET;
    }
    if cli.global.verbose > 0 {
        return cli.global.verbose.min(2) as i8;
    }
    match env("WA_ANALYTICS_LOG").as_deref().map(str::trim) {
        Some("quiet" | "-1") => log::QUIET,
        Some("1" | "info" | "verbose") => log::VERBOSE,
        Some("2" | "debug" | "trace") => log::TRACE,
        _ => log::NORMAL,
    }
}

fn use_color(
    choice: ColorChoice,
    stderr_is_terminal: bool,
    env: &dyn Fn(&str) -> Option<String>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stderr_is_terminal && env("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// Prints an error as one paragraph and a hint line (secrets scrubbed by [`log::emit`]); no
/// character of either reaches the terminal as a control ([`api_error::visible`]): whatever a
/// vendor, a file name or a command put in them cannot forge a line or move the cursor.
fn report(e: &AppError, color: bool) {
    log::emit(&error::paragraph(e, color, None));
}
