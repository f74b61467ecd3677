//! Engage's summaries, stats buckets and campaign lists, read at the paths its mapping declares
//! (`mapping.rs`) through [`Reader`] (product.md, "What the numbers mean"): a summary with none of
//! the counts, a bucket without its period or a campaign without its name is unreadable (exit 6,
//! naming the paths and what the answer holds); any other missing field is null with one warning
//! per field and command. Rates are Engage's own figures, read in the scale their counts confirm.
//!
//! The contact rows of details and export (up to a million) keep the typed decoding of `wire.rs`.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value as Json;

use super::VENDOR;
use super::mapping::MAPPING;
use super::wire::parse_time;
use crate::http::ApiResponse;
use crate::provider::figures::vendor_rate;
use crate::provider::read::{Reader, Rule};
use crate::provider::{
    Campaign, CampaignSummary, Frequency, Operation, ProviderError, StatsBucket, Vendor, mapping,
};
use crate::time::Zone;

/// The summary's paths start here: `{"data": {…}}`.
const IN_OBJECT: &str = "data.";
/// The list's and the buckets' paths start here: `{"data": [{…}, …]}`.
const IN_LIST: &str = "data[].";

/// A summary is another schema when it has none of its counts.
const SUMMARY: Rule = Rule {
    key: &[],
    counts: &["total", "sent", "delivered", "read", "engaged", "errors"],
};

/// A bucket is unreadable without its period, or with none of its counts.
const BUCKET: Rule = Rule {
    key: &["period"],
    counts: &["sent", "delivered", "read", "engaged", "errors"],
};

/// Engage addresses campaigns by name: a campaign without one is unreadable.
const CAMPAIGN: Rule = Rule {
    key: &["name"],
    counts: &[],
};

/// `campaigns summary` from `/campaign/{name}/summary`; `asked` stands in for a missing name.
pub(super) fn summary(resp: &ApiResponse, asked: &str) -> Result<CampaignSummary, ProviderError> {
    let op = Operation::CampaignsSummary;
    let body: Json = resp.json(VENDOR)?;
    let data = envelope(resp, &body, op, IN_OBJECT)?;
    let mut r = reader(resp, op, IN_OBJECT, data);
    // The name asked for is the campaign's name: a summary without one is not missing anything.
    let name = data
        .get(key(op, "name", IN_OBJECT))
        .and_then(Json::as_str)
        .unwrap_or(asked)
        .to_string();
    let campaign_type = r.text("type");
    let total = r.count("total");
    let sent = r.count("sent");
    let delivered = r.count("delivered");
    let read = r.count("read");
    let engaged = r.count("engaged");
    let errors = r.count("errors");
    let given_read = r.number("read_rate");
    let given_engagement = r.number("engagement_rate");
    let given_error = r.number("error_rate");
    finish(resp, r, SUMMARY)?;
    let rate = |field: &str, given, part, whole| {
        let (value, why) = vendor_rate(given, part, whole);
        if let Some(why) = why {
            crate::warn!("{VENDOR}'s {field} of campaign '{name}': {why}");
        }
        value
    };
    Ok(CampaignSummary {
        id: None,
        campaign_type,
        total,
        sent,
        delivered,
        read,
        engaged,
        errors,
        read_rate: rate("read_rate", given_read, read, delivered),
        engagement_rate: rate("engagement_rate", given_engagement, engaged, delivered),
        error_rate: rate("error_rate", given_error, errors, total),
        name: Some(name),
        extra: Vec::new(),
    })
}

/// `stats` from `/stats`: Engage's buckets, which are UTC days (or weeks from a UTC Monday).
pub(super) fn buckets(
    resp: &ApiResponse,
    frequency: Frequency,
) -> Result<Vec<StatsBucket>, ProviderError> {
    let op = Operation::Stats;
    let body: Json = resp.json(VENDOR)?;
    let list = list(resp, &body, op)?;
    list.iter()
        .map(|item| {
            let mut r = reader(resp, op, IN_LIST, item);
            let day = match r.text("period") {
                Some(p) => match NaiveDate::parse_from_str(p.trim(), "%Y-%m-%d") {
                    Ok(day) => Some(day),
                    Err(_) => {
                        r.malformed("period", format!("'{p}' is not a day (YYYY-MM-DD)"));
                        None
                    }
                },
                None => {
                    refuse_null(&mut r, item, op, "period");
                    None
                }
            };
            let sent = r.count("sent");
            let delivered = r.count("delivered");
            let read = r.count("read");
            let engaged = r.count("engaged");
            let errors = r.count("errors");
            finish(resp, r, BUCKET)?;
            let day = day.expect("a bucket without its period is refused above");
            Ok(StatsBucket {
                sent,
                delivered,
                read,
                engaged,
                errors,
                ..StatsBucket::new(day, frequency, &Zone::UTC)
            })
        })
        .collect()
}

/// `campaigns list` from `/campaigns`.
pub(super) fn campaigns(resp: &ApiResponse) -> Result<Vec<Campaign>, ProviderError> {
    let op = Operation::CampaignsList;
    let body: Json = resp.json(VENDOR)?;
    let list = list(resp, &body, op)?;
    list.iter()
        .map(|item| {
            let mut r = reader(resp, op, IN_LIST, item);
            let id = r.text("id");
            let name = r.text("name");
            if name.is_none() {
                refuse_null(&mut r, item, op, "name");
            }
            let campaign_type = r.text("type");
            let status = r.text("status");
            let created_at = time(&mut r, "created_at");
            let sent_at = time(&mut r, "sent_at");
            let total_contacts = r.count("total_contacts");
            finish(resp, r, CAMPAIGN)?;
            Ok(Campaign {
                id,
                name: name.expect("a campaign without its name is refused above"),
                campaign_type,
                status,
                created_at,
                sent_at,
                total_contacts,
                extra: Vec::new(),
            })
        })
        .collect()
}

fn reader<'a>(resp: &ApiResponse, op: Operation, prefix: &'static str, at: &'a Json) -> Reader<'a> {
    Reader::new(Vendor::Engage, op, prefix, at).with_request(resp.request_line.clone())
}

/// The shared policy, with the HTTP status of the answer in the error.
fn finish(resp: &ApiResponse, r: Reader<'_>, rule: Rule) -> Result<(), ProviderError> {
    r.finish(rule)
        .map_err(|e| e.with_status(resp.status.as_u16()))
}

/// The key of `field` in its object (the declared path after `prefix`).
fn key(op: Operation, field: &str, prefix: &str) -> &'static str {
    let path = mapping::path(MAPPING, op, field);
    path.strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{op:?} {field}: {path} does not start with {prefix}"))
}

/// A key field that is there but null is as unreadable as one that is missing.
fn refuse_null(r: &mut Reader<'_>, item: &Json, op: Operation, field: &'static str) {
    if item.get(key(op, field, IN_LIST)).is_some_and(Json::is_null) {
        r.malformed(field, "null");
    }
}

/// A time stamp in Engage's format; null or empty is no time.
fn time(r: &mut Reader<'_>, field: &'static str) -> Option<DateTime<Utc>> {
    let text = r.text(field)?;
    if text.trim().is_empty() {
        return None;
    }
    match parse_time(&text) {
        Ok(t) => Some(t),
        Err(why) => {
            r.malformed(field, why);
            None
        }
    }
}

/// The name of the envelope the declared paths start with (`data`).
fn envelope_name(prefix: &str) -> &str {
    prefix.trim_end_matches('.').trim_end_matches("[]")
}

/// The answer's `data` object, which a summary's paths start at.
fn envelope<'a>(
    resp: &ApiResponse,
    body: &'a Json,
    op: Operation,
    prefix: &str,
) -> Result<&'a Json, ProviderError> {
    let name = envelope_name(prefix);
    match body.get(name) {
        Some(data) if data.is_object() => Ok(data),
        other => Err(not_enveloped(resp, body, op, name, "an object", other)),
    }
}

/// The answer's `data` list, whose elements the paths of a list or of buckets start at.
fn list<'a>(
    resp: &ApiResponse,
    body: &'a Json,
    op: Operation,
) -> Result<&'a Vec<Json>, ProviderError> {
    let name = envelope_name(IN_LIST);
    match body.get(name) {
        Some(Json::Array(items)) => Ok(items),
        other => Err(not_enveloped(resp, body, op, name, "a list", other)),
    }
}

fn not_enveloped(
    resp: &ApiResponse,
    body: &Json,
    op: Operation,
    name: &str,
    what: &str,
    found: Option<&Json>,
) -> ProviderError {
    let holds = match body {
        Json::Object(map) => map.keys().cloned().collect::<Vec<_>>().join(", "),
        _ => String::new(),
    };
    let why = match found {
        None => format!("it has no {name}"),
        Some(v) => format!("its {name} is {}, not {what}", kind_of(v)),
    };
    let holds = if holds.is_empty() {
        String::new()
    } else {
        format!(" (the answer holds: {holds})")
    };
    resp.bad_shape(
        VENDOR,
        format!(
            "cannot read {VENDOR}'s answer to '{}': {why}{holds}",
            op.command()
        ),
    )
}

fn kind_of(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a text",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;
    use serde_json::json;

    use super::*;
    use crate::api_error::ErrorKind;

    fn response(body: &Json) -> ApiResponse {
        ApiResponse {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(body.to_string()),
            request_line: "GET /campaign/Spring/summary".into(),
        }
    }

    fn summary_of(data: Json) -> Result<CampaignSummary, ProviderError> {
        summary(&response(&json!({ "data": data })), "Spring")
    }

    fn unreadable(e: ProviderError) -> String {
        assert_eq!(e.kind, ErrorKind::BadResponse, "{e}");
        e.to_string()
    }

    #[test]
    fn a_summary_in_another_schema_is_unreadable_naming_the_paths_and_what_it_holds() {
        let e =
            summary_of(json!({"name": "Spring", "sent_count": 10, "read_count": 4})).unwrap_err();
        assert_eq!(
            unreadable(e),
            "Engage GET /campaign/Spring/summary answered 200 OK: cannot read Engage's answer to 'campaigns summary': it has none of the counts data.total, data.sent, data.delivered, data.read, data.engaged, data.errors (the answer holds: name, read_count, sent_count)."
        );
    }

    #[test]
    fn a_summary_answer_without_its_data_object_is_unreadable() {
        let e = summary(&response(&json!({"summary": {}})), "Spring").unwrap_err();
        assert!(
            unreadable(e).contains(
                "cannot read Engage's answer to 'campaigns summary': it has no data (the answer holds: summary)"
            )
        );
        let e = summary(&response(&json!({"data": [1]})), "Spring").unwrap_err();
        assert!(unreadable(e).contains("its data is a list, not an object"));
    }

    #[test]
    fn a_negative_or_fractional_count_is_unreadable() {
        let e = summary_of(json!({"sent": -1, "delivered": 2.5})).unwrap_err();
        let text = unreadable(e);
        assert!(text.contains("data.sent is -1, not a count"), "{text}");
        assert!(
            text.contains("data.delivered is 2.5, not a count"),
            "{text}"
        );
    }

    #[test]
    fn rates_are_read_in_the_scale_their_counts_confirm() {
        let counts =
            json!({"total": 3, "sent": 3, "delivered": 3, "read": 2, "engaged": 1, "errors": 0});
        let with = |rates: [f64; 3]| {
            let mut data = counts.clone();
            data["read_rate"] = json!(rates[0]);
            data["engagement_rate"] = json!(rates[1]);
            data["error_rate"] = json!(rates[2]);
            let s = summary_of(data).unwrap();
            (s.read_rate, s.engagement_rate, s.error_rate)
        };
        let fractions = (Some(0.6667), Some(0.3333), Some(0.0));
        assert_eq!(with([66.67, 33.33, 0.0]), fractions);
        assert_eq!(with([0.6667, 0.3333, 0.0]), fractions);
    }

    #[test]
    fn a_rate_over_a_zero_denominator_is_null_not_engages_zero() {
        let s = summary_of(
            json!({"total": 0, "sent": 0, "delivered": 0, "read": 0, "engaged": 0,
            "errors": 0, "read_rate": 0, "engagement_rate": 0, "error_rate": 0}),
        )
        .unwrap();
        assert_eq!(
            (s.read_rate, s.engagement_rate, s.error_rate),
            (None, None, None)
        );
        // Two sent, both failed: nothing delivered, but the error rate stands.
        let s = summary_of(
            json!({"total": 2, "sent": 0, "delivered": 0, "read": 0, "engaged": 0,
            "errors": 2, "read_rate": 0, "engagement_rate": 0, "error_rate": 100}),
        )
        .unwrap();
        assert_eq!(
            (s.read_rate, s.engagement_rate, s.error_rate),
            (None, None, Some(1.0))
        );
    }

    #[test]
    fn a_summary_lacking_one_count_prints_null_there() {
        let s = summary_of(
            json!({"total": 4, "sent": 4, "delivered": 4, "read": 2, "errors": 0,
            "read_rate": 50, "engagement_rate": 25, "error_rate": 0}),
        )
        .unwrap();
        assert_eq!(s.engaged, None);
        // The rate is Engage's figure, read in its documented scale without the count.
        assert_eq!(s.engagement_rate, Some(0.25));
        assert_eq!(s.read, Some(2));
    }

    fn buckets_of(data: Json) -> Result<Vec<StatsBucket>, ProviderError> {
        buckets(&response(&json!({ "data": data })), Frequency::Daily)
    }

    #[test]
    fn a_bucket_without_a_readable_period_is_unreadable() {
        let e = buckets_of(json!([{"period": "2026-04-01", "sent": 1}, {"sent": 2}])).unwrap_err();
        assert!(
            unreadable(e).contains("it lacks data[].period (the answer holds: sent)"),
            "missing"
        );
        let e = buckets_of(json!([{"period": null, "sent": 2}])).unwrap_err();
        assert!(unreadable(e).contains("data[].period: null"));
        let e = buckets_of(json!([{"period": "01/04/2026", "sent": 2}])).unwrap_err();
        assert!(unreadable(e).contains("data[].period: '01/04/2026' is not a day (YYYY-MM-DD)"));
        let e = buckets_of(json!([{"period": "2026-04-01", "sent_count": 2}])).unwrap_err();
        assert!(unreadable(e).contains(
            "it has none of the counts data[].sent, data[].delivered, data[].read, data[].engaged, data[].errors"
        ));
        let e = buckets(&response(&json!({"data": {}})), Frequency::Daily).unwrap_err();
        assert!(unreadable(e).contains("its data is an object, not a list"));
    }

    #[test]
    fn buckets_are_engages_utc_days() {
        let b = buckets(
            &response(&json!({"data": [{"period": "2026-03-30", "sent": 5}]})),
            Frequency::Weekly,
        )
        .unwrap();
        assert_eq!(b[0].period_start.to_rfc3339(), "2026-03-30T00:00:00+00:00");
        assert_eq!(b[0].period_end.to_rfc3339(), "2026-04-06T00:00:00+00:00");
        assert_eq!((b[0].sent, b[0].delivered), (Some(5), None));
    }

    fn campaigns_of(data: Json) -> Result<Vec<Campaign>, ProviderError> {
        campaigns(&response(&json!({ "data": data })))
    }

    #[test]
    fn a_campaign_needs_its_name() {
        let e = campaigns_of(json!([{"id": "c1", "type": "one-time"}])).unwrap_err();
        assert!(unreadable(e).contains(
            "cannot read Engage's answer to 'campaigns list': it lacks data[].name (the answer holds: id, type)"
        ));
        let e = campaigns_of(json!([{"id": "c1", "name": null}])).unwrap_err();
        assert!(unreadable(e).contains("data[].name: null"));
        let only_name = campaigns_of(json!([{"name": "Spring"}])).unwrap();
        assert_eq!(only_name[0].name, "Spring");
        assert_eq!(only_name[0].id, None);
    }

    #[test]
    fn a_campaign_time_in_another_format_is_unreadable_and_null_is_never_sent() {
        let e = campaigns_of(json!([{"name": "Spring", "created_at": "01/04/2026"}])).unwrap_err();
        assert!(unreadable(e).contains(
            "data[].created_at: unreadable time '01/04/2026' (expected YYYY-MM-DD HH:MM:SS)"
        ));
        let c = campaigns_of(
            json!([{"name": "Draft", "created_at": "2026-04-01 09:00:00",
            "sent_at": null, "id": 42}]),
        )
        .unwrap();
        assert_eq!(c[0].sent_at, None);
        assert_eq!(c[0].id.as_deref(), Some("42"));
        assert_eq!(
            c[0].created_at.unwrap().to_rfc3339(),
            "2026-04-01T09:00:00+00:00"
        );
    }
}
