//! Wolkvox's wire types (vendors.md Part 1 "Wolkvox", Part 2 §4) and their conversion into the
//! unified model. Private to this folder.
//!
//! Tolerances from Part 2: `code` is a string or a number (`"200"`, `200`, `"0"`); `data` is a
//! list, a single object, or absent; any field may come as a string or a number; campaign_9 spells
//! `campaing_id` (Postman) or `campaign_id` (web).

use std::fmt;
use std::sync::LazyLock;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};
use serde_json::Value as Json;

use crate::provider::de::fixed_time;
use crate::provider::mapping;
use crate::provider::{ErrorKind, Operation, ProviderError};
use crate::time::Zone;

use super::VENDOR;
use super::mapping::MAPPING;

/// `{"code","error","msg","data"}`.
#[derive(Debug, Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
pub(super) struct Envelope<T> {
    #[serde(default, deserialize_with = "opt_text")]
    pub code: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub error: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub msg: Option<String>,
    #[serde(default = "Vec::new", deserialize_with = "list_or_one")]
    pub data: Vec<T>,
}

/// The envelope without its data, for error answers.
#[derive(Debug, Deserialize)]
pub(super) struct ErrorBody {
    #[serde(default, deserialize_with = "opt_text")]
    pub code: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub error: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub msg: Option<String>,
}

/// Whether a body `code` means success: `200` or `0` as a string or a number (Part 2 §4.1).
pub(super) fn is_success_code(code: &str) -> bool {
    matches!(code.trim(), "200" | "0")
}

/// `N records were found` → N (Part 2 §4.1, sometimes with a leading space).
pub(super) fn reported_count(msg: &str) -> Option<u64> {
    let rest = msg.trim().strip_suffix("records were found")?;
    rest.trim().parse().ok()
}

/// A row a report returns, with the key that identifies it across windows (for dropping a row a
/// window seam could have doubled).
pub(super) trait WireRow: DeserializeOwned + Send {
    /// The identity of the row, when it has one.
    fn key(&self) -> Option<String>;
}

/// A row read as JSON, by the declared paths ([`crate::provider::read::Reader`]): chat_15's
/// totals, which have no identity across windows.
impl WireRow for Json {
    fn key(&self) -> Option<String> {
        None
    }
}

/// A campaign_9 row: the status of one record of a WhatsApp campaign (Part 2 §4.3), decoded by
/// the field names the mapping declares for `campaigns details` ([`RecordField::name`]), with
/// which of them the row had, so that each command can apply the shared policy ([`check`]).
#[derive(Debug, Default)]
pub(super) struct WireRecord {
    pub campaign_id: Option<String>,
    pub telephone: Option<String>,
    pub status: Option<String>,
    pub errors: Option<String>,
    pub date: Option<String>,
    pub last_update: Option<String>,
    /// The fields the row had (null or empty included), one bit per [`RecordField`].
    present: u8,
    /// Names of the row's fields the mapping does not know.
    unknown: Vec<String>,
}

/// A field of a campaign_9 row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RecordField {
    CampaignId,
    Telephone,
    Status,
    Errors,
    Date,
    LastUpdate,
}

impl RecordField {
    /// Every field, in the row's documented order.
    pub const ALL: [RecordField; 6] = [
        RecordField::CampaignId,
        RecordField::Telephone,
        RecordField::Status,
        RecordField::Errors,
        RecordField::Date,
        RecordField::LastUpdate,
    ];

    /// The field of `campaigns details` whose declared path names this vendor field.
    fn unified(self) -> &'static str {
        match self {
            RecordField::CampaignId => "campaign_id",
            RecordField::Telephone => "contact",
            RecordField::Status => "vendor_status",
            RecordField::Errors => "error",
            RecordField::Date => "sent_at",
            RecordField::LastUpdate => "last_update",
        }
    }

    /// The declared path (`data[].telephone`), looked up once.
    pub fn path(self) -> &'static str {
        RECORD_PATHS[self as usize]
    }

    /// The vendor's field name: the declared path without `data[].`.
    pub fn name(self) -> &'static str {
        RECORD_NAMES[self as usize]
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }

    /// The field a key of a row names: the declared name, or `campaign_id` (the web docs'
    /// spelling of the Postman docs' `campaing_id`, Part 2 §4.3).
    fn of_key(key: &str) -> Option<RecordField> {
        RecordField::ALL
            .into_iter()
            .find(|f| f.name() == key)
            .or_else(|| (key == "campaign_id").then_some(RecordField::CampaignId))
    }
}

/// The declared paths of campaign_9's fields (`campaigns details`), from the mapping, once.
static RECORD_PATHS: LazyLock<[&'static str; 6]> = LazyLock::new(|| {
    RecordField::ALL.map(|f| mapping::path(MAPPING, Operation::CampaignsDetails, f.unified()))
});

/// The vendor field names campaign_9 rows are read by: the declared paths without `data[].`.
static RECORD_NAMES: LazyLock<[&'static str; 6]> = LazyLock::new(|| {
    RecordField::ALL.map(|f| {
        f.path()
            .strip_prefix(ROW)
            .unwrap_or_else(|| panic!("{} does not start with {ROW}", f.path()))
    })
});

/// The prefix of every declared path of a report row.
pub(super) const ROW: &str = "data[].";

impl WireRecord {
    /// Whether the row had `field` (with a value, null or empty).
    pub fn has(&self, field: RecordField) -> bool {
        self.present & field.bit() != 0
    }

    /// The value of `field`.
    pub fn get(&self, field: RecordField) -> Option<&str> {
        match field {
            RecordField::CampaignId => self.campaign_id.as_deref(),
            RecordField::Telephone => self.telephone.as_deref(),
            RecordField::Status => self.status.as_deref(),
            RecordField::Errors => self.errors.as_deref(),
            RecordField::Date => self.date.as_deref(),
            RecordField::LastUpdate => self.last_update.as_deref(),
        }
    }

    /// The shared policy for a row read by `op` (product.md, "What the numbers mean"): a `key`
    /// field missing ends the command (exit 6, naming its path and what the row holds); another
    /// field `op` reads missing prints null there, with one warning per field and command in the
    /// run; fields the mapping does not know are listed once at `-v`. `reads` pairs each other
    /// field with the unified fields it fills.
    pub fn check(
        &self,
        op: Operation,
        key: &[RecordField],
        reads: &[(RecordField, &str)],
    ) -> Result<(), ProviderError> {
        let command = op.command();
        if key.iter().any(|f| !self.has(*f)) {
            let lacks: Vec<&str> = key
                .iter()
                .filter(|f| !self.has(**f))
                .map(|f| f.path())
                .collect();
            return Err(unreadable(
                op,
                &format!("a campaign_9 record lacks {}", lacks.join(", ")),
                &self.holds(),
            ));
        }
        for (field, unified) in reads {
            if !self.has(*field) {
                crate::warn_once!(
                    format!("missing Wolkvox {command} {unified}"),
                    "Wolkvox's answer to '{command}' has no {}: {unified} is null",
                    field.path()
                );
            }
        }
        if !self.unknown.is_empty() {
            crate::info_once!(
                format!("unknown Wolkvox {command}"),
                "Wolkvox's answer to '{command}' has fields wa-analytics does not read: {}",
                self.unknown.join(", ")
            );
        }
        Ok(())
    }

    /// The row's own field names, for an error that says what it holds instead.
    fn holds(&self) -> String {
        let mut names: Vec<&str> = RecordField::ALL
            .into_iter()
            .filter(|f| self.has(*f))
            .map(RecordField::name)
            .collect();
        names.extend(self.unknown.iter().map(String::as_str));
        names.join(", ")
    }
}

/// Exit 6 for an answer to `op` that cannot be read, in the words of the shared
/// [`crate::provider::read::Reader`]: the vendor, the command, why, and what the answer holds.
pub(super) fn unreadable(op: Operation, why: &str, holds: &str) -> ProviderError {
    let holds = if holds.is_empty() {
        String::new()
    } else {
        format!(" (the answer holds: {holds})")
    };
    ProviderError::new(
        ErrorKind::BadResponse,
        VENDOR,
        format!("cannot read Wolkvox's answer to '{}': {why}{holds}", op.command()),
    )
    .with_request("GET /reports_manager.php?api=campaign_9")
    .with_hint(
        "Wolkvox's answers are not in the shape wa-analytics reads (see 'wa-analytics providers --mapping'); 'wa-analytics api' shows the raw answer",
    )
}

impl<'de> Deserialize<'de> for WireRecord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<WireRecord, D::Error> {
        /// A key of a row: a declared field, or another one (kept by name).
        enum Key {
            Known(RecordField),
            Unknown(String),
        }

        impl<'de> Deserialize<'de> for Key {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
                struct KeyVisitor;

                impl Visitor<'_> for KeyVisitor {
                    type Value = Key;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("a field name")
                    }

                    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                        Ok(RecordField::of_key(v)
                            .map_or_else(|| Key::Unknown(v.to_owned()), Key::Known))
                    }
                }

                d.deserialize_identifier(KeyVisitor)
            }
        }

        /// A field's value, read as [`opt_text`] reads it.
        struct Text;

        impl<'de> DeserializeSeed<'de> for Text {
            type Value = Option<String>;

            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
                opt_text(d)
            }
        }

        struct RecordVisitor;

        impl<'de> Visitor<'de> for RecordVisitor {
            type Value = WireRecord;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a campaign_9 record")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WireRecord, A::Error> {
                let mut r = WireRecord::default();
                while let Some(key) = map.next_key::<Key>()? {
                    let field = match key {
                        Key::Known(field) => field,
                        Key::Unknown(name) => {
                            map.next_value::<de::IgnoredAny>()?;
                            r.unknown.push(name);
                            continue;
                        }
                    };
                    let value = map.next_value_seed(Text)?;
                    r.present |= field.bit();
                    *match field {
                        RecordField::CampaignId => &mut r.campaign_id,
                        RecordField::Telephone => &mut r.telephone,
                        RecordField::Status => &mut r.status,
                        RecordField::Errors => &mut r.errors,
                        RecordField::Date => &mut r.date,
                        RecordField::LastUpdate => &mut r.last_update,
                    } = value;
                }
                Ok(r)
            }
        }

        d.deserialize_map(RecordVisitor)
    }
}

impl WireRow for WireRecord {
    /// Campaign, phone and send time: not the status, which may move on (delivered → read)
    /// between the requests of two windows.
    fn key(&self) -> Option<String> {
        let phone = self.telephone.as_deref()?;
        Some(format!(
            "{}\u{1f}{phone}\u{1f}{}",
            self.campaign_id.as_deref().unwrap_or(""),
            self.date.as_deref().unwrap_or("")
        ))
    }
}

/// A campaign record's status in the unified vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RecordStatus {
    /// Left the platform, delivery not confirmed (Cloud API connectors).
    Accepted,
    /// Left the platform, delivery not confirmed (Gupshup connectors).
    Submitted,
    /// Delivered to the phone.
    Delivered,
    /// Read.
    Read,
    /// Failed; `errors` says why.
    Failed,
    /// A word this version does not know.
    Other,
}

impl RecordStatus {
    /// Reads the vendor's word, whatever its case (the help centre capitalises them).
    pub fn parse(s: Option<&str>) -> RecordStatus {
        let Some(word) = s.map(str::trim) else {
            return RecordStatus::Other;
        };
        [
            ("accepted", RecordStatus::Accepted),
            ("submitted", RecordStatus::Submitted),
            ("delivered", RecordStatus::Delivered),
            ("read", RecordStatus::Read),
            ("failed", RecordStatus::Failed),
        ]
        .into_iter()
        .find_map(|(known, status)| word.eq_ignore_ascii_case(known).then_some(status))
        .unwrap_or(RecordStatus::Other)
    }

    /// The unified status of a contact row: `sent`, `delivered`, `read`, `error`, or `None`
    /// for an unknown word (which stays visible in `vendor_status`).
    pub fn unified(self) -> Option<&'static str> {
        match self {
            RecordStatus::Accepted | RecordStatus::Submitted => Some("sent"),
            RecordStatus::Delivered => Some("delivered"),
            RecordStatus::Read => Some("read"),
            RecordStatus::Failed => Some("error"),
            RecordStatus::Other => None,
        }
    }
}

/// Parses a Wolkvox time (`YYYY-MM-DD HH:MM:SS`, also `T`-separated, compact `YYYYMMDDHHMMSS`,
/// or with fractional seconds) in the operation's zone; empty is `None`.
pub(super) fn local_time(
    field: &str,
    value: Option<&str>,
    zone: &Zone,
) -> Result<Option<DateTime<Utc>>, String> {
    let Some(s) = value.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    naive_time(s)
        .ok_or_else(|| format!("the {field} '{s}' is not a date-time Wolkvox is known to send"))
        .and_then(|t| {
            zone.to_utc(t)
                .map_err(|e| format!("the {field} '{s}': {e}"))
        })
        .map(Some)
}

/// A Wolkvox wall-clock time, without a zone.
pub(super) fn naive_time(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    if let Some(fast) = fixed_time(s.as_bytes()) {
        return Some(fast);
    }
    [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y%m%d%H%M%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
}

/// A string, number or boolean as text; null and empty strings are `None` (a field the vendor
/// leaves empty is a missing value, e.g. `agent_id` of a chat the chatbot answered).
fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct Text;

    impl<'de> Visitor<'de> for Text {
        type Value = Option<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string, a number or null")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<String>, E> {
            Ok((!v.trim().is_empty()).then(|| v.to_owned()))
        }

        fn visit_string<E: de::Error>(self, v: String) -> Result<Option<String>, E> {
            Ok((!v.trim().is_empty()).then_some(v))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<String>, E> {
            Ok(Some(v.to_string()))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<String>, E> {
            Ok(Some(v.to_string()))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<String>, E> {
            Ok(Some(v.to_string()))
        }

        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<String>, E> {
            Ok(Some(v.to_string()))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Option<String>, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Option<String>, E> {
            Ok(None)
        }
    }

    d.deserialize_any(Text)
}

/// `data` as a list, one object, or null.
fn list_or_one<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    struct ListOrOne<T>(std::marker::PhantomData<T>);

    impl<'de, T: DeserializeOwned> Visitor<'de> for ListOrOne<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of rows, one row, or null")
        }

        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }

        fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(65_536));
            while let Some(row) = seq.next_element()? {
                rows.push(row);
            }
            Ok(rows)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|row| vec![row])
        }
    }

    d.deserialize_any(ListOrOne(std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_may_be_a_string_or_a_number_and_data_a_list_one_object_or_absent() {
        let a: Envelope<WireRecord> = serde_json::from_str(
            r#"{"code":200,"error":null,"msg":"1 records were found","data":[{"campaing_id":"7","telephone":573001,"status":"Read","errors":"","date":"2026-04-01 10:00:00","last_update":"2026-04-01 10:05:00"}]}"#,
        )
        .unwrap();
        assert_eq!(a.code.as_deref(), Some("200"));
        assert_eq!(a.data[0].campaign_id.as_deref(), Some("7"));
        assert_eq!(a.data[0].telephone.as_deref(), Some("573001"));
        assert_eq!(a.data[0].errors, None);
        assert_eq!(
            RecordStatus::parse(a.data[0].status.as_deref()),
            RecordStatus::Read
        );
        let one: Envelope<Json> =
            serde_json::from_str(r#"{"code":"200","data":{"ad_chatbot":"3","ad_agents":4}}"#)
                .unwrap();
        assert_eq!(
            one.data,
            [serde_json::json!({"ad_chatbot":"3","ad_agents":4})]
        );
        let none: Envelope<Json> =
            serde_json::from_str(r#"{"code":"0","msg":" 0 records were found"}"#).unwrap();
        assert!(none.data.is_empty() && is_success_code(none.code.as_deref().unwrap()));
        let null: Envelope<Json> = serde_json::from_str(r#"{"data":null}"#).unwrap();
        assert!(null.data.is_empty());
    }

    #[test]
    fn the_record_count_is_read_from_msg() {
        assert_eq!(reported_count("12 records were found"), Some(12));
        assert_eq!(reported_count(" 1 records were found"), Some(1));
        assert_eq!(reported_count("X records were found"), None);
        assert_eq!(reported_count("THE DATE RANGE CANNOT EXCEED 31 DAYS"), None);
    }

    #[test]
    fn times_are_read_in_the_operation_zone() {
        let bogota = Zone::parse("America/Bogota").unwrap();
        let t = local_time("date", Some("2026-04-01 19:00:00"), &bogota).unwrap();
        assert_eq!(t.unwrap().to_rfc3339(), "2026-04-02T00:00:00+00:00");
        assert_eq!(local_time("date", Some(" "), &bogota), Ok(None));
        assert!(local_time("date", Some("yesterday"), &bogota).is_err());
        assert!(naive_time("20260401190000").is_some());
        assert!(naive_time("2026-04-01T19:00:00.250").is_some());
    }
}
