//! The streams of a run and what is known about them (after the GitHub CLI's `iostreams`): where
//! data goes (stdout), where diagnostics and prompts go (stderr), where answers and `--json -`
//! come from (stdin), and whether each is a terminal. [`IoStreams::system`] is the real process;
//! [`IoStreams::test`] keeps what a run writes in memory and feeds it stdin text, so a command can
//! run in-process in a test with its output captured.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::{Arc, Mutex, PoisonError};

/// Opens a writer on one stream. Each call gives a new handle on the same stream.
pub type WriterFactory = Arc<dyn Fn() -> Box<dyn Write + Send> + Send + Sync>;

/// The streams of one run and the terminal facts about them.
#[derive(Clone)]
pub struct IoStreams {
    stdout: WriterFactory,
    stderr: WriterFactory,
    stdin: Stdin,
    /// Whether stdout is a terminal.
    pub stdout_is_terminal: bool,
    /// Whether stderr is a terminal.
    pub stderr_is_terminal: bool,
    /// Whether stdin is a terminal (write commands may ask for confirmation only then).
    pub stdin_is_terminal: bool,
    /// The terminal's width, when stdout is one.
    pub terminal_width: Option<u16>,
    system: bool,
}

impl IoStreams {
    /// The process's own stdout, stderr and stdin.
    pub fn system() -> IoStreams {
        let stdout_is_terminal = std::io::stdout().is_terminal();
        let terminal_width = if stdout_is_terminal {
            terminal_size::terminal_size().map(|(w, _)| w.0)
        } else {
            None
        };
        IoStreams {
            stdout: Arc::new(|| Box::new(std::io::stdout())),
            stderr: Arc::new(|| Box::new(std::io::stderr())),
            stdin: Stdin(Arc::new(Mutex::new(Source::System))),
            stdout_is_terminal,
            stderr_is_terminal: std::io::stderr().is_terminal(),
            stdin_is_terminal: std::io::stdin().is_terminal(),
            terminal_width,
            system: true,
        }
    }

    /// Streams in memory: nothing is a terminal, stdin is empty (see [`IoStreams::with_stdin`]),
    /// and the returned [`Captured`] reads back what the run wrote.
    pub fn test() -> (IoStreams, Captured) {
        let captured = Captured {
            stdout: Buffer::default(),
            stderr: Buffer::default(),
        };
        let (out, err) = (captured.stdout.clone(), captured.stderr.clone());
        let io = IoStreams {
            stdout: Arc::new(move || Box::new(out.clone())),
            stderr: Arc::new(move || Box::new(err.clone())),
            stdin: Stdin::from_reader(std::io::empty()),
            stdout_is_terminal: false,
            stderr_is_terminal: false,
            stdin_is_terminal: false,
            terminal_width: None,
            system: false,
        };
        (io, captured)
    }

    /// Streams on writers of the caller's choosing; nothing is a terminal and stdin is empty.
    pub fn new(stdout: WriterFactory, stderr: WriterFactory) -> IoStreams {
        IoStreams {
            stdout,
            stderr,
            stdin: Stdin::from_reader(std::io::empty()),
            stdout_is_terminal: false,
            stderr_is_terminal: false,
            stdin_is_terminal: false,
            terminal_width: None,
            system: false,
        }
    }

    /// The same streams with `text` as stdin.
    pub fn with_stdin(mut self, text: impl Into<String>) -> IoStreams {
        self.stdin = Stdin::from_reader(std::io::Cursor::new(text.into().into_bytes()));
        self
    }

    /// The same streams with `reader` as stdin.
    pub fn with_stdin_reader(mut self, reader: impl BufRead + Send + 'static) -> IoStreams {
        self.stdin = Stdin::from_reader(reader);
        self
    }

    /// A writer on stdout (where data goes when there is no `-o`).
    pub fn stdout(&self) -> Box<dyn Write + Send> {
        (self.stdout)()
    }

    /// A writer on stderr (diagnostics, prompts).
    pub fn stderr(&self) -> Box<dyn Write + Send> {
        (self.stderr)()
    }

    /// The stderr factory, for [`crate::log`] to send a run's diagnostics to.
    pub fn stderr_factory(&self) -> WriterFactory {
        self.stderr.clone()
    }

    /// Stdin.
    pub fn stdin(&self) -> &Stdin {
        &self.stdin
    }

    /// Whether these are the process's own streams.
    pub fn is_system(&self) -> bool {
        self.system
    }
}

/// Stdin of a run: the process's, or a reader. Clones read the same input.
#[derive(Clone)]
pub struct Stdin(Arc<Mutex<Source>>);

enum Source {
    System,
    Reader(Box<dyn BufRead + Send>),
}

impl Stdin {
    fn from_reader(reader: impl BufRead + Send + 'static) -> Stdin {
        Stdin(Arc::new(Mutex::new(Source::Reader(Box::new(reader)))))
    }

    /// Runs `f` on the input (for the process, its locked stdin). It blocks while reading: call
    /// it off the async runtime's worker threads when it may wait for a person.
    pub fn with_reader<R>(&self, f: impl FnOnce(&mut dyn BufRead) -> R) -> R {
        let mut source = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match &mut *source {
            Source::System => f(&mut std::io::stdin().lock()),
            Source::Reader(reader) => f(reader.as_mut()),
        }
    }

    /// Reads the input to its end.
    pub fn read_to_string(&self) -> std::io::Result<String> {
        self.with_reader(|r| std::io::read_to_string(r))
    }
}

/// What an in-memory run wrote, read back.
#[derive(Clone, Debug)]
pub struct Captured {
    /// What was written to stdout.
    pub stdout: Buffer,
    /// What was written to stderr.
    pub stderr: Buffer,
}

impl Captured {
    /// Stdout as text (invalid UTF-8 replaced).
    pub fn stdout(&self) -> String {
        self.stdout.text()
    }

    /// Stderr as text (invalid UTF-8 replaced).
    pub fn stderr(&self) -> String {
        self.stderr.text()
    }
}

/// A shared in-memory stream: every clone appends to the same bytes.
#[derive(Clone, Debug, Default)]
pub struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    /// The bytes written so far.
    pub fn bytes(&self) -> Vec<u8> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The text written so far (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes()).into_owned()
    }

    /// The bytes written so far, leaving the buffer empty.
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Forgets what was written.
    pub fn clear(&self) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_streams_capture_what_is_written_and_feed_stdin() {
        let (io, captured) = IoStreams::test();
        let io = io.with_stdin("y\nrest");
        io.stdout().write_all(b"data\n").unwrap();
        io.stdout().write_all(b"more\n").unwrap();
        io.stderr().write_all(b"warning\n").unwrap();
        assert_eq!(captured.stdout(), "data\nmore\n");
        assert_eq!(captured.stderr(), "warning\n");
        let mut line = String::new();
        io.stdin().with_reader(|r| r.read_line(&mut line)).unwrap();
        assert_eq!(line, "y\n");
        assert_eq!(io.stdin().read_to_string().unwrap(), "rest");
        assert!(!io.stdout_is_terminal && !io.stderr_is_terminal && !io.stdin_is_terminal);
        assert!(!io.is_system());
    }
}
