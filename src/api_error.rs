//! The one error type every provider returns: a semantic kind callers can match, plus the context
//! a person needs (vendor, request, status, the vendor's own code and message, what to do next).

use std::borrow::Cow;
use std::fmt;

/// What went wrong, in terms a caller can act on. Each kind has one exit code (product.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request was refused as malformed (HTTP 400 and vendor validation codes): exit 2.
    InvalidRequest,
    /// The vendor cannot serve this command: exit 2.
    NotSupported,
    /// Credentials missing, invalid or expired (HTTP 401): exit 4.
    Unauthenticated,
    /// Authenticated but not allowed (HTTP 403): exit 4.
    Forbidden,
    /// The campaign, user or template does not exist: exit 7.
    NotFound,
    /// Rate-limited beyond the retry budget, or asked to wait longer than allowed: exit 5.
    RateLimited,
    /// The vendor or the network failed after retries (5xx, time-outs, resets): exit 6.
    Unavailable,
    /// The vendor answered something we cannot read (HTML, truncated, wrong shape): exit 6.
    BadResponse,
    /// Some rows were produced but not all of them could be proven complete: exit 3.
    Incomplete,
}

impl ErrorKind {
    /// The process exit code of this kind (product.md, "Exit codes").
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::InvalidRequest | ErrorKind::NotSupported => 2,
            ErrorKind::Incomplete => 3,
            ErrorKind::Unauthenticated | ErrorKind::Forbidden => 4,
            ErrorKind::RateLimited => 5,
            ErrorKind::Unavailable | ErrorKind::BadResponse => 6,
            ErrorKind::NotFound => 7,
        }
    }
}

/// A provider failure with its context. `Display` is the one-paragraph message users see; it
/// never holds a query string or a secret.
#[derive(Debug, Clone)]
pub struct ProviderError {
    /// What went wrong.
    pub kind: ErrorKind,
    /// The vendor's display name (`Engage`).
    pub vendor: &'static str,
    /// `GET /campaign/x/summary` — method and path only, never the query.
    pub request: Option<String>,
    /// The HTTP status, when the vendor answered.
    pub status: Option<u16>,
    /// The vendor's own error code (`CAMPAIGN_NOT_FOUND`, `3004`).
    pub vendor_code: Option<String>,
    /// The vendor's own message, or our description of the failure.
    pub message: String,
    /// What to do next.
    pub hint: Option<String>,
    /// The hint only says to try again later (the HTTP layer's and every vendor's answer to a
    /// failure on their side): wrong advice for a write that may have been carried out, so
    /// `cli::write` replaces such a hint, and never an adapter's own advice.
    pub hint_is_retry: bool,
    /// The request surely never reached the vendor (the connection could not be opened).
    pub never_sent: bool,
}

/// The hint for a vendor failing on its side (HTTP 5xx and the like).
pub fn failing_hint(vendor: &str) -> String {
    format!("{vendor} is failing; try again later (--retries and --timeout allow longer waits)")
}

impl ProviderError {
    /// An error of `kind` from `vendor` with a message and no request context.
    pub fn new(kind: ErrorKind, vendor: &'static str, message: impl Into<String>) -> Self {
        ProviderError {
            kind,
            vendor,
            request: None,
            status: None,
            vendor_code: None,
            message: message.into(),
            hint: None,
            hint_is_retry: false,
            never_sent: false,
        }
    }

    /// A credential the vendor's client cannot read (a variable not set, a failing command):
    /// exit 2, with the secret layer's own hint.
    pub fn from_secret(vendor: &'static str, e: crate::secret::SecretError) -> Self {
        let mut err = ProviderError::new(ErrorKind::InvalidRequest, vendor, e.message);
        err.hint = e.hint;
        err
    }

    /// The vendor cannot serve `command`; `supported` lists the commands it can.
    pub fn not_supported(vendor: &'static str, command: &str, supported: &[&str]) -> Self {
        let list = if supported.is_empty() {
            "none yet".to_string()
        } else {
            supported.join(", ")
        };
        ProviderError::new(
            ErrorKind::NotSupported,
            vendor,
            format!("{vendor} does not support '{command}'"),
        )
        .with_hint(format!(
            "commands {vendor} supports: {list}. Run 'wa-analytics providers' to compare vendors."
        ))
    }

    /// Adds the request line (`GET /path`).
    pub fn with_request(mut self, request: impl Into<String>) -> Self {
        self.request = Some(request.into());
        self
    }

    /// Adds the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Adds the vendor's own error code (vendor text: quoted at most [`CODE_CHARS`] long).
    pub fn with_vendor_code(mut self, code: impl Into<String>) -> Self {
        self.vendor_code = Some(quote(&code.into(), CODE_CHARS));
        self
    }

    /// Adds (or replaces) the hint; one made by [`failing_hint`] only says to try again.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        let hint = hint.into();
        self.hint_is_retry = hint == failing_hint(self.vendor);
        self.hint = Some(hint);
        self
    }

    /// Adds (or replaces) a hint that only says to try again later (see `hint_is_retry`).
    pub fn with_retry_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self.hint_is_retry = true;
        self
    }

    /// Marks a failure that happened before the request left (it was surely not carried out).
    pub fn never_sent(mut self) -> Self {
        self.never_sent = true;
        self
    }

    /// Whether the request may have been carried out although it failed: it left, and the
    /// failure (a time-out, a reset, a 5xx, an unreadable 2xx) does not prove the vendor ignored
    /// it.
    pub fn outcome_unknown(&self) -> bool {
        !self.never_sent
            && matches!(self.kind, ErrorKind::Unavailable | ErrorKind::BadResponse)
            && self
                .status
                .is_none_or(|s| s >= 500 || (200..300).contains(&s))
    }

    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }
}

impl fmt::Display for ProviderError {
    /// The paragraph, with every registered secret scrubbed and every control character made
    /// [`visible`]: vendors may echo a credential or a terminal escape in their own messages,
    /// and this text reaches stdout too (`profiles check`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.compose();
        f.write_str(&visible(&crate::secret::scrub(&text)))
    }
}

impl ProviderError {
    fn compose(&self) -> String {
        let mut f = String::new();
        let _ = self.compose_into(&mut f);
        f
    }

    fn compose_into(&self, f: &mut String) -> fmt::Result {
        use std::fmt::Write;
        match (&self.request, self.status) {
            (Some(req), Some(status)) => write!(
                f,
                "{} {} answered {}",
                self.vendor,
                req,
                status_line(status)
            )?,
            (Some(req), None) => write!(f, "{} {} failed", self.vendor, req)?,
            (None, _) => write!(f, "{}", self.vendor)?,
        }
        // Vendor text is quoted short where it enters (`ApiResponse::error`); this bound is for
        // any other way a vendor's words reach a message.
        let message = quote(&self.message, MESSAGE_CHARS);
        match &self.vendor_code {
            Some(code) => write!(f, ": {code}: {message}")?,
            None => write!(f, ": {message}")?,
        }
        if !message.ends_with('.') {
            f.write_str(".")?;
        }
        Ok(())
    }
}

impl std::error::Error for ProviderError {}

/// `404 Not Found`.
pub fn status_line(status: u16) -> String {
    match reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// How much of a vendor's own message an error quotes, in characters as shown.
pub const QUOTE_CHARS: usize = 300;

/// How much of a vendor's error code an error quotes.
pub const CODE_CHARS: usize = 80;

/// The longest message a paragraph shows, whatever put it there.
pub const MESSAGE_CHARS: usize = 1000;

/// `text` with every character a terminal would act on made visible, so that a vendor's words
/// can neither move the cursor, clear the screen, set the window title, nor start a line of
/// their own: ESC as `\e`, CR, LF and TAB as `\r`, `\n` and `\t`, any other C0 or C1 control, DEL,
/// the bidi controls and the line and paragraph separators as `\u{…}`. Backslashes are left
/// alone, so applying it twice changes nothing more.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        push_visible(&mut out, c);
    }
    Cow::Owned(out)
}

/// A vendor's `text` as an error quotes it: [`visible`], and cut at `max_chars` characters as
/// shown (at a character boundary, ending in `…`).
pub fn quote(text: &str, max_chars: usize) -> String {
    let whole = visible(text);
    if whole.chars().count() <= max_chars {
        return whole.into_owned();
    }
    // Whole characters as shown (an escape is never cut in two), then the ellipsis.
    let room = max_chars.saturating_sub(1);
    let mut out = String::new();
    let mut shown = 0;
    let mut piece = String::new();
    for c in text.chars() {
        piece.clear();
        push_visible(&mut piece, c);
        let width = piece.chars().count();
        if shown + width > room {
            break;
        }
        shown += width;
        out.push_str(&piece);
    }
    out.push('…');
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control() || is_format_control(c)
}

/// The bidi embeddings, overrides, isolates and marks, and the line and paragraph separators:
/// not controls to Unicode's `is_control`, but they reorder or break what a terminal shows.
fn is_format_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

fn push_visible(out: &mut String, c: char) {
    use std::fmt::Write;
    match c {
        '\x1b' => out.push_str("\\e"),
        '\r' => out.push_str("\\r"),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        c if needs_escape(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_line_breaks_are_shown_not_obeyed() {
        assert_eq!(
            visible(
                "a\x1b[2Jb\x1b]0;x\x07c\r\nwa-analytics: done\td\u{7f}\u{9b}e\u{202e}f\u{2066}g"
            ),
            "a\\e[2Jb\\e]0;x\\u{7}c\\r\\nwa-analytics: done\\td\\u{7f}\\u{9b}e\\u{202e}f\\u{2066}g"
        );
        assert!(matches!(visible("plain é 🚀 \\e"), Cow::Borrowed(_)));
        let once = visible("x\x1by\u{0}").into_owned();
        assert_eq!(visible(&once), once);
    }

    #[test]
    fn quotes_are_cut_at_a_character_boundary_with_an_ellipsis() {
        assert_eq!(quote("short", 300), "short");
        assert_eq!(quote("ééééé", 5), "ééééé");
        assert_eq!(quote("éééééé", 5), "éééé…");
        assert_eq!(quote("🚀🚀🚀", 2), "🚀…");
        // What is shown counts: an escape is two characters, a bidi override eight.
        assert_eq!(quote("ab\x1bcd", 6), "ab\\ecd");
        assert_eq!(quote("ab\x1bcd", 5), "ab\\e…");
        assert_eq!(quote("ab\x1bcd", 4), "ab…");
        assert_eq!(quote("\u{202e}\u{202e}", 10), "\\u{202e}…");
        let long = "x".repeat(2_000_000);
        assert_eq!(quote(&long, QUOTE_CHARS).chars().count(), QUOTE_CHARS);
    }

    #[test]
    fn a_paragraph_shows_no_control_character_from_the_vendor() {
        let err = ProviderError::new(
            ErrorKind::NotFound,
            "Engage",
            "gone\x1b[2J\nwa-analytics: done, 0 errors",
        )
        .with_vendor_code("X\x1b]0;t\x07")
        .with_request("GET /x")
        .with_status(404);
        assert_eq!(
            err.to_string(),
            "Engage GET /x answered 404 Not Found: X\\e]0;t\\u{7}: gone\\e[2J\\nwa-analytics: done, 0 errors."
        );
        let huge = ProviderError::new(ErrorKind::BadResponse, "Engage", "y".repeat(100_000));
        assert!(huge.to_string().chars().count() < MESSAGE_CHARS + 20);
    }
}
