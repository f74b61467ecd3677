//! Validation of one `[profiles.NAME]` table into a [`Profile`]. Every message starts with
//! `profile 'NAME' in PATH:` and names the key; none quotes a value that could be a secret.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use toml::Value;

use super::{ConfigError, FieldValue, Profile, ProfileOrigin};
use crate::secret::{Credential, DEFAULT_COMMAND_TIMEOUT, SecretSource};
use crate::time::Zone;
use crate::vendor::{COMMON_PROFILE_FIELDS, ProfileField, Vendor};

/// Plain fields users write as numbers (`customer_id = 10294`), read as their decimal string.
const NUMERIC_PLAIN_KEYS: &[&str] = &["customer_id", "server"];

/// Validates the value of `[profiles.NAME]` of the file at `path`.
pub(super) fn profile(name: &str, path: &Path, value: &Value) -> Result<Profile, ConfigError> {
    let v = Validator {
        header: toml_key(name),
        at: format!("profile '{name}' in {}", path.display()),
    };
    let Value::Table(table) = value else {
        return Err(ConfigError::new(
            format!(
                "{}: profiles.{} must be a table, not {}",
                v.at,
                v.header,
                a_type(value)
            ),
            format!("write the profile as a [profiles.{}] table", v.header),
        ));
    };
    let vendor = v.vendor(table.get("provider"))?;
    let fields = vendor.profile_fields();

    // Unknown keys first: a misspelt key would otherwise show up as a missing one.
    for key in table.keys() {
        let known = fields
            .iter()
            .chain(COMMON_PROFILE_FIELDS)
            .any(|f| f.key == key);
        if !known {
            let accepted: Vec<&str> = fields
                .iter()
                .chain(COMMON_PROFILE_FIELDS)
                .map(|f| f.key)
                .filter(|k| *k != "provider")
                .collect();
            return Err(ConfigError::new(
                format!(
                    "{}: unknown key '{key}' for {} {} profile; {} profiles take: {}",
                    v.at,
                    article(vendor.id()),
                    vendor.id(),
                    vendor.id(),
                    accepted.join(", ")
                ),
                "fix the spelling or remove the key",
            ));
        }
    }

    let mut profile = Profile {
        name: name.to_owned(),
        vendor,
        base_url: None,
        timezone: None,
        concurrency: None,
        values: BTreeMap::new(),
        origin: ProfileOrigin::File(path.to_path_buf()),
    };
    // Before the secrets, which it applies to.
    let command_timeout = match table.get("command_timeout") {
        Some(value) => v.command_timeout(value)?,
        None => DEFAULT_COMMAND_TIMEOUT,
    };
    for field in fields {
        let Some(value) = table.get(field.key) else {
            continue;
        };
        let parsed = if field.secret {
            let credential = Credential::new(name, field.key, v.secret(field, value)?)
                .with_command_timeout(command_timeout);
            FieldValue::Secret(Arc::new(credential))
        } else {
            FieldValue::Plain(v.plain(field, value)?)
        };
        profile.values.insert(field.key, parsed);
    }
    if let Some(value) = table.get("base_url") {
        profile.base_url = Some(v.string("base_url", value, "\"https://…\"")?);
    }
    if let Some(value) = table.get("timezone") {
        let text = v.string("timezone", value, "\"America/Bogota\"")?;
        let zone = Zone::parse(&text).map_err(|e| {
            ConfigError::new(
                format!("{}: key 'timezone': {e}", v.at),
                "write timezone = \"America/Bogota\" (an IANA name) or an offset such as \"-05:00\"",
            )
        })?;
        profile.timezone = Some(zone);
    }
    if let Some(value) = table.get("concurrency") {
        profile.concurrency = Some(v.concurrency(value)?);
    }

    let missing: Vec<&ProfileField> = fields
        .iter()
        .filter(|f| f.required && !table.contains_key(f.key))
        .collect();
    if let Some(first) = missing.first() {
        let listed: Vec<String> = missing
            .iter()
            .map(|f| format!("'{}' ({})", f.key, f.about))
            .collect();
        let noun = if missing.len() == 1 { "key" } else { "keys" };
        let example = if first.secret {
            format!("{} = {{ env = \"VAR\" }}", first.key)
        } else {
            format!("{} = \"…\"", first.key)
        };
        return Err(ConfigError::new(
            format!(
                "{}: missing required {noun} {} for {} {} profile",
                v.at,
                listed.join(", "),
                article(vendor.id()),
                vendor.id()
            ),
            format!("add {example} to [profiles.{}]", v.header),
        ));
    }
    Ok(profile)
}

/// The context of one profile's messages.
struct Validator {
    /// The name as written in a TOML table header.
    header: String,
    /// `profile 'NAME' in PATH`.
    at: String,
}

impl Validator {
    fn vendor(&self, provider: Option<&Value>) -> Result<Vendor, ConfigError> {
        let valid = Vendor::all().map(Vendor::id).collect::<Vec<_>>().join(", ");
        let problem = match provider {
            None => "missing key 'provider' (the vendor)".to_owned(),
            Some(Value::String(id)) => match Vendor::from_id(id) {
                Some(vendor) => return Ok(vendor),
                None => format!("unknown provider '{id}'"),
            },
            Some(other) => format!("provider must be a string, not {}", a_type(other)),
        };
        Err(ConfigError::new(
            format!("{}: {problem}; valid providers: {valid}", self.at),
            format!(
                "add provider = \"engage\" (or another of them) to [profiles.{}]",
                self.header
            ),
        ))
    }

    /// A secret: a literal string, `{ env = "VAR" }` or `{ command = "…" }`. Messages describe
    /// the value's type only, never the value.
    fn secret(&self, field: &ProfileField, value: &Value) -> Result<SecretSource, ConfigError> {
        let key = field.key;
        let got = match value {
            Value::String(s) if !s.is_empty() => {
                return Ok(SecretSource::Literal(SecretString::from(s.clone())));
            }
            Value::String(_) => "an empty string".to_owned(),
            Value::Table(t) if t.len() == 1 => {
                let (form, inner) = t.iter().next().expect("one entry");
                match (form.as_str(), inner) {
                    ("env", Value::String(var)) if !var.trim().is_empty() => {
                        return Ok(SecretSource::Env(var.trim().to_owned()));
                    }
                    ("command", Value::String(cmd)) if !cmd.trim().is_empty() => {
                        return Ok(SecretSource::Command(cmd.clone()));
                    }
                    ("env" | "command", Value::String(_)) => format!("an empty {form}"),
                    ("env" | "command", other) => format!("{form} = {}", a_type(other)),
                    _ => format!("a table with key '{form}'"),
                }
            }
            Value::Table(t) if t.is_empty() => "an empty table".to_owned(),
            Value::Table(t) => {
                let keys: Vec<&str> = t.keys().map(String::as_str).collect();
                format!("a table with keys {}", keys.join(", "))
            }
            other => a_type(other),
        };
        Err(ConfigError::new(
            format!(
                "{}: key '{key}' must be a literal string, {{ env = \"VAR\" }} or {{ command = \"…\" }}, not {got}",
                self.at
            ),
            format!(
                "write {key} = {{ env = \"VAR\" }} to read it from a variable, or {key} = {{ command = \"…\" }} to run a command"
            ),
        ))
    }

    /// A plain setting: a non-empty string, or a non-negative integer for the numeric ids.
    fn plain(&self, field: &ProfileField, value: &Value) -> Result<String, ConfigError> {
        match value {
            Value::Integer(n) if *n >= 0 && NUMERIC_PLAIN_KEYS.contains(&field.key) => {
                Ok(n.to_string())
            }
            _ => self.string(field.key, value, "\"…\""),
        }
    }

    fn string(&self, key: &str, value: &Value, example: &str) -> Result<String, ConfigError> {
        let got = match value {
            Value::String(s) if !s.trim().is_empty() => return Ok(s.clone()),
            Value::String(_) => "an empty string".to_owned(),
            other => a_type(other),
        };
        Err(ConfigError::new(
            format!("{}: key '{key}' must be a string, not {got}", self.at),
            format!("write {key} = {example} in [profiles.{}]", self.header),
        ))
    }

    fn concurrency(&self, value: &Value) -> Result<usize, ConfigError> {
        let n = value.as_integer().and_then(|n| usize::try_from(n).ok());
        if let Some(n) = n.filter(|n| *n >= 1) {
            return Ok(n);
        }
        let got = match value {
            Value::Integer(n) => n.to_string(),
            other => a_type(other),
        };
        Err(ConfigError::new(
            format!(
                "{}: key 'concurrency' must be a whole number of at least 1, not {got}",
                self.at
            ),
            format!(
                "write concurrency = 4 in [profiles.{}], or remove it",
                self.header
            ),
        ))
    }
}

impl Validator {
    /// `command_timeout`: whole seconds, at least 1.
    fn command_timeout(&self, value: &Value) -> Result<Duration, ConfigError> {
        let n = value.as_integer().and_then(|n| u64::try_from(n).ok());
        if let Some(n) = n.filter(|n| *n >= 1) {
            return Ok(Duration::from_secs(n));
        }
        let got = match value {
            Value::Integer(n) => n.to_string(),
            other => a_type(other),
        };
        Err(ConfigError::new(
            format!(
                "{}: key 'command_timeout' must be a whole number of seconds, at least 1, not {got}",
                self.at
            ),
            format!(
                "write command_timeout = 60 in [profiles.{}], or remove it for the default of {} s",
                self.header,
                DEFAULT_COMMAND_TIMEOUT.as_secs()
            ),
        ))
    }
}

/// `a string`, `an integer`, … for messages (never the value itself).
pub(super) fn a_type(value: &Value) -> String {
    let t = value.type_str();
    format!("{} {t}", article(t))
}

fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// A profile name as written in a table header: bare when it can be, quoted otherwise.
pub(super) fn toml_key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        name.to_owned()
    } else {
        format!("{:?}", name)
    }
}
