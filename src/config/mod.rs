//! The config file (TOML, one table per profile), profile selection, and profiles made from
//! `WA_<VENDOR>_<FIELD>` variables (product.md, "Configuration").

mod error;
mod validate;

pub use error::ConfigError;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use secrecy::SecretString;

use crate::secret::{Credential, SecretError, SecretSource};
use crate::time::Zone;
use crate::vendor::{COMMON_PROFILE_FIELDS, Vendor};

/// A credential that cannot be read is a configuration problem like any other.
impl From<SecretError> for ConfigError {
    fn from(e: SecretError) -> ConfigError {
        ConfigError {
            message: e.message,
            hint: e.hint,
        }
    }
}

/// A value of a profile field.
#[derive(Debug, Clone)]
pub enum FieldValue {
    /// A plain setting (`customer_id`, `server`).
    Plain(String),
    /// A credential.
    Secret(Arc<Credential>),
}

/// Where a profile came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileOrigin {
    /// A table `[profiles.NAME]` of this file.
    File(PathBuf),
    /// `--provider VENDOR` with `WA_<VENDOR>_<FIELD>` variables.
    Environment,
}

/// A validated profile: a known vendor, only known keys, every required field present.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The profile's name (`engage-prod`; `engage` for `--provider engage`).
    pub name: String,
    /// The vendor.
    pub vendor: Vendor,
    /// `base_url`, if set (not yet checked beyond being a string).
    pub base_url: Option<String>,
    /// `timezone`, if set.
    pub timezone: Option<Zone>,
    /// `concurrency`, if set (at least 1).
    pub concurrency: Option<usize>,
    /// The vendor-specific fields that are present, by key.
    pub values: BTreeMap<&'static str, FieldValue>,
    /// Where it came from.
    pub origin: ProfileOrigin,
}

impl Profile {
    /// A plain field's value.
    pub fn plain(&self, key: &str) -> Option<&str> {
        match self.values.get(key) {
            Some(FieldValue::Plain(s)) => Some(s),
            _ => None,
        }
    }

    /// A credential field.
    pub fn secret(&self, key: &str) -> Option<Arc<Credential>> {
        match self.values.get(key) {
            Some(FieldValue::Secret(c)) => Some(Arc::clone(c)),
            _ => None,
        }
    }

    /// Reads every credential now, so a missing variable or failing command is reported before
    /// any request.
    pub fn resolve_secrets(&self) -> Result<(), ConfigError> {
        for value in self.values.values() {
            if let FieldValue::Secret(credential) = value {
                credential.get()?;
            }
        }
        Ok(())
    }
}

/// A parsed config file. Profiles are validated when they are used ([`ConfigFile::profile`]), so
/// a broken profile does not stop the use of another one; TOML syntax errors fail the whole file.
#[derive(Clone)]
pub struct ConfigFile {
    path: PathBuf,
    default_profile: Option<String>,
    /// The raw `[profiles.NAME]` values, validated one at a time by [`ConfigFile::profile`].
    profiles: BTreeMap<String, toml::Value>,
    /// The profile names in the order the file has them (`--all-profiles`).
    order: Vec<String>,
    /// The file's Unix mode bits, when it was read from disk on Unix.
    mode: Option<u32>,
}

/// Shows the path and the profile names only: the raw tables may hold literal secrets.
impl std::fmt::Debug for ConfigFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigFile")
            .field("path", &self.path)
            .field("default_profile", &self.default_profile)
            .field("profiles", &self.profiles.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl ConfigFile {
    /// Reads and parses a file. A missing file is an error naming the path.
    pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
        let shown = path.display();
        let text = std::fs::read_to_string(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                ConfigError::new(
                    format!("config file {shown} not found"),
                    "create it with a [profiles.NAME] table, point --config at another file, or use --provider VENDOR with WA_<VENDOR>_<FIELD> variables",
                )
            } else {
                ConfigError::new(
                    format!("cannot read config file {shown}: {e}"),
                    "check the path and its permissions",
                )
            }
        })?;
        let mut file = ConfigFile::parse(&text, path)?;
        file.mode = file_mode(path);
        Ok(file)
    }

    /// Parses TOML text; `path` is used in messages and as the profiles' origin.
    pub fn parse(text: &str, path: &Path) -> Result<ConfigFile, ConfigError> {
        let shown = path.display();
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            // toml's `Display` quotes the offending line, which may hold a literal secret: build
            // the message from its position and bare message instead.
            let at = e
                .span()
                .map(|span| {
                    let (line, column) = line_column(text, span.start);
                    format!(" at line {line}, column {column}")
                })
                .unwrap_or_default();
            let what = e
                .message()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
            ConfigError::new(
                format!("{shown}: TOML syntax error{at}: {what}"),
                "fix the syntax at that line",
            )
        })?;

        let mut file = ConfigFile {
            path: path.to_path_buf(),
            default_profile: None,
            profiles: BTreeMap::new(),
            order: Vec::new(),
            mode: None,
        };
        for (key, value) in table {
            match key.as_str() {
                "default_profile" => match value {
                    toml::Value::String(name) => file.default_profile = Some(name),
                    other => {
                        return Err(ConfigError::new(
                            format!(
                                "{shown}: default_profile must be a string naming a profile, not {}",
                                validate::a_type(&other)
                            ),
                            "write default_profile = \"NAME\"",
                        ));
                    }
                },
                "profiles" => match value {
                    toml::Value::Table(profiles) => {
                        // toml keeps the file's order (its `preserve_order` feature).
                        file.order = profiles.keys().cloned().collect();
                        file.profiles = profiles.into_iter().collect();
                    }
                    other => {
                        return Err(ConfigError::new(
                            format!(
                                "{shown}: profiles must be tables such as [profiles.NAME], not {}",
                                validate::a_type(&other)
                            ),
                            "write each profile as a [profiles.NAME] table",
                        ));
                    }
                },
                other => {
                    return Err(ConfigError::new(
                        format!(
                            "{shown}: unknown top-level key '{other}'; the file holds only default_profile and [profiles.NAME] tables"
                        ),
                        "move the key into a [profiles.NAME] table, or remove it",
                    ));
                }
            }
        }
        Ok(file)
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `default_profile`, if set.
    pub fn default_profile(&self) -> Option<&str> {
        self.default_profile.as_deref()
    }

    /// The profile names, sorted.
    pub fn profile_names(&self) -> Vec<String> {
        self.profiles.keys().cloned().collect()
    }

    /// The profile names in the order the file lists them.
    pub fn profile_names_in_file_order(&self) -> &[String] {
        &self.order
    }

    /// The raw `provider` value of a profile, if it has one (for `profiles list`, even when the
    /// profile is otherwise invalid).
    pub fn provider_of(&self, name: &str) -> Option<String> {
        self.profiles
            .get(name)?
            .as_table()?
            .get("provider")?
            .as_str()
            .map(str::to_owned)
    }

    /// A validated profile. Unknown names list the profiles the file has.
    pub fn profile(&self, name: &str) -> Result<Profile, ConfigError> {
        let Some(value) = self.profiles.get(name) else {
            return Err(self.unknown_profile(name));
        };
        validate::profile(name, &self.path, value)
    }

    fn unknown_profile(&self, name: &str) -> ConfigError {
        let shown = self.path.display();
        let has = if self.profiles.is_empty() {
            "the file has no profiles".to_owned()
        } else {
            format!("the file has: {}", self.profile_names().join(", "))
        };
        if self.default_profile.as_deref() == Some(name) {
            ConfigError::new(
                format!(
                    "profile '{name}' in {shown}: default_profile names it but there is no [profiles.{}] table; {has}",
                    validate::toml_key(name)
                ),
                "fix default_profile, or pick a profile with --profile NAME (wa-analytics profiles list shows them)",
            )
        } else if self.profiles.is_empty() {
            ConfigError::new(
                format!("profile '{name}' in {shown}: no such profile; {has}"),
                format!(
                    "add a [profiles.{}] table, or use --provider VENDOR with WA_<VENDOR>_<FIELD> variables",
                    validate::toml_key(name)
                ),
            )
        } else {
            ConfigError::new(
                format!("profile '{name}' in {shown}: no such profile; {has}"),
                "pick one of them with --profile NAME (wa-analytics profiles list shows them)",
            )
        }
    }

    /// Warnings about the file itself: on Unix, group/world-readable while holding a literal
    /// secret (with the `chmod 600` that fixes it).
    pub fn warnings(&self) -> Vec<String> {
        let Some(mode) = self.mode else {
            return Vec::new();
        };
        if mode & 0o077 == 0 {
            return Vec::new();
        }
        match self.first_literal_secret() {
            Some((profile, key)) => {
                let shown = self.path.display();
                vec![format!(
                    "{shown} is readable by other users and holds a literal secret (profiles.{}.{key}); run: chmod 600 {shown}",
                    validate::toml_key(profile)
                )]
            }
            None => Vec::new(),
        }
    }

    /// The first `(profile, key)` whose value is a secret written in the file itself.
    fn first_literal_secret(&self) -> Option<(&str, &'static str)> {
        self.profiles.iter().find_map(|(name, value)| {
            let table = value.as_table()?;
            let vendor = Vendor::from_id(table.get("provider")?.as_str()?)?;
            vendor
                .profile_fields()
                .iter()
                .find(|f| f.secret && matches!(table.get(f.key), Some(toml::Value::String(_))))
                .map(|f| (name.as_str(), f.key))
        })
    }
}

/// The file's permission bits (Unix only; `None` elsewhere or when they cannot be read).
fn file_mode(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).ok().map(|m| m.permissions().mode())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The default config path: `$XDG_CONFIG_HOME/wa-analytics/config.toml`, else
/// `$HOME/.config/wa-analytics/config.toml` (on Windows `%APPDATA%\wa-analytics\config.toml`).
pub fn default_path(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
    if let Some(xdg) = set("XDG_CONFIG_HOME").filter(|v| Path::new(v).is_absolute()) {
        return Some(PathBuf::from(xdg).join("wa-analytics").join("config.toml"));
    }
    if let Some(home) = set("HOME") {
        return Some(
            PathBuf::from(home)
                .join(".config")
                .join("wa-analytics")
                .join("config.toml"),
        );
    }
    if cfg!(windows) {
        return set("APPDATA").map(|appdata| {
            PathBuf::from(appdata)
                .join("wa-analytics")
                .join("config.toml")
        });
    }
    None
}

/// The variable `--provider VENDOR` reads a field from: `WA_ENGAGE_BOT_TOKEN`.
pub fn env_var_name(vendor: Vendor, key: &str) -> String {
    format!(
        "WA_{}_{}",
        vendor.id().to_ascii_uppercase(),
        key.to_ascii_uppercase()
    )
}

/// A profile for `--provider VENDOR` from `WA_<VENDOR>_<FIELD>` variables (`WA_ENGAGE_TOKEN`,
/// `WA_ENGAGE_BOT_TOKEN`, `WA_WOLKVOX_SERVER`, `WA_ENGAGE_BASE_URL`, `WA_ENGAGE_TIMEZONE`, …).
/// Secrets from variables are literals. Missing required variables are named in the error.
pub fn profile_from_env(
    vendor: Vendor,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Profile, ConfigError> {
    let id = vendor.id();
    let read = |key: &str| {
        let var = env_var_name(vendor, key);
        let value = env(&var).filter(|v| !v.is_empty());
        (var, value)
    };

    let mut missing = Vec::new();
    let mut values = BTreeMap::new();
    for field in vendor.profile_fields() {
        match read(field.key) {
            (_, Some(value)) if field.secret => {
                let source = SecretSource::Literal(SecretString::from(value));
                let credential = Credential::new(id, field.key, source);
                values.insert(field.key, FieldValue::Secret(Arc::new(credential)));
            }
            (_, Some(value)) => {
                values.insert(field.key, FieldValue::Plain(value));
            }
            (var, None) if field.required => missing.push(format!("{var} ({})", field.about)),
            (_, None) => {}
        }
    }
    if !missing.is_empty() {
        return Err(ConfigError::new(
            format!(
                "--provider {id}: missing environment variables: {}",
                missing.join(", ")
            ),
            "export them, or pick a profile from the config file with --profile NAME",
        ));
    }

    let mut profile = Profile {
        name: id.to_owned(),
        vendor,
        base_url: None,
        timezone: None,
        concurrency: None,
        values,
        origin: ProfileOrigin::Environment,
    };
    for field in COMMON_PROFILE_FIELDS.iter().filter(|f| f.key != "provider") {
        let (var, Some(value)) = read(field.key) else {
            continue;
        };
        match field.key {
            "base_url" => profile.base_url = Some(value),
            "timezone" => {
                let zone = Zone::parse(&value).map_err(|e| {
                    ConfigError::new(
                        format!("--provider {id}: {var}: {e}"),
                        format!("set {var} to a zone such as America/Bogota, or unset it"),
                    )
                })?;
                profile.timezone = Some(zone);
            }
            // Secrets from variables are literals: the time-out applies to none of them, but a
            // malformed value is still an error rather than silently ignored.
            "command_timeout"
                if value
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .is_none() =>
            {
                return Err(ConfigError::new(
                    format!(
                        "--provider {id}: {var} must be a whole number of seconds, at least 1, not '{value}'"
                    ),
                    format!("set {var} to a number such as 60, or unset it"),
                ));
            }
            "concurrency" => {
                let n = value.trim().parse::<usize>().ok().filter(|n| *n >= 1);
                let Some(n) = n else {
                    return Err(ConfigError::new(
                        format!(
                            "--provider {id}: {var} must be a whole number of at least 1, not '{value}'"
                        ),
                        format!("set {var} to a number such as 4, or unset it"),
                    ));
                };
                profile.concurrency = Some(n);
            }
            // A common field this version does not know yet: nothing to read.
            _ => {}
        }
    }
    Ok(profile)
}
