//! What every command needs: options, environment, clock, streams and their terminal facts, the
//! chosen profile and its provider, and the one place where records meet the output layer.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::task::Poll;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::{StreamExt, stream};

use super::accounts::Member;
use super::distinct::{Distinct, Keyer};
use super::io::IoStreams;
use super::{GlobalArgs, RangeArgs};
use crate::config::{self, ConfigFile, Profile};
use crate::error::AppError;
use crate::http::HttpOptions;
use crate::output::{self, FieldDef, Format, OutputSpec, Shape, Writer};
use crate::progress;
use crate::provider::{
    self, AnalyticsProvider, Operation, Page, ProviderError, QueryRange, Record, RecordStream,
    Support,
};
use crate::state::Incremental;
use crate::time::{self, RangeInput, Zone};

/// The span of a read command with no RANGE options (product.md: "otherwise the last 30 days").
pub const DEFAULT_SPAN: chrono::Duration = chrono::Duration::days(30);

/// Looks up an environment variable.
pub type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Builds the provider of a profile: [`provider::build`] for a real run; a test can wrap it, count
/// its calls, or hand back a provider of its own.
pub type ProviderFactory = Arc<
    dyn Fn(&Profile, &HttpOptions) -> Result<Arc<dyn AnalyticsProvider>, ProviderError>
        + Send
        + Sync,
>;

/// What the world gives a run: its streams, environment, clock and provider factory.
/// [`Host::system`] is the real process's; a test builds one with [`Host::test`] and changes
/// what it needs.
pub struct Host {
    /// Stdout, stderr, stdin and their terminal facts.
    pub io: IoStreams,
    /// Environment lookup.
    pub env: EnvLookup,
    /// The time the run starts.
    pub now: DateTime<Utc>,
    /// Builds providers.
    pub build: ProviderFactory,
}

impl Host {
    /// The real process: its streams, its environment, the system clock, [`provider::build`].
    pub fn system() -> Host {
        Host {
            io: IoStreams::system(),
            env: Arc::new(|k| std::env::var(k).ok()),
            now: Utc::now(),
            build: Arc::new(provider::build),
        }
    }

    /// In-memory streams (see [`IoStreams::test`]), the variables `env` only, the clock stopped
    /// at `now`, and [`provider::build`]. The [`super::io::Captured`] reads back stdout and
    /// stderr.
    pub fn test(env: &[(&str, &str)], now: DateTime<Utc>) -> (Host, super::io::Captured) {
        let (io, captured) = IoStreams::test();
        let env: std::collections::HashMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let host = Host {
            io,
            env: Arc::new(move |k| env.get(k).cloned()),
            now,
            build: Arc::new(provider::build),
        };
        (host, captured)
    }

    /// The same host with `build` as its provider factory.
    pub fn with_build(
        mut self,
        build: impl Fn(&Profile, &HttpOptions) -> Result<Arc<dyn AnalyticsProvider>, ProviderError>
        + Send
        + Sync
        + 'static,
    ) -> Host {
        self.build = Arc::new(build);
        self
    }
}

/// The context of one run.
pub struct Ctx {
    /// The global options.
    pub global: GlobalArgs,
    /// Environment lookup (tests and `--demo` can substitute it).
    pub env: EnvLookup,
    /// The time the run started: every "now" of the run is this one.
    pub now: DateTime<Utc>,
    /// Stdout, stderr, stdin and their terminal facts.
    pub io: IoStreams,
    /// Builds the provider of a profile ([`Ctx::account`], `profiles check`).
    pub build: ProviderFactory,
    /// Config text to use instead of the file (`--demo`: the sandbox's profiles).
    pub config_override: Option<String>,
    /// In a run over several profiles, this profile's part of the one result: its output goes
    /// there instead of to stdout or `-o`.
    pub(super) member: Option<Arc<Member>>,
    /// The config file once read: a run reads it (and warns about it) once, however many
    /// profiles it reads.
    pub(super) loaded: std::sync::OnceLock<Option<ConfigFile>>,
}

/// A resolved profile and its provider.
pub struct Account {
    /// The profile.
    pub profile: Profile,
    /// The provider built from it.
    pub provider: Arc<dyn AnalyticsProvider>,
}

impl Ctx {
    /// The context of the real process.
    pub fn from_process(global: GlobalArgs) -> Ctx {
        Ctx::new(global, Host::system())
    }

    /// The context of a run on `host`.
    pub fn new(global: GlobalArgs, host: Host) -> Ctx {
        Ctx {
            global,
            env: host.env,
            now: host.now,
            io: host.io,
            build: host.build,
            config_override: None,
            member: None,
            loaded: std::sync::OnceLock::new(),
        }
    }

    /// Where data goes when there is no `-o`.
    pub fn stdout(&self) -> Box<dyn Write + Send> {
        self.io.stdout()
    }

    /// The HTTP options of this run with `vendor`: `--timeout`, else the vendor's default.
    pub fn http_options(&self, vendor: crate::vendor::Vendor) -> HttpOptions {
        HttpOptions {
            timeout: self
                .global
                .timeout
                .map_or_else(|| provider::request_timeout(vendor), Duration::from_secs),
            retries: self.global.retries,
            concurrency: self.global.concurrency,
            server_limit: provider::adapter(vendor).request_limit,
            ..HttpOptions::default()
        }
    }

    /// The config file path: `--config`/`WA_ANALYTICS_CONFIG`, else the XDG default.
    pub fn config_path(&self) -> Option<PathBuf> {
        self.global
            .config
            .clone()
            .or_else(|| config::default_path(&*self.env))
    }

    /// Loads the config file. `Ok(None)` when no file was named and the default does not exist.
    pub fn config(&self) -> Result<Option<ConfigFile>, AppError> {
        if let Some(text) = &self.config_override {
            return Ok(Some(ConfigFile::parse(
                text,
                std::path::Path::new("<sandbox>"),
            )?));
        }
        if let Some(file) = self.loaded.get() {
            return Ok(file.clone());
        }
        let explicit = self.global.config.is_some();
        let file = match self.config_path() {
            Some(path) if explicit || path.exists() => {
                let file = ConfigFile::load(&path)?;
                for w in file.warnings() {
                    warn!("{w}");
                }
                Some(file)
            }
            _ => None,
        };
        let _ = self.loaded.set(file.clone());
        Ok(file)
    }

    /// The profile this run uses: `--provider` (from variables), else `--profile`, else the
    /// file's `default_profile`, else its only profile.
    pub fn profile(&self) -> Result<Profile, AppError> {
        if let Some(vendor) = self.global.provider
            && (self.global.profile.is_none() || self.profile_from_env_only())
        {
            if self.config_override.is_some() {
                // --demo --provider X: the sandbox's profile of that vendor.
                let file = self
                    .config()?
                    .ok_or_else(|| AppError::Internal("the demo config is missing".into()))?;
                return Ok(file.profile(vendor.id())?);
            }
            return Ok(config::profile_from_env(vendor, &*self.env)?);
        }
        let Some(file) = self.config()? else {
            let path = self.config_path().map_or_else(
                || "(no home directory)".to_string(),
                |p| p.display().to_string(),
            );
            return Err(AppError::usage(
                format!("no profile to use: there is no config file at {path} and no --provider"),
                "create the config file (see the README's 'Configuration'), pass --config PATH, or use --provider VENDOR with WA_<VENDOR>_<FIELD> variables",
            ));
        };
        let name = match (&self.global.profile, file.default_profile()) {
            (Some(name), _) => name.clone(),
            (None, Some(default)) => default.to_string(),
            (None, None) => match file.profile_names().as_slice() {
                [only] => only.clone(),
                [] => {
                    return Err(AppError::usage(
                        format!("{} has no profiles", file.path().display()),
                        "add a [profiles.NAME] table (see the README's 'Configuration')",
                    ));
                }
                names => {
                    return Err(AppError::usage(
                        format!(
                            "{} has several profiles ({}) and no default_profile",
                            file.path().display(),
                            names.join(", ")
                        ),
                        "pass --profile NAME, or set default_profile in the file",
                    ));
                }
            },
        };
        Ok(file.profile(&name)?)
    }

    /// True when `--profile` came only from `WA_ANALYTICS_PROFILE` while `--provider` was given
    /// (a flag beats a variable).
    fn profile_from_env_only(&self) -> bool {
        let from_env = (self.env)("WA_ANALYTICS_PROFILE");
        let provider_from_env = (self.env)("WA_ANALYTICS_PROVIDER").is_some();
        from_env.is_some() && from_env == self.global.profile && !provider_from_env
    }

    /// The profile and its provider, credentials read.
    pub fn account(&self) -> Result<Account, AppError> {
        let profile = self.profile()?;
        profile.resolve_secrets()?;
        let mut http = self.http_options(profile.vendor);
        if let (Some(member), Some(limit)) = (
            &self.member,
            provider::adapter(profile.vendor)
                .capabilities
                .concurrency_limit,
        ) {
            // Profiles of one token share its limit (Wolkvox: one request in flight in all).
            http.limiter = Some(member.shared_limiter(&profile, limit.max));
        }
        let provider = (self.build)(&profile, &http)?;
        info!("profile '{}' ({})", profile.name, profile.vendor.id());
        if let Some(limit) = provider.capabilities().concurrency_limit {
            self.warn_over_limit(&profile, limit);
        }
        Ok(Account { profile, provider })
    }

    /// Warns when `--concurrency` (or else the profile) asks for more than the vendor allows.
    fn warn_over_limit(&self, profile: &Profile, limit: provider::ConcurrencyLimit) {
        let asked = match (self.global.concurrency, profile.concurrency) {
            (Some(n), _) => (n > limit.max).then(|| format!("--concurrency {n}")),
            (None, Some(n)) => {
                (n > limit.max).then(|| format!("profile '{}': concurrency = {n}", profile.name))
            }
            (None, None) => None,
        };
        if let Some(asked) = asked {
            let pace = match limit.max {
                1 => "one at a time".to_string(),
                n => format!("at most {n} at a time"),
            };
            warn!(
                "{asked} is ignored: {}, so requests are sent {pace}",
                limit.why
            );
        }
    }

    /// Fails with exit 2 when the vendor cannot serve `op`, naming what it can.
    pub fn require(&self, account: &Account, op: Operation, command: &str) -> Result<(), AppError> {
        let caps = account.provider.capabilities();
        match caps.support(op) {
            Support::NotSupported => Err(ProviderError::not_supported(
                account.profile.vendor.display_name(),
                command,
                &caps.supported_commands(),
            )
            .into()),
            _ => Ok(()),
        }
    }

    /// The capability family a vendor-specific command needs (`click_reports`,
    /// `template_catalog`, …), after checking the vendor serves `op`: exit 2 naming what it
    /// does serve otherwise.
    pub fn capability<'a, F: ?Sized>(
        &self,
        account: &'a Account,
        op: Operation,
        get: impl FnOnce(&'a dyn AnalyticsProvider) -> Option<&'a F>,
    ) -> Result<&'a F, AppError> {
        self.capability_as(account, op, op.command(), get)
    }

    /// [`Ctx::capability`] for a command spelled as the user typed it (`campaigns export` is
    /// [`Operation::CampaignsDetails`]).
    pub fn capability_as<'a, F: ?Sized>(
        &self,
        account: &'a Account,
        op: Operation,
        command: &str,
        get: impl FnOnce(&'a dyn AnalyticsProvider) -> Option<&'a F>,
    ) -> Result<&'a F, AppError> {
        self.require(account, op, command)?;
        get(account.provider.as_ref()).ok_or_else(|| account.provider.unsupported(op).into())
    }

    /// The zone of this run: `--tz`, else the profile's zone, else UTC.
    pub fn zone(&self, args: &RangeArgs, profile: &Profile) -> Result<Zone, AppError> {
        Ok(match &args.tz {
            Some(tz) => Zone::parse(tz)?,
            None => profile.timezone.unwrap_or(Zone::UTC),
        })
    }

    /// Resolves `op`'s RANGE options in `--tz`, else the profile's zone, else UTC.
    pub fn range(
        &self,
        op: Operation,
        args: &RangeArgs,
        profile: &Profile,
    ) -> Result<QueryRange, AppError> {
        let range = self.resolve_range(args, profile)?;
        self.say_range(op, &range, args, profile, "")?;
        Ok(range)
    }

    /// [`Ctx::range`] without the `-v` line, for a command that moves the range before it
    /// reads (an incremental export resuming from its state), then says it with [`Ctx::say_range`].
    pub fn resolve_range(
        &self,
        args: &RangeArgs,
        profile: &Profile,
    ) -> Result<QueryRange, AppError> {
        let zone = self.zone(args, profile)?;
        let input = RangeInput {
            from: args.from.clone(),
            to: args.to.clone(),
            last: args.last.clone(),
        };
        let (range, explicit) = time::resolve_range(&input, &zone, self.now, DEFAULT_SPAN)?;
        Ok(QueryRange { range, explicit })
    }

    /// The `-v` line of the range a command reads; `why` explains a range the command chose.
    pub fn say_range(
        &self,
        op: Operation,
        range: &QueryRange,
        args: &RangeArgs,
        profile: &Profile,
        why: &str,
    ) -> Result<(), AppError> {
        if let Some(own) =
            provider::default_range_of(profile.vendor, op).filter(|_| !range.explicit)
        {
            info!(
                "range: none given, so {} reads its own default: {own}",
                profile.vendor
            );
            return Ok(());
        }
        let zone = self.zone(args, profile)?;
        let default = if range.explicit {
            ""
        } else {
            "; default: the last 30 days"
        };
        info!(
            "range: {} to {} (half-open, UTC; zone {}{default}{why})",
            range
                .range
                .start
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            range
                .range
                .end
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            zone.name(),
        );
        Ok(())
    }

    /// The output options of this run.
    pub fn output_spec(&self, command_default: Option<Format>) -> OutputSpec {
        OutputSpec {
            format: self.global.format,
            path: self.global.output.clone(),
            fields: self
                .global
                .fields
                .as_ref()
                .map(|f| f.split(',').map(|s| s.trim().to_string()).collect()),
            bom: self.global.bom,
            csv_raw: self.global.csv_raw,
            stdout_is_terminal: self.io.stdout_is_terminal,
            terminal_width: self.io.terminal_width,
            command_default,
        }
    }

    /// Whether the user asked for `--fields help`.
    pub fn wants_fields_help(&self) -> bool {
        self.global.fields.as_deref().map(str::trim) == Some("help")
    }

    /// Handles `--fields help` for a read command before any account is needed: with a profile
    /// (or `--provider`) chosen, every field `op` prints at that vendor with where its figure
    /// comes from; without a config file, the common fields and their meanings. Returns true
    /// when it printed.
    pub fn fields_help_for(&self, op: Operation) -> Result<bool, AppError> {
        if !self.wants_fields_help() {
            return Ok(false);
        }
        // The vendor is all it needs: no credential is read.
        let vendor = match self.global.provider {
            Some(vendor) if self.global.profile.is_none() || self.profile_from_env_only() => {
                Some(vendor)
            }
            _ if self.config()?.is_none() => None,
            _ => Some(self.profile()?.vendor),
        };
        let fields = match vendor {
            Some(vendor) => provider::mapping::with_sources(
                vendor,
                op,
                &provider::mapping::fields_of(vendor, op),
            ),
            None => provider::mapping::common_fields(op),
        };
        self.fields_help(&fields)
    }

    /// Handles `--fields help`: prints the fields and returns true.
    pub fn fields_help(&self, fields: &[FieldDef]) -> Result<bool, AppError> {
        if !self.wants_fields_help() {
            return Ok(false);
        }
        if let Some(member) = &self.member {
            member.help(fields)?;
            return Ok(true);
        }
        let mut out = self.stdout();
        let text = output::fields_help(fields);
        out.write_all(text.as_bytes())
            .and_then(|_| {
                if text.ends_with('\n') {
                    Ok(())
                } else {
                    out.write_all(b"\n")
                }
            })
            .and_then(|_| out.flush())
            .map_err(|source| output::OutputError::Io {
                target: "standard output".into(),
                source,
            })?;
        Ok(true)
    }

    /// Writes a stream of records, each row once ([`Record::identity`]). A failure after rows
    /// reached stdout is reported as an incomplete result (exit 3); with `-o` the previous file
    /// is kept and the failure keeps its own exit code. Distinct rows that do not add up to what
    /// the vendor counts are written, then reported as an incomplete result (exit 3).
    pub async fn write_stream<T: Record>(
        &self,
        extra: Vec<FieldDef>,
        records: RecordStream<'_, T>,
        command_default: Option<Format>,
    ) -> Result<u64, AppError> {
        self.write_stream_incremental(extra, records, command_default, None)
            .await
    }

    /// [`Ctx::write_stream`], skipping rows an earlier incremental run already wrote.
    pub async fn write_stream_incremental<T: Record>(
        &self,
        extra: Vec<FieldDef>,
        records: RecordStream<'_, T>,
        command_default: Option<Format>,
        mut incremental: Option<&mut Incremental>,
    ) -> Result<u64, AppError> {
        let mut fields = T::common_fields();
        fields.extend(extra);
        if self.fields_help(&fields)? {
            return Ok(0);
        }
        let resumable = incremental.is_some();
        let spec = self.output_spec(command_default);
        if self.member.is_none() {
            // A run over several profiles checks --fields against all their fields.
            output::check_fields(&spec, &fields)?;
        }
        // The first page (or failure) comes before the output is opened: a refused query or a
        // failed first request leaves stdout empty and no file behind, not a lone header.
        let mut pages = until_failure(records).fuse();
        let first = match pages.next().await {
            Some(Err(e)) => return Err(e.into()),
            first => first,
        };
        // With --jq, the JSON result in memory, filtered once it is whole.
        let mut collected = None;
        let mut target = match &self.member {
            Some(member) => {
                member.fields(fields).await?;
                Target::Member(member.clone())
            }
            None => {
                let (writer, filtered) = self.open_result(&spec, fields, Shape::List)?;
                collected = filtered;
                Target::Writer(Box::new(writer))
            }
        };
        let rows_to_terminal = spec.path.is_none() && self.io.stdout_is_terminal;
        // The bar draws on the process's stderr: never for a run on other streams, nor for
        // one profile of several.
        let mut bar = progress::Bar::start(progress::wanted(
            self.io.stderr_is_terminal && self.io.is_system() && self.member.is_none(),
            self.global.quiet,
            rows_to_terminal,
        ));
        // Each page is decoded (if its adapter left that to us) and encoded on the blocking pool,
        // several at once, and written in order. Rows served before are dropped there, each
        // page in its turn (so the first copy of a row is the one kept, however the pages'
        // work overlaps); with --state, rows the last run wrote are dropped too (what that
        // filter decides does not depend on the order of pages). One profile of several hands
        // its rows to the merge unencoded.
        let encoder = match &target {
            Target::Writer(writer) => Some(writer.encoder()),
            Target::Member(_) => None,
        };
        let filter = incremental
            .as_deref_mut()
            .map(|inc| Arc::new(Mutex::new(std::mem::take(inc))));
        let distinct = Arc::new(Mutex::new(Distinct::default()));
        let keyer = Keyer::default();
        // The turn of the page before: its sender is dropped once that page was de-duplicated
        // (or if it never will be), which is when the next page may be.
        let mut turn: Option<mpsc::Receiver<()>> = None;
        let mut encoded = stream::iter(first)
            .chain(pages)
            .map(|page| {
                let encoder = encoder.clone();
                let filter = filter.clone();
                let (distinct, keyer) = (distinct.clone(), keyer.clone());
                let (done, next) = mpsc::sync_channel::<()>(0);
                let wait = turn.replace(next);
                // The run's diagnostics go with the work to the blocking thread.
                let sink = crate::log::current();
                async move {
                    let page = page?;
                    tokio::task::spawn_blocking(move || {
                        crate::log::sync_scope(sink, || {
                            let counted = page.counted();
                            let records = page.decode()?;
                            let keys = keyer.keys(&records);
                            if let Some(wait) = wait {
                                // Err: the page before is done (its sender dropped).
                                let _ = wait.recv();
                            }
                            let records = {
                                let mut d = distinct.lock().unwrap_or_else(PoisonError::into_inner);
                                if let Some(counted) = counted {
                                    d.count(counted);
                                }
                                d.admit(records, &keys)
                            };
                            drop(done);
                            let records = admit(records, filter.as_deref());
                            let rows = records.into_iter().map(Record::into_row);
                            Ok::<_, ProviderError>(match encoder {
                                Some(encoder) => Ready::Encoded(encoder.encode(rows)),
                                None => Ready::Rows(rows.collect()),
                            })
                        })
                    })
                    .await
                    .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
                }
            })
            .buffered(ENCODE_AHEAD);
        let mut handed = 0;
        while let Some(page) = encoded.next().await {
            let written = match (page, &mut target) {
                (Ok(Ready::Encoded(batch)), Target::Writer(writer)) => {
                    let rows = batch.rows();
                    writer
                        .write_encoded(batch)
                        .map(|()| rows)
                        .map_err(AppError::from)
                }
                (Ok(Ready::Rows(rows)), Target::Member(member)) => {
                    let n = rows.len() as u64;
                    member.rows(rows).await.map(|()| n)
                }
                (Ok(_), _) => Err(AppError::Internal(
                    "rows were made for another output".into(),
                )),
                (Err(e), _) => Err(e.into()),
            };
            match written {
                Ok(rows) => {
                    handed += rows;
                    bar.rows(rows);
                }
                Err(e) => {
                    bar.finish();
                    return Err(match target {
                        // With --jq nothing reached stdout: the failure keeps its own code.
                        Target::Writer(writer) if collected.is_none() => abandon(*writer, &spec, e),
                        Target::Writer(_) | Target::Member(_) => e,
                    });
                }
            }
        }
        bar.finish();
        drop(encoded);
        if let (Some(inc), Some(filter)) = (incremental, filter) {
            // Every page was encoded, so no task holds the filter any more.
            let filter = Arc::into_inner(filter).expect("every encoding task has ended");
            *inc = filter.into_inner().unwrap_or_else(PoisonError::into_inner);
        }
        let distinct = Arc::into_inner(distinct)
            .expect("every encoding task has ended")
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let rows = match target {
            Target::Writer(writer) => {
                let rows = self.finish_result(*writer, collected, spec.path.as_deref())?;
                self.report_written(&spec, rows);
                rows
            }
            Target::Member(member) => {
                // Returns once the one result is written (with -o: in place), so that an
                // incremental export's position never moves ahead of its rows.
                member.done().await?;
                handed
            }
        };
        if distinct.repeated() > 0 {
            warn!(
                "{} row(s) came twice from the vendor's pages and were written once (the pages shifted or repeated while they were read)",
                distinct.repeated()
            );
        }
        // The distinct rows are written (and with -o, in place): short of what the vendor
        // counts, they are an incomplete result all the same, and an incremental export keeps
        // its position (its caller saves it only on success).
        distinct.check(spec.path.as_deref()).map_err(|mut e| {
            if resumable {
                let hint = e.hint.take().unwrap_or_default();
                e.hint = Some(format!(
                    "{hint}; the --state position was not moved, so the next run reads this range again"
                ));
            }
            e
        })?;
        Ok(rows)
    }

    /// Writes one record (`campaigns summary`).
    pub fn write_object<T: Record>(&self, extra: Vec<FieldDef>, record: T) -> Result<(), AppError> {
        let mut fields = T::common_fields();
        fields.extend(extra);
        if let Some(member) = &self.member {
            // One row per profile in the one result.
            return member.object(fields, record.into_row());
        }
        let spec = self.output_spec(None);
        let (mut writer, collected) = self.open_result(&spec, fields, Shape::Object)?;
        writer.write_row(record.into_row())?;
        self.finish_result(writer, collected, spec.path.as_deref())?;
        Ok(())
    }

    /// Writes rows that are not provider records (`providers`, `profiles`).
    pub fn write_rows(
        &self,
        fields: Vec<FieldDef>,
        rows: Vec<Vec<output::Value>>,
    ) -> Result<(), AppError> {
        if self.fields_help(&fields)? {
            return Ok(());
        }
        let spec = self.output_spec(None);
        let (mut writer, collected) = self.open_result(&spec, fields, Shape::List)?;
        for row in rows {
            writer.write_row(row)?;
        }
        self.finish_result(writer, collected, spec.path.as_deref())?;
        Ok(())
    }

    pub(super) fn report_written(&self, spec: &OutputSpec, rows: u64) {
        if let Some(path) = &spec.path {
            if self.io.stderr_is_terminal {
                note!("wrote {rows} row(s) to {}", path.display());
            } else {
                info!("wrote {rows} row(s) to {}", path.display());
            }
        } else {
            info!("{rows} row(s)");
        }
    }
}

/// Where a stream's rows go: the run's output, or the merge of a run over several profiles.
enum Target {
    Writer(Box<Writer>),
    Member(Arc<Member>),
}

/// A page made ready for its [`Target`].
enum Ready {
    Encoded(output::Encoded),
    Rows(Vec<Vec<output::Value>>),
}

/// How many pages are encoded at once, ahead of the one being written.
const ENCODE_AHEAD: usize = 2;

/// `pages` up to and including the first failure: nothing more is asked of the vendor after it.
fn until_failure<'a, T: 'a>(
    mut pages: RecordStream<'a, T>,
) -> impl futures::Stream<Item = Result<Page<T>, ProviderError>> + 'a {
    let mut failed = false;
    stream::poll_fn(move |cx| {
        if failed {
            return Poll::Ready(None);
        }
        let item = pages.poll_next_unpin(cx);
        failed = matches!(item, Poll::Ready(Some(Err(_))));
        item
    })
}

/// The records of a page, less those an earlier incremental run already wrote.
fn admit<T: Record>(mut records: Vec<T>, filter: Option<&Mutex<Incremental>>) -> Vec<T> {
    if let Some(filter) = filter {
        let mut inc = filter.lock().unwrap_or_else(PoisonError::into_inner);
        records.retain(|record| {
            let key = record.dedup_key();
            inc.admit(key.as_ref().map(|(k, at)| (k.as_str(), *at)))
        });
    }
    records
}

/// Drops a writer after a failure: with `-o` nothing was delivered (the temporary file goes,
/// the previous file stays); on stdout, rows already written make the result incomplete.
fn abandon(writer: Writer, spec: &OutputSpec, cause: AppError) -> AppError {
    // The writer is dropped on return: with -o, that removes the temporary file.
    let rows = writer.rows_written();
    if spec.path.is_none() && rows > 0 && !cause.is_incomplete() {
        AppError::PartialOutput {
            rows,
            cause: Box::new(cause),
        }
    } else {
        cause
    }
}
