//! CSV and TSV (product.md, "Output contract"): RFC 4180 quoting, a header row of the selected
//! field names, UTF-8 with an optional BOM, and the spreadsheet formula guard.
//!
//! Records end in `\n`, not RFC 4180's `\r\n`: every spreadsheet and CSV reader accepts it, and it
//! is what Unix tools (`wc -l`, `cut`, `sort`) expect. A field is quoted only when it holds the
//! delimiter, a double quote, `\r` or `\n` (quotes inside are doubled), and a record that would
//! be empty is written as `""` — byte for byte what the `csv` crate writes with
//! `QuoteStyle::Necessary`, which the tests check, but written straight into the page's buffer:
//! a million-row export spent a quarter of its encoding time in the crate's buffering.

use std::io::{self, Write};

use super::atomic::Out;
use super::cell::{Instants, at, write_scalar};
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
    let mut line = Vec::new();
    let mut records = Records::new(&mut line, delimiter, false);
    // Headers are our own snake_case names: nothing to guard.
    records.record(fields.iter().map(|field| field.name.as_bytes()));
    out.write_all(&line)
}

/// CSV or TSV records appended to a byte buffer.
pub(super) struct Records<'a> {
    out: &'a mut Vec<u8>,
    delimiter: u8,
    /// The bytes that make a field quoted: the delimiter, `"`, `\r` and `\n`.
    quoted: [bool; 256],
    /// False with `--csv-raw`.
    guard: bool,
    /// Text of the current nested-JSON cell.
    scratch: Vec<u8>,
    /// Instants, written with the last date remembered.
    instants: Instants,
}

impl<'a> Records<'a> {
    pub(super) fn new(out: &'a mut Vec<u8>, delimiter: u8, guard: bool) -> Records<'a> {
        let mut quoted = [false; 256];
        for byte in [delimiter, b'"', b'\r', b'\n'] {
            quoted[usize::from(byte)] = true;
        }
        Records {
            out,
            delimiter,
            quoted,
            guard,
            scratch: Vec::new(),
            instants: Instants::default(),
        }
    }

    /// Appends the selected `columns` of `row` as one record.
    pub(super) fn row(&mut self, columns: &[usize], row: &[Value]) -> io::Result<()> {
        let start = self.out.len();
        for (position, &index) in columns.iter().enumerate() {
            if position > 0 {
                self.out.push(self.delimiter);
            }
            self.cell(at(row, index))?;
        }
        self.end_record(start);
        Ok(())
    }

    /// Appends `fields` as one record, as they are.
    fn record<'f>(&mut self, fields: impl Iterator<Item = &'f [u8]>) {
        let start = self.out.len();
        for (position, field) in fields.enumerate() {
            if position > 0 {
                self.out.push(self.delimiter);
            }
            self.field(b"", field);
        }
        self.end_record(start);
    }

    /// Ends the record begun at `start`; one that would be an empty line is `""`.
    fn end_record(&mut self, start: usize) {
        if self.out.len() == start {
            self.out.extend_from_slice(b"\"\"");
        }
        self.out.push(b'\n');
    }

    fn cell(&mut self, value: &Value) -> io::Result<()> {
        match value {
            Value::Text(text) if self.guard && needs_guard(text.as_bytes()) => {
                self.field(b"'", text.as_bytes());
            }
            Value::Text(text) => self.field(b"", text.as_bytes()),
            Value::Json(_) => {
                let mut json = std::mem::take(&mut self.scratch);
                json.clear();
                write_scalar(&mut json, value)?;
                // Nested JSON is text to a spreadsheet too (`-5` stays, `"=x"` starts with a quote).
                let prefix: &[u8] = if self.guard && needs_guard(&json) {
                    b"'"
                } else {
                    b""
                };
                self.field(prefix, &json);
                self.scratch = json;
            }
            // Numbers, booleans, instants and dates never hold a delimiter, a quote or a line break.
            Value::Time(t) => self.instants.write(self.out, t)?,
            other => write_scalar(self.out, other)?,
        }
        Ok(())
    }

    /// Appends `prefix` and `text` as one field, quoted if `text` needs it (`prefix` never does).
    fn field(&mut self, prefix: &[u8], text: &[u8]) {
        if !text.iter().any(|&byte| self.quoted[usize::from(byte)]) {
            self.out.extend_from_slice(prefix);
            self.out.extend_from_slice(text);
            return;
        }
        self.out.push(b'"');
        self.out.extend_from_slice(prefix);
        for part in text.split_inclusive(|&byte| byte == b'"') {
            self.out.extend_from_slice(part);
            if part.ends_with(b"\"") {
                self.out.push(b'"');
            }
        }
        self.out.push(b'"');
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::Records;
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

    /// What the `csv` crate writes for `records` with our settings.
    fn csv_crate(delimiter: u8, records: &[Vec<String>]) -> Vec<u8> {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .quote_style(csv::QuoteStyle::Necessary)
            .flexible(true)
            .from_writer(Vec::new());
        for record in records {
            writer.write_record(record).unwrap();
        }
        writer.into_inner().unwrap()
    }

    /// What [`Records`] writes for `records` of text cells, the guard off.
    fn ours(delimiter: u8, records: &[Vec<String>]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut writer = Records::new(&mut out, delimiter, false);
        for record in records {
            let row: Vec<Value> = record.iter().cloned().map(Value::Text).collect();
            let columns: Vec<usize> = (0..row.len()).collect();
            writer.row(&columns, &row).unwrap();
        }
        out
    }

    #[test]
    fn records_are_what_the_csv_crate_writes() {
        let cases = [
            vec![
                "plain",
                "with,comma",
                "with\ttab",
                "with \"quotes\"",
                "a\nb",
                "a\rb",
                "",
            ],
            vec![""],
            vec!["", ""],
            vec!["\""],
            vec!["'=x", " lead", "trail ", "ünïcödé 🙅"],
        ];
        let records: Vec<Vec<String>> = cases
            .iter()
            .map(|case| case.iter().map(|cell| cell.to_string()).collect())
            .collect();
        for delimiter in [b',', b'\t'] {
            assert_eq!(
                String::from_utf8(ours(delimiter, &records)).unwrap(),
                String::from_utf8(csv_crate(delimiter, &records)).unwrap(),
                "delimiter {delimiter}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_text_is_written_as_the_csv_crate_writes_it(
            records in proptest::collection::vec(proptest::collection::vec("(?s).{0,12}|[,\t\"\r\n ab]{0,6}", 1..5), 0..5),
            tab in proptest::bool::ANY,
        ) {
            let delimiter = if tab { b'\t' } else { b',' };
            prop_assert_eq!(ours(delimiter, &records), csv_crate(delimiter, &records));
        }

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
