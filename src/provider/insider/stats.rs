//! Insider's range statistics (vendors.md Part 2 §3.3.2–3.3.4): `overall` (a daily `chart`, a
//! `summary` and per-campaign `details`), and the flat `transactional` and `verify` answers with
//! their charts. Each request covers at most 1 year (§3.5), so a longer range is asked in
//! windows that tile it exactly once, and the answers are added up: Insider's figures are message
//! counts, so counts of disjoint windows sum to the counts of the whole range, day by day and
//! campaign by campaign.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Map, Value};

use crate::output::{FieldDef, FieldKind, Value as Cell};
use crate::provider::reports::{ReportView, StatsReport};
use crate::provider::{
    CampaignSummary, ErrorKind, Frequency, ProviderError, StatsBucket, StatsQuery, refuse_filter,
};
use crate::time::{DateRange, Zone};

use super::client::Endpoint;
use super::records::{self, Extra};
use super::wire::{
    CampaignFilter, OverallRequest, ProductRequest, Tag, WireChart, WireCounts, add_counts,
};
use super::{Insider, VENDOR, check_statuses};

/// "The maximum supported range is 1 year" (Part 2 §3.3.2), read as 365 days.
const MAX_WINDOW: Duration = Duration::days(365);

/// The smallest and largest 10-digit Unix timestamps (Part 2 §3.3: "10-digit Unix timestamp").
const TEN_DIGITS: std::ops::RangeInclusive<i64> = 1_000_000_000..=9_999_999_999;

/// The command a report is asked with, for messages.
pub(super) fn command(report: StatsReport, view: ReportView) -> String {
    let mut c = report.operation().command().to_string();
    match view {
        ReportView::Periods => {}
        ReportView::ByCampaign => c.push_str(" --by-campaign"),
        ReportView::Total => c.push_str(" --total"),
    }
    c
}

/// `start_time` and `end_time` of a half-open window: Insider's end is inclusive and in whole
/// seconds, so `[start, end)` is asked as `start … end-1s` and a message stamped on a seam
/// belongs to the later window only.
pub(super) fn seconds(range: &DateRange) -> Result<(i64, i64), ProviderError> {
    let (start, end) = (range.start.timestamp(), range.end.timestamp() - 1);
    if !TEN_DIGITS.contains(&start) || !TEN_DIGITS.contains(&end) {
        return Err(ProviderError::new(
            ErrorKind::InvalidRequest,
            VENDOR,
            format!(
                "Insider takes times as 10-digit Unix seconds, from 2001-09-09 01:46:40 UTC; the range {} – {} is outside that",
                range.start.format("%Y-%m-%d %H:%M:%S"),
                range.end.format("%Y-%m-%d %H:%M:%S")
            ),
        )
        .with_hint("choose a --from after 2001-09-09"));
    }
    if end <= start {
        return Err(ProviderError::new(
            ErrorKind::InvalidRequest,
            VENDOR,
            "the range is too short: Insider needs end_time after start_time, so at least 2 seconds",
        )
        .with_hint("widen the range (--from/--to, or --last)"));
    }
    Ok((start, end))
}

/// Tiles `range` into the fewest windows of at most 1 year, of near-equal length (so none is a
/// sliver too short to ask for), each ending where the next starts.
pub(super) fn windows(range: &DateRange) -> Vec<DateRange> {
    let total = range.duration().num_seconds().max(1);
    let max = MAX_WINDOW.num_seconds();
    let n = (total + max - 1) / max;
    let step = Duration::seconds((total + n - 1) / n);
    let mut out = Vec::new();
    let mut cursor = range.start;
    while cursor < range.end {
        let next = (cursor + step).min(range.end);
        out.push(DateRange {
            start: cursor,
            end: next,
        });
        cursor = next;
    }
    out
}

/// A report's answers over every window, added up.
#[derive(Debug, Default)]
pub(super) struct Merged {
    /// Series per day.
    chart: BTreeMap<NaiveDate, BTreeMap<String, u64>>,
    /// Overall's `summary`, or the flat transactional/verify object without its chart.
    totals: Map<String, Value>,
    /// Overall's `details`, one per campaign in first-seen order.
    campaigns: Vec<Map<String, Value>>,
    index: HashMap<String, usize>,
    /// `POST /…/overall`, for messages about the merged answer.
    request: String,
}

impl Merged {
    /// Adds one window's answer; `view` says which parts must be there.
    fn add(&mut self, report: StatsReport, view: ReportView, body: Value) -> Result<(), String> {
        let mut obj = match body {
            Value::Object(mut m) => match m.remove("data") {
                Some(Value::Object(data)) if !m.contains_key("chart") => data,
                Some(other) => {
                    m.insert("data".into(), other);
                    m
                }
                None => m,
            },
            other => return Err(format!("expected a JSON object, found {other}")),
        };
        match obj.remove("chart") {
            Some(chart) => {
                let chart: WireChart = serde_json::from_value(chart)
                    .map_err(|e| format!("the chart is not in Insider's shape ({e})"))?;
                for (day, series) in chart.days()? {
                    let slot = self.chart.entry(day).or_default();
                    for (name, n) in series {
                        *slot.entry(name).or_default() += n;
                    }
                }
            }
            None if view == ReportView::Periods => {
                return Err("the answer has no chart".to_string());
            }
            None => {}
        }
        if report != StatsReport::Campaigns {
            add_counts(&mut self.totals, obj);
            return Ok(());
        }
        match obj.remove("summary") {
            Some(Value::Object(s)) => add_counts(&mut self.totals, s),
            _ if view == ReportView::Total => {
                return Err("the answer has no summary object".to_string());
            }
            _ => {}
        }
        match obj.remove("details") {
            Some(Value::Array(rows)) => {
                for row in rows {
                    let Value::Object(row) = row else {
                        return Err(format!("a details row is {row}, not an object"));
                    };
                    let key = ["campaignId", "id"]
                        .iter()
                        .find_map(|k| row.get(*k).filter(|v| !v.is_null()))
                        .map(Value::to_string)
                        .ok_or("a details row has no campaignId")?;
                    match self.index.get(&key) {
                        Some(&i) => add_counts(&mut self.campaigns[i], row),
                        None => {
                            self.index.insert(key, self.campaigns.len());
                            self.campaigns.push(row);
                        }
                    }
                }
            }
            _ if view == ReportView::ByCampaign => {
                return Err("the answer has no details array".to_string());
            }
            _ => {}
        }
        Ok(())
    }
}

/// The body of `campaign_filter` for the campaigns report, or the refusal of a filter the
/// report cannot apply (transactional and verify take `accounts` only, Part 2 §3.3.3–3.3.4).
fn filter(
    report: StatsReport,
    query: &StatsQuery,
    cmd: &str,
) -> Result<CampaignFilter, ProviderError> {
    let f = &query.filters;
    match report {
        StatsReport::Campaigns => {
            let supported = ["--type", "--status", "--tag", "--account"];
            f.refuse_unsupported(VENDOR, cmd, &supported)?;
            let campaign_type_ids = match query.campaign_type {
                None => Vec::new(),
                Some(t) => vec![records::type_id(t).ok_or_else(|| {
                    refuse_filter(VENDOR, cmd, &format!("--type {}", t.as_str()), &supported)
                        .with_hint(format!(
                            "Insider's campaign types are: {}",
                            records::type_names()
                        ))
                })?],
            };
            Ok(CampaignFilter {
                campaign_type_ids,
                statuses: check_statuses(&f.statuses)?,
                accounts: f.accounts.clone(),
                tags: f.tags.iter().map(|t| Tag::parse(t)).collect(),
            })
        }
        StatsReport::Transactional | StatsReport::Verify => {
            if let Some(t) = query.campaign_type {
                return Err(refuse_filter(
                    VENDOR,
                    cmd,
                    &format!("--type {}", t.as_str()),
                    &["--account"],
                ));
            }
            f.refuse_unsupported(VENDOR, cmd, &["--account"])?;
            Ok(CampaignFilter {
                accounts: f.accounts.clone(),
                ..CampaignFilter::default()
            })
        }
    }
}

impl Insider {
    /// Asks `report` over every ≤ 1-year window of the range and adds the answers up. Every
    /// check (filters, times) happens before the first request.
    pub(super) async fn report(
        &self,
        report: StatsReport,
        view: ReportView,
        query: &StatsQuery,
    ) -> Result<Merged, ProviderError> {
        let cmd = command(report, view);
        if view == ReportView::ByCampaign && report != StatsReport::Campaigns {
            return Err(ProviderError::new(
                ErrorKind::InvalidRequest,
                VENDOR,
                format!(
                    "Insider's {} statistics have no per-campaign breakdown",
                    report.as_str()
                ),
            )
            .with_hint("use --total for the range's totals, or neither for one row per day"));
        }
        let filter = filter(report, query, &cmd)?;
        let windows = windows(&query.range.range);
        let times = windows.iter().map(seconds).collect::<Result<Vec<_>, _>>()?;
        if times.len() > 1 {
            info!(
                "Insider: the range is longer than 1 year; asking in {} windows and adding them up",
                times.len()
            );
        }
        let mut merged = Merged::default();
        for (start_time, end_time) in times {
            let resp = match report {
                StatsReport::Campaigns => {
                    let body = OverallRequest {
                        start_time,
                        end_time,
                        campaign_filter: (!filter.is_empty()).then_some(&filter),
                    };
                    self.client.post(Endpoint::Overall, &body).await?
                }
                StatsReport::Transactional | StatsReport::Verify => {
                    let body = ProductRequest {
                        start_time,
                        end_time,
                        accounts: &filter.accounts,
                    };
                    let endpoint = if report == StatsReport::Verify {
                        Endpoint::Verify
                    } else {
                        Endpoint::Transactional
                    };
                    self.client.post(endpoint, &body).await?
                }
            };
            let body: Value = resp.json(VENDOR)?;
            merged
                .add(report, view, body)
                .map_err(|e| resp.bad_shape(VENDOR, e))?;
            merged.request.clone_from(&resp.request_line);
        }
        Ok(merged)
    }
}

/// The chart series that follow the common bucket fields: (field, Insider's series, meaning).
fn series(report: StatsReport) -> &'static [(&'static str, &'static str, &'static str)] {
    match report {
        StatsReport::Campaigns => &[("conversion", "conversion", "conversions")],
        StatsReport::Transactional => &[
            ("conversion", "conversion", "conversions"),
            ("verified", "verified", "verified messages"),
            ("responses", "responses", "replies"),
            (
                "click_from_responses",
                "clickFromResponses",
                "clicks from replies",
            ),
            (
                "conversion_from_responses",
                "conversionFromResponses",
                "conversions from replies",
            ),
        ],
        StatsReport::Verify => &[
            ("verified", "verified", "OTP codes verified"),
            ("unverified", "unverified", "OTP codes not verified"),
        ],
    }
}

/// The vendor-only fields of a report cut by `view`.
pub(super) fn report_fields(report: StatsReport, view: ReportView) -> Vec<FieldDef> {
    match view {
        ReportView::Periods => series(report)
            .iter()
            .map(|(name, _, about)| FieldDef::new(name, FieldKind::Count, about))
            .collect(),
        ReportView::ByCampaign => records::defs(records::BY_CAMPAIGN),
        ReportView::Total => records::defs(total_extras(report)),
    }
}

fn total_extras(report: StatsReport) -> &'static [Extra] {
    match report {
        StatsReport::Verify => records::VERIFY_TOTAL,
        _ => records::TOTAL,
    }
}

/// One bucket per day of the chart, or per week (Monday first) by adding the days up.
pub(super) fn periods(
    merged: Merged,
    report: StatsReport,
    frequency: Frequency,
) -> Vec<StatsBucket> {
    let mut grouped: BTreeMap<NaiveDate, BTreeMap<String, u64>> = BTreeMap::new();
    for (day, values) in merged.chart {
        let period = match frequency {
            Frequency::Daily => day,
            Frequency::Weekly => {
                day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
            }
        };
        let slot = grouped.entry(period).or_default();
        for (name, n) in values {
            *slot.entry(name).or_default() += n;
        }
    }
    let cell = |v: Option<u64>| {
        v.map_or(Cell::Null, |n| {
            Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
        })
    };
    grouped
        .into_iter()
        .map(|(period, values)| {
            let get = |k: &str| values.get(k).copied();
            StatsBucket {
                sent: get("sent"),
                delivered: get("delivered"),
                read: get("open").or_else(|| get("read")),
                engaged: get("click"),
                // The charts carry no failure series (Part 2 §3.3.2).
                errors: None,
                extra: series(report)
                    .iter()
                    .map(|(_, key, _)| cell(get(key)))
                    .collect(),
                ..StatsBucket::new(period, frequency, &Zone::UTC)
            }
        })
        .collect()
}

/// One summary-shaped row per campaign of the overall `details`.
pub(super) fn by_campaign(merged: Merged) -> Result<Vec<CampaignSummary>, ProviderError> {
    let request = merged.request;
    merged
        .campaigns
        .into_iter()
        .map(|row| {
            let counts: WireCounts = serde_json::from_value(Value::Object(row)).map_err(|e| {
                shape_error(
                    &request,
                    format!("a details row is not in Insider's shape ({e})"),
                )
            })?;
            Ok(records::summary(&counts, None, records::BY_CAMPAIGN))
        })
        .collect()
}

/// The totals of the range as one summary-shaped row.
pub(super) fn total(merged: Merged, report: StatsReport) -> Result<CampaignSummary, ProviderError> {
    let merged_request = merged.request;
    let counts: WireCounts = serde_json::from_value(Value::Object(merged.totals)).map_err(|e| {
        shape_error(
            &merged_request,
            format!("the totals are not in Insider's shape ({e})"),
        )
    })?;
    Ok(records::summary(&counts, None, total_extras(report)))
}

fn shape_error(request: &str, what: String) -> ProviderError {
    ProviderError::new(ErrorKind::BadResponse, VENDOR, what)
        .with_request(request.to_string())
        .with_hint(
            "Insider answered a shape wa-analytics does not know; run with -vv and report it",
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_range_up_to_a_year_is_one_window_and_longer_ones_tile_exactly() {
        let year = DateRange {
            start: at("2025-01-01T00:00:00Z"),
            end: at("2026-01-01T00:00:00Z"),
        };
        assert_eq!(windows(&year), vec![year]);
        let long = DateRange {
            start: at("2024-06-01T10:00:00Z"),
            end: at("2026-01-01T00:00:01Z"),
        };
        let w = windows(&long);
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].start, long.start);
        assert_eq!(w[0].end, w[1].start);
        assert_eq!(w[1].end, long.end);
        assert!(
            w.iter()
                .all(|w| w.duration() <= MAX_WINDOW && w.duration() > Duration::days(280))
        );
    }

    #[test]
    fn the_end_is_asked_inclusive_and_times_must_have_ten_digits() {
        let r = DateRange {
            start: at("2025-03-01T00:00:00Z"),
            end: at("2025-04-01T00:00:00Z"),
        };
        assert_eq!(seconds(&r).unwrap(), (1_740_787_200, 1_743_465_599));
        let old = DateRange {
            start: at("1999-01-01T00:00:00Z"),
            end: at("2025-04-01T00:00:00Z"),
        };
        assert_eq!(seconds(&old).unwrap_err().kind, ErrorKind::InvalidRequest);
    }
}
