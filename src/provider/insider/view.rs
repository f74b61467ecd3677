//! Reading the summary-shaped rows of `stats --by-campaign` (overall's `details[]`) and
//! `stats --total` (overall's `summary`, the flat transactional and verify answers) with the
//! shared policy of [`crate::provider::read`]: none of the counts, or a details row without its
//! campaign id, is exit 6 naming the paths; another missing field is null with one warning per
//! field and command; fields nobody reads are listed at `-v`.
//!
//! The mapping describes each command's own records, and these views print other records than
//! `stats` does, so they have no rows of their own in it: their counts are the same Insider
//! counts object as the campaign statistics, read at the paths declared for `campaigns summary`
//! ([`super::mapping`]), inside the view's object. The fields `campaigns summary` does not have
//! are read at [`VIEW_ONLY`] (the details row's fields are not in the docs, which were cut off
//! there: these are what the sandbox serves and what we assume).

use serde_json::Value as Json;

use crate::api_error::{ErrorKind, ProviderError};
use crate::provider::Operation;
use crate::provider::mapping::{Source, source_of, sources_of};
use crate::provider::read::Rule;

use super::VENDOR;
use super::mapping::MAPPING;
use super::records::Fields;

/// The views' fields that `campaigns summary` does not print: (unified field, Insider's key).
pub(super) const VIEW_ONLY: &[(&str, &str)] = &[
    ("id", "campaignId"),
    ("name", "campName"),
    ("type", "campaignTypeId"),
    ("status", "status"),
    ("account", "phoneNumber"),
    ("verified", "verified"),
    ("unverified", "unverified"),
    ("unverified_details", "unverifiedDetails"),
];

/// Insider's key for a view's field: the path `campaigns summary` declares, else [`VIEW_ONLY`].
///
/// # Panics
/// For a field neither names: a programming error the tests exercise.
pub(super) fn path_of(field: &str) -> &'static str {
    match source_of(MAPPING, Operation::CampaignsSummary, field).map(|s| s.source) {
        Some(Source::Field(path)) => path,
        _ => VIEW_ONLY
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, key)| *key)
            .unwrap_or_else(|| panic!("{field}: no Insider path for the stats views")),
    }
}

/// One object of a view, read by its fields' Insider keys.
pub(super) struct View<'a> {
    /// `stats --total`, `stats --report verify --by-campaign`, …
    command: String,
    /// Where the object sits in the answer (`summary.`, `details[].`, `""`), for messages.
    at: &'static str,
    object: &'a Json,
    request: String,
    missing: Vec<&'static str>,
    malformed: Vec<String>,
}

impl<'a> View<'a> {
    /// Reads `object`, found at `at` in the answer to `request`, for `command`.
    pub fn new(command: String, at: &'static str, object: &'a Json, request: &str) -> View<'a> {
        View {
            command,
            at,
            object,
            request: request.to_string(),
            missing: Vec::new(),
            malformed: Vec::new(),
        }
    }

    /// A field's path in the answer (`summary.sent`).
    fn shown(&self, field: &str) -> String {
        format!("{}{}", self.at, path_of(field))
    }

    /// Applies the shared policy: `Err` (exit 6) when the object is unreadable under `rule`,
    /// else one warning per missing field (once per run) and the unknown fields at `-v`.
    pub fn finish(self, rule: Rule) -> Result<(), ProviderError> {
        let command = &self.command;
        let keys: Vec<String> = rule
            .key
            .iter()
            .filter(|k| self.missing.contains(k))
            .map(|k| self.shown(k))
            .collect();
        let no_counts =
            !rule.counts.is_empty() && rule.counts.iter().all(|c| self.missing.contains(c));
        if !keys.is_empty() || no_counts || !self.malformed.is_empty() {
            let mut why = Vec::new();
            if !keys.is_empty() {
                why.push(format!("it lacks {}", keys.join(", ")));
            }
            if no_counts {
                let counts: Vec<_> = rule.counts.iter().map(|c| self.shown(c)).collect();
                why.push(format!("it has none of the counts {}", counts.join(", ")));
            }
            why.extend(self.malformed.iter().cloned());
            let holds = match self.object {
                Json::Object(map) => map.keys().cloned().collect::<Vec<_>>().join(", "),
                _ => String::new(),
            };
            let holds = if holds.is_empty() {
                String::new()
            } else {
                format!(" (the answer holds: {holds})")
            };
            return Err(ProviderError::new(
                ErrorKind::BadResponse,
                VENDOR,
                format!(
                    "cannot read {VENDOR}'s answer to '{command}': {}{holds}",
                    why.join("; ")
                ),
            )
            .with_hint(format!(
                "{VENDOR}'s answers are not in the shape wa-analytics reads (see 'wa-analytics providers --mapping'); 'wa-analytics api' shows the raw answer"
            ))
            .with_request(self.request.clone()));
        }
        for field in &self.missing {
            crate::warn_once!(
                format!("missing {VENDOR} {command} {field}"),
                "{VENDOR}'s answer to '{command}' has no {}: {field} is null",
                self.shown(field)
            );
        }
        let unknown = self.unknown();
        if !unknown.is_empty() {
            crate::info_once!(
                format!("unknown {VENDOR} {command}"),
                "{VENDOR}'s answer to '{command}' has fields wa-analytics does not read: {}",
                unknown.join(", ")
            );
        }
        Ok(())
    }

    /// The object's keys that no field of the views is read from.
    fn unknown(&self) -> Vec<String> {
        let Json::Object(map) = self.object else {
            return Vec::new();
        };
        let known: Vec<&str> = sources_of(MAPPING, Operation::CampaignsSummary)
            .iter()
            .filter_map(|s| match s.source {
                Source::Field(p) => Some(p),
                _ => None,
            })
            .chain(VIEW_ONLY.iter().map(|(_, key)| *key))
            .collect();
        map.keys()
            .filter(|k| !known.contains(&k.as_str()))
            .cloned()
            .collect()
    }
}

impl<'a> Fields<'a> for View<'a> {
    fn value(&mut self, field: &'static str) -> Option<&'a Json> {
        match self.object.get(path_of(field)) {
            None => {
                self.missing.push(field);
                None
            }
            Some(v) => (!v.is_null()).then_some(v),
        }
    }

    fn optional(&mut self, field: &'static str) -> Option<&'a Json> {
        self.object.get(path_of(field)).filter(|v| !v.is_null())
    }

    fn count(&mut self, field: &'static str) -> Option<u64> {
        let v = self.value(field)?;
        let n = v.as_u64().or_else(|| {
            v.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                .map(|f| f as u64)
        });
        if n.is_none() {
            let shown = self.shown(field);
            self.malformed.push(format!("{shown} is {v}, not a count"));
        }
        n
    }

    fn text(&mut self, field: &'static str) -> Option<String> {
        match self.value(field)? {
            Json::String(s) => Some(s.clone()),
            Json::Number(n) => Some(n.to_string()),
            other => {
                let shown = self.shown(field);
                self.malformed
                    .push(format!("{shown} is {other}, not a text"));
                None
            }
        }
    }

    fn malformed(&mut self, field: &'static str, why: String) {
        let shown = self.shown(field);
        self.malformed.push(format!("{shown}: {why}"));
    }
}
