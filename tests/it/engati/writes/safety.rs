//! What holds for every write: sent exactly once whatever the answer (500, 429, a 401 even with a
//! key command), never without `--yes` and a terminal, refused by other vendors, and the key
//! never in any output.

use serde_json::json;
use wiremock::matchers::body_json;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::engati::{BOT_PATH, CANARY, KEY, assert_no_canary, server_with_config};
use crate::support::{Home, run, stderr, stdout, strict_server};

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
