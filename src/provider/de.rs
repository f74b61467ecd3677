//! Deserialization helpers the vendors' wire types share.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// `YYYY-MM-DD HH:MM:SS` read digit by digit: vendors put several of these stamps in every
/// contact row, and chrono's general format parser was a fifth of a large export's CPU time.
/// Anything else (including invalid dates, which chrono then rejects with the usual message)
/// goes the slow way.
pub(crate) fn fixed_time(b: &[u8]) -> Option<NaiveDateTime> {
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    date.and_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)
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
