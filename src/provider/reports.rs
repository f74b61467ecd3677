//! Statistics beyond the unified periods of `stats`: the vendor's product reports (Insider's
//! transactional and verify statistics), one row per campaign, and the totals of a range. A
//! vendor exposes its product reports through
//! [`AnalyticsProvider::stats_reports`](super::AnalyticsProvider::stats_reports); the campaigns'
//! own `--by-campaign` and `--total` are part of [`super::CampaignAnalytics`], and this file
//! holds what the vendors without an endpoint for them derive them with: every campaign's
//! summary from the list ([`summaries_of_list`]) and a range's totals from its periods
//! ([`total_of_periods`]).

use std::sync::Arc;

use async_trait::async_trait;
use futures::future::BoxFuture;
use futures::{StreamExt, TryStreamExt, stream};

use super::figures::ratio;
use super::{
    Campaign, CampaignSummary, Page, ProviderError, RecordStream, StatsBucket, StatsQuery,
};
use crate::api_error::{CODE_CHARS, quote};
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

/// Every campaign's summary, from the pages of `list`: each page's campaigns are summarised by
/// `summary`, `ahead` at a time (the vendor's limits still hold: its client caps the requests in
/// flight), and kept in the list's order, one page of summaries per page of the list. Each
/// summary gets the list's id, name and type where it has none ([`completed`]). A summary that
/// fails ends the stream with its error, which then names the campaign ([`of_campaign`]).
pub fn summaries_of_list<'a, F>(
    list: RecordStream<'a, Campaign>,
    ahead: usize,
    summary: F,
) -> RecordStream<'a, CampaignSummary>
where
    F: Fn(&Campaign) -> BoxFuture<'a, Result<CampaignSummary, ProviderError>> + Send + Sync + 'a,
{
    let summary = Arc::new(summary);
    list.then(move |page| {
        let summary = summary.clone();
        async move {
            let campaigns = page?.decode()?;
            let summaries: Vec<CampaignSummary> = stream::iter(campaigns)
                .map(|c| {
                    let asked = summary(&c);
                    async move {
                        match asked.await {
                            Ok(s) => Ok(completed(s, c)),
                            Err(e) => Err(of_campaign(e, &c)),
                        }
                    }
                })
                .buffered(ahead.max(1))
                .try_collect()
                .await?;
            Ok(Page::from(summaries))
        }
    })
    .boxed()
}

/// A campaign's summary with the id, name and type the list gives where the summary has none
/// (Engage's summary carries no id; Insider's no name or type).
pub fn completed(mut summary: CampaignSummary, listed: Campaign) -> CampaignSummary {
    summary.id = summary.id.or(listed.id);
    summary.name = summary.name.or(Some(listed.name));
    summary.campaign_type = summary.campaign_type.or(listed.campaign_type);
    summary
}

/// How a campaign of the list is named in messages: its name, and its id when that differs
/// (vendor text: quoted at most [`CODE_CHARS`] long each).
fn label(c: &Campaign) -> String {
    let name = quote(&c.name, CODE_CHARS);
    match c.id.as_deref() {
        Some(id) if id != c.name => format!("'{name}' (id {})", quote(id, CODE_CHARS)),
        _ => format!("'{name}'"),
    }
}

/// The error of one campaign's summary, within the summaries of every campaign: the hint says
/// which campaign it was, and that the ones after it were not summarised.
pub fn of_campaign(mut e: ProviderError, c: &Campaign) -> ProviderError {
    let then = "the campaigns after it in the list were not summarised";
    let hint = match e.hint.take() {
        Some(h) => format!("this was the summary of campaign {}; {then}. {h}", label(c)),
        None => format!("this was the summary of campaign {}; {then}", label(c)),
    };
    e.hint = Some(hint);
    e
}

/// Every record of `records`, in order; the first failure ends the reading.
pub async fn collect<T>(records: RecordStream<'_, T>) -> Result<Vec<T>, ProviderError> {
    let pages: Vec<Page<T>> = records.try_collect().await?;
    let mut all = Vec::new();
    for page in pages {
        all.extend(page.decode()?);
    }
    Ok(all)
}

/// The totals of a range from its periods: each additive count summed over the periods (null
/// when a period lacks it: a sum with a gap would be a wrong figure, not a smaller one), and the
/// read and engagement rates computed from the sums; no id, name, type or `total` (the periods
/// have no contacts targeted: a vendor that can say it sets it, then [`with_rates`]).
pub fn total_of_periods(buckets: &[StatsBucket]) -> CampaignSummary {
    let sum = |get: fn(&StatsBucket) -> Option<u64>| {
        buckets
            .iter()
            .try_fold(0u64, |acc, b| get(b).map(|n| acc.saturating_add(n)))
    };
    with_rates(CampaignSummary {
        sent: sum(|b| b.sent),
        delivered: sum(|b| b.delivered),
        read: sum(|b| b.read),
        engaged: sum(|b| b.engaged),
        errors: sum(|b| b.errors),
        ..CampaignSummary::default()
    })
}

/// The summary with its rates computed from its counts: read / delivered, engaged / delivered,
/// errors / total ([`ratio`]: null over a zero or unknown denominator).
pub fn with_rates(summary: CampaignSummary) -> CampaignSummary {
    CampaignSummary {
        read_rate: ratio(summary.read, summary.delivered),
        engagement_rate: ratio(summary.engaged, summary.delivered),
        error_rate: ratio(summary.errors, summary.total),
        ..summary
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::provider::{ErrorKind, Frequency};
    use crate::time::Zone;

    fn bucket(day: u32, counts: [Option<u64>; 5]) -> StatsBucket {
        let [sent, delivered, read, engaged, errors] = counts;
        StatsBucket {
            sent,
            delivered,
            read,
            engaged,
            errors,
            ..StatsBucket::new(
                NaiveDate::from_ymd_opt(2026, 4, day).unwrap(),
                Frequency::Daily,
                &Zone::UTC,
            )
        }
    }

    #[test]
    fn a_total_sums_the_periods_and_computes_the_rates_from_the_sums() {
        let t = total_of_periods(&[
            bucket(1, [Some(10), Some(8), Some(4), Some(1), Some(2)]),
            bucket(2, [Some(20), Some(16), Some(12), Some(3), Some(0)]),
        ]);
        assert_eq!(
            (t.sent, t.delivered, t.read, t.engaged, t.errors),
            (Some(30), Some(24), Some(16), Some(4), Some(2))
        );
        // 16 / 24, not the mean of 4/8 and 12/16.
        assert_eq!(t.read_rate, Some(0.6667));
        assert_eq!(t.engagement_rate, Some(0.1667));
        assert_eq!(
            (t.total, t.error_rate),
            (None, None),
            "no contacts targeted"
        );
        assert_eq!((t.id, t.name, t.campaign_type), (None, None, None));
    }

    #[test]
    fn a_count_one_period_lacks_is_null_in_the_total_and_no_periods_are_zeros() {
        let t = total_of_periods(&[
            bucket(1, [Some(10), Some(8), Some(4), None, Some(2)]),
            bucket(2, [Some(20), Some(16), Some(12), Some(3), Some(0)]),
        ]);
        assert_eq!((t.engaged, t.engagement_rate), (None, None));
        assert_eq!(t.sent, Some(30));
        let none = total_of_periods(&[]);
        assert_eq!((none.sent, none.errors), (Some(0), Some(0)));
        assert_eq!(none.read_rate, None, "0 delivered: no rate");
    }

    fn campaign(id: &str, name: &str) -> Campaign {
        Campaign {
            id: Some(id.into()),
            name: name.into(),
            campaign_type: Some("standard".into()),
            status: None,
            created_at: None,
            sent_at: None,
            total_contacts: None,
            extra: Vec::new(),
        }
    }

    #[tokio::test]
    async fn summaries_keep_the_lists_order_and_take_its_id_name_and_type() {
        let list: RecordStream<'_, Campaign> = stream::iter([
            Ok(Page::from(vec![campaign("1", "a"), campaign("2", "b")])),
            Ok(Page::from(vec![campaign("3", "c")])),
        ])
        .boxed();
        let rows = collect(summaries_of_list(list, 3, |c: &Campaign| {
            // The later campaigns answer first: the order is still the list's.
            let wait = 30 - 10 * c.id.as_deref().unwrap().parse::<u64>().unwrap();
            let sent = Some(wait);
            Box::pin(async move {
                tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
                Ok(CampaignSummary {
                    sent,
                    ..CampaignSummary::default()
                })
            })
        }))
        .await
        .unwrap();
        let got: Vec<_> = rows
            .iter()
            .map(|s| {
                (
                    s.id.as_deref(),
                    s.name.as_deref(),
                    s.campaign_type.as_deref(),
                    s.sent,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Some("1"), Some("a"), Some("standard"), Some(20)),
                (Some("2"), Some("b"), Some("standard"), Some(10)),
                (Some("3"), Some("c"), Some("standard"), Some(0)),
            ]
        );
    }

    #[tokio::test]
    async fn a_failed_summary_ends_the_summaries_naming_its_campaign() {
        let list: RecordStream<'_, Campaign> =
            stream::iter([Ok(Page::from(vec![campaign("1", "a"), campaign("2", "b")]))]).boxed();
        let e = collect(summaries_of_list(list, 2, |c: &Campaign| {
            let fails = c.id.as_deref() == Some("2");
            Box::pin(async move {
                if fails {
                    Err(ProviderError::new(ErrorKind::NotFound, "Insider", "gone")
                        .with_hint("check the id"))
                } else {
                    Ok(CampaignSummary::default())
                }
            })
        }))
        .await
        .unwrap_err();
        assert_eq!(e.exit_code(), 7);
        assert_eq!(
            e.hint.as_deref(),
            Some(
                "this was the summary of campaign 'b' (id 2); the campaigns after it in the list were not summarised. check the id"
            )
        );
        // A vendor's name is shown bounded and with its controls visible.
        let mut hostile = campaign("9", &format!("\u{1b}]0;x\u{7}{}", "n".repeat(500)));
        hostile.id = Some("9".into());
        let e = of_campaign(
            ProviderError::new(ErrorKind::NotFound, "Engage", "gone"),
            &hostile,
        );
        let hint = e.hint.unwrap();
        assert!(
            hint.starts_with("this was the summary of campaign '\\e]0;x"),
            "{hint}"
        );
        assert!(
            !hint.contains('\u{1b}') && hint.chars().count() < 200,
            "{hint}"
        );
    }
}
