//! Finding the columns a layout reads among the names an input offers (a
//! CSV header, or the keys of a JSON input's first object): names match
//! once surrounding white space is trimmed and case is ignored, so
//! `Respondent_ID` and ` respondent_id ` are the `respondent_id` column.

use crate::error::{Error, ErrorKind};
use crate::source::Context;
use crate::suggest::{did_you_mean, folded};

/// Whether `a` and `b` name the same column: equal once surrounding white
/// space is trimmed and both are in lower case.
pub(crate) fn same_column(a: &str, b: &str) -> bool {
    folded(a).eq(folded(b))
}

/// The first of `offered` that names the column `wanted`.
pub(crate) fn position(offered: &[String], wanted: &str) -> Option<usize> {
    offered.iter().position(|name| same_column(name, wanted))
}

/// The columns `wanted` as the input spells them, for its source to bind
/// by name: a wanted name that no offered one matches stays as it is.
/// `offered` is what the input offers (a CSV header, which `has_header`
/// says it is, or the keys of the first JSON object); `required`, the
/// columns a header must have for `layout`.
///
/// # Errors
///
/// A fatal [`ErrorKind::DuplicateColumn`] naming a wanted column that two
/// offered names match, and both of them; a fatal
/// [`ErrorKind::MissingColumn`] naming a required column that a header
/// lacks, with the closest name of the header that no wanted column takes
/// as a suggestion.
pub(crate) fn resolve(
    context: &Context,
    offered: &[String],
    (wanted, required): (&[String], &[String]),
    has_header: bool,
    layout: &str,
) -> Result<Vec<String>, Error> {
    let mut spelled: Vec<String> = Vec::with_capacity(wanted.len());
    for name in wanted {
        let mut matches = offered
            .iter()
            .enumerate()
            .filter(|(_, offered)| same_column(offered, name));
        match (matches.next(), matches.next()) {
            (Some(first), Some(second)) => {
                return Err(ambiguous(context, name, first, second, has_header));
            }
            (Some((_, spelling)), None) => spelled.push(spelling.clone()),
            (None, _) => spelled.push(name.clone()),
        }
    }
    if has_header && let Some(column) = required.iter().find(|c| position(offered, c).is_none()) {
        // A name that another column takes is no candidate.
        let free = offered.iter().filter(|name| !spelled.contains(name));
        let suggestion = did_you_mean(column, free.map(String::as_str));
        return Err(context.header_error(
            ErrorKind::MissingColumn,
            Some(column),
            format!(
                "missing from the header; expected it for the {layout} layout (header: {}){suggestion}",
                listed(offered)
            ),
        ));
    }
    Ok(spelled)
}

/// The most header names an error lists.
const LISTED_NAMES: usize = 20;

/// A header's names for a message: every one of a short header; of a long
/// one, the first [`LISTED_NAMES`] and how many more, so that an error
/// stays a line.
fn listed(names: &[String]) -> String {
    match names.get(LISTED_NAMES..) {
        Some(rest) if !rest.is_empty() => {
            let first = names.get(..LISTED_NAMES).unwrap_or_default().join(", ");
            format!("{first} and {} more", rest.len())
        }
        _ => names.join(", "),
    }
}

/// The error of a wanted column that two offered names match.
#[cold]
fn ambiguous(
    context: &Context,
    wanted: &str,
    (first, a): (usize, &String),
    (second, b): (usize, &String),
    has_header: bool,
) -> Error {
    let rule = "once case and surrounding spaces are ignored; expected one";
    if has_header {
        context.header_error(
            ErrorKind::DuplicateColumn,
            Some(wanted),
            format!(
                "matches two columns of the header, {a:?} (column {}) and {b:?} (column {}), {rule}",
                first + 1,
                second + 1
            ),
        )
    } else {
        context.error(
            ErrorKind::DuplicateColumn,
            None,
            None,
            Some(wanted),
            format!("matches two keys of the first object, {a:?} and {b:?}, {rule}"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Naming;

    fn names(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn a_long_header_is_listed_in_part() {
        let short = names(&["a", "b"]);
        assert_eq!(listed(&short), "a, b");
        let long: Vec<String> = (0..25).map(|i| format!("c{i}")).collect();
        let twenty: Vec<String> = (0..20).map(|i| format!("c{i}")).collect();
        assert_eq!(listed(&long), format!("{} and 5 more", twenty.join(", ")));
        assert_eq!(listed(&long[..20]), twenty.join(", "));
    }

    #[test]
    fn case_and_surrounding_spaces_do_not_count() {
        let cases = [
            ("respondent_id", "respondent_id", true),
            ("Respondent_ID", "respondent_id", true),
            (" respondent_id ", "RESPONDENT_ID", true),
            ("\trespondent_id", "respondent_id", true),
            ("Äußerung", "äußerung", true),
            // Inner spaces and other characters do.
            ("respondent id", "respondent_id", false),
            ("respondent_id2", "respondent_id", false),
            ("", "respondent_id", false),
        ];
        for (a, b, same) in cases {
            assert_eq!(same_column(a, b), same, "{a:?} and {b:?}");
        }
    }

    fn context(file: &str, naming: Naming) -> Context {
        Context {
            file: file.to_owned(),
            naming,
        }
    }

    /// Resolves `wanted` against `offered`, reading a long CSV file.
    fn long_csv(
        offered: &[&str],
        wanted: &[&str],
        required: &[&str],
    ) -> Result<Vec<String>, Error> {
        let csv = context("r.csv", Naming::Column);
        resolve(
            &csv,
            &names(offered),
            (&names(wanted), &names(required)),
            true,
            "long",
        )
    }

    #[test]
    fn wanted_names_take_the_inputs_spelling() {
        let offered = ["Respondent_ID", "Touchpoint ", "reality", "Note"];
        let wanted = ["respondent_id", "touchpoint", "reality", "comment"];
        assert_eq!(
            long_csv(&offered, &wanted, &wanted[..3]),
            Ok(names(&[
                "Respondent_ID",
                "Touchpoint ",
                "reality",
                "comment"
            ]))
        );
        assert_eq!(position(&names(&offered), "TOUCHPOINT"), Some(1));
        assert_eq!(position(&names(&offered), "comment"), None);
    }

    #[test]
    fn two_matching_names_are_ambiguous() {
        let error = long_csv(
            &["Reality", "touchpoint", "reality"],
            &["touchpoint", "reality"],
            &[],
        )
        .unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::DuplicateColumn);
        assert!(error.is_fatal());
        assert_eq!(
            error.to_string(),
            r#"r.csv:1: column "reality": matches two columns of the header, "Reality" (column 1) and "reality" (column 3), once case and surrounding spaces are ignored; expected one"#
        );
        let json = context("r.ndjson", Naming::Field);
        let keys = names(&["Reality", "reality"]);
        let error = resolve(&json, &keys, (&names(&["reality"]), &[]), false, "long").unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"r.ndjson: field "reality": matches two keys of the first object, "Reality" and "reality", once case and surrounding spaces are ignored; expected one"#
        );
    }

    #[test]
    fn a_missing_column_suggests_a_free_name_of_the_header() {
        let wanted = ["respondent_id", "touchpoint", "reality"];
        // "Respondent ID" is 1 from "respondent_id" (" " for "_").
        let error = long_csv(
            &["Respondent ID", "touchpoint", "reality"],
            &wanted,
            &wanted,
        )
        .unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::MissingColumn);
        assert_eq!(
            error.to_string(),
            r#"r.csv:1: column "respondent_id": missing from the header; expected it for the long layout (header: Respondent ID, touchpoint, reality); did you mean "Respondent ID"?"#
        );
        // "touchpoints" is 1 from "touchpoint" (a deletion).
        let error = long_csv(
            &["respondent_id", "reality", "touchpoints"],
            &wanted,
            &wanted,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"r.csv:1: column "touchpoint": missing from the header; expected it for the long layout (header: respondent_id, reality, touchpoints); did you mean "touchpoints"?"#
        );
        // A weight column "realty" is 1 from "reality", which the reality
        // column reads: no suggestion.
        let weighted = ["respondent_id", "touchpoint", "reality", "realty"];
        let error = long_csv(&wanted, &weighted, &weighted).unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"r.csv:1: column "realty": missing from the header; expected it for the long layout (header: respondent_id, touchpoint, reality)"#
        );
        // JSON inputs have no header to require columns of.
        let json = context("r.ndjson", Naming::Field);
        let spelled = resolve(
            &json,
            &[],
            (&names(&wanted), &names(&wanted)),
            false,
            "long",
        );
        assert_eq!(spelled, Ok(names(&wanted)));
    }
}
