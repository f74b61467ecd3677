//! `broadcast`: the wrapper body now and at a local time, `--dry-run`, a past time or an empty
//! user refused, and the 403 when the wrapper API is not enabled.

use serde_json::{Value, json};
use wiremock::matchers::{body_json, header};
use wiremock::{Request, ResponseTemplate};

use super::*;
use crate::engati::{BOT_PATH, server_with_config};
use crate::support::{run, stderr, stdout};

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
