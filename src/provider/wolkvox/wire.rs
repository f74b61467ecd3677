//! Wolkvox's wire types (vendors.md Part 1 "Wolkvox", Part 2 §4) and their conversion into the
//! unified model. Private to this folder.
//!
//! Tolerances from Part 2: `code` is a string or a number (`"200"`, `200`, `"0"`); `data` is a
//! list, a single object, or absent; any field may come as a string or a number; campaign_9 spells
//! `campaing_id` (Postman) or `campaign_id` (web).

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::provider::de::fixed_time;
use crate::provider::{Click, ClickSummary};
use crate::time::Zone;

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

/// A chat_14 row: WhatsApp click detail.
#[derive(Debug, Deserialize)]
pub(super) struct WireClick {
    #[serde(default, deserialize_with = "opt_text")]
    source_url: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    source_type: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    source_id: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    chat_id: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    rp_id: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    agent_id: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    media_type: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    media_url: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    date: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    cod_act: Option<String>,
}

impl WireRow for WireClick {
    fn key(&self) -> Option<String> {
        let chat = self.chat_id.as_deref()?;
        Some(format!(
            "{chat}\u{1f}{}",
            self.date.as_deref().unwrap_or("")
        ))
    }
}

impl WireClick {
    /// The unified click; `date` is the operation's local time.
    pub fn into_unified(self, zone: &Zone) -> Result<Click, String> {
        Ok(Click {
            date: local_time("date", self.date.as_deref(), zone)?,
            chat_id: self.chat_id,
            source_url: self.source_url,
            source_type: self.source_type,
            source_id: self.source_id,
            rp_id: self.rp_id,
            agent_id: self.agent_id,
            media_type: self.media_type,
            media_url: self.media_url,
            cod_act: self.cod_act,
        })
    }
}

/// A chat_15 row: the click totals of a window, counts as strings or numbers.
#[derive(Debug, Deserialize)]
pub(super) struct WireClickSummary {
    #[serde(default, deserialize_with = "opt_count")]
    ad_chatbot: Option<u64>,
    #[serde(default, deserialize_with = "opt_count")]
    ad_agents: Option<u64>,
    #[serde(default, deserialize_with = "opt_count")]
    post_chatbot: Option<u64>,
    #[serde(default, deserialize_with = "opt_count")]
    post_agents: Option<u64>,
    #[serde(default, deserialize_with = "opt_count")]
    total_chatbot: Option<u64>,
    #[serde(default, deserialize_with = "opt_count")]
    total_agents: Option<u64>,
}

impl WireRow for WireClickSummary {
    fn key(&self) -> Option<String> {
        None
    }
}

impl WireClickSummary {
    /// Adds this window's counts to `sum`; a field the vendor left out makes the sum unknown.
    pub fn add_to(&self, sum: &mut ClickSummary) {
        fn add(sum: &mut Option<u64>, n: Option<u64>) {
            *sum = match (*sum, n) {
                (Some(a), Some(b)) => Some(a + b),
                _ => None,
            };
        }
        add(&mut sum.ad_chatbot, self.ad_chatbot);
        add(&mut sum.ad_agents, self.ad_agents);
        add(&mut sum.post_chatbot, self.post_chatbot);
        add(&mut sum.post_agents, self.post_agents);
        add(&mut sum.total_chatbot, self.total_chatbot);
        add(&mut sum.total_agents, self.total_agents);
    }
}

/// A campaign_9 row: the status of one record of a WhatsApp campaign (Part 2 §4.3).
#[derive(Debug, Deserialize)]
pub(super) struct WireRecord {
    #[serde(default, alias = "campaing_id", deserialize_with = "opt_text")]
    pub campaign_id: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub telephone: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub errors: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub date: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub last_update: Option<String>,
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

/// A count as a number or a string of digits; null or empty is `None`.
fn opt_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    match opt_text(d)? {
        None => Ok(None),
        Some(s) => s
            .trim()
            .parse::<u64>()
            .map(Some)
            .map_err(|_| de::Error::custom(format!("expected a count, found '{s}'"))),
    }
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
        let one: Envelope<WireClickSummary> =
            serde_json::from_str(r#"{"code":"200","data":{"ad_chatbot":"3","ad_agents":4}}"#)
                .unwrap();
        assert_eq!(one.data.len(), 1);
        assert_eq!(one.data[0].ad_chatbot, Some(3));
        assert_eq!(one.data[0].ad_agents, Some(4));
        let none: Envelope<WireClick> =
            serde_json::from_str(r#"{"code":"0","msg":" 0 records were found"}"#).unwrap();
        assert!(none.data.is_empty() && is_success_code(none.code.as_deref().unwrap()));
        let null: Envelope<WireClick> = serde_json::from_str(r#"{"data":null}"#).unwrap();
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
