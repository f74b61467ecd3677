//! The deterministic generator: a dozen campaigns and, per campaign, `rows` contact rows that are
//! computed on demand from (seed, vendor salt, campaign, row index) — never stored — so any page
//! of a million-row campaign costs only the rows it shows. Each vendor's folder declares its salt
//! (its `SANDBOX`), so vendors' rows differ.
//!
//! Row `i` of a campaign is sent at `start + i * step` (milliseconds), so rows are strictly
//! ordered by `sent_at` and a time window maps to an index interval arithmetically. Campaigns
//! start at UTC midnights, so rows lie exactly on day boundaries and window seams matter.

use std::ops::Range;

use chrono::{DateTime, Utc};

use super::text;

/// Milliseconds in a day.
pub(crate) const DAY_MS: i64 = 86_400_000;

/// splitmix64's finaliser: a cheap, well-mixed hash of one word.
pub(crate) fn mix(z: u64) -> u64 {
    let mut z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A hash of several words (order matters).
pub(crate) fn hash(parts: &[u64]) -> u64 {
    parts
        .iter()
        .fold(0x243F_6A88_85A3_08D3, |acc, p| mix(acc ^ p))
}

/// What keys one vendor's generated rows apart from another's: each vendor's folder declares
/// its own (in its `SANDBOX`), distinct from the others'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Salt(pub u64);

/// A stream of pseudo-random draws from one key (splitmix64 as a generator).
pub(crate) struct Draw(u64);

impl Draw {
    /// Draws keyed by `key`.
    pub fn new(key: u64) -> Draw {
        Draw(key)
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True with probability `pct` percent.
    pub fn percent(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }

    /// One item of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// How a campaign runs (Engage `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    OneTime,
    Recurrent,
}

impl Kind {
    /// The Engage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::OneTime => "one-time",
            Kind::Recurrent => "recurrent",
        }
    }
}

/// Where a campaign is in its life (Engage `status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Scheduled,
    Running,
    Completed,
    Cancelled,
}

impl State {
    /// The Engage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Scheduled => "scheduled",
            State::Running => "running",
            State::Completed => "completed",
            State::Cancelled => "cancelled",
        }
    }
}

/// A campaign of the fixed table; timing is in days from the start of the data span.
#[derive(Debug)]
pub(crate) struct CampaignDef {
    pub name: &'static str,
    pub kind: Kind,
    pub state: State,
    pub start_day: i64,
    pub len_days: i64,
    /// Insider campaign type (1 standard, 2 AB test, 3 split, 5 transactional, 6 other/OTP).
    pub insider_type: u8,
    /// Insider tag names (ids are their positions in `text::TAGS` plus 40).
    pub tags: &'static [&'static str],
}

const fn def(
    name: &'static str,
    kind: Kind,
    state: State,
    start_day: i64,
    len_days: i64,
    insider_type: u8,
    tags: &'static [&'static str],
) -> CampaignDef {
    CampaignDef {
        name,
        kind,
        state,
        start_day,
        len_days,
        insider_type,
        tags,
    }
}

use Kind::{OneTime, Recurrent};
use State::{Cancelled, Completed, Running, Scheduled};

/// The campaigns, the same for every vendor (rows differ per vendor). Four lie in the last 30
/// days of the span (days 370–400) so a default `campaigns list` shows data.
pub(crate) const CAMPAIGNS: [CampaignDef; 12] = [
    def(
        "Black Friday 50% off",
        OneTime,
        Completed,
        262,
        14,
        1,
        &["promo"],
    ),
    def(
        "Promo a/b #2?",
        OneTime,
        Completed,
        375,
        10,
        2,
        &["promo", "ab"],
    ),
    def(
        "Café ☕ Navidad",
        Recurrent,
        Running,
        40,
        360,
        5,
        &["navidad"],
    ),
    def(
        "Año Nuevo 🎉",
        OneTime,
        Completed,
        30,
        21,
        1,
        &["navidad", "promo"],
    ),
    def(
        "Welcome series",
        Recurrent,
        Running,
        0,
        400,
        5,
        &["onboarding"],
    ),
    def("Re-engagement 100%", OneTime, Completed, 384, 7, 3, &[]),
    def(
        "Verificación OTP / 2FA",
        Recurrent,
        Running,
        200,
        200,
        6,
        &["otp"],
    ),
    def(
        "Encuesta NPS? (Q3)",
        OneTime,
        Completed,
        250,
        30,
        1,
        &["survey"],
    ),
    def("São Paulo — Lançamento", OneTime, Cancelled, 150, 4, 1, &[]),
    def(
        "Descuento 20 % + envío \"gratis\"",
        OneTime,
        Completed,
        391,
        5,
        2,
        &["promo"],
    ),
    def(
        "Recordatorio #cita 📅",
        Recurrent,
        Running,
        330,
        70,
        5,
        &["onboarding"],
    ),
    def(
        "Lanzamiento 🚀 Q1",
        OneTime,
        Scheduled,
        396,
        0,
        1,
        &["promo"],
    ),
];

/// A campaign placed in time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Campaign {
    pub index: usize,
    pub def: &'static CampaignDef,
    pub created_ms: i64,
    /// First send (only meaningful when `rows` > 0 or the campaign is not scheduled).
    pub start_ms: i64,
    pub end_ms: i64,
    pub step_ms: i64,
    /// Rows sent; 0 for a scheduled campaign.
    pub rows: u64,
    /// Contacts targeted (`total_contacts`), rows or not.
    pub contacts: u64,
}

impl Campaign {
    /// When the campaign was sent, `None` if never.
    pub fn sent_ms(&self) -> Option<i64> {
        (self.def.state != State::Scheduled).then_some(self.start_ms)
    }

    /// When row `i` was sent.
    pub fn row_ms(&self, i: u64) -> i64 {
        self.start_ms + i as i64 * self.step_ms
    }

    /// The rows sent within `[from_ms, to_ms]` (both inclusive).
    pub fn window(&self, from_ms: i64, to_ms: i64) -> Range<u64> {
        index_window(self.start_ms, self.step_ms, self.rows, from_ms, to_ms)
    }
}

/// The indices `i < count` whose instant `start + i * step` lies in `[from_ms, to_ms]` (both
/// inclusive): the arithmetic that lets a window or a page be served without the other rows.
pub(crate) fn index_window(
    start: i64,
    step: i64,
    count: u64,
    from_ms: i64,
    to_ms: i64,
) -> Range<u64> {
    if count == 0 || to_ms < from_ms || to_ms < start {
        return 0..0;
    }
    let lo = if from_ms <= start {
        0
    } else {
        ((from_ms - start + step - 1) / step) as u64
    };
    let hi = (((to_ms - start) / step) as u64 + 1).min(count);
    lo.min(hi)..hi
}

/// A contact's delivery status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Sent,
    Delivered,
    Read,
    Error,
}

impl Status {
    /// The Engage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Sent => "sent",
            Status::Delivered => "delivered",
            Status::Read => "read",
            Status::Error => "error",
        }
    }

    /// Delivered or read.
    pub fn delivered(self) -> bool {
        matches!(self, Status::Delivered | Status::Read)
    }
}

/// The cheap part of a row: what counts need (no strings).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Outcome {
    pub status: Status,
    pub engaged: bool,
    /// Spare random bits for vendor-specific categories (Insider drop reasons, …).
    pub bits: u64,
    pub sent_ms: i64,
    pub delivered_ms: Option<i64>,
    pub read_ms: Option<i64>,
}

/// A whole contact row.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub outcome: Outcome,
    pub contact: String,
    pub name: String,
    pub response: Option<String>,
    pub error: Option<String>,
}

/// The generator: seed, size and the time span; everything else is computed.
#[derive(Debug)]
pub(crate) struct Data {
    pub seed: u64,
    pub rows: u64,
    pub start_ms: i64,
    pub end_ms: i64,
}

impl Data {
    /// Data of `rows` contacts per campaign over the [`super::DATA_SPAN_DAYS`] ending at `end`.
    pub fn new(seed: u64, rows: u64, end: DateTime<Utc>) -> Data {
        let end_ms = end.timestamp_millis();
        Data {
            seed,
            rows,
            start_ms: end_ms - super::DATA_SPAN_DAYS as i64 * DAY_MS,
            end_ms,
        }
    }

    /// `[start, end)` of the span.
    pub fn span(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let t = |ms| DateTime::from_timestamp_millis(ms).expect("span in range");
        (t(self.start_ms), t(self.end_ms))
    }

    /// A hash keyed by the seed and the vendor's salt, then `parts`.
    pub fn key(&self, salt: Salt, parts: &[u64]) -> u64 {
        hash(parts) ^ mix(self.seed.wrapping_mul(31).wrapping_add(salt.0))
    }

    /// Every campaign, in table order.
    pub fn campaigns(&self) -> Vec<Campaign> {
        (0..CAMPAIGNS.len()).map(|i| self.campaign(i)).collect()
    }

    /// Campaign `index` of the table.
    pub fn campaign(&self, index: usize) -> Campaign {
        let def = &CAMPAIGNS[index];
        let start_ms = self.start_ms + def.start_day * DAY_MS;
        let end_ms = start_ms + def.len_days * DAY_MS;
        let rows = if def.state == State::Scheduled {
            0
        } else {
            self.rows
        };
        // Created one to four days before the first send, at a quarter past ten; a scheduled
        // campaign was created on its start day.
        let lead = if def.state == State::Scheduled {
            0
        } else {
            1 + index as i64 % 4
        };
        Campaign {
            index,
            def,
            created_ms: start_ms - lead * DAY_MS + 36_900_000,
            start_ms,
            end_ms,
            step_ms: ((end_ms - start_ms) / rows.max(1) as i64).max(1),
            rows,
            contacts: self.rows,
        }
    }

    /// The counts-only part of row `i` of `c`.
    pub fn outcome(&self, salt: Salt, c: &Campaign, i: u64) -> Outcome {
        let h = self.key(salt, &[c.index as u64, i]);
        let mut d = Draw::new(h);
        let status = match d.below(1000) {
            0..50 => Status::Error,
            50..150 => Status::Sent,
            150..400 => Status::Delivered,
            _ => Status::Read,
        };
        let sent_ms = c.row_ms(i);
        let delivered_ms = status
            .delivered()
            .then(|| sent_ms + 1_000 + d.below(90_000) as i64);
        let read_ms = match (status, delivered_ms) {
            (Status::Read, Some(t)) => Some(t + 5_000 + d.below(2 * DAY_MS as u64) as i64),
            _ => None,
        };
        let engaged = status == Status::Read && d.percent(40);
        Outcome {
            status,
            engaged,
            bits: d.next(),
            sent_ms,
            delivered_ms,
            read_ms,
        }
    }

    /// Row `i` of `c`, with its texts.
    pub fn row(&self, salt: Salt, c: &Campaign, i: u64) -> Row {
        let outcome = self.outcome(salt, c, i);
        let mut d = Draw::new(self.key(salt, &[c.index as u64, i, 1]));
        let contact = text::phone(&mut d);
        let name = text::person_name(&mut d);
        let response = (outcome.engaged && !d.percent(25)).then(|| text::response(&mut d));
        let error = (outcome.status == Status::Error).then(|| text::error_text(&mut d));
        Row {
            outcome,
            contact,
            name,
            response,
            error,
        }
    }
}
