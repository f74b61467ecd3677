//! CSV and TSV (product.md, "Output contract"): RFC 4180 quoting through the `csv` crate, a header
//! row of the selected field names, UTF-8 with an optional BOM, and the spreadsheet formula guard.
//!
//! Records end in `\n`, not RFC 4180's `\r\n`: every spreadsheet and CSV reader accepts it, and it
//! is what Unix tools (`wc -l`, `cut`, `sort`) expect. Fields containing `\r` or `\n` are quoted.

use std::io::{self, Write};

use super::atomic::Out;
use super::cell::{at, write_scalar};
use super::guard::needs_guard;
use super::{FieldDef, Value};

/// The UTF-8 byte-order mark `--bom` writes first, so Excel reads the file as UTF-8.
const BOM: &[u8] = "\u{FEFF}".as_bytes();

/// Writes the BOM (if asked) and the header row of the selected `fields`.
pub(super) fn write_header(
    out: &mut Out,
    delimiter: u8,
    bom: bool,
    fields: &[&FieldDef],
) -> io::Result<()> {
    if bom {
        out.write_all(BOM)?;
    }
    let mut csv = writer(out, delimiter);
    // Headers are our own snake_case names: nothing to guard.
    csv.write_record(fields.iter().map(|field| field.name.as_bytes()))
        .map_err(csv_io)?;
    csv.flush()
}

/// The `csv` writer of every CSV/TSV record: quoted only where needed, `\n`-terminated.
fn writer<W: Write>(out: W, delimiter: u8) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(out)
}

/// CSV or TSV records appended to a byte buffer: one `csv` writer and one scratch buffer for
/// every row of a batch.
pub(super) struct Records<'a> {
    csv: csv::Writer<&'a mut Vec<u8>>,
    /// Text of the current non-text cell (numbers, instants, JSON, guarded text).
    scratch: Vec<u8>,
    /// False with `--csv-raw`.
    guard: bool,
}

impl<'a> Records<'a> {
    pub(super) fn new(bytes: &'a mut Vec<u8>, delimiter: u8, guard: bool) -> Records<'a> {
        Records {
            csv: writer(bytes, delimiter),
            scratch: Vec::with_capacity(256),
            guard,
        }
    }

    /// Appends the selected `columns` of `row` as one record.
    pub(super) fn row(&mut self, columns: &[usize], row: &[Value]) -> io::Result<()> {
        for &index in columns {
            self.cell(at(row, index))?;
        }
        // An empty record ends the one whose fields were just written.
        self.csv
            .write_record(std::iter::empty::<&[u8]>())
            .map_err(csv_io)
    }

    fn cell(&mut self, value: &Value) -> io::Result<()> {
        let field: &[u8] = match value {
            Value::Text(text) if !(self.guard && needs_guard(text.as_bytes())) => text.as_bytes(),
            Value::Text(text) => {
                self.scratch.clear();
                self.scratch.push(b'\'');
                self.scratch.extend_from_slice(text.as_bytes());
                &self.scratch
            }
            other => {
                self.scratch.clear();
                write_scalar(&mut self.scratch, other)?;
                // Nested JSON is text to a spreadsheet too (`-5` stays, `"=x"` starts with a quote).
                if self.guard && matches!(other, Value::Json(_)) && needs_guard(&self.scratch) {
                    self.scratch.insert(0, b'\'');
                }
                &self.scratch
            }
        };
        self.csv.write_field(field).map_err(csv_io)
    }

    /// Moves what the `csv` writer still buffers into the byte buffer.
    pub(super) fn finish(mut self) -> io::Result<()> {
        self.csv.flush()
    }
}

/// A `csv` error as the `io::Error` it wraps, keeping its kind (a broken pipe must stay one).
fn csv_io(err: csv::Error) -> io::Error {
    if !err.is_io_error() {
        return io::Error::other(err);
    }
    match err.into_kind() {
        csv::ErrorKind::Io(err) => err,
        kind => io::Error::other(format!("{kind:?}")),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use crate::output::tests::{render, rows, spec, with_fields};
    use crate::output::{Format, Shape, Value, guard};

    /// CSV text of one text cell, parsed back with the `csv` crate.
    fn csv_round_trip(text: &str, raw: bool) -> String {
        let mut spec = with_fields(spec(Format::Csv), &["contact"]);
        spec.csv_raw = raw;
        let mut row = rows().remove(0);
        row[0] = Value::Text(text.to_string());
        let out = render(&spec, Shape::List, vec![row]);
        let mut reader = csv::ReaderBuilder::new().from_reader(out.as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        record[0].to_string()
    }

    #[test]
    fn formula_cells_are_neutralised_with_a_quote() {
        for text in ["=SUM(A1)", "+cmd", "-2+3", "@x", "\tx", "\rx"] {
            assert_eq!(csv_round_trip(text, false), format!("'{text}"), "{text:?}");
        }
    }

    #[test]
    fn plain_numbers_in_text_stay_exact() {
        for text in ["+573001234567", "-12.5", "42"] {
            assert_eq!(csv_round_trip(text, false), text);
        }
    }

    #[test]
    fn csv_raw_turns_the_guard_off() {
        for text in ["=SUM(A1)", "@x", "\rx"] {
            assert_eq!(csv_round_trip(text, true), text);
        }
    }

    #[test]
    fn numbers_and_other_typed_values_are_never_altered() {
        let spec = with_fields(spec(Format::Csv), &["sent", "read_rate", "attributes"]);
        let mut row = rows().remove(0);
        row[1] = Value::Int(-5);
        row[2] = Value::Float(-0.25);
        row[6] = Value::Json(json!(-3));
        assert_eq!(
            render(&spec, Shape::List, vec![row]),
            "sent,read_rate,attributes\n-5,-0.25,-3\n"
        );
    }

    #[test]
    fn nested_json_that_looks_like_a_formula_is_neutralised() {
        let spec = with_fields(spec(Format::Tsv), &["attributes"]);
        let mut row = rows().remove(0);
        row[6] = Value::Json(json!(-1.5e300));
        assert_eq!(
            render(&spec, Shape::List, vec![row]),
            "attributes\n'-1.5e+300\n"
        );
    }

    proptest! {
        #[test]
        fn guarded_cells_never_start_a_formula(text in "(?s).*|[=+@\\t\\r-](?s:.*)|[+-]?[0-9]{1,6}(\\.[0-9]{1,3})?") {
            let cell = csv_round_trip(&text, false);
            let starts_formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
            prop_assert!(!starts_formula || guard::is_plain_number(cell.as_bytes()), "{:?} -> {:?}", text, cell);
            if guard::needs_guard(text.as_bytes()) {
                prop_assert_eq!(cell, format!("'{text}"));
            } else {
                prop_assert_eq!(cell, text);
            }
        }
    }
}
