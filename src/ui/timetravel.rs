//! Time travel (placeholder until written).
use leptos::prelude::*;

/// The time-travel panel.
#[component]
pub fn TimeTravelPanel() -> impl IntoView {
    view! { <section class="panel panel--timetravel"><h2>"Time travel"</h2></section> }
}
