//! Rendering unified records: table, JSON, JSONL, CSV and TSV, field selection, and atomic files.
//!
//! Renderers know nothing of vendors: they receive a list of [`FieldDef`]s (the schema) and rows of
//! [`Value`]s in the same order. See product.md, "Output contract".

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};

use atomic::PendingFile;
use delimited::Delimited;
use json::{JsonDocument, JsonLines};
use table::TableOut;

mod atomic;
mod cell;
mod delimited;
mod fields;
mod guard;
mod json;
mod table;
#[cfg(test)]
mod tests;

/// What kind of data a field holds: drives alignment in tables, percent display of rates, and the
/// spreadsheet formula guard (only text is ever neutralised).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text (names, ids, phone numbers, statuses).
    Text,
    /// A non-negative integer count.
    Count,
    /// A fraction of 1 (0.4123); tables show it as a percentage.
    Rate,
    /// An instant, rendered RFC 3339 in UTC.
    Time,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// true / false.
    Bool,
    /// Nested data, rendered as compact JSON in CSV and tables.
    Json,
}

/// One column of a command's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDef {
    /// snake_case name, the same in every format.
    pub name: Cow<'static, str>,
    /// What the field holds.
    pub kind: FieldKind,
    /// One line for `--fields help`.
    pub about: Cow<'static, str>,
}

impl FieldDef {
    /// A field with a static name and description.
    pub const fn new(name: &'static str, kind: FieldKind, about: &'static str) -> Self {
        FieldDef {
            name: Cow::Borrowed(name),
            kind,
            about: Cow::Borrowed(about),
        }
    }
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// No value: `null` in JSON, an empty cell in CSV.
    Null,
    /// Text.
    Text(String),
    /// An integer.
    Int(i64),
    /// A float (rates are floats).
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// An instant in UTC.
    Time(DateTime<Utc>),
    /// A calendar date.
    Date(NaiveDate),
    /// Nested data.
    Json(serde_json::Value),
}

/// An output format (`-f`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people, fitted to the terminal.
    Table,
    /// One JSON array (or one object for single-object commands).
    Json,
    /// One compact JSON object per line.
    Jsonl,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// Tab-separated, with a header row.
    Tsv,
}

/// Whether a command prints a list of records or exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A list (JSON array).
    List,
    /// One object (`campaigns summary`); tables show it as field/value pairs.
    Object,
}

/// Everything the user chose about output.
#[derive(Debug, Clone, Default)]
pub struct OutputSpec {
    /// `-f`, if given.
    pub format: Option<Format>,
    /// `-o FILE`, if given.
    pub path: Option<PathBuf>,
    /// `--fields a,b,c` (already split; `help` is handled by the caller via [`fields_help`]).
    pub fields: Option<Vec<String>>,
    /// `--bom`: start CSV/TSV with a UTF-8 byte-order mark (for Excel).
    pub bom: bool,
    /// `--csv-raw`: do not neutralise spreadsheet formulas.
    pub csv_raw: bool,
    /// Whether stdout is a terminal (decides the default format and table fitting).
    pub stdout_is_terminal: bool,
    /// The terminal's width in columns, when stdout is a terminal.
    pub terminal_width: Option<u16>,
    /// The command's own default format when writing to a file (`campaigns export`: CSV).
    pub command_default: Option<Format>,
}

/// Why output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// `--fields` named a field the command does not have.
    #[error(
        "unknown field '{name}' in --fields; this command's fields are: {valid}. Run with '--fields help' to see what each holds."
    )]
    UnknownField {
        /// The unknown name.
        name: String,
        /// The valid names, comma-separated.
        valid: String,
    },
    /// `--fields` was empty or named a field twice.
    #[error("{0}")]
    BadFields(String),
    /// Writing to stdout or the output file failed.
    #[error("could not write {target}: {source}")]
    Io {
        /// `standard output` or the file's path.
        target: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl OutputError {
    /// True when the reader of stdout went away (`| head`): a quiet success, not an error.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, OutputError::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// Resolves the format: `-f` first, then the extension of `-o FILE` (`.csv`, `.tsv`, `.json`,
/// `.jsonl`/`.ndjson`), then the command's file default, then `table` on a terminal and `tsv`
/// otherwise.
pub fn resolve_format(spec: &OutputSpec) -> Format {
    if let Some(format) = spec.format {
        return format;
    }
    if let Some(format) = spec.path.as_deref().and_then(format_for_extension) {
        return format;
    }
    if let Some(format) = spec.command_default {
        return format;
    }
    if spec.stdout_is_terminal && spec.path.is_none() {
        Format::Table
    } else {
        Format::Tsv
    }
}

/// The format a file name's extension asks for (case-insensitive), if it names one.
fn format_for_extension(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" => Some(Format::Csv),
        "tsv" | "tab" => Some(Format::Tsv),
        "json" => Some(Format::Json),
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        _ => None,
    }
}

/// The text `--fields help` prints: every field with its meaning, one per line.
///
/// Names are padded to one column; every line, the last included, ends with `\n`, so the caller
/// prints it as is (`print!`, not `println!`).
pub fn fields_help(fields: &[FieldDef]) -> String {
    fields::help(fields)
}

/// Checks `--fields` against a command's fields without opening anything (so a bad name is
/// reported before any request).
pub fn check_fields(spec: &OutputSpec, fields: &[FieldDef]) -> Result<(), OutputError> {
    fields::select(fields, spec.fields.as_deref()).map(|_| ())
}

/// A writer of one command's result, to stdout or atomically to `-o FILE`.
///
/// With a path, rows go to a temporary file in the same folder, which [`Writer::finish`] renames
/// into place; dropping the writer without finishing removes the temporary file and leaves any
/// previous file untouched.
pub struct Writer {
    /// The format's renderer; it owns the buffered destination.
    body: Body,
    /// The schema, in row order.
    fields: Vec<FieldDef>,
    /// Indexes into `fields` (and rows) of the selected columns, in output order.
    columns: Vec<usize>,
    /// List or single object.
    shape: Shape,
    /// The temporary file and its final path, with `-o`.
    pending: Option<PendingFile>,
    /// `standard output` or the path, for error messages.
    target: String,
    /// Rows written so far.
    rows: u64,
}

/// The renderer of one format. Each owns the buffered destination and hands it back at the end.
enum Body {
    Delimited(Delimited),
    Json(JsonDocument),
    Jsonl(JsonLines),
    Table(TableOut),
}

impl Writer {
    /// Opens the output: validates `--fields` against `fields`, creates the temporary file when a
    /// path is given, and writes any header the format has. `stdout` is used when `spec.path` is
    /// `None`.
    pub fn open(
        spec: &OutputSpec,
        fields: Vec<FieldDef>,
        shape: Shape,
        stdout: Box<dyn Write + Send>,
    ) -> Result<Writer, OutputError> {
        // Validate before touching the file system: a bad `--fields` must not leave anything behind.
        let columns = fields::select(&fields, spec.fields.as_deref())?;
        let target = describe_target(spec.path.as_deref());
        let io_err = |source| OutputError::Io {
            target: target.clone(),
            source,
        };
        let (out, pending) = atomic::open(spec.path.as_deref(), stdout).map_err(io_err)?;
        let selected: Vec<&FieldDef> = columns.iter().map(|&i| &fields[i]).collect();
        let guard = !spec.csv_raw;
        let body = match resolve_format(spec) {
            Format::Csv => {
                Delimited::open(out, b',', spec.bom, guard, &selected).map(Body::Delimited)
            }
            Format::Tsv => {
                Delimited::open(out, b'\t', spec.bom, guard, &selected).map(Body::Delimited)
            }
            Format::Json => Ok(Body::Json(JsonDocument::new(out, shape))),
            Format::Jsonl => Ok(Body::Jsonl(JsonLines::new(out))),
            Format::Table => Ok(Body::Table(TableOut::new(
                out,
                &selected,
                shape,
                spec.terminal_width,
            ))),
        }
        .map_err(io_err)?;
        Ok(Writer {
            body,
            fields,
            columns,
            shape,
            pending,
            target,
            rows: 0,
        })
    }

    /// Writes one row (values in the order of the fields given to [`Writer::open`]).
    ///
    /// The row must hold one value per field (checked in debug builds; in release a missing value
    /// is written as null). A single-object output ([`Shape::Object`]) takes exactly one row; a
    /// second one is refused rather than producing invalid JSON.
    pub fn write_row(&mut self, row: Vec<Value>) -> Result<(), OutputError> {
        debug_assert_eq!(
            row.len(),
            self.fields.len(),
            "row does not match the schema"
        );
        if self.shape == Shape::Object && self.rows > 0 {
            return Err(self.io_err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "internal error: a single-object result was given a second row",
            )));
        }
        let result = match &mut self.body {
            Body::Delimited(body) => body.row(&self.columns, &row),
            Body::Json(body) => body.row(&self.fields, &self.columns, &row),
            Body::Jsonl(body) => body.row(&self.fields, &self.columns, &row),
            Body::Table(body) => body.row(&self.fields, &self.columns, &row),
        };
        result.map_err(|e| self.io_err(e))?;
        self.rows += 1;
        Ok(())
    }

    /// Rows written so far.
    pub fn rows_written(&self) -> u64 {
        self.rows
    }

    /// Writes any footer, flushes, and (with `-o`) renames the temporary file into place.
    /// Returns the number of rows written.
    pub fn finish(self) -> Result<u64, OutputError> {
        let Writer {
            body,
            pending,
            target,
            rows,
            ..
        } = self;
        let result = (|| {
            let out = match body {
                Body::Delimited(body) => body.finish()?,
                Body::Json(body) => body.finish()?,
                Body::Jsonl(body) => body.finish(),
                Body::Table(body) => body.finish()?,
            };
            atomic::commit(out, pending)
        })();
        result.map_err(|source| OutputError::Io { target, source })?;
        Ok(rows)
    }

    fn io_err(&self, source: std::io::Error) -> OutputError {
        OutputError::Io {
            target: self.target.clone(),
            source,
        }
    }
}

/// The path the output goes to, if any, for messages.
pub fn describe_target(path: Option<&Path>) -> String {
    path.map_or_else(
        || "standard output".to_string(),
        |p| p.display().to_string(),
    )
}
