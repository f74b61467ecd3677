//! Insider's range statistics (vendors.md Part 2 §3.3.2–3.3.4): `overall` (a daily `chart`, a
//! `summary` and per-campaign `details`), and the flat `transactional` and `verify` answers with
//! their charts. Each request covers at most 1 year (§3.5), so a longer range is asked in
//! windows that tile it exactly once, and the answers are added up: Insider's figures are message
//! counts, so counts of disjoint windows sum to the counts of the whole range, day by day and
//! campaign by campaign.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde_json::{Map, Value};

use crate::http::ApiResponse;
use crate::output::{FieldDef, FieldKind, Value as Cell};
use crate::provider::mapping::{Source, sources_of};
use crate::provider::read::{Reader, Rule};
use crate::provider::reports::{ReportView, StatsReport};
use crate::provider::{
    CampaignSummary, ErrorKind, Frequency, ProviderError, StatsBucket, StatsQuery, Vendor,
    refuse_filter,
};
use crate::time::{DateRange, Zone};

use super::client::Endpoint;
use super::mapping::MAPPING;
use super::records::{self, COUNTS, Extra, Identity};
use super::view::View;
use super::wire::{CampaignFilter, OverallRequest, ProductRequest, Tag, add_counts};
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

/// One day of a chart: the date and each declared series' value, by unified field.
pub(super) type ChartDay = (NaiveDate, Vec<(&'static str, u64)>);

/// The days at which Insider's chart days start: its chart days are taken as UTC days
/// (vendors.md is silent; the sample's `datesAsTimestamp` are UTC midnights).
pub(super) const DAYS_ZONE: Zone = Zone::UTC;

/// One window's `chart`, read at the paths the mapping declares for `op` (`chart.sent[]`: one
/// value per day of `chart.dates[]`), with the shared policy: a chart without its dates, or with
/// none of the counts, or with a series that is not one count per day, is exit 6 naming the
/// paths and what the chart holds; another missing series is null with one warning.
pub(super) fn read_chart(
    op: crate::provider::Operation,
    chart: Map<String, Value>,
    request: &str,
) -> Result<Vec<ChartDay>, ProviderError> {
    // The declared paths name a chart's columns with `[]` (each day's element): the reader
    // sees the columns under those names.
    let mut columns: Map<String, Value> = chart
        .into_iter()
        .map(|(k, v)| (format!("{k}[]"), v))
        .collect();
    let stamps = columns.get("datesAsTimestamp[]").cloned();
    if !columns.contains_key("dates[]")
        && let Some(Value::Array(stamps)) = &stamps
    {
        // Declared in the note of `period`: the timestamps' UTC dates, when `dates` is absent.
        let dates = stamps
            .iter()
            .map(|s| {
                s.as_i64()
                    .and_then(|s| DateTime::<Utc>::from_timestamp(s, 0))
                    .map_or_else(
                        || s.clone(),
                        |t| Value::from(t.format("%Y-%m-%d").to_string()),
                    )
            })
            .collect();
        columns.insert("dates[]".into(), Value::Array(dates));
    }
    let columns = Value::Object(columns);
    let mut r = Reader::new(Vendor::Insider, op, "chart.", &columns)
        .with_request(request)
        .also_knows(&["datesAsTimestamp[]"]);
    let mut days: Vec<ChartDay> = Vec::new();
    let mut readable = true;
    match r.value("period") {
        Some(Value::Array(dates)) => {
            for d in dates {
                match d
                    .as_str()
                    .and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
                {
                    Some(day) => days.push((day, Vec::new())),
                    None => {
                        r.malformed("period", format!("{d} is not a date (YYYY-MM-DD)"));
                        readable = false;
                        break;
                    }
                }
            }
        }
        Some(other) => {
            r.malformed("period", format!("{other} is not a list of dates"));
            readable = false;
        }
        None => {}
    }
    if readable {
        for s in sources_of(MAPPING, op) {
            if s.field == "period" || !matches!(s.source, Source::Field(_)) {
                continue;
            }
            let Some(v) = r.value(s.field) else {
                continue;
            };
            let Some(values) = v.as_array() else {
                r.malformed(s.field, format!("{v} is not a list of counts"));
                continue;
            };
            if values.len() != days.len() {
                r.malformed(
                    s.field,
                    format!("{} values for {} dates", values.len(), days.len()),
                );
                continue;
            }
            match values.iter().map(count_of).collect::<Option<Vec<u64>>>() {
                Some(counts) => {
                    for (day, n) in days.iter_mut().zip(counts) {
                        day.1.push((s.field, n));
                    }
                }
                None => {
                    let bad = values.iter().find(|v| count_of(v).is_none());
                    let bad = bad.map(Value::to_string).unwrap_or_default();
                    r.malformed(s.field, format!("holds {bad}, not a count"));
                }
            }
        }
        if let Some(Value::Array(stamps)) = &stamps {
            check_days(&days, stamps);
        }
    }
    r.finish(Rule {
        key: &["period"],
        counts: &["sent", "delivered", "read", "engaged"],
    })?;
    Ok(days)
}

/// Warns (once) when a chart's `datesAsTimestamp` are not the UTC midnights of its `dates`:
/// then Insider's days are not the UTC days the bounds assume.
fn check_days(days: &[ChartDay], stamps: &[Value]) {
    let off = days.iter().zip(stamps).find(|((day, _), stamp)| {
        let midnight = day.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp());
        stamp.as_i64().is_some_and(|s| Some(s) != midnight)
    });
    if let Some(((day, _), stamp)) = off {
        crate::warn_once!(
            "insider chart days",
            "{VENDOR}'s chart day {day} starts at {stamp} (datesAsTimestamp), not at 00:00 UTC: period_start and period_end assume UTC days"
        );
    }
}

/// A count: a non-negative whole number (a string, a fraction or a negative number is not).
fn count_of(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| {
        v.as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0)
            .map(|f| f as u64)
    })
}

/// A report's answers over every window, added up.
#[derive(Debug, Default)]
pub(super) struct Merged {
    /// Each day's series, by unified field.
    chart: BTreeMap<NaiveDate, BTreeMap<&'static str, u64>>,
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
    fn add(
        &mut self,
        report: StatsReport,
        view: ReportView,
        body: Value,
        resp: &ApiResponse,
    ) -> Result<(), ProviderError> {
        let bad = |what: String| resp.bad_shape(VENDOR, what);
        let mut obj = match body {
            Value::Object(mut m) => match m.remove("data") {
                Some(Value::Object(data)) if !m.contains_key("chart") => data,
                Some(other) => {
                    m.insert("data".into(), other);
                    m
                }
                None => m,
            },
            other => return Err(bad(format!("expected a JSON object, found {other}"))),
        };
        let chart = obj.remove("chart");
        if view == ReportView::Periods {
            let chart = match chart {
                Some(Value::Object(chart)) => chart,
                Some(other) => return Err(bad(format!("the chart is {other}, not an object"))),
                None => {
                    let holds: Vec<_> = obj.keys().cloned().collect();
                    return Err(bad(format!(
                        "the answer has no chart (it holds: {})",
                        holds.join(", ")
                    )));
                }
            };
            for (day, series) in read_chart(report.operation(), chart, &resp.request_line)? {
                let slot = self.chart.entry(day).or_default();
                for (field, n) in series {
                    let sum = slot.entry(field).or_default();
                    *sum = sum.saturating_add(n);
                }
            }
            return Ok(());
        }
        if report != StatsReport::Campaigns {
            add_counts(&mut self.totals, obj);
            return Ok(());
        }
        match obj.remove("summary") {
            Some(Value::Object(s)) => add_counts(&mut self.totals, s),
            _ if view == ReportView::Total => {
                return Err(bad("the answer has no summary object".to_string()));
            }
            _ => {}
        }
        match obj.remove("details") {
            Some(Value::Array(rows)) => {
                let key = super::view::path_of("id");
                for row in rows {
                    let Value::Object(row) = row else {
                        return Err(bad(format!("a details row is {row}, not an object")));
                    };
                    // A row without its id is refused when it is read (`by_campaign`).
                    let id = row.get(key).filter(|v| !v.is_null()).map(Value::to_string);
                    match id.as_ref().and_then(|id| self.index.get(id)) {
                        Some(&i) => add_counts(&mut self.campaigns[i], row),
                        None => {
                            if let Some(id) = id {
                                self.index.insert(id, self.campaigns.len());
                            }
                            self.campaigns.push(row);
                        }
                    }
                }
            }
            _ if view == ReportView::ByCampaign => {
                return Err(bad("the answer has no details array".to_string()));
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
            merged.add(report, view, body, &resp)?;
            merged.request.clone_from(&resp.request_line);
        }
        Ok(merged)
    }
}

/// The chart series that follow the common bucket fields: (field, meaning). Where each comes
/// from is the mapping's (`chart.clickFromResponses[]`).
fn series(report: StatsReport) -> &'static [(&'static str, &'static str)] {
    match report {
        StatsReport::Campaigns => &[("conversion", "conversions")],
        StatsReport::Transactional => &[
            ("conversion", "conversions"),
            ("verified", "verified messages"),
            ("responses", "replies"),
            ("click_from_responses", "clicks from replies"),
            ("conversion_from_responses", "conversions from replies"),
        ],
        StatsReport::Verify => &[
            ("verified", "OTP codes verified"),
            ("unverified", "OTP codes not verified"),
        ],
    }
}

/// The vendor-only fields of a report cut by `view`.
pub(super) fn report_fields(report: StatsReport, view: ReportView) -> Vec<FieldDef> {
    match view {
        ReportView::Periods => series(report)
            .iter()
            .map(|(name, about)| FieldDef::new(name, FieldKind::Count, about))
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

/// One bucket per chart day, or per week (Monday first) by adding the days up: Insider's days,
/// so the bounds are those of [`DAYS_ZONE`] whatever `query.zone` is (said at `-v`).
pub(super) fn periods(merged: Merged, report: StatsReport, query: &StatsQuery) -> Vec<StatsBucket> {
    let frequency = query.frequency;
    if query.zone != DAYS_ZONE {
        crate::info_once!(
            "insider days zone",
            "{VENDOR} cuts its chart days in UTC: the buckets are UTC days (period_start 00:00Z), not days of {}; the range is still read in {}",
            query.zone.name(),
            query.zone.name()
        );
    }
    let mut grouped: BTreeMap<NaiveDate, BTreeMap<&'static str, u64>> = BTreeMap::new();
    for (day, values) in merged.chart {
        let period = match frequency {
            Frequency::Daily => day,
            Frequency::Weekly => {
                day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
            }
        };
        let slot = grouped.entry(period).or_default();
        for (name, n) in values {
            let sum = slot.entry(name).or_default();
            *sum = sum.saturating_add(n);
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
                read: get("read"),
                engaged: get("engaged"),
                // Declared absent: the charts carry no failure series.
                errors: None,
                extra: series(report)
                    .iter()
                    .map(|(field, _)| cell(get(field)))
                    .collect(),
                ..StatsBucket::new(period, frequency, &DAYS_ZONE)
            }
        })
        .collect()
}

/// One summary-shaped row per campaign of the overall `details`, read at the declared paths.
pub(super) fn by_campaign(
    merged: Merged,
    report: StatsReport,
) -> Result<Vec<CampaignSummary>, ProviderError> {
    let request = merged.request;
    let cmd = command(report, ReportView::ByCampaign);
    merged
        .campaigns
        .into_iter()
        .map(|row| {
            let row = Value::Object(row);
            let mut r = View::new(cmd.clone(), "details[].", &row, &request);
            let summary = records::summary(&mut r, Identity::Read, records::BY_CAMPAIGN);
            r.finish(Rule {
                key: &["id"],
                counts: COUNTS,
            })?;
            Ok(summary)
        })
        .collect()
}

/// The totals of the range as one summary-shaped row, read at the declared paths.
pub(super) fn total(merged: Merged, report: StatsReport) -> Result<CampaignSummary, ProviderError> {
    let at = match report {
        StatsReport::Campaigns => "summary.",
        StatsReport::Transactional | StatsReport::Verify => "",
    };
    let totals = Value::Object(merged.totals);
    let mut r = View::new(
        command(report, ReportView::Total),
        at,
        &totals,
        &merged.request,
    );
    let summary = records::summary(&mut r, Identity::None, total_extras(report));
    r.finish(Rule {
        key: &[],
        counts: COUNTS,
    })?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    use super::super::mapping::tests::sample;
    use crate::provider::mapping::fields_of;
    use crate::provider::{CampaignFilters, Operation, QueryRange, Record};
    use serde_json::json;

    fn query(zone: Zone, frequency: Frequency) -> StatsQuery {
        StatsQuery {
            range: QueryRange {
                range: DateRange {
                    start: at("2025-03-01T00:00:00Z"),
                    end: at("2025-03-03T00:00:00Z"),
                },
                explicit: true,
            },
            zone,
            frequency,
            campaign_type: None,
            filters: CampaignFilters::default(),
        }
    }

    fn report_of(op: Operation) -> StatsReport {
        match op {
            Operation::TransactionalStats => StatsReport::Transactional,
            Operation::VerifyStats => StatsReport::Verify,
            _ => StatsReport::Campaigns,
        }
    }

    /// The buckets of one window's chart.
    fn buckets(
        op: Operation,
        chart: Value,
        q: &StatsQuery,
    ) -> Result<Vec<StatsBucket>, ProviderError> {
        let Value::Object(chart) = chart else {
            panic!()
        };
        let mut merged = Merged::default();
        for (day, series) in read_chart(op, chart, "POST /overall")? {
            merged.chart.entry(day).or_default().extend(series);
        }
        Ok(periods(merged, report_of(op), q))
    }

    #[test]
    fn each_chart_series_is_read_from_its_declared_path_into_its_column() {
        for op in [
            Operation::Stats,
            Operation::TransactionalStats,
            Operation::VerifyStats,
        ] {
            let fields = fields_of(Vendor::Insider, op);
            let declared: Vec<_> = sources_of(MAPPING, op)
                .into_iter()
                .filter_map(|s| match s.source {
                    Source::Field(p) if s.field != "period" => Some((s.field, p)),
                    _ => None,
                })
                .collect();
            let mut chart = json!({"dates": ["2025-03-01"], "drop": [5], "undelivered": [6]});
            for (i, (_, path)) in declared.iter().enumerate() {
                let series = path
                    .strip_prefix("chart.")
                    .unwrap()
                    .strip_suffix("[]")
                    .unwrap();
                chart[series] = json!([10 + i]);
            }
            let row = buckets(op, chart, &query(Zone::UTC, Frequency::Daily))
                .unwrap()
                .remove(0)
                .into_row();
            let column = |f: &str| &row[fields.iter().position(|d| d.name == f).unwrap()];
            for (i, (field, path)) in declared.iter().enumerate() {
                assert_eq!(
                    column(field),
                    &Cell::Int(10 + i as i64),
                    "{op:?} {field} from {path}"
                );
            }
            let day = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
            assert_eq!(column("period"), &Cell::Date(day), "{op:?}");
            assert_eq!(
                column("period_start"),
                &Cell::Time(at("2025-03-01T00:00:00Z"))
            );
            assert_eq!(
                column("period_end"),
                &Cell::Time(at("2025-03-02T00:00:00Z"))
            );
            assert_eq!(column("errors"), &Cell::Null, "{op:?}: declared absent");
        }
    }

    #[test]
    fn chart_days_are_utc_days_whatever_the_zone_and_weeks_start_on_monday() {
        let chart = json!({"datesAsTimestamp": [1_740_787_200, 1_740_873_600],
            "sent": [1, 2], "delivered": [1, 2], "open": [0, 1], "click": [0, 0], "conversion": [0, 0]});
        let bogota = Zone::parse("America/Bogota").unwrap();
        let days = buckets(
            Operation::Stats,
            chart.clone(),
            &query(bogota, Frequency::Daily),
        )
        .unwrap();
        assert_eq!(days.len(), 2, "dates from datesAsTimestamp");
        assert_eq!(days[0].period, NaiveDate::from_ymd_opt(2025, 3, 1).unwrap());
        assert_eq!(days[0].period_start, at("2025-03-01T00:00:00Z"));
        let weeks = buckets(Operation::Stats, chart, &query(bogota, Frequency::Weekly)).unwrap();
        assert_eq!(weeks.len(), 1);
        assert_eq!(weeks[0].period_start, at("2025-02-24T00:00:00Z"));
        assert_eq!(weeks[0].period_end, at("2025-03-03T00:00:00Z"));
        assert_eq!(weeks[0].sent, Some(3));
    }

    #[test]
    fn a_chart_insider_does_not_write_is_unreadable_naming_the_paths() {
        let q = query(Zone::UTC, Frequency::Daily);
        let renamed = json!({"dates": ["2025-03-01"], "sent_count": [1], "read_count": [1]});
        let e = buckets(Operation::Stats, renamed, &q).unwrap_err();
        assert_eq!(e.exit_code(), 6);
        assert!(
            e.message.contains("it has none of the counts chart.sent[], chart.delivered[], chart.open[], chart.click[]"),
            "{}", e.message
        );
        assert!(
            e.message
                .contains("(the answer holds: dates[], read_count[], sent_count[])"),
            "{}",
            e.message
        );
        let undated = json!({"sent": [1], "delivered": [1]});
        let e = buckets(Operation::Stats, undated, &q).unwrap_err();
        assert!(
            e.message.contains("it lacks chart.dates[]"),
            "{}",
            e.message
        );
        let uneven = json!({"dates": ["2025-03-01"], "sent": [1, 2]});
        let e = buckets(Operation::Stats, uneven, &q).unwrap_err();
        assert!(
            e.message.contains("chart.sent[]: 2 values for 1 dates"),
            "{}",
            e.message
        );
        for bad in [json!(-1), json!(1.5), json!("3")] {
            let chart = json!({"dates": ["2025-03-01"], "sent": [bad]});
            let e = buckets(Operation::Stats, chart, &q).unwrap_err();
            assert!(
                e.message
                    .contains(&format!("chart.sent[]: holds {bad}, not a count")),
                "{}",
                e.message
            );
        }
    }

    /// Every field of the views with a vendor path, and its kind.
    fn view_fields(extras: &[Extra]) -> Vec<(String, crate::output::FieldKind)> {
        CampaignSummary::common_fields()
            .into_iter()
            .chain(records::defs(extras))
            .filter(|f| !f.name.ends_with("_rate") && f.name != "errors")
            .map(|f| (f.name.into_owned(), f.kind))
            .collect()
    }

    #[test]
    fn each_view_field_is_read_at_the_summary_path_or_the_views_own() {
        let fields = view_fields(records::BY_CAMPAIGN);
        let mut row = Map::new();
        for (i, (field, kind)) in fields.iter().enumerate() {
            row.insert(
                super::super::view::path_of(field).into(),
                sample(field, *kind, i, true).0,
            );
        }
        let merged = Merged {
            campaigns: vec![row],
            request: "POST /overall".into(),
            ..Merged::default()
        };
        let printed = by_campaign(merged, StatsReport::Campaigns)
            .unwrap()
            .remove(0)
            .into_row();
        let names: Vec<_> = CampaignSummary::common_fields()
            .into_iter()
            .chain(records::defs(records::BY_CAMPAIGN))
            .map(|f| f.name.into_owned())
            .collect();
        for (i, (field, kind)) in fields.iter().enumerate() {
            let at = names.iter().position(|n| n == field).unwrap();
            let want = match field.as_str() {
                // Texts become statuses as given, not lower-cased, in the views.
                "status" => Cell::Text(format!("Status-{i}")),
                _ => sample(field, *kind, i, true).1,
            };
            assert_eq!(printed[at], want, "--by-campaign {field}");
        }
    }

    #[test]
    fn views_without_counts_or_a_campaign_id_are_unreadable_naming_the_paths() {
        let merged = Merged {
            totals: json!({"sent_count": 3}).as_object().cloned().unwrap(),
            request: "POST /overall".into(),
            ..Merged::default()
        };
        let e = total(merged, StatsReport::Campaigns).unwrap_err();
        assert_eq!(e.exit_code(), 6);
        assert!(e.message.starts_with("cannot read Insider's answer to 'stats --total': it has none of the counts summary.targeted, summary.sent, summary.delivered, summary.open, summary.click, summary.drop, summary.undelivered (the answer holds: sent_count)"), "{}", e.message);
        let merged = Merged {
            campaigns: vec![
                json!({"campName": "x", "sent": 1})
                    .as_object()
                    .cloned()
                    .unwrap(),
            ],
            request: "POST /overall".into(),
            ..Merged::default()
        };
        let e = by_campaign(merged, StatsReport::Campaigns).unwrap_err();
        assert!(
            e.message.contains("it lacks details[].campaignId"),
            "{}",
            e.message
        );
        let merged = Merged {
            totals: json!({"sent": 3, "verified": -1})
                .as_object()
                .cloned()
                .unwrap(),
            request: "POST /verify".into(),
            ..Merged::default()
        };
        let e = total(merged, StatsReport::Verify).unwrap_err();
        assert!(
            e.message.contains("'stats --report verify --total'")
                && e.message.contains("verified is -1, not a count"),
            "{}",
            e.message
        );
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
