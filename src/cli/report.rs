//! `report`: one self-contained HTML page of the range's numbers (product.md, "Reports"), for one
//! profile or several in one page. Each profile's records come from the code paths of the
//! commands whose numbers the page shows (`stats --total`, `stats`, `campaigns summary`), read
//! at the same time as the other profiles'; [`crate::report`] arranges and draws them.

use std::io::Write;
use std::path::Path;

use clap::Args;
use futures::StreamExt;

use super::accounts;
use super::distinct::{Distinct, Keyer};
use super::{Ctx, RangeArgs};
use crate::error::AppError;
use crate::output::OutputError;
use crate::provider::{Operation, ProviderError, Record, RecordStream};
use crate::report::model::{self, Analytics, ProfileReport, Report, Section};

/// `report`.
#[derive(Debug, Clone, Args)]
#[command(
    after_help = "The page holds: a header (the range, its time zone, the profiles and their vendors, when it was made); the read, engagement and error rates of every profile side by side; then per profile its totals (sent, delivered, read, engaged, errors, with their rates), a funnel chart (sent → delivered → read → engaged), a chart of sent, delivered and read per day, and the campaigns of the range with their summaries, most sent first; footnotes from the mapping say which figures are derived and from what. Every number is what 'stats --total', 'stats' and 'campaigns summary' print as JSON for the same range. Profiles whose vendor has no campaign analytics (Engati, Engagive) are listed as such; a profile that fails is named on the page and on stderr, and the run ends with exit 3.\n\nThe page is one file: charts are inline SVG with their numbers in a table beside them, styles are inline, there is no script, nothing is loaded from any address, and it prints on A4. Examples: wa-analytics --all-profiles report --last 7d -o week.html; wa-analytics -p engage,insider report --from 2026-11-01 --to 2026-11-30 > november.html"
)]
pub struct ReportArgs {
    #[command(flatten)]
    range: RangeArgs,
}

/// Runs `report`.
pub async fn run(args: ReportArgs, ctx: &Ctx) -> Result<(), AppError> {
    check_output(ctx)?;
    let Some(names) = accounts::chosen(ctx)? else {
        let report = one(&args, ctx).await?;
        return write(ctx, &report);
    };
    let profiles = accounts::named(ctx, &names)?;
    let (report, outcomes) = several(&args, ctx, &profiles).await;
    // Skipped and failed profiles said on stderr; the command line's own errors (a bad --tz)
    // and "none has analytics" end the run without a page.
    match accounts::conclude(ctx, &profiles, outcomes, Ok(())) {
        Ok(()) => write(ctx, &report),
        Err(e @ AppError::MissingProfiles { .. }) => {
            write(ctx, &report)?;
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// The page of the run's one profile: its failure is the run's, with its own exit code.
async fn one(args: &ReportArgs, ctx: &Ctx) -> Result<Report, AppError> {
    let profile = ctx.profile()?;
    let section = section(args, ctx, Some(profile.vendor)).await?;
    if matches!(section, Section::NoAnalytics) {
        return Err(no_analytics(profile.vendor).into());
    }
    Ok(Report {
        generated_at: ctx.now,
        profiles: vec![ProfileReport {
            name: profile.name,
            vendor: Some(profile.vendor),
            section,
        }],
    })
}

/// The page of several profiles, read at the same time, each in its place, and what became of
/// each (for [`accounts::conclude`]: `Ok`, skipped for want of analytics, or its failure).
async fn several(
    args: &ReportArgs,
    ctx: &Ctx,
    profiles: &[accounts::Named],
) -> (Report, Vec<Result<(), AppError>>) {
    let sink = crate::log::current();
    let runs = profiles.iter().map(|p| {
        let sub = ctx.for_profile(&p.name);
        let (sink, name, vendor) = (sink.clone(), p.name.clone(), p.vendor);
        async move {
            let run = async { section(args, &sub, vendor).await };
            match &sink {
                Some(sink) => crate::log::scope(sink.for_profile(&name), run).await,
                None => run.await,
            }
        }
    });
    let results = futures::future::join_all(runs).await;
    let mut pages = Vec::with_capacity(results.len());
    let mut outcomes = Vec::with_capacity(results.len());
    for (p, result) in profiles.iter().zip(results) {
        let (section, outcome) = match (result, p.vendor) {
            (Ok(Section::NoAnalytics), Some(vendor)) => {
                (Section::NoAnalytics, Err(no_analytics(vendor).into()))
            }
            (Ok(section), _) => (section, Ok(())),
            (Err(e), _) => (Section::Failed(failure_text(&e)), Err(e)),
        };
        pages.push(ProfileReport {
            name: p.name.clone(),
            vendor: p.vendor,
            section,
        });
        outcomes.push(outcome);
    }
    let report = Report {
        generated_at: ctx.now,
        profiles: pages,
    };
    (report, outcomes)
}

/// The error of a vendor without campaign analytics: in a run over several profiles it is
/// skipped with a line and listed as such on the page; alone, it is exit 2.
fn no_analytics(vendor: crate::vendor::Vendor) -> ProviderError {
    let name = vendor.display_name();
    ProviderError::new(
        crate::provider::ErrorKind::NotSupported,
        name,
        format!(
            "{name} has no campaign analytics (it serves neither 'stats' nor 'campaigns summary'), so a report lists it without numbers"
        ),
    )
    .with_hint(format!(
        "commands {name} supports: {}. Run 'wa-analytics providers' to compare vendors.",
        crate::provider::capabilities_of(vendor)
            .supported_commands()
            .join(", ")
    ))
}

/// A profile's error as the page says it: the paragraph of stderr, without its prefix.
fn failure_text(e: &AppError) -> String {
    let text = crate::error::paragraph(e, false, None);
    text.strip_prefix("wa-analytics: error: ")
        .unwrap_or(&text)
        .to_string()
}

/// One profile's part of the page: its records from the commands' code paths, read together.
async fn section(
    args: &ReportArgs,
    ctx: &Ctx,
    vendor: Option<crate::vendor::Vendor>,
) -> Result<Section, AppError> {
    if vendor.is_some_and(|v| !model::has_analytics(v)) {
        return Ok(Section::NoAnalytics);
    }
    let account = ctx.account()?;
    let vendor = account.profile.vendor;
    let campaigns = ctx.capability(&account, Operation::StatsTotal, |p| p.campaigns())?;
    let stats_query = super::stats::query(ctx, Operation::Stats, &args.range, &account.profile)?;
    let summaries_query = super::campaigns::summaries_query(ctx, &args.range, &account.profile)?;
    let (total, days, summaries) = futures::try_join!(
        async {
            super::stats::totals(vendor, campaigns, &stats_query)
                .await
                .map_err(AppError::from)
        },
        collect(super::stats::periods(vendor, campaigns, &stats_query)),
        collect(super::campaigns::summaries(
            vendor,
            campaigns,
            &summaries_query
        )),
    )?;
    Ok(Section::Analytics(Box::new(Analytics::new(
        vendor,
        stats_query.range.range,
        stats_query.zone,
        stats_query.range.explicit,
        total,
        days,
        summaries,
    ))))
}

/// Every record of `stream`, each once, as the writer of the commands keeps them
/// ([`Record::identity`]); distinct rows short of what the vendor counts are an incomplete
/// result (exit 3), as they are for the commands.
pub(super) async fn collect<T: Record>(
    mut stream: RecordStream<'_, T>,
) -> Result<Vec<T>, AppError> {
    let mut distinct = Distinct::default();
    let keyer = Keyer::default();
    let mut all = Vec::new();
    while let Some(page) = stream.next().await {
        let page = page?;
        if let Some(counted) = page.counted() {
            distinct.count(counted);
        }
        let records = page.decode()?;
        let keys = keyer.keys(&records);
        all.extend(distinct.admit(records, &keys));
    }
    distinct.check(None)?;
    Ok(all)
}

/// `-o` and `-f` before any request: the page is HTML (`-o` ending `.html` or `.htm`, in a folder
/// that exists); `-f`, `--fields` and `--jq` choose among data formats, columns and values, which
/// a page has not.
fn check_output(ctx: &Ctx) -> Result<(), AppError> {
    if ctx.global.jq.is_some() {
        return Err(AppError::usage(
            "report writes an HTML page, which --jq cannot filter",
            "drop --jq; to filter the page's numbers, use --jq with 'stats --total', 'stats' or 'campaigns summary'",
        ));
    }
    if let Some(fields) = &ctx.global.fields {
        return Err(AppError::usage(
            format!(
                "report takes no --fields ({fields}): the page shows every figure of its commands"
            ),
            "drop --fields; for chosen columns, use 'stats --total', 'stats' or 'campaigns summary' with --fields",
        ));
    }
    // A format from the environment is the default of the data commands, not a request.
    let from_env = (ctx.env)("WA_ANALYTICS_FORMAT")
        .and_then(|env| <crate::output::Format as clap::ValueEnum>::from_str(&env, true).ok());
    if let Some(format) = ctx.global.format.filter(|f| Some(*f) != from_env) {
        let name = <crate::output::Format as clap::ValueEnum>::to_possible_value(&format)
            .map_or_else(String::new, |v| v.get_name().to_string());
        return Err(AppError::usage(
            format!("report writes an HTML page; -f {name} does not apply to it"),
            "drop -f; for the numbers as data, use 'stats --total', 'stats' or 'campaigns summary' with -f",
        ));
    }
    let Some(path) = &ctx.global.output else {
        return Ok(());
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if !matches!(ext.as_deref(), Some("html" | "htm")) {
        return Err(AppError::usage(
            format!(
                "report writes an HTML page, but -o {} does not end in .html",
                path.display()
            ),
            "name the file with .html, e.g. -o report.html",
        ));
    }
    if path.is_dir() {
        return Err(OutputError::Folder {
            path: path.display().to_string(),
        }
        .into());
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !folder.is_dir() {
        return Err(AppError::usage(
            format!(
                "cannot write {}: the folder {} does not exist",
                path.display(),
                folder.display()
            ),
            "create the folder first, or give -o a file in a folder that exists",
        ));
    }
    Ok(())
}

/// Writes the page: to stdout, or to `-o` as every output goes there (a file replaced atomically,
/// a FIFO written straight through).
fn write(ctx: &Ctx, report: &Report) -> Result<(), AppError> {
    let page = crate::report::html::page(report);
    // A vendor's text on the page (a campaign's name, an error) never carries a secret.
    let page = crate::secret::scrub(&page);
    let Some(path) = &ctx.global.output else {
        return print(ctx, page.as_bytes());
    };
    let io = |source| OutputError::Io {
        target: path.display().to_string(),
        source,
    };
    crate::output::write_whole(path, page.as_bytes()).map_err(io)?;
    if ctx.io.stderr_is_terminal {
        note!("wrote the report to {}", path.display());
    } else {
        info!("wrote the report to {}", path.display());
    }
    Ok(())
}

/// Writes `bytes` to stdout (a closed pipe is the quiet success the run makes of it).
pub(super) fn print(ctx: &Ctx, bytes: &[u8]) -> Result<(), AppError> {
    let mut out = ctx.stdout();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|source| OutputError::Io {
            target: "standard output".into(),
            source,
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command, Host};
    use clap::Parser;

    /// The run's clock: the sandbox's data are anchored to it, so every run sees the same.
    fn now() -> chrono::DateTime<chrono::Utc> {
        "2026-12-03T12:00:00Z".parse().unwrap()
    }

    /// The page model of `--demo --all-profiles report ARGS…`, as the command builds it.
    async fn demo_report(range: &[&str]) -> Report {
        let home = tempfile::tempdir().unwrap();
        let mut line = vec!["wa-analytics", "--demo", "--all-profiles", "report"];
        line.extend(range);
        let cli = Cli::try_parse_from(line).unwrap();
        let Command::Report(args) = cli.command else {
            panic!("not report")
        };
        let (host, _captured) = Host::test(&[("HOME", home.path().to_str().unwrap())], now());
        let mut ctx = Ctx::new(cli.global, host);
        let _sandbox = crate::cli::sandbox::start_demo(&mut ctx).await.unwrap();
        let names = accounts::chosen(&ctx).unwrap().unwrap();
        let profiles = accounts::named(&ctx, &names).unwrap();
        let (report, outcomes) = several(&args, &ctx, &profiles).await;
        for (p, outcome) in report.profiles.iter().zip(&outcomes) {
            match (&p.section, outcome) {
                (Section::Analytics(_), Ok(())) | (Section::NoAnalytics, Err(_)) => {}
                (section, outcome) => panic!("{}: {section:?} ended {outcome:?}", p.name),
            }
        }
        report
    }

    /// What `--demo -p PROFILE ARGS…` prints as JSON.
    async fn demo_json(profile: &str, command: &[&str]) -> serde_json::Value {
        let home = tempfile::tempdir().unwrap();
        let mut line = vec!["wa-analytics", "--demo", "-p", profile, "-f", "json"];
        line.extend(command);
        let (host, captured) = Host::test(&[("HOME", home.path().to_str().unwrap())], now());
        let code = crate::run_async(line, host).await;
        assert_eq!(code, 0, "{}", captured.stderr());
        serde_json::from_str(&captured.stdout()).unwrap()
    }

    /// A day's period, sent, delivered and read.
    type Day = (String, Option<u64>, Option<u64>, Option<u64>);

    fn count(json: &serde_json::Value, field: &str) -> Option<u64> {
        json[field].as_u64()
    }

    #[tokio::test]
    async fn each_profile_has_the_numbers_its_json_commands_print_in_the_files_order() {
        let report = demo_report(&["--last", "30d"]).await;
        let names: Vec<(&str, bool)> = report
            .profiles
            .iter()
            .map(|p| (p.name.as_str(), matches!(p.section, Section::Analytics(_))))
            .collect();
        assert_eq!(
            names,
            [
                ("engage", true),
                ("engati", false),
                ("insider", true),
                ("wolkvox", true),
                ("engagive", false)
            ]
        );
        for (p, a) in report.analytics() {
            let total = demo_json(&p.name, &["stats", "--total", "--last", "30d"]).await;
            for field in model::FIGURES {
                let page = match field {
                    "total" => a.total.total,
                    "sent" => a.total.sent,
                    "delivered" => a.total.delivered,
                    "read" => a.total.read,
                    "engaged" => a.total.engaged,
                    "errors" => a.total.errors,
                    _ => continue,
                };
                assert_eq!(page, count(&total, field), "{} {field}", p.name);
            }
            assert_eq!(a.total.read_rate, total["read_rate"].as_f64(), "{}", p.name);
            let days = demo_json(&p.name, &["stats", "--last", "30d"]).await;
            let json_days: Vec<Day> = days
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    (
                        d["period"].as_str().unwrap().to_string(),
                        count(d, "sent"),
                        count(d, "delivered"),
                        count(d, "read"),
                    )
                })
                .collect();
            let page_days: Vec<_> = a
                .days
                .iter()
                .map(|d| (d.period.to_string(), d.sent, d.delivered, d.read))
                .collect();
            assert_eq!(page_days, json_days, "{}", p.name);
            assert!(
                !page_days.is_empty(),
                "{}: the sandbox sends every day",
                p.name
            );
        }
    }

    #[tokio::test]
    async fn campaigns_are_the_summaries_of_the_range_most_sent_first() {
        let report = demo_report(&["--last", "30d"]).await;
        for (p, a) in report.analytics() {
            let json = demo_json(&p.name, &["campaigns", "summary", "--last", "30d"]).await;
            let mut expected: Vec<(Option<String>, Option<u64>)> = json
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (c["id"].as_str().map(String::from), count(c, "sent")))
                .collect();
            // Most sent first; the list's order among equals.
            expected.sort_by_key(|(_, sent)| std::cmp::Reverse(sent.map_or(0, |s| s + 1)));
            let page: Vec<_> = a.campaigns.iter().map(|c| (c.id.clone(), c.sent)).collect();
            assert_eq!(page, expected, "{}", p.name);
            assert!(page.len() > 1, "{}: several campaigns to order", p.name);
            assert!(
                page.windows(2).all(|w| w[0].1 >= w[1].1),
                "{}: {page:?}",
                p.name
            );
        }
    }

    #[tokio::test]
    async fn derived_figures_and_missing_ones_are_marked_from_the_mapping() {
        let report = demo_report(&["--last", "7d"]).await;
        let of = |name: &str| {
            report
                .analytics()
                .find(|(p, _)| p.name == name)
                .map(|(_, a)| a.clone())
                .unwrap()
        };
        let wolkvox = of("wolkvox");
        let engaged: Vec<_> = wolkvox
            .footnotes
            .iter()
            .filter(|f| f.field == "engaged")
            .collect();
        assert_eq!(engaged.len(), 1);
        assert!(!engaged[0].derived);
        assert!(
            engaged[0]
                .text
                .starts_with("null (the vendor has no such figure)")
        );
        assert_eq!(
            engaged[0].commands,
            ["stats --total", "stats", "campaigns summary"]
        );
        let read_rate = &wolkvox.footnotes[wolkvox.footnotes_of("read_rate")[0] - 1];
        assert!(read_rate.derived);
        assert!(read_rate.text.starts_with("derived: read / delivered"));
        // Engage's daily figures are its own; its totals are the days summed.
        let engage = of("engage");
        let sent = &engage.footnotes[engage.footnotes_of("sent")[0] - 1];
        assert_eq!(sent.commands, ["stats --total"]);
        assert!(sent.text.starts_with("derived: sum(data[].sent)"));
        // Insider's rates are computed from its counts, for the totals and the campaigns alike.
        let insider = of("insider");
        let notes = insider.footnotes_of("engagement_rate");
        assert_eq!(notes.len(), 1);
        assert_eq!(
            insider.footnotes[notes[0] - 1].commands,
            ["stats --total", "campaigns summary"]
        );
        // A figure read from the vendor's own field has no mark.
        assert!(insider.footnotes_of("sent").is_empty());
    }
}
