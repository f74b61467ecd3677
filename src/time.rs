//! WHEN and RANGE parsing, time zones, and the window splitter (product.md, "Command tree").
//!
//! Ranges are half-open `[start, end)` in UTC, on whole seconds. `--to` is exclusive, except that a
//! date-only `--to` (and `today`/`yesterday`) means the end of that day, so consecutive runs
//! `--from A --to B`, `--from B --to C` never read an instant twice.

use std::cmp::Ordering;

use chrono::{
    DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeZone,
    Utc,
};

/// A half-open range of instants `[start, end)`, on whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateRange {
    /// First instant in the range.
    pub start: DateTime<Utc>,
    /// First instant after the range.
    pub end: DateTime<Utc>,
}

/// A time zone the user named: an IANA name (`America/Bogota`, `UTC`) or a fixed offset (`+05:30`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// An IANA zone.
    Named(chrono_tz::Tz),
    /// A fixed offset from UTC.
    Fixed(FixedOffset),
}

/// The RANGE options as the user typed them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RangeInput {
    /// `--from WHEN`.
    pub from: Option<String>,
    /// `--to WHEN`.
    pub to: Option<String>,
    /// `--last DURATION`.
    pub last: Option<String>,
}

/// Why a date, duration, zone or range was refused (always a usage error, exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TimeError(pub String);

impl Zone {
    /// UTC.
    pub const UTC: Zone = Zone::Named(chrono_tz::Tz::UTC);

    /// Parses an IANA name or an offset such as `+05:30`, `-0300`, `Z`.
    pub fn parse(s: &str) -> Result<Zone, TimeError> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") {
            return Ok(Zone::UTC);
        }
        if let Some(offset) = parse_offset(t) {
            return Ok(Zone::Fixed(offset));
        }
        t.parse::<chrono_tz::Tz>().map(Zone::Named).map_err(|_| {
            TimeError(format!(
                "unknown time zone '{s}': use an IANA name such as 'America/Bogota' or 'UTC', or an offset such as '-05:00'"
            ))
        })
    }

    /// The instant a wall-clock time in this zone names. A time that falls in a DST gap is an
    /// error; an ambiguous one (DST fold) takes the earlier instant.
    pub fn to_utc(&self, local: NaiveDateTime) -> Result<DateTime<Utc>, TimeError> {
        use chrono::offset::LocalResult;
        let result = match self {
            Zone::Named(tz) => tz
                .from_local_datetime(&local)
                .map(|t| t.with_timezone(&Utc)),
            Zone::Fixed(off) => off
                .from_local_datetime(&local)
                .map(|t| t.with_timezone(&Utc)),
        };
        match result {
            LocalResult::Single(t) => Ok(t),
            LocalResult::Ambiguous(earlier, _) => Ok(earlier),
            LocalResult::None => Err(TimeError(format!(
                "{} does not exist in {} (it falls in a daylight-saving gap)",
                local.format("%Y-%m-%d %H:%M:%S"),
                self.name()
            ))),
        }
    }

    /// The wall-clock time in this zone of an instant.
    pub fn to_local(&self, t: DateTime<Utc>) -> NaiveDateTime {
        match self {
            Zone::Named(tz) => t.with_timezone(tz).naive_local(),
            Zone::Fixed(off) => t.with_timezone(off).naive_local(),
        }
    }

    /// The zone's name as the user would write it.
    pub fn name(&self) -> String {
        match self {
            Zone::Named(tz) => tz.name().to_string(),
            Zone::Fixed(off) => off.to_string(),
        }
    }
}

/// `+05:30`, `-0300`, `+05`.
fn parse_offset(s: &str) -> Option<FixedOffset> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) || !(digits.len() == 2 || digits.len() == 4) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = if digits.len() == 4 {
        digits[2..].parse().ok()?
    } else {
        0
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

impl DateRange {
    /// A range, truncating both ends to whole seconds and refusing one whose end is not after its
    /// start.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<DateRange, TimeError> {
        ordered(whole_seconds(start), whole_seconds(end), "start", "end")
    }

    /// `[start, end)` as given, unchecked.
    fn raw(start: DateTime<Utc>, end: DateTime<Utc>) -> DateRange {
        DateRange { start, end }
    }

    /// The range's length.
    pub fn duration(&self) -> Duration {
        self.end - self.start
    }

    /// Whether `t` lies in `[start, end)`.
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.start <= t && t < self.end
    }

    /// Tiles the range into consecutive half-open windows of at most `max` each, oldest first:
    /// the first starts at `start`, each ends where the next starts, the last ends at `end`, so
    /// every instant is in exactly one window. `max` must be at least one second.
    ///
    /// `max` is floored to whole seconds, and anything below one second counts as one second.
    /// A range with `end <= start` (only possible by setting the fields directly) gives no windows.
    pub fn split(&self, max: Duration) -> Vec<DateRange> {
        if self.end <= self.start {
            return Vec::new();
        }
        let step = Duration::seconds(max.num_seconds().max(1));
        let count = self.duration().num_seconds() / step.num_seconds() + 1;
        let mut windows = Vec::with_capacity(usize::try_from(count).unwrap_or(0).min(1 << 16));
        let mut cursor = self.start;
        while cursor < self.end {
            let next = cursor
                .checked_add_signed(step)
                .map_or(self.end, |t| t.min(self.end));
            windows.push(DateRange::raw(cursor, next));
            cursor = next;
        }
        windows
    }

    /// Splits the range into two halves on a whole second (for bisecting a truncated window);
    /// `None` when the range is one second or less.
    ///
    /// The split point is the midpoint floored to a whole second, strictly inside the range.
    pub fn bisect(&self) -> Option<(DateRange, DateRange)> {
        if self.duration() <= Duration::seconds(1) {
            return None;
        }
        let mut mid = whole_seconds(self.start + self.duration() / 2);
        if mid <= self.start {
            mid = whole_seconds(self.start) + Duration::seconds(1);
        }
        if mid >= self.end {
            return None;
        }
        Some((
            DateRange::raw(self.start, mid),
            DateRange::raw(mid, self.end),
        ))
    }
}

/// `t` without its sub-second part (a leap second counts as the second before it).
fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}

/// `t` as RFC 3339 UTC on whole seconds, e.g. `2026-04-01T00:00:00Z`.
fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `[start, end)`, or an error naming both ends, each after its label (`--from`, `now`, ...).
fn ordered(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    from: &str,
    to: &str,
) -> Result<DateRange, TimeError> {
    let name = |label: &str, t| match label {
        "now" => format!("now ({})", rfc3339(t)),
        _ => format!("{label} {}", rfc3339(t)),
    };
    let (from, to) = (name(from, start), name(to, end));
    match end.cmp(&start) {
        Ordering::Greater => Ok(DateRange::raw(start, end)),
        Ordering::Equal => Err(TimeError(format!(
            "the range is empty: {from} is the same instant as {to}"
        ))),
        Ordering::Less => Err(TimeError(format!(
            "the range is reversed: {from} is after {to}"
        ))),
    }
}

const DURATION_FORMS: &str =
    "use a positive whole number and a unit s, m, h, d or w, such as 30s, 90m, 24h, 7d or 2w";

/// Parses a DURATION: a positive whole number and a unit, `s`, `m`, `h`, `d` or `w` (`7d`, `24h`,
/// `90m`).
pub fn parse_duration(s: &str) -> Result<Duration, TimeError> {
    let fail = |why: &str| TimeError(format!("invalid duration '{s}': {why}; {DURATION_FORMS}"));
    let t = s.trim();
    let Some(unit) = t.chars().last() else {
        return Err(fail("it is empty"));
    };
    let number = &t[..t.len() - unit.len_utf8()];
    let unit_seconds: u64 = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        'w' => 604_800,
        u if u.is_ascii_digit() => return Err(fail("the unit is missing")),
        u => return Err(fail(&format!("'{u}' is not a unit"))),
    };
    if number.starts_with('-') {
        return Err(fail("it must be positive"));
    }
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(fail("the amount is not a whole number"));
    }
    let too_long = || fail("it is too long");
    let amount: u64 = number.parse().map_err(|_| too_long())?;
    if amount == 0 {
        return Err(fail("it must be greater than zero"));
    }
    amount
        .checked_mul(unit_seconds)
        .and_then(|secs| i64::try_from(secs).ok())
        .and_then(Duration::try_seconds)
        .ok_or_else(too_long)
}

const WHEN_FORMS: &str = "expected YYYY-MM-DD, 'YYYY-MM-DD HH:MM[:SS]', RFC 3339 \
    (2026-04-01T13:05:00Z), now, today, yesterday, or an offset such as -7d";

/// Parses a WHEN: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` (also with `T`), RFC 3339, `now`, `today`,
/// `yesterday`, or an offset from now such as `-7d`. Times without an offset are read in `zone`.
/// With `end_of_day`, a date-only value (and `today`/`yesterday`) means the end of that day, i.e.
/// the next midnight, since ranges are half-open. The result is truncated to whole seconds.
pub fn parse_when(
    s: &str,
    zone: &Zone,
    now: DateTime<Utc>,
    end_of_day: bool,
) -> Result<DateTime<Utc>, TimeError> {
    let t = s.trim();
    let now = whole_seconds(now);
    let invalid = || TimeError(format!("invalid date '{t}': {WHEN_FORMS}"));
    let out_of_range = || {
        TimeError(format!(
            "invalid date '{t}': it is out of the supported range"
        ))
    };
    // A date-only value: its midnight, or the next one with `end_of_day`.
    let day = |date: NaiveDate| -> Result<DateTime<Utc>, TimeError> {
        let date = if end_of_day {
            date.succ_opt().ok_or_else(out_of_range)?
        } else {
            date
        };
        start_of_day(zone, date).ok_or_else(out_of_range)
    };
    match t.to_ascii_lowercase().as_str() {
        "now" => return Ok(now),
        "today" => return day(zone.to_local(now).date()),
        "yesterday" => {
            let today = zone.to_local(now).date();
            return day(today.pred_opt().ok_or_else(out_of_range)?);
        }
        _ => {}
    }
    if let Some(rest) = t.strip_prefix('-') {
        let span = parse_duration(rest).map_err(|_| invalid())?;
        return now.checked_sub_signed(span).ok_or_else(out_of_range);
    }
    if let Some(rest) = t.strip_prefix('+') {
        if parse_duration(rest).is_ok() {
            return Err(TimeError(format!(
                "invalid date '{t}': offsets count back from now, such as -{rest}"
            )));
        }
        return Err(invalid());
    }
    if let Some((date, time)) = parse_local(t) {
        return match time {
            None => day(date),
            Some(time) => zone
                .to_utc(date.and_time(time))
                .map(whole_seconds)
                .map_err(|e| TimeError(format!("invalid date '{t}': {e}"))),
        };
    }
    let mut normalized = t.to_ascii_uppercase();
    if normalized.get(10..11) == Some(" ") {
        normalized.replace_range(10..11, "T");
    }
    DateTime::parse_from_rfc3339(&normalized)
        .map(|d| whole_seconds(d.with_timezone(&Utc)))
        .map_err(|_| invalid())
}

/// The first instant of `date` in `zone`: its midnight, or, where the day starts in a DST gap,
/// the first wall-clock minute that exists.
fn start_of_day(zone: &Zone, date: NaiveDate) -> Option<DateTime<Utc>> {
    let midnight = date.and_time(NaiveTime::MIN);
    (0..24 * 60).find_map(|minute| {
        let local = midnight.checked_add_signed(Duration::minutes(minute))?;
        zone.to_utc(local).ok()
    })
}

/// `YYYY-MM-DD`, or `YYYY-MM-DD[ T]HH:MM[:SS[.fraction]]` with no offset. `None` when the text
/// has another shape or names no real date or time.
fn parse_local(t: &str) -> Option<(NaiveDate, Option<NaiveTime>)> {
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = t.get(range)?;
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let b = t.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(num(0..4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?)?;
    if b.len() == 10 {
        return Some((date, None));
    }
    if !matches!(b[10], b' ' | b'T' | b't') || b.len() < 16 || b[13] != b':' {
        return None;
    }
    let (hour, minute) = (num(11..13)?, num(14..16)?);
    let second = match b.len() {
        16 => 0,
        19.. if b[16] == b':' => {
            // An optional fraction is accepted and dropped: results are on whole seconds.
            let fraction = t.get(19..)?;
            if !fraction.is_empty() {
                let digits = fraction.strip_prefix('.')?;
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
            }
            num(17..19)?
        }
        _ => return None,
    };
    Some((date, Some(NaiveTime::from_hms_opt(hour, minute, second)?)))
}

/// Resolves RANGE options into a range: `--last D` is `[now - D, now)`; `--from` alone ends now;
/// `--to` alone starts `default_span` before it; neither gives the last `default_span`. `--last`
/// with `--from` or `--to` is an error, and so is a range whose end is not after its start. The
/// boolean is true when the user gave any of the options.
///
/// `now` is truncated to whole seconds first; `--to` is read with `end_of_day`.
pub fn resolve_range(
    input: &RangeInput,
    zone: &Zone,
    now: DateTime<Utc>,
    default_span: Duration,
) -> Result<(DateRange, bool), TimeError> {
    let now = whole_seconds(now);
    let too_far = || TimeError("the range reaches before the earliest supported date".to_string());
    let explicit = input.from.is_some() || input.to.is_some() || input.last.is_some();
    let when = |option: &str, value: &str, end_of_day: bool| {
        parse_when(value, zone, now, end_of_day).map_err(|e| TimeError(format!("{option}: {e}")))
    };
    let (start, end, from, to) = match (&input.from, &input.to, &input.last) {
        (Some(_), _, Some(_)) | (_, Some(_), Some(_)) => {
            let message = "use either --last or --from/--to, not both";
            return Err(TimeError(message.to_string()));
        }
        (None, None, Some(last)) => {
            let span = parse_duration(last).map_err(|e| TimeError(format!("--last: {e}")))?;
            let start = now.checked_sub_signed(span).ok_or_else(too_far)?;
            (start, now, "the start", "now")
        }
        (Some(from), Some(to), None) => {
            let (start, end) = (when("--from", from, false)?, when("--to", to, true)?);
            (start, end, "--from", "--to")
        }
        (Some(from), None, None) => (when("--from", from, false)?, now, "--from", "now"),
        (None, Some(to), None) => {
            let end = when("--to", to, true)?;
            let start = end.checked_sub_signed(default_span).ok_or_else(too_far)?;
            (start, end, "the default start", "--to")
        }
        (None, None, None) => {
            let start = now.checked_sub_signed(default_span).ok_or_else(too_far)?;
            (start, now, "the default start", "now")
        }
    };
    Ok((ordered(start, end, from, to)?, explicit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }
    fn now() -> DateTime<Utc> {
        utc("2026-04-15T03:30:00.750Z") // Bogota: Apr 14 22:30; Madrid: Apr 15 05:30
    }
    fn zone(name: &str) -> Zone {
        Zone::parse(name).unwrap()
    }
    /// `s` parsed in UTC, not end of day.
    fn when(s: &str) -> Result<DateTime<Utc>, TimeError> {
        parse_when(s, &Zone::UTC, now(), false)
    }
    /// A range on whole Unix seconds, built directly (no validation).
    fn secs(start: i64, end: i64) -> DateRange {
        let t = |s| DateTime::from_timestamp(s, 0).unwrap();
        DateRange::raw(t(start), t(end))
    }
    /// Asserts that `result` failed with a message containing every needle.
    fn assert_err<T: std::fmt::Debug>(result: Result<T, TimeError>, needles: &[&str]) {
        let message = result.unwrap_err().0;
        for needle in needles {
            assert!(message.contains(needle), "{message:?} lacks {needle:?}");
        }
    }
    /// Checks rows of `input | expected | expected with end_of_day` (RFC 3339 UTC) in `zone`.
    fn check_when(name: &str, table: &str) {
        for row in table.lines().filter(|row| !row.trim().is_empty()) {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            for (end_of_day, expected) in [(false, cells[1]), (true, cells[2])] {
                let got = parse_when(cells[0], &zone(name), now(), end_of_day).map(rfc3339);
                assert_eq!(
                    got.as_deref(),
                    Ok(expected),
                    "{name}: {row} eod={end_of_day}"
                );
            }
        }
    }
    /// Resolves `--from`, `--to`, `--last` (empty = not given) in `z` with a 30-day default.
    fn range(from: &str, to: &str, last: &str, z: &str) -> Result<(DateRange, bool), TimeError> {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let (from, to, last) = (opt(from), opt(to), opt(last));
        resolve_range(
            &RangeInput { from, to, last },
            &zone(z),
            now(),
            Duration::days(30),
        )
    }
    fn ok(start: &str, end: &str, explicit: bool) -> Result<(DateRange, bool), TimeError> {
        Ok((DateRange::raw(utc(start), utc(end)), explicit))
    }

    #[test]
    fn every_when_form_in_utc() {
        check_when(
            "UTC",
            "2026-04-01                    | 2026-04-01T00:00:00Z | 2026-04-02T00:00:00Z
             2026-04-01 13:05              | 2026-04-01T13:05:00Z | 2026-04-01T13:05:00Z
             2026-04-01T13:05:09           | 2026-04-01T13:05:09Z | 2026-04-01T13:05:09Z
             2026-04-01 13:05:09.999       | 2026-04-01T13:05:09Z | 2026-04-01T13:05:09Z
             2026-04-01T13:05:00Z          | 2026-04-01T13:05:00Z | 2026-04-01T13:05:00Z
             2026-04-01t13:05:00.5z        | 2026-04-01T13:05:00Z | 2026-04-01T13:05:00Z
             2026-04-01T08:05:00-05:00     | 2026-04-01T13:05:00Z | 2026-04-01T13:05:00Z
             2026-04-01 08:05:00.98-05:00  | 2026-04-01T13:05:00Z | 2026-04-01T13:05:00Z
             NOW                           | 2026-04-15T03:30:00Z | 2026-04-15T03:30:00Z
             Today                         | 2026-04-15T00:00:00Z | 2026-04-16T00:00:00Z
             yesterday                     | 2026-04-14T00:00:00Z | 2026-04-15T00:00:00Z
             -7d                           | 2026-04-08T03:30:00Z | 2026-04-08T03:30:00Z
             -24h                          | 2026-04-14T03:30:00Z | 2026-04-14T03:30:00Z
             -90m                          | 2026-04-15T02:00:00Z | 2026-04-15T02:00:00Z
             -2w                           | 2026-04-01T03:30:00Z | 2026-04-01T03:30:00Z
             -30s                          | 2026-04-15T03:29:30Z | 2026-04-15T03:29:30Z",
        );
        assert_eq!(when("  now \n"), Ok(utc("2026-04-15T03:30:00Z")));
    }

    #[test]
    fn every_when_form_in_bogota() {
        check_when(
            "America/Bogota",
            "2026-04-01              | 2026-04-01T05:00:00Z | 2026-04-02T05:00:00Z
             2026-04-01 08:05        | 2026-04-01T13:05:00Z | 2026-04-01T13:05:00Z
             2026-04-01T08:05:30     | 2026-04-01T13:05:30Z | 2026-04-01T13:05:30Z
             2026-04-01T13:05:00Z    | 2026-04-01T13:05:00Z | 2026-04-01T13:05:00Z
             now                     | 2026-04-15T03:30:00Z | 2026-04-15T03:30:00Z
             today                   | 2026-04-14T05:00:00Z | 2026-04-15T05:00:00Z
             yesterday               | 2026-04-13T05:00:00Z | 2026-04-14T05:00:00Z
             -7d                     | 2026-04-08T03:30:00Z | 2026-04-08T03:30:00Z",
        );
    }

    #[test]
    fn every_when_form_in_madrid_across_dst() {
        // 2026-03-29 has 23 hours (02:00 -> 03:00), 2026-10-25 has 25 (03:00 -> 02:00): a
        // folded wall-clock time takes the earlier instant.
        check_when(
            "Europe/Madrid",
            "2026-01-15 10:00          | 2026-01-15T09:00:00Z | 2026-01-15T09:00:00Z
             2026-07-15T10:00:00       | 2026-07-15T08:00:00Z | 2026-07-15T08:00:00Z
             2026-04-01                | 2026-03-31T22:00:00Z | 2026-04-01T22:00:00Z
             2026-03-29                | 2026-03-28T23:00:00Z | 2026-03-29T22:00:00Z
             2026-10-25                | 2026-10-24T22:00:00Z | 2026-10-25T23:00:00Z
             2026-10-25 02:30          | 2026-10-25T00:30:00Z | 2026-10-25T00:30:00Z
             2026-04-01T08:05:00-05:00 | 2026-04-01T13:05:00Z | 2026-04-01T13:05:00Z
             today                     | 2026-04-14T22:00:00Z | 2026-04-15T22:00:00Z
             yesterday                 | 2026-04-13T22:00:00Z | 2026-04-14T22:00:00Z
             -2w                       | 2026-04-01T03:30:00Z | 2026-04-01T03:30:00Z",
        );
    }

    #[test]
    fn a_day_starting_in_a_dst_gap_starts_at_its_first_real_minute() {
        // Santiago skips 2026-09-06 00:00..01:00 (-04:00 -> -03:00).
        check_when(
            "America/Santiago",
            "2026-09-06 | 2026-09-06T04:00:00Z | 2026-09-07T03:00:00Z
             2026-09-05 | 2026-09-05T04:00:00Z | 2026-09-06T04:00:00Z",
        );
    }

    #[test]
    fn local_time_in_a_dst_gap_is_an_error() {
        let gap = parse_when("2026-03-29 02:30", &zone("Europe/Madrid"), now(), false);
        assert_err(
            gap,
            &["'2026-03-29 02:30'", "Europe/Madrid", "daylight-saving"],
        );
    }

    #[test]
    fn bad_dates_are_errors_quoting_the_input() {
        assert_eq!(
            when("2026-13-01").unwrap_err().0,
            "invalid date '2026-13-01': expected YYYY-MM-DD, 'YYYY-MM-DD HH:MM[:SS]', RFC 3339 \
             (2026-04-01T13:05:00Z), now, today, yesterday, or an offset such as -7d"
        );
        let bad = "2026-02-30|2026-04-01 25:00|2026-04-01 12:60|2026-04-01 13:05:60|2026-4-1|\
                   2026/04/01||-|tomorrow|-7x|-0d|--7d|12345|2026-04-01 13:05 x|2026-04-01T|\
                   2026-04-01T13:05:00+25:00|２０２６-04-01";
        for bad in bad.split('|') {
            assert_err(when(bad), &[&format!("'{bad}'"), "YYYY-MM-DD"]);
        }
        assert_err(when("+7d"), &["'+7d'", "such as -7d"]);
        assert_err(
            when("-9999999999w"),
            &["'-9999999999w'", "out of the supported range"],
        );
    }

    #[test]
    fn durations_parse_each_unit() {
        let cases = [
            ("30s", 30),
            ("90m", 5_400),
            ("24h", 86_400),
            (" 7d ", 604_800),
        ];
        for (input, secs) in cases.into_iter().chain([("2w", 1_209_600)]) {
            assert_eq!(
                parse_duration(input),
                Ok(Duration::seconds(secs)),
                "{input}"
            );
        }
    }

    #[test]
    fn bad_durations_are_errors_quoting_the_input() {
        let bad = "|7|d|7x|7D|0d|-7d|+7d|7.5h|7 d|7dd|99999999999999999999d|9223372036854775807w";
        for bad in bad.split('|') {
            let quoted = format!("'{bad}'");
            assert_err(parse_duration(bad), &[&quoted, "30s, 90m, 24h, 7d or 2w"]);
        }
    }

    #[test]
    fn range_resolves_each_combination() {
        let (now, week_ago) = ("2026-04-15T03:30:00Z", "2026-04-08T03:30:00Z");
        assert_eq!(range("", "", "7d", "UTC"), ok(week_ago, now, true));
        assert_eq!(range("-7d", "", "", "UTC"), ok(week_ago, now, true));
        let (apr1, apr8) = ("2026-04-01T05:00:00Z", "2026-04-08T05:00:00Z");
        assert_eq!(
            range("2026-04-01", "2026-04-07", "", "America/Bogota"),
            ok(apr1, apr8, true)
        );
        let (mar9, apr8) = ("2026-03-09T00:00:00Z", "2026-04-08T00:00:00Z");
        assert_eq!(range("", "2026-04-07", "", "UTC"), ok(mar9, apr8, true));
        assert_eq!(
            range("", "", "", "UTC"),
            ok("2026-03-16T03:30:00Z", now, false)
        );
    }

    #[test]
    fn range_refuses_last_with_from_or_to() {
        let message = "use either --last or --from/--to, not both";
        assert_err(range("2026-04-01", "", "7d", "UTC"), &[message]);
        assert_err(range("", "today", "7d", "UTC"), &[message]);
    }

    #[test]
    fn range_refuses_reversed_empty_and_invalid_input() {
        assert_eq!(
            range("2026-05-01", "2026-04-01 00:00", "", "UTC")
                .unwrap_err()
                .0,
            "the range is reversed: --from 2026-05-01T00:00:00Z is after --to 2026-04-01T00:00:00Z"
        );
        let empty = range("2026-04-01 10:00", "2026-04-01T10:00:00Z", "", "UTC");
        let instant = "2026-04-01T10:00:00Z";
        assert_err(
            empty,
            &["the range is empty: --from ", " as --to ", instant],
        );
        let future = range("2026-05-01", "", "", "UTC");
        assert_err(
            future,
            &[
                "reversed: --from 2026-05-01T00:00:00Z",
                "now (2026-04-15T03:30:00Z)",
            ],
        );
        assert_err(
            range("2026-02-30", "", "", "UTC"),
            &["--from: ", "'2026-02-30'"],
        );
        assert_err(
            range("", "2026-02-30", "", "UTC"),
            &["--to: ", "'2026-02-30'"],
        );
        assert_err(range("", "", "0d", "UTC"), &["--last: ", "'0d'"]);
    }

    #[test]
    fn new_truncates_to_seconds_and_refuses_end_not_after_start() {
        let (start, end) = (utc("2026-04-01T00:00:00Z"), utc("2026-04-01T00:00:01Z"));
        let r = DateRange::new(utc("2026-04-01T00:00:00.9Z"), utc("2026-04-01T00:00:01.2Z"));
        assert_eq!(r, Ok(DateRange::raw(start, end)));
        assert_err(
            DateRange::new(end, start),
            &["reversed: start 2026-04-01T00:00:01Z"],
        );
        assert_err(
            DateRange::new(start, utc("2026-04-01T00:00:00.5Z")),
            &["empty"],
        );
    }

    #[test]
    fn split_tiles_oldest_first_and_clamps_tiny_max() {
        let bounds = |max| {
            let windows = secs(0, 10).split(max);
            windows
                .iter()
                .map(|w| (w.start.timestamp(), w.end.timestamp()))
                .collect::<Vec<_>>()
        };
        assert_eq!(bounds(Duration::seconds(4)), [(0, 4), (4, 8), (8, 10)]);
        assert_eq!(bounds(Duration::days(1)), [(0, 10)]);
        assert_eq!(
            bounds(Duration::milliseconds(2_500)),
            [(0, 2), (2, 4), (4, 6), (6, 8), (8, 10)]
        );
        assert_eq!(bounds(Duration::zero()).len(), 10);
        assert_eq!(bounds(Duration::seconds(-5)).len(), 10);
        assert!(secs(5, 5).split(Duration::seconds(1)).is_empty());
        assert!(secs(5, 4).split(Duration::seconds(1)).is_empty());
    }

    #[test]
    fn bisect_splits_on_whole_seconds() {
        assert_eq!(secs(0, 3).bisect(), Some((secs(0, 1), secs(1, 3))));
        assert_eq!(secs(0, 2).bisect(), Some((secs(0, 1), secs(1, 2))));
        assert_eq!(secs(0, 1).bisect(), None);
    }

    /// Start anywhere in 1900..2100 with an arbitrary sub-second part (dropped by `new`), length
    /// 1 s .. 3 years.
    fn arb_range() -> impl Strategy<Value = DateRange> {
        let start = (-2_208_988_800i64..4_102_444_800, 0u32..1_000_000_000);
        (start, 1i64..=3 * 366 * 86_400).prop_map(|((s, ns), len)| {
            let start = DateTime::from_timestamp(s, ns).unwrap();
            DateRange::new(start, start + Duration::seconds(len)).unwrap()
        })
    }

    proptest! {
        #[test]
        fn split_covers_each_instant_exactly_once(r in arb_range(), max in 1i64..=120 * 86_400) {
            let len = r.duration().num_seconds();
            prop_assume!(len / max <= 200_000);
            prop_assert_eq!(r.start.timestamp_subsec_nanos(), 0);
            let windows = r.split(Duration::seconds(max));
            prop_assert_eq!(windows.len() as i64, (len + max - 1) / max);
            prop_assert_eq!(windows[0].start, r.start);
            prop_assert_eq!(windows[windows.len() - 1].end, r.end);
            for pair in windows.windows(2) {
                prop_assert_eq!(pair[0].end, pair[1].start);
            }
            for w in &windows {
                prop_assert!(w.start < w.end && w.duration() <= Duration::seconds(max));
            }
        }

        #[test]
        fn bisect_halves_are_contiguous_and_cover(r in arb_range()) {
            match r.bisect() {
                None => prop_assert!(r.duration() <= Duration::seconds(1)),
                Some((a, b)) => {
                    prop_assert!(a.start == r.start && a.end == b.start && b.end == r.end);
                    prop_assert!(a.start < a.end && b.start < b.end);
                    prop_assert_eq!(a.end.timestamp_subsec_nanos(), 0);
                    prop_assert!(a.duration() <= b.duration());
                }
            }
        }
    }
}
