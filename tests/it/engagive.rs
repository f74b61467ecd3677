//! Engagive end to end: the real binary against wiremock, every request pinned (method, path,
//! encoded query, Bearer token, exact JSON bodies). `templates`: list, show, contents and the
//! lookups; `paging`: every page, in order, proven complete; `errors`: every error mapping and
//! every refusal before a request; `auth`: `profiles check`, the profile from variables, a
//! missing `account_id`, the token command rerun on a 401; `writes`: the sends; `canaries`: the
//! token never in any output; `numbers`: unreadable records (exit 6) and missing fields (one
//! warning).

mod auth;
mod canaries;
mod errors;
mod numbers;
mod paging;
mod templates;
mod writes;

use serde_json::{Value, json};
use wiremock::Mock;
use wiremock::matchers::{header, method, path};

use crate::support::{Home, RawQuery, run};

/// The account path of the test profile.
pub(super) const ACC: &str = "/channels/whatsapp/accounts/acc-42";

/// An engagive profile `egv` (the default): account `acc-42`, token `tok-1`.
pub(super) fn config(home: &Home, base_url: &str) {
    home.write_config(&format!(
        "default_profile = \"egv\"\n\n[profiles.egv]\nprovider = \"engagive\"\nbase_url = \"{base_url}\"\naccount_id = \"acc-42\"\ntoken = \"tok-1\"\n"
    ));
}

/// A GET of `ACC` + `p` with the Bearer token and an exact raw query.
pub(super) fn egv_get(p: &str, query: &str) -> wiremock::MockBuilder {
    Mock::given(method("GET"))
        .and(path(format!("{ACC}{p}")))
        .and(RawQuery(query.to_string()))
        .and(header("authorization", "Bearer tok-1"))
}

/// A list page in the envelope.
pub(super) fn page(data: Vec<Value>, page: u64, per_page: u64, total: u64, pages: u64) -> Value {
    json!({"success": true, "statusCode": 200, "message": "Templates retrieved", "data": data,
           "pagination": {"page": page, "per_page": per_page, "total": total, "total_pages": pages}})
}

/// Template `i` as Engagive sends it.
pub(super) fn tpl(i: u64) -> Value {
    json!({"id": 100 + i, "code": format!("t_{i:03}"), "name": format!("Template {i}"),
           "category_code": "UTILITY", "option_code": "STANDARD",
           "parameter_format_code": "POSITIONAL", "status": "approved"})
}

pub(super) fn tpls(r: std::ops::Range<u64>) -> Vec<Value> {
    r.map(tpl).collect()
}
