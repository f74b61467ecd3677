//! Wolkvox `reports_manager.php` (vendors.md Part 1 "Wolkvox", Part 2 §4): chat_14 (WhatsApp
//! click detail), chat_15 (click summary) and campaign_9 (WhatsApp campaign record status),
//! with `date_ini`/`date_end` as inclusive `YYYYMMDDHHMMSS` in the operation's local time (the
//! zone of `--wolkvox-zone`, UTC by default; the rows' times too), at most 31 days, at most
//! 60,000 rows (the oldest, silently), one request in flight per token, and the
//! `{code,error,msg,data}` envelope. With `--variant unknown-schema` the rows come with renamed
//! fields ([`RENAMED`]), as a changed Wolkvox answer would.

pub(crate) mod credentials;
mod local;
mod state;
#[cfg(test)]
mod tests;

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{RawQuery, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use serde_json::{Value, json};

use self::credentials::WOLKVOX_TOKEN;
use self::local::Local;
pub(crate) use self::state::VendorState;
use crate::sandbox::data::{DAY_MS, Draw, Salt, Status, index_window};
use crate::sandbox::fault::Injected;
use crate::sandbox::util::{self, Params};
use crate::sandbox::{SandboxOptions, Shared, Variant, VendorSandbox};
use crate::vendor::Vendor;

/// Wolkvox's sandbox, as the shared plumbing sees it.
pub(crate) static SANDBOX: VendorSandbox = VendorSandbox {
    vendor: Vendor::Wolkvox,
    // 4: the data stays what it was when salts were positions in the vendor list.
    salt: Salt(4),
    routes: router,
    outer: Some(inflight_layer),
    fault_body,
    posts_are_writes: false,
    credentials: credentials::CREDENTIALS,
    profile_keys,
};

/// The operation's zone, when it is not UTC, as the printed profile's `timezone`.
fn profile_keys(options: &SandboxOptions) -> Vec<(&'static str, String)> {
    let zone = options.wolkvox_zone;
    if zone == crate::time::Zone::UTC {
        Vec::new()
    } else {
        vec![("timezone", zone.name())]
    }
}

/// Most rows one call returns (Part 2 §4.1; Part 1: the oldest, silently).
pub(crate) const MAX_ROWS: usize = 60_000;
/// Longest window (Part 1).
const MAX_RANGE_MS: i64 = 31 * DAY_MS;
/// The documented concurrency refusal (Part 2 §4.4, Part 1).
const TOO_MANY: &str = "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)";
/// Clicks generated per campaign row, over the whole span (chat_14).
const CLICKS_PER_ROW: u64 = 4;

/// Wolkvox's envelope for an injected error: `{"code","error","msg"}`, in capitals.
fn fault_body(f: &Injected) -> Value {
    json!({
        "code": f.code().to_string(),
        "error": f.name.replace('_', " "),
        "msg": f.message.to_uppercase(),
    })
}

/// The Wolkvox routes, authenticated.
pub(crate) fn router(st: Arc<Shared>) -> Router {
    Router::new()
        .route("/reports_manager.php", get(reports))
        .fallback(|| async { bad("THE API YOU WANT TO CONSULT DOES NOT EXIST") })
        .layer(middleware::from_fn(auth))
        .with_state(st)
}

/// The numeric id of campaign `index` (campaign_9 `campaign_id`).
pub(crate) fn campaign_id(index: usize) -> u64 {
    3001 + index as u64
}

/// A Wolkvox error envelope (Part 2 §4.4: `{"code","error","msg"}`, `code` a string).
pub(crate) fn error(status: StatusCode, error: &str, msg: &str) -> Response {
    let body = json!({"code": status.as_u16().to_string(), "error": error, "msg": msg});
    util::json(status, body)
}

fn bad(msg: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "BAD REQUEST", msg)
}

/// Missing token → 401, any other than the sandbox's → 403 (Part 2 §4.4).
async fn auth(req: Request, next: Next) -> Response {
    match util::header_str(req.headers(), "wolkvox-token").map(str::trim) {
        None | Some("") => error(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "PLEASE ENTER THE WOLKVOX-TOKEN",
        ),
        Some(t) if t != WOLKVOX_TOKEN => {
            error(StatusCode::FORBIDDEN, "FORBIDDEN", "PLEASE VALIDATE TOKEN")
        }
        Some(_) => next.run(req).await,
    }
}

/// Puts the one-request-in-flight-per-token rule (Part 1) outside `routes`, so it holds through
/// injected latency and faults as well.
pub(crate) fn inflight_layer(routes: Router, st: Arc<Shared>) -> Router {
    routes.layer(middleware::from_fn_with_state(st, inflight))
}

async fn inflight(State(st): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let token = util::header_str(req.headers(), "wolkvox-token").map(str::trim);
    if token != Some(WOLKVOX_TOKEN) {
        return next.run(req).await; // auth answers it
    }
    let Some(_busy) = st.wolkvox.claim(WOLKVOX_TOKEN) else {
        return error(StatusCode::FORBIDDEN, "FORBIDDEN", TOO_MANY);
    };
    // The whole body is built before the handler returns, so releasing here (before it is
    // written) cannot make a client that waits for the response see itself as still busy.
    next.run(req).await
}

/// The envelope of a report; `code` is a string in chat_* and a number in campaign_9.
#[derive(Serialize)]
struct Envelope<T> {
    code: Value,
    error: Option<&'static str>,
    msg: String,
    data: Vec<T>,
}

/// The field names of another schema (`--variant unknown-schema`): campaign_9, chat_14 and
/// chat_15 rows as a changed Wolkvox answer might name their fields.
pub(crate) const RENAMED: &[(&str, &str)] = &[
    ("campaing_id", "campaign"),
    ("telephone", "phone_number"),
    ("status", "record_status"),
    ("errors", "error_detail"),
    ("date", "sent_date"),
    ("last_update", "updated_at"),
    ("source_url", "sourceUrl"),
    ("source_type", "sourceType"),
    ("source_id", "sourceId"),
    ("chat_id", "chatId"),
    ("rp_id", "rpId"),
    ("agent_id", "agentId"),
    ("media_type", "mediaType"),
    ("media_url", "mediaUrl"),
    ("cod_act", "codAct"),
    ("ad_chatbot", "ads_bot"),
    ("ad_agents", "ads_agent"),
    ("post_chatbot", "posts_bot"),
    ("post_agents", "posts_agent"),
    ("total_chatbot", "bot_total"),
    ("total_agents", "agent_total"),
];

/// A row with its fields renamed by [`RENAMED`].
fn renamed<T: Serialize>(row: &T) -> Value {
    match serde_json::to_value(row) {
        Ok(Value::Object(fields)) => Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| {
                    let name = RENAMED.iter().find(|(from, _)| *from == k);
                    (name.map_or(k, |(_, to)| (*to).to_string()), v)
                })
                .collect(),
        ),
        Ok(other) => other,
        Err(_) => Value::Null,
    }
}

fn found<T: Serialize>(st: &Shared, code: Value, data: Vec<T>) -> Response {
    if data.is_empty() {
        // Part 1: the empty window's exact body.
        let body = json!({"code": "200", "error": null, "msg": "0 records were found", "data": []});
        return util::json(StatusCode::OK, body);
    }
    let msg = format!("{} records were found", data.len());
    if st.options.has(Variant::UnknownSchema) {
        let data: Vec<Value> = data.iter().map(renamed).collect();
        let body = Envelope {
            code,
            error: None,
            msg,
            data,
        };
        return (StatusCode::OK, axum::Json(body)).into_response();
    }
    let body = Envelope {
        code,
        error: None,
        msg,
        data,
    };
    (StatusCode::OK, axum::Json(body)).into_response()
}

/// The operation's clock.
fn local(st: &Shared) -> Local {
    Local(st.options.wolkvox_zone)
}

async fn reports(State(st): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref());
    let Some(api) = p.non_empty("api") else {
        return bad("SOME PARAMETERS ARE REQUIRED");
    };
    if !matches!(api, "chat_14" | "chat_15" | "campaign_9") {
        return bad("THE API YOU WANT TO CONSULT DOES NOT EXIST");
    }
    let (Some(ini), Some(end)) = (p.non_empty("date_ini"), p.non_empty("date_end")) else {
        return bad("SOME PARAMETERS ARE REQUIRED");
    };
    let (Some(from), Some(to)) = (util::parse_compact(ini), util::parse_compact(end)) else {
        return bad("THE DATES MUST HAVE THE FORMAT YYYYMMDDHHMMSS");
    };
    if to < from {
        return bad("THE START DATE CANNOT BE GREATER THAN THE END DATE");
    }
    // The span is counted on the operation's clock, as the client counts it.
    if to - from > MAX_RANGE_MS {
        return bad("THE DATE RANGE CANNOT EXCEED 31 DAYS");
    }
    let clock = local(&st);
    let from = clock.instant(from);
    let to = clock.instant(to) + 999; // inclusive to the end of its second
    let st = &*st;
    match api {
        "chat_14" => found(st, json!("200"), clicks(st, from, to, MAX_ROWS)),
        "chat_15" => found(st, json!("200"), click_summary(st, from, to)),
        _ => match p.non_empty("campaign_id") {
            None => bad("SOME PARAMETERS ARE REQUIRED"),
            Some("all") => found(st, json!(200), records(st, None, from, to)),
            Some(id) => match id.parse::<u64>() {
                Ok(id) => found(st, json!(200), records(st, Some(id), from, to)),
                Err(_) => bad("THE CAMPAIGN_ID MUST BE NUMERIC OR all"),
            },
        },
    }
}

/// A campaign_9 row (Part 2 §4.3; `campaing_id` is the vendor's spelling).
#[derive(Serialize)]
struct RecordRow {
    campaing_id: String,
    telephone: String,
    status: &'static str,
    errors: String,
    date: String,
    last_update: String,
}

/// The rows of one campaign (or all, merged oldest first) in the window, at most 60,000.
fn records(st: &Shared, id: Option<u64>, from: i64, to: i64) -> Vec<RecordRow> {
    let campaigns: Vec<_> = st
        .data
        .campaigns()
        .into_iter()
        .filter(|c| id.is_none_or(|id| campaign_id(c.index) == id))
        .collect();
    // A k-way merge of the campaigns' index windows, generating only the rows returned.
    let mut heap = BinaryHeap::new();
    let mut ends = Vec::with_capacity(campaigns.len());
    for (k, c) in campaigns.iter().enumerate() {
        let w = c.window(from, to);
        if !w.is_empty() {
            heap.push(Reverse((c.row_ms(w.start), k, w.start)));
        }
        ends.push(w.end);
    }
    let clock = local(st);
    let mut out = Vec::new();
    while let Some(Reverse((_, k, i))) = heap.pop() {
        if out.len() == MAX_ROWS {
            break;
        }
        let c = &campaigns[k];
        let r = st.data.row(SANDBOX.salt, c, i);
        let o = r.outcome;
        let status = match o.status {
            Status::Error => "failed",
            // Cloud API connectors say "accepted", Gupshup ones "submitted" (Part 2 §4.3).
            Status::Sent if o.bits % 3 == 0 => "submitted",
            Status::Sent => "accepted",
            Status::Delivered => "delivered",
            Status::Read => "read",
        };
        let last = o
            .read_ms
            .or(o.delivered_ms)
            .unwrap_or(o.sent_ms + 1_000 + (o.bits % 20_000) as i64);
        out.push(RecordRow {
            campaing_id: campaign_id(c.index).to_string(),
            telephone: r.contact,
            status,
            errors: r.error.unwrap_or_default(),
            date: clock.fmt(o.sent_ms),
            last_update: clock.fmt(last),
        });
        if i + 1 < ends[k] {
            heap.push(Reverse((c.row_ms(i + 1), k, i + 1)));
        }
    }
    out
}

/// A chat_14 row (Part 2 §4.2, all strings).
#[derive(Serialize)]
struct ClickRow {
    source_url: String,
    source_type: &'static str,
    source_id: String,
    chat_id: String,
    rp_id: String,
    agent_id: String,
    media_type: &'static str,
    media_url: String,
    date: String,
    cod_act: &'static str,
}

/// The clicks in the window: `rows × 4` over the whole span, evenly spaced.
fn click_indices(st: &Shared, from: i64, to: i64) -> (i64, i64, std::ops::Range<u64>) {
    let count = st.data.rows * CLICKS_PER_ROW;
    let start = st.data.start_ms;
    let step = ((st.data.end_ms - start) / count.max(1) as i64).max(1);
    (start, step, index_window(start, step, count, from, to))
}

fn click(st: &Shared, start: i64, step: i64, k: u64) -> ClickRow {
    let mut d = Draw::new(st.data.key(SANDBOX.salt, &[0xC11C, k]));
    let ad = d.percent(70);
    let source = 120_200_000_000_000 + d.below(8) * 1117;
    let video = d.percent(30);
    let agent = if d.percent(35) {
        String::new() // answered by the chatbot
    } else {
        (1040 + d.below(12)).to_string()
    };
    let ext = if video { "mp4" } else { "jpg" };
    ClickRow {
        source_url: if ad {
            format!("https://www.facebook.com/ads/library/?id={source}&utm=wa%20click")
        } else {
            format!("https://www.instagram.com/p/C{source:x}/")
        },
        source_type: if ad { "ad" } else { "post" },
        source_id: source.to_string(),
        chat_id: (700_000 + k).to_string(),
        rp_id: (301 + d.below(3)).to_string(),
        agent_id: agent,
        media_type: if video { "video" } else { "image" },
        media_url: format!("https://media.sandbox.invalid/ads/{source}.{ext}"),
        date: local(st).fmt(start + k as i64 * step),
        cod_act: d.pick(&[
            "Venta",
            "Información",
            "No contesta",
            "Cotización enviada",
            "",
        ]),
    }
}

fn clicks(st: &Shared, from: i64, to: i64, cap: usize) -> Vec<ClickRow> {
    let (start, step, w) = click_indices(st, from, to);
    w.take(cap).map(|k| click(st, start, step, k)).collect()
}

/// chat_15: one row of counts by source type and by who answered (chatbot or agents).
fn click_summary(st: &Shared, from: i64, to: i64) -> Vec<Value> {
    let (start, step, w) = click_indices(st, from, to);
    if w.is_empty() {
        return Vec::new();
    }
    let mut n = [[0u64; 2]; 2]; // [ad, post][chatbot, agents]
    for k in w {
        let c = click(st, start, step, k);
        n[usize::from(c.source_type == "post")][usize::from(!c.agent_id.is_empty())] += 1;
    }
    let s = |v: u64| v.to_string();
    vec![json!({
        "ad_chatbot": s(n[0][0]),
        "ad_agents": s(n[0][1]),
        "post_chatbot": s(n[1][0]),
        "post_agents": s(n[1][1]),
        "total_chatbot": s(n[0][0] + n[1][0]),
        "total_agents": s(n[0][1] + n[1][1]),
    })]
}
