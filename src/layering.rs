//! The layering of the crate, checked: lower layers never import higher ones, and the leaves
//! import nothing of the crate (`../shared/style.md`, "A layout that shows the architecture").
//! The graph is read from the source: every `crate::NAME` a top-level module's files mention.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules its files name.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph = BTreeMap::new();
    for entry in std::fs::read_dir(&src).expect("src/ is readable") {
        let path = entry.expect("src/ is readable").path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name == "main" || name == "lib" || name == "layering" {
            continue;
        }
        let mut uses = BTreeSet::new();
        for file in rust_files(&path) {
            let text = std::fs::read_to_string(&file).expect("source is readable");
            uses.extend(mentions(&text).filter(|m| *m != name));
        }
        graph.insert(name, uses);
    }
    graph
}

fn rust_files(path: &Path) -> Vec<std::path::PathBuf> {
    if path.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(path)
            .expect("readable")
            .flat_map(|e| rust_files(&e.expect("readable").path()))
            .collect();
        files.sort();
        files
    } else if path.extension().is_some_and(|e| e == "rs") {
        vec![path.to_path_buf()]
    } else {
        Vec::new()
    }
}

/// The `NAME`s of `crate::NAME` in a source text.
fn mentions(text: &str) -> impl Iterator<Item = String> + '_ {
    text.match_indices("crate::").filter_map(|(i, _)| {
        let rest = &text[i + "crate::".len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        // `$crate::` (macros) names the same crate; `{` opens a group (`crate::{a, b}`).
        (end > 0).then(|| rest[..end].to_string())
    })
}

/// A cycle through `start`, if there is one.
fn cycle_from(
    graph: &BTreeMap<String, BTreeSet<String>>,
    start: &str,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    for next in graph.get(path.last().unwrap()).into_iter().flatten() {
        if next == start {
            let mut cycle = path.clone();
            cycle.push(next.clone());
            return Some(cycle);
        }
        if !path.contains(next) && graph.contains_key(next) {
            path.push(next.clone());
            if let Some(c) = cycle_from(graph, start, path) {
                return Some(c);
            }
            path.pop();
        }
    }
    None
}

#[test]
fn no_two_top_level_modules_import_each_other_even_through_others() {
    let graph = graph();
    for start in graph.keys() {
        if let Some(cycle) = cycle_from(&graph, start, &mut vec![start.clone()]) {
            panic!("a cycle between top-level modules: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn the_leaves_import_nothing_of_the_crate_and_http_only_leaves() {
    let graph = graph();
    let allowed: &[(&str, &[&str])] = &[
        ("vendor", &[]),
        ("secret", &[]),
        ("time", &[]),
        ("api_error", &["secret"]),
        ("log", &["secret", "api_error"]),
        ("http", &["api_error", "secret", "vendor", "log"]),
        ("config", &["vendor", "secret", "time", "log"]),
        ("sandbox", &["vendor", "log", "time"]),
    ];
    for (module, may_use) in allowed {
        let uses = &graph[*module];
        let extra: Vec<_> = uses
            .iter()
            .filter(|u| !may_use.contains(&u.as_str()))
            .collect();
        assert!(
            extra.is_empty(),
            "{module} may use only {may_use:?} of the crate, but it also uses {extra:?}"
        );
    }
}

#[test]
fn mentions_are_read_from_paths_and_macros() {
    let text = "use crate::provider::{A, B};\n$crate::log::emit(x); // crate::time\n";
    let found: Vec<_> = mentions(text).collect();
    assert_eq!(found, ["provider", "log", "time"]);
}
