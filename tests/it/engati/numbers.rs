//! What the numbers mean, for Engati (product.md, "What the numbers mean"): a record without its
//! key field is unreadable (exit 6, naming the path and what the record holds), a missing
//! other field is null with one warning however many records lack it, an answer without its
//! list is unreadable, and `conversations` without a range reads the whole history up to now.

use serde_json::json;
use wiremock::ResponseTemplate;

use super::*;
use crate::support::{run, stderr, stdout};

#[tokio::test(flavor = "multi_thread")]
async fn conversations_without_a_range_sends_no_dates_and_reads_the_whole_history_up_to_now() {
    let (server, home) = server_with_config().await;
    // No start_date (Engati: every record) and no end_date (Engati: now): years-old messages
    // are part of the answer, as they are of the user's history.
    engati_get(
        &conversations_path("573001234567"),
        "page_number=1&page_size=500",
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({
        "status": {"code": 1000, "desc": "SUCCESS"},
        "responseObject": {"page_number": 1, "page_size": 500, "conversations": [
            {"message_id": "old", "sender": "user", "message": "hola", "timestamp": "2019-01-05 08:00:00.000+0000"},
            {"message_id": "new", "sender": "bot", "message": "hi", "timestamp": "2026-04-01 13:05:00.000+0000"}
        ]}
    })))
    .expect(1)
    .mount(&server)
    .await;
    let mut cmd = home.cmd();
    cmd.args(["conversations", "573001234567", "-f", "csv", "-v"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "message_id,sender,message,timestamp\n\
         old,user,hola,2019-01-05T08:00:00Z\n\
         new,bot,hi,2026-04-01T13:05:00Z\n"
    );
    assert!(
        stderr(&out).contains("range: the user's whole history (no --from, --to or --last)"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("last 30 days"), "{}", stderr(&out));
}
