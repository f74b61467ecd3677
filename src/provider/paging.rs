//! The one read-ahead pagination engine every paginated command walks with.
//!
//! A vendor's walk is a plan of page keys (page numbers, offsets, time windows), a `fetch` that
//! reads one key, and a `check` that takes each answer in plan order and says what it holds and
//! what comes next. The engine keeps up to `ahead` keys of the plan in flight and hands their
//! answers to `check` strictly in order; what is ours — echoed page numbers, totals that must
//! not change, rows that must not repeat — stays in the vendor's `check`.
//!
//! The first key is read alone, since its answer usually tells how many pages there are; then
//! the plan `check` returned is read ahead `ahead` at a time. Keys in flight when `check` says
//! [`Then::Stop`] are dropped unread (their requests are cancelled).

use std::collections::VecDeque;

use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, FuturesOrdered, StreamExt};

use crate::api_error::ProviderError;

use super::stream::Page;

/// The keys still to fetch, in order: possibly unbounded (`2..`), taken lazily.
pub type Plan<'a, K> = Box<dyn Iterator<Item = K> + Send + 'a>;

/// What comes after a page.
pub enum Then<'a, K> {
    /// Go on with the plan.
    Go,
    /// This was the last page: nothing more is read.
    Stop,
    /// Replace what is left of the plan (keys not yet asked for) with these. Keys already in
    /// flight are kept and come first.
    Plan(Plan<'a, K>),
    /// Read these next, before anything already in flight or planned (a window that has to be
    /// split into smaller ones). Keys in flight are dropped and asked for again after them, so
    /// answers still come in order and no more than `ahead` requests are out at once.
    Before(Vec<K>),
}

impl<'a, K> Then<'a, K> {
    /// Replace the rest of the plan with `keys`.
    pub fn plan(keys: impl IntoIterator<Item = K, IntoIter: Send + 'a>) -> Then<'a, K> {
        Then::Plan(Box::new(keys.into_iter()))
    }
}

/// One page as `check` took it: its records, and what comes next.
pub struct Step<'a, K, T> {
    pub page: Page<T>,
    pub then: Then<'a, K>,
}

impl<'a, K, T> Step<'a, K, T> {
    pub fn new(page: impl Into<Page<T>>, then: Then<'a, K>) -> Step<'a, K, T> {
        Step {
            page: page.into(),
            then,
        }
    }
}

/// Reads one key.
pub type Fetch<'a, K, A> = Box<dyn Fn(K) -> BoxFuture<'a, Result<A, ProviderError>> + Send + 'a>;

/// Checks one answer, in plan order.
pub type Check<'a, K, A, T> =
    Box<dyn FnMut(K, A) -> Result<Step<'a, K, T>, ProviderError> + Send + 'a>;

/// Every page of a walk over `plan` (which `check` may change as answers come), with up to
/// `ahead` keys in flight once the first answer was checked; an `Err` ends it. Pages known to
/// hold no record are not yielded.
pub fn walk<'a, K, A, T>(
    plan: impl IntoIterator<Item = K, IntoIter: Send + 'a>,
    ahead: usize,
    fetch: Fetch<'a, K, A>,
    check: Check<'a, K, A, T>,
) -> BoxStream<'a, Result<Page<T>, ProviderError>>
where
    K: Clone + Send + 'a,
    A: Send + 'a,
    T: Send + 'a,
{
    let walker = Walker {
        plan: Box::new(plan.into_iter()),
        inflight: FuturesOrdered::new(),
        asked: VecDeque::new(),
        ahead: 1,
        after_first: ahead.max(1),
        fetch,
        check,
    };
    stream::unfold(Some(walker), |state| async move {
        let mut walker = state?;
        match walker.next_page().await {
            Ok(Some(page)) => Some((Ok(page), Some(walker))),
            Ok(None) => None,
            Err(e) => Some((Err(e), None)),
        }
    })
    .boxed()
}

struct Walker<'a, K, A, T> {
    /// Keys not yet asked for.
    plan: Plan<'a, K>,
    /// Keys asked for, in order, with their answers to come.
    inflight: FuturesOrdered<BoxFuture<'a, (K, Result<A, ProviderError>)>>,
    /// The keys of `inflight`, in the same order.
    asked: VecDeque<K>,
    /// Keys in flight at most now: 1 until the first answer was checked.
    ahead: usize,
    after_first: usize,
    fetch: Fetch<'a, K, A>,
    check: Check<'a, K, A, T>,
}

impl<'a, K: Clone + Send + 'a, A: Send + 'a, T: Send + 'a> Walker<'a, K, A, T> {
    fn start(&self, key: K) -> BoxFuture<'a, (K, Result<A, ProviderError>)> {
        let answer = (self.fetch)(key.clone());
        Box::pin(async move { (key, answer.await) })
    }

    /// Starts planned keys until `ahead` are in flight.
    fn fill(&mut self) {
        while self.inflight.len() < self.ahead {
            let Some(key) = self.plan.next() else { break };
            let fut = self.start(key.clone());
            self.inflight.push_back(fut);
            self.asked.push_back(key);
        }
    }

    /// The next page that may hold records, `None` at the end.
    async fn next_page(&mut self) -> Result<Option<Page<T>>, ProviderError> {
        loop {
            self.fill();
            let Some((key, answer)) = self.inflight.next().await else {
                return Ok(None);
            };
            self.asked.pop_front();
            let step = (self.check)(key, answer?)?;
            self.ahead = self.after_first;
            match step.then {
                Then::Go => {}
                Then::Stop => {
                    self.inflight = FuturesOrdered::new();
                    self.asked.clear();
                    self.plan = Box::new(std::iter::empty());
                }
                Then::Plan(plan) => self.plan = plan,
                Then::Before(keys) => {
                    self.inflight = FuturesOrdered::new();
                    let asked = std::mem::take(&mut self.asked);
                    let rest = std::mem::replace(&mut self.plan, Box::new(std::iter::empty()));
                    self.plan = Box::new(keys.into_iter().chain(asked).chain(rest));
                }
            }
            if !step.page.is_known_empty() {
                return Ok(Some(step.page));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A walk over numbered pages of `per` rows, `total` rows in all, recording the keys asked.
    fn numbered(
        total: u64,
        per: u64,
        ahead: usize,
        asked: Arc<Mutex<Vec<u64>>>,
    ) -> BoxStream<'static, Result<Page<u64>, ProviderError>> {
        let pages = total.div_ceil(per);
        walk(
            [1u64],
            ahead,
            Box::new(move |n| {
                asked.lock().unwrap().push(n);
                Box::pin(async move {
                    let rows: Vec<u64> = ((n - 1) * per..(n * per).min(total)).collect();
                    Ok(rows)
                })
            }),
            Box::new(move |n, rows: Vec<u64>| {
                let then = if n >= pages {
                    Then::Stop
                } else if n == 1 {
                    Then::plan(2..=pages)
                } else {
                    Then::Go
                };
                Ok(Step::new(rows, then))
            }),
        )
    }

    async fn collect(s: BoxStream<'_, Result<Page<u64>, ProviderError>>) -> Vec<Vec<u64>> {
        s.map(|p| p.unwrap().decode().unwrap()).collect().await
    }

    #[tokio::test]
    async fn pages_come_in_order_and_each_key_is_asked_once() {
        for ahead in [1, 2, 7] {
            let asked = Arc::new(Mutex::new(Vec::new()));
            let pages = collect(numbered(25, 10, ahead, asked.clone())).await;
            assert_eq!(
                pages,
                vec![
                    (0..10).collect::<Vec<_>>(),
                    (10..20).collect(),
                    (20..25).collect()
                ]
            );
            assert_eq!(*asked.lock().unwrap(), vec![1, 2, 3], "ahead {ahead}");
        }
    }

    #[tokio::test]
    async fn the_first_page_is_read_alone_then_ahead_at_most_n() {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let mut s = numbered(100, 10, 3, asked.clone());
        s.next().await.unwrap().unwrap();
        assert_eq!(*asked.lock().unwrap(), vec![1]);
        s.next().await.unwrap().unwrap();
        // Page 2 came; 3 and 4 are in flight.
        assert_eq!(*asked.lock().unwrap(), vec![1, 2, 3, 4]);
    }

    #[tokio::test]
    async fn stop_drops_the_pages_in_flight_and_an_unbounded_plan_ends() {
        // Pages 1.. until the first short one: 2 is short; 3 and 4 were read ahead and dropped.
        let s = walk(
            [1u64],
            3,
            Box::new(|n| Box::pin(async move { Ok(if n == 1 { 2 } else { 1 }) })),
            Box::new(|n, served: u64| {
                let then = match (n, served) {
                    (_, s) if s < 2 => Then::Stop,
                    (1, _) => Then::plan(2..),
                    _ => Then::Go,
                };
                Ok(Step::new(vec![n; served as usize], then))
            }),
        );
        assert_eq!(collect(s).await, vec![vec![1, 1], vec![2]]);
    }

    #[tokio::test]
    async fn before_reads_split_keys_first_and_empty_pages_are_skipped() {
        // Windows as (start, end); one wider than 4 is split in halves, an empty one skipped.
        let s = walk(
            [(0u64, 16u64)],
            2,
            Box::new(|(a, b)| Box::pin(async move { Ok((a..b).collect::<Vec<u64>>()) })),
            Box::new(|(a, b), rows: Vec<u64>| {
                if b - a > 4 {
                    let mid = (a + b) / 2;
                    return Ok(Step::new(
                        Vec::new(),
                        Then::Before(vec![(a, mid), (mid, b)]),
                    ));
                }
                Ok(Step::new(rows, Then::Go))
            }),
        );
        let pages = collect(s).await;
        assert_eq!(pages.concat(), (0..16).collect::<Vec<_>>());
        assert_eq!(pages.len(), 4);
    }

    #[tokio::test]
    async fn split_keys_wait_their_turn_and_are_not_asked_past_a_failure() {
        // (0, 2) splits into (0, 1) and (1, 2); (0, 1) fails its check: (1, 2) is never asked.
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let s = walk(
            [(0u64, 2u64)],
            1,
            Box::new(move |k| {
                log.lock().unwrap().push(k);
                Box::pin(async move { Ok(()) })
            }),
            Box::new(|(a, b), ()| {
                if b - a > 1 {
                    return Ok(Step::new(
                        Vec::<u64>::new(),
                        Then::Before(vec![(a, a + 1), (a + 1, b)]),
                    ));
                }
                Err(ProviderError::new(
                    crate::api_error::ErrorKind::Incomplete,
                    "Wolkvox",
                    "at the cap",
                ))
            }),
        );
        let got: Vec<_> = s.collect().await;
        assert_eq!(got.len(), 1);
        assert!(got[0].is_err());
        assert_eq!(*asked.lock().unwrap(), vec![(0, 2), (0, 1)]);
    }

    #[tokio::test]
    async fn a_failed_fetch_or_check_ends_the_walk_with_that_error() {
        let s = walk(
            [1u64],
            2,
            Box::new(|n| {
                Box::pin(async move {
                    if n == 3 {
                        Err(ProviderError::new(
                            crate::api_error::ErrorKind::Unavailable,
                            "Engage",
                            "page 3 failed",
                        ))
                    } else {
                        Ok(n)
                    }
                })
            }),
            Box::new(|n, _| {
                let then = if n == 1 { Then::plan(2..) } else { Then::Go };
                Ok(Step::new(vec![n], then))
            }),
        );
        let got: Vec<_> = s.collect().await;
        assert_eq!(got.len(), 3);
        assert!(got[0].is_ok() && got[1].is_ok());
        let err = got[2].as_ref().unwrap_err();
        assert!(err.to_string().contains("page 3 failed"), "{err}");
    }
}
