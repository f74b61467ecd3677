//! Insider One WhatsApp campaign analytics (vendors.md Part 2 §3, Part 1 "Insider"): the
//! campaign statistics by id (`campaigns summary`), campaign-list (`campaigns list`), overall
//! (`stats`, `--by-campaign`, `--total`), and the transactional and verify reports
//! (`stats --report …`). Insider serves no contact-level rows, so `campaigns details/export`
//! are not supported. Insider returns counts only: every rate is derived from them. Where each
//! field comes from is declared once, in [`mapping`], and read from there.

mod client;
mod errors;
mod list;
mod mapping;
mod records;
mod stats;
mod view;
mod wire;

use std::sync::Arc;

use async_trait::async_trait;
use futures::{FutureExt, stream};
use serde_json::Value;

use crate::config::Profile;
use crate::http::HttpOptions;
use crate::output::FieldDef;
use crate::provider::reports::{self, ReportView, StatsReport, StatsReports};
use crate::provider::{
    Adapter, AnalyticsProvider, Campaign, CampaignAnalytics, CampaignQuery, CampaignSummary,
    Capabilities, ErrorKind, Operation, ProviderError, RecordStream, StatsBucket, StatsQuery,
    SummaryQuery, Support, Vendor, failed_stream, record_stream,
};

use client::{Endpoint, InsiderClient};
use wire::{CampaignRequest, ListRequest, unwrap_statistics};

/// The vendor's display name in messages.
const VENDOR: &str = "Insider";

/// Campaign statuses Insider knows (Part 2 §3.3).
const STATUSES: [&str; 8] = [
    "active",
    "test",
    "passive",
    "completed",
    "failed",
    "scheduled",
    "draft",
    "stop",
];

/// Insider as the tool knows it: everything but contact-level rows, with rates derived from
/// counts.
pub const ADAPTER: Adapter = Adapter {
    vendor: Vendor::Insider,
    capabilities: Capabilities {
        operations: &[
            (Operation::CampaignsList, Support::Native),
            (Operation::CampaignsSummary, Support::Native),
            (Operation::Stats, Support::Native),
            (Operation::StatsByCampaign, Support::Native),
            (Operation::StatsTotal, Support::Native),
            (Operation::TransactionalStats, Support::Native),
            (Operation::VerifyStats, Support::Native),
        ],
        native_rates: false,
        concurrency_limit: None,
    },
    extra_fields,
    mapping: mapping::MAPPING,
    // Without --from/--to/--last Insider sends no dates and answers for the campaigns' lifetime.
    request_limit: None,
    default_ranges: &[
        (Operation::CampaignsList, "every campaign, whenever it ran"),
        (Operation::CampaignsSummary, "the campaign's whole lifetime"),
    ],
    build: |profile, http| Ok(Arc::new(Insider::new(profile, http)?)),
};

/// Insider's own fields after the common ones: the list's and the summary's extra columns and
/// the reports' counts.
fn extra_fields(op: Operation) -> Vec<FieldDef> {
    match op {
        Operation::CampaignsList => records::list_fields(),
        Operation::CampaignsSummary => records::defs(records::SUMMARY),
        Operation::Stats => stats::report_fields(StatsReport::Campaigns, ReportView::Periods),
        Operation::StatsByCampaign => {
            stats::report_fields(StatsReport::Campaigns, ReportView::ByCampaign)
        }
        Operation::StatsTotal => stats::report_fields(StatsReport::Campaigns, ReportView::Total),
        Operation::TransactionalStats => {
            stats::report_fields(StatsReport::Transactional, ReportView::Periods)
        }
        Operation::VerifyStats => stats::report_fields(StatsReport::Verify, ReportView::Periods),
        _ => Vec::new(),
    }
}

/// The Insider provider.
#[derive(Debug)]
pub struct Insider {
    client: InsiderClient,
}

impl Insider {
    /// A provider for an insider profile (OAuth client credentials, a token, or an API key).
    pub fn new(profile: &Profile, options: &HttpOptions) -> Result<Insider, ProviderError> {
        Ok(Insider {
            client: InsiderClient::new(profile, options)?,
        })
    }
}

/// `--status` values, lower-cased, or the refusal of one Insider does not know.
fn check_statuses(given: &[String]) -> Result<Vec<String>, ProviderError> {
    given
        .iter()
        .map(|s| {
            let s = s.trim().to_lowercase();
            if STATUSES.contains(&s.as_str()) {
                Ok(s)
            } else {
                Err(ProviderError::new(
                    ErrorKind::InvalidRequest,
                    VENDOR,
                    format!("'{s}' is not an Insider campaign status"),
                )
                .with_hint(format!("--status takes: {}", STATUSES.join(", "))))
            }
        })
        .collect()
}

/// The campaign id of `campaigns summary`: Insider's ids are integers greater than 0, checked
/// before any request (Part 2 §3.3.1, "Must be greater than 0").
fn campaign_id(s: &str) -> Result<u64, ProviderError> {
    let bad = |why: String| {
        ProviderError::new(ErrorKind::InvalidRequest, VENDOR, why).with_hint(
            "pass the campaign's numeric id, as the id column of 'wa-analytics campaigns list' shows it",
        )
    };
    match s.trim().parse::<i64>() {
        Ok(id) if id > 0 => Ok(id.unsigned_abs()),
        Ok(id) => Err(bad(format!(
            "campaign ids are whole numbers greater than 0, not {id}"
        ))),
        Err(_) => Err(bad(format!(
            "'{s}' is not an Insider campaign id (a whole number greater than 0)"
        ))),
    }
}

#[async_trait]
impl AnalyticsProvider for Insider {
    fn vendor(&self) -> Vendor {
        Vendor::Insider
    }

    async fn check_credentials(&self) -> Result<(), ProviderError> {
        // One campaign of page 1: authenticates (minting a token first for OAuth) and proves
        // the WhatsApp product is readable, for the price of a tiny answer.
        let body = list::probe_request();
        let resp = self.client.post(Endpoint::CampaignList, &body).await?;
        resp.json::<Value>(VENDOR).map(|_| ())
    }

    fn raw_api(&self) -> Option<&dyn crate::provider::raw::RawApi> {
        Some(&self.client)
    }

    fn campaigns(&self) -> Option<&dyn CampaignAnalytics> {
        Some(self)
    }

    fn stats_reports(&self) -> Option<&dyn StatsReports> {
        Some(self)
    }
}

#[async_trait]
impl CampaignAnalytics for Insider {
    fn list_campaigns<'a>(&'a self, query: &'a CampaignQuery) -> RecordStream<'a, Campaign> {
        let body: ListRequest = match list::first_request(query) {
            Ok(body) => body,
            Err(e) => return failed_stream(e),
        };
        let range = if query.range.explicit {
            Some(query.range.range)
        } else {
            info!(
                "Insider: no range given, so every campaign is listed (campaign-list takes no dates)"
            );
            None
        };
        list::pages(self, body, range)
    }

    async fn campaign_summary(
        &self,
        campaign: &str,
        query: &SummaryQuery,
    ) -> Result<CampaignSummary, ProviderError> {
        let id = campaign_id(campaign)?;
        // No range: Insider's default, the campaign's whole lifetime (Part 2 §3.3.1). A range
        // longer than Insider's 1 year is asked in ≤ 1-year windows whose counts are added up
        // (messages of disjoint windows are disjoint); the rates follow from the sums.
        let times: Vec<(Option<i64>, Option<i64>)> = if query.range.explicit {
            stats::windows(&query.range.range)
                .iter()
                .map(|w| stats::seconds(w).map(|(s, e)| (Some(s), Some(e))))
                .collect::<Result<_, _>>()?
        } else {
            info!("Insider: no range given, so the campaign's whole lifetime is summarised");
            vec![(None, None)]
        };
        if times.len() > 1 {
            info!(
                "Insider: the range is longer than 1 year; asking in {} windows and adding them up",
                times.len()
            );
        }
        let mut sums = serde_json::Map::new();
        let mut request = String::new();
        for (start_time, end_time) in times {
            let body = CampaignRequest {
                campaign_id: id,
                start_time,
                end_time,
            };
            let resp = self.client.post(Endpoint::Campaign, &body).await?;
            let value: Value = resp.json(VENDOR)?;
            match unwrap_statistics(value) {
                Value::Object(counts) => wire::add_counts(&mut sums, counts),
                other => {
                    return records::campaign_summary(&other, id.to_string(), &resp.request_line);
                }
            }
            request = resp.request_line;
        }
        records::campaign_summary(&Value::Object(sums), id.to_string(), &request)
    }

    fn stats<'a>(&'a self, query: &'a StatsQuery) -> RecordStream<'a, StatsBucket> {
        self.report_periods(StatsReport::Campaigns, query)
    }

    /// Insider serves summaries by id only: campaign-list, then one request per campaign id,
    /// `concurrency` in flight and at most 100 a second (the client's pace).
    fn campaign_summaries<'a>(
        &'a self,
        query: &'a CampaignQuery,
    ) -> RecordStream<'a, CampaignSummary> {
        let summary = SummaryQuery { range: query.range };
        reports::summaries_of_list(
            self.list_campaigns(query),
            self.client.http.concurrency(),
            move |c| {
                let id = c.id.clone().unwrap_or_else(|| c.name.clone());
                let summary = summary.clone();
                async move { self.campaign_summary(&id, &summary).await }.boxed()
            },
        )
    }

    fn stats_by_campaign<'a>(&'a self, query: &'a StatsQuery) -> RecordStream<'a, CampaignSummary> {
        self.report_by_campaign(StatsReport::Campaigns, query)
    }

    async fn stats_total(&self, query: &StatsQuery) -> Result<CampaignSummary, ProviderError> {
        self.report_total(StatsReport::Campaigns, query).await
    }
}

#[async_trait]
impl StatsReports for Insider {
    fn report_fields(&self, report: StatsReport, view: ReportView) -> Vec<FieldDef> {
        stats::report_fields(report, view)
    }

    fn report_periods<'a>(
        &'a self,
        report: StatsReport,
        query: &'a StatsQuery,
    ) -> RecordStream<'a, StatsBucket> {
        let page = async move {
            let merged = self.report(report, ReportView::Periods, query).await?;
            Ok(stats::periods(merged, report, query))
        };
        record_stream(stream::once(page))
    }

    fn report_by_campaign<'a>(
        &'a self,
        report: StatsReport,
        query: &'a StatsQuery,
    ) -> RecordStream<'a, CampaignSummary> {
        let page = async move {
            let merged = self.report(report, ReportView::ByCampaign, query).await?;
            stats::by_campaign(merged, report)
        };
        record_stream(stream::once(page))
    }

    async fn report_total(
        &self,
        report: StatsReport,
        query: &StatsQuery,
    ) -> Result<CampaignSummary, ProviderError> {
        let merged = self.report(report, ReportView::Total, query).await?;
        stats::total(merged, report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn campaign_ids_must_be_whole_numbers_above_zero() {
        assert_eq!(campaign_id(" 12345 ").unwrap(), 12345);
        for bad in ["0", "-3", "abc", "1.5", ""] {
            assert_eq!(campaign_id(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn statuses_are_checked_and_lower_cased() {
        assert_eq!(
            check_statuses(&["Active".into(), "stop".into()]).unwrap(),
            vec!["active", "stop"]
        );
        let e = check_statuses(&["running".into()]).unwrap_err();
        assert!(e.hint.unwrap().contains("active, test, passive"));
    }

    #[test]
    fn insider_serves_every_read_but_contact_rows() {
        let caps = &ADAPTER.capabilities;
        assert_eq!(
            caps.support(Operation::CampaignsDetails),
            Support::NotSupported
        );
        assert_eq!(caps.support(Operation::VerifyStats), Support::Native);
        assert!(!caps.native_rates);
    }
}
