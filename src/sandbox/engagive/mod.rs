//! Engagive's WhatsApp Business Platform API (vendors.md Part 1 "Engagive", Part 2 §5), under
//! `/engagive`, which stands for `https://stage.api.engagive.io/api/business/public`.
//!
//! - Every request needs `Authorization: Bearer` with [`ENGAGIVE_TOKEN`] (missing, malformed or
//!   wrong → 401); an `{account_id}` other than [`ENGAGIVE_ACCOUNT_ID`] → 403 (Part 2 §5.2).
//! - Bodies are the envelope `{"success":true,"statusCode":200,"message":…,"data":…}` with
//!   `pagination` on lists and `metaResponse` on sends; errors are
//!   `{"success":false,"statusCode":S,"message":"…"}` (Part 1).
//! - Lists (templates, template contents and the three lookups) take `page` (1-based) and
//!   `per_page` (default 20, at most 100; anything else → 400) and answer
//!   `"pagination":{"page","per_page","total","total_pages"}`; a page past the end is empty.
//!   Templates and contents take `search` (case-insensitive; templates by name or code, contents
//!   by text or language code). The catalogue is in `data.rs`.
//! - The sends (`messages/send-template`, `send-reaction`, `send-single`) are in `send.rs`.
//!   Sending anything to [`ENGAGIVE_FAILING_NUMBER`](credentials::ENGAGIVE_FAILING_NUMBER)
//!   (with or without the `+`) fails with **502** and Meta's error object in `metaResponse`
//!   (code 131026, "Message undeliverable"), the deterministic way to exercise that path; a
//!   template send whose parameters do not match the template's `{{n}}` placeholders is a 502
//!   with Meta's 132000.

pub(crate) mod credentials;
mod data;
mod send;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};

use self::credentials::{ENGAGIVE_ACCOUNT_ID, ENGAGIVE_TOKEN};
use self::data::{CATEGORIES, LANGUAGES, Template};
use crate::sandbox::data::Salt;
use crate::sandbox::fault::Injected;
use crate::sandbox::util::{self, Params};
use crate::sandbox::{Shared, VendorSandbox};
use crate::vendor::Vendor;

/// `per_page` when the request names none, and its maximum (Part 1).
const DEFAULT_PER_PAGE: u64 = 20;
const MAX_PER_PAGE: u64 = 100;

/// Engagive's sandbox, as the shared plumbing sees it.
pub(crate) static SANDBOX: VendorSandbox = VendorSandbox {
    vendor: Vendor::Engagive,
    // 5: the data stays what it was when salts were positions in the vendor list.
    salt: Salt(5),
    routes: router,
    outer: None,
    fault_body,
    posts_are_writes: true,
    credentials: credentials::CREDENTIALS,
    profile_keys: super::no_profile_keys,
};

/// Engagive's envelope for an injected error: `{"success":false,"statusCode","message"}`.
fn fault_body(f: &Injected) -> Value {
    json!({"success": false, "statusCode": f.code(), "message": f.message})
}

/// The Engagive routes, authenticated.
pub(crate) fn router(st: Arc<Shared>) -> Router {
    let acc = "/channels/whatsapp/accounts/{account}";
    let t = format!("{acc}/templates");
    Router::new()
        .route(&t, get(templates))
        .route(&format!("{t}/lookups/categories"), get(categories))
        .route(
            &format!("{t}/lookups/categories/{{category}}/options"),
            get(category_options),
        )
        .route(&format!("{t}/{{code}}"), get(template))
        .route(&format!("{t}/{{code}}/contents"), get(contents))
        .route(
            &format!("{t}/{{code}}/contents/lookups/languages"),
            get(languages),
        )
        .route(
            &format!("{acc}/messages/send-template"),
            post(send::send_template),
        )
        .route(
            &format!("{acc}/messages/send-reaction"),
            post(send::send_reaction),
        )
        .route(
            &format!("{acc}/messages/send-single"),
            post(send::send_single),
        )
        .fallback(|| async { failure(StatusCode::NOT_FOUND, "Route not found") })
        .layer(middleware::from_fn(auth))
        .with_state(st)
}

/// `{"success":false,"statusCode":S,"message":"…"}` (Part 1).
pub(crate) fn failure(status: StatusCode, message: impl Into<String>) -> Response {
    let message = message.into();
    util::json(
        status,
        json!({"success": false, "statusCode": status.as_u16(), "message": message}),
    )
}

/// 400 with a message.
pub(crate) fn bad(message: impl Into<String>) -> Response {
    failure(StatusCode::BAD_REQUEST, message)
}

/// A success envelope; `extra` adds `pagination` or `metaResponse` (Part 2 §5.2).
pub(crate) fn success(message: &str, data: Value, extra: Option<(&str, Value)>) -> Response {
    let mut body = json!({"success": true, "statusCode": 200, "message": message, "data": data});
    if let Some((key, value)) = extra {
        body[key] = value;
    }
    util::json(StatusCode::OK, body)
}

/// Bearer token first (401), then the account of the path (403), then the route.
async fn auth(req: Request, next: Next) -> Response {
    if util::auth_token(req.headers(), "Bearer") != Some(ENGAGIVE_TOKEN) {
        return failure(
            StatusCode::UNAUTHORIZED,
            "Unauthorized: missing, invalid or expired bearer token",
        );
    }
    let path = req.uri().path();
    if let Some(rest) = path.strip_prefix("/channels/whatsapp/accounts/") {
        let raw = rest.split('/').next().unwrap_or("");
        let account = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
        if account != ENGAGIVE_ACCOUNT_ID {
            return failure(
                StatusCode::FORBIDDEN,
                format!(
                    "Forbidden: this token's organization has no access to WhatsApp account '{account}'"
                ),
            );
        }
    }
    next.run(req).await
}

/// `page` and `per_page` of a list request.
struct Paging {
    page: u64,
    per_page: u64,
}

fn paging(p: &Params) -> Result<Paging, Response> {
    let num = |name: &str, default: u64| -> Result<u64, Response> {
        match p.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| bad(format!("'{name}' must be a positive integer, got '{v}'"))),
        }
    };
    let page = num("page", 1)?;
    let per_page = num("per_page", DEFAULT_PER_PAGE)?;
    if per_page > MAX_PER_PAGE {
        return Err(bad(format!(
            "'per_page' may be at most {MAX_PER_PAGE}, got {per_page}"
        )));
    }
    Ok(Paging { page, per_page })
}

/// One page of `items` in the envelope, with `pagination` (Part 1).
fn page_of(message: &str, items: Vec<Value>, p: &Params) -> Response {
    let paging = match paging(p) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let total = items.len() as u64;
    let skip = (paging.page - 1).saturating_mul(paging.per_page);
    let data: Vec<Value> = items
        .into_iter()
        .skip(usize::try_from(skip).unwrap_or(usize::MAX))
        .take(paging.per_page as usize)
        .collect();
    success(
        message,
        Value::Array(data),
        Some((
            "pagination",
            json!({
                "page": paging.page,
                "per_page": paging.per_page,
                "total": total,
                "total_pages": total.div_ceil(paging.per_page),
            }),
        )),
    )
}

/// `search`, lower-cased, when present and not blank.
fn search(p: &Params) -> Option<String> {
    p.get("search")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase)
}

/// A template object as documented (Part 2 §5.3).
fn template_json(t: &Template) -> Value {
    json!({
        "id": t.id,
        "code": t.code,
        "name": t.name,
        "category_code": t.category,
        "option_code": t.option,
        "parameter_format_code": "POSITIONAL",
        "status": t.status,
    })
}

fn not_found(code: &str) -> Response {
    failure(
        StatusCode::NOT_FOUND,
        format!("Template '{code}' not found"),
    )
}

fn known(st: &Shared, code: &str) -> Result<Template, Response> {
    data::find(st, code).ok_or_else(|| not_found(code))
}

/// `GET …/templates?search&page&per_page`.
async fn templates(State(st): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref());
    let needle = search(&p);
    let items = data::catalog(&st)
        .iter()
        .filter(|t| {
            needle.as_ref().is_none_or(|n| {
                t.name.to_lowercase().contains(n) || t.code.to_lowercase().contains(n)
            })
        })
        .map(template_json)
        .collect();
    page_of("Templates retrieved", items, &p)
}

/// `GET …/templates/{code}`.
async fn template(
    State(st): State<Arc<Shared>>,
    Path((_, code)): Path<(String, String)>,
) -> Response {
    match known(&st, &code) {
        Ok(t) => success("Template retrieved", template_json(&t), None),
        Err(e) => e,
    }
}

/// `GET …/templates/{code}/contents?search&page&per_page`.
async fn contents(
    State(st): State<Arc<Shared>>,
    Path((_, code)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    let t = match known(&st, &code) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let p = Params::parse(q.as_deref());
    let needle = search(&p);
    let draft = t.is_draft();
    let items = t
        .contents
        .iter()
        .filter(|(_, lang, text)| {
            needle
                .as_ref()
                .is_none_or(|n| text.to_lowercase().contains(n) || lang.to_lowercase().contains(n))
        })
        .map(|(id, lang, text)| json!({"id": id, "lang_code": lang, "text": text, "is_draft": draft}))
        .collect();
    page_of("Template contents retrieved", items, &p)
}

/// `GET …/templates/lookups/categories`.
async fn categories(RawQuery(q): RawQuery) -> Response {
    let items = CATEGORIES
        .iter()
        .map(|(code, label, _)| json!({"code": code, "label": label}))
        .collect();
    page_of("Categories retrieved", items, &Params::parse(q.as_deref()))
}

/// `GET …/templates/lookups/categories/{category}/options`.
async fn category_options(
    Path((_, category)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    let Some((code, _, options)) = CATEGORIES.iter().find(|(c, _, _)| *c == category) else {
        return failure(
            StatusCode::NOT_FOUND,
            format!("Category '{category}' not found"),
        );
    };
    let items = options
        .iter()
        .map(|(o, label)| json!({"code": o, "label": label, "category_code": code}))
        .collect();
    page_of(
        "Category options retrieved",
        items,
        &Params::parse(q.as_deref()),
    )
}

/// `GET …/templates/{code}/contents/lookups/languages`: the languages content can be written
/// in (the same list for every template; an unknown template is 404).
async fn languages(
    State(st): State<Arc<Shared>>,
    Path((_, code)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    if let Err(e) = known(&st, &code) {
        return e;
    }
    let items = LANGUAGES
        .iter()
        .map(|(code, label)| json!({"code": code, "label": label}))
        .collect();
    page_of("Languages retrieved", items, &Params::parse(q.as_deref()))
}
