//! The rules every vendor's figures pass (product.md, "What the numbers mean"): rates as
//! fractions of 1, read in the scale their counts confirm, null over a zero denominator; and the
//! invariants (`delivered ≤ sent`, `read ≤ delivered`, rates within 0–1) checked on every summary
//! and bucket, with a warning naming the figures when one breaks.

use super::model::{CampaignSummary, StatsBucket};

/// Rates the tool computes carry four decimals (0.6667).
fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// `part / whole` as a fraction of 1 with four decimals; null when either is unknown or `whole`
/// is 0, for every vendor.
pub fn ratio(part: Option<u64>, whole: Option<u64>) -> Option<f64> {
    match (part, whole) {
        (Some(p), Some(w)) if w > 0 => Some(round4(p as f64 / w as f64)),
        _ => None,
    }
}

/// How far a vendor's rounded rate may sit from the rate of its counts (one percentage point).
const TOLERANCE: f64 = 0.01;

/// A rate the vendor returned, as a fraction of 1: read as a percentage (66.67) or a fraction
/// (0.6667), whichever the counts it is made of confirm; null when their denominator is 0.
/// Without the counts, or when neither scale matches them, the vendor's figure is read as a
/// percentage (the scale vendors document) and, in the second case, `Err` carries the warning.
pub fn vendor_rate(
    given: Option<f64>,
    part: Option<u64>,
    whole: Option<u64>,
) -> (Option<f64>, Option<String>) {
    if whole == Some(0) {
        return (None, None);
    }
    let Some(given) = given else {
        return (None, None);
    };
    let percent = ((given / 100.0) * 1e10).round() / 1e10;
    let (Some(p), Some(w)) = (part, whole) else {
        return (Some(percent), None);
    };
    let expected = p as f64 / w as f64;
    let off_percent = (percent - expected).abs();
    let off_fraction = (given - expected).abs();
    if off_fraction <= TOLERANCE && off_fraction < off_percent {
        (Some(given), None)
    } else if off_percent <= TOLERANCE {
        (Some(percent), None)
    } else {
        let why = format!(
            "{given} matches its counts ({p} / {w} = {}) neither as a percentage nor as a fraction; printed as {percent} (the figure read as a percentage)",
            round4(expected)
        );
        (Some(percent), Some(why))
    }
}

/// The figures of a summary or a bucket that the invariants compare.
#[derive(Debug, Clone, Copy, Default)]
pub struct Figures {
    /// Messages sent.
    pub sent: Option<u64>,
    /// Messages delivered.
    pub delivered: Option<u64>,
    /// Messages read.
    pub read: Option<u64>,
    /// The rates, by name.
    pub rates: [(&'static str, Option<f64>); 3],
}

impl From<&CampaignSummary> for Figures {
    fn from(s: &CampaignSummary) -> Self {
        Figures {
            sent: s.sent,
            delivered: s.delivered,
            read: s.read,
            rates: [
                ("read_rate", s.read_rate),
                ("engagement_rate", s.engagement_rate),
                ("error_rate", s.error_rate),
            ],
        }
    }
}

impl From<&StatsBucket> for Figures {
    fn from(b: &StatsBucket) -> Self {
        Figures {
            sent: b.sent,
            delivered: b.delivered,
            read: b.read,
            rates: [("", None); 3],
        }
    }
}

/// An invariant a record breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach {
    /// Which invariant (`delivered > sent`), the same for every record that breaks it.
    pub invariant: String,
    /// The phrase naming the figures (`delivered (120) exceeds sent (100)`).
    pub text: String,
}

impl std::fmt::Display for Breach {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// Which invariants `figures` break; empty when all hold. Counts are compared only where both
/// are known.
pub fn breaches(figures: &Figures) -> Vec<Breach> {
    let mut out = Vec::new();
    let mut exceeds = |a: &str, x: Option<u64>, b: &str, y: Option<u64>| {
        if let (Some(x), Some(y)) = (x, y)
            && x > y
        {
            out.push(Breach {
                invariant: format!("{a} > {b}"),
                text: format!("{a} ({x}) exceeds {b} ({y})"),
            });
        }
    };
    exceeds("delivered", figures.delivered, "sent", figures.sent);
    exceeds("read", figures.read, "delivered", figures.delivered);
    for (name, rate) in figures.rates {
        if let Some(r) = rate
            && !(0.0..=1.0).contains(&r)
        {
            out.push(Breach {
                invariant: format!("{name} outside 0–1"),
                text: format!("{name} ({r}) is outside 0–1"),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zero_denominator_is_null_whoever_computes_the_rate() {
        assert_eq!(ratio(Some(0), Some(0)), None);
        assert_eq!(ratio(Some(3), None), None);
        assert_eq!(ratio(Some(2), Some(3)), Some(0.6667));
        assert_eq!(vendor_rate(Some(0.0), Some(0), Some(0)), (None, None));
    }

    #[test]
    fn a_rate_is_read_in_the_scale_its_counts_confirm() {
        // 66.67 % and 0.6667 both mean two thirds.
        assert_eq!(
            vendor_rate(Some(66.67), Some(2), Some(3)),
            (Some(0.6667), None)
        );
        assert_eq!(
            vendor_rate(Some(0.6667), Some(2), Some(3)),
            (Some(0.6667), None)
        );
        // A small rate: 0.5 % as a percentage, and 0.005 as a fraction.
        assert_eq!(
            vendor_rate(Some(0.5), Some(1), Some(200)),
            (Some(0.005), None)
        );
        assert_eq!(
            vendor_rate(Some(0.005), Some(1), Some(200)),
            (Some(0.005), None)
        );
        // Without counts, the documented scale: a percentage.
        assert_eq!(vendor_rate(Some(40.0), None, Some(9)), (Some(0.4), None));
        assert_eq!(vendor_rate(None, Some(1), Some(2)), (None, None));
    }

    #[test]
    fn a_rate_matching_neither_scale_is_a_percentage_with_a_warning() {
        let (rate, why) = vendor_rate(Some(90.0), Some(1), Some(4));
        assert_eq!(rate, Some(0.9));
        let why = why.unwrap();
        assert!(why.contains("1 / 4 = 0.25"), "{why}");
        assert!(why.contains("printed as 0.9"), "{why}");
    }

    #[test]
    fn breaches_name_the_figures() {
        let f = Figures {
            sent: Some(100),
            delivered: Some(120),
            read: Some(90),
            rates: [
                ("read_rate", Some(0.75)),
                ("engagement_rate", Some(1.2)),
                ("error_rate", None),
            ],
        };
        let texts: Vec<_> = breaches(&f).into_iter().map(|b| b.text).collect();
        assert_eq!(
            texts,
            [
                "delivered (120) exceeds sent (100)",
                "engagement_rate (1.2) is outside 0–1"
            ]
        );
        let ok = Figures {
            sent: Some(10),
            delivered: None,
            read: Some(20),
            ..Figures::default()
        };
        assert!(breaches(&ok).is_empty(), "unknown figures are not compared");
    }
}
