//! Engati (vendors.md Part 1 "Engati", Part 2 §2): the raw-key auth, users, conversations paged
//! at the 500 cap, the 1002/1003/1004 validations, and the write APIs' validations.

use serde_json::{Value, json};

use crate::sandbox::tests::*;
use crate::sandbox::{ENGATI_API_KEY, ENGATI_BOT_KEY, ENGATI_CUSTOMER_ID, Sandbox};
use crate::vendor::Vendor;

const V: Vendor = Vendor::Engati;
const FLOW: &str = "0123456789ABCDEF0123456789ABCDEF";

/// `bot-api/v1.0/customer/{cid}/bot/{bot}` + `rest`, as path segments.
fn bot<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    let mut s = vec![
        "bot-api",
        "v1.0",
        "customer",
        ENGATI_CUSTOMER_ID,
        "bot",
        ENGATI_BOT_KEY,
    ];
    s.extend_from_slice(rest);
    s
}

fn whatsapp<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    let mut s = vec![
        "whatsapp-api",
        "v1.0",
        "customer",
        ENGATI_CUSTOMER_ID,
        "bot",
        ENGATI_BOT_KEY,
    ];
    s.extend_from_slice(rest);
    s
}

async fn get(sb: &Sandbox, segments: &[&str], query: &[(&str, &str)]) -> (u16, Value) {
    let req = client()
        .get(url(sb, V, segments, query))
        .header("authorization", format!("Basic {ENGATI_API_KEY}"));
    json_of(req.send().await.unwrap()).await
}

async fn post_json(
    sb: &Sandbox,
    segments: &[&str],
    query: &[(&str, &str)],
    body: Value,
) -> (u16, Value) {
    let req = client()
        .post(url(sb, V, segments, query))
        .header("authorization", format!("Basic {ENGATI_API_KEY}"))
        .json(&body);
    json_of(req.send().await.unwrap()).await
}

/// Asserts an Engati status body: HTTP status, `status.code` and `status.desc`.
fn assert_status(got: &(u16, Value), http: u16, code: u64, desc: &str) {
    assert_eq!(got.0, http, "{}", got.1);
    assert_eq!(got.1["status"]["code"], code, "{}", got.1);
    assert_eq!(got.1["status"]["desc"], desc, "{}", got.1);
}

fn assert_success(got: &(u16, Value)) {
    assert_status(got, 200, 1000, "SUCCESS");
}

/// The messages of `user` in pages of `size`, following Part 1's rule (the last page is the
/// first one shorter than the echoed `page_size`).
async fn walk(sb: &Sandbox, user: &str, size: &str, range: &[(&str, &str)]) -> Vec<Value> {
    let mut all = Vec::new();
    for page in 1.. {
        let n = page.to_string();
        let mut q = vec![("page_number", n.as_str()), ("page_size", size)];
        q.extend_from_slice(range);
        let got = get(sb, &bot(&["channel-user", user, "conversations"]), &q).await;
        assert_success(&got);
        let object = &got.1["responseObject"];
        assert_eq!(object["page_number"], page);
        let echoed = object["page_size"].as_u64().unwrap();
        let rows = object["conversations"].as_array().unwrap();
        assert!(rows.len() as u64 <= echoed);
        all.extend(rows.iter().cloned());
        if (rows.len() as u64) < echoed {
            break;
        }
    }
    all
}

#[tokio::test]
async fn engati_auth_failures() {
    use base64::Engine;
    let sb = sandbox(20).await;
    let u = url(
        &sb,
        V,
        &bot(&["users"]),
        &[("attribute_name", "plan"), ("attribute_value", "gold")],
    );
    let unauthorized = json!({"status": {"code": 401, "desc": "UNAUTHORIZED"}});
    let b64 = base64::engine::general_purpose::STANDARD.encode(ENGATI_API_KEY);
    for auth in [
        None,
        Some("Basic nope".to_string()),
        Some(format!("Bearer {ENGATI_API_KEY}")),
        // Basic of the base64 form (as for user:pass) is not what Engati expects.
        Some(format!("Basic {b64}")),
        Some(ENGATI_API_KEY.to_string()),
    ] {
        let mut req = client().get(u.clone());
        if let Some(a) = &auth {
            req = req.header("authorization", a);
        }
        let got = json_of(req.send().await.unwrap()).await;
        assert_eq!(got, (401, unauthorized.clone()), "{auth:?}");
    }
    // The scheme is case-insensitive; the raw key is what counts.
    let ok = client()
        .get(u)
        .header("authorization", format!("basic {ENGATI_API_KEY}"))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
}

#[tokio::test]
async fn engati_users_match_an_attribute_and_have_the_part_1_fields() {
    let sb = sandbox(60).await;
    let got = get(
        &sb,
        &bot(&["users"]),
        &[("attribute_name", "feedback"), ("attribute_value", "1")],
    )
    .await;
    assert_success(&got);
    let users = got.1["responseObject"]["users"].as_array().unwrap();
    assert!(!users.is_empty() && users.len() < 60, "{}", users.len());
    for user in users {
        let keys: Vec<&str> = user
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(
            keys,
            [
                "attributes",
                "channel",
                "channel_user_id",
                "created_at",
                "name",
                "user_id"
            ]
        );
        assert_eq!(user["attributes"]["feedback"], "1");
        assert_eq!(user["channel"], "whatsapp");
        assert_eq!(user["user_id"].as_str().unwrap().len(), 24);
        let created = user["created_at"].as_str().unwrap();
        assert!(
            crate::sandbox::util::parse_sql(created).is_some(),
            "{created}"
        );
        // Every listed user's chat history can be read with its channel user id.
        let id = user["channel_user_id"].as_str().unwrap();
        let (s, v) = get(&sb, &bot(&["channel-user", id, "conversations"]), &[]).await;
        assert_eq!(s, 200, "{id}: {v}");
    }
    // The ids are phone numbers, some with a `+`, and exact: without it the user is unknown.
    let plus = users
        .iter()
        .filter_map(|u| u["channel_user_id"].as_str())
        .find(|id| id.starts_with('+'))
        .expect("some users' ids have a +");
    let bare = &plus[1..];
    let got = get(&sb, &bot(&["channel-user", bare, "conversations"]), &[]).await;
    assert_status(&got, 400, 1002, "INVALID_BOT_OR_CUSTOMER_ID");
    // Every user has the five attributes; a value nobody has gives an empty list.
    let all = get(
        &sb,
        &bot(&["users"]),
        &[("attribute_name", "plan"), ("attribute_value", "platinum")],
    )
    .await;
    assert_success(&all);
    assert_eq!(all.1["responseObject"], json!({"users": []}));
}

#[tokio::test]
async fn engati_read_validations_1002_1003_1004_and_2000() {
    let sb = sandbox(20).await;
    let invalid_id = |got: &(u16, Value)| {
        assert_status(got, 400, 1002, "INVALID_BOT_OR_CUSTOMER_ID");
        assert_eq!(
            got.1["status"]["details"],
            "The bot id/customer id/user id provided is invalid"
        );
    };
    let q = [("attribute_name", "plan"), ("attribute_value", "gold")];
    let other_bot = [
        "bot-api",
        "v1.0",
        "customer",
        ENGATI_CUSTOMER_ID,
        "bot",
        "ffffffffffffffff",
        "users",
    ];
    invalid_id(&get(&sb, &other_bot, &q).await);
    let other_customer = [
        "bot-api",
        "v1.0",
        "customer",
        "99999",
        "bot",
        ENGATI_BOT_KEY,
        "users",
    ];
    invalid_id(&get(&sb, &other_customer, &q).await);
    let missing = get(&sb, &bot(&["users"]), &[("attribute_value", "gold")]).await;
    assert_status(&missing, 400, 2000, "FAILURE");

    let conv = bot(&["channel-user", "573000000000", "conversations"]);
    for user in ["573999999999", "nobody", "+573000000000", "5730000000000"] {
        let got = get(&sb, &bot(&["channel-user", user, "conversations"]), &[]).await;
        invalid_id(&got);
    }
    for (q, code, desc) in [
        (vec![("page_number", "0")], 1004, "INVALID_PAGE_NUMBER"),
        (vec![("page_number", "-1")], 1004, "INVALID_PAGE_NUMBER"),
        (vec![("page_number", "one")], 1004, "INVALID_PAGE_NUMBER"),
        (vec![("page_size", "0")], 1004, "INVALID_PAGE_NUMBER"),
        (vec![("start_date", "-1")], 1003, "INVALID_INPUT_DATE_VALUE"),
        (
            vec![("end_date", "yesterday")],
            1003,
            "INVALID_INPUT_DATE_VALUE",
        ),
        (
            vec![
                ("start_date", "1775001600000"),
                ("end_date", "1775001600000"),
            ],
            1003,
            "INVALID_INPUT_DATE_VALUE",
        ),
        (
            vec![
                ("start_date", "1775001600001"),
                ("end_date", "1775001600000"),
            ],
            1003,
            "INVALID_INPUT_DATE_VALUE",
        ),
    ] {
        let got = get(&sb, &conv, &q).await;
        assert_status(&got, 400, code, desc);
        assert!(got.1["status"]["details"].is_string(), "{q:?}: {}", got.1);
    }
    // An unknown address is a 404 in Engati's shape.
    let got = get(&sb, &bot(&["nothing-here"]), &[]).await;
    assert_status(&got, 404, 404, "NOT_FOUND");
}

#[tokio::test]
async fn engati_conversations_are_paged_at_the_500_cap_and_echo_the_served_size() {
    let sb = sandbox(20).await;
    // User 0 has over a thousand messages (every hundredth user does).
    let user = "573000000000";
    let conv = bot(&["channel-user", user, "conversations"]);
    let got = get(&sb, &conv, &[("page_size", "1000")]).await;
    assert_success(&got);
    let object = &got.1["responseObject"];
    assert_eq!(object["page_number"], 1, "page_number defaults to 1");
    assert_eq!(object["page_size"], 500, "more than 500 is served as 500");
    assert_eq!(object["conversations"].as_array().unwrap().len(), 500);

    let all = walk(&sb, user, "1000", &[]).await;
    assert!(all.len() > 1000 && all.len() < 1600, "{}", all.len());
    assert_eq!(walk(&sb, user, "500", &[]).await, all);
    assert_eq!(
        walk(&sb, user, "77", &[]).await,
        all,
        "any page size, same messages"
    );
    let mut ids: Vec<&str> = all
        .iter()
        .map(|m| m["message_id"].as_str().unwrap())
        .collect();
    let times: Vec<&str> = all
        .iter()
        .map(|m| m["timestamp"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "oldest first");
    for m in &all {
        assert!(["bot", "user", "agent"].contains(&m["sender"].as_str().unwrap()));
        assert!(!m["message"].as_str().unwrap().is_empty());
        let ts = m["timestamp"].as_str().unwrap();
        assert!(
            chrono::DateTime::parse_from_str(ts, "%Y-%m-%d %H:%M:%S%.3f%z").is_ok(),
            "{ts}"
        );
        assert!(ts.ends_with("+0000"), "{ts}");
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "message ids are unique");

    // A page past the end is an empty list, not an error.
    let got = get(&sb, &conv, &[("page_number", "99")]).await;
    assert_success(&got);
    assert_eq!(got.1["responseObject"]["conversations"], json!([]));
    assert_eq!(got.1["responseObject"]["page_number"], 99);
}

#[tokio::test]
async fn engati_conversation_dates_are_inclusive_epoch_milliseconds() {
    let sb = sandbox(20).await;
    let user = "573000000000";
    let all = walk(&sb, user, "500", &[]).await;
    let ms = |m: &Value| {
        chrono::DateTime::parse_from_str(
            m["timestamp"].as_str().unwrap(),
            "%Y-%m-%d %H:%M:%S%.3f%z",
        )
        .unwrap()
        .timestamp_millis()
    };
    let (k, t) = (700, ms(&all[700]));
    let next = ms(&all[701]);
    let ids = |v: Vec<Value>| -> Vec<String> {
        v.iter()
            .map(|m| m["message_id"].as_str().unwrap().to_string())
            .collect()
    };
    let id = |i: usize| all[i]["message_id"].as_str().unwrap().to_string();
    let window = |a: i64, b: i64| (a.to_string(), b.to_string());
    for ((a, b), want) in [
        (window(t, t + 1), vec![id(k)]),
        (window(t - 1, t), vec![id(k)]),
        (window(t + 1, next - 1), vec![]),
        (window(t, next), vec![id(k), id(k + 1)]),
    ] {
        let got = walk(&sb, user, "500", &[("start_date", &a), ("end_date", &b)]).await;
        assert_eq!(ids(got), want, "[{a}, {b}]");
    }
    // Without end_date, everything up to now; without start_date, from the beginning.
    let from = walk(&sb, user, "500", &[("start_date", &t.to_string())]).await;
    assert_eq!(from.len(), all.len() - k);
    let until = walk(&sb, user, "500", &[("end_date", &t.to_string())]).await;
    assert_eq!(until.len(), k + 1);
}

#[tokio::test]
async fn engati_broadcast_validations() {
    let sb = sandbox(20).await;
    let path = bot(&["broadcast"]);
    let good = json!({
        "broadcastId": null, "broadcastTitle": "Promo",
        "publishedOn": "2099-01-01T10:00:00.000Z",
        "audience": {"rule": {"channels": ["whatsapp"], "channelUserIds": ["573000000001", "573000000002"]}},
        "payload": {"type": "direct", "content": [{"type": "text", "data": {"message": "Hola"}}]},
        "status": null
    });
    let got = post_json(&sb, &path, &[], good.clone()).await;
    assert_success(&got);
    assert_eq!(got.1["responseObject"]["status"], "SCHEDULED");
    assert_eq!(got.1["responseObject"]["recipients"], 2);
    assert!(
        got.1["responseObject"]["broadcastId"]
            .as_str()
            .unwrap()
            .starts_with("bc-")
    );
    // A past time is published at once (Part 2 §2.6: "Immediate broadcasts will be sent for
    // expired time").
    let mut past = good.clone();
    past["publishedOn"] = json!("2020-01-01T00:00:00.000Z");
    let got = post_json(&sb, &path, &[], past).await;
    assert_eq!(got.1["responseObject"]["status"], "PUBLISHED");
    let mut cases: Vec<(Value, &str)> = Vec::new();
    let mut b = good.clone();
    b["broadcastTitle"] = json!("");
    cases.push((b, "broadcastTitle is required"));
    let mut b = good.clone();
    b["audience"]["rule"]["channelUserIds"] = json!([]);
    cases.push((
        b,
        "audience.rule.channelUserIds must list at least one user id",
    ));
    let mut b = good.clone();
    b["payload"]["content"] = json!([]);
    cases.push((b, "payload.content must hold at least one message"));
    let mut b = good.clone();
    b["publishedOn"] = json!("tomorrow");
    cases.push((b, "publishedOn must be an ISO 8601 UTC time"));
    cases.push((json!([1]), "the body must be a JSON object"));
    for (body, details) in cases {
        let got = post_json(&sb, &path, &[], body).await;
        assert_status(&got, 400, 2000, "FAILURE");
        assert_eq!(got.1["status"]["details"], details);
    }
}

#[tokio::test]
async fn engati_template_message_validations() {
    let sb = sandbox(20).await;
    let path = whatsapp(&["template"]);
    let good = json!({
        "payload": {"name": "order_shipped", "language": {"code": "en_US", "policy": "deterministic"},
                    "components": [{"type": "body", "parameters": [{"type": "text", "text": "Ana"}]}]},
        "phoneNumber": "+573001234567"
    });
    let got = post_json(&sb, &path, &[], good.clone()).await;
    assert_success(&got);
    assert_eq!(got.1["responseObject"]["phoneNumber"], "+573001234567");
    let id = got.1["responseObject"]["messageId"].as_str().unwrap();
    assert!(id.starts_with("wamid."), "{id}");
    let again = post_json(&sb, &path, &[], good.clone()).await;
    assert_eq!(again.1["responseObject"]["messageId"], id, "deterministic");
    for (pointer, value, details) in [
        (
            "/payload/name",
            json!(""),
            "payload.name (the template name) is required",
        ),
        (
            "/payload/language",
            json!({}),
            "payload.language.code is required",
        ),
        (
            "/phoneNumber",
            json!("12345"),
            "phoneNumber must be a number with its country code",
        ),
        (
            "/phoneNumber",
            json!("+57 300 1234567"),
            "phoneNumber must be a number with its country code",
        ),
    ] {
        let mut b = good.clone();
        *b.pointer_mut(pointer).unwrap() = value;
        let got = post_json(&sb, &path, &[], b).await;
        assert_status(&got, 400, 2000, "FAILURE");
        assert_eq!(got.1["status"]["details"], details);
    }
    let other = [
        "whatsapp-api",
        "v1.0",
        "customer",
        ENGATI_CUSTOMER_ID,
        "bot",
        "0000000000000000",
        "template",
    ];
    let got = post_json(&sb, &other, &[], good).await;
    assert_status(&got, 400, 1002, "INVALID_BOT_OR_CUSTOMER_ID");
}

/// A multipart body with the given (name, content) parts.
fn multipart(parts: &[(&str, &str)]) -> (String, String) {
    let boundary = "XyZ-sandbox-test";
    let mut body = String::new();
    for (name, content) in parts {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n{content}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn external(
    sb: &Sandbox,
    segments: &[&str],
    query: &[(&str, &str)],
    content_type: &str,
    body: String,
) -> (u16, Value) {
    let req = client()
        .post(url(sb, V, segments, query))
        .header("authorization", format!("Basic {ENGATI_API_KEY}"))
        .header("content-type", content_type)
        .body(body);
    json_of(req.send().await.unwrap()).await
}

#[tokio::test]
async fn engati_external_broadcast_validations_2000_2003_2005() {
    let sb = sandbox(20).await;
    let path = whatsapp(&["external", "broadcast"]);
    let q = [("broadcast_id", "spring promo")];
    let payload = r#"{"name":"promo","language":{"code":"es","policy":"deterministic"}}"#;
    let csv = "\u{feff}user.phone_number,user.attribute_0,user.attribute_1\n+573001234567,Ana,\"10,5\"\n+573009876543,José,7\n";
    let (ct, body) = multipart(&[("target_audience", csv), ("template_payload", payload)]);
    let got = external(&sb, &path, &q, &ct, body).await;
    assert_success(&got);
    let object = &got.1["responseObject"];
    assert_eq!(object["broadcast_id"], "spring promo");
    assert_eq!(object["recipients"], 2);
    assert_eq!(object["parameters"], 2);
    assert!(object["requestId"].as_str().unwrap().starts_with("ext-"));

    let bad_file = |details: &str| (2005, "INVALID_FILE_FORMAT", details.to_string());
    let cases = [
        (
            "user.phone_number\n573001234567\n",
            bad_file("line 2: phone numbers need '+' and the country code"),
        ),
        (
            "phone,user.attribute_0\n+573001234567,a\n",
            bad_file("the CSV's first column must be user.phone_number"),
        ),
        (
            "user.phone_number,user.attribute_1\n+573001234567,a\n",
            bad_file("column 2 of the CSV must be user.attribute_0"),
        ),
        (
            "user.phone_number,user.attribute_0\n+573001234567\n",
            bad_file("line 2: the row is not as wide as the header"),
        ),
        (
            "user.phone_number\n",
            bad_file("the CSV lists no recipients"),
        ),
    ];
    for (csv, (code, desc, details)) in cases {
        let (ct, body) = multipart(&[("target_audience", csv), ("template_payload", payload)]);
        let got = external(&sb, &path, &q, &ct, body).await;
        assert_status(&got, 400, code, desc);
        assert_eq!(got.1["status"]["details"], details, "{csv}");
    }
    let good_csv = "user.phone_number\n+573001234567\n";
    let (ct, body) = multipart(&[("template_payload", payload)]);
    let got = external(&sb, &path, &q, &ct, body).await;
    assert_status(&got, 400, 2005, "INVALID_FILE_FORMAT");
    let got = external(&sb, &path, &q, "text/csv", good_csv.to_string()).await;
    assert_status(&got, 400, 2005, "INVALID_FILE_FORMAT");
    for payload in ["", "[]", r#"{"name":"promo"}"#] {
        let (ct, body) = multipart(&[("target_audience", good_csv), ("template_payload", payload)]);
        let got = external(&sb, &path, &q, &ct, body).await;
        assert_status(&got, 400, 2000, "FAILURE");
    }
    let (ct, body) = multipart(&[("target_audience", good_csv), ("template_payload", payload)]);
    let got = external(&sb, &path, &[], &ct, body.clone()).await;
    assert_status(&got, 400, 2000, "FAILURE");
    assert_eq!(got.1["status"]["details"], "broadcast_id is required");
    let other = [
        "whatsapp-api",
        "v1.0",
        "customer",
        ENGATI_CUSTOMER_ID,
        "bot",
        "0000000000000000",
        "external",
        "broadcast",
    ];
    let got = external(&sb, &other, &q, &ct, body).await;
    assert_status(&got, 400, 2003, "BOT_NOT_FOUND");
}

#[tokio::test]
async fn engati_api_trigger_v1_takes_query_parameters_and_v2_a_json_body() {
    let sb = sandbox(20).await;
    let v1 = bot(&["flow", FLOW]);
    async fn post(sb: &Sandbox, segments: Vec<&str>, query: Vec<(&str, &str)>) -> (u16, Value) {
        let req = client()
            .post(url(sb, V, &segments, &query))
            .header("authorization", format!("Basic {ENGATI_API_KEY}"));
        json_of(req.send().await.unwrap()).await
    }
    let got = post(
        &sb,
        v1.clone(),
        vec![
            ("user.phone_no", "+573001234567"),
            ("user.user_name", "Ana"),
        ],
    )
    .await;
    assert_success(&got);
    for query in [vec![], vec![("user.phone_no", "abc")]] {
        let got = post(&sb, v1.clone(), query).await;
        assert_status(&got, 400, 2000, "FAILURE");
    }
    let bad_flow = bot(&["flow", "not-a-flow-key"]);
    let got = post(&sb, bad_flow, vec![("user.phone_no", "+573001234567")]).await;
    assert_status(&got, 400, 1002, "INVALID_BOT_OR_CUSTOMER_ID");

    let v2 = [
        "bot-api",
        "v2.0",
        "customer",
        ENGATI_CUSTOMER_ID,
        "bot",
        ENGATI_BOT_KEY,
        "flow",
        FLOW,
    ];
    let good =
        json!({"user.channel": "whatsapp", "user.phone_no": "+573001234567", "city": "Cali"});
    assert_success(&post_json(&sb, &v2, &[], good).await);
    for body in [
        json!({"user.channel": "sms", "user.phone_no": "+573001234567"}),
        json!({"user.channel": "whatsapp"}),
        json!({"user.phone_no": 573001234567_u64}),
        json!("x"),
    ] {
        let got = post_json(&sb, &v2, &[], body.clone()).await;
        assert_status(&got, 400, 2000, "FAILURE");
    }
    // The v2 body is JSON: query parameters alone do not do.
    let got = post(&sb, v2.to_vec(), vec![("user.phone_no", "+573001234567")]).await;
    assert_status(&got, 400, 2000, "FAILURE");
}
