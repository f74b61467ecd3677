//! Where the bytes go: standard output, or a temporary file beside `-o FILE` that is renamed into
//! place only once the whole result was written (product.md, "Output contract": a failed run leaves
//! the previous file untouched and no temporary file behind).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::TempPath;

/// Buffer size for both stdout and files: large enough that a million-row export makes few
/// system calls.
const BUFFER_BYTES: usize = 64 * 1024;

/// The buffered destination every renderer writes into.
pub(super) type Out = BufWriter<Sink>;

/// The unbuffered destination: the caller's stdout, or the temporary file.
pub(super) enum Sink {
    /// Standard output (or whatever the caller passed in its place).
    Stdout(Box<dyn Write + Send>),
    /// The temporary file that becomes `-o FILE`.
    File(File),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File(f) => f.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => w.write_all(buf),
            Sink::File(f) => f.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File(f) => f.flush(),
        }
    }
}

/// A temporary file waiting to be renamed over its destination. Dropping it deletes the
/// temporary file.
pub(super) struct PendingFile {
    temp: TempPath,
    dest: PathBuf,
}

/// Opens the destination: `stdout` when `path` is `None`, else a new temporary file in the same
/// folder as `path` (so the final rename stays on one file system and is atomic).
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
    let dir = folder_of(path);
    let name = path.file_name().map_or_else(
        || "output".into(),
        |name| name.to_string_lossy().into_owned(),
    );
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // tempfile creates files readable by the owner only; an export should get the usual
    // permissions instead (0666 less the umask), like any file the user's shell would create.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let (file, temp) = builder.tempfile_in(dir)?.into_parts();
    // Replacing a file keeps its permissions (a report shared with a group stays shared).
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => file.set_permissions(meta.permissions())?,
        _ => {}
    }
    let pending = PendingFile {
        temp,
        dest: path.to_path_buf(),
    };
    Ok((
        BufWriter::with_capacity(BUFFER_BYTES, Sink::File(file)),
        Some(pending),
    ))
}

/// Flushes everything; with a file, syncs it to disk and renames it over its destination.
pub(super) fn commit(out: Out, pending: Option<PendingFile>) -> io::Result<()> {
    let sink = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    match sink {
        Sink::Stdout(mut w) => w.flush(),
        Sink::File(file) => {
            file.sync_all()?;
            drop(file);
            let Some(PendingFile { temp, dest }) = pending else {
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
    fn a_bare_file_name_gets_its_temporary_file_in_the_current_directory() {
        use std::path::Path;
        assert_eq!(super::folder_of(Path::new("report.json")), Path::new("."));
        assert_eq!(
            super::folder_of(Path::new("out/report.json")),
            Path::new("out")
        );
        assert_eq!(super::folder_of(Path::new("/report.json")), Path::new("/"));
    }
}
