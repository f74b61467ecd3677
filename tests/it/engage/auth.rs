//! The credentials: a 401 reruns the token command once, and a redirect to another origin
//! carries neither credential.

use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::support::{Home, RawQuery, run, stderr, stdout, strict_server};

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
