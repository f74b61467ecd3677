//! Pages that drift or repeat (issue 13, item 2; product.md "Pages that drift or repeat are
//! caught"): a server whose rows shift between requests, or that ignores `offset`, serves pages
//! of the right size that hold some rows twice and others never. The rows written are distinct,
//! and when they fall short of the total Engage reported the export ends with exit 3.

use std::collections::HashSet;

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use super::*;
use crate::support::{Home, run, stderr, strict_server};

/// Rows `rows` of the campaign (as [`page`] numbers them), as a page that echoes `limit` and
/// `total`, and `offset` when given.
fn rows_page(rows: std::ops::Range<usize>, limit: usize, offset: Option<usize>) -> Value {
    let mut body = page(rows, limit, offset.unwrap_or(0), 0);
    let pagination = body["pagination"].as_object_mut().unwrap();
    pagination.insert("total".into(), json!(TOTAL_OF_TEST));
    if offset.is_none() {
        pagination.remove("offset");
    }
    body
}

const TOTAL_OF_TEST: usize = 25;

/// `campaigns export Spring --page-size 10 -o f.csv` in a fresh home against `server`.
async fn export(server: &wiremock::MockServer) -> (Home, std::process::Output) {
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "export",
        "Spring",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "--page-size",
        "10",
        "-o",
        "f.csv",
    ]);
    let out = run(cmd).await;
    (home, out)
}

/// The data lines of the CSV file (no header).
fn lines(home: &Home) -> Vec<String> {
    let text = std::fs::read_to_string(home.path().join("f.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert_eq!(
        lines.remove(0),
        "contact,name,status,sent_at,delivered_at,read_at,engaged,response,error"
    );
    lines
}

/// The contact numbers (`page`'s row numbers) of the data lines, asserting none repeats.
fn distinct_rows(home: &Home) -> Vec<usize> {
    let rows: Vec<usize> = lines(home)
        .iter()
        .map(|l| l[7..12].parse().unwrap())
        .collect();
    let unique: HashSet<_> = rows.iter().collect();
    assert_eq!(
        unique.len(),
        rows.len(),
        "a row was written twice: {rows:?}"
    );
    rows
}

async fn mount(server: &wiremock::MockServer, limit: u64, offset: u64, body: Value) {
    engage_get(
        "/campaign/Spring/details",
        format!("{APRIL}&limit={limit}&offset={offset}"),
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(body))
    .expect(1)
    .mount(server)
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_that_shift_by_two_rows_write_each_row_once_and_exit_3() {
    // Two rows are inserted before the next request each time, the total staying 25: the page
    // at offset 10 holds rows 8..18, the one at offset 20 rows 16..21.
    let server = strict_server().await;
    mount(&server, 10, 0, rows_page(0..10, 10, Some(0))).await;
    mount(&server, 10, 10, rows_page(8..18, 10, Some(10))).await;
    mount(&server, 10, 20, rows_page(16..21, 10, Some(20))).await;
    let (home, out) = export(&server).await;
    assert_eq!(out.status.code(), Some(3), "stderr: {}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "wa-analytics: warning: 4 row(s) came twice from the vendor's pages and were written once (the pages shifted or repeated while they were read)\n\
         wa-analytics: error: Engage: 21 distinct row(s) were written of the 25 Engage counts for this query: 4 came twice (written once) and 4 never came, so its pages shifted or repeated while they were read.\n\
         hint: the rows in f.csv are not the whole result; run the command again (a larger --page-size leaves fewer pages for the rows to move between)\n"
    );
    assert_eq!(distinct_rows(&home), (0..21).collect::<Vec<_>>());
    home.assert_no_temp_files();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_ignores_offset_writes_its_one_page_once_and_exits_3() {
    // Every request gets rows 0..10 with no offset echoed; Engage counts 30.
    let server = strict_server().await;
    for offset in [0, 10, 20] {
        let mut body = rows_page(0..10, 10, None);
        body["pagination"]["total"] = json!(30);
        mount(&server, 10, offset, body).await;
    }
    let (home, out) = export(&server).await;
    assert_eq!(out.status.code(), Some(3), "stderr: {}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("error: Engage: 10 distinct row(s) were written of the 30 Engage counts for this query: 20 came twice (written once) and 20 never came, so its pages shifted"),
        "{err}"
    );
    assert_eq!(distinct_rows(&home), (0..10).collect::<Vec<_>>());
    home.assert_no_temp_files();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_honest_server_exports_every_row_with_exit_0() {
    let server = strict_server().await;
    mount(&server, 10, 0, rows_page(0..10, 10, Some(0))).await;
    mount(&server, 10, 10, rows_page(10..20, 10, Some(10))).await;
    mount(&server, 10, 20, rows_page(20..25, 10, Some(20))).await;
    let (home, out) = export(&server).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stderr(&out), "");
    assert_eq!(distinct_rows(&home), (0..25).collect::<Vec<_>>());
    home.assert_no_temp_files();
}

#[tokio::test(flavor = "multi_thread")]
async fn details_on_stdout_print_each_row_once_and_exit_3() {
    let server = strict_server().await;
    mount(&server, 10, 0, rows_page(0..10, 10, Some(0))).await;
    mount(&server, 10, 10, rows_page(8..18, 10, Some(10))).await;
    mount(&server, 10, 20, rows_page(16..21, 10, Some(20))).await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "details",
        "Spring",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "--page-size",
        "10",
        "--format",
        "jsonl",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(3), "stderr: {}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("Engage: 21 distinct row(s) were written of the 25 Engage counts")
            && err.contains("hint: the rows above are not the whole result"),
        "{err}"
    );
    let contacts: Vec<String> = crate::support::stdout(&out)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["contact"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let expected: Vec<String> = (0..21).map(|i| format!("5730000{i:05}")).collect();
    assert_eq!(contacts, expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_incremental_export_of_pages_that_drift_writes_its_distinct_rows_and_keeps_its_position()
{
    // The decision (README, "Pages that drift"): the file holds the distinct rows, written in
    // place, the run ends with exit 3 saying how many of the vendor's count they are, and the
    // --state position does not move, so the next run reads the same range again.
    let server = strict_server().await;
    mount(&server, 10, 0, rows_page(0..10, 10, Some(0))).await;
    mount(&server, 10, 10, rows_page(8..18, 10, Some(10))).await;
    mount(&server, 10, 20, rows_page(16..21, 10, Some(20))).await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let state = home.path().join("s.json");
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "export",
        "Spring",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "--page-size",
        "10",
        "-o",
        "f.csv",
        "--state",
    ])
    .arg(&state);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(3), "stderr: {}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "wa-analytics: warning: 4 row(s) came twice from the vendor's pages and were written once (the pages shifted or repeated while they were read)\n\
         wa-analytics: error: Engage: 21 distinct row(s) were written of the 25 Engage counts for this query: 4 came twice (written once) and 4 never came, so its pages shifted or repeated while they were read.\n\
         hint: the rows in f.csv are not the whole result; run the command again (a larger --page-size leaves fewer pages for the rows to move between); the --state position was not moved, so the next run reads this range again\n"
    );
    assert_eq!(distinct_rows(&home), (0..21).collect::<Vec<_>>());
    assert!(
        !state.exists(),
        "the state moved: {:?}",
        std::fs::read_to_string(&state)
    );
    home.assert_no_temp_files();
}
