//! `--jq EXPR` where a run's result is written: the one result (a list, every page and every
//! profile of it, or one object) is rendered as JSON into memory, and the filter runs over the
//! whole of it once it is complete ([`crate::output::JqProgram`]). Checked before any request.

use std::path::Path;

use super::Ctx;
use super::io::Buffer;
use crate::error::AppError;
use crate::output::{FieldDef, Format, JqError, JqProgram, OutputSpec, Shape, Writer};

/// The JSON result of a run with `--jq`, collected for the filter.
pub(super) struct Collected {
    program: JqProgram,
    json: Buffer,
}

impl Ctx {
    /// `--jq`'s filter, checked; `None` without `--jq`. Exit 2 when it does not parse, or when
    /// `-f` asks for another format than JSON (`--jq` reads and gives JSON).
    pub(super) fn jq(&self) -> Result<Option<JqProgram>, AppError> {
        let Some(code) = &self.global.jq else {
            return Ok(None);
        };
        if let Some(format) = self.global.format.filter(|f| *f != Format::Json) {
            let name = clap::ValueEnum::to_possible_value(&format)
                .map(|v| v.get_name().to_string())
                .unwrap_or_default();
            return Err(AppError::usage(
                format!("--jq filters the JSON result, and -f asks for {name}"),
                "leave -f out (or use -f json) with --jq; for streaming rows without a filter, use -f jsonl",
            ));
        }
        match JqProgram::parse(code) {
            Ok(program) => Ok(Some(program)),
            Err(JqError::Parse(message)) => Err(AppError::usage(
                format!("the --jq filter '{code}' does not parse: {message}"),
                "--jq takes a jq expression, such as --jq '.[] | .name'; quote it for the shell",
            )),
            Err(other) => Err(failed(code, other)),
        }
    }

    /// Opens the writer of the run's one result: on stdout or `-o` as `spec` says, or with
    /// `--jq`, as JSON into memory (the [`Collected`] result that [`Ctx::finish_result`] filters).
    pub(super) fn open_result(
        &self,
        spec: &OutputSpec,
        fields: Vec<FieldDef>,
        shape: Shape,
    ) -> Result<(Writer, Option<Collected>), AppError> {
        let Some(program) = self.jq()? else {
            return Ok((Writer::open(spec, fields, shape, self.stdout())?, None));
        };
        let json = Buffer::default();
        let in_memory = OutputSpec {
            format: Some(Format::Json),
            path: None,
            ..spec.clone()
        };
        let writer = Writer::open(&in_memory, fields, shape, Box::new(json.clone()))?;
        Ok((writer, Some(Collected { program, json })))
    }

    /// Finishes the writer [`Ctx::open_result`] opened; with `--jq`, runs the filter over the
    /// whole result and writes its output to stdout or `-o` (atomically). Returns the rows
    /// the result holds.
    pub(super) fn finish_result(
        &self,
        writer: Writer,
        collected: Option<Collected>,
        path: Option<&Path>,
    ) -> Result<u64, AppError> {
        let rows = writer.finish()?;
        if let Some(Collected { program, json }) = collected {
            let json = json.take();
            program
                .deliver(&json, path, self.stdout())
                .map_err(|e| failed(program.code(), e))?;
        }
        Ok(rows)
    }
}

/// A `--jq` filter that failed: exit 2 with jaq's message (an output failure keeps its own).
pub(super) fn failed(code: &str, e: JqError) -> AppError {
    match e {
        JqError::Parse(message) | JqError::Run(message) => AppError::usage(
            format!("the --jq filter '{code}' failed: {message}"),
            "-f json without --jq prints the result the filter was given",
        ),
        JqError::Output(e) => e.into(),
    }
}
