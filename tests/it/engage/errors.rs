//! Engage's error answers mapped to exit codes, retries, timeouts, and every refusal before a
//! request (bad dates, the write commands).

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use super::*;
use crate::support::{Home, run, stderr, stdout, strict_server};

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
    if status == 404 {
        // An unknown name: the range's list is read once for the nearest names (none here).
        engage_get("/campaigns", APRIL.to_string())
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
            .expect(1)
            .mount(&server)
            .await;
    }
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
        "period,sent,delivered,read,engaged,errors,period_start,period_end\n\
         2026-04-01,1,1,1,0,0,2026-04-01T00:00:00Z,2026-04-02T00:00:00Z\n"
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
            err.contains("commands Engage supports: campaigns list, campaigns summary, campaigns details/export, stats, stats --by-campaign, stats --total."),
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
