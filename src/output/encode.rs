//! Turning rows into the bytes of a streamed format (CSV, TSV, JSONL, the elements of a JSON list)
//! apart from the destination, so that a large export can encode its pages in parallel on the
//! blocking pool while the [`Writer`](super::Writer) writes the bytes in order.
//!
//! Tables (laid out only once every row is known) and single pretty-printed JSON objects are not
//! streamed: "encoding" for them hands the rows over as they are, and the writer renders them.

use std::io::{self, Write};
use std::sync::Arc;

use super::{FieldDef, Value, delimited, json};

/// Encodes rows for one output; cheap to clone and `Send`, so every worker can hold one.
#[derive(Clone)]
pub struct RowEncoder(Arc<Spec>);

struct Spec {
    style: Style,
    /// The schema, in row order.
    fields: Vec<FieldDef>,
    /// Indexes into `fields` (and rows) of the selected columns, in output order.
    columns: Vec<usize>,
}

/// How rows become bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    /// CSV or TSV records; `guard` is the spreadsheet formula guard (off with `--csv-raw`).
    Delimited { delimiter: u8, guard: bool },
    /// Compact JSON objects, each preceded by [`JSON_SEPARATOR`]; the writer replaces the first
    /// separator of the list by the opening bracket.
    JsonElements,
    /// Compact JSON objects, each followed by a newline.
    JsonLines,
    /// Not encoded here: the rows are handed to the writer as they are.
    Deferred,
}

/// What comes before every element of a JSON list (`[\n  ` before the first one).
pub(super) const JSON_SEPARATOR: &[u8] = b",\n  ";

/// Rows made ready for [`Writer::write_encoded`](super::Writer::write_encoded).
pub struct Encoded(pub(super) Batch);

pub(super) enum Batch {
    /// The bytes of `rows` rows of a streamed format.
    Bytes { bytes: Vec<u8>, rows: u64 },
    /// Rows the writer renders itself (tables, a single JSON object).
    Rows(Vec<Vec<Value>>),
    /// Encoding failed (it cannot, short of an internal error); the writer reports it.
    Failed(io::Error),
}

impl Encoded {
    /// How many rows this holds.
    pub fn rows(&self) -> u64 {
        match &self.0 {
            Batch::Bytes { rows, .. } => *rows,
            Batch::Rows(rows) => rows.len() as u64,
            Batch::Failed(_) => 0,
        }
    }
}

impl RowEncoder {
    pub(super) fn new(style: Style, fields: Vec<FieldDef>, columns: Vec<usize>) -> RowEncoder {
        RowEncoder(Arc::new(Spec {
            style,
            fields,
            columns,
        }))
    }

    /// The schema, in row order.
    pub(super) fn fields(&self) -> &[FieldDef] {
        &self.0.fields
    }

    /// Indexes of the selected columns, in output order.
    pub(super) fn columns(&self) -> &[usize] {
        &self.0.columns
    }

    /// Encodes `rows` (values in schema order, as [`Writer::write_row`](super::Writer::write_row)
    /// takes them).
    pub fn encode(&self, rows: impl IntoIterator<Item = Vec<Value>>) -> Encoded {
        let rows = rows.into_iter();
        if self.0.style == Style::Deferred {
            return Encoded(Batch::Rows(rows.collect()));
        }
        let mut bytes = Vec::with_capacity(rows.size_hint().0.saturating_mul(128));
        Encoded(match self.encode_into(&mut bytes, rows) {
            Ok(rows) => Batch::Bytes { bytes, rows },
            Err(e) => Batch::Failed(e),
        })
    }

    /// Appends the bytes of `rows` to `bytes` and returns how many rows they were. Not for
    /// [`Style::Deferred`].
    pub(super) fn encode_into<R: AsRef<[Value]>>(
        &self,
        bytes: &mut Vec<u8>,
        rows: impl IntoIterator<Item = R>,
    ) -> io::Result<u64> {
        let spec = &*self.0;
        let mut count = 0;
        match spec.style {
            Style::Delimited { delimiter, guard } => {
                let mut records = delimited::Records::new(bytes, delimiter, guard);
                for row in rows {
                    records.row(&spec.columns, row.as_ref())?;
                    count += 1;
                }
            }
            Style::JsonElements | Style::JsonLines => {
                let elements = spec.style == Style::JsonElements;
                for row in rows {
                    if elements {
                        bytes.write_all(JSON_SEPARATOR)?;
                    }
                    json::write_compact(bytes, &spec.fields, &spec.columns, row.as_ref())?;
                    if !elements {
                        bytes.push(b'\n');
                    }
                    count += 1;
                }
            }
            Style::Deferred => {
                return Err(io::Error::other(
                    "internal error: rows of a table were given to the byte encoder",
                ));
            }
        }
        Ok(count)
    }
}
