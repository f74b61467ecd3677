//! Where Engage's unified fields come from (vendors.md Part 1 "Engage"). Nothing beyond the
//! seed is public, so every path below is our assumption about Engage's answers: `/campaigns`
//! and `/stats` answer `{"data": [...]}`, `/campaign/{name}/summary` `{"data": {...}}` and
//! `/campaign/{name}/details` `{"data": [...], "pagination": {...}}`. The conversion reads the
//! fields at these paths, and the tests below hold the two together.

use crate::provider::Operation::{CampaignsDetails, CampaignsList, CampaignsSummary, Stats};
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
    FieldSource::absent(CampaignsSummary, "id").note(
        "the summary carries no campaign id (Engage addresses campaigns by name); 'campaigns list' shows it",
    ),
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
];

#[cfg(test)]
mod tests {
    use serde_json::{Value as Json, json};

    use super::super::wire::{Envelope, WireSummary};
    use super::*;
    use crate::output::Value;
    use crate::provider::mapping::Source;
    use crate::provider::mapping::sources_of;
    use crate::provider::{CampaignSummary, Record};

    /// The unified summary made from an answer whose declared fields each hold a distinct value.
    fn converted(answer: Json) -> Vec<(String, Value)> {
        let body: Envelope<WireSummary> = serde_json::from_value(answer).unwrap();
        let names = CampaignSummary::common_fields().into_iter().map(|f| f.name);
        names
            .zip(body.data.into_unified("asked-for").into_row())
            .map(|(n, v)| (n.to_string(), v))
            .collect()
    }

    #[test]
    fn every_summary_field_is_declared_once() {
        let declared: Vec<_> = sources_of(MAPPING, CampaignsSummary)
            .iter()
            .map(|s| s.field)
            .collect();
        let fields: Vec<_> = CampaignSummary::common_fields()
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(declared, fields);
    }

    #[test]
    fn each_declared_summary_source_is_the_field_the_conversion_reads() {
        for (i, source) in sources_of(MAPPING, CampaignsSummary).iter().enumerate() {
            let Source::Field(path) = source.source else {
                continue;
            };
            let key = path.strip_prefix("data.").expect("a field of data");
            let is_text = matches!(key, "name" | "type");
            let given = if is_text {
                json!(format!("value-{i}"))
            } else {
                json!(10 + i)
            };
            let row = converted(json!({ "data": { key: given } }));
            let value = &row.iter().find(|(n, _)| n == source.field).unwrap().1;
            let expected = match (is_text, source.field.ends_with("_rate")) {
                (true, _) => Value::Text(format!("value-{i}")),
                (false, true) => Value::Float((10 + i) as f64 / 100.0),
                (false, false) => Value::Int(10 + i as i64),
            };
            assert_eq!(value, &expected, "{} from {path}", source.field);
        }
    }

    #[test]
    fn an_absent_source_is_null_whatever_the_answer_holds() {
        let row = converted(json!({ "data": { "id": "c-1", "campaign_id": "c-1" } }));
        for source in sources_of(MAPPING, CampaignsSummary) {
            if source.source == Source::Absent {
                let value = &row.iter().find(|(n, _)| n == source.field).unwrap().1;
                assert_eq!(value, &Value::Null, "{}", source.field);
            }
        }
    }
}
