//! Did-you-mean: the known name closest to one that matches none (a
//! journey-file key, a touchpoint id, a column), for the error to suggest.

/// `; did you mean "…"?` naming the [`closest`] candidate to `unknown`, to
/// end an error's message with; empty when none is close.
pub(crate) fn did_you_mean<'a>(
    unknown: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    closest(unknown, candidates)
        .map(|known| format!("; did you mean {known:?}?"))
        .unwrap_or_default()
}

/// The candidate nearest to `unknown`, if one is near enough to be a slip
/// of the keyboard; the first of equally near candidates.
///
/// Nearness is the optimal string alignment distance (strsim's
/// `osa_distance`: characters changed, inserted, deleted, or two
/// neighbours swapped, each counting 1) between the two names with
/// surrounding white space trimmed and case ignored. Near enough is at
/// most a third of `unknown`'s characters, and at least 1, but fewer than
/// all of them (rustc's cutoff for its suggestions): `webiste` is 1 from
/// `website` (a swap), `segment_colums` 1 from `segment_columns`, while
/// `maks` is 2 from `max`, past its cutoff of 1, and finds nothing.
pub(crate) fn closest<'a>(
    unknown: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let unknown: String = folded(unknown).collect();
    let length = unknown.chars().count();
    let cutoff = (length / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = strsim::osa_distance(&unknown, &folded(candidate).collect::<String>());
        let better = best.is_none_or(|(nearest, _)| distance < nearest);
        if distance <= cutoff && distance < length && better {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// A name's characters as they are compared: trimmed, in lower case.
pub(crate) fn folded(name: &str) -> impl Iterator<Item = char> + '_ {
    name.trim().chars().flat_map(char::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::{closest, did_you_mean};

    /// Each case: the unknown name, the candidates, the suggestion. The
    /// distances, counted by hand, are in the comments.
    #[test]
    fn suggests_the_nearest_name_within_a_third_of_its_length() {
        let cases: [(&str, &[&str], Option<&str>); 10] = [
            // One swap (s, i): 1, within 7 / 3 = 2.
            (
                "webiste",
                &["shop_window", "website", "cashier"],
                Some("website"),
            ),
            // One deletion: 1, within 14 / 3 = 4.
            (
                "segment_colums",
                &["id_column", "segment_columns"],
                Some("segment_columns"),
            ),
            // Case and spaces ignored: 0; then "_" for " ": 1.
            ("Website", &["website"], Some("website")),
            (" Respondent ID ", &["respondent_id"], Some("respondent_id")),
            // The nearer wins (2 against 1), and the first of equals (1, 1).
            ("cashir", &["cash", "cashier"], Some("cashier")),
            ("tap", &["top", "tip"], Some("top")),
            // 3 from "effort", and 2 from "max", past the cutoff of 1.
            ("nps", &["effort"], None),
            ("maks", &["max"], None),
            // A one-letter name changed whole is no slip: 1 is all of it.
            ("a", &["b"], None),
            ("anything", &[], None),
        ];
        for (unknown, candidates, suggestion) in cases {
            assert_eq!(
                closest(unknown, candidates.iter().copied()),
                suggestion,
                "{unknown:?} among {candidates:?}"
            );
        }
    }

    #[test]
    fn did_you_mean_quotes_the_suggestion() {
        assert_eq!(
            did_you_mean("webiste", ["website"]),
            r#"; did you mean "website"?"#
        );
        assert_eq!(did_you_mean("nps", ["effort"]), "");
    }
}
