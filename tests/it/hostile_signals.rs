//! Signals to commands that handle them themselves (issue 13, item 4): `sandbox` ends on
//! SIGTERM and SIGHUP with one line and exit 143, like every command; Ctrl-C still stops it
//! quietly with exit 0.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::Home;

/// The notes `sandbox --port 0` prints before it serves, without the port-dependent lines.
const READY: &str =
    "a ready config follows on stdout; save it and use --config FILE. Ctrl-C stops the sandbox.\n";

/// Starts `sandbox --port 0`, waits until its config is on stdout, sends `signal`, and returns
/// the exit code and stderr.
fn sandbox_ended_by(signal: &str) -> (Option<i32>, String) {
    let home = Home::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_wa-analytics"))
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .current_dir(home.path())
        .args(["sandbox", "--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    // The config's first profile: printed after the signals are listened for.
    while !line.starts_with("[profiles.") {
        line.clear();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "the sandbox ended before it printed its config"
        );
    }
    let sent = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the sandbox never ended"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

/// What stderr holds after the sandbox's notes.
fn after_notes(stderr: &str) -> &str {
    let at = stderr.find(READY).unwrap_or_else(|| panic!("{stderr}"));
    &stderr[at + READY.len()..]
}

#[test]
fn sigterm_ends_the_sandbox_with_one_line_and_exit_143() {
    let (code, err) = sandbox_ended_by("-TERM");
    assert_eq!(code, Some(143), "{err}");
    assert_eq!(
        after_notes(&err),
        "wa-analytics: error: terminated by SIGTERM\n"
    );
}

#[test]
fn sighup_ends_the_sandbox_the_same_way() {
    let (code, err) = sandbox_ended_by("-HUP");
    assert_eq!(code, Some(143), "{err}");
    assert_eq!(
        after_notes(&err),
        "wa-analytics: error: terminated by SIGHUP\n"
    );
}

#[test]
fn ctrl_c_still_stops_the_sandbox_with_exit_0() {
    let (code, err) = sandbox_ended_by("-INT");
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(after_notes(&err), "wa-analytics: sandbox stopped\n");
}
