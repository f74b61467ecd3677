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
use super::{FieldDef, Value};

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

/// Appends the selected `columns` of `row` to `bytes` as one compact JSON object.
pub(super) fn write_compact(
    bytes: &mut Vec<u8>,
    fields: &[FieldDef],
    columns: &[usize],
    row: &[Value],
) -> io::Result<()> {
    let record = JsonRecord {
        fields,
        columns,
        row,
    };
    serde_json::to_writer(bytes, &record).map_err(io::Error::from)
}

/// `-f json` for a single-object command: one pretty-printed object (`null` when there is none).
/// Lists of objects are streamed instead (see [`super::encode`]).
pub(super) struct JsonObject {
    out: Out,
    written: bool,
}

impl JsonObject {
    /// Nothing is written until the row or [`JsonObject::finish`].
    pub(super) fn new(out: Out) -> JsonObject {
        JsonObject {
            out,
            written: false,
        }
    }

    /// Writes the object.
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
        serde_json::to_writer_pretty(&mut self.out, &record)?;
        self.out.write_all(b"\n")?;
        self.written = true;
        Ok(())
    }

    /// Writes `null` if no object was written, and hands back the destination.
    pub(super) fn finish(mut self) -> io::Result<Out> {
        if !self.written {
            self.out.write_all(b"null\n")?;
        }
        Ok(self.out)
    }
}
