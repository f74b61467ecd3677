//! The page as HTML, written with maud: every value goes through its escaping (a campaign named
//! `<script>` is text), and the only markup taken as it is comes from [`super::chart`], whose
//! SVG escapes its own texts. One file: inline CSS (A4 print rules included), no script, and
//! nothing loaded from any address.

use chrono::{DateTime, Utc};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::model::{Analytics, ProfileReport, Report, Section};
use super::{chart, grouped, percent};
use crate::provider::{CampaignSummary, Vendor};

const CSS: &str = r#"
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #1a1a1a; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #08519c; padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .6rem 0 1rem; }
dl.meta dt { font-weight: 600; color: #444; }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; font-size: .85rem; }
th, td { padding: .2rem .5rem; border-bottom: 1px solid #e2e2e2; text-align: left; vertical-align: top; }
th { background: #f3f6fa; font-weight: 600; }
table.campaigns td:nth-child(2) { white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.cards { display: flex; flex-wrap: wrap; gap: .6rem; margin: .4rem 0 1rem; }
.card { border: 1px solid #d5dde8; border-radius: 6px; padding: .5rem .8rem; min-width: 7.5rem; }
.card .label { font-size: .8rem; color: #555; }
.card .value { font-size: 1.4rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.card .rate { font-size: .8rem; color: #333; }
figure { margin: .6rem 0 1.2rem; display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; break-inside: avoid; }
figure .chart { flex: 1 1 420px; min-width: 300px; }
figure table { flex: 0 0 auto; }
figcaption { flex-basis: 100%; font-weight: 600; }
.note { color: #555; font-size: .85rem; }
.error { border-left: 4px solid #a50f15; background: #fdf0f0; padding: .5rem .8rem; white-space: pre-wrap; }
.none { border-left: 4px solid #999; background: #f5f5f5; padding: .5rem .8rem; }
ol.footnotes { font-size: .8rem; color: #333; }
sup a { text-decoration: none; }
footer { margin-top: 2rem; font-size: .8rem; color: #666; }
@page { size: A4; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-before: auto; break-after: avoid; }
  section.profile { break-before: page; }
  figure, table, .cards { break-inside: avoid; }
  a { color: inherit; }
}
"#;

/// The page of `report`.
pub fn page(report: &Report) -> String {
    let analytics: Vec<_> = report.analytics().collect();
    let title = format!("WhatsApp campaigns — {}", ranges(report).join("; "));
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header {
                    h1 { "WhatsApp campaigns report" }
                    dl.meta {
                        dt { "Range" } dd { (ranges(report).join("; ")) }
                        dt { "Profiles" }
                        dd {
                            @for (i, p) in report.profiles.iter().enumerate() {
                                @if i > 0 { ", " }
                                a href={ "#" (anchor(i)) } { (p.name) } " (" (vendor_name(p.vendor)) ")"
                            }
                        }
                        dt { "Made" } dd { (when(report.generated_at)) " by wa-analytics " (env!("CARGO_PKG_VERSION")) }
                    }
                    @let failed = report.failed();
                    @if !failed.is_empty() {
                        p.error { "Incomplete: " (failed.len()) " of " (report.profiles.len()) " profiles failed and have no numbers here: " (failed.join(", ")) "." }
                    }
                }
                @if !analytics.is_empty() {
                    section #across {
                        h2 { "Rates across profiles" }
                        (across(&analytics))
                    }
                }
                @for (i, p) in report.profiles.iter().enumerate() {
                    (profile(i, p))
                }
                footer {
                    p { "Every number on this page is what the matching command prints as JSON for the same range and profile: "
                        code { "stats --total" } " (totals, funnel, rates), " code { "stats" } " (days) and "
                        code { "campaigns summary" } " (campaigns). Rates are fractions of the counts they name: read rate = read / delivered, engagement rate = engaged / delivered, error rate = errors / total." }
                }
            }
        }
    };
    markup.into_string()
}

fn anchor(i: usize) -> String {
    format!("profile-{}", i + 1)
}

fn vendor_name(vendor: Option<Vendor>) -> String {
    vendor.map_or_else(|| "not a valid profile".to_string(), |v| v.to_string())
}

fn when(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The distinct ranges of the profiles with numbers, each in its zone.
fn ranges(report: &Report) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, a) in report.analytics() {
        let text = range_text(a);
        if !out.contains(&text) {
            out.push(text);
        }
    }
    if out.is_empty() {
        out.push("no profile with numbers".to_string());
    }
    out
}

fn range_text(a: &Analytics) -> String {
    let span = super::span(&a.zone, &a.range);
    match a.explicit {
        true => span,
        false => format!("{span}, the last 30 days"),
    }
}

fn across(analytics: &[(&ProfileReport, &Analytics)]) -> Markup {
    let rows: Vec<chart::Rates> = analytics
        .iter()
        .map(|(p, a)| {
            (
                p.name.clone(),
                [
                    a.total.read_rate,
                    a.total.engagement_rate,
                    a.total.error_rate,
                ],
            )
        })
        .collect();
    let caption = "Read, engagement and error rates of each profile over its range";
    html! {
        figure {
            figcaption { (caption) }
            div.chart { (PreEscaped(chart::rates(caption, &rows))) }
            table {
                thead { tr { th { "profile" } th.n { "read rate" } th.n { "engagement rate" } th.n { "error rate" } } }
                tbody {
                    @for (p, a) in analytics {
                        tr {
                            td { (p.name) " (" (vendor_name(p.vendor)) ")" }
                            @let at = At { table: "rates", profile: &p.name, row: None };
                            (rate_cell(at, "read_rate", a.total.read_rate))
                            (rate_cell(at, "engagement_rate", a.total.engagement_rate))
                            (rate_cell(at, "error_rate", a.total.error_rate))
                        }
                    }
                }
            }
        }
    }
}

/// Where a cell's figure comes from, for whoever reads the page's numbers back (the tests do):
/// the table (`totals`, `rates`, `days`, `campaigns`), the profile, the row (a day's period, a
/// campaign's id) and the field, with the figure as JSON prints it in `data-value` (none: null).
#[derive(Clone, Copy)]
struct At<'a> {
    table: &'static str,
    profile: &'a str,
    row: Option<&'a str>,
}

fn rate_cell(at: At, field: &str, rate: Option<f64>) -> Markup {
    html! {
        td.n data-table=(at.table) data-profile=(at.profile) data-row=[at.row] data-field=(field) data-value=[rate.map(|r| r.to_string())] { (percent(rate)) }
    }
}

fn count_cell(at: At, field: &str, count: Option<u64>) -> Markup {
    html! {
        td.n data-table=(at.table) data-profile=(at.profile) data-row=[at.row] data-field=(field) data-value=[count] { (count.map_or_else(|| "—".to_string(), grouped)) }
    }
}

fn profile(i: usize, p: &ProfileReport) -> Markup {
    html! {
        section.profile id=(anchor(i)) {
            h2 { (p.name) " — " (vendor_name(p.vendor)) }
            @match &p.section {
                Section::Analytics(a) => (analytics(i, p, a)),
                Section::NoAnalytics => p.none {
                    (vendor_name(p.vendor)) " has no campaign analytics (it serves no "
                    code { "stats" } " or " code { "campaigns summary" } "): nothing to show for this profile."
                },
                Section::Failed(error) => p.error { "This profile failed, so it has no numbers here:\n" (error) },
            }
        }
    }
}

/// The mark of the footnote on `field`, if any, linking to it.
fn mark(i: &str, a: &Analytics, field: &str) -> Markup {
    html! {
        @for (k, n) in a.footnotes_of(field).into_iter().enumerate() {
            sup { @if k > 0 { "," } a href={ "#" (i) "-note-" (n) } { (n) } }
        }
    }
}

fn analytics(i: usize, p: &ProfileReport, a: &Analytics) -> Markup {
    let name = &p.name;
    let id = anchor(i);
    let vendor = vendor_name(p.vendor);
    let t = &a.total;
    let steps = [
        ("sent", t.sent),
        ("delivered", t.delivered),
        ("read", t.read),
        ("engaged", t.engaged),
    ];
    let funnel_title = format!("Funnel of {name} ({vendor}): sent, delivered, read, engaged");
    let daily_title = format!("Messages per day of {name} ({vendor}): sent, delivered, read");
    let days: Vec<chart::Day> = a
        .days
        .iter()
        .map(|d| (d.period.to_string(), [d.sent, d.delivered, d.read]))
        .collect();
    let own_default = p.vendor.and_then(|v| {
        super::model::COMMANDS
            .iter()
            .find_map(|op| crate::provider::default_range_of(v, *op).map(|d| (*op, d)))
    });
    html! {
        p.note { "Range: " (range_text(a)) "."
            @if let (false, Some((op, own))) = (a.explicit, own_default) {
                " With no range given, " (vendor) " reads its own default for " code { (op.command()) } ": " (own) "."
            }
        }
        h3 { "Totals" }
        div.cards {
            @for (field, label, value, rate) in [
                ("sent", "Sent", t.sent, None),
                ("delivered", "Delivered", t.delivered, None),
                ("read", "Read", t.read, Some(("read_rate", "read rate", t.read_rate))),
                ("engaged", "Engaged", t.engaged, Some(("engagement_rate", "engagement rate", t.engagement_rate))),
                ("errors", "Errors", t.errors, Some(("error_rate", "error rate", t.error_rate))),
            ] {
                div.card {
                    div.label { (label) (mark(&id, a, field)) }
                    div.value { (value.map_or_else(|| "—".to_string(), grouped)) }
                    @if let Some((rate_field, rate_label, rate)) = rate {
                        div.rate { (percent(rate)) " " (rate_label) (mark(&id, a, rate_field)) }
                    }
                }
            }
        }
        table.totals {
            thead { tr { @for f in super::model::FIGURES { th.n { (f.replace('_', " ")) (mark(&id, a, f)) } } } }
            tbody { tr {
                @let at = At { table: "totals", profile: name, row: None };
                (count_cell(at, "total", t.total)) (count_cell(at, "sent", t.sent))
                (count_cell(at, "delivered", t.delivered)) (count_cell(at, "read", t.read))
                (count_cell(at, "engaged", t.engaged)) (count_cell(at, "errors", t.errors))
                (rate_cell(at, "read_rate", t.read_rate)) (rate_cell(at, "engagement_rate", t.engagement_rate))
                (rate_cell(at, "error_rate", t.error_rate))
            } }
        }
        h3 { "Funnel" }
        figure {
            figcaption { (funnel_title) }
            div.chart { (PreEscaped(chart::funnel(&funnel_title, &steps))) }
            table {
                thead { tr { th { "step" } th.n { "messages" } } }
                tbody { @for (step, value) in steps { tr { td { (step) } td.n { (value.map_or_else(|| "not reported".to_string(), grouped)) } } } }
            }
        }
        h3 { "Per day" }
        @if a.days.is_empty() {
            p.note { "No messages in the range." }
        } @else {
            figure {
                figcaption { (daily_title) }
                div.chart { (PreEscaped(chart::daily(&daily_title, &days))) }
                table.days {
                    thead { tr { th { "day" } th.n { "sent" } th.n { "delivered" } th.n { "read" } } }
                    tbody { @for d in &a.days { tr {
                        @let period = d.period.to_string();
                        @let at = At { table: "days", profile: name, row: Some(&period) };
                        td { (period) }
                        (count_cell(at, "sent", d.sent)) (count_cell(at, "delivered", d.delivered)) (count_cell(at, "read", d.read))
                    } } }
                }
            }
        }
        h3 { "Campaigns, by messages sent" }
        @if a.campaigns.is_empty() {
            p.note { "No campaigns in the range." }
        } @else {
            table.campaigns {
                thead { tr {
                    th { "campaign" } th { "type" }
                    @for f in super::model::FIGURES { th.n { (f.replace('_', " ")) (mark(&id, a, f)) } }
                } }
                tbody { @for c in &a.campaigns { (campaign_row(name, c)) } }
            }
            p.note { "Each campaign summarised over the range, as " code { "campaigns summary" } " prints it. A number beside a figure's name is a footnote below: the figure is derived, or the vendor has no such figure." }
        }
        @if !a.footnotes.is_empty() {
            h3 { "Where the figures come from" }
            ol.footnotes {
                @for (n, f) in a.footnotes.iter().enumerate() {
                    li id={ (id) "-note-" (n + 1) } {
                        code { (f.field) } " (" (f.commands.join(", ")) "): " (f.text)
                    }
                }
            }
        }
    }
}

fn campaign_row(profile: &str, c: &CampaignSummary) -> Markup {
    let at = At {
        table: "campaigns",
        profile,
        row: c.id.as_deref(),
    };
    let counts = [
        ("total", c.total),
        ("sent", c.sent),
        ("delivered", c.delivered),
        ("read", c.read),
        ("engaged", c.engaged),
        ("errors", c.errors),
    ];
    let rates = [
        ("read_rate", c.read_rate),
        ("engagement_rate", c.engagement_rate),
        ("error_rate", c.error_rate),
    ];
    html! {
        tr {
            td { (c.name.as_deref().or(c.id.as_deref()).unwrap_or("(no name)")) }
            td { (c.campaign_type.as_deref().unwrap_or("")) }
            @for (field, n) in counts { (count_cell(at, field, n)) }
            @for (field, r) in rates { (rate_cell(at, field, r)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::Analytics;
    use crate::time::DateRange;

    fn report(campaign: &str, profile: &str) -> Report {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let summary = CampaignSummary {
            id: Some("c-1".into()),
            name: Some(campaign.into()),
            sent: Some(12),
            delivered: Some(10),
            read: Some(7),
            read_rate: Some(0.7),
            ..Default::default()
        };
        let analytics = Analytics::new(
            Vendor::Engage,
            DateRange {
                start: at("2026-11-01T00:00:00Z"),
                end: at("2026-12-01T00:00:00Z"),
            },
            crate::time::Zone::UTC,
            true,
            summary.clone(),
            Vec::new(),
            vec![summary],
        );
        Report {
            generated_at: at("2026-12-03T12:00:00Z"),
            profiles: vec![
                ProfileReport {
                    name: profile.into(),
                    vendor: Some(Vendor::Engage),
                    section: Section::Analytics(Box::new(analytics)),
                },
                ProfileReport {
                    name: "chat".into(),
                    vendor: Some(Vendor::Engati),
                    section: Section::NoAnalytics,
                },
                ProfileReport {
                    name: "down".into(),
                    vendor: Some(Vendor::Insider),
                    section: Section::Failed("Insider: <refused> & \"gone\"".into()),
                },
            ],
        }
    }

    #[test]
    fn names_and_errors_with_markup_come_out_as_text() {
        let page = page(&report(
            "<script>alert(\"x\")</script> & 'co' 🚀",
            "p<1>&\"2\"",
        ));
        assert!(!page.contains("<script"), "a name became markup");
        assert!(
            page.contains(
                "<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 'co' 🚀</td>"
            )
        );
        // In attributes too: the profile name quoted by maud.
        assert!(page.contains("data-profile=\"p&lt;1&gt;&amp;&quot;2&quot;\""));
        assert!(page.contains("Insider: &lt;refused&gt; &amp; &quot;gone&quot;"));
        // The profile name is text in the charts' SVG as well.
        assert!(page.contains(">\np&lt;1&gt;&amp;\"2\"\n</text>"));
    }

    #[test]
    fn profiles_without_analytics_and_failed_ones_are_named_in_their_place() {
        let page = page(&report("Promo", "engage"));
        assert!(
            page.contains(
                "<h2>chat — Engati</h2><p class=\"none\">Engati has no campaign analytics"
            )
        );
        assert!(page.contains("<h2>down — Insider</h2><p class=\"error\">This profile failed"));
        assert!(
            page.contains("Incomplete: 1 of 3 profiles failed and have no numbers here: down.")
        );
    }
}
