//! The key and the profile: from variables, `profiles check`, a missing `bot_key`, the key
//! command rerun on a 401, and the key never in any output even when Engati echoes it.

use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::support::{Home, RawQuery, run, stderr, stdout, strict_server};

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
