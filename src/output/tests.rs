//! Behaviour of [`Writer`] in every format, written to memory.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::json;

use super::*;

/// An in-memory stdout that the test can read back after the writer has taken its clone.
#[derive(Clone, Default)]
pub(super) struct SharedBuf(Arc<Mutex<Vec<u8>>>);

impl SharedBuf {
    pub(super) fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl Write for SharedBuf {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A small schema with every kind of field.
pub(super) fn schema() -> Vec<FieldDef> {
    vec![
        FieldDef::new("contact", FieldKind::Text, "the contact's phone number"),
        FieldDef::new("sent", FieldKind::Count, "messages sent"),
        FieldDef::new("read_rate", FieldKind::Rate, "read / delivered"),
        FieldDef::new("sent_at", FieldKind::Time, "when it was sent"),
        FieldDef::new("day", FieldKind::Date, "the day"),
        FieldDef::new("engaged", FieldKind::Bool, "whether the contact replied"),
        FieldDef::new("attributes", FieldKind::Json, "vendor attributes"),
        FieldDef::new("error", FieldKind::Text, "the vendor's error, if any"),
    ]
}

/// Two rows: one plain, one that needs quoting and guarding.
pub(super) fn rows() -> Vec<Vec<Value>> {
    let t1 = Utc.with_ymd_and_hms(2026, 4, 1, 13, 5, 0).unwrap();
    let t2 =
        Utc.with_ymd_and_hms(2026, 4, 2, 8, 0, 0).unwrap() + chrono::Duration::milliseconds(250);
    vec![
        vec![
            Value::Text("+573001234567".into()),
            Value::Int(1200),
            Value::Float(0.6667),
            Value::Time(t1),
            Value::Date(NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()),
            Value::Bool(true),
            Value::Json(json!({"city": "Bogotá", "tags": ["a", "b"]})),
            Value::Null,
        ],
        vec![
            Value::Text("Ana, \"la jefa\"".into()),
            Value::Int(7),
            Value::Float(0.5),
            Value::Time(t2),
            Value::Date(NaiveDate::from_ymd_opt(2026, 4, 2).unwrap()),
            Value::Bool(false),
            Value::Json(json!([1, 2])),
            Value::Text("=SUM(A1)".into()),
        ],
    ]
}

pub(super) fn spec(format: Format) -> OutputSpec {
    OutputSpec {
        format: Some(format),
        ..OutputSpec::default()
    }
}

/// Everything a writer prints for `rows` with `spec`.
pub(super) fn render(spec: &OutputSpec, shape: Shape, rows: Vec<Vec<Value>>) -> String {
    let buf = SharedBuf::default();
    let mut writer = Writer::open(spec, schema(), shape, Box::new(buf.clone())).unwrap();
    let count = rows.len() as u64;
    for row in rows {
        writer.write_row(row).unwrap();
    }
    assert_eq!(writer.rows_written(), count);
    assert_eq!(writer.finish().unwrap(), count);
    buf.text()
}

pub(super) fn with_fields(mut spec: OutputSpec, fields: &[&str]) -> OutputSpec {
    spec.fields = Some(fields.iter().map(|f| f.to_string()).collect());
    spec
}

#[test]
fn csv_has_a_header_and_rfc4180_quoting() {
    assert_eq!(
        render(&spec(Format::Csv), Shape::List, rows()),
        "contact,sent,read_rate,sent_at,day,engaged,attributes,error\n\
         +573001234567,1200,0.6667,2026-04-01T13:05:00Z,2026-04-01,true,\"{\"\"city\"\":\"\"Bogotá\"\",\"\"tags\"\":[\"\"a\"\",\"\"b\"\"]}\",\n\
         \"Ana, \"\"la jefa\"\"\",7,0.5,2026-04-02T08:00:00.250Z,2026-04-02,false,\"[1,2]\",'=SUM(A1)\n"
    );
}

#[test]
fn tsv_uses_tabs_and_the_same_quoting() {
    assert_eq!(
        render(&spec(Format::Tsv), Shape::List, rows()),
        "contact\tsent\tread_rate\tsent_at\tday\tengaged\tattributes\terror\n\
         +573001234567\t1200\t0.6667\t2026-04-01T13:05:00Z\t2026-04-01\ttrue\t\"{\"\"city\"\":\"\"Bogotá\"\",\"\"tags\"\":[\"\"a\"\",\"\"b\"\"]}\"\t\n\
         \"Ana, \"\"la jefa\"\"\"\t7\t0.5\t2026-04-02T08:00:00.250Z\t2026-04-02\tfalse\t[1,2]\t'=SUM(A1)\n"
    );
}

#[test]
fn tsv_quotes_a_value_containing_a_tab_or_a_newline() {
    let spec = with_fields(spec(Format::Tsv), &["contact", "error"]);
    let mut row = rows().remove(0);
    row[0] = Value::Text("a\tb".into());
    row[7] = Value::Text("line 1\nline 2".into());
    assert_eq!(
        render(&spec, Shape::List, vec![row]),
        "contact\terror\n\"a\tb\"\t\"line 1\nline 2\"\n"
    );
}

#[test]
fn csv_of_an_empty_list_is_the_header_alone() {
    let spec = with_fields(spec(Format::Csv), &["contact", "sent"]);
    assert_eq!(render(&spec, Shape::List, vec![]), "contact,sent\n");
}

#[test]
fn bom_starts_csv_and_tsv_only_when_asked() {
    let mut csv = with_fields(spec(Format::Csv), &["contact"]);
    assert_eq!(render(&csv, Shape::List, vec![]), "contact\n");
    csv.bom = true;
    assert_eq!(render(&csv, Shape::List, vec![]), "\u{FEFF}contact\n");
    let mut tsv = with_fields(spec(Format::Tsv), &["contact"]);
    tsv.bom = true;
    assert_eq!(render(&tsv, Shape::List, vec![]), "\u{FEFF}contact\n");
    let mut json = spec(Format::Json);
    json.bom = true;
    assert_eq!(render(&json, Shape::List, vec![]), "[]\n");
}

#[test]
fn json_list_streams_one_compact_object_per_line() {
    assert_eq!(
        render(&spec(Format::Json), Shape::List, rows()),
        "[\n  \
         {\"contact\":\"+573001234567\",\"sent\":1200,\"read_rate\":0.6667,\"sent_at\":\"2026-04-01T13:05:00Z\",\"day\":\"2026-04-01\",\"engaged\":true,\"attributes\":{\"city\":\"Bogotá\",\"tags\":[\"a\",\"b\"]},\"error\":null},\n  \
         {\"contact\":\"Ana, \\\"la jefa\\\"\",\"sent\":7,\"read_rate\":0.5,\"sent_at\":\"2026-04-02T08:00:00.250Z\",\"day\":\"2026-04-02\",\"engaged\":false,\"attributes\":[1,2],\"error\":\"=SUM(A1)\"}\n\
         ]\n"
    );
}

#[test]
fn json_empty_list_is_an_empty_array() {
    assert_eq!(render(&spec(Format::Json), Shape::List, vec![]), "[]\n");
}

#[test]
fn json_object_is_pretty_printed_with_keys_in_selected_order() {
    let spec = with_fields(
        spec(Format::Json),
        &["sent_at", "contact", "read_rate", "error"],
    );
    assert_eq!(
        render(&spec, Shape::Object, vec![rows().remove(0)]),
        "{\n  \"sent_at\": \"2026-04-01T13:05:00Z\",\n  \"contact\": \"+573001234567\",\n  \
         \"read_rate\": 0.6667,\n  \"error\": null\n}\n"
    );
}

#[test]
fn json_object_without_a_row_is_null() {
    assert_eq!(render(&spec(Format::Json), Shape::Object, vec![]), "null\n");
}

#[test]
fn json_writes_non_finite_floats_as_null() {
    let spec = with_fields(spec(Format::Jsonl), &["read_rate"]);
    let mut row = rows().remove(0);
    row[2] = Value::Float(f64::NAN);
    assert_eq!(
        render(&spec, Shape::List, vec![row]),
        "{\"read_rate\":null}\n"
    );
}

#[test]
fn jsonl_writes_one_compact_object_per_line() {
    let spec = with_fields(
        spec(Format::Jsonl),
        &["contact", "sent", "engaged", "attributes"],
    );
    assert_eq!(
        render(&spec, Shape::List, rows()),
        "{\"contact\":\"+573001234567\",\"sent\":1200,\"engaged\":true,\"attributes\":{\"city\":\"Bogotá\",\"tags\":[\"a\",\"b\"]}}\n\
         {\"contact\":\"Ana, \\\"la jefa\\\"\",\"sent\":7,\"engaged\":false,\"attributes\":[1,2]}\n"
    );
}

#[test]
fn fields_choose_and_reorder_columns() {
    let csv = with_fields(spec(Format::Csv), &[" sent", "contact "]);
    assert_eq!(
        render(&csv, Shape::List, rows()),
        "sent,contact\n1200,+573001234567\n7,\"Ana, \"\"la jefa\"\"\"\n"
    );
    let json = with_fields(spec(Format::Json), &["engaged", "sent"]);
    assert_eq!(
        render(&json, Shape::List, rows()),
        "[\n  {\"engaged\":true,\"sent\":1200},\n  {\"engaged\":false,\"sent\":7}\n]\n"
    );
}

#[test]
fn open_refuses_unknown_duplicate_and_empty_fields() {
    let open = |fields: &[&str]| {
        let spec = with_fields(spec(Format::Csv), fields);
        Writer::open(&spec, schema(), Shape::List, Box::new(SharedBuf::default())).err()
    };
    assert!(matches!(
        open(&["contact", "nope"]),
        Some(OutputError::UnknownField { name, valid })
            if name == "nope"
                && valid == "contact, sent, read_rate, sent_at, day, engaged, attributes, error"
    ));
    assert!(matches!(
        open(&["sent", "sent"]),
        Some(OutputError::BadFields(_))
    ));
    assert!(matches!(open(&[]), Some(OutputError::BadFields(_))));
}

#[test]
fn fields_help_lists_each_field_with_its_meaning() {
    let help = fields_help(&schema()[..3]);
    assert_eq!(
        help,
        "contact    the contact's phone number\n\
         sent       messages sent\n\
         read_rate  read / delivered\n"
    );
}

/// Everything a writer prints for `rows` given as encoded batches of `sizes` rows (each encoded
/// on another thread, as a large export does).
fn render_batches(
    spec: &OutputSpec,
    shape: Shape,
    rows: Vec<Vec<Value>>,
    sizes: &[usize],
) -> String {
    let buf = SharedBuf::default();
    let mut writer = Writer::open(spec, schema(), shape, Box::new(buf.clone())).unwrap();
    let mut rows = rows.into_iter();
    for &size in sizes {
        let batch: Vec<_> = rows.by_ref().take(size).collect();
        let encoder = writer.encoder();
        let encoded = std::thread::spawn(move || encoder.encode(batch))
            .join()
            .unwrap();
        assert_eq!(encoded.rows(), size as u64);
        writer.write_encoded(encoded).unwrap();
    }
    assert_eq!(rows.next(), None, "sizes cover every row");
    writer.finish().unwrap();
    buf.text()
}

#[test]
fn encoded_batches_print_exactly_what_rows_one_at_a_time_do() {
    let many: Vec<Vec<Value>> = (0..5).flat_map(|_| rows()).collect();
    for format in [
        Format::Csv,
        Format::Tsv,
        Format::Json,
        Format::Jsonl,
        Format::Table,
    ] {
        let spec = spec(format);
        for sizes in [&[][..], &[0], &[10], &[0, 1, 0, 9], &[3, 3, 4, 0]] {
            let rows = many[..sizes.iter().sum::<usize>()].to_vec();
            assert_eq!(
                render_batches(&spec, Shape::List, rows.clone(), sizes),
                render(&spec, Shape::List, rows),
                "{format:?} in batches of {sizes:?}"
            );
        }
        let one = vec![rows().remove(1)];
        assert_eq!(
            render_batches(&spec, Shape::Object, one.clone(), &[1]),
            render(&spec, Shape::Object, one),
            "{format:?} single object"
        );
    }
}

#[test]
fn a_second_encoded_row_for_a_single_object_is_refused() {
    for format in [Format::Csv, Format::Json] {
        let mut writer = Writer::open(
            &spec(format),
            schema(),
            Shape::Object,
            Box::new(SharedBuf::default()),
        )
        .unwrap();
        let encoded = writer.encoder().encode(rows());
        let err = writer.write_encoded(encoded).unwrap_err();
        assert!(matches!(err, OutputError::Io { .. }), "{format:?}: {err:?}");
    }
}

#[test]
fn a_second_row_for_a_single_object_is_refused() {
    let mut writer = Writer::open(
        &spec(Format::Json),
        schema(),
        Shape::Object,
        Box::new(SharedBuf::default()),
    )
    .unwrap();
    writer.write_row(rows().remove(0)).unwrap();
    let err = writer.write_row(rows().remove(1)).unwrap_err();
    assert!(matches!(err, OutputError::Io { .. }), "{err:?}");
    assert_eq!(writer.rows_written(), 1);
}

#[test]
fn resolve_format_prefers_flag_then_extension_then_command_default_then_terminal() {
    let mut spec = OutputSpec {
        format: Some(Format::Jsonl),
        path: Some("out.CSV".into()),
        command_default: Some(Format::Json),
        stdout_is_terminal: true,
        ..OutputSpec::default()
    };
    assert_eq!(resolve_format(&spec), Format::Jsonl);
    spec.format = None;
    assert_eq!(resolve_format(&spec), Format::Csv);
    for (name, format) in [
        ("a.tsv", Format::Tsv),
        ("a.TAB", Format::Tsv),
        ("dir/a.json", Format::Json),
        ("a.jsonl", Format::Jsonl),
        ("a.NDJSON", Format::Jsonl),
    ] {
        spec.path = Some(name.into());
        assert_eq!(resolve_format(&spec), format, "{name}");
    }
    spec.path = Some("report.txt".into());
    assert_eq!(resolve_format(&spec), Format::Json);
    spec.command_default = None;
    assert_eq!(
        resolve_format(&spec),
        Format::Tsv,
        "a file is never a table"
    );
    spec.path = None;
    assert_eq!(resolve_format(&spec), Format::Table);
    spec.stdout_is_terminal = false;
    assert_eq!(resolve_format(&spec), Format::Tsv);
}

/// A stdout whose reader went away.
struct ClosedPipe;

impl Write for ClosedPipe {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::ErrorKind::BrokenPipe.into())
    }

    fn flush(&mut self) -> io::Result<()> {
        Err(io::ErrorKind::BrokenPipe.into())
    }
}

#[test]
fn a_closed_pipe_is_reported_as_a_broken_pipe_in_every_format() {
    for format in [
        Format::Csv,
        Format::Tsv,
        Format::Json,
        Format::Jsonl,
        Format::Table,
    ] {
        let result = Writer::open(&spec(format), schema(), Shape::List, Box::new(ClosedPipe))
            .and_then(|mut writer| {
                writer.write_row(rows().remove(0))?;
                writer.finish()
            });
        let err = result.unwrap_err();
        assert!(err.is_broken_pipe(), "{format:?}: {err:?}");
        assert_eq!(
            err.to_string(),
            "could not write standard output: broken pipe"
        );
    }
}

#[test]
fn writer_can_move_to_another_thread() {
    fn assert_send<T: Send>() {}
    assert_send::<Writer>();
}
