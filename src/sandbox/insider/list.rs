//! Insider's campaign-list (vendors.md Part 1 "Insider": 1-based `page` and `per_page` 1–100,
//! answered with `{"data":[…],"meta":{current_page,last_page,per_page,total}}`; Part 2 §3.3.5
//! for filters and item fields), and the `accounts`/`tags` filters shared with the statistics.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::{account_of, array_field, campaign_id, int_field, status_of};
use crate::sandbox::Shared;
use crate::sandbox::data::{Campaign, hash};
use crate::sandbox::text::TAGS;
use crate::sandbox::util;

/// Default `per_page` (the vendor's sample request uses 20).
const DEFAULT_PER_PAGE: i64 = 20;

fn invalid(what: &str) -> Response {
    super::error(
        StatusCode::BAD_REQUEST,
        "validation failed",
        "3002",
        Some(what.to_string()),
    )
}

/// The campaigns matching `accounts` (sender numbers) and `tags` (ids or names; an unknown name
/// is the forwarded 422 of Part 2 §3.3.2).
pub(crate) fn filter_common(
    st: &Shared,
    m: &Map<String, Value>,
) -> Result<Vec<Campaign>, Response> {
    let accounts = array_field(m, "accounts")?;
    let tags = array_field(m, "tags")?;
    let mut wanted: Vec<&str> = Vec::new();
    for t in tags {
        let name = match t {
            Value::String(s) => TAGS.iter().find(|n| n.eq_ignore_ascii_case(s)).copied(),
            Value::Number(n) => n
                .as_u64()
                .and_then(|id| id.checked_sub(40))
                .and_then(|k| TAGS.get(k as usize).copied()),
            _ => None,
        };
        match (name, t) {
            (Some(n), _) => wanted.push(n),
            (None, Value::String(s)) => {
                let body = json!({
                    "message": "The given data was invalid.",
                    "errors": {"campaignFilters.tags": [format!("The selected tag \"{s}\" is invalid.")]},
                });
                return Err(util::json(StatusCode::UNPROCESSABLE_ENTITY, body));
            }
            (None, _) => wanted.push("\u{0}none"), // an unknown id matches nothing
        }
    }
    Ok(st
        .data
        .campaigns()
        .into_iter()
        .filter(|c| accounts.is_empty() || accounts.iter().any(|a| a == account_of(c.index).0))
        .filter(|c| wanted.is_empty() || c.def.tags.iter().any(|t| wanted.contains(t)))
        .collect())
}

/// `POST …/statistics/campaign-list`.
pub(crate) fn campaign_list(st: &Shared, m: &Map<String, Value>) -> Result<Response, Response> {
    let statuses = array_field(m, "statuses")?;
    let types = array_field(m, "types")?;
    if types.iter().any(|t| t == "all") {
        return Err(invalid("types: all is not supported"));
    }
    let name = m.get("name").and_then(Value::as_str).map(str::to_lowercase);
    let per_page = int_field(m, "per_page")?.unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=100).contains(&per_page) {
        return Err(invalid("per_page must be between 1 and 100"));
    }
    let page = int_field(m, "page")?.unwrap_or(1);
    if page < 1 {
        return Err(invalid("page must be greater than 0"));
    }
    let sort = m
        .get("sort")
        .and_then(Value::as_str)
        .unwrap_or("createDate|desc");
    let (column, direction) = sort.split_once('|').unwrap_or((sort, ""));
    let columns = ["createDate", "campName", "activeDateStart", "activeDateEnd"];
    if !columns.contains(&column) || !matches!(direction, "asc" | "desc") {
        return Err(invalid(
            "sort must be column|direction: createDate, campName, activeDateStart or activeDateEnd, then asc or desc",
        ));
    }
    let mut list: Vec<Campaign> = filter_common(st, m)?
        .into_iter()
        .filter(|c| statuses.is_empty() || statuses.iter().any(|s| s == status_of(c.def.state)))
        .filter(|c| {
            types.is_empty()
                || types
                    .iter()
                    .any(|t| t.as_i64() == Some(c.def.insider_type.into()))
        })
        .filter(|c| {
            name.as_ref()
                .is_none_or(|n| c.def.name.to_lowercase().contains(n))
        })
        .collect();
    list.sort_by(|a, b| {
        let key = |c: &Campaign| match column {
            "createDate" => (c.created_ms, String::new()),
            "campName" => (0, c.def.name.to_lowercase()),
            "activeDateStart" => (c.start_ms, String::new()),
            _ => (c.end_ms, String::new()),
        };
        let o = key(a).cmp(&key(b)).then(a.index.cmp(&b.index));
        if direction == "desc" { o.reverse() } else { o }
    });
    let total = list.len() as i64;
    let last_page = ((total + per_page - 1) / per_page).max(1);
    let lifetime = super::lifetime(st);
    let data: Vec<Value> = list
        .iter()
        .skip(((page - 1) * per_page) as usize)
        .take(per_page as usize)
        .map(|c| item(st, c, lifetime[c.index]))
        .collect();
    let body = json!({
        "data": data,
        "meta": {"current_page": page, "last_page": last_page, "per_page": per_page, "total": total},
    });
    Ok(util::json(StatusCode::OK, body))
}

/// One campaign-list item (Part 2 §3.3.5 field names; dates in Unix seconds).
fn item(st: &Shared, c: &Campaign, sent: u64) -> Value {
    let id = campaign_id(c.index);
    let (phone, phone_name) = account_of(c.index);
    let status = status_of(c.def.state);
    let translation = {
        let mut s = status.to_string();
        s[..1].make_ascii_uppercase();
        s
    };
    let variations: Vec<Value> = ["A", "B"]
        .iter()
        .take(if c.def.insider_type == 2 { 2 } else { 1 })
        .enumerate()
        .map(|(k, v)| {
            json!({"id": id * 10 + k as i64, "builderId": id, "variationId": k + 1, "variation": v})
        })
        .collect();
    let alias = match c.def.insider_type {
        5 => "transactional",
        6 => "otp",
        _ => "standard",
    };
    json!({
        "id": id,
        "campName": c.def.name,
        "createDate": c.created_ms / 1000,
        "activeDateStart": c.sent_ms().unwrap_or(c.start_ms) / 1000,
        "activeDateEnd": c.end_ms / 1000,
        "isActive": i32::from(status == "active"),
        "isTest": 0,
        "neverEnds": i32::from(super::never_ends(c.def.kind)),
        "campaignTypeId": c.def.insider_type,
        "isPinned": c.index == 0,
        "sent": sent,
        "phoneNumber": phone,
        "phoneNumberName": phone_name,
        "status": status,
        "subProductAlias": alias,
        "queryHash": format!("{:016x}", hash(&[st.options.seed, id as u64])),
        "failedReason": null,
        "approvalStatus": null,
        "statusTranslation": translation,
        "personalizationStatus": "ready",
        "variations": variations,
    })
}
