//! The one error of writing a report.

use std::{fmt, io};

/// A report that could not be written.
///
/// Every value cx-score makes can be written, so the only error in practice
/// is the output's own ([`ErrorKind::Io`]): a full disk, a closed pipe. The
/// message is `cannot write the report: ` and the cause's;
/// [`source`](std::error::Error::source) gives the cause itself.
///
/// # Example
///
/// ```
/// use std::io;
///
/// use cx_model::{Channel, Journey, Scale, Stage, Touchpoint};
/// use cx_report::ErrorKind;
/// use cx_score::{ScoreConfig, ScorecardAccumulator};
///
/// /// An output that refuses every byte.
/// struct Full;
///
/// impl io::Write for Full {
///     fn write(&mut self, _: &[u8]) -> io::Result<usize> {
///         Err(io::Error::other("disk full"))
///     }
///     fn flush(&mut self) -> io::Result<()> {
///         Ok(())
///     }
/// }
///
/// let journey = Journey::builder("Shop", Scale::LIKERT_5)
///     .stage(Stage::new("Buy").touchpoint(Touchpoint::new("till", "Till", Channel::Store)))
///     .build()?;
/// let card = ScorecardAccumulator::new(journey, ScoreConfig::default())?.finish();
///
/// let error = cx_report::write_markdown(&card, Full).unwrap_err();
/// assert_eq!(error.kind(), ErrorKind::Io);
/// assert!(error.is_io());
/// assert_eq!(error.to_string(), "cannot write the report: disk full");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    cause: Cause,
}

/// What went wrong underneath.
#[derive(Debug)]
enum Cause {
    Io(io::Error),
    Json(serde_json::Error),
    Csv(csv::Error),
}

/// What kind of [`Error`] it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The output could not be written.
    Io,
    /// A value could not be encoded as JSON (never a value cx-score makes).
    Json,
    /// A record could not be encoded as CSV (never a value cx-score makes).
    Csv,
}

impl ErrorKind {
    /// The snake_case name: `"io"`, `"json"` or `"csv"`.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(cx_report::ErrorKind::Io.name(), "io");
    /// assert_eq!(cx_report::ErrorKind::Csv.to_string(), "csv");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Json => "json",
            ErrorKind::Csv => "csv",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl Error {
    /// What kind of error it is.
    ///
    /// # Example
    ///
    /// See [`Error`].
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Whether the output could not be written.
    ///
    /// # Example
    ///
    /// See [`Error`].
    pub fn is_io(&self) -> bool {
        self.kind == ErrorKind::Io
    }

    pub(crate) fn io(error: io::Error) -> Self {
        Error::new(true, ErrorKind::Io, Cause::Io(error))
    }

    pub(crate) fn json(error: serde_json::Error) -> Self {
        Error::new(error.is_io(), ErrorKind::Json, Cause::Json(error))
    }

    pub(crate) fn csv(error: csv::Error) -> Self {
        Error::new(error.is_io_error(), ErrorKind::Csv, Cause::Csv(error))
    }

    /// An error of kind `kind`, or [`ErrorKind::Io`] when the encoder
    /// failed only because the output did.
    fn new(is_io: bool, kind: ErrorKind, cause: Cause) -> Self {
        let kind = if is_io { ErrorKind::Io } else { kind };
        Error { kind, cause }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot write the report: ")?;
        match &self.cause {
            Cause::Io(error) => error.fmt(f),
            Cause::Json(error) => error.fmt(f),
            Cause::Csv(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.cause {
            Cause::Io(error) => Some(error),
            Cause::Json(error) => Some(error),
            Cause::Csv(error) => Some(error),
        }
    }
}

/// A result whose error is a report [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_send_and_sync() {
        fn check<T: Send + Sync + std::error::Error + 'static>() {}
        check::<Error>();
    }

    #[test]
    fn an_output_error_through_csv_or_json_is_an_io_error() {
        let io = || io::Error::other("disk full");
        for error in [
            Error::io(io()),
            Error::json(serde_json::Error::io(io())),
            Error::csv(csv::Error::from(io())),
        ] {
            assert_eq!(error.kind(), ErrorKind::Io);
            assert_eq!(error.to_string(), "cannot write the report: disk full");
            assert!(std::error::Error::source(&error).is_some());
        }
    }
}
