//! Walking a range through Wolkvox's report limits (vendors.md Part 1 "Wolkvox", Part 2 §4.1):
//! at most 31 days per request, so ranges are split into half-open windows that tile them; at
//! most 60,000 rows per answer, returned oldest first and silently cut, so a full answer is
//! treated as truncated and its window bisected until every piece is under the cap. A row a seam
//! could have doubled (the same key in two consecutive windows) is dropped.

use std::collections::HashSet;

use crate::provider::paging::{self, Step, Then};
use crate::provider::{ErrorKind, ProviderError, RecordStream};
use crate::time::{DateRange, Zone};
use chrono::{DateTime, Duration, Utc};

use super::VENDOR;
use super::client::{Page, WolkvoxClient};
use super::wire::WireRow;

/// "Date range ≤ 31 days" per request (Part 2 §4.1; Part 1: longer is a 400).
pub(super) const MAX_SPAN: Duration = Duration::days(31);

/// "Download ≤ 60,000 records per call" (Part 2 §4.1): an answer this long may be cut.
pub(super) const MAX_ROWS: usize = 60_000;

/// `YYYYMMDDHHMMSS` of an instant in the operation's zone (`date_ini`, `date_end`).
pub(super) fn date_param(t: DateTime<Utc>, zone: &Zone) -> String {
    zone.to_local(t).format("%Y%m%d%H%M%S").to_string()
}

/// The windows of a range, oldest first, each at most 31 days as the vendor counts them: from
/// `date_ini` to the inclusive `date_end` in the operation's local time, so a window that a
/// daylight-saving change would stretch past 31 wall-clock days is halved.
pub(super) fn plan(range: &DateRange, zone: &Zone) -> Vec<DateRange> {
    fn fit(w: DateRange, zone: &Zone, out: &mut Vec<DateRange>) {
        let last = w.end - Duration::seconds(1);
        let span = zone.to_local(last) - zone.to_local(w.start);
        match w.bisect() {
            Some((a, b)) if span > MAX_SPAN => {
                fit(a, zone, out);
                fit(b, zone, out);
            }
            _ => out.push(w),
        }
    }
    let mut out = Vec::new();
    for w in range.split(MAX_SPAN) {
        fit(w, zone, &mut out);
    }
    out
}

/// A window as the vendor is asked for it: its inclusive local bounds and the zone.
pub(super) fn describe(w: &DateRange, zone: &Zone) -> String {
    let first = zone.to_local(w.start).format("%Y-%m-%d %H:%M:%S");
    let last = zone
        .to_local((w.end - Duration::seconds(1)).max(w.start))
        .format("%Y-%m-%d %H:%M:%S");
    if first.to_string() == last.to_string() {
        format!("the one-second window {first} ({})", zone.name())
    } else {
        format!("the window {first} – {last} ({})", zone.name())
    }
}

/// Which report to walk, and how.
pub(super) struct Walk<'a> {
    pub client: &'a WolkvoxClient,
    /// `chat_14`, `campaign_9`.
    pub api: &'static str,
    /// campaign_9's `campaign_id` (a number or `all`).
    pub campaign_id: Option<String>,
    pub range: DateRange,
    /// The operation's zone (the profile's `timezone`).
    pub zone: Zone,
}

/// What the walk has seen so far.
struct Checker {
    api: &'static str,
    zone: Zone,
    /// The keys of the previous window's rows.
    previous: HashSet<String>,
    /// What is left of `--offset` and `--limit`.
    skip: u64,
    limit: Option<u64>,
}

/// One window's answer, checked: its rows, or the halves to ask for instead.
enum Taken<T> {
    Rows(Vec<T>),
    Split(DateRange, DateRange),
}

impl Checker {
    /// Checks the answer for `window` against the cap, the count Wolkvox reported and the
    /// previous window.
    fn take<T: WireRow>(
        &mut self,
        window: DateRange,
        page: Page<T>,
    ) -> Result<Taken<T>, ProviderError> {
        let (api, zone) = (self.api, self.zone);
        // No total is known before the last window, so the bar counts pages, with no ETA.
        crate::progress::page_done();
        let served = page.rows.len();
        if served >= MAX_ROWS {
            let Some((first, second)) = window.bisect() else {
                return Err(ProviderError::new(
                    ErrorKind::Incomplete,
                    VENDOR,
                    format!(
                        "{api} returned {served} rows for {}, Wolkvox's cap per request, so it may hold more rows that no smaller window can reach",
                        describe(&window, &zone)
                    ),
                )
                .with_request("GET /reports_manager.php")
                .with_hint("the rows of that second cannot be proven complete through this report; ask Wolkvox for an export of that second"));
            };
            info!(
                "Wolkvox {api}: {} returned {served} rows, the cap: asking for each half",
                describe(&window, &zone)
            );
            return Ok(Taken::Split(first, second));
        }
        if let Some(reported) = page.reported.filter(|n| *n != served as u64) {
            return Err(ProviderError::new(
                ErrorKind::Incomplete,
                VENDOR,
                format!(
                    "{api} said {reported} records were found for {} but sent {served}",
                    describe(&window, &zone)
                ),
            )
            .with_request("GET /reports_manager.php")
            .with_hint("the rows could not be proven complete; run the command again (with -o, the previous file was kept)"));
        }
        let mut keys = HashSet::with_capacity(served);
        let mut rows = page.rows;
        rows.retain(|row| match row.key() {
            Some(k) if self.previous.contains(&k) => false,
            Some(k) => {
                keys.insert(k);
                true
            }
            None => true,
        });
        if rows.len() < served {
            info!(
                "Wolkvox {api}: dropped {} row(s) of {} already returned by the previous window",
                served - rows.len(),
                describe(&window, &zone)
            );
        }
        self.previous = keys;
        // --offset and --limit apply to the whole result, across windows.
        let skipped = self.skip.min(rows.len() as u64);
        self.skip -= skipped;
        rows.drain(..skipped as usize);
        if let Some(l) = &mut self.limit {
            rows.truncate(usize::try_from(*l).unwrap_or(usize::MAX));
            *l -= rows.len() as u64;
        }
        Ok(Taken::Rows(rows))
    }
}

/// The rows of every window, converted (the first row `convert` cannot read ends the walk), in
/// order; `skip` rows dropped first and at most `limit` kept (no window is asked for once the
/// limit is reached). One window at a time: Wolkvox serves one request per token at once.
pub(super) fn records<'a, T, U, F>(
    walk: Walk<'a>,
    skip: u64,
    limit: Option<u64>,
    convert: F,
) -> RecordStream<'a, U>
where
    T: WireRow + 'a,
    U: Send + 'a,
    F: Fn(T) -> Result<U, ProviderError> + Send + Sync + 'a,
{
    if limit == Some(0) {
        return futures::StreamExt::boxed(futures::stream::empty());
    }
    let windows = plan(&walk.range, &walk.zone);
    let mut checker = Checker {
        api: walk.api,
        zone: walk.zone,
        previous: HashSet::new(),
        skip,
        limit,
    };
    let Walk {
        client,
        api,
        campaign_id,
        zone,
        ..
    } = walk;
    paging::walk(
        windows,
        1,
        Box::new(move |window: DateRange| {
            let campaign_id = campaign_id.clone();
            Box::pin(async move {
                client
                    .report::<T>(api, campaign_id.as_deref(), &window, &zone)
                    .await
            })
        }),
        Box::new(move |window, page| {
            let rows = match checker.take(window, page)? {
                Taken::Split(first, second) => {
                    return Ok(Step::new(Vec::new(), Then::Before(vec![first, second])));
                }
                Taken::Rows(rows) => rows,
            };
            let page = rows
                .into_iter()
                .map(&convert)
                .collect::<Result<Vec<U>, ProviderError>>()?;
            let then = if checker.limit == Some(0) {
                Then::Stop
            } else {
                Then::Go
            };
            Ok(Step::new(page, then))
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn ranges_over_31_days_tile_into_31_day_windows() {
        let range = DateRange::new(utc(2026, 1, 1, 0), utc(2026, 4, 1, 0)).unwrap();
        let w = plan(&range, &Zone::UTC);
        let bounds: Vec<_> = w.iter().map(|w| (w.start, w.end)).collect();
        assert_eq!(
            bounds,
            [
                (utc(2026, 1, 1, 0), utc(2026, 2, 1, 0)),
                (utc(2026, 2, 1, 0), utc(2026, 3, 4, 0)),
                (utc(2026, 3, 4, 0), utc(2026, 4, 1, 0)),
            ]
        );
    }

    #[test]
    fn a_window_stretched_by_a_dst_change_is_halved() {
        // New York springs forward on 2026-03-08: 31 UTC days from Feb 20 are 31 days and one
        // hour on the wall clock.
        let ny = Zone::parse("America/New_York").unwrap();
        let range = DateRange::new(utc(2026, 2, 20, 5), utc(2026, 3, 23, 5)).unwrap();
        let w = plan(&range, &ny);
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!((w[0].start, w[1].end), (range.start, range.end));
        assert_eq!(w[0].end, w[1].start);
        // Without a change, one window.
        assert_eq!(plan(&range, &Zone::UTC).len(), 1);
    }

    #[test]
    fn dates_are_compact_local_times() {
        let bogota = Zone::parse("America/Bogota").unwrap();
        assert_eq!(date_param(utc(2026, 4, 2, 4), &bogota), "20260401230000");
        let second = DateRange::new(
            utc(2026, 4, 2, 4),
            utc(2026, 4, 2, 4) + Duration::seconds(1),
        )
        .unwrap();
        assert_eq!(
            describe(&second, &bogota),
            "the one-second window 2026-04-01 23:00:00 (America/Bogota)"
        );
    }
}
