//! The mapping, row by row, against what the conversion really reads (issue 12, "Tests"): a
//! native field's declared path is the vendor field whose value the unified field shows (and
//! whose absence makes it null, or the record unreadable when it is the key); a derived count
//! counts exactly the statuses its formula names; a derived rate is its formula over the
//! printed counts; an absent field is always null.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value as Json, json};

use super::clicks::{self, ClickRow};
use super::derive::{CampaignList, Periods, Tally};
use super::mapping::MAPPING;
use super::wire::{ROW, RecordStatus, WireRecord};
use crate::output::Value;
use crate::provider::mapping::{Source, fields_of, sources_of};
use crate::provider::{Frequency, Operation, Record, Vendor};
use crate::time::{DateRange, Zone};

fn bogota() -> Zone {
    Zone::parse("America/Bogota").unwrap()
}

/// The vendor field a native row names.
fn vendor_field(op: Operation, field: &str) -> &'static str {
    match sources_of(MAPPING, op).iter().find(|s| s.field == field) {
        Some(s) => match s.source {
            Source::Field(path) => path.strip_prefix(ROW).unwrap(),
            other => panic!("{op:?} {field} is {other:?}"),
        },
        None => panic!("{op:?} {field} is not mapped"),
    }
}

/// `(field, source)` of every row of `op`.
fn rows(op: Operation) -> Vec<(&'static str, Source)> {
    sources_of(MAPPING, op)
        .iter()
        .map(|s| (s.field, s.source))
        .collect()
}

/// The value of `field` in a printed row of `op`.
fn cell(op: Operation, row: &[Value], field: &str) -> Value {
    let at = fields_of(Vendor::Wolkvox, op)
        .iter()
        .position(|f| f.name == field)
        .unwrap_or_else(|| panic!("{op:?} prints no {field}"));
    row[at].clone()
}

/// A full campaign_9 record, every field with a value of its own.
fn record() -> Json {
    json!({
        "campaing_id": "3001", "telephone": "+573001234567", "status": "read",
        "errors": "131026 undeliverable", "date": "2026-04-01 19:00:00",
        "last_update": "2026-04-01 19:30:00"
    })
}

fn decode(j: &Json) -> WireRecord {
    serde_json::from_value(j.clone()).unwrap()
}

fn utc(s: &str) -> Value {
    Value::Time(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
}

#[test]
fn every_native_contact_field_is_read_at_its_declared_path() {
    const OP: Operation = Operation::CampaignsDetails;
    let full = super::contact(decode(&record()), &bogota())
        .unwrap()
        .into_row();
    let expected = [
        ("contact", Value::Text("+573001234567".into())),
        ("sent_at", utc("2026-04-02T00:00:00Z")),
        ("error", Value::Text("131026 undeliverable".into())),
        ("campaign_id", Value::Text("3001".into())),
        ("vendor_status", Value::Text("read".into())),
        ("last_update", utc("2026-04-02T00:30:00Z")),
    ];
    let native: Vec<_> = rows(OP)
        .into_iter()
        .filter(|(_, s)| matches!(s, Source::Field(_)))
        .map(|(f, _)| f)
        .collect();
    assert_eq!(native, expected.clone().map(|(f, _)| f), "the native rows");
    for (field, value) in expected {
        assert_eq!(cell(OP, &full, field), value, "{field}");
        // Without the declared vendor field, that field (and only that one) is null, or, for
        // the key, the record cannot be read.
        let mut without = record();
        without
            .as_object_mut()
            .unwrap()
            .remove(vendor_field(OP, field));
        let converted = super::contact(decode(&without), &bogota());
        if field == "contact" {
            let e = converted.unwrap_err();
            assert_eq!(e.exit_code(), 6);
            assert!(
                e.message.contains("lacks data[].telephone"),
                "{}",
                e.message
            );
            continue;
        }
        let row = converted.unwrap().into_row();
        assert_eq!(cell(OP, &row, field), Value::Null, "{field}");
        let changed = fields_of(Vendor::Wolkvox, OP)
            .iter()
            .zip(row.iter().zip(&full))
            .filter(|(_, (a, b))| a != b)
            .map(|(f, _)| f.name.to_string())
            .collect::<Vec<_>>();
        let also = if field == "vendor_status" {
            vec!["status".to_string(), "vendor_status".to_string()]
        } else {
            vec![field.to_string()]
        };
        assert_eq!(changed, also, "removing {field}'s vendor field");
    }
    // The web docs' spelling is read too.
    let mut web = record();
    let id = web.as_object_mut().unwrap().remove("campaing_id").unwrap();
    web["campaign_id"] = id;
    let row = super::contact(decode(&web), &bogota()).unwrap().into_row();
    assert_eq!(cell(OP, &row, "campaign_id"), Value::Text("3001".into()));
}

#[test]
fn the_contact_status_is_the_formula_and_absent_fields_are_null() {
    const OP: Operation = Operation::CampaignsDetails;
    let declared = rows(OP)
        .into_iter()
        .find(|(f, _)| *f == "status")
        .unwrap()
        .1;
    assert_eq!(
        declared,
        Source::Derived("status: accepted, submitted → sent; delivered; read; failed → error")
    );
    for (word, unified) in [
        ("accepted", Some("sent")),
        ("Submitted", Some("sent")),
        ("delivered", Some("delivered")),
        ("READ", Some("read")),
        ("failed", Some("error")),
        ("queued", None),
    ] {
        let mut j = record();
        j["status"] = json!(word);
        let row = super::contact(decode(&j), &bogota()).unwrap().into_row();
        assert_eq!(
            cell(OP, &row, "status"),
            unified.map_or(Value::Null, |u| Value::Text(u.into())),
            "{word}"
        );
        assert_eq!(cell(OP, &row, "vendor_status"), Value::Text(word.into()));
    }
    let row = super::contact(decode(&record()), &bogota())
        .unwrap()
        .into_row();
    for (field, source) in rows(OP) {
        if source == Source::Absent {
            assert_eq!(cell(OP, &row, field), Value::Null, "{field}");
        }
    }
}

/// The status words a derived count's formula names, and whether it counts the others
/// (`not in`), or every record (`count(data[])`).
fn counted_by(formula: &str) -> (Vec<String>, bool) {
    if formula == "count(data[])" {
        return (Vec::new(), true);
    }
    let inner = formula
        .strip_prefix("count(status ")
        .and_then(|f| f.strip_suffix(')'))
        .unwrap_or_else(|| panic!("not a count formula: {formula}"));
    let (negated, list) = match inner.strip_prefix("not in ") {
        Some(list) => (true, list),
        None => (false, inner.strip_prefix("in ").unwrap()),
    };
    (list.split(", ").map(str::to_string).collect(), negated)
}

/// Every word a campaign_9 record may carry, and one Wolkvox has not documented.
const WORDS: [&str; 6] = [
    "accepted",
    "submitted",
    "delivered",
    "read",
    "failed",
    "queued",
];

/// Whether one record of status `word` adds to a count of formula `formula`.
fn counts(formula: &str, word: &str) -> bool {
    let (words, other) = counted_by(formula);
    words.iter().any(|w| w == word) != other
}

#[test]
fn the_summary_counts_exactly_the_statuses_its_formulas_name() {
    const OP: Operation = Operation::CampaignsSummary;
    let empty = Tally::default().into_summary("3001").into_row();
    for word in WORDS {
        let mut t = Tally::default();
        t.add(RecordStatus::parse(Some(word)));
        let row = t.into_summary("3001").into_row();
        for (field, source) in rows(OP) {
            match source {
                Source::Derived(f) if f.starts_with("count(") => {
                    let want = Value::Int(i64::from(counts(f, word)));
                    assert_eq!(cell(OP, &row, field), want, "{field} of one {word} record");
                }
                Source::Absent => assert_eq!(cell(OP, &row, field), Value::Null, "{field}"),
                _ => {}
            }
        }
    }
    // The rates are their formulas over the printed counts, null over nothing.
    for (field, source) in rows(OP) {
        if let Source::Derived(f) = source
            && let Some((num, den)) = f.split_once(" / ")
        {
            assert_eq!(cell(OP, &empty, field), Value::Null, "{field} over nothing");
            let mut t = Tally::default();
            for w in ["read", "read", "delivered", "failed", "accepted", "queued"] {
                t.add(RecordStatus::parse(Some(w)));
            }
            let row = t.into_summary("3001").into_row();
            let (Value::Int(n), Value::Int(d)) = (cell(OP, &row, num), cell(OP, &row, den)) else {
                panic!("{field}: {num} / {den} are not counts");
            };
            let want = ((n as f64 / d as f64) * 1e4).round() / 1e4;
            assert_eq!(cell(OP, &row, field), Value::Float(want), "{field} = {f}");
        }
    }
    // id and name are the campaign_id asked for.
    assert_eq!(cell(OP, &empty, "id"), Value::Text("3001".into()));
    assert_eq!(cell(OP, &empty, "name"), Value::Text("3001".into()));
}

#[test]
fn stats_count_exactly_the_statuses_their_formulas_name_in_the_day_of_date() {
    const OP: Operation = Operation::Stats;
    let start = Utc.with_ymd_and_hms(2026, 4, 1, 5, 0, 0).unwrap();
    let range = DateRange::new(start, start + chrono::Duration::days(1)).unwrap();
    for word in WORDS {
        let mut p = Periods::new(&range, &bogota(), &bogota(), Frequency::Daily);
        let mut j = record();
        j["status"] = json!(word);
        j["date"] = json!("2026-04-01 23:59:59");
        p.add(&decode(&j)).unwrap();
        let buckets = p.into_buckets();
        assert_eq!(buckets.len(), 1);
        let row = buckets[0].clone().into_row();
        for (field, source) in rows(OP) {
            match source {
                Source::Derived(f) if f.starts_with("count(") => {
                    let want = Value::Int(i64::from(counts(f, word)));
                    assert_eq!(cell(OP, &row, field), want, "{field} of one {word} record");
                }
                Source::Absent => assert_eq!(cell(OP, &row, field), Value::Null, "{field}"),
                _ => {}
            }
        }
        assert_eq!(
            cell(OP, &row, "period"),
            Value::Date(chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap())
        );
        assert_eq!(cell(OP, &row, "period_start"), utc("2026-04-01T05:00:00Z"));
        assert_eq!(cell(OP, &row, "period_end"), utc("2026-04-02T05:00:00Z"));
    }
    // The period is read from date, and a record needs it and its status.
    for key in ["date", "status"] {
        let mut p = Periods::new(&range, &bogota(), &bogota(), Frequency::Daily);
        let mut j = record();
        j.as_object_mut().unwrap().remove(key);
        let e = p.add(&decode(&j)).unwrap_err();
        assert_eq!(e.exit_code(), 6);
        assert!(
            e.message.contains(&format!("lacks data[].{key}")),
            "{}",
            e.message
        );
    }
}

#[test]
fn the_campaign_list_reads_the_id_and_the_dates_it_declares() {
    const OP: Operation = Operation::CampaignsList;
    assert_eq!(vendor_field(OP, "id"), "campaing_id");
    let mut list = CampaignList::default();
    for date in [
        "2026-04-02 10:00:00",
        "2026-04-01 19:00:00",
        "2026-04-03 08:00:00",
    ] {
        let mut j = record();
        j["date"] = json!(date);
        list.add(&decode(&j), &bogota()).unwrap();
    }
    let row = list.into_campaigns().remove(0).into_row();
    assert_eq!(cell(OP, &row, "id"), Value::Text("3001".into()));
    assert_eq!(
        cell(OP, &row, "name"),
        cell(OP, &row, "id"),
        "name = campaing_id"
    );
    assert_eq!(
        cell(OP, &row, "sent_at"),
        utc("2026-04-02T00:00:00Z"),
        "min(date)"
    );
    assert_eq!(
        cell(OP, &row, "last_sent_at"),
        utc("2026-04-03T13:00:00Z"),
        "max(date)"
    );
    assert_eq!(
        cell(OP, &row, "total_contacts"),
        Value::Int(3),
        "count(data[])"
    );
    for (field, source) in rows(OP) {
        if source == Source::Absent {
            assert_eq!(cell(OP, &row, field), Value::Null, "{field}");
        }
    }
    let mut j = record();
    j.as_object_mut().unwrap().remove("campaing_id");
    let e = CampaignList::default()
        .add(&decode(&j), &bogota())
        .unwrap_err();
    assert_eq!(e.exit_code(), 6);
    assert!(
        e.message.contains("lacks data[].campaing_id"),
        "{}",
        e.message
    );
}

fn click_row() -> Json {
    json!({
        "source_url": "https://x.invalid/ad", "source_type": "ad", "source_id": 120200,
        "chat_id": 700001, "rp_id": "301", "agent_id": "1041", "media_type": "image",
        "media_url": "https://x.invalid/a.jpg", "date": "2026-04-01 19:00:00", "cod_act": "Venta"
    })
}

fn click(j: &Json) -> Result<Vec<Value>, crate::provider::ProviderError> {
    let row: ClickRow = serde_json::from_value(j.clone()).unwrap();
    row.into_unified(&bogota()).map(Record::into_row)
}

#[test]
fn every_click_field_is_read_at_its_declared_path() {
    const OP: Operation = Operation::Clicks;
    let full = click(&click_row()).unwrap();
    for (field, source) in rows(OP) {
        assert!(matches!(source, Source::Field(_)), "{field} is native");
        let name = vendor_field(OP, field);
        let want = match name {
            "date" => utc("2026-04-02T00:00:00Z"),
            _ => match &click_row()[name] {
                Json::Number(n) => Value::Text(n.to_string()),
                other => Value::Text(other.as_str().unwrap().to_string()),
            },
        };
        assert_eq!(cell(OP, &full, field), want, "{field}");
        let mut without = click_row();
        without.as_object_mut().unwrap().remove(name);
        match click(&without) {
            Err(e) => {
                assert_eq!(field, "chat_id", "only the key is required");
                assert_eq!(e.exit_code(), 6);
                assert!(e.message.contains("lacks data[].chat_id"), "{}", e.message);
            }
            Ok(row) => assert_eq!(cell(OP, &row, field), Value::Null, "{field}"),
        }
    }
    // An empty agent (the chatbot answered) is null.
    let mut bot = click_row();
    bot["agent_id"] = json!("");
    assert_eq!(cell(OP, &click(&bot).unwrap(), "agent_id"), Value::Null);
}

#[test]
fn every_click_total_is_read_at_its_declared_path() {
    const OP: Operation = Operation::ClicksSummary;
    let names: Vec<_> = rows(OP).iter().map(|(f, _)| vendor_field(OP, f)).collect();
    // Each count a number of its own, as digits (Part 2 types them as strings) or a number.
    let mut j = json!({});
    for (k, name) in names.iter().enumerate() {
        j[*name] = if k % 2 == 0 {
            json!((k + 1).to_string())
        } else {
            json!(k + 1)
        };
    }
    let row = clicks::totals(&j).unwrap().into_row();
    for (k, (field, _)) in rows(OP).iter().enumerate() {
        assert_eq!(cell(OP, &row, field), Value::Int(k as i64 + 1), "{field}");
        let mut without = j.clone();
        without.as_object_mut().unwrap().remove(names[k]);
        let row = clicks::totals(&without).unwrap().into_row();
        assert_eq!(cell(OP, &row, field), Value::Null, "{field}");
    }
    let e = clicks::totals(&json!({"ads_bot": "3"})).unwrap_err();
    assert_eq!(e.exit_code(), 6);
    assert!(
        e.message
            .contains("it has none of the counts data[].ad_chatbot"),
        "{}",
        e.message
    );
    for bad in [json!("-1"), json!(-1), json!(1.5), json!("many")] {
        let mut j = j.clone();
        j["ad_agents"] = bad.clone();
        let e = clicks::totals(&j).unwrap_err();
        assert!(
            e.message.contains("data[].ad_agents"),
            "{bad}: {}",
            e.message
        );
    }
}
