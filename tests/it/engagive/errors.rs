//! Engagive's read errors mapped to exit codes (only reads retried), and every refusal before a
//! request: usage errors, `--fields help`, the analytics commands Engagive does not serve.

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use super::*;
use crate::support::{Home, run, stderr, stdout, strict_server};

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_template_is_exit_7_with_one_paragraph() {
    let server = strict_server().await;
    egv_get("/templates/nope", "")
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({"success": false, "statusCode": 404, "message": "Template 'nope' not found"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server.uri());
    let out = run({
        let mut c = home.cmd();
        c.args(["templates", "show", "nope"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(7));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "wa-analytics: error: Engagive GET /channels/whatsapp/accounts/acc-42/templates/nope answered 404 Not Found: Template 'nope' not found.\n\
         hint: check the code with 'wa-analytics templates list' (codes are exact, case and accents included) or 'wa-analytics templates categories'\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_errors_and_fields_help_send_no_request() {
    let server = strict_server().await;
    let home = Home::new();
    config(&home, &server.uri());
    let out = run({
        let mut c = home.cmd();
        c.args(["templates", "list", "--fields", "help"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let help = stdout(&out);
    for f in [
        "code",
        "name",
        "category",
        "language",
        "status",
        "id",
        "option_code",
        "parameter_format_code",
    ] {
        assert!(help.lines().any(|l| l.starts_with(f)), "{f} in\n{help}");
    }
    for (args, needle) in [
        (vec!["templates", "show", " "], "the template code is empty"),
        (
            vec!["templates", "contents", ""],
            "the template code is empty",
        ),
        (
            vec!["templates", "category-options", ""],
            "the category code is empty",
        ),
        (vec!["templates", "languages"], "--template <CODE>"),
        (vec!["templates", "list", "--page-size", "0"], "--page-size"),
    ] {
        let out = run({
            let mut c = home.cmd();
            c.args(&args);
            c
        })
        .await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn read_errors_map_to_exit_codes_and_only_reads_are_retried() {
    let meta = serde_json::from_str::<Value>(include_str!(
        "../../../fixtures/engagive/error-502-meta.json"
    ))
    .unwrap();
    let err = |s: u16, m: &str| json!({"success": false, "statusCode": s, "message": m});
    let cases: Vec<(u16, Value, u64, i32, &str)> = vec![
        (
            400,
            err(400, "'per_page' may be at most 100"),
            1,
            2,
            "400 Bad Request: 'per_page' may be at most 100.",
        ),
        (
            401,
            err(401, "Unauthorized"),
            1,
            4,
            "401 Unauthorized: Unauthorized.",
        ),
        (
            403,
            err(403, "No access to account acc-42"),
            1,
            4,
            "403 Forbidden: No access to account acc-42.",
        ),
        (
            404,
            err(404, "Not found"),
            1,
            7,
            "404 Not Found: Not found.",
        ),
        (
            500,
            err(500, "boom"),
            2,
            6,
            "500 Internal Server Error: boom.",
        ),
        (
            502,
            meta,
            2,
            6,
            "502 Bad Gateway: Meta error 131026: WhatsApp / Meta rejected the request; Meta says: (#131026) Message undeliverable (Message Undeliverable.).",
        ),
        (
            503,
            json!({"success": false, "error": "maintenance"}),
            2,
            6,
            "503 Service Unavailable: maintenance.",
        ),
        (
            429,
            err(429, "slow down"),
            2,
            5,
            "429 Too Many Requests: slow down.",
        ),
        (
            200,
            err(403, "Role may not view templates"),
            1,
            4,
            "200 OK: Role may not view templates.",
        ),
    ];
    for (status, body, calls, code, needle) in cases {
        let server = strict_server().await;
        egv_get("/templates/lookups/categories", "page=1&per_page=100")
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(body)
                    .insert_header("retry-after", "0"),
            )
            .expect(calls)
            .mount(&server)
            .await;
        let home = Home::new();
        config(&home, &server.uri());
        let out = run({
            let mut c = home.cmd();
            c.args(["templates", "categories", "--retries", "2"]);
            c
        })
        .await;
        assert_eq!(out.status.code(), Some(code), "{status}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.starts_with(
                "wa-analytics: error: Engagive GET /channels/whatsapp/accounts/acc-42/templates/lookups/categories answered "
            ),
            "{err}"
        );
        assert!(err.contains(needle), "{status}: {err}");
        assert_eq!(err.lines().count(), 2, "one paragraph and a hint: {err}");
        server.verify().await;
    }
    // HTML from a proxy: a clear bad response, exit 6.
    let server = strict_server().await;
    egv_get("/templates/lookups/categories", "page=1&per_page=100")
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>login</html>", "text/html"))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server.uri());
    let out = run({
        let mut c = home.cmd();
        c.args(["templates", "categories"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(6));
    assert!(
        stderr(&out).contains("the response was HTML, not JSON"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn analytics_commands_are_not_supported_before_any_request() {
    let server = strict_server().await;
    let home = Home::new();
    config(&home, &server.uri());
    for args in [
        vec!["campaigns", "list"],
        vec!["campaigns", "summary", "X"],
        vec!["campaigns", "details", "X"],
        vec!["campaigns", "export", "X", "-o", "out.csv"],
        vec!["stats", "--last", "7d"],
    ] {
        let out = run({
            let mut c = home.cmd();
            c.args(&args);
            c
        })
        .await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "");
        let err = stderr(&out);
        let command = if args[0] == "stats" {
            "stats".to_string()
        } else {
            format!("{} {}", args[0], args[1])
        };
        assert!(
            err.contains(&format!("Engagive does not support '{command}'")),
            "{err}"
        );
        assert!(
            err.contains("commands Engagive supports: templates list, templates show, templates contents, templates categories, templates category-options, templates languages, messages send-template, messages send-reaction, messages send."),
            "{err}"
        );
    }
    assert!(!home.path().join("out.csv").exists());
}
