//! `wa-analytics api` (product.md, "Scripting"; issue 16): exactly one request with the
//! profile's credentials to `base_url` + PATH, the encoded query and body as given, the answer's
//! body printed as sent (secrets masked), no secret in any output at `-vv`; a write asks, needs
//! `--yes` in a script (nothing sent without it) and takes `--dry-run`; a refusal prints its body
//! on stdout and its paragraph on stderr with the usual exit code. Against the sandbox end to end.

use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{Home, RawQuery, run, stderr, stdout, strict_server};

/// A HOME with an Engage profile at `server` whose credentials are canaries (what no output may
/// hold).
fn canary_home(server: &wiremock::MockServer) -> Home {
    let home = Home::new();
    let base_url = server.uri();
    home.write_config(&format!(
        "default_profile = \"engage-test\"\n\n[profiles.engage-test]\nprovider = \"engage\"\nbase_url = \"{base_url}\"\nbot_token = \"CANARY-bot-7f3a91\"\ntoken = \"CANARY-jwt-5e2c04\"\n"
    ));
    home
}

#[tokio::test]
async fn a_get_sends_one_request_with_the_credentials_and_prints_the_body_as_sent() {
    let server = strict_server().await;
    let body = "{\"data\": [ {\"name\": \"Año 🎉\"} ],\n \"n\":1}";
    Mock::given(method("GET"))
        .and(path("/campaigns"))
        .and(RawQuery(
            "from=2026-04-01%2000%3A00%3A00&name=a%26b%3Dc%20%F0%9F%8E%89".into(),
        ))
        .and(header("x-token", "CANARY-bot-7f3a91"))
        .and(header("authorization", "Bearer CANARY-jwt-5e2c04"))
        .respond_with(ResponseTemplate::new(200).set_body_string(body))
        .expect(1)
        .mount(&server)
        .await;
    let home = canary_home(&server);
    let mut cmd = home.cmd();
    cmd.args([
        "-vv",
        "api",
        "/campaigns",
        "-q",
        "from=2026-04-01 00:00:00",
        "--query",
        "name=a&b=c 🎉",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Byte for byte: no reformatting, no newline added.
    assert_eq!(stdout(&out), body);
    let err = stderr(&out);
    assert!(err.contains("> GET "), "-vv logs the request: {err}");
    assert!(
        !err.contains("CANARY") && !stdout(&out).contains("CANARY"),
        "{err}"
    );
}

#[tokio::test]
async fn an_answer_that_echoes_a_secret_is_printed_masked_at_any_verbosity() {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .and(path("/echo"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            "{\"seen\":\"Bearer CANARY-jwt-5e2c04\",\"token\":\"CANARY-bot-7f3a91\"}",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let home = canary_home(&server);
    let mut cmd = home.cmd();
    cmd.args(["-vv", "api", "GET", "/echo"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "{\"seen\":\"Bearer ***\",\"token\":\"***\"}");
    assert!(!stderr(&out).contains("CANARY"), "{}", stderr(&out));
}

#[tokio::test]
async fn a_post_without_yes_in_a_script_sends_nothing() {
    let server = strict_server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let home = canary_home(&server);
    std::fs::write(home.path().join("body.json"), "{\"a\":1}").unwrap();
    let mut cmd = home.cmd();
    cmd.args(["api", "POST", "/broadcast", "--input", "body.json"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "wa-analytics: error: 'api' changes something at Engage and stdin is not a terminal to confirm it, so nothing was sent\n\
         hint: add --yes to send it from a script, or --dry-run to see the request\n"
    );
}

#[tokio::test]
async fn a_post_with_yes_is_sent_once_with_its_body() {
    let server = strict_server().await;
    Mock::given(method("POST"))
        .and(path("/broadcast"))
        .and(header("content-type", "application/json"))
        .and(header("authorization", "Bearer CANARY-jwt-5e2c04"))
        .and(body_string("{\"a\": 1}\n"))
        // A write is never sent twice, even after a 503.
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .expect(1)
        .mount(&server)
        .await;
    let home = canary_home(&server);
    let mut cmd = home.cmd();
    cmd.args(["api", "--input", "-", "/broadcast", "--yes"])
        .write_stdin("{\"a\": 1}\n");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert_eq!(stdout(&out), "busy");
}

#[tokio::test]
async fn dry_run_prints_the_request_with_secrets_as_stars_and_sends_nothing() {
    let server = strict_server().await;
    let home = canary_home(&server);
    let mut cmd = home.cmd();
    cmd.args([
        "api",
        "PATCH",
        "/campaign/Promo%20a/settings",
        "-q",
        "x=1 2",
        "--input",
        "-",
        "--dry-run",
    ])
    .write_stdin("{\"paused\":true}");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!(
            "PATCH {}/campaign/Promo%20a/settings?x=1%202\n\
             x-token: ***\n\
             authorization: ***\n\
             content-type: application/json\n\
             \n\
             {{\n  \"paused\": true\n}}\n",
            server.uri()
        )
    );
    assert_eq!(stderr(&out), "wa-analytics: dry run: nothing was sent\n");
}

#[tokio::test]
async fn a_404_prints_the_vendors_body_and_exits_7() {
    let server = strict_server().await;
    let body = "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no such campaign\"}}";
    Mock::given(method("GET"))
        .and(path("/campaign/x/summary"))
        .respond_with(ResponseTemplate::new(404).set_body_string(body))
        // A 404 is not retried.
        .expect(1)
        .mount(&server)
        .await;
    let home = canary_home(&server);
    let target = home.path().join("kept.json");
    std::fs::write(&target, "previous").unwrap();
    let mut cmd = home.cmd();
    cmd.arg("-o")
        .arg(&target)
        .args(["api", "/campaign/x/summary"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(7));
    assert_eq!(stdout(&out), body, "the refusal goes to stdout");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "previous",
        "never over -o's file"
    );
    assert_eq!(
        stderr(&out),
        "wa-analytics: error: Engage GET /campaign/x/summary answered 404 Not Found: NOT_FOUND: no such campaign.\n\
         hint: check the campaign name with 'wa-analytics campaigns list' (names must match exactly, accents and case included)\n"
    );
}

#[tokio::test]
async fn a_get_is_retried_after_a_503_like_any_read() {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .and(path("/campaigns"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/campaigns"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;
    let home = canary_home(&server);
    let mut cmd = home.cmd();
    cmd.args(["api", "/campaigns"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "{}");
}

#[tokio::test]
async fn words_after_path_that_api_does_not_take_are_exit_2_before_any_request() {
    let server = strict_server().await;
    let home = canary_home(&server);
    let mut cmd = home.cmd();
    cmd.args(["api", "/campaigns", "-p", "other"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "wa-analytics: error: api: '-p' is not understood after PATH\n\
         hint: after PATH come -q NAME=VALUE, --input FILE|-, --read, --yes and --dry-run; global options (-p, -v, --demo, …) go before METHOD\n"
    );
}

#[test]
fn against_the_sandbox_the_raw_answer_holds_what_campaigns_list_prints() {
    let home = Home::new();
    let raw = home
        .cmd()
        .args([
            "--demo",
            "-q",
            "-p",
            "engage",
            "--jq",
            ".data[].name",
            "api",
            "/campaigns",
            "-q",
            "from=2000-01-01 00:00:00",
            "-q",
            "to=2099-12-31 23:59:59",
        ])
        .output()
        .unwrap();
    assert_eq!(raw.status.code(), Some(0), "{}", stderr(&raw));
    let listed = home
        .cmd()
        .args([
            "--demo",
            "-q",
            "-p",
            "engage",
            "campaigns",
            "list",
            "--from",
            "2000-01-01",
            "--to",
            "2099-12-31",
            "--jq",
            ".[].name",
        ])
        .output()
        .unwrap();
    assert_eq!(stdout(&raw), stdout(&listed));
    assert_eq!(stdout(&raw).lines().count(), 12, "{}", stdout(&raw));
}

#[test]
fn against_the_sandbox_an_insider_read_post_mints_its_token_and_is_not_asked_about() {
    let home = Home::new();
    std::fs::write(
        home.path().join("body.json"),
        "{\"start_time\":1735689600,\"end_time\":1767225600}",
    )
    .unwrap();
    let out = home
        .cmd()
        .args([
            "--demo",
            "-vv",
            "-p",
            "insider",
            "--jq",
            ".chart | keys | length > 0",
            "api",
            "POST",
            "/api/wa/v2/statistics/overall",
            "--input",
            "body.json",
            "--read",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "true\n");
    let err = stderr(&out);
    let requests: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("wa-analytics: > "))
        .map(|l| l.split(" [").next().unwrap())
        .map(|l| l.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(requests, ["token", "overall"], "{err}");
    assert!(err.contains("[authorization: ***]"), "{err}");
}

#[test]
fn every_vendor_reaches_its_raw_api_with_its_own_credential_headers() {
    let home = Home::new();
    for (vendor, headers) in [
        ("engage", "x-token: ***\nauthorization: ***\n"),
        ("engati", "authorization: ***\n"),
        ("insider", "authorization: ***\n"),
        ("wolkvox", "wolkvox-token: ***\n"),
        ("engagive", "authorization: ***\n"),
    ] {
        let out = home
            .cmd()
            .args([
                "--demo",
                "-q",
                "-p",
                vendor,
                "api",
                "DELETE",
                "/x",
                "--dry-run",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{vendor}: {}", stderr(&out));
        let text = stdout(&out);
        let (line, rest) = text.split_once('\n').unwrap();
        assert!(
            line.starts_with("DELETE http://127.0.0.1:") && line.ends_with(&format!("/{vendor}/x")),
            "{vendor}: {line}"
        );
        assert_eq!(rest, headers, "{vendor}");
    }
}
