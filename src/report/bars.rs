//! Bar charts for the terminal: one line per row (a period, a campaign), its counts right-aligned
//! and one bar beside them that nests the funnel — the bar is as long as the first count (sent),
//! and the later counts (delivered, read, engaged) shade the part of it they reach. Plain text
//! (block characters, no colour or escape), fitted to a width: it reads the same on a pipe.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The shade of each funnel step, outermost first: sent, delivered, read, engaged.
pub const SHADES: [char; 4] = ['░', '▒', '▓', '█'];

/// A row: its label and its counts in funnel order (`None`: the vendor gives no such figure).
#[derive(Debug, Clone, PartialEq)]
pub struct BarRow {
    /// The period or the campaign.
    pub label: String,
    /// Sent, delivered, read (and engaged, where the chart shows it).
    pub counts: Vec<Option<u64>>,
}

/// The narrowest a bar gets before labels are cut instead.
const MIN_BAR: usize = 10;
/// The narrowest a label is cut to.
const MIN_LABEL: usize = 8;

/// The chart: `title`, a legend of the shades, the header (`label` and `steps`, the names of the
/// counts), then one line per row, every line at most `width` columns (as long as the counts
/// fit at all). Each bar is scaled to the largest count of the chart.
pub fn chart(title: &str, label: &str, steps: &[&str], rows: &[BarRow], width: usize) -> String {
    let numbers: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            (0..steps.len())
                .map(|i| match r.counts.get(i).copied().flatten() {
                    Some(n) => super::grouped(n),
                    None => "—".to_string(),
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            numbers
                .iter()
                .map(|n| n[i].width())
                .chain([step.width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let counts_width: usize = widths.iter().map(|w| w + 1).sum();
    let labels: Vec<String> = rows
        .iter()
        .map(|r| crate::api_error::visible(&r.label).into_owned())
        .collect();
    let longest = labels
        .iter()
        .map(|l| l.width())
        .chain([label.width()])
        .max()
        .unwrap_or(0);
    // The bar takes what the label and counts leave; below its minimum the labels give way.
    let room = width.saturating_sub(counts_width + 2);
    let label_width = longest.min(room.saturating_sub(MIN_BAR).max(MIN_LABEL));
    let bar_width = room.saturating_sub(label_width).max(1);
    let largest = rows
        .iter()
        .flat_map(|r| r.counts.iter().copied().flatten())
        .max()
        .unwrap_or(0);

    let mut out = String::new();
    out.push_str(&crate::api_error::visible(title));
    out.push('\n');
    let legend: Vec<String> = steps
        .iter()
        .zip(SHADES)
        .map(|(step, shade)| format!("{shade} {step}"))
        .collect();
    out.push_str(&legend.join("  "));
    out.push('\n');
    let mut header = pad(label, label_width);
    for (step, w) in steps.iter().zip(&widths) {
        header.push(' ');
        header.push_str(&format!("{:>w$}", step, w = *w));
    }
    out.push_str(header.trim_end());
    out.push('\n');
    for ((row, text), numbers) in rows.iter().zip(&labels).zip(&numbers) {
        let mut line = pad(&cut(text, label_width), label_width);
        for (n, w) in numbers.iter().zip(&widths) {
            line.push(' ');
            line.push_str(&" ".repeat(w - n.width()));
            line.push_str(n);
        }
        line.push_str("  ");
        line.push_str(&bar(
            &row.counts[..steps.len().min(row.counts.len())],
            largest,
            bar_width,
        ));
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The bar of `counts` (funnel order) scaled so that `largest` fills `width`: each step's shade
/// from where the next one ends to its own length (a later count larger than an earlier one,
/// which a vendor's counters may give, is drawn within the earlier one's length or beyond it).
pub fn bar(counts: &[Option<u64>], largest: u64, width: usize) -> String {
    let cells = |n: u64| -> usize {
        if largest == 0 || n == 0 {
            return 0;
        }
        // At least one cell for anything above zero, so a small count still shows.
        ((n as u128 * width as u128 + largest as u128 / 2) / largest as u128).max(1) as usize
    };
    let lengths: Vec<usize> = counts.iter().map(|c| cells(c.unwrap_or(0))).collect();
    // Each step reaches at least as far as every step after it.
    let mut reach = vec![0; lengths.len()];
    let mut inner = 0;
    for i in (0..lengths.len()).rev() {
        inner = inner.max(lengths[i]);
        reach[i] = inner;
    }
    let mut out = String::new();
    let mut drawn = 0;
    for i in (0..reach.len()).rev() {
        for _ in drawn..reach[i] {
            out.push(SHADES[i]);
        }
        drawn = drawn.max(reach[i]);
    }
    out
}

/// The terminal width a chart fits: `COLUMNS` when it is set to a number, else the terminal's,
/// else 80.
pub fn width(columns: Option<String>, terminal: Option<u16>) -> usize {
    columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0)
        .or(terminal.map(usize::from))
        .unwrap_or(80)
}

/// `text` cut to `width` columns, `…` last when it was cut.
fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `text` padded with spaces to `width` columns.
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, counts: &[u64]) -> BarRow {
        BarRow {
            label: label.to_string(),
            counts: counts.iter().map(|c| Some(*c)).collect(),
        }
    }

    #[test]
    fn a_bar_nests_the_funnel_inside_the_first_count() {
        assert_eq!(bar(&[Some(10), Some(8), Some(5)], 10, 10), "▓▓▓▓▓▒▒▒░░");
        assert_eq!(bar(&[Some(5), Some(5), Some(0)], 10, 10), "▒▒▒▒▒");
        assert_eq!(bar(&[Some(0), Some(0), Some(0)], 10, 10), "");
        // A later count over an earlier one is drawn to its own length.
        assert_eq!(bar(&[Some(4), Some(6), None], 10, 10), "▒▒▒▒▒▒");
    }

    #[test]
    fn a_small_count_still_gets_a_cell() {
        assert_eq!(bar(&[Some(1), Some(1), Some(0)], 1000, 10), "▒");
    }

    #[test]
    fn the_chart_fits_the_width_and_cuts_labels_last() {
        let rows = [
            row("Descuento 20 % + envío \"gratis\"", &[464, 413, 300]),
            row("Lanzamiento 🚀 Q1", &[0, 0, 0]),
        ];
        let text = chart("t", "campaign", &["sent", "delivered", "read"], &rows, 50);
        for line in text.lines() {
            assert!(line.width() <= 50, "{line:?} is wider than 50");
        }
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "░ sent  ▒ delivered  ▓ read");
        // 50 columns: 20 for the counts, 2 before the bar, the bar at its minimum of 10, and
        // the label cut to the 18 left (the emoji takes two).
        assert_eq!(lines[2], "campaign           sent delivered read");
        assert_eq!(
            lines[3],
            "Descuento 20 % + …  464       413  300  ▓▓▓▓▓▓▒▒▒░"
        );
        assert_eq!(lines[4], "Lanzamiento 🚀 Q1     0         0    0");
        assert_eq!(lines.len(), 5);
    }

    #[test]
    fn the_width_is_columns_else_the_terminal_else_80() {
        assert_eq!(width(Some("120".into()), Some(90)), 120);
        assert_eq!(width(Some("wide".into()), Some(90)), 90);
        assert_eq!(width(None, None), 80);
    }
}
