//! When a saga step that failed for a passing reason is tried again: exponential
//! backoff with jitter, on a virtual clock, up to a deadline. Pure values: the time
//! is virtual milliseconds since the step began (never the browser's clock), read
//! from the transfer's own events, so a run is the same every time and after a reload.
//!
//! The wait before retry `n` is `BASE_MS · 2^(n-1)` plus a jitter of up to a quarter
//! of that, drawn from the transfer id and the attempt (the same transfer waits the
//! same; two transfers failing together do not retry in step). The credit step has a
//! deadline ([`DEADLINE_MS`]): when the next retry would start after it, the saga
//! gives up at once and compensates.

use super::TransferId;

/// The first wait, in virtual milliseconds; each later one doubles.
pub const BASE_MS: u64 = 100;

/// How long after its first attempt the credit step may still be tried.
pub const DEADLINE_MS: u64 = 1000;

/// What the saga does after attempt `attempt` of a step failed at `now_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try again at this virtual time.
    RetryAt(u64),
    /// The next retry would start after the deadline: stop trying.
    GiveUp,
}

/// The wait after failed attempt `attempt` (1 for the first) of transfer `id`.
#[must_use]
pub fn backoff_ms(id: &TransferId, attempt: u32) -> u64 {
    let exponential = BASE_MS << attempt.saturating_sub(1).min(20);
    exponential + jitter(id, attempt) % (exponential / 4 + 1)
}

/// Attempt `attempt` failed at `now_ms`: when to try again, or, with a `deadline_ms`,
/// whether to give up because the next try would start after it.
#[must_use]
pub fn after_failure(
    id: &TransferId,
    attempt: u32,
    now_ms: u64,
    deadline_ms: Option<u64>,
) -> AfterFailure {
    let at = now_ms + backoff_ms(id, attempt);
    match deadline_ms {
        Some(deadline) if at > deadline => AfterFailure::GiveUp,
        _ => AfterFailure::RetryAt(at),
    }
}

/// A number drawn from the transfer id and the attempt (FNV-1a): the same inputs give
/// the same number, on every machine.
fn jitter(id: &TransferId, attempt: u32) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in id.as_str().bytes().chain(attempt.to_le_bytes()) {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> TransferId {
        TransferId::parse(s).unwrap()
    }

    #[test]
    fn each_wait_doubles_with_at_most_a_quarter_more_and_repeats_exactly() {
        for name in ["t1", "transfer-789", &"x".repeat(64)] {
            let t = id(name);
            for attempt in 1..=6 {
                let base = BASE_MS << (attempt - 1);
                let wait = backoff_ms(&t, attempt);
                assert!(
                    (base..=base + base / 4).contains(&wait),
                    "{name} {attempt}: {wait}"
                );
                assert_eq!(wait, backoff_ms(&t, attempt), "the same every time");
            }
        }
    }

    #[test]
    fn jitter_spreads_transfers_that_fail_together() {
        let waits: Vec<u64> = (1..=20)
            .map(|n| backoff_ms(&id(&format!("t{n}")), 3))
            .collect();
        let mut distinct = waits.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert!(distinct.len() > 10, "{waits:?}");
    }

    #[test]
    fn the_credit_gives_up_when_the_next_retry_would_pass_the_deadline() {
        let t = id("t1");
        let mut now = 0;
        let mut attempt = 1;
        while let AfterFailure::RetryAt(at) = after_failure(&t, attempt, now, Some(DEADLINE_MS)) {
            assert!(at <= DEADLINE_MS);
            now = at;
            attempt += 1;
        }
        // 100 + 200 + 400 (each up to a quarter more) = at most 875: the fourth
        // attempt starts in time; its retry would wait at least 800 more.
        assert_eq!(attempt, 4, "the fourth failure gives up");
        assert!(matches!(
            after_failure(&t, 4, now, None),
            AfterFailure::RetryAt(at) if at > DEADLINE_MS
        ));
    }
}
