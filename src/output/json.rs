//! JSON and JSONL (product.md, "Output contract"): keys are the selected field names in their
//! selected order, instants are RFC 3339 strings, counts are integers, rates are numbers.
//!
//! Rows are serialised straight into the buffered destination through [`Serialize`] views of the
//! row, so nothing is copied into a `serde_json::Value` and the key order is ours (serde_json's
//! `preserve_order` feature is off, so its `Map` would sort the keys).

use std::io::{self, Write};

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::atomic::Out;
use super::cell::{Rfc3339, at};
use super::{FieldDef, Shape, Value};

/// One cell as JSON.
struct JsonCell<'a>(&'a Value);

impl Serialize for JsonCell<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => s.serialize_unit(),
            Value::Text(text) => s.serialize_str(text),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Float(f) if f.is_finite() => s.serialize_f64(*f),
            // JSON has no NaN or infinity.
            Value::Float(_) => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Time(t) => s.collect_str(&Rfc3339(t)),
            Value::Date(d) => s.collect_str(d),
            Value::Json(j) => j.serialize(s),
        }
    }
}

/// The selected columns of one row as a JSON object, keys in selection order.
struct JsonRecord<'a> {
    fields: &'a [FieldDef],
    columns: &'a [usize],
    row: &'a [Value],
}

impl Serialize for JsonRecord<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.columns.len()))?;
        for &index in self.columns {
            map.serialize_entry(
                self.fields[index].name.as_ref(),
                &JsonCell(at(self.row, index)),
            )?;
        }
        map.end()
    }
}

/// `-f json`: a streamed array of compact objects (one per line), or one pretty-printed object.
pub(super) struct JsonDocument {
    out: Out,
    shape: Shape,
    rows: u64,
}

impl JsonDocument {
    /// Nothing is written until the first row or [`JsonDocument::finish`].
    pub(super) fn new(out: Out, shape: Shape) -> JsonDocument {
        JsonDocument {
            out,
            shape,
            rows: 0,
        }
    }

    /// Writes one object: as the next array element, or as the whole document.
    pub(super) fn row(
        &mut self,
        fields: &[FieldDef],
        columns: &[usize],
        row: &[Value],
    ) -> io::Result<()> {
        let record = JsonRecord {
            fields,
            columns,
            row,
        };
        match self.shape {
            Shape::List => {
                self.out
                    .write_all(if self.rows == 0 { b"[\n  " } else { b",\n  " })?;
                serde_json::to_writer(&mut self.out, &record)?;
            }
            Shape::Object => {
                serde_json::to_writer_pretty(&mut self.out, &record)?;
                self.out.write_all(b"\n")?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Closes the array (`[]` when empty); a single-object document that got no row is `null`.
    pub(super) fn finish(mut self) -> io::Result<Out> {
        let tail: &[u8] = match (self.shape, self.rows) {
            (Shape::List, 0) => b"[]\n",
            (Shape::List, _) => b"\n]\n",
            (Shape::Object, 0) => b"null\n",
            (Shape::Object, _) => b"",
        };
        self.out.write_all(tail)?;
        Ok(self.out)
    }
}

/// `-f jsonl`: one compact object per line, whatever the shape.
pub(super) struct JsonLines {
    out: Out,
}

impl JsonLines {
    /// Nothing is written until the first row.
    pub(super) fn new(out: Out) -> JsonLines {
        JsonLines { out }
    }

    /// Writes one object and a newline.
    pub(super) fn row(
        &mut self,
        fields: &[FieldDef],
        columns: &[usize],
        row: &[Value],
    ) -> io::Result<()> {
        let record = JsonRecord {
            fields,
            columns,
            row,
        };
        serde_json::to_writer(&mut self.out, &record)?;
        self.out.write_all(b"\n")
    }

    /// Hands back the destination.
    pub(super) fn finish(self) -> Out {
        self.out
    }
}
