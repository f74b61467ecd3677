//! `--jq EXPR` (product.md, "Scripting"): a jq filter run in process over the whole JSON result,
//! with the jaq crates (jaq-core, jaq-std, jaq-json) — no `jq` needed. Each output value is
//! printed on its own line, as `gh --jq` does: strings raw, anything else as compact JSON.
//!
//! The filter is checked once before any request ([`JqProgram::parse`]) and compiled again where
//! it runs ([`JqProgram::apply`]): jaq's values are reference-counted (not `Send`), so nothing of
//! it is kept across the run's tasks, only the checked text.

use std::io::Write;
use std::path::Path;

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data, unwrap_valr};
use jaq_json::Val;

use super::{OutputError, atomic, describe_target};

/// A jq filter whose text parses and compiles.
#[derive(Debug, Clone)]
pub struct JqProgram {
    code: String,
}

/// Why `--jq` could not give its output.
#[derive(Debug)]
pub enum JqError {
    /// The filter does not parse or names something undefined: jaq's message.
    Parse(String),
    /// The filter failed on the result: jaq's message.
    Run(String),
    /// The result could not be written.
    Output(OutputError),
}

/// The filter compiled (borrowing the arena that holds its text).
type Filter = jaq_core::Filter<data::JustLut<Val>>;

impl JqProgram {
    /// Checks `code`: `Err` holds jaq's message, with where in the filter it stopped.
    pub fn parse(code: &str) -> Result<JqProgram, JqError> {
        compile(code)?;
        Ok(JqProgram {
            code: code.to_string(),
        })
    }

    /// The filter's text, as the user gave it.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Runs the filter over the JSON document `json` and writes each value it gives on its own
    /// line to `out`: a string raw, anything else as compact JSON. A run-time error stops it
    /// (what was written before stays in `out`).
    pub fn apply(&self, json: &[u8], out: &mut impl Write) -> Result<(), JqError> {
        let input = jaq_json::read::parse_single(json)
            .map_err(|e| JqError::Run(format!("the result is not JSON: {e}")))?;
        let filter = compile(&self.code)?;
        let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([]));
        for value in filter.id.run((ctx, input)).map(unwrap_valr) {
            let value = value.map_err(|e| JqError::Run(e.to_string()))?;
            let written = match &value {
                Val::TStr(text) => out.write_all(text),
                other => write!(out, "{other}"),
            };
            written
                .and_then(|()| out.write_all(b"\n"))
                .map_err(|source| {
                    JqError::Output(OutputError::Io {
                        target: "the --jq output".into(),
                        source,
                    })
                })?;
        }
        Ok(())
    }

    /// Runs the filter over `json` and writes its output to `-o FILE` (atomically, as every
    /// result is: nothing is renamed into place unless the filter ran to its end) or to `stdout`.
    pub fn deliver(
        &self,
        json: &[u8],
        path: Option<&Path>,
        stdout: Box<dyn Write + Send>,
    ) -> Result<(), JqError> {
        // To memory first: a filter that fails halfway leaves stdout without a partial answer.
        let mut text = Vec::new();
        self.apply(json, &mut text)?;
        write_document(&text, path, stdout).map_err(JqError::Output)
    }
}

/// Writes a document made whole before it is written (the `--jq` output, an `api` answer) to
/// `-o FILE`, as every result is (a temporary file renamed into place; a FIFO or device
/// written straight through), or to `stdout`.
pub fn write_document(
    bytes: &[u8],
    path: Option<&Path>,
    stdout: Box<dyn Write + Send>,
) -> Result<(), OutputError> {
    let target = describe_target(path);
    let io_err = |source: std::io::Error| {
        if source.kind() == std::io::ErrorKind::IsADirectory {
            OutputError::Folder {
                path: target.clone(),
            }
        } else {
            OutputError::Io {
                target: target.clone(),
                source,
            }
        }
    };
    let (mut out, pending) = atomic::open(path, stdout).map_err(io_err)?;
    out.write_all(bytes).map_err(io_err)?;
    atomic::commit(out, pending).map_err(io_err)
}

/// Parses and compiles `code` with jq's standard library.
fn compile(code: &str) -> Result<Filter, JqError> {
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs());
    let arena = Arena::default();
    let modules = Loader::new(defs)
        .load(&arena, File { code, path: () })
        .map_err(|errors| JqError::Parse(load_message(code, errors)))?;
    Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|errors| {
            let undefined: Vec<String> = errors
                .into_iter()
                .flat_map(|(_, errs)| errs)
                .map(|(name, what)| format!("{} '{name}'", what.as_str()))
                .collect();
            JqError::Parse(format!("undefined {}", undefined.join(", ")))
        })
}

/// jaq's lex and parse errors in one sentence: what it expected, where, and what it found.
fn load_message(code: &str, errors: jaq_core::load::Errors<&str, ()>) -> String {
    use jaq_core::load::Error;
    let mut parts = Vec::new();
    for (_, error) in errors {
        match error {
            Error::Io(errs) => {
                parts.extend(errs.into_iter().map(|(path, e)| format!("{path}: {e}")));
            }
            Error::Lex(errs) => {
                parts.extend(
                    errs.into_iter()
                        .map(|(expect, found)| found_at(code, expect.as_str(), found)),
                );
            }
            Error::Parse(errs) => {
                parts.extend(
                    errs.into_iter()
                        .map(|(expect, found)| found_at(code, expect.as_str(), found)),
                );
            }
        }
    }
    parts.join("; ")
}

/// "expected X at character N, found 'Y'" for a piece `found` of `code`.
fn found_at(code: &str, expected: &str, found: &str) -> String {
    let offset = (found.as_ptr() as usize)
        .checked_sub(code.as_ptr() as usize)
        .filter(|at| *at <= code.len())
        .unwrap_or(code.len());
    let at = code[..offset].chars().count() + 1;
    let snippet: String = found.chars().take_while(|c| *c != '\n').take(20).collect();
    if snippet.is_empty() {
        format!("expected {expected} at the end of the filter")
    } else {
        format!("expected {expected} at character {at}, found '{snippet}'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(code: &str, json: &str) -> Result<String, String> {
        let program = JqProgram::parse(code).map_err(|e| format!("{e:?}"))?;
        let mut out = Vec::new();
        program
            .apply(json.as_bytes(), &mut out)
            .map_err(|e| format!("{e:?}"))?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn strings_are_raw_and_other_values_compact_one_per_line() {
        let json =
            r#"[{"name":"Año \"nuevo\"","sent":3,"tags":["a","b"]},{"name":"b","sent":null}]"#;
        assert_eq!(run(".[].name", json).unwrap(), "Año \"nuevo\"\nb\n");
        assert_eq!(run(".[0].tags", json).unwrap(), "[\"a\",\"b\"]\n");
        assert_eq!(
            run("map({name, sent})", json).unwrap(),
            "[{\"name\":\"Año \\\"nuevo\\\"\",\"sent\":3},{\"name\":\"b\",\"sent\":null}]\n"
        );
        assert_eq!(run("[.[].sent | values] | add", json).unwrap(), "3\n");
        assert_eq!(run("empty", json).unwrap(), "");
    }

    #[test]
    fn standard_library_filters_are_there() {
        let json = r#"[{"s":"read"},{"s":"sent"},{"s":"read"}]"#;
        assert_eq!(
            run("group_by(.s) | map({(.[0].s): length}) | add", json).unwrap(),
            "{\"read\":2,\"sent\":1}\n"
        );
        assert_eq!(
            run(r#"[.[] | select(.s | test("^re"))] | length"#, json).unwrap(),
            "2\n"
        );
    }

    #[test]
    fn a_filter_that_does_not_parse_says_where() {
        let Err(JqError::Parse(message)) = JqProgram::parse(".[] | select(.a ==") else {
            panic!("parsed");
        };
        assert_eq!(
            message,
            "expected closing parenthesis at the end of the filter"
        );
        let Err(JqError::Parse(message)) = JqProgram::parse(".a | | .b") else {
            panic!("parsed");
        };
        assert_eq!(message, "expected term at character 6, found '|'");
        let Err(JqError::Parse(message)) = JqProgram::parse(".a | nosuch(1)") else {
            panic!("compiled");
        };
        assert_eq!(message, "undefined filter 'nosuch'");
    }

    #[test]
    fn a_run_time_error_is_jaqs_message() {
        let err = run(".[0] + 1", r#"[{"a":1}]"#).unwrap_err();
        assert_eq!(err, r#"Run("cannot calculate {\"a\":1} + 1")"#);
    }
}
