//! `conversations`: paging until a short or empty page, read-ahead kept in order, the range in
//! epoch milliseconds with half-open seams, `--limit`, a page Engati answers wrongly, and the
//! formats.

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use super::*;
use crate::support::{run, stderr, stdout, strict_server};

#[tokio::test(flavor = "multi_thread")]
async fn conversations_reads_until_a_page_is_shorter_than_the_echoed_page_size() {
    let (server, home) = server_with_config().await;
    // Asked for 500, Engati serves (and echoes) 2 per page: a page of 2 is not the last one.
    let p = conversations_path("573001234567");
    for (n, rows) in [(1u64, 0..2usize), (2, 2..4), (3, 4..5)] {
        engati_get(&p, &format!("page_number={n}&page_size=500"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(n, 2, rows)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let mut cmd = home.cmd();
    // One page at a time, so exactly these three requests are made (read-ahead is tested below).
    cmd.args([
        "conversations",
        "573001234567",
        "-f",
        "csv",
        "--concurrency",
        "1",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "message_id,sender,message,timestamp\n\
         m000,bot,line 0,2026-04-02T10:00:00Z\n\
         m001,user,line 1,2026-04-02T10:01:00Z\n\
         m002,bot,line 2,2026-04-02T10:02:00Z\n\
         m003,user,line 3,2026-04-02T10:03:00Z\n\
         m004,bot,line 4,2026-04-02T10:04:00Z\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn conversations_reads_pages_ahead_once_the_page_size_is_known_and_keeps_their_order() {
    let (server, home) = server_with_config().await;
    let p = conversations_path("573001234567");
    // Page 1 alone (it tells the size, 2); then pages 2, 3, 4, … four at a time. Page 2 is slow
    // and must still come out before page 3; page 4 is the short last one; pages past it may or
    // may not be asked for before the last one arrives, and are empty.
    for (n, rows, delay) in [
        (1u64, 0..2usize, 0u64),
        (2, 2..4, 300),
        (3, 4..6, 0),
        (4, 6..7, 0),
    ] {
        engati_get(&p, &format!("page_number={n}&page_size=500"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(page(n, 2, rows))
                    .set_delay(std::time::Duration::from_millis(delay)),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    for n in 5u64..=8 {
        engati_get(&p, &format!("page_number={n}&page_size=500"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(n, 2, 0..0)))
            .expect(0..=1)
            .mount(&server)
            .await;
    }
    let mut cmd = home.cmd();
    cmd.args([
        "conversations",
        "573001234567",
        "-f",
        "csv",
        "--fields",
        "message_id",
        "--concurrency",
        "4",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "message_id\nm000\nm001\nm002\nm003\nm004\nm005\nm006\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn conversations_ends_at_an_empty_page_after_a_full_one() {
    let (server, home) = server_with_config().await;
    let p = conversations_path("573001234567");
    engati_get(&p, "page_number=1&page_size=3")
        .respond_with(ResponseTemplate::new(200).set_body_json(page(1, 3, 0..3)))
        .expect(1)
        .mount(&server)
        .await;
    engati_get(&p, "page_number=2&page_size=3")
        .respond_with(ResponseTemplate::new(200).set_body_json(page(2, 3, 0..0)))
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = home.cmd();
    cmd.args([
        "conversations",
        "573001234567",
        "--page-size",
        "3",
        "-f",
        "jsonl",
        "--fields",
        "message_id",
        "--concurrency",
        "1",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "{\"message_id\":\"m000\"}\n{\"message_id\":\"m001\"}\n{\"message_id\":\"m002\"}\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn conversations_sends_the_range_in_epoch_milliseconds_and_keeps_its_seams_half_open() {
    let (server, home) = server_with_config().await;
    // April in UTC: [2026-04-01, 2026-05-01). The message stamped exactly at the end belongs to
    // the next range and the one before the start to the previous one, whatever Engati sends.
    let p = conversations_path("%2B573001234567");
    engati_get(
        &p,
        "page_number=1&page_size=500&start_date=1775001600000&end_date=1777593600000",
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({
        "status": {"code": 1000, "desc": "SUCCESS"},
        "responseObject": {"page_number": 1, "page_size": 500, "conversations": [
            {"message_id": "early", "sender": "bot", "message": "x", "timestamp": "2026-03-31 23:59:59.999+0000"},
            {"message_id": "first", "sender": "bot", "message": "x", "timestamp": "2026-04-01 00:00:00.000+0000"},
            {"message_id": "last", "sender": "user", "message": "x", "timestamp": "2026-04-30 23:59:59.999+0000"},
            {"message_id": "seam", "sender": "user", "message": "x", "timestamp": "2026-05-01 00:00:00.000+0000"}
        ]}
    })))
    .expect(1)
    .mount(&server)
    .await;
    let mut cmd = home.cmd();
    cmd.args([
        "conversations",
        "+573001234567",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "-f",
        "csv",
        "--fields",
        "message_id,timestamp",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "message_id,timestamp\nfirst,2026-04-01T00:00:00Z\nlast,2026-04-30T23:59:59.999Z\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn conversations_reads_a_fixture_page_with_offsets_and_formula_payloads() {
    let (server, home) = server_with_config().await;
    engati_get(
        &conversations_path("573001234567"),
        "page_number=1&page_size=500",
    )
    .respond_with(ResponseTemplate::new(200).set_body_raw(
        include_str!("../../../fixtures/engati/conversations-page.json"),
        "application/json",
    ))
    .expect(1)
    .mount(&server)
    .await;
    let mut cmd = home.cmd();
    cmd.args(["conversations", "573001234567", "-f", "csv"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "message_id,sender,message,timestamp\n\
         c0ffee0000000001,user,\"Hola, ¿tienen envío a Cali?\",2026-04-02T10:00:00.125Z\n\
         c0ffee0000000002,bot,\"¡Claro! Escribe tu dirección, por favor.\",2026-04-02T10:00:01Z\n\
         c0ffee0000000003,agent,\"'=1+1 \"\"quoted\"\", with a comma\",2026-04-02T10:30:02.500Z\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn conversations_limit_asks_for_no_more_than_it_needs() {
    let (server, home) = server_with_config().await;
    let p = conversations_path("573001234567");
    engati_get(&p, "page_number=1&page_size=3")
        .respond_with(ResponseTemplate::new(200).set_body_json(page(1, 3, 0..3)))
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = home.cmd();
    cmd.args([
        "conversations",
        "573001234567",
        "--limit",
        "3",
        "-f",
        "csv",
        "--fields",
        "message_id",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "message_id\nm000\nm001\nm002\n");

    // --limit 5 in pages of 2: the third page is cut to one message, and no fourth is asked.
    for (n, rows) in [(1u64, 0..2usize), (2, 2..4), (3, 4..6)] {
        engati_get(&p, &format!("page_number={n}&page_size=2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(n, 2, rows)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let mut cmd = home.cmd();
    cmd.args([
        "conversations",
        "573001234567",
        "--limit",
        "5",
        "--page-size",
        "2",
        "-f",
        "csv",
        "--fields",
        "message_id",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "message_id\nm000\nm001\nm002\nm003\nm004\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn conversations_fails_with_exit_3_when_engati_answers_another_page_or_repeats_one() {
    let (server, home) = server_with_config().await;
    let p = conversations_path("573001234567");
    engati_get(&p, "page_number=1&page_size=2")
        .respond_with(ResponseTemplate::new(200).set_body_json(page(1, 2, 0..2)))
        .expect(1)
        .mount(&server)
        .await;
    // Page 2 answered as page 1.
    engati_get(&p, "page_number=2&page_size=2")
        .respond_with(ResponseTemplate::new(200).set_body_json(page(1, 2, 0..2)))
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = home.cmd();
    cmd.args([
        "conversations",
        "573001234567",
        "--page-size",
        "2",
        "-o",
        "out.csv",
        "--concurrency",
        "1",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(3), "stderr: {}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "wa-analytics: error: Engati GET {p} failed: asked for page 2 but Engati answered page 1.\n\
             hint: the messages could not be proven complete; run the command again (with -o, the previous file was kept)\n"
        )
    );
    assert!(!home.path().join("out.csv").exists());

    // The same messages again with page 2's number (page_number ignored): also exit 3.
    let server = strict_server().await;
    engati_config(&home, &server.uri());
    for n in [1u64, 2] {
        engati_get(&p, &format!("page_number={n}&page_size=2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(n, 2, 0..2)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let mut cmd = home.cmd();
    cmd.args([
        "conversations",
        "573001234567",
        "--page-size",
        "2",
        "-f",
        "csv",
        "--concurrency",
        "1",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(3), "stderr: {}", stderr(&out));
    assert!(
        stderr(&out).contains("page 2 repeated messages already received"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn conversations_print_json_and_a_table_and_users_values_are_percent_encoded() {
    let (server, home) = server_with_config().await;
    engati_get(
        &conversations_path("573001234567"),
        "page_number=1&page_size=500",
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(page(1, 500, 0..2)))
    .expect(2)
    .mount(&server)
    .await;
    engati_get(
        &users_path(),
        "attribute_name=city&attribute_value=Bogot%C3%A1%2C%20D.C.%20%26%20%2B%3D%23",
    )
    .respond_with(ResponseTemplate::new(200).set_body_raw(
        include_str!("../../../fixtures/engati/users.json"),
        "application/json",
    ))
    .expect(1)
    .mount(&server)
    .await;
    let mut cmd = home.cmd();
    cmd.args(["conversations", "573001234567", "-f", "json"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!([
            {"message_id": "m000", "sender": "bot", "message": "line 0", "timestamp": "2026-04-02T10:00:00Z"},
            {"message_id": "m001", "sender": "user", "message": "line 1", "timestamp": "2026-04-02T10:01:00Z"}
        ])
    );
    let mut cmd = home.cmd();
    cmd.args(["conversations", "573001234567", "-f", "table"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let table = stdout(&out);
    let header = table.lines().next().unwrap();
    for name in ["message_id", "sender", "message", "timestamp"] {
        assert!(header.contains(name), "{table}");
    }
    assert!(table.contains("line 1"), "{table}");
    let mut cmd = home.cmd();
    cmd.args([
        "users",
        "find",
        "--attribute",
        "city",
        "--value",
        "Bogotá, D.C. & +=#",
        "-f",
        "csv",
        "--fields",
        "user_id",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "user_id\n65f1c2a9e4b0a1d2c3f4a5b6\n4711\n");
}
