//! Where Engagive's unified fields come from (vendors.md Part 2 §5.3: every answer is the
//! envelope `{success, statusCode, message, data, pagination}`; a list's `data` is an array, one
//! template's an object). The conversion (`wire.rs`) reads every field at the path declared here.

use crate::provider::Operation::{
    TemplateCategories, TemplateCategoryOptions, TemplateLanguages, TemplatesContents,
    TemplatesList, TemplatesShow,
};
use crate::provider::mapping::FieldSource;

/// The templates of `templates list`, the contents of `templates contents` and the entries of
/// the lookups: each an element of `data`.
pub(super) const LIST: &str = "data[].";

/// The template of `templates show`: `data` itself.
pub(super) const ONE: &str = "data.";

const CODE: &str = "the stable code Engagive addresses templates by (URLs take it, not the numeric id); a template without one is unreadable";
const CATEGORY: &str = "Engagive's category_code (also read from 'category')";
const LANGUAGE: &str =
    "Engagive keeps a language per content, not per template: see 'templates contents'";
const STATUS: &str = "in Engagive's words (approved, pending, rejected, …), not normalised";
const ID: &str = "Engagive's numeric id, kept as text; other commands take the code";
const LOOKUP_CODE: &str = "the code to pass to other commands; an entry without one is unreadable";

/// Engagive's template and lookup fields, in output order.
pub(super) const MAPPING: &[FieldSource] = &[
    // templates list
    FieldSource::native(TemplatesList, "code", "data[].code").note(CODE),
    FieldSource::native(TemplatesList, "name", "data[].name"),
    FieldSource::native(TemplatesList, "category", "data[].category_code").note(CATEGORY),
    FieldSource::absent(TemplatesList, "language").note(LANGUAGE),
    FieldSource::native(TemplatesList, "status", "data[].status").note(STATUS),
    FieldSource::native(TemplatesList, "id", "data[].id").note(ID),
    FieldSource::native(TemplatesList, "option_code", "data[].option_code"),
    FieldSource::native(
        TemplatesList,
        "parameter_format_code",
        "data[].parameter_format_code",
    ),
    // templates show
    FieldSource::native(TemplatesShow, "code", "data.code").note(CODE),
    FieldSource::native(TemplatesShow, "name", "data.name"),
    FieldSource::native(TemplatesShow, "category", "data.category_code").note(CATEGORY),
    FieldSource::absent(TemplatesShow, "language").note(LANGUAGE),
    FieldSource::native(TemplatesShow, "status", "data.status").note(STATUS),
    FieldSource::native(TemplatesShow, "id", "data.id").note(ID),
    FieldSource::native(TemplatesShow, "option_code", "data.option_code"),
    FieldSource::native(
        TemplatesShow,
        "parameter_format_code",
        "data.parameter_format_code",
    ),
    // templates contents
    FieldSource::native(TemplatesContents, "language", "data[].lang_code").note(
        "Engagive addresses contents by it (en, en_US; also read from 'language'); a content without one is unreadable",
    ),
    FieldSource::native(TemplatesContents, "text", "data[].text"),
    FieldSource::native(TemplatesContents, "is_draft", "data[].is_draft"),
    FieldSource::native(TemplatesContents, "id", "data[].id")
        .note("Engagive's numeric content id, kept as text"),
    // templates categories
    FieldSource::native(TemplateCategories, "code", "data[].code").note(LOOKUP_CODE),
    FieldSource::native(TemplateCategories, "label", "data[].label"),
    // templates category-options
    FieldSource::native(TemplateCategoryOptions, "code", "data[].code").note(LOOKUP_CODE),
    FieldSource::native(TemplateCategoryOptions, "label", "data[].label"),
    FieldSource::native(TemplateCategoryOptions, "category", "data[].category_code"),
    // templates languages
    FieldSource::native(TemplateLanguages, "code", "data[].code").note(LOOKUP_CODE),
    FieldSource::native(TemplateLanguages, "label", "data[].label"),
];

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value as Json, json};

    use super::super::wire;
    use super::*;
    use crate::output::{FieldKind, Value};
    use crate::provider::mapping::{Source, fields_of, sources_of};
    use crate::provider::{Operation, Record, Vendor};

    /// Every read command Engagive serves.
    const OPS: [Operation; 6] = [
        TemplatesList,
        TemplatesShow,
        TemplatesContents,
        TemplateCategories,
        TemplateCategoryOptions,
        TemplateLanguages,
    ];

    /// The field without which a record of `op` is unreadable.
    fn key(op: Operation) -> &'static str {
        if op == TemplatesContents {
            "language"
        } else {
            "code"
        }
    }

    fn prefix(op: Operation) -> &'static str {
        if op == TemplatesShow { ONE } else { LIST }
    }

    /// The printed record of `op` made from `object`, field by field.
    fn converted(op: Operation, object: Json) -> Vec<(String, Value)> {
        let request = "GET /templates";
        let row = match op {
            TemplatesList => wire::list_template(object, request).map(Record::into_row),
            TemplatesShow => wire::read_template(op, ONE, object, request).map(Record::into_row),
            TemplatesContents => wire::read_content(object, request).map(Record::into_row),
            TemplateCategories => wire::category(object, request).map(Record::into_row),
            TemplateCategoryOptions => wire::category_option(object, request).map(Record::into_row),
            _ => wire::language(object, request).map(Record::into_row),
        };
        let names = fields_of(Vendor::Engagive, op).into_iter().map(|f| f.name);
        names.map(|n| n.to_string()).zip(row.unwrap()).collect()
    }

    /// `field` of `op` at its declared path with a value no other field has; what it prints.
    fn put(object: &mut Map<String, Json>, op: Operation, i: usize, field: &str) -> Value {
        let kind = fields_of(Vendor::Engagive, op)
            .into_iter()
            .find(|f| f.name == field)
            .unwrap()
            .kind;
        let path = crate::provider::mapping::path(MAPPING, op, field);
        let name = path
            .strip_prefix(prefix(op))
            .expect("a field of the record");
        let (wire, printed) = match kind {
            FieldKind::Bool => (json!(i % 2 == 0), Value::Bool(i % 2 == 0)),
            _ => (
                json!(format!("value-{i}")),
                Value::Text(format!("value-{i}")),
            ),
        };
        object.insert(name.to_string(), wire);
        printed
    }

    #[test]
    fn each_declared_path_is_the_field_the_conversion_reads() {
        for op in OPS {
            for (i, source) in sources_of(MAPPING, op).iter().enumerate() {
                let Source::Field(path) = source.source else {
                    continue;
                };
                // The key field (with a value of its own), and this one field.
                let mut object = Map::new();
                let mut expected = vec![(key(op), put(&mut object, op, 100, key(op)))];
                expected.retain(|(f, _)| *f != source.field);
                expected.push((source.field, put(&mut object, op, i, source.field)));
                for (name, value) in converted(op, Json::Object(object)) {
                    let want = expected
                        .iter()
                        .find(|(f, _)| *f == name)
                        .map_or(Value::Null, |(_, v)| v.clone());
                    assert_eq!(value, want, "{op:?} {name} with only {path} given");
                }
            }
        }
    }

    #[test]
    fn an_absent_template_language_is_null_whatever_the_template_holds() {
        for op in [TemplatesList, TemplatesShow] {
            let source = crate::provider::mapping::source_of(MAPPING, op, "language").unwrap();
            assert_eq!(source.source, Source::Absent);
            let row = converted(
                op,
                json!({"code": "c", "lang_code": "en", "language": "en", "languages": ["en"]}),
            );
            let language = &row.iter().find(|(n, _)| n == "language").unwrap().1;
            assert_eq!(language, &Value::Null, "{op:?}");
        }
    }

    #[test]
    fn every_field_of_every_command_is_declared_in_output_order_with_its_key() {
        for op in OPS {
            let declared: Vec<_> = sources_of(MAPPING, op).iter().map(|s| s.field).collect();
            let printed: Vec<_> = fields_of(Vendor::Engagive, op)
                .into_iter()
                .map(|f| f.name.into_owned())
                .collect();
            assert_eq!(declared, printed, "{op:?}");
            assert!(declared.contains(&key(op)), "{op:?}");
        }
    }
}
