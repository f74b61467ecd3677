//! Engati reads end to end: the real binary against wiremock, every request pinned (method,
//! path, encoded query, the raw key in `Authorization: Basic`), every error mapping. The writes
//! are in `engati/writes.rs`.

mod writes;

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{Home, RawQuery, run, stderr, stdout, strict_server};

/// An Engati API key of the documented shape (UUID + `-` + 7 characters).
pub const KEY: &str = "3f2a9c1e-0b7d-4e55-9a61-2c8d7f4b1a90-AB12CDE";
pub const CID: &str = "10294";
pub const BOT: &str = "1a1c9bfa5e0f41ed";
pub const BOT_PATH: &str = "/bot-api/v1.0/customer/10294/bot/1a1c9bfa5e0f41ed";

/// An engati profile named `engati-test` (the default) pointing at `base_url`.
pub fn engati_config(home: &Home, base_url: &str) {
    home.write_config(&format!(
        "default_profile = \"engati-test\"\n\n[profiles.engati-test]\nprovider = \"engati\"\nbase_url = \"{base_url}\"\napi_key = \"{KEY}\"\ncustomer_id = \"{CID}\"\nbot_key = \"{BOT}\"\n"
    ));
}

/// A GET of `p` with the raw key and an exact raw query.
fn engati_get(p: &str, query: &str) -> wiremock::MockBuilder {
    Mock::given(method("GET"))
        .and(path(p))
        .and(RawQuery(query.to_string()))
        .and(header("authorization", format!("Basic {KEY}").as_str()))
}

fn users_path() -> String {
    format!("{BOT_PATH}/users")
}

fn conversations_path(user: &str) -> String {
    format!("{BOT_PATH}/channel-user/{user}/conversations")
}

fn message(i: usize) -> Value {
    json!({"message_id": format!("m{i:03}"), "sender": if i % 2 == 0 { "bot" } else { "user" },
           "message": format!("line {i}"), "timestamp": format!("2026-04-02 10:{:02}:00.000+0000", i % 60)})
}

fn page(number: u64, size: u64, rows: std::ops::Range<usize>) -> Value {
    json!({"status": {"code": 1000, "desc": "SUCCESS"},
           "responseObject": {"page_number": number, "page_size": size,
                              "conversations": rows.map(message).collect::<Vec<_>>()}})
}

async fn server_with_config() -> (MockServer, Home) {
    let server = strict_server().await;
    let home = Home::new();
    engati_config(&home, &server.uri());
    (server, home)
}

#[tokio::test(flavor = "multi_thread")]
async fn users_find_sends_the_raw_key_and_the_encoded_attribute_and_prints_json() {
    let (server, home) = server_with_config().await;
    engati_get(
        &users_path(),
        "attribute_name=feedback&attribute_value=1%20star",
    )
    .and(header("accept", "application/json"))
    .respond_with(ResponseTemplate::new(200).set_body_raw(
        include_str!("../../fixtures/engati/users.json"),
        "application/json",
    ))
    .expect(1)
    .mount(&server)
    .await;
    let mut cmd = home.cmd();
    cmd.args([
        "users",
        "find",
        "--attribute",
        "feedback",
        "--value",
        "1 star",
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!([
            {"user_id": "65f1c2a9e4b0a1d2c3f4a5b6", "channel": "whatsapp", "channel_user_id": "+573001234567",
             "name": "=HYPERLINK(\"http://x\",\"Ana\")", "created_at": "2026-03-02T14:05:09Z",
             "attributes": {"feedback": "1 star", "city": "Bogotá, D.C.", "opt_in": "true"}},
            {"user_id": "4711", "channel": "whatsapp", "channel_user_id": "573009876543",
             "name": "José\nPérez", "created_at": "2026-03-05T08:00:00Z", "attributes": {"feedback": "1 star"}}
        ])
    );
    assert_eq!(stderr(&out), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn users_find_prints_attributes_as_compact_json_in_csv_tsv_and_jsonl() {
    let (server, home) = server_with_config().await;
    engati_get(
        &users_path(),
        "attribute_name=feedback&attribute_value=1%20star",
    )
    .respond_with(ResponseTemplate::new(200).set_body_raw(
        include_str!("../../fixtures/engati/users.json"),
        "application/json",
    ))
    .expect(3)
    .mount(&server)
    .await;
    let args = [
        "users",
        "find",
        "--attribute",
        "feedback",
        "--value",
        "1 star",
    ];
    let mut csv = home.cmd();
    csv.args(args).args(["-f", "csv"]);
    let out = run(csv).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "user_id,channel,channel_user_id,name,created_at,attributes\n\
         65f1c2a9e4b0a1d2c3f4a5b6,whatsapp,+573001234567,\"'=HYPERLINK(\"\"http://x\"\",\"\"Ana\"\")\",2026-03-02T14:05:09Z,\"{\"\"city\"\":\"\"Bogotá, D.C.\"\",\"\"feedback\"\":\"\"1 star\"\",\"\"opt_in\"\":\"\"true\"\"}\"\n\
         4711,whatsapp,573009876543,\"José\nPérez\",2026-03-05T08:00:00Z,\"{\"\"feedback\"\":\"\"1 star\"\"}\"\n"
    );
    let mut tsv = home.cmd();
    tsv.args(args)
        .args(["--fields", "channel_user_id,attributes"]);
    let out = run(tsv).await;
    assert_eq!(
        stdout(&out),
        "channel_user_id\tattributes\n+573001234567\t\"{\"\"city\"\":\"\"Bogotá, D.C.\"\",\"\"feedback\"\":\"\"1 star\"\",\"\"opt_in\"\":\"\"true\"\"}\"\n573009876543\t\"{\"\"feedback\"\":\"\"1 star\"\"}\"\n"
    );
    let mut jsonl = home.cmd();
    jsonl
        .args(args)
        .args(["-f", "jsonl", "--fields", "user_id,name"]);
    let out = run(jsonl).await;
    assert_eq!(
        stdout(&out),
        "{\"user_id\":\"65f1c2a9e4b0a1d2c3f4a5b6\",\"name\":\"=HYPERLINK(\\\"http://x\\\",\\\"Ana\\\")\"}\n{\"user_id\":\"4711\",\"name\":\"José\\nPérez\"}\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn users_find_with_no_match_is_an_empty_success() {
    let (server, home) = server_with_config().await;
    engati_get(
        &users_path(),
        "attribute_name=plan&attribute_value=platinum",
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(
        json!({"status": {"code": 1000, "desc": "SUCCESS"}, "responseObject": {"users": []}}),
    ))
    .expect(1)
    .mount(&server)
    .await;
    let mut cmd = home.cmd();
    cmd.args([
        "users",
        "find",
        "--attribute",
        "plan",
        "--value",
        "platinum",
        "-f",
        "csv",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "user_id,channel,channel_user_id,name,created_at,attributes\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn conversations_reads_until_a_page_is_shorter_than_the_echoed_page_size() {
    let (server, home) = server_with_config().await;
    // Asked for 500, Engati serves (and echoes) 2 per page: a page of 2 is not the last one.
    let p = conversations_path("573001234567");
    for (n, rows) in [(1u64, 0..2usize), (2, 2..4), (3, 4..5)] {
        engati_get(&p, &format!("page_number={n}&page_size=500"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(n, 2, rows)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let mut cmd = home.cmd();
    // One page at a time, so exactly these three requests are made (read-ahead is tested below).
    cmd.args([
        "conversations",
        "573001234567",
        "-f",
        "csv",
        "--concurrency",
        "1",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "message_id,sender,message,timestamp\n\
         m000,bot,line 0,2026-04-02T10:00:00Z\n\
         m001,user,line 1,2026-04-02T10:01:00Z\n\
         m002,bot,line 2,2026-04-02T10:02:00Z\n\
         m003,user,line 3,2026-04-02T10:03:00Z\n\
         m004,bot,line 4,2026-04-02T10:04:00Z\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn conversations_reads_pages_ahead_once_the_page_size_is_known_and_keeps_their_order() {
    let (server, home) = server_with_config().await;
    let p = conversations_path("573001234567");
    // Page 1 alone (it tells the size, 2); then pages 2, 3, 4, … four at a time. Page 2 is slow
    // and must still come out before page 3; page 4 is the short last one; pages past it may or
    // may not be asked for before the last one arrives, and are empty.
    for (n, rows, delay) in [
        (1u64, 0..2usize, 0u64),
        (2, 2..4, 300),
        (3, 4..6, 0),
        (4, 6..7, 0),
    ] {
        engati_get(&p, &format!("page_number={n}&page_size=500"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(page(n, 2, rows))
                    .set_delay(std::time::Duration::from_millis(delay)),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    for n in 5u64..=8 {
        engati_get(&p, &format!("page_number={n}&page_size=500"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(n, 2, 0..0)))
            .expect(0..=1)
            .mount(&server)
            .await;
    }
    let mut cmd = home.cmd();
    cmd.args([
        "conversations",
        "573001234567",
        "-f",
        "csv",
        "--fields",
        "message_id",
        "--concurrency",
        "4",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "message_id\nm000\nm001\nm002\nm003\nm004\nm005\nm006\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn conversations_ends_at_an_empty_page_after_a_full_one() {
    let (server, home) = server_with_config().await;
    let p = conversations_path("573001234567");
    engati_get(&p, "page_number=1&page_size=3")
        .respond_with(ResponseTemplate::new(200).set_body_json(page(1, 3, 0..3)))
        .expect(1)
        .mount(&server)
        .await;
    engati_get(&p, "page_number=2&page_size=3")
        .respond_with(ResponseTemplate::new(200).set_body_json(page(2, 3, 0..0)))
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = home.cmd();
    cmd.args([
        "conversations",
        "573001234567",
        "--page-size",
        "3",
        "-f",
        "jsonl",
        "--fields",
        "message_id",
        "--concurrency",
        "1",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "{\"message_id\":\"m000\"}\n{\"message_id\":\"m001\"}\n{\"message_id\":\"m002\"}\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn conversations_sends_the_range_in_epoch_milliseconds_and_keeps_its_seams_half_open() {
    let (server, home) = server_with_config().await;
    // April in UTC: [2026-04-01, 2026-05-01). The message stamped exactly at the end belongs to
    // the next range and the one before the start to the previous one, whatever Engati sends.
    let p = conversations_path("%2B573001234567");
    engati_get(
        &p,
        "page_number=1&page_size=500&start_date=1775001600000&end_date=1777593600000",
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({
        "status": {"code": 1000, "desc": "SUCCESS"},
        "responseObject": {"page_number": 1, "page_size": 500, "conversations": [
            {"message_id": "early", "sender": "bot", "message": "x", "timestamp": "2026-03-31 23:59:59.999+0000"},
            {"message_id": "first", "sender": "bot", "message": "x", "timestamp": "2026-04-01 00:00:00.000+0000"},
            {"message_id": "last", "sender": "user", "message": "x", "timestamp": "2026-04-30 23:59:59.999+0000"},
            {"message_id": "seam", "sender": "user", "message": "x", "timestamp": "2026-05-01 00:00:00.000+0000"}
        ]}
    })))
    .expect(1)
    .mount(&server)
    .await;
    let mut cmd = home.cmd();
    cmd.args([
        "conversations",
        "+573001234567",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "-f",
        "csv",
        "--fields",
        "message_id,timestamp",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "message_id,timestamp\nfirst,2026-04-01T00:00:00Z\nlast,2026-04-30T23:59:59.999Z\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn conversations_reads_a_fixture_page_with_offsets_and_formula_payloads() {
    let (server, home) = server_with_config().await;
    engati_get(
        &conversations_path("573001234567"),
        "page_number=1&page_size=500",
    )
    .respond_with(ResponseTemplate::new(200).set_body_raw(
        include_str!("../../fixtures/engati/conversations-page.json"),
        "application/json",
    ))
    .expect(1)
    .mount(&server)
    .await;
    let mut cmd = home.cmd();
    cmd.args(["conversations", "573001234567", "-f", "csv"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "message_id,sender,message,timestamp\n\
         c0ffee0000000001,user,\"Hola, ¿tienen envío a Cali?\",2026-04-02T10:00:00.125Z\n\
         c0ffee0000000002,bot,\"¡Claro! Escribe tu dirección, por favor.\",2026-04-02T10:00:01Z\n\
         c0ffee0000000003,agent,\"'=1+1 \"\"quoted\"\", with a comma\",2026-04-02T10:30:02.500Z\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn conversations_limit_asks_for_no_more_than_it_needs() {
    let (server, home) = server_with_config().await;
    let p = conversations_path("573001234567");
    engati_get(&p, "page_number=1&page_size=3")
        .respond_with(ResponseTemplate::new(200).set_body_json(page(1, 3, 0..3)))
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = home.cmd();
    cmd.args([
        "conversations",
        "573001234567",
        "--limit",
        "3",
        "-f",
        "csv",
        "--fields",
        "message_id",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "message_id\nm000\nm001\nm002\n");

    // --limit 5 in pages of 2: the third page is cut to one message, and no fourth is asked.
    for (n, rows) in [(1u64, 0..2usize), (2, 2..4), (3, 4..6)] {
        engati_get(&p, &format!("page_number={n}&page_size=2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(n, 2, rows)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let mut cmd = home.cmd();
    cmd.args([
        "conversations",
        "573001234567",
        "--limit",
        "5",
        "--page-size",
        "2",
        "-f",
        "csv",
        "--fields",
        "message_id",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "message_id\nm000\nm001\nm002\nm003\nm004\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn conversations_fails_with_exit_3_when_engati_answers_another_page_or_repeats_one() {
    let (server, home) = server_with_config().await;
    let p = conversations_path("573001234567");
    engati_get(&p, "page_number=1&page_size=2")
        .respond_with(ResponseTemplate::new(200).set_body_json(page(1, 2, 0..2)))
        .expect(1)
        .mount(&server)
        .await;
    // Page 2 answered as page 1.
    engati_get(&p, "page_number=2&page_size=2")
        .respond_with(ResponseTemplate::new(200).set_body_json(page(1, 2, 0..2)))
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = home.cmd();
    cmd.args([
        "conversations",
        "573001234567",
        "--page-size",
        "2",
        "-o",
        "out.csv",
        "--concurrency",
        "1",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(3), "stderr: {}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "wa-analytics: error: Engati GET {p} failed: asked for page 2 but Engati answered page 1.\n\
             hint: the messages could not be proven complete; run the command again (with -o, the previous file was kept)\n"
        )
    );
    assert!(!home.path().join("out.csv").exists());

    // The same messages again with page 2's number (page_number ignored): also exit 3.
    let server = strict_server().await;
    engati_config(&home, &server.uri());
    for n in [1u64, 2] {
        engati_get(&p, &format!("page_number={n}&page_size=2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(n, 2, 0..2)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let mut cmd = home.cmd();
    cmd.args([
        "conversations",
        "573001234567",
        "--page-size",
        "2",
        "-f",
        "csv",
        "--concurrency",
        "1",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(3), "stderr: {}", stderr(&out));
    assert!(
        stderr(&out).contains("page 2 repeated messages already received"),
        "{}",
        stderr(&out)
    );
}

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

fn engati_status(code: i64, desc: &str, details: Option<&str>) -> Value {
    let mut s = json!({"code": code, "desc": desc});
    if let Some(d) = details {
        s["details"] = json!(d);
    }
    json!({ "status": s })
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
                 hint: commands Engage supports: campaigns list, campaigns summary, campaigns details/export, stats. Run 'wa-analytics providers' to compare vendors.\n"
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

#[tokio::test(flavor = "multi_thread")]
async fn provider_engati_reads_its_fields_from_variables() {
    let server = strict_server().await;
    engati_get(&users_path(), "attribute_name=city&attribute_value=Cali")
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"status": {"code": 1000, "desc": "SUCCESS"}, "responseObject": {"users": []}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    let mut cmd = home.cmd();
    cmd.env("WA_ENGATI_API_KEY", KEY)
        .env("WA_ENGATI_CUSTOMER_ID", CID)
        .env("WA_ENGATI_BOT_KEY", BOT)
        .env("WA_ENGATI_BASE_URL", server.uri())
        .args([
            "--provider",
            "engati",
            "users",
            "find",
            "--attribute",
            "city",
            "--value",
            "Cali",
            "-f",
            "json",
        ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "[]\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn profiles_check_tests_the_key_with_one_cheap_users_request() {
    let (server, home) = server_with_config().await;
    engati_get(
        &users_path(),
        "attribute_name=wa_analytics_profile_check&attribute_value=1",
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(
        json!({"status": {"code": 1000, "desc": "SUCCESS"}, "responseObject": {"users": []}}),
    ))
    .expect(1)
    .mount(&server)
    .await;
    let mut cmd = home.cmd();
    cmd.args(["profiles", "check", "-f", "csv"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "name,provider,result,detail\nengati-test,engati,ok,\n"
    );

    let server = strict_server().await;
    engati_config(&home, &server.uri());
    engati_get(
        &users_path(),
        "attribute_name=wa_analytics_profile_check&attribute_value=1",
    )
    .respond_with(ResponseTemplate::new(401).set_body_json(engati_status(
        401,
        "UNAUTHORIZED",
        None,
    )))
    .expect(1)
    .mount(&server)
    .await;
    let mut cmd = home.cmd();
    cmd.args(["profiles", "check", "-f", "csv", "--fields", "name,result"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(4), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "name,result\nengati-test,auth refused\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_without_bot_key_is_a_configuration_error_naming_it() {
    let home = Home::new();
    home.write_config(&format!(
        "[profiles.e]\nprovider = \"engati\"\napi_key = \"{KEY}\"\ncustomer_id = \"{CID}\"\n"
    ));
    let mut cmd = home.cmd();
    cmd.args(["users", "find", "--attribute", "a", "--value", "b"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bot_key"), "{}", stderr(&out));
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

pub const CANARY: &str = "CANARY-0e4f-41aa-9c3b-7d2e1f6a8b90-ENGATI9";

/// The canary in every form it could leak in: as is, after `Basic `, and base64 (standard and
/// URL-safe) of both.
fn canary_forms() -> Vec<String> {
    use base64::Engine;
    let e = base64::engine::general_purpose::STANDARD;
    let u = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let basic = format!("Basic {CANARY}");
    vec![
        CANARY.to_string(),
        e.encode(CANARY),
        u.encode(CANARY),
        e.encode(&basic),
        u.encode(&basic),
    ]
}

pub fn assert_no_canary(text: &str) {
    for f in canary_forms() {
        assert!(!text.contains(&f), "secret form {f} leaked in:\n{text}");
    }
}

/// Runs `args` at -vv against a server that answers `status` with a body echoing the key.
async fn canary_run(status: u16, args: &[&str], from_env: bool) {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .and(header("authorization", format!("Basic {CANARY}").as_str()))
        .respond_with(ResponseTemplate::new(status).set_body_json(json!({
            "status": {"code": if status == 200 { 1000 } else { 1002 }, "desc": format!("key {CANARY}"),
                       "details": format!("echo Basic {CANARY}")},
            "responseObject": {"users": [], "page_number": 1, "page_size": 500, "conversations": []}
        })))
        .mount(&server)
        .await;
    let home = Home::new();
    let mut cmd = home.cmd();
    if from_env {
        cmd.env("WA_ENGATI_API_KEY", CANARY)
            .env("WA_ENGATI_CUSTOMER_ID", CID)
            .env("WA_ENGATI_BOT_KEY", BOT)
            .env("WA_ENGATI_BASE_URL", server.uri())
            .args(["--provider", "engati"]);
    } else {
        home.write_config(&format!(
            "[profiles.e]\nprovider = \"engati\"\nbase_url = \"{}\"\napi_key = {{ env = \"MY_ENGATI_KEY\" }}\ncustomer_id = \"{CID}\"\nbot_key = \"{BOT}\"\n",
            server.uri()
        ));
        cmd.env("MY_ENGATI_KEY", CANARY);
    }
    cmd.args(["-vv", "--retries", "2"]).args(args);
    let out = run(cmd).await;
    assert!(!stderr(&out).is_empty(), "-vv should trace requests");
    assert_no_canary(&stdout(&out));
    assert_no_canary(&stderr(&out));
    let received = server.received_requests().await.unwrap();
    assert!(
        !received.is_empty(),
        "the command should have sent a request"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_key_never_appears_in_any_output_even_when_engati_echoes_it() {
    let users = [
        "users",
        "find",
        "--attribute",
        "a",
        "--value",
        "b",
        "-f",
        "json",
    ];
    let conv = ["conversations", "573001234567", "-f", "json"];
    for from_env in [false, true] {
        canary_run(200, &users, from_env).await;
        canary_run(200, &conv, from_env).await;
        for status in [400, 401, 403, 500] {
            canary_run(status, &conv, from_env).await;
        }
    }
    canary_run(401, &["profiles", "check"], false).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn conversations_print_json_and_a_table_and_users_values_are_percent_encoded() {
    let (server, home) = server_with_config().await;
    engati_get(
        &conversations_path("573001234567"),
        "page_number=1&page_size=500",
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(page(1, 500, 0..2)))
    .expect(2)
    .mount(&server)
    .await;
    engati_get(
        &users_path(),
        "attribute_name=city&attribute_value=Bogot%C3%A1%2C%20D.C.%20%26%20%2B%3D%23",
    )
    .respond_with(ResponseTemplate::new(200).set_body_raw(
        include_str!("../../fixtures/engati/users.json"),
        "application/json",
    ))
    .expect(1)
    .mount(&server)
    .await;
    let mut cmd = home.cmd();
    cmd.args(["conversations", "573001234567", "-f", "json"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!([
            {"message_id": "m000", "sender": "bot", "message": "line 0", "timestamp": "2026-04-02T10:00:00Z"},
            {"message_id": "m001", "sender": "user", "message": "line 1", "timestamp": "2026-04-02T10:01:00Z"}
        ])
    );
    let mut cmd = home.cmd();
    cmd.args(["conversations", "573001234567", "-f", "table"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let table = stdout(&out);
    let header = table.lines().next().unwrap();
    for name in ["message_id", "sender", "message", "timestamp"] {
        assert!(header.contains(name), "{table}");
    }
    assert!(table.contains("line 1"), "{table}");
    let mut cmd = home.cmd();
    cmd.args([
        "users",
        "find",
        "--attribute",
        "city",
        "--value",
        "Bogotá, D.C. & +=#",
        "-f",
        "csv",
        "--fields",
        "user_id",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "user_id\n65f1c2a9e4b0a1d2c3f4a5b6\n4711\n");
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_401_on_a_read_reruns_the_key_command_once_and_retries() {
    let (server, home) = server_with_config().await;
    let q = "attribute_name=a&attribute_value=b";
    Mock::given(method("GET"))
        .and(path(users_path()))
        .and(RawQuery(q.to_string()))
        .and(header("authorization", "Basic key-1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(engati_status(
            401,
            "UNAUTHORIZED",
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(users_path()))
        .and(RawQuery(q.to_string()))
        .and(header("authorization", "Basic key-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"status": {"code": 1000, "desc": "SUCCESS"}, "responseObject": {"users": []}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let script = home.path().join("key.sh");
    std::fs::write(&script, "n=$(cat \"$HOME/n\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$HOME/n\"; echo key-$n\n").unwrap();
    home.write_config(&format!(
        "[profiles.e]\nprovider = \"engati\"\nbase_url = \"{}\"\napi_key = {{ command = \"sh {}\" }}\ncustomer_id = \"{CID}\"\nbot_key = \"{BOT}\"\n",
        server.uri(),
        script.display()
    ));
    let mut cmd = home.cmd();
    cmd.args([
        "users",
        "find",
        "--attribute",
        "a",
        "--value",
        "b",
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "[]\n");
}
