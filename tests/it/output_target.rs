//! `-o` onto what is already there (a FIFO, a symlink, a device, `/dev/stdout`, a folder), and a
//! run ended by SIGTERM or SIGHUP: the real binary, real files under a temporary HOME, real
//! signals (product.md, "Promises" and "Exit codes").

#![cfg(unix)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use wa_analytics::sandbox::{Sandbox, SandboxOptions};

use crate::support::{Home, rfc3339, stderr, stdout};

/// The header line of `campaigns list` in CSV.
const LIST_HEADER: &str = "id,name,type,status,created_at,sent_at,total_contacts\n";

/// The names in `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `campaigns list` from the built-in sandbox, as CSV, into `target`.
fn demo_list(home: &Home, target: &str) -> std::process::Output {
    home.cmd()
        .args([
            "--demo",
            "-q",
            "campaigns",
            "list",
            "-f",
            "csv",
            "-o",
            target,
        ])
        .output()
        .unwrap()
}

#[test]
fn a_fifo_is_written_straight_through_and_stays_a_fifo() {
    use std::os::unix::fs::FileTypeExt;
    let home = Home::new();
    let fifo = home.path().join("pipe.csv");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    // The reader hands its bytes over a channel: if the run never opens the FIFO (it renamed a
    // file over it), the reader stays blocked and the test fails instead of hanging.
    let (tx, rx) = std::sync::mpsc::channel();
    {
        let fifo = fifo.clone();
        std::thread::spawn(move || tx.send(std::fs::read_to_string(fifo).unwrap()));
    }
    let out = demo_list(&home, "pipe.csv");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let received = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the reader of the FIFO got the output");
    assert!(received.starts_with(LIST_HEADER), "{received:?}");
    assert!(received.lines().count() > 1, "{received:?}");
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(meta.file_type().is_fifo(), "still a FIFO");
    assert_eq!(entries(home.path()), vec!["pipe.csv"], "no temporary file");
}

#[test]
fn a_symlink_keeps_pointing_at_its_target_which_is_replaced() {
    let home = Home::new();
    std::fs::create_dir(home.path().join("reports")).unwrap();
    let target = home.path().join("reports/real.csv");
    std::fs::write(&target, "old\n").unwrap();
    std::os::unix::fs::symlink("reports/real.csv", home.path().join("link.csv")).unwrap();
    let out = demo_list(&home, "link.csv");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let link = home.path().join("link.csv");
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        Path::new("reports/real.csv")
    );
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with(LIST_HEADER), "{text:?}");
    assert_eq!(entries(home.path()), vec!["link.csv", "reports"]);
    assert_eq!(entries(&home.path().join("reports")), vec!["real.csv"]);
}

#[test]
fn a_dangling_symlink_gets_its_target_created() {
    let home = Home::new();
    std::os::unix::fs::symlink("new.csv", home.path().join("link.csv")).unwrap();
    let out = demo_list(&home, "link.csv");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        std::fs::symlink_metadata(home.path().join("link.csv"))
            .unwrap()
            .is_symlink()
    );
    let text = std::fs::read_to_string(home.path().join("new.csv")).unwrap();
    assert!(text.starts_with(LIST_HEADER), "{text:?}");
}

/// A null device under `home` (as root: `mknod`), else `/dev/null`. A run that renamed a file
/// over it (the bug this guards against) then breaks a copy, not the machine's `/dev/null`; a
/// user who cannot make a device cannot replace `/dev/null` either.
fn null_device(home: &Home) -> String {
    let copy = home.path().join("null");
    let made = Command::new("mknod")
        .args([copy.as_os_str(), "c".as_ref(), "1".as_ref(), "3".as_ref()])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if made {
        "null".to_string()
    } else {
        "/dev/null".to_string()
    }
}

#[test]
fn a_character_device_stays_a_device() {
    use std::os::unix::fs::FileTypeExt;
    let home = Home::new();
    let device = null_device(&home);
    let out = demo_list(&home, &device);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let meta = std::fs::symlink_metadata(home.path().join(&device)).unwrap();
    assert!(
        meta.file_type().is_char_device(),
        "{device} is still a device"
    );
    assert_eq!(stdout(&out), "");
    assert!(entries(home.path()).iter().all(|n| !n.ends_with(".tmp")));
}

/// The `/dev/stdout` idiom, as a link of its own under `home` (`stdout -> /proc/self/fd/1`, what
/// `/dev/stdout` is on Linux), so that a run that replaced links could not break `/dev/stdout`.
fn stdout_link(home: &Home) -> Option<&'static str> {
    if !Path::new("/proc/self/fd/1").exists() {
        return None;
    }
    std::os::unix::fs::symlink("/proc/self/fd/1", home.path().join("stdout")).unwrap();
    Some("stdout")
}

#[test]
fn the_dev_stdout_idiom_writes_to_standard_output() {
    let home = Home::new();
    let Some(link) = stdout_link(&home) else {
        return;
    };
    let out = demo_list(&home, link);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with(LIST_HEADER), "{}", stdout(&out));
    assert_eq!(entries(home.path()), vec!["stdout"], "the link is kept");
    assert!(
        std::fs::symlink_metadata(home.path().join("stdout"))
            .unwrap()
            .is_symlink()
    );
}

#[test]
fn the_dev_stdout_idiom_redirected_to_a_file_is_written_through_not_renamed_over() {
    let home = Home::new();
    let Some(link) = stdout_link(&home) else {
        return;
    };
    let file = home.path().join("shell.csv");
    let redirect = std::fs::File::create(&file).unwrap();
    let mut child = spawn(
        &home,
        &["--demo", "-q", "campaigns", "list", "-f", "csv", "-o", link],
        redirect.into(),
    );
    wait_for("the run to end", || child.try_wait().unwrap().is_some());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with(LIST_HEADER), "{text:?}");
    assert_eq!(entries(home.path()), vec!["shell.csv", "stdout"]);
}

#[test]
fn a_folder_is_refused_with_exit_2_and_nothing_created() {
    let home = Home::new();
    std::fs::create_dir(home.path().join("out")).unwrap();
    let out = demo_list(&home, "out");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "wa-analytics: error: cannot write the output to out: it is a folder. Give -o a file name, such as out/export.csv, or leave -o out for standard output.\n"
    );
    assert_eq!(entries(home.path()), vec!["out"]);
    assert!(entries(&home.path().join("out")).is_empty());
}

/// A PID that is not running: a child that has been waited for.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn the_next_run_removes_temporary_files_of_dead_runs_only() {
    let home = Home::new();
    let dead = dead_pid();
    let live = std::process::id();
    let stale = format!(".out.csv.wa-analytics-{dead}-AbC123.tmp");
    let running = format!(".out.csv.wa-analytics-{live}-XyZ789.tmp");
    let other_name = format!(".other.csv.wa-analytics-{dead}-AbC123.tmp");
    let not_ours = ".out.csv.Qw3rTy.tmp".to_string();
    for name in [&stale, &running, &other_name, &not_ours] {
        std::fs::write(home.path().join(name), "partial\n").unwrap();
    }
    let out = demo_list(&home, "out.csv");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut expected = vec![other_name, not_ours, running, "out.csv".to_string()];
    expected.sort();
    assert_eq!(entries(home.path()), expected);
}

/// The real binary, spawned with the same isolated environment as [`Home::cmd`].
fn spawn(home: &Home, args: &[&str], stdout: Stdio) -> Child {
    Command::new(env!("CARGO_BIN_EXE_wa-analytics"))
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .current_dir(home.path())
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits (generously) until `done` holds.
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(30), "never: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A slow export into `out.csv` (which holds "previous"), ended by `signal` once its temporary
/// file exists: the exit code, stderr, and what is left in HOME.
async fn export_ended_by(signal: &str) -> (Option<i32>, String, Vec<String>, String) {
    let sandbox = Sandbox::start(SandboxOptions {
        rows: 20_000,
        latency: Duration::from_millis(700),
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let (start, end) = sandbox.data_span();
    let name = Sandbox::campaign_names()[0];
    let home = Home::new();
    home.write_config(&sandbox.config_toml());
    std::fs::write(home.path().join("out.csv"), "previous\n").unwrap();
    let (from, to) = (rfc3339(start), rfc3339(end));
    let args = [
        "campaigns",
        "export",
        name,
        "--from",
        &from,
        "--to",
        &to,
        "--page-size",
        "500",
        "-o",
        "out.csv",
    ];
    let mut child = spawn(&home, &args, Stdio::piped());
    let signal = signal.to_string();
    let dir = home.path().to_path_buf();
    let (code, err) = tokio::task::spawn_blocking(move || {
        wait_for("a temporary file beside out.csv", || {
            entries(&dir).iter().any(|n| n.ends_with(".tmp"))
        });
        let pid = child.id().to_string();
        let sent = Command::new("kill").args([&signal, &pid]).status().unwrap();
        assert!(sent.success());
        wait_for("the run to end", || child.try_wait().unwrap().is_some());
        let out = child.wait_with_output().unwrap();
        (out.status.code(), stderr(&out))
    })
    .await
    .unwrap();
    let previous = std::fs::read_to_string(home.path().join("out.csv")).unwrap();
    let left = entries(home.path());
    (code, err, left, previous)
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_during_an_export_exits_143_and_leaves_the_previous_file_alone() {
    let (code, err, left, previous) = export_ended_by("-TERM").await;
    assert_eq!(code, Some(143), "{err}");
    assert_eq!(err, "wa-analytics: error: terminated by SIGTERM\n");
    assert_eq!(left, vec![".config", "out.csv"], "no temporary file left");
    assert_eq!(previous, "previous\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn sighup_during_an_export_cleans_up_the_same_way() {
    let (code, err, left, previous) = export_ended_by("-HUP").await;
    assert_eq!(code, Some(143), "{err}");
    assert_eq!(err, "wa-analytics: error: terminated by SIGHUP\n");
    assert_eq!(left, vec![".config", "out.csv"], "no temporary file left");
    assert_eq!(previous, "previous\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigint_still_exits_130() {
    let (code, err, left, previous) = export_ended_by("-INT").await;
    assert_eq!(code, Some(130), "{err}");
    assert_eq!(err, "wa-analytics: error: interrupted\n");
    assert_eq!(left, vec![".config", "out.csv"], "no temporary file left");
    assert_eq!(previous, "previous\n");
}

#[test]
fn sigterm_while_stuck_writing_to_a_fifo_still_ends_the_run() {
    let home = Home::new();
    let fifo = home.path().join("pipe.csv");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    // No reader: opening the FIFO for writing blocks the run's main thread.
    let mut child = spawn(
        &home,
        &["--demo", "-q", "campaigns", "list", "-o", "pipe.csv"],
        Stdio::piped(),
    );
    std::thread::sleep(Duration::from_secs(3));
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    wait_for("the run to end", || child.try_wait().unwrap().is_some());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(143), "{}", stderr(&out));
    assert_eq!(stderr(&out), "wa-analytics: error: terminated by SIGTERM\n");
    assert_eq!(entries(home.path()), vec!["pipe.csv"]);
}
