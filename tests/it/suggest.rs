//! Engage campaign names (issue 16, "Did you mean"): an unknown name is exit 7 with the nearest
//! names of the range's campaign list in its hint (case and accents aside), and a campaign's id
//! from `campaigns list` works wherever its name does, with the same rows.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;
use wa_analytics::sandbox::{Sandbox, SandboxOptions};
use wiremock::ResponseTemplate;

use crate::engage::engage_get;
use crate::support::{Home, anchored_home, engage_range, run, stderr, stdout, strict_server};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap()
}

/// A sandbox whose data ends at [`now`] and a HOME whose config points at it.
async fn anchored() -> (Sandbox, Home) {
    let options = SandboxOptions {
        rows: 120,
        ..SandboxOptions::default()
    };
    anchored_home(options, now()).await
}

const RANGE: [&str; 4] = ["--from", "2026-04-01", "--to", "2026-04-30"];

fn engage<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["-p", "engage"];
    all.extend_from_slice(args);
    all.extend_from_slice(&RANGE);
    all
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_name_suggests_the_nearest_names_case_and_accents_aside() {
    let (_sandbox, home) = anchored().await;
    let out = home
        .run_in_process(&engage(&["campaigns", "summary", "promo A/B #2"]), now())
        .await;
    assert_eq!(out.code, 7, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "wa-analytics: error: Engage GET /campaign/promo%20A%2FB%20%232/summary answered 404 Not Found: CAMPAIGN_NOT_FOUND: campaign 'promo A/B #2' does not exist.\n\
         hint: did you mean 'Promo a/b #2?'? Names must match exactly, accents and case included; an id from 'wa-analytics campaigns list' works too\n"
    );
    let out = home
        .run_in_process(
            &engage(&[
                "campaigns",
                "details",
                "DESCUENTO 20 % + ENVIO",
                "-f",
                "json",
            ]),
            now(),
        )
        .await;
    assert_eq!(out.code, 7, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.ends_with(
            "\nhint: did you mean 'Descuento 20 % + envío \"gratis\"'? Names must match exactly, accents and case included; an id from 'wa-analytics campaigns list' works too\n"
        ),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_name_with_nothing_near_keeps_the_usual_hint() {
    let (_sandbox, home) = anchored().await;
    let out = home
        .run_in_process(&engage(&["campaigns", "summary", "Zzz"]), now())
        .await;
    assert_eq!(out.code, 7);
    assert!(
        out.stderr.ends_with(
            "\nhint: check the campaign name with 'wa-analytics campaigns list' (names must match exactly, accents and case included)\n"
        ),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_campaign_id_gives_the_same_rows_as_its_name() {
    let (_sandbox, home) = anchored().await;
    let list = home
        .run_in_process(&engage(&["campaigns", "list", "-f", "json"]), now())
        .await;
    assert_eq!(list.code, 0, "{}", list.stderr);
    let campaigns: Vec<Value> = serde_json::from_str(&list.stdout).unwrap();
    let promo = campaigns
        .iter()
        .find(|c| c["name"] == "Promo a/b #2?")
        .expect("the sandbox lists it");
    let id = promo["id"].as_str().unwrap();
    for command in ["details", "summary"] {
        let by_name = home
            .run_in_process(
                &engage(&["campaigns", command, "Promo a/b #2?", "-f", "json"]),
                now(),
            )
            .await;
        let by_id = home
            .run_in_process(&engage(&["campaigns", command, id, "-f", "json"]), now())
            .await;
        assert_eq!(by_name.code, 0, "{}", by_name.stderr);
        assert_eq!(by_id.code, 0, "{command}: {}", by_id.stderr);
        assert!(by_name.stdout.len() > 100, "{}", by_name.stdout);
        assert_eq!(by_id.stdout, by_name.stdout, "{command}");
    }
}

#[tokio::test]
async fn an_id_is_asked_again_by_its_name_after_one_look_at_the_list() {
    let server = strict_server().await;
    let range = engage_range("2026-04-01 00:00:00", "2026-04-30 23:59:59");
    let id = "074116ff-76f3-47b7-8be2-92f465718a3e";
    engage_get(&format!("/campaign/{id}/summary"), range.clone())
        .respond_with(ResponseTemplate::new(404).set_body_string(
            "{\"error\":{\"code\":\"CAMPAIGN_NOT_FOUND\",\"message\":\"no such campaign\"}}",
        ))
        .expect(1)
        .mount(&server)
        .await;
    engage_get("/campaigns", range.clone())
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(
            "{{\"data\":[{{\"id\":\"{id}\",\"name\":\"Año 🎉\",\"type\":\"one-time\",\"status\":\"completed\",\"created_at\":\"2026-04-01 10:00:00\",\"sent_at\":\"2026-04-02 00:00:00\",\"total_contacts\":3}}]}}"
        )))
        .expect(1)
        .mount(&server)
        .await;
    engage_get("/campaign/A%C3%B1o%20%F0%9F%8E%89/summary", range)
        .respond_with(ResponseTemplate::new(200).set_body_string(
            "{\"data\":{\"name\":\"Año 🎉\",\"type\":\"one-time\",\"total\":3,\"sent\":3,\"delivered\":2,\"read\":1,\"engaged\":0,\"errors\":0,\"read_rate\":50.0,\"engagement_rate\":0.0,\"error_rate\":0.0}}",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    home.engage_config(&server.uri());
    let mut cmd = home.cmd();
    cmd.args([
        "campaigns",
        "summary",
        id,
        "-f",
        "json",
        "--fields",
        "name,read",
    ])
    .args(RANGE);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "{\n  \"name\": \"Año 🎉\",\n  \"read\": 1\n}\n"
    );
}
