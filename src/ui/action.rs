//! One way for every command a user sends (a form, a status button, Next step, a
//! scenario, an import, a share): a [`Command`] knows whether it is running, refuses
//! a second run meanwhile (a double click or a second Enter never sends twice), shows
//! its error where the command was made, and is the one place that logs a failure.
//! Background work (catching up with other tabs, resuming sagas) is not a command.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

/// A command a user can send from one place of the page.
#[derive(Clone, Copy)]
pub struct Command {
    pending: RwSignal<bool>,
    /// Why the last run failed, shown next to its button or form.
    pub error: RwSignal<Option<String>>,
}

impl Command {
    /// A command that shows its failures in `error`.
    #[must_use]
    pub fn new(error: RwSignal<Option<String>>) -> Command {
        Command {
            pending: RwSignal::new(false),
            error,
        }
    }

    /// Whether a run is under way (tracked).
    #[must_use]
    pub fn pending(self) -> bool {
        self.pending.get()
    }

    /// Whether a run is under way, for event handlers (untracked).
    #[must_use]
    pub fn running(self) -> bool {
        self.pending.get_untracked()
    }

    /// `aria-disabled` for its buttons: set while a run is under way. The button keeps
    /// the keyboard's focus (a `disabled` one would drop it), and [`Command::run`]
    /// refuses the press.
    pub fn busy(self) -> impl Fn() -> Option<&'static str> + Copy + 'static {
        move || self.pending.get().then_some("true")
    }

    /// Runs `work`, unless a run is under way (then nothing happens). Its error is
    /// shown and logged; success clears the last error.
    pub fn run(self, work: impl Future<Output = Result<(), String>> + 'static) {
        // One task type for every command: the download stays small.
        self.start(Box::pin(work));
    }

    fn start(self, work: Pin<Box<dyn Future<Output = Result<(), String>>>>) {
        if self.running() {
            return;
        }
        self.pending.set(true);
        leptos::task::spawn_local(async move {
            let outcome = work.await;
            self.finish(outcome);
        });
    }

    fn finish(self, outcome: Result<(), String>) {
        if let Err(why) = &outcome {
            web_sys::console::warn_1(&why.into());
        }
        // The page may have dropped the form meanwhile (another bank, a lesson).
        let _ = self.error.try_set(outcome.err());
        let _ = self.pending.try_set(false);
    }
}
