//! The config file (TOML, one table per profile), profile selection, and profiles made from
//! `WA_<VENDOR>_<FIELD>` variables (product.md, "Configuration").

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::provider::Vendor;
use crate::secret::Credential;
use crate::time::Zone;

/// A configuration problem: always exit 2. `Display` is one paragraph naming the file, the
/// profile and the key, and saying how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
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
        todo!("config helper")
    }
}

/// A parsed config file. Profiles are validated when they are used ([`ConfigFile::profile`]), so
/// a broken profile does not stop the use of another one; TOML syntax errors fail the whole file.
#[derive(Debug)]
pub struct ConfigFile {
    _private: (),
}

impl ConfigFile {
    /// Reads and parses a file. A missing file is an error naming the path.
    pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
        todo!("config helper: {path:?}")
    }

    /// Parses TOML text; `path` is used in messages and as the profiles' origin.
    pub fn parse(text: &str, path: &Path) -> Result<ConfigFile, ConfigError> {
        todo!("config helper: {text} {path:?}")
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        todo!("config helper")
    }

    /// `default_profile`, if set.
    pub fn default_profile(&self) -> Option<&str> {
        todo!("config helper")
    }

    /// The profile names, sorted.
    pub fn profile_names(&self) -> Vec<String> {
        todo!("config helper")
    }

    /// The raw `provider` value of a profile, if it has one (for `profiles list`, even when the
    /// profile is otherwise invalid).
    pub fn provider_of(&self, name: &str) -> Option<String> {
        todo!("config helper: {name}")
    }

    /// A validated profile. Unknown names list the profiles the file has.
    pub fn profile(&self, name: &str) -> Result<Profile, ConfigError> {
        todo!("config helper: {name}")
    }

    /// Warnings about the file itself: on Unix, group/world-readable while holding a literal
    /// secret (with the `chmod 600` that fixes it).
    pub fn warnings(&self) -> Vec<String> {
        todo!("config helper")
    }
}

/// The default config path: `$XDG_CONFIG_HOME/wa-analytics/config.toml`, else
/// `$HOME/.config/wa-analytics/config.toml` (on Windows `%APPDATA%\wa-analytics\config.toml`).
pub fn default_path(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    todo!("config helper: {:?}", env("HOME"))
}

/// A profile for `--provider VENDOR` from `WA_<VENDOR>_<FIELD>` variables (`WA_ENGAGE_TOKEN`,
/// `WA_ENGAGE_BOT_TOKEN`, `WA_WOLKVOX_SERVER`, `WA_ENGAGE_BASE_URL`, `WA_ENGAGE_TIMEZONE`, …).
/// Secrets from variables are literals. Missing required variables are named in the error.
pub fn profile_from_env(
    vendor: Vendor,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Profile, ConfigError> {
    todo!("config helper: {vendor:?} {:?}", env("HOME"))
}
