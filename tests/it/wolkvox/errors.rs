//! Wolkvox's answers that are errors, the profile's `server`, `profiles check`, and the token
//! that must never show (vendors.md Part 2 §4.4; product.md "Exit codes", "Secrets").

use base64::Engine;
use serde_json::json;
use wiremock::matchers::{any, header, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

use super::{EMPTY, TOKEN, body, config, query, report, run};
use crate::support::{Home, stderr, stdout, strict_server};

const APRIL: [&str; 4] = ["--from", "2026-04-01", "--to", "2026-04-10"];

/// Runs `clicks` for April against an answer of `status` with `text`, `--retries 2`; the request
/// is expected `times` times.
async fn answer(status: u16, text: &str, times: u64) -> std::process::Output {
    let server = strict_server().await;
    report(query("chat_14", None, "20260401000000", "20260410235959"))
        .respond_with(
            ResponseTemplate::new(status).set_body_raw(text.to_string(), "application/json"),
        )
        .expect(times)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server, "");
    let mut cmd = home.cmd();
    cmd.args(["clicks", "--retries", "2"]).args(APRIL);
    run(cmd).await
}

fn envelope(code: &str, error: &str, msg: &str) -> String {
    json!({"code": code, "error": error, "msg": msg}).to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn vendor_errors_map_to_documented_exit_codes_with_one_paragraph() {
    let cases = [
        (
            400,
            envelope("400", "BAD REQUEST", "THE DATE RANGE CANNOT EXCEED 31 DAYS"),
            1,
            2,
            "Wolkvox GET /reports_manager.php answered 400 Bad Request: BAD REQUEST: THE DATE RANGE CANNOT EXCEED 31 DAYS.\nhint: wa-analytics asks at most 31 days per request, counted in the profile's timezone",
        ),
        (
            401,
            envelope("401", "UNAUTHORIZED", "PLEASE ENTER THE WOLKVOX-TOKEN"),
            1,
            4,
            "answered 401 Unauthorized: UNAUTHORIZED: PLEASE ENTER THE WOLKVOX-TOKEN.\nhint: the token is missing",
        ),
        (
            403,
            envelope("403", "FORBIDDEN", "PLEASE VALIDATE TOKEN"),
            1,
            4,
            "answered 403 Forbidden: FORBIDDEN: PLEASE VALIDATE TOKEN.\nhint: the token is not valid",
        ),
        (
            403,
            envelope("403", "FORBIDDEN", "TOKEN LIMIT EXCEEDED"),
            1,
            5,
            "answered 403 Forbidden: FORBIDDEN: TOKEN LIMIT EXCEEDED.\nhint: the token's daily quota (licences × 1,000 calls) is used up: run again tomorrow, or use another token",
        ),
        (
            403,
            envelope(
                "403",
                "FORBIDDEN",
                "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)",
            ),
            2,
            5,
            "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2).\nhint: another program is using this token at the same time",
        ),
        (
            500,
            envelope("500", "INTERNAL ERROR", "INTERNAL SERVER ERROR"),
            2,
            6,
            "answered 500 Internal Server Error",
        ),
        (
            200,
            "<html><body>Gateway login</body></html>".to_string(),
            1,
            6,
            "the response was HTML, not JSON",
        ),
        (
            // The status does not always mirror `code` (Part 2 §4.5), and `code` may be a number.
            200,
            json!({"code": 403, "error": "FORBIDDEN", "msg": "TOKEN LIMIT EXCEEDED"}).to_string(),
            1,
            5,
            "answered 200 OK: 403 FORBIDDEN: TOKEN LIMIT EXCEEDED.",
        ),
    ];
    for (status, text, times, code, expected) in cases {
        let out = answer(status, &text, times).await;
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(code), "{status} {text}: {err}");
        assert!(err.contains(expected), "{status} {text}: {err}");
        assert_eq!(err.matches("wa-analytics: error:").count(), 1, "{err}");
        assert!(
            stdout(&out).lines().count() <= 1,
            "no rows on stdout for {status} {text}: {}",
            stdout(&out)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_server_is_a_config_error_naming_the_quoted_fix() {
    let home = Home::new();
    let cases = [
        (
            "server = 32",
            "has server '32', which is shorter than a Wolkvox server number (four digits, as in wv0032.wolkvox.com); written as a TOML number, its leading zeros were lost.\nhint: write server = \"0032\" in [profiles.wv]\n",
        ),
        (
            "server = \"wv0032\"",
            "has a server that is not a number: it must be the digits of wv<server>.wolkvox.com.\nhint: write server = \"0032\" in [profiles.wv]\n",
        ),
        (
            "",
            "has no server (the digits of wv<server>.wolkvox.com) and no base_url.\nhint: write server = \"0032\" in [profiles.wv]\n",
        ),
    ];
    for (line, expected) in cases {
        let path = home.write_config(&format!(
            "[profiles.wv]\nprovider = \"wolkvox\"\ntoken = \"t\"\n{line}\n"
        ));
        let out = home.cmd().args(["clicks"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{line}: {}", stderr(&out));
        assert_eq!(
            stderr(&out),
            format!(
                "wa-analytics: error: Wolkvox: profile 'wv' in {} {expected}",
                path.display()
            ),
            "{line}"
        );
    }
    let out = home
        .cmd()
        .args(["--provider", "wolkvox", "clicks"])
        .env("WA_WOLKVOX_TOKEN", "t")
        .env("WA_WOLKVOX_SERVER", "32")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .ends_with("hint: set WA_WOLKVOX_SERVER (for example WA_WOLKVOX_SERVER=0032)\n"),
        "{}",
        stderr(&out)
    );
}

/// `api=chat_15` over one minute: `date_end` is 59 s after `date_ini`, both compact.
struct CheckQuery;

impl Match for CheckQuery {
    fn matches(&self, request: &Request) -> bool {
        let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        let time = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y%m%d%H%M%S").ok();
        match pairs.as_slice() {
            [(a, api), (i, ini), (e, end)] if a == "api" && i == "date_ini" && e == "date_end" => {
                api == "chat_15"
                    && matches!((time(ini), time(end)), (Some(i), Some(e)) if (e - i).num_seconds() == 59)
            }
            _ => false,
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn profiles_check_asks_for_one_minute_of_click_totals() {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/reports_manager.php"))
        .and(CheckQuery)
        .and(header("wolkvox-token", TOKEN))
        .respond_with(body(EMPTY))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/bad/api/v2/reports_manager.php"))
        .and(CheckQuery)
        .respond_with(ResponseTemplate::new(403).set_body_raw(
            envelope("403", "FORBIDDEN", "PLEASE VALIDATE TOKEN"),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    home.write_config(&format!(
        "[profiles.wv]\nprovider = \"wolkvox\"\nbase_url = \"{0}/api/v2\"\ntoken = \"{TOKEN}\"\n\n\
         [profiles.wv-bad]\nprovider = \"wolkvox\"\nbase_url = \"{0}/bad/api/v2\"\ntoken = \"other\"\n\n\
         [profiles.wv-short]\nprovider = \"wolkvox\"\nserver = 32\ntoken = \"x\"\n",
        server.uri()
    ));
    let out = run({
        let mut c = home.cmd();
        c.args(["profiles", "check", "-f", "csv", "--fields", "name,result"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "name,result\nwv,ok\nwv-bad,auth refused\nwv-short,config\n"
    );
}

const CANARY: &str = "CANARY-wolkvox-3b9d7e1f5a";

fn assert_clean(text: &str) {
    let e = base64::engine::general_purpose::STANDARD;
    let u = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    for form in [CANARY.to_string(), e.encode(CANARY), u.encode(CANARY)] {
        assert!(
            !text.contains(&form),
            "secret form {form} leaked in:\n{text}"
        );
    }
}

/// Runs `args` at `-vv` against a server that answers `status` and echoes the token in its
/// message, with the token from the config file or from `WA_WOLKVOX_TOKEN`.
async fn canary_run(status: u16, args: &[&str], from_env: bool) {
    let server = MockServer::start().await;
    let echo = json!({"code": status.to_string(), "error": "X", "msg": format!("0 records were found {CANARY}"), "data": []});
    Mock::given(any())
        .and(header("wolkvox-token", CANARY))
        .respond_with(ResponseTemplate::new(status).set_body_json(echo))
        .mount(&server)
        .await;
    let home = Home::new();
    let mut cmd = home.cmd();
    if from_env {
        cmd.env("WA_WOLKVOX_TOKEN", CANARY)
            .env("WA_WOLKVOX_BASE_URL", server.uri())
            .args(["--provider", "wolkvox"]);
    } else {
        home.write_config(&format!(
            "[profiles.wv]\nprovider = \"wolkvox\"\nbase_url = \"{}\"\ntoken = {{ env = \"MY_WV\" }}\n",
            server.uri()
        ));
        cmd.env("MY_WV", CANARY);
    }
    cmd.args(["-vv", "--retries", "2"]).args(args);
    let out = run(cmd).await;
    assert!(
        stderr(&out).contains("wolkvox-token: ***"),
        "{}",
        stderr(&out)
    );
    assert_clean(&stdout(&out));
    assert_clean(&stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_never_appears_at_vv_nor_when_the_vendor_echoes_it() {
    canary_run(200, &["clicks", "--last", "1d", "-f", "json"], false).await;
    canary_run(200, &["clicks", "summary", "--last", "40d"], true).await;
    for status in [400, 401, 403, 500] {
        canary_run(
            status,
            &["campaigns", "details", "all", "--last", "1d"],
            false,
        )
        .await;
    }
    canary_run(403, &["profiles", "check"], false).await;
}
