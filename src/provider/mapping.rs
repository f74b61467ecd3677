//! What the numbers mean (product.md, "What the numbers mean"): the vocabulary every vendor's
//! figures are printed in, and where each unified field comes from, per vendor — the declaration
//! that sits in every vendor's folder beside the code that converts its wire types
//! ([`super::Adapter::mapping`]).
//!
//! It is data the code reads, not a comment: the vendors' readers look their paths up here
//! ([`path`], [`super::read::Reader`]), `providers --mapping` and `--fields help` print it, the
//! README's table is generated from it, and each vendor's tests hold the declaration to what its
//! conversion really reads.

use super::capabilities::{Facet, Operation};
use super::clicks::{Click, ClickSummary};
use super::model::{Campaign, CampaignSummary, ContactRecord, Record, StatsBucket};
use super::templates::{Lookup, Template, TemplateContent};
use super::users::{BotUser, ChatMessage};
use crate::output::{FieldDef, FieldKind, Value};
use crate::vendor::Vendor;

/// The source of one unified field of one command's records at one vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSource {
    /// The command whose records carry the field.
    pub op: Operation,
    /// The unified field (`sent`, `read_rate`).
    pub field: &'static str,
    /// Where its value comes from.
    pub source: Source,
    /// How it differs from the common meaning, or an assumption where the vendor's documents are
    /// silent; `""` when it means exactly what the vocabulary says.
    pub note: &'static str,
}

impl FieldSource {
    /// `field` of `op` is the vendor's field at `path` (dotted; `[]` steps into each element of
    /// a list: `data[].sent`).
    pub const fn native(op: Operation, field: &'static str, path: &'static str) -> Self {
        FieldSource {
            op,
            field,
            source: Source::Field(path),
            note: "",
        }
    }

    /// `field` of `op` is computed from what the vendor returns; `how` says how (`open /
    /// delivered`).
    pub const fn derived(op: Operation, field: &'static str, how: &'static str) -> Self {
        FieldSource {
            op,
            field,
            source: Source::Derived(how),
            note: "",
        }
    }

    /// The vendor has no such figure: `field` of `op` is always null.
    pub const fn absent(op: Operation, field: &'static str) -> Self {
        FieldSource {
            op,
            field,
            source: Source::Absent,
            note: "",
        }
    }

    /// The same source with a note.
    pub const fn note(self, note: &'static str) -> Self {
        FieldSource { note, ..self }
    }
}

/// Where a unified field's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Read from the vendor's field at this path of its answer (`data.sent`).
    Field(&'static str),
    /// Computed from what the vendor returns; the text says how.
    Derived(&'static str),
    /// The vendor has no such figure: the field is always null.
    Absent,
}

/// The `support` column of `providers --mapping`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldSupport {
    /// The vendor's own figure.
    Native,
    /// Computed by the tool from the vendor's figures.
    Derived,
    /// The vendor has no such figure (always null).
    Unsupported,
}

impl FieldSupport {
    /// `native`, `derived`, `unsupported`.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldSupport::Native => "native",
            FieldSupport::Derived => "derived",
            FieldSupport::Unsupported => "unsupported",
        }
    }
}

impl Source {
    /// How the field is supported.
    pub fn support(self) -> FieldSupport {
        match self {
            Source::Field(_) => FieldSupport::Native,
            Source::Derived(_) => FieldSupport::Derived,
            Source::Absent => FieldSupport::Unsupported,
        }
    }

    /// The vendor path or the formula, as a person reads it (`""` for an absent figure).
    pub fn text(self) -> &'static str {
        match self {
            Source::Field(path) | Source::Derived(path) => path,
            Source::Absent => "",
        }
    }

    /// The vendor path, formula or `null`, with its support, in one phrase.
    pub fn describe(self) -> String {
        match self {
            Source::Field(path) => path.to_string(),
            Source::Derived(how) => format!("derived: {how}"),
            Source::Absent => "null (the vendor has no such figure)".to_string(),
        }
    }
}

/// The declared sources of `op`'s fields in a vendor's mapping, in declaration order.
pub fn sources_of(mapping: &'static [FieldSource], op: Operation) -> Vec<&'static FieldSource> {
    mapping.iter().filter(|s| s.op == op).collect()
}

/// The declared source of `field` of `op`, if the mapping has one.
pub fn source_of(
    mapping: &'static [FieldSource],
    op: Operation,
    field: &str,
) -> Option<&'static FieldSource> {
    mapping.iter().find(|s| s.op == op && s.field == field)
}

/// The vendor path the mapping declares for `field` of `op`: what a vendor's conversion reads,
/// so that the declaration and the code cannot disagree.
///
/// # Panics
/// When the mapping declares no vendor field for it: a programming error that every vendor's
/// mapping tests exercise.
pub fn path(mapping: &'static [FieldSource], op: Operation, field: &str) -> &'static str {
    match source_of(mapping, op, field).map(|s| s.source) {
        Some(Source::Field(path)) => path,
        other => panic!("{op:?} {field}: the mapping declares {other:?}, not a vendor field"),
    }
}

/// Whether `op`'s records are described by the mapping: every read command (writes print the
/// vendor's receipt, which has no figures).
pub fn is_mapped(op: Operation) -> bool {
    op.facet() != Facet::Writes
}

/// The common fields of `op`'s records, in output order (the vendor's extras follow them). A
/// new operation does not compile until it names its record.
pub fn common_fields(op: Operation) -> Vec<FieldDef> {
    match op {
        Operation::CampaignsList => Campaign::common_fields(),
        Operation::CampaignsSummary | Operation::StatsByCampaign | Operation::StatsTotal => {
            CampaignSummary::common_fields()
        }
        Operation::CampaignsDetails => ContactRecord::common_fields(),
        Operation::Stats | Operation::TransactionalStats | Operation::VerifyStats => {
            StatsBucket::common_fields()
        }
        Operation::Clicks => Click::common_fields(),
        Operation::ClicksSummary => ClickSummary::common_fields(),
        Operation::UsersFind => BotUser::common_fields(),
        Operation::Conversations => ChatMessage::common_fields(),
        Operation::TemplatesList | Operation::TemplatesShow => Template::common_fields(),
        Operation::TemplatesContents => TemplateContent::common_fields(),
        Operation::TemplateCategories
        | Operation::TemplateCategoryOptions
        | Operation::TemplateLanguages => Lookup::common_fields(),
        Operation::SendTemplate
        | Operation::SendReaction
        | Operation::SendMessage
        | Operation::Broadcast
        | Operation::BroadcastExternal
        | Operation::Trigger => super::WriteReceipt::common_fields(),
    }
}

/// Every field `vendor` prints for `op`: the common ones, then its declared extras.
pub fn fields_of(vendor: Vendor, op: Operation) -> Vec<FieldDef> {
    let mut fields = common_fields(op);
    fields.extend((super::adapter(vendor).extra_fields)(op));
    fields
}

/// What is wrong with `vendor`'s mapping: every field of every read command it serves must be
/// declared exactly once, in output order, and nothing else. Empty when it is complete.
pub fn gaps(vendor: Vendor) -> Vec<String> {
    let adapter = super::adapter(vendor);
    let mut gaps = Vec::new();
    for op in Operation::all().filter(|op| is_mapped(*op)) {
        let declared: Vec<_> = sources_of(adapter.mapping, op)
            .iter()
            .map(|s| s.field)
            .collect();
        if !adapter.capabilities.serves(op) {
            if !declared.is_empty() {
                gaps.push(format!(
                    "{vendor} does not serve '{}' but maps {declared:?}",
                    op.command()
                ));
            }
            continue;
        }
        let fields: Vec<_> = fields_of(vendor, op)
            .into_iter()
            .map(|f| f.name.into_owned())
            .collect();
        if declared != fields {
            gaps.push(format!(
                "{vendor} '{}': the mapping declares {declared:?}, the command prints {fields:?}",
                op.command()
            ));
        }
    }
    gaps
}

/// The columns of `providers --mapping`.
pub fn mapping_fields() -> Vec<FieldDef> {
    vec![
        FieldDef::new("vendor", FieldKind::Text, "the vendor's id"),
        FieldDef::new(
            "command",
            FieldKind::Text,
            "the command whose records carry the field",
        ),
        FieldDef::new("field", FieldKind::Text, "the unified field"),
        FieldDef::new(
            "support",
            FieldKind::Text,
            "native (the vendor's figure), derived (computed from its figures) or unsupported (always null)",
        ),
        FieldDef::new(
            "source",
            FieldKind::Text,
            "the vendor's field (a path in its answer) or the formula over its fields",
        ),
        FieldDef::new(
            "note",
            FieldKind::Text,
            "where the meaning differs from the vocabulary, or what we assumed where the vendor's documents are silent",
        ),
    ]
}

/// The rows of `providers --mapping`: every vendor, every read command it serves, every field,
/// in the order `providers` and the commands print them.
pub fn mapping_rows() -> Vec<Vec<Value>> {
    let text = |s: &str| Value::Text(s.to_string());
    let mut rows = Vec::new();
    for vendor in Vendor::all() {
        let adapter = super::adapter(vendor);
        for op in Operation::all().filter(|op| is_mapped(*op)) {
            for s in sources_of(adapter.mapping, op) {
                rows.push(vec![
                    text(vendor.id()),
                    text(op.command()),
                    text(s.field),
                    text(s.source.support().as_str()),
                    text(s.source.text()),
                    text(s.note),
                ]);
            }
        }
    }
    rows
}

/// `--fields help` for a vendor: each field's meaning, then where this vendor's figure comes
/// from (and how it differs, where it does).
pub fn with_sources(vendor: Vendor, op: Operation, fields: &[FieldDef]) -> Vec<FieldDef> {
    let mapping = super::adapter(vendor).mapping;
    fields
        .iter()
        .map(|f| {
            let Some(s) = source_of(mapping, op, &f.name) else {
                return f.clone();
            };
            let from = match s.source {
                Source::Field(path) => format!("{vendor}: {path}"),
                Source::Derived(how) => format!("{vendor}: derived, {how}"),
                Source::Absent => format!("{vendor}: always null, no such figure"),
            };
            let note = if s.note.is_empty() {
                String::new()
            } else {
                format!("; {}", s.note)
            };
            FieldDef {
                name: f.name.clone(),
                kind: f.kind,
                about: format!("{} [{from}{note}]", f.about).into(),
            }
        })
        .collect()
}

/// The mapping as Markdown, one table per vendor (the README's "What the numbers mean" is this
/// text, checked by a test).
pub fn markdown() -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = String::new();
    for vendor in Vendor::all() {
        let adapter = super::adapter(vendor);
        let ops: Vec<_> = Operation::all()
            .filter(|op| is_mapped(*op) && !sources_of(adapter.mapping, *op).is_empty())
            .collect();
        out.push_str(&format!("#### {vendor}\n\n"));
        if ops.is_empty() {
            out.push_str("No read command with records of its own.\n\n");
            continue;
        }
        out.push_str("| command | field | support | source | note |\n|---|---|---|---|---|\n");
        for op in ops {
            for s in sources_of(adapter.mapping, op) {
                let source = match s.source {
                    Source::Absent => String::new(),
                    other => format!("`{}`", cell(other.text())),
                };
                out.push_str(&format!(
                    "| {} | `{}` | {} | {source} | {} |\n",
                    op.command(),
                    s.field,
                    s.source.support().as_str(),
                    cell(s.note)
                ));
            }
        }
        out.push('\n');
    }
    out
}
