//! Wolkvox's limits: 31-day windows that tile the range, a full 60,000-row answer bisected until
//! every piece is under the cap, rows on a seam once, one request in flight at a time.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::{EMPTY, body, config, query, report, run};
use crate::support::{Home, stderr, stdout, strict_server};

/// A campaign_9 body of `n` records of campaign 3002, all sent at `date` (so a 60,000-row answer
/// is cheap to make and obviously at the cap).
fn records(n: usize, date: &str) -> String {
    let mut s = format!(r#"{{"code":200,"error":null,"msg":"{n} records were found","data":["#);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(
            r#"{{"campaing_id":"3002","telephone":"57300{i:07}","status":"delivered","errors":"","date":"{date}","last_update":"{date}"}}"#
        ));
    }
    s.push_str("]}");
    s
}

/// One record with a given phone, status and date.
fn record(phone: &str, status: &str, date: &str) -> String {
    format!(
        r#"{{"campaing_id":"3002","telephone":"{phone}","status":"{status}","errors":"","date":"{date}","last_update":"{date}"}}"#
    )
}

fn envelope(rows: &[String]) -> String {
    format!(
        r#"{{"code":200,"error":null,"msg":"{} records were found","data":[{}]}}"#,
        rows.len(),
        rows.join(",")
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn ranges_over_31_days_tile_into_windows_and_a_seam_row_appears_once() {
    let server = strict_server().await;
    // March 1 .. April 30 is 61 days: [Mar 1, Apr 1) and [Apr 1, May 1). The vendor slips and
    // returns the row stamped on the seam in both windows, once with an older status.
    report(query(
        "campaign_9",
        Some("3002"),
        "20260301000000",
        "20260331235959",
    ))
    .respond_with(body(envelope(&[
        record("5731", "read", "2026-03-10 08:00:00"),
        record("5732", "delivered", "2026-04-01 00:00:00"),
    ])))
    .expect(1)
    .mount(&server)
    .await;
    report(query(
        "campaign_9",
        Some("3002"),
        "20260401000000",
        "20260430235959",
    ))
    .respond_with(body(envelope(&[
        record("5732", "read", "2026-04-01 00:00:00"),
        record("5733", "failed", "2026-04-30 23:59:59"),
    ])))
    .expect(1)
    .mount(&server)
    .await;
    let home = Home::new();
    config(&home, &server, "");
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "export",
        "3002",
        "--from",
        "2026-03-01",
        "--to",
        "2026-04-30",
    ])
    .args([
        "-o",
        "rows.csv",
        "--fields",
        "contact,vendor_status,sent_at",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(home.path().join("rows.csv")).unwrap(),
        "contact,vendor_status,sent_at\n5731,read,2026-03-10T13:00:00Z\n5732,delivered,2026-04-01T05:00:00Z\n5733,failed,2026-05-01T04:59:59Z\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_window_that_returns_60000_rows_is_bisected_and_its_rows_are_not_used() {
    let server = strict_server().await;
    // [Apr 1, Apr 11) is at the cap; its halves [Apr 1, Apr 6) and [Apr 6, Apr 11) are not.
    report(query(
        "campaign_9",
        Some("3002"),
        "20260401000000",
        "20260410235959",
    ))
    .respond_with(body(records(60_000, "2026-04-01 00:00:00")))
    .expect(1)
    .mount(&server)
    .await;
    report(query(
        "campaign_9",
        Some("3002"),
        "20260401000000",
        "20260405235959",
    ))
    .respond_with(body(records(2, "2026-04-02 00:00:00")))
    .expect(1)
    .mount(&server)
    .await;
    report(query(
        "campaign_9",
        Some("3002"),
        "20260406000000",
        "20260410235959",
    ))
    .respond_with(body(envelope(&[record(
        "5799",
        "read",
        "2026-04-07 10:00:00",
    )])))
    .expect(1)
    .mount(&server)
    .await;
    let home = Home::new();
    config(&home, &server, "");
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "details",
        "3002",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-10",
    ])
    .args(["-f", "csv", "--fields", "contact,sent_at", "-v"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "contact,sent_at\n573000000000,2026-04-02T05:00:00Z\n573000000001,2026-04-02T05:00:00Z\n5799,2026-04-07T15:00:00Z\n"
    );
    assert!(
        stderr(&out).contains("Wolkvox campaign_9: the window 2026-04-01 00:00:00 – 2026-04-10 23:59:59 (America/Bogota) returned 60000 rows, the cap: asking for each half"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_one_second_window_still_at_the_cap_is_exit_3_naming_it() {
    let server = strict_server().await;
    let full = records(60_000, "2026-04-01 00:00:00");
    for (ini, end, times) in [
        ("20260401000000", "20260401000001", 1),
        ("20260401000000", "20260401000000", 1),
    ] {
        report(query("chat_14", None, ini, end))
            .respond_with(body(full.clone()))
            .expect(times)
            .mount(&server)
            .await;
    }
    let home = Home::new();
    config(&home, &server, "");
    let mut cmd = home.cmd();
    cmd.args([
        "clicks",
        "--from",
        "2026-04-01 00:00:00",
        "--to",
        "2026-04-01 00:00:02",
    ])
    .args(["-o", "clicks.csv"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "wa-analytics: error: Wolkvox GET /reports_manager.php failed: chat_14 returned 60000 rows for the one-second window 2026-04-01 00:00:00 (America/Bogota), Wolkvox's cap per request, so it may hold more rows that no smaller window can reach.\nhint: the rows of that second cannot be proven complete through this report; ask Wolkvox for an export of that second\n"
    );
    assert!(!home.path().join("clicks.csv").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_record_count_that_disagrees_with_the_rows_is_exit_3() {
    let server = strict_server().await;
    let short = r#"{"code":200,"error":null,"msg":"4 records were found","data":[]}"#;
    report(query(
        "campaign_9",
        Some("all"),
        "20260401000000",
        "20260410235959",
    ))
    .respond_with(body(short))
    .expect(1)
    .mount(&server)
    .await;
    let home = Home::new();
    config(&home, &server, "");
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "list",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-10",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("campaign_9 said 4 records were found for the window 2026-04-01 00:00:00 – 2026-04-10 23:59:59 (America/Bogota) but sent 0"),
        "{}",
        stderr(&out)
    );
}

/// Answers every request after `delay`, and records an overlap when a request arrives before
/// the previous answer can have been sent (arrival + delay): with one request in flight at a
/// time, consecutive arrivals are at least `delay` apart.
struct OneAtATime {
    delay: Duration,
    last: Mutex<Option<Instant>>,
    overlaps: Mutex<u32>,
}

impl Respond for OneAtATime {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let now = Instant::now();
        let mut last = self.last.lock().unwrap();
        if last.is_some_and(|prev| now < prev + self.delay) {
            *self.overlaps.lock().unwrap() += 1;
        }
        *last = Some(now);
        body(EMPTY).set_delay(self.delay)
    }
}

/// A server whose every report answer takes `delay`, counting overlapping requests.
async fn one_at_a_time(delay: Duration) -> (MockServer, Arc<OneAtATime>) {
    struct Shared(Arc<OneAtATime>);
    impl Respond for Shared {
        fn respond(&self, r: &Request) -> ResponseTemplate {
            self.0.respond(r)
        }
    }
    let server = MockServer::start().await;
    let responder = Arc::new(OneAtATime {
        delay,
        last: Mutex::new(None),
        overlaps: Mutex::new(0),
    });
    Mock::given(method("GET"))
        .and(path("/api/v2/reports_manager.php"))
        .respond_with(Shared(responder.clone()))
        .mount(&server)
        .await;
    (server, responder)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_overlap_detector_sees_two_requests_in_flight() {
    let (server, responder) = one_at_a_time(Duration::from_secs(1)).await;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let url = format!("{}/api/v2/reports_manager.php", server.uri());
    let (a, b) = tokio::join!(client.get(&url).send(), client.get(&url).send());
    assert!(a.is_ok() && b.is_ok());
    assert_eq!(*responder.overlaps.lock().unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn one_request_in_flight_whatever_the_profile_says_with_one_warning() {
    let (server, responder) = one_at_a_time(Duration::from_millis(150)).await;
    let home = Home::new();
    config(&home, &server, "concurrency = 4\n");
    // 2026-01-01 .. 2026-04-30 is 120 days: four windows.
    let mut cmd = home.cmd();
    cmd.args([
        "stats",
        "--from",
        "2026-01-01",
        "--to",
        "2026-04-30",
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
    assert_eq!(
        *responder.overlaps.lock().unwrap(),
        0,
        "requests overlapped"
    );
    assert_eq!(
        stderr(&out),
        "wa-analytics: warning: profile 'wv': concurrency = 4 is ignored: Wolkvox allows one request in flight per token, so requests are sent one at a time\n"
    );
    let buckets: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(buckets.len(), 120, "every day, quiet ones as zeros");
    // The flag beats the profile, and is ignored just the same.
    let mut cmd = home.cmd();
    cmd.args([
        "stats",
        "--from",
        "2026-01-01",
        "--to",
        "2026-04-30",
        "--concurrency",
        "8",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(server.received_requests().await.unwrap().len(), 8);
    assert_eq!(
        *responder.overlaps.lock().unwrap(),
        0,
        "requests overlapped"
    );
    assert_eq!(
        stderr(&out),
        "wa-analytics: warning: --concurrency 8 is ignored: Wolkvox allows one request in flight per token, so requests are sent one at a time\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_simultaneous_requests_refusal_is_retried() {
    let server = strict_server().await;
    let q = query("chat_14", None, "20260401000000", "20260410235959");
    report(q.clone())
        .respond_with(ResponseTemplate::new(403).set_body_raw(
            r#"{"code":"403","error":"FORBIDDEN","msg":"EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)"}"#,
            "application/json",
        ))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    report(q)
        .respond_with(body(include_str!("../../../fixtures/wolkvox/chat_14.json")))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server, "");
    let mut cmd = home.cmd();
    cmd.args([
        "clicks",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-10",
        "-f",
        "jsonl",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 3);
}

/// A request abandoned at the client's time-out is asked again only once the server's own limit
/// has passed, so the server never works on two at once (Wolkvox answers that with 403
/// "SIMULTANEOUS REQUESTS" and spends the token's quota on both).
#[tokio::test(flavor = "multi_thread")]
async fn a_request_abandoned_at_the_time_out_is_asked_again_after_the_servers_limit() {
    for (limit, overlaps) in [(None, 1), (Some(Duration::from_secs(3)), 0)] {
        // Every answer takes 2.5 s (within the server's 3 s); the client gives up after 1 s.
        let (server, responder) = one_at_a_time(Duration::from_millis(2500)).await;
        let home = Home::new();
        config(&home, &server, "");
        let (host, captured) = home.host(&[], chrono::Utc::now());
        let host = host.with_build(move |profile, http| {
            let mut http = http.clone();
            http.server_limit = limit;
            wa_analytics::provider::build(profile, &http)
        });
        let args = [
            "--timeout",
            "1",
            "--retries",
            "2",
            "stats",
            "--from",
            "2026-04-01",
            "--to",
            "2026-04-02",
        ];
        let out = crate::support::run_host(host, &captured, &args).await;
        assert_eq!(out.code, 6, "{}", out.stderr);
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
        assert_eq!(
            *responder.overlaps.lock().unwrap(),
            overlaps,
            "server limit {limit:?}"
        );
    }
}
