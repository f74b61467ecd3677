//! `broadcast external`: the checked audience CSV and the template uploaded as multipart,
//! `--dry-run`, a bad audience file refused locally, and Engati's codes mapped to exit codes.

use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

use super::*;
use crate::engati::server_with_config;
use crate::support::{Home, RawQuery, run, stderr, stdout};

const AUDIENCE: &str =
    "user.phone_number,user.attribute_0\n+573001234567,Ana\n+573009876543,\"José, Jr\"\n";
const TEMPLATE_PAYLOAD: &str =
    r#"{"language":{"code":"es","policy":"deterministic"},"name":"promo"}"#;

/// The multipart body Engati gets: the CSV as `target_audience` and the template as
/// `template_payload`, with the boundary the content type names.
struct ExternalParts;

impl wiremock::Match for ExternalParts {
    fn matches(&self, request: &Request) -> bool {
        let Some(boundary) = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("multipart/form-data; boundary="))
        else {
            return false;
        };
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"target_audience\"; filename=\"spring.csv\"\r\nContent-Type: text/csv\r\n\r\n{AUDIENCE}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"template_payload\"\r\nContent-Type: application/json\r\n\r\n{TEMPLATE_PAYLOAD}\r\n--{boundary}--\r\n"
        );
        request.body == expected.as_bytes()
    }
}

fn external_cmd(home: &Home, extra: &[&str]) -> assert_cmd::Command {
    std::fs::write(home.path().join("spring.csv"), AUDIENCE).unwrap();
    let mut cmd = home.cmd();
    cmd.args([
        "broadcast",
        "external",
        "--audience",
        "spring.csv",
        "--template",
        "promo",
        "--lang",
        "es",
    ])
    .args(extra);
    cmd
}

#[tokio::test(flavor = "multi_thread")]
async fn external_broadcast_uploads_the_checked_csv_and_the_template_as_multipart() {
    let (server, home) = server_with_config().await;
    engati_post(&format!("{WA_PATH}/external/broadcast"))
        .and(RawQuery("broadcast_id=spring%20sale%202026".to_string()))
        .and(ExternalParts)
        .respond_with(ok(json!({"requestId": "ext-1"})))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(external_cmd(
        &home,
        &["--name", "spring sale 2026", "--yes", "-f", "json"],
    ))
    .await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(got["command"], "broadcast external");
    assert_eq!(got["id"], "ext-1");
}

#[tokio::test(flavor = "multi_thread")]
async fn external_broadcast_dry_run_names_it_after_the_file_and_sends_nothing() {
    let (server, home) = server_with_config().await;
    let out = run(external_cmd(&home, &["--dry-run"])).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let first = format!(
        "POST {}{WA_PATH}/external/broadcast?broadcast_id=spring\nauthorization: ***\ncontent-type: multipart/form-data; boundary=wa-analytics-",
        server.uri()
    );
    assert!(text.starts_with(&first), "{text}");
    assert!(
        text.contains(&format!(
            "filename=\"spring.csv\"\r\nContent-Type: text/csv\r\n\r\n{AUDIENCE}\r\n"
        )),
        "{text}"
    );
    assert!(text.contains(TEMPLATE_PAYLOAD), "{text}");
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_audience_file_is_refused_locally_with_exit_2() {
    let (server, home) = server_with_config().await;
    for (csv, why) in [
        (
            "phone\n+573001234567\n",
            "the first column must be user.phone_number, not 'phone'",
        ),
        (
            "user.phone_number\n573001234567\n",
            "line 2: '573001234567' is not a phone number with + and the country code",
        ),
        (
            "user.phone_number,user.attribute_0\n+573001234567,a\n+573001234567,b\n",
            "line 3 repeats +573001234567 of line 2",
        ),
    ] {
        std::fs::write(home.path().join("bad.csv"), csv).unwrap();
        let mut cmd = home.cmd();
        cmd.args([
            "broadcast",
            "external",
            "--audience",
            "bad.csv",
            "--template",
            "promo",
            "--lang",
            "es",
            "--yes",
        ]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).starts_with(&format!(
                "wa-analytics: error: Engati: the audience file bad.csv: {why}"
            )),
            "{}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("nothing was sent"));
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn external_broadcast_codes_map_to_exit_codes() {
    for (http, code, desc, exit, hint) in [
        (
            400u16,
            2003,
            "BOT_NOT_FOUND",
            2,
            "the bot_key matches no Engati bot",
        ),
        (
            400,
            2004,
            "API_KEY_NOT_FOUND",
            2,
            "the bot's 360Dialog WhatsApp provider is not configured",
        ),
        (
            400,
            2005,
            "INVALID_FILE_FORMAT",
            2,
            "the audience must be a CSV file",
        ),
        (
            400,
            2006,
            "FILE_UPLOAD_FAILED",
            6,
            "the audience upload failed or the file is too large",
        ),
        (400, 2000, "FAILURE", 2, "Engati refused the request"),
        (
            200,
            2000,
            "FAILURE",
            6,
            "the vendor may have received it before the failure",
        ),
    ] {
        let (server, home) = server_with_config().await;
        engati_post(&format!("{WA_PATH}/external/broadcast"))
            .respond_with(
                ResponseTemplate::new(http)
                    .set_body_json(json!({"status": {"code": code, "desc": desc}})),
            )
            .expect(1)
            .mount(&server)
            .await;
        let out = run(external_cmd(&home, &["--yes"])).await;
        assert_eq!(out.status.code(), Some(exit), "{code}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!(": {code}: {desc}.\nhint: {hint}")),
            "{code}: {}",
            stderr(&out)
        );
    }
}
