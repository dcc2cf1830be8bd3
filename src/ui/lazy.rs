//! Parts of the page whose code loads on demand (issue 24). In a split build
//! (`SAGABANK_SPLIT=1`, which `scripts/publish` sets: see `build.rs` and
//! `scripts/split-wasm`) each part's code is a wasm chunk of its own, fetched the first
//! time the part is shown, so the first screen downloads less. In any other build (the
//! debug `trunk serve`, the browser tests) the same code is in the one module and
//! "loading" it resolves at once.
//!
//! - [`split_view!`] declares a part: an async function that loads its chunk and
//!   returns its view, or [`ChunkFailed`] when the chunk cannot be fetched.
//! - [`Lazy`] shows a part: a loading line in the part's frame until the chunk has
//!   arrived, and a message with a retry when it could not be fetched.

use std::future::Future;

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

/// What a part's loader returns: its view, built by the chunk's code.
pub type Loaded = Result<AnyView, ChunkFailed>;

/// Declares `async fn $name() -> Loaded`: `$view`, from the wasm chunk `$chunk` in a
/// split build, from the one module in any other. Every function naming the same
/// chunk shares it.
///
/// ```ignore
/// split_view!(fn audit_panel() in audit => view! { <audit::AuditPanel/> });
/// ```
#[macro_export]
macro_rules! split_view {
    ($(#[$meta:meta])* $vis:vis fn $name:ident() in $chunk:ident => $view:expr) => {
        $(#[$meta])*
        #[cfg(sagabank_split)]
        #[::leptos::wasm_split::wasm_split($chunk, fallible, wasm_split_path = ::leptos::wasm_split)]
        $vis fn $name() -> $crate::ui::lazy::Loaded {
            Ok(::leptos::prelude::IntoAny::into_any($view))
        }

        $(#[$meta])*
        #[cfg(not(sagabank_split))]
        $vis async fn $name() -> $crate::ui::lazy::Loaded {
            Ok(::leptos::prelude::IntoAny::into_any($view))
        }
    };
}

/// When a [`Lazy`] part starts loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// As soon as it is shown: the learner opened it.
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
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Loaded> + Send + 'static,
{
    let started = RwSignal::new(start == Start::Now);
    if start == Start::Idle {
        when_idle(move || started.set(true));
    }
    // Bumped by "Try again": the part is asked for again.
    let attempt = RwSignal::new(0_u32);
    let loading = move || {
        frame(
            view! {
                <p class="lazy__line" role="status" data-testid="lazy-loading">
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
                        ": the connection may be down. Your bank is untouched."
                    </p>
                    <button type="button" class="button" data-testid="lazy-retry"
                        on:click=move |_| attempt.update(|n| *n += 1)>
                        "Try again"
                    </button>
                </div>
            }
            .into_any(),
        )
    };
    move || {
        if !started.get() {
            return loading().into_any();
        }
        attempt.track();
        view! {
            <Suspense fallback=loading>
                {Suspend::new(async move { load().await.unwrap_or_else(|ChunkFailed| failed()) })}
            </Suspense>
        }
        .into_any()
    }
}

/// Runs `f` once the browser is idle (`requestIdleCallback`), or after a moment where
/// the browser has no such call.
fn when_idle(f: impl Fn() + Clone + 'static) {
    if request_idle_callback_with_handle(f.clone()).is_err() {
        set_timeout(f, std::time::Duration::from_millis(100));
    }
}
