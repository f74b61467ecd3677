//! Small helpers shared by the vendor modules: query parameters, JSON responses, time formats.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDateTime, Utc};

/// Query parameters, decoded (`+` and `%XX`), in order; the first of a repeated name wins.
#[derive(Debug, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    /// Parses a raw query string (`None` = no query).
    pub fn parse(raw: Option<&str>) -> Params {
        Params(
            url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The value of `name`, if present (possibly empty).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `name`, `None` when absent or empty.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }
}

/// A JSON response with `status`.
pub(crate) fn json(status: StatusCode, body: serde_json::Value) -> Response {
    (status, axum::Json(body)).into_response()
}

/// The header's value as text, if present and valid.
pub(crate) fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The token of `Authorization: <scheme> <token>` (scheme compared case-insensitively).
pub(crate) fn auth_token<'a>(headers: &'a HeaderMap, scheme: &str) -> Option<&'a str> {
    let value = header_str(headers, header::AUTHORIZATION.as_str())?.trim();
    let (s, token) = value.split_once(' ')?;
    s.eq_ignore_ascii_case(scheme).then(|| token.trim())
}

/// Milliseconds since the epoch as a UTC date-time.
pub(crate) fn utc(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// `YYYY-MM-DD HH:MM:SS` in UTC (Engage, Engati users, Wolkvox rows).
pub(crate) fn fmt_sql(ms: i64) -> String {
    utc(ms).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Parses `YYYY-MM-DD HH:MM:SS` as UTC, to whole seconds in milliseconds.
pub(crate) fn parse_sql(s: &str) -> Option<i64> {
    if s.len() != 19 {
        return None;
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|t| t.and_utc().timestamp_millis())
}

/// Parses `YYYYMMDDHHMMSS` (Wolkvox) as UTC milliseconds.
pub(crate) fn parse_compact(s: &str) -> Option<i64> {
    if s.len() != 14 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDateTime::parse_from_str(s, "%Y%m%d%H%M%S")
        .ok()
        .map(|t| t.and_utc().timestamp_millis())
}

/// `YYYY-MM-DD` of a UTC instant.
pub(crate) fn fmt_date(ms: i64) -> String {
    utc(ms).format("%Y-%m-%d").to_string()
}

/// The UTC midnight at or before `ms`.
pub(crate) fn day_floor(ms: i64) -> i64 {
    ms.div_euclid(super::data::DAY_MS) * super::data::DAY_MS
}

/// A TOML basic string.
pub(crate) fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One RFC 4180 cell: quoted when it holds a comma, quote, CR or LF (quotes doubled). The
/// vendor sends raw text; neutralising formulas is the client's job (product.md).
pub(crate) fn csv_cell(out: &mut String, s: &str) {
    if s.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}
