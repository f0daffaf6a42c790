//! The first difference between two values, told through their serialized
//! form, for errors that must say what differs and how.

use serde::Serialize;
use serde_json::Value;

/// Where `here` and `there` first differ, as a path from `root` into
/// their JSON form, with the two values there: `("config.min_sample",
/// "30", "5")`. Objects are compared field by field in the order of the
/// field names, arrays element by element, then by length.
///
/// Values whose JSON is the same (`0.0` and `-0.0` are not) give the root
/// and that JSON twice; values that do not serialize give the root and two
/// placeholders, so the caller always has something to report.
pub(crate) fn first_difference<T: Serialize>(
    root: &str,
    here: &T,
    there: &T,
) -> (String, String, String) {
    match (serde_json::to_value(here), serde_json::to_value(there)) {
        (Ok(here), Ok(there)) => {
            let mut path = root.to_owned();
            match difference(&mut path, &here, &there) {
                Some((here, there)) => (path, here, there),
                None => (root.to_owned(), here.to_string(), there.to_string()),
            }
        }
        _ => (
            root.to_owned(),
            "(unprintable)".into(),
            "(unprintable)".into(),
        ),
    }
}

/// The two values where `here` and `there` first differ, with `path`
/// extended to that place; `None` when they are the same.
fn difference(path: &mut String, here: &Value, there: &Value) -> Option<(String, String)> {
    match (here, there) {
        (Value::Object(mine), Value::Object(theirs)) => {
            let mut names: Vec<&String> = mine.keys().chain(theirs.keys()).collect();
            names.sort_unstable();
            names.dedup();
            names.into_iter().find_map(|name| {
                let mark = path.len();
                path.push('.');
                path.push_str(name);
                let found = match (mine.get(name), theirs.get(name)) {
                    (Some(a), Some(b)) => difference(path, a, b),
                    (a, b) => Some((shown(a), shown(b))),
                };
                if found.is_none() {
                    path.truncate(mark);
                }
                found
            })
        }
        (Value::Array(mine), Value::Array(theirs)) => {
            let element = mine
                .iter()
                .zip(theirs)
                .enumerate()
                .find_map(|(index, (a, b))| {
                    let mark = path.len();
                    path.push_str(&format!("[{index}]"));
                    let found = difference(path, a, b);
                    if found.is_none() {
                        path.truncate(mark);
                    }
                    found
                });
            element.or_else(|| {
                let entries = |n: usize| format!("{n} entries");
                (mine.len() != theirs.len()).then(|| (entries(mine.len()), entries(theirs.len())))
            })
        }
        _ => (here != there).then(|| (here.to_string(), there.to_string())),
    }
}

/// A value as the error shows it, or `absent`.
fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "absent".to_owned(), Value::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_the_first_differing_leaf_and_both_values() {
        let cases = [
            (
                json!({"a": 1, "b": 2}),
                json!({"a": 1, "b": 3}),
                "x.b",
                "2",
                "3",
            ),
            (
                json!({"s": [{"id": "cashier"}]}),
                json!({"s": [{"id": "till"}]}),
                "x.s[0].id",
                r#""cashier""#,
                r#""till""#,
            ),
            (
                json!({"s": [1, 2]}),
                json!({"s": [1, 2, 3]}),
                "x.s",
                "2 entries",
                "3 entries",
            ),
            (
                json!({"a": 1}),
                json!({"a": 1, "n": null}),
                "x.n",
                "absent",
                "null",
            ),
            (json!(0.0), json!(-0.0), "x", "0.0", "-0.0"),
        ];
        for (here, there, path, a, b) in cases {
            let found = first_difference("x", &here, &there);
            assert_eq!(found, (path.to_owned(), a.to_owned(), b.to_owned()));
        }
    }
}
