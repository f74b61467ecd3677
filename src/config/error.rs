//! The configuration error: a leaf that imports nothing of the crate, so every layer can name it.

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

impl ConfigError {
    /// An error with a hint.
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> ConfigError {
        ConfigError {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }
}
