//! Helpers: an isolated environment for the binary, config files, and wiremock matchers that pin
//! the exact encoded query.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use wiremock::matchers::any;
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

/// A temporary HOME with a config file.
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The default config path under this HOME.
    pub fn config_path(&self) -> PathBuf {
        self.path().join(".config/wa-analytics/config.toml")
    }

    /// Writes the default config file, mode 600.
    pub fn write_config(&self, text: &str) -> PathBuf {
        let path = self.config_path();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        path
    }

    /// An engage profile named `engage-test` (the default) pointing at `base_url`.
    pub fn engage_config(&self, base_url: &str) -> PathBuf {
        self.write_config(&format!(
            "default_profile = \"engage-test\"\n\n[profiles.engage-test]\nprovider = \"engage\"\nbase_url = \"{base_url}\"\nbot_token = \"bot-token-1\"\ntoken = \"jwt-1\"\n"
        ))
    }

    /// Asserts that no temporary file of an atomic write (`.NAME.*.tmp`) was left in HOME.
    pub fn assert_no_temp_files(&self) {
        let names: Vec<String> = std::fs::read_dir(self.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    }

    /// The binary with a cleared environment: only this HOME, a PATH, and no terminal.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("wa-analytics").unwrap();
        cmd.env_clear()
            .env("HOME", self.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("NO_COLOR", "1")
            .current_dir(self.path());
        cmd
    }
}

/// Matches the raw (still encoded) query string exactly.
pub struct RawQuery(pub String);

impl Match for RawQuery {
    fn matches(&self, request: &Request) -> bool {
        request.url.query().unwrap_or("") == self.0
    }
}

/// `from=…&to=…` as Engage receives them for a whole-day range.
pub fn engage_range(from: &str, to: &str) -> String {
    format!(
        "from={}&to={}",
        from.replace(' ', "%20").replace(':', "%3A"),
        to.replace(' ', "%20").replace(':', "%3A")
    )
}

/// Stdout of a finished command as text.
pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Stderr of a finished command as text.
pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Runs the command to completion off the async runtime (the wiremock servers it talks to run on
/// the runtime).
pub async fn run(mut cmd: Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

/// Fails the test, when the server is dropped, on any request no other mock matched.
async fn forbid_others(server: &MockServer) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(599))
        .with_priority(u8::MAX)
        .expect(0)
        .named("an unexpected request")
        .mount(server)
        .await;
}

/// A mock server that fails the test on any request no mock was mounted for.
pub async fn strict_server() -> MockServer {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    server
}

/// An instant as the output contract prints it (RFC 3339, UTC, whole seconds).
pub fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Stdout of a command that must have succeeded, as JSON.
pub fn json_ok(out: &std::process::Output) -> serde_json::Value {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    serde_json::from_str(&stdout(out)).unwrap()
}

/// What an in-process run ([`Home::run_in_process`]) returned and wrote.
#[derive(Debug)]
pub struct InProcess {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

impl Home {
    /// The environment [`Home::cmd`] gives the binary, for an in-process run.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("HOME".into(), self.path().display().to_string()),
            ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
            ("NO_COLOR".into(), "1".into()),
        ]
    }

    /// A host for an in-process run in this HOME: its environment only ([`Home::env`] plus
    /// `extra`), in-memory streams, and the clock stopped at `now`.
    pub fn host(
        &self,
        extra: &[(&str, &str)],
        now: chrono::DateTime<chrono::Utc>,
    ) -> (wa_analytics::cli::Host, wa_analytics::cli::io::Captured) {
        let env = self.env();
        let mut vars: Vec<(&str, &str)> =
            env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        vars.extend_from_slice(extra);
        wa_analytics::cli::Host::test(&vars, now)
    }

    /// Runs `wa-analytics ARGS…` in-process on the caller's runtime, in this HOME, at `now`.
    pub async fn run_in_process(
        &self,
        args: &[&str],
        now: chrono::DateTime<chrono::Utc>,
    ) -> InProcess {
        let (host, captured) = self.host(&[], now);
        run_host(host, &captured, args).await
    }
}

/// Runs `wa-analytics ARGS…` in-process on `host`, whose streams `captured` reads back.
pub async fn run_host(
    host: wa_analytics::cli::Host,
    captured: &wa_analytics::cli::io::Captured,
    args: &[&str],
) -> InProcess {
    let argv = std::iter::once("wa-analytics").chain(args.iter().copied());
    let code = wa_analytics::run_async(argv, host).await;
    InProcess {
        code,
        stdout: captured.stdout(),
        stderr: captured.stderr(),
    }
}

/// A sandbox started with `options`, its data ending at `end` (the same bytes on any day), and a
/// HOME whose config has the sandbox's profile of every vendor.
pub async fn anchored_home(
    options: wa_analytics::sandbox::SandboxOptions,
    end: chrono::DateTime<chrono::Utc>,
) -> (wa_analytics::sandbox::Sandbox, Home) {
    let sandbox = wa_analytics::sandbox::Sandbox::start_anchored(options, end)
        .await
        .unwrap();
    let home = Home::new();
    home.write_config(&sandbox.config_toml());
    (sandbox, home)
}
