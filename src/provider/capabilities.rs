//! The command list and what each vendor serves of it. A vendor declares its [`Capabilities`]
//! once, in its own folder (its `ADAPTER`); `providers`, the "not supported" errors and the
//! checks before a command runs all read that one declaration, and a test holds it to the facets
//! the vendor's adapter really implements ([`Facet`]).

/// A command, as listed by `providers`: the unified analytics commands first, then the commands
/// that only some vendors' APIs can serve (reports, directories, catalogues, writes). The derive
/// keeps [`Operation::all`] complete; the matches below make a new command name its text and its
/// facet before anything compiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumIter)]
pub enum Operation {
    /// `campaigns list`
    CampaignsList,
    /// `campaigns summary`
    CampaignsSummary,
    /// `campaigns details/export`
    CampaignsDetails,
    /// `stats`
    Stats,
    /// `stats --by-campaign`: one row per campaign over the range
    StatsByCampaign,
    /// `stats --total`: one row of totals over the range
    StatsTotal,
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
    /// Every operation, in display order (the enum's order).
    pub fn all() -> impl Iterator<Item = Operation> {
        <Operation as strum::IntoEnumIterator>::iter()
    }

    /// The command a user types.
    pub fn command(self) -> &'static str {
        match self {
            Operation::CampaignsList => "campaigns list",
            Operation::CampaignsSummary => "campaigns summary",
            Operation::CampaignsDetails => "campaigns details/export",
            Operation::Stats => "stats",
            Operation::StatsByCampaign => "stats --by-campaign",
            Operation::StatsTotal => "stats --total",
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

    /// The facet of [`super::AnalyticsProvider`] through which a vendor serves this command.
    pub fn facet(self) -> Facet {
        match self {
            Operation::CampaignsList
            | Operation::CampaignsSummary
            | Operation::Stats
            | Operation::StatsByCampaign
            | Operation::StatsTotal => Facet::Campaigns,
            Operation::CampaignsDetails => Facet::Contacts,
            Operation::TransactionalStats | Operation::VerifyStats => Facet::StatsReports,
            Operation::Clicks | Operation::ClicksSummary => Facet::Clicks,
            Operation::UsersFind | Operation::Conversations => Facet::Users,
            Operation::TemplatesList
            | Operation::TemplatesShow
            | Operation::TemplatesContents
            | Operation::TemplateCategories
            | Operation::TemplateCategoryOptions
            | Operation::TemplateLanguages => Facet::Templates,
            Operation::SendTemplate
            | Operation::SendReaction
            | Operation::SendMessage
            | Operation::Broadcast
            | Operation::BroadcastExternal
            | Operation::Trigger => Facet::Writes,
        }
    }
}

/// A family of commands served through one trait object of the provider
/// ([`super::AnalyticsProvider::campaigns`], `…::contacts`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumIter)]
pub enum Facet {
    /// `campaigns list`, `campaigns summary`, `stats` (with `--by-campaign` and `--total`):
    /// [`super::CampaignAnalytics`].
    Campaigns,
    /// `campaigns details/export`: [`super::ContactExport`].
    Contacts,
    /// `stats --report …` (and its `--by-campaign`, `--total`): [`super::reports::StatsReports`].
    StatsReports,
    /// `clicks`, `clicks summary`: [`super::ClickReports`].
    Clicks,
    /// `users find`, `conversations`: [`super::users::UserDirectory`].
    Users,
    /// `templates …`: [`super::templates::TemplateCatalog`].
    Templates,
    /// `messages …`, `broadcast …`, `trigger`: [`super::write::WriteApi`].
    Writes,
}

impl Facet {
    /// Every facet.
    pub fn all() -> impl Iterator<Item = Facet> {
        <Facet as strum::IntoEnumIterator>::iter()
    }

    /// Whether a vendor may serve only some of the facet's commands. A write API sends the
    /// writes its vendor has (Engati broadcasts, Engagive reacts); every other facet is all of
    /// its commands or none.
    pub fn may_be_partial(self) -> bool {
        self == Facet::Writes
    }

    /// The facet's commands.
    pub fn operations(self) -> impl Iterator<Item = Operation> {
        Operation::all().filter(move |op| op.facet() == self)
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

/// What a vendor can do: declared once, as a constant, in the vendor's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    /// The operations the vendor serves and how; any other is [`Support::NotSupported`].
    pub operations: &'static [(Operation, Support)],
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

    /// Whether `op` is served, natively or derived.
    pub fn serves(&self, op: Operation) -> bool {
        self.support(op) != Support::NotSupported
    }

    /// The commands this vendor serves, in display order, for "not supported" messages.
    pub fn supported_commands(&self) -> Vec<&'static str> {
        Operation::all()
            .filter(|op| self.serves(*op))
            .map(Operation::command)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_one_facet_and_every_facet_has_commands() {
        for facet in Facet::all() {
            assert!(facet.operations().count() > 0, "{facet:?} has no command");
        }
        let counted: usize = Facet::all().map(|f| f.operations().count()).sum();
        assert_eq!(counted, Operation::all().count());
    }

    #[test]
    fn command_texts_are_distinct() {
        let mut texts: Vec<_> = Operation::all().map(Operation::command).collect();
        texts.sort_unstable();
        texts.dedup();
        assert_eq!(texts.len(), Operation::all().count());
    }
}
