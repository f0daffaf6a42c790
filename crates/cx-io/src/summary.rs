//! What a complete read saw: records read, accepted and rejected per
//! reason, the optional fields rejected in kept records, and the first
//! errors.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};
use crate::runs::RespondentRuns;

/// What a complete read saw: `read = accepted + rejected`, per reason,
/// for records; the optional fields that could not be read in accepted
/// records are counted apart, in
/// [`fields_rejected`](Self::fields_rejected), since their records were
/// kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReadSummary {
    /// Records (CSV data rows, NDJSON lines, JSON array elements) read.
    pub records_read: u64,
    /// Records turned into observations and outcomes.
    pub records_accepted: u64,
    /// Records refused, per reason.
    pub records_rejected: BTreeMap<ErrorKind, u64>,
    /// Optional fields (a timestamp, an emotion, a channel, an outcome
    /// value) that could not be read, per reason, in records that were
    /// accepted without them. Not part of `read = accepted + rejected`.
    // Left out of clean reads' serialized summaries, which stay as they
    // were before fields were counted.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields_rejected: BTreeMap<ErrorKind, u64>,
    /// Observations produced.
    pub observations: u64,
    /// Outcomes produced.
    pub outcomes: u64,
    /// Wide files: touchpoint cells left empty (not asked or skipped); they
    /// produce no observation.
    pub empty_cells: u64,
    /// Numbers of accepted records read with a decimal comma (`4,5`;
    /// see [`DecimalMark`](crate::DecimalMark)).
    #[serde(default)]
    pub decimal_commas: u64,
    /// The survey export a CSV file was read as, and how many header rows
    /// it had, when it was not a plain file of one header row
    /// ([`SurveyExport`](crate::SurveyExport)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export: Option<(crate::SurveyExport, usize)>,
    /// Columns in the input that nothing reads.
    pub ignored_columns: Vec<String>,
    /// The first rejected records' and fields' errors, in input order, up
    /// to the reader's limit ([`Error::is_field`] tells a field's apart).
    pub examples: Vec<Error>,
    /// The runs of respondents' rows, when the read was asked to keep them
    /// ([`ResponseReaderBuilder::respondent_runs`](crate::ResponseReaderBuilder::respondent_runs)):
    /// to tell, once every part of the input is merged in, whether a
    /// respondent's rows came back after another's. Not serialized.
    #[serde(skip)]
    pub respondent_runs: Option<RespondentRuns>,
}

impl ReadSummary {
    /// Adds the counts of a summary of a later part of the same input;
    /// examples are kept in order, up to `max_examples`, and the runs of
    /// respondents' rows (where the parts kept them) are joined in order.
    pub fn merge(&mut self, later: ReadSummary, max_examples: usize) {
        self.records_read += later.records_read;
        self.records_accepted += later.records_accepted;
        for (kind, count) in later.records_rejected {
            *self.records_rejected.entry(kind).or_default() += count;
        }
        for (kind, count) in later.fields_rejected {
            *self.fields_rejected.entry(kind).or_default() += count;
        }
        self.observations += later.observations;
        self.outcomes += later.outcomes;
        self.empty_cells += later.empty_cells;
        self.decimal_commas += later.decimal_commas;
        self.export = self.export.or(later.export);
        // The parts of one file share its header, so their lists are
        // usually equal; otherwise a set keeps a wide header's merge linear.
        if self.ignored_columns != later.ignored_columns {
            let known: HashSet<String> = self.ignored_columns.iter().cloned().collect();
            let new = later.ignored_columns.into_iter();
            self.ignored_columns
                .extend(new.filter(|column| !known.contains(column)));
        }
        let room = max_examples.saturating_sub(self.examples.len());
        self.examples.extend(later.examples.into_iter().take(room));
        match (&mut self.respondent_runs, later.respondent_runs) {
            (Some(runs), Some(later)) => runs.merge(later),
            (None, later) => self.respondent_runs = later,
            (Some(_), None) => {}
        }
    }

    /// All rejected records, over every reason.
    pub fn records_rejected_total(&self) -> u64 {
        self.records_rejected.values().sum()
    }

    /// All rejected fields of accepted records, over every reason.
    pub fn fields_rejected_total(&self) -> u64 {
        self.fields_rejected.values().sum()
    }

    /// What [`export`](Self::export) says, as words:
    /// `a Qualtrics export (3 header rows)`, `a CSV file of 2 header rows`;
    /// `None` for a plain file of one header row.
    pub fn export_said(&self) -> Option<String> {
        let (export, rows) = self.export?;
        let rows = crate::export::header_rows_said(rows);
        Some(match export {
            crate::SurveyExport::Plain => format!("a CSV file of {rows}"),
            export => format!("a {export} export ({rows})"),
        })
    }

    /// Whether `records_read = records_accepted + records_rejected`.
    pub fn reconciles(&self) -> bool {
        self.records_read == self.records_accepted + self.records_rejected_total()
    }
}

impl fmt::Display for ReadSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(export) = self.export_said() {
            writeln!(f, "read as {export}")?;
        }
        writeln!(
            f,
            "records read {} = accepted {} + rejected {}",
            self.records_read,
            self.records_accepted,
            self.records_rejected_total()
        )?;
        for (kind, count) in &self.records_rejected {
            writeln!(f, "  rejected, {kind}: {count}")?;
        }
        if !self.fields_rejected.is_empty() {
            writeln!(
                f,
                "fields rejected in accepted records {}",
                self.fields_rejected_total()
            )?;
            for (kind, count) in &self.fields_rejected {
                writeln!(f, "  field rejected, {kind}: {count}")?;
            }
        }
        write!(
            f,
            "observations {}, outcomes {}, empty cells {}",
            self.observations, self.outcomes, self.empty_cells
        )?;
        if self.decimal_commas > 0 {
            write!(
                f,
                "\nnumbers read with a decimal comma {}",
                self.decimal_commas
            )?;
        }
        Ok(())
    }
}
