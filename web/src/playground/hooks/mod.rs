//! Side effects of the playground, as hooks: the simulator worker with debounced runs and view
//! requests, play's timer, the stepping keys, the URL and localStorage mirror of the state, and
//! the document-level theme attributes. Also the reading of the initial state from the URL and
//! storage.

use std::rc::Rc;

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use super::client::{SimClient, SimEvent, ViewRequest};
use super::gallery;
use super::project::Project;
use super::state::{Action, State, Theme};
use super::timeline::Nav;
use super::url;

/// localStorage keys.
const KEY_CODE: &str = "looplab.playground.code";
/// The whole project as JSON (the main file's text is also under [`KEY_CODE`]).
const KEY_PROJECT: &str = "looplab.playground.project";
const KEY_EXAMPLE: &str = "looplab.playground.example";
const KEY_THEME: &str = "looplab.theme";

/// How long edits settle before the program re-runs, milliseconds.
pub const DEBOUNCE_MS: i32 = 300;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn stored(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

fn store(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

/// The project last edited in this browser: the stored project when its main file's text is the
/// stored code (an older page stores only the code), else the stored code alone.
fn stored_project() -> Option<Project> {
    let code = stored(KEY_CODE);
    let project = stored(KEY_PROJECT).and_then(|json| Project::from_json(&json).ok());
    match (project, code) {
        (Some(p), Some(code)) if p.main_text() == code => Some(p),
        (Some(p), None) => Some(p),
        (_, Some(code)) => Some(Project::single(code)),
        (None, None) => None,
    }
}

/// What the page opens with: the URL first (`#code=`, `#project=`, `#ex=`, settings, `?embed`),
/// then the project last edited here, then the first example. Returns the state and whether to
/// embed.
pub fn initial_state() -> (State, bool) {
    let mut state = State::default();
    let location = web_sys::window().map(|w| w.location());
    let hash = location
        .as_ref()
        .and_then(|l| l.hash().ok())
        .unwrap_or_default();
    let search = location
        .as_ref()
        .and_then(|l| l.search().ok())
        .unwrap_or_default();
    let fragment = url::parse_fragment(&hash);
    let embed = fragment.embed
        || search
            .trim_start_matches('?')
            .split('&')
            .any(|p| p == "embed" || p.starts_with("embed="));
    if let Some(example) = stored(KEY_EXAMPLE).as_deref().and_then(gallery::find) {
        state.example = example.slug;
    }
    let from_storage = stored_project();
    let mut notes = Vec::new();
    match (
        fragment.project(),
        fragment.example.as_deref().and_then(gallery::find),
    ) {
        (Some(Ok(project)), _) => state.set_project(project),
        (Some(Err(why)), _) => {
            notes.push(format!(
                "The link's code could not be read ({why}). Showing your last code instead."
            ));
            if let Some(project) = from_storage {
                state.set_project(project);
            }
        }
        (None, Some(example)) => {
            state.example = example.slug;
            state.code = example.source.to_string();
        }
        (None, None) => {
            if let Some(project) = from_storage {
                state.set_project(project);
            }
        }
    }
    if let Some(settings) = fragment.settings {
        state.settings = settings;
    }
    notes.extend(fragment.warnings);
    if !notes.is_empty() {
        state.notice = Some(notes.join(" "));
    }
    state.initial_step = fragment.step.map(|s| s.min(u32::MAX as usize) as u32);
    // A link that opens at a step shows that step: the simulator is needed at once.
    state.simulator = state.initial_step.is_some();
    state.theme = Theme::parse(&stored(KEY_THEME).unwrap_or_default());
    (state, embed)
}

/// Calls `f` after `ms` milliseconds unless the returned guard is dropped first.
pub struct Timeout {
    id: i32,
    _closure: Closure<dyn FnMut()>,
}

impl Timeout {
    pub fn new(ms: i32, f: impl FnOnce() + 'static) -> Option<Timeout> {
        let mut f = Some(f);
        let closure = Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = f.take() {
                f();
            }
        });
        let id = web_sys::window()?
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                closure.as_ref().unchecked_ref(),
                ms,
            )
            .ok()?;
        Some(Timeout {
            id,
            _closure: closure,
        })
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            w.clear_timeout_with_handle(self.id);
        }
    }
}

/// The simulator worker, fed the code and settings ~300 ms after they stop changing — once the
/// learner has asked for it (`state.simulator`); before that the worker is not even started.
#[hook]
pub fn use_simulator(state: &State, dispatch: UseReducerDispatcher<State>) -> SimClient {
    let client = {
        let dispatch = dispatch.clone();
        use_memo((), move |_| {
            SimClient::new(Callback::from(move |event: SimEvent| match event {
                SimEvent::Progress { id, steps } => {
                    dispatch.dispatch(Action::Progress { id, steps })
                }
                SimEvent::Done { id, result } => dispatch.dispatch(Action::RunDone {
                    id,
                    result: Rc::new(result),
                }),
                SimEvent::Failed { id, message } => {
                    dispatch.dispatch(Action::RunFailed { id, message })
                }
                SimEvent::View { view } => dispatch.dispatch(Action::ViewReady(view)),
                SimEvent::Crashed { message } => dispatch.dispatch(Action::Crashed { message }),
            }))
        })
    };
    let first = use_mut_ref(|| true);
    {
        let client = (*client).clone();
        use_effect_with(
            (state.project(), state.settings.clone(), state.simulator),
            move |(project, settings, wanted)| {
                let wanted = *wanted;
                let project = project.clone();
                let settings = settings.clone();
                let start = move || match client.run_project(&project, &settings) {
                    Ok(id) => dispatch.dispatch(Action::RunStarted(id)),
                    Err(message) => dispatch.dispatch(Action::Notice(Some(message))),
                };
                // The first run starts at once; edits wait until typing pauses.
                let timer = if !wanted {
                    None
                } else if std::mem::replace(&mut *first.borrow_mut(), false) {
                    start();
                    None
                } else {
                    Timeout::new(DEBOUNCE_MS, start)
                };
                move || drop(timer)
            },
        );
    }
    (*client).clone()
}

/// Sends the state's latest view request to the worker (which coalesces them, see
/// [`SimClient::view`]).
#[hook]
pub fn use_views(state: &State, client: &SimClient) {
    let client = client.clone();
    let run = state.result_run;
    use_effect_with(state.request, move |request| {
        if let Some((seq, from, nav)) = *request {
            client.view(ViewRequest {
                seq,
                run,
                from,
                nav,
            });
        }
    });
}

/// While playing: one step every 1/speed seconds.
#[hook]
pub fn use_play(state: &State, dispatch: UseReducerDispatcher<State>) {
    use_effect_with(
        (state.playing, state.step, state.speed),
        move |(playing, _, speed)| {
            let timer = playing
                .then(|| {
                    Timeout::new(1000 / (*speed).max(1) as i32, move || {
                        dispatch.dispatch(Action::PlayTick)
                    })
                })
                .flatten();
            move || drop(timer)
        },
    );
}

/// What a key does when focus is not in the editor or a form field: ←/→ step, Shift+←/→
/// previous/next callback, Space play/pause, Home/End.
pub fn key_action(key: &str, shift: bool) -> Option<Action> {
    Some(match (key, shift) {
        ("ArrowLeft", false) => Action::Navigate(Nav::Back),
        ("ArrowRight", false) => Action::Navigate(Nav::Forward),
        ("ArrowLeft", true) => Action::Navigate(Nav::PrevCallback),
        ("ArrowRight", true) => Action::Navigate(Nav::NextCallback),
        (" ", _) => Action::TogglePlay,
        ("Home", _) => Action::Navigate(Nav::Start),
        ("End", _) => Action::Navigate(Nav::End),
        _ => return None,
    })
}

/// Whether a key belongs to the focused element instead: the editor and form fields keep
/// every key, a focused button keeps Space (it presses the button), a focused tab keeps the
/// unshifted arrows and Home/End (they move between tabs).
fn key_belongs_to_focus(target: Option<web_sys::EventTarget>, key: &str, shift: bool) -> bool {
    let Some(element) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    let owns = |selector: &str| element.closest(selector).ok().flatten().is_some();
    owns(".cm-editor, input, textarea, select, [contenteditable]")
        || (key == " " && owns("button, a"))
        || (!shift
            && matches!(key, "ArrowLeft" | "ArrowRight" | "Home" | "End")
            && owns("[role=tab]"))
}

/// The stepping keys, on the whole document.
#[hook]
pub fn use_stepping_keys(dispatch: UseReducerDispatcher<State>) {
    use_effect_with((), move |_| {
        let listener =
            Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
                if e.ctrl_key()
                    || e.meta_key()
                    || e.alt_key()
                    || key_belongs_to_focus(e.target(), &e.key(), e.shift_key())
                {
                    return;
                }
                if let Some(action) = key_action(&e.key(), e.shift_key()) {
                    e.prevent_default();
                    dispatch.dispatch(action);
                }
            });
        let document = web_sys::window().and_then(|w| w.document());
        if let Some(d) = &document {
            let _ =
                d.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(d) = &document {
                let _ = d.remove_event_listener_with_callback(
                    "keydown",
                    listener.as_ref().unchecked_ref(),
                );
            }
        }
    });
}

/// The screens on which the step's panes become tabs (the same width as the one-column
/// `@media` rule in static/style.css).
pub const NARROW_SCREEN: &str = "(max-width: 760px)";

/// `window.matchMedia(query)` (a `MediaQueryList`, an event target with `matches`).
fn media_query(query: &str) -> Option<web_sys::EventTarget> {
    let window = web_sys::window()?;
    let match_media: Function = Reflect::get(&window, &"matchMedia".into())
        .ok()?
        .dyn_into()
        .ok()?;
    match_media
        .call1(&window, &query.into())
        .ok()?
        .dyn_into()
        .ok()
}

fn media_matches(list: &web_sys::EventTarget) -> bool {
    Reflect::get(list, &"matches".into())
        .ok()
        .and_then(|m| m.as_bool())
        .unwrap_or(false)
}

/// Whether a CSS media query matches, kept up to date as the window changes.
#[hook]
pub fn use_media_query(query: &'static str) -> bool {
    let matches = use_state(|| media_query(query).is_some_and(|l| media_matches(&l)));
    {
        let set = matches.setter();
        use_effect_with(query, move |query| {
            let list = media_query(query);
            let listener = list
                .clone()
                .map(|l| Closure::<dyn FnMut()>::new(move || set.set(media_matches(&l))));
            if let (Some(l), Some(f)) = (&list, &listener) {
                let _ = l.add_event_listener_with_callback("change", f.as_ref().unchecked_ref());
            }
            move || {
                if let (Some(l), Some(f)) = (&list, &listener) {
                    let _ =
                        l.remove_event_listener_with_callback("change", f.as_ref().unchecked_ref());
                }
            }
        });
    }
    *matches
}

/// Follows a fragment the learner changes by hand in an open page (the address bar, a pasted
/// link): loads the code or example it names and its settings, as a fresh visit would. The page's
/// own URL writes use `replaceState`, which fires no `hashchange`, so they never come back here.
#[hook]
pub fn use_fragment_navigation(dispatch: UseReducerDispatcher<State>) {
    use_effect_with((), move |_| {
        let listener = Closure::<dyn FnMut()>::new(move || {
            let hash = web_sys::window()
                .and_then(|w| w.location().hash().ok())
                .unwrap_or_default();
            let fragment = url::parse_fragment(&hash);
            if let Some(settings) = fragment.settings.clone() {
                dispatch.dispatch(Action::SetSettings(settings));
            }
            if !fragment.warnings.is_empty() {
                dispatch.dispatch(Action::Notice(Some(fragment.warnings.join(" "))));
            }
            match (
                fragment.project(),
                fragment.example.as_deref().and_then(gallery::find),
            ) {
                (Some(Ok(project)), _) => {
                    dispatch.dispatch(Action::LoadProject(project));
                    dispatch.dispatch(Action::StartSimulator);
                }
                (Some(Err(why)), _) => dispatch.dispatch(Action::Notice(Some(format!(
                    "The link's code could not be read ({why}). Your code is unchanged."
                )))),
                (None, Some(example)) => dispatch.dispatch(Action::LoadExample(example.slug)),
                (None, None) => {}
            }
        });
        let window = web_sys::window();
        if let Some(w) = &window {
            let _ =
                w.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(w) = &window {
                let _ = w.remove_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
        }
    });
}

/// Mirrors the project, settings, example and step into the URL fragment and localStorage.
#[hook]
pub fn use_persistence(state: &State, embed: bool) {
    let step = state.result.is_some().then_some(state.step as usize);
    use_effect_with(
        (state.project(), state.settings.clone(), state.example, step),
        move |(project, settings, example, step)| {
            let project = project.clone();
            let settings = settings.clone();
            let example = *example;
            let step = *step;
            let timer = Timeout::new(DEBOUNCE_MS, move || {
                store(KEY_CODE, project.main_text());
                store(KEY_PROJECT, &project.to_json());
                store(KEY_EXAMPLE, example);
                let mut fragment = url::format_project_fragment(&project, &settings, step);
                if embed {
                    fragment.push_str("&embed");
                }
                replace_fragment(&fragment);
            });
            move || drop(timer)
        },
    );
}

fn replace_fragment(fragment: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(fragment));
    }
}

/// The page's full URL (what "copy link" copies).
pub fn current_link() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// Writes `text` to the clipboard; resolves to whether it worked.
pub async fn copy_to_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator = window.navigator();
    let clipboard = Reflect::get(&navigator, &"clipboard".into()).unwrap_or(JsValue::UNDEFINED);
    let Ok(write) = Reflect::get(&clipboard, &"writeText".into()) else {
        return false;
    };
    let Ok(write) = write.dyn_into::<Function>() else {
        return false;
    };
    let Ok(promise) = write.call1(&clipboard, &text.into()) else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&promise))
        .await
        .is_ok()
}

/// Puts the theme and presentation mode on `<html>` (CSS reads `data-theme`, `data-present`).
#[hook]
pub fn use_document_theme(theme: Theme, presentation: bool) {
    use_effect_with((theme, presentation), |(theme, presentation)| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            match theme.attribute() {
                Some(value) => {
                    let _ = root.set_attribute("data-theme", value);
                }
                None => {
                    let _ = root.remove_attribute("data-theme");
                }
            }
            let _ = root.set_attribute("data-present", &presentation.to_string());
        }
        store(KEY_THEME, theme.attribute().unwrap_or("auto"));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stepping_keys() {
        let nav = |key, shift| match key_action(key, shift) {
            Some(Action::Navigate(n)) => Some(n),
            _ => None,
        };
        assert_eq!(nav("ArrowLeft", false), Some(Nav::Back));
        assert_eq!(nav("ArrowRight", false), Some(Nav::Forward));
        assert_eq!(nav("ArrowLeft", true), Some(Nav::PrevCallback));
        assert_eq!(nav("ArrowRight", true), Some(Nav::NextCallback));
        assert_eq!(nav("Home", false), Some(Nav::Start));
        assert_eq!(nav("End", false), Some(Nav::End));
        assert!(matches!(key_action(" ", false), Some(Action::TogglePlay)));
        assert!(key_action("a", false).is_none());
    }
}
