//! An NDJSON line read for its wanted keys gives the row, the error and
//! the ignored keys that parsing it whole into a [`Value`] gives.

use proptest::prelude::*;

use super::*;
use crate::error::Naming;

/// Keys: wanted ones, one spelled with an escape, an unwanted one.
const KEYS: [&str; 6] = [
    r#""a""#,
    r#""b""#,
    r#""\u0062""#,
    r#""long""#,
    r#""other""#,
    r#""o\"ther""#,
];

/// Values of every kind, escapes, numbers at the edges of their types,
/// nesting, and a few that are no JSON at all.
const VALUES: [&str; 22] = [
    r#""text""#,
    r#""t\u00e9xt \n""#,
    r#""""#,
    r#""\ud800""#,
    "0",
    "-0",
    "4",
    "-7",
    "1.5",
    "1e3",
    "2.5E-3",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775809",
    "1e400",
    "true",
    "null",
    "[1,[2,{}]]",
    r#"{"k":{"j":[null]}}"#,
    r#""0123456789012345678901234567890""#,
    "01",
    "nul",
];

/// What reading a line gave: the row's cells, or the error as written.
fn outcome(result: Option<Result<RowRef<'_>, Error>>) -> Result<Vec<Option<String>>, String> {
    let row = result
        .expect("a line was there")
        .map_err(|error| format!("{:?}: {error}", error.kind()))?;
    Ok((0..3)
        .map(|slot| row.range(slot).map(|range| row.text()[range].to_owned()))
        .collect())
}

fn object_text(entries: &[(usize, usize)]) -> String {
    let fields: Vec<String> = entries
        .iter()
        .map(|&(key, value)| format!("{}:{}", KEYS[key], VALUES[value]))
        .collect();
    format!("{{{}}}", fields.join(","))
}

proptest! {
    #[test]
    fn a_line_reads_as_its_parsed_object(
        entries in prop::collection::vec((0..KEYS.len(), 0..VALUES.len()), 0..8),
        cut in prop::option::of(0usize..200),
        top in 0..4usize,
    ) {
        let mut line = match top {
            0 | 1 => object_text(&entries),
            2 => format!("[{}]", object_text(&entries)),
            _ => VALUES[entries.first().map_or(0, |&(_, value)| value)].to_owned(),
        };
        if let Some(cut) = cut {
            line.truncate(cut.min(line.len()));
        }
        // A blank line is no record.
        prop_assume!(!line.bytes().all(|byte| byte.is_ascii_whitespace()));
        let context = Context { file: "t.ndjson".to_owned(), naming: Naming::Field };
        let limits = Limits { max_field_bytes: 24, max_record_bytes: 1 << 20, max_document_bytes: 1 << 20 };
        let wanted = ["a".to_owned(), "b".to_owned(), "long".to_owned()];
        // Line 1 is parsed whole, for the keys; line 2 is the one read for
        // the wanted keys only.
        let text = format!("{{\"a\":1}}\n{line}\n");
        let mut source = NdjsonSource::new(Box::new(text.as_bytes()), context.clone(), limits);
        source.bind(&wanted);
        let _ = source.next_row();
        let read = outcome(source.next_row());

        let mut row = Row::default();
        // As the line was parsed before: whole, with its line break.
        let expected = match serde_json::from_slice::<Value>(format!("{line}\n").as_bytes()) {
            Ok(Value::Object(object)) => {
                let mut ignored: Vec<String> =
                    object.keys().filter(|key| !wanted.contains(key)).cloned().collect();
                ignored.sort();
                prop_assert_eq!(source.ignored_columns(), ignored);
                map_row(&object, &wanted, &context, (Some(2), 2), limits, &mut row)
                    .map(|()| row.as_ref())
            }
            Ok(_) => Err(not_an_object(&context, 2, 2)),
            Err(error) => Err(json_syntax(&context, Some(2), 2, &error)),
        };
        let expected = outcome(Some(expected));
        prop_assert_eq!(read, expected);
    }
}
