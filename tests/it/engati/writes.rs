//! Engati writes end to end: the template message, broadcast, external broadcast and API
//! Trigger, each pinned exactly (method, path, query, raw key, JSON body or multipart parts),
//! sent exactly once whatever the answer, and never sent by `--dry-run` or without `--yes`.

use serde_json::{Value, json};
use wiremock::matchers::{body_json, body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::{BOT_PATH, CANARY, KEY, assert_no_canary, run, server_with_config};
use crate::support::{Home, RawQuery, stderr, stdout, strict_server};

const WA_PATH: &str = "/whatsapp-api/v1.0/customer/10294/bot/1a1c9bfa5e0f41ed";
const FLOW: &str = "0123456789ABCDEF0123456789ABCDEF";

fn engati_post(p: &str) -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path(p))
        .and(header("authorization", format!("Basic {KEY}").as_str()))
}

fn ok(object: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(
        json!({"status": {"code": 1000, "desc": "SUCCESS"}, "responseObject": object}),
    )
}

fn template_body() -> Value {
    json!({
        "payload": {
            "name": "order_shipped",
            "language": {"code": "en_US", "policy": "deterministic"},
            "components": [{"type": "body", "parameters": [
                {"type": "text", "text": "Ana María"}, {"type": "text", "text": "=42"}
            ]}]
        },
        "phoneNumber": "+573001234567"
    })
}

const TEMPLATE_ARGS: [&str; 10] = [
    "messages",
    "send-template",
    "--to",
    "+573001234567",
    "--template",
    "order_shipped",
    "--lang",
    "en_US",
    "--param",
    "Ana María",
];

fn template_cmd(home: &Home) -> assert_cmd::Command {
    let mut cmd = home.cmd();
    cmd.args(TEMPLATE_ARGS).args(["--param", "=42"]);
    cmd
}

#[tokio::test(flavor = "multi_thread")]
async fn send_template_posts_meta_shaped_json_once_and_prints_the_receipt() {
    let (server, home) = server_with_config().await;
    engati_post(&format!("{WA_PATH}/template"))
        .and(RawQuery(String::new()))
        .and(header("content-type", "application/json"))
        .and(body_json(template_body()))
        .respond_with(ok(
            json!({"messageId": "wamid.HBgM123", "phoneNumber": "+573001234567"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = template_cmd(&home);
    cmd.args(["--yes", "-f", "json"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!({"command": "messages send-template", "accepted": true, "id": "wamid.HBgM123",
               "message": "SUCCESS", "response": {"messageId": "wamid.HBgM123", "phoneNumber": "+573001234567"}})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_template_without_parameters_has_no_components() {
    let (server, home) = server_with_config().await;
    engati_post(&format!("{WA_PATH}/template"))
        .and(body_json(json!({
            "payload": {"name": "hello_world", "language": {"code": "en_US", "policy": "deterministic"}},
            "phoneNumber": "573001234567"
        })))
        .respond_with(ok(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = home.cmd();
    cmd.args([
        "messages",
        "send-template",
        "--to",
        "573001234567",
        "--template",
        "hello_world",
        "--lang",
        "en_US",
        "--yes",
        "-f",
        "csv",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "command,accepted,id,message,response\nmessages send-template,true,,SUCCESS,{}\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_is_sent_exactly_once_even_when_engati_answers_500_or_429() {
    for (status, exit) in [(500u16, 6), (503, 6), (429, 5)] {
        let (server, home) = server_with_config().await;
        engati_post(&format!("{WA_PATH}/template"))
            .and(body_json(template_body()))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("retry-after", "0")
                    .set_body_json(json!({"status": {"code": status, "desc": "INTERNAL_ERROR"}})),
            )
            .expect(1)
            .mount(&server)
            .await;
        let mut cmd = template_cmd(&home);
        cmd.args(["--yes", "--retries", "5"]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(exit), "{status}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!("Engati POST {WA_PATH}/template answered {status}")),
            "{err}"
        );
        if status != 429 {
            assert!(
                err.ends_with("hint: the vendor may have received it before the failure and writes are never retried; check whether it arrived before sending it again
"),
                "{err}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_status_code_other_than_1000_on_http_200_is_a_failed_write() {
    let (server, home) = server_with_config().await;
    engati_post(&format!("{WA_PATH}/template"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"status": {"code": 1002, "message": "INVALID_BOT_OR_CUSTOMER_ID"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = template_cmd(&home);
    cmd.arg("--yes");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "wa-analytics: error: Engati POST {WA_PATH}/template answered 200 OK: 1002: INVALID_BOT_OR_CUSTOMER_ID.\n\
             hint: check the profile's customer_id and bot_key (Engati portal: Integration > Engati API)\n"
        )
    );
    assert_eq!(stdout(&out), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_prints_the_request_with_the_key_as_stars_and_sends_nothing() {
    let (server, home) = server_with_config().await;
    let mut cmd = template_cmd(&home);
    cmd.arg("--dry-run");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!(
            "POST {}{WA_PATH}/template\nauthorization: ***\ncontent-type: application/json\n\n{}\n",
            server.uri(),
            serde_json::to_string_pretty(&template_body()).unwrap()
        )
    );
    assert_eq!(stderr(&out), "wa-analytics: dry run: nothing was sent\n");
    assert!(!stdout(&out).contains(KEY));
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_yes_and_without_a_terminal_nothing_is_sent_and_the_exit_is_2() {
    let (server, home) = server_with_config().await;
    for args in [
        TEMPLATE_ARGS.to_vec(),
        vec!["broadcast", "--users", "573001234567", "--text", "Hola"],
        vec!["trigger", FLOW, "--to", "+573001234567"],
    ] {
        let mut cmd = home.cmd();
        cmd.args(&args).write_stdin("y\n");
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("stdin is not a terminal to confirm it, so nothing was sent"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

/// A broadcast body's every field but `publishedOn`, which must be an RFC 3339 time with
/// milliseconds in UTC not after `latest` (an immediate broadcast is stamped with the time it
/// was prepared: Part 2 §2.6, "Immediate broadcasts will be sent for expired time").
struct ImmediateBroadcast {
    expected: Value,
    latest: chrono::DateTime<chrono::Utc>,
}

impl wiremock::Match for ImmediateBroadcast {
    fn matches(&self, request: &Request) -> bool {
        let Ok(mut body) = serde_json::from_slice::<Value>(&request.body) else {
            return false;
        };
        let Some(published) = body
            .get("publishedOn")
            .and_then(Value::as_str)
            .map(String::from)
        else {
            return false;
        };
        body["publishedOn"] = Value::Null;
        let time_ok = published.len() == 24
            && published.ends_with('Z')
            && chrono::DateTime::parse_from_rfc3339(&published).is_ok_and(|t| t <= self.latest);
        time_ok && body == self.expected
    }
}

fn broadcast_body(users: &[&str], published: Value) -> Value {
    json!({
        "broadcastId": null,
        "broadcastTitle": "Spring sale",
        "publishedOn": published,
        "audience": {"rule": {"channels": ["whatsapp"], "channelUserIds": users}},
        "payload": {"type": "direct", "content": [{"type": "text", "data": {"message": "Hola 👋, 20% off"}}]},
        "status": null
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn broadcast_now_sends_the_wrapper_body_once_with_each_user_once() {
    let (server, home) = server_with_config().await;
    engati_post(&format!("{BOT_PATH}/broadcast"))
        .and(header("content-type", "application/json"))
        .and(ImmediateBroadcast {
            expected: broadcast_body(&["573001234567", "+573009876543"], Value::Null),
            latest: chrono::Utc::now() + chrono::Duration::days(1),
        })
        .respond_with(ok(
            json!({"broadcastId": "bc-77", "status": "PUBLISHED", "recipients": 2}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = home.cmd();
    cmd.args([
        "broadcast",
        "--users",
        "573001234567,+573009876543",
        "--users",
        "573001234567",
        "--title",
        "Spring sale",
        "--text",
        "Hola 👋, 20% off",
        "--yes",
        "-f",
        "csv",
        "--fields",
        "command,accepted,id",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "command,accepted,id\nbroadcast,true,bc-77\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn broadcast_at_a_local_time_is_published_at_that_instant_in_utc() {
    let (server, home) = server_with_config().await;
    engati_post(&format!("{BOT_PATH}/broadcast"))
        .and(body_json(broadcast_body(
            &["573001234567"],
            json!("2099-01-01T15:00:00.000Z"),
        )))
        .respond_with(ok(json!({"broadcastId": "bc-78", "status": "SCHEDULED"})))
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = home.cmd();
    cmd.args([
        "broadcast",
        "--users",
        "573001234567",
        "--title",
        "Spring sale",
        "--text",
        "Hola 👋, 20% off",
        "--at",
        "2099-01-01 10:00",
        "--tz",
        "America/Bogota",
        "-y",
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(got["id"], "bc-78");
    assert_eq!(got["response"]["status"], "SCHEDULED");
}

#[tokio::test(flavor = "multi_thread")]
async fn broadcast_dry_run_prints_the_scheduled_body_and_a_past_time_is_refused() {
    let (server, home) = server_with_config().await;
    let mut cmd = home.cmd();
    cmd.args([
        "broadcast",
        "--users",
        "573001234567",
        "--title",
        "Spring sale",
        "--text",
        "Hola 👋, 20% off",
        "--at",
        "2099-01-01T15:00:00Z",
        "--dry-run",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let body = broadcast_body(&["573001234567"], json!("2099-01-01T15:00:00.000Z"));
    assert_eq!(
        stdout(&out),
        format!(
            "POST {}{BOT_PATH}/broadcast\nauthorization: ***\ncontent-type: application/json\n\n{}\n",
            server.uri(),
            serde_json::to_string_pretty(&body).unwrap()
        )
    );
    let mut cmd = home.cmd();
    cmd.args([
        "broadcast",
        "--users",
        "573001234567",
        "--text",
        "x",
        "--at",
        "2020-01-01",
        "--yes",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--at 2020-01-01 is not in the future (2020-01-01T00:00:00Z)"),
        "{}",
        stderr(&out)
    );
    let mut cmd = home.cmd();
    cmd.args([
        "broadcast",
        "--users",
        "573001234567,",
        "--text",
        "x",
        "--yes",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--users holds an empty user id"),
        "{}",
        stderr(&out)
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn broadcast_403_says_the_wrapper_api_must_be_enabled() {
    let (server, home) = server_with_config().await;
    engati_post(&format!("{BOT_PATH}/broadcast"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"status": {"code": 403, "desc": "FORBIDDEN"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = home.cmd();
    cmd.args([
        "broadcast",
        "--users",
        "573001234567",
        "--text",
        "x",
        "--yes",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(
        stderr(&out),
        format!(
            "wa-analytics: error: Engati POST {BOT_PATH}/broadcast answered 403 Forbidden: FORBIDDEN.\n\
             hint: this API key may not do this: the broadcast wrapper API must be enabled by Engati support (support@engati.com)\n"
        )
    );
}

const AUDIENCE: &str =
    "user.phone_number,user.attribute_0\n+573001234567,Ana\n+573009876543,\"José, Jr\"\n";
const TEMPLATE_PAYLOAD: &str =
    r#"{"language":{"code":"es","policy":"deterministic"},"name":"promo"}"#;

/// The multipart body Engati gets: the CSV as `target_audience` and the template as
/// `template_payload`, with the boundary the content type names.
struct ExternalParts;

impl wiremock::Match for ExternalParts {
    fn matches(&self, request: &Request) -> bool {
        let Some(boundary) = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("multipart/form-data; boundary="))
        else {
            return false;
        };
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"target_audience\"; filename=\"spring.csv\"\r\nContent-Type: text/csv\r\n\r\n{AUDIENCE}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"template_payload\"\r\nContent-Type: application/json\r\n\r\n{TEMPLATE_PAYLOAD}\r\n--{boundary}--\r\n"
        );
        request.body == expected.as_bytes()
    }
}

fn external_cmd(home: &Home, extra: &[&str]) -> assert_cmd::Command {
    std::fs::write(home.path().join("spring.csv"), AUDIENCE).unwrap();
    let mut cmd = home.cmd();
    cmd.args([
        "broadcast",
        "external",
        "--audience",
        "spring.csv",
        "--template",
        "promo",
        "--lang",
        "es",
    ])
    .args(extra);
    cmd
}

#[tokio::test(flavor = "multi_thread")]
async fn external_broadcast_uploads_the_checked_csv_and_the_template_as_multipart() {
    let (server, home) = server_with_config().await;
    engati_post(&format!("{WA_PATH}/external/broadcast"))
        .and(RawQuery("broadcast_id=spring%20sale%202026".to_string()))
        .and(ExternalParts)
        .respond_with(ok(json!({"requestId": "ext-1"})))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(external_cmd(
        &home,
        &["--name", "spring sale 2026", "--yes", "-f", "json"],
    ))
    .await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(got["command"], "broadcast external");
    assert_eq!(got["id"], "ext-1");
}

#[tokio::test(flavor = "multi_thread")]
async fn external_broadcast_dry_run_names_it_after_the_file_and_sends_nothing() {
    let (server, home) = server_with_config().await;
    let out = run(external_cmd(&home, &["--dry-run"])).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let first = format!(
        "POST {}{WA_PATH}/external/broadcast?broadcast_id=spring\nauthorization: ***\ncontent-type: multipart/form-data; boundary=wa-analytics-",
        server.uri()
    );
    assert!(text.starts_with(&first), "{text}");
    assert!(
        text.contains(&format!(
            "filename=\"spring.csv\"\r\nContent-Type: text/csv\r\n\r\n{AUDIENCE}\r\n"
        )),
        "{text}"
    );
    assert!(text.contains(TEMPLATE_PAYLOAD), "{text}");
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_audience_file_is_refused_locally_with_exit_2() {
    let (server, home) = server_with_config().await;
    for (csv, why) in [
        (
            "phone\n+573001234567\n",
            "the first column must be user.phone_number, not 'phone'",
        ),
        (
            "user.phone_number\n573001234567\n",
            "line 2: '573001234567' is not a phone number with + and the country code",
        ),
        (
            "user.phone_number,user.attribute_0\n+573001234567,a\n+573001234567,b\n",
            "line 3 repeats +573001234567 of line 2",
        ),
    ] {
        std::fs::write(home.path().join("bad.csv"), csv).unwrap();
        let mut cmd = home.cmd();
        cmd.args([
            "broadcast",
            "external",
            "--audience",
            "bad.csv",
            "--template",
            "promo",
            "--lang",
            "es",
            "--yes",
        ]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).starts_with(&format!(
                "wa-analytics: error: Engati: the audience file bad.csv: {why}"
            )),
            "{}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("nothing was sent"));
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn external_broadcast_codes_map_to_exit_codes() {
    for (http, code, desc, exit, hint) in [
        (
            400u16,
            2003,
            "BOT_NOT_FOUND",
            2,
            "the bot_key matches no Engati bot",
        ),
        (
            400,
            2004,
            "API_KEY_NOT_FOUND",
            2,
            "the bot's 360Dialog WhatsApp provider is not configured",
        ),
        (
            400,
            2005,
            "INVALID_FILE_FORMAT",
            2,
            "the audience must be a CSV file",
        ),
        (
            400,
            2006,
            "FILE_UPLOAD_FAILED",
            6,
            "the audience upload failed or the file is too large",
        ),
        (400, 2000, "FAILURE", 2, "Engati refused the request"),
        (
            200,
            2000,
            "FAILURE",
            6,
            "the vendor may have received it before the failure",
        ),
    ] {
        let (server, home) = server_with_config().await;
        engati_post(&format!("{WA_PATH}/external/broadcast"))
            .respond_with(
                ResponseTemplate::new(http)
                    .set_body_json(json!({"status": {"code": code, "desc": desc}})),
            )
            .expect(1)
            .mount(&server)
            .await;
        let out = run(external_cmd(&home, &["--yes"])).await;
        assert_eq!(out.status.code(), Some(exit), "{code}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!(": {code}: {desc}.\nhint: {hint}")),
            "{code}: {}",
            stderr(&out)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn trigger_v1_sends_the_inputs_as_query_parameters_and_no_body() {
    let (server, home) = server_with_config().await;
    engati_post(&format!("{BOT_PATH}/flow/{FLOW}"))
        .and(RawQuery(
            "user.phone_no=%2B573001234567&user.user_name=Ana%20Mar%C3%ADa&order=A%26B%3D1"
                .to_string(),
        ))
        .and(body_string(""))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = home.cmd();
    cmd.args([
        "trigger",
        FLOW,
        "--to",
        "+573001234567",
        "--attr",
        "user.user_name=Ana María",
        "--attr",
        "order=A&B=1",
        "--yes",
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    // API Trigger documents no answer: an empty 200 is a success.
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!({"command": "trigger", "accepted": true, "id": null, "message": null, "response": null})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn trigger_v2_sends_a_json_body_with_the_channel_and_the_phone() {
    let (server, home) = server_with_config().await;
    let v2 = BOT_PATH.replace("v1.0", "v2.0");
    engati_post(&format!("{v2}/flow/{FLOW}"))
        .and(RawQuery(String::new()))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "user.channel": "whatsapp", "user.phone_no": "+573001234567", "city": "Cali", "plan": "gold"
        })))
        .respond_with(ok(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = home.cmd();
    cmd.args([
        "trigger",
        FLOW,
        "--v2",
        "--attr",
        "user.phone_no=+573001234567",
        "--attr",
        "city=Cali",
        "--attr",
        "plan=gold",
        "--yes",
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(got["message"], "SUCCESS");
}

#[tokio::test(flavor = "multi_thread")]
async fn trigger_refuses_bad_input_before_any_request() {
    let (server, home) = server_with_config().await;
    for (args, why) in [
        (
            vec!["trigger", "not-a-key", "--to", "+573001234567"],
            "'not-a-key' is not a flow key (32 hexadecimal characters)",
        ),
        (
            vec!["trigger", FLOW],
            "API Trigger needs the user's phone number (user.phone_no)",
        ),
        (
            vec![
                "trigger",
                FLOW,
                "--to",
                "+573001234567",
                "--attr",
                "user.phone_no=+573001234567",
            ],
            "the phone number is given twice",
        ),
        (
            vec![
                "trigger",
                FLOW,
                "--to",
                "+573001234567",
                "--attr",
                "a=1",
                "--attr",
                "a=2",
            ],
            "--attr a is given twice",
        ),
        (
            vec!["trigger", FLOW, "--attr", "user.phone_no=300 123"],
            "--attr user.phone_no: '300 123' is not a phone number",
        ),
        (
            vec![
                "trigger",
                FLOW,
                "--to",
                "+573001234567",
                "--attr",
                "novalue",
            ],
            "'novalue' is not NAME=VALUE",
        ),
        (
            vec!["trigger", FLOW, "--to", "3001"],
            "'3001' is not a phone number",
        ),
    ] {
        let mut cmd = home.cmd();
        cmd.args(&args).arg("--yes");
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(why), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_flow_is_exit_7_and_a_refused_entitlement_exit_4() {
    for (http, body, exit, hint) in [
        (
            400u16,
            json!({"status": {"code": 1002, "desc": "INVALID_BOT_OR_CUSTOMER_ID"}}),
            7,
            "check the flow key (the path info icon in Engati's flow builder)",
        ),
        (
            403,
            json!({"status": {"code": 403, "desc": "FORBIDDEN"}}),
            4,
            "API Trigger is available on Enterprise plans by entitlement",
        ),
        (
            401,
            json!({"status": {"code": 401, "desc": "UNAUTHORIZED"}}),
            4,
            "the api_key is missing, revoked or regenerated",
        ),
    ] {
        let (server, home) = server_with_config().await;
        engati_post(&format!("{BOT_PATH}/flow/{FLOW}"))
            .respond_with(ResponseTemplate::new(http).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
        let mut cmd = home.cmd();
        cmd.args(["trigger", FLOW, "--to", "+573001234567", "--yes"]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(exit), "{}", stderr(&out));
        assert!(stderr(&out).contains(hint), "{}", stderr(&out));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn other_vendors_refuse_engati_writes_with_exit_2_and_send_nothing() {
    let server = strict_server().await;
    let home = Home::new();
    home.engage_config(&server.uri());
    for args in [
        vec![
            "broadcast",
            "--users",
            "573001234567",
            "--text",
            "x",
            "--yes",
        ],
        vec!["trigger", FLOW, "--to", "+573001234567", "--dry-run"],
    ] {
        let mut cmd = home.cmd();
        cmd.args(&args);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains(&format!("Engage does not support '{}'", args[0])),
            "{}",
            stderr(&out)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_key_never_appears_in_write_output_at_any_verbosity() {
    for (status, dry) in [(200u16, false), (400, false), (500, false), (200, true)] {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({
                "status": {"code": if status == 200 { 1000 } else { 2000 }, "desc": format!("echo {CANARY}")},
                "responseObject": {"messageId": format!("Basic {CANARY}")}
            })))
            .mount(&server)
            .await;
        let home = Home::new();
        home.write_config(&format!(
            "[profiles.e]\nprovider = \"engati\"\nbase_url = \"{}\"\napi_key = \"{CANARY}\"\ncustomer_id = \"10294\"\nbot_key = \"1a1c9bfa5e0f41ed\"\n",
            server.uri()
        ));
        let mut cmd = home.cmd();
        cmd.args(["-vv"]).args(TEMPLATE_ARGS).args(["-f", "json"]);
        cmd.arg(if dry { "--dry-run" } else { "--yes" });
        let out = run(cmd).await;
        assert_no_canary(&stdout(&out));
        assert_no_canary(&stderr(&out));
        if dry {
            assert!(
                stdout(&out).contains("authorization: ***"),
                "{}",
                stdout(&out)
            );
        } else {
            let sent = server.received_requests().await.unwrap();
            assert_eq!(sent.len(), 1);
            assert_eq!(
                sent[0].headers.get("authorization").unwrap(),
                format!("Basic {CANARY}").as_str()
            );
        }
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_write_answered_401_is_not_sent_again_even_with_a_key_command() {
    let server = strict_server().await;
    engati_post(&format!("{BOT_PATH}/flow/{FLOW}"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"status": {"code": 401, "desc": "UNAUTHORIZED"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    home.write_config(&format!(
        "[profiles.e]\nprovider = \"engati\"\nbase_url = \"{}\"\napi_key = {{ command = \"echo {KEY}\" }}\ncustomer_id = \"10294\"\nbot_key = \"1a1c9bfa5e0f41ed\"\n",
        server.uri()
    ));
    let mut cmd = home.cmd();
    cmd.args(["trigger", FLOW, "--to", "+573001234567", "--yes"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
}
