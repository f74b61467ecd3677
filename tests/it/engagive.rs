//! Engagive end to end: the real binary against wiremock, every request pinned (method, path,
//! encoded query, Bearer token, exact JSON bodies). Reads here; sends in `engagive/writes.rs`,
//! secret canaries in `engagive/canaries.rs`.

mod canaries;
mod writes;

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{Home, RawQuery, run, stderr, stdout, strict_server};

/// The account path of the test profile.
pub const ACC: &str = "/channels/whatsapp/accounts/acc-42";

/// An engagive profile `egv` (the default): account `acc-42`, token `tok-1`.
pub fn config(home: &Home, base_url: &str) {
    home.write_config(&format!(
        "default_profile = \"egv\"\n\n[profiles.egv]\nprovider = \"engagive\"\nbase_url = \"{base_url}\"\naccount_id = \"acc-42\"\ntoken = \"tok-1\"\n"
    ));
}

/// A GET of `ACC` + `p` with the Bearer token and an exact raw query.
pub fn egv_get(p: &str, query: &str) -> wiremock::MockBuilder {
    Mock::given(method("GET"))
        .and(path(format!("{ACC}{p}")))
        .and(RawQuery(query.to_string()))
        .and(header("authorization", "Bearer tok-1"))
}

/// A list page in the envelope.
pub fn page(data: Vec<Value>, page: u64, per_page: u64, total: u64, pages: u64) -> Value {
    json!({"success": true, "statusCode": 200, "message": "Templates retrieved", "data": data,
           "pagination": {"page": page, "per_page": per_page, "total": total, "total_pages": pages}})
}

/// Template `i` as Engagive sends it.
pub fn tpl(i: u64) -> Value {
    json!({"id": 100 + i, "code": format!("t_{i:03}"), "name": format!("Template {i}"),
           "category_code": "UTILITY", "option_code": "STANDARD",
           "parameter_format_code": "POSITIONAL", "status": "approved"})
}

fn tpls(r: std::ops::Range<u64>) -> Vec<Value> {
    r.map(tpl).collect()
}

fn codes(out: &std::process::Output) -> Vec<String> {
    let v: Vec<Value> = serde_json::from_str(&stdout(out)).unwrap();
    v.iter()
        .map(|t| t["code"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn templates_list_walks_every_page_with_the_bearer_token() {
    let server = strict_server().await;
    for (n, rows) in [(1, 0..100), (2, 100..200), (3, 200..250)] {
        egv_get("/templates", &format!("page={n}&per_page=100"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(
                tpls(rows),
                n,
                100,
                250,
                3,
            )))
            .expect(1)
            .mount(&server)
            .await;
    }
    let home = Home::new();
    config(&home, &server.uri());
    let out = run({
        let mut c = home.cmd();
        c.args(["templates", "list", "-f", "json"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(got.len(), 250);
    assert_eq!(
        got[0],
        json!({"code": "t_000", "name": "Template 0", "category": "UTILITY", "language": null,
               "status": "approved", "id": "100", "option_code": "STANDARD",
               "parameter_format_code": "POSITIONAL"})
    );
    let want: Vec<String> = (0..250).map(|i| format!("t_{i:03}")).collect();
    assert_eq!(codes(&out), want, "every page, in order, none doubled");
    assert_eq!(stderr(&out), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn templates_list_sends_search_encoded_and_the_page_size() {
    let server = strict_server().await;
    egv_get(
        "/templates",
        "search=Promo%2050%25%2F%C3%B1&page=1&per_page=2",
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(page(tpls(7..9), 1, 2, 3, 2)))
    .expect(1)
    .mount(&server)
    .await;
    egv_get(
        "/templates",
        "search=Promo%2050%25%2F%C3%B1&page=2&per_page=2",
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(page(tpls(9..10), 2, 2, 3, 2)))
    .expect(1)
    .mount(&server)
    .await;
    let home = Home::new();
    config(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "templates",
        "list",
        "--search",
        "Promo 50%/ñ",
        "--page-size",
        "2",
        "-f",
        "csv",
        "--fields",
        "code,status,id",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "code,status,id\nt_007,approved,107\nt_008,approved,108\nt_009,approved,109\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn templates_list_keeps_hard_rows_exact_and_neutralises_formulas() {
    let server = strict_server().await;
    egv_get("/templates", "page=1&per_page=100")
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            include_str!("../../fixtures/engagive/templates-hard.json"),
            "application/json",
        ))
        .expect(3)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server.uri());
    let out = run({
        let mut c = home.cmd();
        c.args(["templates", "list", "-f", "csv"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "code,name,category,language,status,id,option_code,parameter_format_code\n\
         order_shipped,Order shipped,UTILITY,,approved,101,STANDARD,POSITIONAL\n\
         a/b test #2?,\"A/B test #2? \"\"quoted\"\", with commas\",MARKETING,,pending,102,STANDARD,POSITIONAL\n\
         formula_name,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",MARKETING,,approved,103,CATALOG,POSITIONAL\n\
         '-2+3,\"Recordatorio de cita\nsegunda línea ☕\",UTILITY,,rejected,104,,\n"
    );
    let json = run({
        let mut c = home.cmd();
        c.args(["templates", "list", "-f", "json"]);
        c
    })
    .await;
    let v: Vec<Value> = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(
        v[2]["name"], "=HYPERLINK(\"http://x\",\"y\")",
        "JSON is never altered"
    );
    assert_eq!(v[3]["category"], "UTILITY", "the `category` alias is read");
    let table = run({
        let mut c = home.cmd();
        c.args(["templates", "list", "-f", "table"]);
        c
    })
    .await;
    assert_eq!(table.status.code(), Some(0), "{}", stderr(&table));
    let text = stdout(&table);
    for code in ["order_shipped", "a/b test #2?", "formula_name"] {
        assert!(text.contains(code), "{code} in\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn templates_show_sends_a_hard_code_as_one_segment() {
    let server = strict_server().await;
    egv_get("/templates/a%2Fb%20test%20%232%3F%20%E2%98%95", "")
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            include_str!("../../fixtures/engagive/template.json"),
            "application/json",
        ))
        .expect(2)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server.uri());
    let out = run({
        let mut c = home.cmd();
        c.args(["templates", "show", "a/b test #2? ☕", "-f", "json"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!({"code": "a/b test #2? ☕", "name": "A/B test #2? ☕", "category": "MARKETING",
               "language": null, "status": "approved", "id": "102", "option_code": "STANDARD",
               "parameter_format_code": "POSITIONAL"})
    );
    let out = run({
        let mut c = home.cmd();
        c.args([
            "templates",
            "show",
            "a/b test #2? ☕",
            "-f",
            "tsv",
            "--fields",
            "status,code",
        ]);
        c
    })
    .await;
    assert_eq!(stdout(&out), "status\tcode\napproved\ta/b test #2? ☕\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_template_is_exit_7_with_one_paragraph() {
    let server = strict_server().await;
    egv_get("/templates/nope", "")
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({"success": false, "statusCode": 404, "message": "Template 'nope' not found"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server.uri());
    let out = run({
        let mut c = home.cmd();
        c.args(["templates", "show", "nope"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(7));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "wa-analytics: error: Engagive GET /channels/whatsapp/accounts/acc-42/templates/nope answered 404 Not Found: Template 'nope' not found.\n\
         hint: check the code with 'wa-analytics templates list' (codes are exact, case and accents included) or 'wa-analytics templates categories'\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn templates_contents_with_search() {
    let server = strict_server().await;
    egv_get(
        "/templates/order_shipped/contents",
        "search=pedido%20%F0%9F%9A%9A&page=1&per_page=100",
    )
    .respond_with(ResponseTemplate::new(200).set_body_raw(
        include_str!("../../fixtures/engagive/contents.json"),
        "application/json",
    ))
    .expect(1)
    .mount(&server)
    .await;
    let home = Home::new();
    config(&home, &server.uri());
    let out = run({
        let mut c = home.cmd();
        c.args([
            "templates",
            "contents",
            "order_shipped",
            "--search",
            "pedido 🚚",
            "-f",
            "csv",
        ]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "language,text,is_draft,id\n\
         en,\"Hi {{1}}, your order is on the way!\",true,501\n\
         es,\"Hola {{1}},\n¡tu pedido va en camino! 🚚\",false,502\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn lookups_categories_options_and_languages() {
    let server = strict_server().await;
    let lookups = |data: Value| {
        json!({"success": true, "statusCode": 200, "data": data,
               "pagination": {"page": 1, "per_page": 100, "total": data.as_array().unwrap().len(), "total_pages": 1}})
    };
    egv_get("/templates/lookups/categories", "page=1&per_page=100")
        .respond_with(ResponseTemplate::new(200).set_body_json(lookups(json!([
            {"code": "MARKETING", "label": "Marketing"}, {"code": "UTILITY", "label": "Utility"}
        ]))))
        .expect(1)
        .mount(&server)
        .await;
    egv_get(
        "/templates/lookups/categories/MARKETING%20%26%20co/options",
        "page=1&per_page=100",
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(lookups(json!([
        {"code": "STANDARD", "label": "Standard message", "category_code": "MARKETING & co"}
    ]))))
    .expect(1)
    .mount(&server)
    .await;
    egv_get(
        "/templates/caf%C3%A9%20%E2%98%95/contents/lookups/languages",
        "page=1&per_page=100",
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(lookups(json!([
        {"code": "en", "label": "English"}, {"code": "en_US", "label": "English (US)"}
    ]))))
    .expect(1)
    .mount(&server)
    .await;
    let home = Home::new();
    config(&home, &server.uri());
    let go = |args: &'static [&'static str]| {
        let mut c = home.cmd();
        c.args(args).args(["-f", "json"]);
        run(c)
    };
    let out = go(&["templates", "categories"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        serde_json::from_str::<Value>(&stdout(&out)).unwrap(),
        json!([{"code": "MARKETING", "label": "Marketing"}, {"code": "UTILITY", "label": "Utility"}])
    );
    let out = go(&["templates", "category-options", "MARKETING & co"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        serde_json::from_str::<Value>(&stdout(&out)).unwrap(),
        json!([{"code": "STANDARD", "label": "Standard message", "category": "MARKETING & co"}])
    );
    let out = go(&["templates", "languages", "--template", "café ☕"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        serde_json::from_str::<Value>(&stdout(&out)).unwrap(),
        json!([{"code": "en", "label": "English"}, {"code": "en_US", "label": "English (US)"}])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_errors_and_fields_help_send_no_request() {
    let server = strict_server().await;
    let home = Home::new();
    config(&home, &server.uri());
    let out = run({
        let mut c = home.cmd();
        c.args(["templates", "list", "--fields", "help"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let help = stdout(&out);
    for f in [
        "code",
        "name",
        "category",
        "language",
        "status",
        "id",
        "option_code",
        "parameter_format_code",
    ] {
        assert!(help.lines().any(|l| l.starts_with(f)), "{f} in\n{help}");
    }
    for (args, needle) in [
        (vec!["templates", "show", " "], "the template code is empty"),
        (
            vec!["templates", "contents", ""],
            "the template code is empty",
        ),
        (
            vec!["templates", "category-options", ""],
            "the category code is empty",
        ),
        (vec!["templates", "languages"], "--template <CODE>"),
        (vec!["templates", "list", "--page-size", "0"], "--page-size"),
    ] {
        let out = run({
            let mut c = home.cmd();
            c.args(&args);
            c
        })
        .await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
    }
}

/// Runs `templates list` against pages 1 and 2 (and no other) and returns the output.
async fn two_pages(first: Value, second: Value) -> std::process::Output {
    let server = strict_server().await;
    for (n, body) in [(1, first), (2, second)] {
        egv_get("/templates", &format!("page={n}&per_page=100"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
    }
    let home = Home::new();
    config(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "templates",
        "list",
        "--concurrency",
        "1",
        "-f",
        "csv",
        "--fields",
        "code",
    ]);
    run(cmd).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_list_that_changes_while_paging_is_incomplete_exit_3() {
    let cases = [
        (
            page(tpls(100..101), 2, 100, 151, 2),
            "the number of templates changed from 150 to 151 while paging",
        ),
        (
            page(tpls(100..150), 1, 100, 150, 2),
            "asked for page 2 but Engagive answered page 1",
        ),
        (
            page(tpls(99..149), 2, 100, 150, 2),
            "Engagive reported 150 templates but served 149 distinct ones",
        ),
        (
            json!({"success": true, "data": tpls(100..150)}),
            "page 2 came without its pagination object",
        ),
    ];
    for (second, needle) in cases {
        let out = two_pages(page(tpls(0..100), 1, 100, 150, 2), second).await;
        assert_eq!(out.status.code(), Some(3), "{needle}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{needle}: {}", stderr(&out));
        assert!(
            stdout(&out).starts_with("code\nt_000\n"),
            "rows came before the failure"
        );
    }
    // An empty page before the end.
    let out = two_pages(
        page(tpls(0..100), 1, 100, 250, 3),
        page(vec![], 2, 100, 250, 3),
    )
    .await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Engagive reported 250 templates but page 2 was empty after 100"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_list_without_pagination_is_one_page() {
    let server = strict_server().await;
    egv_get("/templates/lookups/categories", "page=1&per_page=100")
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"success": true, "data": [{"code": "UTILITY", "label": "Utility"}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server.uri());
    let out = run({
        let mut c = home.cmd();
        c.args(["templates", "categories", "-f", "csv"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "code,label\nUTILITY,Utility\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn later_pages_are_fetched_concurrently_and_printed_in_order() {
    let server = strict_server().await;
    // Page 1 tells there are 4 pages; 2, 3 and 4 are then in flight together, and the slow
    // page 2 must still come out second.
    for (n, delay) in [(1u64, 0u64), (2, 400), (3, 0), (4, 100)] {
        egv_get("/templates", &format!("page={n}&per_page=3"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(page(tpls((n - 1) * 3..(n * 3).min(11)), n, 3, 11, 4))
                    .set_delay(std::time::Duration::from_millis(delay)),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let home = Home::new();
    config(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "templates",
        "list",
        "--page-size",
        "3",
        "--concurrency",
        "3",
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let want: Vec<String> = (0..11).map(|i| format!("t_{i:03}")).collect();
    assert_eq!(codes(&out), want);
}

#[tokio::test(flavor = "multi_thread")]
async fn read_errors_map_to_exit_codes_and_only_reads_are_retried() {
    let meta =
        serde_json::from_str::<Value>(include_str!("../../fixtures/engagive/error-502-meta.json"))
            .unwrap();
    let err = |s: u16, m: &str| json!({"success": false, "statusCode": s, "message": m});
    let cases: Vec<(u16, Value, u64, i32, &str)> = vec![
        (
            400,
            err(400, "'per_page' may be at most 100"),
            1,
            2,
            "400 Bad Request: 'per_page' may be at most 100.",
        ),
        (
            401,
            err(401, "Unauthorized"),
            1,
            4,
            "401 Unauthorized: Unauthorized.",
        ),
        (
            403,
            err(403, "No access to account acc-42"),
            1,
            4,
            "403 Forbidden: No access to account acc-42.",
        ),
        (
            404,
            err(404, "Not found"),
            1,
            7,
            "404 Not Found: Not found.",
        ),
        (
            500,
            err(500, "boom"),
            2,
            6,
            "500 Internal Server Error: boom.",
        ),
        (
            502,
            meta,
            2,
            6,
            "502 Bad Gateway: Meta error 131026: WhatsApp / Meta rejected the request; Meta says: (#131026) Message undeliverable (Message Undeliverable.).",
        ),
        (
            503,
            json!({"success": false, "error": "maintenance"}),
            2,
            6,
            "503 Service Unavailable: maintenance.",
        ),
        (
            429,
            err(429, "slow down"),
            2,
            5,
            "429 Too Many Requests: slow down.",
        ),
        (
            200,
            err(403, "Role may not view templates"),
            1,
            4,
            "200 OK: Role may not view templates.",
        ),
    ];
    for (status, body, calls, code, needle) in cases {
        let server = strict_server().await;
        egv_get("/templates/lookups/categories", "page=1&per_page=100")
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(body)
                    .insert_header("retry-after", "0"),
            )
            .expect(calls)
            .mount(&server)
            .await;
        let home = Home::new();
        config(&home, &server.uri());
        let out = run({
            let mut c = home.cmd();
            c.args(["templates", "categories", "--retries", "2"]);
            c
        })
        .await;
        assert_eq!(out.status.code(), Some(code), "{status}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.starts_with(
                "wa-analytics: error: Engagive GET /channels/whatsapp/accounts/acc-42/templates/lookups/categories answered "
            ),
            "{err}"
        );
        assert!(err.contains(needle), "{status}: {err}");
        assert_eq!(err.lines().count(), 2, "one paragraph and a hint: {err}");
        server.verify().await;
    }
    // HTML from a proxy: a clear bad response, exit 6.
    let server = strict_server().await;
    egv_get("/templates/lookups/categories", "page=1&per_page=100")
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>login</html>", "text/html"))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server.uri());
    let out = run({
        let mut c = home.cmd();
        c.args(["templates", "categories"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(6));
    assert!(
        stderr(&out).contains("the response was HTML, not JSON"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn analytics_commands_are_not_supported_before_any_request() {
    let server = strict_server().await;
    let home = Home::new();
    config(&home, &server.uri());
    for args in [
        vec!["campaigns", "list"],
        vec!["campaigns", "summary", "X"],
        vec!["campaigns", "details", "X"],
        vec!["campaigns", "export", "X", "-o", "out.csv"],
        vec!["stats", "--last", "7d"],
    ] {
        let out = run({
            let mut c = home.cmd();
            c.args(&args);
            c
        })
        .await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "");
        let err = stderr(&out);
        let command = if args[0] == "stats" {
            "stats".to_string()
        } else {
            format!("{} {}", args[0], args[1])
        };
        assert!(
            err.contains(&format!("Engagive does not support '{command}'")),
            "{err}"
        );
        assert!(
            err.contains("commands Engagive supports: templates list, templates show, templates contents, templates categories, templates category-options, templates languages, messages send-template, messages send-reaction, messages send."),
            "{err}"
        );
    }
    assert!(!home.path().join("out.csv").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn profiles_check_asks_for_one_template() {
    let server = strict_server().await;
    egv_get("/templates", "page=1&per_page=1")
        .respond_with(ResponseTemplate::new(200).set_body_json(page(tpls(0..1), 1, 1, 9, 9)))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server.uri());
    let out = run({
        let mut c = home.cmd();
        c.args(["profiles", "check", "-f", "csv"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "name,provider,result,detail\negv,engagive,ok,\n"
    );

    let server = strict_server().await;
    Mock::given(method("GET"))
        .and(path(format!("{ACC}/templates")))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"success": false, "statusCode": 401, "message": "Token expired"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    config(&home, &server.uri());
    let out = run({
        let mut c = home.cmd();
        c.args(["profiles", "check", "-f", "csv"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("name,provider,result,detail\negv,engagive,auth refused,Engagive GET /channels/whatsapp/accounts/acc-42/templates answered 401 Unauthorized: Token expired."),
        "{}",
        stdout(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_from_env_encodes_the_account_id_as_one_segment() {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .and(path(
            "/channels/whatsapp/accounts/acc%201%2F%C3%BC/templates/lookups/categories",
        ))
        .and(RawQuery("page=1&per_page=100".into()))
        .and(header("authorization", "Bearer env-token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": []})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    let mut cmd = home.cmd();
    cmd.env("WA_ENGAGIVE_ACCOUNT_ID", "acc 1/ü")
        .env("WA_ENGAGIVE_TOKEN", "env-token")
        .env("WA_ENGAGIVE_BASE_URL", server.uri())
        .args([
            "--provider",
            "engagive",
            "templates",
            "categories",
            "-f",
            "json",
        ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "[]\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_without_account_id_is_a_config_error() {
    let home = Home::new();
    home.write_config(
        "[profiles.egv]\nprovider = \"engagive\"\nbase_url = \"http://127.0.0.1:9\"\ntoken = \"t\"\n",
    );
    let out = run({
        let mut c = home.cmd();
        c.args(["templates", "categories"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("account_id"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_401_reruns_the_token_command_once_and_retries() {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .and(path(format!("{ACC}/templates/lookups/categories")))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"success": false, "statusCode": 401, "message": "expired"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{ACC}/templates/lookups/categories")))
        .and(RawQuery("page=1&per_page=100".into()))
        .and(header("authorization", "Bearer tok-2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": []})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    let script = home.path().join("tok.sh");
    std::fs::write(
        &script,
        "n=$(cat \"$HOME/n\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$HOME/n\"; echo tok-$n\n",
    )
    .unwrap();
    home.write_config(&format!(
        "[profiles.egv]\nprovider = \"engagive\"\nbase_url = \"{}\"\naccount_id = \"acc-42\"\ntoken = {{ command = \"sh {}\" }}\n",
        server.uri(),
        script.display()
    ));
    let out = run({
        let mut c = home.cmd();
        c.args(["templates", "categories", "-f", "json"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "[]\n");
}
