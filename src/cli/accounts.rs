//! Across accounts (product.md): a read command over several profiles (`-p a,b,c`,
//! `--all-profiles`) gives one document. Each profile runs the command as it would alone, at the
//! same time as the others, in a [`Ctx`] of its own whose output goes to its [`Member`] of the
//! run's [`Merge`]; the merge writes one header (`profile`, `vendor`, then the fields of every
//! profile, in the order they first come), then each profile's rows together, profiles in the
//! order named. A profile whose vendor does not serve the command is skipped with a line; one
//! that fails does not stop the others (exit 3, naming it).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{Semaphore, mpsc, watch};

use super::{Command, Ctx};
use crate::api_error::ErrorKind;
use crate::config::{FieldValue, Profile};
use crate::error::AppError;
use crate::output::{FieldDef, FieldKind, Shape, Value};
use crate::vendor::Vendor;

/// Pages a profile may have ready ahead of the merge before it waits (its rows are written in
/// their turn; this bounds what waits in memory for it).
const AHEAD: usize = 16;

/// The profiles a run reads when it reads several: `--all-profiles` (the file's order), or `-p`
/// naming more than one. `None`: a run of one profile, as before.
pub(super) fn chosen(ctx: &Ctx) -> Result<Option<Vec<String>>, AppError> {
    let global = &ctx.global;
    let profile_flag = global
        .profile
        .as_ref()
        .filter(|p| (ctx.env)("WA_ANALYTICS_PROFILE").as_ref() != Some(*p));
    if global.all_profiles {
        if let Some(p) = profile_flag {
            return Err(AppError::usage(
                format!("--all-profiles and --profile {p} both choose the profiles"),
                "use one of them: --all-profiles for every profile, -p a,b for some",
            ));
        }
        if global.provider.is_some() && (ctx.env)("WA_ANALYTICS_PROVIDER").is_none() {
            return Err(AppError::usage(
                "--all-profiles reads the config file's profiles; --provider reads one vendor's variables",
                "drop --provider, or drop --all-profiles",
            ));
        }
        let file = ctx.config()?.ok_or_else(|| {
            let path = ctx.config_path().map_or_else(
                || "(no home directory)".to_string(),
                |p| p.display().to_string(),
            );
            AppError::usage(
                format!("--all-profiles: there is no config file at {path}"),
                "create the config file (see the README's 'Configuration'), or pass --config PATH",
            )
        })?;
        let names = file.profile_names_in_file_order().to_vec();
        if names.is_empty() {
            return Err(AppError::usage(
                format!("{} has no profiles", file.path().display()),
                "add a [profiles.NAME] table (see the README's 'Configuration')",
            ));
        }
        return Ok(Some(names));
    }
    let Some(list) = global.profile.as_deref().filter(|p| p.contains(',')) else {
        return Ok(None);
    };
    let mut names: Vec<String> = Vec::new();
    for name in list.split(',').map(str::trim) {
        if name.is_empty() {
            return Err(AppError::usage(
                format!("--profile '{list}' has an empty name in it"),
                "name the profiles separated by commas, as in -p engage,insider",
            ));
        }
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    if names.len() == 1 {
        return Ok(None);
    }
    if global.provider.is_some() && (ctx.env)("WA_ANALYTICS_PROVIDER").is_none() {
        return Err(AppError::usage(
            "--provider reads one vendor's variables; it cannot be combined with several profiles",
            "drop --provider, or name one profile",
        ));
    }
    Ok(Some(names))
}

/// Whether `command` reads (and so may run over several profiles).
pub(super) fn reads(command: &Command) -> bool {
    matches!(
        command,
        Command::Campaigns(_)
            | Command::Stats(_)
            | Command::Clicks(_)
            | Command::Users(_)
            | Command::Conversations(_)
            | Command::Templates(_)
    )
}

/// Runs a read command over `names`, one profile beside the other, into one result.
pub(super) async fn run(command: Command, ctx: &Ctx, names: Vec<String>) -> Result<(), AppError> {
    let profiles = named(ctx, &names)?;
    let (merge, members) = Merge::new(&profiles);
    let sink = crate::log::current();
    let runs = members.into_iter().map(|member| {
        let sub = ctx.for_member(member);
        let command = command.clone();
        let name = sub.global.profile.clone().unwrap_or_default();
        let sink = sink.clone();
        let run = async move {
            let result = super::run_read(command, &sub).await;
            // The member goes with its context: the merge sees its rows end.
            drop(sub);
            result
        };
        async move {
            match &sink {
                Some(sink) => crate::log::scope(sink.for_profile(&name), run).await,
                None => run.await,
            }
        }
    });
    let (results, written) = tokio::join!(futures::future::join_all(runs), merge.write(ctx));
    conclude(ctx, &profiles, results, written)
}

/// The profiles `names` of the config file, each with its vendor when it validates; an unknown
/// name stops the run (exit 2) before anything is asked of any vendor.
pub(super) fn named(ctx: &Ctx, names: &[String]) -> Result<Vec<Named>, AppError> {
    let file = ctx.config()?.ok_or_else(|| {
        AppError::usage(
            "there is no config file to read profiles from",
            "create one (see the README's 'Configuration') or pass --config PATH",
        )
    })?;
    let known = file.profile_names();
    let mut profiles = Vec::with_capacity(names.len());
    for name in names {
        if !known.contains(name) {
            // An unknown name is a typo on the command line: the run stops here.
            file.profile(name)?;
        }
        // A profile that does not validate fails in its turn, as any other failure does.
        profiles.push(Named {
            name: name.clone(),
            vendor: file.profile(name).ok().map(|p| p.vendor),
        });
    }
    Ok(profiles)
}

/// What a run over several profiles ends with: the merge's own failure first (the output could
/// not be written), else skipped and failed profiles said on stderr; exit 2 when no profile
/// serves the command, 3 when some are missing from the result.
pub(super) fn conclude(
    ctx: &Ctx,
    profiles: &[Named],
    results: Vec<Result<(), AppError>>,
    written: Result<(), AppError>,
) -> Result<(), AppError> {
    written?;
    let mut skipped: Vec<AppError> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for (profile, result) in profiles.iter().zip(results) {
        let Err(e) = result else { continue };
        // The vendor's name begins the error's own text.
        let who = format!("profile '{}'", profile.name);
        match &e {
            // The command line itself is wrong: every profile would say so.
            AppError::Usage { .. } | AppError::Time(_) | AppError::Output(_) if !is_skip(&e) => {
                return Err(e);
            }
            AppError::Interrupted | AppError::Terminated(_) => return Err(e),
            AppError::Provider(p) if is_skip(&e) => {
                note!("skipped {who}: {}", crate::api_error::visible(&p.message));
                skipped.push(e);
            }
            _ => {
                crate::error::report_for(&who, &e);
                missing.push(profile.name.clone());
            }
        }
    }
    if skipped.len() == profiles.len() {
        return Err(AppError::usage(
            format!(
                "none of the profiles ({}) serves this command",
                profiles
                    .iter()
                    .map(|p| match p.vendor {
                        Some(vendor) => format!("{}: {vendor}", p.name),
                        None => format!("{}: not a valid profile", p.name),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "`wa-analytics providers` shows which vendor serves which command",
        ));
    }
    if missing.is_empty() {
        return Ok(());
    }
    let file = ctx
        .global
        .output
        .as_ref()
        .map(|p| format!("; {} holds what the other profiles gave", p.display()))
        .unwrap_or_default();
    Err(AppError::MissingProfiles {
        message: format!(
            "the result is missing {} of {} profiles: {} (their errors are above){file}",
            missing.len(),
            profiles.len(),
            missing.join(", ")
        ),
    })
}

/// A profile of the run, by name, and its vendor when the profile is valid.
pub(super) struct Named {
    pub(super) name: String,
    pub(super) vendor: Option<Vendor>,
}

/// A vendor that does not serve the command (or one of its options): the profile is skipped.
fn is_skip(e: &AppError) -> bool {
    matches!(e, AppError::Provider(p) if p.kind == ErrorKind::NotSupported)
}

/// What a profile's command sends the merge.
enum Event {
    /// `--fields help`: the fields this profile would print.
    Help(Vec<FieldDef>),
    /// The fields of the rows to come (the profile's first page is in).
    Fields(Vec<FieldDef>),
    /// Rows, in the order of those fields.
    Rows(Vec<Vec<Value>>),
    /// Every row was sent.
    Done,
}

/// One profile's part in a run over several: where its command's output goes.
pub struct Member {
    name: String,
    events: mpsc::Sender<Event>,
    /// Whether the result was written and (with `-o`) moved into place: `None` until it is
    /// known. An incremental export moves its position only once this says `Some(true)`.
    committed: watch::Receiver<Option<bool>>,
    /// The request limits shared by profiles of one token.
    limiters: Arc<Limiters>,
}

/// Why a member's rows could not be handed over: the merge stopped (its own failure is what the
/// run reports).
fn merge_gone() -> AppError {
    AppError::Internal("the result of the other profiles was abandoned".into())
}

impl Member {
    /// `--fields help` of this profile's command: the merge prints every profile's fields
    /// together.
    pub fn help(&self, fields: &[FieldDef]) -> Result<(), AppError> {
        self.events
            .try_send(Event::Help(fields.to_vec()))
            .map_err(|_| merge_gone())
    }

    /// Says the fields of the rows to come.
    pub async fn fields(&self, fields: Vec<FieldDef>) -> Result<(), AppError> {
        self.events
            .send(Event::Fields(fields))
            .await
            .map_err(|_| merge_gone())
    }

    /// Hands over rows (in the order of the fields said).
    pub async fn rows(&self, rows: Vec<Vec<Value>>) -> Result<(), AppError> {
        if rows.is_empty() {
            return Ok(());
        }
        self.events
            .send(Event::Rows(rows))
            .await
            .map_err(|_| merge_gone())
    }

    /// Says every row was sent, then waits until the result is written: `Err` when it was not.
    pub async fn done(&self) -> Result<(), AppError> {
        self.events
            .send(Event::Done)
            .await
            .map_err(|_| merge_gone())?;
        let mut committed = self.committed.clone();
        match committed.wait_for(Option::is_some).await {
            Ok(state) if *state == Some(true) => Ok(()),
            _ => Err(merge_gone()),
        }
    }

    /// One record (`campaigns summary`, `stats --total`): its fields, its row, done — without
    /// waiting (nothing else was sent before it, so it fits).
    pub fn object(&self, fields: Vec<FieldDef>, row: Vec<Value>) -> Result<(), AppError> {
        for event in [Event::Fields(fields), Event::Rows(vec![row]), Event::Done] {
            self.events.try_send(event).map_err(|_| merge_gone())?;
        }
        Ok(())
    }

    /// The limiter that `profile`'s requests share with other profiles of the same credentials
    /// and vendor, when the vendor limits requests per token (Wolkvox: one in flight).
    pub fn shared_limiter(&self, profile: &Profile, max: usize) -> Arc<Semaphore> {
        self.limiters.get(profile, max)
    }
}

/// Request limiters by vendor, address and credentials.
#[derive(Default)]
struct Limiters(Mutex<HashMap<u64, Arc<Semaphore>>>);

impl Limiters {
    fn get(&self, profile: &Profile, max: usize) -> Arc<Semaphore> {
        // The credentials are hashed in memory only, to tell which profiles share them.
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        profile.vendor.hash(&mut hasher);
        profile.base_url.hash(&mut hasher);
        for (key, value) in &profile.values {
            key.hash(&mut hasher);
            match value {
                FieldValue::Plain(text) => text.hash(&mut hasher),
                FieldValue::Secret(credential) => match credential.get() {
                    Ok(secret) => {
                        use secrecy::ExposeSecret;
                        secret.expose_secret().hash(&mut hasher);
                    }
                    Err(_) => credential.key().hash(&mut hasher),
                },
            }
        }
        let key = hasher.finish();
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(key)
            .or_insert_with(|| Arc::new(Semaphore::new(max)))
            .clone()
    }
}

/// The one result of a run over several profiles.
struct Merge {
    slots: Vec<Slot>,
    committed: watch::Sender<Option<bool>>,
}

/// A profile's place in the result.
struct Slot {
    name: String,
    vendor: Option<Vendor>,
    events: mpsc::Receiver<Event>,
}

/// What a profile's first event said.
enum Opening {
    Help(Vec<FieldDef>),
    Fields(Vec<FieldDef>),
    /// It ended without output (skipped or failed before its first page).
    Nothing,
}

impl Merge {
    fn new(profiles: &[Named]) -> (Merge, Vec<Member>) {
        let (committed, watch) = watch::channel(None);
        let limiters = Arc::new(Limiters::default());
        let mut slots = Vec::new();
        let mut members = Vec::new();
        for profile in profiles {
            let (tx, rx) = mpsc::channel(AHEAD);
            slots.push(Slot {
                name: profile.name.clone(),
                vendor: profile.vendor,
                events: rx,
            });
            members.push(Member {
                name: profile.name.clone(),
                events: tx,
                committed: watch.clone(),
                limiters: limiters.clone(),
            });
        }
        (Merge { slots, committed }, members)
    }

    /// Writes the result; tells the members whether it was written.
    async fn write(mut self, ctx: &Ctx) -> Result<(), AppError> {
        let result = self.write_all(ctx).await;
        let _ = self.committed.send(Some(result.is_ok()));
        result
    }

    async fn write_all(&mut self, ctx: &Ctx) -> Result<(), AppError> {
        // Every profile's first word: the header needs all their fields.
        let mut openings = Vec::with_capacity(self.slots.len());
        for slot in &mut self.slots {
            openings.push(match slot.events.recv().await {
                Some(Event::Help(fields)) => Opening::Help(fields),
                Some(Event::Fields(fields)) => Opening::Fields(fields),
                Some(Event::Rows(_) | Event::Done) => {
                    return Err(AppError::Internal(format!(
                        "profile '{}' sent rows before their fields",
                        slot.name
                    )));
                }
                None => Opening::Nothing,
            });
        }
        let mut union = vec![
            FieldDef::new("profile", FieldKind::Text, "the profile the row comes from"),
            FieldDef::new("vendor", FieldKind::Text, "the profile's vendor"),
        ];
        let mut layouts = Vec::with_capacity(openings.len());
        for opening in &openings {
            let fields = match opening {
                Opening::Help(fields) | Opening::Fields(fields) => fields,
                Opening::Nothing => {
                    layouts.push(None);
                    continue;
                }
            };
            let positions = fields
                .iter()
                .map(
                    |field| match union.iter().position(|u| u.name == field.name) {
                        Some(at) => at,
                        None => {
                            union.push(field.clone());
                            union.len() - 1
                        }
                    },
                )
                .collect::<Vec<_>>();
            layouts.push(Some(positions));
        }
        if openings.iter().any(|o| matches!(o, Opening::Help(_))) {
            ctx.fields_help(&union)?;
            return Ok(());
        }
        if layouts.iter().all(Option::is_none) {
            // No profile had a result: the run ends with their errors, and no output.
            return Ok(());
        }
        let spec = ctx.output_spec(None);
        let (mut writer, collected) = ctx.open_result(&spec, union.clone(), Shape::List)?;
        // A --jq result is a whole document too.
        let to_file = spec.path.is_some() || collected.is_some();
        let width = union.len();
        for (slot, positions) in self.slots.iter_mut().zip(&layouts) {
            let Some(positions) = positions else { continue };
            let place = |row: Vec<Value>| {
                let mut out = vec![Value::Null; width];
                out[0] = Value::Text(slot.name.clone());
                out[1] = slot
                    .vendor
                    .map_or(Value::Null, |v| Value::Text(v.id().to_string()));
                for (value, &at) in row.into_iter().zip(positions) {
                    out[at] = value;
                }
                out
            };
            // With -o, a profile's rows go in only once all of them came: a profile that
            // fails halfway leaves none of its rows in the file.
            let mut held: Vec<Vec<Value>> = Vec::new();
            loop {
                match slot.events.recv().await {
                    Some(Event::Rows(rows)) if to_file => held.extend(rows),
                    Some(Event::Rows(rows)) => {
                        for row in rows {
                            writer.write_row(place(row))?;
                        }
                    }
                    Some(Event::Done) => {
                        for row in held.drain(..) {
                            writer.write_row(place(row))?;
                        }
                        // Its member now waits for the result to be written: move on.
                        break;
                    }
                    Some(Event::Help(_) | Event::Fields(_)) => {
                        return Err(AppError::Internal(format!(
                            "profile '{}' wrote two results",
                            slot.name
                        )));
                    }
                    None => break,
                }
            }
        }
        let rows = ctx.finish_result(writer, collected, spec.path.as_deref())?;
        ctx.report_written(&spec, rows);
        Ok(())
    }
}

impl Ctx {
    /// The context of one profile of a run over several: the same options with that profile,
    /// its output going to `member`.
    pub(super) fn for_member(&self, member: Member) -> Ctx {
        let mut sub = self.for_profile(&member.name);
        sub.member = Some(Arc::new(member));
        sub
    }

    /// The context of one profile of a run over several whose command writes the one result
    /// itself (`report`): the same options and output with that profile.
    pub(super) fn for_profile(&self, name: &str) -> Ctx {
        let mut global = self.global.clone();
        global.profile = Some(name.to_string());
        global.all_profiles = false;
        Ctx {
            global,
            env: self.env.clone(),
            now: self.now,
            io: self.io.clone(),
            build: self.build.clone(),
            config_override: self.config_override.clone(),
            member: None,
            loaded: self.loaded.clone(),
        }
    }
}
