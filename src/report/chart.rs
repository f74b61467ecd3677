//! The page's charts as inline SVG, composed with the `svg` crate: every text (a title, a label,
//! a campaign or profile name) goes in as a text node, which the crate escapes; attributes hold
//! only numbers and the fixed names below. Each chart starts with its `<title>` (what a screen
//! reader announces); the page puts the numbers behind it in a table beside it.

use svg::node::element::{Group, Line, Rectangle, SVG, Text, Title};

/// The colour of each funnel step, outermost first: sent, delivered, read, engaged.
pub const COLOURS: [&str; 4] = ["#9ecae1", "#4292c6", "#08519c", "#e6550d"];
/// The colours of the three rates: read, engagement, error.
pub const RATE_COLOURS: [&str; 3] = ["#08519c", "#e6550d", "#a50f15"];

const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/// A chart's frame: its size, its title, and what it is for screen readers.
fn frame(title: &str, width: u32, height: u32) -> SVG {
    SVG::new()
        .set("viewBox", (0, 0, width, height))
        .set("width", "100%")
        .set("role", "img")
        .set("font-family", FONT)
        .set("font-size", 12)
        .add(Title::new(title))
}

fn text(x: f64, y: f64, content: &str) -> Text {
    Text::new(content).set("x", x).set("y", y)
}

/// The funnel: one horizontal bar per step (sent → delivered → read → engaged), each as long as
/// its count against the first, with the count beside it. A step the vendor lacks is named with
/// "not reported".
pub fn funnel(title: &str, steps: &[(&str, Option<u64>)]) -> String {
    let (width, row, label) = (560.0, 34.0, 90.0);
    let height = row * steps.len() as f64 + 8.0;
    let largest = steps.iter().filter_map(|s| s.1).max().unwrap_or(0).max(1);
    let plot = width - label - 90.0;
    let mut chart = frame(title, width as u32, height as u32);
    for (i, (name, value)) in steps.iter().enumerate() {
        let y = 4.0 + row * i as f64;
        chart = chart.add(text(0.0, y + 20.0, name));
        let shown = match value {
            Some(v) => {
                let w = (*v as f64 / largest as f64 * plot).max(if *v > 0 { 1.0 } else { 0.0 });
                chart = chart.add(
                    Rectangle::new()
                        .set("x", label)
                        .set("y", y + 4.0)
                        .set("width", w)
                        .set("height", row - 10.0)
                        .set("fill", COLOURS[i.min(COLOURS.len() - 1)]),
                );
                chart = chart.add(text(label + w + 6.0, y + 20.0, &super::grouped(*v)));
                continue;
            }
            None => "not reported",
        };
        chart = chart.add(text(label, y + 20.0, shown).set("fill", "#666"));
    }
    chart.to_string()
}

/// One day's counts for [`daily`]: its label (`2026-11-26`) and sent, delivered, read.
pub type Day = (String, [Option<u64>; 3]);

/// The daily chart: per day a group of three columns (sent, delivered, read) on one scale, with
/// a scale of four lines, a legend, and every few days' date below.
pub fn daily(title: &str, days: &[Day]) -> String {
    let (width, height) = (720.0, 260.0);
    let (left, right, top, bottom) = (52.0, 8.0, 28.0, 40.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let largest = days
        .iter()
        .flat_map(|d| d.1.iter().copied().flatten())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut chart = frame(title, width as u32, height as u32);
    chart = chart.add(legend(
        left,
        12.0,
        &["sent", "delivered", "read"],
        &COLOURS[..3],
    ));
    for step in 0..=4 {
        let value = largest as f64 * step as f64 / 4.0;
        let y = top + plot_h - plot_h * step as f64 / 4.0;
        chart = chart
            .add(
                Line::new()
                    .set("x1", left)
                    .set("x2", width - right)
                    .set("y1", y)
                    .set("y2", y)
                    .set("stroke", "#ddd"),
            )
            .add(
                text(left - 6.0, y + 4.0, &super::grouped(value.round() as u64))
                    .set("text-anchor", "end")
                    .set("fill", "#555"),
            );
    }
    let group = plot_w / days.len().max(1) as f64;
    let bar = (group * 0.8 / 3.0).max(0.5);
    // Every day's date where there is room for it, else every few days'.
    let every = ((days.len() as f64 * 64.0 / plot_w).ceil() as usize).max(1);
    for (i, (label, counts)) in days.iter().enumerate() {
        let x0 = left + group * i as f64 + group * 0.1;
        for (k, count) in counts.iter().enumerate() {
            let Some(count) = count else { continue };
            let h = *count as f64 / largest as f64 * plot_h;
            chart = chart.add(
                Rectangle::new()
                    .set("x", x0 + bar * k as f64)
                    .set("y", top + plot_h - h)
                    .set("width", bar)
                    .set("height", h)
                    .set("fill", COLOURS[k]),
            );
        }
        if i % every == 0 {
            chart = chart.add(
                text(x0 + group * 0.4, height - bottom + 16.0, label)
                    .set("text-anchor", "middle")
                    .set("fill", "#555")
                    .set("font-size", 10),
            );
        }
    }
    chart.to_string()
}

/// One profile's rates for [`rates`]: its name and its read, engagement and error rates.
pub type Rates = (String, [Option<f64>; 3]);

/// The rates side by side: per profile a group of three horizontal bars (read, engagement,
/// error rate) on one 0–100 % scale, each with its percentage; a rate the vendor lacks is
/// named with "—".
pub fn rates(title: &str, profiles: &[Rates]) -> String {
    let (width, label, bar, gap) = (640.0, 130.0, 16.0, 14.0);
    let group = bar * 3.0 + gap;
    let top = 28.0;
    let height = top + group * profiles.len() as f64 + 4.0;
    let plot = width - label - 70.0;
    let mut chart = frame(title, width as u32, height as u32);
    chart = chart.add(legend(
        label,
        12.0,
        &["read rate", "engagement rate", "error rate"],
        &RATE_COLOURS,
    ));
    for (i, (name, values)) in profiles.iter().enumerate() {
        let y0 = top + group * i as f64;
        chart = chart.add(text(0.0, y0 + bar * 1.5 + 4.0, name).set("font-weight", "bold"));
        for (k, value) in values.iter().enumerate() {
            let y = y0 + bar * k as f64;
            let w = value.map_or(0.0, |v| (v.clamp(0.0, 1.0) * plot).max(1.0));
            if value.is_some() {
                chart = chart.add(
                    Rectangle::new()
                        .set("x", label)
                        .set("y", y + 1.0)
                        .set("width", w)
                        .set("height", bar - 2.0)
                        .set("fill", RATE_COLOURS[k]),
                );
            }
            chart = chart.add(text(
                label + w + 5.0,
                y + bar - 4.0,
                &super::percent(*value),
            ));
        }
    }
    chart.to_string()
}

/// A row of colour swatches with their names.
fn legend(x: f64, y: f64, names: &[&str], colours: &[&str]) -> Group {
    let mut group = Group::new();
    let mut at = x;
    for (name, colour) in names.iter().zip(colours) {
        group = group
            .add(
                Rectangle::new()
                    .set("x", at)
                    .set("y", y - 9.0)
                    .set("width", 10)
                    .set("height", 10)
                    .set("fill", *colour),
            )
            .add(text(at + 14.0, y, name));
        at += 14.0 + 7.5 * name.len() as f64 + 16.0;
    }
    group
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_opens_with_its_title_and_escapes_every_text() {
        let svg = funnel(
            "Funnel of <b>\"A&B\"</b> 🚀",
            &[("sent", Some(10)), ("engaged", None)],
        );
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(
            svg.contains("<title>Funnel of &lt;b&gt;\"A&amp;B\"&lt;/b&gt; 🚀</title>"),
            "{svg}"
        );
        assert!(!svg.contains("<b>"));
        assert!(svg.contains(">\nnot reported\n</text>"), "{svg}");
    }

    #[test]
    fn the_rates_chart_names_each_profile_as_text() {
        let svg = rates(
            "Rates",
            &[("<x> & co".to_string(), [Some(0.5), None, Some(0.05)])],
        );
        assert!(svg.contains(">\n&lt;x&gt; &amp; co\n</text>"), "{svg}");
        for shown in ["50.0%", "—", "5.0%"] {
            assert!(svg.contains(&format!(">\n{shown}\n</text>")), "{svg}");
        }
    }

    #[test]
    fn the_daily_chart_draws_a_column_per_day_and_count() {
        let days: Vec<Day> = (1..=3)
            .map(|d| (format!("2026-11-0{d}"), [Some(10), Some(8), None]))
            .collect();
        let svg = daily("Daily", &days);
        // Two counts a day (read is missing) plus the legend's three swatches.
        assert_eq!(svg.matches("<rect").count(), 3 * 2 + 3, "{svg}");
        assert!(svg.contains(">\n2026-11-01\n</text>"), "{svg}");
    }
}
