//! Engagive's WhatsApp Business Platform API (seeds/engagive.txt; vendors.md Part 1 "Engagive"
//! and Part 2 §5): the template catalogue (templates, contents, lookups) under
//! `/channels/whatsapp/accounts/{account_id}/templates`, and outbound messages (send-template,
//! send-reaction, send-single) under `…/messages`. Engagive documents no analytics, so the
//! unified analytics commands are not supported (exit 2, naming what is).

mod client;
mod mapping;
mod pager;
mod send;
mod wire;

use std::sync::Arc;

use async_trait::async_trait;

use crate::config::Profile;
use crate::http::encode;
use crate::http::{ApiRequest, HttpOptions};
use crate::output::{FieldDef, FieldKind};
use crate::provider::templates::{
    Lookup, Template, TemplateCatalog, TemplateContent, TemplateQuery,
};
use crate::provider::write::{PreparedWrite, WriteApi, WriteCommand, WriteReceipt};
use crate::provider::{
    Adapter, AnalyticsProvider, Capabilities, ErrorKind, Operation, ProviderError, RecordStream,
    Support, Vendor, failed_stream, unsupported,
};

use client::EngagiveClient;
use pager::{Convert, ListSpec};

/// The vendor's display name in messages.
const VENDOR: &str = "Engagive";

/// "per_page … at most 100" (vendors.md Part 1); the adapter asks for the most by default.
pub const MAX_PAGE_SIZE: u64 = 100;

/// Engagive as the tool knows it: its template catalogue and outbound messages, natively. It
/// documents no analytics.
pub const ADAPTER: Adapter = Adapter {
    vendor: Vendor::Engagive,
    capabilities: Capabilities {
        operations: &[
            (Operation::TemplatesList, Support::Native),
            (Operation::TemplatesShow, Support::Native),
            (Operation::TemplatesContents, Support::Native),
            (Operation::TemplateCategories, Support::Native),
            (Operation::TemplateCategoryOptions, Support::Native),
            (Operation::TemplateLanguages, Support::Native),
            (Operation::SendTemplate, Support::Native),
            (Operation::SendReaction, Support::Native),
            (Operation::SendMessage, Support::Native),
        ],
        native_rates: false,
        concurrency_limit: None,
    },
    extra_fields,
    mapping: mapping::MAPPING,
    request_limit: None,
    default_ranges: &[],
    build: |profile, http| Ok(Arc::new(Engagive::new(profile, http)?)),
};

/// Engagive's own fields after the common ones: its ids and codes.
fn extra_fields(op: Operation) -> Vec<FieldDef> {
    match op {
        Operation::TemplatesList | Operation::TemplatesShow => vec![
            FieldDef::new("id", FieldKind::Text, "Engagive's numeric template id"),
            FieldDef::new(
                "option_code",
                FieldKind::Text,
                "the category option (STANDARD, …)",
            ),
            FieldDef::new(
                "parameter_format_code",
                FieldKind::Text,
                "how placeholders are written (POSITIONAL: {{1}}, {{2}}, …)",
            ),
        ],
        Operation::TemplatesContents => vec![FieldDef::new(
            "id",
            FieldKind::Text,
            "Engagive's content id",
        )],
        Operation::TemplateCategoryOptions => vec![FieldDef::new(
            "category",
            FieldKind::Text,
            "the category the option belongs to",
        )],
        _ => Vec::new(),
    }
}

/// The Engagive provider.
#[derive(Debug)]
pub struct Engagive {
    client: EngagiveClient,
    /// `/channels/whatsapp/accounts/{account_id}`, the account id encoded as one segment.
    account_path: String,
}

impl Engagive {
    /// A provider for an engagive profile.
    pub fn new(profile: &Profile, options: &HttpOptions) -> Result<Engagive, ProviderError> {
        let account = profile
            .plain("account_id")
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .ok_or_else(|| {
                ProviderError::new(
                    ErrorKind::InvalidRequest,
                    VENDOR,
                    format!("profile '{}' has no account_id", profile.name),
                )
                .with_hint("copy the WhatsApp account id from the account's HTTP API tab in the Engagive portal")
            })?;
        Ok(Engagive {
            client: EngagiveClient::new(profile, options)?,
            account_path: format!("/channels/whatsapp/accounts/{}", encode::segment(account)),
        })
    }

    fn templates_path(&self) -> String {
        format!("{}/templates", self.account_path)
    }

    /// `…/templates/{code}`, or a usage error for an empty code (which would list instead).
    fn template_path(&self, code: &str) -> Result<String, ProviderError> {
        if code.trim().is_empty() {
            return Err(ProviderError::new(
                ErrorKind::InvalidRequest,
                VENDOR,
                "the template code is empty",
            )
            .with_hint("pass a code as 'wa-analytics templates list' shows it"));
        }
        Ok(format!(
            "{}/{}",
            self.templates_path(),
            encode::segment(code)
        ))
    }

    /// Every page of a list endpoint as one stream (see `pager.rs`).
    fn paged<'a, T>(
        &'a self,
        path: Result<String, ProviderError>,
        filters: Vec<(&'static str, String)>,
        page_size: Option<u64>,
        what: &'static str,
        convert: Convert<T>,
    ) -> RecordStream<'a, T>
    where
        T: Keyed + Send + 'a,
    {
        let path = match path {
            Ok(p) => p,
            Err(e) => return failed_stream(e),
        };
        let spec = ListSpec {
            path,
            filters,
            per_page: page_size.unwrap_or(MAX_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE),
            what,
        };
        pager::pages::<T>(&self.client, spec, convert)
    }
}

#[async_trait]
impl AnalyticsProvider for Engagive {
    fn vendor(&self) -> Vendor {
        Vendor::Engagive
    }

    /// One template on one page: checks the token (401) and the account (403) cheaply.
    async fn check_credentials(&self) -> Result<(), ProviderError> {
        let req = ApiRequest::get(self.templates_path())
            .query("page", "1")
            .query("per_page", "1");
        self.client.call::<serde_json::Value>(req).await.map(|_| ())
    }

    fn template_catalog(&self) -> Option<&dyn TemplateCatalog> {
        Some(self)
    }

    fn writes(&self) -> Option<&dyn WriteApi> {
        Some(self)
    }

    fn raw_api(&self) -> Option<&dyn crate::provider::raw::RawApi> {
        Some(&self.client)
    }
}

#[async_trait]
impl WriteApi for Engagive {
    fn prepare_write(&self, command: &WriteCommand) -> Result<PreparedWrite, ProviderError> {
        send::prepare(&self.account_path, command, |req| self.client.url(req))
            .unwrap_or_else(|| Err(unsupported(Vendor::Engagive, command.operation())))
    }

    /// Sends once: a write is never retried once it may have reached Engagive (only a 401,
    /// refused before anything is done, is sent again after a token refresh).
    async fn submit_write(&self, write: PreparedWrite) -> Result<WriteReceipt, ProviderError> {
        let (envelope, resp) = self.client.call::<serde_json::Value>(write.request).await?;
        let body = resp.json::<serde_json::Value>(VENDOR)?;
        Ok(send::receipt(write.operation, envelope.text(), body))
    }
}

#[async_trait]
impl TemplateCatalog for Engagive {
    fn templates<'a>(&'a self, query: &'a TemplateQuery) -> RecordStream<'a, Template> {
        self.paged(
            Ok(self.templates_path()),
            search(query),
            query.page_size,
            "templates",
            wire::list_template,
        )
    }

    async fn template(&self, code: &str) -> Result<Template, ProviderError> {
        let req = ApiRequest::get(self.template_path(code)?);
        let (envelope, resp) = self.client.call::<serde_json::Value>(req).await?;
        match envelope.data {
            Some(t) => wire::read_template(
                Operation::TemplatesShow,
                mapping::ONE,
                t,
                &resp.request_line,
            ),
            None => Err(resp.bad_shape(VENDOR, "the answer holds no template (data is missing)")),
        }
    }

    fn contents<'a>(
        &'a self,
        code: &'a str,
        query: &'a TemplateQuery,
    ) -> RecordStream<'a, TemplateContent> {
        self.paged(
            self.template_path(code).map(|p| format!("{p}/contents")),
            search(query),
            query.page_size,
            "contents",
            wire::read_content,
        )
    }

    fn categories(&self) -> RecordStream<'_, Lookup> {
        self.paged(
            Ok(format!("{}/lookups/categories", self.templates_path())),
            Vec::new(),
            None,
            "categories",
            wire::category,
        )
    }

    fn category_options<'a>(&'a self, category: &'a str) -> RecordStream<'a, Lookup> {
        let path = if category.trim().is_empty() {
            Err(ProviderError::new(ErrorKind::InvalidRequest, VENDOR, "the category code is empty")
                .with_hint("pass a code as 'wa-analytics templates categories' shows it (MARKETING, UTILITY, …)"))
        } else {
            Ok(format!(
                "{}/lookups/categories/{}/options",
                self.templates_path(),
                encode::segment(category)
            ))
        };
        self.paged(
            path,
            Vec::new(),
            None,
            "category options",
            wire::category_option,
        )
    }

    fn languages<'a>(&'a self, template: &'a str) -> RecordStream<'a, Lookup> {
        self.paged(
            self.template_path(template)
                .map(|p| format!("{p}/contents/lookups/languages")),
            Vec::new(),
            None,
            "languages",
            wire::language,
        )
    }
}

fn search(query: &TemplateQuery) -> Vec<(&'static str, String)> {
    query
        .search
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| ("search", s.clone()))
        .collect()
}

/// A row with a key that identifies it across pages.
trait Keyed {
    fn key(&self) -> String;
}

/// A template by its code.
impl Keyed for Template {
    fn key(&self) -> String {
        self.code.clone()
    }
}

/// A content by its language (Engagive addresses contents by it).
impl Keyed for TemplateContent {
    fn key(&self) -> String {
        self.language.clone().unwrap_or_default()
    }
}

/// A lookup entry by its code.
impl Keyed for Lookup {
    fn key(&self) -> String {
        self.code.clone()
    }
}
