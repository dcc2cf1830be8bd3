//! The comparison of a locked prediction with what the action did ([`compare`]), the
//! words of an answer, and the stage a lesson's prediction is at.

use super::*;

/// One line of the comparison: what was predicted beside what the log says, and
/// one sentence on the difference, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub label: String,
    pub predicted: String,
    pub logged: String,
    /// `None` when the prediction was right on this line.
    pub difference: Option<String>,
}

/// The prediction beside the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub rows: Vec<Row>,
}

impl Comparison {
    /// Whether the prediction was right on every line.
    #[must_use]
    pub fn right(&self) -> bool {
        self.rows.iter().all(|r| r.difference.is_none())
    }
}

/// Compares the locked answer with what the action did.
#[must_use]
pub fn compare(kind: &Kind, answer: &Answer, acted: &Acted, models: &ReadModels) -> Comparison {
    let rows = match (kind, answer) {
        (Kind::Events { streams, .. }, Answer::Events(p)) => events_rows(streams, p, acted),
        (_, Answer::Outcome(p)) => vec![outcome_row(*p, acted)],
        (Kind::Balance { account }, Answer::Balance(c)) => {
            vec![balance_row(account, *c, acted, models)]
        }
        (Kind::Version { stream }, Answer::Version(v)) => vec![version_row(stream, *v, acted)],
        (_, Answer::Compensated(p)) => vec![ending_row(*p, acted)],
        (Kind::Links { transfer }, Answer::Links(n)) => {
            vec![links_row(transfer, *n, acted, models)]
        }
        _ => Vec::new(),
    };
    Comparison { rows }
}

/// The words of a stream choice's pattern.
fn stream_label(streams: &[StreamChoice], pattern: &str) -> String {
    streams
        .iter()
        .find(|s| s.stream == pattern)
        .map_or_else(|| pattern.to_owned(), |s| s.label.to_owned())
}

fn written(r: &Recorded) -> String {
    format!(
        "{} in {} v{} (#{})",
        r.event.event_type(),
        r.stream,
        r.version,
        r.position
    )
}

fn refused_words(reason: &str, log_len: u64) -> String {
    format!("Refused: {reason} 0 events written; the log is still at #{log_len}.")
}

fn events_rows(streams: &[StreamChoice], predicted: &[Predicted], acted: &Acted) -> Vec<Row> {
    let said = |p: &Predicted| format!("{} in {}", p.event, stream_label(streams, &p.stream));
    let all: Vec<String> = predicted.iter().map(said).collect();
    let logged = match acted {
        Acted::Refused {
            reason, log_len, ..
        } => {
            let difference = (!predicted.is_empty()).then(|| {
                format!("Missed refusal: a rule refused the action, so none of the {} events you predicted was written.", predicted.len())
            });
            return vec![Row {
                label: "Events written".into(),
                predicted: none_or(&all),
                logged: refused_words(reason, *log_len),
                difference,
            }];
        }
        Acted::Wrote(events) => events,
    };
    if predicted.is_empty() && logged.is_empty() {
        return vec![Row {
            label: "Events written".into(),
            predicted: "none".into(),
            logged: "none: 0 events written".into(),
            difference: None,
        }];
    }
    let n = predicted.len().max(logged.len());
    (0..n)
        .map(|i| event_row(streams, i, predicted, logged))
        .collect()
}

fn none_or(all: &[String]) -> String {
    if all.is_empty() {
        "none".into()
    } else {
        all.join(", then ")
    }
}

fn event_row(
    streams: &[StreamChoice],
    i: usize,
    predicted: &[Predicted],
    logged: &[Rc<Recorded>],
) -> Row {
    let p = predicted.get(i);
    let l = logged.get(i);
    let difference = match (p, l) {
        (None, Some(l)) => Some(format!(
            "Extra event: the action also wrote {} to {}, which you did not predict.",
            l.event.event_type(),
            l.stream
        )),
        (Some(p), None) => Some(format!(
            "Not written: the action wrote {} events in all, and no {} here.",
            logged.len(),
            p.event
        )),
        (Some(p), Some(l)) if p.event == l.event.event_type() => {
            let choice = streams.iter().find(|s| s.stream == p.stream);
            (!choice.is_some_and(|c| c.matches(&l.stream))).then(|| {
                format!(
                    "Wrong stream: {} was written to {}, not to {}.",
                    p.event,
                    l.stream,
                    stream_label(streams, &p.stream)
                )
            })
        }
        (Some(p), Some(l)) => Some(
            match logged.iter().position(|r| r.event.event_type() == p.event) {
                Some(j) => format!(
                    "Wrong order: {} is event {} of the action, not event {}.",
                    p.event,
                    j + 1,
                    i + 1
                ),
                None => format!(
                    "Different event: the log has {} here; the action wrote no {}.",
                    l.event.event_type(),
                    p.event
                ),
            },
        ),
        (None, None) => None,
    };
    Row {
        label: format!("Event {}", i + 1),
        predicted: p.map_or_else(
            || "no event".into(),
            |p| format!("{} in {}", p.event, stream_label(streams, &p.stream)),
        ),
        logged: l.map_or_else(|| "no event".into(), |l| written(l)),
        difference,
    }
}

/// The words of an outcome: accepted, or refused by a rule.
#[must_use]
pub fn outcome_words(outcome: Option<RefusalKind>) -> &'static str {
    let key = outcome.map_or("accepted", |k| match k {
        RefusalKind::InsufficientBalance => "InsufficientBalance",
        RefusalKind::NotActive => "NotActive",
        RefusalKind::IdReused => "IdReused",
        RefusalKind::Other | RefusalKind::Crashed => "",
    });
    OUTCOMES
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("Refused: another rule", |(_, w)| w)
}

fn outcome_row(predicted: Option<RefusalKind>, acted: &Acted) -> Row {
    let (logged, difference) = match acted {
        Acted::Wrote(events) => (
            format!("Accepted: {} events written", events.len()),
            predicted.map(|_| {
                format!(
                    "It was accepted: no rule refused it, and it wrote {} events.",
                    events.len()
                )
            }),
        ),
        Acted::Refused {
            kind,
            reason,
            log_len,
        } => (
            refused_words(reason, *log_len),
            match predicted {
                None => Some(format!(
                    "Missed refusal: the rule said no ({}), so nothing was written.",
                    outcome_words(Some(*kind))
                )),
                Some(p) if p == *kind => None,
                Some(_) => Some(format!(
                    "Another rule refused it: {}.",
                    outcome_words(Some(*kind))
                )),
            },
        ),
    };
    Row {
        label: "Outcome".into(),
        predicted: outcome_words(predicted).into(),
        logged,
        difference,
    }
}

fn ending_words(compensated: bool) -> &'static str {
    ENDINGS[usize::from(compensated)].1
}

/// How the transfer the action started ended, as its events say: `Some(true)` timed
/// out and compensated, `Some(false)` completed, `None` neither (yet).
fn ending_of(events: &[Rc<Recorded>]) -> Option<bool> {
    use crate::domain::events::EventType as T;
    let has = |ty: T| events.iter().any(|r| r.event.ty() == ty);
    if has(T::TransferTimedOut) && has(T::TransferReversed) {
        Some(true)
    } else if has(T::TransferCompleted) {
        Some(false)
    } else {
        None
    }
}

fn ending_row(predicted: bool, acted: &Acted) -> Row {
    let (logged, difference) = match acted {
        Acted::Wrote(events) => {
            let retries = events
                .iter()
                .filter(|r| matches!(&r.event, crate::domain::Event::TransferStepRetried(_)))
                .count();
            match ending_of(events) {
                Some(false) => (
                    format!("Completed, after {retries} retries"),
                    predicted.then(|| format!("It completed: {retries} retries, and the last one started before the {DEADLINE_MS} ms deadline, so the credit went through.")),
                ),
                Some(true) => (
                    format!("Timed out after {retries} retries, then refunded"),
                    (!predicted).then(|| format!("It timed out: the next retry would have started after the {DEADLINE_MS} ms deadline, so the saga gave up and refunded the source.")),
                ),
                None => (
                    format!("{} events written; the transfer has not ended", events.len()),
                    Some("Your action did not end a transfer: send it all at once, with the credit failing, to see how it ends.".to_owned()),
                ),
            }
        }
        Acted::Refused {
            reason, log_len, ..
        } => (
            refused_words(reason, *log_len),
            Some("It was refused, so no saga ran: send a transfer the rules accept.".to_owned()),
        ),
    };
    Row {
        label: "How the transfer ends".into(),
        predicted: ending_words(predicted).into(),
        logged,
        difference,
    }
}

fn money(cents: i64) -> String {
    Money::from_cents(cents).map_or_else(|| cents.to_string(), |m| m.to_string())
}

fn balance_row(account: &str, predicted: i64, acted: &Acted, models: &ReadModels) -> Row {
    let end = match acted {
        Acted::Wrote(events) => events.last().map(|r| r.position),
        Acted::Refused { log_len, .. } => Some(*log_len),
    };
    let end = end.unwrap_or(models.last_position);
    let balance = AccountId::parse(account).ok().and_then(|id| {
        models
            .as_of(end)
            .accounts
            .get(&id)
            .map(|a| a.balance.cents())
    });
    let logged = balance.map_or_else(|| "no such account".into(), money);
    let difference = (balance != Some(predicted)).then(|| {
        format!(
            "The log folds {account} to {logged} after the action, not {}: its opening balance, plus its deposits, minus its withdrawals, up to #{end}.",
            money(predicted)
        )
    });
    Row {
        label: format!("Balance of {account}"),
        predicted: money(predicted),
        logged,
        difference,
    }
}

/// What `account`'s statement showed right after the action: the read models as far
/// as delivery had brought them (the first lag the page noted once the action was
/// written), or the log itself when they were up to date.
fn shown_row(
    account: &str,
    predicted: i64,
    acted: &Acted,
    record: &LearnerRecord,
    models: &ReadModels,
) -> Row {
    let end = match acted {
        Acted::Wrote(events) => events.last().map(|r| r.position),
        Acted::Refused { log_len, .. } => Some(*log_len),
    };
    let end = end.unwrap_or(models.last_position);
    let shown = record
        .lags
        .iter()
        .find(|l| l.log >= end)
        .map_or(end, |l| l.shown.min(end));
    let at = |n: u64| {
        AccountId::parse(account)
            .ok()
            .and_then(|id| models.as_of(n).accounts.get(&id).map(|a| a.balance.cents()))
    };
    let (balance, folded) = (at(shown), at(end));
    let logged = balance.map_or_else(
        || "no such account".into(),
        |b| format!("{} (statement at #{shown}, log at #{end})", money(b)),
    );
    let difference = (balance != Some(predicted)).then(|| {
        let why = if shown < end {
            format!("delivery had brought the read models only to #{shown}, so your write at #{end} was not in them yet: a stale read, while the log already folds {account} to {}", folded.map_or_else(|| "nothing".into(), money))
        } else {
            "the read models were up to date with the log".into()
        };
        format!("The statement showed {}, not {}: {why}.", balance.map_or_else(|| "no such account".into(), money), money(predicted))
    });
    Row {
        label: format!("Statement of {account}"),
        predicted: money(predicted),
        logged,
        difference,
    }
}

fn version_row(stream: &str, predicted: u64, acted: &Acted) -> Row {
    let first = match acted {
        Acted::Wrote(events) => events.iter().find(|r| r.stream == stream),
        Acted::Refused { .. } => None,
    };
    let (logged, difference) = match (first, acted) {
        (Some(r), _) => {
            let expected = r.version - 1;
            (
                format!("{expected} (it wrote version {}, #{})", r.version, r.position),
                (expected != predicted).then(|| format!(
                    "The append that succeeded expected version {expected}, not {predicted}: {stream} held {expected} events when it was written."
                )),
            )
        }
        (
            None,
            Acted::Refused {
                reason, log_len, ..
            },
        ) => (
            refused_words(reason, *log_len),
            Some(format!(
                "Refused: nothing was appended to {stream}, so no version was expected."
            )),
        ),
        (None, _) => (
            format!("no append to {stream}"),
            Some(format!(
                "The action wrote nothing to {stream}, so it expected no version of it."
            )),
        ),
    };
    Row {
        label: format!("Version {stream} expected"),
        predicted: predicted.to_string(),
        logged,
        difference,
    }
}

fn links_row(transfer: &str, predicted: u64, acted: &Acted, models: &ReadModels) -> Row {
    let completed = match acted {
        Acted::Wrote(events) => events
            .iter()
            .find(|r| r.correlation_id == transfer && r.event_type() == "TransferCompleted"),
        Acted::Refused { .. } => None,
    };
    let chain = TransferId::parse(transfer)
        .ok()
        .and_then(|t| models.transfers.get(&t))
        .map(Causation::of);
    let (logged, difference) = match (completed, chain) {
        (Some(r), Some(chain)) => {
            let back = chain.back_from(r.position);
            let n = back.len() as u64;
            let mut path: Vec<String> = back
                .iter()
                .filter_map(|p| chain.nodes.iter().find(|node| node.position == *p))
                .map(|node| format!("{} (#{})", node.event_type, node.position))
                .collect();
            path.push("TransferMoney, the command".to_owned());
            (
                format!("{n}: {}", path.join(" \u{2190} ")),
                (n != predicted).then(|| format!(
                    "{n} links, not {predicted}: each event's causation id names one event before it, and TransferInitiated's names the command; an event another command wrote in between is not on the way."
                )),
            )
        }
        _ => (
            format!("{transfer} did not complete in this action"),
            Some(format!(
                "The action wrote no TransferCompleted for {transfer}, so there is no chain to count from it."
            )),
        ),
    };
    Row {
        label: format!("Links from {transfer}'s TransferCompleted back to its command"),
        predicted: predicted.to_string(),
        logged,
        difference,
    }
}

/// The learner's answer from the form's fields: for [`Kind::Events`], each row's
/// event type and stream (empty when the row is left blank); otherwise one field.
///
/// # Errors
/// A plain sentence on what to fix.
pub fn answer_from(kind: &Kind, fields: &[String]) -> Result<Answer, String> {
    let one = fields.first().map_or("", |f| f.trim());
    match kind {
        Kind::Events { .. } => {
            let rows: Vec<(&str, &str)> = fields
                .chunks(2)
                .map(|c| (c[0].as_str(), c.get(1).map_or("", String::as_str)))
                .collect();
            let used = rows
                .iter()
                .rposition(|(e, _)| !e.is_empty())
                .map_or(0, |i| i + 1);
            let mut out = Vec::new();
            for (i, (event, stream)) in rows[..used].iter().enumerate() {
                if event.is_empty() {
                    return Err(format!("Event {} is blank but a later one is not: list the events in order, without gaps.", i + 1));
                }
                if stream.is_empty() {
                    return Err(format!("Choose the stream of event {}.", i + 1));
                }
                out.push(Predicted {
                    event: (*event).into(),
                    stream: (*stream).into(),
                });
            }
            Ok(Answer::Events(out))
        }
        Kind::Refusal => match one {
            "accepted" => Ok(Answer::Outcome(None)),
            "InsufficientBalance" => Ok(Answer::Outcome(Some(RefusalKind::InsufficientBalance))),
            "NotActive" => Ok(Answer::Outcome(Some(RefusalKind::NotActive))),
            "IdReused" => Ok(Answer::Outcome(Some(RefusalKind::IdReused))),
            _ => Err("Choose accepted, or the rule that refuses it.".into()),
        },
        Kind::Balance { .. } | Kind::Shown { .. } => Money::parse(one)
            .map(|m| Answer::Balance(m.cents()))
            .map_err(|_| "Write the balance as an amount, such as 1010.00.".into()),
        Kind::Version { .. } => one
            .parse()
            .map(Answer::Version)
            .map_err(|_| "Write the version as a whole number, such as 4.".into()),
        Kind::Ending => match one {
            "completed" => Ok(Answer::Compensated(false)),
            "compensated" => Ok(Answer::Compensated(true)),
            _ => Err("Choose whether it completes or times out.".into()),
        },
        Kind::Links { .. } => one
            .parse()
            .map(Answer::Links)
            .map_err(|_| "Write the number of links as a whole number, such as 3.".into()),
    }
}

/// The locked answer, in words.
#[must_use]
pub fn answer_words(kind: &Kind, answer: &Answer) -> String {
    match (kind, answer) {
        (Kind::Events { streams, .. }, Answer::Events(p)) => {
            let all: Vec<String> = p
                .iter()
                .map(|p| format!("{} in {}", p.event, stream_label(streams, &p.stream)))
                .collect();
            format!("Events: {}.", none_or(&all))
        }
        (_, Answer::Outcome(o)) => format!("{}.", outcome_words(*o)),
        (_, Answer::Balance(c)) => format!("Balance: {}.", money(*c)),
        (_, Answer::Version(v)) => format!("Expected version: {v}."),
        (_, Answer::Compensated(c)) => format!("{}.", ending_words(*c)),
        (_, Answer::Links(n)) => format!("Links back to the command: {n}."),
        _ => String::new(),
    }
}

/// Where the lesson's prediction stands, for the panel to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// The question, not answered yet.
    Asking,
    /// The learner acted before predicting: this attempt has no prediction.
    ActedFirst,
    /// The learner acted, unpredicted, in a bank they loaded during the lesson (its
    /// record started again there, so a comparison made before the load is not shown).
    Followed,
    /// Locked (in words); waiting for the action.
    Locked(String),
    /// The action ran: the locked answer (in words) beside the log.
    Compared(String, Comparison),
}

/// The stage of `prediction` for this record and log.
#[must_use]
pub fn stage(prediction: &Prediction, record: &LearnerRecord, models: &ReadModels) -> Stage {
    let Some(lock) = &record.prediction else {
        return if !acted_first(record, &models.audit) {
            Stage::Asking
        } else if record.followed {
            Stage::Followed
        } else {
            Stage::ActedFirst
        };
    };
    let words = answer_words(&prediction.kind, &lock.answer);
    match action(record, &models.audit) {
        None => Stage::Locked(words),
        Some(acted) => Stage::Compared(
            words,
            match (&prediction.kind, &lock.answer) {
                (Kind::Shown { account }, Answer::Balance(c)) => Comparison {
                    rows: vec![shown_row(account, *c, &acted, record, models)],
                },
                (kind, answer) => compare(kind, answer, &acted, models),
            },
        ),
    }
}
