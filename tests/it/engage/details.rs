//! `campaigns details`: every page by limit and offset, ranges split into 90-day windows,
//! `--offset`/`--limit`, a total the rows disagree with, pages fetched concurrently and printed in
//! order, and a reader that stops early.

use serde_json::{Value, json};
use wiremock::{MockServer, ResponseTemplate};

use super::*;
use crate::support::{Home, engage_range, run, stderr, stdout, strict_server};

#[tokio::test(flavor = "multi_thread")]
async fn details_walks_every_page_by_limit_and_offset() {
    let server = strict_server().await;
    for (offset, rows) in [(0usize, 0..10usize), (10, 10..20), (20, 20..25)] {
        engage_get(
            "/campaign/Spring/details",
            format!("{APRIL}&limit=10&offset={offset}"),
        )
        .respond_with(ResponseTemplate::new(200).set_body_json(page(rows, 10, offset, 25)))
        .expect(1)
        .mount(&server)
        .await;
    }
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
        "-f",
        "jsonl",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 25);
    assert_eq!(lines[0]["contact"], "573000000000");
    assert_eq!(lines[24]["contact"], "573000000024");
    assert_eq!(
        lines[3],
        json!({"contact": "573000000003", "name": "Contact 3", "status": "read", "sent_at": "2026-04-02T10:00:00Z",
               "delivered_at": "2026-04-02T10:00:05Z", "read_at": "2026-04-02T10:10:00Z", "engaged": false,
               "response": null, "error": null})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn details_splits_ranges_longer_than_90_days_at_exact_seams() {
    let server = strict_server().await;
    // 2026-01-01 .. 2026-05-01 is 120 days: [Jan 1, Apr 1) and [Apr 1, May 1), `to` inclusive.
    let first = engage_range("2026-01-01 00:00:00", "2026-03-31 23:59:59");
    let second = engage_range("2026-04-01 00:00:00", "2026-04-30 23:59:59");
    engage_get(
        "/campaign/Spring/details",
        format!("{first}&limit=10000&offset=0"),
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(page(0..2, 10000, 0, 2)))
    .expect(1)
    .mount(&server)
    .await;
    engage_get(
        "/campaign/Spring/details",
        format!("{second}&limit=10000&offset=0"),
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(page(2..3, 10000, 0, 1)))
    .expect(1)
    .mount(&server)
    .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "details",
        "Spring",
        "--from",
        "2026-01-01",
        "--to",
        "2026-04-30",
        "-f",
        "csv",
        "--fields",
        "contact",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "contact\n573000000000\n573000000001\n573000000002\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn details_applies_offset_and_limit_to_the_whole_result() {
    let server = strict_server().await;
    engage_get(
        "/campaign/Spring/details",
        format!("{APRIL}&limit=4&offset=3"),
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(page(3..7, 4, 3, 25)))
    .expect(1)
    .mount(&server)
    .await;
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
        "--offset",
        "3",
        "--limit",
        "4",
        "-f",
        "csv",
        "--fields",
        "contact,engaged",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "contact,engaged\n573000000003,false\n573000000004,true\n573000000005,false\n573000000006,true\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn details_fails_with_exit_3_when_rows_disagree_with_the_reported_total() {
    let server = strict_server().await;
    engage_get(
        "/campaign/Spring/details",
        format!("{APRIL}&limit=10&offset=0"),
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(page(0..10, 10, 0, 30)))
    .expect(1)
    .mount(&server)
    .await;
    engage_get(
        "/campaign/Spring/details",
        format!("{APRIL}&limit=10&offset=10"),
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(page(0..0, 10, 10, 30)))
    .expect(1)
    .mount(&server)
    .await;
    // Pages are checked where they are decoded, beside the writer, so the next page may already
    // be on its way when the bad one is found (one at a time with --concurrency 1); nothing after
    // it is asked for.
    engage_get(
        "/campaign/Spring/details",
        format!("{APRIL}&limit=10&offset=20"),
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(page(20..30, 10, 20, 30)))
    .expect(0..=1)
    .mount(&server)
    .await;
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
        "--concurrency",
        "1",
        "-o",
        "out.csv",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(err.contains("Engage reported 30 rows for the window 2026-04-01 00:00:00 – 2026-05-01 00:00:00 but the page at offset 10 was empty"), "{err}");
    assert!(err.contains("GET /campaign/Spring/details"), "{err}");
    assert!(!home.path().join("out.csv").exists());
    home.assert_no_temp_files();
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn details_piped_into_a_reader_that_stops_early_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let server = MockServer::start().await;
    for (offset, rows) in [
        (0usize, 0..10_000usize),
        (10_000, 10_000..20_000),
        (20_000, 20_000..30_000),
    ] {
        engage_get(
            "/campaign/Big/details",
            format!("{APRIL}&limit=10000&offset={offset}"),
        )
        .respond_with(ResponseTemplate::new(200).set_body_json(page(rows, 10_000, offset, 30_000)))
        .mount(&server)
        .await;
    }
    let home = Home::new();
    home.engage_config(&server.uri());
    let bin = assert_cmd::cargo::cargo_bin("wa-analytics");
    let home_path = home.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        let mut child = std::process::Command::new(bin)
            .args([
                "campaigns",
                "details",
                "Big",
                "--from",
                "2026-04-01",
                "--to",
                "2026-04-30",
                "-f",
                "csv",
            ])
            .env_clear()
            .env("HOME", &home_path)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert_eq!(
            first,
            "contact,name,status,sent_at,delivered_at,read_at,engaged,response,error\n"
        );
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stderr(&out), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn details_fetches_pages_concurrently_and_prints_them_in_order() {
    let server = strict_server().await;
    // The first page tells the total (45); the other four are then in flight together, and the
    // slow second page must still come out second.
    for (offset, delay_ms) in [(0usize, 0u64), (10, 400), (20, 0), (30, 100), (40, 0)] {
        let rows = offset..(offset + 10).min(45);
        engage_get(
            "/campaign/Spring/details",
            format!("{APRIL}&limit=10&offset={offset}"),
        )
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page(rows, 10, offset, 45))
                .set_delay(std::time::Duration::from_millis(delay_ms)),
        )
        .expect(1)
        .mount(&server)
        .await;
    }
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
        "--concurrency",
        "4",
        "-f",
        "csv",
        "--fields",
        "contact",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let want: String = std::iter::once("contact".to_string())
        .chain((0..45).map(|i| format!("573{i:09}")))
        .map(|l| l + "\n")
        .collect();
    assert_eq!(stdout(&out), want);
}
