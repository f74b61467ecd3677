//! Rendering unified records: table, JSON, JSONL, CSV and TSV, field selection, and atomic files.
//!
//! Renderers know nothing of vendors: they receive a list of [`FieldDef`]s (the schema) and rows of
//! [`Value`]s in the same order. See product.md, "Output contract".

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};

use atomic::{Out, PendingFile};
use encode::{Batch, JSON_SEPARATOR, Style};
use json::JsonObject;
use table::TableOut;

pub use atomic::{AtomicFile, remove_temporary_files, write_whole};
pub use encode::{Encoded, RowEncoder};
pub use jq::{JqError, JqProgram, write_document};

mod atomic;
mod cell;
mod delimited;
mod encode;
mod fields;
mod guard;
mod jq;
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
    /// `-o` named a folder (or a link to one).
    #[error(
        "cannot write the output to {path}: it is a folder. Give -o a file name, such as {path}/export.csv, or leave -o out for standard output."
    )]
    Folder {
        /// The path as given.
        path: String,
    },
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
///
/// Rows come one at a time ([`Writer::write_row`]) or as batches encoded elsewhere by the
/// writer's [`RowEncoder`] ([`Writer::write_encoded`]), which a large export does on the blocking
/// pool, several pages at once.
pub struct Writer {
    /// Where rows are rendered; it owns the buffered destination.
    body: Body,
    /// Encodes rows for `body` (the schema and the selected columns live in it).
    encoder: RowEncoder,
    /// List or single object.
    shape: Shape,
    /// The temporary file and its final path, with `-o`.
    pending: Option<PendingFile>,
    /// `standard output` or the path, for error messages.
    target: String,
    /// Rows written so far.
    rows: u64,
    /// Reused for rows given one at a time to a streamed format.
    scratch: Vec<u8>,
}

/// Where rows are rendered. Each owns the buffered destination and hands it back at the end.
enum Body {
    /// CSV, TSV, JSONL and JSON lists: the bytes of encoded rows are written as they come.
    Streamed { out: Out, json_list: bool },
    /// One pretty-printed JSON object.
    JsonObject(JsonObject),
    /// A table, laid out at the end.
    Table(Box<TableOut>),
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
        let (mut out, pending) = atomic::open(spec.path.as_deref(), stdout).map_err(|source| {
            if source.kind() == std::io::ErrorKind::IsADirectory {
                OutputError::Folder {
                    path: target.clone(),
                }
            } else {
                io_err(source)
            }
        })?;
        let selected: Vec<&FieldDef> = columns.iter().map(|&i| &fields[i]).collect();
        let guard = !spec.csv_raw;
        let (style, body) = match (resolve_format(spec), shape) {
            (format @ (Format::Csv | Format::Tsv), _) => {
                let delimiter = if format == Format::Csv { b',' } else { b'\t' };
                delimited::write_header(&mut out, delimiter, spec.bom, &selected)
                    .map_err(io_err)?;
                let style = Style::Delimited { delimiter, guard };
                (
                    style,
                    Body::Streamed {
                        out,
                        json_list: false,
                    },
                )
            }
            (Format::Json, Shape::List) => {
                let body = Body::Streamed {
                    out,
                    json_list: true,
                };
                (Style::JsonElements, body)
            }
            (Format::Json, Shape::Object) => {
                (Style::Deferred, Body::JsonObject(JsonObject::new(out)))
            }
            (Format::Jsonl, _) => (
                Style::JsonLines,
                Body::Streamed {
                    out,
                    json_list: false,
                },
            ),
            (Format::Table, _) => {
                let table = TableOut::new(out, &selected, shape, spec.terminal_width);
                (Style::Deferred, Body::Table(Box::new(table)))
            }
        };
        Ok(Writer {
            body,
            encoder: RowEncoder::new(style, fields, columns),
            shape,
            pending,
            target,
            rows: 0,
            scratch: Vec::new(),
        })
    }

    /// The encoder of this output's rows, for [`Writer::write_encoded`].
    pub fn encoder(&self) -> RowEncoder {
        self.encoder.clone()
    }

    /// Writes one row (values in the order of the fields given to [`Writer::open`]).
    ///
    /// The row must hold one value per field (checked in debug builds; in release a missing value
    /// is written as null). A single-object output ([`Shape::Object`]) takes exactly one row; a
    /// second one is refused rather than producing invalid output.
    pub fn write_row(&mut self, row: Vec<Value>) -> Result<(), OutputError> {
        debug_assert_eq!(
            row.len(),
            self.encoder.fields().len(),
            "row does not match the schema"
        );
        self.admit(1)?;
        let result = match &mut self.body {
            Body::Streamed { out, json_list } => {
                self.scratch.clear();
                self.encoder
                    .encode_into(&mut self.scratch, [&row])
                    .and_then(|_| write_streamed(out, *json_list, self.rows, &self.scratch))
            }
            Body::JsonObject(body) => body.row(self.encoder.fields(), self.encoder.columns(), &row),
            Body::Table(body) => body.row(self.encoder.fields(), self.encoder.columns(), &row),
        };
        result.map_err(|e| self.io_err(e))?;
        self.rows += 1;
        Ok(())
    }

    /// Writes rows encoded by this writer's [`RowEncoder`], after those written before.
    pub fn write_encoded(&mut self, encoded: Encoded) -> Result<(), OutputError> {
        match encoded.0 {
            Batch::Rows(rows) => rows.into_iter().try_for_each(|row| self.write_row(row)),
            Batch::Failed(e) => Err(self.io_err(e)),
            Batch::Bytes { bytes, rows } => {
                self.admit(rows)?;
                let Body::Streamed { out, json_list } = &mut self.body else {
                    return Err(self.io_err(std::io::Error::other(
                        "internal error: encoded bytes were given to a table or single object",
                    )));
                };
                write_streamed(out, *json_list, self.rows, &bytes).map_err(|e| self.io_err(e))?;
                self.rows += rows;
                Ok(())
            }
        }
    }

    /// Refuses more than one row for a single object.
    fn admit(&self, more: u64) -> Result<(), OutputError> {
        if self.shape == Shape::Object && self.rows + more > 1 {
            return Err(self.io_err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "internal error: a single-object result was given a second row",
            )));
        }
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
                Body::Streamed {
                    mut out,
                    json_list: true,
                } => {
                    out.write_all(if rows == 0 { b"[]\n" } else { b"\n]\n" })?;
                    out
                }
                Body::Streamed { out, .. } => out,
                Body::JsonObject(body) => body.finish()?,
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

/// Writes encoded `bytes` after `written` rows; a JSON list opens with its first element, whose
/// separator becomes the opening bracket.
fn write_streamed(
    out: &mut Out,
    json_list: bool,
    written: u64,
    bytes: &[u8],
) -> std::io::Result<()> {
    match bytes.strip_prefix(JSON_SEPARATOR) {
        Some(first) if json_list && written == 0 => {
            out.write_all(b"[\n  ")?;
            out.write_all(first)
        }
        _ => out.write_all(bytes),
    }
}

/// The path the output goes to, if any, for messages.
pub fn describe_target(path: Option<&Path>) -> String {
    path.map_or_else(
        || "standard output".to_string(),
        |p| p.display().to_string(),
    )
}
