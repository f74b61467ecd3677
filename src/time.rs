//! WHEN and RANGE parsing, time zones, and the window splitter (product.md, "Command tree").
//!
//! Ranges are half-open `[start, end)` in UTC, on whole seconds. `--to` is exclusive, except that a
//! date-only `--to` (and `today`/`yesterday`) means the end of that day, so consecutive runs
//! `--from A --to B`, `--from B --to C` never read an instant twice.

use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, TimeZone, Utc};

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
    /// A range, refusing one whose end is not after its start.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<DateRange, TimeError> {
        todo!("time helper: {start} {end}")
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
    pub fn split(&self, max: Duration) -> Vec<DateRange> {
        todo!("time helper: {max}")
    }

    /// Splits the range into two halves on a whole second (for bisecting a truncated window);
    /// `None` when the range is one second or less.
    pub fn bisect(&self) -> Option<(DateRange, DateRange)> {
        todo!("time helper")
    }
}

/// Parses a DURATION: a positive whole number and a unit, `s`, `m`, `h`, `d` or `w` (`7d`, `24h`,
/// `90m`).
pub fn parse_duration(s: &str) -> Result<Duration, TimeError> {
    todo!("time helper: {s}")
}

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
    todo!("time helper: {s} {zone:?} {now} {end_of_day}")
}

/// Resolves RANGE options into a range: `--last D` is `[now - D, now)`; `--from` alone ends now;
/// `--to` alone starts `default_span` before it; neither gives the last `default_span`. `--last`
/// with `--from` or `--to` is an error, and so is a range whose end is not after its start. The
/// boolean is true when the user gave any of the options.
pub fn resolve_range(
    input: &RangeInput,
    zone: &Zone,
    now: DateTime<Utc>,
    default_span: Duration,
) -> Result<(DateRange, bool), TimeError> {
    todo!("time helper: {input:?} {zone:?} {now} {default_span}")
}
