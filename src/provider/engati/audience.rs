//! The external broadcast's audience file, checked here before anything is sent (vendors.md
//! Part 2 §2.5): a CSV whose header is `user.phone_number`, then `user.attribute_0`,
//! `user.attribute_1`, … (the template's parameters, from 0), and one recipient per row with a
//! `+`, the country code and the digits. A recipient listed twice would get the message twice,
//! so duplicates are refused too.

use std::collections::HashMap;
use std::path::Path;

use bytes::Bytes;
use reqwest::header::HeaderValue;

use crate::provider::{ErrorKind, ProviderError};

use super::VENDOR;

/// A checked audience file: its bytes, exactly as they will be uploaded, and what they hold.
#[derive(Debug)]
pub(super) struct Audience {
    /// The file's name, sent as the part's `filename`.
    pub file_name: String,
    /// The file's bytes, unchanged.
    pub bytes: Vec<u8>,
    /// Recipients (data rows).
    pub recipients: usize,
    /// Template parameters per recipient (`user.attribute_N` columns).
    pub parameters: usize,
}

fn bad(path: &Path, what: impl std::fmt::Display) -> ProviderError {
    ProviderError::new(
        ErrorKind::InvalidRequest,
        VENDOR,
        format!("the audience file {}: {what}", path.display()),
    )
    .with_hint(
        "Engati's external broadcast takes a CSV whose header is user.phone_number,user.attribute_0,user.attribute_1,… and one row per recipient, numbers with + and the country code (e.g. +573001234567); nothing was sent",
    )
}

/// Reads and checks the audience file.
pub(super) fn read(path: &Path) -> Result<Audience, ProviderError> {
    let bytes = std::fs::read(path).map_err(|e| {
        bad(path, format!("cannot be read ({e})"))
            .with_hint("check the path given to --audience; nothing was sent")
    })?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| bad(path, "is not UTF-8 text (save it as CSV UTF-8)"))?;
    // A byte-order mark (Excel's "CSV UTF-8") is not part of the first column's name.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| bad(path, format!("has an unreadable header ({e})")))?
        .clone();
    let mut columns = header.iter();
    if columns.next().map(str::trim) != Some("user.phone_number") {
        return Err(bad(
            path,
            format!(
                "the first column must be user.phone_number, not '{}'",
                header.get(0).unwrap_or("")
            ),
        ));
    }
    for (n, name) in columns.enumerate() {
        let want = format!("user.attribute_{n}");
        if name.trim() != want {
            return Err(bad(
                path,
                format!("column {} must be {want}, not '{name}'", n + 2),
            ));
        }
    }
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut recipients = 0;
    for record in reader.records() {
        let record = record.map_err(|e| bad(path, format!("is not valid CSV ({e})")))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            return Err(bad(
                path,
                format!(
                    "line {line} has {} column(s) but the header has {}",
                    record.len(),
                    header.len()
                ),
            ));
        }
        let phone = record.get(0).unwrap_or("").trim();
        let digits = phone.strip_prefix('+').unwrap_or("");
        if !((8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())) {
            return Err(bad(
                path,
                format!("line {line}: '{phone}' is not a phone number with + and the country code"),
            ));
        }
        if let Some(first) = seen.insert(phone.to_string(), line) {
            return Err(bad(
                path,
                format!(
                    "line {line} repeats {phone} of line {first}: it would get the message twice"
                ),
            ));
        }
        recipients += 1;
    }
    if recipients == 0 {
        return Err(bad(path, "lists no recipients"));
    }
    let file_name = path.file_name().map_or_else(
        || "audience.csv".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok(Audience {
        file_name,
        bytes,
        recipients,
        parameters: header.len() - 1,
    })
}

/// A `multipart/form-data` body of the audience (`target_audience`, the CSV file) and the
/// template (`template_payload`, JSON), as ENGATI-EXTBC names the parts. The boundary is
/// derived from the content, so the same request is the same bytes (for `--dry-run` and
/// tests), and is checked not to occur in it.
pub(super) fn multipart(audience: &Audience, template_payload: &str) -> (HeaderValue, Bytes) {
    let mut seed = 0xcbf2_9ce4_8422_2325_u64;
    for b in audience.bytes.iter().chain(template_payload.as_bytes()) {
        seed = (seed ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
    }
    let contains = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    let boundary = loop {
        let candidate = format!("wa-analytics-{seed:016x}");
        if !contains(&audience.bytes, candidate.as_bytes())
            && !template_payload.contains(&candidate)
        {
            break candidate;
        }
        seed = seed.wrapping_add(1);
    };
    let file_name = audience.file_name.replace(['"', '\r', '\n'], "_");
    let mut body = Vec::with_capacity(audience.bytes.len() + template_payload.len() + 400);
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"target_audience\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(&audience.bytes);
    body.extend_from_slice(
        format!(
            "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"template_payload\"\r\nContent-Type: application/json\r\n\r\n{template_payload}\r\n--{boundary}--\r\n"
        )
        .as_bytes(),
    );
    let content_type = HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
        .expect("the boundary is ASCII");
    (content_type, Bytes::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audience.csv");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    fn error(text: &str) -> String {
        let (_dir, path) = file(text);
        let e = read(&path).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidRequest);
        e.message.split(": ").skip(1).collect::<Vec<_>>().join(": ")
    }

    #[test]
    fn a_good_file_is_counted_and_sent_unchanged() {
        let text = "\u{feff}user.phone_number,user.attribute_0,user.attribute_1\n+573001234567,Ana,\"10,5\"\n\n+573009876543,José,7\n";
        let (_dir, path) = file(text);
        let a = read(&path).unwrap();
        assert_eq!((a.recipients, a.parameters), (2, 2));
        assert_eq!(a.bytes, text.as_bytes());
        assert_eq!(a.file_name, "audience.csv");
    }

    #[test]
    fn bad_headers_numbers_and_duplicates_are_refused_with_the_line() {
        assert_eq!(
            error("phone,user.attribute_0\n+573001234567,a\n"),
            "the first column must be user.phone_number, not 'phone'"
        );
        assert_eq!(
            error("user.phone_number,user.attribute_1\n+573001234567,a\n"),
            "column 2 must be user.attribute_0, not 'user.attribute_1'"
        );
        assert_eq!(
            error("user.phone_number\n573001234567\n"),
            "line 2: '573001234567' is not a phone number with + and the country code"
        );
        assert_eq!(
            error("user.phone_number\n+57 300 123 4567\n"),
            "line 2: '+57 300 123 4567' is not a phone number with + and the country code"
        );
        assert_eq!(
            error("user.phone_number,user.attribute_0\n+573001234567\n"),
            "line 2 has 1 column(s) but the header has 2"
        );
        assert_eq!(
            error("user.phone_number\n+573001234567\n+573001234568\n+573001234567\n"),
            "line 4 repeats +573001234567 of line 2: it would get the message twice"
        );
        assert_eq!(error("user.phone_number\n"), "lists no recipients");
        assert_eq!(
            error(""),
            "the first column must be user.phone_number, not ''"
        );
    }

    #[test]
    fn the_multipart_body_has_both_parts_and_a_boundary_not_in_the_content() {
        let a = Audience {
            file_name: "a\".csv".into(),
            bytes: b"user.phone_number\n+573001234567\n".to_vec(),
            recipients: 1,
            parameters: 0,
        };
        let (ct, body) = multipart(&a, "{\"name\":\"t\"}");
        let ct = ct.to_str().unwrap();
        let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
        let body = std::str::from_utf8(&body).unwrap();
        assert_eq!(
            body,
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"target_audience\"; filename=\"a_.csv\"\r\nContent-Type: text/csv\r\n\r\nuser.phone_number\n+573001234567\n\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"template_payload\"\r\nContent-Type: application/json\r\n\r\n{{\"name\":\"t\"}}\r\n--{boundary}--\r\n"
            )
        );
        assert_eq!(
            multipart(&a, "{\"name\":\"t\"}").1,
            multipart(&a, "{\"name\":\"t\"}").1
        );
    }
}
