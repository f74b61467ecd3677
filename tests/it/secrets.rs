//! Canary credentials never appear in any output at any verbosity, nor their base64.

use base64::Engine;
use serde_json::json;
use wiremock::matchers::{any, header};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{Home, stderr, stdout};

const BOT: &str = "CANARY-bot-7f3a9c1e5d";
const JWT: &str = "CANARY-jwt-e4b8d2a6f0";

fn forms(secret: &str) -> Vec<String> {
    let e = base64::engine::general_purpose::STANDARD;
    let u = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    vec![
        secret.to_string(),
        e.encode(secret),
        u.encode(secret),
        e.encode(format!("Bearer {secret}")),
    ]
}

fn assert_clean(text: &str) {
    for s in [BOT, JWT] {
        for f in forms(s) {
            assert!(!text.contains(&f), "secret form {f} leaked in:\n{text}");
        }
    }
}

async fn run_with(status: u16, args: &[&str], env_secrets: bool) {
    let server = MockServer::start().await;
    Mock::given(any())
        .and(header("x-token", BOT))
        .and(header("authorization", format!("Bearer {JWT}").as_str()))
        .respond_with(ResponseTemplate::new(status).set_body_json(
            json!({"data": [], "error": {"code": "X", "message": format!("echo {JWT} {BOT}")}}),
        ))
        .mount(&server)
        .await;
    let home = Home::new();
    let mut cmd = home.cmd();
    if env_secrets {
        cmd.env("WA_ENGAGE_BOT_TOKEN", BOT)
            .env("WA_ENGAGE_TOKEN", JWT)
            .env("WA_ENGAGE_BASE_URL", server.uri());
        cmd.args(["--provider", "engage"]);
    } else {
        home.write_config(&format!(
            "[profiles.e]\nprovider = \"engage\"\nbase_url = \"{}\"\nbot_token = \"{BOT}\"\ntoken = {{ env = \"MY_JWT\" }}\n",
            server.uri()
        ));
        cmd.env("MY_JWT", JWT);
    }
    cmd.args(["-vv", "--retries", "2"]).args(args);
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    assert!(!stderr(&out).is_empty(), "-vv should trace requests");
    assert_clean(&stdout(&out));
    assert_clean(&stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn canary_secrets_never_appear_at_vv_on_success() {
    run_with(200, &["campaigns", "list", "-f", "json"], false).await;
    run_with(200, &["campaigns", "list", "-f", "json"], true).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn canary_secrets_never_appear_in_errors_even_when_the_vendor_echoes_them() {
    for status in [400, 401, 403, 404, 500] {
        run_with(status, &["campaigns", "summary", "X"], false).await;
    }
    run_with(401, &["profiles", "check"], false).await;
}
