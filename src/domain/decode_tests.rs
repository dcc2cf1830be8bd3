//! The flat reader against serde's derived one: for every event type, valid data and
//! each way of breaking it (a field left out, set to null or to the wrong type, an
//! unknown field, a field twice, no object at all) give the same event or the same
//! error, word for word.

use serde::Deserialize;

use crate::domain::events::*;
use crate::domain::{DecodeError, SCHEMA_VERSION};

/// What serde's derived `Deserialize` of the event's struct reads from `data`.
fn derived(event_type: &str, data: &str) -> Result<Event, String> {
    let mut de = serde_json::Deserializer::from_str(data);
    let d = &mut de;
    let ty = EventType::named(event_type).expect("a known type");
    let event = match ty {
        EventType::AccountOpened => AccountOpened::deserialize(d).map(Event::AccountOpened),
        EventType::MoneyDeposited => MoneyDeposited::deserialize(d).map(Event::MoneyDeposited),
        EventType::MoneyWithdrawn => MoneyWithdrawn::deserialize(d).map(Event::MoneyWithdrawn),
        EventType::AccountSuspended => {
            AccountSuspended::deserialize(d).map(Event::AccountSuspended)
        }
        EventType::AccountReactivated => {
            AccountReactivated::deserialize(d).map(Event::AccountReactivated)
        }
        EventType::AccountClosed => AccountClosed::deserialize(d).map(Event::AccountClosed),
        EventType::TransferInitiated => {
            TransferInitiated::deserialize(d).map(Event::TransferInitiated)
        }
        EventType::TransferDebited => TransferDebited::deserialize(d).map(Event::TransferDebited),
        EventType::TransferCreditRejected => {
            TransferCreditRejected::deserialize(d).map(Event::TransferCreditRejected)
        }
        EventType::TransferCompleted => {
            TransferCompleted::deserialize(d).map(Event::TransferCompleted)
        }
        EventType::TransferReversed => {
            TransferReversed::deserialize(d).map(Event::TransferReversed)
        }
        EventType::TransferFailed => TransferFailed::deserialize(d).map(Event::TransferFailed),
        EventType::TransferCompensationFailed => {
            TransferCompensationFailed::deserialize(d).map(Event::TransferCompensationFailed)
        }
        EventType::TransferStepRetried => {
            TransferStepRetried::deserialize(d).map(Event::TransferStepRetried)
        }
        EventType::TransferTimedOut => {
            TransferTimedOut::deserialize(d).map(Event::TransferTimedOut)
        }
        EventType::TransferRefundRetried => {
            TransferRefundRetried::deserialize(d).map(Event::TransferRefundRetried)
        }
    };
    let strip = |e: serde_json::Error| {
        let text = e.to_string();
        let place = format!(" at line {} column {}", e.line(), e.column());
        text.strip_suffix(&place).unwrap_or(&text).to_owned()
    };
    let event = event.map_err(strip)?;
    de.end().map_err(strip)?;
    Ok(event)
}

/// What `Event::decode` reads, its error reduced to serde's reason.
fn flat(event_type: &str, data: &str) -> Result<Event, String> {
    Event::decode(event_type, SCHEMA_VERSION, data).map_err(|e| match e {
        DecodeError::BadData {
            event_type: t,
            reason,
        } => {
            assert_eq!(t, event_type);
            reason
        }
        other => panic!("unexpected {other}"),
    })
}

/// A valid value of each field.
fn valid(field: &str) -> serde_json::Value {
    match field {
        "account_id" | "from_account_id" => "a-1".into(),
        "to_account_id" => "b-2".into(),
        "refund_account_id" => "a-3".into(),
        "owner_name" => "Ann".into(),
        "initial_balance" | "final_balance" => "10.00".into(),
        "amount" => "5.50".into(),
        "transaction_id" => "tx-1".into(),
        "description" => "rent".into(),
        "transfer_id" => "t-1".into(),
        "reason" => "no".into(),
        "run_mode" => "step".into(),
        "step" => "credit".into(),
        "attempt" | "attempts" => 2.into(),
        "retry_at_ms" | "at_ms" => 300.into(),
        "deadline_ms" => 1000.into(),
        other => panic!("no such field {other}"),
    }
}

fn same(event_type: &str, data: &str) {
    assert_eq!(
        flat(event_type, data),
        derived(event_type, data),
        "{event_type} {data}"
    );
}

#[test]
fn the_flat_reader_reads_and_refuses_as_serde_does() {
    let mut cases = 0;
    for event_type in Event::TYPES {
        let (fields, _) = EventType::named(event_type).expect("a known type").fields();
        let object: serde_json::Map<String, serde_json::Value> =
            fields.iter().map(|f| ((*f).to_owned(), valid(f))).collect();
        let full = serde_json::Value::Object(object.clone()).to_string();
        assert!(flat(event_type, &full).is_ok(), "{event_type} {full}");
        same(event_type, &full);
        for field in fields {
            let mut without = object.clone();
            without.remove(*field);
            same(event_type, &serde_json::Value::Object(without).to_string());
            for wrong in [
                serde_json::Value::Null,
                7.into(),
                "".into(),
                "-1".into(),
                true.into(),
            ] {
                let mut changed = object.clone();
                changed.insert((*field).to_owned(), wrong);
                same(event_type, &serde_json::Value::Object(changed).to_string());
            }
            // The field twice (serde_json's Map would merge them, so spliced by hand).
            let twice = full.replacen('{', &format!("{{\"{field}\":{},", valid(field)), 1);
            same(event_type, &twice);
            cases += 7;
        }
        let mut unknown = object.clone();
        unknown.insert("owner".to_owned(), "x".into());
        same(event_type, &serde_json::Value::Object(unknown).to_string());
        for other in [
            "{}",
            "\"text\"",
            "null",
            "7",
            &format!("{full} 1"),
            &full[..full.len() - 1],
        ] {
            same(event_type, other);
        }
        // serde's derive also took the fields as a positional array; nothing ever wrote
        // one, and the flat reader refuses it.
        let positional = format!(
            "[{}]",
            fields
                .iter()
                .map(|f| valid(f).to_string())
                .collect::<Vec<_>>()
                .join(",")
        );
        assert!(derived(event_type, &positional).is_ok());
        assert_eq!(
            flat(event_type, &positional).unwrap_err(),
            format!("invalid type: sequence, expected struct {event_type}")
        );
        cases += 8;
    }
    assert!(cases > 300, "{cases} cases");
}

#[test]
fn every_type_is_found_by_its_persisted_name_and_nothing_else_is() {
    for ty in EventType::ALL {
        assert_eq!(EventType::named(ty.name()), Some(ty));
    }
    assert_eq!(Event::TYPES, EventType::ALL.map(EventType::name));
    assert_eq!(EventType::named("AccountExploded"), None);
    assert_eq!(
        Event::decode("AccountExploded", SCHEMA_VERSION, "{}"),
        Err(DecodeError::UnknownType("AccountExploded".to_owned()))
    );
}

#[test]
fn the_retry_times_and_the_deadline_give_up_are_written_and_read_back() {
    let id = crate::domain::TransferId::parse("t-1").unwrap();
    let retried = Event::TransferStepRetried(TransferStepRetried {
        transfer_id: id.clone(),
        step: crate::domain::SagaStep::Credit,
        attempt: 2,
        reason: "busy".into(),
        retry_at_ms: 321,
    });
    let timed_out = Event::TransferTimedOut(TransferTimedOut {
        transfer_id: id.clone(),
        from_account_id: crate::domain::AccountId::parse("a-1").unwrap(),
        to_account_id: crate::domain::AccountId::parse("b-2").unwrap(),
        amount: crate::domain::Money::parse("5.50").unwrap(),
        attempts: 4,
        at_ms: 804,
        deadline_ms: 1000,
        reason: "gave up".into(),
    });
    assert_eq!(
        serde_json::to_string(&EventData(&retried)).unwrap(),
        r#"{"transfer_id":"t-1","step":"credit","attempt":2,"reason":"busy","retry_at_ms":321}"#
    );
    assert_eq!(
        serde_json::to_string(&EventData(&timed_out)).unwrap(),
        r#"{"transfer_id":"t-1","from_account_id":"a-1","to_account_id":"b-2","amount":"5.50","attempts":4,"at_ms":804,"deadline_ms":1000,"reason":"gave up"}"#
    );
    for event in [&retried, &timed_out] {
        let data = serde_json::to_string(&EventData(event)).unwrap();
        assert_eq!(
            Event::decode(event.event_type(), SCHEMA_VERSION, &data).as_ref(),
            Ok(event)
        );
    }
    // A retry written before the virtual clock (schema 3) reads with no time, and a
    // schema-3 build meets the new event as from a newer version.
    let old = r#"{"transfer_id":"t-1","step":"credit","attempt":2,"reason":"busy"}"#;
    match Event::decode("TransferStepRetried", 3, old) {
        Ok(Event::TransferStepRetried(r)) => assert_eq!(r.retry_at_ms, 0),
        other => panic!("{other:?}"),
    }
    // The virtual clock came with schema 4.
    const { assert!(SCHEMA_VERSION >= 4) };
}
