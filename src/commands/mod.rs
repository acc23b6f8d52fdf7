//! One file per subcommand: read the arguments, call the library, print.

pub mod analyze;
pub mod check;
pub mod extract;
pub mod ingest;
pub mod search;
pub mod serve;
pub mod show;
pub mod stats;
pub mod trend;

use std::io::{self, Write};
use std::process::ExitCode;

use newsidx::Error;

/// Exit code when another ingest holds the index (EX_TEMPFAIL).
pub const EXIT_LOCKED: u8 = 75;

/// Prints `error` as one line on stderr and picks the exit code. A closed pipe is a quiet success.
pub fn report(error: &anyhow::Error) -> ExitCode {
    if let Some(io_error) = error.downcast_ref::<io::Error>() {
        if io_error.kind() == io::ErrorKind::BrokenPipe {
            return ExitCode::SUCCESS;
        }
    }
    let _ = writeln!(io::stderr(), "newsidx: {error:#}");
    match error.downcast_ref::<Error>() {
        Some(Error::Usage(_)) => ExitCode::from(2),
        Some(Error::Locked { .. }) => ExitCode::from(EXIT_LOCKED),
        _ => ExitCode::from(1),
    }
}

/// Runs a command that reads the index at `index`; a panic in tantivy's reading of a damaged
/// file becomes an error naming the index and the remedy.
pub fn guarded(
    index: &std::path::Path,
    command: impl FnOnce() -> anyhow::Result<ExitCode>,
) -> anyhow::Result<ExitCode> {
    newsidx::index::health::catch_panic(command).unwrap_or_else(|message| {
        Err(anyhow::Error::new(Error::Damaged {
            path: index.to_path_buf(),
            detail: format!("reading it failed ({message})"),
        }))
    })
}

/// Writes `value` as one line of JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// An article printed for a reader: a labelled line a field, then its captions and its body.
/// `extract` prints articles as extracted, `show` as stored, in the same layout.
pub struct ArticleLines<'a, W: Write> {
    out: &'a mut W,
}

impl<'a, W: Write> ArticleLines<'a, W> {
    pub fn new(out: &'a mut W) -> ArticleLines<'a, W> {
        ArticleLines { out }
    }

    /// `label:` padded to one width, then `value`.
    pub fn field(&mut self, label: &str, value: &str) -> io::Result<()> {
        writeln!(self.out, "{:<11}{value}", format!("{label}:"))
    }

    /// A field that may be missing, shown as "-".
    pub fn optional(&mut self, label: &str, value: Option<&str>) -> io::Result<()> {
        self.field(label, value.unwrap_or("-"))
    }

    /// The date in RFC 3339, marked when it was inferred.
    pub fn date(
        &mut self,
        date: Option<chrono::DateTime<chrono::FixedOffset>>,
        inferred: bool,
    ) -> io::Result<()> {
        let date = date
            .map(|date| date.to_rfc3339())
            .unwrap_or_else(|| "-".to_string());
        let inferred = if inferred { " (inferred)" } else { "" };
        self.field("date", &format!("{date}{inferred}"))
    }

    /// Each caption on a line of its own, a blank line, the body.
    pub fn text(&mut self, captions: &[String], body: &str) -> io::Result<()> {
        for caption in captions {
            self.field("caption", caption)?;
        }
        writeln!(self.out)?;
        writeln!(self.out, "{body}")
    }
}
