//! Insider One WhatsApp campaign analytics (vendors.md Part 1 "Insider", Part 2 §3): the OAuth
//! token endpoint, and the five statistics endpoints both under `/api/wa/v2/statistics` (bearer
//! token) and `/v1/statistics` (`x-ins-auth-key`). All are POST with a JSON body; errors are
//! `{"message","errorCode"}` with 3001 (parse), 3002 (validation), 3004 (unknown campaign), and
//! 401 `{"message":"unauthorized","errorCode":"3000"}` (Part 1).

pub(crate) mod credentials;
mod list;
mod state;
mod stats;
#[cfg(test)]
mod tests;
mod variants;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Map, Value, json};

use self::credentials::{INSIDER_API_KEY, INSIDER_CLIENT_ID, INSIDER_CLIENT_SECRET, INSIDER_TOKEN};
use self::state::MintRefused;
pub(crate) use self::state::VendorState;
use self::stats::Stats;
use crate::sandbox::data::{Kind, Salt, State as Life};
use crate::sandbox::fault::Injected;
use crate::sandbox::util;
use crate::sandbox::{Shared, VendorSandbox};
use crate::vendor::Vendor;

/// Lifetime of a minted token (Part 2 §3.2).
const TOKEN_TTL: Duration = Duration::from_secs(3600);
/// Mints allowed per client per minute (Part 2 §3.2).
const MINTS_PER_MINUTE: usize = 10;
/// Longest range of overall/transactional/verify ("1 year", read as 365 days).
const MAX_RANGE_S: i64 = 365 * 86_400;
/// Campaign-by-id's default start, 2018-01-01 (Part 2 §3.3.1).
const DEFAULT_START_S: i64 = 1_514_764_800;

/// Insider's sandbox, as the shared plumbing sees it.
pub(crate) static SANDBOX: VendorSandbox = VendorSandbox {
    vendor: Vendor::Insider,
    // 3: the data stays what it was when salts were positions in the vendor list.
    salt: Salt(3),
    routes: router,
    outer: None,
    fault_body,
    posts_are_writes: false,
    credentials: credentials::CREDENTIALS,
    profile_keys: super::no_profile_keys,
};

/// Insider's body for an injected error: its documented rate limit (code 2021) for a 429,
/// `{"message","errorCode"}` otherwise.
fn fault_body(f: &Injected) -> Value {
    if f.code() == 429 {
        json!({"message": "rate limited", "error": {"message": "rate limited", "code": 2021}})
    } else {
        json!({"message": f.message, "errorCode": f.code().to_string()})
    }
}

/// The Insider routes.
pub(crate) fn router(st: Arc<Shared>) -> Router {
    let v2 = Router::new()
        .route("/{endpoint}", post(statistics))
        .layer(middleware::from_fn_with_state(st.clone(), bearer_auth));
    let v1 = Router::new()
        .route("/{endpoint}", post(statistics))
        .layer(middleware::from_fn(key_auth));
    Router::new()
        .route("/auth/token", post(token))
        .nest("/api/wa/v2/statistics", v2)
        .nest("/v1/statistics", v1)
        .fallback(|| async { util::json(StatusCode::NOT_FOUND, json!({"message": "not found"})) })
        .with_state(st)
}

/// An Insider error (`errorCode` is a string, Part 2 §3.4).
pub(crate) fn error(
    status: StatusCode,
    message: &str,
    code: &str,
    errors: Option<String>,
) -> Response {
    let mut body = json!({"message": message, "errorCode": code});
    if let Some(e) = errors {
        body["errors"] = json!(e);
    }
    util::json(status, body)
}

fn unauthorized() -> Response {
    error(StatusCode::UNAUTHORIZED, "unauthorized", "3000", None)
}

fn invalid(what: impl Into<String>) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "validation failed",
        "3002",
        Some(what.into()),
    )
}

fn unparsable(what: impl Into<String>) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "failed to parse request",
        "3001",
        Some(what.into()),
    )
}

async fn bearer_auth(State(st): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let ok = match util::auth_token(req.headers(), "Bearer") {
        Some(t) if t == INSIDER_TOKEN => true,
        Some(t) => st.insider.is_live(t),
        None => false,
    };
    if ok {
        next.run(req).await
    } else {
        unauthorized()
    }
}

async fn key_auth(req: Request, next: Next) -> Response {
    match util::header_str(req.headers(), "x-ins-auth-key").map(str::trim) {
        Some(INSIDER_API_KEY) => next.run(req).await,
        _ => unauthorized(),
    }
}

/// The body as a JSON object (an empty body counts as `{}`); anything else is 3001, worded like
/// the vendor's Go decoder.
pub(crate) fn body_object(body: &Bytes) -> Result<Map<String, Value>, Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => Err(unparsable(format!(
            "json: cannot unmarshal {} into Go value of type request",
            kind_of(&other)
        ))),
        Err(e) => Err(unparsable(format!("invalid character: {e}"))),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// An optional integer field; a value of another JSON type is 3001.
pub(crate) fn int_field(m: &Map<String, Value>, name: &str) -> Result<Option<i64>, Response> {
    match m.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) if n.as_i64().is_some() => Ok(n.as_i64()),
        Some(v) => Err(unparsable(format!(
            "json: cannot unmarshal {} into Go struct field .{name} of type int64",
            kind_of(v)
        ))),
    }
}

/// An optional array field; another type is 3001.
pub(crate) fn array_field<'a>(
    m: &'a Map<String, Value>,
    name: &str,
) -> Result<&'a [Value], Response> {
    match m.get(name) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(v) => Err(unparsable(format!(
            "json: cannot unmarshal {} into Go struct field .{name} of type []interface {{}}",
            kind_of(v)
        ))),
    }
}

/// A 10-digit Unix timestamp field (Part 2 §3.3), required or not.
fn timestamp(m: &Map<String, Value>, name: &str, required: bool) -> Result<Option<i64>, Response> {
    match int_field(m, name)? {
        None if !required => Ok(None),
        Some(v) if (1_000_000_000..=9_999_999_999).contains(&v) => Ok(Some(v)),
        _ => Err(invalid(format!("{name} must be a 10-digit unix timestamp"))),
    }
}

/// `start_time`/`end_time` in seconds, both required, at most a year apart.
fn range(m: &Map<String, Value>) -> Result<(i64, i64), Response> {
    let start = timestamp(m, "start_time", true)?.unwrap_or_default();
    let end = timestamp(m, "end_time", true)?.unwrap_or_default();
    if end <= start {
        return Err(invalid("end_time must be greater than start_time"));
    }
    if end - start > MAX_RANGE_S {
        return Err(invalid("the maximum supported range is 1 year"));
    }
    Ok((start, end))
}

async fn token(State(st): State<Arc<Shared>>, body: Bytes) -> Response {
    let m = match body_object(&body) {
        Ok(m) => m,
        Err(e) => return e,
    };
    let text = |name: &str| {
        m.get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let (Some(id), Some(secret)) = (text("client_id"), text("client_secret")) else {
        return invalid("client_id and client_secret are required");
    };
    let scopes = match array_field(&m, "scopes") {
        Ok(s) => s,
        Err(e) => return e,
    };
    if !scopes.iter().any(|s| s == "wa-stats-api") {
        return invalid("scopes must include wa-stats-api");
    }
    if id != INSIDER_CLIENT_ID || secret != INSIDER_CLIENT_SECRET {
        return unauthorized();
    }
    let access = match st.insider.mint(st.options.seed) {
        Ok(access) => access,
        Err(MintRefused::Broken) => {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error",
                "5000",
                None,
            );
        }
        Err(MintRefused::TooMany(wait)) => {
            let body = json!({
                "message": "rate limited",
                "error": {"message": "rate limited", "code": 2021},
            });
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, wait.to_string())],
                axum::Json(body),
            )
                .into_response();
        }
    };
    util::json(
        StatusCode::OK,
        json!({"access_token": access, "token_type": "Bearer", "expires_in": TOKEN_TTL.as_secs()}),
    )
}

/// The Insider campaign id of campaign `index`.
pub(crate) fn campaign_id(index: usize) -> i64 {
    12345 + index as i64
}

/// The Insider status of a campaign (Part 2 §3.3 statuses).
pub(crate) fn status_of(state: Life) -> &'static str {
    match state {
        Life::Running => "active",
        Life::Completed => "completed",
        Life::Cancelled => "stop",
        Life::Scheduled => "scheduled",
    }
}

/// The sender account of a campaign, and its display name.
pub(crate) fn account_of(index: usize) -> (&'static str, &'static str) {
    if index % 2 == 0 {
        ("+905551112233", "Sandbox TR")
    } else {
        ("+573001112233", "Sandbox CO ☕")
    }
}

async fn statistics(
    State(st): State<Arc<Shared>>,
    Path(endpoint): Path<String>,
    body: Bytes,
) -> Response {
    let m = match body_object(&body) {
        Ok(m) => m,
        Err(e) => return e,
    };
    let result = match endpoint.as_str() {
        "campaign" => campaign(&st, &m),
        "overall" => overall(&st, &m),
        "transactional" => product(&st, &m, 5),
        "verify" => product(&st, &m, 6),
        "campaign-list" => list::campaign_list(&st, &m),
        _ => return util::json(StatusCode::NOT_FOUND, json!({"message": "not found"})),
    };
    result.unwrap_or_else(|e| e)
}

fn ok(m: Map<String, Value>) -> Result<Response, Response> {
    Ok(util::json(StatusCode::OK, Value::Object(m)))
}

/// Campaign by id (Part 2 §3.3.1): lifetime by default, flat; AB tests are conversational.
fn campaign(st: &Shared, m: &Map<String, Value>) -> Result<Response, Response> {
    let id = int_field(m, "campaign_id")?.filter(|id| *id > 0);
    let id = id.ok_or_else(|| invalid("campaign_id is required and must be greater than 0"))?;
    let start = timestamp(m, "start_time", false)?.unwrap_or(DEFAULT_START_S);
    let end = timestamp(m, "end_time", false)?.unwrap_or_else(|| chrono::Utc::now().timestamp());
    if end <= start {
        return Err(invalid("end_time must be greater than start_time"));
    }
    let c = st
        .data
        .campaigns()
        .into_iter()
        .find(|c| campaign_id(c.index) == id)
        .ok_or_else(|| {
            let msg = "campaign not found or does not belong to this partner";
            error(StatusCode::BAD_REQUEST, msg, "3004", None)
        })?;
    let t = stats::tally(st, &[c], start * 1000, end * 1000 + 999);
    let mut out = t.total.flat();
    if c.def.insider_type == 2 {
        stats::conversational(&t.total, &mut out);
    }
    variants::apply(st, &mut out);
    ok(out)
}

/// Overall (Part 2 §3.3.2): chart, summary and per-campaign details, with `campaign_filter`.
fn overall(st: &Shared, m: &Map<String, Value>) -> Result<Response, Response> {
    let (start, end) = range(m)?;
    let empty = Map::new();
    let filter = match m.get("campaign_filter") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(f)) => f,
        Some(v) => {
            return Err(unparsable(format!(
                "json: cannot unmarshal {} into Go struct field .campaign_filter of type filter",
                kind_of(v)
            )));
        }
    };
    let types = array_field(filter, "campaign_type_ids")?;
    let statuses = array_field(filter, "statuses")?;
    let campaigns: Vec<_> = list::filter_common(st, filter)?
        .into_iter()
        .filter(|c| {
            let all = |xs: &[Value]| xs.is_empty() || xs.iter().any(|x| x == "all");
            (all(types)
                || types
                    .iter()
                    .any(|t| t.as_i64() == Some(c.def.insider_type.into())))
                && (all(statuses) || statuses.iter().any(|s| s == status_of(c.def.state)))
        })
        .collect();
    let t = stats::tally(st, &campaigns, start * 1000, end * 1000 + 999);
    let details: Vec<Value> = campaigns
        .iter()
        .zip(&t.per_campaign)
        .filter(|(_, s)| s.targeted > 0)
        .map(|(c, s)| {
            let mut row = Map::new();
            row.insert("campaignId".into(), json!(campaign_id(c.index)));
            row.insert("campName".into(), json!(c.def.name));
            row.insert("campaignTypeId".into(), json!(c.def.insider_type));
            row.insert("status".into(), json!(status_of(c.def.state)));
            row.insert("phoneNumber".into(), json!(account_of(c.index).0));
            row.extend(s.counts());
            Value::Object(row)
        })
        .collect();
    let mut out = Map::new();
    let series = ["sent", "delivered", "open", "click", "conversion"];
    out.insert("chart".into(), stats::chart(&t, &series));
    out.insert("summary".into(), Value::Object(t.total.flat()));
    out.insert("details".into(), json!(details));
    variants::apply(st, &mut out);
    ok(out)
}

/// Transactional (type 5) or verify (OTP, type 6) aggregates (Part 2 §3.3.3–3.3.4): flat.
fn product(st: &Shared, m: &Map<String, Value>, kind: u8) -> Result<Response, Response> {
    let (start, end) = range(m)?;
    let campaigns: Vec<_> = list::filter_common(st, m)?
        .into_iter()
        .filter(|c| c.def.insider_type == kind)
        .collect();
    let t = stats::tally(st, &campaigns, start * 1000, end * 1000 + 999);
    let (mut out, series): (Map<String, Value>, &[&str]) = if kind == 5 {
        let series: &[&str] = &[
            "sent",
            "delivered",
            "open",
            "click",
            "conversion",
            "verified",
            "responses",
            "clickFromResponses",
            "conversionFromResponses",
        ];
        (t.total.flat(), series)
    } else {
        // The docs' verify chart is cut off after `open`: OTP messages are neither opened nor
        // clicked (the flat answer's 0s), and the chart carries both OTP figures.
        let series: &[&str] = &[
            "sent",
            "delivered",
            "open",
            "click",
            "verified",
            "unverified",
        ];
        (t.total.verify(), series)
    };
    let mut chart = stats::chart(&t, series);
    if kind == 6 {
        let zeros = json!(vec![0; t.days.len()]);
        chart["open"] = zeros.clone();
        chart["click"] = zeros;
    }
    out.insert("chart".into(), chart);
    variants::apply(st, &mut out);
    ok(out)
}

/// Whether a campaign never ends (recurrent ones run on).
pub(crate) fn never_ends(kind: Kind) -> bool {
    kind == Kind::Recurrent
}

/// Lifetime counts per campaign, counted once.
pub(crate) fn lifetime(st: &Shared) -> &[u64] {
    st.insider.lifetime_sent.get_or_init(|| {
        st.data
            .campaigns()
            .iter()
            .map(|c| {
                let t = stats::tally(st, std::slice::from_ref(c), c.start_ms, c.end_ms);
                let s: &Stats = &t.total;
                s.sent
            })
            .collect()
    })
}
