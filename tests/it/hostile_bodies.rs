//! Hostile answers are bounded (product.md, "Promises"): a body larger than any honest answer
//! ends the command with exit 6 without being read whole (announced by `Content-Length`, or
//! found while streaming), an error body is read up to 1 MB, and a vendor's error message is
//! quoted at most a few hundred characters with its terminal escapes made visible.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{Home, run, run_host, stderr, stdout, strict_server};

const SUMMARY: [&str; 7] = [
    "campaigns",
    "summary",
    "Gone",
    "--from",
    "2026-04-01",
    "--to",
    "2026-04-30",
];

/// Engage's summary of `Gone` answering `status` with `body`, `calls` times.
async fn engage_answering(status: u16, body: String, calls: u64) -> wiremock::MockServer {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .and(path("/campaign/Gone/summary"))
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_raw(body, "application/json")
                .insert_header("retry-after", "0"),
        )
        .expect(calls)
        .mount(&server)
        .await;
    if status == 404 {
        // An unknown name: the range's list is read once for the nearest names (none here).
        Mock::given(method("GET"))
            .and(path("/campaigns"))
            .respond_with(ResponseTemplate::new(200).set_body_string("{\"data\":[]}"))
            .expect(1)
            .mount(&server)
            .await;
    }
    server
}

#[tokio::test(flavor = "multi_thread")]
async fn terminal_escapes_in_a_vendor_message_are_shown_not_obeyed() {
    let message =
        "campaign \x1b[2Jgone\x1b]0;x\x07 \u{202e}desrever\r\nwa-analytics: done, 0 errors\n";
    let body = json!({"error": {"code": "NOT\x1b[31mFOUND", "message": message}}).to_string();
    let server = engage_answering(404, body, 1).await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args(SUMMARY);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(7));
    assert_eq!(stdout(&out), "");
    for raw in [b'\x1b', b'\x07', b'\r'] {
        assert!(!out.stderr.contains(&raw), "{:?}", stderr(&out));
    }
    let err = stderr(&out);
    assert!(!err.contains('\u{202e}'), "{err:?}");
    assert!(
        err.lines().all(|l| !l.starts_with("wa-analytics: done")),
        "{err}"
    );
    assert_eq!(
        err,
        "wa-analytics: error: Engage GET /campaign/Gone/summary answered 404 Not Found: NOT\\e[31mFOUND: campaign \\e[2Jgone\\e]0;x\\u{7} \\u{202e}desrever\\r\\nwa-analytics: done, 0 errors\\n.\n\
         hint: check the campaign name with 'wa-analytics campaigns list' (names must match exactly, accents and case included)\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_vendor_message_is_quoted_a_few_hundred_characters_long() {
    // Under the 1 MB an error body may have: read, and its message cut.
    let message = format!("the campaign é{}", "x".repeat(500_000));
    let body = json!({"error": {"code": "CAMPAIGN_NOT_FOUND", "message": message}}).to_string();
    let server = engage_answering(404, body, 1).await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args(SUMMARY);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(7));
    let err = stderr(&out);
    let paragraph = err.lines().next().unwrap();
    assert!(paragraph.chars().count() <= 400, "{paragraph}");
    assert!(
        paragraph.starts_with(
            "wa-analytics: error: Engage GET /campaign/Gone/summary answered 404 Not Found: CAMPAIGN_NOT_FOUND: the campaign éxxx"
        ),
        "{paragraph}"
    );
    assert!(paragraph.ends_with("xxx…."), "{paragraph}");
    assert_eq!(err.lines().count(), 2, "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_error_body_over_1_mb_is_not_read_whole_nor_asked_again() {
    // A 503 is retried, but a body this large is no honest answer: once, exit 6.
    let body = json!({"error": {"code": "X", "message": "y".repeat(2 << 20)}}).to_string();
    let server = engage_answering(503, body, 1).await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args(SUMMARY).args(["--retries", "3"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(6));
    let err = stderr(&out);
    assert!(err.len() <= 800, "{} bytes on stderr", err.len());
    assert_eq!(
        err,
        "wa-analytics: error: Engage GET /campaign/Gone/summary failed: Engage answered more than 1 MB for an error (503 Service Unavailable), the most wa-analytics reads of an error; it stopped reading there.\n\
         hint: no answer of Engage's is this large: check that the profile's base_url points at Engage, ask for a shorter range or smaller pages, and run with -vv to see the exchange\n"
    );
}

/// A server that answers every request with `head` and then, with `endless`, chunks of JSON-ish
/// bytes until the client goes away, else nothing (the connection held open). Returns its URL
/// and the number of connections it accepted.
async fn raw_server(head: &'static str, endless: bool) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                if !endless {
                    tokio::time::sleep(Duration::from_secs(100_000)).await;
                    return;
                }
                let chunk = format!("1000\r\n{}\r\n", "[".repeat(0x1000));
                while socket.write_all(chunk.as_bytes()).await.is_ok() {}
            });
        }
    });
    (url, accepted)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_announced_over_256_mb_ends_with_exit_6_at_once() {
    // The binary as shipped: 256 MB is the cap, and nothing is read when the length says more.
    let (url, accepted) = raw_server(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 300000000\r\n\r\n[",
        false,
    )
    .await;
    let home = Home::new();
    home.engage_config(&url);
    let mut cmd = home.cmd();
    cmd.args(SUMMARY)
        .args(["--timeout", "100", "--retries", "3"])
        .timeout(Duration::from_secs(20));
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "wa-analytics: error: Engage GET /campaign/Gone/summary failed: Engage answered more than 256 MB (200 OK), the most wa-analytics reads of one answer; it stopped reading there.\n\
         hint: no answer of Engage's is this large: check that the profile's base_url points at Engage, ask for a shorter range or smaller pages, and run with -vv to see the exchange\n"
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

/// A provider factory whose clients read at most `cap` bytes of a data answer.
fn capped(host: wa_analytics::cli::Host, cap: u64) -> wa_analytics::cli::Host {
    host.with_build(move |profile, http| {
        let http = wa_analytics::http::HttpOptions {
            max_body: cap,
            ..http.clone()
        };
        wa_analytics::provider::build(profile, &http)
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn an_endless_answer_is_read_only_up_to_the_cap() {
    // No length announced: the body is streamed, and reading stops at the cap.
    let (url, accepted) = raw_server(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        true,
    )
    .await;
    let home = Home::new();
    home.engage_config(&url);
    let (host, captured) = home.host(&[], chrono::Utc::now());
    let args: Vec<&str> = SUMMARY.iter().copied().chain(["--retries", "3"]).collect();
    let out = tokio::time::timeout(
        Duration::from_secs(20),
        run_host(capped(host, 100_000), &captured, &args),
    )
    .await
    .expect("an endless answer does not hang the run");
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.starts_with(
            "wa-analytics: error: Engage GET /campaign/Gone/summary failed: Engage answered more than 100000 bytes (200 OK), the most wa-analytics reads of one answer; it stopped reading there.\n"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_within_the_cap_is_read_and_one_over_it_is_not() {
    let text = include_str!("../../fixtures/engage/summary.json").to_string();
    for (cap, code) in [(text.len() as u64, 0), (text.len() as u64 - 1, 6)] {
        let server = engage_answering(200, text.clone(), 1).await;
        let home = Home::new();
        home.engage_config(&server.uri());
        let (host, captured) = home.host(&[], chrono::Utc::now());
        let out = run_host(capped(host, cap), &captured, &SUMMARY).await;
        if code == 6 {
            assert_eq!(out.code, 6, "{}", out.stderr);
            assert!(
                out.stderr
                    .contains(&format!("Engage answered more than {cap} bytes (200 OK)")),
                "{}",
                out.stderr
            );
        } else {
            assert_eq!(out.code, 0, "{}", out.stderr);
            assert!(!out.stdout.is_empty(), "{}", out.stderr);
        }
    }
}
