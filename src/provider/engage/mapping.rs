//! Where Engage's unified fields come from (vendors.md Part 1 "Engage"). Nothing beyond the
//! seed is public, so every path below is our assumption about Engage's answers: `/campaigns`
//! and `/stats` answer `{"data": [...]}`, `/campaign/{name}/summary` `{"data": {...}}` and
//! `/campaign/{name}/details` `{"data": [...], "pagination": {...}}`. The conversion reads the
//! fields at these paths, and the tests below hold the two together.

use crate::provider::Operation::{
    self, CampaignsDetails, CampaignsList, CampaignsSummary, Stats, StatsByCampaign, StatsTotal,
};
use crate::provider::mapping::FieldSource;

/// Said of every field: the schema is ours, not Engage's.
macro_rules! assumed {
    ($($note:literal)?) => {
        concat!("assumed: Engage documents no answer schema" $(, "; ", $note)?)
    };
}

/// How Engage's summary rates are read.
macro_rules! rate_note {
    ($formula:literal, $zero:literal) => {
        concat!(
            "assumed a percentage (66.67) of ",
            $formula,
            ", as vendors.md decides (Engage's documents do not say); read in the scale its counts confirm (66.67 or 0.6667) and printed as a fraction; null when ",
            $zero,
            " is 0 (where Engage is assumed to send 0)"
        )
    };
}

/// A summary field's source, for the rows of another command that are Engage's summaries.
const fn as_in(op: Operation, summary: FieldSource) -> FieldSource {
    FieldSource { op, ..summary }
}

/// The summary's sources after `id`: `campaigns summary`'s, and `stats --by-campaign`'s.
const SUMMARY_FIELDS: [FieldSource; 11] = [
    FieldSource::native(CampaignsSummary, "name", "data.name")
        .note(assumed!("the name asked for when the answer has none")),
    FieldSource::native(CampaignsSummary, "type", "data.type").note(assumed!()),
    FieldSource::native(CampaignsSummary, "total", "data.total")
        .note(assumed!("contacts targeted: sent + errors")),
    FieldSource::native(CampaignsSummary, "sent", "data.sent")
        .note(assumed!("messages that did not fail at sending")),
    FieldSource::native(CampaignsSummary, "delivered", "data.delivered").note(assumed!()),
    FieldSource::native(CampaignsSummary, "read", "data.read").note(assumed!()),
    FieldSource::native(CampaignsSummary, "engaged", "data.engaged").note(assumed!(
        "Engage speaks of engagement without defining it: taken as contacts that replied or clicked"
    )),
    FieldSource::native(CampaignsSummary, "errors", "data.errors").note(assumed!(
        "messages with status error; not counted in sent (sent + errors = total)"
    )),
    FieldSource::native(CampaignsSummary, "read_rate", "data.read_rate")
        .note(rate_note!("read / delivered", "delivered")),
    FieldSource::native(CampaignsSummary, "engagement_rate", "data.engagement_rate")
        .note(rate_note!("engaged / delivered", "delivered")),
    FieldSource::native(CampaignsSummary, "error_rate", "data.error_rate")
        .note(rate_note!("errors / total", "total")),
];

/// Said of the derived totals' counts.
const SUMMED: &str =
    "the range's GET /stats days (Engage's UTC days) summed: one request; null when a day lacks it";
/// Said of the derived totals' rates.
const RATE_OF_SUMS: &str = "computed by wa-analytics from the sums (GET /stats has no rates), not averaged over the days; null when the denominator is 0";

/// Engage's mapping: every field of the four read commands it serves, in output order.
pub(super) const MAPPING: &[FieldSource] = &[
    // campaigns list: GET /campaigns
    FieldSource::native(CampaignsList, "id", "data[].id").note(assumed!(
        "a UUID (as in Engage's status webhook); commands address campaigns by name, not by id"
    )),
    FieldSource::native(CampaignsList, "name", "data[].name").note(assumed!(
        "required: Engage addresses campaigns by name, so a campaign without one is unreadable"
    )),
    FieldSource::native(CampaignsList, "type", "data[].type")
        .note(assumed!("one-time or recurrent, the values of Engage's type filter")),
    FieldSource::native(CampaignsList, "status", "data[].status")
        .note(assumed!("scheduled, running, completed or cancelled")),
    FieldSource::native(CampaignsList, "created_at", "data[].created_at")
        .note(assumed!("YYYY-MM-DD HH:MM:SS in UTC")),
    FieldSource::native(CampaignsList, "sent_at", "data[].sent_at")
        .note(assumed!("YYYY-MM-DD HH:MM:SS in UTC; null for a campaign never sent")),
    FieldSource::native(CampaignsList, "total_contacts", "data[].total_contacts").note(assumed!()),
    // campaigns summary: GET /campaign/{name}/summary
    FieldSource::derived(CampaignsSummary, "id", "data[].id of GET /campaigns, without CAMPAIGN").note(
        "the summary carries no campaign id (Engage addresses campaigns by name): null for one CAMPAIGN; without one, each campaign's row has the id campaigns list gives",
    ),
    SUMMARY_FIELDS[0],
    SUMMARY_FIELDS[1],
    SUMMARY_FIELDS[2],
    SUMMARY_FIELDS[3],
    SUMMARY_FIELDS[4],
    SUMMARY_FIELDS[5],
    SUMMARY_FIELDS[6],
    SUMMARY_FIELDS[7],
    SUMMARY_FIELDS[8],
    SUMMARY_FIELDS[9],
    SUMMARY_FIELDS[10],
    // campaigns details and export: GET /campaign/{name}/details
    FieldSource::native(CampaignsDetails, "contact", "data[].contact").note(assumed!(
        "the phone number as Engage sends it (digits, as in its status webhook); required: a row without it is unreadable"
    )),
    FieldSource::native(CampaignsDetails, "name", "data[].name").note(assumed!()),
    FieldSource::native(CampaignsDetails, "status", "data[].status").note(assumed!(
        "sent, delivered, read or error, the words of Engage's status webhook"
    )),
    FieldSource::native(CampaignsDetails, "sent_at", "data[].sent_at")
        .note(assumed!("YYYY-MM-DD HH:MM:SS in UTC")),
    FieldSource::native(CampaignsDetails, "delivered_at", "data[].delivered_at")
        .note(assumed!("YYYY-MM-DD HH:MM:SS in UTC")),
    FieldSource::native(CampaignsDetails, "read_at", "data[].read_at")
        .note(assumed!("YYYY-MM-DD HH:MM:SS in UTC")),
    FieldSource::native(CampaignsDetails, "engaged", "data[].engaged")
        .note(assumed!("true when the contact replied or clicked")),
    FieldSource::native(CampaignsDetails, "response", "data[].response").note(assumed!()),
    FieldSource::native(CampaignsDetails, "error", "data[].error").note(assumed!()),
    // stats: GET /stats
    FieldSource::native(Stats, "period", "data[].period").note(assumed!(
        "YYYY-MM-DD, the first UTC day of the bucket (weeks from Monday); Engage cuts the days, not the tool; required"
    )),
    FieldSource::native(Stats, "sent", "data[].sent").note(assumed!()),
    FieldSource::native(Stats, "delivered", "data[].delivered").note(assumed!()),
    FieldSource::native(Stats, "read", "data[].read").note(assumed!()),
    FieldSource::native(Stats, "engaged", "data[].engaged")
        .note(assumed!("taken as contacts that replied or clicked")),
    FieldSource::native(Stats, "errors", "data[].errors").note(assumed!()),
    FieldSource::derived(Stats, "period_start", "period at 00:00 UTC").note(
        "the period's first UTC day: Engage cuts the days in UTC, whatever --tz or the profile's timezone say",
    ),
    FieldSource::derived(
        Stats,
        "period_end",
        "period_start + 1 day (daily) or 7 days (weekly)",
    )
    .note("half-open: the instant after the period's last UTC day"),
    // stats --by-campaign (derived): GET /campaigns, then GET /campaign/{name}/summary of each.
    FieldSource::derived(StatsByCampaign, "id", "data[].id of GET /campaigns").note(
        "one row per campaign GET /campaigns lists for the range (sent, or created, in it: a campaign first sent before the range is not among them), each summarised over the range by GET /campaign/{name}/summary, as campaigns summary without CAMPAIGN; the id is the list's",
    ),
    as_in(StatsByCampaign, SUMMARY_FIELDS[0]),
    as_in(StatsByCampaign, SUMMARY_FIELDS[1]),
    as_in(StatsByCampaign, SUMMARY_FIELDS[2]),
    as_in(StatsByCampaign, SUMMARY_FIELDS[3]),
    as_in(StatsByCampaign, SUMMARY_FIELDS[4]),
    as_in(StatsByCampaign, SUMMARY_FIELDS[5]),
    as_in(StatsByCampaign, SUMMARY_FIELDS[6]),
    as_in(StatsByCampaign, SUMMARY_FIELDS[7]),
    as_in(StatsByCampaign, SUMMARY_FIELDS[8]),
    as_in(StatsByCampaign, SUMMARY_FIELDS[9]),
    as_in(StatsByCampaign, SUMMARY_FIELDS[10]),
    // stats --total (derived): the days of GET /stats summed.
    FieldSource::absent(StatsTotal, "id").note("the totals of every campaign of the range"),
    FieldSource::absent(StatsTotal, "name").note("the totals of every campaign of the range"),
    FieldSource::absent(StatsTotal, "type")
        .note("every execution type, or the one --type names"),
    FieldSource::derived(StatsTotal, "total", "sum(data[].sent) + sum(data[].errors)").note(
        "GET /stats has no contacts targeted: taken as sent + errors, as Engage's summaries count it (assumed: Engage documents no answer schema)",
    ),
    FieldSource::derived(StatsTotal, "sent", "sum(data[].sent)").note(SUMMED),
    FieldSource::derived(StatsTotal, "delivered", "sum(data[].delivered)").note(SUMMED),
    FieldSource::derived(StatsTotal, "read", "sum(data[].read)").note(SUMMED),
    FieldSource::derived(StatsTotal, "engaged", "sum(data[].engaged)").note(SUMMED),
    FieldSource::derived(StatsTotal, "errors", "sum(data[].errors)").note(SUMMED),
    FieldSource::derived(StatsTotal, "read_rate", "sum(read) / sum(delivered)").note(RATE_OF_SUMS),
    FieldSource::derived(StatsTotal, "engagement_rate", "sum(engaged) / sum(delivered)")
        .note(RATE_OF_SUMS),
    FieldSource::derived(StatsTotal, "error_rate", "sum(errors) / total").note(RATE_OF_SUMS),
];

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use chrono::{NaiveDate, TimeZone, Utc};
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;
    use serde::de::DeserializeSeed;
    use serde_json::{Value as Json, json};

    use super::super::convert;
    use super::super::wire::ContactPageSeed;
    use super::*;
    use crate::http::ApiResponse;
    use crate::output::Value;
    use crate::provider::mapping::{Source, sources_of};
    use crate::provider::{
        Campaign, CampaignSummary, ContactRecord, Frequency, Operation, Record, StatsBucket,
    };

    fn response(body: &Json) -> ApiResponse {
        ApiResponse {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(body.to_string()),
            request_line: "GET /test".into(),
        }
    }

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Value {
        Value::Time(Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap())
    }

    /// What the answer holds at a field's declared path, and what the command must print for it.
    /// Every value is distinct, so a field read from another path cannot pass. The summary's
    /// counts agree with its percentage rates (read 100 of 400 delivered is 25.0 %).
    fn wire_and_printed(op: Operation, field: &str) -> (Json, Value) {
        let text = |t: &str| (json!(t), Value::Text(t.to_string()));
        let count = |n: i64| (json!(n), Value::Int(n));
        match (op, field) {
            (CampaignsList, "id") => text("value-id"),
            (CampaignsList | CampaignsSummary | CampaignsDetails, "name") => text("value-name"),
            (CampaignsList | CampaignsSummary, "type") => text("value-type"),
            (CampaignsList | CampaignsDetails, "status") => text("value-status"),
            (CampaignsList, "created_at") => {
                (json!("2026-04-01 09:00:01"), at(2026, 4, 1, 9, 0, 1))
            }
            (CampaignsList, "sent_at") => (json!("2026-04-02 10:00:02"), at(2026, 4, 2, 10, 0, 2)),
            (CampaignsList, "total_contacts") => count(1200),
            (CampaignsSummary, "total") => count(1000),
            (CampaignsSummary, "sent") => count(950),
            (CampaignsSummary, "delivered") => count(400),
            (CampaignsSummary, "read") => count(100),
            (CampaignsSummary, "engaged") => count(40),
            (CampaignsSummary, "errors") => count(50),
            (CampaignsSummary, "read_rate") => (json!(25.0), Value::Float(0.25)),
            (CampaignsSummary, "engagement_rate") => (json!(10.0), Value::Float(0.1)),
            (CampaignsSummary, "error_rate") => (json!(5.0), Value::Float(0.05)),
            (CampaignsDetails, "contact") => text("573001234567"),
            (CampaignsDetails, "sent_at") => {
                (json!("2026-04-02 10:00:03"), at(2026, 4, 2, 10, 0, 3))
            }
            (CampaignsDetails, "delivered_at") => {
                (json!("2026-04-02 10:00:04"), at(2026, 4, 2, 10, 0, 4))
            }
            (CampaignsDetails, "read_at") => {
                (json!("2026-04-02 10:00:05"), at(2026, 4, 2, 10, 0, 5))
            }
            (CampaignsDetails, "engaged") => (json!(true), Value::Bool(true)),
            (CampaignsDetails, "response") => text("value-response"),
            (CampaignsDetails, "error") => text("value-error"),
            (Stats, "period") => (
                json!("2026-04-06"),
                Value::Date(NaiveDate::from_ymd_opt(2026, 4, 6).unwrap()),
            ),
            (Stats, "sent") => count(11),
            (Stats, "delivered") => count(10),
            (Stats, "read") => count(9),
            (Stats, "engaged") => count(8),
            (Stats, "errors") => count(7),
            other => panic!("no test value for {other:?}: add one"),
        }
    }

    /// An answer with every declared path of `op` holding its test value (`data.x` in the
    /// summary object, `data[].x` in the one element of the list).
    fn answer(op: Operation) -> Json {
        let mut data = serde_json::Map::new();
        let mut in_list = false;
        for source in sources_of(MAPPING, op) {
            let Source::Field(path) = source.source else {
                continue;
            };
            let key = if let Some(k) = path.strip_prefix("data[].") {
                in_list = true;
                k
            } else {
                path.strip_prefix("data.").expect("a path under data")
            };
            assert!(
                !key.contains('.'),
                "{path}: nested paths are not tested here"
            );
            data.insert(key.to_string(), wire_and_printed(op, source.field).0);
        }
        if in_list {
            json!({"data": [data], "pagination": {"limit": 1, "offset": 0, "total": 1}})
        } else {
            json!({ "data": data })
        }
    }

    fn named<R: Record>(record: R) -> Vec<(String, Value)> {
        R::common_fields()
            .into_iter()
            .map(|f| f.name.into_owned())
            .zip(record.into_row())
            .collect()
    }

    /// The row `op`'s conversion makes of `body`.
    fn converted(op: Operation, body: &Json) -> Vec<(String, Value)> {
        let resp = response(body);
        match op {
            CampaignsList => named(one(convert::campaigns(&resp).unwrap())),
            CampaignsSummary => named(convert::summary(&resp, "asked-for").unwrap()),
            Stats => named(one(convert::buckets(&resp, Frequency::Daily).unwrap())),
            CampaignsDetails => {
                let text = body.to_string();
                let mut de = serde_json::Deserializer::from_str(&text);
                let page = ContactPageSeed { capacity: 1 }
                    .deserialize(&mut de)
                    .unwrap();
                assert_eq!(page.unreadable, None);
                named::<ContactRecord>(one(page.rows))
            }
            other => panic!("Engage does not serve {other:?}"),
        }
    }

    fn one<T>(mut rows: Vec<T>) -> T {
        assert_eq!(rows.len(), 1);
        rows.pop().unwrap()
    }

    fn value<'a>(row: &'a [(String, Value)], field: &str) -> &'a Value {
        &row.iter()
            .find(|(n, _)| n == field)
            .unwrap_or_else(|| panic!("no {field} in {row:?}"))
            .1
    }

    const OPS: [Operation; 4] = [CampaignsList, CampaignsSummary, CampaignsDetails, Stats];

    #[test]
    fn every_printed_field_is_declared_once_in_output_order() {
        let common = |op| match op {
            CampaignsList => Campaign::common_fields(),
            CampaignsSummary => CampaignSummary::common_fields(),
            CampaignsDetails => ContactRecord::common_fields(),
            _ => StatsBucket::common_fields(),
        };
        for op in OPS {
            let declared: Vec<_> = sources_of(MAPPING, op).iter().map(|s| s.field).collect();
            let fields: Vec<_> = common(op).into_iter().map(|f| f.name).collect();
            assert_eq!(declared, fields, "{op:?}");
        }
    }

    #[test]
    fn each_declared_source_is_the_field_the_conversion_reads() {
        for op in OPS {
            let row = converted(op, &answer(op));
            for source in sources_of(MAPPING, op) {
                if let Source::Field(path) = source.source {
                    let expected = wire_and_printed(op, source.field).1;
                    assert_eq!(
                        value(&row, source.field),
                        &expected,
                        "{op:?} {} from {path}",
                        source.field
                    );
                }
            }
        }
    }

    #[test]
    fn a_field_missing_from_the_answer_is_null_in_the_row() {
        // Every field but the key and one count of each command, one at a time.
        for op in OPS {
            for source in sources_of(MAPPING, op) {
                let Source::Field(path) = source.source else {
                    continue;
                };
                if matches!(source.field, "name" | "contact" | "period") {
                    continue;
                }
                let mut body = answer(op);
                let key = path.rsplit('.').next().unwrap();
                let object = match &mut body["data"] {
                    Json::Array(items) => &mut items[0],
                    object => object,
                };
                object.as_object_mut().unwrap().remove(key);
                let row = converted(op, &body);
                assert_eq!(
                    value(&row, source.field),
                    &Value::Null,
                    "{op:?} {} without {path}",
                    source.field
                );
            }
        }
    }

    #[test]
    fn the_derived_period_bounds_are_the_periods_utc_days() {
        let body = answer(Stats);
        let resp = response(&body);
        for (frequency, end) in [
            (Frequency::Daily, at(2026, 4, 7, 0, 0, 0)),
            (Frequency::Weekly, at(2026, 4, 13, 0, 0, 0)),
        ] {
            let row = named(one(convert::buckets(&resp, frequency).unwrap()));
            assert_eq!(value(&row, "period_start"), &at(2026, 4, 6, 0, 0, 0));
            assert_eq!(value(&row, "period_end"), &end, "{frequency:?}");
        }
    }

    #[test]
    fn the_summary_of_one_campaign_has_no_id_whatever_the_answer_holds() {
        let mut body = answer(CampaignsSummary);
        body["data"]["id"] = json!("c-1");
        body["data"]["campaign_id"] = json!("c-1");
        let row = converted(CampaignsSummary, &body);
        assert_eq!(value(&row, "id"), &Value::Null);
    }

    #[test]
    fn the_summary_without_a_name_is_the_campaign_asked_for() {
        let mut body = answer(CampaignsSummary);
        body["data"].as_object_mut().unwrap().remove("name");
        let row = converted(CampaignsSummary, &body);
        assert_eq!(value(&row, "name"), &Value::Text("asked-for".into()));
    }
}
