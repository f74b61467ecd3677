//! What the numbers mean, at the command line (product.md, "What the numbers mean"): the mapping
//! printed by `providers --mapping`, `--fields help` with and without a vendor, and the checks
//! the CLI makes on every vendor's figures, run in-process against a provider that answers what
//! a test tells it to.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use wa_analytics::api_error::ProviderError;
use wa_analytics::provider::{
    AnalyticsProvider, Campaign, CampaignAnalytics, CampaignQuery, CampaignSummary, Frequency,
    RecordStream, StatsBucket, StatsQuery, SummaryQuery, Vendor, mapping, record_stream, reports,
};
use wa_analytics::time::Zone;

use crate::support::{Home, InProcess, run_host};

fn now() -> DateTime<Utc> {
    "2026-03-15T12:34:56Z".parse().unwrap()
}

/// A provider whose summary and stats are what the test gives.
#[derive(Debug)]
struct Fixed {
    summary: CampaignSummary,
    buckets: Vec<StatsBucket>,
    campaigns: Vec<Campaign>,
}

#[async_trait]
impl AnalyticsProvider for Fixed {
    fn vendor(&self) -> Vendor {
        Vendor::Engage
    }
    async fn check_credentials(&self) -> Result<(), ProviderError> {
        Ok(())
    }
    fn campaigns(&self) -> Option<&dyn CampaignAnalytics> {
        Some(self)
    }
}

#[async_trait]
impl CampaignAnalytics for Fixed {
    fn list_campaigns<'a>(&'a self, _: &'a CampaignQuery) -> RecordStream<'a, Campaign> {
        let page: Result<Vec<Campaign>, ProviderError> = Ok(self.campaigns.clone());
        record_stream(futures::stream::iter([page]))
    }
    async fn campaign_summary(
        &self,
        _: &str,
        _: &SummaryQuery,
    ) -> Result<CampaignSummary, ProviderError> {
        Ok(self.summary.clone())
    }
    fn stats<'a>(&'a self, _: &'a StatsQuery) -> RecordStream<'a, StatsBucket> {
        let pages: Vec<Result<Vec<StatsBucket>, ProviderError>> =
            self.buckets.iter().map(|b| Ok(vec![b.clone()])).collect();
        record_stream(futures::stream::iter(pages))
    }
    fn campaign_summaries<'a>(
        &'a self,
        query: &'a CampaignQuery,
    ) -> RecordStream<'a, CampaignSummary> {
        reports::summaries_of_list(self.list_campaigns(query), 1, move |_| {
            let summary = self.summary.clone();
            Box::pin(async move { Ok(summary) })
        })
    }
    fn stats_by_campaign<'a>(&'a self, _: &'a StatsQuery) -> RecordStream<'a, CampaignSummary> {
        let page: Result<Vec<CampaignSummary>, ProviderError> = Ok(vec![self.summary.clone()]);
        record_stream(futures::stream::iter([page]))
    }
    async fn stats_total(&self, _: &StatsQuery) -> Result<CampaignSummary, ProviderError> {
        Ok(reports::total_of_periods(&self.buckets))
    }
}

/// Runs `args` against the demo's Engage profile, with `Fixed` answering.
async fn run_fixed(fixed: Fixed, args: &[&str]) -> InProcess {
    let home = Home::new();
    let (host, captured) = home.host(&[], now());
    let fixed = Arc::new(fixed);
    let host = host.with_build(move |_, _| Ok(fixed.clone() as Arc<dyn AnalyticsProvider>));
    let mut argv = vec!["--demo", "-p", "engage"];
    argv.extend_from_slice(args);
    run_host(host, &captured, &argv).await
}

fn summary(sent: u64, delivered: u64, read: u64) -> CampaignSummary {
    CampaignSummary {
        name: Some("Spring".into()),
        total: Some(sent),
        sent: Some(sent),
        delivered: Some(delivered),
        read: Some(read),
        ..CampaignSummary::default()
    }
}

fn bucket(day: u32, sent: u64, delivered: u64) -> StatsBucket {
    StatsBucket {
        sent: Some(sent),
        delivered: Some(delivered),
        read: Some(0),
        ..StatsBucket::new(
            NaiveDate::from_ymd_opt(2026, 3, day).unwrap(),
            Frequency::Daily,
            &Zone::UTC,
        )
    }
}

const DEMO: &str =
    "wa-analytics: --demo: generated data from the built-in sandbox, not a real account\n";

#[tokio::test(flavor = "multi_thread")]
async fn a_summary_that_breaks_an_invariant_is_printed_with_a_warning_naming_the_figures() {
    let fixed = Fixed {
        summary: summary(100, 120, 90),
        buckets: Vec::new(),
        campaigns: Vec::new(),
    };
    let out = run_fixed(fixed, &["campaigns", "summary", "Spring", "-f", "json"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let got: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        (got["sent"].clone(), got["delivered"].clone()),
        (100.into(), 120.into())
    );
    assert_eq!(
        out.stderr,
        format!(
            "{DEMO}wa-analytics: warning: Engage's summary of 'Spring' does not add up: delivered (120) exceeds sent (100); printed as Engage gave it\n"
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_summary_that_sent_nothing_in_the_range_says_so() {
    let fixed = Fixed {
        summary: summary(0, 0, 0),
        buckets: Vec::new(),
        campaigns: Vec::new(),
    };
    let args = [
        "campaigns",
        "summary",
        "Spring",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-07",
        "--tz",
        "America/Bogota",
        "-f",
        "json",
    ];
    let out = run_fixed(fixed, &args).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        format!(
            "{DEMO}wa-analytics: 'Spring' sent nothing from 2026-03-01 00:00 to 2026-03-08 00:00 (America/Bogota); if it was sent at another time, give that range (--from/--to or --last)\n"
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_summary_that_sent_nothing_names_when_the_campaign_list_says_it_was_sent() {
    let spring = Campaign {
        id: None,
        name: "Spring".into(),
        campaign_type: None,
        status: None,
        created_at: None,
        sent_at: Some("2026-02-10T15:30:00Z".parse().unwrap()),
        total_contacts: None,
        extra: Vec::new(),
    };
    let fixed = Fixed {
        summary: summary(0, 0, 0),
        buckets: Vec::new(),
        campaigns: vec![spring],
    };
    let args = [
        "campaigns",
        "summary",
        "Spring",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-07",
        "--tz",
        "America/Bogota",
        "-f",
        "json",
    ];
    let out = run_fixed(fixed, &args).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        format!(
            "{DEMO}wa-analytics: 'Spring' sent nothing from 2026-03-01 00:00 to 2026-03-08 00:00 (America/Bogota); Engage lists it as sent 2026-02-10 10:30 (America/Bogota): give a range that holds that day, e.g. --from 2026-02-10\n"
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn stats_warn_once_per_invariant_naming_the_first_period_that_breaks_it() {
    let fixed = Fixed {
        summary: CampaignSummary::default(),
        buckets: vec![bucket(1, 10, 10), bucket(2, 10, 12), bucket(3, 5, 9)],
        campaigns: Vec::new(),
    };
    let out = run_fixed(fixed, &["stats", "-f", "csv", "--last", "7d"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "period,sent,delivered,read,engaged,errors,period_start,period_end\n\
         2026-03-01,10,10,0,,,2026-03-01T00:00:00Z,2026-03-02T00:00:00Z\n\
         2026-03-02,10,12,0,,,2026-03-02T00:00:00Z,2026-03-03T00:00:00Z\n\
         2026-03-03,5,9,0,,,2026-03-03T00:00:00Z,2026-03-04T00:00:00Z\n"
    );
    assert_eq!(
        out.stderr,
        format!(
            "{DEMO}wa-analytics: warning: Engage's stats do not add up: on 2026-03-02 delivered (12) exceeds sent (10) (printed as Engage gave them; later periods that break it are not named)\n"
        )
    );
}

#[tokio::test]
async fn providers_mapping_prints_every_vendors_declaration_in_every_format() {
    let home = Home::new();
    let out = home
        .run_in_process(&["providers", "--mapping", "-f", "json"], now())
        .await;
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    let rows: Vec<Value> = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rows.len(), mapping::mapping_rows().len());
    assert!(!rows.is_empty());
    for row in &rows {
        let mut keys: Vec<_> = row.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(
            keys,
            ["command", "field", "note", "source", "support", "vendor"]
        );
        assert!(
            ["native", "derived", "unsupported"].contains(&row["support"].as_str().unwrap()),
            "{row}"
        );
    }
    let summary_sent = rows
        .iter()
        .find(|r| {
            r["vendor"] == "engage" && r["command"] == "campaigns summary" && r["field"] == "sent"
        })
        .expect("Engage's summary sent is mapped");
    assert_eq!(summary_sent["support"], "native");
    // The columns in their order.
    assert!(out.stdout.contains(r#"{"vendor":"#) || out.stdout.contains(r#""vendor": "#));
    let csv = home
        .run_in_process(&["providers", "--mapping", "-f", "csv"], now())
        .await;
    assert_eq!(
        csv.stdout.lines().next(),
        Some("vendor,command,field,support,source,note")
    );
    assert_eq!(csv.stdout.lines().count(), rows.len() + 1);
}

#[tokio::test]
async fn fields_help_without_a_config_shows_the_common_meanings_and_with_a_vendor_its_sources() {
    let home = Home::new();
    let out = home
        .run_in_process(&["campaigns", "summary", "x", "--fields", "help"], now())
        .await;
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    let sent = out.stdout.lines().find(|l| l.starts_with("sent ")).unwrap();
    assert_eq!(sent, "sent             messages handed to WhatsApp");
    let out = home
        .run_in_process(
            &[
                "--provider",
                "engage",
                "campaigns",
                "summary",
                "x",
                "--fields",
                "help",
            ],
            now(),
        )
        .await;
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    let sent = out.stdout.lines().find(|l| l.starts_with("sent ")).unwrap();
    let source = mapping::source_of(
        wa_analytics::provider::adapter(Vendor::Engage).mapping,
        wa_analytics::provider::Operation::CampaignsSummary,
        "sent",
    )
    .unwrap();
    let expected = format!(
        "sent             messages handed to WhatsApp [Engage: {}",
        source.source.text()
    );
    assert!(sent.starts_with(&expected), "{sent}");
}

/// The rate `field` of a summary against the vocabulary's formula over the same summary's counts
/// (product.md: read / delivered, engaged / delivered, errors / total; null over 0).
/// True when the rate was compared with counts (not null over zero, not left unchecked).
fn check_rate(vendor: Vendor, summary: &Value, field: &str, part: &str, whole: &str) -> bool {
    let rate = summary[field].as_f64();
    let (p, w) = (summary[part].as_u64(), summary[whole].as_u64());
    match (p, w) {
        (_, Some(0)) => {
            assert_eq!(
                rate, None,
                "{vendor} {field} over a zero {whole}: {summary}"
            );
            false
        }
        (Some(p), Some(w)) => {
            let expected = p as f64 / w as f64;
            let rate = rate.unwrap_or_else(|| panic!("{vendor} {field} is null: {summary}"));
            // Vendors round their percentages to two decimals, the tool its rates to four.
            assert!(
                (rate - expected).abs() <= 2e-4,
                "{vendor} {field} = {rate}, but {part} / {whole} = {expected}: {summary}"
            );
            true
        }
        // A count the vendor does not give leaves the rate its own figure or null.
        _ => false,
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 6, ..Default::default() })]

    /// For every vendor with summaries, over generated data: each summary's rates are the
    /// vocabulary's formula over its own counts, whoever computed them.
    #[test]
    fn every_vendors_summary_rates_are_the_formula_over_its_counts(seed in 1u64..100_000) {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(summaries_follow_the_formulas(seed));
    }
}

async fn summaries_follow_the_formulas(seed: u64) {
    use wa_analytics::provider::{Operation, capabilities_of};
    use wa_analytics::sandbox::{Sandbox, SandboxOptions};
    let now: DateTime<Utc> = "2026-05-01T00:00:00Z".parse().unwrap();
    let sb = Sandbox::start_anchored(
        SandboxOptions {
            seed,
            rows: 200,
            ..SandboxOptions::default()
        },
        now,
    )
    .await
    .unwrap();
    let home = Home::new();
    home.write_config(&sb.config_toml());
    let range = ["--from", "2026-03-01", "--to", "2026-04-30"];
    for vendor in Vendor::all().filter(|v| capabilities_of(*v).serves(Operation::CampaignsSummary))
    {
        let mut list = vec!["-p", vendor.id(), "campaigns", "list", "-f", "json"];
        list.extend(range);
        let out = home.run_in_process(&list, now).await;
        assert_eq!(out.code, 0, "{vendor}: {}", out.stderr);
        let campaigns: Vec<Value> = serde_json::from_str(&out.stdout).unwrap();
        assert!(!campaigns.is_empty(), "{vendor} lists no campaign");
        let mut compared = 0;
        for campaign in campaigns.iter().take(3) {
            let key = match vendor {
                Vendor::Engage => campaign["name"].as_str().unwrap().to_string(),
                _ => campaign["id"].as_str().unwrap().to_string(),
            };
            let mut args = vec![
                "-q",
                "-p",
                vendor.id(),
                "campaigns",
                "summary",
                &key,
                "-f",
                "json",
            ];
            args.extend(range);
            let out = home.run_in_process(&args, now).await;
            assert_eq!(out.code, 0, "{vendor} {key}: {}", out.stderr);
            let summary: Value = serde_json::from_str(&out.stdout).unwrap();
            compared += [
                check_rate(vendor, &summary, "read_rate", "read", "delivered"),
                check_rate(vendor, &summary, "engagement_rate", "engaged", "delivered"),
                check_rate(vendor, &summary, "error_rate", "errors", "total"),
            ]
            .iter()
            .filter(|c| **c)
            .count();
        }
        assert!(
            compared > 0,
            "no rate of {vendor} was compared with its counts"
        );
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn the_help_of_last_tells_each_commands_real_default() {
    let home = Home::new();
    let help = |args: &'static [&'static str]| {
        let home = &home;
        async move {
            let out = home.run_in_process(args, now()).await;
            assert_eq!(out.code, 0, "{}", out.stderr);
            // The help text of --last, its lines joined.
            let text = out
                .stdout
                .split("--last <DURATION>")
                .nth(1)
                .unwrap()
                .to_string();
            let until = text.find(']').unwrap() + 1;
            text[..until]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    assert_eq!(
        help(&["campaigns", "list", "--help"]).await,
        "The last DURATION up to now: 7d, 24h, 90m, 2w [default: 30d; Insider: every campaign, whenever it ran]"
    );
    assert_eq!(
        help(&["campaigns", "summary", "--help"]).await,
        "The last DURATION up to now: 7d, 24h, 90m, 2w [default: 30d; Insider: the campaign's whole lifetime]"
    );
    assert_eq!(
        help(&["conversations", "--help"]).await,
        "The last DURATION up to now: 7d, 24h, 90m, 2w [default: every message up to now, Engati's own default]"
    );
    assert_eq!(
        help(&["stats", "--help"]).await,
        "The last DURATION up to now: 7d, 24h, 90m, 2w [default: 30d]"
    );
}
