//! Credentials: where a secret comes from (literal, `{ env = … }`, `{ command = … }`), the
//! `secrecy` type that holds it, and the redactor every line bound for stderr passes through.

use std::borrow::Cow;

use secrecy::SecretString;

use crate::config::ConfigError;

/// Where a secret's value comes from.
pub enum SecretSource {
    /// Written in the config file (or given in a `WA_<VENDOR>_<FIELD>` variable).
    Literal(SecretString),
    /// Read from this environment variable.
    Env(String),
    /// The trimmed stdout of this shell command; run again once when the vendor answers 401.
    Command(String),
}

/// One credential of one profile. Its `Debug` names the profile, the key and the kind of source,
/// never the value.
pub struct Credential {
    _private: (),
}

impl Credential {
    /// A credential of `profile`'s `key`, resolved on first use.
    pub fn new(profile: &str, key: &str, source: SecretSource) -> Credential {
        let _ = (profile, key, source);
        todo!("config helper")
    }

    /// The secret's value: read from the source the first time (and registered with the
    /// redactor), from the cache afterwards. A missing variable or a failing command is a
    /// configuration error naming the profile and the key, never the value.
    pub fn get(&self) -> Result<SecretString, ConfigError> {
        todo!("config helper")
    }

    /// After a 401: runs a `command` source again, once per process, and returns `Ok(true)` when
    /// a new value was read; `Ok(false)` for literal and env sources or a second call.
    pub fn refresh(&self) -> Result<bool, ConfigError> {
        todo!("config helper")
    }

    /// Whether the value is written in the config file itself (for the permissions warning).
    pub fn is_literal(&self) -> bool {
        todo!("config helper")
    }
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        todo!("config helper: {f:p}")
    }
}

/// Registers a secret value so that [`scrub`] replaces it (and its base64 forms) with `***`.
/// Values shorter than 4 characters are not registered.
pub fn register(secret: &str) {
    todo!("config helper: {}", secret.len())
}

/// Replaces every registered secret, and its standard and URL-safe base64 forms (padded or not),
/// with `***`.
pub fn scrub(text: &str) -> Cow<'_, str> {
    todo!("config helper: {text}")
}
