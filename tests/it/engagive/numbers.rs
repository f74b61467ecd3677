//! What the numbers mean, for Engagive (product.md, "What the numbers mean"): a template without
//! its code (or a content without its language, a lookup entry without its code) is unreadable
//! (exit 6, naming the path and what the record holds); a missing other field is null with one
//! warning however many records and pages lack it; an answer without its `data` list is
//! unreadable; unknown fields are listed at `-v` only.

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use super::*;
use crate::support::{Home, run, stderr, stdout, strict_server};

/// Runs `args` against `GET ACC + path?query` answering `body` (once).
async fn answered(path: &str, query: &str, body: Value, args: &[&str]) -> std::process::Output {
    let server = strict_server().await;
    egv_get(path, query)
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server.uri());
    let mut c = home.cmd();
    c.args(args);
    run(c).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_template_without_code_is_exit_6_naming_the_path_and_what_the_record_holds() {
    let mut rows = tpls(0..2);
    rows.push(json!({"id": 102, "name": "No code", "category_code": "UTILITY",
                     "option_code": "STANDARD", "parameter_format_code": "POSITIONAL", "status": "approved"}));
    let out = answered(
        "/templates",
        "page=1&per_page=100",
        page(rows, 1, 100, 3, 1),
        &["templates", "list", "-f", "csv"],
    )
    .await;
    assert_eq!(out.status.code(), Some(6), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!(
            "wa-analytics: error: Engagive GET {ACC}/templates failed: cannot read Engagive's answer to 'templates list': it lacks data[].code (the answer holds: category_code, id, name, option_code, parameter_format_code, status)"
        )),
        "{err}"
    );
    assert!(err.contains("providers --mapping"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn templates_show_without_code_is_exit_6_naming_data_code() {
    let out = answered(
        "/templates/order_shipped",
        "",
        json!({"success": true, "message": "Template retrieved",
               "data": {"id": 101, "code": null, "name": "Order shipped", "status": "approved"}}),
        &["templates", "show", "order_shipped", "-f", "json"],
    )
    .await;
    assert_eq!(out.status.code(), Some(6), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains(
            "cannot read Engagive's answer to 'templates show': data.code: is null (the answer holds: code, id, name, status)"
        ),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_content_without_its_language_and_an_option_without_its_code_are_exit_6() {
    let out = answered(
        "/templates/order_shipped/contents",
        "page=1&per_page=100",
        json!({"success": true, "data": [{"id": 501, "text": "Hi {{1}}", "is_draft": true}],
               "pagination": {"page": 1, "per_page": 100, "total": 1, "total_pages": 1}}),
        &["templates", "contents", "order_shipped", "-f", "csv"],
    )
    .await;
    assert_eq!(out.status.code(), Some(6), "stderr: {}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "'templates contents': it lacks data[].lang_code (the answer holds: id, is_draft, text)"
        ),
        "{}",
        stderr(&out)
    );
    let out = answered(
        "/templates/lookups/categories/MARKETING/options",
        "page=1&per_page=100",
        json!({"success": true, "data": [{"label": "Standard message", "category_code": "MARKETING"}]}),
        &["templates", "category-options", "MARKETING", "-f", "csv"],
    )
    .await;
    assert_eq!(out.status.code(), Some(6), "stderr: {}", stderr(&out));
    assert!(
        stderr(&out).contains("'templates category-options': it lacks data[].code (the answer holds: category_code, label)"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn templates_missing_a_status_on_every_page_print_null_with_exactly_one_warning() {
    let server = strict_server().await;
    let no_status = |r: std::ops::Range<u64>| -> Vec<Value> {
        tpls(r)
            .into_iter()
            .map(|mut t| {
                t.as_object_mut().unwrap().remove("status");
                t
            })
            .collect()
    };
    for (n, rows) in [(1, 0..2), (2, 2..3)] {
        egv_get("/templates", &format!("page={n}&per_page=2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(
                no_status(rows),
                n,
                2,
                3,
                2,
            )))
            .expect(1)
            .mount(&server)
            .await;
    }
    let home = Home::new();
    config(&home, &server.uri());
    let out = run({
        let mut c = home.cmd();
        c.args([
            "templates",
            "list",
            "--page-size",
            "2",
            "-f",
            "csv",
            "--fields",
            "code,status",
            "--concurrency",
            "1",
        ]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "code,status\nt_000,\nt_001,\nt_002,\n");
    assert_eq!(
        stderr(&out),
        "wa-analytics: warning: Engagive's answer to 'templates list' has no data[].status: status is null\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_null_field_is_null_without_a_warning() {
    // `option_code: null` is Engagive saying there is none, not a field it left out.
    let mut t = tpl(0);
    t["option_code"] = Value::Null;
    let out = answered(
        "/templates",
        "page=1&per_page=100",
        page(vec![t], 1, 100, 1, 1),
        &[
            "templates",
            "list",
            "-f",
            "csv",
            "--fields",
            "code,option_code",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "code,option_code\nt_000,\n");
    assert_eq!(stderr(&out), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_list_answer_without_data_is_exit_6_not_an_empty_list() {
    let out = answered(
        "/templates",
        "page=1&per_page=100",
        json!({"success": true, "message": "Templates retrieved", "items": [tpl(0)]}),
        &["templates", "list", "-f", "json"],
    )
    .await;
    assert_eq!(out.status.code(), Some(6), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains(
            "the answer has no list of templates (data; it holds: items, message, success)"
        ),
        "{}",
        stderr(&out)
    );
    // A null `data` is an empty list.
    let out = answered(
        "/templates",
        "page=1&per_page=100",
        json!({"success": true, "message": "Templates retrieved", "data": null}),
        &["templates", "list", "-f", "json"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "[]");
}

#[tokio::test(flavor = "multi_thread")]
async fn fields_engagive_does_not_document_are_listed_once_at_v_and_never_without_it() {
    let rows: Vec<Value> = tpls(0..3)
        .into_iter()
        .map(|mut t| {
            t["quality_score"] = json!("GREEN");
            t
        })
        .collect();
    let body = page(rows, 1, 100, 3, 1);
    let args = ["templates", "list", "-f", "csv", "--fields", "code"];
    let quiet = answered("/templates", "page=1&per_page=100", body.clone(), &args).await;
    assert_eq!(quiet.status.code(), Some(0), "stderr: {}", stderr(&quiet));
    assert_eq!(stderr(&quiet), "");
    let mut verbose_args = args.to_vec();
    verbose_args.push("-v");
    let verbose = answered("/templates", "page=1&per_page=100", body, &verbose_args).await;
    assert_eq!(
        verbose.status.code(),
        Some(0),
        "stderr: {}",
        stderr(&verbose)
    );
    let lines: Vec<_> = stderr(&verbose)
        .lines()
        .filter(|l| l.contains("does not read"))
        .map(String::from)
        .collect();
    assert_eq!(
        lines,
        [
            "wa-analytics: Engagive's answer to 'templates list' has fields wa-analytics does not read: quality_score"
        ]
    );
}
