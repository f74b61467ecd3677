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
