//! The template reads: `templates list` (search, page size, hard rows), `show` with a hard code,
//! `contents`, and the lookups (categories, category options, languages).

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use super::*;
use crate::support::{Home, run, stderr, stdout, strict_server};

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
            include_str!("../../../fixtures/engagive/templates-hard.json"),
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
            include_str!("../../../fixtures/engagive/template.json"),
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
async fn templates_contents_with_search() {
    let server = strict_server().await;
    egv_get(
        "/templates/order_shipped/contents",
        "search=pedido%20%F0%9F%9A%9A&page=1&per_page=100",
    )
    .respond_with(ResponseTemplate::new(200).set_body_raw(
        include_str!("../../../fixtures/engagive/contents.json"),
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
