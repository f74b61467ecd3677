//! Every page of an Engagive list endpoint, as one stream: `page` (1-based) and `per_page`
//! (vendors.md Part 1). The first page tells how many pages there are; the others are then fetched
//! `concurrency` at a time and yielded in order. Each page is checked against the `pagination`
//! object — the page echoed, a total that stays the same, no empty page before the end — and rows
//! are de-duplicated by key and counted, so a list that changed while paging ends in an
//! incomplete-result error (exit 3) instead of silently losing or doubling rows. A list answered
//! without a `pagination` object is one page.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::Value as Json;

use crate::http::{ApiRequest, ApiResponse};
use crate::provider::paging::{self, Step, Then};
use crate::provider::{ProviderError, RecordStream};

use super::client::EngagiveClient;
use super::wire::Pagination;
use super::{Keyed, VENDOR};

/// What to list.
#[derive(Debug)]
pub(super) struct ListSpec {
    pub path: String,
    /// Filters before `page` and `per_page` (`search`).
    pub filters: Vec<(&'static str, String)>,
    pub per_page: u64,
    /// What the rows are, for messages ("templates").
    pub what: &'static str,
}

/// Reads one element of a list's `data` into its record (`request` names the request for the
/// error).
pub(super) type Convert<T> = fn(Json, &str) -> Result<T, ProviderError>;

/// One fetched page, its rows read.
struct Fetched<W> {
    page: u64,
    rows: Vec<W>,
    pagination: Option<Pagination>,
    resp: ApiResponse,
}

async fn fetch<W>(
    client: &EngagiveClient,
    spec: &ListSpec,
    page: u64,
    convert: Convert<W>,
) -> Result<Fetched<W>, ProviderError> {
    let mut req = ApiRequest::get(spec.path.clone());
    for (k, v) in &spec.filters {
        req = req.query(k, v.clone());
    }
    let req = req
        .query("page", page.to_string())
        .query("per_page", spec.per_page.to_string());
    let (envelope, resp) = client.call::<Vec<Json>>(req).await?;
    let data = match envelope.data {
        Some(data) => data,
        None => no_data(&resp, spec.what)?,
    };
    let rows = data
        .into_iter()
        .map(|row| convert(row, &resp.request_line))
        .collect::<Result<Vec<W>, _>>()?;
    Ok(Fetched {
        page,
        rows,
        pagination: envelope.pagination,
        resp,
    })
}

/// A list answer whose `data` is null is an empty list; one without `data` is another schema:
/// unreadable, saying what it holds.
fn no_data<W>(resp: &ApiResponse, what: &str) -> Result<Vec<W>, ProviderError> {
    let body: Json = resp.json(VENDOR)?;
    match body.as_object() {
        Some(map) if !map.contains_key("data") => {
            let holds: Vec<_> = map.keys().cloned().collect();
            Err(resp.bad_shape(
                VENDOR,
                format!(
                    "the answer has no list of {what} (data; it holds: {})",
                    holds.join(", ")
                ),
            ))
        }
        _ => Ok(Vec::new()),
    }
}

/// What the walk has seen so far.
struct Checker {
    seen: HashSet<String>,
    total: Option<u64>,
    /// The number of pages, once known.
    pages: Option<u64>,
    per_page: u64,
    what: &'static str,
}

impl Checker {
    /// The page's new rows and whether it was the last, or why the list cannot be trusted.
    fn take<W: Keyed>(&mut self, f: Fetched<W>) -> Result<(Vec<W>, bool), ProviderError> {
        let served = f.rows.len() as u64;
        let Some(p) = f.pagination else {
            if f.page == 1 {
                let rows = f.rows.into_iter().filter(|r| self.seen.insert(r.key()));
                return Ok((rows.collect(), true));
            }
            return Err(incomplete(
                &f.resp,
                format!("page {} came without its pagination object", f.page),
            ));
        };
        if let Some(echo) = p.page
            && echo != f.page
        {
            return Err(incomplete(
                &f.resp,
                format!(
                    "asked for page {} but Engagive answered page {echo}",
                    f.page
                ),
            ));
        }
        match (self.total, p.total) {
            (Some(before), Some(now)) if before != now => {
                return Err(incomplete(
                    &f.resp,
                    format!(
                        "the number of {} changed from {before} to {now} while paging",
                        self.what
                    ),
                ));
            }
            (None, now) => self.total = now,
            _ => {}
        }
        let per_page = p.per_page.unwrap_or(self.per_page).clamp(1, self.per_page);
        if self.pages.is_none() {
            self.pages = p
                .total_pages
                .or_else(|| self.total.map(|t| t.div_ceil(per_page)));
        }
        let last = match self.pages {
            Some(n) => f.page >= n,
            // Neither count: a short page is the last.
            None => served < per_page,
        };
        self.seen.reserve(f.rows.len());
        let fresh: Vec<W> = f
            .rows
            .into_iter()
            .filter(|r| self.seen.insert(r.key()))
            .collect();
        if let Some(t) = self.total {
            let seen = self.seen.len() as u64;
            if served == 0 && !last {
                return Err(incomplete(
                    &f.resp,
                    format!(
                        "Engagive reported {t} {} but page {} was empty after {seen}",
                        self.what, f.page
                    ),
                ));
            }
            if last && seen != t {
                return Err(incomplete(
                    &f.resp,
                    format!(
                        "Engagive reported {t} {} but served {seen} distinct ones",
                        self.what
                    ),
                ));
            }
        }
        Ok((fresh, last))
    }
}

fn incomplete(resp: &ApiResponse, what: String) -> ProviderError {
    resp.incomplete(
        VENDOR,
        what,
        "the list could not be proven complete (it may have changed while paging); run the command again",
    )
}

/// Every page of `spec`, as a stream of new rows per page, each read by `convert`; an `Err`
/// ends it.
pub(super) fn pages<'a, T>(
    client: &'a EngagiveClient,
    spec: ListSpec,
    convert: Convert<T>,
) -> RecordStream<'a, T>
where
    T: Keyed + Send + 'a,
{
    let mut checker = Checker {
        seen: HashSet::new(),
        total: None,
        pages: None,
        per_page: spec.per_page,
        what: spec.what,
    };
    let spec = Arc::new(spec);
    // Once the page count is known, the rest of the pages are planned; until then, one by one.
    let mut planned = false;
    paging::walk(
        [1],
        client.http.concurrency(),
        Box::new(move |page| {
            let spec = Arc::clone(&spec);
            Box::pin(async move { fetch::<T>(client, &spec, page, convert).await })
        }),
        Box::new(move |page, fetched| {
            let (rows, last) = checker.take(fetched)?;
            let then = match checker.pages {
                _ if last => Then::Stop,
                Some(_) if planned => Then::Go,
                Some(n) => {
                    planned = true;
                    Then::plan(page + 1..=n)
                }
                None => Then::plan([page + 1]),
            };
            Ok(Step::new(rows, then))
        }),
    )
}
