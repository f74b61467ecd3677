//! Where Engage's unified fields come from (vendors.md Part 1 "Engage": `/campaign/{name}/summary`
//! answers `{"data": {…}}` with the counts and percentage rates). Read by the tool and held to the
//! conversion in `wire.rs` by the tests below.

use crate::provider::Operation::CampaignsSummary;
use crate::provider::mapping::{FieldSource, Source};

const fn summary(field: &'static str, source: Source, note: &'static str) -> FieldSource {
    FieldSource {
        op: CampaignsSummary,
        field,
        source,
        note,
    }
}

/// Engage's `campaigns summary` fields. The other commands' declarations come with issue 12
/// ("What the numbers mean").
pub(super) const MAPPING: &[FieldSource] = &[
    summary("id", Source::Absent, "the summary carries no campaign id"),
    summary(
        "name",
        Source::Field("data.name"),
        "the name asked for when the answer has none",
    ),
    summary("type", Source::Field("data.type"), ""),
    summary("total", Source::Field("data.total"), ""),
    summary("sent", Source::Field("data.sent"), ""),
    summary("delivered", Source::Field("data.delivered"), ""),
    summary("read", Source::Field("data.read"), ""),
    summary("engaged", Source::Field("data.engaged"), ""),
    summary("errors", Source::Field("data.errors"), ""),
    summary(
        "read_rate",
        Source::Field("data.read_rate"),
        "Engage sends a percentage; printed as a fraction (÷ 100)",
    ),
    summary(
        "engagement_rate",
        Source::Field("data.engagement_rate"),
        "Engage sends a percentage; printed as a fraction (÷ 100)",
    ),
    summary(
        "error_rate",
        Source::Field("data.error_rate"),
        "Engage sends a percentage; printed as a fraction (÷ 100)",
    ),
];

#[cfg(test)]
mod tests {
    use serde_json::{Value as Json, json};

    use super::super::wire::{Envelope, WireSummary};
    use super::*;
    use crate::output::Value;
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
