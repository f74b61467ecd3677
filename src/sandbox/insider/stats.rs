//! Insider's statistics figures (vendors.md Part 2 §3.3): the flat campaign object with its
//! drop and undelivered breakdowns, the daily `chart` arrays, and the OTP `verified` figures,
//! all counted from the generated rows so they agree with each other.
//!
//! Mapping of a row: an `error` row is either dropped before sending or undelivered; a `sent`
//! row is pending delivery; `read` is Insider's `open`; `engaged` is a `click`.

use serde_json::{Map, Value, json};

use crate::sandbox::Shared;
use crate::sandbox::data::{Campaign, DAY_MS, Outcome, Status};
use crate::sandbox::util;

const DROP_KEYS: [&str; 12] = [
    "frequencyCapped",
    "duplicates",
    "invalidPhoneNumbers",
    "tierLimitation",
    "templateFailures",
    "pausedTemplates",
    "recipientRelatedErrors",
    "metaTemporaryErrors",
    "accountIntegrationErrors",
    "internalErrors",
    "rateLimits",
    "policyFailures",
];
const UNDELIVERED_KEYS: [&str; 9] = [
    "recipientRelatedErrors",
    "accountVerificationErrors",
    "mediaErrors",
    "heldMessages",
    "metaExperiment",
    "metaErrors",
    "invalidMessages",
    "metaRecipientLimitsErrors",
    "deliveryReportMissing",
];
const UNVERIFIED_KEYS: [&str; 3] = ["expired", "wrongCode", "notAttempted"];

/// Counts of one campaign, day or total.
#[derive(Debug, Default, Clone)]
pub(crate) struct Stats {
    pub targeted: u64,
    pub sent: u64,
    pub delivered: u64,
    pub undelivered: u64,
    pub pending: u64,
    pub open: u64,
    pub click: u64,
    pub conversion: u64,
    pub revenue: u64,
    pub drop: u64,
    pub unsubscribe: u64,
    pub drop_details: [u64; 12],
    pub undelivered_details: [u64; 9],
    pub verified: u64,
    pub unverified: u64,
    pub unverified_details: [u64; 3],
    pub responses: u64,
    pub click_from_responses: u64,
    pub conversion_from_responses: u64,
    pub button_click: u64,
}

impl Stats {
    /// Counts one row.
    pub fn add(&mut self, o: &Outcome) {
        let b = o.bits;
        self.targeted += 1;
        if o.status == Status::Error && b & 1 == 0 {
            self.drop += 1;
            self.drop_details[((b >> 1) % 12) as usize] += 1;
            return;
        }
        self.sent += 1;
        match o.status {
            Status::Error => {
                self.undelivered += 1;
                self.undelivered_details[((b >> 1) % 9) as usize] += 1;
            }
            Status::Sent => self.pending += 1,
            Status::Delivered | Status::Read => self.delivered += 1,
        }
        self.open += u64::from(o.status == Status::Read);
        let converted = o.engaged && (b >> 8) % 3 == 0;
        if o.engaged {
            self.click += 1;
            self.responses += 1;
            self.button_click += u64::from((b >> 36) % 4 != 0);
            let from_response = (b >> 32) % 2 == 0;
            self.click_from_responses += u64::from(from_response);
            self.conversion_from_responses += u64::from(from_response && converted);
        }
        if converted {
            self.conversion += 1;
            self.revenue += 10 + (b >> 12) % 90;
        }
        self.unsubscribe += u64::from(o.status.delivered() && (b >> 20) % 100 == 0);
        if o.status.delivered() && (b >> 24) % 10 != 0 {
            self.verified += 1;
        } else {
            self.unverified += 1;
            self.unverified_details[((b >> 28) % 3) as usize] += 1;
        }
    }

    /// The flat object of the campaign endpoint (Part 2 §3.3.1).
    pub fn flat(&self) -> Map<String, Value> {
        let mut m = self.counts();
        let details = |keys: &[&str], n: &[u64]| {
            let obj: Map<String, Value> = keys
                .iter()
                .zip(n)
                .map(|(k, v)| (k.to_string(), json!(v)))
                .collect();
            Value::Object(obj)
        };
        m.insert(
            "dropDetails".into(),
            details(&DROP_KEYS, &self.drop_details),
        );
        m.insert(
            "undeliveredDetails".into(),
            details(&UNDELIVERED_KEYS, &self.undelivered_details),
        );
        m
    }

    /// The counts without breakdowns (overall `details` rows).
    pub fn counts(&self) -> Map<String, Value> {
        let mut m = Map::new();
        for (k, v) in [
            ("sent", self.sent),
            ("delivered", self.delivered),
            ("open", self.open),
            ("click", self.click),
            ("conversion", self.conversion),
            ("revenue", self.revenue),
            ("drop", self.drop),
            ("targeted", self.targeted),
            ("unsubscribe", self.unsubscribe),
            ("undelivered", self.undelivered),
            ("deliveryPending", self.pending),
        ] {
            m.insert(k.into(), json!(v));
        }
        m
    }

    /// The OTP additions of verify (Part 2 §3.3.4); an OTP has no opens or clicks.
    pub fn verify(&self) -> Map<String, Value> {
        let mut m = self.flat();
        for k in ["open", "click", "conversion", "revenue"] {
            m.insert(k.into(), json!(0));
        }
        m.insert("verified".into(), json!(self.verified));
        m.insert("unverified".into(), json!(self.unverified));
        let details: Map<String, Value> = UNVERIFIED_KEYS
            .iter()
            .zip(self.unverified_details)
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        m.insert("unverifiedDetails".into(), Value::Object(details));
        m
    }
}

/// Counts of campaigns over `[from, to]` (ms, inclusive): the total, each campaign's, and each
/// UTC day's (day `k` starts at `day_floor(from) + k` days).
pub(crate) struct Tally {
    pub total: Stats,
    pub per_campaign: Vec<Stats>,
    pub days: Vec<Stats>,
    pub first_day: i64,
}

/// Counts the rows of `campaigns` in `[from, to]`.
pub(crate) fn tally(st: &Shared, campaigns: &[Campaign], from: i64, to: i64) -> Tally {
    let first_day = util::day_floor(from);
    let n = ((util::day_floor(to) - first_day) / DAY_MS + 1) as usize;
    let mut t = Tally {
        total: Stats::default(),
        per_campaign: vec![Stats::default(); campaigns.len()],
        days: vec![Stats::default(); n],
        first_day,
    };
    for (k, c) in campaigns.iter().enumerate() {
        for i in c.window(from, to) {
            let o = st.data.outcome(super::SANDBOX.salt, c, i);
            t.total.add(&o);
            t.per_campaign[k].add(&o);
            t.days[((o.sent_ms - first_day) / DAY_MS) as usize].add(&o);
        }
    }
    t
}

/// The daily `chart` object with the named series (Part 2 §3.3.2–3.3.4).
pub(crate) fn chart(t: &Tally, series: &[&str]) -> Value {
    let mut m = Map::new();
    let day = |k: usize| t.first_day + k as i64 * DAY_MS;
    let dates: Vec<String> = (0..t.days.len()).map(|k| util::fmt_date(day(k))).collect();
    let stamps: Vec<i64> = (0..t.days.len()).map(|k| day(k) / 1000).collect();
    m.insert("dates".into(), json!(dates));
    m.insert("datesAsTimestamp".into(), json!(stamps));
    for name in series {
        let pick = |s: &Stats| match *name {
            "sent" => s.sent,
            "delivered" => s.delivered,
            "open" => s.open,
            "click" => s.click,
            "conversion" => s.conversion,
            "verified" => s.verified,
            "unverified" => s.unverified,
            "responses" => s.responses,
            "clickFromResponses" => s.click_from_responses,
            _ => s.conversion_from_responses,
        };
        let values: Vec<u64> = t.days.iter().map(pick).collect();
        m.insert(name.to_string(), json!(values));
    }
    Value::Object(m)
}

/// The conversational additions of the campaign endpoint (Part 2 §3.3.1): two reply cards
/// sharing the campaign's figures, and their summary.
pub(crate) fn conversational(s: &Stats, m: &mut Map<String, Value>) {
    let card = |id: u64, name: &str, half: fn(u64) -> u64| {
        json!({
            "cardId": id,
            "buttonName": name,
            "sent": half(s.sent),
            "delivered": half(s.delivered),
            "open": half(s.open),
            "click": half(s.click),
            "conversion": half(s.conversion),
            "revenue": half(s.revenue),
            "isNoReplyMessage": false,
        })
    };
    m.insert(
        "responses".into(),
        json!([
            card(1, "Sí, me interesa", |x| x.div_ceil(2)),
            card(2, "No, gracias 🙅", |x| x / 2),
        ]),
    );
    m.insert(
        "responseSummary".into(),
        json!({
            "sent": s.sent,
            "open": s.open,
            "click": s.click,
            "conversion": s.conversion,
            "buttonClick": s.button_click,
        }),
    );
}
