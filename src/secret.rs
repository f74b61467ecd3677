//! Credentials: where a secret comes from (literal, `{ env = … }`, `{ command = … }`), the
//! `secrecy` type that holds it, and the redactor every line bound for stderr passes through.

use std::borrow::Cow;
use std::io::Read as _;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, RwLock, mpsc};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use secrecy::{ExposeSecret, SecretString};

/// A credential that could not be read (a variable not set, a command that failed): a
/// configuration problem, exit 2. `Display` names the profile and the key, never the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SecretError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// Where a secret's value comes from.
pub enum SecretSource {
    /// Written in the config file (or given in a `WA_<VENDOR>_<FIELD>` variable).
    Literal(SecretString),
    /// Read from this environment variable.
    Env(String),
    /// The trimmed stdout of this shell command; run again once when the vendor answers 401.
    Command(String),
}

impl SecretSource {
    /// The kind of source, as `Debug` shows it: `literal`, `env` or `command`.
    pub fn kind(&self) -> &'static str {
        match self {
            SecretSource::Literal(_) => "literal",
            SecretSource::Env(_) => "env",
            SecretSource::Command(_) => "command",
        }
    }
}

/// Shows the variable name or the command (neither is secret), never a literal's value.
impl std::fmt::Debug for SecretSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SecretSource::Literal(_) => f.write_str("Literal(***)"),
            SecretSource::Env(var) => f.debug_tuple("Env").field(var).finish(),
            SecretSource::Command(cmd) => f.debug_tuple("Command").field(cmd).finish(),
        }
    }
}

/// One credential of one profile. Its `Debug` names the profile, the key and the kind of source,
/// never the value.
pub struct Credential {
    profile: String,
    key: String,
    source: SecretSource,
    /// The value once read; a `Mutex` so that concurrent first uses run a command only once.
    cache: Mutex<Option<SecretString>>,
    /// Set by the first [`Credential::refresh`]: a command is re-run at most once per process, so
    /// a command that keeps printing a rejected token cannot loop.
    refreshed: AtomicBool,
    /// How long a `command` source may run.
    command_timeout: Duration,
}

impl Credential {
    /// A credential of `profile`'s `key`, resolved on first use.
    pub fn new(profile: &str, key: &str, source: SecretSource) -> Credential {
        // A literal is known now: register it at once so that it is scrubbed even from output
        // produced before its first use.
        if let SecretSource::Literal(value) = &source {
            register(value.expose_secret());
        }
        Credential {
            profile: profile.to_owned(),
            key: key.to_owned(),
            source,
            cache: Mutex::new(None),
            refreshed: AtomicBool::new(false),
            command_timeout: DEFAULT_COMMAND_TIMEOUT,
        }
    }

    /// The same credential with another time-out for a `command` source (the profile's
    /// `command_timeout`).
    pub fn with_command_timeout(mut self, timeout: Duration) -> Credential {
        self.command_timeout = timeout;
        self
    }

    /// How long a `command` source may run.
    pub fn command_timeout(&self) -> Duration {
        self.command_timeout
    }

    /// The profile this credential belongs to.
    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// The key it is stored under (`token`, `bot_token`, …).
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Where the value comes from.
    pub fn source(&self) -> &SecretSource {
        &self.source
    }

    /// The secret's value: read from the source the first time (and registered with the
    /// redactor), from the cache afterwards. A missing variable or a failing command is a
    /// configuration error naming the profile and the key, never the value.
    pub fn get(&self) -> Result<SecretString, SecretError> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(value) = cache.as_ref() {
            return Ok(value.clone());
        }
        let value = match &self.source {
            SecretSource::Literal(value) => value.clone(),
            SecretSource::Env(var) => self.read_env(var)?,
            SecretSource::Command(cmd) => self.run_command(cmd)?,
        };
        register(value.expose_secret());
        *cache = Some(value.clone());
        Ok(value)
    }

    /// After a 401: runs a `command` source again, once per process, and returns `Ok(true)` when
    /// a new value was read; `Ok(false)` for literal and env sources or a second call.
    pub fn refresh(&self) -> Result<bool, SecretError> {
        let SecretSource::Command(cmd) = &self.source else {
            return Ok(false);
        };
        if self.refreshed.swap(true, Ordering::SeqCst) {
            return Ok(false);
        }
        // Hold the cache while the command runs, so a concurrent `get` waits for the new value.
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let value = self.run_command(cmd)?;
        register(value.expose_secret());
        *cache = Some(value);
        Ok(true)
    }

    /// Whether the value is written in the config file itself (for the permissions warning).
    pub fn is_literal(&self) -> bool {
        matches!(self.source, SecretSource::Literal(_))
    }

    fn read_env(&self, var: &str) -> Result<SecretString, SecretError> {
        match std::env::var(var) {
            Ok(value) if !value.is_empty() => Ok(SecretString::from(value)),
            Ok(_) => Err(self.env_error(var, "is empty")),
            Err(std::env::VarError::NotPresent) => Err(self.env_error(var, "is not set")),
            Err(std::env::VarError::NotUnicode(_)) => {
                Err(self.env_error(var, "is not valid UTF-8"))
            }
        }
    }

    fn env_error(&self, var: &str, problem: &str) -> SecretError {
        SecretError {
            message: format!(
                "profile '{}': {} = {{ env = \"{var}\" }} but {var} {problem}",
                self.profile, self.key
            ),
            hint: Some(format!(
                "export {var} with the {} before running wa-analytics",
                self.key
            )),
        }
    }

    /// Runs `cmd` through the platform shell and returns its trimmed stdout (see
    /// [`run_bounded`]: a time-out, a cap on the output, and the command's whole process group
    /// ended when it overruns). Its stderr is discarded: a failing credential helper may echo the
    /// secret there.
    fn run_command(&self, cmd: &str) -> Result<SecretString, SecretError> {
        let stdout = match run_bounded(cmd, self.command_timeout) {
            Ok(stdout) => stdout,
            Err(failure) => return Err(self.failure_error(cmd, &failure)),
        };
        let Ok(stdout) = String::from_utf8(stdout) else {
            return Err(self.command_error(cmd, "printed something that is not UTF-8"));
        };
        let value = stdout.trim();
        if value.is_empty() {
            return Err(self.command_error(cmd, "printed nothing on stdout"));
        }
        Ok(SecretString::from(value.to_owned()))
    }

    fn failure_error(&self, cmd: &str, failure: &CommandFailure) -> SecretError {
        let problem = match failure {
            CommandFailure::Spawn(e) => format!("could not be started ({e})"),
            CommandFailure::Status(code) => format!("failed with exit status {code}"),
            CommandFailure::Signal => "was terminated by a signal".to_owned(),
            CommandFailure::TimedOut(limit) => {
                let mut error = self.command_error(
                    cmd,
                    &format!("did not finish within {} s and was ended", limit.as_secs()),
                );
                error.hint = Some(format!(
                    "run the command yourself to see why it waits; if it needs longer, set command_timeout = SECONDS in the profile '{}' (now {})",
                    self.profile,
                    limit.as_secs()
                ));
                return error;
            }
            CommandFailure::TooLong => {
                let mut error = self.command_error(
                    cmd,
                    &format!(
                        "printed more than {} KiB on stdout and was ended",
                        COMMAND_OUTPUT_CAP / 1024
                    ),
                );
                error.hint = Some(format!(
                    "it must print only the {} on stdout (a secret is never that large)",
                    self.key
                ));
                return error;
            }
        };
        self.command_error(cmd, &problem)
    }

    fn command_error(&self, cmd: &str, problem: &str) -> SecretError {
        SecretError {
            message: format!(
                "profile '{}': {} = {{ command = \"{cmd}\" }} {problem}",
                self.profile, self.key
            ),
            hint: Some(format!(
                "run the command yourself to see why; it must print the {} on stdout and exit 0",
                self.key
            )),
        }
    }
}

/// The longest a `{ command = … }` secret may run unless the profile's `command_timeout` says
/// otherwise.
pub const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// The most a `{ command = … }` secret may print on stdout: a secret is never that large, and
/// a runaway command (`yes`) must not fill the memory.
pub const COMMAND_OUTPUT_CAP: usize = 64 * 1024;

/// How long the output of a command that has exited is still read: a background child it
/// started may hold its stdout open forever.
const EXIT_GRACE: Duration = Duration::from_millis(500);

/// Why a command gave no value.
#[derive(Debug)]
enum CommandFailure {
    /// It could not be started.
    Spawn(std::io::Error),
    /// It exited with this status code.
    Status(i32),
    /// A signal ended it.
    Signal,
    /// It ran longer than the time-out and was ended.
    TimedOut(Duration),
    /// It printed more than [`COMMAND_OUTPUT_CAP`] and was ended.
    TooLong,
}

/// Runs `cmd` through the platform shell (on Unix in a process group of its own) with stdin
/// empty and stderr discarded, and returns its stdout. The command is ended, with everything
/// it started, when it runs past `timeout` or prints more than [`COMMAND_OUTPUT_CAP`]; once it
/// has exited, what a background child of it still holds open is read for [`EXIT_GRACE`] at
/// most, then that child is ended too.
fn run_bounded(cmd: &str, timeout: Duration) -> Result<Vec<u8>, CommandFailure> {
    let mut command = if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.arg("/C").arg(cmd);
        c
    } else {
        let mut c = Command::new("sh");
        c.arg("-c").arg(cmd);
        c
    };
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt as _;
        command.process_group(0);
    }
    let start = Instant::now();
    let mut child = command.spawn().map_err(CommandFailure::Spawn)?;
    let group = RunningGroup::register(&child);
    let mut stdout = child.stdout.take().expect("stdout is piped");

    // The reader runs on a thread of its own so that a pipe held open by a grandchild never
    // blocks this one; it is left behind (and ends with the pipe) if it does not finish.
    let buffer = Arc::new(Mutex::new(Vec::new()));
    let (done_tx, done_rx) = mpsc::channel::<bool>();
    {
        let buffer = Arc::clone(&buffer);
        std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            let overflowed = loop {
                match stdout.read(&mut chunk) {
                    Ok(0) => break false,
                    Ok(n) => {
                        let mut buffer = buffer.lock().unwrap_or_else(|e| e.into_inner());
                        buffer.extend_from_slice(&chunk[..n]);
                        if buffer.len() > COMMAND_OUTPUT_CAP {
                            break true;
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break false,
                }
            };
            let _ = done_tx.send(overflowed);
        });
    }

    let deadline = start.checked_add(timeout);
    let mut exited: Option<(std::process::ExitStatus, Instant)> = None;
    let mut output_done = false;
    loop {
        let now = Instant::now();
        if deadline.is_some_and(|d| now >= d) {
            group.end(&mut child);
            return Err(CommandFailure::TimedOut(timeout));
        }
        if exited.is_none() {
            match child.try_wait() {
                Ok(Some(status)) => exited = Some((status, now)),
                Ok(None) => {}
                Err(_) => {
                    group.end(&mut child);
                    return Err(CommandFailure::Signal);
                }
            }
        }
        if !output_done {
            match done_rx.recv_timeout(Duration::from_millis(10)) {
                Ok(true) => {
                    group.end(&mut child);
                    return Err(CommandFailure::TooLong);
                }
                Ok(false) | Err(mpsc::RecvTimeoutError::Disconnected) => output_done = true,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
        } else if exited.is_none() {
            std::thread::sleep(Duration::from_millis(10));
        }
        match exited {
            Some((status, _)) if output_done => {
                group.forget();
                return outcome(status, &buffer);
            }
            Some((status, at)) if now.duration_since(at) >= EXIT_GRACE => {
                // It exited but something it started still holds its stdout: end that, and
                // take what was printed.
                group.end(&mut child);
                return outcome(status, &buffer);
            }
            _ => {}
        }
    }
}

/// The value of an exited command: its output if it succeeded.
fn outcome(
    status: std::process::ExitStatus,
    buffer: &Mutex<Vec<u8>>,
) -> Result<Vec<u8>, CommandFailure> {
    if !status.success() {
        return Err(match status.code() {
            Some(code) => CommandFailure::Status(code),
            None => CommandFailure::Signal,
        });
    }
    let buffer = buffer.lock().unwrap_or_else(|e| e.into_inner());
    if buffer.len() > COMMAND_OUTPUT_CAP {
        return Err(CommandFailure::TooLong);
    }
    Ok(buffer.clone())
}

/// Process groups of `{ command = … }` secrets still running, so that an interrupted run can
/// end them ([`end_running_commands`]): in a group of their own they do not get the terminal's
/// Ctrl-C.
static RUNNING: LazyLock<Mutex<Vec<u32>>> = LazyLock::new(|| Mutex::new(Vec::new()));

/// One command's process group while it runs.
struct RunningGroup {
    id: u32,
}

impl RunningGroup {
    fn register(child: &Child) -> RunningGroup {
        let id = child.id();
        RUNNING.lock().unwrap_or_else(|e| e.into_inner()).push(id);
        RunningGroup { id }
    }

    /// Ends the command and everything in its group, and reaps it.
    fn end(self, child: &mut Child) {
        kill_group(self.id);
        let _ = child.kill();
        let _ = child.wait();
        self.forget();
    }

    /// The command finished by itself.
    fn forget(self) {
        RUNNING
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|id| *id != self.id);
    }
}

/// Sends SIGKILL to the process group `id` (the group a command was started in has its id).
fn kill_group(id: u32) {
    #[cfg(unix)]
    if let Ok(pgid) = libc::pid_t::try_from(id) {
        // SAFETY: kill(2) with a negative pid signals that process group; it touches no memory.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
    }
    #[cfg(not(unix))]
    let _ = id;
}

/// Ends the process groups of `{ command = … }` secrets that are still running: called when a
/// run is interrupted, since a command in a group of its own does not get the terminal's
/// signals and would outlive the run.
pub fn end_running_commands() {
    let running = std::mem::take(&mut *RUNNING.lock().unwrap_or_else(|e| e.into_inner()));
    for id in running {
        kill_group(id);
    }
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("profile", &self.profile)
            .field("key", &self.key)
            .field("source", &self.source.kind())
            .finish()
    }
}

/// What [`scrub`] replaces a secret with.
const MASK: &str = "***";

/// A registered form of a secret: the value itself or one of its base64 encodings.
struct Form {
    /// As registered.
    text: String,
    /// Its characters, case-folded ([`fold`]).
    folded: Vec<char>,
}

/// Registered secrets and their base64 forms, longest first, without duplicates (whatever the
/// case: they are matched in any case).
static REGISTRY: LazyLock<RwLock<Vec<Form>>> = LazyLock::new(|| RwLock::new(Vec::new()));

/// Bumped whenever [`REGISTRY`] gains a form, so that what is built from it once
/// (the sieve every answer goes through) knows when to build again.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// How many times the registered forms have changed: equal numbers, equal [`forms`].
pub(crate) fn generation() -> u64 {
    GENERATION.load(Ordering::Acquire)
}

/// Every registered form (each secret and its base64 encodings), case-folded ([`fold`]), with
/// the [`generation`] it belongs to.
pub(crate) fn forms() -> (u64, Vec<Vec<char>>) {
    let registry = REGISTRY.read().unwrap_or_else(|e| e.into_inner());
    (
        generation(),
        registry.iter().map(|f| f.folded.clone()).collect(),
    )
}

/// How many first characters of a form every match of it holds, literally or escaped: the
/// whole form, or [`PREFIX_MIN`] for a form long enough to be masked when cut short.
pub(crate) fn shortest_match(form_len: usize) -> usize {
    if form_len >= PREFIX_SECRET_MIN {
        PREFIX_MIN
    } else {
        form_len
    }
}

/// A secret at least this long is masked when a text ends with a piece of it
/// ([`PREFIX_MIN`] characters or more): a vendor's message cut short, or our own excerpt of it.
const PREFIX_SECRET_MIN: usize = 16;

/// The shortest beginning of a long secret that is masked at the end of a text.
const PREFIX_MIN: usize = 12;

/// How many steps [`find_form`] may take per start position and character of the form: the
/// search backtracks only where an escape and a literal character both fit, which ends quickly;
/// the bound keeps a hostile text from making it slow.
const STEPS_PER_CHAR: usize = 4;

/// Registers a secret value so that [`scrub`] replaces it (and its base64 forms) with `***`.
/// Values shorter than 4 characters are not registered.
pub fn register(secret: &str) {
    if secret.chars().count() < 4 {
        return;
    }
    let bytes = secret.as_bytes();
    let forms = [
        secret.to_owned(),
        STANDARD.encode(bytes),
        STANDARD_NO_PAD.encode(bytes),
        URL_SAFE.encode(bytes),
        URL_SAFE_NO_PAD.encode(bytes),
    ];
    let mut registry = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
    for text in forms {
        let folded: Vec<char> = text.chars().map(fold).collect();
        if !registry.iter().any(|f| f.folded == folded) {
            registry.push(Form { text, folded });
            GENERATION.fetch_add(1, Ordering::AcqRel);
        }
    }
    // Longest first (the order does not change what is masked; it keeps the list stable).
    registry.sort_by(|a, b| {
        b.folded
            .len()
            .cmp(&a.folded.len())
            .then_with(|| a.text.cmp(&b.text))
    });
}

/// Replaces every registered secret, and its standard and URL-safe base64 forms (padded or
/// not), with `***`, in every form a server may echo them: in any letter case, percent-encoded
/// (`%2F`, `+` for a space), JSON- or backslash-escaped (`\/`, `\u002f`, `\x2f`), as HTML
/// character references (`&#47;`, `&amp;`), or any mix of these; and a text (or a line) that
/// ends with the first 12 characters or more of a secret of at least 16 (a message cut short)
/// has that piece masked too. Overlapping matches are masked as one.
pub fn scrub(text: &str) -> Cow<'_, str> {
    let registry = REGISTRY.read().unwrap_or_else(|e| e.into_inner());
    if registry.is_empty() {
        return Cow::Borrowed(text);
    }
    // One pass over the text: what each position may stand for is decoded once, and tried
    // against the forms that begin with it.
    let firsts: Vec<char> = registry
        .iter()
        .filter_map(|f| f.folded.first().copied())
        .collect();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut free_from = vec![0usize; registry.len()];
    let mut alternatives = Vec::with_capacity(4);
    for (start, c) in text.char_indices() {
        let folded = fold(c);
        alternatives.clear();
        if matches!(c, '%' | '+' | '\\' | '&') {
            decode_at(text, start, &mut alternatives);
            alternatives.remove(0); // the literal character, `folded`
        }
        let begins =
            |first: char| folded == first || alternatives.iter().any(|&(d, _)| fold(d) == first);
        if !firsts.iter().any(|&first| begins(first)) {
            continue;
        }
        for (i, form) in registry.iter().enumerate() {
            if start < free_from[i] || !begins(form.folded[0]) {
                continue;
            }
            if let Some(end) = match_at(text, start, &form.folded) {
                ranges.push((start, end));
                free_from[i] = end;
            }
        }
    }
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    ranges.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut iter = ranges.into_iter().peekable();
    while let Some((start, mut end)) = iter.next() {
        while let Some(&(next_start, next_end)) = iter.peek() {
            if next_start > end {
                break;
            }
            end = end.max(next_end);
            iter.next();
        }
        if start >= at {
            out.push_str(&text[at..start]);
            out.push_str(MASK);
            at = end;
        } else if end > at {
            at = end;
        }
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// A character in the case every form is compared in. A character outside ASCII never folds
/// into ASCII (the Kelvin sign stays itself rather than becoming `k`): an ASCII letter of a form
/// is then only ever matched by that letter in either case or by an escape, which is what the
/// sieve for answers relies on.
pub(crate) fn fold(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        match c.to_lowercase().next() {
            Some(lower) if !lower.is_ascii() => lower,
            _ => c,
        }
    }
}

/// Where a match of `form` that starts at byte `start` ends: the whole form, in any of the
/// encodings [`scrub`] knows, or a long enough beginning of a long form at a cut
/// ([`is_cut`]).
fn match_at(text: &str, start: usize, form: &[char]) -> Option<usize> {
    let mut budget = form.len().saturating_mul(STEPS_PER_CHAR).saturating_add(64);
    let may_be_cut = form.len() >= PREFIX_SECRET_MIN;
    let mut partial: Option<(usize, usize)> = None; // (characters matched, end)
    let mut stack = vec![(start, 0usize)];
    let mut alternatives = Vec::with_capacity(4);
    while let Some((at, matched)) = stack.pop() {
        if matched == form.len() {
            return Some(at);
        }
        if budget == 0 {
            break;
        }
        budget -= 1;
        if may_be_cut
            && matched >= PREFIX_MIN
            && partial.is_none_or(|(k, _)| matched > k)
            && is_cut(&text[at..])
        {
            partial = Some((matched, at));
        }
        alternatives.clear();
        decode_at(text, at, &mut alternatives);
        // Pushed in reverse so that the first alternative (the literal character) is tried
        // first.
        for &(c, next) in alternatives.iter().rev() {
            if fold(c) == form[matched] {
                stack.push((next, matched + 1));
            }
        }
    }
    partial.map(|(_, end)| end)
}

/// Whether a text cut short may end here: at its end, at an ellipsis, or where only
/// punctuation and spaces follow up to the end of the line.
fn is_cut(rest: &str) -> bool {
    rest.starts_with('…')
        || rest.starts_with("...")
        || rest
            .split(['\n', '\r'])
            .next()
            .is_none_or(|line| !line.chars().any(char::is_alphanumeric))
}

/// The characters the text at byte `at` may stand for, each with the byte after it: the
/// character itself first, then what it decodes to as the start of an escape.
pub(crate) fn decode_at(text: &str, at: usize, out: &mut Vec<(char, usize)>) {
    let rest = &text[at..];
    let Some(c) = rest.chars().next() else {
        return;
    };
    out.push((c, at + c.len_utf8()));
    match c {
        '%' => {
            if let Some((decoded, len)) = percent_char(rest) {
                out.push((decoded, at + len));
            }
        }
        '+' => out.push((' ', at + 1)),
        '\\' => {
            if let Some((decoded, len)) = backslash_char(rest) {
                out.push((decoded, at + len));
            }
        }
        '&' => {
            if let Some((decoded, len)) = entity_char(rest) {
                out.push((decoded, at + len));
            }
        }
        _ => {}
    }
}

/// Two hex digits at the start of `s`.
fn hex_byte(s: &str) -> Option<u8> {
    let digits = s.get(..2)?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u8::from_str_radix(digits, 16).ok()
}

/// One character percent-encoded (`%2F`, or the bytes of a UTF-8 character `%C3%A9`) at the
/// start of `s`, and its length.
fn percent_char(s: &str) -> Option<(char, usize)> {
    let first = hex_byte(s.get(1..)?)?;
    let width = match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => return None,
    };
    let mut bytes = [first, 0, 0, 0];
    for (i, byte) in bytes.iter_mut().enumerate().take(width).skip(1) {
        let piece = s.get(i * 3..)?;
        if !piece.starts_with('%') {
            return None;
        }
        *byte = hex_byte(&piece[1..])?;
    }
    let decoded = std::str::from_utf8(&bytes[..width]).ok()?.chars().next()?;
    Some((decoded, width * 3))
}

/// A backslash escape at the start of `s` (JSON's, and `\xHH`), and its length. The escape may
/// itself be escaped ([`MAX_BACKSLASHES`] at most): `\\/` is `\/` in a JSON string inside a JSON
/// string (a server that echoes our request as JSON into a field of its JSON answer).
fn backslash_char(s: &str) -> Option<(char, usize)> {
    let run = s.bytes().take_while(|&b| b == b'\\').count();
    if (2..=MAX_BACKSLASHES).contains(&run)
        && let Some((c, len)) = single_backslash_char(&s[run - 1..])
    {
        return Some((c, run - 1 + len));
    }
    single_backslash_char(s)
}

/// The most backslashes before an escaped character ([`backslash_char`]): three levels of
/// JSON strings inside JSON strings.
const MAX_BACKSLASHES: usize = 8;

/// A backslash escape of one level at the start of `s`.
fn single_backslash_char(s: &str) -> Option<(char, usize)> {
    let kind = s.as_bytes().get(1)?;
    let simple = match kind {
        b'/' => Some('/'),
        b'"' => Some('"'),
        b'\'' => Some('\''),
        b'\\' => Some('\\'),
        b'n' => Some('\n'),
        b'r' => Some('\r'),
        b't' => Some('\t'),
        b'b' => Some('\u{8}'),
        b'f' => Some('\u{c}'),
        _ => None,
    };
    if let Some(c) = simple {
        return Some((c, 2));
    }
    // `\U`, `\X`: a server that upper-cases its whole answer.
    match kind.to_ascii_lowercase() {
        b'x' => Some((char::from(hex_byte(s.get(2..)?)?), 4)),
        b'u' => {
            let unit = |from: usize| {
                let digits = s.get(from..from + 4)?;
                if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                u32::from_str_radix(digits, 16).ok()
            };
            let high = unit(2)?;
            if (0xd800..0xdc00).contains(&high) {
                // A surrogate pair: `\uD83D\uDE00`.
                if !s.get(6..8)?.eq_ignore_ascii_case("\\u") {
                    return None;
                }
                let low = unit(8)?;
                if !(0xdc00..0xe000).contains(&low) {
                    return None;
                }
                let code = 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00);
                return Some((char::from_u32(code)?, 12));
            }
            Some((char::from_u32(high)?, 6))
        }
        _ => None,
    }
}

/// An HTML character reference at the start of `s` (`&#47;`, `&#x2F;`, `&amp;`, …), and its
/// length.
fn entity_char(s: &str) -> Option<(char, usize)> {
    let end = s.char_indices().take(12).find(|&(_, c)| c == ';')?.0;
    let body = &s[1..end];
    let c = if let Some(hex) = body.strip_prefix("#x").or_else(|| body.strip_prefix("#X")) {
        char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
    } else if let Some(dec) = body.strip_prefix('#') {
        char::from_u32(dec.parse().ok()?)?
    } else {
        match body.to_ascii_lowercase().as_str() {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "sol" => '/',
            "plus" => '+',
            "equals" => '=',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(value: &str) -> SecretSource {
        SecretSource::Literal(SecretString::from(value.to_owned()))
    }

    #[test]
    fn scrub_replaces_a_registered_secret_and_its_base64_forms() {
        let canary = "CANARY-scrub-b64?>-7c6d5e";
        register(canary);
        let b64 = STANDARD.encode(canary);
        let b64_nopad = STANDARD_NO_PAD.encode(canary);
        let url = URL_SAFE.encode(canary);
        let url_nopad = URL_SAFE_NO_PAD.encode(canary);
        assert_ne!(
            b64, url,
            "the canary must give distinct standard and URL-safe forms"
        );
        assert_ne!(b64, b64_nopad, "the canary must need padding");
        for form in [canary, &b64, &b64_nopad, &url, &url_nopad] {
            let text = format!("X-Token: {form} (sent)");
            assert_eq!(scrub(&text), "X-Token: *** (sent)", "form {form}");
        }
        let basic = format!("Authorization: Basic {b64}\nAuthorization: Bearer {canary}");
        assert_eq!(
            scrub(&basic),
            "Authorization: Basic ***\nAuthorization: Bearer ***"
        );
    }

    /// Every byte that is not an ASCII letter or digit as `%HH`.
    fn percent(s: &str, upper: bool) -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    char::from(b).to_string()
                } else if upper {
                    format!("%{b:02X}")
                } else {
                    format!("%{b:02x}")
                }
            })
            .collect()
    }

    #[test]
    fn scrub_masks_a_secret_in_any_case_percent_encoded_and_escaped() {
        let canary = "CANARY/scrub+Forms=é-4f4f4f";
        register(canary);
        let json_escaped = canary
            .replace('/', "\\/")
            .replace('é', "\\u00E9")
            .replace('+', "\\u002b");
        let forms = [
            canary.to_owned(),
            canary.to_uppercase(),
            canary.to_lowercase(),
            percent(canary, true),
            percent(canary, false),
            percent(&canary.to_uppercase(), true),
            // Every byte encoded, letters too.
            canary.bytes().map(|b| format!("%{b:02X}")).collect(),
            json_escaped.clone(),
            json_escaped.to_uppercase().replace("\\U00E9", "\\u00e9"),
            canary.replace('/', "\\x2f").replace('é', "%C3%A9"),
            // base64, upper-cased or percent-encoded.
            STANDARD.encode(canary).to_uppercase(),
            percent(&STANDARD.encode(canary), true),
            URL_SAFE_NO_PAD.encode(canary).to_lowercase(),
        ];
        for form in &forms {
            let text = format!("{{\"error\":\"bad token {form} (sent)\"}}");
            assert_eq!(
                scrub(&text),
                "{\"error\":\"bad token *** (sent)\"}",
                "form {form}"
            );
        }
        let html = canary
            .replace('/', "&#47;")
            .replace('+', "&#x2B;")
            .replace('é', "&#233;");
        assert_eq!(scrub(&format!("<p>{html}</p>")), "<p>***</p>");
    }

    #[test]
    fn scrub_masks_a_space_sent_as_a_plus_and_an_escaped_quote() {
        let canary = "CANARY quote\"d 3b3b3b";
        register(canary);
        assert_eq!(scrub("q=CANARY+quote%22d+3b3b3b&x=1"), "q=***&x=1");
        assert_eq!(scrub(r#"{"t":"CANARY quote\"d 3b3b3b"}"#), r#"{"t":"***"}"#);
    }

    #[test]
    fn scrub_masks_a_long_secret_cut_short_at_the_end_of_a_text_or_line() {
        let canary = "CANARY-cutshort-0123456789abcdef";
        register(canary);
        let cut = &canary[..12];
        for (text, want) in [
            (
                format!("invalid token {cut}"),
                "invalid token ***".to_owned(),
            ),
            (
                format!("invalid token {}", &canary[..20]),
                "invalid token ***".to_owned(),
            ),
            (
                format!("invalid token {cut}…"),
                "invalid token ***…".to_owned(),
            ),
            (
                format!("invalid token {cut}... (truncated)"),
                "invalid token ***... (truncated)".to_owned(),
            ),
            (
                format!("invalid token {cut}."),
                "invalid token ***.".to_owned(),
            ),
            (
                format!("{{\"m\":\"{}\"}}", cut.to_uppercase()),
                "{\"m\":\"***\"}".to_owned(),
            ),
            (format!("a {cut}\nnext line"), "a ***\nnext line".to_owned()),
            (percent(cut, true), "***".to_owned()),
        ] {
            assert_eq!(scrub(&text), want, "{text}");
        }
        // Shorter than 12, or followed by more of a word: not a secret cut short.
        let short = &canary[..11];
        assert_eq!(scrub(&format!("token {short}")), format!("token {short}"));
        assert_eq!(scrub(&format!("{cut}XYZ done")), format!("{cut}XYZ done"));
    }

    #[test]
    fn scrub_does_not_mask_a_cut_short_secret_shorter_than_sixteen() {
        let canary = "CANARY-short15x";
        assert_eq!(canary.len(), 15);
        register(canary);
        assert_eq!(
            scrub(&format!("t {}", &canary[..13])),
            format!("t {}", &canary[..13])
        );
        assert_eq!(scrub(&format!("t {}", canary.to_lowercase())), "t ***");
    }

    #[test]
    fn scrub_survives_hostile_escapes() {
        register("CANARY-hostile-%%%%-9d9d9d");
        let text = "%25".repeat(10_000) + &"\\u".repeat(10_000) + "&#" + &"%".repeat(10_000);
        assert_eq!(scrub(&text), text);
        assert_eq!(scrub("x CANARY-hostile-%25%%%25-9d9d9d y"), "x *** y");
    }

    proptest::proptest! {
        /// Whatever surrounds it, and however its characters are escaped, a secret never
        /// survives scrubbing, and scrubbing never panics.
        #[test]
        fn scrub_removes_a_secret_among_any_text(
            before in "\\PC{0,40}",
            after in "\\PC{0,40}",
            escapes in proptest::collection::vec(0u8..5, 24),
        ) {
            let canary = "CANARY-prop/é+x=0c0c0c";
            register(canary);
            let form: String = canary
                .chars()
                .zip(escapes.iter().cycle())
                .map(|(c, how)| match how {
                    0 => c.to_string(),
                    1 => c.to_uppercase().to_string(),
                    2 => c.to_string().bytes().map(|b| format!("%{b:02x}")).collect(),
                    3 => format!("\\u{:04X}", c as u32),
                    _ => format!("&#{};", c as u32),
                })
                .collect();
            let text = format!("{before}{form}{after}");
            let out = scrub(&text);
            proptest::prop_assert!(out.contains(MASK), "{text} -> {out}");
            proptest::prop_assert!(!out.to_lowercase().contains(&canary.to_lowercase()));
        }
    }

    #[test]
    fn scrub_leaves_text_without_secrets_borrowed() {
        register("CANARY-borrowed-1a2b3c");
        let text = "GET /api/v2/reports 200 in 35 ms";
        assert!(matches!(scrub(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn scrub_replaces_every_occurrence() {
        register("CANARY-every-0f0e0d");
        assert_eq!(
            scrub("a CANARY-every-0f0e0d b CANARY-every-0f0e0d c"),
            "a *** b *** c"
        );
    }

    #[test]
    fn scrub_masks_the_longest_secret_whole() {
        register("CANARY-nest");
        register("CANARY-nest-longer-4d4d");
        assert_eq!(scrub("x CANARY-nest-longer-4d4d y"), "x *** y");
        assert_eq!(scrub("x CANARY-nest y"), "x *** y");
    }

    #[test]
    fn register_ignores_values_shorter_than_four_characters() {
        register("q7z");
        assert!(matches!(scrub("q7z is fine"), Cow::Borrowed(_)));
    }

    #[test]
    fn register_does_not_store_duplicates() {
        register("CANARY-dup-8e8e8e");
        let count = || {
            REGISTRY
                .read()
                .unwrap()
                .iter()
                .filter(|s| s.text.as_str() == "CANARY-dup-8e8e8e")
                .count()
        };
        register("CANARY-dup-8e8e8e");
        assert_eq!(count(), 1);
    }

    #[test]
    fn literal_credential_is_registered_when_created() {
        let c = Credential::new("p", "token", literal("CANARY-literal-5a5a5a"));
        assert!(c.is_literal());
        assert_eq!(scrub("t=CANARY-literal-5a5a5a"), "t=***");
        assert_eq!(c.get().unwrap().expose_secret(), "CANARY-literal-5a5a5a");
        assert!(!c.refresh().unwrap(), "a literal cannot be refreshed");
    }

    #[test]
    fn debug_of_credential_never_shows_the_value() {
        let c = Credential::new("p", "token", literal("CANARY-s3cr3t-9f8e7d"));
        c.get().unwrap();
        let shown = format!("{c:?} {:?}", c.source());
        assert!(!shown.contains("CANARY-s3cr3t-9f8e7d"), "{shown}");
        assert_eq!(
            format!("{c:?}"),
            r#"Credential { profile: "p", key: "token", source: "literal" }"#
        );
        let cmd = Credential::new("p", "token", SecretSource::Command("x".into()));
        assert_eq!(
            format!("{cmd:?}"),
            r#"Credential { profile: "p", key: "token", source: "command" }"#
        );
    }

    #[test]
    fn env_credential_reads_the_variable_and_registers_it() {
        // SAFETY: the variable name is unique to this test; no other thread reads or writes it.
        unsafe { std::env::set_var("WA_TEST_SECRET_ENV_READ_71", "CANARY-env-3c3c3c") };
        let c = Credential::new(
            "p",
            "token",
            SecretSource::Env("WA_TEST_SECRET_ENV_READ_71".into()),
        );
        assert!(!c.is_literal());
        assert_eq!(c.get().unwrap().expose_secret(), "CANARY-env-3c3c3c");
        assert_eq!(scrub("CANARY-env-3c3c3c"), "***");
        assert!(!c.refresh().unwrap(), "an env source cannot be refreshed");
    }

    #[test]
    fn env_credential_with_unset_variable_names_profile_key_and_variable() {
        let c = Credential::new(
            "engage-prod",
            "token",
            SecretSource::Env("WA_TEST_SECRET_NEVER_SET_72".into()),
        );
        let err = c.get().unwrap_err();
        assert_eq!(
            err.message,
            r#"profile 'engage-prod': token = { env = "WA_TEST_SECRET_NEVER_SET_72" } but WA_TEST_SECRET_NEVER_SET_72 is not set"#
        );
        assert!(
            err.hint
                .unwrap()
                .starts_with("export WA_TEST_SECRET_NEVER_SET_72")
        );
    }

    #[test]
    fn env_credential_with_empty_variable_is_an_error() {
        // SAFETY: the variable name is unique to this test; no other thread reads or writes it.
        unsafe { std::env::set_var("WA_TEST_SECRET_EMPTY_73", "") };
        let c = Credential::new(
            "p",
            "bot_token",
            SecretSource::Env("WA_TEST_SECRET_EMPTY_73".into()),
        );
        let err = c.get().unwrap_err();
        assert!(
            err.message
                .ends_with("but WA_TEST_SECRET_EMPTY_73 is empty"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn command_credential_returns_trimmed_stdout() {
        let c = Credential::new(
            "p",
            "token",
            SecretSource::Command("printf 'abc123\\n'".into()),
        );
        assert_eq!(c.get().unwrap().expose_secret(), "abc123");
        assert_eq!(scrub("Bearer abc123"), "Bearer ***");
    }

    #[cfg(unix)]
    #[test]
    fn failing_command_names_the_command_and_exit_status_but_not_stderr() {
        let c = Credential::new(
            "engage-prod",
            "token",
            SecretSource::Command("echo CANARY-stderr-6b6b6b >&2; exit 3".into()),
        );
        let err = c.get().unwrap_err();
        assert_eq!(
            err.message,
            r#"profile 'engage-prod': token = { command = "echo CANARY-stderr-6b6b6b >&2; exit 3" } failed with exit status 3"#
        );
        let hint = err.hint.unwrap();
        assert!(!hint.contains("6b6b6b"), "{hint}");
    }

    #[cfg(unix)]
    #[test]
    fn command_with_empty_output_is_an_error() {
        let c = Credential::new("p", "token", SecretSource::Command("printf '  \\n'".into()));
        let err = c.get().unwrap_err();
        assert_eq!(
            err.message,
            r#"profile 'p': token = { command = "printf '  \n'" } printed nothing on stdout"#
        );
    }

    /// Whether a live (not zombie) process of process group `pgid` remains.
    #[cfg(target_os = "linux")]
    fn group_alive(pgid: u32) -> bool {
        std::fs::read_dir("/proc").unwrap().flatten().any(|entry| {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                return false;
            };
            // pid (comm) state ppid pgrp …; comm may hold spaces, so split after the last ')'.
            let Some((_, rest)) = stat.rsplit_once(')') else {
                return false;
            };
            let fields: Vec<&str> = rest.split_whitespace().collect();
            fields.len() > 2 && fields[0] != "Z" && fields[2] == pgid.to_string()
        })
    }

    /// The process group a command wrote to `file` (`echo $$ > file`: the shell leads it).
    #[cfg(target_os = "linux")]
    fn group_of(file: &std::path::Path) -> u32 {
        std::fs::read_to_string(file)
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }

    #[cfg(target_os = "linux")]
    fn assert_group_gone(pgid: u32) {
        let until = Instant::now() + Duration::from_secs(10);
        while group_alive(pgid) {
            assert!(
                Instant::now() < until,
                "process group {pgid} is still alive"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn command_past_its_time_out_is_ended_with_what_it_started() {
        let dir = tempfile::tempdir().unwrap();
        let pid = dir.path().join("pid");
        let cmd = format!("echo $$ > '{}'; sleep 100000 & sleep 100000", pid.display());
        let c = Credential::new("slow", "token", SecretSource::Command(cmd.clone()))
            .with_command_timeout(Duration::from_secs(1));
        let started = Instant::now();
        let err = c.get().unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(20), "it hung");
        assert_eq!(
            err.message,
            format!(
                "profile 'slow': token = {{ command = \"{cmd}\" }} did not finish within 1 s and was ended"
            )
        );
        assert_eq!(
            err.hint.as_deref(),
            Some(
                "run the command yourself to see why it waits; if it needs longer, set command_timeout = SECONDS in the profile 'slow' (now 1)"
            )
        );
        assert_group_gone(group_of(&pid));
        assert!(!RUNNING.lock().unwrap().contains(&group_of(&pid)));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn group_alive_sees_a_live_group_and_kill_group_ends_it() {
        use std::os::unix::process::CommandExt as _;
        let mut child = Command::new("sleep")
            .arg("100000")
            .process_group(0)
            .spawn()
            .unwrap();
        assert!(group_alive(child.id()));
        kill_group(child.id());
        child.wait().unwrap();
        assert_group_gone(child.id());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn command_whose_background_child_holds_stdout_does_not_hang() {
        let dir = tempfile::tempdir().unwrap();
        let pid = dir.path().join("pid");
        let cmd = format!("echo $$ > '{}'; sleep 1000 & echo tok", pid.display());
        let c = Credential::new("bg", "token", SecretSource::Command(cmd));
        let started = Instant::now();
        assert_eq!(c.get().unwrap().expose_secret(), "tok");
        assert!(started.elapsed() < Duration::from_secs(20), "it hung");
        assert_group_gone(group_of(&pid));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn command_printing_without_end_is_capped_and_ended() {
        let dir = tempfile::tempdir().unwrap();
        let pid = dir.path().join("pid");
        let cmd = format!("echo $$ > '{}'; yes", pid.display());
        let c = Credential::new("yes", "bot_token", SecretSource::Command(cmd.clone()));
        let started = Instant::now();
        let err = c.get().unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(20), "it hung");
        assert_eq!(
            err.message,
            format!(
                "profile 'yes': bot_token = {{ command = \"{cmd}\" }} printed more than 64 KiB on stdout and was ended"
            )
        );
        assert_eq!(
            err.hint.as_deref(),
            Some("it must print only the bot_token on stdout (a secret is never that large)")
        );
        assert_group_gone(group_of(&pid));
    }

    #[cfg(unix)]
    #[test]
    fn command_output_just_under_the_cap_is_accepted() {
        let cmd = format!("head -c {} /dev/zero | tr '\\0' a", COMMAND_OUTPUT_CAP);
        let c = Credential::new("p", "token", SecretSource::Command(cmd));
        assert_eq!(c.get().unwrap().expose_secret().len(), COMMAND_OUTPUT_CAP);
    }

    #[cfg(unix)]
    #[test]
    fn command_killed_by_a_signal_says_so() {
        let c = Credential::new("p", "token", SecretSource::Command("kill -9 $$".into()));
        let err = c.get().unwrap_err();
        assert_eq!(
            err.message,
            r#"profile 'p': token = { command = "kill -9 $$" } was terminated by a signal"#
        );
    }

    #[cfg(unix)]
    #[test]
    fn refresh_reruns_a_command_once() {
        let dir = tempfile::tempdir().unwrap();
        let counter = dir.path().join("n");
        std::fs::write(&counter, "0").unwrap();
        let cmd = format!(
            "n=$(($(cat '{p}') + 1)); echo $n > '{p}'; echo CANARY-refresh-$n",
            p = counter.display()
        );
        let c = Credential::new("p", "token", SecretSource::Command(cmd));
        assert_eq!(c.get().unwrap().expose_secret(), "CANARY-refresh-1");
        assert_eq!(
            c.get().unwrap().expose_secret(),
            "CANARY-refresh-1",
            "cached"
        );
        assert!(c.refresh().unwrap());
        assert_eq!(c.get().unwrap().expose_secret(), "CANARY-refresh-2");
        assert_eq!(scrub("CANARY-refresh-2"), "***");
        assert!(!c.refresh().unwrap(), "only one refresh per credential");
        assert_eq!(c.get().unwrap().expose_secret(), "CANARY-refresh-2");
        assert_eq!(std::fs::read_to_string(&counter).unwrap().trim(), "2");
    }
}
