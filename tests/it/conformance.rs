//! One conformance suite, looped over every vendor: the real binary against each vendor's built-in
//! sandbox (`--demo --provider V`) holds every vendor to what it declares. Every command it
//! declares native or derived runs and returns records of the unified shape (the common fields,
//! then the vendor's declared extras); every command it declares unsupported ends with exit 2,
//! naming the vendor and what it does serve; and `providers` prints exactly the declared table.
//! The expectations come from the library's declaration, never from a copy of it.

use std::collections::HashMap;

use serde_json::Value;
use wa_analytics::provider::{Facet, Operation, Support, capabilities_of, mapping};
use wa_analytics::vendor::Vendor;

use crate::support::{Home, stderr, stdout};

/// The unified fields of `op`'s records, in output order: the record type's common fields, then
/// the vendor's declared extras.
fn unified_fields(vendor: Vendor, op: Operation) -> Vec<String> {
    mapping::fields_of(vendor, op)
        .into_iter()
        .map(|f| f.name.to_string())
        .collect()
}

/// Whether `op` prints one object (else an array of records).
fn prints_one_object(op: Operation) -> bool {
    matches!(
        op,
        Operation::CampaignsSummary
            | Operation::StatsTotal
            | Operation::ClicksSummary
            | Operation::TemplatesShow
            | Operation::SendTemplate
            | Operation::SendReaction
            | Operation::SendMessage
            | Operation::Broadcast
            | Operation::BroadcastExternal
            | Operation::Trigger
    )
}

/// What earlier commands of a vendor's run found (a campaign, a user, a message id), for the
/// commands that need one.
#[derive(Default)]
struct Found {
    values: HashMap<&'static str, String>,
}

impl Found {
    fn get(&self, key: &str, default: &str) -> String {
        self.values
            .get(key)
            .cloned()
            .unwrap_or_else(|| default.to_string())
    }
}

/// The range every analytics sample reads: wide enough that every sandbox has sends in it.
const RANGE: [&str; 2] = ["--last", "60d"];

/// A working command line for `op` (the part after the global options), and the text a user
/// would type as its command (what a "not supported" message names). A new operation does not
/// compile until it has a sample.
fn sample(vendor: Vendor, op: Operation, found: &Found) -> (Vec<String>, &'static str) {
    let campaign = found.get("campaign", "1");
    let user = found.get("user", "573000000001");
    let message = found.get("message", "wamid.conformance");
    let (args, typed): (Vec<String>, &'static str) = match op {
        Operation::CampaignsList => (words(&["campaigns", "list"], &RANGE), op.command()),
        Operation::CampaignsSummary => (
            words(&["campaigns", "summary", &campaign], &RANGE),
            op.command(),
        ),
        Operation::CampaignsDetails => (
            words(
                &["campaigns", "details", &campaign, "--limit", "20"],
                &RANGE,
            ),
            "campaigns details",
        ),
        Operation::Stats => (words(&["stats"], &RANGE), op.command()),
        Operation::StatsByCampaign => (words(&["stats", "--by-campaign"], &RANGE), op.command()),
        Operation::StatsTotal => (words(&["stats", "--total"], &RANGE), op.command()),
        Operation::TransactionalStats => (
            words(&["stats", "--report", "transactional", "--last", "7d"], &[]),
            op.command(),
        ),
        Operation::VerifyStats => (
            words(&["stats", "--report", "verify", "--last", "7d"], &[]),
            op.command(),
        ),
        Operation::Clicks => (words(&["clicks"], &RANGE), op.command()),
        Operation::ClicksSummary => (words(&["clicks", "summary"], &RANGE), op.command()),
        Operation::UsersFind => (
            words(
                &["users", "find", "--attribute", "plan", "--value", "gold"],
                &[],
            ),
            op.command(),
        ),
        Operation::Conversations => (
            words(&["conversations", &user, "--limit", "5"], &[]),
            op.command(),
        ),
        Operation::TemplatesList => (words(&["templates", "list"], &[]), op.command()),
        Operation::TemplatesShow => (
            words(&["templates", "show", "order_shipped"], &[]),
            op.command(),
        ),
        Operation::TemplatesContents => (
            words(&["templates", "contents", "order_shipped"], &[]),
            op.command(),
        ),
        Operation::TemplateCategories => (words(&["templates", "categories"], &[]), op.command()),
        Operation::TemplateCategoryOptions => (
            words(&["templates", "category-options", "AUTHENTICATION"], &[]),
            op.command(),
        ),
        Operation::TemplateLanguages => (
            words(
                &["templates", "languages", "--template", "order_shipped"],
                &[],
            ),
            op.command(),
        ),
        Operation::SendTemplate => {
            // Each vendor's sandbox knows its own template languages.
            let lang = if vendor == Vendor::Engati {
                "en_US"
            } else {
                "en"
            };
            (
                words(
                    &[
                        "messages",
                        "send-template",
                        "--to",
                        "+573001234567",
                        "--template",
                        "order_shipped",
                        "--lang",
                        lang,
                        "--param",
                        "Ana",
                    ],
                    &[],
                ),
                op.command(),
            )
        }
        Operation::SendReaction => (
            words(
                &[
                    "messages",
                    "send-reaction",
                    "--to",
                    "573001234567",
                    "--message-id",
                    &message,
                    "--emoji",
                    "🎉",
                ],
                &[],
            ),
            op.command(),
        ),
        Operation::SendMessage => (
            words(
                &["messages", "send", "--to", "573001234567", "--text", "Hola"],
                &[],
            ),
            op.command(),
        ),
        Operation::Broadcast => (
            words(
                &[
                    "broadcast",
                    "--users",
                    "573000000001,573000000002",
                    "--text",
                    "Hola",
                ],
                &[],
            ),
            op.command(),
        ),
        Operation::BroadcastExternal => (
            words(
                &[
                    "broadcast",
                    "external",
                    "--audience",
                    "audience.csv",
                    "--template",
                    "promo",
                    "--lang",
                    "es",
                ],
                &[],
            ),
            op.command(),
        ),
        Operation::Trigger => (
            words(
                &[
                    "trigger",
                    "0123456789ABCDEF0123456789ABCDEF",
                    "--to",
                    "+573001234567",
                ],
                &[],
            ),
            op.command(),
        ),
    };
    (args, typed)
}

fn words(a: &[&str], b: &[&str]) -> Vec<String> {
    a.iter().chain(b).map(|s| s.to_string()).collect()
}

/// `wa-analytics --demo --provider V -q ARGS… -f json` in `home` (with `--yes` for a write:
/// there is no terminal to confirm it on).
fn demo(home: &Home, vendor: Vendor, op: Operation, args: &[String]) -> std::process::Output {
    let mut cmd = home.cmd();
    cmd.args(["--demo", "--provider", vendor.id(), "-q"])
        .args(args)
        .args(["-f", "json"]);
    if op.facet() == Facet::Writes {
        cmd.arg("--yes");
    }
    cmd.output().unwrap()
}

/// Records the values later commands need from a command's records.
fn remember(vendor: Vendor, op: Operation, records: &[Value], found: &mut Found) {
    let Some(first) = records.first() else {
        return;
    };
    let take = |key: &str| first[key].as_str().map(str::to_string);
    let (slot, value) = match op {
        // Engage names a campaign by its name; the others by their id.
        Operation::CampaignsList if vendor == Vendor::Engage => ("campaign", take("name")),
        Operation::CampaignsList => ("campaign", take("id")),
        Operation::UsersFind => ("user", take("channel_user_id")),
        Operation::SendTemplate => ("message", take("id")),
        _ => return,
    };
    if let Some(value) = value {
        found.values.insert(slot, value);
    }
}

/// Runs every operation against one vendor's sandbox; returns the failures, each naming the
/// vendor and the command.
fn conformance_of(vendor: Vendor) -> Vec<String> {
    let home = Home::new();
    std::fs::write(
        home.path().join("audience.csv"),
        "user.phone_number,user.attribute_0\n+573001234567,Ana\n",
    )
    .unwrap();
    let caps = capabilities_of(vendor);
    let mut found = Found::default();
    let mut failures = Vec::new();
    for op in Operation::all() {
        let (args, typed) = sample(vendor, op, &found);
        let out = demo(&home, vendor, op, &args);
        let what = format!("{vendor} `{}`", args.join(" "));
        if caps.serves(op) {
            if out.status.code() != Some(0) {
                failures.push(format!(
                    "{what}: declared {:?} but exited {:?}: {}",
                    caps.support(op),
                    out.status.code(),
                    stderr(&out)
                ));
                continue;
            }
            let json: Value = match serde_json::from_str(&stdout(&out)) {
                Ok(json) => json,
                Err(e) => {
                    failures.push(format!("{what}: not JSON ({e}): {}", stdout(&out)));
                    continue;
                }
            };
            let records = match (prints_one_object(op), json) {
                (true, Value::Object(o)) => vec![Value::Object(o)],
                (false, Value::Array(a)) => a,
                (_, other) => {
                    failures.push(format!("{what}: the wrong shape of answer: {other}"));
                    continue;
                }
            };
            if records.is_empty() {
                failures.push(format!("{what}: no records from the sandbox"));
            }
            let mut want = unified_fields(vendor, op);
            want.sort();
            for record in &records {
                let mut keys: Vec<String> = record.as_object().unwrap().keys().cloned().collect();
                keys.sort();
                if keys != want {
                    failures.push(format!("{what}: fields {keys:?}, want {want:?}"));
                    break;
                }
            }
            remember(vendor, op, &records, &mut found);
        } else {
            let err = stderr(&out);
            let named = format!("{} does not support '{typed}'", vendor.display_name());
            let serves = format!(
                "commands {} supports: {}.",
                vendor.display_name(),
                caps.supported_commands().join(", ")
            );
            if out.status.code() != Some(2) || !err.contains(&named) || !err.contains(&serves) {
                failures.push(format!(
                    "{what}: declared not supported, so exit 2 with \"{named}\" and \"{serves}\" was expected; got exit {:?}: {err}",
                    out.status.code()
                ));
            }
            if !stdout(&out).is_empty() {
                failures.push(format!(
                    "{what}: a refused command printed {}",
                    stdout(&out)
                ));
            }
        }
    }
    failures
}

#[test]
fn every_vendor_serves_what_it_declares_and_refuses_the_rest() {
    let failures: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = Vendor::all()
            .map(|v| s.spawn(move || conformance_of(v)))
            .collect();
        runs.into_iter().flat_map(|r| r.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// What `providers` prints in a cell for `support`.
fn cell(support: Support) -> String {
    match support {
        Support::Native => "native".to_string(),
        Support::Derived(how) => format!("derived: {how}"),
        Support::NotSupported => "not supported".to_string(),
    }
}

#[test]
fn providers_prints_exactly_the_declared_table() {
    let home = Home::new();
    let out = home
        .cmd()
        .args(["providers", "-f", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    let commands: Vec<&str> = rows
        .iter()
        .map(|r| r["command"].as_str().unwrap())
        .collect();
    let mut want: Vec<&str> = Operation::all().map(Operation::command).collect();
    want.push("rates");
    assert_eq!(commands, want);
    for (row, op) in rows.iter().zip(Operation::all()) {
        for vendor in Vendor::all() {
            assert_eq!(
                row[vendor.id()],
                cell(capabilities_of(vendor).support(op)).as_str(),
                "{vendor} {}",
                op.command()
            );
        }
        assert_eq!(
            row.as_object().unwrap().len(),
            1 + Vendor::all().count(),
            "a column per vendor"
        );
    }

    // The CSV view is the same table: a header of command and the vendor ids, one line a row.
    let out = home
        .cmd()
        .args(["providers", "-f", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    let header: Vec<String> = std::iter::once("command".to_string())
        .chain(Vendor::all().map(|v| v.id().to_string()))
        .collect();
    assert_eq!(lines.next().unwrap(), header.join(","));
    assert_eq!(lines.count(), Operation::all().count() + 1);
}
