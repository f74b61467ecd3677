//! `report` (product.md, "Reports"; issue 15) against the built-in sandbox: every number on the
//! page is the one the JSON commands print for the same range and profiles; the page loads
//! nothing from any address; a real headless Chromium renders it (not blank, no console
//! message); a failing profile is named on the page (exit 3); the output options a page cannot
//! honour are exit 2. And the terminal's charts: `stats --chart` and the `campaigns summary`
//! funnel table, line for line at a fixed `COLUMNS`.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde_json::Value;
use wa_analytics::sandbox::{Sandbox, SandboxOptions};

use crate::support::{Home, json_ok, run, stderr, stdout};

/// The sandbox's data end here, so every run (and every day the tests run) sees the same data.
fn data_end() -> chrono::DateTime<chrono::Utc> {
    "2026-12-01T00:00:00Z".parse().unwrap()
}

/// A range the sandbox has campaigns and daily figures in at every analytics vendor.
const RANGE: [&str; 4] = ["--from", "2026-10-20", "--to", "2026-11-30"];

/// A sandbox whose data end at [`data_end`] and a HOME whose config has its profile of every
/// vendor (engage, engati, insider, wolkvox, engagive), plus `extra` TOML.
async fn sandbox_home(extra: &str) -> (Sandbox, Home) {
    let sandbox = Sandbox::start_anchored(SandboxOptions::default(), data_end())
        .await
        .unwrap();
    let home = Home::new();
    home.write_config(&format!("{}{extra}", sandbox.config_toml()));
    (sandbox, home)
}

/// `wa-analytics ARGS… RANGE` in `home`.
async fn wa(home: &Home, args: &[&str]) -> std::process::Output {
    let mut cmd = home.cmd();
    cmd.args(args).args(RANGE);
    run(cmd).await
}

/// The page of `--all-profiles report RANGE -o report.html`, which must succeed.
async fn page(home: &Home) -> String {
    let out = wa(home, &["--all-profiles", "report", "-o", "report.html"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "the page went to the file only");
    home.assert_no_temp_files();
    std::fs::read_to_string(home.path().join("report.html")).unwrap()
}

/// A figure's cell on the page: which table, profile, row (a day, a campaign id) and field,
/// and its value as JSON prints it (`None`: null).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Cell {
    table: String,
    profile: String,
    row: Option<String>,
    field: String,
}

/// Every figure cell of the page (`<td … data-table=…>`), read from its attributes.
fn cells(page: &str) -> BTreeMap<Cell, Option<String>> {
    let mut found = BTreeMap::new();
    for (at, _) in page.match_indices("<td ") {
        let tag = &page[at..at + page[at..].find('>').unwrap()];
        let attrs = attributes(tag);
        let Some(table) = attrs.get("data-table") else {
            continue;
        };
        let cell = Cell {
            table: table.clone(),
            profile: attrs["data-profile"].clone(),
            row: attrs.get("data-row").cloned(),
            field: attrs["data-field"].clone(),
        };
        let previous = found.insert(cell.clone(), attrs.get("data-value").cloned());
        assert!(previous.is_none(), "{cell:?} is on the page twice");
    }
    found
}

/// The `name="value"` attributes of a tag, values unescaped.
fn attributes(tag: &str) -> BTreeMap<String, String> {
    let mut attrs = BTreeMap::new();
    let mut rest = tag;
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq].rsplit(' ').next().unwrap().to_string();
        let value_end = rest[eq + 2..].find('"').unwrap();
        let value = &rest[eq + 2..eq + 2 + value_end];
        attrs.insert(name, unescape(value));
        rest = &rest[eq + 2 + value_end + 1..];
    }
    attrs
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A JSON figure as the page's `data-value` holds it.
fn figure(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// The rows of a JSON command over every profile, each with its profile name.
fn rows(json: &Value) -> Vec<(String, &serde_json::Map<String, Value>)> {
    json.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let r = r.as_object().unwrap();
            (r["profile"].as_str().unwrap().to_string(), r)
        })
        .collect()
}

const COUNTS: [&str; 6] = ["total", "sent", "delivered", "read", "engaged", "errors"];
const RATES: [&str; 3] = ["read_rate", "engagement_rate", "error_rate"];

#[tokio::test(flavor = "multi_thread")]
async fn every_number_on_the_page_is_the_one_the_json_commands_print() {
    let (_sandbox, home) = sandbox_home("").await;
    let page = page(&home).await;
    let on_page = cells(&page);
    let mut expected: BTreeMap<Cell, Option<String>> = BTreeMap::new();
    let mut put = |table: &str, profile: &str, row: Option<&str>, field: &str, v: &Value| {
        let cell = Cell {
            table: table.into(),
            profile: profile.into(),
            row: row.map(String::from),
            field: field.into(),
        };
        expected.insert(cell, figure(v));
    };
    let totals = json_ok(&wa(&home, &["--all-profiles", "-f", "json", "stats", "--total"]).await);
    let profiles: Vec<String> = rows(&totals).into_iter().map(|(p, _)| p).collect();
    assert_eq!(profiles, ["engage", "insider", "wolkvox"]);
    for (profile, row) in rows(&totals) {
        for field in COUNTS.iter().chain(&RATES) {
            put("totals", &profile, None, field, &row[*field]);
        }
        for field in RATES {
            put("rates", &profile, None, field, &row[field]);
        }
    }
    let days = json_ok(&wa(&home, &["--all-profiles", "-f", "json", "stats"]).await);
    for (profile, row) in rows(&days) {
        let period = row["period"].as_str().unwrap();
        for field in ["sent", "delivered", "read"] {
            put("days", &profile, Some(period), field, &row[field]);
        }
    }
    let campaigns = json_ok(
        &wa(
            &home,
            &["--all-profiles", "-f", "json", "campaigns", "summary"],
        )
        .await,
    );
    for (profile, row) in rows(&campaigns) {
        let id = row["id"].as_str().unwrap();
        for field in COUNTS.iter().chain(&RATES) {
            put("campaigns", &profile, Some(id), field, &row[*field]);
        }
    }
    // The same cells, no more and no fewer, with the same figures.
    let differing: Vec<_> = expected
        .iter()
        .filter(|(cell, v)| on_page.get(*cell) != Some(*v))
        .collect();
    assert!(
        differing.is_empty(),
        "page differs from JSON: {differing:?}"
    );
    let extra: Vec<_> = on_page
        .keys()
        .filter(|c| !expected.contains_key(*c))
        .collect();
    assert!(
        extra.is_empty(),
        "figures the JSON does not print: {extra:?}"
    );
    for table in ["totals", "rates", "days", "campaigns"] {
        assert!(
            on_page.keys().any(|c| c.table == table),
            "no {table} on the page"
        );
    }
    // The campaigns come most sent first, in each profile.
    for profile in &profiles {
        let order: Vec<u64> = page_campaign_sent(&page, profile);
        assert!(order.len() > 1, "{profile}");
        assert!(
            order.windows(2).all(|w| w[0] >= w[1]),
            "{profile}: {order:?}"
        );
    }
    // Vendors without analytics are listed as such.
    for (name, vendor) in [("engati", "Engati"), ("engagive", "Engagive")] {
        assert!(
            page.contains(&format!(
                "<h2>{name} — {vendor}</h2><p class=\"none\">{vendor} has no campaign analytics"
            )),
            "{name}"
        );
    }
    // A name with quotes and emoji is text.
    assert!(page.contains("<td>Descuento 20 % + envío &quot;gratis&quot;</td>"));
    assert!(page.contains("<td>Lanzamiento 🚀 Q1</td>"));
}

/// The sent figures of `profile`'s campaign rows, in page order.
fn page_campaign_sent(page: &str, profile: &str) -> Vec<u64> {
    let needle = format!("data-table=\"campaigns\" data-profile=\"{profile}\" data-row=\"",);
    page.match_indices(&needle)
        .filter_map(|(at, _)| {
            let tag = &page[at..at + page[at..].find('>').unwrap()];
            let attrs = attributes(&format!(" {tag}"));
            (attrs["data-field"] == "sent").then(|| attrs["data-value"].parse().unwrap())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_page_loads_nothing_from_any_address() {
    let (_sandbox, home) = sandbox_home("").await;
    let page = page(&home).await;
    let lower = page.to_ascii_lowercase();
    for attr in [
        "src=",
        "href=",
        "xlink:href=",
        "srcset=",
        "action=",
        "poster=",
    ] {
        for (at, _) in lower.match_indices(attr) {
            // The attribute's own name, not the end of another (`data-src=`).
            if !lower[..at].ends_with(' ') {
                continue;
            }
            let value = lower[at + attr.len()..].trim_start_matches('"');
            assert!(
                value.starts_with('#') || value.starts_with("data:"),
                "{attr} loads {}",
                &value[..value.len().min(60)]
            );
        }
    }
    assert!(!lower.contains("@import"));
    for (at, _) in lower.match_indices("url(") {
        let value = lower[at + 4..].trim_start_matches(['"', '\'', ' ']);
        assert!(value.starts_with("data:"), "url({})", &value[..40]);
    }
    assert!(!lower.contains("<script"), "no script");
    assert!(!lower.contains("<link"), "no style sheet or icon");
    assert!(!lower.contains("<iframe") && !lower.contains("<object"));
    // What the page holds instead: inline styles with print rules, inline SVG charts.
    assert!(lower.contains("<style>") && lower.contains("@media print"));
    assert!(lower.contains("size: a4"));
    let charts = lower.matches("<svg").count();
    // The rates across profiles, then a funnel and a daily chart per profile with analytics.
    assert_eq!(charts, 1 + 2 * 3);
    assert_eq!(
        lower.matches("<svg").count(),
        lower.matches("<title>").count() - 1
    );
}

/// Chromium, where this machine has it.
fn chromium() -> Option<std::path::PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.exists())
}

/// Renders `file` in headless Chromium: the screenshot's PNG and the console messages it
/// logged. With `--enable-logging=stderr --v=0` Chromium writes every console message of the
/// page (console.log/warn/error and uncaught exceptions) to stderr as a line with `:CONSOLE`;
/// nothing else it logs has that mark (its D-Bus and GPU complaints are its own).
fn render(chromium: &Path, file: &Path, dir: &Path) -> (Vec<u8>, Vec<String>) {
    let shot = dir.join(format!(
        "{}.png",
        file.file_stem().unwrap().to_string_lossy()
    ));
    let mut cmd = std::process::Command::new(chromium);
    cmd.args([
        "--headless",
        "--disable-gpu",
        "--hide-scrollbars",
        "--window-size=1200,1800",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", dir.join("profile").display()))
    .arg(format!("--screenshot={}", shot.display()))
    .arg(format!("file://{}", file.display()))
    .env("HOME", dir);
    // As root, Chromium refuses to start without its sandbox turned off.
    if unsafe { libc::geteuid() } == 0 {
        cmd.arg("--no-sandbox");
    }
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "chromium failed: {err}");
    let console = err
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(String::from)
        .collect();
    (std::fs::read(&shot).unwrap(), console)
}

/// The distinct colours of a PNG.
fn colours(png_bytes: &[u8]) -> usize {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let pixel = info.color_type.samples();
    buf[..info.buffer_size()]
        .chunks(pixel)
        .map(|p| p.to_vec())
        .collect::<HashSet<_>>()
        .len()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_real_browser_renders_the_page_with_no_console_message() {
    let Some(chromium) = chromium() else {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI must have Chromium (.ci/run installs it): the page was not rendered"
        );
        eprintln!(
            "skipped: no Chromium at /usr/bin/chromium (CI installs it; apt-get install chromium)"
        );
        return;
    };
    let (_sandbox, home) = sandbox_home("").await;
    let page = page(&home).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    std::fs::write(&file, &page).unwrap();
    // The checks can fail: a blank page is one colour, and a script's error is seen.
    let blank = dir.path().join("blank.html");
    std::fs::write(
        &blank,
        "<!DOCTYPE html><html><body><script>console.error('seen')</script></body></html>",
    )
    .unwrap();
    let (png, console) = render(&chromium, &blank, dir.path());
    assert_eq!(colours(&png), 1);
    assert_eq!(console.len(), 1, "{console:?}");
    assert!(console[0].contains("\"seen\""));
    let (png, console) = render(&chromium, &file, dir.path());
    assert!(console.is_empty(), "the page logged: {console:?}");
    // Text, bars in several colours, table rules: far more than a handful of colours.
    assert!(colours(&png) > 16, "the screenshot is (nearly) blank");
    if let Ok(keep) = std::env::var("WA_REPORT_SCREENSHOT") {
        std::fs::write(keep, &png).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_profile_is_named_on_the_page_and_the_run_ends_with_exit_3() {
    let extra = "\n[profiles.insider-bad]\nprovider = \"insider\"\nbase_url = \"http://127.0.0.1:1\"\nclient_id = \"nope\"\nclient_secret = \"wrong-secret-canary\"\n";
    let (_sandbox, home) = sandbox_home(extra).await;
    for output in [None, Some("report.html")] {
        let mut args = vec![
            "--retries",
            "1",
            "-p",
            "engage,insider-bad,engati",
            "report",
        ];
        if let Some(file) = output {
            args.extend(["-o", file]);
        }
        let out = wa(&home, &args).await;
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(3), "{err}");
        let page = match output {
            Some(file) => std::fs::read_to_string(home.path().join(file)).unwrap(),
            None => stdout(&out),
        };
        assert!(page.contains("<h2>insider-bad — Insider</h2><p class=\"error\">This profile failed, so it has no numbers here:\nInsider POST /auth/token failed"), "{page}");
        assert!(
            page.contains(
                "Incomplete: 1 of 3 profiles failed and have no numbers here: insider-bad."
            )
        );
        // The others are whole.
        assert!(page.contains("data-table=\"totals\" data-profile=\"engage\" data-field=\"sent\""));
        assert!(page.contains("<h2>engati — Engati</h2><p class=\"none\">"));
        let lines: Vec<&str> = err.lines().collect();
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("wa-analytics: error: profile 'insider-bad': Insider")),
            "{err}"
        );
        assert!(
            lines.contains(
                &"wa-analytics: skipped profile 'engati': Engati has no campaign analytics (it serves neither 'stats' nor 'campaigns summary'), so a report lists it without numbers"),
            "{err}"
        );
        assert!(
            lines.last().unwrap().starts_with(
                "wa-analytics: error: the result is missing 1 of 3 profiles: insider-bad"
            ),
            "{err}"
        );
        assert!(!err.contains("wrong-secret-canary") && !page.contains("wrong-secret-canary"));
        home.assert_no_temp_files();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn output_options_a_page_cannot_honour_are_exit_2_before_any_request() {
    let home = Home::new();
    // Nothing listens here: a request would be exit 6, not 2.
    home.engage_config("http://127.0.0.1:1/engage");
    std::fs::write(home.path().join("keep.html"), "previous").unwrap();
    for (args, says) in [
        (
            vec!["report", "-f", "json"],
            "report writes an HTML page; -f json does not apply to it",
        ),
        (
            vec!["report", "--fields", "sent"],
            "report takes no --fields (sent)",
        ),
        (
            vec!["report", "-o", "page.csv"],
            "report writes an HTML page, but -o page.csv does not end in .html",
        ),
        (
            vec!["report", "-o", "missing/page.html"],
            "cannot write missing/page.html: the folder missing does not exist",
        ),
        (
            vec!["stats", "--chart", "-f", "csv"],
            "--chart draws text bars; it cannot be written as -f csv",
        ),
        (
            vec!["stats", "--chart", "--total"],
            "--chart draws the periods",
        ),
        (
            vec!["stats", "--chart", "-o", "x.txt"],
            "--chart draws on the terminal",
        ),
        (
            vec!["report", "--jq", ".[]"],
            "report writes an HTML page, which --jq cannot filter",
        ),
        (
            vec!["stats", "--chart", "--jq", ".[]"],
            "--chart draws text bars, which --jq cannot filter",
        ),
    ] {
        let out = wa(&home, &args).await;
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.starts_with(&format!("wa-analytics: error: {says}")),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty());
    }
    assert_eq!(
        std::fs::read_to_string(home.path().join("keep.html")).unwrap(),
        "previous"
    );
    // Profiles of which none has analytics: exit 2, no page.
    let (_sandbox, home) = sandbox_home("").await;
    let out = wa(&home, &["-p", "engati,engagive", "report", "-o", "r.html"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "none of the profiles (engati: Engati, engagive: Engagive) serves this command"
        ),
        "{}",
        stderr(&out)
    );
    assert!(!home.path().join("r.html").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn stats_chart_draws_the_periods_as_bars_fitted_to_columns() {
    let (_sandbox, home) = sandbox_home("").await;
    let mut cmd = home.cmd();
    cmd.env("COLUMNS", "60").args([
        "-p",
        "engage",
        "stats",
        "--chart",
        "--from",
        "2026-11-24",
        "--to",
        "2026-11-30",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json = json_ok(&{
        let mut cmd = home.cmd();
        cmd.args([
            "-p",
            "engage",
            "-f",
            "json",
            "stats",
            "--from",
            "2026-11-24",
            "--to",
            "2026-11-30",
        ]);
        run(cmd).await
    });
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "Messages per day, 2026-11-24 00:00 to 2026-12-01 00:00 (UTC)",
            "░ sent  ▒ delivered  ▓ read",
            "period     sent delivered read",
        ]
    );
    // One line a day, its counts those of `stats -f json`, each bar scaled to the largest.
    let days = json.as_array().unwrap();
    assert_eq!(lines.len(), 3 + days.len());
    let largest = days
        .iter()
        .map(|d| d["sent"].as_u64().unwrap())
        .max()
        .unwrap();
    for (line, day) in lines[3..].iter().zip(days) {
        let n = |f: &str| day[f].as_u64().unwrap();
        let counts = format!(
            "{} {:>4} {:>9} {:>4}  ",
            day["period"].as_str().unwrap(),
            n("sent"),
            n("delivered"),
            n("read")
        );
        assert!(line.starts_with(&counts), "{line:?} vs {counts:?}");
        let bar = &line[counts.len()..];
        // 60 columns: 10 for the period, 20 for the counts, 2 spaces, 28 for the bar.
        let cells = |v: u64| ((v * 28 + largest / 2) / largest).max(u64::from(v > 0)) as usize;
        assert_eq!(bar.chars().count(), cells(n("sent")), "{line}");
        assert_eq!(
            bar.chars().filter(|c| *c == '▓').count(),
            cells(n("read")),
            "{line}"
        );
        assert_eq!(
            bar.chars().filter(|c| *c != '░').count(),
            cells(n("delivered")),
            "{line}"
        );
    }
    assert_eq!(lines.iter().map(|l| l.chars().count()).max(), Some(60));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_campaigns_summary_table_shows_the_funnel_as_bars_and_csv_is_unchanged() {
    let (_sandbox, home) = sandbox_home("").await;
    let mut cmd = home.cmd();
    cmd.env("COLUMNS", "64")
        .args(["-p", "engage", "-f", "table", "campaigns", "summary"])
        .args(RANGE);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // 64 columns: 28 for the counts and 2 before the bar leave 34; the bar keeps its minimum
    // of 10 and the longest name is cut to the 24 left. Each bar is 10 cells for the largest
    // sent (477), each step's shade as far as its count reaches (418 → 9, 290 → 6, 108 → 2).
    assert_eq!(
        stdout(&out),
        "Campaigns of engage, 2026-10-20 00:00 to 2026-12-01 00:00 (UTC): messages by funnel step\n\
         ░ sent  ▒ delivered  ▓ read  █ engaged\n\
         campaign                 sent delivered read engaged\n\
         Promo a/b #2?             477       418  290     108  ██▓▓▓▓▒▒▒░\n\
         Re-engagement 100%        476       421  300     116  ██▓▓▓▓▒▒▒░\n\
         Descuento 20 % + envío …  464       413  300     126  ███▓▓▓▒▒▒░\n\
         Lanzamiento 🚀 Q1           0         0    0       0\n"
    );
    // CSV is the data, as before: no bars.
    let csv = stdout(
        &wa(
            &home,
            &["-p", "engage", "-f", "csv", "campaigns", "summary"],
        )
        .await,
    );
    assert!(csv.starts_with(
        "id,name,type,total,sent,delivered,read,engaged,errors,read_rate,engagement_rate,error_rate"
    ));
    assert!(!csv.contains('░'));
}

#[tokio::test]
async fn a_fifo_gets_the_page_straight_through_and_stays_a_fifo() {
    use std::os::unix::fs::FileTypeExt;
    let (_sandbox, home) = sandbox_home("").await;
    let fifo = home.path().join("report.html");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    // Were the FIFO replaced by a file, the reader would stay blocked and the test fail on
    // the time-out instead of hanging.
    let (tx, rx) = std::sync::mpsc::channel();
    {
        let fifo = fifo.clone();
        std::thread::spawn(move || tx.send(std::fs::read_to_string(fifo).unwrap()));
    }
    let out = wa(&home, &["-p", "engage", "report", "-o", "report.html"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let received = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the reader of the FIFO got the page");
    assert!(
        received.starts_with("<!DOCTYPE html>"),
        "{}",
        &received[..80.min(received.len())]
    );
    assert!(received.trim_end().ends_with("</html>"));
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(meta.file_type().is_fifo(), "still a FIFO");
    home.assert_no_temp_files();
}
