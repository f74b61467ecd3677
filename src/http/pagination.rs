//! Turning a loop of page requests into a stream of records, a page at a time.

use futures::stream::{self, Stream, StreamExt};

/// Flattens a stream of pages into a stream of records; an `Err` page becomes one `Err` item.
pub fn flatten_pages<'a, T, E, S>(pages: S) -> impl Stream<Item = Result<T, E>> + Send + 'a
where
    S: Stream<Item = Result<Vec<T>, E>> + Send + 'a,
    T: Send + 'a,
    E: Send + 'a,
{
    pages.flat_map(|page| match page {
        Ok(rows) => stream::iter(rows.into_iter().map(Ok)).left_stream(),
        Err(e) => stream::iter(std::iter::once(Err(e))).right_stream(),
    })
}
