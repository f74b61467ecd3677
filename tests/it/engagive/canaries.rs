//! The Engagive token never appears in any output at any verbosity — reads, sends, `--dry-run`,
//! `profiles check`, errors whose body echoes it (in `message` and in Meta's `metaResponse`) —
//! nor its base64 forms.

use base64::Engine;
use serde_json::json;
use wiremock::matchers::{any, header};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::run;
use crate::support::{Home, stderr, stdout};

const TOKEN: &str = "CANARY-egv-9d1f3b7a2c";

fn assert_clean(text: &str) {
    let e = base64::engine::general_purpose::STANDARD;
    let u = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    for form in [
        TOKEN.to_string(),
        e.encode(TOKEN),
        u.encode(TOKEN),
        e.encode(format!("Bearer {TOKEN}")),
    ] {
        assert!(
            !text.contains(&form),
            "secret form {form} leaked in:\n{text}"
        );
    }
}

/// How the profile holds the token.
#[derive(Clone, Copy)]
enum Source {
    Literal,
    Env,
    Provider,
}

/// Runs `args` against a vendor answering `status`; returns the exit code.
async fn run_with(status: u16, args: &[&str], source: Source) -> Option<i32> {
    let server = MockServer::start().await;
    let echo = format!("bad token {TOKEN}");
    Mock::given(any())
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(status).set_body_json(json!({
            "success": status < 400, "statusCode": status, "message": echo,
            "data": [{"code": "UTILITY", "label": "Utility"}],
            "pagination": {"page": 1, "per_page": 100, "total": 1, "total_pages": 1},
            "metaResponse": {"error": {"message": echo, "code": 190, "error_data": {"details": echo}}},
        })))
        .mount(&server)
        .await;
    let home = Home::new();
    let mut cmd = home.cmd();
    match source {
        Source::Literal => {
            home.write_config(&format!(
                "[profiles.egv]\nprovider = \"engagive\"\nbase_url = \"{}\"\naccount_id = \"acc-42\"\ntoken = \"{TOKEN}\"\n",
                server.uri()
            ));
        }
        Source::Env => {
            home.write_config(&format!(
                "[profiles.egv]\nprovider = \"engagive\"\nbase_url = \"{}\"\naccount_id = \"acc-42\"\ntoken = {{ env = \"EGV_TOKEN\" }}\n",
                server.uri()
            ));
            cmd.env("EGV_TOKEN", TOKEN);
        }
        Source::Provider => {
            cmd.env("WA_ENGAGIVE_TOKEN", TOKEN)
                .env("WA_ENGAGIVE_ACCOUNT_ID", "acc-42")
                .env("WA_ENGAGIVE_BASE_URL", server.uri())
                .args(["--provider", "engagive"]);
        }
    }
    cmd.args(["-vv", "--retries", "1"]).args(args);
    let out = run(cmd).await;
    assert!(!stderr(&out).is_empty(), "-vv should trace requests");
    assert_clean(&stdout(&out));
    assert_clean(&stderr(&out));
    out.status.code()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_never_appears_at_vv_in_reads_sends_or_dry_runs() {
    let send = [
        "messages",
        "send-template",
        "--to",
        "573001234567",
        "--template",
        "t",
        "--lang",
        "en",
    ];
    for source in [Source::Literal, Source::Env, Source::Provider] {
        let read = ["templates", "categories", "-f", "json"];
        assert_eq!(run_with(200, &read, source).await, Some(0));
        let mut dry = send.to_vec();
        dry.push("--dry-run");
        assert_eq!(run_with(200, &dry, source).await, Some(0));
        let mut yes = send.to_vec();
        yes.extend(["--yes", "-f", "json"]);
        assert_eq!(run_with(200, &yes, source).await, Some(0));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_never_appears_in_errors_even_when_the_vendor_echoes_it() {
    let send = [
        "messages",
        "send",
        "--to",
        "573001234567",
        "--text",
        "hi",
        "--yes",
    ];
    for (status, code) in [(400, 2), (401, 4), (403, 4), (404, 7), (500, 6), (502, 6)] {
        let show = ["templates", "show", "x"];
        assert_eq!(run_with(status, &show, Source::Literal).await, Some(code));
        assert_eq!(run_with(status, &send, Source::Env).await, Some(code));
        assert_eq!(run_with(status, &send, Source::Provider).await, Some(code));
    }
    let check = ["profiles", "check"];
    assert_eq!(run_with(401, &check, Source::Literal).await, Some(4));
}
