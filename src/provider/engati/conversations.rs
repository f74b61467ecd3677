//! A user's chat history, every page: `GET …/channel-user/{user}/conversations?page_number&
//! page_size[&start_date][&end_date]` (vendors.md Part 1 "Engati", Part 2 §2.3).
//!
//! Engati gives no total: the last page is the first one shorter than the `page_size` it echoes
//! (it silently serves more than 500 as 500, so the size asked for proves nothing), and a page
//! past the end is empty. So page 1 is read alone; once its size is known, the next pages are
//! read ahead `concurrency` at a time and taken in order, and those past the end (empty, cheap)
//! are dropped unread when the last page arrives.

use std::collections::HashSet;

use futures::StreamExt;
use futures::stream;

use crate::http::{ApiRequest, ApiResponse, encode};
use crate::provider::paging::{self, Step, Then};
use crate::provider::users::{ChatMessage, ConversationQuery};
use crate::provider::{ProviderError, RecordStream};
use crate::time::DateRange;

use super::client::{Endpoint, EngatiClient};
use super::wire::{self, ConversationPage};
use super::{VENDOR, response_object};

/// Default and largest `page_size` (Part 2 §2.3: "the default value is set to 500"; Part 1:
/// larger is served as 500).
pub(super) const MAX_PAGE_SIZE: u64 = 500;

/// The messages of `user`, oldest first, a page at a time.
pub(super) fn stream<'a>(
    client: &'a EngatiClient,
    user: &'a str,
    query: &'a ConversationQuery,
) -> RecordStream<'a, ChatMessage> {
    let window = match query.range {
        None => None,
        Some(range) => match window(&range) {
            Some(w) => Some(w),
            // Nothing of the range lies after 1970: Engati would refuse it (1003), and the
            // honest answer is no messages.
            None => return stream::empty().boxed(),
        },
    };
    let mut page_size = query
        .page_size
        .unwrap_or(MAX_PAGE_SIZE)
        .clamp(1, MAX_PAGE_SIZE);
    if let Some(limit) = query.limit.filter(|l| *l > 0) {
        page_size = page_size.min(limit);
    }
    if query.limit == Some(0) {
        return stream::empty().boxed();
    }
    let path = format!(
        "{}/channel-user/{}/conversations",
        client.bot_path("v1.0"),
        encode::segment(user)
    );
    let mut checker = Checker {
        range: query.range,
        page_size,
        echoed_size: None,
        remaining: query.limit,
        seen: HashSet::new(),
    };
    // With --limit the reads stop as soon as enough messages came: no read-ahead.
    let ahead = if query.limit.is_some() {
        1
    } else {
        client.http.concurrency()
    };
    paging::walk(
        [1],
        ahead,
        Box::new(move |page| Box::pin(fetch(client, path.clone(), window, page, page_size))),
        Box::new(move |page, (resp, body)| {
            let rows = checker.take(page, &resp, body)?;
            let then = if checker.done(&rows) {
                Then::Stop
            } else if page == 1 {
                Then::plan(2..)
            } else {
                Then::Go
            };
            Ok(Step::new(rows.messages, then))
        }),
    )
}

/// `start_date` and `end_date` of a half-open range, in epoch milliseconds, or `None` when no
/// part of it is after the epoch (Engati wants non-negative values with `end_date` >
/// `start_date`, else 1003).
///
/// Part 2 leaves open whether `end_date` is inclusive, so the range's own end is sent and
/// messages stamped at or after it are dropped here: the seams of consecutive ranges are right
/// whichever way Engati reads it.
fn window(range: &DateRange) -> Option<(i64, i64)> {
    let start = range.start.timestamp_millis().max(0);
    let end = range.end.timestamp_millis();
    (end > start).then_some((start, end))
}

/// What the walk has seen so far.
struct Checker {
    range: Option<DateRange>,
    page_size: u64,
    /// The `page_size` Engati echoed on the first page; every page must echo the same.
    echoed_size: Option<u64>,
    remaining: Option<u64>,
    /// Message ids already written: a message is never written twice.
    seen: HashSet<String>,
}

/// One page as Engati answered it.
type Fetched = Result<(ApiResponse, ConversationPage), ProviderError>;

/// Reads page `page` of `path`.
async fn fetch(
    client: &EngatiClient,
    path: String,
    window: Option<(i64, i64)>,
    page: u64,
    page_size: u64,
) -> Fetched {
    let mut req = ApiRequest::get(path)
        .query("page_number", page.to_string())
        .query("page_size", page_size.to_string());
    if let Some((start, end)) = window {
        req = req
            .query("start_date", start.to_string())
            .query("end_date", end.to_string());
    }
    let answer = client.send(req, Endpoint::Conversations).await?;
    let (resp, object) = response_object(answer);
    let page = wire::conversation_page(object, &resp)?;
    Ok((resp, page))
}

/// A checked page: the messages to write, and whether it was the last.
struct Taken {
    messages: Vec<ChatMessage>,
    last: bool,
}

impl Checker {
    /// Whether nothing more is to be read after `taken`.
    fn done(&self, taken: &Taken) -> bool {
        taken.last || self.remaining == Some(0)
    }

    /// Checks page `page` against the first page and the messages seen so far.
    fn take(
        &mut self,
        page: u64,
        resp: &ApiResponse,
        body: ConversationPage,
    ) -> Result<Taken, ProviderError> {
        if let Some(echoed) = body.page_number
            && echoed != page
        {
            return Err(incomplete(
                resp,
                format!("asked for page {page} but Engati answered page {echoed}"),
            ));
        }
        let size = body.page_size.unwrap_or(self.page_size);
        if size == 0 {
            return Err(resp.bad_shape(VENDOR, "the page has a page_size of 0".to_string()));
        }
        match self.echoed_size {
            None => self.echoed_size = Some(size),
            Some(first) if first != size => {
                return Err(incomplete(
                    resp,
                    format!(
                        "the page size changed from {first} to {size} while paging, so page numbers no longer line up"
                    ),
                ));
            }
            Some(_) => {}
        }
        let served = body.conversations.len() as u64;
        if served > size {
            return Err(incomplete(
                resp,
                format!("page {page} holds {served} messages but Engati says pages hold {size}"),
            ));
        }
        // The first page shorter than the echoed size is the last (an empty one included).
        let last = served < size;
        let mut rows = Vec::with_capacity(body.conversations.len());
        let mut repeated = 0;
        for object in body.conversations {
            // Every message read has its id (a key field), so none is written twice.
            let message = wire::read_message(object, &resp.request_line)?;
            if let Some(id) = &message.message_id
                && !self.seen.insert(id.clone())
            {
                repeated += 1;
                continue;
            }
            let outside = match (self.range, message.timestamp) {
                (Some(range), Some(t)) => !range.contains(t),
                _ => false,
            };
            if !outside {
                rows.push(message);
            }
        }
        if served > 0 && repeated == served {
            return Err(incomplete(
                resp,
                format!(
                    "page {page} repeated messages already received (Engati ignored page_number?)"
                ),
            ));
        }
        if let Some(r) = &mut self.remaining {
            rows.truncate(usize::try_from(*r).unwrap_or(usize::MAX));
            *r -= rows.len() as u64;
        }
        Ok(Taken {
            messages: rows,
            last,
        })
    }
}

fn incomplete(resp: &ApiResponse, what: String) -> ProviderError {
    resp.incomplete(
        VENDOR,
        what,
        "the messages could not be proven complete; run the command again (with -o, the previous file was kept)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn range(a: i64, b: i64) -> DateRange {
        DateRange {
            start: Utc.timestamp_millis_opt(a).unwrap(),
            end: Utc.timestamp_millis_opt(b).unwrap(),
        }
    }

    #[test]
    fn windows_are_epoch_milliseconds_clamped_at_the_epoch() {
        assert_eq!(
            window(&range(1_775_000_000_000, 1_775_086_400_000)),
            Some((1_775_000_000_000, 1_775_086_400_000))
        );
        assert_eq!(window(&range(-5_000, 3_000)), Some((0, 3_000)));
        assert_eq!(window(&range(-5_000, 0)), None);
    }
}
