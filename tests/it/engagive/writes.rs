//! Engagive sends: exact bodies, sent exactly once whatever the vendor answers, `--dry-run` sends
//! nothing, and Meta's `metaResponse` error in the one-paragraph message.

use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use super::{ACC, config, run};
use crate::support::{Home, RawQuery, stderr, stdout, strict_server};

/// A POST to `ACC/messages/{what}` with the token, a JSON content type and exactly `body`.
fn egv_post(what: &str, body: Value) -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path(format!("{ACC}/messages/{what}")))
        .and(RawQuery(String::new()))
        .and(header("authorization", "Bearer tok-1"))
        .and(header("content-type", "application/json"))
        .and(body_json(body))
}

fn template_body() -> Value {
    json!({"to": "923001234567", "content_json": {"template_name": "hello_world", "lang_code": "en_US",
           "components": [{"type": "BODY", "parameters": [{"type": "text", "text": "Hello"}, {"type": "text", "text": "Ana María, \"VIP\""}]}]}})
}

const SEND_TEMPLATE: [&str; 10] = [
    "messages",
    "send-template",
    "--to",
    "923001234567",
    "--template",
    "hello_world",
    "--lang",
    "en_US",
    "--param",
    "Hello",
];

fn send_template(home: &Home, extra: &[&str]) -> assert_cmd::Command {
    let mut c = home.cmd();
    c.args(SEND_TEMPLATE)
        .args(["--param", "Ana María, \"VIP\""])
        .args(extra);
    c
}

#[tokio::test(flavor = "multi_thread")]
async fn send_template_posts_the_documented_body_once_and_prints_the_receipt() {
    let server = strict_server().await;
    egv_post("send-template", template_body())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            include_str!("../../../fixtures/engagive/send-template.json"),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server.uri());
    let out = run(send_template(
        &home,
        &[
            "--yes",
            "-f",
            "json",
            "--fields",
            "command,accepted,id,message",
        ],
    ))
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        serde_json::from_str::<Value>(&stdout(&out)).unwrap(),
        json!({"command": "messages send-template", "accepted": true,
               "id": "wamid.HBgMOTIzMDAxMjM0NTY3FQIAERgSMUE2QjQ0RDk3RjNCNDI5QzMA",
               "message": "Template message sent successfully"})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_message_kind_has_its_exact_body() {
    let server = strict_server().await;
    let ok = |message: &str| {
        ResponseTemplate::new(200).set_body_json(
            json!({"success": true, "statusCode": 200, "message": message, "data": {}, "metaResponse": {}}),
        )
    };
    egv_post(
        "send-template",
        json!({"to": "+573001234567", "content_json": {"template_name": "café ☕", "lang_code": "es"}}),
    )
    .respond_with(ok("Template message sent successfully"))
    .expect(1)
    .mount(&server)
    .await;
    egv_post(
        "send-reaction",
        json!({"to": "923001234567", "whatsapp_message_id": "wamid.HBgM=", "emoji": "👍🏽"}),
    )
    .respond_with(ok("Reaction sent"))
    .expect(1)
    .mount(&server)
    .await;
    egv_post(
        "send-single",
        json!({"to": "573001234567", "message_type": "text", "content_json": {"body": "Hola 👋\n=1+1"}}),
    )
    .respond_with(ok("Message sent successfully"))
    .expect(1)
    .mount(&server)
    .await;
    let image = json!({"to": "573001234567", "message_type": "image", "content_json": {"link": "https://e.com/a.png", "caption": "Promo"}});
    egv_post("send-single", image)
        .respond_with(ok("Message sent successfully"))
        .expect(3)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server.uri());
    std::fs::write(
        home.path().join("meta.json"),
        r#"{"messaging_product":"whatsapp","to":"573001234567","type":"image","image":{"link":"https://e.com/a.png","caption":"Promo"}}"#,
    )
    .unwrap();
    std::fs::write(
        home.path().join("ours.json"),
        r#"{"message_type":"image","content_json":{"link":"https://e.com/a.png","caption":"Promo"}}"#,
    )
    .unwrap();
    let commands: Vec<(Vec<&str>, Option<&str>, &str)> = vec![
        (
            vec![
                "send-template",
                "--to",
                "+573001234567",
                "--template",
                "café ☕",
                "--lang",
                "es",
            ],
            None,
            "messages send-template,true,,Template message sent successfully\n",
        ),
        (
            vec![
                "send-reaction",
                "--to",
                "923001234567",
                "--message-id",
                "wamid.HBgM=",
                "--emoji",
                "👍🏽",
            ],
            None,
            "messages send-reaction,true,,Reaction sent\n",
        ),
        (
            vec!["send", "--to", "573001234567", "--text", "Hola 👋\n=1+1"],
            None,
            "messages send,true,,Message sent successfully\n",
        ),
        (
            vec!["send", "--to", "573001234567", "--json", "meta.json"],
            None,
            "messages send,true,,Message sent successfully\n",
        ),
        (
            vec!["send", "--to", "573001234567", "--json", "ours.json"],
            None,
            "messages send,true,,Message sent successfully\n",
        ),
        (
            vec!["send", "--to", "573001234567", "--json", "-"],
            Some(r#"{"type":"image","image":{"link":"https://e.com/a.png","caption":"Promo"}}"#),
            "messages send,true,,Message sent successfully\n",
        ),
    ];
    for (args, stdin, row) in commands {
        let mut c = home.cmd();
        c.arg("messages").args(&args).args([
            "--yes",
            "-f",
            "csv",
            "--fields",
            "command,accepted,id,message",
        ]);
        if let Some(input) = stdin {
            c.write_stdin(input);
        }
        let out = run(c).await;
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(
            stdout(&out),
            format!("command,accepted,id,message\n{row}"),
            "{args:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_prints_the_request_with_the_token_masked_and_sends_nothing() {
    let server = strict_server().await;
    let home = Home::new();
    config(&home, &server.uri());
    let out = run(send_template(&home, &["--dry-run", "-vv"])).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!(
            "POST {}{ACC}/messages/send-template\n\
             authorization: ***\n\
             content-type: application/json\n\
             \n\
             {}\n",
            server.uri(),
            serde_json::to_string_pretty(&template_body()).unwrap()
        )
    );
    assert!(
        stderr(&out).contains("dry run: nothing was sent"),
        "{}",
        stderr(&out)
    );
    for text in [stdout(&out), stderr(&out)] {
        assert!(!text.contains("tok-1"), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn without_yes_and_without_a_terminal_nothing_is_sent() {
    let server = strict_server().await;
    let home = Home::new();
    config(&home, &server.uri());
    let out = run(send_template(&home, &[])).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nothing was sent"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_send_is_sent_exactly_once_whatever_the_vendor_answers() {
    let meta = serde_json::from_str::<Value>(include_str!(
        "../../../fixtures/engagive/error-502-meta.json"
    ))
    .unwrap();
    let err = |s: u16, m: &str| json!({"success": false, "statusCode": s, "message": m});
    let cases: Vec<(u16, Value, i32, &str)> = vec![
        (
            500,
            err(500, "Internal error"),
            6,
            "the message may or may not have been sent",
        ),
        (
            502,
            meta.clone(),
            6,
            "WhatsApp (Meta) refused it, so nothing was delivered",
        ),
        (
            502,
            err(502, "Upstream timeout"),
            6,
            "the message may or may not have been sent",
        ),
        (
            503,
            err(503, "Unavailable"),
            6,
            "the message may or may not have been sent",
        ),
        (
            504,
            json!({}),
            6,
            "the message may or may not have been sent",
        ),
        (429, err(429, "Too many"), 5, "the message was not sent"),
        (
            400,
            err(400, "'to' must be the recipient's phone number"),
            2,
            "refused the request as invalid",
        ),
        (401, err(401, "Unauthorized"), 4, "generate a new one"),
        (403, err(403, "Forbidden"), 4, "account_id"),
        (
            404,
            err(404, "Template 'hello_world' not found"),
            7,
            "templates list",
        ),
    ];
    for (status, body, code, hint) in cases {
        let server = strict_server().await;
        egv_post("send-template", template_body())
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(body)
                    .insert_header("retry-after", "0"),
            )
            .expect(1)
            .mount(&server)
            .await;
        let home = Home::new();
        config(&home, &server.uri());
        let out = run(send_template(&home, &["--yes", "--retries", "5"])).await;
        assert_eq!(out.status.code(), Some(code), "{status}: {}", stderr(&out));
        assert_eq!(stdout(&out), "");
        let err = stderr(&out);
        assert!(err.contains(hint), "{status}: {err}");
        assert_eq!(err.lines().count(), 2, "one paragraph and a hint: {err}");
        server.verify().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_meta_error_shows_meta_s_code_and_message_in_one_paragraph() {
    let server = strict_server().await;
    egv_post("send-template", template_body())
        .respond_with(ResponseTemplate::new(502).set_body_raw(
            include_str!("../../../fixtures/engagive/error-502-meta.json"),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server.uri());
    let out = run(send_template(&home, &["--yes"])).await;
    assert_eq!(out.status.code(), Some(6));
    assert_eq!(
        stderr(&out),
        "wa-analytics: error: Engagive POST /channels/whatsapp/accounts/acc-42/messages/send-template answered 502 Bad Gateway: Meta error 131026: WhatsApp / Meta rejected the request; Meta says: (#131026) Message undeliverable (Message Undeliverable.).\n\
         hint: WhatsApp (Meta) refused it, so nothing was delivered; look the code up in Meta's WhatsApp Cloud API error codes, fix the cause, then send again\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_send_that_times_out_is_not_sent_again() {
    let server = strict_server().await;
    egv_post("send-template", template_body())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"success": true}))
                .set_delay(std::time::Duration::from_secs(3)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server.uri());
    let out = run(send_template(
        &home,
        &["--yes", "--timeout", "1", "--retries", "5"],
    ))
    .await;
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no answer within 1 s"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_401_on_a_send_refreshes_the_token_and_sends_once_more() {
    let server = strict_server().await;
    Mock::given(method("POST"))
        .and(path(format!("{ACC}/messages/send-single")))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"success": false, "statusCode": 401, "message": "expired"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{ACC}/messages/send-single")))
        .and(header("authorization", "Bearer tok-2"))
        .and(body_json(
            json!({"to": "573001234567", "message_type": "text", "content_json": {"body": "hi"}}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"success": true, "message": "Message sent successfully", "data": {}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    let script = home.path().join("tok.sh");
    std::fs::write(
        &script,
        "n=$(cat \"$HOME/n\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$HOME/n\"; echo tok-$n\n",
    )
    .unwrap();
    home.write_config(&format!(
        "[profiles.egv]\nprovider = \"engagive\"\nbase_url = \"{}\"\naccount_id = \"acc-42\"\ntoken = {{ command = \"sh {}\" }}\n",
        server.uri(),
        script.display()
    ));
    let mut cmd = home.cmd();
    cmd.args([
        "messages",
        "send",
        "--to",
        "573001234567",
        "--text",
        "hi",
        "--yes",
        "-f",
        "csv",
        "--fields",
        "message",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "message\nMessage sent successfully\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_message_files_are_exit_2_before_any_request() {
    let server = strict_server().await;
    let home = Home::new();
    config(&home, &server.uri());
    for (file, needle) in [
        (
            r#"{"to":"+15550001","type":"text","text":{"body":"x"}}"#,
            "but --to is 573001234567",
        ),
        (r#"{"type":"image"}"#, "no \"image\" object"),
        (r#"{"body":"x"}"#, "names no message type"),
        (
            r#"{"type":"reaction","reaction":{}}"#,
            "Engagive cannot send a 'reaction' message",
        ),
        (r#"[1,2]"#, "not an object"),
    ] {
        std::fs::write(home.path().join("m.json"), file).unwrap();
        let mut cmd = home.cmd();
        cmd.args([
            "messages",
            "send",
            "--to",
            "573001234567",
            "--json",
            "m.json",
            "--yes",
        ]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(2), "{file}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{file}: {}", stderr(&out));
    }
    let mut cmd = home.cmd();
    cmd.args([
        "messages",
        "send",
        "--to",
        "573001234567",
        "--text",
        "",
        "--yes",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the text is empty"),
        "{}",
        stderr(&out)
    );
}
