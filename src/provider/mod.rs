//! The provider seam: the [`AnalyticsProvider`] trait every vendor implements (used through
//! `dyn`), its facets, and [`build`]. What a vendor is — what it serves, the fields it adds, how
//! its adapter is made — is its [`Adapter`], declared once in its folder and registered in
//! [`adapter`]: a new vendor is one folder here and one line there.

pub mod capabilities;
pub mod clicks;
pub(crate) mod de;
pub mod figures;
pub mod mapping;
pub mod model;
pub mod paging;
pub mod raw;
pub mod read;
pub mod reports;
pub mod stream;
pub mod templates;
pub mod users;
pub mod write;

pub mod engage;
pub mod engagive;
pub mod engati;
pub mod insider;
pub mod wolkvox;

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;

pub use crate::api_error::{ErrorKind, ProviderError};
pub use crate::vendor::Vendor;
pub use capabilities::{Capabilities, ConcurrencyLimit, Facet, Operation, Support};
pub use clicks::{Click, ClickReports, ClickSummary};
pub use model::*;
pub use stream::{Counted, Page, RecordStream, failed_stream, record_stream};
pub use write::{
    BroadcastRequest, ExternalBroadcast, FlowTrigger, MessageBody, PreparedWrite, TemplateMessage,
    WriteApi, WriteCommand, WriteReceipt,
};

use crate::config::Profile;
use crate::http::HttpOptions;
use crate::output::FieldDef;

/// One vendor's adapter as the rest of the tool knows it without a profile: what it serves, the
/// vendor-only fields its records add, and how to build it. Each vendor's folder declares one
/// `ADAPTER`; `providers`, `--fields help`, the "not supported" errors and [`build`] read it.
pub struct Adapter {
    /// Which vendor.
    pub vendor: Vendor,
    /// What it serves (checked against the facets it implements by a test over every vendor).
    pub capabilities: Capabilities,
    /// Vendor-only fields that follow the common ones in the records of an operation.
    pub extra_fields: fn(Operation) -> Vec<FieldDef>,
    /// Where each unified field comes from, declared beside the vendor's conversion code.
    pub mapping: &'static [mapping::FieldSource],
    /// How long the vendor's server may take over one request, where it documents a limit
    /// (Wolkvox: 60 s). Without `--timeout` the tool waits past it ([`request_timeout`]), so a
    /// slow answer is not abandoned while the server still works on it.
    pub request_limit: Option<std::time::Duration>,
    /// What the vendor reads when a command is given no range, where that is not the tool's
    /// default of the last 30 days (Insider: the campaigns' lifetime). `--help` and `-v` say it.
    pub default_ranges: &'static [(Operation, &'static str)],
    /// Builds the adapter for a profile of this vendor (credentials already resolvable).
    pub build: BuildFn,
}

/// The default per-request time-out: 30 s, or 15 s past the vendor's own limit when that is
/// longer (Wolkvox: 75 s). `--timeout` overrides it.
pub fn request_timeout(vendor: Vendor) -> std::time::Duration {
    let default = std::time::Duration::from_secs(30);
    adapter(vendor).request_limit.map_or(default, |limit| {
        default.max(limit + std::time::Duration::from_secs(15))
    })
}

/// What `vendor` reads for `op` when no range is given, if it has a default of its own.
pub fn default_range_of(vendor: Vendor, op: Operation) -> Option<&'static str> {
    adapter(vendor)
        .default_ranges
        .iter()
        .find(|(o, _)| *o == op)
        .map(|(_, what)| *what)
}

/// How an adapter is built from a profile.
pub type BuildFn = fn(&Profile, &HttpOptions) -> Result<Arc<dyn AnalyticsProvider>, ProviderError>;

/// The registry: every vendor's adapter, one line each.
pub fn adapter(vendor: Vendor) -> &'static Adapter {
    match vendor {
        Vendor::Engage => &engage::ADAPTER,
        Vendor::Engati => &engati::ADAPTER,
        Vendor::Insider => &insider::ADAPTER,
        Vendor::Wolkvox => &wolkvox::ADAPTER,
        Vendor::Engagive => &engagive::ADAPTER,
    }
}

/// The capabilities of a vendor, whether or not a profile exists (for `providers`).
pub fn capabilities_of(vendor: Vendor) -> &'static Capabilities {
    &adapter(vendor).capabilities
}

/// No vendor-only fields (the [`Adapter::extra_fields`] of a vendor whose records are all
/// common fields).
pub fn no_extra_fields(_op: Operation) -> Vec<FieldDef> {
    Vec::new()
}

/// The "not supported" error for `op` at `vendor`, naming the commands the vendor serves.
pub fn unsupported(vendor: Vendor, op: Operation) -> ProviderError {
    unsupported_command(vendor, op.command())
}

/// [`unsupported`] for a command spelled as the user typed it (`campaigns export`,
/// `stats --total`).
pub fn unsupported_command(vendor: Vendor, command: &str) -> ProviderError {
    ProviderError::not_supported(
        vendor.display_name(),
        command,
        &capabilities_of(vendor).supported_commands(),
    )
}

/// Builds the provider a profile names.
pub fn build(
    profile: &Profile,
    http: &HttpOptions,
) -> Result<Arc<dyn AnalyticsProvider>, ProviderError> {
    // Requests in flight: `--concurrency`, else the profile's, else the default, and never more
    // than the vendor allows (Wolkvox: one per token). Clients take this one number.
    let adapter = adapter(profile.vendor);
    let asked = http.concurrency(profile.concurrency);
    let limit = adapter.capabilities.concurrency_limit;
    let http = &HttpOptions {
        concurrency: Some(limit.map_or(asked, |l| asked.min(l.max))),
        ..http.clone()
    };
    (adapter.build)(profile, http)
}

/// One vendor's API behind the unified interface: a vendor, a credentials check, and the facets
/// it implements — one trait object per family of commands. A facet the vendor lacks is `None`;
/// which ones it has must agree with its declared [`Capabilities`] (a test checks every vendor),
/// so the declaration, not a forgotten override, says what a vendor serves.
///
/// Paginated operations return streams that fetch pages on demand, never whole exports in
/// memory.
#[async_trait]
pub trait AnalyticsProvider: Send + Sync + fmt::Debug {
    /// Which vendor this is.
    fn vendor(&self) -> Vendor;

    /// A cheap authenticated request, for `profiles check`.
    async fn check_credentials(&self) -> Result<(), ProviderError>;

    /// Campaigns, their summaries and their metrics per period (`campaigns list`,
    /// `campaigns summary`, `stats`).
    fn campaigns(&self) -> Option<&dyn CampaignAnalytics> {
        None
    }

    /// Contact-level rows of a campaign (`campaigns details`, `campaigns export`).
    fn contacts(&self) -> Option<&dyn ContactExport> {
        None
    }

    /// Product reports, per-campaign rows and range totals (`stats --report/--by-campaign/--total`).
    fn stats_reports(&self) -> Option<&dyn reports::StatsReports> {
        None
    }

    /// The click reports (`clicks`, `clicks summary`).
    fn click_reports(&self) -> Option<&dyn ClickReports> {
        None
    }

    /// The vendor's user directory and chat history (`users find`, `conversations`).
    fn user_directory(&self) -> Option<&dyn users::UserDirectory> {
        None
    }

    /// The vendor's template catalogue (`templates …`).
    fn template_catalog(&self) -> Option<&dyn templates::TemplateCatalog> {
        None
    }

    /// The vendor's write API (`messages …`, `broadcast …`, `trigger`): the writes it declares.
    fn writes(&self) -> Option<&dyn WriteApi> {
        None
    }

    /// Requests of the user's own with the profile's credentials (`wa-analytics api`); every
    /// vendor has it.
    fn raw_api(&self) -> Option<&dyn raw::RawApi> {
        None
    }
}

impl dyn AnalyticsProvider {
    /// What this vendor serves: its adapter's declaration.
    pub fn capabilities(&self) -> &'static Capabilities {
        capabilities_of(self.vendor())
    }

    /// Vendor-only fields that follow the common ones in the records of `op`.
    pub fn extra_fields(&self, op: Operation) -> Vec<FieldDef> {
        (adapter(self.vendor()).extra_fields)(op)
    }

    /// The "not supported" error for `op`, naming the commands this vendor serves.
    pub fn unsupported(&self, op: Operation) -> ProviderError {
        unsupported(self.vendor(), op)
    }

    /// Whether the facet `facet` is implemented.
    pub fn implements(&self, facet: Facet) -> bool {
        match facet {
            Facet::Campaigns => self.campaigns().is_some(),
            Facet::Contacts => self.contacts().is_some(),
            Facet::StatsReports => self.stats_reports().is_some(),
            Facet::Clicks => self.click_reports().is_some(),
            Facet::Users => self.user_directory().is_some(),
            Facet::Templates => self.template_catalog().is_some(),
            Facet::Writes => self.writes().is_some(),
        }
    }
}

/// `campaigns list`, `campaigns summary` (of one campaign or of every one) and `stats` (per
/// period, per campaign, in total) of a vendor with campaign analytics.
#[async_trait]
pub trait CampaignAnalytics: Send + Sync {
    /// Campaigns sent (or created) in the range.
    fn list_campaigns<'a>(&'a self, query: &'a CampaignQuery) -> RecordStream<'a, Campaign>;

    /// Aggregated metrics of one campaign.
    async fn campaign_summary(
        &self,
        campaign: &str,
        query: &SummaryQuery,
    ) -> Result<CampaignSummary, ProviderError>;

    /// Metrics per period.
    fn stats<'a>(&'a self, query: &'a StatsQuery) -> RecordStream<'a, StatsBucket>;

    /// The summary of every campaign `list_campaigns` gives for `query` (`campaigns summary`
    /// without CAMPAIGN), in the list's order, each over the query's range, with the list's id
    /// and name where the summary has none.
    fn campaign_summaries<'a>(
        &'a self,
        query: &'a CampaignQuery,
    ) -> RecordStream<'a, CampaignSummary>;

    /// One summary-shaped row per campaign over the range (`stats --by-campaign`).
    fn stats_by_campaign<'a>(&'a self, query: &'a StatsQuery) -> RecordStream<'a, CampaignSummary>;

    /// The totals of the range as one summary-shaped row (`stats --total`).
    async fn stats_total(&self, query: &StatsQuery) -> Result<CampaignSummary, ProviderError>;
}

/// `campaigns details` and `campaigns export`: contact-level rows of one campaign.
pub trait ContactExport: Send + Sync {
    /// Contact-level rows of one campaign, every page (or up to `query.limit`).
    fn campaign_details<'a>(
        &'a self,
        campaign: &'a str,
        query: &'a DetailsQuery,
    ) -> RecordStream<'a, ContactRecord>;
}

#[cfg(test)]
mod tests;
