//! Incremental exports for cron (issue 6): a state file remembers, per profile and report, where
//! the last completed export ended, so the next run starts there.
//!
//! The state is written atomically (a temporary file renamed into place) and only after the
//! export's own file was renamed into place, so an interrupted or failed run leaves the state as
//! it was and the next run reads the same rows again: nothing lost, nothing doubled. `--lookback`
//! re-reads a margin before that end (rows a vendor records late); the keys of the rows already
//! exported in that margin are kept, hashed, so they are not written twice.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The state file format version.
const VERSION: u32 = 1;

/// A state file: one entry per (profile, report, subject).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StateFile {
    /// Format version.
    pub version: u32,
    /// Entries by [`key`].
    pub entries: BTreeMap<String, Entry>,
}

/// Where one incremental export stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The end (exclusive) of the last export whose file was completely written.
    pub completed_until: DateTime<Utc>,
    /// The `--lookback` of that run, in seconds.
    pub lookback_secs: i64,
    /// Hashes of the keys of the rows that run wrote within its lookback margin.
    pub margin_keys: Vec<String>,
    /// Rows that run wrote.
    pub rows: u64,
    /// When that run finished.
    pub updated_at: DateTime<Utc>,
}

/// The key of an entry: `profile/report/subject` (`engage-prod/campaigns export/Black Friday`).
pub fn key(profile: &str, report: &str, subject: &str) -> String {
    format!("{profile}/{report}/{subject}")
}

/// Where `--state SPEC` lives: a path when it looks like one (has a `/`, `\` or an extension),
/// else a named state `$XDG_STATE_HOME/wa-analytics/SPEC.json` (default `~/.local/state`).
pub fn resolve_path(spec: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<PathBuf, AppError> {
    let looks_like_path = spec.contains('/') || spec.contains('\\') || spec.contains('.');
    if looks_like_path {
        return Ok(PathBuf::from(spec));
    }
    if spec.is_empty() {
        return Err(AppError::usage(
            "the state name is empty",
            "give --state a name (nightly) or a file path (./nightly.json)",
        ));
    }
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    let base = match set("XDG_STATE_HOME").filter(|v| Path::new(v).is_absolute()) {
        Some(dir) => PathBuf::from(dir),
        None => match set("HOME") {
            Some(home) => PathBuf::from(home).join(".local").join("state"),
            None => {
                return Err(AppError::usage(
                    format!(
                        "cannot place the named state '{spec}': neither XDG_STATE_HOME nor HOME is set"
                    ),
                    "give --state a file path instead, e.g. --state ./nightly.json",
                ));
            }
        },
    };
    Ok(base.join("wa-analytics").join(format!("{spec}.json")))
}

impl StateFile {
    /// Reads a state file; a missing file is an empty state.
    pub fn load(path: &Path) -> Result<StateFile, AppError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(StateFile {
                    version: VERSION,
                    entries: BTreeMap::new(),
                });
            }
            Err(e) => {
                return Err(AppError::usage(
                    format!("could not read the state file {}: {e}", path.display()),
                    "check the path and its permissions",
                ));
            }
        };
        let state: StateFile = serde_json::from_str(&text).map_err(|e| {
            AppError::usage(
                format!("the state file {} is not a wa-analytics state ({e})", path.display()),
                "point --state at another file, or remove this one with 'wa-analytics state clear' to start over",
            )
        })?;
        if state.version != VERSION {
            return Err(AppError::usage(
                format!(
                    "the state file {} has version {}, this wa-analytics reads version {VERSION}",
                    path.display(),
                    state.version
                ),
                "use the wa-analytics that wrote it, or start over with 'wa-analytics state clear'",
            ));
        }
        Ok(state)
    }

    /// Writes the state atomically: a temporary file in the same folder
    /// (`.NAME.wa-analytics-PID-XXXXXX.tmp`, see [`crate::output::AtomicFile`]), synced, renamed.
    pub fn save(&self, path: &Path) -> Result<(), AppError> {
        let fail = |e: std::io::Error| {
            AppError::usage(
                format!("could not save the state file {}: {e}", path.display()),
                "check that its folder is writable; the export itself was written",
            )
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir).map_err(fail)?;
        // Named and cleaned up like `-o`'s temporary files: removed by a signal's fallback,
        // and by the next save if this process is killed first.
        let mut temp = crate::output::AtomicFile::create(path).map_err(fail)?;
        let text = serde_json::to_string_pretty(self).expect("state always serializes");
        temp.write_all(text.as_bytes())
            .and_then(|()| temp.write_all(b"\n"))
            .map_err(fail)?;
        temp.commit().map_err(fail)?;
        Ok(())
    }
}

/// The de-duplication of one incremental run: rows whose key the previous run already wrote in
/// its margin are skipped; the keys of this run's own margin are collected for the next run.
/// What it decides for a row does not depend on the rows before it, so pages can be filtered in
/// any order.
#[derive(Debug, Default)]
pub struct Incremental {
    seen: HashSet<String>,
    margin_start: DateTime<Utc>,
    margin: Vec<String>,
    skipped: u64,
}

impl Incremental {
    /// A run whose range ends at `end`, keeping the keys of rows stamped from `end - lookback`;
    /// `previous` are the margin keys of the last run.
    pub fn new(previous: &[String], end: DateTime<Utc>, lookback: Duration) -> Incremental {
        Incremental {
            seen: previous.iter().cloned().collect(),
            margin_start: end - lookback,
            margin: Vec::new(),
            skipped: 0,
        }
    }

    /// Whether a row with this key and time stamp should be written (rows without a key always
    /// are).
    pub fn admit(&mut self, key: Option<(&str, DateTime<Utc>)>) -> bool {
        let Some((key, stamp)) = key else {
            return true;
        };
        let hashed = hash(key);
        if self.seen.contains(&hashed) {
            self.skipped += 1;
            return false;
        }
        if stamp >= self.margin_start {
            self.margin.push(hashed);
        }
        true
    }

    /// Rows skipped as already exported.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// The margin keys to remember, sorted (pages may have been filtered in any order).
    pub fn into_margin(mut self) -> Vec<String> {
        self.margin.sort_unstable();
        self.margin
    }
}

/// FNV-1a, 64 bits, as hex: stable across Rust versions (unlike `DefaultHasher`) and keeps phone
/// numbers out of the state file.
fn hash(key: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn names_go_under_the_xdg_state_dir_and_paths_stay_paths() {
        let env = |k: &str| match k {
            "HOME" => Some("/home/ana".to_string()),
            _ => None,
        };
        assert_eq!(
            resolve_path("nightly", &env).unwrap(),
            PathBuf::from("/home/ana/.local/state/wa-analytics/nightly.json")
        );
        let xdg = |k: &str| match k {
            "XDG_STATE_HOME" => Some("/var/lib/wa".to_string()),
            "HOME" => Some("/home/ana".to_string()),
            _ => None,
        };
        assert_eq!(
            resolve_path("nightly", &xdg).unwrap(),
            PathBuf::from("/var/lib/wa/wa-analytics/nightly.json")
        );
        assert_eq!(
            resolve_path("./s.json", &env).unwrap(),
            PathBuf::from("./s.json")
        );
        assert!(resolve_path("nightly", &|_: &str| None).is_err());
    }

    #[test]
    fn a_missing_file_is_an_empty_state_and_a_saved_one_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/state.json");
        let mut state = StateFile::load(&path).unwrap();
        assert!(state.entries.is_empty());
        state.entries.insert(
            key("p", "campaigns export", "Spring"),
            Entry {
                completed_until: t("2026-04-30T00:00:00Z"),
                lookback_secs: 3600,
                margin_keys: vec![hash("a")],
                rows: 10,
                updated_at: t("2026-04-30T00:00:05Z"),
            },
        );
        state.save(&path).unwrap();
        assert_eq!(StateFile::load(&path).unwrap(), state);
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("state.json")]);
    }

    #[test]
    fn a_file_that_is_not_a_state_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        std::fs::write(&path, "{\"hello\": 1}").unwrap();
        let err = StateFile::load(&path).unwrap_err().to_string();
        assert!(err.contains("is not a wa-analytics state"), "{err}");
    }

    #[test]
    fn rows_already_written_in_the_margin_are_skipped_once() {
        let end = t("2026-05-01T00:00:00Z");
        let mut first = Incremental::new(&[], end, Duration::hours(1));
        assert!(first.admit(Some(("a", t("2026-04-30T22:00:00Z")))));
        assert!(first.admit(Some(("b", t("2026-04-30T23:30:00Z")))));
        assert!(first.admit(None));
        let margin = first.into_margin();
        assert_eq!(margin, vec![hash("b")], "only the last hour is kept");

        let mut next = Incremental::new(&margin, t("2026-05-02T00:00:00Z"), Duration::hours(1));
        assert!(!next.admit(Some(("b", t("2026-04-30T23:30:00Z")))));
        assert!(
            next.admit(Some(("c", t("2026-04-30T23:45:00Z")))),
            "a late row"
        );
        assert_eq!(next.skipped(), 1);
    }

    #[test]
    fn the_margin_does_not_depend_on_the_order_rows_came_in() {
        let end = t("2026-05-01T00:00:00Z");
        let at = t("2026-04-30T23:30:00Z");
        let margin = |keys: &[&str]| {
            let mut inc = Incremental::new(&[], end, Duration::hours(1));
            for key in keys {
                assert!(inc.admit(Some((key, at))));
            }
            inc.into_margin()
        };
        assert_eq!(margin(&["x", "y", "z"]), margin(&["z", "x", "y"]));
        assert_eq!(margin(&["x", "y", "z"]).len(), 3);
    }

    #[test]
    fn the_key_hash_is_stable() {
        assert_eq!(hash(""), "cbf29ce484222325");
        assert_eq!(hash("a"), "af63dc4c8601ec8c");
    }
}
