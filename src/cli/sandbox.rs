//! `wa-analytics sandbox` and `--demo`: the built-in simulator of every vendor's API.

use std::io::Write;
use std::time::Duration;

use clap::Args;

use super::Ctx;
use crate::error::AppError;
use crate::output::OutputError;
use crate::sandbox::{Sandbox, SandboxOptions, Variant};
use crate::time::Zone;
use crate::vendor::Vendor;

/// `sandbox`.
#[derive(Debug, Clone, Args)]
pub struct SandboxArgs {
    /// Port on 127.0.0.1 (0 picks a free one)
    #[arg(long, value_name = "P", default_value_t = 8765)]
    pub port: u16,
    /// Seed of the generated data and the injected faults
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Contacts per campaign (millions work: pages are generated on demand)
    #[arg(long, value_name = "N", default_value_t = 500)]
    pub rows: u64,
    /// Latency added to every response, in milliseconds
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency: u64,
    /// Fraction of requests answered with a fault: 429, 500/503, a reset or a truncated body
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = fault_rate)]
    pub fault_rate: f64,
    /// Answer otherwise than documented, to see how the tool reads it (repeatable)
    #[arg(long, value_name = "VARIANT", value_enum)]
    pub variant: Vec<Variant>,
    /// The Wolkvox operation's time zone (its times are local there); the printed Wolkvox
    /// profile gets the same `timezone`
    #[arg(long, value_name = "ZONE", value_parser = zone, default_value = "UTC")]
    pub wolkvox_zone: Zone,
}

fn zone(s: &str) -> Result<Zone, String> {
    Zone::parse(s).map_err(|e| e.0)
}

fn fault_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(f) if (0.0..=1.0).contains(&f) => Ok(f),
        _ => Err(format!(
            "'{s}' is not a fraction between 0 and 1 (e.g. 0.1)"
        )),
    }
}

impl SandboxArgs {
    fn options(&self) -> SandboxOptions {
        SandboxOptions {
            port: self.port,
            seed: self.seed,
            rows: self.rows,
            latency: Duration::from_millis(self.latency),
            fault_rate: self.fault_rate,
            variants: self.variant.clone(),
            wolkvox_zone: self.wolkvox_zone,
        }
    }
}

/// Serves until Ctrl-C: the base URLs on stderr, a ready config on stdout (so
/// `wa-analytics sandbox > sandbox.toml` saves it). Ctrl-C is how it is meant to be stopped
/// (exit 0); SIGTERM and SIGHUP stop it too, with one line and exit 143 like every command.
pub async fn run(args: SandboxArgs, ctx: &Ctx) -> Result<(), AppError> {
    // Listening from before the config is printed: a signal sent once it is there is heard.
    let mut signals = crate::signals::Signals::new()
        .map_err(|e| AppError::Internal(format!("cannot listen for signals: {e}")))?;
    let sandbox = Sandbox::start_anchored(args.options(), data_end(ctx))
        .await
        .map_err(|e| {
            AppError::usage(
                format!(
                    "could not start the sandbox on 127.0.0.1:{}: {e}",
                    args.port
                ),
                "choose another port with --port, or --port 0 for any free one",
            )
        })?;
    note!(
        "sandbox: serving every vendor's API on http://{} with generated data (seed {}, {} rows per campaign)",
        sandbox.addr(),
        args.seed,
        args.rows
    );
    for vendor in Vendor::all() {
        note!("  {:<9} {}", vendor.id(), sandbox.base_url(vendor));
    }
    note!(
        "a ready config follows on stdout; save it and use --config FILE. Ctrl-C stops the sandbox."
    );
    let mut out = ctx.stdout();
    out.write_all(sandbox.config_toml().as_bytes())
        .and_then(|()| out.flush())
        .map_err(|source| OutputError::Io {
            target: "standard output".into(),
            source,
        })?;
    let stop = signals.next().await;
    sandbox.shutdown().await;
    if stop != crate::signals::Stop::Interrupt {
        return Err(stop.error());
    }
    note!("sandbox stopped");
    Ok(())
}

/// Where the generated data ends: the UTC midnight after the run's "now", as [`Sandbox::start`]
/// does with the system clock, so the default "last 30 days" shows campaigns and a test with a
/// stopped clock gets the same data on any day.
fn data_end(ctx: &Ctx) -> chrono::DateTime<chrono::Utc> {
    (ctx.now.date_naive() + chrono::Days::new(1))
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
}

/// Starts a sandbox on a free port for `--demo` and points the run at it.
pub async fn start_demo(ctx: &mut Ctx) -> Result<Sandbox, AppError> {
    let sandbox = Sandbox::start_anchored(SandboxOptions::default(), data_end(ctx))
        .await
        .map_err(|e| AppError::Internal(format!("could not start the demo sandbox: {e}")))?;
    ctx.config_override = Some(sandbox.config_toml());
    note!("--demo: generated data from the built-in sandbox, not a real account");
    Ok(sandbox)
}
