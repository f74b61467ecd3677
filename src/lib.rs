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
pub mod sandbox;
pub mod secret;
pub mod state;
pub mod time;
pub mod vendor;

#[cfg(test)]
mod layering;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, ColorChoice, Ctx};
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
    match std::panic::catch_unwind(run_inner) {
        Ok(code) => code,
        Err(_) => ExitCode::from(1),
    }
}

fn run_inner() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    log::set_level(verbosity(&cli));
    let color = use_color(cli.global.color);
    let ctx = Ctx::from_process(cli.global.clone());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(blocking_threads())
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            report(
                &AppError::Internal(format!("could not start the async runtime: {e}")),
                color,
            );
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(async {
        if cli.command.handles_interrupt() {
            return cli::dispatch(cli.command, ctx).await;
        }
        tokio::select! {
            r = cli::dispatch(cli.command, ctx) => r,
            _ = tokio::signal::ctrl_c() => Err(AppError::Interrupted),
        }
    });
    // Pending requests of an interrupted run must not keep the process alive.
    runtime.shutdown_background();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            report(&e, color);
            ExitCode::from(e.exit_code())
        }
    }
}

/// `-q`, `-v`/`-vv`, else `WA_ANALYTICS_LOG` (0–2, or quiet/info/debug/trace).
/// Threads for CPU-bound work (decoding pages, encoding rows): one per core, and at least two so
/// that decoding and encoding overlap. More only compete for the same cores, and every thread
/// that allocates grows the process's memory by an allocator arena of its own: with tokio's
/// default (up to 512) a million-row export took a fifth longer and 30% more memory.
fn blocking_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().max(2))
}

fn verbosity(cli: &Cli) -> i8 {
    if cli.global.quiet {
        return log::QUIET;
    }
    if cli.global.verbose > 0 {
        return cli.global.verbose.min(2) as i8;
    }
    match std::env::var("WA_ANALYTICS_LOG")
        .ok()
        .as_deref()
        .map(str::trim)
    {
        Some("quiet" | "-1") => log::QUIET,
        Some("1" | "info" | "verbose") => log::VERBOSE,
        Some("2" | "debug" | "trace") => log::TRACE,
        _ => log::NORMAL,
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Prints an error as one paragraph and a hint line (secrets scrubbed by [`log::emit`]).
fn report(e: &AppError, color: bool) {
    let label = if color {
        "\x1b[1;31merror:\x1b[0m"
    } else {
        "error:"
    };
    let mut text = format!("wa-analytics: {label} {e}");
    if let AppError::PartialOutput { .. } = e {
        text.push_str(" The rows above are not the whole result.");
    }
    if let Some(hint) = e.hint() {
        text.push_str(&format!("\nhint: {hint}"));
    }
    log::emit(&text);
}
