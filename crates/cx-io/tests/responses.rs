//! Reading survey responses: every supported variation, every error with its
//! exact location and message, and the long-layout round trip.

// In tests a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cx_io::{
    Error, ErrorKind, ErrorPolicy, InputFormat, JourneyFile, JourneyFormat, Layout, Location,
    LongCsvWriter, ReadSummary, Record, RespondentOrder, ResponseReaderBuilder,
};
use cx_model::{Answer, Channel, Emotion, LoyaltyQuestion, Observation, Outcome, OutcomeRecord};
use proptest::prelude::*;

/// A two-touchpoint journey on 1..=5 with 0 meaning not applicable.
fn journey() -> JourneyFile {
    JourneyFile::parse(
        r#"
name = "Shop"
scale = { min = 1, max = 5, not_applicable = 0 }
[[stages]]
name = "Buy"
touchpoints = [
  { id = "till", name = "Till", channel = "store", target = 4, source_column = "Till rating" },
  { id = "web", name = "Website", channel = "web", source_column = "Web rating", expectation_column = "Web expected" },
]
"#,
        JourneyFormat::Toml,
    )
    .unwrap()
}

struct Read {
    records: Vec<Record>,
    summary: ReadSummary,
}

impl Read {
    fn observations(&self) -> Vec<&Observation> {
        self.records
            .iter()
            .filter_map(|r| match r {
                Record::Observation(o) => Some(o),
                Record::Outcome(_) => None,
            })
            .collect()
    }

    fn outcomes(&self) -> Vec<&Outcome> {
        self.records
            .iter()
            .filter_map(|r| match r {
                Record::Outcome(o) => Some(o),
                Record::Observation(_) => None,
            })
            .collect()
    }
}

fn read_with(
    text: &[u8],
    name: &str,
    mut builder: ResponseReaderBuilder,
    policy: ErrorPolicy,
) -> Result<Read, Error> {
    let reader = builder
        .name(name)
        .error_policy(policy)
        .from_reader(std::io::Cursor::new(text.to_vec()), &journey())?;
    let mut records = Vec::new();
    let summary = reader.read_all(|record| records.push(record))?;
    assert!(summary.reconciles(), "{summary:?}");
    Ok(Read { records, summary })
}

fn read(text: &str, name: &str) -> Read {
    read_with(
        text.as_bytes(),
        name,
        ResponseReaderBuilder::new(),
        ErrorPolicy::Strict,
    )
    .unwrap()
}

fn lenient(text: &str, name: &str) -> Read {
    read_with(
        text.as_bytes(),
        name,
        ResponseReaderBuilder::new(),
        ErrorPolicy::Lenient,
    )
    .unwrap()
}

fn strict_error(text: &[u8], name: &str) -> Error {
    read_with(
        text,
        name,
        ResponseReaderBuilder::new(),
        ErrorPolicy::Strict,
    )
    .err()
    .expect("an error")
}

const BASIC: &str = "respondent_id,touchpoint,reality,expectation,segment,channel,timestamp,emotion,comment,expectations_met,would_return,would_recommend,likelihood_to_recommend,effort\n\
r1,till,4,3,smb,phone,2024-03-15T12:34:56Z,Cared-For,\"late, but kind\",yes,Y,1,9,2\n\
r1,web,2,,smb,,2024-03-15,,,,,,,\n";

fn check_basic(read: &Read) {
    let observations = read.observations();
    assert_eq!(observations.len(), 2);
    let till = observations[0];
    assert_eq!(
        (till.respondent_id.as_str(), till.touchpoint_id.as_str()),
        ("r1", "till")
    );
    assert_eq!((till.reality, till.expectation), (4.0, Some(3.0)));
    assert_eq!(till.segment.as_deref(), Some("smb"));
    assert_eq!(till.channel, Some(Channel::Phone));
    assert_eq!(
        till.timestamp,
        Some("2024-03-15T12:34:56Z".parse().unwrap())
    );
    assert_eq!(till.emotion, Some(Emotion::CaredFor));
    assert_eq!(till.comment.as_deref(), Some("late, but kind"));
    let web = observations[1];
    assert_eq!(
        (web.reality, web.expectation, web.emotion),
        (2.0, None, None)
    );
    assert_eq!(web.timestamp, Some("2024-03-15T00:00:00Z".parse().unwrap()));
    let outcomes = read.outcomes();
    assert_eq!(outcomes.len(), 1);
    let outcome = outcomes[0];
    assert_eq!(
        (
            outcome.expectations_met,
            outcome.would_return,
            outcome.would_recommend
        ),
        (Answer::Yes, Answer::Yes, Answer::Yes)
    );
    assert_eq!(
        (outcome.likelihood_to_recommend, outcome.effort),
        (Some(9.0), Some(2.0))
    );
    assert_eq!(outcome.segment.as_deref(), Some("smb"));
    assert_eq!(
        (read.summary.records_read, read.summary.records_accepted),
        (2, 2)
    );
    assert_eq!((read.summary.observations, read.summary.outcomes), (2, 1));
}

#[test]
fn comma_separated() {
    check_basic(&read(BASIC, "r.csv"));
}

#[test]
fn semicolon_and_tab_separated_are_detected() {
    for delimiter in [";", "\t"] {
        // Swap the delimiter outside quotes: the quoted comment keeps its comma.
        let text: String = BASIC
            .split('"')
            .enumerate()
            .map(|(i, part)| {
                if i % 2 == 0 {
                    part.replace(',', delimiter)
                } else {
                    part.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("\"");
        check_basic(&read(&text, "r.csv"));
    }
}

#[test]
fn delimiter_can_be_forced() {
    let text = BASIC
        .replace(',', "|")
        .replace("|\"late| but kind\"", ",\"late, but kind\"");
    let text = text.replace(",\"late, but kind\"", "|\"late, but kind\"");
    let mut builder = ResponseReaderBuilder::new();
    builder.format(InputFormat::Csv {
        delimiter: Some(b'|'),
    });
    check_basic(&read_with(text.as_bytes(), "r.txt", builder, ErrorPolicy::Strict).unwrap());
}

#[test]
fn bom_and_crlf() {
    let text = format!("\u{feff}{}", BASIC.replace('\n', "\r\n"));
    check_basic(&read(&text, "r.csv"));
}

#[test]
fn columns_in_odd_order_and_optional_ones_missing() {
    let text = "reality,touchpoint,respondent_id\n4,till,r1\n2,web,r1\n";
    let read = read(text, "r.csv");
    let observations = read.observations();
    assert_eq!(observations.len(), 2);
    assert_eq!(observations[0].reality, 4.0);
    assert_eq!(observations[1].touchpoint_id, "web");
    assert!(read.outcomes().is_empty());
}

#[test]
fn unread_columns_are_listed() {
    let text = "respondent_id,touchpoint,reality,store_id\nr1,till,4,17\n";
    assert_eq!(read(text, "r.csv").summary.ignored_columns, ["store_id"]);
}

#[test]
fn quoted_fields_with_delimiters_quotes_and_newlines() {
    let text = "respondent_id,touchpoint,reality,comment\n\"r,1\",till,4,\"said \"\"hi\"\"\nthen left\"\nr2,till,5,\n";
    let read = read(text, "r.csv");
    let observations = read.observations();
    assert_eq!(observations[0].respondent_id, "r,1");
    assert_eq!(
        observations[0].comment.as_deref(),
        Some("said \"hi\"\nthen left")
    );
    assert_eq!(observations[1].respondent_id, "r2");
}

#[test]
fn ndjson_and_json_with_the_same_fields() {
    let ndjson = "{\"respondent_id\":\"r1\",\"touchpoint\":\"till\",\"reality\":4,\"expectation\":3,\"segment\":\"smb\",\"channel\":\"phone\",\"timestamp\":\"2024-03-15T12:34:56Z\",\"emotion\":\"cared_for\",\"comment\":\"late, but kind\",\"expectations_met\":true,\"would_return\":\"y\",\"would_recommend\":1,\"likelihood_to_recommend\":9,\"effort\":2}\n\n\
                  {\"respondent_id\":\"r1\",\"touchpoint\":\"web\",\"reality\":2.0,\"expectation\":null,\"segment\":\"smb\",\"timestamp\":\"2024-03-15\"}\n";
    check_basic(&read(ndjson, "r.ndjson"));
    let json = format!("[{}]", ndjson.trim().replace("\n\n", ","));
    check_basic(&read(&json, "r.json"));
}

#[test]
fn not_applicable_ratings_are_read_for_the_scorer_to_count() {
    let read = read("respondent_id,touchpoint,reality\nr1,till,0\n", "r.csv");
    assert_eq!(read.observations()[0].reality, 0.0);
}

#[test]
fn outcome_only_rows_and_outcomes_spread_over_rows() {
    let text = "respondent_id,touchpoint,reality,would_return,likelihood_to_recommend\n\
                r1,till,4,yes,\n\
                r1,web,3,,8\n\
                r2,,,no,3\n";
    let read = read(text, "r.csv");
    let outcomes = read.outcomes();
    assert_eq!(outcomes.len(), 2);
    assert_eq!(
        (outcomes[0].respondent_id.as_str(), outcomes[0].would_return),
        ("r1", Answer::Yes)
    );
    assert_eq!(outcomes[0].likelihood_to_recommend, Some(8.0));
    assert_eq!(
        (outcomes[1].respondent_id.as_str(), outcomes[1].would_return),
        ("r2", Answer::No)
    );
    assert_eq!(read.observations().len(), 2);
}

#[test]
fn scattered_respondents_are_gathered_when_asked() {
    let text = "respondent_id,touchpoint,reality,would_return,likelihood_to_recommend\n\
                r1,till,4,yes,\n\
                r2,till,3,no,\n\
                r1,web,3,,8\n";
    // Contiguous (the default): r1 comes back, so its answers form two outcomes.
    let contiguous = read(text, "r.csv");
    assert_eq!(contiguous.outcomes().len(), 3);
    // Scattered: one outcome per respondent, in first-seen order.
    let mut builder = ResponseReaderBuilder::new();
    builder.respondents(RespondentOrder::Scattered);
    let scattered = read_with(text.as_bytes(), "r.csv", builder, ErrorPolicy::Strict).unwrap();
    let outcomes = scattered.outcomes();
    assert_eq!(outcomes.len(), 2);
    assert_eq!(outcomes[0].respondent_id, "r1");
    assert_eq!(
        (
            outcomes[0].would_return,
            outcomes[0].likelihood_to_recommend
        ),
        (Answer::Yes, Some(8.0))
    );

    // And conflicts are found across the file.
    let conflicting = format!("{text}r1,till,5,no,\n");
    let mut builder = ResponseReaderBuilder::new();
    builder.respondents(RespondentOrder::Scattered);
    let error = read_with(
        conflicting.as_bytes(),
        "r.csv",
        builder,
        ErrorPolicy::Strict,
    )
    .err()
    .unwrap();
    assert_eq!(*error.kind(), ErrorKind::ConflictingAnswer);
    assert_eq!(error.location().and_then(Location::line), Some(5));
}

#[test]
fn wide_layout_by_the_journey_file() {
    let mut file = journey();
    file.respondents = Some(
        JourneyFile::parse(
            r#"
name = "x"
scale = { min = 1, max = 5 }
[respondents]
id_column = "ID"
segment_columns = ["Type", "Class"]
expectations_met = { column = "Satisfaction", yes = ["Satisfied"], no = ["Neutral or Dissatisfied"] }
would_return = { column = "loy", yes_range = [5, 7], no_range = [1, 4] }
likelihood_to_recommend = { column = "nps", offset = -1 }
[[stages]]
name = "s"
touchpoints = [{ id = "t", name = "t", channel = "web" }]
"#,
            JourneyFormat::Toml,
        )
        .unwrap()
        .respondents
        .unwrap(),
    );
    let text = "ID,Type,Class,Till rating,Web rating,Web expected,Satisfaction,loy,nps\n\
                7,Returning,Business,5,0,,satisfied,6,11\n\
                8,,Economy,,3,4,Neutral or Dissatisfied,2,1\n";
    let reader = ResponseReaderBuilder::new()
        .name("wide.csv")
        .error_policy(ErrorPolicy::Strict)
        .from_reader(text.as_bytes(), &file)
        .unwrap();
    let mut records = Vec::new();
    let summary = reader.read_all(|r| records.push(r)).unwrap();
    let read = Read { records, summary };
    let observations = read.observations();
    // Row 1: till 5 and web 0 (not applicable, kept for the scorer to count); row 2: web 3 vs 4; till empty.
    assert_eq!(observations.len(), 3);
    assert_eq!(
        (
            observations[0].respondent_id.as_str(),
            observations[0].touchpoint_id.as_str(),
            observations[0].reality
        ),
        ("7", "till", 5.0)
    );
    assert_eq!(
        observations[0].segment.as_deref(),
        Some("Returning / Business")
    );
    assert_eq!(observations[1].reality, 0.0);
    assert_eq!(
        (observations[2].reality, observations[2].expectation),
        (3.0, Some(4.0))
    );
    assert_eq!(observations[2].segment.as_deref(), Some("Economy"));
    assert_eq!(read.summary.empty_cells, 1);
    let outcomes = read.outcomes();
    assert_eq!(
        (outcomes[0].expectations_met, outcomes[0].would_return),
        (Answer::Yes, Answer::Yes)
    );
    assert_eq!(outcomes[0].likelihood_to_recommend, Some(10.0));
    assert_eq!(
        (outcomes[1].expectations_met, outcomes[1].would_return),
        (Answer::No, Answer::No)
    );
    assert_eq!(outcomes[1].likelihood_to_recommend, Some(0.0));

    // A value the mapping does not know rejects the row, naming the column.
    let bad = "ID,Type,Class,Till rating,Web rating,Web expected,Satisfaction,loy,nps\n9,,,4,4,4,Happy,6,5\n";
    let reader = ResponseReaderBuilder::new()
        .name("wide.csv")
        .error_policy(ErrorPolicy::Strict)
        .from_reader(bad.as_bytes(), &file)
        .unwrap();
    let error = reader.read_all(|_| {}).unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"wide.csv:2: column "Satisfaction": "Happy" is neither a yes (Satisfied) nor a no (Neutral or Dissatisfied) answer"#
    );
    // Without an id column the record number is the id; a mapped column missing from the header is fatal.
    let missing = "Till rating\n4\n";
    let error = ResponseReaderBuilder::new()
        .name("wide.csv")
        .from_reader(missing.as_bytes(), &file)
        .unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::MissingColumn);
    assert_eq!(error.column(), Some("ID"));
    let plain = "Till rating,Web rating,Web expected\n4,,\n";
    let read = read_with(
        plain.as_bytes(),
        "wide.csv",
        ResponseReaderBuilder::new(),
        ErrorPolicy::Strict,
    )
    .unwrap();
    assert_eq!(read.observations()[0].respondent_id, "1");
}

#[test]
fn wide_layout_without_mapped_columns_is_a_clear_error() {
    let file = JourneyFile::parse(
        "name = \"J\"\nscale = { min = 1, max = 5 }\n[[stages]]\nname = \"A\"\ntouchpoints = [{ id = \"t\", name = \"T\", channel = \"web\" }]\n",
        JourneyFormat::Toml,
    )
    .unwrap();
    let error = ResponseReaderBuilder::new()
        .layout(Layout::Wide)
        .name("w.csv")
        .from_reader("a,b\n1,2\n".as_bytes(), &file)
        .unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::Mapping);
    assert_eq!(
        error.to_string(),
        r#"w.csv: the file is read as wide, but journey "J" maps no touchpoint to a column; expected `source_column` on its touchpoints"#
    );
    // Left to detect the layout, a file with no mapped column is read as long.
    let error = ResponseReaderBuilder::new()
        .name("w.csv")
        .from_reader("a,b\n1,2\n".as_bytes(), &file)
        .unwrap_err();
    assert_eq!(
        (*error.kind(), error.column()),
        (ErrorKind::MissingColumn, Some("respondent_id"))
    );
}

// ---- errors, located --------------------------------------------------------

const HEADER: &str = "respondent_id,touchpoint,reality,expectation,emotion,timestamp,would_return,likelihood_to_recommend\n";

#[test]
fn each_bad_value_is_located_and_explained() {
    let cases: [(&str, ErrorKind, &str); 14] = [
        (
            "r1,till,seven,,,,,",
            ErrorKind::NotANumber,
            r#"r.csv:2: column "reality": "seven" is not a number on scale 1..=5"#,
        ),
        (
            "r1,till,7,,,,,",
            ErrorKind::OutOfScale,
            r#"r.csv:2: column "reality": 7 is outside the scale 1..=5 (0 = not applicable)"#,
        ),
        (
            "r1,till,NaN,,,,,",
            ErrorKind::NotFinite,
            r#"r.csv:2: column "reality": "NaN" is not a finite number on scale 1..=5"#,
        ),
        (
            "r1,till,-inf,,,,,",
            ErrorKind::NotFinite,
            r#"r.csv:2: column "reality": "-inf" is not a finite number on scale 1..=5"#,
        ),
        (
            "r1,till,,,,,,",
            ErrorKind::MissingValue,
            r#"r.csv:2: column "reality": is empty; expected a value"#,
        ),
        (
            "r1,door,3,,,,,",
            ErrorKind::UnknownTouchpoint,
            r#"r.csv:2: column "touchpoint": "door" is not a touchpoint of journey "Shop""#,
        ),
        // The nearest id is suggested: "wbe" is 1 from "web" (a swap), and
        // "Web" 0 once case is ignored (ids are case-sensitive); "door"
        // is 4 from both ids, past the cutoff of 1.
        (
            "r1,wbe,3,,,,,",
            ErrorKind::UnknownTouchpoint,
            r#"r.csv:2: column "touchpoint": "wbe" is not a touchpoint of journey "Shop"; did you mean "web"?"#,
        ),
        (
            "r1,Web,3,,,,,",
            ErrorKind::UnknownTouchpoint,
            r#"r.csv:2: column "touchpoint": "Web" is not a touchpoint of journey "Shop"; did you mean "web"?"#,
        ),
        (
            "r1,till,3,6,,,,",
            ErrorKind::OutOfScale,
            r#"r.csv:2: column "expectation": 6 is outside the scale 1..=5 (0 = not applicable)"#,
        ),
        (
            "r1,till,3,,grumpy,,,",
            ErrorKind::UnknownEmotion,
            r#"r.csv:2: column "emotion": unknown emotion "grumpy"; expected one of: energized, pleased, stimulated, interested, exploring, trusting, secure, valued, cared for, happy, rushed, unhappy, disappointed, frustrated, dissatisfied, abandoned, stressed, irritated"#,
        ),
        (
            "r1,till,3,,,15/03/2024,,",
            ErrorKind::InvalidTimestamp,
            r#"r.csv:2: column "timestamp": "15/03/2024" is not a timestamp; expected RFC 3339 (2024-03-15T12:34:56Z), a date and time taken as UTC (2024-03-15 12:34:56) or a date (2024-03-15); day and month order is never guessed: declare it in the journey file, e.g. timestamp_formats = ["%d/%m/%Y %H:%M"]"#,
        ),
        (
            "r1,till,3,,,,maybe,",
            ErrorKind::InvalidAnswer,
            r#"r.csv:2: column "would_return": "maybe" is not a yes/no answer; expected yes/no, true/false, y/n, 1/0 or empty"#,
        ),
        (
            "r1,till,3,,,,,11",
            ErrorKind::OutOfScale,
            r#"r.csv:2: column "likelihood_to_recommend": 11 is outside the scale 0..=10"#,
        ),
        (
            ",till,3,,,,,",
            ErrorKind::MissingValue,
            r#"r.csv:2: column "respondent_id": is empty; expected a value"#,
        ),
    ];
    for (row, kind, message) in cases {
        let text = format!("{HEADER}{row}\n");
        let error = strict_error(text.as_bytes(), "r.csv");
        assert_eq!(
            (*error.kind(), error.to_string().as_str()),
            (kind, message),
            "row {row:?}"
        );
        assert_eq!(
            (
                error.location().and_then(Location::line),
                error.location().and_then(Location::record)
            ),
            (Some(2), Some(1))
        );
        assert!(!error.is_fatal());
    }
}

#[test]
fn conflicting_answers_of_one_respondent() {
    let text = format!("{HEADER}r1,till,3,,,,yes,9\nr1,web,3,,,,no,\n");
    let error = strict_error(text.as_bytes(), "r.csv");
    assert_eq!(
        error.to_string(),
        r#"r.csv:3: column "would_return": respondent "r1" answered "no" here but "yes" on an earlier row"#
    );
    // Repeating the same answer is fine.
    let same = format!("{HEADER}r1,till,3,,,,yes,9\nr1,web,3,,,,yes,9\n");
    assert_eq!(read(&same, "r.csv").outcomes().len(), 1);
}

#[test]
fn json_errors_name_the_field_and_line() {
    let ndjson = "{\"respondent_id\":\"r1\",\"touchpoint\":\"till\",\"reality\":\"seven\"}\n";
    let error = strict_error(ndjson.as_bytes(), "r.ndjson");
    assert_eq!(
        error.to_string(),
        r#"r.ndjson:1: field "reality": "seven" is not a number on scale 1..=5"#
    );
    let broken =
        "{\"respondent_id\":\"r1\",\"touchpoint\":\"till\",\"reality\":4}\n{\"respondent_id\":\n";
    let error = strict_error(broken.as_bytes(), "r.ndjson");
    assert_eq!(
        (*error.kind(), error.location().and_then(Location::line)),
        (ErrorKind::Syntax, Some(2))
    );
    let not_object = "[1,2]\n";
    let error = strict_error(not_object.as_bytes(), "r.ndjson");
    assert_eq!(*error.kind(), ErrorKind::NotAnObject);
    let nested = "{\"respondent_id\":\"r1\",\"touchpoint\":\"till\",\"reality\":[4]}\n";
    assert_eq!(
        *strict_error(nested.as_bytes(), "r.ndjson").kind(),
        ErrorKind::NotAnObject
    );
    // JSON arrays have record numbers instead of lines.
    let json = "[{\"respondent_id\":\"r1\",\"touchpoint\":\"till\",\"reality\":4},{\"respondent_id\":\"r2\",\"touchpoint\":\"till\",\"reality\":9}]";
    let error = strict_error(json.as_bytes(), "r.json");
    assert_eq!(
        error.to_string(),
        r#"r.json: record 2: field "reality": 9 is outside the scale 1..=5 (0 = not applicable)"#
    );
    let error = strict_error(b"{\"a\": 1}", "r.json");
    assert!(error.is_fatal() && *error.kind() == ErrorKind::Syntax);
}

#[test]
fn header_problems_are_fatal() {
    let error = strict_error(b"respondent_id,reality\nr1,4\n", "r.csv");
    assert!(error.is_fatal());
    assert_eq!(*error.kind(), ErrorKind::MissingColumn);
    assert_eq!(
        error.to_string(),
        r#"r.csv:1: column "touchpoint": missing from the header; expected it for the long layout (header: respondent_id, reality)"#
    );
    let error = strict_error(
        b"respondent_id,touchpoint,reality,reality\nr1,till,4,5\n",
        "r.csv",
    );
    assert_eq!(*error.kind(), ErrorKind::DuplicateColumn);
    assert_eq!(
        error.to_string(),
        r#"r.csv:1: column "reality": appears twice in the header (columns 3 and 4); expected unique column names"#
    );
    assert_eq!(*strict_error(b"", "r.csv").kind(), ErrorKind::Empty);
    assert_eq!(*strict_error(b"", "r.json").kind(), ErrorKind::Empty);
}

#[test]
fn rows_of_the_wrong_width_and_invalid_utf8() {
    let error = strict_error(
        b"respondent_id,touchpoint,reality\nr1,till,4,extra\n",
        "r.csv",
    );
    assert_eq!(
        error.to_string(),
        "r.csv:2: 4 fields; expected 3 as in the header"
    );
    let error = strict_error(b"respondent_id,touchpoint,reality\nr1,till\n", "r.csv");
    assert_eq!(*error.kind(), ErrorKind::FieldCount);
    let error = strict_error(
        b"respondent_id,touchpoint,reality\nr\xff1,till,4\n",
        "r.csv",
    );
    assert_eq!(*error.kind(), ErrorKind::InvalidUtf8);
    assert_eq!(error.column(), Some("respondent_id"));
    assert_eq!(error.location().and_then(Location::line), Some(2));
}

#[test]
fn overlong_fields_are_refused() {
    let long = "x".repeat(2000);
    let text =
        format!("respondent_id,touchpoint,reality,comment\nr1,till,4,{long}\nr2,till,4,ok\n");
    let mut builder = ResponseReaderBuilder::new();
    builder.max_field_bytes(1000);
    let read = read_with(text.as_bytes(), "r.csv", builder, ErrorPolicy::Lenient).unwrap();
    assert_eq!(
        read.summary.records_rejected.get(&ErrorKind::FieldTooLong),
        Some(&1)
    );
    assert_eq!(read.observations().len(), 1);
    assert_eq!(
        read.summary.examples[0].to_string(),
        r#"r.csv:2: column "comment": 2000 bytes; the limit is 1000 bytes per field"#
    );
}

#[test]
fn lenient_mode_counts_every_rejection_and_keeps_examples() {
    let text = format!(
        "{HEADER}r1,till,4,,,,,\nr2,till,seven,,,,,\nr3,door,4,,,,,\nr4,till,4,,,,,\nr5,till,9,,,,,\nr6,till,4,5,,,,\n"
    );
    let read = lenient(&text, "r.csv");
    let summary = &read.summary;
    assert_eq!(
        (
            summary.records_read,
            summary.records_accepted,
            summary.records_rejected_total()
        ),
        (6, 3, 3)
    );
    assert_eq!(summary.records_rejected[&ErrorKind::NotANumber], 1);
    assert_eq!(summary.records_rejected[&ErrorKind::UnknownTouchpoint], 1);
    assert_eq!(summary.records_rejected[&ErrorKind::OutOfScale], 1);
    let lines: Vec<_> = summary
        .examples
        .iter()
        .map(|e| e.location().and_then(Location::line))
        .collect();
    assert_eq!(lines, [Some(3), Some(4), Some(6)]);
    assert_eq!(read.observations().len(), 3);
    assert_eq!(
        summary.to_string(),
        "records read 6 = accepted 3 + rejected 3\n  rejected, not_a_number: 1\n  rejected, out_of_scale: 1\n  rejected, unknown_touchpoint: 1\nobservations 3, outcomes 0, empty cells 0"
    );
    // Only so many examples are kept, but all are counted.
    let mut builder = ResponseReaderBuilder::new();
    builder.max_examples(1);
    let read = read_with(text.as_bytes(), "r.csv", builder, ErrorPolicy::Lenient).unwrap();
    assert_eq!(
        (
            read.summary.examples.len(),
            read.summary.records_rejected_total()
        ),
        (1, 3)
    );
}

#[test]
fn the_iterator_goes_on_after_a_bad_record() {
    let text = format!("{HEADER}r1,till,x,,,,,\nr2,till,4,,,,,\n");
    let reader = ResponseReaderBuilder::new()
        .name("r.csv")
        .from_reader(text.as_bytes(), &journey())
        .unwrap();
    let items: Vec<_> = reader.collect();
    assert_eq!(items.len(), 2);
    assert!(items[0].is_err());
    assert!(matches!(&items[1], Ok(Record::Observation(o)) if o.respondent_id == "r2"));
}

#[test]
fn files_are_opened_by_path_and_a_missing_one_is_named() {
    let error = ResponseReaderBuilder::new()
        .from_path("no/such/file.csv", &journey())
        .unwrap_err();
    assert!(error.is_fatal());
    assert!(
        error
            .to_string()
            .starts_with("no/such/file.csv: cannot open: "),
        "{error}"
    );
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/data/retail_responses.csv"
    );
    let sample = JourneyFile::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/data/retail.toml"
    ))
    .unwrap();
    let summary = ResponseReaderBuilder::new()
        .error_policy(ErrorPolicy::Strict)
        .from_path(path, &sample)
        .unwrap()
        .read_all(|_| {})
        .unwrap();
    assert_eq!(summary.records_read, 4815);
    assert_eq!(summary.records_accepted, 4815);
    assert_eq!(summary.outcomes, 800);
}

// ---- long-layout round trip ------------------------------------------------

fn observation(respondent: u8) -> impl Strategy<Value = Observation> {
    (
        prop_oneof![Just("till"), Just("web")],
        0u8..=5,
        proptest::option::of(1u8..=5),
        proptest::option::of("[a-z ,\"]{1,8}"),
        proptest::option::of(prop_oneof![
            Just(Channel::Phone),
            Just(Channel::Other("kiosk".into()))
        ]),
        proptest::option::of(0i64..2_000_000_000),
        proptest::option::of(0usize..18),
        proptest::option::of("[a-zA-Z ,\"\n]{1,12}"),
    )
        .prop_map(
            move |(tp, reality, expectation, segment, channel, seconds, emotion, comment)| {
                let mut observation =
                    Observation::new(format!("r{respondent}"), tp, f64::from(reality));
                observation.expectation = expectation.map(f64::from);
                observation.segment = segment
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| s.trim().to_owned());
                observation.channel = channel;
                observation.timestamp =
                    seconds.and_then(|s| chrono::DateTime::from_timestamp(s, 0));
                observation.emotion = emotion.map(|i| Emotion::ALL[i]);
                observation.comment = comment
                    .filter(|c| !c.trim().is_empty())
                    .map(|c| c.trim().to_owned());
                observation
            },
        )
}

fn outcome(respondent: u8) -> impl Strategy<Value = Outcome> {
    let answer = prop_oneof![
        Just(Answer::Yes),
        Just(Answer::No),
        Just(Answer::NotAnswered)
    ];
    (
        [answer.clone(), answer.clone(), answer],
        proptest::option::of(0u8..=10),
        proptest::option::of(1u8..=7),
    )
        .prop_map(move |(answers, likelihood, effort)| {
            let mut outcome = LoyaltyQuestion::ALL
                .into_iter()
                .zip(answers)
                .fold(Outcome::new(format!("r{respondent}")), |o, (q, a)| {
                    o.with_answer(q, a)
                });
            outcome.likelihood_to_recommend = likelihood.map(f64::from);
            outcome.effort = effort.map(f64::from);
            outcome
        })
        .prop_filter("an outcome with a value", |o| {
            o.likelihood_to_recommend.is_some()
                || o.effort.is_some()
                || LoyaltyQuestion::ALL
                    .iter()
                    .any(|q| o.answer(*q) != Answer::NotAnswered)
        })
}

fn respondents() -> impl Strategy<Value = Vec<(Vec<Observation>, Option<Outcome>)>> {
    (1u8..6).prop_flat_map(|count| {
        (0..count)
            .map(|r| {
                (
                    proptest::collection::vec(observation(r), 0..4),
                    proptest::option::of(outcome(r)),
                )
            })
            .collect::<Vec<_>>()
    })
}

proptest! {
    #[test]
    fn long_csv_round_trips(respondents in respondents()) {
        let mut bytes = Vec::new();
        let mut writer = LongCsvWriter::new(&mut bytes).unwrap();
        let mut expected = Vec::new();
        for (observations, outcome) in &respondents {
            for observation in observations {
                writer.write(observation, None).unwrap();
                expected.push(Record::Observation(observation.clone()));
            }
            if let Some(outcome) = outcome {
                writer.write_outcome(outcome).unwrap();
                expected.push(Record::Outcome(outcome.clone()));
            }
        }
        writer.flush().unwrap();
        drop(writer);
        let read = read_with(&bytes, "r.csv", ResponseReaderBuilder::new(), ErrorPolicy::Strict);
        prop_assert!(read.is_ok(), "{:?}\n{}", read.as_ref().err(), String::from_utf8_lossy(&bytes));
        let read = read.unwrap();
        // The reader emits an outcome when its respondent's rows end, so it
        // comes after that respondent's observations, as written.
        prop_assert_eq!(read.records, expected);
    }
}

/// A batch is bounded by its records, outcomes included: a file of
/// outcome-only rows does not gather every respondent into one batch.
#[test]
fn batches_are_bounded_by_outcomes_too() {
    let mut csv = String::from("respondent_id,touchpoint,reality,would_return\n");
    for respondent in 0..10 {
        csv.push_str(&format!("r{respondent},,,yes\n"));
    }
    let mut builder = ResponseReaderBuilder::new();
    builder.name("outcomes.csv").batch_rows(3);
    let mut reader = builder.from_reader(csv.as_bytes(), &journey()).unwrap();
    let mut batch = cx_model::ObservationBatch::new();
    let mut sizes = Vec::new();
    while reader.read_batch(&mut batch).unwrap() {
        assert_eq!(batch.len(), 0);
        sizes.push(batch.outcomes().len());
    }
    // Each respondent's outcome is handed out when the next one's row is
    // read, the last at the end.
    assert_eq!(sizes, [3, 3, 3, 1]);
    assert_eq!(reader.summary().outcomes, 10);
}

// ---- header names -----------------------------------------------------------

#[test]
fn a_long_header_in_any_case_reads_as_the_plain_one() {
    let rows = "r1,till,4,3,yes,2\nr1,web,2,,,2\n";
    let plain = format!("respondent_id,touchpoint,reality,expectation,would_return,w\n{rows}");
    let exported =
        format!("Respondent_ID, TOUCHPOINT ,Reality,\"Expectation \",Would_Return,W\n{rows}");
    let weighted = |text: &str| {
        let mut builder = ResponseReaderBuilder::new();
        builder.weight_column("w");
        read_with(text.as_bytes(), "r.csv", builder, ErrorPolicy::Strict).unwrap()
    };
    let expected = weighted(&plain);
    assert_eq!(expected.records.len(), 3, "two observations and an outcome");
    assert_eq!(weighted(&exported).records, expected.records);
    // An error names the column as the header spells it.
    let bad = "Respondent_ID,Touchpoint,Reality\nr1,till,seven\n";
    assert_eq!(
        strict_error(bad.as_bytes(), "r.csv").to_string(),
        r#"r.csv:2: column "Reality": "seven" is not a number on scale 1..=5"#
    );
}

#[test]
fn columns_a_journey_names_match_in_any_case() {
    let plain = read("Till rating,Web rating,Web expected\n4,5,3\n", "w.csv");
    let observations = plain.observations();
    assert_eq!(
        observations
            .iter()
            .map(|o| (o.touchpoint_id.as_str(), o.reality, o.expectation))
            .collect::<Vec<_>>(),
        [("till", 4.0, None), ("web", 5.0, Some(3.0))]
    );
    let exported = read("till RATING,Web Rating, web expected \n4,5,3\n", "w.csv");
    assert_eq!(exported.records, plain.records);
}

#[test]
fn json_keys_match_as_the_first_object_spells_them() {
    let plain = read(
        "{\"respondent_id\":\"r1\",\"touchpoint\":\"till\",\"reality\":4}\n",
        "r.ndjson",
    );
    assert_eq!(plain.observations().len(), 1);
    let exported = read(
        "{\"Respondent_ID\":\"r1\",\"Touchpoint\":\"till\",\"REALITY\":4}\n",
        "r.ndjson",
    );
    assert_eq!(exported.records, plain.records);
}

#[test]
fn two_header_names_of_one_column_are_an_error_naming_both() {
    let error = strict_error(
        b"respondent_id,touchpoint,reality,Reality\nr1,till,4,5\n",
        "r.csv",
    );
    assert_eq!(
        (*error.kind(), error.is_fatal()),
        (ErrorKind::DuplicateColumn, true)
    );
    assert_eq!(
        error.to_string(),
        r#"r.csv:1: column "reality": matches two columns of the header, "reality" (column 3) and "Reality" (column 4), once case and surrounding spaces are ignored; expected one"#
    );
    let error = strict_error(b"Till rating,till rating,Web rating\n", "w.csv");
    assert_eq!(
        error.to_string(),
        r#"w.csv:1: column "Till rating": matches two columns of the header, "Till rating" (column 1) and "till rating" (column 2), once case and surrounding spaces are ignored; expected one"#
    );
    // Two names that no column reads are no one's concern.
    let unread = read(
        "respondent_id,touchpoint,reality,Note,note\nr1,till,4,a,b\n",
        "r.csv",
    );
    assert_eq!(unread.observations().len(), 1);
}

#[test]
fn a_missing_column_suggests_the_nearest_name_of_the_header() {
    // SurveyMonkey's "Respondent ID" is 1 from "respondent_id" (" " for "_").
    let error = strict_error(b"Respondent ID,touchpoint,reality\nr1,till,4\n", "r.csv");
    assert_eq!(*error.kind(), ErrorKind::MissingColumn);
    assert_eq!(
        error.to_string(),
        r#"r.csv:1: column "respondent_id": missing from the header; expected it for the long layout (header: Respondent ID, touchpoint, reality); did you mean "Respondent ID"?"#
    );
    // Wide, since "Web rating" is there: "Till ratings" is 1 from "Till
    // rating" (a deletion).
    let error = strict_error(b"Till ratings,Web rating,Web expected\n", "w.csv");
    assert_eq!(
        error.to_string(),
        r#"w.csv:1: column "Till rating": missing from the header; expected it for the wide layout (header: Till ratings, Web rating, Web expected); did you mean "Till ratings"?"#
    );
}
