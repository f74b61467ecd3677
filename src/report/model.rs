//! The page model of `report`: per profile, the records the JSON commands print for the range —
//! `stats --total` (one summary-shaped row), `stats` (the daily buckets) and `campaigns summary`
//! (every campaign of the range) — as those commands' own code paths return them, arranged for
//! the page: campaigns by sent, the figures the mapping marks derived with their footnotes,
//! profiles without analytics and profiles that failed kept in their place.
//!
//! Nothing here computes a figure: every number on the page is a field of one of those records.

use chrono::{DateTime, Utc};

use crate::provider::mapping::{self, Source};
use crate::provider::{CampaignSummary, Operation, StatsBucket, Vendor, adapter, capabilities_of};
use crate::time::{DateRange, Zone};

/// The commands whose records make a profile's part of the page, in the order the page shows
/// them; a vendor has analytics when it serves all of them.
pub const COMMANDS: [Operation; 3] = [
    Operation::StatsTotal,
    Operation::Stats,
    Operation::CampaignsSummary,
];

/// The summary fields the page shows (totals and campaigns), in its column order.
pub const FIGURES: [&str; 9] = [
    "total",
    "sent",
    "delivered",
    "read",
    "engaged",
    "errors",
    "read_rate",
    "engagement_rate",
    "error_rate",
];

/// The whole page.
#[derive(Debug, Clone)]
pub struct Report {
    /// When the page was made (the run's clock).
    pub generated_at: DateTime<Utc>,
    /// The profiles, in the order named (with `--all-profiles`: the file's order).
    pub profiles: Vec<ProfileReport>,
}

/// One profile's part of the page.
#[derive(Debug, Clone)]
pub struct ProfileReport {
    /// The profile's name.
    pub name: String,
    /// Its vendor (`None`: the profile does not validate).
    pub vendor: Option<Vendor>,
    /// What the page shows of it.
    pub section: Section,
}

/// What the page shows of a profile.
#[derive(Debug, Clone)]
pub enum Section {
    /// Its numbers.
    Analytics(Box<Analytics>),
    /// Its vendor has no campaign analytics (Engati, Engagive): listed as such.
    NoAnalytics,
    /// It failed: the error paragraph, as said on stderr.
    Failed(String),
}

/// A profile's numbers for the range.
#[derive(Debug, Clone)]
pub struct Analytics {
    /// The range read (half-open, UTC).
    pub range: DateRange,
    /// The zone the range and the days are read in.
    pub zone: Zone,
    /// Whether the range was given (else the 30-day default, or the vendor's own).
    pub explicit: bool,
    /// `stats --total` for the range.
    pub total: CampaignSummary,
    /// `stats` (daily) for the range, in the vendor's order (oldest first).
    pub days: Vec<StatsBucket>,
    /// `campaigns summary` for the range, sorted by sent, most first (a campaign without a sent
    /// figure last; ties keep the list's order).
    pub campaigns: Vec<CampaignSummary>,
    /// What the mapping says of the figures shown: derived ones and their sources, and figures
    /// the vendor lacks.
    pub footnotes: Vec<Footnote>,
}

/// A footnote of the mapping on one figure of a profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    /// The unified field (`read_rate`).
    pub field: &'static str,
    /// The commands whose records carry the figure with this source (`stats --total`, …).
    pub commands: Vec<&'static str>,
    /// Whether the tool computes the figure (else the vendor gives it, or lacks it).
    pub derived: bool,
    /// What the mapping says: `derived: read / delivered` (with its note), or that the vendor
    /// has no such figure.
    pub text: String,
}

impl Report {
    /// The profiles with numbers, in page order.
    pub fn analytics(&self) -> impl Iterator<Item = (&ProfileReport, &Analytics)> {
        self.profiles.iter().filter_map(|p| match &p.section {
            Section::Analytics(a) => Some((p, a.as_ref())),
            _ => None,
        })
    }

    /// The profiles that failed, by name.
    pub fn failed(&self) -> Vec<&str> {
        self.profiles
            .iter()
            .filter(|p| matches!(p.section, Section::Failed(_)))
            .map(|p| p.name.as_str())
            .collect()
    }
}

/// Whether `vendor` has the campaign analytics a report shows (every command of [`COMMANDS`]).
pub fn has_analytics(vendor: Vendor) -> bool {
    let caps = capabilities_of(vendor);
    COMMANDS.iter().all(|op| caps.serves(*op))
}

impl Analytics {
    /// A profile's numbers from the records of its commands: `total` as `stats --total` gave
    /// it, `days` as `stats` did, `campaigns` as `campaigns summary` did (reordered by sent).
    pub fn new(
        vendor: Vendor,
        range: DateRange,
        zone: Zone,
        explicit: bool,
        total: CampaignSummary,
        days: Vec<StatsBucket>,
        mut campaigns: Vec<CampaignSummary>,
    ) -> Analytics {
        // A stable sort: campaigns with the same figure keep the list's order.
        campaigns.sort_by_key(|c| std::cmp::Reverse(c.sent.map_or(0, |s| s + 1)));
        Analytics {
            range,
            zone,
            explicit,
            total,
            days,
            campaigns,
            footnotes: footnotes(vendor),
        }
    }

    /// The 1-based numbers of the footnotes on `field` (none: the vendor's own figure).
    pub fn footnotes_of(&self, field: &str) -> Vec<usize> {
        (self.footnotes.iter().enumerate())
            .filter(|(_, f)| f.field == field)
            .map(|(i, _)| i + 1)
            .collect()
    }
}

/// What `vendor`'s mapping says of the figures the page shows, for the commands it reads: the
/// figures the tool derives (and from what) and those the vendor lacks, one footnote per field
/// and source (the commands that share a source share its footnote), in the page's column
/// order. A figure read from the vendor's own field has none.
pub fn footnotes(vendor: Vendor) -> Vec<Footnote> {
    let declared = adapter(vendor).mapping;
    let mut notes: Vec<Footnote> = Vec::new();
    for field in FIGURES {
        let mut of_field: Vec<Footnote> = Vec::new();
        for op in COMMANDS {
            let Some(source) = mapping::source_of(declared, op, field) else {
                continue;
            };
            // A figure read from the vendor's own field is the vendor's: no mark.
            let text = match (source.source, source.note) {
                (Source::Field(_), _) => continue,
                (_, "") => source.source.describe(),
                (_, note) => format!("{}; {note}", source.source.describe()),
            };
            let derived = matches!(source.source, Source::Derived(_));
            match of_field.iter_mut().find(|f| f.text == text) {
                Some(same) => same.commands.push(op.command()),
                None => of_field.push(Footnote {
                    field,
                    commands: vec![op.command()],
                    derived,
                    text,
                }),
            }
        }
        notes.extend(of_field);
    }
    notes
}
