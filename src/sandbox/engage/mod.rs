//! Engage (Aivo / agentbot), exactly as vendors.md Part 1 "Engage" decides: `X-Token` plus a
//! bearer JWT, required `from`/`to` (`YYYY-MM-DD HH:MM:SS`, UTC, inclusive), `/campaigns`,
//! `/campaign/{name}/summary`, `/campaign/{name}/details` (JSON or CSV, `limit` ≤ 10,000,
//! 90-day range) and `/stats` (daily or weekly from Monday), errors as
//! `{"error":{"code","message"}}`.
//!
//! With `--variant` it answers as a real account might instead (product.md, "What the numbers
//! mean"): `fraction-rates` gives the summary's rates as fractions of 1 (0.6667); `unknown-schema`
//! names the counts of summaries and stats `<count>_count` (`sent_count`, `read_count`, …);
//! `broken-invariants` counts one more delivered than sent in every summary and bucket that sent
//! anything.

pub(crate) mod credentials;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Datelike;
use serde::Serialize;
use serde_json::{Value, json};

use self::credentials::{ENGAGE_BOT_TOKEN, ENGAGE_JWT};
use crate::sandbox::data::{Campaign, DAY_MS, Kind, Outcome, Salt, Status};
use crate::sandbox::fault::Injected;
use crate::sandbox::util::{self, Params, fmt_sql};
use crate::sandbox::{Shared, Variant, VendorSandbox};
use crate::vendor::Vendor;

/// Engage's sandbox, as the shared plumbing sees it.
pub(crate) static SANDBOX: VendorSandbox = VendorSandbox {
    vendor: Vendor::Engage,
    // 1: the data stays what it was when salts were positions in the vendor list.
    salt: Salt(1),
    routes: router,
    outer: None,
    fault_body,
    posts_are_writes: false,
    credentials: credentials::CREDENTIALS,
    profile_keys: super::no_profile_keys,
};

/// Default and maximum `limit` of details (Part 1).
const DEFAULT_LIMIT: u64 = 1000;
const MAX_LIMIT: u64 = 10_000;
/// Longest details range (Part 1; Part 2 §1.4).
const MAX_DETAILS_RANGE_MS: i64 = 90 * DAY_MS;
/// The CSV header of details (Part 1).
const CSV_HEADER: &str = "contact,name,status,sent_at,delivered_at,read_at,engaged,response,error";

/// Engage's envelope for an injected error: `{"error":{"code","message"}}`.
fn fault_body(f: &Injected) -> Value {
    json!({"error": {"code": f.name, "message": f.message}})
}

/// The Engage routes, authenticated.
pub(crate) fn router(st: Arc<Shared>) -> Router {
    Router::new()
        .route("/campaigns", get(campaigns))
        .route("/campaign/{name}/summary", get(summary))
        .route("/campaign/{name}/details", get(details))
        .route("/stats", get(stats))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "NOT_FOUND", "no such endpoint") })
        .layer(middleware::from_fn(auth))
        .with_state(st)
}

/// An Engage error body (Part 1: `{"error":{"code":"<UPPER_SNAKE>","message":"…"}}`).
pub(crate) fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let message = message.into();
    util::json(status, json!({"error": {"code": code, "message": message}}))
}

fn bad(message: impl Into<String>) -> Response {
    error(StatusCode::BAD_REQUEST, "INVALID_PARAMETER", message)
}

/// Missing or wrong JWT, or no `X-Token` → 401; an `X-Token` of another bot → 403 (Part 1).
async fn auth(req: Request, next: Next) -> Response {
    let headers = req.headers();
    if util::auth_token(headers, "Bearer") != Some(ENGAGE_JWT) {
        return error(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "missing, invalid or expired JWT in Authorization: Bearer",
        );
    }
    match util::header_str(headers, "x-token").map(str::trim) {
        None | Some("") => error(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "missing X-Token (the bot's fixed token)",
        ),
        Some(t) if t != ENGAGE_BOT_TOKEN => error(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "this user may not read the bot identified by X-Token",
        ),
        Some(_) => next.run(req).await,
    }
}

/// The `from`/`to` range in milliseconds, both inclusive (`to` covers its whole second).
struct Window {
    from: i64,
    to: i64,
}

fn window(p: &Params) -> Result<Window, Response> {
    let one = |name: &str| -> Result<i64, Response> {
        let v = p
            .non_empty(name)
            .ok_or_else(|| bad(format!("'{name}' is required (YYYY-MM-DD HH:MM:SS, UTC)")))?;
        util::parse_sql(v).ok_or_else(|| {
            bad(format!(
                "'{name}' must be YYYY-MM-DD HH:MM:SS (UTC), got '{v}'"
            ))
        })
    };
    let (from, to) = (one("from")?, one("to")?);
    if to < from {
        return Err(bad("'to' must not be before 'from'"));
    }
    Ok(Window { from, to: to + 999 })
}

fn kind_filter(p: &Params) -> Result<Option<Kind>, Response> {
    match p.get("type") {
        None | Some("") => Ok(None),
        Some("one-time") => Ok(Some(Kind::OneTime)),
        Some("recurrent") => Ok(Some(Kind::Recurrent)),
        Some(other) => Err(bad(format!(
            "'type' must be one-time or recurrent, got '{other}'"
        ))),
    }
}

fn find(st: &Shared, name: &str) -> Result<Campaign, Response> {
    st.data
        .campaigns()
        .into_iter()
        .find(|c| c.def.name == name)
        .ok_or_else(|| {
            error(
                StatusCode::NOT_FOUND,
                "CAMPAIGN_NOT_FOUND",
                format!("campaign '{name}' does not exist"),
            )
        })
}

/// A UUID-shaped campaign id derived from the seed.
fn campaign_id(st: &Shared, c: &Campaign) -> String {
    let a = st.data.key(SANDBOX.salt, &[c.index as u64, 0xC0FFEE]);
    let b = st.data.key(SANDBOX.salt, &[c.index as u64, 0xBEEF]);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        ((b >> 48) & 0x3fff) | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

async fn campaigns(State(st): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref());
    let (w, kind) = match (window(&p), kind_filter(&p)) {
        (Ok(w), Ok(k)) => (w, k),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    // Every campaign whose sent_at (or created_at if never sent) lies in the range (Part 1).
    let mut list: Vec<(i64, Campaign)> = st
        .data
        .campaigns()
        .into_iter()
        .filter(|c| kind.is_none_or(|k| c.def.kind == k))
        .map(|c| (c.sent_ms().unwrap_or(c.created_ms), c))
        .filter(|(t, _)| (w.from..=w.to).contains(t))
        .collect();
    list.sort_by_key(|(t, c)| (*t, c.index));
    let data: Vec<_> = list
        .iter()
        .map(|(_, c)| {
            json!({
                "id": campaign_id(&st, c),
                "name": c.def.name,
                "type": c.def.kind.as_str(),
                "status": c.def.state.as_str(),
                "created_at": fmt_sql(c.created_ms),
                "sent_at": c.sent_ms().map(fmt_sql),
                "total_contacts": c.contacts,
            })
        })
        .collect();
    util::json(StatusCode::OK, json!({ "data": data }))
}

/// Counts over rows.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    total: u64,
    sent: u64,
    delivered: u64,
    read: u64,
    engaged: u64,
    errors: u64,
}

impl Tally {
    fn add(&mut self, o: &Outcome) {
        self.total += 1;
        match o.status {
            Status::Error => self.errors += 1,
            s => {
                self.sent += 1;
                self.delivered += u64::from(s.delivered());
                self.read += u64::from(s == Status::Read);
            }
        }
        self.engaged += u64::from(o.engaged);
    }
}

/// A percentage with two decimals, 0 when the denominator is 0 (Part 1); a fraction of 1 with
/// four decimals under `--variant fraction-rates`.
fn rate(st: &Shared, num: u64, den: u64) -> f64 {
    if den == 0 {
        return 0.0;
    }
    let (scale, decimals) = if st.options.has(Variant::FractionRates) {
        (1.0, 10_000.0)
    } else {
        (100.0, 100.0)
    };
    (num as f64 * scale * decimals / den as f64).round() / decimals
}

/// The counts as served: under `--variant broken-invariants`, one more delivered than sent
/// wherever anything was sent (a counter that drifted).
fn served(st: &Shared, mut t: Tally) -> Tally {
    if st.options.has(Variant::BrokenInvariants) && t.sent > 0 {
        t.delivered = t.sent + 1;
    }
    t
}

/// The counts of a summary (with `total`) or a bucket, under their documented names, or as
/// `<name>_count` under `--variant unknown-schema`.
fn counts(st: &Shared, t: &Tally, with_total: bool) -> serde_json::Map<String, Value> {
    let unknown = st.options.has(Variant::UnknownSchema);
    let total = with_total.then_some(("total", t.total));
    total
        .into_iter()
        .chain([
            ("sent", t.sent),
            ("delivered", t.delivered),
            ("read", t.read),
            ("engaged", t.engaged),
            ("errors", t.errors),
        ])
        .map(|(name, n)| {
            let key = if unknown {
                format!("{name}_count")
            } else {
                name.to_string()
            };
            (key, json!(n))
        })
        .collect()
}

async fn summary(
    State(st): State<Arc<Shared>>,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let p = Params::parse(q.as_deref());
    let w = match window(&p) {
        Ok(w) => w,
        Err(e) => return e,
    };
    let c = match find(&st, &name) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let mut t = Tally::default();
    for i in c.window(w.from, w.to) {
        t.add(&st.data.outcome(SANDBOX.salt, &c, i));
    }
    let t = served(&st, t);
    let mut data = serde_json::Map::new();
    data.insert("name".into(), json!(c.def.name));
    data.insert("type".into(), json!(c.def.kind.as_str()));
    data.extend(counts(&st, &t, true));
    data.insert("read_rate".into(), json!(rate(&st, t.read, t.delivered)));
    data.insert(
        "engagement_rate".into(),
        json!(rate(&st, t.engaged, t.delivered)),
    );
    data.insert("error_rate".into(), json!(rate(&st, t.errors, t.total)));
    util::json(StatusCode::OK, json!({ "data": data }))
}

/// A details row, fields in the documented order.
#[derive(Serialize)]
struct DetailRow {
    contact: String,
    name: String,
    status: &'static str,
    sent_at: String,
    delivered_at: Option<String>,
    read_at: Option<String>,
    engaged: bool,
    response: Option<String>,
    error: Option<String>,
}

fn number(p: &Params, name: &str, default: u64) -> Result<u64, Response> {
    match p.get(name) {
        None | Some("") => Ok(default),
        Some(v) => v.parse::<u64>().map_err(|_| {
            bad(format!(
                "'{name}' must be a non-negative integer, got '{v}'"
            ))
        }),
    }
}

async fn details(
    State(st): State<Arc<Shared>>,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let p = Params::parse(q.as_deref());
    let checked = (|| {
        let w = window(&p)?;
        let kind = kind_filter(&p)?;
        let limit = number(&p, "limit", DEFAULT_LIMIT)?;
        if limit == 0 {
            return Err(bad("'limit' must be at least 1"));
        }
        if limit > MAX_LIMIT {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "LIMIT_TOO_LARGE",
                format!("'limit' may be at most {MAX_LIMIT} records per request, got {limit}"),
            ));
        }
        let offset = number(&p, "offset", 0)?;
        let csv = match p.get("output") {
            None | Some("") | Some("json") => false,
            Some("csv") => true,
            Some(o) => return Err(bad(format!("'output' must be csv or json, got '{o}'"))),
        };
        if w.to - 999 - w.from > MAX_DETAILS_RANGE_MS {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "RANGE_TOO_LARGE",
                "the range between 'from' and 'to' may be at most 90 days",
            ));
        }
        Ok((w, kind, limit, offset, csv))
    })();
    let (w, kind, limit, offset, csv) = match checked {
        Ok(v) => v,
        Err(e) => return e,
    };
    let c = match find(&st, &name) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let rows = if kind.is_none_or(|k| c.def.kind == k) {
        c.window(w.from, w.to)
    } else {
        0..0
    };
    let total = rows.end - rows.start;
    let first = rows.start + offset.min(total);
    let page = first..(first.saturating_add(limit)).min(rows.end);
    let data: Vec<DetailRow> = page
        .map(|i| {
            let r = st.data.row(SANDBOX.salt, &c, i);
            DetailRow {
                contact: r.contact,
                name: r.name,
                status: r.outcome.status.as_str(),
                sent_at: fmt_sql(r.outcome.sent_ms),
                delivered_at: r.outcome.delivered_ms.map(fmt_sql),
                read_at: r.outcome.read_ms.map(fmt_sql),
                engaged: r.outcome.engaged,
                response: r.response,
                error: r.error,
            }
        })
        .collect();
    if csv {
        return csv_response(&data, total);
    }
    util::json(
        StatusCode::OK,
        json!({"data": data, "pagination": {"limit": limit, "offset": offset, "total": total}}),
    )
}

/// The details page as RFC 4180 CSV, the total in `X-Total-Count` (Part 1).
fn csv_response(rows: &[DetailRow], total: u64) -> Response {
    let mut out = String::with_capacity(64 + rows.len() * 96);
    out.push_str(CSV_HEADER);
    out.push_str("\r\n");
    for r in rows {
        let cells: [&str; 9] = [
            &r.contact,
            &r.name,
            r.status,
            &r.sent_at,
            r.delivered_at.as_deref().unwrap_or(""),
            r.read_at.as_deref().unwrap_or(""),
            if r.engaged { "true" } else { "false" },
            r.response.as_deref().unwrap_or(""),
            r.error.as_deref().unwrap_or(""),
        ];
        for (n, cell) in cells.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            util::csv_cell(&mut out, cell);
        }
        out.push_str("\r\n");
    }
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::HeaderName::from_static("x-total-count"),
                total.to_string(),
            ),
        ],
        out,
    )
        .into_response()
}

async fn stats(State(st): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref());
    let (w, kind) = match (window(&p), kind_filter(&p)) {
        (Ok(w), Ok(k)) => (w, k),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    let weekly = match p.get("frequency") {
        None | Some("") | Some("daily") => false,
        Some("weekly") => true,
        Some(f) => return bad(format!("'frequency' must be daily or weekly, got '{f}'")),
    };
    // Weekly periods start on Monday (Part 1), labelled with the Monday's date.
    let (len, start_of) = if weekly {
        let f: fn(i64) -> i64 = |ms| {
            let day = util::day_floor(ms);
            day - util::utc(day).weekday().num_days_from_monday() as i64 * DAY_MS
        };
        (7 * DAY_MS, f)
    } else {
        (DAY_MS, util::day_floor as fn(i64) -> i64)
    };
    // Periods from the range's first to its last, clipped to the generated span (no data exists
    // outside it, and an unbounded range must not allocate millions of empty buckets).
    let from = w.from.max(st.data.start_ms);
    let to = w.to.min(st.data.end_ms - 1);
    if to < from {
        return util::json(StatusCode::OK, json!({ "data": [] }));
    }
    let first = start_of(from);
    let n = ((start_of(to) - first) / len + 1) as usize;
    let mut buckets = vec![Tally::default(); n];
    for c in st.data.campaigns() {
        if kind.is_some_and(|k| c.def.kind != k) {
            continue;
        }
        for i in c.window(from, to) {
            let o = st.data.outcome(SANDBOX.salt, &c, i);
            buckets[((o.sent_ms - first) / len) as usize].add(&o);
        }
    }
    let data: Vec<_> = buckets
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let mut bucket = serde_json::Map::new();
            bucket.insert(
                "period".into(),
                json!(util::fmt_date(first + k as i64 * len)),
            );
            bucket.extend(counts(&st, &served(&st, *t), false));
            Value::Object(bucket)
        })
        .collect();
    util::json(StatusCode::OK, json!({ "data": data }))
}
