//! Engagive (vendors.md Part 1 "Engagive", Part 2 §5).

use serde_json::{Value, json};

use crate::sandbox::tests::*;
use crate::sandbox::{
    ENGAGIVE_ACCOUNT_ID, ENGAGIVE_FAILING_NUMBER, ENGAGIVE_TOKEN, Sandbox, SandboxOptions,
};
use crate::vendor::Vendor;

const V: Vendor = Vendor::Engagive;

/// `["channels","whatsapp","accounts",ACCOUNT, …rest]`.
fn at<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    let mut s = vec!["channels", "whatsapp", "accounts", ENGAGIVE_ACCOUNT_ID];
    s.extend_from_slice(rest);
    s
}

async fn get_json(sb: &Sandbox, rest: &[&str], query: &[(&str, &str)]) -> (u16, Value) {
    let req = client()
        .get(url(sb, V, &at(rest), query))
        .bearer_auth(ENGAGIVE_TOKEN);
    json_of(req.send().await.unwrap()).await
}

async fn post_json(sb: &Sandbox, what: &str, body: &Value) -> (u16, Value) {
    post_raw(sb, what, body.to_string()).await
}

async fn post_raw(sb: &Sandbox, what: &str, body: String) -> (u16, Value) {
    let req = client()
        .post(url(sb, V, &at(&["messages", what]), &[]))
        .bearer_auth(ENGAGIVE_TOKEN)
        .header("content-type", "application/json")
        .body(body);
    json_of(req.send().await.unwrap()).await
}

/// A documented error body: exactly `success`, `statusCode`, `message`.
fn assert_error(got: &(u16, Value), status: u16, needle: &str) {
    assert_eq!(got.0, status, "{}", got.1);
    let keys: Vec<&str> = got
        .1
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(keys, ["message", "statusCode", "success"], "{}", got.1);
    assert_eq!(got.1["success"], false);
    assert_eq!(got.1["statusCode"], status);
    let message = got.1["message"].as_str().unwrap();
    assert!(message.contains(needle), "{needle:?} not in {message:?}");
}

/// Every page of a list endpoint, checking `pagination` on each.
async fn all_pages(
    sb: &Sandbox,
    rest: &[&str],
    extra: &[(&str, &str)],
    per_page: u64,
) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut page = 1u64;
    loop {
        let (p, n) = (page.to_string(), per_page.to_string());
        let mut q = extra.to_vec();
        q.extend([("page", p.as_str()), ("per_page", n.as_str())]);
        let (s, v) = get_json(sb, rest, &q).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["success"], true);
        assert_eq!(v["statusCode"], 200);
        let pg = &v["pagination"];
        assert_eq!(pg["page"], page);
        assert_eq!(pg["per_page"], per_page);
        let total = pg["total"].as_u64().unwrap();
        assert_eq!(pg["total_pages"], total.div_ceil(per_page));
        rows.extend(v["data"].as_array().unwrap().iter().cloned());
        if page >= pg["total_pages"].as_u64().unwrap() {
            assert_eq!(rows.len() as u64, total);
            return rows;
        }
        page += 1;
    }
}

#[tokio::test]
async fn engagive_auth_401_and_wrong_account_403() {
    let sb = sandbox(10).await;
    let c = client();
    let u = url(&sb, V, &at(&["templates"]), &[]);
    let none = json_of(c.get(u.clone()).send().await.unwrap()).await;
    assert_error(&none, 401, "Unauthorized");
    let wrong = c.get(u.clone()).bearer_auth("nope").send().await.unwrap();
    assert_error(&json_of(wrong).await, 401, "bearer token");
    let basic = c
        .get(u)
        .header("authorization", format!("Basic {ENGAGIVE_TOKEN}"));
    assert_error(
        &json_of(basic.send().await.unwrap()).await,
        401,
        "Unauthorized",
    );
    // A send without a token is refused before its body is read.
    let post = c
        .post(url(&sb, V, &at(&["messages", "send-template"]), &[]))
        .body("{}");
    assert_error(
        &json_of(post.send().await.unwrap()).await,
        401,
        "Unauthorized",
    );
    // Another account: 403, for reads and sends alike; an encoded id is decoded first.
    for account in ["other-account", "sandbox account/1"] {
        for (method, rest) in [("GET", "templates"), ("POST", "messages/send-single")] {
            let mut segs = vec!["channels", "whatsapp", "accounts", account];
            segs.extend(rest.split('/'));
            let req = if method == "GET" {
                c.get(url(&sb, V, &segs, &[]))
            } else {
                c.post(url(&sb, V, &segs, &[])).body("{}")
            };
            let got = json_of(req.bearer_auth(ENGAGIVE_TOKEN).send().await.unwrap()).await;
            assert_error(&got, 403, account);
        }
    }
    let unknown = get_json(&sb, &["nothing-here"], &[]).await;
    assert_error(&unknown, 404, "Route not found");
}

#[tokio::test]
async fn engagive_templates_page_through_the_whole_catalogue() {
    let sb = sandbox(10).await;
    let (s, first) = get_json(&sb, &["templates"], &[]).await;
    assert_eq!(s, 200);
    assert_eq!(first["message"], "Templates retrieved");
    assert_eq!(
        first["pagination"],
        json!({"page": 1, "per_page": 20, "total": 137, "total_pages": 7})
    );
    let data = first["data"].as_array().unwrap();
    assert_eq!(data.len(), 20);
    assert_eq!(
        data[0],
        json!({"id": 101, "code": "order_shipped", "name": "Order shipped",
               "category_code": "UTILITY", "option_code": "STANDARD",
               "parameter_format_code": "POSITIONAL", "status": "approved"})
    );
    let all = all_pages(&sb, &["templates"], &[], 100).await;
    assert_eq!(all.len(), 137);
    let ids: Vec<u64> = all.iter().map(|t| t["id"].as_u64().unwrap()).collect();
    assert_eq!(
        ids,
        (101..238).collect::<Vec<_>>(),
        "ordered by id, none lost or doubled"
    );
    let mut codes: Vec<&str> = all.iter().map(|t| t["code"].as_str().unwrap()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 137, "codes are unique");
    for status in ["approved", "pending", "rejected", "paused", "draft"] {
        assert!(all.iter().any(|t| t["status"] == status), "{status}");
    }
    for cat in ["MARKETING", "UTILITY", "AUTHENTICATION"] {
        assert!(all.iter().any(|t| t["category_code"] == cat), "{cat}");
    }
    // Small pages tile the same list; a page past the end is empty with the real total.
    assert_eq!(all_pages(&sb, &["templates"], &[], 7).await, all);
    let (_, past) = get_json(&sb, &["templates"], &[("page", "99")]).await;
    assert_eq!(past["data"], json!([]));
    assert_eq!(past["pagination"]["total"], 137);
}

#[tokio::test]
async fn engagive_paging_parameters_are_validated() {
    let sb = sandbox(10).await;
    for (q, needle) in [
        (("per_page", "101"), "at most 100"),
        (("per_page", "0"), "positive integer"),
        (("page", "0"), "positive integer"),
        (("page", "-1"), "positive integer"),
        (("page", "two"), "positive integer"),
        (("per_page", ""), "positive integer"),
    ] {
        for rest in [
            vec!["templates"],
            vec!["templates", "order_shipped", "contents"],
            vec!["templates", "lookups", "categories"],
        ] {
            assert_error(&get_json(&sb, &rest, &[q]).await, 400, needle);
        }
    }
    let (s, v) = get_json(&sb, &["templates"], &[("per_page", "100")]).await;
    assert_eq!((s, v["data"].as_array().unwrap().len()), (200, 100));
}

#[tokio::test]
async fn engagive_search_by_name_or_code_case_insensitively() {
    let sb = sandbox(10).await;
    let names = |v: &Value| -> Vec<String> {
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["code"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, v) = get_json(&sb, &["templates"], &[("search", "ORDER SHIPPED")]).await;
    assert_eq!(names(&v), ["order_shipped"], "by name");
    let (_, v) = get_json(&sb, &["templates"], &[("search", "50%_OFF")]).await;
    assert_eq!(names(&v), ["promo_50%_off"], "by code");
    let (_, v) = get_json(&sb, &["templates"], &[("search", "café ☕")]).await;
    assert_eq!(names(&v), ["café_navidad_☕"], "non-ASCII");
    let (_, v) = get_json(&sb, &["templates"], &[("search", "no such thing")]).await;
    assert_eq!(v["data"], json!([]));
    assert_eq!(
        v["pagination"],
        json!({"page": 1, "per_page": 20, "total": 0, "total_pages": 0})
    );
    // A common word spans pages: search and paging combine.
    let hits = all_pages(&sb, &["templates"], &[("search", "v1")], 3).await;
    assert!(hits.len() > 3, "{}", hits.len());
    assert!(hits.iter().all(|t| {
        let s = format!("{} {}", t["name"], t["code"]).to_lowercase();
        s.contains("v1")
    }));
}

#[tokio::test]
async fn engagive_template_by_hard_code_contents_and_404s() {
    let sb = sandbox(10).await;
    for code in ["promo_50%_off", "a/b test #2?", "café_navidad_☕", "-2+3"] {
        let (s, v) = get_json(&sb, &["templates", code], &[]).await;
        assert_eq!(s, 200, "{code}: {v}");
        assert_eq!(v["message"], "Template retrieved");
        assert_eq!(v["data"]["code"], code);
        let (s, v) = get_json(&sb, &["templates", code, "contents"], &[]).await;
        assert_eq!(s, 200, "{code}: {v}");
        assert_eq!(v["message"], "Template contents retrieved");
        assert!(!v["data"].as_array().unwrap().is_empty());
    }
    let (_, v) = get_json(&sb, &["templates", "order_shipped", "contents"], &[]).await;
    assert_eq!(
        v["data"],
        json!([
            {"id": 501, "lang_code": "en", "text": "Hi {{1}}, your order is on the way!", "is_draft": false},
            {"id": 502, "lang_code": "en_US", "text": "Hi {{1}}, your order is on the way!", "is_draft": false},
            {"id": 503, "lang_code": "es", "text": "Hola {{1}}, ¡tu pedido va en camino! 🚚", "is_draft": false},
        ])
    );
    assert_eq!(v["pagination"]["total"], 3);
    let (_, v) = get_json(
        &sb,
        &["templates", "order_shipped", "contents"],
        &[("search", "PEDIDO")],
    )
    .await;
    assert_eq!(v["data"].as_array().unwrap().len(), 1);
    assert_eq!(v["data"][0]["lang_code"], "es");
    let (_, v) = get_json(
        &sb,
        &["templates", "order_shipped", "contents"],
        &[("search", "en_us")],
    )
    .await;
    assert_eq!(v["data"][0]["id"], 502, "by language code");
    let (_, v) = get_json(&sb, &["templates", "draft_lançamento", "contents"], &[]).await;
    assert_eq!(v["data"][0]["is_draft"], true);
    for rest in [
        vec!["templates", "nope"],
        vec!["templates", "nope", "contents"],
        vec!["templates", "nope", "contents", "lookups", "languages"],
    ] {
        assert_error(
            &get_json(&sb, &rest, &[]).await,
            404,
            "Template 'nope' not found",
        );
    }
}

#[tokio::test]
async fn engagive_lookups() {
    let sb = sandbox(10).await;
    let (s, v) = get_json(&sb, &["templates", "lookups", "categories"], &[]).await;
    assert_eq!(s, 200);
    assert_eq!(
        v["data"],
        json!([{"code": "MARKETING", "label": "Marketing"},
               {"code": "UTILITY", "label": "Utility"},
               {"code": "AUTHENTICATION", "label": "Authentication"}])
    );
    assert_eq!(v["pagination"]["total"], 3);
    let opts = ["templates", "lookups", "categories", "MARKETING", "options"];
    let (_, v) = get_json(&sb, &opts, &[]).await;
    assert_eq!(
        v["data"][0],
        json!({"code": "STANDARD", "label": "Standard message", "category_code": "MARKETING"})
    );
    assert_eq!(v["pagination"]["total"], 4);
    let bad = ["templates", "lookups", "categories", "marketing", "options"];
    assert_error(
        &get_json(&sb, &bad, &[]).await,
        404,
        "Category 'marketing' not found",
    );
    let langs = [
        "templates",
        "order_shipped",
        "contents",
        "lookups",
        "languages",
    ];
    let (_, first) = get_json(&sb, &langs, &[]).await;
    assert_eq!(
        first["data"].as_array().unwrap().len(),
        20,
        "default per_page"
    );
    let all = all_pages(&sb, &langs, &[], 30).await;
    assert_eq!(all.len(), 69);
    assert!(all.contains(&json!({"code": "en_US", "label": "English (US)"})));
    assert!(all.contains(&json!({"code": "pt_BR", "label": "Portuguese (BR)"})));
}

fn template_body(to: &str, name: &str, lang: &str, params: &[&str]) -> Value {
    let parameters: Vec<Value> = params
        .iter()
        .map(|p| json!({"type": "text", "text": p}))
        .collect();
    json!({"to": to, "content_json": {"template_name": name, "lang_code": lang,
           "components": [{"type": "BODY", "parameters": parameters}]}})
}

#[tokio::test]
async fn engagive_send_template_success_and_validation() {
    let sb = sandbox(10).await;
    let (s, v) = post_json(
        &sb,
        "send-template",
        &template_body("923001234567", "order_shipped", "en_US", &["Ana"]),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["success"], true);
    assert_eq!(v["statusCode"], 200);
    assert_eq!(v["message"], "Template message sent successfully");
    assert_eq!(
        v["data"],
        json!({"to": "923001234567", "message_type": "template"})
    );
    let meta = &v["metaResponse"];
    assert_eq!(meta["messaging_product"], "whatsapp");
    assert_eq!(meta["contacts"][0]["wa_id"], "923001234567");
    assert!(
        meta["messages"][0]["id"]
            .as_str()
            .unwrap()
            .starts_with("wamid.")
    );
    // Zero parameters: components may be left out.
    let no_params = json!({"to": "+573001234567", "content_json": {"template_name": "hello_world", "lang_code": "en_US"}});
    assert_eq!(post_json(&sb, "send-template", &no_params).await.0, 200);

    let cases: Vec<(Value, u16, &str)> = vec![
        (
            template_body("92300", "order_shipped", "en", &["A"]),
            400,
            "'to'",
        ),
        (
            template_body("+92-300-1234567", "order_shipped", "en", &["A"]),
            400,
            "'to'",
        ),
        (json!({"content_json": {}}), 400, "'to'"),
        (json!({"to": "923001234567"}), 400, "'content_json'"),
        (
            json!({"to": "923001234567", "content_json": "x"}),
            400,
            "'content_json'",
        ),
        (
            json!({"to": "923001234567", "content_json": {"lang_code": "en"}}),
            400,
            "template_name",
        ),
        (
            json!({"to": "923001234567", "content_json": {"template_name": "order_shipped"}}),
            400,
            "lang_code",
        ),
        (
            json!({"to": "923001234567", "content_json": {"template_name": "order_shipped", "lang_code": "en", "components": {}}}),
            400,
            "must be an array",
        ),
        (
            json!({"to": "923001234567", "content_json": {"template_name": "order_shipped", "lang_code": "en", "components": [{"type": "SIDEBAR"}]}}),
            400,
            "header, body, button or footer",
        ),
        (
            json!({"to": "923001234567", "content_json": {"template_name": "order_shipped", "lang_code": "en", "components": [{"type": "body", "parameters": [{"type": "text"}]}]}}),
            400,
            "needs 'text'",
        ),
        (
            json!({"to": "923001234567", "content_json": {"template_name": "order_shipped", "lang_code": "en", "components": [{"type": "button"}]}}),
            400,
            "sub_type",
        ),
        (
            template_body("923001234567", "nope", "en", &[]),
            404,
            "Template 'nope' not found",
        ),
        (
            template_body("923001234567", "order_shipped", "fr", &["A"]),
            400,
            "no content in language 'fr' (it has: en, en_US, es)",
        ),
        (
            template_body("923001234567", "a/b test #2?", "en", &["A"]),
            400,
            "not approved (status: pending)",
        ),
    ];
    for (body, status, needle) in cases {
        let got = post_json(&sb, "send-template", &body).await;
        assert_error(&got, status, needle);
    }
    assert_error(
        &post_raw(&sb, "send-template", "{not json".into()).await,
        400,
        "not valid JSON",
    );
    assert_error(
        &post_raw(&sb, "send-template", "[1]".into()).await,
        400,
        "JSON object",
    );
}

#[tokio::test]
async fn engagive_meta_errors_are_502_with_meta_response() {
    let sb = sandbox(10).await;
    let check = |got: (u16, Value), code: u64, text: &str| {
        assert_eq!(got.0, 502, "{}", got.1);
        assert_eq!(got.1["success"], false);
        assert_eq!(got.1["statusCode"], 502);
        let e = &got.1["metaResponse"]["error"];
        assert_eq!(e["code"], code, "{}", got.1);
        assert_eq!(e["type"], "OAuthException");
        assert_eq!(e["message"], format!("(#{code}) {text}"));
        assert!(e["fbtrace_id"].is_string());
    };
    for to in [
        ENGAGIVE_FAILING_NUMBER,
        ENGAGIVE_FAILING_NUMBER.trim_start_matches('+'),
    ] {
        let t = template_body(to, "order_shipped", "en", &["Ana"]);
        check(
            post_json(&sb, "send-template", &t).await,
            131026,
            "Message undeliverable",
        );
        let r = json!({"to": to, "whatsapp_message_id": "wamid.HBgMNTczMDA=", "emoji": "👍"});
        check(
            post_json(&sb, "send-reaction", &r).await,
            131026,
            "Message undeliverable",
        );
        let m = json!({"to": to, "message_type": "text", "content_json": {"body": "hi"}});
        check(
            post_json(&sb, "send-single", &m).await,
            131026,
            "Message undeliverable",
        );
    }
    let wrong_count = template_body("923001234567", "promo_50%_off", "es", &["Ana"]);
    check(
        post_json(&sb, "send-template", &wrong_count).await,
        132000,
        "Number of parameters does not match the expected number of params",
    );
    let right = template_body("923001234567", "promo_50%_off", "es", &["Ana", "BF50"]);
    assert_eq!(post_json(&sb, "send-template", &right).await.0, 200);
}

#[tokio::test]
async fn engagive_send_reaction() {
    let sb = sandbox(10).await;
    let ok = json!({"to": "923001234567", "whatsapp_message_id": "wamid.HBgMOTIzMDAxMjM0NTY3FQIAEhgg", "emoji": "👍"});
    let (s, v) = post_json(&sb, "send-reaction", &ok).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["message"], "Reaction sent");
    assert_eq!(v["data"], json!({}));
    assert!(v["metaResponse"]["messages"][0]["id"].is_string());
    for emoji in ["👍🏽", "👨‍👩‍👧", "🇨🇴", ""] {
        let mut b = ok.clone();
        b["emoji"] = json!(emoji);
        assert_eq!(
            post_json(&sb, "send-reaction", &b).await.0,
            200,
            "{emoji:?}"
        );
    }
    for (key, value, needle) in [
        ("whatsapp_message_id", json!("HBgM123"), "wamid."),
        ("whatsapp_message_id", json!("wamid."), "wamid."),
        ("whatsapp_message_id", json!("wamid.abc def"), "wamid."),
        ("emoji", json!("thumbsup"), "one emoji"),
        ("emoji", json!(1), "one emoji"),
        ("to", json!(923001234567u64), "'to'"),
    ] {
        let mut b = ok.clone();
        b[key] = value;
        assert_error(&post_json(&sb, "send-reaction", &b).await, 400, needle);
    }
}

#[tokio::test]
async fn engagive_send_single_every_message_type() {
    let sb = sandbox(10).await;
    let good: Vec<(&str, Value)> = vec![
        (
            "text",
            json!({"body": "Hola 👋\nsegunda línea", "preview_url": false}),
        ),
        (
            "image",
            json!({"link": "https://example.com/a.png", "caption": "Promo"}),
        ),
        ("video", json!({"id": "1234567890"})),
        ("audio", json!({"link": "https://example.com/a.ogg"})),
        (
            "document",
            json!({"link": "https://example.com/f.pdf", "filename": "f.pdf"}),
        ),
        (
            "location",
            json!({"latitude": 4.711, "longitude": -74.0721, "name": "Bogotá"}),
        ),
        (
            "contacts",
            json!([{"name": {"formatted_name": "Ana Pérez"}, "phones": [{"phone": "+573001234567"}]}]),
        ),
        ("sticker", json!({"id": "987"})),
        (
            "interactive",
            json!({"type": "button", "body": {"text": "¿Sí o no?"},
            "action": {"buttons": [{"type": "reply", "reply": {"id": "y", "title": "Sí"}}]}}),
        ),
        (
            "interactive",
            json!({"type": "list", "body": {"text": "Elige"},
            "action": {"button": "Ver", "sections": [{"title": "A", "rows": [{"id": "1", "title": "Uno"}]}]}}),
        ),
        (
            "interactive",
            json!({"type": "cta_url", "body": {"text": "Mira"},
            "action": {"name": "cta_url", "parameters": {"display_text": "Abrir", "url": "https://example.com"}}}),
        ),
    ];
    for (kind, content) in good {
        let body = json!({"to": "573001234567", "message_type": kind, "content_json": content});
        let (s, v) = post_json(&sb, "send-single", &body).await;
        assert_eq!(s, 200, "{kind}: {v}");
        assert_eq!(v["message"], "Message sent successfully");
        assert_eq!(
            v["data"],
            json!({"to": "573001234567", "message_type": kind})
        );
    }
    let bad: Vec<(&str, Value, &str)> = vec![
        ("text", json!({"body": ""}), "non-empty 'body'"),
        ("text", json!({"body": "x".repeat(4097)}), "4096"),
        (
            "text",
            json!({"body": "x", "preview_url": "yes"}),
            "preview_url",
        ),
        ("image", json!({}), "exactly one of 'link'"),
        (
            "image",
            json!({"link": "https://e.com/a.png", "id": "1"}),
            "exactly one of 'link'",
        ),
        ("image", json!({"link": "ftp://e.com/a.png"}), "http(s) URL"),
        ("audio", json!({"id": "1", "caption": "x"}), "no 'caption'"),
        ("image", json!({"id": "1", "filename": "x"}), "filename"),
        (
            "location",
            json!({"latitude": 91, "longitude": 0}),
            "latitude",
        ),
        ("location", json!({"latitude": 0}), "longitude"),
        ("contacts", json!([]), "non-empty array"),
        ("contacts", json!([{"name": {}}]), "formatted_name"),
        ("interactive", json!({"type": "carousel"}), "needs 'type'"),
        (
            "interactive",
            json!({"type": "button", "body": {"text": "x"}}),
            "'action'",
        ),
        (
            "interactive",
            json!({"type": "button", "action": {}}),
            "body.text",
        ),
        (
            "interactive",
            json!({"type": "button", "body": {"text": "x"}, "action": {"buttons": []}}),
            "1 to 3",
        ),
        (
            "interactive",
            json!({"type": "list", "body": {"text": "x"}, "action": {"button": "b"}}),
            "sections",
        ),
        (
            "interactive",
            json!({"type": "cta_url", "body": {"text": "x"}, "action": {"parameters": {"display_text": "d", "url": "nope"}}}),
            "cta_url",
        ),
    ];
    for (kind, content, needle) in bad {
        let body = json!({"to": "573001234567", "message_type": kind, "content_json": content});
        assert_error(&post_json(&sb, "send-single", &body).await, 400, needle);
    }
    for (body, needle) in [
        (
            json!({"to": "573001234567", "message_type": "fax", "content_json": {}}),
            "'message_type' must be one of text, image",
        ),
        (
            json!({"to": "573001234567", "content_json": {}}),
            "'message_type'",
        ),
        (
            json!({"to": "573001234567", "message_type": "template", "content_json": {}}),
            "send-template",
        ),
        (
            json!({"to": "573001234567", "message_type": "reaction", "content_json": {}}),
            "send-reaction",
        ),
        (
            json!({"to": "573001234567", "message_type": "text"}),
            "'content_json'",
        ),
    ] {
        assert_error(&post_json(&sb, "send-single", &body).await, 400, needle);
    }
}

#[tokio::test]
async fn engagive_catalogue_is_deterministic_per_seed() {
    let list = |sb: Sandbox| async move { all_pages(&sb, &["templates"], &[], 100).await };
    let a = list(sandbox(10).await).await;
    let b = list(sandbox(500).await).await;
    assert_eq!(
        a, b,
        "the same seed gives the same catalogue, whatever --rows"
    );
    let c = list(
        sandbox_with(SandboxOptions {
            seed: 8,
            ..Default::default()
        })
        .await,
    )
    .await;
    assert_eq!(
        a[..10],
        c[..10],
        "the fixed templates do not depend on the seed"
    );
    assert_ne!(a, c);
}

#[tokio::test]
async fn engagive_faults_hit_reads_and_writes_before_processing_only() {
    let sb = sandbox_with(SandboxOptions {
        fault_rate: 1.0,
        seed: 7,
        ..Default::default()
    })
    .await;
    for _ in 0..12 {
        let req = client()
            .get(url(&sb, V, &at(&["templates"]), &[]))
            .bearer_auth(ENGAGIVE_TOKEN);
        match req.send().await {
            Err(_) => {} // an injected reset
            Ok(resp) => {
                let status = resp.status().as_u16();
                match resp.text().await {
                    Err(_) => assert_eq!(status, 200, "only a truncated 200 breaks mid-body"),
                    Ok(text) => {
                        assert!(matches!(status, 429 | 500 | 503), "{status}: {text}");
                        let v: Value = serde_json::from_str(&text).unwrap();
                        assert_eq!(v["success"], false);
                        assert_eq!(v["statusCode"], status);
                    }
                }
            }
        }
        let body = template_body("923001234567", "order_shipped", "en", &["A"]);
        let (s, v) = post_json(&sb, "send-template", &body).await;
        assert!(
            s == 429 || s == 503,
            "writes only fail before processing: {s} {v}"
        );
        assert_eq!(v["success"], false);
    }
}
