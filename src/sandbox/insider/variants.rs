//! The answers Insider's sandbox gives instead of the documented ones when asked
//! (`sandbox --variant …`), so end-to-end tests cover what a real account may send:
//!
//! - [`Variant::UnknownSchema`]: the statistics answers (campaign, overall, transactional,
//!   verify) name their counts otherwise (`sent_count`, `read_count`, …), at every level that
//!   carries them: the flat object, overall's `summary` and `details` rows, and the `chart`.
//! - [`Variant::BrokenInvariants`]: the same answers count more delivered than sent (a counter
//!   that drifted), in the totals, each campaign and each day.
//!
//! campaign-list is left as documented: it carries no figure these variants are about.

use serde_json::{Map, Value};

use crate::sandbox::{Shared, Variant};

/// Insider's count keys and their names in the other schema.
const RENAMED: [(&str, &str); 7] = [
    ("sent", "sent_count"),
    ("delivered", "delivered_count"),
    ("open", "read_count"),
    ("click", "click_count"),
    ("targeted", "targeted_count"),
    ("drop", "dropped_count"),
    ("undelivered", "undelivered_count"),
];

/// How many more are delivered than sent under [`Variant::BrokenInvariants`].
fn drifted(sent: u64) -> u64 {
    sent + 1 + sent / 10
}

/// Applies the variants the sandbox was started with to a statistics answer.
pub(crate) fn apply(st: &Shared, answer: &mut Map<String, Value>) {
    if st.options.has(Variant::BrokenInvariants) {
        for_each_counts(answer, &mut break_invariant);
        if let Some(Value::Object(chart)) = answer.get_mut("chart") {
            break_chart(chart);
        }
    }
    if st.options.has(Variant::UnknownSchema) {
        for_each_counts(answer, &mut rename);
        if let Some(Value::Object(chart)) = answer.get_mut("chart") {
            rename(chart);
        }
    }
}

/// Calls `f` on every object of the answer that holds counts: the answer itself (the flat
/// campaign, transactional and verify answers), overall's `summary` and each `details` row.
fn for_each_counts(answer: &mut Map<String, Value>, f: &mut impl FnMut(&mut Map<String, Value>)) {
    f(answer);
    if let Some(Value::Object(summary)) = answer.get_mut("summary") {
        f(summary);
    }
    if let Some(Value::Array(rows)) = answer.get_mut("details") {
        for row in rows {
            if let Value::Object(row) = row {
                f(row);
            }
        }
    }
}

fn rename(m: &mut Map<String, Value>) {
    for (from, to) in RENAMED {
        if let Some(v) = m.remove(from) {
            m.insert(to.to_string(), v);
        }
    }
}

fn break_invariant(m: &mut Map<String, Value>) {
    if let Some(sent) = m.get("sent").and_then(Value::as_u64) {
        m.insert("delivered".into(), Value::from(drifted(sent)));
    }
}

fn break_chart(chart: &mut Map<String, Value>) {
    let Some(Value::Array(sent)) = chart.get("sent") else {
        return;
    };
    let delivered: Vec<Value> = sent
        .iter()
        .map(|s| Value::from(drifted(s.as_u64().unwrap_or(0))))
        .collect();
    chart.insert("delivered".into(), Value::Array(delivered));
}
