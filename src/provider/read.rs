//! Reading a vendor's answer by the paths its mapping declares (product.md, "What the numbers
//! mean": a response the tool cannot read is an error, not a row of nulls).
//!
//! A [`Reader`] looks up each unified field at the vendor path the mapping declares for it, so the
//! conversion and `providers --mapping` read one declaration. It remembers what was missing or
//! malformed; [`Reader::finish`] then applies the one policy every vendor shares:
//!
//! - a key field missing, or none of the counts the command reads present: exit 6, naming the
//!   vendor, the request, the paths and what the answer holds instead;
//! - a count that is negative, fractional or not a number: exit 6;
//! - any other declared field missing: null, and one warning per field and command;
//! - fields the mapping does not know: listed once at `-v`.

use serde_json::Value as Json;

use super::capabilities::Operation;
use super::mapping::{FieldSource, Source, sources_of};
use crate::api_error::{ErrorKind, ProviderError};
use crate::vendor::Vendor;

/// Moves each alias's value to its field's declared name, where that name is absent (the
/// variants of a field name an adapter tolerates), so that the declared paths read them.
pub fn canonical(object: &mut Json, aliases: &[(&str, &str)]) {
    if let Json::Object(map) = object {
        for (alias, name) in aliases {
            if !map.contains_key(*name)
                && let Some(v) = map.remove(*alias)
            {
                map.insert((*name).to_string(), v);
            }
        }
    }
}

/// What a command requires of each record it reads.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Fields without which the record is unreadable (a bucket's period, a contact's number).
    pub key: &'static [&'static str],
    /// Of these counts at least one must be present (a summary with none is another schema).
    pub counts: &'static [&'static str],
}

/// One object of a vendor's answer, read by declared paths.
pub struct Reader<'a> {
    vendor: Vendor,
    op: Operation,
    mapping: &'static [FieldSource],
    /// The declared paths of this object start with it (`data.`, `data[].`).
    prefix: &'static str,
    object: &'a Json,
    request: Option<String>,
    /// Unified fields whose vendor field was absent.
    missing: Vec<&'static str>,
    /// Unified fields whose vendor field was null (or an empty text): no value, no warning, but
    /// no key either.
    empty: Vec<&'static str>,
    /// Fields present but unreadable, with why.
    malformed: Vec<String>,
    /// Fields the conversion reads that no declared path names (a formula's terms).
    also_known: &'static [&'static str],
}

impl<'a> Reader<'a> {
    /// Reads `object`, whose fields the mapping of `op` names with paths that start with
    /// `prefix` (`""` when they start at the object).
    pub fn new(
        vendor: Vendor,
        op: Operation,
        prefix: &'static str,
        object: &'a Json,
    ) -> Reader<'a> {
        Reader::with_mapping(vendor, op, super::adapter(vendor).mapping, prefix, object)
    }

    /// [`Reader::new`] with a mapping of the caller's (tests).
    pub fn with_mapping(
        vendor: Vendor,
        op: Operation,
        mapping: &'static [FieldSource],
        prefix: &'static str,
        object: &'a Json,
    ) -> Reader<'a> {
        Reader {
            vendor,
            op,
            mapping,
            prefix,
            object,
            request: None,
            missing: Vec::new(),
            empty: Vec::new(),
            malformed: Vec::new(),
            also_known: &[],
        }
    }

    /// Fields of the object the conversion reads other than by a declared path (a derived
    /// figure's terms, a page's cursor): not listed as unknown.
    pub fn also_knows(mut self, fields: &'static [&'static str]) -> Self {
        self.also_known = fields;
        self
    }

    /// Names the request the object answers (`GET /campaign/x/summary`), for the error.
    pub fn with_request(mut self, request: impl Into<String>) -> Self {
        self.request = Some(request.into());
        self
    }

    /// The declared path of `field`, without the prefix.
    fn relative(&self, field: &str) -> &'static str {
        let path = super::mapping::path(self.mapping, self.op, field);
        path.strip_prefix(self.prefix).unwrap_or_else(|| {
            panic!(
                "{:?} {field}: {path} does not start with {}",
                self.op, self.prefix
            )
        })
    }

    /// The JSON at `field`'s declared path, null included; `None` when absent (not remembered).
    fn lookup(&self, field: &'static str) -> Option<&'a Json> {
        let mut at = self.object;
        for step in self.relative(field).split('.') {
            at = at.get(step)?;
        }
        Some(at)
    }

    /// The JSON at the path of a field whose absence is normal (the conversational campaigns'
    /// `responses`): `None` when absent or null, and no warning.
    pub fn optional(&self, field: &'static str) -> Option<&'a Json> {
        self.lookup(field).filter(|v| !v.is_null())
    }

    /// The JSON at `field`'s declared path: `None` when absent (remembered) or null.
    pub fn value(&mut self, field: &'static str) -> Option<&'a Json> {
        let Some(at) = self.lookup(field) else {
            self.missing.push(field);
            return None;
        };
        let empty = at.is_null() || at.as_str().is_some_and(|t| t.trim().is_empty());
        if empty {
            self.empty.push(field);
        }
        (!at.is_null()).then_some(at)
    }

    /// A key field as text: absent is recorded as missing; null, empty, or neither a text nor a
    /// number is malformed (named in the error as such).
    pub fn key_text(&mut self, field: &'static str) -> Option<String> {
        match self.lookup(field) {
            Some(Json::Null) => {
                self.malformed(field, "is null");
                None
            }
            Some(Json::String(s)) if s.trim().is_empty() => {
                self.malformed(field, "is empty");
                None
            }
            _ => self.text(field),
        }
    }

    /// A count: a non-negative whole number. Anything else present is malformed.
    pub fn count(&mut self, field: &'static str) -> Option<u64> {
        let v = self.value(field)?;
        let n = v.as_u64().or_else(|| {
            v.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                .map(|f| f as u64)
        });
        if n.is_none() {
            let path = super::mapping::path(self.mapping, self.op, field);
            self.malformed.push(format!("{path} is {v}, not a count"));
        }
        n
    }

    /// A number (a rate as the vendor wrote it).
    pub fn number(&mut self, field: &'static str) -> Option<f64> {
        let v = self.value(field)?;
        let n = v.as_f64().filter(|f| f.is_finite());
        if n.is_none() {
            let path = super::mapping::path(self.mapping, self.op, field);
            self.malformed.push(format!("{path} is {v}, not a number"));
        }
        n
    }

    /// A text; a number is taken as its digits (ids are either).
    pub fn text(&mut self, field: &'static str) -> Option<String> {
        match self.value(field)? {
            Json::String(s) => Some(s.clone()),
            Json::Number(n) => Some(n.to_string()),
            other => {
                let path = super::mapping::path(self.mapping, self.op, field);
                self.malformed
                    .push(format!("{path} is {other}, not a text"));
                None
            }
        }
    }

    /// A field the conversion found unreadable for a reason of its own (a time stamp in another
    /// format, say).
    pub fn malformed(&mut self, field: &'static str, why: impl std::fmt::Display) {
        let path = super::mapping::path(self.mapping, self.op, field);
        self.malformed.push(format!("{path}: {why}"));
    }

    /// Applies the shared policy: `Err` (exit 6) when the record is unreadable under `rule`,
    /// else one warning per missing field (once per run) and the unknown fields at `-v`.
    pub fn finish(self, rule: Rule) -> Result<(), ProviderError> {
        let vendor = self.vendor.display_name();
        let command = self.op.command();
        let path = |f: &str| super::mapping::path(self.mapping, self.op, f);
        let keys: Vec<&str> = rule
            .key
            .iter()
            .filter(|k| self.missing.contains(k) || self.empty.contains(k))
            .map(|k| path(k))
            .collect();
        let no_counts =
            !rule.counts.is_empty() && rule.counts.iter().all(|c| self.missing.contains(c));
        if !keys.is_empty() || no_counts || !self.malformed.is_empty() {
            let mut why = Vec::new();
            if !keys.is_empty() {
                why.push(format!("it lacks {}", keys.join(", ")));
            }
            if no_counts {
                let counts: Vec<_> = rule.counts.iter().map(|c| path(c)).collect();
                why.push(format!("it has none of the counts {}", counts.join(", ")));
            }
            why.extend(self.malformed.iter().cloned());
            let holds = self.holds();
            let message = format!(
                "cannot read {vendor}'s answer to '{command}': {}{}",
                why.join("; "),
                if holds.is_empty() {
                    String::new()
                } else {
                    format!(" (the answer holds: {holds})")
                }
            );
            let mut err = ProviderError::new(ErrorKind::BadResponse, vendor, message).with_hint(
                format!(
                    "{vendor}'s answers are not in the shape wa-analytics reads (see 'wa-analytics providers --mapping'); 'wa-analytics api' shows the raw answer"
                ),
            );
            if let Some(request) = self.request {
                err = err.with_request(request);
            }
            return Err(err);
        }
        for field in &self.missing {
            crate::warn_once!(
                format!("missing {vendor} {command} {field}"),
                "{vendor}'s answer to '{command}' has no {}: {field} is null",
                path(field)
            );
        }
        // Each unknown field is listed once, the first time a record has it; without -v the
        // records' keys are not even looked at.
        if !crate::log::enabled(crate::log::VERBOSE) {
            return Ok(());
        }
        let unknown: Vec<String> = self
            .unknown()
            .into_iter()
            .filter(|f| crate::log::once(&format!("unknown {vendor} {command} {f}")))
            .collect();
        if !unknown.is_empty() {
            crate::info!(
                "{vendor}'s answer to '{command}' has fields wa-analytics does not read: {}",
                unknown.join(", ")
            );
        }
        Ok(())
    }

    /// The object's own field names, for an error that says what the answer holds instead.
    fn holds(&self) -> String {
        match self.object {
            Json::Object(map) => map.keys().cloned().collect::<Vec<_>>().join(", "),
            _ => String::new(),
        }
    }

    /// The object's fields that no declared path of the command starts with.
    fn unknown(&self) -> Vec<String> {
        let Json::Object(map) = self.object else {
            return Vec::new();
        };
        let known: Vec<&str> = sources_of(self.mapping, self.op)
            .iter()
            .filter_map(|s| match s.source {
                Source::Field(p) => p.strip_prefix(self.prefix),
                _ => None,
            })
            .map(|p| p.split('.').next().unwrap_or(p))
            .collect();
        map.keys()
            .filter(|k| !known.contains(&k.as_str()) && !self.also_known.contains(&k.as_str()))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::provider::Operation::CampaignsSummary as Op;

    const MAPPING: &[FieldSource] = &[
        FieldSource::native(Op, "name", "data.name"),
        FieldSource::native(Op, "sent", "data.sent"),
        FieldSource::native(Op, "read", "data.stats.read"),
        FieldSource::derived(Op, "read_rate", "read / sent"),
    ];
    const RULE: Rule = Rule {
        key: &["name"],
        counts: &["sent", "read"],
    };

    fn reader(answer: &Json) -> Reader<'_> {
        Reader::with_mapping(Vendor::Engage, Op, MAPPING, "data.", &answer["data"])
            .with_request("GET /campaign/x/summary")
    }

    #[test]
    fn fields_are_read_at_their_declared_paths() {
        let answer = json!({"data": {"name": "Spring", "sent": 10, "stats": {"read": 4.0}}});
        let mut r = reader(&answer);
        assert_eq!(r.text("name").as_deref(), Some("Spring"));
        assert_eq!(r.count("sent"), Some(10));
        assert_eq!(
            r.count("read"),
            Some(4),
            "a whole number written 4.0 is a count"
        );
        assert!(r.finish(RULE).is_ok());
    }

    #[test]
    fn none_of_the_counts_is_exit_6_naming_the_paths_and_what_the_answer_holds() {
        let answer = json!({"data": {"name": "Spring", "sent_count": 10, "read_count": 4}});
        let mut r = reader(&answer);
        r.text("name");
        assert_eq!((r.count("sent"), r.count("read")), (None, None));
        let err = r.finish(RULE).unwrap_err();
        assert_eq!(err.kind.exit_code(), 6);
        assert_eq!(err.request.as_deref(), Some("GET /campaign/x/summary"));
        assert_eq!(
            err.message,
            "cannot read Engage's answer to 'campaigns summary': it has none of the counts data.sent, data.stats.read (the answer holds: name, read_count, sent_count)"
        );
    }

    #[test]
    fn a_missing_key_field_or_a_malformed_count_is_exit_6() {
        let answer = json!({"data": {"sent": 3}});
        let mut r = reader(&answer);
        r.text("name");
        r.count("sent");
        let err = r.finish(RULE).unwrap_err();
        assert!(
            err.message.contains("it lacks data.name"),
            "{}",
            err.message
        );

        for bad in [json!(-1), json!(2.5), json!("12")] {
            let answer = json!({"data": {"name": "x", "sent": bad}});
            let mut r = reader(&answer);
            r.text("name");
            assert_eq!(r.count("sent"), None);
            let err = r.finish(RULE).unwrap_err();
            assert!(
                err.message
                    .contains(&format!("data.sent is {bad}, not a count")),
                "{}",
                err.message
            );
        }
    }

    #[test]
    fn another_missing_field_is_null_and_null_is_not_missing() {
        let answer = json!({"data": {"name": "x", "sent": null}});
        let mut r = reader(&answer);
        r.text("name");
        assert_eq!(r.count("sent"), None);
        assert_eq!(r.count("read"), None);
        // `sent` is present (null): the counts are not all missing, so the record reads.
        assert_eq!(r.missing, ["read"]);
        assert!(r.finish(RULE).is_ok());
    }

    #[test]
    fn a_null_or_empty_key_field_is_no_key() {
        for name in [json!(null), json!(""), json!("  ")] {
            let answer = json!({"data": {"name": name, "sent": 1}});
            let mut r = reader(&answer);
            r.text("name");
            r.count("sent");
            let err = r.finish(RULE).unwrap_err();
            assert!(
                err.message.contains("it lacks data.name"),
                "{}",
                err.message
            );
        }
    }

    #[test]
    fn unknown_fields_are_those_no_declared_path_starts_with() {
        let answer =
            json!({"data": {"name": "x", "sent": 1, "stats": {}, "extra": 1, "cursor": 2}});
        let r = reader(&answer).also_knows(&["cursor"]);
        assert_eq!(r.unknown(), ["extra"]);
    }
}
