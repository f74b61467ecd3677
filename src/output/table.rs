//! `-f table`: a comfy-table for people (product.md, "Output contract": fitted to the terminal,
//! numbers right-aligned, rates as percentages). Its layout may change; scripts use JSON or CSV.
//!
//! A table needs every width before its first line, so rows are kept (as display text) until
//! [`TableOut::finish`].

use std::borrow::Cow;
use std::io::{self, Write};

use comfy_table::{
    CellAlignment, ColumnConstraint, ContentArrangement, Table, TableComponent, presets,
};

use super::atomic::Out;
use super::cell::{RFC3339_MAX, at, rfc3339_bytes, write_scalar};
use super::{FieldDef, FieldKind, Shape, Value};
use crate::api_error::visible;

/// A table being collected.
pub(super) struct TableOut {
    out: Out,
    table: Table,
    shape: Shape,
    /// Positions of the columns to right-align (counts and rates), for list tables.
    numeric: Vec<usize>,
    /// Positions of the columns that should not wrap (all but text and nested data), for list
    /// tables.
    unwrapped: Vec<usize>,
    /// The terminal's width, when the table is fitted to one.
    width: Option<u16>,
}

impl TableOut {
    /// Sets up the header (the selected field names, or `field`/`value` for a single object) and
    /// the width: the terminal's when known, otherwise each column as wide as its content.
    pub(super) fn new(
        out: Out,
        fields: &[&FieldDef],
        shape: Shape,
        terminal_width: Option<u16>,
    ) -> TableOut {
        let mut table = Table::new();
        // Plain columns under one rule, like `gh`: no boxes, easy to read and to copy from.
        table
            .load_preset(presets::NOTHING)
            .set_style(TableComponent::HeaderLines, '─')
            .set_style(TableComponent::MiddleHeaderIntersections, ' ');
        match terminal_width {
            Some(width) => table
                .set_width(width)
                .set_content_arrangement(ContentArrangement::Dynamic),
            None => table.set_content_arrangement(ContentArrangement::Disabled),
        };
        let positions = |keep: fn(FieldKind) -> bool| -> Vec<usize> {
            match shape {
                Shape::List => (fields.iter().enumerate())
                    .filter(|(_, field)| keep(field.kind))
                    .map(|(position, _)| position)
                    .collect(),
                Shape::Object => Vec::new(),
            }
        };
        let numeric = positions(|kind| matches!(kind, FieldKind::Count | FieldKind::Rate));
        let unwrapped = positions(|kind| !matches!(kind, FieldKind::Text | FieldKind::Json));
        match shape {
            Shape::List => {
                table.set_header(fields.iter().map(|field| field.name.as_ref()));
            }
            Shape::Object => {
                table.set_header(["field", "value"]);
            }
        }
        TableOut {
            out,
            table,
            shape,
            numeric,
            unwrapped,
            width: terminal_width,
        }
    }

    /// Adds one row (a list) or one `field | value` line per selected field (a single object).
    pub(super) fn row(
        &mut self,
        fields: &[FieldDef],
        columns: &[usize],
        row: &[Value],
    ) -> io::Result<()> {
        match self.shape {
            Shape::List => {
                let cells: Vec<String> = columns
                    .iter()
                    .map(|&index| display(fields[index].kind, at(row, index)))
                    .collect();
                self.table.add_row(cells);
            }
            Shape::Object => {
                for &index in columns {
                    let field = &fields[index];
                    let value = match at(row, index) {
                        Value::Json(nested) => readable(nested),
                        other => display(field.kind, other),
                    };
                    self.table.add_row(vec![field.name.to_string(), value]);
                }
            }
        }
        Ok(())
    }

    /// Lays the table out and writes it, without trailing spaces.
    pub(super) fn finish(mut self) -> io::Result<Out> {
        for column in self.table.column_iter_mut() {
            column.set_padding((0, 1));
        }
        for &position in &self.numeric {
            if let Some(column) = self.table.column_mut(position) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        if let Some(width) = self.width {
            self.keep_short_columns_whole(width);
        }
        for line in self.table.lines() {
            self.out.write_all(line.trim_end().as_bytes())?;
            self.out.write_all(b"\n")?;
        }
        Ok(self.out)
    }

    /// On a narrow terminal, wraps text and nested data rather than numbers, instants and dates,
    /// as long as that leaves the wrapped columns a readable width; otherwise lets comfy-table
    /// share the width among all columns.
    fn keep_short_columns_whole(&mut self, width: u16) {
        // Content width plus the padding and gap each column takes (see `finish`).
        const GAP: usize = 2;
        const MIN_WRAPPED: usize = 10;
        let widths = self.table.column_max_content_widths();
        let whole: usize = (self.unwrapped.iter())
            .map(|&position| usize::from(widths.get(position).copied().unwrap_or(0)) + GAP)
            .sum();
        let wrapped = widths.len().saturating_sub(self.unwrapped.len());
        let room = usize::from(width).saturating_sub(whole);
        if room < wrapped * (MIN_WRAPPED + GAP) {
            return;
        }
        for &position in &self.unwrapped {
            if let Some(column) = self.table.column_mut(position) {
                column.set_constraint(ColumnConstraint::ContentWidth);
            }
        }
    }
}

/// A cell as people read it: rates as percentages, instants as `YYYY-MM-DD HH:MM:SS` (UTC),
/// booleans as yes/no, nested data as compact JSON, and a vendor's control characters shown,
/// not obeyed ([`clean`]).
fn display(kind: FieldKind, value: &Value) -> String {
    let text = match (kind, value) {
        (FieldKind::Rate, Value::Float(f)) if f.is_finite() => format!("{:.2}%", f * 100.0),
        (FieldKind::Rate, Value::Int(i)) => format!("{:.2}%", *i as f64 * 100.0),
        (_, Value::Text(text)) => text.clone(),
        (_, Value::Bool(b)) => (if *b { "yes" } else { "no" }).to_string(),
        (_, Value::Time(t)) => {
            let mut text = [0; RFC3339_MAX];
            match rfc3339_bytes(t, &mut text) {
                // `2026-04-01T13:05:00…` → `2026-04-01 13:05:00`: whole seconds are enough here.
                Some(_) => {
                    text[10] = b' ';
                    String::from_utf8_lossy(&text[..19]).into_owned()
                }
                None => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            }
        }
        (_, other) => {
            let mut buf = Vec::new();
            // Writing into a Vec cannot fail, and every scalar is UTF-8.
            let _ = write_scalar(&mut buf, other);
            String::from_utf8_lossy(&buf).into_owned()
        }
    };
    clean(text)
}

/// Nested data in a single-object table, as lines people read: an object as one `key: value`
/// line per entry, a list of objects as one line per item (`key: value, key: value`); anything
/// else as compact JSON. Each line is [`clean`]: the vendor's text never breaks one.
fn readable(nested: &serde_json::Value) -> String {
    use serde_json::Value as J;
    fn inline(v: &J) -> String {
        match v {
            J::String(s) => s.clone(),
            J::Object(m) => m
                .iter()
                .map(|(k, v)| format!("{k}: {}", inline(v)))
                .collect::<Vec<_>>()
                .join(", "),
            other => other.to_string(),
        }
    }
    match nested {
        J::Object(m) if !m.is_empty() => m
            .iter()
            .map(|(k, v)| clean(format!("{k}: {}", inline(v))))
            .collect::<Vec<_>>()
            .join("\n"),
        J::Array(items) if !items.is_empty() && items.iter().all(J::is_object) => items
            .iter()
            .map(|item| clean(inline(item)))
            .collect::<Vec<_>>()
            .join("\n"),
        other => clean(other.to_string()),
    }
}

/// A vendor's text as a table shows it: ESC, CR, LF, any other control character and the bidi
/// overrides made visible the way error messages show them ([`visible`]: `\e`, `\r`, `\n`,
/// `\u{202e}`), so that a campaign name cannot clear the screen, overwrite a line or reorder
/// what follows it; tabs become spaces. CSV and JSON keep the bytes exact.
fn clean(text: String) -> String {
    let text = if text.contains('\t') {
        text.replace('\t', " ")
    } else {
        text
    };
    match visible(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(shown) => shown,
    }
}

#[cfg(test)]
mod tests {
    use crate::output::tests::{render, rows, spec};
    use crate::output::{Format, Shape, Value};

    fn with_fields(fields: &[&str]) -> crate::output::OutputSpec {
        let mut spec = spec(Format::Table);
        spec.fields = Some(fields.iter().map(|f| f.to_string()).collect());
        spec
    }

    #[test]
    fn table_shows_rates_as_percentages_and_right_aligns_counts() {
        let out = render(&spec(Format::Table), Shape::List, rows());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{out}");
        assert!(
            lines[0].starts_with("contact         sent  read_rate  sent_at  "),
            "{out}"
        );
        assert!(
            lines[1].starts_with("─────────────── ───── ────────── ───"),
            "{out}"
        );
        assert_eq!(
            lines[3],
            "Ana, \"la jefa\"     7     50.00%  2026-04-02 08:00:00  2026-04-02  no       \
             [1,2]                               =SUM(A1)"
        );
        assert!(lines[2].starts_with("+573001234567   1200     66.67%  2026-04-01 13:05:00"));
    }

    #[test]
    fn table_of_a_single_object_lists_field_value_pairs() {
        let spec = with_fields(&["contact", "sent", "read_rate", "engaged", "error"]);
        assert_eq!(
            render(&spec, Shape::Object, vec![rows().remove(0)]),
            "field      value\n\
             ────────── ──────────────\n\
             contact    +573001234567\n\
             sent       1200\n\
             read_rate  66.67%\n\
             engaged    yes\n\
             error\n"
        );
    }

    #[test]
    fn table_of_a_single_object_shows_nested_data_as_lines() {
        let spec = with_fields(&["contact", "attributes"]);
        let mut row = rows().remove(0);
        row[6] = Value::Json(serde_json::json!({"duplicates": 3, "meta_errors": 10}));
        let out = render(&spec, Shape::Object, vec![row.clone()]);
        assert!(
            out.ends_with("attributes  duplicates: 3\n            meta_errors: 10\n"),
            "{out}"
        );
        row[6] = Value::Json(serde_json::json!([
            {"card_id": 1, "button_name": "Sí"},
            {"card_id": 2, "button_name": "No\u{1b}"}
        ]));
        let out = render(&spec, Shape::Object, vec![row]);
        assert!(
            out.ends_with(
                "attributes  button_name: Sí, card_id: 1\n            button_name: No\\e, card_id: 2\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn table_of_an_empty_list_is_the_header_alone() {
        let spec = with_fields(&["contact", "sent"]);
        assert_eq!(
            render(&spec, Shape::List, vec![]),
            "contact  sent\n──────── ─────\n"
        );
    }

    #[test]
    fn table_fits_the_terminal_by_wrapping_text_not_numbers_or_instants() {
        let mut spec = spec(Format::Table);
        spec.terminal_width = Some(100);
        let out = render(&spec, Shape::List, rows());
        assert!(out.lines().all(|line| line.chars().count() <= 100), "{out}");
        assert!(out.contains("2026-04-01 13:05:00"), "{out}");
        assert!(out.contains("66.67%"), "{out}");
    }

    #[test]
    fn table_survives_any_terminal_width() {
        for width in 0..=120 {
            let mut spec = spec(Format::Table);
            spec.terminal_width = Some(width);
            let out = render(&spec, Shape::List, rows());
            assert!(out.lines().count() >= 4, "{width}: {out}");
        }
    }

    #[test]
    fn table_cells_cannot_carry_terminal_control_characters() {
        let spec = with_fields(&["contact"]);
        let mut row = rows().remove(0);
        row[0] = Value::Text("a\u{1b}[31mred\tb".into());
        let out = render(&spec, Shape::List, vec![row]);
        assert_eq!(out.lines().nth(2), Some("a\\e[31mred b"));
    }

    #[test]
    fn a_campaign_name_that_clears_the_screen_or_rewrites_its_line_is_shown_not_obeyed() {
        let spec = with_fields(&["contact", "sent"]);
        let mut row = rows().remove(0);
        row[0] = Value::Text("Promo\u{1b}[2J\rwa-analytics: done\n\u{202e}evil\u{9b}".into());
        let out = render(&spec, Shape::List, vec![row.clone()]);
        assert_eq!(
            out,
            "contact                                             sent\n\
             ─────────────────────────────────────────────────── ─────\n\
             Promo\\e[2J\\rwa-analytics: done\\n\\u{202e}evil\\u{9b}  1200\n"
        );
        // A single object too, and CSV keeps the bytes as the vendor sent them.
        let out = render(&spec, Shape::Object, vec![row.clone()]);
        assert!(
            out.contains("contact  Promo\\e[2J\\rwa-analytics: done\\n\\u{202e}evil\\u{9b}\n"),
            "{out}"
        );
        let mut csv = spec.clone();
        csv.format = Some(Format::Csv);
        let out = render(&csv, Shape::List, vec![row]);
        assert!(
            out.contains("\"Promo\u{1b}[2J\rwa-analytics: done\n\u{202e}evil\u{9b}\",1200"),
            "{out:?}"
        );
    }
}
