//! What Wolkvox's numbers mean (product.md, "What the numbers mean"): whose days `stats` cuts,
//! records that cannot be read (exit 6, naming the path), missing fields (null and one warning),
//! and rates over nothing (null).

use serde_json::{Value, json};

use super::{CAMPAIGN_9, EMPTY, body, config, query, report};
use crate::support::{Home, run, stderr, stdout, strict_server};

/// Runs `args` against a server answering the one report window `(api, campaign, ini, end)`
/// with `answer`, exactly once.
async fn window(
    (api, campaign, ini, end): (&str, Option<&str>, &str, &str),
    answer: &str,
    args: &[&str],
) -> std::process::Output {
    let server = strict_server().await;
    report(query(api, campaign, ini, end))
        .respond_with(body(answer))
        .expect(1)
        .mount(&server)
        .await;
    let home = Home::new();
    config(&home, &server, "");
    let mut cmd = home.cmd();
    cmd.args(args);
    run(cmd).await
}

#[tokio::test(flavor = "multi_thread")]
async fn tz_cuts_the_days_of_stats_while_the_records_stay_in_the_operation_zone() {
    // The profile is in Bogota (UTC-5); --tz UTC reads the range in UTC, so Wolkvox is asked
    // for the same instants in Bogota time, and each record's instant is counted in its UTC
    // day: the delivered record sent at 23:59:59 on April 3 in Bogota is April 4 in UTC.
    let out = window(
        (
            "campaign_9",
            Some("all"),
            "20260331190000",
            "20260410185959",
        ),
        CAMPAIGN_9,
        &[
            "stats",
            "--tz",
            "UTC",
            "--from",
            "2026-04-01",
            "--to",
            "2026-04-10",
            "-f",
            "csv",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "period,sent,delivered,read,engaged,errors,period_start,period_end\n\
         2026-04-01,1,1,1,,0,2026-04-01T00:00:00Z,2026-04-02T00:00:00Z\n\
         2026-04-02,1,0,0,,0,2026-04-02T00:00:00Z,2026-04-03T00:00:00Z\n\
         2026-04-03,0,0,0,,1,2026-04-03T00:00:00Z,2026-04-04T00:00:00Z\n\
         2026-04-04,1,1,0,,0,2026-04-04T00:00:00Z,2026-04-05T00:00:00Z\n\
         2026-04-05,0,0,0,,0,2026-04-05T00:00:00Z,2026-04-06T00:00:00Z\n\
         2026-04-06,1,0,0,,0,2026-04-06T00:00:00Z,2026-04-07T00:00:00Z\n\
         2026-04-07,0,0,0,,0,2026-04-07T00:00:00Z,2026-04-08T00:00:00Z\n\
         2026-04-08,0,0,0,,0,2026-04-08T00:00:00Z,2026-04-09T00:00:00Z\n\
         2026-04-09,0,0,0,,0,2026-04-09T00:00:00Z,2026-04-10T00:00:00Z\n\
         2026-04-10,0,0,0,,0,2026-04-10T00:00:00Z,2026-04-11T00:00:00Z\n"
    );
}

/// The April window as Wolkvox is asked for it (Bogota time).
fn april(api: &'static str, campaign: Option<&'static str>) -> Window {
    (api, campaign, "20260401000000", "20260410235959")
}

type Window = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
);

/// `ARGS --from 2026-04-01 --to 2026-04-10`.
fn in_april<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend(["--from", "2026-04-01", "--to", "2026-04-10"]);
    all
}

/// A campaign_9 answer with these rows.
fn campaign_9(rows: Value) -> String {
    let n = rows.as_array().unwrap().len();
    json!({"code": 200, "error": null, "msg": format!("{n} records were found"), "data": rows})
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_record_without_its_key_field_is_exit_6_naming_the_path() {
    let record = |drop: &str| {
        let mut r = json!({"campaing_id": "3002", "telephone": "573001", "status": "read",
            "errors": "", "date": "2026-04-01 10:00:00", "last_update": "2026-04-01 10:05:00"});
        r.as_object_mut().unwrap().remove(drop);
        campaign_9(json!([r]))
    };
    let cases: Vec<(Window, String, Vec<&str>, &str)> = vec![
        (
            april("campaign_9", Some("3002")),
            record("telephone"),
            in_april(&["campaigns", "details", "3002"]),
            "wa-analytics: error: Wolkvox GET /reports_manager.php?api=campaign_9 failed: cannot read Wolkvox's answer to 'campaigns details/export': a campaign_9 record lacks data[].telephone (the answer holds: campaing_id, status, errors, date, last_update).\n",
        ),
        (
            april("campaign_9", Some("all")),
            record("campaing_id"),
            in_april(&["campaigns", "list"]),
            "wa-analytics: error: Wolkvox GET /reports_manager.php?api=campaign_9 failed: cannot read Wolkvox's answer to 'campaigns list': a campaign_9 record lacks data[].campaing_id (the answer holds: telephone, status, errors, date, last_update).\n",
        ),
        (
            april("campaign_9", Some("3002")),
            record("status"),
            in_april(&["campaigns", "summary", "3002"]),
            "wa-analytics: error: Wolkvox GET /reports_manager.php?api=campaign_9 failed: cannot read Wolkvox's answer to 'campaigns summary': a campaign_9 record lacks data[].status (the answer holds: campaing_id, telephone, errors, date, last_update).\n",
        ),
        (
            april("campaign_9", Some("all")),
            record("date"),
            in_april(&["stats"]),
            "wa-analytics: error: Wolkvox GET /reports_manager.php?api=campaign_9 failed: cannot read Wolkvox's answer to 'stats': a campaign_9 record lacks data[].date (the answer holds: campaing_id, telephone, status, errors, last_update).\n",
        ),
        (
            april("chat_14", None),
            r#"{"code":"200","error":null,"msg":"1 records were found","data":[{"chatId":"700001","date":"2026-04-01 10:00:00","source_type":"ad"}]}"#.to_string(),
            in_april(&["clicks"]),
            "wa-analytics: error: Wolkvox GET /reports_manager.php?api=chat_14 failed: cannot read Wolkvox's answer to 'clicks': it lacks data[].chat_id (the answer holds: chatId, date, source_type).\n",
        ),
        (
            april("chat_15", None),
            r#"{"code":"200","error":null,"msg":"1 records were found","data":[{"ads_bot":"3","ads_agent":"4"}]}"#.to_string(),
            in_april(&["clicks", "summary"]),
            "wa-analytics: error: Wolkvox GET /reports_manager.php?api=chat_15 failed: cannot read Wolkvox's answer to 'clicks summary': it has none of the counts data[].ad_chatbot, data[].ad_agents, data[].post_chatbot, data[].post_agents, data[].total_chatbot, data[].total_agents (the answer holds: ads_agent, ads_bot).\n",
        ),
    ];
    for (window_, answer, args, message) in cases {
        let out = window(window_, &answer, &args).await;
        assert_eq!(out.status.code(), Some(6), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{args:?}: nothing printed");
        assert_eq!(
            stderr(&out),
            format!(
                "{message}hint: Wolkvox's answers are not in the shape wa-analytics reads (see 'wa-analytics providers --mapping'); 'wa-analytics api' shows the raw answer\n"
            ),
            "{args:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_field_is_null_with_one_warning_and_unknown_fields_show_at_v() {
    let rows = json!([
        {"campaing_id": "3002", "telephone": "573001", "status": "read", "date": "2026-04-01 10:00:00",
         "last_update": "2026-04-01 10:05:00", "channel": "whatsapp"},
        {"campaing_id": "3002", "telephone": "573002", "status": "failed", "date": "2026-04-02 10:00:00",
         "last_update": "2026-04-02 10:05:00", "channel": "whatsapp"}
    ]);
    let answer = campaign_9(rows);
    let out = window(
        april("campaign_9", Some("3002")),
        &answer,
        &in_april(&[
            "campaigns",
            "details",
            "3002",
            "-f",
            "csv",
            "--fields",
            "contact,status,error",
        ]),
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "contact,status,error\n573001,read,\n573002,error,\n"
    );
    assert_eq!(
        stderr(&out),
        "wa-analytics: warning: Wolkvox's answer to 'campaigns details/export' has no data[].errors: error is null\n",
        "one warning for two rows"
    );
    let out = window(
        april("campaign_9", Some("3002")),
        &answer,
        &in_april(&["-v", "campaigns", "details", "3002", "-f", "csv"]),
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("wa-analytics: Wolkvox's answer to 'campaigns details/export' has fields wa-analytics does not read: channel\n"),
        "{}",
        stderr(&out)
    );
    // A click without its agent: null, one warning.
    let clicks = r#"{"code":"200","error":null,"msg":"2 records were found","data":[
        {"chat_id":"1","source_url":"u","source_type":"ad","source_id":"9","rp_id":"301","media_type":"image","media_url":"m","date":"2026-04-01 10:00:00","cod_act":"Venta"},
        {"chat_id":"2","source_url":"u","source_type":"ad","source_id":"9","rp_id":"301","media_type":"image","media_url":"m","date":"2026-04-01 11:00:00","cod_act":"Venta"}]}"#;
    let out = window(
        april("chat_14", None),
        clicks,
        &in_april(&["clicks", "-f", "csv", "--fields", "chat_id,agent_id,date"]),
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "chat_id,agent_id,date\n1,,2026-04-01T15:00:00Z\n2,,2026-04-01T16:00:00Z\n"
    );
    assert_eq!(
        stderr(&out),
        "wa-analytics: warning: Wolkvox's answer to 'clicks' has no data[].agent_id: agent_id is null\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn rates_over_a_zero_denominator_are_null() {
    // Nothing delivered: read_rate is null (not 0); error_rate is failed / total.
    let rows = json!([
        {"campaing_id": "3002", "telephone": "573001", "status": "accepted", "errors": "",
         "date": "2026-04-01 10:00:00", "last_update": "2026-04-01 10:05:00"},
        {"campaing_id": "3002", "telephone": "573002", "status": "failed", "errors": "131026",
         "date": "2026-04-02 10:00:00", "last_update": "2026-04-02 10:05:00"}
    ]);
    let out = window(
        april("campaign_9", Some("3002")),
        &campaign_9(rows),
        &in_april(&["campaigns", "summary", "3002", "-f", "json"]),
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        got,
        json!({"id": "3002", "name": "3002", "type": null, "total": 2, "sent": 1, "delivered": 0,
               "read": 0, "engaged": null, "errors": 1, "read_rate": null, "engagement_rate": null,
               "error_rate": 0.5, "accepted": 1, "submitted": 0, "other": 0})
    );
    // No records at all (every campaign, a quiet range): every rate is null.
    let out = window(
        april("campaign_9", Some("all")),
        EMPTY,
        &in_april(&["campaigns", "summary", "all", "-f", "csv"]),
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "id,name,type,total,sent,delivered,read,engaged,errors,read_rate,engagement_rate,error_rate,accepted,submitted,other\nall,all,,0,0,0,0,,0,,,,0,0,0\n"
    );
}
