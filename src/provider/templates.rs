//! The template-catalogue capability family (`templates …` commands): WhatsApp message templates,
//! their per-language contents, and the lookups used to create them (categories, category
//! options, content languages). Engagive serves it (vendors.md Part 2 §5.3); a vendor exposes it
//! through [`super::AnalyticsProvider::template_catalog`].
//!
//! Records follow the output contract (product.md, "Records"): a template is `code, name,
//! category, language, status`, then the vendor-only fields the provider declares through
//! [`super::AnalyticsProvider::extra_fields`].

use async_trait::async_trait;

use super::model::text;
use super::{ProviderError, Record, RecordStream};
use crate::output::{FieldDef, FieldKind, Value};

/// Parameters of a template or content listing.
#[derive(Debug, Clone, Default)]
pub struct TemplateQuery {
    /// The vendor's own filter (Engagive: templates by name or code, contents by text).
    pub search: Option<String>,
    /// Items per request, within the vendor's maximum (the maximum when `None`).
    pub page_size: Option<u64>,
}

/// One message template (`templates list`, `templates show`).
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// The stable code templates are addressed by.
    pub code: String,
    /// The display name.
    pub name: Option<String>,
    /// The category code (`MARKETING`, `UTILITY`, `AUTHENTICATION`).
    pub category: Option<String>,
    /// The template's language, where the vendor gives one per template (Engagive keeps
    /// languages per content: see `templates contents`).
    pub language: Option<String>,
    /// Review status in the vendor's words (`approved`, `pending`, …).
    pub status: Option<String>,
    /// Vendor-only fields, in the order the provider declares them.
    pub extra: Vec<Value>,
}

/// One language version of a template (`templates contents`).
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateContent {
    /// The language code (`en`, `en_US`).
    pub language: Option<String>,
    /// The text, placeholders (`{{1}}`) included.
    pub text: Option<String>,
    /// Whether the content is a draft not yet submitted.
    pub is_draft: Option<bool>,
    /// Vendor-only fields, in the order the provider declares them.
    pub extra: Vec<Value>,
}

/// An entry of a lookup list (`templates categories`, `category-options`, `languages`).
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    /// The code to use in requests.
    pub code: String,
    /// The label people read.
    pub label: Option<String>,
    /// Vendor-only fields (a category option's `category`), as the provider declares them.
    pub extra: Vec<Value>,
}

/// A vendor's template catalogue. Lists are streams that fetch every page on demand.
#[async_trait]
pub trait TemplateCatalog: Send + Sync {
    /// Every template (matching `query.search`).
    fn templates<'a>(&'a self, query: &'a TemplateQuery) -> RecordStream<'a, Template>;

    /// One template by code ([`super::ErrorKind::NotFound`] when unknown).
    async fn template(&self, code: &str) -> Result<Template, ProviderError>;

    /// The per-language contents of one template.
    fn contents<'a>(
        &'a self,
        code: &'a str,
        query: &'a TemplateQuery,
    ) -> RecordStream<'a, TemplateContent>;

    /// The template categories.
    fn categories(&self) -> RecordStream<'_, Lookup>;

    /// The options of one category.
    fn category_options<'a>(&'a self, category: &'a str) -> RecordStream<'a, Lookup>;

    /// The languages content may be written in, as the vendor lists them for `template`.
    fn languages<'a>(&'a self, template: &'a str) -> RecordStream<'a, Lookup>;
}

impl Record for Template {
    fn common_fields() -> Vec<FieldDef> {
        vec![
            FieldDef::new(
                "code",
                FieldKind::Text,
                "the template's code (what other commands take)",
            ),
            FieldDef::new("name", FieldKind::Text, "display name"),
            FieldDef::new(
                "category",
                FieldKind::Text,
                "category code: MARKETING, UTILITY, AUTHENTICATION",
            ),
            FieldDef::new(
                "language",
                FieldKind::Text,
                "the template's language, where the vendor has one per template",
            ),
            FieldDef::new(
                "status",
                FieldKind::Text,
                "review status in the vendor's words (approved, pending, rejected, …)",
            ),
        ]
    }

    fn into_row(self) -> Vec<Value> {
        let mut row = vec![
            Value::Text(self.code),
            text(self.name),
            text(self.category),
            text(self.language),
            text(self.status),
        ];
        row.extend(self.extra);
        row
    }

    /// A template is its code, in its language where it has one (a vendor may list
    /// one code in several languages).
    fn identity<H: std::hash::Hasher>(&self, h: &mut H) -> bool {
        use std::hash::Hash;
        (&self.code, &self.language).hash(h);
        true
    }
}

impl Record for TemplateContent {
    fn common_fields() -> Vec<FieldDef> {
        vec![
            FieldDef::new(
                "language",
                FieldKind::Text,
                "language code of this content (en, en_US, …)",
            ),
            FieldDef::new(
                "text",
                FieldKind::Text,
                "the text, with {{1}}-style placeholders",
            ),
            FieldDef::new(
                "is_draft",
                FieldKind::Bool,
                "whether it is a draft not yet submitted",
            ),
        ]
    }

    fn into_row(self) -> Vec<Value> {
        let mut row = vec![
            text(self.language),
            text(self.text),
            self.is_draft.map_or(Value::Null, Value::Bool),
        ];
        row.extend(self.extra);
        row
    }

    /// A template's content is its language (Engagive addresses contents by it).
    fn identity<H: std::hash::Hasher>(&self, h: &mut H) -> bool {
        use std::hash::Hash;
        let Some(language) = &self.language else {
            return false;
        };
        language.hash(h);
        true
    }
}

impl Record for Lookup {
    fn common_fields() -> Vec<FieldDef> {
        vec![
            FieldDef::new("code", FieldKind::Text, "the code to use in commands"),
            FieldDef::new("label", FieldKind::Text, "what it is called"),
        ]
    }

    fn into_row(self) -> Vec<Value> {
        let mut row = vec![Value::Text(self.code), text(self.label)];
        row.extend(self.extra);
        row
    }

    /// An entry is its code.
    fn identity<H: std::hash::Hasher>(&self, h: &mut H) -> bool {
        use std::hash::Hash;
        self.code.hash(h);
        true
    }
}
