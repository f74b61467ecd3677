//! Statistics beyond the unified periods of `stats`: the vendor's product reports (Insider's
//! transactional and verify statistics), one row per campaign, and the totals of a range. A
//! vendor exposes them through [`AnalyticsProvider::stats_reports`](super::AnalyticsProvider::stats_reports).

use async_trait::async_trait;

use super::{CampaignSummary, ProviderError, RecordStream, StatsBucket, StatsQuery};
use crate::output::FieldDef;

/// Which statistics `stats --report` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum StatsReport {
    /// The campaigns' messages (every vendor's `stats`).
    #[default]
    Campaigns,
    /// Transactional (hook) messages (Insider).
    Transactional,
    /// OTP verification messages (Insider).
    Verify,
}

impl StatsReport {
    /// The option value (`campaigns`, `transactional`, `verify`).
    pub fn as_str(self) -> &'static str {
        match self {
            StatsReport::Campaigns => "campaigns",
            StatsReport::Transactional => "transactional",
            StatsReport::Verify => "verify",
        }
    }

    /// The command this report is, as `providers` lists it.
    pub fn operation(self) -> super::Operation {
        match self {
            StatsReport::Campaigns => super::Operation::Stats,
            StatsReport::Transactional => super::Operation::TransactionalStats,
            StatsReport::Verify => super::Operation::VerifyStats,
        }
    }
}

/// How the figures of a report are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportView {
    /// One row per period (`stats`).
    Periods,
    /// One row per campaign over the range (`stats --by-campaign`).
    ByCampaign,
    /// One row of totals over the range (`stats --total`).
    Total,
}

/// A vendor's statistics reports.
#[async_trait]
pub trait StatsReports: Send + Sync {
    /// Vendor-only fields that follow the common ones in the rows of `report` cut by `view`.
    fn report_fields(&self, report: StatsReport, view: ReportView) -> Vec<FieldDef>;

    /// The periods of `report` (for [`StatsReport::Campaigns`], the same as `stats`).
    fn report_periods<'a>(
        &'a self,
        report: StatsReport,
        query: &'a StatsQuery,
    ) -> RecordStream<'a, StatsBucket>;

    /// One row per campaign of `report` over the range.
    fn report_by_campaign<'a>(
        &'a self,
        report: StatsReport,
        query: &'a StatsQuery,
    ) -> RecordStream<'a, CampaignSummary>;

    /// The totals of `report` over the range.
    async fn report_total(
        &self,
        report: StatsReport,
        query: &StatsQuery,
    ) -> Result<CampaignSummary, ProviderError>;
}
