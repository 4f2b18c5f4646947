//! The code: a read-only view first, the CodeMirror editor from the learner's first edit on.
//!
//! A learner who only steps through an example never needs an editor, so the page first shows
//! the code itself: line numbers, JavaScript colours ([`crate::playground::highlight`]), the
//! current step's span and the error and `unsupported:` markers, all rendered by Yew. The
//! CodeMirror bundle (`editor/editor.js`, built by esbuild into `dist/editor/`: `editor.js` and
//! its chunks, 150 KB gzip in all; the JavaScript language is a chunk the bundle imports itself
//! once the view is up, so no single task evaluates all of it) is imported when the learner shows they want to edit: a click into the code, Enter or a
//! typed character while the view has focus, or the "Edit" button. Focusing the view (Tab) only
//! starts fetching the bundle, so it is there by the time they act. The editor
//! then takes the view's place with the caret where they clicked (or their selection), and what
//! they typed while it loaded is inserted.
//!
//! The bridge to the bundle is deliberately small: create (with the selection to start from),
//! setDoc/getDoc, showFile (a project's other file, each keeping its own undo history), onChange,
//! highlight(from, to), setDiagnostics, insert, focus.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use crate::playground::highlight::{segments, Segment};
use crate::playground::protocol::Diagnostic;

#[wasm_bindgen(inline_js = "
let loading = null;
let failures = 0;
// The bundle, imported once. After a failure the next call tries again, under a new URL (a
// browser may remember a module that failed to load).
export function import_editor() {
  if (!loading) {
    const url = new URL('editor/editor.js', document.baseURI);
    if (failures > 0) url.searchParams.set('retry', String(failures));
    // Evaluating the bundle and building the editor are two tasks, not one long one.
    loading = import(url.href).then((m) => new Promise((ok) => setTimeout(() => ok(m), 0)));
    loading.catch(() => { loading = null; failures += 1; });
  }
  return loading;
}
function offsetIn(root, node, offset) {
  const range = document.createRange();
  range.setStart(root, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}
// The document's selection inside `root` as UTF-16 offsets of its text, [anchor, head], or null.
export function selection_in(root) {
  const sel = document.getSelection();
  if (!sel || sel.rangeCount === 0 || !root.contains(sel.anchorNode) || !root.contains(sel.focusNode)) return null;
  return [offsetIn(root, sel.anchorNode, sel.anchorOffset), offsetIn(root, sel.focusNode, sel.focusOffset)];
}
// The UTF-16 offset of `root`'s text under the point (x, y), or -1.
export function offset_at_point(root, x, y) {
  let node = null, offset = 0;
  if (document.caretPositionFromPoint) {
    const p = document.caretPositionFromPoint(x, y);
    if (p) { node = p.offsetNode; offset = p.offset; }
  } else if (document.caretRangeFromPoint) {
    const r = document.caretRangeFromPoint(x, y);
    if (r) { node = r.startContainer; offset = r.startOffset; }
  }
  return node && root.contains(node) ? offsetIn(root, node, offset) : -1;
}
// Scrolls `scroller` (only it, not the page) so that `el` is inside it.
export function keep_visible(scroller, el) {
  const s = scroller.getBoundingClientRect(), e = el.getBoundingClientRect();
  if (e.top < s.top) scroller.scrollTop -= s.top - e.top + 8;
  else if (e.bottom > s.bottom) scroller.scrollTop += e.bottom - s.bottom + 8;
}
")]
extern "C" {
    fn import_editor() -> Promise;
    fn selection_in(root: &Element) -> JsValue;
    fn offset_at_point(root: &Element, x: i32, y: i32) -> i32;
    fn keep_visible(scroller: &Element, el: &Element);
}

#[wasm_bindgen]
extern "C" {
    /// The bundle's module namespace.
    type EditorModule;
    #[wasm_bindgen(method, catch)]
    fn create(
        this: &EditorModule,
        parent: &HtmlElement,
        doc: &str,
        on_change: &Function,
        options: &Object,
    ) -> Result<EditorHandle, JsValue>;

    /// One editor instance.
    type EditorHandle;
    #[wasm_bindgen(method, js_name = showFile)]
    fn show_file(this: &EditorHandle, name: &str, text: &str);
    #[wasm_bindgen(method)]
    fn highlight(this: &EditorHandle, from: u32, to: u32);
    #[wasm_bindgen(method, js_name = clearHighlight)]
    fn clear_highlight(this: &EditorHandle);
    #[wasm_bindgen(method, js_name = setDiagnostics)]
    fn set_diagnostics(this: &EditorHandle, list: &Array);
    #[wasm_bindgen(method)]
    fn insert(this: &EditorHandle, text: &str);
    #[wasm_bindgen(method)]
    fn destroy(this: &EditorHandle);
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub code: String,
    /// The project file `code` is the text of (each keeps its own undo history).
    #[prop_or_else(|| crate::playground::project::DEFAULT_MAIN.to_string())]
    pub file: String,
    pub on_change: Callback<String>,
    /// The current step's span (UTF-8 byte offsets).
    #[prop_or_default]
    pub highlight: Option<(usize, usize)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What the code looks like now (code, step span, diagnostics, file), for the editor to start
/// from.
type Shown = (String, Option<(usize, usize)>, Vec<Diagnostic>, String);

/// Which of the two the learner sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// The read-only view; the bundle has not been asked for (or only prefetched).
    View,
    /// The learner asked to edit; the view stays until the editor replaces it.
    Loading,
    /// CodeMirror.
    Edit,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::View => "view",
            Mode::Loading => "loading",
            Mode::Edit => "edit",
        }
    }
}

/// The live editor, and what the learner did before it arrived.
#[derive(Default)]
struct Live {
    handle: Option<EditorHandle>,
    _on_change: Option<Closure<dyn FnMut(String)>>,
    /// Where the caret goes (UTF-16 anchor and head in the text), from the first request.
    selection: Option<(u32, u32)>,
    /// Characters typed while the bundle was loading.
    typed: String,
    /// Whether the bundle has been asked for (a load is under way or done).
    requested: bool,
}

fn diagnostics_array(list: &[Diagnostic]) -> Array {
    list.iter()
        .map(|d| {
            let o = Object::new();
            let _ = Reflect::set(&o, &"from".into(), &(d.from as u32).into());
            let _ = Reflect::set(&o, &"to".into(), &(d.to as u32).into());
            let _ = Reflect::set(&o, &"message".into(), &d.message.as_str().into());
            let _ = Reflect::set(&o, &"severity".into(), &d.severity.as_str().into());
            JsValue::from(o)
        })
        .collect()
}

fn apply(
    handle: &EditorHandle,
    file: &str,
    code: &str,
    highlight: Option<(usize, usize)>,
    diagnostics: &[Diagnostic],
) {
    handle.show_file(file, code);
    match highlight {
        Some((from, to)) => handle.highlight(from as u32, to as u32),
        None => handle.clear_highlight(),
    }
    handle.set_diagnostics(&diagnostics_array(diagnostics));
}

/// Starts fetching the bundle without waiting for it (focus on the code or the Edit button).
fn prefetch() {
    let _ = import_editor();
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let host = use_node_ref();
    let view = use_node_ref();
    let text = use_node_ref();
    let live = use_mut_ref(Live::default);
    let mode = use_state(|| Mode::View);
    let failed = use_state(|| None::<String>);
    // The latest props, for the asynchronous load to start from.
    let latest = use_mut_ref(|| {
        (
            props.code.clone(),
            props.highlight,
            props.diagnostics.clone(),
            props.file.clone(),
        )
    });
    *latest.borrow_mut() = (
        props.code.clone(),
        props.highlight,
        props.diagnostics.clone(),
        props.file.clone(),
    );

    // Asks for the editor: records where the caret goes and what was typed, and loads it once.
    let request = {
        let host = host.clone();
        let view = view.clone();
        let live = live.clone();
        let mode = mode.clone();
        let failed = failed.clone();
        let on_change = props.on_change.clone();
        let latest = latest.clone();
        Rc::new(
            move |selection: Option<(u32, u32)>, typed: Option<String>| {
                {
                    let mut live = live.borrow_mut();
                    if live.selection.is_none() {
                        live.selection = selection;
                    }
                    if let Some(t) = typed {
                        live.typed.push_str(&t);
                    }
                    if std::mem::replace(&mut live.requested, true) {
                        return;
                    }
                }
                mode.set(Mode::Loading);
                failed.set(None);
                wasm_bindgen_futures::spawn_local(load(
                    host.clone(),
                    view.clone(),
                    live.clone(),
                    latest.clone(),
                    on_change.clone(),
                    mode.clone(),
                    failed.clone(),
                ));
            },
        )
    };
    // The selection inside the code text, if the learner made one there.
    let dom_selection = {
        let text = text.clone();
        move || -> Option<(u32, u32)> {
            let el = text.cast::<Element>()?;
            let pair: Array = selection_in(&el).dyn_into().ok()?;
            Some((pair.get(0).as_f64()? as u32, pair.get(1).as_f64()? as u32))
        }
    };
    let on_click = {
        let request = request.clone();
        let text = text.clone();
        let dom_selection = dom_selection.clone();
        Callback::from(move |e: MouseEvent| {
            let selection = dom_selection().or_else(|| {
                let el = text.cast::<Element>()?;
                let at = offset_at_point(&el, e.client_x(), e.client_y());
                (at >= 0).then_some((at as u32, at as u32))
            });
            request(selection.or(Some((0, 0))), None);
        })
    };
    let on_key = {
        let request = request.clone();
        let dom_selection = dom_selection.clone();
        let loading = *mode == Mode::Loading;
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let key = e.key();
            let typed = match key.as_str() {
                "Enter" if loading => Some("\n".to_string()),
                "Enter" => None,
                // Space plays and pauses (the stepping keys); other characters start an edit.
                " " if !loading => return,
                k if k.chars().count() == 1 => Some(k.to_string()),
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            request(dom_selection().or(Some((0, 0))), typed);
        })
    };
    let on_edit_button = {
        let request = request.clone();
        Callback::from(move |_| request(None, None))
    };

    // Once the editor is live, every change of the props goes to it.
    {
        let live = live.clone();
        use_effect_with(
            (
                props.code.clone(),
                props.highlight,
                props.diagnostics.clone(),
                *mode,
                props.file.clone(),
            ),
            move |(code, highlight, diagnostics, _, file)| {
                if let Some(handle) = &live.borrow().handle {
                    apply(handle, file, code, *highlight, diagnostics);
                }
            },
        );
    }
    // The read-only view keeps the step in sight (scrolling itself only, not the page).
    {
        let view = view.clone();
        use_effect_with((props.highlight, *mode), move |_| {
            let scroller = view.cast::<Element>();
            let mark = scroller
                .as_ref()
                .and_then(|v| v.query_selector("mark").ok().flatten());
            if let (Some(scroller), Some(mark)) = (scroller, mark) {
                keep_visible(&scroller, &mark);
            }
        });
    }
    {
        let live = live.clone();
        use_effect_with((), move |_| {
            move || {
                if let Some(handle) = live.borrow_mut().handle.take() {
                    handle.destroy();
                }
            }
        });
    }

    html! {
        <div class="pg-editor" data-testid="editor" data-mode={mode.name()}
            data-ready={(*mode == Mode::Edit).to_string()}>
            <div ref={host} class="pg-editor-host"></div>
            // An `if` block keeps its place among the children when it turns empty (a bare
            // `for` would not, and Yew would then replace the editor's host).
            if *mode != Mode::Edit {
                <CodeView {view} {text} code={props.code.clone()} highlight={props.highlight}
                    diagnostics={props.diagnostics.clone()} loading={*mode == Mode::Loading}
                    {on_click} {on_key} on_edit={on_edit_button} />
            }
            if let Some(error) = &*failed {
                <p class="error" role="alert">{ format!("The editor could not load ({error}); the code stays read-only. Click it to try again.") }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CodeViewProps {
    view: NodeRef,
    text: NodeRef,
    code: String,
    highlight: Option<(usize, usize)>,
    diagnostics: Vec<Diagnostic>,
    loading: bool,
    on_click: Callback<MouseEvent>,
    on_key: Callback<KeyboardEvent>,
    on_edit: Callback<MouseEvent>,
}

/// 1-based line of a byte offset.
fn line_of(code: &str, at: usize) -> usize {
    code.as_bytes()[..at.min(code.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The read-only code: gutter, coloured text, the step's span as one `<mark>`, diagnostics
/// underlined (with their messages listed under the code, for everyone, not only on hover).
#[function_component(CodeView)]
fn code_view(props: &CodeViewProps) -> Html {
    let code = &props.code;
    let ranges: Vec<_> = props.diagnostics.iter().map(|d| d.from..d.to).collect();
    let segs = segments(code, props.highlight.map(|(a, b)| a..b), &ranges);
    let piece = |s: &Segment| -> Html {
        let text = &code[s.range.clone()];
        let diagnostic = s.diagnostic.and_then(|i| props.diagnostics.get(i));
        if s.token.is_none() && diagnostic.is_none() {
            return html! { { text } };
        }
        let class = classes!(
            s.token.map(|t| t.class()),
            diagnostic.map(|d| format!("pg-diag pg-diag-{}", d.severity))
        );
        html! {
            <span {class} title={diagnostic.map(|d| d.message.clone())}
                data-testid={diagnostic.map(|_| "code-diagnostic")}>{ text }</span>
        }
    };
    // Runs inside the step's span go into one <mark> (the statement, as one element).
    let mut body: Vec<Html> = Vec::new();
    let mut i = 0;
    while i < segs.len() {
        if segs[i].step {
            let end = segs[i..]
                .iter()
                .position(|s| !s.step)
                .map_or(segs.len(), |n| i + n);
            body.push(html! {
                <mark class="cm-step" data-testid="editor-step">{ for segs[i..end].iter().map(piece) }</mark>
            });
            i = end;
        } else {
            body.push(piece(&segs[i]));
            i += 1;
        }
    }
    let flagged: Vec<(usize, &str)> = props
        .diagnostics
        .iter()
        .map(|d| (line_of(code, d.from), d.severity.as_str()))
        .collect();
    let lines = code.split('\n').count();
    let gutter = (1..=lines).map(|n| {
        let severity = flagged.iter().find(|(l, _)| *l == n).map(|(_, s)| *s);
        html! {
            <span class={classes!("pg-ln", severity.map(|s| format!("pg-ln-{s}")))}>{ n }</span>
        }
    });
    html! {
        <>
            <div ref={props.view.clone()} class="pg-code-view" data-testid="code-view" tabindex="0"
                role="textbox" aria-readonly="true" aria-multiline="true" aria-label="JavaScript source"
                aria-describedby="pg-code-hint" aria-busy={props.loading.to_string()}
                onclick={props.on_click.clone()} onkeydown={props.on_key.clone()}
                onfocus={|_| prefetch()}>
                <div class="pg-gutter" aria-hidden="true">{ for gutter }</div>
                <pre class="pg-code-text"><code ref={props.text.clone()}>{ for body }</code></pre>
            </div>
            <div class="pg-code-bar">
                <span id="pg-code-hint" class="pg-code-hint">
                    { if props.loading { "Loading the editor…" } else { "Read-only until you edit: click into the code, or press Enter." } }
                </span>
                <button class="secondary" data-testid="edit-code" onclick={props.on_edit.clone()}
                    disabled={props.loading} onfocus={|_| prefetch()}>
                    { "Edit" }
                </button>
            </div>
            if !props.diagnostics.is_empty() {
                <ul class="pg-code-diags">
                    { for props.diagnostics.iter().map(|d| html! {
                        <li class={format!("pg-diag-msg-{}", d.severity)}>
                            { format!("Line {}: {}", line_of(code, d.from), d.message) }
                        </li>
                    }) }
                </ul>
            }
        </>
    }
}

async fn load(
    host: NodeRef,
    view: NodeRef,
    live: Rc<RefCell<Live>>,
    latest: Rc<RefCell<Shown>>,
    on_change: Callback<String>,
    mode: UseStateHandle<Mode>,
    failed: UseStateHandle<Option<String>>,
) {
    // The learner can try again; the view comes back as it was.
    let give_up = |e: JsValue| {
        let message = Reflect::get(&e, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| format!("{e:?}"));
        *live.borrow_mut() = Live::default();
        if let Some(v) = view.cast::<HtmlElement>() {
            v.set_hidden(false);
        }
        failed.set(Some(message));
        mode.set(Mode::View);
    };
    let module = match JsFuture::from(import_editor()).await {
        Ok(m) => m.unchecked_into::<EditorModule>(),
        Err(e) => return give_up(e),
    };
    let Some(parent) = host.cast::<HtmlElement>() else {
        return;
    };
    // The view goes now, not at the next render, so the two never show together.
    if let Some(v) = view.cast::<HtmlElement>() {
        v.set_hidden(true);
    }
    let closure = Closure::<dyn FnMut(String)>::new(move |text: String| on_change.emit(text));
    let (code, highlight, diagnostics, file) = latest.borrow().clone();
    let options = Object::new();
    let (selection, typed) = {
        let mut live = live.borrow_mut();
        (live.selection.take(), std::mem::take(&mut live.typed))
    };
    if let Some((anchor, head)) = selection {
        let _ = Reflect::set(&options, &"anchor".into(), &anchor.into());
        let _ = Reflect::set(&options, &"head".into(), &head.into());
    }
    let _ = Reflect::set(&options, &"focus".into(), &JsValue::TRUE);
    let _ = Reflect::set(&options, &"file".into(), &file.as_str().into());
    let handle = match module.create(&parent, &code, closure.as_ref().unchecked_ref(), &options) {
        Ok(handle) => handle,
        Err(e) => return give_up(e),
    };
    apply(&handle, &file, &code, highlight, &diagnostics);
    if !typed.is_empty() {
        handle.insert(&typed);
    }
    {
        let mut live = live.borrow_mut();
        live.handle = Some(handle);
        live._on_change = Some(closure);
    }
    mode.set(Mode::Edit);
}
