//! Where the bytes go: standard output, or `-o PATH` as what is already there asks (product.md,
//! "Promises": `-o` respects what is already there).
//!
//! - A regular file (or nothing yet) is written to a temporary file beside it, renamed into place
//!   only once the whole result was written: a failed run leaves the previous file untouched and
//!   no temporary file behind.
//! - A symlink is followed: its final target is replaced that way (the temporary file in the
//!   target's folder) and the link is kept.
//! - Anything else after following links (a FIFO, a character device, `/dev/stdout`) is written
//!   straight through: no temporary file, no rename.
//! - A folder is refused before anything is created.
//!
//! Temporary files are named `.NAME.wa-analytics-PID-XXXXXX.tmp`; a run that was killed (`kill
//! -9`) leaves one behind, and the next run into the same folder for the same NAME removes those
//! whose process is no longer alive.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use tempfile::TempPath;

/// Buffer size for both stdout and files: large enough that a million-row export makes few
/// system calls.
const BUFFER_BYTES: usize = 64 * 1024;

/// What every temporary file's name holds after `.NAME.`, before the process id.
const TEMP_TAG: &str = "wa-analytics-";

/// More links than this in a row are a loop (as the kernel's own limit, `ELOOP`).
const MAX_LINKS: usize = 40;

/// The buffered destination every renderer writes into.
pub(super) type Out = BufWriter<Sink>;

/// The unbuffered destination: the caller's stdout, the temporary file, or a FIFO or device
/// written straight through.
pub(super) enum Sink {
    /// Standard output (or whatever the caller passed in its place).
    Stdout(Box<dyn Write + Send>),
    /// The temporary file that becomes `-o FILE`.
    File(File),
    /// A FIFO, a device or `/dev/stdout`, opened for writing as it is.
    Through(File),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File(f) | Sink::Through(f) => f.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => w.write_all(buf),
            Sink::File(f) | Sink::Through(f) => f.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File(f) | Sink::Through(f) => f.flush(),
        }
    }
}

/// A temporary file waiting to be renamed over its destination. Dropping it deletes the
/// temporary file.
pub(super) struct PendingFile {
    temp: TempPath,
    dest: PathBuf,
    /// Keeps the temporary file in [`LIVE`] while it exists.
    _live: Live,
}

/// The temporary files of this process not yet renamed or removed, for a run ended by a signal
/// while its main thread is stuck (a FIFO whose reader stopped reading): [`remove_temporary_files`].
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// One entry of [`LIVE`], removed when dropped.
struct Live(PathBuf);

impl Live {
    fn register(path: &Path) -> Live {
        let mut live = LIVE.lock().unwrap_or_else(PoisonError::into_inner);
        live.push(path.to_path_buf());
        Live(path.to_path_buf())
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let mut live = LIVE.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(i) = live.iter().position(|p| *p == self.0) {
            live.swap_remove(i);
        }
    }
}

/// Deletes every temporary file this process still has, for an exit that skips destructors
/// (a signal whose run did not end in time). Best effort.
pub fn remove_temporary_files() {
    let live = LIVE.lock().unwrap_or_else(PoisonError::into_inner);
    for path in live.iter() {
        let _ = std::fs::remove_file(path);
    }
}

/// What `-o PATH` points at.
#[derive(Debug, PartialEq)]
enum Target {
    /// A regular file or nothing yet, at this path (a symlink's final target): replaced
    /// atomically.
    Replace(PathBuf),
    /// A FIFO, a device, `/dev/stdout`: written straight through.
    Through,
}

/// Follows `path`'s links to what is there. A folder is an `IsADirectory` error.
fn classify(path: &Path) -> io::Result<Target> {
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        if is_process_stream(&at) {
            return Ok(Target::Through);
        }
        let meta = match std::fs::symlink_metadata(&at) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Target::Replace(at)),
            Err(e) => return Err(e),
        };
        if meta.file_type().is_symlink() {
            let link = std::fs::read_link(&at)?;
            at = if link.is_absolute() {
                link
            } else {
                folder_of(&at).join(link)
            };
            continue;
        }
        if meta.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "it is a folder",
            ));
        }
        if meta.is_file() {
            return Ok(Target::Replace(at));
        }
        return Ok(Target::Through);
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and `/proc/PID/fd/N`: the process's own streams,
/// written straight through even when the shell redirected them to a regular file.
fn is_process_stream(path: &Path) -> bool {
    let text = path.to_string_lossy();
    if matches!(text.as_ref(), "/dev/stdout" | "/dev/stderr" | "/dev/stdin") {
        return true;
    }
    let in_fd_folder = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|name| name == "fd");
    in_fd_folder && (text.starts_with("/dev/fd/") || text.starts_with("/proc/"))
}

/// Opens the destination: `stdout` when `path` is `None`; else, for a regular file (or a
/// symlink to one), a new temporary file in the same folder as the file (so the final rename
/// stays on one file system and is atomic), and for a FIFO or device the path itself.
pub(super) fn open(
    path: Option<&Path>,
    stdout: Box<dyn Write + Send>,
) -> io::Result<(Out, Option<PendingFile>)> {
    let Some(path) = path else {
        return Ok((
            BufWriter::with_capacity(BUFFER_BYTES, Sink::Stdout(stdout)),
            None,
        ));
    };
    let dest = match classify(path)? {
        Target::Replace(dest) => dest,
        Target::Through => {
            // Appending: a FIFO or device does not mind, and `/dev/stdout` redirected to a file
            // by the shell (`>` or `>>`) is written where the shell left it.
            let file = OpenOptions::new().append(true).open(path)?;
            return Ok((
                BufWriter::with_capacity(BUFFER_BYTES, Sink::Through(file)),
                None,
            ));
        }
    };
    let (file, pending) = pending_beside(dest, true)?;
    Ok((
        BufWriter::with_capacity(BUFFER_BYTES, Sink::File(file)),
        Some(pending),
    ))
}

/// A new temporary file for `dest`, beside it (so the final rename stays on one file system and
/// is atomic), named `.NAME.wa-analytics-PID-XXXXXX.tmp` and registered for
/// [`remove_temporary_files`]; those a dead process left for the same NAME are removed first.
/// `shared`: the usual permissions of a new file (0666 less the umask) rather than the owner's
/// alone; a replaced file's own permissions win either way.
fn pending_beside(dest: PathBuf, shared: bool) -> io::Result<(File, PendingFile)> {
    let dir = folder_of(&dest);
    let name = dest.file_name().map_or_else(
        || "output".into(),
        |name| name.to_string_lossy().into_owned(),
    );
    remove_stale(dir, &name);
    let prefix = format!(".{name}.{TEMP_TAG}{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp").rand_bytes(6);
    // tempfile creates files readable by the owner only; an export should get the usual
    // permissions instead, like any file the user's shell would create.
    #[cfg(unix)]
    if shared {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    #[cfg(not(unix))]
    let _ = shared;
    let (file, temp) = builder.tempfile_in(dir)?.into_parts();
    let live = Live::register(&temp);
    // Replacing a file keeps its permissions (a report shared with a group stays shared).
    match std::fs::metadata(&dest) {
        Ok(meta) if meta.is_file() => file.set_permissions(meta.permissions())?,
        _ => {}
    }
    Ok((
        file,
        PendingFile {
            temp,
            dest,
            _live: live,
        },
    ))
}

/// A file other than `-o`'s replaced atomically the same way (the `--state` file): written to
/// a temporary file beside it, named and cleaned up like every other ([`pending_beside`]:
/// removed by a signal's fallback, and by the next run if this one is killed), synced and
/// renamed over it by [`AtomicFile::commit`]. Dropped uncommitted, it removes its temporary
/// file. New files get the owner's permissions alone.
pub struct AtomicFile {
    file: File,
    pending: PendingFile,
}

impl AtomicFile {
    /// Starts replacing `dest` (a path as it is: a symlink there is replaced, not followed).
    pub fn create(dest: &Path) -> io::Result<AtomicFile> {
        let (file, pending) = pending_beside(dest.to_path_buf(), false)?;
        Ok(AtomicFile { file, pending })
    }

    /// Where the temporary file is.
    pub fn temp_path(&self) -> &Path {
        &self.pending.temp
    }

    /// Syncs the temporary file and renames it over the destination.
    pub fn commit(self) -> io::Result<()> {
        self.file.sync_all()?;
        let AtomicFile { file, pending } = self;
        drop(file);
        let PendingFile { temp, dest, _live } = pending;
        temp.persist(&dest).map_err(|e| e.error)?;
        sync_parent(&dest);
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Removes the temporary files for `name` in `dir` that a process no longer alive left behind
/// (`.NAME.wa-analytics-PID-XXXXXX.tmp`). Only regular files of exactly that pattern; a live
/// process's file, or one whose process cannot be told, is kept. Best effort.
fn remove_stale(dir: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.{TEMP_TAG}");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| stale_pid(n, &prefix)) else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && !process_alive(pid) {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => info!(
                    "removed {}, left by process {pid} which is no longer running",
                    entry.path().display()
                ),
                Err(e) => trace!("could not remove {}: {e}", entry.path().display()),
            }
        }
    }
}

/// The process id in a temporary file's name `PREFIX PID-XXXXXX.tmp`, if it is one.
fn stale_pid(file_name: &str, prefix: &str) -> Option<u32> {
    let rest = file_name.strip_prefix(prefix)?.strip_suffix(".tmp")?;
    let (pid, random) = rest.split_once('-')?;
    let valid = !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && !random.is_empty()
        && random.bytes().all(|b| b.is_ascii_alphanumeric());
    if valid { pid.parse().ok() } else { None }
}

/// Whether process `pid` is running (or cannot be told: then it is taken to be).
#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    if pid <= 0 {
        return true;
    }
    // SAFETY: signal 0 only checks that the process exists and may be signalled; nothing is sent.
    let found = unsafe { libc::kill(pid, 0) } == 0;
    found || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}

/// Writes `bytes`, made whole beforehand (a report page), to `-o PATH` the way every output goes
/// there: a regular file, or a symlink's final target, replaced atomically; a FIFO or device
/// written straight through.
pub fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (mut out, pending) = open(Some(path), Box::new(io::sink()))?;
    out.write_all(bytes)?;
    commit(out, pending)
}

/// Flushes everything; with a file, syncs it to disk and renames it over its destination.
pub(super) fn commit(out: Out, pending: Option<PendingFile>) -> io::Result<()> {
    let sink = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    match sink {
        Sink::Stdout(mut w) => w.flush(),
        Sink::Through(mut file) => file.flush(),
        Sink::File(file) => {
            file.sync_all()?;
            drop(file);
            let Some(PendingFile { temp, dest, _live }) = pending else {
                return Ok(());
            };
            // On failure the returned TempPath is dropped here, which deletes the temporary file.
            temp.persist(&dest).map_err(|e| e.error)?;
            sync_parent(&dest);
            Ok(())
        }
    }
}

/// The folder holding `path`: `.` for a bare file name, whose parent is the empty path.
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Makes the rename itself durable. Best effort: not every platform can open a directory.
fn sync_parent(path: &Path) {
    #[cfg(unix)]
    {
        if let Ok(dir) = File::open(folder_of(path)) {
            let _ = dir.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::output::tests::{SharedBuf, rows, schema, spec};
    use crate::output::{Format, OutputError, Shape, Writer};

    fn entries(dir: &std::path::Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn file_spec(path: &std::path::Path, fields: &[&str]) -> crate::output::OutputSpec {
        let mut spec = spec(Format::Csv);
        spec.path = Some(path.to_path_buf());
        spec.fields = Some(fields.iter().map(|f| f.to_string()).collect());
        spec
    }

    #[test]
    fn finished_file_is_renamed_into_place_with_no_temporary_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("contacts.csv");
        fs::write(&path, "old\n").unwrap();
        let spec = file_spec(&path, &["contact", "sent"]);
        let stdout = SharedBuf::default();
        let mut writer =
            Writer::open(&spec, schema(), Shape::List, Box::new(stdout.clone())).unwrap();
        writer.write_row(rows().remove(0)).unwrap();
        let temps = entries(dir.path());
        assert_eq!(
            temps.len(),
            2,
            "a temporary file beside the target: {temps:?}"
        );
        assert!(
            temps
                .iter()
                .any(|n| n.starts_with(".contacts.csv.") && n.ends_with(".tmp"))
        );
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "old\n",
            "untouched until finish"
        );
        assert_eq!(writer.finish().unwrap(), 1);
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "contact,sent\n+573001234567,1200\n"
        );
        assert_eq!(entries(dir.path()), vec!["contacts.csv"]);
        assert_eq!(stdout.text(), "", "nothing goes to stdout with -o");
    }

    #[cfg(unix)]
    #[test]
    fn new_file_gets_ordinary_permissions_and_a_replaced_file_keeps_its_own() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &std::path::Path| {
            let spec = file_spec(path, &["contact"]);
            let writer = Writer::open(&spec, schema(), Shape::List, Box::new(SharedBuf::default()));
            writer.unwrap().finish().unwrap();
            fs::metadata(path).unwrap().permissions().mode() & 0o777
        };
        let fresh = dir.path().join("fresh.csv");
        assert_ne!(
            write(&fresh) & 0o044,
            0,
            "readable beyond the owner, as umask allows"
        );
        let shared = dir.path().join("shared.csv");
        fs::write(&shared, "old\n").unwrap();
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o640)).unwrap();
        assert_eq!(write(&shared), 0o640);
    }

    #[test]
    fn dropping_an_unfinished_writer_keeps_the_previous_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.csv");
        fs::write(&path, "previous\n").unwrap();
        let spec = file_spec(&path, &["contact"]);
        let mut writer =
            Writer::open(&spec, schema(), Shape::List, Box::new(SharedBuf::default())).unwrap();
        for _ in 0..10_000 {
            writer.write_row(rows().remove(1)).unwrap();
        }
        drop(writer);
        assert_eq!(fs::read_to_string(&path).unwrap(), "previous\n");
        assert_eq!(entries(dir.path()), vec!["export.csv"]);
    }

    #[test]
    fn bad_fields_create_no_file_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let spec = file_spec(&dir.path().join("x.csv"), &["nope"]);
        let result = Writer::open(&spec, schema(), Shape::List, Box::new(SharedBuf::default()));
        assert!(matches!(result, Err(OutputError::UnknownField { .. })));
        assert!(entries(dir.path()).is_empty());
    }

    #[test]
    fn output_into_a_missing_directory_is_an_io_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("out.csv");
        let spec = file_spec(&path, &["contact"]);
        let result = Writer::open(&spec, schema(), Shape::List, Box::new(SharedBuf::default()));
        let Err(err @ OutputError::Io { .. }) = result else {
            panic!("expected an Io error");
        };
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("could not write {}: ", path.display())),
            "{message}"
        );
        assert!(!dir.path().join("missing").exists());
    }

    #[test]
    fn temporary_files_are_named_for_the_target_and_the_process() {
        let dir = tempfile::tempdir().unwrap();
        let spec = file_spec(&dir.path().join("out.csv"), &["contact"]);
        let writer =
            Writer::open(&spec, schema(), Shape::List, Box::new(SharedBuf::default())).unwrap();
        let names = entries(dir.path());
        assert_eq!(names.len(), 1, "{names:?}");
        let prefix = ".out.csv.wa-analytics-";
        assert_eq!(
            super::stale_pid(&names[0], prefix),
            Some(std::process::id()),
            "{names:?}"
        );
        drop(writer);
        assert!(entries(dir.path()).is_empty());
    }

    #[test]
    fn only_the_exact_temporary_name_pattern_is_read_as_a_leftover() {
        use super::stale_pid;
        let prefix = ".out.csv.wa-analytics-";
        assert_eq!(
            stale_pid(".out.csv.wa-analytics-4242-aB3xYz.tmp", prefix),
            Some(4242)
        );
        for name in [
            ".out.csv.wa-analytics-4242.tmp",
            ".out.csv.wa-analytics--aB3xYz.tmp",
            ".out.csv.wa-analytics-42x-aB3xYz.tmp",
            ".out.csv.wa-analytics-4242-aB3xYz.tmp.keep",
            ".out.csv.wa-analytics-4242-a/b.tmp",
            ".out.csv.aB3xYz.tmp",
            ".out.csv.old.wa-analytics-4242-aB3xYz.tmp",
            "out.csv",
        ] {
            assert_eq!(stale_pid(name, prefix), None, "{name}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_to_the_file_they_end_at() {
        use super::{Target, classify};
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir(d.join("sub")).unwrap();
        fs::write(d.join("sub/real.csv"), "x").unwrap();
        std::os::unix::fs::symlink("real.csv", d.join("sub/hop.csv")).unwrap();
        std::os::unix::fs::symlink("sub/hop.csv", d.join("link.csv")).unwrap();
        assert_eq!(
            classify(&d.join("link.csv")).unwrap(),
            Target::Replace(d.join("sub/real.csv"))
        );
        assert_eq!(
            classify(&d.join("new.csv")).unwrap(),
            Target::Replace(d.join("new.csv"))
        );
        std::os::unix::fs::symlink("loop2", d.join("loop1")).unwrap();
        std::os::unix::fs::symlink("loop1", d.join("loop2")).unwrap();
        let err = classify(&d.join("loop1")).unwrap_err();
        assert_eq!(err.to_string(), "too many levels of symbolic links");
        std::os::unix::fs::symlink("sub", d.join("folder")).unwrap();
        let err = classify(&d.join("folder")).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::IsADirectory);
        assert_eq!(
            classify(std::path::Path::new("/dev/null")).unwrap(),
            Target::Through
        );
        assert_eq!(
            classify(std::path::Path::new("/dev/stdout")).unwrap(),
            Target::Through
        );
    }

    #[test]
    fn a_bare_file_name_gets_its_temporary_file_in_the_current_directory() {
        use std::path::Path;
        assert_eq!(super::folder_of(Path::new("report.json")), Path::new("."));
        assert_eq!(
            super::folder_of(Path::new("out/report.json")),
            Path::new("out")
        );
        assert_eq!(super::folder_of(Path::new("/report.json")), Path::new("/"));
    }

    #[test]
    fn an_atomic_file_is_named_by_the_rule_and_removed_by_the_signal_fallback() {
        use std::io::Write as _;
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("s.json");
        let mut pending = super::AtomicFile::create(&dest).unwrap();
        pending.write_all(b"{}").unwrap();
        let temp = pending.temp_path().to_path_buf();
        let name = temp.file_name().unwrap().to_str().unwrap().to_owned();
        let prefix = format!(".s.json.wa-analytics-{}-", std::process::id());
        assert_eq!(
            super::stale_pid(&name, ".s.json.wa-analytics-"),
            Some(std::process::id()),
            "{name}"
        );
        assert!(
            name.starts_with(&prefix) && name.ends_with(".tmp"),
            "{name}"
        );
        assert!(temp.exists());
        // A run ended by a signal whose main thread is stuck: the fallback removes it.
        super::remove_temporary_files();
        assert!(!temp.exists());
        drop(pending);

        let done = super::AtomicFile::create(&dest).unwrap();
        let temp = done.temp_path().to_path_buf();
        let mut done = done;
        done.write_all(b"{\"v\":1}\n").unwrap();
        done.commit().unwrap();
        assert!(!temp.exists());
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "{\"v\":1}\n");
        let abandoned = super::AtomicFile::create(&dest).unwrap();
        let temp = abandoned.temp_path().to_path_buf();
        drop(abandoned);
        assert!(!temp.exists(), "dropped uncommitted, it leaves nothing");
    }
}
