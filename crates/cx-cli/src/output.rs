//! Where a command writes and in which format: `--format`, else the
//! extension of `--output`, else a table; `--output -` is standard output.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::pipeline::Failure;

/// An output format. Each command writes some of them (see
/// [`Format::chosen`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Aligned text for the terminal (coloured when it supports colour); .txt.
    Table,
    /// Markdown tables; .md.
    Markdown,
    /// JSON; .json.
    Json,
    /// CSV; .csv.
    Csv,
    /// The journey map as one self-contained HTML page; .html.
    Html,
}

impl Format {
    /// The extensions that name each format, the first the usual one.
    const EXTENSIONS: [(Format, &'static [&'static str]); 5] = [
        (Format::Table, &["txt", "text"]),
        (Format::Markdown, &["md", "markdown"]),
        (Format::Json, &["json"]),
        (Format::Csv, &["csv"]),
        (Format::Html, &["html", "htm"]),
    ];

    /// The format's name, as `--format` takes it (clap's value name).
    fn name(self) -> String {
        self.to_possible_value()
            .map(|value| value.get_name().to_owned())
            .unwrap_or_default()
    }

    /// The format `command` writes: the one asked for, else the one the
    /// extension of `output` names (any case), else a table; `writes`
    /// lists the formats the command has. A format it does not have, an
    /// unknown extension, or a file name without one is a usage error
    /// that lists the known ones.
    pub(crate) fn chosen(
        command: &str,
        asked: Option<Format>,
        output: &Output,
        writes: &[Format],
    ) -> Result<Format, Failure> {
        let known = || {
            let names: Vec<String> = writes
                .iter()
                .filter_map(|format| {
                    let (_, extensions) = Self::EXTENSIONS.iter().find(|(f, _)| f == format)?;
                    Some(format!(".{} ({})", extensions.first()?, format.name()))
                })
                .collect();
            names.join(", ")
        };
        let format = match (asked, output.file()) {
            (Some(format), _) => format,
            (None, None) => writes.first().copied().unwrap_or(Format::Table),
            (None, Some(path)) => {
                let extension = path
                    .extension()
                    .and_then(|extension| extension.to_str())
                    .map(str::to_ascii_lowercase);
                let Some(extension) = extension else {
                    return Err(Failure::usage(format!(
                        "cannot tell the format of {} from its name: end it in {}, or give --format",
                        path.display(),
                        known()
                    )));
                };
                let named = Self::EXTENSIONS
                    .iter()
                    .find(|(_, extensions)| extensions.contains(&extension.as_str()))
                    .map(|&(format, _)| format);
                match named {
                    Some(format) => format,
                    None => {
                        return Err(Failure::usage(format!(
                            "{}: .{extension} is not a format cx {command} writes; it writes {}",
                            path.display(),
                            known()
                        )));
                    }
                }
            }
        };
        if writes.contains(&format) {
            Ok(format)
        } else {
            let hint = if format == Format::Html {
                " (the journey map: cx report, or cx score -o map.html)"
            } else {
                ""
            };
            Err(Failure::usage(format!(
                "cx {command} does not write {}{hint}; it writes {}",
                format.name(),
                known()
            )))
        }
    }
}

/// Where a command writes: `--output FILE`, or standard output (no
/// `--output`, or `--output -`).
#[derive(Debug, Clone)]
pub(crate) struct Output(Option<PathBuf>);

impl Output {
    /// The destination `--output` names; `-` and none are standard output.
    pub(crate) fn new(output: Option<&Path>) -> Self {
        Output(
            output
                .filter(|path| *path != Path::new("-"))
                .map(Path::to_path_buf),
        )
    }

    /// The file, if not standard output.
    pub(crate) fn file(&self) -> Option<&Path> {
        self.0.as_deref()
    }

    /// Whether this is standard output.
    pub(crate) fn is_stdout(&self) -> bool {
        self.0.is_none()
    }

    /// Writes `bytes`: to the file whole or not at all (see
    /// [`cx_io::write_file`]), or to standard output. A write that fails
    /// (a full disk, a closed pipe) is a data failure: exit 1 with the
    /// reason.
    pub(crate) fn write(&self, bytes: &[u8]) -> Result<(), Failure> {
        match self.file() {
            Some(path) => cx_io::write_file(path, |out| out.write_all(bytes))
                .map_err(|e| Failure::data(format!("{}: cannot write: {e}", path.display()))),
            None => {
                let mut stdout = std::io::stdout().lock();
                stdout
                    .write_all(bytes)
                    .and_then(|()| stdout.flush())
                    .map_err(|e| Failure::data(format!("cannot write to standard output: {e}")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const SCORE: [Format; 5] = [
        Format::Table,
        Format::Markdown,
        Format::Json,
        Format::Csv,
        Format::Html,
    ];

    fn chosen(
        asked: Option<Format>,
        output: Option<&str>,
        writes: &[Format],
    ) -> Result<Format, String> {
        let output = Output::new(output.map(Path::new));
        Format::chosen("score", asked, &output, writes).map_err(|failure| failure.message)
    }

    #[test]
    fn the_extension_names_the_format_in_any_case() {
        for (name, format) in [
            ("out.json", Format::Json),
            ("OUT.CSV", Format::Csv),
            ("notes.md", Format::Markdown),
            ("notes.markdown", Format::Markdown),
            ("map.html", Format::Html),
            ("map.htm", Format::Html),
            ("card.txt", Format::Table),
        ] {
            assert_eq!(chosen(None, Some(name), &SCORE), Ok(format), "{name}");
        }
    }

    #[test]
    fn format_overrides_the_extension_and_stdout_is_a_table() {
        assert_eq!(
            chosen(Some(Format::Csv), Some("out.json"), &SCORE),
            Ok(Format::Csv)
        );
        assert_eq!(
            chosen(Some(Format::Json), Some("no_extension"), &SCORE),
            Ok(Format::Json)
        );
        assert_eq!(chosen(None, None, &SCORE), Ok(Format::Table));
        assert_eq!(chosen(None, Some("-"), &SCORE), Ok(Format::Table));
        assert!(Output::new(Some(Path::new("-"))).is_stdout());
        // A command whose only format is HTML writes it by default.
        assert_eq!(chosen(None, Some("-"), &[Format::Html]), Ok(Format::Html));
    }

    #[test]
    fn an_unknown_or_missing_extension_lists_the_known_ones() {
        assert_eq!(
            chosen(None, Some("out.xlsx"), &[Format::Table, Format::Json, Format::Csv]),
            Err("out.xlsx: .xlsx is not a format cx score writes; it writes .txt (table), .json (json), .csv (csv)".to_owned())
        );
        assert_eq!(
            chosen(None, Some("scorecard"), &[Format::Json]),
            Err("cannot tell the format of scorecard from its name: end it in .json (json), or give --format".to_owned())
        );
        assert_eq!(
            chosen(None, Some("r.json"), &[Format::Html]),
            Err("cx score does not write json; it writes .html (html)".to_owned())
        );
        assert_eq!(
            chosen(None, Some("map.html"), &[Format::Table, Format::Json]),
            Err("cx score does not write html (the journey map: cx report, or cx score -o map.html); it writes .txt (table), .json (json)".to_owned())
        );
    }
}
