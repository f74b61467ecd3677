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

/// `users find --attribute plan --value gold` against an answer whose users are `users`.
async fn find_users(users: serde_json::Value, extra: &[&str]) -> std::process::Output {
    let (server, home) = server_with_config().await;
    engati_get(&users_path(), "attribute_name=plan&attribute_value=gold")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": {"code": 1000, "desc": "SUCCESS"}, "responseObject": users
        })))
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = home.cmd();
    cmd.args(["users", "find", "--attribute", "plan", "--value", "gold"])
        .args(extra);
    run(cmd).await
}

/// `conversations 573001234567` against one page (of size 500) holding `messages`.
async fn read_conversation(messages: serde_json::Value, extra: &[&str]) -> std::process::Output {
    let (server, home) = server_with_config().await;
    engati_get(
        &conversations_path("573001234567"),
        "page_number=1&page_size=500",
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({
        "status": {"code": 1000, "desc": "SUCCESS"}, "responseObject": messages
    })))
    .expect(1)
    .mount(&server)
    .await;
    let mut cmd = home.cmd();
    cmd.args(["conversations", "573001234567"]).args(extra);
    run(cmd).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_user_without_user_id_is_exit_6_naming_the_path_and_what_the_record_holds() {
    // It was printed with an empty user_id and exit 0 would have been the silent kind of wrong.
    let out = find_users(
        json!({"users": [
            {"user_id": "u1", "channel": "whatsapp", "channel_user_id": "573001", "name": "Ana",
             "created_at": "2026-03-02 14:05:09", "attributes": {"plan": "gold"}},
            {"channel": "whatsapp", "channel_user_id": "573002", "name": "Luis",
             "created_at": "2026-03-02 14:05:09", "attributes": {"plan": "gold"}}
        ]}),
        &["-f", "csv"],
    )
    .await;
    assert_eq!(out.status.code(), Some(6), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!(
            "wa-analytics: error: Engati GET {BOT_PATH}/users failed: cannot read Engati's answer to 'users find': it lacks responseObject.users[].user_id (the answer holds: attributes, channel, channel_user_id, created_at, name)"
        )),
        "{err}"
    );
    assert!(err.contains("providers --mapping"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_user_whose_user_id_is_null_is_exit_6_too() {
    let out = find_users(
        json!({"users": [{"user_id": null, "channel": "whatsapp", "channel_user_id": "573002",
                          "name": "Luis", "created_at": "2026-03-02 14:05:09", "attributes": {}}]}),
        &["-f", "json"],
    )
    .await;
    assert_eq!(out.status.code(), Some(6), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("responseObject.users[].user_id: is null"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn users_missing_a_name_print_null_with_exactly_one_warning() {
    let users: Vec<serde_json::Value> = (0..3)
        .map(|i| {
            json!({"user_id": format!("u{i}"), "channel": "whatsapp",
                   "channel_user_id": format!("57300{i}"), "created_at": "2026-03-02 14:05:09",
                   "attributes": {"plan": "gold"}})
        })
        .collect();
    let out = find_users(
        json!({ "users": users }),
        &["-f", "csv", "--fields", "user_id,name"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "user_id,name\nu0,\nu1,\nu2,\n");
    assert_eq!(
        stderr(&out),
        "wa-analytics: warning: Engati's answer to 'users find' has no responseObject.users[].name: name is null\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_users_answer_in_another_schema_is_exit_6_not_an_empty_list() {
    let out = find_users(json!({"people": [{"id": "u1"}]}), &["-f", "json"]).await;
    assert_eq!(out.status.code(), Some(6), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains(
            "the responseObject has no users list (responseObject.users; it holds: people)"
        ),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_without_its_id_or_timestamp_is_exit_6_naming_the_paths() {
    // Both were printed as nulls with exit 0.
    let out = read_conversation(
        json!({"page_number": 1, "page_size": 500, "conversations": [
            {"message_id": "m1", "sender": "bot", "message": "hi", "timestamp": "2026-04-01 13:05:00.000+0000"},
            {"sender": "user", "message": "hola"}
        ]}),
        &["-f", "csv"],
    )
    .await;
    assert_eq!(out.status.code(), Some(6), "stderr: {}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "Engati GET {BOT_PATH}/channel-user/573001234567/conversations failed: cannot read Engati's answer to 'conversations': it lacks responseObject.conversations[].message_id, responseObject.conversations[].timestamp (the answer holds: message, sender)"
        )),
        "{}",
        stderr(&out)
    );
    let out = read_conversation(
        json!({"page_number": 1, "page_size": 500, "conversations": [
            {"message_id": "m1", "sender": "bot", "message": "hi"}
        ]}),
        &["-f", "csv"],
    )
    .await;
    assert_eq!(out.status.code(), Some(6), "stderr: {}", stderr(&out));
    assert!(
        stderr(&out).contains("it lacks responseObject.conversations[].timestamp (the answer holds: message, message_id, sender)"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn messages_missing_a_sender_on_every_page_print_null_with_exactly_one_warning() {
    let (server, home) = server_with_config().await;
    let p = conversations_path("573001234567");
    let msg = |i: u64| {
        json!({"message_id": format!("m{i}"), "message": format!("line {i}"),
               "timestamp": format!("2026-04-01 13:0{i}:00.000+0000")})
    };
    for (n, rows) in [(1u64, vec![msg(0), msg(1)]), (2, vec![msg(2)])] {
        engati_get(&p, &format!("page_number={n}&page_size=500"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "status": {"code": 1000, "desc": "SUCCESS"},
                "responseObject": {"page_number": n, "page_size": 2, "conversations": rows}
            })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let mut cmd = home.cmd();
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
         m0,,line 0,2026-04-01T13:00:00Z\n\
         m1,,line 1,2026-04-01T13:01:00Z\n\
         m2,,line 2,2026-04-01T13:02:00Z\n"
    );
    assert_eq!(
        stderr(&out),
        "wa-analytics: warning: Engati's answer to 'conversations' has no responseObject.conversations[].sender: sender is null\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_conversations_answer_in_another_schema_is_exit_6_not_an_empty_history() {
    let out = read_conversation(
        json!({"page_number": 1, "page_size": 500, "items": [{"id": "m1"}]}),
        &["-f", "csv"],
    )
    .await;
    assert_eq!(out.status.code(), Some(6), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("the responseObject has no conversations list (responseObject.conversations; it holds: items, page_number, page_size)"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn fields_engati_does_not_document_are_listed_once_at_v_and_never_without_it() {
    let messages = json!({"page_number": 1, "page_size": 500, "conversations": [
        {"message_id": "m1", "sender": "bot", "message": "hi", "timestamp": "2026-04-01 13:05:00.000+0000", "channel": "whatsapp"},
        {"message_id": "m2", "sender": "user", "message": "ok", "timestamp": "2026-04-01 13:06:00.000+0000", "channel": "whatsapp"}
    ]});
    let quiet = read_conversation(messages.clone(), &["-f", "csv"]).await;
    assert_eq!(quiet.status.code(), Some(0), "stderr: {}", stderr(&quiet));
    assert_eq!(stderr(&quiet), "");
    let verbose = read_conversation(messages, &["-f", "csv", "-v"]).await;
    assert_eq!(
        verbose.status.code(),
        Some(0),
        "stderr: {}",
        stderr(&verbose)
    );
    let lines: Vec<_> = stderr(&verbose)
        .lines()
        .filter(|l| l.contains("does not read"))
        .map(String::from)
        .collect();
    assert_eq!(
        lines,
        [
            "wa-analytics: Engati's answer to 'conversations' has fields wa-analytics does not read: channel"
        ]
    );
}
