//! Every page of an Engagive list endpoint, as one stream: `page` (1-based) and `per_page`
//! (vendors.md Part 1). The first page tells how many pages there are; the others are then fetched
//! `concurrency` at a time and yielded in order. Each page is checked against the `pagination`
//! object — the page echoed, a total that stays the same, no empty page before the end — and rows
//! are de-duplicated by key and counted, so a list that changed while paging ends in an
//! incomplete-result error (exit 3) instead of silently losing or doubling rows. A list answered
//! without a `pagination` object is one page.

use std::collections::HashSet;
use std::sync::Arc;

use futures::stream::{self, BoxStream, StreamExt};
use serde::de::DeserializeOwned;

use crate::http::{ApiRequest, ApiResponse};
use crate::provider::ProviderError;

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

/// One fetched page.
struct Fetched<W> {
    page: u64,
    rows: Vec<W>,
    pagination: Option<Pagination>,
    resp: ApiResponse,
}

async fn fetch<W: DeserializeOwned>(
    client: &EngagiveClient,
    spec: &ListSpec,
    page: u64,
) -> Result<Fetched<W>, ProviderError> {
    let mut req = ApiRequest::get(spec.path.clone());
    for (k, v) in &spec.filters {
        req = req.query(k, v.clone());
    }
    let req = req
        .query("page", page.to_string())
        .query("per_page", spec.per_page.to_string());
    let (envelope, resp) = client.call::<Vec<W>>(req).await?;
    Ok(Fetched {
        page,
        rows: envelope.data.unwrap_or_default(),
        pagination: envelope.pagination,
        resp,
    })
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

/// Where the walk is.
enum Phase<'a, W> {
    /// Fetch this page next, alone (the first page, or when the page count is unknown).
    Next(u64),
    /// The remaining pages, in flight `concurrency` at a time, in order.
    Rest(BoxStream<'a, Result<Fetched<W>, ProviderError>>),
}

/// Every page of `spec`, as a stream of new rows per page; an `Err` ends it.
pub(super) fn pages<'a, W>(
    client: &'a EngagiveClient,
    spec: ListSpec,
) -> BoxStream<'a, Result<Vec<W>, ProviderError>>
where
    W: DeserializeOwned + Keyed + Send + 'a,
{
    let checker = Checker {
        seen: HashSet::new(),
        total: None,
        pages: None,
        per_page: spec.per_page,
        what: spec.what,
    };
    let spec = Arc::new(spec);
    stream::unfold(Some((Phase::Next(1), checker)), move |state| {
        let spec = Arc::clone(&spec);
        async move {
            let (phase, mut checker) = state?;
            let (fetched, rest) = match phase {
                Phase::Next(page) => (fetch(client, &spec, page).await, None),
                Phase::Rest(mut rest) => match rest.next().await {
                    Some(f) => (f, Some(rest)),
                    None => return None,
                },
            };
            let taken = fetched.and_then(|f| {
                let page = f.page;
                checker.take(f).map(|(rows, last)| (rows, last, page))
            });
            let (rows, last, page) = match taken {
                Ok(v) => v,
                Err(e) => return Some((Err(e), None)),
            };
            if last {
                return Some((Ok(rows), None));
            }
            let next = match (rest, checker.pages) {
                (Some(rest), _) => Phase::Rest(rest),
                (None, Some(n)) if n > page + 1 && client.http.concurrency() > 1 => {
                    let spec = Arc::clone(&spec);
                    Phase::Rest(
                        stream::iter(page + 1..=n)
                            .map(move |p| {
                                let spec = Arc::clone(&spec);
                                async move { fetch(client, &spec, p).await }
                            })
                            .buffered(client.http.concurrency())
                            .boxed(),
                    )
                }
                (None, _) => Phase::Next(page + 1),
            };
            Some((Ok(rows), Some((next, checker))))
        }
    })
    .boxed()
}
