//! Insider's error answers mapped to exit codes, and every refusal before a request.

use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use super::*;
use crate::support::{Home, stderr, stdout, strict_server};

#[tokio::test(flavor = "multi_thread")]
async fn a_campaign_id_of_zero_or_text_is_exit_2_before_any_request() {
    let server = strict_server().await;
    let home = Home::new();
    oauth(&home, &server.uri());
    for (id, says) in [
        (
            "0",
            "Insider: campaign ids are whole numbers greater than 0, not 0.",
        ),
        ("-4", "not -4"),
        (
            "Black Friday",
            "'Black Friday' is not an Insider campaign id",
        ),
    ] {
        let mut cmd = home.cmd();
        cmd.args(["campaigns", "summary", "--", id]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2), "{id}");
        assert!(stderr(&out).contains(says), "{id}: {}", stderr(&out));
        assert_eq!(stdout(&out), "");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn filters_a_command_cannot_apply_are_exit_2_before_any_request() {
    let server = strict_server().await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let cases: [(&[&str], &str); 7] = [
        (
            &["campaigns", "list", "--type", "one-time"],
            "Insider: cannot apply --type one-time to 'campaigns list'.",
        ),
        (
            &["campaigns", "list", "--status", "running"],
            "'running' is not an Insider campaign status",
        ),
        (&["stats", "--name", "x"], "unexpected argument '--name'"),
        (
            &["stats", "--report", "verify", "--tag", "promo"],
            "Insider: cannot apply --tag to 'stats --report verify'.",
        ),
        (
            &["stats", "--report", "transactional", "--type", "standard"],
            "cannot apply --type standard to 'stats --report transactional'",
        ),
        (
            &["stats", "--report", "verify", "--by-campaign"],
            "Insider's verify statistics have no per-campaign breakdown",
        ),
        (
            &["stats", "--from", "1999-01-01", "--to", "2000-01-01"],
            "Insider takes times as 10-digit Unix seconds",
        ),
    ];
    for (args, says) in cases {
        let mut cmd = home.cmd();
        cmd.args(args).args(["-f", "csv"]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{args:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn details_and_export_are_not_supported_and_name_what_insider_serves() {
    let server = strict_server().await;
    let home = Home::new();
    oauth(&home, &server.uri());
    for args in [
        &["campaigns", "details", "1"][..],
        &["campaigns", "export", "1", "-o", "x.csv"],
    ] {
        let mut cmd = home.cmd();
        cmd.args(args);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).ends_with(
                "hint: commands Insider supports: campaigns list, campaigns summary, stats, stats --by-campaign, stats --total, stats --report transactional, stats --report verify. Run 'wa-analytics providers' to compare vendors.\n"
            ),
            "{}",
            stderr(&out)
        );
    }
}

async fn error_case(status: u16, body: Value, attempts: u64) -> std::process::Output {
    let server = strict_server().await;
    Mock::given(method("POST"))
        .and(path("/v1/statistics/campaign"))
        .and(header("x-ins-auth-key", "INS.key-1"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .expect(attempts)
        .mount(&server)
        .await;
    let home = Home::new();
    profile_with(&home, &server.uri(), "api_key = \"INS.key-1\"");
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "summary", "3", "--retries", "2"]);
    let out = run(cmd).await;
    server.verify().await;
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn insider_errors_map_to_documented_exit_codes_with_the_vendor_code_and_message() {
    let cases = [
        (
            400,
            json!({"message": "campaign not found or does not belong to this partner", "errorCode": "3004"}),
            1,
            7,
            "answered 400 Bad Request: 3004: campaign not found or does not belong to this partner.",
        ),
        (
            400,
            json!({"message": "validation failed", "errorCode": "3002", "errors": "campaign_id is required and must be greater than 0"}),
            1,
            2,
            "3002: validation failed: campaign_id is required and must be greater than 0.",
        ),
        (
            400,
            json!({"message": "failed to parse request", "errorCode": "3001", "errors": "json: cannot unmarshal string"}),
            1,
            2,
            "3001: failed to parse request: json: cannot unmarshal string.",
        ),
        (
            403,
            json!({"message": "WhatsApp product is not active", "errorCode": "3007"}),
            1,
            4,
            "answered 403 Forbidden: 3007: WhatsApp product is not active.",
        ),
        (
            401,
            json!({"message": "unauthorized", "errorCode": "3000"}),
            1,
            4,
            "hint: Insider refused the API key (x-ins-auth-key)",
        ),
        (
            422,
            json!({"message": "The given data was invalid.", "errors": {"campaignFilters.builderId": ["The campaign ID must be a valid WhatsApp campaign."]}}),
            1,
            2,
            "422 Unprocessable Entity: The given data was invalid: campaignFilters.builderId: The campaign ID must be a valid WhatsApp campaign.",
        ),
        (
            429,
            json!({"message": "rate limited", "error": {"message": "rate limited", "code": 2021}}),
            2,
            5,
            "answered 429 Too Many Requests: 2021: rate limited.",
        ),
        (
            403,
            json!({"message": "Request Limit Exceeded"}),
            2,
            5,
            "hint: Insider is throttling this account (Request Limit Exceeded)",
        ),
        (
            500,
            json!({"message": "internal error"}),
            2,
            6,
            "answered 500 Internal Server Error: internal error.",
        ),
    ];
    for (status, body, attempts, code, says) in cases {
        let out = error_case(status, body.clone(), attempts).await;
        assert_eq!(
            out.status.code(),
            Some(code),
            "{status} {body}: {}",
            stderr(&out)
        );
        let err = stderr(&out);
        assert!(err.contains(says), "{status} {body}: {err}");
        assert!(
            err.starts_with("wa-analytics: error: Insider POST /v1/statistics/campaign"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 2, "one paragraph and a hint: {err}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_403_and_429_are_retried_then_succeed() {
    for (status, body) in [
        (403, json!({"message": "Request Limit Exceeded"})),
        (
            429,
            json!({"message": "rate limited", "error": {"message": "rate limited", "code": 2021}}),
        ),
    ] {
        let server = strict_server().await;
        Mock::given(method("POST"))
            .and(path("/v1/statistics/campaign"))
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(body)
                    .insert_header("retry-after", "0"),
            )
            .up_to_n_times(1)
            .with_priority(1)
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/v1/statistics/campaign"))
            .and(body_json(json!({"campaign_id": 3})))
            .respond_with(ok(fixture("campaign.json")))
            .expect(1)
            .mount(&server)
            .await;
        let home = Home::new();
        profile_with(&home, &server.uri(), "api_key = \"INS.key-1\"");
        let mut cmd = home.cmd();
        cmd.args(["campaigns", "summary", "3", "-f", "csv", "--fields", "sent"]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(0), "{status}: {}", stderr(&out));
        assert_eq!(stdout(&out), "sent\n1200\n");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn engage_refuses_insider_filters_and_reports_before_any_request() {
    let server = strict_server().await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let cases: [(&[&str], &str); 5] = [
        (
            &["campaigns", "list", "--status", "active"],
            "Engage: cannot apply --status to 'campaigns list'.",
        ),
        (
            &["campaigns", "list", "--type", "ab-test"],
            "Engage: cannot apply --type ab-test to 'campaigns list'.",
        ),
        (
            &["stats", "--account", "+905551112233"],
            "Engage: cannot apply --account to 'stats'.",
        ),
        (
            &["stats", "--report", "verify"],
            "Engage: Engage does not support 'stats --report verify'.",
        ),
        (
            &["stats", "--report", "transactional", "--total"],
            "Engage: Engage does not support 'stats --report transactional'.",
        ),
    ];
    for (args, says) in cases {
        let mut cmd = home.cmd();
        cmd.args(args);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn fields_help_lists_insider_fields_without_any_request() {
    let server = strict_server().await;
    let home = Home::new();
    oauth(&home, &server.uri());
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "summary", "1", "--fields", "help"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let names: Vec<&str> = text
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "id",
            "name",
            "type",
            "total",
            "sent",
            "delivered",
            "read",
            "engaged",
            "errors",
            "read_rate",
            "engagement_rate",
            "error_rate",
            "drop",
            "undelivered",
            "delivery_pending",
            "conversion",
            "revenue",
            "unsubscribe",
            "drop_details",
            "undelivered_details",
            "responses",
            "response_summary"
        ]
    );
}
