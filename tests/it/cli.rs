//! The command line itself: config and profile errors, formats, `providers`, `profiles`,
//! completions, `--fields`, and stdout closed early.

use serde_json::Value;

use crate::support::{Home, stderr, stdout};

#[test]
fn providers_lists_every_command_for_every_vendor() {
    let home = Home::new();
    let out = home
        .cmd()
        .args(["providers", "-f", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rows = got.as_array().unwrap();
    let commands: Vec<&str> = rows
        .iter()
        .map(|r| r["command"].as_str().unwrap())
        .collect();
    assert_eq!(commands.first(), Some(&"campaigns list"));
    assert_eq!(commands.last(), Some(&"rates"));
    assert!(commands.contains(&"clicks summary") && commands.contains(&"trigger"));
    let row = |c: &str| rows.iter().find(|r| r["command"] == c).unwrap().clone();
    assert_eq!(row("campaigns summary")["engage"], "native");
    assert_eq!(row("clicks")["engage"], "not supported");
    assert_eq!(row("rates")["engage"], "native");
    assert_eq!(row("rates")["engagive"], "not supported");
    assert_eq!(row("templates list")["engagive"], "native");
    let csv = home
        .cmd()
        .args(["providers", "-f", "csv"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&csv).lines().next(),
        Some("command,engage,engati,insider,wolkvox,engagive")
    );
}

#[test]
fn global_options_work_before_and_after_the_command() {
    let home = Home::new();
    let before = home
        .cmd()
        .args(["-f", "csv", "--fields", "command", "providers"])
        .output()
        .unwrap();
    let after = home
        .cmd()
        .args(["providers", "-f", "csv", "--fields", "command"])
        .output()
        .unwrap();
    assert!(
        stdout(&before).starts_with("command\ncampaigns list\ncampaigns summary\n"),
        "{}",
        stdout(&before)
    );
    assert_eq!(stdout(&before), stdout(&after));
}

#[test]
fn fields_help_lists_the_fields_and_unknown_fields_are_exit_2() {
    let home = Home::new();
    let out = home
        .cmd()
        .args(["providers", "--fields", "help"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).lines().next().unwrap().starts_with("command "),
        "{}",
        stdout(&out)
    );
    let out = home
        .cmd()
        .args(["providers", "--fields", "command,nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown field 'nope'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn completions_print_a_script_for_each_shell() {
    let home = Home::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = home.cmd().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(stdout(&out).contains("wa-analytics"), "{shell}");
    }
}

#[test]
fn without_a_config_a_read_command_explains_how_to_set_one_up() {
    let home = Home::new();
    let out = home.cmd().args(["campaigns", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("wa-analytics: error: no profile to use: there is no config file at "),
        "{err}"
    );
    assert!(err.contains("hint: create the config file"), "{err}");
}

#[test]
fn an_unknown_key_names_the_profile_the_key_and_the_fix() {
    let home = Home::new();
    home.write_config("[profiles.engage-prod]\nprovider = \"engage\"\nbot_token = \"b\"\ntoken = \"t\"\ntokn = \"x\"\n");
    let out = home.cmd().args(["campaigns", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("profile 'engage-prod'"), "{err}");
    assert!(err.contains("unknown key 'tokn'"), "{err}");
}

#[test]
fn an_unknown_profile_lists_the_profiles_the_file_has() {
    let home = Home::new();
    home.write_config("[profiles.a]\nprovider = \"engage\"\nbot_token = \"b\"\ntoken = \"t\"\n");
    let out = home
        .cmd()
        .args(["-p", "nope", "campaigns", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("'nope'"), "{}", stderr(&out));
    assert!(stderr(&out).contains("a"), "{}", stderr(&out));
}

#[test]
fn plain_http_to_a_non_loopback_host_is_refused() {
    let home = Home::new();
    home.write_config("[profiles.a]\nprovider = \"engage\"\nbase_url = \"http://analytics.example.com\"\nbot_token = \"b\"\ntoken = \"t\"\n");
    let out = home.cmd().args(["campaigns", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("refusing plain http:// to analytics.example.com"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn profiles_list_shows_each_profile_and_its_validity() {
    let home = Home::new();
    home.write_config(
        "default_profile = \"good\"\n[profiles.good]\nprovider = \"engage\"\nbot_token = \"b\"\ntoken = \"t\"\n[profiles.bad]\nprovider = \"engage\"\nbot_token = \"b\"\n",
    );
    let out = home
        .cmd()
        .args([
            "profiles",
            "list",
            "-f",
            "csv",
            "--fields",
            "name,provider,default,valid",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "name,provider,default,valid\nbad,engage,false,false\ngood,engage,true,true\n"
    );
}

#[test]
fn a_config_named_with_config_that_does_not_exist_is_an_error() {
    let home = Home::new();
    let out = home
        .cmd()
        .args(["--config", "missing.toml", "profiles", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.toml"), "{}", stderr(&out));
}

#[test]
fn provider_without_variables_names_the_missing_ones() {
    let home = Home::new();
    let out = home
        .cmd()
        .args(["--provider", "engage", "campaigns", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("WA_ENGAGE_BOT_TOKEN") && err.contains("WA_ENGAGE_TOKEN"),
        "{err}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let home = Home::new();
    let out = home
        .cmd()
        .args(["campaigns", "list", "--frobnicate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = home
        .cmd()
        .args(["campaigns", "list", "--last", "7d", "--from", "2026-01-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = home.cmd().args(["--help"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("campaigns"));
}

#[cfg(unix)]
#[test]
fn stdout_closed_early_ends_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let home = Home::new();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("wa-analytics"))
        .args(["completions", "bash"])
        .env_clear()
        .env("HOME", home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 1];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "");
}

#[cfg(unix)]
#[test]
fn a_readable_config_with_a_literal_secret_gets_the_chmod_warning() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();
    let path = home.write_config("[profiles.a]\nprovider = \"engage\"\nbot_token = \"b0t-literal\"\ntoken = { env = \"T\" }\n");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = home
        .cmd()
        .args(["profiles", "list", "-f", "csv", "--fields", "name"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        format!(
            "wa-analytics: warning: {p} is readable by other users and holds a literal secret (profiles.a.bot_token); run: chmod 600 {p}\n",
            p = path.display()
        )
    );
    let quiet = home
        .cmd()
        .args(["-q", "profiles", "list"])
        .output()
        .unwrap();
    assert_eq!(stderr(&quiet), "");
}
