//! Regression (issue 19, "no silent wrong answer"): a respondent who comes
//! back after another respondent's rows only on a row of outcome values
//! (no touchpoint, no rating). The check after a contiguous read of a file
//! looked at the observations' runs only, so such a respondent went
//! unseen: its outcome was counted twice (three loyalty answers from two
//! people), or a contradicting answer was counted as another person's,
//! without a word. Now every row's respondent is told to the check, the
//! file is read again as `--scattered` reads it, and a stream stops there
//! as it does for a returning observation row.
//!
//! The figures are counted by hand from the three rows of each file.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

mod common;
use common::{SAMPLE_JOURNEY, assert_exit, cx, sh, temp_dir};

const HEADER: &str =
    "respondent_id,touchpoint,reality,would_return,would_recommend,likelihood_to_recommend\n";

/// "a" comes back on line 4 with an answer it had not given (would
/// recommend: yes) and one it had (would return: yes).
const ADDS: &str = "a,website,4,yes,,9\nb,website,5,no,no,3\na,,,yes,yes,\n";

/// "a" comes back on line 4 and contradicts its would-return answer.
const CONTRADICTS: &str = "a,website,4,yes,,9\nb,website,5,no,no,3\na,,,no,,\n";

/// `rows` under the header, in a file `name` of the test's folder.
fn file(dir: &Path, name: &str, rows: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, format!("{HEADER}{rows}")).unwrap();
    path
}

/// `cx score FILE --format json` with `extra`.
fn score(path: &Path, extra: &[&str]) -> Output {
    let path = path.to_str().unwrap();
    let mut args = vec![
        "score",
        path,
        "--journey",
        SAMPLE_JOURNEY,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    cx(&args)
}

/// The scorecard's outcome count, the would-return and would-recommend
/// yes counts and their n, and NPS's n, promoters and detractors.
fn loyalty(output: &Output) -> [u64; 8] {
    let card: Value = serde_json::from_slice(&output.stdout).unwrap();
    let question = |index: usize| &card["overall"]["loyalty"]["questions"][index]["yes"];
    let nps = &card["overall"]["nps"];
    [
        &card["counts"]["outcomes"]["accepted"],
        &question(1)["count"],
        &question(1)["n"],
        &question(2)["count"],
        &question(2)["n"],
        &nps["n"],
        &nps["promoters"],
        &nps["detractors"],
    ]
    .map(|value| value.as_u64().unwrap())
}

/// Read as contiguous (the default), the file is found out and read again
/// holding every respondent: the scorecard is `--scattered`'s to the byte,
/// "a" once with both its answers. Counted by hand: 2 outcomes; would
/// return yes 1 of 2 (a yes, b no); would recommend yes 1 of 2 (a's on
/// line 4, b no); NPS over 2, a promoter (a, 9) and a detractor (b, 3).
/// Before the fix: 3 outcomes and would return yes 2 of 3, silently.
#[test]
fn a_file_is_read_again_and_the_returning_answers_merged() {
    let dir = temp_dir("adds");
    let path = file(&dir, "adds.csv", ADDS);
    let (contiguous, scattered) = (score(&path, &[]), score(&path, &["--scattered"]));
    assert_exit(
        &contiguous,
        0,
        "adds.csv: the rows of 1 respondent are not together (they come back after another respondent's); reading it again holding every respondent, as --scattered does",
    );
    assert_eq!(scattered.status.code(), Some(0));
    assert!(
        contiguous.stdout == scattered.stdout,
        "not --scattered's scorecard"
    );
    assert_eq!(loyalty(&contiguous), [2, 1, 2, 1, 2, 2, 1, 1]);
    fs::remove_dir_all(&dir).unwrap();
}

/// A contradicting answer on the returning row is rejected as the
/// scattered read rejects it (`conflicting_answer`, at line 4 and its
/// column), and "a" keeps its first answer: would return yes 1 of 2, NPS
/// over 2. Before the fix: 3 outcomes, would return yes 1 of 3, and no
/// rejection.
#[test]
fn a_contradicting_answer_on_the_returning_row_is_rejected() {
    let dir = temp_dir("contradicts");
    let path = file(&dir, "contradicts.csv", CONTRADICTS);
    // One record in three is rejected, past the default 5%.
    let limit = ["--max-rejected", "1"];
    let contiguous = score(&path, &limit);
    let scattered = score(&path, &[&limit[..], &["--scattered"]].concat());
    assert_exit(&contiguous, 0, "the rows of 1 respondent are not together");
    let name = path.display();
    let rejection = format!(
        "{name}: 1 of 3 records rejected (run `cx validate` for details); first: {name}:4: column \"would_return\": respondent \"a\" answered \"no\" here but \"yes\" on an earlier row"
    );
    for output in [&contiguous, &scattered] {
        assert_exit(output, 0, &rejection);
    }
    assert!(
        contiguous.stdout == scattered.stdout,
        "not --scattered's scorecard"
    );
    assert_eq!(loyalty(&contiguous), [2, 1, 2, 0, 1, 2, 1, 1]);
    // Without the limit raised, the rejection fails the run, as it does
    // read --scattered.
    assert_exit(
        &score(&path, &[]),
        1,
        "more than --max-rejected 5% allows; most often conflicting_answer (1)",
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// A stream cannot be read again: a respondent that comes back on an
/// outcome-only row stops it with exit 1, naming the id, the line where it
/// comes back and the line its rows began on, as a returning observation
/// row does; so does a respondent whose outcome-only row came first and
/// whose observation comes back. Nothing is written. With `--scattered`
/// the stream scores as the file does.
#[cfg(unix)]
#[test]
fn a_stream_stops_where_the_outcome_row_comes_back() {
    let dir = temp_dir("stream");
    let adds = file(&dir, "adds.csv", ADDS);
    let first = file(
        &dir,
        "first.csv",
        "a,,,yes,,9\nb,website,5,no,no,3\na,website,4,,,\n",
    );
    let advice = "the rows of each respondent must be together: sort the input by respondent_id, or pass --scattered to hold every respondent";
    for path in [&adds, &first, &file(&dir, "contradicts.csv", CONTRADICTS)] {
        let output = sh(&format!(
            "\"$CX\" score - --journey {SAMPLE_JOURNEY} --format json < {}",
            path.display()
        ));
        assert_eq!(output.status.code(), Some(1), "{}", path.display());
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            format!(
                "cx: standard input:4: respondent \"a\" comes back here after other respondents' rows; its rows began at line 2; {advice}\n"
            ),
            "{}",
            path.display()
        );
        assert!(output.stdout.is_empty(), "{}", path.display());
    }
    let output = sh(&format!(
        "cat {} | \"$CX\" score - --journey {SAMPLE_JOURNEY} --format json --scattered",
        adds.display()
    ));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(loyalty(&output), [2, 1, 2, 1, 2, 2, 1, 1]);
    fs::remove_dir_all(&dir).unwrap();
}

/// `cx compare` and `cx drivers` gather each respondent by id wherever its
/// rows are: a contradicting answer on the returning row is refused and
/// counted there too (it overwrote the first answer before), and the
/// default --max-rejected 5% fails the run on it.
#[test]
fn the_research_commands_refuse_the_contradiction_too() {
    let dir = temp_dir("research");
    let path = file(&dir, "contradicts.csv", CONTRADICTS);
    let path = path.to_str().unwrap();
    let args = [
        "compare",
        path,
        "--journey",
        SAMPLE_JOURNEY,
        "--bootstrap",
        "0",
        "--outcome",
        "would-return",
        "--format",
        "json",
    ];
    let output = cx(&[&args[..], &["--max-rejected", "1"]].concat());
    assert_exit(&output, 0, &format!("{path}: 1 records rejected"));
    let comparison: Value = serde_json::from_slice(&output.stdout).unwrap();
    // "a" keeps its first answer (yes), "b" said no: both can be scored.
    assert_eq!(comparison["respondents"], 2, "{comparison}");
    assert_exit(
        &cx(&args),
        1,
        "1 of 3 records rejected, more than --max-rejected 5% allows",
    );
    fs::remove_dir_all(&dir).unwrap();
}
