//! The progress bar of long exports (issue 6): rows and pages done, the rate, and an ETA once the
//! providers have said how many rows to expect. It is drawn on stderr only when stderr is a
//! terminal, `-q` is not given, and the data itself is not going to that same terminal.
//!
//! Providers never print (style.md), so they report through [`expect_rows`] and [`page_done`],
//! process-wide counters the bar reads as it redraws; one run exports one result, so one set of
//! counters is enough.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

static EXPECTED: AtomicU64 = AtomicU64::new(0);
static KNOWN: AtomicBool = AtomicBool::new(false);
static PAGES: AtomicU64 = AtomicU64::new(0);

/// A provider learned that `n` more rows will come (a window's total, say).
pub fn expect_rows(n: u64) {
    EXPECTED.fetch_add(n, Ordering::Relaxed);
    KNOWN.store(true, Ordering::Relaxed);
}

/// A provider received one more page.
pub fn page_done() {
    PAGES.fetch_add(1, Ordering::Relaxed);
}

/// Whether a bar is wanted: stderr is a terminal, not `-q`, and the rows do not go to a terminal
/// on stdout (where the bar would tangle with them).
pub fn wanted(stderr_is_terminal: bool, quiet: bool, rows_to_terminal: bool) -> bool {
    stderr_is_terminal && !quiet && !rows_to_terminal
}

/// The bar of one export (or nothing, when it is not wanted).
pub struct Bar {
    bar: Option<ProgressBar>,
    rows: u64,
}

/// Rows between redraws of the length and the page count (the bar itself redraws at most 20
/// times a second whatever the row rate); a batch of rows that crosses a multiple redraws once.
const SYNC_EVERY: u64 = 512;

impl Bar {
    /// Starts a bar if `enabled`.
    pub fn start(enabled: bool) -> Bar {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(spinner_style());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Bar { bar, rows: 0 }
    }

    /// `n` more rows written.
    pub fn rows(&mut self, n: u64) {
        let before = self.rows;
        self.rows += n;
        if let Some(bar) = &self.bar {
            bar.inc(n);
            if before == 0 || before / SYNC_EVERY != self.rows / SYNC_EVERY {
                self.sync(bar);
            }
        }
    }

    fn sync(&self, bar: &ProgressBar) {
        if KNOWN.load(Ordering::Relaxed) && bar.length().is_none() {
            bar.set_style(bar_style());
        }
        if KNOWN.load(Ordering::Relaxed) {
            bar.set_length(EXPECTED.load(Ordering::Relaxed).max(self.rows));
        }
        let pages = PAGES.load(Ordering::Relaxed);
        let secs = bar.elapsed().as_secs_f64();
        let rate = if secs > 0.5 {
            format!(" · {} rows/s", group((self.rows as f64 / secs) as u64))
        } else {
            String::new()
        };
        bar.set_message(format!(
            "{} page{}{rate}",
            group(pages),
            if pages == 1 { "" } else { "s" }
        ));
    }

    /// Clears the bar (the summary, if any, is the caller's to print).
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

/// `1234567` as `1,234,567` (the progress line's counts, and `report`'s).
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {human_pos} rows · {msg} · {elapsed}")
        .expect("the template is valid")
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{wide_bar} {human_pos}/{human_len} rows · {msg} · ETA {eta}")
        .expect("the template is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_only_on_a_terminal_stderr_without_q_and_away_from_the_rows() {
        assert!(wanted(true, false, false));
        assert!(!wanted(false, false, false), "stderr piped (cron)");
        assert!(!wanted(true, true, false), "-q");
        assert!(!wanted(true, false, true), "rows on the same terminal");
    }

    #[test]
    fn a_disabled_bar_has_nothing_to_draw() {
        let mut bar = Bar::start(false);
        for _ in 0..1000 {
            bar.rows(1);
        }
        bar.rows(10_000);
        assert!(bar.bar.is_none());
        bar.finish();
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(1234567), "1,234,567");
    }

    #[test]
    fn the_templates_parse() {
        let _ = spinner_style();
        let _ = bar_style();
    }
}
