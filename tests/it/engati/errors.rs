//! Engati's error answers (HTTP status and `status.code`) mapped to exit codes, and everything
//! decided before a request: other vendors' and Engati's refusals, `--fields help`, usage errors.

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use super::*;
use crate::support::{Home, run, stderr, stdout, strict_server};

async fn conversations_error(status: u16, body: Value, calls: u64) -> std::process::Output {
    let (server, home) = server_with_config().await;
    engati_get(
        &conversations_path("573001234567"),
        "page_number=1&page_size=500",
    )
    .respond_with(
        ResponseTemplate::new(status)
            .set_body_json(body)
            .insert_header("retry-after", "0"),
    )
    .expect(calls)
    .mount(&server)
    .await;
    let mut cmd = home.cmd();
    cmd.args(["conversations", "573001234567", "--retries", "2"]);
    run(cmd).await
}

const CONV: &str =
    "GET /bot-api/v1.0/customer/10294/bot/1a1c9bfa5e0f41ed/channel-user/573001234567/conversations";

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_user_is_exit_7_with_engatis_code_and_a_hint() {
    let out = conversations_error(
        400,
        engati_status(
            1002,
            "INVALID_BOT_OR_CUSTOMER_ID",
            Some("The bot id/customer id/user id provided is invalid"),
        ),
        1,
    )
    .await;
    assert_eq!(out.status.code(), Some(7));
    assert_eq!(
        stderr(&out),
        format!(
            "wa-analytics: error: Engati {CONV} answered 400 Bad Request: 1002 INVALID_BOT_OR_CUSTOMER_ID: The bot id/customer id/user id provided is invalid.\n\
             hint: no such user: pass the channel user id (for WhatsApp, the phone number) as 'wa-analytics users find' lists it; if 'users find' fails too, check the profile's customer_id and bot_key\n"
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn date_and_page_codes_are_exit_2_and_auth_codes_exit_4() {
    let out = conversations_error(
        400,
        engati_status(
            1003,
            "INVALID_INPUT_DATE_VALUE",
            Some("end_date should be greater than start_date"),
        ),
        1,
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("answered 400 Bad Request: 1003 INVALID_INPUT_DATE_VALUE: end_date should be greater than start_date."),
        "{}",
        stderr(&out)
    );
    let out = conversations_error(400, engati_status(1004, "INVALID_PAGE_NUMBER", None), 1).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("answered 400 Bad Request: 1004: INVALID_PAGE_NUMBER."),
        "{}",
        stderr(&out)
    );
    let out = conversations_error(401, engati_status(401, "UNAUTHORIZED", None), 1).await;
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(
        stderr(&out),
        format!(
            "wa-analytics: error: Engati {CONV} answered 401 Unauthorized: UNAUTHORIZED.\n\
             hint: the api_key is missing, revoked or regenerated: create or copy one under Integration > Engati API in the Engati portal and update the profile\n"
        )
    );
    let out = conversations_error(403, engati_status(403, "FORBIDDEN", None), 1).await;
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("answered 403 Forbidden: FORBIDDEN."));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_status_code_other_than_1000_is_an_error_even_on_http_200() {
    let out = conversations_error(
        200,
        engati_status(1002, "INVALID_BOT_OR_CUSTOMER_ID", None),
        1,
    )
    .await;
    assert_eq!(out.status.code(), Some(7));
    assert!(
        stderr(&out).contains("answered 200 OK: 1002: INVALID_BOT_OR_CUSTOMER_ID."),
        "{}",
        stderr(&out)
    );
    let out = conversations_error(200, engati_status(1099, "SOMETHING_NEW", None), 1).await;
    assert_eq!(out.status.code(), Some(6));
    assert!(stderr(&out).contains("answered 200 OK: 1099: SOMETHING_NEW."));
    let out = conversations_error(200, json!({"conversations": []}), 1).await;
    assert_eq!(out.status.code(), Some(6));
    assert!(
        stderr(&out)
            .contains("answered 200 OK: the answer has no status.code (1000 means success)."),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_and_rate_limits_are_retried_then_exit_6_and_5() {
    let out = conversations_error(
        500,
        json!({"status": {"code": 500, "desc": "INTERNAL_ERROR", "details": "internal server error"}}),
        2,
    )
    .await;
    assert_eq!(out.status.code(), Some(6));
    assert!(
        stderr(&out).contains("answered 500 Internal Server Error: internal server error."),
        "{}",
        stderr(&out)
    );
    let out = conversations_error(429, json!({}), 2).await;
    assert_eq!(out.status.code(), Some(5));
    assert!(stderr(&out).contains("answered 429 Too Many Requests"));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_html_page_is_a_clear_bad_response() {
    let (server, home) = server_with_config().await;
    engati_get(&users_path(), "attribute_name=a&attribute_value=b")
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("<html><body>login</body></html>", "text/html"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = home.cmd();
    cmd.args(["users", "find", "--attribute", "a", "--value", "b"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(6));
    assert!(
        stderr(&out).contains(&format!(
            "Engati GET {BOT_PATH}/users answered 200 OK: the response was HTML, not JSON"
        )),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_bot_in_users_find_is_a_configuration_error_exit_2() {
    let (server, home) = server_with_config().await;
    engati_get(&users_path(), "attribute_name=a&attribute_value=b")
        .respond_with(ResponseTemplate::new(400).set_body_json(engati_status(
            1002,
            "INVALID_BOT_OR_CUSTOMER_ID",
            Some("The bot id/customer id/user id provided is invalid"),
        )))
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = home.cmd();
    cmd.args(["users", "find", "--attribute", "a", "--value", "b"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).ends_with(
            "hint: check the profile's customer_id and bot_key (Engati portal: Integration > Engati API)\n"
        ),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn other_vendors_refuse_users_and_conversations_with_exit_2_before_any_request() {
    let server = strict_server().await;
    let home = Home::new();
    home.engage_config(&server.uri());
    for args in [
        vec!["users", "find", "--attribute", "a", "--value", "b"],
        vec!["conversations", "573001234567"],
    ] {
        let command = if args[0] == "users" {
            "users find"
        } else {
            "conversations"
        };
        let mut cmd = home.cmd();
        cmd.args(&args);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert_eq!(
            stderr(&out),
            format!(
                "wa-analytics: error: Engage: Engage does not support '{command}'.\n\
                 hint: commands Engage supports: campaigns list, campaigns summary, campaigns details/export, stats, stats --by-campaign, stats --total. Run 'wa-analytics providers' to compare vendors.\n"
            )
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn engati_refuses_the_campaign_commands_naming_what_it_supports() {
    let (_server, home) = server_with_config().await;
    let mut cmd = home.cmd();
    cmd.args(["campaigns", "list"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("Engati does not support 'campaigns list'"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("commands Engati supports: users find, conversations"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn fields_help_lists_the_user_and_message_fields_without_an_account() {
    let home = Home::new();
    let out = home
        .cmd()
        .args([
            "users",
            "find",
            "--attribute",
            "a",
            "--value",
            "b",
            "--fields",
            "help",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let names: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        names,
        [
            "user_id",
            "channel",
            "channel_user_id",
            "name",
            "created_at",
            "attributes"
        ]
    );
    let out = home
        .cmd()
        .args(["conversations", "x", "--fields", "help"])
        .output()
        .unwrap();
    let text = stdout(&out);
    let names: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(names, ["message_id", "sender", "message", "timestamp"]);
}

#[test]
fn bad_page_sizes_and_reversed_ranges_are_usage_errors() {
    let home = Home::new();
    let out = home
        .cmd()
        .args(["conversations", "x", "--page-size", "501"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("501"), "{}", stderr(&out));
    let out = home
        .cmd()
        .args([
            "--demo",
            "--provider",
            "engati",
            "conversations",
            "573000000000",
            "--from",
            "2026-05-01",
            "--to",
            "2026-04-01",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the range is reversed"),
        "{}",
        stderr(&out)
    );
}
