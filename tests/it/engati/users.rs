//! `users find`: the raw key, the encoded attribute, every field of the output in every format,
//! and an empty match.

use serde_json::{Value, json};
use wiremock::ResponseTemplate;
use wiremock::matchers::header;

use super::*;
use crate::support::{run, stderr, stdout};

#[tokio::test(flavor = "multi_thread")]
async fn users_find_sends_the_raw_key_and_the_encoded_attribute_and_prints_json() {
    let (server, home) = server_with_config().await;
    engati_get(
        &users_path(),
        "attribute_name=feedback&attribute_value=1%20star",
    )
    .and(header("accept", "application/json"))
    .respond_with(ResponseTemplate::new(200).set_body_raw(
        include_str!("../../../fixtures/engati/users.json"),
        "application/json",
    ))
    .expect(1)
    .mount(&server)
    .await;
    let mut cmd = home.cmd();
    cmd.args([
        "users",
        "find",
        "--attribute",
        "feedback",
        "--value",
        "1 star",
        "-f",
        "json",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!([
            {"user_id": "65f1c2a9e4b0a1d2c3f4a5b6", "channel": "whatsapp", "channel_user_id": "+573001234567",
             "name": "=HYPERLINK(\"http://x\",\"Ana\")", "created_at": "2026-03-02T14:05:09Z",
             "attributes": {"feedback": "1 star", "city": "Bogotá, D.C.", "opt_in": "true"}},
            {"user_id": "4711", "channel": "whatsapp", "channel_user_id": "573009876543",
             "name": "José\nPérez", "created_at": "2026-03-05T08:00:00Z", "attributes": {"feedback": "1 star"}}
        ])
    );
    assert_eq!(stderr(&out), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn users_find_prints_attributes_as_compact_json_in_csv_tsv_and_jsonl() {
    let (server, home) = server_with_config().await;
    engati_get(
        &users_path(),
        "attribute_name=feedback&attribute_value=1%20star",
    )
    .respond_with(ResponseTemplate::new(200).set_body_raw(
        include_str!("../../../fixtures/engati/users.json"),
        "application/json",
    ))
    .expect(3)
    .mount(&server)
    .await;
    let args = [
        "users",
        "find",
        "--attribute",
        "feedback",
        "--value",
        "1 star",
    ];
    let mut csv = home.cmd();
    csv.args(args).args(["-f", "csv"]);
    let out = run(csv).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "user_id,channel,channel_user_id,name,created_at,attributes\n\
         65f1c2a9e4b0a1d2c3f4a5b6,whatsapp,+573001234567,\"'=HYPERLINK(\"\"http://x\"\",\"\"Ana\"\")\",2026-03-02T14:05:09Z,\"{\"\"city\"\":\"\"Bogotá, D.C.\"\",\"\"feedback\"\":\"\"1 star\"\",\"\"opt_in\"\":\"\"true\"\"}\"\n\
         4711,whatsapp,573009876543,\"José\nPérez\",2026-03-05T08:00:00Z,\"{\"\"feedback\"\":\"\"1 star\"\"}\"\n"
    );
    let mut tsv = home.cmd();
    tsv.args(args)
        .args(["--fields", "channel_user_id,attributes"]);
    let out = run(tsv).await;
    assert_eq!(
        stdout(&out),
        "channel_user_id\tattributes\n+573001234567\t\"{\"\"city\"\":\"\"Bogotá, D.C.\"\",\"\"feedback\"\":\"\"1 star\"\",\"\"opt_in\"\":\"\"true\"\"}\"\n573009876543\t\"{\"\"feedback\"\":\"\"1 star\"\"}\"\n"
    );
    let mut jsonl = home.cmd();
    jsonl
        .args(args)
        .args(["-f", "jsonl", "--fields", "user_id,name"]);
    let out = run(jsonl).await;
    assert_eq!(
        stdout(&out),
        "{\"user_id\":\"65f1c2a9e4b0a1d2c3f4a5b6\",\"name\":\"=HYPERLINK(\\\"http://x\\\",\\\"Ana\\\")\"}\n{\"user_id\":\"4711\",\"name\":\"José\\nPérez\"}\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn users_find_with_no_match_is_an_empty_success() {
    let (server, home) = server_with_config().await;
    engati_get(
        &users_path(),
        "attribute_name=plan&attribute_value=platinum",
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(
        json!({"status": {"code": 1000, "desc": "SUCCESS"}, "responseObject": {"users": []}}),
    ))
    .expect(1)
    .mount(&server)
    .await;
    let mut cmd = home.cmd();
    cmd.args([
        "users",
        "find",
        "--attribute",
        "plan",
        "--value",
        "platinum",
        "-f",
        "csv",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "user_id,channel,channel_user_id,name,created_at,attributes\n"
    );
}
