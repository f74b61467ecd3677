//! The page stream every paginated command returns: pages, not single records, move between a
//! vendor's adapter and the output.

use futures::stream::BoxStream;

use crate::api_error::ProviderError;

/// A stream of records, a page at a time (each item is one page, which may hold no record); an
/// `Err` ends it. Pages, not single records, are what moves between a vendor's adapter and the
/// output: a million-row export hands over a hundred pages, not a million records one by one.
pub type RecordStream<'a, T> = BoxStream<'a, Result<Page<T>, ProviderError>>;

/// One page of records: decoded already, or still to be decoded by whoever takes it. A large
/// export defers the decoding of its pages so that each is decoded and encoded in one go on one
/// worker thread, where its records are made and dropped (with the system allocator, a record
/// made on one thread and dropped on another costs a lock and more: a tenth of the CPU of a
/// million-row export).
pub struct Page<T> {
    inner: PageInner<T>,
    counted: Option<Counted>,
}

/// Rows a vendor counts for a query (its total, less what `--offset` skips and `--limit` leaves
/// out), declared on the page that told it. The writer adds up what a stream's pages declare and
/// compares it with the distinct rows the pages held: pages that shifted or repeated while
/// paging fall short of it (product.md "Pages that drift or repeat are caught").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    /// Rows the vendor counts, beyond those of other pages' declarations.
    pub rows: u64,
    /// The vendor, for the message.
    pub vendor: &'static str,
}

enum PageInner<T> {
    Decoded(Vec<T>),
    Deferred(Box<dyn FnOnce() -> Result<Vec<T>, ProviderError> + Send>),
}

impl<T> Page<T> {
    /// A page whose records are decoded when [`Page::decode`] is called (on the caller's thread).
    pub fn deferred(
        decode: impl FnOnce() -> Result<Vec<T>, ProviderError> + Send + 'static,
    ) -> Page<T> {
        Page {
            inner: PageInner::Deferred(Box::new(decode)),
            counted: None,
        }
    }

    /// The same page, declaring that `vendor` counts `rows` more rows for the query (see
    /// [`Counted`]).
    pub fn counting(mut self, vendor: &'static str, rows: u64) -> Page<T> {
        self.counted = Some(Counted { rows, vendor });
        self
    }

    /// The rows this page declares the vendor counts, if it declares any.
    pub fn counted(&self) -> Option<Counted> {
        self.counted
    }

    /// Whether the page is decoded, holds no record (a deferred page may hold some) and declares
    /// no rows counted.
    pub fn is_known_empty(&self) -> bool {
        matches!(&self.inner, PageInner::Decoded(records) if records.is_empty())
            && self.counted.is_none_or(|c| c.rows == 0)
    }

    /// The page's records, decoding them now if that was deferred; a page that cannot be
    /// decoded is the failure that ends its stream.
    pub fn decode(self) -> Result<Vec<T>, ProviderError> {
        match self.inner {
            PageInner::Decoded(records) => Ok(records),
            PageInner::Deferred(decode) => decode(),
        }
    }
}

impl<T> From<Vec<T>> for Page<T> {
    fn from(records: Vec<T>) -> Page<T> {
        Page {
            inner: PageInner::Decoded(records),
            counted: None,
        }
    }
}

impl<T> std::fmt::Debug for Page<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.inner {
            PageInner::Decoded(records) => write!(f, "Page({} records)", records.len()),
            PageInner::Deferred(_) => f.write_str("Page(not decoded yet)"),
        }
    }
}

/// A [`RecordStream`] of pages decoded by the adapter.
pub fn record_stream<'a, T: Send + 'a>(
    pages: impl futures::Stream<Item = Result<Vec<T>, ProviderError>> + Send + 'a,
) -> RecordStream<'a, T> {
    futures::StreamExt::boxed(futures::StreamExt::map(pages, |page| page.map(Page::from)))
}

/// A stream that fails at once, before any request (a refused option, an unsupported command).
pub fn failed_stream<'a, T: Send + 'a>(e: ProviderError) -> RecordStream<'a, T> {
    futures::StreamExt::boxed(futures::stream::once(async move { Err(e) }))
}
