//! What Wolkvox's numbers mean (product.md, "What the numbers mean"): whose days `stats` cuts,
//! records that cannot be read (exit 6, naming the path), missing fields (null and one warning),
//! and rates over nothing (null).

use super::{CAMPAIGN_9, body, config, query, report};
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
