//! The token and the account: `profiles check`, the profile from variables, a missing
//! `account_id`, and the token command rerun on a 401.

use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

use super::*;
use crate::support::{Home, RawQuery, run, stderr, stdout, strict_server};

#[tokio::test(flavor = "multi_thread")]
async fn profiles_check_asks_for_one_template() {
    let server = strict_server().await;
    egv_get("/templates", "page=1&per_page=1")
        .respond_with(ResponseTemplate::new(200).set_body_json(page(tpls(0..1), 1, 1, 9, 9)))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server.uri());
    let out = run({
        let mut c = home.cmd();
        c.args(["profiles", "check", "-f", "csv"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "name,provider,result,detail\negv,engagive,ok,\n"
    );

    let server = strict_server().await;
    Mock::given(method("GET"))
        .and(path(format!("{ACC}/templates")))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"success": false, "statusCode": 401, "message": "Token expired"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    config(&home, &server.uri());
    let out = run({
        let mut c = home.cmd();
        c.args(["profiles", "check", "-f", "csv"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("name,provider,result,detail\negv,engagive,auth refused,Engagive GET /channels/whatsapp/accounts/acc-42/templates answered 401 Unauthorized: Token expired."),
        "{}",
        stdout(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_from_env_encodes_the_account_id_as_one_segment() {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .and(path(
            "/channels/whatsapp/accounts/acc%201%2F%C3%BC/templates/lookups/categories",
        ))
        .and(RawQuery("page=1&per_page=100".into()))
        .and(header("authorization", "Bearer env-token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": []})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    let mut cmd = home.cmd();
    cmd.env("WA_ENGAGIVE_ACCOUNT_ID", "acc 1/ü")
        .env("WA_ENGAGIVE_TOKEN", "env-token")
        .env("WA_ENGAGIVE_BASE_URL", server.uri())
        .args([
            "--provider",
            "engagive",
            "templates",
            "categories",
            "-f",
            "json",
        ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "[]\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_without_account_id_is_a_config_error() {
    let home = Home::new();
    home.write_config(
        "[profiles.egv]\nprovider = \"engagive\"\nbase_url = \"http://127.0.0.1:9\"\ntoken = \"t\"\n",
    );
    let out = run({
        let mut c = home.cmd();
        c.args(["templates", "categories"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("account_id"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_401_reruns_the_token_command_once_and_retries() {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .and(path(format!("{ACC}/templates/lookups/categories")))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"success": false, "statusCode": 401, "message": "expired"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{ACC}/templates/lookups/categories")))
        .and(RawQuery("page=1&per_page=100".into()))
        .and(header("authorization", "Bearer tok-2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": []})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    let script = home.path().join("tok.sh");
    std::fs::write(
        &script,
        "n=$(cat \"$HOME/n\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$HOME/n\"; echo tok-$n\n",
    )
    .unwrap();
    home.write_config(&format!(
        "[profiles.egv]\nprovider = \"engagive\"\nbase_url = \"{}\"\naccount_id = \"acc-42\"\ntoken = {{ command = \"sh {}\" }}\n",
        server.uri(),
        script.display()
    ));
    let out = run({
        let mut c = home.cmd();
        c.args(["templates", "categories", "-f", "json"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "[]\n");
}
