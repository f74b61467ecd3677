//! `report` (product.md, "Reports"): one self-contained HTML page of a range's numbers, per
//! profile and across profiles, and the terminal's bar charts (`stats --chart`, the
//! `campaigns summary` table).
//!
//! The page is built from the records the JSON commands print (`stats --total`, `stats`,
//! `campaigns summary`), gathered by the commands' own code paths in `cli`; this module only
//! arranges them ([`model`]) and draws them ([`html`], [`chart`], [`bars`]). It never asks a
//! vendor anything itself.

pub mod bars;
pub mod chart;
pub mod html;
pub mod model;

/// `n` with thousands separators (`1,234,567`), as the page and the terminal charts print counts
/// (and the progress line does).
pub use crate::progress::group as grouped;

/// A range as people read it: `2026-11-24 00:00 to 2026-12-01 00:00 (UTC)`, in `zone`.
pub fn span(zone: &crate::time::Zone, range: &crate::time::DateRange) -> String {
    format!(
        "{} to {} ({})",
        zone.to_local(range.start).format("%Y-%m-%d %H:%M"),
        zone.to_local(range.end).format("%Y-%m-%d %H:%M"),
        zone.name()
    )
}

/// A rate (a fraction of 1) as a percentage with one decimal (`71.7%`); `—` for none.
pub fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(r) if r.is_finite() => format!("{:.1}%", r * 100.0),
        _ => "—".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_percentages_and_a_missing_one_is_a_dash() {
        assert_eq!(percent(Some(0.7167)), "71.7%");
        assert_eq!(percent(None), "—");
        assert_eq!(percent(Some(f64::NAN)), "—");
    }
}
