//! Where Insider's unified fields come from (vendors.md Part 2 §3.3): every field of every read
//! command, as the conversion reads it. Paths of `campaigns summary` are those of the campaign
//! endpoint's flat object (a `data.statistics` wrapper is tolerated); `campaigns list` reads the
//! items of campaign-list's `data`; the stats reports read the columns of their daily `chart`
//! (`chart.sent[]`: one value per day of `chart.dates[]`).
//!
//! `stats --by-campaign` and `stats --total` print summary-shaped rows from overall's `details[]`
//! and `summary`: their counts are read at the paths declared here for `campaigns summary`,
//! inside those objects ([`super::view`]), and their rows below say so (a test holds the two
//! together). The transactional and verify reports' `--total` read their flat answers the same
//! way; they have no rows of their own here.

use crate::provider::Operation::{
    self, CampaignsList, CampaignsSummary, Stats, StatsByCampaign, StatsTotal, TransactionalStats,
    VerifyStats,
};
use crate::provider::mapping::FieldSource;

const fn native(op: Operation, field: &'static str, path: &'static str) -> FieldSource {
    FieldSource::native(op, field, path)
}

const fn derived(op: Operation, field: &'static str, how: &'static str) -> FieldSource {
    FieldSource::derived(op, field, how)
}

const SENT_INCLUDES_UNDELIVERED: &str = "Insider counts undelivered messages in sent, so sent + errors can exceed total (unlike Engage and Wolkvox, where sent + errors = total)";
const TARGETED: &str = "Insider's targeted: every contact the campaign aimed at, dropped ones included; over a range longer than Insider's 1 year, this and every other count is the sum over ≤ 1-year windows (counts of disjoint windows add up; the rates are not added but computed from the sums)";
const READ_IS_OPEN: &str = "Insider calls a read an open";
const ENGAGED_IS_CLICK: &str = "Insider's click (clicks on the message), not responseSummary.buttonClick (reply-button clicks of conversational campaigns, in response_summary)";
const ERRORS: &str = "drop: not sent (dropped before sending); undelivered: sent but not delivered, so also counted in sent: sent + errors can exceed total (unlike Engage and Wolkvox); null unless Insider gives both";
const RATE: &str = "computed by the tool (Insider returns no rates), from the summed counts when the range is asked in several windows; null when the denominator is 0";
const CONVERSATIONAL: &str =
    "conversational campaigns only; null for the others; keys in snake_case";
const DAYS: &str = "Insider's chart days, taken as UTC days: the docs name no zone, and the sample's datesAsTimestamp are UTC midnights (1740787200 = 2025-03-01T00:00:00Z); chart.datesAsTimestamp[] when dates is absent; a weekly bucket adds up the Monday-to-Sunday days";
const PERIOD_START: &str = "the vendor cuts the days, in UTC (assumed, see period): --tz and the profile's timezone do not move them, and -v says so when they differ";
const PERIOD_END: &str = "half-open: the next period's start";
const NO_DAILY_ERRORS: &str = "Insider's charts have no drop or undelivered series (overall's documented chart has sent, delivered, open, click, conversion), so no day has errors; stats --total has them for the range (summary.drop + summary.undelivered)";
const NO_DAILY_ERRORS_TRANSACTIONAL: &str = "the transactional chart's documented series (sent, delivered, open, click, conversion, verified, responses, clickFromResponses, conversionFromResponses) include no drop or undelivered, so no day has errors; stats --report transactional --total has them (drop + undelivered)";
const NO_DAILY_ERRORS_VERIFY: &str = "the verify chart has no drop or undelivered series in the docs (cut off after open), so no day has errors; stats --report verify --total has them (drop + undelivered)";
const DETAILS_ASSUMED: &str = "assumed: overall's documented sample is cut off before details[]";
const VERIFY_CUT: &str = "assumed: the docs' verify chart is cut off after open, this series is read where Insider gives it";

/// The bucket fields of a stats report's chart, up to `engaged`.
const fn chart_counts(op: Operation) -> [FieldSource; 5] {
    [
        native(op, "period", "chart.dates[]").note(DAYS),
        native(op, "sent", "chart.sent[]").note(SENT_INCLUDES_UNDELIVERED),
        native(op, "delivered", "chart.delivered[]"),
        native(op, "read", "chart.open[]").note(READ_IS_OPEN),
        native(op, "engaged", "chart.click[]").note("Insider's click"),
    ]
}

/// The bounds of a bucket (after `errors`).
const fn bounds(op: Operation) -> [FieldSource; 2] {
    [
        derived(op, "period_start", "chart.dates[] at 00:00 UTC").note(PERIOD_START),
        derived(
            op,
            "period_end",
            "period_start + 1 day (7 with --frequency weekly)",
        )
        .note(PERIOD_END),
    ]
}

const STATS: [FieldSource; 5] = chart_counts(Stats);
const STATS_BOUNDS: [FieldSource; 2] = bounds(Stats);
const TRANSACTIONAL: [FieldSource; 5] = chart_counts(TransactionalStats);
const TRANSACTIONAL_BOUNDS: [FieldSource; 2] = bounds(TransactionalStats);
const VERIFY_BOUNDS: [FieldSource; 2] = bounds(VerifyStats);

/// Insider's mapping: `campaigns list`, `campaigns summary`, then the three stats reports, each
/// command's fields in the order it prints them.
pub(super) const MAPPING: &[FieldSource] = &[
    // campaigns list: campaign-list's items (Part 2 §3.3.5).
    native(CampaignsList, "id", "data[].id").note("the number campaigns summary takes"),
    native(CampaignsList, "name", "data[].campName"),
    native(CampaignsList, "type", "data[].campaignTypeId").note(
        "Insider's type ids 1, 2, 3, 5, 6 as standard, ab-test, split, transactional, other (another id as its number)",
    ),
    native(CampaignsList, "status", "data[].status").note("lower-cased"),
    native(CampaignsList, "created_at", "data[].createDate").note("Unix seconds"),
    derived(
        CampaignsList,
        "sent_at",
        "data[].activeDateStart, null when data[].status is scheduled or draft",
    )
    .note("Insider has no send time: when the campaign starts sending stands for it"),
    FieldSource::absent(CampaignsList, "total_contacts").note(
        "campaign-list has no audience size; campaigns summary's total (targeted) has it",
    ),
    native(CampaignsList, "sent", "data[].sent")
        .note("over the campaign's whole life, whatever the range"),
    native(CampaignsList, "account", "data[].phoneNumber"),
    native(CampaignsList, "account_name", "data[].phoneNumberName"),
    native(CampaignsList, "active_from", "data[].activeDateStart").note("Unix seconds"),
    native(CampaignsList, "active_until", "data[].activeDateEnd")
        .note("Unix seconds; null when neverEnds is 1"),
    native(CampaignsList, "never_ends", "data[].neverEnds").note("0 or 1"),
    native(CampaignsList, "is_active", "data[].isActive").note("0 or 1"),
    native(CampaignsList, "is_test", "data[].isTest").note("0 or 1"),
    native(CampaignsList, "is_pinned", "data[].isPinned"),
    native(CampaignsList, "sub_product", "data[].subProductAlias"),
    native(CampaignsList, "status_text", "data[].statusTranslation"),
    native(CampaignsList, "approval_status", "data[].approvalStatus"),
    native(CampaignsList, "failed_reason", "data[].failedReason"),
    native(
        CampaignsList,
        "personalization_status",
        "data[].personalizationStatus",
    ),
    native(CampaignsList, "query_hash", "data[].queryHash"),
    native(CampaignsList, "variations", "data[].variations").note("keys in snake_case"),
    // campaigns summary: the campaign endpoint's flat object (Part 2 §3.3.1).
    derived(CampaignsSummary, "id", "campaign_id of the request").note(
        "the campaign's statistics carry no id: it is the id asked for (without CAMPAIGN, one request per id campaign-list gives, at most 100 a second)",
    ),
    derived(
        CampaignsSummary,
        "name",
        "data[].campName of campaign-list, without CAMPAIGN",
    )
    .note(
        "the campaign's statistics carry no name: null for one CAMPAIGN (campaign-list takes no campaign id, so finding it would mean reading the whole list); without CAMPAIGN the list is read anyway, and each row has its name",
    ),
    derived(
        CampaignsSummary,
        "type",
        "data[].campaignTypeId of campaign-list, without CAMPAIGN",
    )
    .note(
        "the campaign's statistics carry no type: null for one CAMPAIGN; without CAMPAIGN, each row has the type campaigns list gives",
    ),
    native(CampaignsSummary, "total", "targeted").note(TARGETED),
    native(CampaignsSummary, "sent", "sent").note(SENT_INCLUDES_UNDELIVERED),
    native(CampaignsSummary, "delivered", "delivered"),
    native(CampaignsSummary, "read", "open").note(
        "Insider calls a read an open (the data.statistics sample of the OAuth page calls it read, and is read so)",
    ),
    native(CampaignsSummary, "engaged", "click").note(ENGAGED_IS_CLICK),
    derived(CampaignsSummary, "errors", "drop + undelivered").note(ERRORS),
    derived(CampaignsSummary, "read_rate", "open / delivered").note(RATE),
    derived(CampaignsSummary, "engagement_rate", "click / delivered").note(RATE),
    derived(
        CampaignsSummary,
        "error_rate",
        "(drop + undelivered) / targeted",
    )
    .note(RATE),
    native(CampaignsSummary, "drop", "drop").note(
        "dropped before sending (frequency cap, duplicates, invalid numbers, …: drop_details); not in sent",
    ),
    native(CampaignsSummary, "undelivered", "undelivered")
        .note("sent but not delivered; also counted in sent"),
    native(CampaignsSummary, "delivery_pending", "deliveryPending"),
    native(CampaignsSummary, "conversion", "conversion"),
    native(CampaignsSummary, "revenue", "revenue")
        .note("as Insider gives it; the docs name no currency"),
    native(CampaignsSummary, "unsubscribe", "unsubscribe"),
    native(CampaignsSummary, "drop_details", "dropDetails").note("keys in snake_case"),
    native(CampaignsSummary, "undelivered_details", "undeliveredDetails")
        .note("keys in snake_case"),
    native(CampaignsSummary, "responses", "responses").note(CONVERSATIONAL),
    native(CampaignsSummary, "response_summary", "responseSummary").note(CONVERSATIONAL),
    // stats: overall's daily chart (Part 2 §3.3.2).
    STATS[0],
    STATS[1],
    STATS[2],
    STATS[3],
    STATS[4],
    FieldSource::absent(Stats, "errors").note(NO_DAILY_ERRORS),
    STATS_BOUNDS[0],
    STATS_BOUNDS[1],
    native(Stats, "conversion", "chart.conversion[]"),
    // stats --by-campaign: overall's details[] (Part 2 §3.3.2; the rows' fields are cut off in
    // the docs: these are assumed, and what the sandbox serves).
    native(StatsByCampaign, "id", "details[].campaignId").note(DETAILS_ASSUMED),
    native(StatsByCampaign, "name", "details[].campName").note(DETAILS_ASSUMED),
    native(StatsByCampaign, "type", "details[].campaignTypeId")
        .note("Insider's type ids as campaigns list names them"),
    native(StatsByCampaign, "total", "details[].targeted").note(TARGETED),
    native(StatsByCampaign, "sent", "details[].sent").note(SENT_INCLUDES_UNDELIVERED),
    native(StatsByCampaign, "delivered", "details[].delivered"),
    native(StatsByCampaign, "read", "details[].open").note(READ_IS_OPEN),
    native(StatsByCampaign, "engaged", "details[].click").note("Insider's click"),
    derived(
        StatsByCampaign,
        "errors",
        "details[].drop + details[].undelivered",
    )
    .note(ERRORS),
    derived(StatsByCampaign, "read_rate", "open / delivered").note(RATE),
    derived(StatsByCampaign, "engagement_rate", "click / delivered").note(RATE),
    derived(
        StatsByCampaign,
        "error_rate",
        "(drop + undelivered) / targeted",
    )
    .note(RATE),
    native(StatsByCampaign, "status", "details[].status").note("as Insider gives it"),
    native(StatsByCampaign, "account", "details[].phoneNumber"),
    native(StatsByCampaign, "drop", "details[].drop"),
    native(StatsByCampaign, "undelivered", "details[].undelivered"),
    native(StatsByCampaign, "delivery_pending", "details[].deliveryPending"),
    native(StatsByCampaign, "conversion", "details[].conversion"),
    native(StatsByCampaign, "revenue", "details[].revenue"),
    native(StatsByCampaign, "unsubscribe", "details[].unsubscribe"),
    native(StatsByCampaign, "drop_details", "details[].dropDetails").note("keys in snake_case"),
    native(
        StatsByCampaign,
        "undelivered_details",
        "details[].undeliveredDetails",
    )
    .note("keys in snake_case"),
    // stats --total: overall's summary (Part 2 §3.3.2).
    FieldSource::absent(StatsTotal, "id").note("the totals of every campaign of the range"),
    FieldSource::absent(StatsTotal, "name").note("the totals of every campaign of the range"),
    FieldSource::absent(StatsTotal, "type")
        .note("every campaign type, or the one --type names"),
    native(StatsTotal, "total", "summary.targeted").note(TARGETED),
    native(StatsTotal, "sent", "summary.sent").note(SENT_INCLUDES_UNDELIVERED),
    native(StatsTotal, "delivered", "summary.delivered"),
    native(StatsTotal, "read", "summary.open").note(READ_IS_OPEN),
    native(StatsTotal, "engaged", "summary.click").note("Insider's click"),
    derived(StatsTotal, "errors", "summary.drop + summary.undelivered").note(ERRORS),
    derived(StatsTotal, "read_rate", "open / delivered").note(RATE),
    derived(StatsTotal, "engagement_rate", "click / delivered").note(RATE),
    derived(StatsTotal, "error_rate", "(drop + undelivered) / targeted").note(RATE),
    native(StatsTotal, "drop", "summary.drop"),
    native(StatsTotal, "undelivered", "summary.undelivered"),
    native(StatsTotal, "delivery_pending", "summary.deliveryPending"),
    native(StatsTotal, "conversion", "summary.conversion"),
    native(StatsTotal, "revenue", "summary.revenue"),
    native(StatsTotal, "unsubscribe", "summary.unsubscribe"),
    native(StatsTotal, "drop_details", "summary.dropDetails").note("keys in snake_case"),
    native(StatsTotal, "undelivered_details", "summary.undeliveredDetails")
        .note("keys in snake_case"),
    // stats --report transactional: the transactional chart (Part 2 §3.3.3).
    TRANSACTIONAL[0],
    TRANSACTIONAL[1],
    TRANSACTIONAL[2],
    TRANSACTIONAL[3],
    TRANSACTIONAL[4],
    FieldSource::absent(TransactionalStats, "errors").note(NO_DAILY_ERRORS_TRANSACTIONAL),
    TRANSACTIONAL_BOUNDS[0],
    TRANSACTIONAL_BOUNDS[1],
    native(TransactionalStats, "conversion", "chart.conversion[]"),
    native(TransactionalStats, "verified", "chart.verified[]"),
    native(TransactionalStats, "responses", "chart.responses[]"),
    native(
        TransactionalStats,
        "click_from_responses",
        "chart.clickFromResponses[]",
    ),
    native(
        TransactionalStats,
        "conversion_from_responses",
        "chart.conversionFromResponses[]",
    ),
    // stats --report verify: the verify chart (Part 2 §3.3.4).
    native(VerifyStats, "period", "chart.dates[]").note(DAYS),
    native(VerifyStats, "sent", "chart.sent[]").note(SENT_INCLUDES_UNDELIVERED),
    native(VerifyStats, "delivered", "chart.delivered[]"),
    native(VerifyStats, "read", "chart.open[]")
        .note("Insider calls a read an open; OTP messages are not opened: Insider answers 0"),
    native(VerifyStats, "engaged", "chart.click[]").note(VERIFY_CUT),
    FieldSource::absent(VerifyStats, "errors").note(NO_DAILY_ERRORS_VERIFY),
    VERIFY_BOUNDS[0],
    VERIFY_BOUNDS[1],
    native(VerifyStats, "verified", "chart.verified[]"),
    native(VerifyStats, "unverified", "chart.unverified[]").note(VERIFY_CUT),
];

#[cfg(test)]
pub(super) mod tests {
    use serde_json::{Map, Value as Json, json};

    use super::super::records::{self, Declared, Identity};
    use super::super::wire::snake_keys;
    use super::*;
    use crate::output::{FieldKind, Value};
    use crate::provider::mapping::{Source, fields_of, sources_of};
    use crate::provider::{Record, Vendor};

    /// What the answer holds at row `i`'s path, and what the field must then print; `marked`
    /// is the row under test (the only true flag, so a flag read elsewhere shows).
    pub(in crate::provider::insider) fn sample(
        field: &str,
        kind: FieldKind,
        i: usize,
        marked: bool,
    ) -> (Json, Value) {
        let n = 10 + i as i64;
        match (field, kind) {
            ("type", _) => (json!(2), Value::Text("ab-test".into())),
            ("status", FieldKind::Text) => (
                json!(format!("Status-{i}")),
                Value::Text(format!("status-{i}")),
            ),
            (_, FieldKind::Count) => (json!(n), Value::Int(n)),
            (_, FieldKind::Time) => {
                let s = 1_740_787_200 + n * 60;
                let t = chrono::DateTime::from_timestamp(s, 0).unwrap();
                (json!(s), Value::Time(t))
            }
            (_, FieldKind::Bool) => (json!(marked), Value::Bool(marked)),
            (_, FieldKind::Json) => (json!({"someKey": n}), Value::Json(json!({"some_key": n}))),
            _ => (
                json!(format!("value-{i}")),
                Value::Text(format!("value-{i}")),
            ),
        }
    }

    /// For each declared vendor field of `op` (its path relative to `prefix`): an answer with a
    /// distinct value at every declared path, the row under test marked, converted by `convert`;
    /// the field must print the value at its own path.
    fn each_row_reads_its_path(op: Operation, prefix: &str, convert: impl Fn(&Json) -> Vec<Value>) {
        let fields = fields_of(Vendor::Insider, op);
        let kind = |f: &str| fields.iter().find(|d| d.name == f).unwrap().kind;
        let declared: Vec<_> = sources_of(MAPPING, op)
            .into_iter()
            .filter_map(|s| match s.source {
                Source::Field(path) => Some((s.field, path.strip_prefix(prefix).unwrap())),
                _ => None,
            })
            .collect();
        assert!(!declared.is_empty());
        for (row, (field, path)) in declared.iter().enumerate() {
            let mut answer = Map::new();
            for (i, (f, p)) in declared.iter().enumerate() {
                answer.insert(p.to_string(), sample(f, kind(f), i, i == row).0);
            }
            let printed = convert(&Json::Object(answer));
            let at = fields.iter().position(|d| d.name == *field).unwrap();
            let expected = sample(field, kind(field), row, true).1;
            assert_eq!(printed[at], expected, "{op:?} {field} from {path}");
        }
    }

    #[test]
    fn each_campaigns_list_field_is_read_from_its_declared_path() {
        each_row_reads_its_path(CampaignsList, "data[].", |item| {
            records::campaign(item, "POST /campaign-list")
                .unwrap()
                .into_row()
        });
    }

    #[test]
    fn the_stats_views_declare_the_paths_their_reader_reads() {
        for (op, at) in [(StatsByCampaign, "details[]."), (StatsTotal, "summary.")] {
            let mut checked = 0;
            for s in sources_of(MAPPING, op) {
                if let Source::Field(path) = s.source {
                    let read = format!("{at}{}", super::super::view::path_of(s.field));
                    assert_eq!(path, read, "{op:?} {}", s.field);
                    checked += 1;
                }
            }
            assert!(checked >= 10, "{op:?}: {checked}");
        }
    }

    #[test]
    fn each_campaigns_summary_field_is_read_from_its_declared_path() {
        each_row_reads_its_path(CampaignsSummary, "", |answer| {
            records::campaign_summary(answer, "7".into(), "POST /campaign")
                .unwrap()
                .into_row()
        });
    }

    /// The summary made from `answer`, by field.
    fn summary_of(answer: Json) -> Vec<(String, Value)> {
        let mut r = Declared::new(CampaignsSummary, "", &answer, "POST /campaign");
        let s = records::summary(&mut r, Identity::Asked("7".into()), records::SUMMARY);
        fields_of(Vendor::Insider, CampaignsSummary)
            .into_iter()
            .map(|f| f.name.into_owned())
            .zip(s.into_row())
            .collect()
    }

    fn field<'a>(row: &'a [(String, Value)], name: &str) -> &'a Value {
        &row.iter().find(|(n, _)| n == name).unwrap().1
    }

    #[test]
    fn the_derived_summary_fields_follow_their_formulas() {
        let row = summary_of(json!({"targeted": 1225, "sent": 1200, "delivered": 1150,
            "open": 400, "click": 120, "drop": 25, "undelivered": 50}));
        assert_eq!(
            field(&row, "id"),
            &Value::Text("7".into()),
            "campaign_id of the request"
        );
        assert_eq!(field(&row, "errors"), &Value::Int(75), "drop + undelivered");
        assert_eq!(
            field(&row, "read_rate"),
            &Value::Float(0.3478),
            "open / delivered"
        );
        assert_eq!(field(&row, "engagement_rate"), &Value::Float(0.1043));
        assert_eq!(
            field(&row, "error_rate"),
            &Value::Float(0.0612),
            "(drop + undelivered) / targeted"
        );
        // sent + errors exceeds total: undelivered messages are in sent.
        let row = summary_of(json!({"drop": 3, "sent": 10}));
        assert_eq!(
            field(&row, "errors"),
            &Value::Null,
            "half of the failures is not errors"
        );
    }

    #[test]
    fn rates_over_a_zero_denominator_are_null() {
        let row = summary_of(json!({"targeted": 0, "sent": 0, "delivered": 0, "open": 0,
            "click": 0, "drop": 0, "undelivered": 0}));
        for rate in ["read_rate", "engagement_rate", "error_rate"] {
            assert_eq!(field(&row, rate), &Value::Null, "{rate}");
        }
        assert_eq!(field(&row, "errors"), &Value::Int(0));
    }

    #[test]
    fn engaged_is_click_not_the_reply_buttons_and_read_is_open() {
        let row = summary_of(json!({"delivered": 10, "open": 4, "read": 9, "click": 2,
            "responseSummary": {"buttonClick": 7, "click": 2}}));
        assert_eq!(field(&row, "engaged"), &Value::Int(2));
        assert_eq!(field(&row, "read"), &Value::Int(4));
        assert_eq!(
            field(&row, "response_summary"),
            &Value::Json(snake_keys(json!({"buttonClick": 7, "click": 2})))
        );
    }

    #[test]
    fn one_campaigns_summary_has_no_name_or_type_whatever_the_answer_holds() {
        let row = summary_of(json!({"sent": 1, "campName": "Promo", "name": "Promo",
            "campaignTypeId": 2, "type": 2}));
        for f in ["name", "type"] {
            assert_eq!(field(&row, f), &Value::Null, "{f}");
        }
        let item = json!({"id": 1, "total_contacts": 5, "targeted": 5});
        let c = records::campaign(&item, "POST /campaign-list").unwrap();
        assert_eq!(c.total_contacts, None);
    }
}
