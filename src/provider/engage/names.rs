//! Campaign names as users type them: Engage addresses a campaign by its exact name in the path
//! (`/campaign/{name}/…`) and answers 404 for anything else. After a 404 the range's campaign list
//! is read once: an id from it stands for its campaign (the request is sent again with the
//! name), and otherwise the error suggests the nearest names, case and accents aside.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::client::EngageClient;
use super::{convert, with_range};
use crate::http::ApiRequest;
use crate::provider::ProviderError;
use crate::time::DateRange;

/// At most this many names are suggested.
const SUGGESTIONS: usize = 3;

/// What a 404 for `typed` becomes, once the range's campaigns are known: `Ok(name)` when `typed`
/// is a campaign's id (ask again by that name), else `not_found` with the nearest names in its
/// hint. A list that cannot be read leaves `not_found` as it was.
pub(super) async fn after_not_found(
    client: &EngageClient,
    typed: &str,
    range: &DateRange,
    mut not_found: ProviderError,
) -> Result<String, ProviderError> {
    let listed = match client
        .get(with_range(ApiRequest::get("/campaigns"), range))
        .await
        .and_then(|resp| convert::campaigns(&resp))
    {
        Ok(campaigns) => campaigns,
        Err(_) => return Err(not_found),
    };
    let wanted = typed.trim();
    if let Some(name) = listed
        .iter()
        .find(|c| {
            c.id.as_deref()
                .is_some_and(|id| id.eq_ignore_ascii_case(wanted))
        })
        .map(|c| c.name.clone())
        .filter(|name| name != typed)
    {
        info!("'{typed}' is the id of campaign '{name}': asking for it by name");
        return Ok(name);
    }
    let names: Vec<&str> = listed.iter().map(|c| c.name.as_str()).collect();
    let nearest = nearest(typed, &names);
    if !nearest.is_empty() {
        not_found.hint = Some(format!(
            "did you mean {}? Names must match exactly, accents and case included; an id from 'wa-analytics campaigns list' works too",
            either(&nearest)
        ));
    }
    Err(not_found)
}

/// `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`.
fn either(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// `s` without case or accents: decomposed, combining marks dropped, lower case.
fn fold(s: &str) -> String {
    s.trim()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The names of `names` nearest to `typed`, nearest first, at most [`SUGGESTIONS`]: the same
/// name but for case and accents, then names that hold what was typed (or are held by it), then
/// names a few edits away (a third of the length, at least 2).
fn nearest<'a>(typed: &str, names: &[&'a str]) -> Vec<&'a str> {
    let wanted = fold(typed);
    let length = wanted.chars().count();
    let reach = (length / 3).max(2);
    let mut ranked: Vec<(usize, usize, &str)> = names
        .iter()
        .filter_map(|name| {
            let folded = fold(name);
            let distance = strsim::levenshtein(&wanted, &folded);
            let rank = if folded == wanted {
                0
            } else if length >= 4 && (folded.contains(&wanted) || wanted.contains(&folded)) {
                1
            } else if distance <= reach {
                2
            } else {
                return None;
            };
            Some((rank, distance, *name))
        })
        .collect();
    ranked.sort();
    ranked.dedup_by_key(|(_, _, name)| *name);
    ranked
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, _, name)| name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[&str] = &[
        "Promo a/b #2?",
        "Año Nuevo 🎉",
        "Café ☕ Navidad",
        "Black Friday 50% off",
        "Re-engagement 100%",
    ];

    #[test]
    fn case_and_accents_aside_the_same_name_comes_first() {
        assert_eq!(nearest("ano nuevo 🎉", NAMES), ["Año Nuevo 🎉"]);
        assert_eq!(nearest("CAFE ☕ NAVIDAD", NAMES), ["Café ☕ Navidad"]);
        assert_eq!(nearest("promo a/b #2", NAMES), ["Promo a/b #2?"]);
    }

    #[test]
    fn a_part_of_a_name_or_a_few_typos_find_it() {
        assert_eq!(nearest("black friday", NAMES), ["Black Friday 50% off"]);
        assert_eq!(nearest("Re-engagment 100%", NAMES), ["Re-engagement 100%"]);
    }

    #[test]
    fn nothing_near_suggests_nothing() {
        assert!(nearest("Welcome series", NAMES).is_empty());
        assert!(nearest("x", NAMES).is_empty());
    }

    #[test]
    fn several_names_read_as_a_list() {
        assert_eq!(either(&["a"]), "'a'");
        assert_eq!(either(&["a", "b"]), "'a' or 'b'");
        assert_eq!(either(&["a", "b", "c"]), "'a', 'b' or 'c'");
    }
}
