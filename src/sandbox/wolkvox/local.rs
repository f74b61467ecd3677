//! The operation's wall-clock times: Wolkvox's `date_ini`/`date_end` and the rows' times are
//! local times of the operation's zone (vendors.md Part 1 "Wolkvox"), in the sandbox
//! [`SandboxOptions::wolkvox_zone`](crate::sandbox::SandboxOptions::wolkvox_zone), UTC unless
//! asked otherwise. The generated data is instants; only how they are written changes.

use chrono::Duration;

use crate::sandbox::util;
use crate::time::Zone;

/// The operation's zone.
#[derive(Debug, Clone, Copy)]
pub(super) struct Local(pub Zone);

impl Local {
    /// The instant, in milliseconds, of a wall-clock time given as milliseconds of the naive
    /// clock (what `util::parse_compact` returns). A time a daylight-saving change skips is read
    /// with the offset before the change (the instant an hour later on the clock, which exists).
    pub fn instant(self, naive_ms: i64) -> i64 {
        let naive = util::utc(naive_ms).naive_utc();
        let hour = Duration::hours(1);
        self.0
            .to_utc(naive)
            .or_else(|_| self.0.to_utc(naive + hour))
            .map_or(naive_ms, |t| t.timestamp_millis())
    }

    /// `YYYY-MM-DD HH:MM:SS` of an instant on the operation's clock (the rows' times).
    pub fn fmt(self, ms: i64) -> String {
        self.0
            .to_local(util::utc(ms))
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bogota_wall_clock_times_are_five_hours_behind_utc() {
        let bogota = Local(Zone::parse("America/Bogota").unwrap());
        let naive = util::parse_compact("20260401000000").unwrap();
        let instant = bogota.instant(naive);
        assert_eq!(util::fmt_sql(instant), "2026-04-01 05:00:00");
        assert_eq!(bogota.fmt(instant), "2026-04-01 00:00:00");
        let utc = Local(Zone::UTC);
        assert_eq!(utc.instant(naive), naive);
        assert_eq!(utc.fmt(naive), "2026-04-01 00:00:00");
        // 02:30 on 2026-03-08 does not exist in New York: read with the offset before (EST).
        let ny = Local(Zone::parse("America/New_York").unwrap());
        let gap = ny.instant(util::parse_compact("20260308023000").unwrap());
        assert_eq!(util::fmt_sql(gap), "2026-03-08 07:30:00");
    }
}
