//! Engage's wire types (vendors.md Part 1, "Engage") for the contact rows of details and export
//! (typed, decoded as they are read: a million-row export is a hundred pages), its error body and
//! its time format. Summaries, buckets and campaign lists are read by `convert.rs`. Private to
//! this folder.

use crate::provider::de::{fixed_time, string_or_number};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::provider::ContactRecord;

/// The details page window and the row count of the whole range.
#[derive(Debug, Clone, Copy, Deserialize)]
pub(super) struct Pagination {
    #[serde(default)]
    pub offset: Option<u64>,
    pub total: u64,
}

/// A details page, `{"data": [contacts…], "pagination": …}`, with every contact converted as it
/// is read into a vector sized for the page: a million-row export reads a hundred of these, and
/// neither a growing vector of wire rows nor a second one of records is made.
#[derive(Debug)]
pub(super) struct ContactPage {
    /// The contacts that were converted.
    pub rows: Vec<ContactRecord>,
    /// How many contacts `data` held, converted or not.
    pub served: u64,
    pub pagination: Option<Pagination>,
    /// Why the first contact that could not be converted was not (the page is then unusable).
    pub unreadable: Option<String>,
}

/// Reads a [`ContactPage`] of at most `capacity` rows (a bigger one is read all the same).
pub(super) struct ContactPageSeed {
    pub capacity: usize,
}

impl<'de> DeserializeSeed<'de> for ContactPageSeed {
    type Value = ContactPage;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<ContactPage, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ContactPageSeed {
    type Value = ContactPage;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object with data and pagination")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ContactPage, A::Error> {
        #[derive(Deserialize)]
        #[serde(field_identifier, rename_all = "lowercase")]
        enum Key {
            Data,
            Pagination,
            #[serde(other)]
            Other,
        }
        let mut page = ContactPage {
            rows: Vec::new(),
            served: 0,
            pagination: None,
            unreadable: None,
        };
        let mut has_data = false;
        while let Some(key) = map.next_key()? {
            match key {
                Key::Data => {
                    let rows = ContactRows {
                        capacity: self.capacity,
                        unreadable: &mut page.unreadable,
                        served: &mut page.served,
                    };
                    page.rows = map.next_value_seed(rows)?;
                    has_data = true;
                }
                Key::Pagination => page.pagination = map.next_value()?,
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !has_data {
            return Err(A::Error::missing_field("data"));
        }
        Ok(page)
    }
}

/// The `data` array of a details page, read into records.
struct ContactRows<'u> {
    capacity: usize,
    unreadable: &'u mut Option<String>,
    served: &'u mut u64,
}

impl<'de> DeserializeSeed<'de> for ContactRows<'_> {
    type Value = Vec<ContactRecord>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<ContactRecord>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ContactRows<'_> {
    type Value = Vec<ContactRecord>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of contacts")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<ContactRecord>, A::Error> {
        let mut rows = Vec::with_capacity(self.capacity);
        while let Some(contact) = seq.next_element::<WireContact>()? {
            take_contact(contact, &mut rows, self.served, self.unreadable);
        }
        Ok(rows)
    }
}

/// Counts a contact of a page and converts it, or notes why it could not be (the first reason).
pub(super) fn take_contact(
    contact: WireContact,
    rows: &mut Vec<ContactRecord>,
    served: &mut u64,
    unreadable: &mut Option<String>,
) {
    *served += 1;
    match contact.into_unified() {
        Ok(row) => rows.push(row),
        Err(why) => {
            unreadable.get_or_insert(why);
        }
    }
}

/// `{"error":{"code":"…","message":"…"}}`.
#[derive(Debug, Deserialize)]
pub(super) struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Deserialize)]
pub(super) struct ErrorDetail {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct WireContact {
    #[serde(deserialize_with = "string_or_number")]
    pub contact: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub sent_at: WireTime,
    #[serde(default)]
    pub delivered_at: WireTime,
    #[serde(default)]
    pub read_at: WireTime,
    #[serde(default)]
    pub engaged: Option<bool>,
    #[serde(default)]
    pub response: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
}

/// Engage's `YYYY-MM-DD HH:MM:SS` in UTC (RFC 3339 tolerated).
pub(super) fn parse_time(s: &str) -> Result<DateTime<Utc>, String> {
    let t = s.trim();
    if let Some(fast) = parse_fixed(t.as_bytes()) {
        return Ok(fast);
    }
    NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S")
        .map(|n| n.and_utc())
        .or_else(|_| DateTime::parse_from_rfc3339(t).map(|d| d.with_timezone(&Utc)))
        .map_err(|_| format!("unreadable time '{s}' (expected YYYY-MM-DD HH:MM:SS)"))
}

/// [`fixed_time`] in UTC.
fn parse_fixed(b: &[u8]) -> Option<DateTime<Utc>> {
    fixed_time(b).map(|t| t.and_utc())
}

/// The `from`/`to` format.
pub(super) fn format_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// A contact row's time stamp, read straight from the JSON text: three of them in every row of a
/// million-row export, so no `String` is made for them (only for one that cannot be read, to
/// say which).
#[derive(Debug, Default)]
pub(super) enum WireTime {
    /// `null`, an empty string, or no field.
    #[default]
    Absent,
    /// A readable time.
    At(DateTime<Utc>),
    /// Why it could not be read.
    Unreadable(String),
}

impl WireTime {
    /// A time stamp's text: blank is no time.
    pub(super) fn from_text(s: &str) -> WireTime {
        if s.trim().is_empty() {
            return WireTime::Absent;
        }
        parse_time(s).map_or_else(WireTime::Unreadable, WireTime::At)
    }

    fn into_time(self) -> Result<Option<DateTime<Utc>>, String> {
        match self {
            WireTime::Absent => Ok(None),
            WireTime::At(t) => Ok(Some(t)),
            WireTime::Unreadable(why) => Err(why),
        }
    }
}

impl<'de> Deserialize<'de> for WireTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Time;
        impl<'de> serde::de::Visitor<'de> for Time {
            type Value = WireTime;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a YYYY-MM-DD HH:MM:SS time stamp or null")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<WireTime, E> {
                Ok(WireTime::from_text(s))
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<WireTime, E> {
                Ok(WireTime::Absent)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<WireTime, E> {
                Ok(WireTime::Absent)
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<WireTime, D2::Error> {
                d.deserialize_str(Time)
            }
        }
        d.deserialize_option(Time)
    }
}

impl WireContact {
    pub(super) fn into_unified(self) -> Result<ContactRecord, String> {
        Ok(ContactRecord {
            contact: self.contact,
            name: self.name,
            status: self.status,
            sent_at: self.sent_at.into_time()?,
            delivered_at: self.delivered_at.into_time()?,
            read_at: self.read_at.into_time()?,
            engaged: self.engaged,
            response: self.response,
            error: self.error,
            extra: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_as_utc() {
        assert_eq!(
            parse_time("2026-04-01 13:05:00").unwrap().to_rfc3339(),
            "2026-04-01T13:05:00+00:00"
        );
        assert!(parse_time("01/04/2026").is_err());
    }

    #[test]
    fn contact_times_are_read_without_strings_and_bad_ones_are_named() {
        let c: WireContact = serde_json::from_str(
            r#"{"contact":"57300","sent_at":"2026-04-02 10:00:00","delivered_at":null,"read_at":""}"#,
        )
        .unwrap();
        let row = c.into_unified().unwrap();
        assert_eq!(
            row.sent_at.unwrap().to_rfc3339(),
            "2026-04-02T10:00:00+00:00"
        );
        assert_eq!((row.delivered_at, row.read_at), (None, None));
        let c: WireContact = serde_json::from_str(r#"{"contact":"57300"}"#).unwrap();
        assert_eq!(c.into_unified().unwrap().sent_at, None);
        let bad: WireContact =
            serde_json::from_str(r#"{"contact":"57300","sent_at":"02/04/2026"}"#).unwrap();
        assert_eq!(
            bad.into_unified().unwrap_err(),
            "unreadable time '02/04/2026' (expected YYYY-MM-DD HH:MM:SS)"
        );
        assert!(serde_json::from_str::<WireContact>(r#"{"contact":"1","read_at":5}"#).is_err());
    }

    #[test]
    fn the_fast_time_reader_agrees_with_chrono() {
        for t in [
            "2026-04-01 13:05:00",
            "2024-02-29 23:59:59",
            "1999-12-31 00:00:00",
            "2026-02-29 10:00:00",
            "2026-13-01 10:00:00",
            "2026-04-01 24:00:00",
            "2026-04-01 13:05:60",
            "2026-04-01T13:05:00",
            "2026-4-01 13:05:00 ",
            "２０２６-04-01 13:05:00",
        ] {
            let slow = NaiveDateTime::parse_from_str(t.trim(), "%Y-%m-%d %H:%M:%S")
                .ok()
                .map(|n| n.and_utc());
            if let Some(fast) = parse_fixed(t.as_bytes()) {
                assert_eq!(Some(fast), slow, "{t}");
            }
            assert_eq!(parse_time(t).ok(), slow, "{t}");
        }
        assert!(parse_time("2026-02-29 10:00:00").is_err());
    }

    #[test]
    fn contacts_sent_as_numbers_keep_their_digits() {
        let c: WireContact = serde_json::from_str(r#"{"contact":573001234567}"#).unwrap();
        assert_eq!(c.into_unified().unwrap().contact, "573001234567");
    }
}
