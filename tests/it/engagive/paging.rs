//! Paging: every page in order with none doubled, a list that changes while paging is
//! incomplete (exit 3), a list without pagination is one page, and later pages are fetched
//! concurrently and printed in order.

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use super::*;
use crate::support::{Home, run, stderr, stdout, strict_server};

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
