//! Where each unified field comes from, per vendor: the declaration that sits in every vendor's
//! folder beside the code that converts its wire types ([`super::Adapter::mapping`]). It is data
//! the code reads, not a comment: each vendor's tests hold the declaration to what its
//! conversion really reads, so the two cannot drift apart.

use super::Operation;

/// The source of one unified field of one command's records at one vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSource {
    /// The command whose records carry the field.
    pub op: Operation,
    /// The unified field (`sent`, `read_rate`).
    pub field: &'static str,
    /// Where its value comes from.
    pub source: Source,
    /// How it differs from the common meaning, or `""`.
    pub note: &'static str,
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

impl Source {
    /// The vendor path, formula or `null`, as a person reads it.
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
