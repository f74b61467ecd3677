//! Turning one [`Value`] into text, shared by CSV/TSV and JSON: RFC 3339 instants and
//! serde_json's shortest round-trip floats, written without allocating.

use std::fmt;
use std::io::{self, Write};

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Timelike, Utc};

use super::Value;

/// The null every missing value is read as.
pub(super) static NULL: Value = Value::Null;

/// The value at `index`, or null when the row is short.
pub(super) fn at(row: &[Value], index: usize) -> &Value {
    row.get(index).unwrap_or(&NULL)
}

/// An instant as RFC 3339 in UTC with `Z`, whole seconds unless the fraction is non-zero
/// (`2026-04-01T13:05:00Z`, `2026-04-01T13:05:00.250Z`): chrono's
/// `to_rfc3339_opts(SecondsFormat::AutoSi, true)`, written without a temporary `String`.
pub(super) struct Rfc3339<'a>(pub &'a DateTime<Utc>);

impl fmt::Display for Rfc3339<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0; RFC3339_MAX];
        match rfc3339_bytes(self.0, &mut buf) {
            // Only ASCII digits and punctuation were written.
            Some(len) => f.write_str(std::str::from_utf8(&buf[..len]).map_err(|_| fmt::Error)?),
            None => f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
        }
    }
}

/// The longest instant [`rfc3339_bytes`] writes: `2026-04-01T13:05:00.123456789Z`.
pub(super) const RFC3339_MAX: usize = 30;

/// Writes `t` as [`Rfc3339`] does into `buf` and returns the length, or `None` for the rare
/// instants left to chrono (years outside 0..=9999, leap seconds). A million-row export formats
/// millions of instants; `write!` with padded fields costs several times more.
pub(super) fn rfc3339_bytes(t: &DateTime<Utc>, buf: &mut [u8; RFC3339_MAX]) -> Option<usize> {
    let year = u32::try_from(t.year()).ok().filter(|year| *year <= 9999)?;
    let nanos = t.nanosecond();
    if nanos >= 1_000_000_000 {
        return None;
    }
    digits(&mut buf[0..4], year);
    buf[4] = b'-';
    digits(&mut buf[5..7], t.month());
    buf[7] = b'-';
    digits(&mut buf[8..10], t.day());
    buf[10] = b'T';
    digits(&mut buf[11..13], t.hour());
    buf[13] = b':';
    digits(&mut buf[14..16], t.minute());
    buf[16] = b':';
    digits(&mut buf[17..19], t.second());
    let (fraction, places) = match nanos {
        0 => (0, 0),
        n if n % 1_000_000 == 0 => (n / 1_000_000, 3),
        n if n % 1_000 == 0 => (n / 1_000, 6),
        n => (n, 9),
    };
    let mut len = 19;
    if places > 0 {
        buf[19] = b'.';
        digits(&mut buf[20..20 + places], fraction);
        len = 20 + places;
    }
    buf[len] = b'Z';
    Some(len + 1)
}

/// [`rfc3339_bytes`] for the many instants of a page, remembering the last date written: the
/// instants of consecutive rows nearly always share it, and finding a date's year, month and day
/// costs more than the rest of the instant.
#[derive(Debug, Default)]
pub(super) struct Instants {
    date: Option<NaiveDate>,
    /// `YYYY-MM-DDT` of `date`.
    day: [u8; 11],
}

impl Instants {
    /// Appends `t` as [`write_scalar`] writes a [`Value::Time`].
    pub(super) fn write(&mut self, buf: &mut Vec<u8>, t: &DateTime<Utc>) -> io::Result<()> {
        let naive = t.naive_utc();
        let date = naive.date();
        if self.date != Some(date) {
            let mut text = [0; RFC3339_MAX];
            if rfc3339_bytes(t, &mut text).is_none() {
                return write_scalar(buf, &Value::Time(*t));
            }
            self.day.copy_from_slice(&text[..11]);
            self.date = Some(date);
        }
        let nanos = t.nanosecond();
        if nanos != 0 {
            // Fractions (and leap seconds) the long way.
            return write_scalar(buf, &Value::Time(*t));
        }
        let secs = naive.num_seconds_from_midnight();
        let mut text = [0; 20];
        text[..11].copy_from_slice(&self.day);
        digits(&mut text[11..13], secs / 3600);
        text[13] = b':';
        digits(&mut text[14..16], secs / 60 % 60);
        text[16] = b':';
        digits(&mut text[17..19], secs % 60);
        text[19] = b'Z';
        buf.extend_from_slice(&text);
        Ok(())
    }
}

/// Writes `value` as exactly `out.len()` decimal digits, zero-padded.
fn digits(out: &mut [u8], mut value: u32) {
    for byte in out.iter_mut().rev() {
        *byte = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// Appends a non-text, non-JSON value as CSV text: integers in decimal, floats as serde_json
/// prints them (non-finite ones as nothing), `true`/`false`, RFC 3339 instants, `YYYY-MM-DD`
/// dates; null as nothing.
pub(super) fn write_scalar(buf: &mut Vec<u8>, value: &Value) -> io::Result<()> {
    match value {
        Value::Null => Ok(()),
        Value::Text(s) => buf.write_all(s.as_bytes()),
        Value::Int(i) => write!(buf, "{i}"),
        Value::Float(f) => match serde_json::Number::from_f64(*f) {
            Some(n) => write!(buf, "{n}"),
            None => Ok(()),
        },
        Value::Bool(b) => buf.write_all(if *b { b"true" } else { b"false" }),
        Value::Time(t) => {
            let mut text = [0; RFC3339_MAX];
            match rfc3339_bytes(t, &mut text) {
                Some(len) => buf.write_all(&text[..len]),
                None => write!(buf, "{}", Rfc3339(t)),
            }
        }
        Value::Date(d) => write!(buf, "{d}"),
        // A nested null is still null: an empty cell, as the output contract says.
        Value::Json(serde_json::Value::Null) => Ok(()),
        Value::Json(j) => serde_json::to_writer(buf, j).map_err(io::Error::from),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};
    use proptest::prelude::*;

    fn text(value: &Value) -> String {
        let mut buf = Vec::new();
        write_scalar(&mut buf, value).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn scalars_render_as_the_contract_says() {
        let t = Utc.with_ymd_and_hms(2026, 4, 1, 13, 5, 0).unwrap();
        assert_eq!(text(&Value::Null), "");
        assert_eq!(text(&Value::Int(-42)), "-42");
        assert_eq!(text(&Value::Float(0.6667)), "0.6667");
        assert_eq!(text(&Value::Float(12.5)), "12.5");
        assert_eq!(text(&Value::Float(f64::NAN)), "");
        assert_eq!(text(&Value::Float(f64::INFINITY)), "");
        assert_eq!(text(&Value::Bool(false)), "false");
        assert_eq!(text(&Value::Time(t)), "2026-04-01T13:05:00Z");
        let date = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        assert_eq!(text(&Value::Date(date)), "2026-04-01");
        let nested = serde_json::json!({"a": [1, "x"]});
        assert_eq!(text(&Value::Json(nested)), r#"{"a":[1,"x"]}"#);
        assert_eq!(text(&Value::Json(serde_json::Value::Null)), "");
    }

    #[test]
    fn instants_keep_only_non_zero_fractions() {
        let t = Utc.with_ymd_and_hms(2026, 4, 2, 8, 0, 0).unwrap();
        let at = |ns: u32| Rfc3339(&(t + chrono::Duration::nanoseconds(ns.into()))).to_string();
        assert_eq!(at(250_000_000), "2026-04-02T08:00:00.250Z");
        assert_eq!(at(1_000), "2026-04-02T08:00:00.000001Z");
        assert_eq!(at(7), "2026-04-02T08:00:00.000000007Z");
    }

    proptest! {
        #[test]
        fn instants_written_in_a_row_are_what_write_scalar_writes(
            times in proptest::collection::vec((-62_000_000_000i64..260_000_000_000, 0u32..2_000_000_000, 0usize..4, 0i64..200_000), 1..12),
        ) {
            let mut instants = Instants::default();
            let mut before: Option<DateTime<Utc>> = None;
            for (secs, nanos, kind, step) in times {
                let t = match (kind, before) {
                    // Often the same day as the instant before, as in a page.
                    (0 | 1, Some(b)) => b + chrono::Duration::seconds(step % 86_400),
                    _ => match DateTime::<Utc>::from_timestamp(secs, [nanos, 0][kind % 2]) {
                        Some(t) => t,
                        None => continue,
                    },
                };
                let mut ours = Vec::new();
                instants.write(&mut ours, &t).unwrap();
                prop_assert_eq!(String::from_utf8(ours).unwrap(), text(&Value::Time(t)));
                before = Some(t);
            }
        }

        #[test]
        fn fast_rfc3339_matches_chrono(secs in -62_000_000_000i64..260_000_000_000, nanos in 0u32..1_000_000_000, round in 0usize..3) {
            let nanos = [nanos, nanos / 1_000_000 * 1_000_000, 0][round];
            let t = DateTime::<Utc>::from_timestamp(secs, nanos).unwrap();
            prop_assert_eq!(Rfc3339(&t).to_string(), t.to_rfc3339_opts(SecondsFormat::AutoSi, true));
        }
    }
}
