//! The provider seam: one async trait every vendor implements, used through `dyn`, plus the
//! vendor table (profile fields, capabilities). A new vendor is one folder here and one line in
//! [`build`].

pub mod clicks;
pub(crate) mod de;

pub mod model;
pub mod reports;
pub mod users;
pub mod write;

pub mod engage;
pub mod engagive;
pub mod engati;
pub mod insider;
pub mod templates;
pub mod wolkvox;

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use futures::stream::BoxStream;

pub use crate::api_error::{ErrorKind, ProviderError};
pub use crate::vendor::Vendor;
pub use clicks::{Click, ClickReports, ClickSummary};
pub use model::*;
pub use write::{
    BroadcastRequest, ExternalBroadcast, FlowTrigger, MessageBody, PreparedWrite, TemplateMessage,
    WriteCommand, WriteReceipt,
};

use crate::config::Profile;
use crate::http::HttpOptions;

/// A command, as listed by `providers`: the unified analytics commands first, then the commands
/// that only some vendors' APIs can serve (reports, directories, catalogues, writes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// `campaigns list`
    CampaignsList,
    /// `campaigns summary`
    CampaignsSummary,
    /// `campaigns details/export`
    CampaignsDetails,
    /// `stats`
    Stats,
    /// `stats --report transactional`
    TransactionalStats,
    /// `stats --report verify`
    VerifyStats,
    /// `clicks`
    Clicks,
    /// `clicks summary`
    ClicksSummary,
    /// `users find`
    UsersFind,
    /// `conversations`
    Conversations,
    /// `templates list`
    TemplatesList,
    /// `templates show`
    TemplatesShow,
    /// `templates contents`
    TemplatesContents,
    /// `templates categories`
    TemplateCategories,
    /// `templates category-options`
    TemplateCategoryOptions,
    /// `templates languages`
    TemplateLanguages,
    /// `messages send-template`
    SendTemplate,
    /// `messages send-reaction`
    SendReaction,
    /// `messages send`
    SendMessage,
    /// `broadcast`
    Broadcast,
    /// `broadcast external`
    BroadcastExternal,
    /// `trigger`
    Trigger,
}

impl Operation {
    /// Every operation, in display order.
    pub const ALL: [Operation; 22] = [
        Operation::CampaignsList,
        Operation::CampaignsSummary,
        Operation::CampaignsDetails,
        Operation::Stats,
        Operation::TransactionalStats,
        Operation::VerifyStats,
        Operation::Clicks,
        Operation::ClicksSummary,
        Operation::UsersFind,
        Operation::Conversations,
        Operation::TemplatesList,
        Operation::TemplatesShow,
        Operation::TemplatesContents,
        Operation::TemplateCategories,
        Operation::TemplateCategoryOptions,
        Operation::TemplateLanguages,
        Operation::SendTemplate,
        Operation::SendReaction,
        Operation::SendMessage,
        Operation::Broadcast,
        Operation::BroadcastExternal,
        Operation::Trigger,
    ];

    /// The command a user types.
    pub fn command(self) -> &'static str {
        match self {
            Operation::CampaignsList => "campaigns list",
            Operation::CampaignsSummary => "campaigns summary",
            Operation::CampaignsDetails => "campaigns details/export",
            Operation::Stats => "stats",
            Operation::TransactionalStats => "stats --report transactional",
            Operation::VerifyStats => "stats --report verify",
            Operation::Clicks => "clicks",
            Operation::ClicksSummary => "clicks summary",
            Operation::UsersFind => "users find",
            Operation::Conversations => "conversations",
            Operation::TemplatesList => "templates list",
            Operation::TemplatesShow => "templates show",
            Operation::TemplatesContents => "templates contents",
            Operation::TemplateCategories => "templates categories",
            Operation::TemplateCategoryOptions => "templates category-options",
            Operation::TemplateLanguages => "templates languages",
            Operation::SendTemplate => "messages send-template",
            Operation::SendReaction => "messages send-reaction",
            Operation::SendMessage => "messages send",
            Operation::Broadcast => "broadcast",
            Operation::BroadcastExternal => "broadcast external",
            Operation::Trigger => "trigger",
        }
    }
}

/// How a vendor serves an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// The vendor's API answers it directly.
    Native,
    /// Computed honestly from what the vendor returns; the text says from what.
    Derived(&'static str),
    /// The vendor cannot serve it.
    NotSupported,
}

/// What a vendor can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    /// Support per operation, in [`Operation::ALL`] order.
    pub operations: Vec<(Operation, Support)>,
    /// Whether the vendor returns rates itself (else they are derived from counts).
    pub native_rates: bool,
    /// The vendor's own cap on requests in flight, if it has one (Wolkvox: 1 per token).
    pub concurrency_limit: Option<ConcurrencyLimit>,
}

/// A vendor's cap on requests in flight; `--concurrency` or a profile asking for more is
/// warned about and ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConcurrencyLimit {
    /// Requests in flight at most.
    pub max: usize,
    /// Why, in the vendor's terms ("Wolkvox allows one request in flight per token").
    pub why: &'static str,
}

impl Capabilities {
    /// How `op` is served.
    pub fn support(&self, op: Operation) -> Support {
        self.operations
            .iter()
            .find(|(o, _)| *o == op)
            .map_or(Support::NotSupported, |(_, s)| *s)
    }

    /// The commands this vendor serves, for "not supported" messages.
    pub fn supported_commands(&self) -> Vec<&'static str> {
        self.operations
            .iter()
            .filter(|(_, s)| *s != Support::NotSupported)
            .map(|(o, _)| o.command())
            .collect()
    }
}

/// A stream of records, a page at a time (each item is one page, which may hold no record); an
/// `Err` ends it. Pages, not single records, are what moves between a vendor's adapter and the
/// output: a million-row export hands over a hundred pages, not a million records one by one.
pub type RecordStream<'a, T> = BoxStream<'a, Result<Page<T>, ProviderError>>;

/// One page of records: decoded already, or still to be decoded by whoever takes it. A large
/// export defers the decoding of its pages so that each is decoded and encoded in one go on one
/// worker thread, where its records are made and dropped (with the system allocator, a record
/// made on one thread and dropped on another costs a lock and more: a tenth of the CPU of a
/// million-row export).
pub struct Page<T>(PageInner<T>);

enum PageInner<T> {
    Decoded(Vec<T>),
    Deferred(Box<dyn FnOnce() -> Result<Vec<T>, ProviderError> + Send>),
}

impl<T> Page<T> {
    /// A page whose records are decoded when [`Page::decode`] is called (on the caller's thread).
    pub fn deferred(
        decode: impl FnOnce() -> Result<Vec<T>, ProviderError> + Send + 'static,
    ) -> Page<T> {
        Page(PageInner::Deferred(Box::new(decode)))
    }

    /// The page's records, decoding them now if that was deferred; a page that cannot be
    /// decoded is the failure that ends its stream.
    pub fn decode(self) -> Result<Vec<T>, ProviderError> {
        match self.0 {
            PageInner::Decoded(records) => Ok(records),
            PageInner::Deferred(decode) => decode(),
        }
    }
}

impl<T> From<Vec<T>> for Page<T> {
    fn from(records: Vec<T>) -> Page<T> {
        Page(PageInner::Decoded(records))
    }
}

impl<T> std::fmt::Debug for Page<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            PageInner::Decoded(records) => write!(f, "Page({} records)", records.len()),
            PageInner::Deferred(_) => f.write_str("Page(not decoded yet)"),
        }
    }
}

/// A [`RecordStream`] of pages decoded by the adapter.
pub fn record_stream<'a, T: Send + 'a>(
    pages: impl futures::Stream<Item = Result<Vec<T>, ProviderError>> + Send + 'a,
) -> RecordStream<'a, T> {
    futures::StreamExt::boxed(futures::StreamExt::map(pages, |page| page.map(Page::from)))
}

/// A stream that fails at once, before any request (a refused option, an unsupported command).
pub fn failed_stream<'a, T: Send + 'a>(e: ProviderError) -> RecordStream<'a, T> {
    futures::StreamExt::boxed(futures::stream::once(async move { Err(e) }))
}

/// One vendor's analytics API behind the unified interface.
///
/// Paginated operations return streams that fetch pages on demand, never whole exports in
/// memory. An operation the vendor cannot serve returns [`ErrorKind::NotSupported`], never an
/// empty result.
#[async_trait]
pub trait AnalyticsProvider: Send + Sync + fmt::Debug {
    /// Which vendor this is.
    fn vendor(&self) -> Vendor;

    /// What this vendor serves.
    fn capabilities(&self) -> Capabilities;

    /// Vendor-only fields that follow the common ones in the records of `op` (none by default).
    fn extra_fields(&self, _op: Operation) -> Vec<crate::output::FieldDef> {
        Vec::new()
    }

    // The four analytics commands. A vendor without campaign analytics (Engati, Engagive)
    // keeps these defaults, which refuse the command and name what the vendor does serve.

    /// Campaigns sent (or created) in the range.
    fn list_campaigns<'a>(&'a self, _query: &'a CampaignQuery) -> RecordStream<'a, Campaign> {
        failed_stream(self.unsupported(Operation::CampaignsList))
    }

    /// Aggregated metrics of one campaign.
    async fn campaign_summary(
        &self,
        _campaign: &str,
        _query: &SummaryQuery,
    ) -> Result<CampaignSummary, ProviderError> {
        Err(self.unsupported(Operation::CampaignsSummary))
    }

    /// Contact-level rows of one campaign, every page (or up to `query.limit`).
    fn campaign_details<'a>(
        &'a self,
        _campaign: &'a str,
        _query: &'a DetailsQuery,
    ) -> RecordStream<'a, ContactRecord> {
        failed_stream(self.unsupported(Operation::CampaignsDetails))
    }

    /// Metrics per period.
    fn stats<'a>(&'a self, _query: &'a StatsQuery) -> RecordStream<'a, StatsBucket> {
        failed_stream(self.unsupported(Operation::Stats))
    }

    /// A cheap authenticated request, for `profiles check`.
    async fn check_credentials(&self) -> Result<(), ProviderError>;

    /// Product reports, per-campaign rows and range totals (`stats --report/--by-campaign/--total`).
    fn stats_reports(&self) -> Option<&dyn reports::StatsReports> {
        None
    }
    /// The click reports (`clicks`, `clicks summary`), where the vendor has them.
    fn click_reports(&self) -> Option<&dyn ClickReports> {
        None
    }

    /// The vendor's user directory and chat history (`users find`, `conversations`), if it has
    /// one.
    fn user_directory(&self) -> Option<&dyn users::UserDirectory> {
        None
    }

    /// Builds the request a write command would send, without any I/O (see [`mod@write`]). Vendors
    /// without write APIs keep this default, which names what they do support.
    fn prepare_write(&self, command: &WriteCommand) -> Result<PreparedWrite, ProviderError> {
        Err(self.unsupported(command.operation()))
    }

    /// Sends a prepared write exactly once (credentials added here; never retried once it may
    /// have reached the vendor).
    async fn submit_write(&self, write: PreparedWrite) -> Result<WriteReceipt, ProviderError> {
        Err(self.unsupported(write.operation))
    }

    /// The "not supported" error for `op`, naming the commands this vendor serves.
    fn unsupported(&self, op: Operation) -> ProviderError {
        ProviderError::not_supported(
            self.vendor().display_name(),
            op.command(),
            &self.capabilities().supported_commands(),
        )
    }

    /// The vendor's template catalogue (`templates …`), if it has one.
    fn template_catalog(&self) -> Option<&dyn templates::TemplateCatalog> {
        None
    }
}

/// The capabilities of a vendor, whether or not a profile exists (for `providers`).
pub fn capabilities_of(vendor: Vendor) -> Capabilities {
    match vendor {
        Vendor::Engage => engage::capabilities(),
        Vendor::Engati => engati::capabilities(),
        Vendor::Insider => insider::capabilities(),
        Vendor::Wolkvox => wolkvox::capabilities(),
        Vendor::Engagive => engagive::capabilities(),
    }
}

/// Builds the provider a profile names.
pub fn build(
    profile: &Profile,
    http: &HttpOptions,
) -> Result<Arc<dyn AnalyticsProvider>, ProviderError> {
    // Requests in flight: `--concurrency`, else the profile's, else the default, and never more
    // than the vendor allows (Wolkvox: one per token). Clients take this one number.
    let asked = http.concurrency(profile.concurrency);
    let limit = capabilities_of(profile.vendor).concurrency_limit;
    let http = &HttpOptions {
        concurrency: Some(limit.map_or(asked, |l| asked.min(l.max))),
        ..http.clone()
    };
    match profile.vendor {
        Vendor::Engage => Ok(Arc::new(engage::Engage::new(profile, http)?)),
        Vendor::Engati => Ok(Arc::new(engati::Engati::new(profile, http)?)),
        Vendor::Insider => Ok(Arc::new(insider::Insider::new(profile, http)?)),
        Vendor::Wolkvox => Ok(Arc::new(wolkvox::Wolkvox::new(profile, http)?)),
        Vendor::Engagive => Ok(Arc::new(engagive::Engagive::new(profile, http)?)),
    }
}
