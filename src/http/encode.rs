//! Percent-encoding of path segments and query strings. Everything but RFC 3986 unreserved
//! characters is encoded, so a campaign name with spaces, `/`, `%`, `?`, `#` or emoji stays one
//! path segment, and a space in a query value is `%20` (Engage's docs ask for encoded spaces and
//! colons; `+` is not used because not every server reads it as a space).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters that stay as they are: RFC 3986 "unreserved".
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One path segment, with everything but unreserved characters encoded.
pub fn segment(s: &str) -> String {
    utf8_percent_encode(s, STRICT).to_string()
}

/// A query string (`a=1&b=x%20y`) from pairs, in order.
pub fn query<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.extend(utf8_percent_encode(k.as_ref(), STRICT));
        out.push('=');
        out.extend(utf8_percent_encode(v.as_ref(), STRICT));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_encodes_every_reserved_character_and_non_ascii() {
        assert_eq!(segment("Promo a/b #2?"), "Promo%20a%2Fb%20%232%3F");
        assert_eq!(segment("50% off"), "50%25%20off");
        assert_eq!(segment("Café ☕"), "Caf%C3%A9%20%E2%98%95");
        assert_eq!(segment("plain-name_1.x~"), "plain-name_1.x~");
    }

    #[test]
    fn query_encodes_space_as_percent_20_and_colon() {
        assert_eq!(
            query(&[("from", "2026-04-01 00:00:00"), ("type", "one-time")]),
            "from=2026-04-01%2000%3A00%3A00&type=one-time"
        );
    }
}
