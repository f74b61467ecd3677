//! The unified records every vendor's wire types are converted into, once, inside the vendor's
//! folder. Field order here is the column order of the output contract (product.md, "Records").

use chrono::{DateTime, NaiveDate, Utc};

use crate::output::{FieldDef, FieldKind, Value};
use crate::time::{DateRange, Zone};

/// A campaign's type, as the `--type` filter and the `type` column spell it. Engage types
/// campaigns by execution (`one-time`, `recurrent`); Insider by kind (`standard`, `ab-test`,
/// `split`, `transactional`, `other`: its campaign type ids 1, 2, 3, 5, 6). An adapter refuses a
/// type its vendor does not know (exit 2) rather than ignoring it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CampaignType {
    /// Sent once (Engage).
    OneTime,
    /// Sent on a schedule (Engage).
    Recurrent,
    /// A standard campaign (Insider type 1).
    Standard,
    /// An A/B test (Insider type 2).
    AbTest,
    /// A split campaign (Insider type 3).
    Split,
    /// Transactional hook messages (Insider type 5).
    Transactional,
    /// Any other kind (Insider type 6).
    Other,
}

impl CampaignType {
    /// The spelling of the option and the `type` column (`one-time`, `ab-test`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignType::OneTime => "one-time",
            CampaignType::Recurrent => "recurrent",
            CampaignType::Standard => "standard",
            CampaignType::AbTest => "ab-test",
            CampaignType::Split => "split",
            CampaignType::Transactional => "transactional",
            CampaignType::Other => "other",
        }
    }

    /// Whether this is an execution type (`one-time`, `recurrent`), the kind Engage filters by.
    pub fn is_execution_type(self) -> bool {
        matches!(self, CampaignType::OneTime | CampaignType::Recurrent)
    }
}

/// Campaign filters that some vendors' APIs apply (Insider's campaign-list and statistics). An
/// adapter that cannot apply one the user gave refuses the command with exit 2, naming itself
/// ([`CampaignFilters::refuse_unsupported`]), never ignores it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CampaignFilters {
    /// `--status`: only campaigns in one of these statuses (the vendor's words).
    pub statuses: Vec<String>,
    /// `--name`: only campaigns whose name contains this text (case-insensitive).
    pub name: Option<String>,
    /// `--tag`: only campaigns with one of these tags (ids or names).
    pub tags: Vec<String>,
    /// `--account`: only campaigns sent from one of these sender numbers.
    pub accounts: Vec<String>,
}

impl CampaignFilters {
    /// The options the user gave (`--status`, `--name`, `--tag`, `--account`), in that order.
    pub fn given(&self) -> Vec<&'static str> {
        let mut given = Vec::new();
        if !self.statuses.is_empty() {
            given.push("--status");
        }
        if self.name.is_some() {
            given.push("--name");
        }
        if !self.tags.is_empty() {
            given.push("--tag");
        }
        if !self.accounts.is_empty() {
            given.push("--account");
        }
        given
    }

    /// Refuses (exit 2) the first option given that is not in `supported`, naming the vendor
    /// and what it can filter `command` by.
    pub fn refuse_unsupported(
        &self,
        vendor: &'static str,
        command: &str,
        supported: &[&str],
    ) -> Result<(), super::ProviderError> {
        match self.given().into_iter().find(|f| !supported.contains(f)) {
            None => Ok(()),
            Some(option) => Err(refuse_filter(vendor, command, option, supported)),
        }
    }
}

/// The exit-2 error for a filter option `vendor` cannot apply to `command`.
pub fn refuse_filter(
    vendor: &'static str,
    command: &str,
    option: &str,
    supported: &[&str],
) -> super::ProviderError {
    let can = if supported.is_empty() {
        format!("{vendor} takes none of these filters for '{command}'")
    } else {
        format!(
            "{vendor} can filter '{command}' by: {}",
            supported.join(", ")
        )
    };
    super::ProviderError::new(
        super::ErrorKind::InvalidRequest,
        vendor,
        format!("cannot apply {option} to '{command}'"),
    )
    .with_hint(format!("{can}; remove {option}"))
}

/// The bucket size of `stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Frequency {
    /// One bucket per calendar day.
    #[default]
    Daily,
    /// One bucket per week, starting on Monday.
    Weekly,
}

impl Frequency {
    /// The spelling vendors use (`daily`, `weekly`).
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
        }
    }
}

/// The time range of a query, and whether the user chose it (a vendor with a default of its own,
/// such as Insider's campaign lifetime, applies that default only when `explicit` is false).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryRange {
    /// Half-open `[start, end)` range in UTC.
    pub range: DateRange,
    /// True when the user gave `--from`, `--to` or `--last`.
    pub explicit: bool,
}

/// Parameters of `campaigns list`.
#[derive(Debug, Clone)]
pub struct CampaignQuery {
    /// The range the campaigns were sent (or created) in.
    pub range: QueryRange,
    /// Only campaigns of this type.
    pub campaign_type: Option<CampaignType>,
    /// Only campaigns matching these filters (where the vendor can apply them).
    pub filters: CampaignFilters,
}

/// Parameters of `campaigns summary`.
#[derive(Debug, Clone)]
pub struct SummaryQuery {
    /// The range the metrics are aggregated over.
    pub range: QueryRange,
}

/// Parameters of `campaigns details` and `campaigns export`.
#[derive(Debug, Clone)]
pub struct DetailsQuery {
    /// The range the contact rows were sent in.
    pub range: QueryRange,
    /// Only rows of this execution type (where the vendor takes it).
    pub campaign_type: Option<CampaignType>,
    /// Stop after this many rows in total (every page when `None`).
    pub limit: Option<u64>,
    /// Skip this many rows first.
    pub offset: u64,
    /// Rows per request, within the vendor's maximum (the vendor's best when `None`).
    pub page_size: Option<u64>,
}

/// Parameters of `stats`.
#[derive(Debug, Clone)]
pub struct StatsQuery {
    /// The range the buckets cover.
    pub range: QueryRange,
    /// The zone whose days (and weeks from Monday) the buckets are, where the tool cuts them:
    /// `--tz`, else the profile's `timezone`, else UTC. A vendor that cuts the days itself says
    /// so at `-v` when this differs.
    pub zone: Zone,
    /// Bucket size.
    pub frequency: Frequency,
    /// Only campaigns of this type.
    pub campaign_type: Option<CampaignType>,
    /// Only campaigns matching these filters (where the vendor can apply them).
    pub filters: CampaignFilters,
}

/// A campaign in `campaigns list`.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    /// The vendor's campaign id, where it has one.
    pub id: Option<String>,
    /// The campaign's name (Engage addresses campaigns by name).
    pub name: String,
    /// Execution type, e.g. `one-time` or `recurrent`.
    pub campaign_type: Option<String>,
    /// Status in the vendor's words, lower case.
    pub status: Option<String>,
    /// When the campaign was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When the campaign was sent, if it was.
    pub sent_at: Option<DateTime<Utc>>,
    /// Contacts targeted.
    pub total_contacts: Option<u64>,
    /// Vendor-only fields, in the order the provider declares them.
    pub extra: Vec<Value>,
}

/// Aggregated metrics of one campaign (`campaigns summary`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CampaignSummary {
    /// The vendor's campaign id, where it has one.
    pub id: Option<String>,
    /// The campaign's name.
    pub name: Option<String>,
    /// Execution type.
    pub campaign_type: Option<String>,
    /// Contacts targeted.
    pub total: Option<u64>,
    /// Messages sent.
    pub sent: Option<u64>,
    /// Messages delivered.
    pub delivered: Option<u64>,
    /// Messages read (Insider calls it `open`).
    pub read: Option<u64>,
    /// Contacts that engaged (replied or clicked).
    pub engaged: Option<u64>,
    /// Messages that failed.
    pub errors: Option<u64>,
    /// read / delivered, as a fraction of 1.
    pub read_rate: Option<f64>,
    /// engaged / delivered, as a fraction of 1.
    pub engagement_rate: Option<f64>,
    /// errors / total, as a fraction of 1.
    pub error_rate: Option<f64>,
    /// Vendor-only fields, in the order the provider declares them.
    pub extra: Vec<Value>,
}

/// One contact's row in `campaigns details` / `campaigns export`.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactRecord {
    /// The contact's phone number, exactly as the vendor sent it.
    pub contact: String,
    /// The contact's name.
    pub name: Option<String>,
    /// Delivery status: `sent`, `delivered`, `read`, `error`, or the vendor's own word.
    pub status: Option<String>,
    /// When the message was sent.
    pub sent_at: Option<DateTime<Utc>>,
    /// When it was delivered.
    pub delivered_at: Option<DateTime<Utc>>,
    /// When it was read.
    pub read_at: Option<DateTime<Utc>>,
    /// Whether the contact engaged.
    pub engaged: Option<bool>,
    /// The contact's response, if any.
    pub response: Option<String>,
    /// The error, if the message failed.
    pub error: Option<String>,
    /// Vendor-only fields, in the order the provider declares them.
    pub extra: Vec<Value>,
}

/// One period of `stats`.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsBucket {
    /// First day of the period.
    pub period: NaiveDate,
    /// The instant the period starts (the first day's midnight in the zone that cuts the days).
    pub period_start: DateTime<Utc>,
    /// The instant after the period (half-open).
    pub period_end: DateTime<Utc>,
    /// Messages sent.
    pub sent: Option<u64>,
    /// Messages delivered.
    pub delivered: Option<u64>,
    /// Messages read.
    pub read: Option<u64>,
    /// Contacts that engaged.
    pub engaged: Option<u64>,
    /// Messages that failed.
    pub errors: Option<u64>,
    /// Vendor-only fields, in the order the provider declares them.
    pub extra: Vec<Value>,
}

// The vocabulary (product.md, "What the numbers mean"; after Meta's WhatsApp analytics). Each
// vendor's mapping says where its figure for each word comes from, and where it means something
// else.

/// `total`: contacts targeted.
pub const TOTAL: &str = "contacts targeted";
/// `sent`: messages handed to WhatsApp.
pub const SENT: &str = "messages handed to WhatsApp";
/// `delivered`: messages that reached the phone.
pub const DELIVERED: &str = "messages that reached the phone (read implies delivered)";
/// `read`: messages read.
pub const READ: &str = "messages read";
/// `engaged`: contacts that replied or clicked.
pub const ENGAGED: &str = "contacts that replied or clicked";
/// `errors`: messages that failed.
pub const ERRORS: &str = "messages that failed, at sending or at delivery";

/// A unified record: its common fields, in contract order, and its conversion into a row.
pub trait Record: Send + 'static {
    /// The common fields of this record type, in output order.
    fn common_fields() -> Vec<FieldDef>;
    /// The record's values: the common fields in order, then its vendor-only extras.
    fn into_row(self) -> Vec<Value>;
    /// The row's identity and time stamp, for de-duplicating incremental exports (`--state`);
    /// `None` for records that are not time-stamped rows.
    fn dedup_key(&self) -> Option<(String, DateTime<Utc>)> {
        None
    }
    /// Feeds what identifies this row among the rows of one listing to `h` and returns true;
    /// false for a record with no identity. Two rows of one listing with the same identity are
    /// one row served twice (pages that shifted or repeated while paging): the writer keeps the
    /// first. Only what cannot move between two requests belongs here (a status may go from
    /// delivered to read; the contact and the send time do not).
    fn identity<H: std::hash::Hasher>(&self, h: &mut H) -> bool {
        let _ = h;
        false
    }
}

/// Feeds `id`, else `name`, to `h` (told apart, so an id never equals a name).
pub(crate) fn id_else_name<H: std::hash::Hasher>(
    id: Option<&str>,
    name: Option<&str>,
    h: &mut H,
) -> bool {
    use std::hash::Hash;
    match (id, name) {
        (Some(id), _) => (0u8, id).hash(h),
        (None, Some(name)) => (1u8, name).hash(h),
        (None, None) => return false,
    }
    true
}

/// The cell of an optional count (null when absent; a count beyond `i64` is capped, never
/// wrapped to a negative number).
pub(crate) fn count(v: Option<u64>) -> Value {
    v.map_or(Value::Null, |n| {
        Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
    })
}

/// The cell of an optional text.
pub(crate) fn text(v: Option<String>) -> Value {
    v.map_or(Value::Null, Value::Text)
}

/// The cell of an optional instant.
pub(crate) fn time(v: Option<DateTime<Utc>>) -> Value {
    v.map_or(Value::Null, Value::Time)
}

fn rate(v: Option<f64>) -> Value {
    v.map_or(Value::Null, Value::Float)
}

fn with_extra(mut row: Vec<Value>, extra: Vec<Value>) -> Vec<Value> {
    row.extend(extra);
    row
}

impl Record for Campaign {
    fn common_fields() -> Vec<FieldDef> {
        vec![
            FieldDef::new("id", FieldKind::Text, "the vendor's campaign id"),
            FieldDef::new("name", FieldKind::Text, "campaign name"),
            FieldDef::new(
                "type",
                FieldKind::Text,
                "execution type (one-time, recurrent, …)",
            ),
            FieldDef::new(
                "status",
                FieldKind::Text,
                "campaign status in the vendor's words",
            ),
            FieldDef::new(
                "created_at",
                FieldKind::Time,
                "when the campaign was created (UTC)",
            ),
            FieldDef::new(
                "sent_at",
                FieldKind::Time,
                "when the campaign was sent (UTC), empty if never",
            ),
            FieldDef::new("total_contacts", FieldKind::Count, "contacts targeted"),
        ]
    }

    fn into_row(self) -> Vec<Value> {
        with_extra(
            vec![
                text(self.id),
                Value::Text(self.name),
                text(self.campaign_type),
                text(self.status),
                time(self.created_at),
                time(self.sent_at),
                count(self.total_contacts),
            ],
            self.extra,
        )
    }

    /// A campaign is its id, else its name (Engage addresses campaigns by name).
    fn identity<H: std::hash::Hasher>(&self, h: &mut H) -> bool {
        id_else_name(self.id.as_deref(), Some(&self.name), h)
    }
}

impl Record for CampaignSummary {
    fn common_fields() -> Vec<FieldDef> {
        vec![
            FieldDef::new("id", FieldKind::Text, "the vendor's campaign id"),
            FieldDef::new("name", FieldKind::Text, "campaign name"),
            FieldDef::new("type", FieldKind::Text, "execution type"),
            FieldDef::new("total", FieldKind::Count, TOTAL),
            FieldDef::new("sent", FieldKind::Count, SENT),
            FieldDef::new("delivered", FieldKind::Count, DELIVERED),
            FieldDef::new("read", FieldKind::Count, READ),
            FieldDef::new("engaged", FieldKind::Count, ENGAGED),
            FieldDef::new("errors", FieldKind::Count, ERRORS),
            FieldDef::new(
                "read_rate",
                FieldKind::Rate,
                "read / delivered, a fraction of 1 (null when nothing was delivered)",
            ),
            FieldDef::new(
                "engagement_rate",
                FieldKind::Rate,
                "engaged / delivered, a fraction of 1 (null when nothing was delivered)",
            ),
            FieldDef::new(
                "error_rate",
                FieldKind::Rate,
                "errors / total, a fraction of 1 (null when no contact was targeted)",
            ),
        ]
    }

    fn into_row(self) -> Vec<Value> {
        with_extra(
            vec![
                text(self.id),
                text(self.name),
                text(self.campaign_type),
                count(self.total),
                count(self.sent),
                count(self.delivered),
                count(self.read),
                count(self.engaged),
                count(self.errors),
                rate(self.read_rate),
                rate(self.engagement_rate),
                rate(self.error_rate),
            ],
            self.extra,
        )
    }

    /// A campaign's summary is its id, else its name.
    fn identity<H: std::hash::Hasher>(&self, h: &mut H) -> bool {
        id_else_name(self.id.as_deref(), self.name.as_deref(), h)
    }
}

impl Record for ContactRecord {
    fn common_fields() -> Vec<FieldDef> {
        vec![
            FieldDef::new(
                "contact",
                FieldKind::Text,
                "the contact's phone number, exactly as the vendor sent it",
            ),
            FieldDef::new("name", FieldKind::Text, "the contact's name"),
            FieldDef::new(
                "status",
                FieldKind::Text,
                "delivery status: sent, delivered, read, error, …",
            ),
            FieldDef::new(
                "sent_at",
                FieldKind::Time,
                "when the message was sent (UTC)",
            ),
            FieldDef::new(
                "delivered_at",
                FieldKind::Time,
                "when it was delivered (UTC)",
            ),
            FieldDef::new("read_at", FieldKind::Time, "when it was read (UTC)"),
            FieldDef::new("engaged", FieldKind::Bool, "whether the contact engaged"),
            FieldDef::new("response", FieldKind::Text, "the contact's response"),
            FieldDef::new("error", FieldKind::Text, "why the message failed"),
        ]
    }

    /// A contact's message is identified by the contact and when it was sent.
    fn dedup_key(&self) -> Option<(String, DateTime<Utc>)> {
        self.sent_at
            .map(|at| (format!("{}|{}", self.contact, at.timestamp()), at))
    }

    /// The contact and when the message was sent (not its status, which moves on): a
    /// recurrent campaign sends one contact several messages.
    fn identity<H: std::hash::Hasher>(&self, h: &mut H) -> bool {
        use std::hash::Hash;
        (&self.contact, self.sent_at).hash(h);
        true
    }

    fn into_row(self) -> Vec<Value> {
        with_extra(
            vec![
                Value::Text(self.contact),
                text(self.name),
                text(self.status),
                time(self.sent_at),
                time(self.delivered_at),
                time(self.read_at),
                self.engaged.map_or(Value::Null, Value::Bool),
                text(self.response),
                text(self.error),
            ],
            self.extra,
        )
    }
}

/// The half-open bounds of the period that starts on `first` (a day, or a week from Monday),
/// with days cut in `zone`. A midnight that a daylight-saving change skips starts the day at the
/// first instant that exists (an hour later).
pub fn period_bounds(
    first: NaiveDate,
    frequency: Frequency,
    zone: &Zone,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let days = match frequency {
        Frequency::Daily => 1,
        Frequency::Weekly => 7,
    };
    let midnight = |d: NaiveDate| {
        let local = d.and_hms_opt(0, 0, 0).expect("midnight exists");
        zone.to_utc(local)
            .or_else(|_| zone.to_utc(local + chrono::Duration::hours(1)))
            .unwrap_or_else(|_| local.and_utc())
    };
    (
        midnight(first),
        midnight(first + chrono::Duration::days(days)),
    )
}

impl StatsBucket {
    /// An empty bucket for the period starting on `first`, cut in `zone`; the caller fills in
    /// the counts.
    pub fn new(first: NaiveDate, frequency: Frequency, zone: &Zone) -> StatsBucket {
        let (period_start, period_end) = period_bounds(first, frequency, zone);
        StatsBucket {
            period: first,
            period_start,
            period_end,
            sent: None,
            delivered: None,
            read: None,
            engaged: None,
            errors: None,
            extra: Vec::new(),
        }
    }
}

impl Record for StatsBucket {
    fn common_fields() -> Vec<FieldDef> {
        vec![
            FieldDef::new(
                "period",
                FieldKind::Date,
                "first day of the period (a week starts on Monday)",
            ),
            FieldDef::new("sent", FieldKind::Count, SENT),
            FieldDef::new("delivered", FieldKind::Count, DELIVERED),
            FieldDef::new("read", FieldKind::Count, READ),
            FieldDef::new("engaged", FieldKind::Count, ENGAGED),
            FieldDef::new("errors", FieldKind::Count, ERRORS),
            FieldDef::new(
                "period_start",
                FieldKind::Time,
                "when the period starts (UTC; the day's midnight in the zone that cuts the days)",
            ),
            FieldDef::new(
                "period_end",
                FieldKind::Time,
                "when the period ends (UTC, exclusive: the next period's start)",
            ),
        ]
    }

    fn into_row(self) -> Vec<Value> {
        with_extra(
            vec![
                Value::Date(self.period),
                count(self.sent),
                count(self.delivered),
                count(self.read),
                count(self.engaged),
                count(self.errors),
                Value::Time(self.period_start),
                Value::Time(self.period_end),
            ],
            self.extra,
        )
    }

    /// A bucket is its period.
    fn identity<H: std::hash::Hasher>(&self, h: &mut H) -> bool {
        use std::hash::Hash;
        self.period_start.hash(h);
        true
    }
}

#[cfg(test)]
mod period_tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_day_is_the_zones_midnight_to_midnight() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let bogota = Zone::parse("America/Bogota").unwrap();
        assert_eq!(
            period_bounds(day, Frequency::Daily, &bogota),
            (at("2026-03-02T05:00:00Z"), at("2026-03-03T05:00:00Z"))
        );
        assert_eq!(
            period_bounds(day, Frequency::Weekly, &Zone::UTC),
            (at("2026-03-02T00:00:00Z"), at("2026-03-09T00:00:00Z"))
        );
    }

    #[test]
    fn a_day_across_a_daylight_saving_change_is_23_or_25_hours() {
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        let spring = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        let (start, end) = period_bounds(spring, Frequency::Daily, &berlin);
        assert_eq!((end - start).num_hours(), 23);
        let autumn = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap();
        let (start, end) = period_bounds(autumn, Frequency::Daily, &berlin);
        assert_eq!((end - start).num_hours(), 25);
        // Santiago's clocks skip midnight in September: the day starts at 01:00 local.
        let santiago = Zone::parse("America/Santiago").unwrap();
        let gap = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        let (start, _) = period_bounds(gap, Frequency::Daily, &santiago);
        assert_eq!(start, at("2026-09-06T04:00:00Z"));
    }
}
