//! The real binary against the built-in sandbox's Engagive: `--demo --provider engagive …` for
//! every templates and messages command, Meta's errors through the documented magic recipient,
//! and complete lists with faults injected.

use std::time::Duration;

use wa_analytics::sandbox::{ENGAGIVE_FAILING_NUMBER, ENGAGIVE_TOKEN, Sandbox, SandboxOptions};

use crate::support::{Home, json_ok, stderr, stdout};

async fn run(mut cmd: assert_cmd::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

/// `wa-analytics --demo --provider engagive -q ARGS…`.
fn demo(home: &Home, args: &[&str]) -> std::process::Output {
    home.cmd()
        .args(["--demo", "--provider", "engagive", "-q"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn demo_serves_every_templates_command() {
    let home = Home::new();
    let all = json_ok(&demo(&home, &["templates", "list", "-f", "json"]));
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 137, "every page of the catalogue");
    assert_eq!(
        all[0],
        serde_json::json!({"code": "order_shipped", "name": "Order shipped", "category": "UTILITY",
            "language": null, "status": "approved", "id": "101", "option_code": "STANDARD",
            "parameter_format_code": "POSITIONAL"})
    );
    let ids: Vec<&str> = all.iter().map(|t| t["id"].as_str().unwrap()).collect();
    let want: Vec<String> = (101..238).map(|i| i.to_string()).collect();
    assert_eq!(ids, want);
    // Small pages walk the same list.
    let paged = json_ok(&demo(
        &home,
        &["templates", "list", "--page-size", "7", "-f", "json"],
    ));
    assert_eq!(paged.as_array().unwrap(), all);

    let hits = json_ok(&demo(
        &home,
        &["templates", "list", "--search", "50%_OFF", "-f", "json"],
    ));
    assert_eq!(hits[0]["code"], "promo_50%_off");
    assert_eq!(hits.as_array().unwrap().len(), 1);

    let one = json_ok(&demo(
        &home,
        &["templates", "show", "a/b test #2?", "-f", "json"],
    ));
    assert_eq!(one["name"], "A/B test #2? \"quoted\", with commas");
    assert_eq!(one["status"], "pending");

    let out = demo(
        &home,
        &["templates", "contents", "promo_50%_off", "-f", "csv"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "language,text,is_draft,id\n\
         es,\"¡{{1}}, 50% de descuento! Usa el código {{2}} 🎉\",false,505\n\
         pt_BR,\"{{1}}, 50% de desconto! Use o código {{2}} 🎉\",false,506\n"
    );

    let out = demo(&home, &["templates", "categories", "-f", "csv"]);
    assert_eq!(
        stdout(&out),
        "code,label\nMARKETING,Marketing\nUTILITY,Utility\nAUTHENTICATION,Authentication\n"
    );
    let out = demo(
        &home,
        &[
            "templates",
            "category-options",
            "AUTHENTICATION",
            "-f",
            "csv",
        ],
    );
    assert_eq!(
        stdout(&out),
        "code,label,category\nONE_TIME_PASSWORD,One-time passcode,AUTHENTICATION\n"
    );
    let langs = json_ok(&demo(
        &home,
        &[
            "templates",
            "languages",
            "--template",
            "café_navidad_☕",
            "-f",
            "json",
        ],
    ));
    assert_eq!(
        langs.as_array().unwrap().len(),
        69,
        "every page of the lookup"
    );
    assert!(
        langs
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"code": "en_US", "label": "English (US)"}))
    );

    for args in [
        vec!["templates", "show", "nope"],
        vec!["templates", "contents", "nope"],
        vec!["templates", "languages", "--template", "nope"],
        vec!["templates", "category-options", "marketing"],
    ] {
        let out = demo(&home, &args);
        assert_eq!(out.status.code(), Some(7), "{args:?}: {}", stderr(&out));
    }
    let out = demo(&home, &["campaigns", "list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Engagive does not support 'campaigns list'"));
}

#[test]
fn demo_sends_messages_and_shows_meta_errors() {
    let home = Home::new();
    let send = |extra: &[&str]| {
        let mut args = vec![
            "messages",
            "send-template",
            "--template",
            "promo_50%_off",
            "--lang",
            "es",
            "--param",
            "Ana",
        ];
        args.extend_from_slice(extra);
        demo(&home, &args)
    };
    let receipt = json_ok(&send(&[
        "--to",
        "+573001234567",
        "--param",
        "BF50",
        "--yes",
        "-f",
        "json",
    ]));
    assert_eq!(receipt["command"], "messages send-template");
    assert_eq!(receipt["accepted"], true);
    assert_eq!(receipt["message"], "Template message sent successfully");
    assert!(
        receipt["id"].as_str().unwrap().starts_with("wamid."),
        "{receipt}"
    );

    // The documented magic recipient: Meta refuses it (502 with metaResponse), exit 6.
    let out = send(&["--to", ENGAGIVE_FAILING_NUMBER, "--param", "BF50", "--yes"]);
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("answered 502 Bad Gateway: Meta error 131026: WhatsApp / Meta rejected the request; Meta says: (#131026) Message undeliverable"),
        "{}",
        stderr(&out)
    );
    // One parameter for a two-placeholder template: Meta's 132000.
    let out = send(&["--to", "573001234567", "--yes"]);
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Meta error 132000"),
        "{}",
        stderr(&out)
    );
    // No content in that language: Engagive's own 400.
    let out = demo(
        &home,
        &[
            "messages",
            "send-template",
            "--to",
            "573001234567",
            "--template",
            "hello_world",
            "--lang",
            "fr",
            "--yes",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("has no content in language 'fr'"),
        "{}",
        stderr(&out)
    );

    let out = demo(
        &home,
        &[
            "messages",
            "send-reaction",
            "--to",
            "573001234567",
            "--message-id",
            receipt["id"].as_str().unwrap(),
            "--emoji",
            "🎉",
            "--yes",
            "-f",
            "json",
        ],
    );
    assert_eq!(json_ok(&out)["message"], "Reaction sent");
    let out = demo(
        &home,
        &[
            "messages",
            "send",
            "--to",
            "573001234567",
            "--text",
            "Hola 👋",
            "--yes",
            "-f",
            "json",
        ],
    );
    assert_eq!(json_ok(&out)["message"], "Message sent successfully");
    std::fs::write(
        home.path().join("loc.json"),
        r#"{"type":"location","location":{"latitude":4.711,"longitude":-74.07,"name":"Bogotá"}}"#,
    )
    .unwrap();
    let out = demo(
        &home,
        &[
            "messages",
            "send",
            "--to",
            "573001234567",
            "--json",
            "loc.json",
            "--yes",
            "-f",
            "json",
        ],
    );
    assert_eq!(
        json_ok(&out)["response"]["data"]["message_type"],
        "location"
    );
    // The sandbox validates message objects like the vendor.
    std::fs::write(
        home.path().join("bad.json"),
        r#"{"type":"location","location":{"latitude":95,"longitude":0}}"#,
    )
    .unwrap();
    let out = demo(
        &home,
        &[
            "messages",
            "send",
            "--to",
            "573001234567",
            "--json",
            "bad.json",
            "--yes",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("latitude"), "{}", stderr(&out));

    // --dry-run: the request, the token as ***, nothing sent.
    let out = demo(
        &home,
        &[
            "messages",
            "send",
            "--to",
            "573001234567",
            "--text",
            "hi",
            "--dry-run",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("POST http://127.0.0.1:"), "{text}");
    assert!(
        text.contains("/engagive/channels/whatsapp/accounts/sandbox-account-1/messages/send-single\nauthorization: ***\n"),
        "{text}"
    );
    assert!(!text.contains(ENGAGIVE_TOKEN) && !stderr(&out).contains(ENGAGIVE_TOKEN));
}

/// Every template from a started sandbox, as CSV.
async fn list_from(sandbox: &Sandbox) -> std::process::Output {
    let home = Home::new();
    home.write_config(&sandbox.config_toml());
    let mut cmd = home.cmd();
    cmd.args([
        "--profile",
        "engagive",
        "templates",
        "list",
        "--page-size",
        "5",
        "--retries",
        "10",
        "-f",
        "csv",
    ]);
    run(cmd).await
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_are_complete_and_identical_with_faults_injected() {
    let clean = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let faulty = Sandbox::start(SandboxOptions {
        fault_rate: 0.3,
        latency: Duration::from_millis(1),
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let a = list_from(&clean).await;
    let b = list_from(&faulty).await;
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    let records = csv::Reader::from_reader(stdout(&a).as_bytes())
        .records()
        .count();
    assert_eq!(records, 137);
    assert_eq!(
        stdout(&a),
        stdout(&b),
        "faults must not lose or double templates"
    );

    // profiles check passes against the started sandbox.
    let home = Home::new();
    home.write_config(&clean.config_toml());
    let mut cmd = home.cmd();
    cmd.args(["profiles", "check", "engagive", "-f", "csv"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "name,provider,result,detail\nengagive,engagive,ok,\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_send_refused_by_an_injected_fault_is_not_sent_again() {
    // Every request faults: a send gets 429 or 503 once, and the tool does not retry it.
    let faulty = Sandbox::start(SandboxOptions {
        fault_rate: 1.0,
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let home = Home::new();
    home.write_config(&faulty.config_toml());
    for _ in 0..4 {
        let mut cmd = home.cmd();
        cmd.args([
            "--profile",
            "engagive",
            "-vv",
            "messages",
            "send",
            "--to",
            "573001234567",
            "--text",
            "hi",
            "--yes",
            "--retries",
            "5",
        ]);
        let out = run(cmd).await;
        let err = stderr(&out);
        match out.status.code() {
            Some(5) => assert!(err.contains("429 Too Many Requests"), "{err}"),
            Some(6) => assert!(err.contains("503 Service Unavailable"), "{err}"),
            other => panic!("{other:?}: {err}"),
        }
        let sends = err.matches("> POST ").count();
        assert_eq!(sends, 1, "exactly one attempt:\n{err}");
    }
}
