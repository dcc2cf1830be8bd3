//! The audit trail (placeholder until written).
use leptos::prelude::*;

/// The audit trail panel.
#[component]
pub fn AuditPanel() -> impl IntoView {
    view! { <section class="panel panel--audit"><h2>"Audit trail"</h2></section> }
}
