//! Parts of the page whose code loads on demand (issue 24). In a split build
//! (`SAGABANK_SPLIT=1`, which `scripts/publish` sets: see `build.rs` and
//! `scripts/split-wasm`) each part's code is a wasm chunk of its own, fetched the first
//! time the part is shown, so the first screen downloads less. In any other build (the
//! debug `trunk serve`, the browser tests) the same code is in the one module and
//! "loading" it resolves as soon as it is asked for (a part that starts when the
//! browser is idle still waits for that).
//!
//! - [`split_view!`] declares a part: an async function that loads its chunk and
//!   returns what builds its view ([`Part`]), or [`ChunkFailed`] when the chunk cannot
//!   be fetched.
//! - [`Lazy`] shows a part: a loading line in the part's frame until the chunk has
//!   arrived, and a message with a retry when it could not be fetched.
//!
//! `Lazy` keeps where the part stands in a signal and builds the part in its own
//! reactive closure, as any other view, not under `<Suspense>`: with `Suspense`
//! around the part, a journey that moved the page to another bank (the course's
//! lesson 11, the operator's fix) ended in "Tried to access a reactive value that has
//! already been disposed" from a render effect of the part.

use std::future::Future;

use futures::FutureExt as _;
use leptos::prelude::*;

/// A part's chunk could not be fetched or instantiated (the browser's console has the
/// cause). Nothing was loaded: asking again fetches it again.
#[derive(Debug, Clone, Copy)]
pub struct ChunkFailed;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkFailed {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkFailed
    }
}

/// A part whose chunk has arrived: what builds its view, with the chunk's code. It is
/// built only if the place that asked for it is still on the page (a new bank may
/// re-render the page while a chunk is on its way: a view built then would read what
/// is gone).
pub struct Part(Box<dyn FnOnce() -> AnyView + Send>);

impl Part {
    /// The part that `build` makes.
    pub fn new(build: impl FnOnce() -> AnyView + Send + 'static) -> Part {
        Part(Box::new(build))
    }

    /// Builds the part's view.
    #[must_use]
    pub fn build(self) -> AnyView {
        (self.0)()
    }
}

/// What a part's loader returns.
pub type Loaded = Result<Part, ChunkFailed>;

/// Declares `async fn $name(args) -> Loaded`: `$view` as a [`Part`], from the wasm chunk
/// `$chunk` in a split build, from the one module in any other. Every function naming the same
/// chunk shares it. With `preload $p`, also `async fn $p() -> Result<(), _>`, which
/// fetches the chunk without showing anything (for [`preload_when_idle`]).
///
/// ```ignore
/// split_view!(fn audit_panel() in audit => view! { <audit::AuditPanel/> });
/// split_view!(fn card(id: AccountId) in selected, preload selected => view! { <Card id/> });
/// ```
#[macro_export]
macro_rules! split_view {
    ($(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) in $chunk:ident
        $(, preload $preload:ident)? => $view:expr) => {
        $(#[$meta])*
        #[cfg(sagabank_split)]
        #[::leptos::wasm_split::wasm_split($chunk, fallible, wasm_split_path = ::leptos::wasm_split
            $(, preload(#[doc = "Fetches this part's chunk."] $preload))?)]
        $vis fn $name($($arg: $ty),*) -> $crate::ui::lazy::Loaded {
            Ok($crate::ui::lazy::Part::new(move || ::leptos::prelude::IntoAny::into_any($view)))
        }

        $(#[$meta])*
        #[cfg(not(sagabank_split))]
        $vis async fn $name($($arg: $ty),*) -> $crate::ui::lazy::Loaded {
            Ok($crate::ui::lazy::Part::new(move || ::leptos::prelude::IntoAny::into_any($view)))
        }

        $(
            /// Fetches this part's chunk: in this build, the one module has it already.
            #[cfg(not(sagabank_split))]
            $vis async fn $preload() -> Result<(), ::leptos::wasm_split::SplitLoaderError> {
                Ok(())
            }
        )?
    };
}

/// Fetches a chunk once the browser is idle after the first screen, so the part is
/// there without a loading line when it is first shown (a failure is left to that
/// part's own [`Lazy`], which asks again).
pub fn preload_when_idle<Fut>(preload: fn() -> Fut)
where
    Fut: Future<Output = Result<(), leptos::wasm_split::SplitLoaderError>> + 'static,
{
    when_idle(move || {
        leptos::task::spawn_local(async move {
            let _ = preload().await;
        });
    });
}

/// When a [`Lazy`] part starts loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// As soon as it is shown: the learner opened it, or a link named it.
    Now,
    /// Once the browser is idle after the first screen (a part lower on the page), so
    /// its download never competes with the first screen's.
    Idle,
}

/// A part of the page whose code loads on demand: its frame with a loading line until
/// the chunk has arrived, then the part itself; a message and a "Try again" button
/// when the chunk could not be fetched (the part is not shown, nothing else changes).
#[component]
pub fn Lazy<F, Fut>(
    /// The part, in the loading and failure lines: "the audit trail".
    what: &'static str,
    /// The part's frame, at the part's size, around a loading or failure line (so the
    /// page does not shift when the part arrives): its panel and heading, for example.
    frame: fn(AnyView) -> AnyView,
    /// Loads the part: a [`split_view!`] function.
    load: F,
    /// When to start loading.
    start: Start,
) -> impl IntoView
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Loaded> + 'static,
{
    let state = RwSignal::new(State::Loading);
    // The arrived part, until it is built; taken once.
    let part = StoredValue::new_local(None::<Part>);
    let load = StoredValue::new(load);
    // Asks for the part. The place may be gone when it arrives (a new bank re-renders
    // the page): then it is dropped unbuilt.
    let fetch = move || {
        let Some(future) = load.try_with_value(|load| load()) else {
            return;
        };
        if state.get_untracked() == State::Failed {
            state.set(State::Loading);
        }
        let arrive = move |loaded: Loaded| match loaded {
            Ok(arrived) => {
                if part.try_set_value(Some(arrived)).is_none() {
                    state.try_set(State::Ready);
                }
            }
            Err(ChunkFailed) => {
                state.try_set(State::Failed);
            }
        };
        // A chunk already here (or a build without chunks): shown as soon as asked for.
        let mut future = Box::pin(future);
        match (&mut future).now_or_never() {
            Some(loaded) => arrive(loaded),
            None => leptos::task::spawn_local(async move { arrive(future.await) }),
        }
    };
    match start {
        Start::Now => fetch(),
        Start::Idle => when_idle(fetch),
    }
    let loading = move || {
        frame(
            view! {
                <p class="lazy__line lazy__line--loading" role="status" data-testid="lazy-loading">
                    "Loading " {what} "…"
                </p>
            }
            .into_any(),
        )
    };
    let failed = move || {
        frame(
            view! {
                <div class="lazy__line lazy__line--failed" role="alert" data-testid="lazy-failed">
                    <p>
                        "Could not load " {what}
                        ": the connection may be down. Nothing was changed."
                    </p>
                    <button type="button" class="button" data-testid="lazy-retry"
                        on:click=move |_| fetch()>
                        "Try again"
                    </button>
                </div>
            }
            .into_any(),
        )
    };
    move || match state.get() {
        State::Loading => loading(),
        State::Failed => failed(),
        // Built untracked: what the part reads is its own, not this closure's.
        State::Ready => part
            .try_update_value(Option::take)
            .flatten()
            .map_or_else(|| ().into_any(), |part| untrack(|| part.build())),
    }
}

/// Where a [`Lazy`] part stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Waiting for the browser to be idle, or for the chunk.
    Loading,
    /// The chunk could not be fetched.
    Failed,
    /// The part has arrived (and is shown).
    Ready,
}

/// Whether a part of the page is waiting for its code (a [`Lazy`] loading line shows):
/// what is sent to a part (the keyboard focus, a lesson's outline) waits for it.
#[must_use]
pub fn part_loading() -> bool {
    document()
        .query_selector(".lazy__line--loading")
        .ok()
        .flatten()
        .is_some()
}

/// Runs `f` once the browser is idle (`requestIdleCallback`), or after a moment where
/// the browser has no such call.
fn when_idle(f: impl Fn() + Clone + 'static) {
    if request_idle_callback_with_handle(f.clone()).is_err() {
        set_timeout(f, std::time::Duration::from_millis(100));
    }
}
