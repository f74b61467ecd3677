//! Engage end to end: the real binary against wiremock, every request pinned.

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{Home, RawQuery, engage_range, run, stderr, stdout, strict_server};

/// A GET of `p` with Engage's two credentials and an exact raw query.
pub(crate) fn engage_get(p: &str, query: String) -> wiremock::MockBuilder {
    Mock::given(method("GET"))
        .and(path(p))
        .and(RawQuery(query))
        .and(header("x-token", "bot-token-1"))
        .and(header("authorization", "Bearer jwt-1"))
}

fn contact(i: usize) -> Value {
    json!({
        "contact": format!("5730000{i:05}"), "name": format!("Contact {i}"), "status": "read",
        "sent_at": "2026-04-02 10:00:00", "delivered_at": "2026-04-02 10:00:05",
        "read_at": "2026-04-02 10:10:00", "engaged": i % 2 == 0, "response": null, "error": null
    })
}

fn page(rows: std::ops::Range<usize>, limit: usize, offset: usize, total: usize) -> Value {
    json!({"data": rows.map(contact).collect::<Vec<_>>(), "pagination": {"limit": limit, "offset": offset, "total": total}})
}

const APRIL: &str = "from=2026-04-01%2000%3A00%3A00&to=2026-04-30%2023%3A59%3A59";

#[tokio::test(flavor = "multi_thread")]
async fn list_sends_both_credentials_and_the_encoded_range_and_prints_json() {
    let server = strict_server().await;
    engage_get("/campaigns", format!("{APRIL}&type=one-time"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            include_str!("../../fixtures/engage/campaigns.json"),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "list",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "--type",
        "one-time",
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!([
            {"id": "074116ff-76f3-47b7-8be2-92f465718a3e", "name": "Black Friday 50% off", "type": "one-time",
             "status": "completed", "created_at": "2026-04-01T09:00:00Z", "sent_at": "2026-04-02T10:00:00Z", "total_contacts": 1200},
            {"id": "c2", "name": "Draft", "type": "one-time", "status": "scheduled",
             "created_at": "2026-04-03T09:00:00Z", "sent_at": null, "total_contacts": 0}
        ])
    );
    assert_eq!(stderr(&out), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn list_prints_tsv_when_piped_and_csv_on_request() {
    let server = strict_server().await;
    engage_get("/campaigns", APRIL.to_string())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [
            {"id": "a1", "name": "Promo, \"quoted\"", "type": "recurrent", "status": "running",
             "created_at": "2026-04-01 09:00:00", "sent_at": null, "total_contacts": 7}
        ]})))
        .expect(2)
        .mount(&server)
        .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut tsv = home.cmd();
    tsv.args([
        "campaigns",
        "list",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
    ]);
    let out = run(tsv).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "id\tname\ttype\tstatus\tcreated_at\tsent_at\ttotal_contacts\na1\t\"Promo, \"\"quoted\"\"\"\trecurrent\trunning\t2026-04-01T09:00:00Z\t\t7\n"
    );
    let mut csv = home.cmd();
    csv.args([
        "-f",
        "csv",
        "campaigns",
        "list",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
    ]);
    let out = run(csv).await;
    assert_eq!(
        stdout(&out),
        "id,name,type,status,created_at,sent_at,total_contacts\na1,\"Promo, \"\"quoted\"\"\",recurrent,running,2026-04-01T09:00:00Z,,7\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn summary_encodes_a_hard_campaign_name_as_one_segment_and_converts_rates_to_fractions() {
    let server = strict_server().await;
    engage_get(
        "/campaign/Promo%20a%2Fb%20%232%3F%2050%25%20Caf%C3%A9%20%E2%98%95/summary",
        APRIL.to_string(),
    )
    .respond_with(ResponseTemplate::new(200).set_body_raw(
        include_str!("../../fixtures/engage/summary.json"),
        "application/json",
    ))
    .expect(1)
    .mount(&server)
    .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "summary",
        "Promo a/b #2? 50% Café ☕",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!({"id": null, "name": "Promo a/b #2? 50% Café ☕", "type": "one-time", "total": 1200, "sent": 1190,
               "delivered": 1150, "read": 767, "engaged": 120, "errors": 10,
               "read_rate": 0.667, "engagement_rate": 0.1043, "error_rate": 0.0083})
    );
}

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

#[tokio::test(flavor = "multi_thread")]
async fn export_writes_every_row_to_a_csv_file() {
    let server = strict_server().await;
    engage_get(
        "/campaign/Spring/details",
        format!("{APRIL}&limit=10000&offset=0"),
    )
    .respond_with(ResponseTemplate::new(200).set_body_raw(
        include_str!("../../fixtures/engage/details-hard-rows.json"),
        "application/json",
    ))
    .expect(1)
    .mount(&server)
    .await;
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
        "-o",
        "contacts.csv",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let file = std::fs::read_to_string(home.path().join("contacts.csv")).unwrap();
    assert_eq!(
        file,
        "contact,name,status,sent_at,delivered_at,read_at,engaged,response,error\n\
         +573001234567,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",error,2026-04-02T10:00:00Z,,,false,,131026 undeliverable\n\
         573001234568,\"Ana\nMaría\",delivered,2026-04-02T10:00:01Z,2026-04-02T10:00:09Z,,true,'-2+3,\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn export_without_output_is_a_usage_error_before_any_request() {
    let server = strict_server().await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "export", "Spring"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("campaigns export needs -o FILE"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_export_keeps_the_previous_file_and_leaves_no_temporary_file() {
    let server = strict_server().await;
    engage_get(
        "/campaign/Spring/details",
        format!("{APRIL}&limit=10&offset=0"),
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(page(0..10, 10, 0, 20)))
    .expect(1)
    .mount(&server)
    .await;
    engage_get(
        "/campaign/Spring/details",
        format!("{APRIL}&limit=10&offset=10"),
    )
    .respond_with(
        ResponseTemplate::new(500)
            .set_body_json(json!({"error": {"code": "INTERNAL", "message": "boom"}})),
    )
    .expect(2)
    .mount(&server)
    .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    std::fs::write(home.path().join("contacts.csv"), "previous\n").unwrap();
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
        "--retries",
        "2",
        "-o",
        "contacts.csv",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(6));
    assert!(stderr(&out).contains("Engage GET /campaign/Spring/details answered 500 Internal Server Error: INTERNAL: boom."), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(home.path().join("contacts.csv")).unwrap(),
        "previous\n"
    );
    home.assert_no_temp_files();
}

#[tokio::test(flavor = "multi_thread")]
async fn stats_sends_frequency_and_type() {
    let server = strict_server().await;
    engage_get("/stats", format!("{APRIL}&frequency=weekly&type=recurrent"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [
            {"period": "2026-03-30", "sent": 100, "delivered": 90, "read": 50, "engaged": 5, "errors": 2},
            {"period": "2026-04-06", "sent": 0, "delivered": 0, "read": 0, "engaged": 0, "errors": 0}
        ]})))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "stats",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "--frequency",
        "weekly",
        "--type",
        "recurrent",
        "-f",
        "csv",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "period,sent,delivered,read,engaged,errors\n2026-03-30,100,90,50,5,2\n2026-04-06,0,0,0,0,0\n"
    );
}

async fn error_case(
    status: u16,
    body: Value,
    retries: &str,
    expected_calls: u64,
) -> std::process::Output {
    let server = strict_server().await;
    engage_get("/campaign/Gone/summary", APRIL.to_string())
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_json(body)
                .insert_header("retry-after", "0"),
        )
        .expect(expected_calls)
        .mount(&server)
        .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "summary",
        "Gone",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "--retries",
        retries,
    ]);
    run(cmd).await
}

#[tokio::test(flavor = "multi_thread")]
async fn vendor_errors_map_to_documented_exit_codes_with_one_paragraph() {
    let out = error_case(
        404,
        json!({"error": {"code": "CAMPAIGN_NOT_FOUND", "message": "campaign not found"}}),
        "3",
        1,
    )
    .await;
    assert_eq!(out.status.code(), Some(7));
    assert_eq!(
        stderr(&out),
        "wa-analytics: error: Engage GET /campaign/Gone/summary answered 404 Not Found: CAMPAIGN_NOT_FOUND: campaign not found.\n\
         hint: check the campaign name with 'wa-analytics campaigns list' (names must match exactly, accents and case included)\n"
    );
    let out = error_case(
        401,
        json!({"error": {"code": "UNAUTHORIZED", "message": "invalid or expired token"}}),
        "3",
        1,
    )
    .await;
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).contains("answered 401 Unauthorized: UNAUTHORIZED: invalid or expired token.")
    );
    let out = error_case(
        403,
        json!({"error": {"code": "FORBIDDEN", "message": "no permissions"}}),
        "3",
        1,
    )
    .await;
    assert_eq!(out.status.code(), Some(4));
    let out = error_case(
        400,
        json!({"error": {"code": "INVALID_PARAMETER", "message": "from is required"}}),
        "3",
        1,
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("400 Bad Request: INVALID_PARAMETER: from is required."));
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limits_and_server_errors_are_retried_then_exit_5_and_6() {
    let out = error_case(
        429,
        json!({"error": {"code": "RATE_LIMITED", "message": "too many requests"}}),
        "3",
        3,
    )
    .await;
    assert_eq!(out.status.code(), Some(5));
    assert!(
        stderr(&out).contains("429 Too Many Requests: RATE_LIMITED: too many requests."),
        "{}",
        stderr(&out)
    );
    let out = error_case(
        503,
        json!({"error": {"code": "UNAVAILABLE", "message": "maintenance"}}),
        "2",
        2,
    )
    .await;
    assert_eq!(out.status.code(), Some(6));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retried_rate_limit_then_success_prints_the_result() {
    let server = strict_server().await;
    engage_get("/stats", format!("{APRIL}&frequency=daily"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    engage_get("/stats", format!("{APRIL}&frequency=daily"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [{"period": "2026-04-01", "sent": 1, "delivered": 1, "read": 1, "engaged": 0, "errors": 0}]})))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "stats",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "-f",
        "csv",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "period,sent,delivered,read,engaged,errors\n2026-04-01,1,1,1,0,0\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_html_answer_is_a_clear_bad_response_exit_6() {
    let server = strict_server().await;
    engage_get("/campaigns", APRIL.to_string())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("<!DOCTYPE html><html>login</html>", "text/html"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "list",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(6));
    assert!(
        stderr(&out)
            .contains("Engage GET /campaigns answered 200 OK: the response was HTML, not JSON"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_401_reruns_the_token_command_once_and_retries() {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .and(path("/campaigns"))
        .and(header("authorization", "Bearer jwt-1"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error": {"code": "UNAUTHORIZED", "message": "expired"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/campaigns"))
        .and(RawQuery(APRIL.to_string()))
        .and(header("x-token", "bot-token-1"))
        .and(header("authorization", "Bearer jwt-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    // The command prints jwt-1, then jwt-2: a counter in a file.
    let script = home.path().join("jwt.sh");
    std::fs::write(&script, "n=$(cat \"$HOME/n\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$HOME/n\"; echo jwt-$n\n").unwrap();
    home.write_config(&format!(
        "[profiles.e]\nprovider = \"engage\"\nbase_url = \"{}\"\nbot_token = \"bot-token-1\"\ntoken = {{ command = \"sh {}\" }}\n",
        server.uri(),
        script.display()
    ));
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "list",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "[]\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_to_another_origin_carries_no_credentials() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/moved/campaigns"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .expect(1)
        .mount(&elsewhere)
        .await;
    let server = strict_server().await;
    engage_get("/campaigns", APRIL.to_string())
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/moved/campaigns", elsewhere.uri())),
        )
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "list",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let received = elsewhere.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert!(received[0].headers.get("x-token").is_none());
    assert!(received[0].headers.get("authorization").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_dates_and_reversed_ranges_are_exit_2_before_any_request() {
    let server = strict_server().await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "list", "--from", "2026-13-01"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("2026-13-01"), "{}", stderr(&out));
    let mut cmd = home.cmd();
    cmd.args(["stats", "--from", "2026-05-01", "--to", "2026-04-01"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the range is reversed"),
        "{}",
        stderr(&out)
    );
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
async fn a_request_that_times_out_is_retried_then_exit_6() {
    let server = strict_server().await;
    engage_get("/campaigns", APRIL.to_string())
        .respond_with(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(5)))
        .expect(2)
        .mount(&server)
        .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "list",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "--timeout",
        "1",
        "--retries",
        "2",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(6));
    assert!(
        stderr(&out).contains("Engage GET /campaigns failed: no answer within 1 s."),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn table_and_bom_formats_render_the_same_rows() {
    let server = strict_server().await;
    engage_get("/campaign/Spring/summary", APRIL.to_string())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            include_str!("../../fixtures/engage/summary.json"),
            "application/json",
        ))
        .expect(2)
        .mount(&server)
        .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "summary",
        "Spring",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "-f",
        "table",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let table = stdout(&out);
    let rate_line = table.lines().find(|l| l.starts_with("read_rate")).unwrap();
    assert!(rate_line.trim_end().ends_with("66.70%"), "{table}");
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "summary",
        "Spring",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "-f",
        "csv",
        "--bom",
        "--fields",
        "name,read_rate",
    ]);
    let out = run(cmd).await;
    assert_eq!(
        stdout(&out),
        "\u{feff}name,read_rate\nPromo a/b #2? 50% Café ☕,0.667\n"
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_exits_130_and_leaves_no_temporary_file() {
    let server = MockServer::start().await;
    engage_get(
        "/campaign/Slow/details",
        format!("{APRIL}&limit=10000&offset=0"),
    )
    .respond_with(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(30)))
    .mount(&server)
    .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    std::fs::write(home.path().join("out.csv"), "previous\n").unwrap();
    let bin = assert_cmd::cargo::cargo_bin("wa-analytics");
    let dir = home.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        let child = std::process::Command::new(bin)
            .args([
                "campaigns",
                "export",
                "Slow",
                "--from",
                "2026-04-01",
                "--to",
                "2026-04-30",
                "-o",
                "out.csv",
            ])
            .env_clear()
            .env("HOME", &dir)
            .current_dir(&dir)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(800));
        let status = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(130), "stderr: {}", stderr(&out));
    assert_eq!(stderr(&out), "wa-analytics: error: interrupted\n");
    assert_eq!(
        std::fs::read_to_string(home.path().join("out.csv")).unwrap(),
        "previous\n"
    );
    home.assert_no_temp_files();
}

#[tokio::test(flavor = "multi_thread")]
async fn write_commands_are_refused_for_engage_before_any_request() {
    let server = strict_server().await;
    let home = Home::new();
    home.engage_config(&server.uri());
    for args in [
        vec![
            "messages",
            "send-template",
            "--to",
            "+573001234567",
            "--template",
            "hello",
            "--lang",
            "en_US",
            "--yes",
        ],
        vec![
            "messages",
            "send",
            "--to",
            "573001234567",
            "--text",
            "hi",
            "--dry-run",
        ],
    ] {
        let mut cmd = home.cmd();
        cmd.args(&args);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "");
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "Engage does not support '{} {}'",
                args[0], args[1]
            )),
            "{err}"
        );
        assert!(
            err.contains("commands Engage supports: campaigns list, campaigns summary, campaigns details/export, stats."),
            "{err}"
        );
    }
}

#[test]
fn write_commands_check_their_arguments_before_reading_any_config() {
    let home = Home::new();
    for (args, needle) in [
        (
            vec![
                "messages",
                "send",
                "--to",
                "+57 300 1234567",
                "--text",
                "hi",
            ],
            "is not a phone number",
        ),
        (
            vec!["messages", "send", "--to", "+573001234567"],
            "the following required arguments were not provided",
        ),
        (
            vec![
                "messages",
                "send",
                "--to",
                "+573001234567",
                "--text",
                "hi",
                "--yes",
                "--dry-run",
            ],
            "cannot be used with",
        ),
    ] {
        let out = home.cmd().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
    }
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
