//! The binary itself: config and profile errors, and stdout closed early. Commands that need no
//! separate process (`providers`, `profiles`, completions, `--fields`, usage errors, the config's
//! permission warning) run in-process in `in_process.rs`.

use crate::support::{Home, stderr};

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
