//! The command tree (clap), one file per noun. Commands get their dependencies through [`Ctx`]:
//! options, environment, clock, streams ([`IoStreams`]) and their terminal facts, and the
//! profile/provider factory. [`Host`] is what a run is given: the process's, or a test's.

mod accounts;
mod api;
mod broadcast;
mod campaigns;
mod clicks;
mod conversations;
mod ctx;
mod distinct;
mod filters;
pub mod io;
mod jq;
mod messages;
mod profiles;
mod providers;
mod report;
mod sandbox;
mod state;
mod stats;
mod templates;
mod trigger;
mod users;
pub mod write;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use ctx::{Ctx, EnvLookup, Host, ProviderFactory};
pub use io::IoStreams;

use crate::error::AppError;
use crate::output::Format;
use crate::vendor::Vendor;

/// One command line for the WhatsApp campaign-analytics APIs of Engage, Engati, Insider, Wolkvox
/// and Engagive.
#[derive(Debug, Parser)]
#[command(
    name = "wa-analytics",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_help = "Exit codes: 0 ok, 2 usage/config/unsupported, 3 incomplete, 4 auth refused, 5 rate-limited, 6 vendor or network failure, 7 not found, 130 interrupted, 143 terminated (SIGTERM, SIGHUP)."
)]
pub struct Cli {
    /// Options accepted before or after the command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options that every command takes, before or after its name.
#[derive(Debug, Clone, Args)]
#[command(mut_arg("timeout", |a| a.help(timeout_help())))]
pub struct GlobalArgs {
    /// Account from the config file, or several (a,b,c) read together into one result
    /// [default: the file's default_profile]
    #[arg(
        short,
        long,
        global = true,
        env = "WA_ANALYTICS_PROFILE",
        value_name = "NAME[,NAME…]"
    )]
    pub profile: Option<String>,

    /// Every profile of the config file, read together into one result (read commands)
    #[arg(long, global = true)]
    pub all_profiles: bool,

    /// Use a vendor with no profile (credentials from `WA_<VENDOR>_<FIELD>` variables).
    #[arg(
        help = "Use a vendor with no profile; credentials from WA_<VENDOR>_<FIELD> variables",
        long,
        global = true,
        env = "WA_ANALYTICS_PROVIDER",
        value_name = "VENDOR",
        value_enum
    )]
    pub provider: Option<Vendor>,

    /// Config file [default: $XDG_CONFIG_HOME/wa-analytics/config.toml]
    #[arg(long, global = true, env = "WA_ANALYTICS_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Output format [default: table on a terminal, tsv when piped, or from -o's extension]
    #[arg(
        short,
        long,
        global = true,
        env = "WA_ANALYTICS_FORMAT",
        value_name = "FMT",
        value_enum
    )]
    pub format: Option<Format>,

    /// Write to FILE atomically (a temporary file renamed into place when complete)
    #[arg(short, long, global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Choose and order columns (a,b,c); 'help' lists the command's fields
    #[arg(long, global = true, value_name = "a,b,c")]
    pub fields: Option<String>,

    /// Filter the JSON result with a jq expression, in process: strings print raw, other values
    /// as compact JSON, one per line
    #[arg(long, global = true, value_name = "EXPR")]
    pub jq: Option<String>,

    /// More diagnostics on stderr: -v progress and parameters, -vv every HTTP request
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Nothing on stderr but errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Colour on stderr
    #[arg(long, global = true, value_name = "WHEN", value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Per-request timeout in seconds (the help text is [`timeout_help`]'s)
    #[arg(long, global = true, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: Option<u64>,

    /// Attempts for retryable failures (429, 5xx, time-outs), the first included
    #[arg(long, global = true, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub retries: u32,

    /// Requests in flight at once, within the vendor's limit (Wolkvox: 1) [default: the profile's, else 4]
    #[arg(long, global = true, value_name = "N", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=64))]
    pub concurrency: Option<usize>,

    /// Start CSV/TSV output with a UTF-8 byte-order mark (for Excel)
    #[arg(long, global = true)]
    pub bom: bool,

    /// Do not neutralise cells a spreadsheet would run as formulas
    #[arg(long, global = true)]
    pub csv_raw: bool,

    /// Run against the built-in sandbox with generated data; no account needed
    #[arg(long, global = true)]
    pub demo: bool,
}

/// When to colour stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On terminals, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// RANGE options of the read commands.
#[derive(Debug, Clone, Default, Args)]
pub struct RangeArgs {
    /// Start of the range (inclusive).
    #[arg(
        long,
        value_name = "WHEN",
        help = "Start (inclusive): YYYY-MM-DD, 'YYYY-MM-DD HH:MM[:SS]', RFC 3339, now, today, yesterday, -7d"
    )]
    pub from: Option<String>,

    /// End (exclusive; a date alone means the end of that day) [default: now]
    #[arg(long, value_name = "WHEN")]
    pub to: Option<String>,

    /// The last DURATION up to now: 7d, 24h, 90m, 2w [default: 30d]
    #[arg(long, value_name = "DURATION", conflicts_with_all = ["from", "to"])]
    pub last: Option<String>,

    /// Zone for times without an offset [default: the profile's timezone, else UTC]
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
}

/// The help of `--timeout`: the default, and the longer one of each vendor whose server may take
/// longer over a request, as the adapters declare them.
fn timeout_help() -> String {
    let longer: Vec<String> = Vendor::all()
        .filter_map(|v| {
            let limit = crate::provider::adapter(v).request_limit?;
            Some(format!(
                "{v}, whose server may take {} s: {}",
                limit.as_secs(),
                crate::provider::request_timeout(v).as_secs()
            ))
        })
        .collect();
    let mut default = vec!["30".to_string()];
    default.extend(longer);
    format!(
        "Per-request timeout in seconds [default: {}]",
        default.join("; ")
    )
}

/// The help of `--last` for `op`: the tool's default (30 days) and each vendor's own default
/// where it has one, as the vendors' adapters declare them.
pub fn last_help(op: crate::provider::Operation) -> String {
    let serving: Vec<Vendor> = Vendor::all()
        .filter(|v| crate::provider::capabilities_of(*v).serves(op))
        .collect();
    let own: Vec<(Vendor, &str)> = serving
        .iter()
        .filter_map(|v| crate::provider::default_range_of(*v, op).map(|d| (*v, d)))
        .collect();
    let default = match own.as_slice() {
        [(_, only)] if serving.len() == 1 => format!("{only}, {}'s own default", serving[0]),
        _ => std::iter::once("30d".to_string())
            .chain(own.iter().map(|(v, d)| format!("{v}: {d}")))
            .collect::<Vec<_>>()
            .join("; "),
    };
    format!("The last DURATION up to now: 7d, 24h, 90m, 2w [default: {default}]")
}

/// The commands.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Campaigns: list, summary, contact-level details, export
    #[command(subcommand)]
    Campaigns(campaigns::CampaignsCommand),
    /// Message metrics per day or week, per campaign or in total
    ///
    /// Wolkvox: derived, campaign_9 record statuses counted per day (or week) of sending, in the
    /// profile's timezone.
    ///
    /// Insider: the daily chart of its overall statistics (weeks add the days up); --by-campaign
    /// gives its per-campaign breakdown and --total its totals for the range, every count
    /// included; --report transactional|verify reads its transactional or OTP statistics
    /// instead. Ranges over a year are asked a year at a time and added up; rates are computed
    /// from the counts.
    Stats(stats::StatsArgs),
    /// Clicks on ads and posts that opened a WhatsApp chat (Wolkvox chat_14); 'clicks summary'
    /// for the totals (chat_15)
    Clicks(clicks::ClicksArgs),
    /// Users of the bot, found by attribute (Engati)
    #[command(subcommand)]
    Users(users::UsersCommand),
    /// One user's chat history, every page, oldest first (Engati); without RANGE, all of it
    Conversations(conversations::ConversationsArgs),
    /// WhatsApp templates, their contents and lookups (Engagive)
    #[command(subcommand)]
    Templates(templates::TemplatesCommand),
    /// Send WhatsApp messages: templates, reactions, free-form (write)
    #[command(subcommand)]
    Messages(messages::MessagesCommand),
    /// Broadcast a text to users, or a template to a CSV audience with 'external' (Engati, write)
    Broadcast(broadcast::BroadcastArgs),
    /// Start a bot flow for one WhatsApp user (Engati API Trigger, write)
    Trigger(trigger::TriggerArgs),
    /// Incremental-export state: show where exports stand, or clear it
    #[command(subcommand)]
    State(state::StateCommand),
    /// Configured accounts
    #[command(subcommand)]
    Profiles(profiles::ProfilesCommand),
    /// Which commands each vendor supports: native, derived, or not supported
    Providers(providers::ProvidersArgs),
    /// One self-contained HTML page of the range's numbers, with charts, for one profile or
    /// several (-p a,b, --all-profiles)
    ///
    /// Per profile: the totals with their rates, a funnel (sent → delivered → read → engaged),
    /// the messages per day, and the campaigns of the range by messages sent; across profiles,
    /// the rates side by side. Written to standard output, or atomically with -o FILE.html.
    Report(report::ReportArgs),
    /// Serve the built-in simulator of every vendor's API on 127.0.0.1
    Sandbox(sandbox::SandboxArgs),
    /// Send one request of your own to the profile's vendor, with its credentials, and print
    /// the answer as the vendor sent it (GET is a read; other methods are writes)
    Api(api::ApiArgs),
    /// Print a shell completion script
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

impl Command {
    /// Whether the command handles Ctrl-C itself (the sandbox stops cleanly, exit 0).
    pub fn handles_interrupt(&self) -> bool {
        matches!(self, Command::Sandbox(_))
    }
}

/// Runs the parsed command (with `--demo`, against a sandbox started for this run).
pub async fn dispatch(command: Command, mut ctx: Ctx) -> Result<(), AppError> {
    // A --jq filter that does not parse stops the run before any request.
    ctx.jq()?;
    let _demo = if ctx.global.demo && !matches!(command, Command::Sandbox(_)) {
        Some(sandbox::start_demo(&mut ctx).await?)
    } else {
        None
    };
    let ctx = &ctx;
    if let Some(names) = accounts::chosen(ctx)? {
        if accounts::reads(&command) {
            return accounts::run(command, ctx, names).await;
        }
        if matches!(
            command,
            Command::Messages(_) | Command::Broadcast(_) | Command::Trigger(_) | Command::Api(_)
        ) {
            return Err(AppError::usage(
                "a write command takes one profile; several were named",
                "name the one profile to send from with -p NAME",
            ));
        }
    }
    match command {
        Command::Sandbox(args) => sandbox::run(args, ctx).await,
        Command::Messages(cmd) => messages::run(cmd, ctx).await,
        Command::Broadcast(args) => broadcast::run(args, ctx).await,
        Command::Trigger(args) => trigger::run(args, ctx).await,
        Command::Api(args) => api::run(args, ctx).await,
        Command::State(cmd) => state::run(cmd, ctx),
        Command::Profiles(cmd) => profiles::run(cmd, ctx).await,
        Command::Providers(args) => providers::run(args, ctx),
        // Several profiles or one, in one page: it reads them itself.
        Command::Report(args) => report::run(args, ctx).await,
        Command::Completions { shell } => {
            // Rendered to memory first: clap_complete panics when its writer fails, and a
            // closed pipe (`| head`) must end quietly.
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "wa-analytics", &mut script);
            let mut out = ctx.stdout();
            out.write_all(&script)
                .and_then(|()| out.flush())
                .map_err(|source| crate::output::OutputError::Io {
                    target: "standard output".into(),
                    source,
                })?;
            Ok(())
        }
        read => run_read(read, ctx).await,
    }
}

/// Runs a read command (for one profile: the run's, or one of several).
async fn run_read(command: Command, ctx: &Ctx) -> Result<(), AppError> {
    match command {
        Command::Campaigns(cmd) => campaigns::run(cmd, ctx).await,
        Command::Stats(args) => stats::run(args, ctx).await,
        Command::Clicks(args) => clicks::run(args, ctx).await,
        Command::Users(cmd) => users::run(cmd, ctx).await,
        Command::Conversations(args) => conversations::run(args, ctx).await,
        Command::Templates(cmd) => templates::run(cmd, ctx).await,
        other => Err(AppError::Internal(format!(
            "{other:?} is not a read command"
        ))),
    }
}
