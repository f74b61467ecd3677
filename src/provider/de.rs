//! Deserialization helpers the vendors' wire types share.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

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
