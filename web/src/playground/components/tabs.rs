//! On narrow screens (a phone) the step's panes become tabs, following the WAI-ARIA tabs
//! pattern: a `tablist` of `tab` buttons (arrow keys move between them, Home/End go to the
//! ends, only the selected tab is in the Tab order), each controlling one pane that becomes its
//! `tabpanel`; the other panels stay in the DOM, `hidden`. Each tab carries a badge with the
//! number of entries its pane lists at this step, and a dot when that number changed since the
//! step shown before, so a learner sees where things are and what moved without opening every
//! tab. On wide screens ([`Layout::Panes`]) no tablist is rendered and the panes
//! keep their side-by-side layout: each pane is rendered once either way.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::playground::timeline::ViewData;

/// One tab: a pane, or one of the three queues of the queues pane.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PaneTab {
    Loop,
    Stack,
    NextTick,
    Microtasks,
    Immediates,
    Timers,
    Io,
    Promises,
}

impl PaneTab {
    /// In the order the panes appear on the page.
    pub const ALL: [PaneTab; 8] = [
        PaneTab::Loop,
        PaneTab::Stack,
        PaneTab::NextTick,
        PaneTab::Microtasks,
        PaneTab::Immediates,
        PaneTab::Timers,
        PaneTab::Io,
        PaneTab::Promises,
    ];

    /// The tab selected when the page opens.
    pub const FIRST_SHOWN: PaneTab = PaneTab::Stack;

    pub fn label(self) -> &'static str {
        match self {
            PaneTab::Loop => "Loop",
            PaneTab::Stack => "Stack",
            PaneTab::NextTick => "nextTick",
            PaneTab::Microtasks => "Microtasks",
            PaneTab::Immediates => "Immediates",
            PaneTab::Timers => "Timers",
            PaneTab::Io => "I/O",
            PaneTab::Promises => "Promises",
        }
    }

    /// Used in element ids and in `data-tab`.
    pub fn slug(self) -> &'static str {
        match self {
            PaneTab::Loop => "loop",
            PaneTab::Stack => "stack",
            PaneTab::NextTick => "nexttick",
            PaneTab::Microtasks => "microtasks",
            PaneTab::Immediates => "immediates",
            PaneTab::Timers => "timers",
            PaneTab::Io => "io",
            PaneTab::Promises => "promises",
        }
    }

    pub fn tab_id(self) -> String {
        format!("pg-tab-{}", self.slug())
    }

    pub fn panel_id(self) -> String {
        format!("pg-panel-{}", self.slug())
    }

    /// The number on the tab's badge: how many entries the pane lists at this step (frames,
    /// queued jobs, timers, operations in flight, promises). The loop drawing has none.
    pub fn count(self, v: &ViewData) -> Option<usize> {
        Some(match self {
            PaneTab::Loop => return None,
            PaneTab::Stack => v.call_stack.len(),
            PaneTab::NextTick => v.next_ticks.len(),
            PaneTab::Microtasks => v.microtasks.len(),
            PaneTab::Immediates => v.immediates.len(),
            PaneTab::Timers => v.timers.len(),
            PaneTab::Io => v.pending_io.len(),
            PaneTab::Promises => v.promises_total as usize,
        })
    }

    /// The tab a key moves the selection to: ←/→ to the neighbour (wrapping round), Home/End
    /// to the first/last tab.
    pub fn after_key(self, key: &str) -> Option<PaneTab> {
        let all = PaneTab::ALL;
        let at = all.iter().position(|t| *t == self).unwrap_or(0);
        Some(match key {
            "ArrowRight" => all[(at + 1) % all.len()],
            "ArrowLeft" => all[(at + all.len() - 1) % all.len()],
            "Home" => all[0],
            "End" => all[all.len() - 1],
            _ => return None,
        })
    }
}

/// How the step's panes are laid out.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Layout {
    /// Side by side, all visible (wide screens).
    Panes,
    /// As tabs, only the selected tab's panel visible (narrow screens).
    Tabs(PaneTab),
}

/// The attributes of a pane's element for [`Layout::panel`].
pub struct PanelAttrs {
    pub id: AttrValue,
    pub role: Option<AttrValue>,
    pub labelled_by: AttrValue,
    pub tab_index: Option<AttrValue>,
    pub hidden: bool,
}

impl Layout {
    /// The attributes that make a pane's element the panel of `tab`: labelled by its own
    /// heading (`title_id`) on wide screens, by its tab and hidden unless selected as tabs.
    pub fn panel(self, tab: PaneTab, title_id: &'static str) -> PanelAttrs {
        let id = AttrValue::from(tab.panel_id());
        match self {
            Layout::Panes => PanelAttrs {
                id,
                role: None,
                labelled_by: AttrValue::Static(title_id),
                tab_index: None,
                hidden: false,
            },
            Layout::Tabs(selected) => PanelAttrs {
                id,
                role: Some(AttrValue::Static("tabpanel")),
                labelled_by: AttrValue::from(tab.tab_id()),
                tab_index: Some(AttrValue::Static("0")),
                hidden: selected != tab,
            },
        }
    }

    /// Whether any of `tabs` is visible (a pane holding several tabs' panels hides when none is).
    pub fn shows_any(self, tabs: &[PaneTab]) -> bool {
        match self {
            Layout::Panes => true,
            Layout::Tabs(selected) => tabs.contains(&selected),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct PaneTabsProps {
    pub view: Rc<ViewData>,
    /// The step shown before this one: tabs whose count differs are marked as changed.
    pub before: Option<Rc<ViewData>>,
    pub selected: PaneTab,
    pub on_select: Callback<PaneTab>,
}

fn focus_tab(tab: PaneTab) {
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&tab.tab_id()))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// The tablist above the panels.
#[function_component(PaneTabs)]
pub fn pane_tabs(props: &PaneTabsProps) -> Html {
    let on_keydown = {
        let selected = props.selected;
        let on_select = props.on_select.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() || e.shift_key() {
                return;
            }
            if let Some(next) = selected.after_key(&e.key()) {
                e.prevent_default();
                on_select.emit(next);
                focus_tab(next);
            }
        })
    };
    html! {
        <div class="pg-tabs" role="tablist" aria-label="Panes of this step" data-testid="pane-tabs" onkeydown={on_keydown}>
            { for PaneTab::ALL.iter().map(|&tab| {
                let selected = tab == props.selected;
                let count = tab.count(&props.view).filter(|n| *n > 0);
                let changed = props
                    .before
                    .as_ref()
                    .is_some_and(|b| tab.count(b) != tab.count(&props.view));
                let onclick = {
                    let on_select = props.on_select.clone();
                    Callback::from(move |_: MouseEvent| on_select.emit(tab))
                };
                html! {
                    <button type="button" role="tab" class="pg-tab" id={tab.tab_id()} data-tab={tab.slug()}
                        aria-selected={selected.to_string()} aria-controls={tab.panel_id()} data-changed={changed.to_string()}
                        tabindex={if selected { "0" } else { "-1" }} {onclick}>
                        <span>{ tab.label() }</span>
                        if let Some(n) = count {
                            // A space, so the tab's name reads "Microtasks 2".
                            { " " }<span class="pg-tab-count" data-testid="tab-count">{ n }</span>
                        }
                        if changed {
                            <span class="pg-tab-changed" title="Changed at this step">
                                <span aria-hidden="true">{ "•" }</span><span class="visually-hidden">{ " (changed)" }</span>
                            </span>
                        }
                    </button>
                }
            }) }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_move_round_the_tabs() {
        assert_eq!(
            PaneTab::Loop.after_key("ArrowLeft"),
            Some(PaneTab::Promises)
        );
        assert_eq!(
            PaneTab::Promises.after_key("ArrowRight"),
            Some(PaneTab::Loop)
        );
        assert_eq!(
            PaneTab::Stack.after_key("ArrowRight"),
            Some(PaneTab::NextTick)
        );
        assert_eq!(PaneTab::Timers.after_key("Home"), Some(PaneTab::Loop));
        assert_eq!(PaneTab::Stack.after_key("End"), Some(PaneTab::Promises));
        assert_eq!(PaneTab::Stack.after_key("a"), None);
    }

    #[test]
    fn only_the_selected_panel_shows_as_tabs() {
        let tabs = Layout::Tabs(PaneTab::Microtasks);
        assert!(tabs.panel(PaneTab::Stack, "t").hidden);
        let shown = tabs.panel(PaneTab::Microtasks, "t");
        assert!(!shown.hidden);
        assert_eq!(shown.labelled_by.as_str(), "pg-tab-microtasks");
        assert!(tabs.shows_any(&[PaneTab::NextTick, PaneTab::Microtasks]));
        assert!(!tabs.shows_any(&[PaneTab::Timers]));
        let wide = Layout::Panes.panel(PaneTab::Stack, "pg-stack-title");
        assert!(!wide.hidden && wide.role.is_none());
        assert_eq!(wide.labelled_by.as_str(), "pg-stack-title");
        assert!(Layout::Panes.shows_any(&[PaneTab::Timers]));
    }
}
