//! What the learner is told at the end of a lesson and of the course: one sentence
//! per lesson on what it showed, and where a lesson runs (its own practice bank).
//! Kept apart from the lessons' texts so each can change without the other.

use super::LESSONS;

/// Where every lesson runs, said at the top of each.
pub const PRACTICE: &str = "Practice bank: this lesson runs on a bank of its own, made fresh each time the lesson opens. Your own bank is untouched; \"Back to my bank\" returns to it as it was.";

/// Said when a finished lesson is shown (reopened, or just completed).
pub const AGAIN: &str = "Your ticks stay. The practice bank is made fresh each time the lesson opens, so you can do the tasks again.";

/// What each lesson showed, by lesson key.
const LEARNED: [(&str, &str); 17] = [
    ("facts", "every change is an event, a fact with a stream, a version and a place in the log."),
    ("fold", "a balance is folded from an account's events, and folding fewer of them shows the past."),
    ("rules", "a refused command writes no event: the log stays where it was."),
    ("read-models", "read models are folds of the log, and rebuilding them from it gives the same views."),
    ("saga", "a transfer is a saga: each step is an effect in an account's stream and its record in the transfer's stream, two appends."),
    ("compensation", "when a later step is refused, the saga counteracts the earlier one with new events; nothing is erased."),
    ("crash", "after a crash the saga resumes from the log alone, and no money moves twice."),
    ("idempotency", "a transfer id sent again is answered with the existing transfer, and different details are refused."),
    ("concurrency", "an append expects a version; when someone else wrote first, the page reads again and decides again."),
    ("schema", "old events are read through an upcaster, so history written by an older version still folds."),
    ("fork", "any moment of the log can start another history: a fork before a transfer took another path, and the comparison showed where the two banks differ."),
    ("stale", "a read model can lag its log, so a read shows an older state; a read that waits for its write's position sees the write."),
    ("at-least-once", "a step redone after a crash, or an event delivered twice, changes nothing when its handler is idempotent: it remembers what it already applied."),
    ("retries", "a failing step is retried after waits that double, with jitter, on a virtual clock, and a step still failing at its deadline is given up and compensated."),
    ("compensation-fails", "a compensation can itself be refused: the saga stops and says so, an operator's fix with a reason makes the money whole, and while the money was out every reader saw it gone."),
    ("causation", "each event names its cause, so a transfer's chain leads back from TransferCompleted to the command that began it, every link through the coordinator's stream."),
    ("snapshots", "a snapshot is a cache derived from the log: loading started from it and folded only later events, and deleting every snapshot changed no balance."),
];

/// "Lesson complete: you saw that …" for the lesson `key`.
#[must_use]
pub fn lesson_complete(key: &str) -> String {
    let what = LEARNED
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("its tasks are done.", |(_, w)| w);
    format!("Lesson complete. You saw that {what}")
}

/// "Course complete" with what the whole course showed.
#[must_use]
pub fn course_complete() -> String {
    format!(
        "Course complete: all {} lessons done. You have seen events as facts, state as a fold, rules that refuse, read models, a saga and its compensation, a crash and resume, idempotency, optimistic concurrency, schema evolution, another path from a past event, stale reads, at-least-once delivery, retries up to a deadline, a compensation that fails, how steps cause each other, and snapshots, each on a bank in your browser.",
        LESSONS.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lesson_says_what_it_showed() {
        for l in &LESSONS {
            assert!(
                LEARNED.iter().any(|(k, _)| *k == l.key),
                "lesson {} has no sentence",
                l.key
            );
        }
        assert_eq!(
            lesson_complete("rules"),
            "Lesson complete. You saw that a refused command writes no event: the log stays where it was."
        );
        assert!(course_complete().starts_with(&format!(
            "Course complete: all {} lessons done.",
            LESSONS.len()
        )));
    }
}
