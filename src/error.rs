//! The errors a command can end in, and the one table that maps them to exit codes
//! (product.md, "Exit codes").

use crate::api_error::{ErrorKind, ProviderError};
use crate::config::ConfigError;
use crate::output::OutputError;
use crate::time::TimeError;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Bad input or a bad combination of options (exit 2).
    #[error("{message}")]
    Usage {
        /// What is wrong.
        message: String,
        /// How to fix it.
        hint: Option<String>,
    },
    /// The config file or the profile (exit 2).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A date, duration, zone or range (exit 2).
    #[error(transparent)]
    Time(#[from] TimeError),
    /// The vendor or the network.
    #[error(transparent)]
    Provider(#[from] ProviderError),
    /// Writing the result.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Rows were written to stdout before a failure: the result is incomplete (exit 3).
    #[error("the output is incomplete: {rows} row(s) were written before this failure: {cause}")]
    PartialOutput {
        /// Rows already written.
        rows: u64,
        /// What stopped the run.
        cause: Box<AppError>,
    },
    /// A failure already described on stdout (`profiles check`), with its exit code.
    #[error("{message}")]
    Reported {
        /// A one-line summary.
        message: String,
        /// The exit code of the first failure.
        code: u8,
    },
    /// A run over several profiles whose result lacks some of them (exit 3); each one's error
    /// was said before.
    #[error("{message}")]
    MissingProfiles {
        /// Which profiles are missing, and where the others' rows are.
        message: String,
    },
    /// Ctrl-C (exit 130).
    #[error("interrupted")]
    Interrupted,
    /// SIGTERM or SIGHUP (exit 143): the run cleans up as for Ctrl-C.
    #[error("terminated by {0}")]
    Terminated(&'static str),
    /// A bug (exit 1).
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// A usage error with a hint.
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> AppError {
        AppError::Usage {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            AppError::Usage { .. } | AppError::Config(_) | AppError::Time(_) => 2,
            AppError::Provider(e) => e.exit_code(),
            AppError::Output(
                OutputError::UnknownField { .. }
                | OutputError::BadFields(_)
                | OutputError::Folder { .. },
            ) => 2,
            AppError::Output(OutputError::Io { .. }) => 1,
            AppError::PartialOutput { .. } | AppError::MissingProfiles { .. } => 3,
            AppError::Reported { code, .. } => *code,
            AppError::Interrupted => 130,
            AppError::Terminated(_) => 143,
            AppError::Internal(_) => 1,
        }
    }

    /// What to do next, if there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            AppError::Usage { hint, .. } => hint.clone(),
            AppError::Config(e) => e.hint.clone(),
            AppError::Time(_) => Some(
                "dates are YYYY-MM-DD, 'YYYY-MM-DD HH:MM[:SS]', RFC 3339, now, today, yesterday or -7d; durations are like 7d, 24h, 90m"
                    .to_string(),
            ),
            AppError::Provider(e) => e.hint.clone(),
            AppError::Output(OutputError::UnknownField { .. }) => None,
            AppError::Output(_) => None,
            AppError::PartialOutput { cause, .. } => cause.hint(),
            AppError::Interrupted
            | AppError::Terminated(_)
            | AppError::Reported { .. }
            | AppError::MissingProfiles { .. } => None,
            AppError::Internal(_) => Some("this is a bug in wa-analytics; please report it with the command you ran".to_string()),
        }
    }

    /// Whether this is the reader of stdout going away (`| head`): a quiet success.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            AppError::Output(e) => e.is_broken_pipe(),
            AppError::PartialOutput { cause, .. } => cause.is_broken_pipe(),
            _ => false,
        }
    }

    /// Whether the provider reported an incomplete result.
    pub fn is_incomplete(&self) -> bool {
        matches!(self, AppError::Provider(e) if e.kind == ErrorKind::Incomplete)
    }
}

/// The one paragraph an error is said in on stderr: `wa-analytics: error: …`, `who` first when
/// it is one profile's of a run over several, and the hint on its own line. Vendor text in it is
/// made visible, never obeyed ([`crate::api_error::visible`]).
pub fn paragraph(e: &AppError, color: bool, who: Option<&str>) -> String {
    let label = if color {
        "\x1b[1;31merror:\x1b[0m"
    } else {
        "error:"
    };
    let who = who.map(|w| format!("{w}: ")).unwrap_or_default();
    let mut text = format!(
        "wa-analytics: {label} {who}{}",
        crate::api_error::visible(&e.to_string())
    );
    if let AppError::PartialOutput { .. } = e {
        text.push_str(" The rows above are not the whole result.");
    }
    if let Some(hint) = e.hint() {
        text.push_str(&format!("\nhint: {}", crate::api_error::visible(&hint)));
    }
    text
}

/// Says one profile's error in a run over several profiles (the run goes on).
pub fn report_for(who: &str, e: &AppError) {
    crate::log::emit(&paragraph(e, false, Some(who)));
}
