//! `messages send-template`: the Meta-shaped JSON body, the receipt, a template without
//! parameters, a `status.code` other than 1000, and `--dry-run` with the key as stars.

use serde_json::{Value, json};
use wiremock::ResponseTemplate;
use wiremock::matchers::{body_json, header};

use super::*;
use crate::engati::{KEY, server_with_config};
use crate::support::{RawQuery, run, stderr, stdout};

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
