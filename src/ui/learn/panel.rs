//! The lesson panel: the lesson's title and text, its tasks with live ticks, the
//! lesson's question or tool, what the last action wrote, and the way around the
//! course (Previous, Next, all lessons, back to the learner's own bank). On a phone
//! it is a drawer at the bottom of the screen that folds to its title bar.

use leptos::prelude::*;

use super::happened::WhatHappened;
use super::open::{leave, open};
use super::overview::Overview;
use super::predict::Predict;
use super::state::course;
use super::tools::LessonTools;
use super::watch::show;
use crate::app::learn::learned::{course_complete, lesson_complete, AGAIN, PRACTICE};
use crate::app::learn::record::tasks_done;
use crate::app::learn::{lesson, Lesson, LESSONS};
use crate::ui::glossary::LinkedText;
use crate::ui::page::use_page;
use crate::ui::widgets::FormError;

/// The panel of the lesson being taken. No props: it reads the course state.
#[component]
pub fn LessonPanel() -> impl IntoView {
    let learn = course();
    let n = Memo::new(move |_| learn.session.with(|s| s.as_ref().map_or(1, |s| s.lesson)));
    let current = move || lesson(n.get());
    let total = LESSONS.len();
    let done = move || {
        current().map_or(0, |l| {
            learn.progress.with(|p| p.count(l.key, l.tasks.len()))
        })
    };
    let tasks = move || current().map_or(0, |l| l.tasks.len());
    // On a phone the toggle is the drawer's title bar (hidden on a wide screen).
    let toggle = NodeRef::<leptos::html::Button>::new();
    view! {
        <aside class="learn" class:learn--open=move || learn.open.get()
            aria-labelledby="learn-title" data-testid="learn-panel">
            <button class="learn__toggle" type="button" aria-controls="learn-body"
                aria-expanded=move || learn.open.get().to_string()
                on:click=move |_| learn.open.update(|o| *o = !*o) data-testid="learn-toggle" node_ref=toggle>
                {move || format!("Lesson {} of {total}: {}", n.get(), current().map_or("", |l| l.title))}
                <span class="learn__toggle-progress">{move || format!(" ({} of {} done)", done(), tasks())}</span>
            </button>
            <div id="learn-body" class="learn__body" hidden=move || !learn.open.get()>
                <p class="learn__kicker" data-testid="learn-kicker">
                    {move || format!("Lesson {} of {total}", n.get())} " · "
                    {move || tasks_done(done(), tasks())}
                </p>
                <p class="learn__practice" data-testid="learn-practice">{PRACTICE}</p>
                <h2 id="learn-title" tabindex="-1">{move || current().map_or("", |l| l.title)}</h2>
                {move || current().map(|l| view! { <LessonBody lesson=l drawer=toggle/> })}
                {move || current().map(|l| view! { <Complete lesson=l/> })}
                <FormError error=learn.error test_id="learn-error"/>
                <Navigation n=n/>
                {move || learn.overview.get().then(|| view! { <Overview/> })}
                <p class="visually-hidden" aria-live="polite" data-testid="learn-live">
                    {move || learn.live.get()}
                </p>
            </div>
        </aside>
    }
}

/// A lesson's text, tasks, question or tool, and what just happened.
#[component]
fn LessonBody(
    /// The lesson shown.
    lesson: &'static Lesson,
    /// The drawer's title bar (see [`TaskItem`]).
    drawer: NodeRef<leptos::html::Button>,
) -> impl IntoView {
    view! {
        {lesson.text.iter().map(|p| view! { <p class="learn__text"><LinkedText text=*p/></p> }).collect_view()}
        <Predict lesson=lesson/>
        <h3 class="learn__subtitle" id="learn-tasks-title">"Your tasks"</h3>
        <ol class="learn__tasks" aria-labelledby="learn-tasks-title" data-testid="learn-tasks">
            {lesson.tasks.iter().enumerate().map(|(i, _)| view! { <TaskItem lesson=lesson index=i drawer=drawer/> }).collect_view()}
        </ol>
        <LessonTools lesson=lesson/>
        <WhatHappened/>
    }
}

/// One task: its tick, its text, and "Show me" for the panel it is done in.
#[component]
fn TaskItem(
    /// The lesson the task belongs to.
    lesson: &'static Lesson,
    /// The task's index in the lesson.
    index: usize,
    /// The drawer's title bar: shown only when the panel is a drawer (a phone), which
    /// "Show me" folds so the panel it shows is not under it.
    drawer: NodeRef<leptos::html::Button>,
) -> impl IntoView {
    let learn = course();
    let task = &lesson.tasks[index];
    let done = move || learn.progress.with(|p| p.is_done(lesson.key, index));
    view! {
        <li class="learn__task" class:learn__task--done=done
            data-testid=format!("learn-task-{index}") data-done=move || done().to_string()>
            <span class="learn__tick" aria-hidden="true">{move || if done() { "✓" } else { "○" }}</span>
            <span class="learn__task-text">
                {task.text}
                <span class="visually-hidden">{move || if done() { " (done)" } else { " (to do)" }}</span>
            </span>
            <button class="learn__show" type="button" on:click=move |_| {
                    if drawer.get_untracked().is_some_and(|b| b.offset_height() > 0) {
                        learn.open.set(false);
                    }
                    request_animation_frame(move || show(task.panel));
                }
                aria-label=format!("Show me where: {}", task.text)>
                "Show me"
            </button>
        </li>
    }
}

/// Once every task of the lesson is ticked: that it is complete and what it showed,
/// that the ticks stay while the practice bank is fresh, and, once every lesson is
/// done, that the course is complete.
#[component]
fn Complete(
    /// The lesson shown.
    lesson: &'static Lesson,
) -> impl IntoView {
    let learn = course();
    let done = move || {
        learn
            .progress
            .with(|p| p.lesson_done(lesson.key, lesson.tasks.len()))
    };
    let all = move || {
        learn
            .progress
            .with(|p| LESSONS.iter().all(|l| p.lesson_done(l.key, l.tasks.len())))
    };
    move || {
        done().then(|| {
            view! {
                <div class="learn__complete" data-testid="learn-complete">
                    <p><strong>{lesson_complete(lesson.key)}</strong></p>
                    <p>{AGAIN}</p>
                    {all().then(|| view! { <p data-testid="learn-course-complete"><strong>{course_complete()}</strong></p> })}
                </div>
            }
        })
    }
}

/// Previous, Next, all lessons, and back to the learner's own bank.
#[component]
fn Navigation(
    /// The lesson being taken (1-based).
    n: Memo<usize>,
) -> impl IntoView {
    let page = use_page();
    let learn = course();
    let total = LESSONS.len();
    view! {
        <nav class="learn__nav" aria-label="Course">
            <button class="button button--secondary button--chip" type="button"
                disabled=move || { n.get() <= 1 || learn.busy.get() }
                on:click=move |_| open(page, learn, n.get_untracked() - 1) data-testid="learn-previous">
                "Previous"
            </button>
            <button class="button button--chip" type="button"
                disabled=move || { n.get() >= total || learn.busy.get() }
                on:click=move |_| open(page, learn, n.get_untracked() + 1) data-testid="learn-next">
                "Next lesson"
            </button>
            <button class="button button--secondary button--chip" type="button"
                aria-expanded=move || learn.overview.get().to_string()
                on:click=move |_| {
                    learn.overview.update(|o| *o = !*o);
                    if learn.overview.get_untracked() {
                        request_animation_frame(|| into_view("#learn-overview-title"));
                    }
                }
                data-testid="learn-overview-toggle">
                "All lessons"
            </button>
            <button class="button button--secondary button--chip" type="button"
                on:click=move |_| leave(page, learn) data-testid="learn-leave">
                "Back to my bank"
            </button>
        </nav>
    }
}

/// Scrolls the element `selector` names into view, if it is there.
fn into_view(selector: &str) {
    if let Ok(Some(el)) = document().query_selector(selector) {
        el.scroll_into_view();
    }
}
