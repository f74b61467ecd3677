//! Deserialization helpers the vendors' wire types share.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// `YYYY-MM-DD HH:MM:SS` read digit by digit: vendors put several of these stamps in every
/// contact row, and chrono's general format parser was a fifth of a large export's CPU time.
/// Anything else (including invalid dates, which chrono then rejects with the usual message)
/// goes the slow way.
pub(crate) fn fixed_time(b: &[u8]) -> Option<NaiveDateTime> {
    FixedTimes::default().read(b)
}

/// [`fixed_time`] for the many stamps of a page, remembering the last date read: the stamps of
/// consecutive rows nearly always share it, and checking a date against the calendar costs more
/// than the rest of the stamp.
#[derive(Debug, Default)]
pub(crate) struct FixedTimes {
    /// The `YYYY-MM-DD` bytes of `date`.
    day: [u8; 10],
    date: Option<NaiveDate>,
}

impl FixedTimes {
    /// [`fixed_time`] of `b`.
    pub(crate) fn read(&mut self, b: &[u8]) -> Option<NaiveDateTime> {
        if b.len() != 19 || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let date = match self.date {
            Some(date) if b[..10] == self.day => date,
            _ => {
                let date = fixed_date(&b[..10])?;
                self.day.copy_from_slice(&b[..10]);
                self.date = Some(date);
                date
            }
        };
        date.and_hms_opt(two(b, 11)?, two(b, 14)?, two(b, 17)?)
    }
}

/// `YYYY-MM-DD`, a real calendar date.
fn fixed_date(b: &[u8]) -> Option<NaiveDate> {
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = two(b, 0)? * 100 + two(b, 2)?;
    NaiveDate::from_ymd_opt(year as i32, two(b, 5)?, two(b, 8)?)
}

/// The two ASCII digits at `b[i..i + 2]` as a number.
fn two(b: &[u8], i: usize) -> Option<u32> {
    let (tens, ones) = (b[i].wrapping_sub(b'0'), b[i + 1].wrapping_sub(b'0'));
    (tens < 10 && ones < 10).then(|| u32::from(tens) * 10 + u32::from(ones))
}

/// Phone numbers and ids may come as JSON strings or numbers; keep their exact digits as text.
pub(crate) fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    opt_string_or_number(d)?
        .ok_or_else(|| serde::de::Error::custom("expected a string or a number, found null"))
}

/// [`string_or_number`] where `null` is allowed.
pub(crate) fn opt_string_or_number<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        other => Err(serde::de::Error::custom(format!(
            "expected a string or a number, found {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Row {
        #[serde(deserialize_with = "string_or_number")]
        id: String,
        #[serde(default, deserialize_with = "opt_string_or_number")]
        phone: Option<String>,
    }

    #[test]
    fn stamps_read_in_a_row_agree_with_chrono_whatever_date_came_before() {
        let mut times = FixedTimes::default();
        for t in [
            "2026-02-28 10:00:00",
            "2026-02-28 23:59:59",
            "2026-02-28 24:00:00",
            "2026-02-28 10:60:00",
            "2026-02-28 1a:00:00",
            "2026-02-29 10:00:00",
            "2026-02-28 00:00:00",
            "2024-02-29 00:00:00",
            "2024-02-29T00:00:00",
            "2024-0a-29 00:00:00",
            "0000-01-01 00:00:00",
            "2024-02-29 00:00:00",
        ] {
            let chrono = NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").ok();
            assert_eq!(times.read(t.as_bytes()), chrono, "{t}");
            assert_eq!(fixed_time(t.as_bytes()), chrono, "{t}");
        }
        // What chrono reads that is not the fixed format is left to it.
        assert_eq!(times.read(b"2024-02-29 00:00:0"), None);
    }

    #[test]
    fn numbers_keep_their_exact_digits_and_other_types_are_refused() {
        let r: Row = serde_json::from_str(r#"{"id":573001234567,"phone":"+57300"}"#).unwrap();
        assert_eq!(
            (r.id.as_str(), r.phone.as_deref()),
            ("573001234567", Some("+57300"))
        );
        let r: Row = serde_json::from_str(r#"{"id":"a","phone":null}"#).unwrap();
        assert_eq!(r.phone, None);
        assert!(serde_json::from_str::<Row>(r#"{"id":null}"#).is_err());
        assert!(serde_json::from_str::<Row>(r#"{"id":[1]}"#).is_err());
    }
}
