//! The project's file tabs above the code: one tab per file (`file-tab`, `data-file`), the main
//! file first and marked as the one that runs, `+ File` (`add-file`) to add one. The tab shown
//! in the editor can be renamed (its ✎ button, or a double click: the name becomes a text field,
//! Enter keeps it, Escape does not) and, unless it is the main file, deleted (its × button asks
//! once more in place, no modal dialog). A new file is named `worker.js` (or `fileN.js`) and
//! opens with its name ready to be typed over.
//!
//! The tabs only say what the learner asked for; the reducer checks names and limits and
//! explains a refusal in the page's notice.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::playground::project::fresh_name;

#[derive(Properties, PartialEq)]
pub struct FileTabsProps {
    /// Every file name, the main file first.
    pub names: Vec<String>,
    pub main: String,
    pub active: String,
    pub on_select: Callback<String>,
    /// A new file with this (free) name.
    pub on_add: Callback<String>,
    /// (from, to).
    pub on_rename: Callback<(String, String)>,
    pub on_delete: Callback<String>,
}

/// What the active tab is busy with.
#[derive(Clone, Debug, PartialEq)]
enum Editing {
    None,
    /// The name field is open for this file.
    Rename(String),
    /// "Delete this file?" is asked for this file.
    Delete(String),
}

#[function_component(FileTabs)]
pub fn file_tabs(props: &FileTabsProps) -> Html {
    let editing = use_state(|| Editing::None);
    let input = use_node_ref();
    // Whether the open name field still counts: Enter and Escape close it, and the blur that
    // its removal may fire afterwards must not rename a second time.
    let open = use_mut_ref(|| false);
    // The name field gets the name, focus and its text selected (ready to be typed over). The
    // field is not controlled by the render: a re-render while the learner types (a run ends)
    // must not put the old name back.
    {
        let input = input.clone();
        let open = open.clone();
        use_effect_with((*editing).clone(), move |editing| {
            *open.borrow_mut() = matches!(editing, Editing::Rename(_));
            if let (Editing::Rename(name), Some(el)) = (editing, input.cast::<HtmlInputElement>()) {
                el.set_value(name);
                let _ = el.focus();
                el.select();
            }
        });
    }
    let commit = {
        let editing = editing.clone();
        let on_rename = props.on_rename.clone();
        let open = open.clone();
        Callback::from(move |(from, to): (String, String)| {
            if !std::mem::replace(&mut *open.borrow_mut(), false) {
                return;
            }
            editing.set(Editing::None);
            let to = to.trim().to_string();
            if to != from {
                on_rename.emit((from, to));
            }
        })
    };
    let tab = |name: &String| -> Html {
        let active = *name == props.active;
        let is_main = *name == props.main;
        if let (true, Editing::Rename(from)) = (active, &*editing) {
            if from == name {
                let onkeydown = {
                    let commit = commit.clone();
                    let editing = editing.clone();
                    let from = from.clone();
                    let open = open.clone();
                    Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
                        "Enter" => {
                            e.prevent_default();
                            let el: HtmlInputElement = e.target_unchecked_into();
                            commit.emit((from.clone(), el.value()));
                        }
                        "Escape" => {
                            e.prevent_default();
                            *open.borrow_mut() = false;
                            editing.set(Editing::None);
                        }
                        _ => {}
                    })
                };
                let onblur = {
                    let commit = commit.clone();
                    let from = from.clone();
                    Callback::from(move |e: FocusEvent| {
                        let el: HtmlInputElement = e.target_unchecked_into();
                        commit.emit((from.clone(), el.value()));
                    })
                };
                return html! {
                    <span class="pg-file-tab pg-file-active pg-file-editing" data-testid="file-tab" data-file={name.clone()}>
                        <input ref={input.clone()} class="pg-file-name-input" data-testid="file-name"
                            aria-label={format!("New name for {name}")}
                            spellcheck="false" autocomplete="off" {onkeydown} {onblur} />
                    </span>
                };
            }
        }
        if let (true, Editing::Delete(what)) = (active, &*editing) {
            if what == name {
                let on_yes = {
                    let editing = editing.clone();
                    let on_delete = props.on_delete.clone();
                    let name = name.clone();
                    Callback::from(move |_| {
                        editing.set(Editing::None);
                        on_delete.emit(name.clone());
                    })
                };
                let on_no = {
                    let editing = editing.clone();
                    Callback::from(move |_| editing.set(Editing::None))
                };
                return html! {
                    <span class="pg-file-tab pg-file-active pg-file-confirm" data-testid="file-tab" data-file={name.clone()} role="group"
                        aria-label={format!("Delete {name}?")}>
                        <span class="pg-file-question">{ format!("Delete {name}?") }</span>
                        <button class="pg-file-yes" data-testid="file-delete-confirm" onclick={on_yes}>{ "Delete" }</button>
                        <button class="pg-file-no" onclick={on_no}>{ "Keep" }</button>
                    </span>
                };
            }
        }
        let onclick = {
            let on_select = props.on_select.clone();
            let name = name.clone();
            Callback::from(move |_| on_select.emit(name.clone()))
        };
        let start_rename = {
            let editing = editing.clone();
            let name = name.clone();
            Callback::from(move |_| editing.set(Editing::Rename(name.clone())))
        };
        let ondblclick = start_rename.clone();
        let start_delete = {
            let editing = editing.clone();
            let name = name.clone();
            Callback::from(move |_| editing.set(Editing::Delete(name.clone())))
        };
        html! {
            <span class={classes!("pg-file-tab", active.then_some("pg-file-active"))}
                data-testid="file-tab" data-file={name.clone()} data-main={is_main.to_string()}>
                <button class="pg-file-name" {onclick} {ondblclick}
                    aria-current={active.then_some("true")}
                    title={if is_main { format!("{name} — the file that runs") } else { name.clone() }}>
                    if is_main { <span class="pg-file-run" aria-hidden="true">{ "▶" }</span> }
                    { name.clone() }
                    if is_main { <span class="visually-hidden">{ " (runs)" }</span> }
                </button>
                if active {
                    <button class="pg-file-icon" data-testid="file-rename" onclick={start_rename}
                        aria-label={format!("Rename {name}")} title="Rename">{ "✎" }</button>
                    if !is_main {
                        <button class="pg-file-icon" data-testid="file-delete" onclick={start_delete}
                            aria-label={format!("Delete {name}")} title="Delete">{ "×" }</button>
                    }
                }
            </span>
        }
    };
    let on_add = {
        let on_add = props.on_add.clone();
        let names = props.names.clone();
        let editing = editing.clone();
        Callback::from(move |_| {
            let name = fresh_name(names.iter().map(String::as_str));
            on_add.emit(name.clone());
            editing.set(Editing::Rename(name));
        })
    };
    html! {
        <nav class="pg-files" aria-label="Project files" data-testid="file-tabs">
            { for props.names.iter().map(tab) }
            <button class="pg-file-add" data-testid="add-file" onclick={on_add}
                aria-label="Add a file to the project" title="Add a file">{ "+ File" }</button>
        </nav>
    }
}
