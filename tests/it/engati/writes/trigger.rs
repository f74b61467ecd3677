//! `trigger` (API Trigger): v1 inputs as query parameters, v2 as a JSON body, bad input refused
//! before any request, and an unknown flow or a refused entitlement.

use serde_json::{Value, json};
use wiremock::ResponseTemplate;
use wiremock::matchers::{body_json, body_string, header};

use super::*;
use crate::engati::{BOT_PATH, server_with_config};
use crate::support::{RawQuery, run, stderr, stdout};

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
