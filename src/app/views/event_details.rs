//! The audit trail's selected event: its whole envelope, its JSON indented, the
//! transfer its correlation id names, the event that caused it and those it caused.

use crate::app::ReadModels;
use crate::domain::TransferId;

/// At most this many effects of one event are listed.
const EFFECTS_SHOWN: usize = 20;

/// What the details box shows of the selected event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDetails {
    pub position: u64,
    pub event_type: &'static str,
    pub stream: String,
    pub version: u64,
    pub schema_version: u32,
    pub event_id: String,
    pub recorded_at: String,
    pub correlation_id: String,
    pub causation_id: String,
    /// The stored JSON line, indented.
    pub json: String,
    /// The transfer the correlation id names, if it names one.
    pub transfer: Option<TransferId>,
    /// The event whose id is the causation id: its position and type.
    pub cause: Option<(u64, &'static str)>,
    /// Events this one caused (the first few).
    pub effects: Vec<(u64, &'static str)>,
}

impl EventDetails {
    /// The details of the event at `position`, or `None` if the log has no such event.
    #[must_use]
    pub fn of(m: &ReadModels, position: u64) -> Option<EventDetails> {
        let index = usize::try_from(position.checked_sub(1)?).ok()?;
        let r = m.audit.get(index)?;
        let transfer = TransferId::parse(&r.correlation_id)
            .ok()
            .filter(|t| m.transfers.contains_key(t));
        // A cause is always stored before its effects.
        let cause = m.audit[..index]
            .iter()
            .rev()
            .find(|e| e.event_id == r.causation_id)
            .map(|e| (e.position, e.event_type()));
        let effects = m.audit[index + 1..]
            .iter()
            .filter(|e| e.causation_id == r.event_id)
            .take(EFFECTS_SHOWN)
            .map(|e| (e.position, e.event_type()))
            .collect();
        Some(EventDetails {
            position,
            event_type: r.event_type(),
            stream: r.stream.clone(),
            version: r.version,
            schema_version: r.schema_version,
            event_id: r.event_id.clone(),
            recorded_at: r.recorded_at.clone(),
            correlation_id: r.correlation_id.clone(),
            causation_id: r.causation_id.clone(),
            json: pretty_json(&r.to_json_line()),
            transfer,
            cause,
            effects,
        })
    }
}

/// Indents one line of JSON, keeping its key order (the envelope's order).
#[must_use]
pub fn pretty_json(line: &str) -> String {
    fn newline(out: &mut String, depth: usize) {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
    let mut out = String::with_capacity(line.len() * 2);
    let mut depth = 0_usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    chars.next();
                    out.push(close);
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::views::fixture::{three_accounts_two_transfers, tid};

    #[test]
    fn an_opening_has_no_transfer_no_cause_in_the_log_and_its_envelope() {
        let m = three_accounts_two_transfers();
        let d = EventDetails::of(&m, 1).unwrap();
        assert_eq!(d.position, 1);
        assert_eq!(d.event_type, "AccountOpened");
        assert_eq!(d.stream, "account-ann");
        assert_eq!(d.version, 1);
        assert_eq!(d.transfer, None);
        assert_eq!(d.cause, None);
        assert!(d.json.starts_with("{\n  \"position\": 1,"), "{}", d.json);
    }

    #[test]
    fn a_saga_event_names_its_transfer_and_links_cause_and_effects_both_ways() {
        let m = three_accounts_two_transfers();
        let caused: Vec<EventDetails> = (1..=m.last_position)
            .filter_map(|n| EventDetails::of(&m, n))
            .filter(|d| d.cause.is_some())
            .collect();
        assert!(
            !caused.is_empty(),
            "a saga's steps are caused by earlier events"
        );
        for d in caused {
            let (cause_at, cause_type) = d.cause.unwrap();
            assert!(cause_at < d.position);
            let cause = EventDetails::of(&m, cause_at).unwrap();
            assert_eq!(cause.event_type, cause_type);
            assert!(cause.effects.contains(&(d.position, d.event_type)));
        }
        let initiated = (1..=m.last_position)
            .filter_map(|n| EventDetails::of(&m, n))
            .find(|d| d.event_type == "TransferInitiated")
            .unwrap();
        assert_eq!(initiated.transfer, Some(tid("t1")));
    }

    #[test]
    fn no_event_before_the_first_or_after_the_last() {
        let m = three_accounts_two_transfers();
        assert_eq!(EventDetails::of(&m, 0), None);
        assert_eq!(EventDetails::of(&m, m.last_position + 1), None);
    }

    #[test]
    fn json_is_indented_in_its_own_key_order_leaving_strings_alone() {
        let pretty = pretty_json(r#"{"b":1,"a":{"s":"x, {y}: \"z\"","e":[],"o":{}},"l":[1,2]}"#);
        let expected = r#"{
  "b": 1,
  "a": {
    "s": "x, {y}: \"z\"",
    "e": [],
    "o": {}
  },
  "l": [
    1,
    2
  ]
}"#;
        assert_eq!(pretty, expected);
    }
}
