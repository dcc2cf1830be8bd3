//! The one shape both of the bank's deciders share (Chassaing's "functional event
//! sourcing decider", as `fmodel-rust` names it): a state to start from, `decide`
//! (a command and the current state give the events to record, or why not) and
//! `evolve` (one event folded into the state, no rules). The command handler
//! (`app::bank`) is written once over it.

use super::Event;

/// A decider: pure, synchronous, and free of services (ids and times come in with
/// the command).
pub trait Decider {
    /// What can be asked of it.
    type Command;
    /// What it remembers of its stream's events.
    type State;
    /// Why it says no (its text is what a user reads).
    type Error;

    /// The state of a stream that has no events yet.
    fn initial_state() -> Self::State;

    /// The events `command` records on `state`, or why it is refused.
    fn decide(command: &Self::Command, state: &Self::State) -> Result<Vec<Event>, Self::Error>;

    /// `state` with one more event folded in. Events of other streams leave it as is.
    fn evolve(state: Self::State, event: &Event) -> Self::State;

    /// The state after `events`, from the initial state.
    fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> Self::State {
        events
            .into_iter()
            .fold(Self::initial_state(), |state, event| {
                Self::evolve(state, event)
            })
    }
}
