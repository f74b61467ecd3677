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

/// Whether a live (not zombie) process of process group `pgid` remains.
#[cfg(target_os = "linux")]
fn group_alive(pgid: u32) -> bool {
    std::fs::read_dir("/proc").unwrap().flatten().any(|entry| {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            return false;
        };
        let Some((_, rest)) = stat.rsplit_once(')') else {
            return false;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        fields.len() > 2 && fields[0] != "Z" && fields[2] == pgid.to_string()
    })
}

#[cfg(target_os = "linux")]
fn assert_group_gone(pgid: u32) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while group_alive(pgid) {
        assert!(
            std::time::Instant::now() < until,
            "the command's process group {pgid} is still alive"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The process group the command wrote (`echo $$ > pid`: the shell leads its group), once it
/// has written it.
#[cfg(target_os = "linux")]
fn wait_for_group(file: &std::path::Path) -> u32 {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if let Some(n) = std::fs::read_to_string(file)
            .ok()
            .and_then(|t| t.trim().parse().ok())
        {
            return n;
        }
        assert!(std::time::Instant::now() < until, "the command never ran");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_command_secret_that_hangs_is_ended_at_its_time_out_with_exit_2() {
    let home = Home::new();
    let pid = home.path().join("pid");
    let cmd = format!("echo $$ > {}; sleep 100000", pid.display());
    home.write_config(&format!(
        "[profiles.slow]\nprovider = \"wolkvox\"\nbase_url = \"http://127.0.0.1:9\"\ncommand_timeout = 1\ntoken = {{ command = \"{cmd}\" }}\n"
    ));
    let started = std::time::Instant::now();
    let out = home.cmd().args(["campaigns", "list"]).output().unwrap();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "it hung"
    );
    assert_eq!(out.status.code(), Some(2), "stderr: {}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "wa-analytics: error: profile 'slow': token = {{ command = \"{cmd}\" }} did not finish within 1 s and was ended\nhint: run the command yourself to see why it waits; if it needs longer, set command_timeout = SECONDS in the profile 'slow' (now 1)\n"
        )
    );
    assert_eq!(stdout(&out), "");
    assert_group_gone(wait_for_group(&pid));
}

#[cfg(target_os = "linux")]
#[test]
fn a_command_secret_that_prints_without_end_is_capped_with_exit_2() {
    let home = Home::new();
    home.write_config(
        "[profiles.y]\nprovider = \"wolkvox\"\nbase_url = \"http://127.0.0.1:9\"\ntoken = { command = \"yes CANARY-yes-5e5e5e\" }\n",
    );
    let out = home.cmd().args(["campaigns", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "stderr: {}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "wa-analytics: error: profile 'y': token = { command = \"yes CANARY-yes-5e5e5e\" } printed more than 64 KiB on stdout and was ended\nhint: it must print only the token on stdout (a secret is never that large)\n"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_while_a_command_secret_runs_ends_it_and_the_run_with_exit_130() {
    let home = Home::new();
    let pid = home.path().join("pid");
    let cmd = format!("echo $$ > {}; sleep 100000 & sleep 100000", pid.display());
    home.write_config(&format!(
        "[profiles.slow]\nprovider = \"wolkvox\"\nbase_url = \"http://127.0.0.1:9\"\ncommand_timeout = 100000\ntoken = {{ command = \"{cmd}\" }}\n"
    ));
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("wa-analytics"))
        .args(["campaigns", "list"])
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .current_dir(home.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let group = wait_for_group(&pid);
    assert!(group_alive(group));
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = std::time::Instant::now();
    let out = child.wait_with_output().unwrap();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "it hung"
    );
    assert_eq!(out.status.code(), Some(130), "stderr: {}", stderr(&out));
    assert_eq!(stderr(&out), "wa-analytics: error: interrupted\n");
    assert_group_gone(group);
}

/// A canary with characters that every encoding changes.
const ECHOED: &str = "CANARY/echo+Tok=9a8b7c6d5e4f";

/// `s` with every byte that is not an ASCII letter or digit as `%HH`.
fn percent_encoded(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A vendor whose error text echoes the token in `form` (in its JSON error, and as plain text)
/// makes the run fail with `code`, and no form of the token reaches stdout or stderr.
async fn echoed_in(form: &str, tail: &str, code: i32) {
    for (content_type, body) in [
        (
            "application/json",
            serde_json::to_string(
                &json!({"data": [], "error": {"code": "INVALID", "message": format!("token {form}{tail}")}}),
            )
            .unwrap(),
        ),
        ("text/plain", format!("token {form}{tail}")),
        ("text/plain", format!("upstream said: {{\"token\":\"{form}")),
    ] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(400).set_body_raw(body.clone(), content_type))
            .mount(&server)
            .await;
        let home = Home::new();
        home.write_config(&format!(
            "[profiles.e]\nprovider = \"engage\"\nbase_url = \"{}\"\nbot_token = \"bot-token-1\"\ntoken = {{ env = \"WV_TOKEN\" }}\n",
            server.uri()
        ));
        let mut cmd = home.cmd();
        cmd.env("WV_TOKEN", ECHOED)
            .args(["-vv", "campaigns", "summary", "X"]);
        let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(code), "{body}\n{err}");
        // Engage quotes the message of its JSON error bodies (other bodies are not quoted today;
        // if they come to be, the token in them is masked all the same).
        if content_type == "application/json" {
            assert!(
                err.contains(&format!("INVALID: token ***{tail}")),
                "the vendor's text is quoted, the token masked: {body}\n{err}"
            );
        }
        for text in [err.as_str(), stdout(&out).as_str()] {
            let folded = text.to_lowercase();
            for leak in [
                ECHOED.to_lowercase(),
                percent_encoded(ECHOED).to_lowercase(),
                ECHOED.replace('/', "\\/").to_lowercase(),
                form.to_lowercase(),
                ECHOED[..12].to_lowercase(),
            ] {
                assert!(
                    !folded.contains(&leak),
                    "{leak} leaked for body {body}:\n{text}"
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_echoed_encoded_escaped_in_another_case_or_cut_short_never_reaches_stderr() {
    let json_escaped = ECHOED.replace('/', "\\/").replace('+', "\\u002B");
    for form in [
        ECHOED.to_owned(),
        ECHOED.to_uppercase(),
        percent_encoded(ECHOED),
        percent_encoded(ECHOED).to_lowercase(),
        json_escaped.clone(),
        json_escaped.to_uppercase(),
        ECHOED.replace('/', "&#47;"),
        base64::engine::general_purpose::STANDARD
            .encode(ECHOED)
            .to_uppercase(),
    ] {
        echoed_in(&form, " refused", 2).await;
    }
    // Cut short: the message ends with the token's first 14 characters.
    echoed_in(&ECHOED[..14], "", 2).await;
    echoed_in(&ECHOED[..14].to_uppercase(), "…", 2).await;
}
