//! WHEN and RANGE parsing, time zones, and the window splitter (product.md, "Command tree").
//!
//! Ranges are half-open `[start, end)` in UTC, on whole seconds. `--to` is exclusive, except that a
//! date-only `--to` (and `today`/`yesterday`) means the end of that day, so consecutive runs
//! `--from A --to B`, `--from B --to C` never read an instant twice.

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
        let (start, end) = (whole_seconds(start), whole_seconds(end));
        ordered(
            start,
            end,
            &format!("start {}", rfc3339(start)),
            &format!("end {}", rfc3339(end)),
        )
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
            windows.push(DateRange {
                start: cursor,
                end: next,
            });
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
            DateRange {
                start: self.start,
                end: mid,
            },
            DateRange {
                start: mid,
                end: self.end,
            },
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

/// `[start, end)`, or an error naming both ends through the caller's labels.
fn ordered(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    start_label: &str,
    end_label: &str,
) -> Result<DateRange, TimeError> {
    if end > start {
        Ok(DateRange { start, end })
    } else if end == start {
        Err(TimeError(format!(
            "the range is empty: {start_label} is the same instant as {end_label}"
        )))
    } else {
        Err(TimeError(format!(
            "the range is reversed: {start_label} is after {end_label}"
        )))
    }
}

const DURATION_FORMS: &str =
    "use a positive whole number and a unit s, m, h, d or w, such as 30s, 90m, 24h, 7d or 2w";

/// Parses a DURATION: a positive whole number and a unit, `s`, `m`, `h`, `d` or `w` (`7d`, `24h`,
/// `90m`).
pub fn parse_duration(s: &str) -> Result<Duration, TimeError> {
    let fail = |reason: &str| {
        TimeError(format!(
            "invalid duration '{s}': {reason}; {DURATION_FORMS}"
        ))
    };
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
    let too_far =
        |what: &str| TimeError(format!("{what} reaches before the earliest supported date"));
    let explicit = input.from.is_some() || input.to.is_some() || input.last.is_some();
    let when = |option: &str, value: &str, end_of_day: bool| {
        parse_when(value, zone, now, end_of_day).map_err(|e| TimeError(format!("{option}: {e}")))
    };
    let now_label = format!("now ({})", rfc3339(now));
    let range = match (&input.from, &input.to, &input.last) {
        (Some(_), _, Some(_)) | (_, Some(_), Some(_)) => {
            return Err(TimeError(
                "use either --last or --from/--to, not both".to_string(),
            ));
        }
        (None, None, Some(last)) => {
            let span = parse_duration(last).map_err(|e| TimeError(format!("--last: {e}")))?;
            let start = now
                .checked_sub_signed(span)
                .ok_or_else(|| too_far(&format!("--last {}", last.trim())))?;
            ordered(
                start,
                now,
                &format!("the start {}", rfc3339(start)),
                &now_label,
            )?
        }
        (Some(from), Some(to), None) => {
            let (start, end) = (when("--from", from, false)?, when("--to", to, true)?);
            ordered(
                start,
                end,
                &format!("--from {}", rfc3339(start)),
                &format!("--to {}", rfc3339(end)),
            )?
        }
        (Some(from), None, None) => {
            let start = when("--from", from, false)?;
            ordered(
                start,
                now,
                &format!("--from {}", rfc3339(start)),
                &now_label,
            )?
        }
        (None, Some(to), None) => {
            let end = when("--to", to, true)?;
            let start = end
                .checked_sub_signed(default_span)
                .ok_or_else(|| too_far("the default span before --to"))?;
            ordered(
                start,
                end,
                &format!("the default start {}", rfc3339(start)),
                &format!("--to {}", rfc3339(end)),
            )?
        }
        (None, None, None) => {
            let start = now
                .checked_sub_signed(default_span)
                .ok_or_else(|| too_far("the default span"))?;
            ordered(
                start,
                now,
                &format!("the default start {}", rfc3339(start)),
                &now_label,
            )?
        }
    };
    Ok((range, explicit))
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
    /// Asserts each `(input, end_of_day, expected RFC 3339 UTC)` in `zone`.
    fn check_when(zone: &Zone, cases: &[(&str, bool, &str)]) {
        for (input, end_of_day, expected) in cases {
            let got = parse_when(input, zone, now(), *end_of_day).map(rfc3339);
            assert_eq!(got.as_deref(), Ok(*expected), "{input} eod={end_of_day}");
        }
    }
    fn range(
        input: (Option<&str>, Option<&str>, Option<&str>),
        z: &str,
    ) -> Result<(String, String, bool), String> {
        let input = RangeInput {
            from: input.0.map(String::from),
            to: input.1.map(String::from),
            last: input.2.map(String::from),
        };
        resolve_range(&input, &zone(z), now(), Duration::days(30))
            .map(|(r, explicit)| (rfc3339(r.start), rfc3339(r.end), explicit))
            .map_err(|e| e.0)
    }
    fn ok(start: &str, end: &str, explicit: bool) -> Result<(String, String, bool), String> {
        Ok((start.to_string(), end.to_string(), explicit))
    }

    #[test]
    fn every_when_form_in_utc() {
        check_when(
            &Zone::UTC,
            &[
                ("2026-04-01", false, "2026-04-01T00:00:00Z"),
                ("2026-04-01", true, "2026-04-02T00:00:00Z"),
                ("2026-04-01 13:05", false, "2026-04-01T13:05:00Z"),
                ("2026-04-01T13:05:09", true, "2026-04-01T13:05:09Z"),
                ("2026-04-01 13:05:09.999", false, "2026-04-01T13:05:09Z"),
                ("2026-04-01T13:05:00Z", false, "2026-04-01T13:05:00Z"),
                ("2026-04-01t13:05:00.5z", true, "2026-04-01T13:05:00Z"),
                ("2026-04-01T08:05:00-05:00", false, "2026-04-01T13:05:00Z"),
                (
                    "2026-04-01 08:05:00.987-05:00",
                    false,
                    "2026-04-01T13:05:00Z",
                ),
                ("now", false, "2026-04-15T03:30:00Z"),
                ("  NOW ", true, "2026-04-15T03:30:00Z"),
                ("today", false, "2026-04-15T00:00:00Z"),
                ("Today", true, "2026-04-16T00:00:00Z"),
                ("yesterday", false, "2026-04-14T00:00:00Z"),
                ("YESTERDAY", true, "2026-04-15T00:00:00Z"),
                ("-7d", false, "2026-04-08T03:30:00Z"),
                ("-24h", true, "2026-04-14T03:30:00Z"),
                ("-90m", false, "2026-04-15T02:00:00Z"),
                ("-2w", false, "2026-04-01T03:30:00Z"),
                ("-30s", false, "2026-04-15T03:29:30Z"),
            ],
        );
    }

    #[test]
    fn every_when_form_in_bogota() {
        check_when(
            &zone("America/Bogota"),
            &[
                ("2026-04-01", false, "2026-04-01T05:00:00Z"),
                ("2026-04-01", true, "2026-04-02T05:00:00Z"),
                ("2026-04-01 08:05", false, "2026-04-01T13:05:00Z"),
                ("2026-04-01T08:05:30", false, "2026-04-01T13:05:30Z"),
                ("2026-04-01T13:05:00Z", false, "2026-04-01T13:05:00Z"),
                ("now", false, "2026-04-15T03:30:00Z"),
                ("today", false, "2026-04-14T05:00:00Z"),
                ("today", true, "2026-04-15T05:00:00Z"),
                ("yesterday", false, "2026-04-13T05:00:00Z"),
                ("yesterday", true, "2026-04-14T05:00:00Z"),
                ("-7d", false, "2026-04-08T03:30:00Z"),
            ],
        );
    }

    #[test]
    fn every_when_form_in_madrid_across_dst() {
        check_when(
            &zone("Europe/Madrid"),
            &[
                ("2026-01-15 10:00", false, "2026-01-15T09:00:00Z"),
                ("2026-07-15T10:00:00", false, "2026-07-15T08:00:00Z"),
                ("2026-04-01", false, "2026-03-31T22:00:00Z"),
                ("2026-04-01", true, "2026-04-01T22:00:00Z"),
                ("2026-03-29", false, "2026-03-28T23:00:00Z"), // 23-hour day
                ("2026-03-29", true, "2026-03-29T22:00:00Z"),
                ("2026-10-25", false, "2026-10-24T22:00:00Z"), // 25-hour day
                ("2026-10-25", true, "2026-10-25T23:00:00Z"),
                ("2026-10-25 02:30", false, "2026-10-25T00:30:00Z"), // fold: earlier instant
                ("2026-04-01T08:05:00-05:00", false, "2026-04-01T13:05:00Z"),
                ("today", false, "2026-04-14T22:00:00Z"),
                ("today", true, "2026-04-15T22:00:00Z"),
                ("yesterday", false, "2026-04-13T22:00:00Z"),
                ("yesterday", true, "2026-04-14T22:00:00Z"),
                ("-2w", false, "2026-04-01T03:30:00Z"),
            ],
        );
    }

    #[test]
    fn local_time_in_a_dst_gap_is_an_error() {
        let err = parse_when("2026-03-29 02:30", &zone("Europe/Madrid"), now(), false).unwrap_err();
        assert!(
            err.0.contains("'2026-03-29 02:30'") && err.0.contains("daylight-saving"),
            "{err}"
        );
    }

    #[test]
    fn bad_dates_are_errors_quoting_the_input() {
        let err = parse_when("2026-13-01", &Zone::UTC, now(), false).unwrap_err();
        assert_eq!(
            err.0,
            "invalid date '2026-13-01': expected YYYY-MM-DD, 'YYYY-MM-DD HH:MM[:SS]', RFC 3339 (2026-04-01T13:05:00Z), now, today, yesterday, or an offset such as -7d"
        );
        for bad in [
            "2026-02-30",
            "2026-04-01 25:00",
            "2026-04-01 12:60",
            "2026-04-01 13:05:60",
            "2026-4-1",
            "2026/04/01",
            "",
            "-",
            "tomorrow",
            "-7x",
            "-0d",
            "--7d",
            "12345",
            "2026-04-01 13:05 x",
            "2026-04-01T13:05:00+25:00",
            "２０２６-04-01",
            "2026-04-01T",
        ] {
            let err = parse_when(bad, &Zone::UTC, now(), true).unwrap_err();
            assert!(
                err.0.contains(&format!("'{bad}'")) && err.0.contains("YYYY-MM-DD"),
                "{err}"
            );
        }
        let err = parse_when("+7d", &Zone::UTC, now(), false).unwrap_err();
        assert!(err.0.contains("'+7d'") && err.0.contains("-7d"), "{err}");
        let err = parse_when("-9999999999w", &Zone::UTC, now(), false).unwrap_err();
        assert!(err.0.contains("'-9999999999w'"), "{err}");
    }

    #[test]
    fn durations_parse_each_unit() {
        for (input, secs) in [
            ("30s", 30),
            ("90m", 5_400),
            ("24h", 86_400),
            (" 7d ", 604_800),
            ("2w", 1_209_600),
        ] {
            assert_eq!(
                parse_duration(input),
                Ok(Duration::seconds(secs)),
                "{input}"
            );
        }
    }

    #[test]
    fn bad_durations_are_errors_quoting_the_input() {
        for bad in [
            "",
            "7",
            "d",
            "7x",
            "7D",
            "0d",
            "-7d",
            "+7d",
            "7.5h",
            "7 d",
            "7dd",
            "99999999999999999999d",
            "9223372036854775807w",
        ] {
            let err = parse_duration(bad).unwrap_err();
            assert!(
                err.0.contains(&format!("'{bad}'")) && err.0.contains("30s, 90m, 24h, 7d or 2w"),
                "{err}"
            );
        }
    }

    #[test]
    fn range_resolves_each_combination() {
        assert_eq!(
            range((None, None, Some("7d")), "UTC"),
            ok("2026-04-08T03:30:00Z", "2026-04-15T03:30:00Z", true)
        );
        assert_eq!(
            range(
                (Some("2026-04-01"), Some("2026-04-07"), None),
                "America/Bogota"
            ),
            ok("2026-04-01T05:00:00Z", "2026-04-08T05:00:00Z", true)
        );
        assert_eq!(
            range((Some("-1h"), None, None), "UTC"),
            ok("2026-04-15T02:30:00Z", "2026-04-15T03:30:00Z", true)
        );
        assert_eq!(
            range((None, Some("2026-04-07"), None), "UTC"),
            ok("2026-03-09T00:00:00Z", "2026-04-08T00:00:00Z", true)
        );
        assert_eq!(
            range((None, None, None), "UTC"),
            ok("2026-03-16T03:30:00Z", "2026-04-15T03:30:00Z", false)
        );
    }

    #[test]
    fn range_refuses_last_with_from_or_to() {
        for input in [
            (Some("2026-04-01"), None, Some("7d")),
            (None, Some("today"), Some("7d")),
        ] {
            assert!(
                range(input, "UTC")
                    .unwrap_err()
                    .contains("either --last or --from/--to")
            );
        }
    }

    #[test]
    fn range_refuses_reversed_empty_and_invalid_input() {
        let reversed = range((Some("2026-05-01"), Some("2026-04-01 00:00"), None), "UTC");
        assert_eq!(
            reversed.unwrap_err(),
            "the range is reversed: --from 2026-05-01T00:00:00Z is after --to 2026-04-01T00:00:00Z"
        );
        let empty = range(
            (Some("2026-04-01 10:00"), Some("2026-04-01T10:00:00Z"), None),
            "UTC",
        )
        .unwrap_err();
        assert!(
            empty.contains("empty") && empty.contains("2026-04-01T10:00:00Z"),
            "{empty}"
        );
        let future = range((Some("2026-05-01"), None, None), "UTC").unwrap_err();
        assert!(
            future.contains("--from 2026-05-01T00:00:00Z")
                && future.contains("now (2026-04-15T03:30:00Z)"),
            "{future}"
        );
        let bad = range((Some("2026-02-30"), None, None), "UTC").unwrap_err();
        assert!(
            bad.starts_with("--from: ") && bad.contains("'2026-02-30'"),
            "{bad}"
        );
        assert!(
            range((None, None, Some("0d")), "UTC")
                .unwrap_err()
                .contains("'0d'")
        );
    }

    #[test]
    fn new_truncates_to_seconds_and_refuses_end_not_after_start() {
        let r =
            DateRange::new(utc("2026-04-01T00:00:00.9Z"), utc("2026-04-01T00:00:01.2Z")).unwrap();
        assert_eq!(
            (r.start, r.end),
            (utc("2026-04-01T00:00:00Z"), utc("2026-04-01T00:00:01Z"))
        );
        assert!(
            DateRange::new(r.end, r.start)
                .unwrap_err()
                .0
                .contains("reversed")
        );
        assert!(
            DateRange::new(r.start, utc("2026-04-01T00:00:00.5Z"))
                .unwrap_err()
                .0
                .contains("empty")
        );
    }

    #[test]
    fn split_tiles_oldest_first_and_clamps_tiny_max() {
        let t = |s: i64| DateTime::from_timestamp(s, 0).unwrap();
        let r = DateRange {
            start: t(0),
            end: t(10),
        };
        let bounds = |max| {
            r.split(max)
                .iter()
                .map(|w| (w.start.timestamp(), w.end.timestamp()))
                .collect::<Vec<_>>()
        };
        assert_eq!(bounds(Duration::seconds(4)), [(0, 4), (4, 8), (8, 10)]);
        assert_eq!(bounds(Duration::days(1)), [(0, 10)]);
        assert_eq!(bounds(Duration::zero()).len(), 10);
        assert_eq!(bounds(Duration::seconds(-5)).len(), 10);
        assert!(
            DateRange {
                start: t(5),
                end: t(5)
            }
            .split(Duration::seconds(1))
            .is_empty()
        );
    }

    #[test]
    fn bisect_splits_on_whole_seconds() {
        let t = |s: i64| DateTime::from_timestamp(s, 0).unwrap();
        let halves = |a, b| {
            DateRange {
                start: t(a),
                end: t(b),
            }
            .bisect()
            .map(|(l, r)| (l.end.timestamp(), r.start.timestamp()))
        };
        assert_eq!(halves(0, 3), Some((1, 1)));
        assert_eq!(halves(0, 2), Some((1, 1)));
        assert_eq!(halves(0, 1), None);
    }

    fn arb_range() -> impl Strategy<Value = DateRange> {
        // 1900..2100, any sub-second part, length 1 s .. 3 years.
        (
            -2_208_988_800i64..4_102_444_800,
            0u32..1_000_000_000,
            1i64..=3 * 366 * 86_400,
        )
            .prop_map(|(s, ns, len)| {
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
