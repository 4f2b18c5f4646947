//! The playground's single state and its reducer. Every change the page makes goes through an
//! [`Action`]; side effects (the worker, the editor, the URL, storage) live in components and
//! hooks and only dispatch actions. Pure: tested natively.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::Reducible;

use super::gallery;
use super::project::{self, Project, DEFAULT_MAIN, MAX_FILES};
use super::protocol::{Diagnostic, RunResult, Settings};
use super::timeline::{nav_target, Nav, Timeline, ViewData};

/// The colour theme the user chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Follow `prefers-color-scheme`.
    Auto,
    Light,
    Dark,
}

impl Theme {
    /// Light → dark → follow the system → light …
    pub fn next(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Auto,
            Theme::Auto => Theme::Light,
        }
    }

    /// The `data-theme` attribute value (`None`: follow the system).
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::Auto => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Theme::Auto => "Theme: system",
            Theme::Light => "Theme: light",
            Theme::Dark => "Theme: dark",
        }
    }

    pub fn parse(text: &str) -> Theme {
        match text {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::Auto,
        }
    }
}

/// Where the current run stands.
#[derive(Clone, Debug, PartialEq)]
pub enum RunStatus {
    /// Nothing running; the result (if any) is for the current code.
    Idle,
    /// The worker is running request `id`; `steps` executed so far.
    Running { id: u32, steps: u64 },
    /// The last run was cancelled by the user.
    Cancelled,
    /// The worker failed (not the program: the program's errors are console output).
    Failed(String),
}

/// The whole playground state.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The main file's text: the program that runs.
    pub code: String,
    /// The project's other files (name → text); empty for a one-file program.
    pub files: BTreeMap<String, String>,
    /// The main file's name (`main.js` unless a link says otherwise).
    pub main: String,
    /// The file shown in the editor: `main` or one of `files`.
    pub active: String,
    pub settings: Settings,
    /// The gallery example the code came from (what "reset to example" restores).
    pub example: &'static str,
    pub status: RunStatus,
    /// The last run that started: kept visible (greyed) while the code has a syntax error.
    pub result: Option<Rc<RunResult>>,
    /// Problems in the current code (shown inline in the editor).
    pub diagnostics: Vec<Diagnostic>,
    /// True when `result` belongs to an earlier version of the code.
    pub stale: bool,
    /// The code before the last "reset to example" or gallery pick, for one-click undo.
    pub undo: Option<String>,
    /// The rest of the project at that moment (its main file's name and other files).
    pub undo_files: Option<(String, BTreeMap<String, String>)>,
    /// A message for the user (bad link, copied link, …).
    pub notice: Option<String>,
    pub theme: Theme,
    pub presentation: bool,
    /// The concept page open over the panes.
    pub concept: Option<&'static str>,
    /// The run `result` came from (its trace is in the worker).
    pub result_run: u32,
    /// The step shown (an index into the trace of `result`).
    pub step: u32,
    /// The step to open once the first run is done (from the URL).
    pub initial_step: Option<u32>,
    /// The latest view request: (number, from step, where to go). The view hook sends it.
    pub request: Option<(u32, u32, Nav)>,
    /// The latest view the worker sent (it may lag behind `step` while the user scrubs).
    pub view: Option<Rc<ViewData>>,
    pub playing: bool,
    /// Steps per second while playing.
    pub speed: u32,
    /// Whether the simulator has been asked for. A fresh page only shows the code (predict
    /// first!) and loads the simulator — a second, larger WebAssembly module — on the first
    /// run, step, play or edit, or at once for a link that opens at a step. From then on every
    /// change of code or settings re-runs it.
    pub simulator: bool,
}

impl Default for State {
    fn default() -> Self {
        let example = gallery::first();
        State {
            code: example.source.to_string(),
            files: BTreeMap::new(),
            main: DEFAULT_MAIN.to_string(),
            active: DEFAULT_MAIN.to_string(),
            settings: Settings::default(),
            example: example.slug,
            status: RunStatus::Idle,
            result: None,
            diagnostics: Vec::new(),
            stale: false,
            undo: None,
            undo_files: None,
            notice: None,
            theme: Theme::Auto,
            presentation: false,
            concept: None,
            result_run: 0,
            step: 0,
            initial_step: None,
            request: None,
            view: None,
            playing: false,
            speed: 5,
            simulator: false,
        }
    }
}

/// Everything that can happen to the state.
pub enum Action {
    /// The user edited the code (of the file in the editor).
    Edit(String),
    /// Show another file of the project in the editor.
    SelectFile(String),
    /// Add an empty file (and show it).
    AddFile(String),
    RenameFile {
        from: String,
        to: String,
    },
    /// Delete a file (not the main one).
    DeleteFile(String),
    /// Replace the whole project (a link pasted into an open page); undoable.
    LoadProject(Project),
    /// Open a gallery example (the previous code becomes undoable).
    LoadExample(&'static str),
    /// Put the current example's original code back (undoable).
    ResetToExample,
    /// Undo the last example load or reset.
    Undo,
    /// Run the code (the first run of a page load also loads the simulator).
    StartSimulator,
    SetSettings(Settings),
    /// The worker accepted run `id`.
    RunStarted(u32),
    Progress {
        id: u32,
        steps: u64,
    },
    RunDone {
        id: u32,
        result: Rc<RunResult>,
    },
    RunFailed {
        id: u32,
        message: String,
    },
    /// The simulator's engine trapped (a Looplab bug) while running or answering a view: the
    /// worker was restarted and the trace it held is gone. `message` is the trap's own text.
    Crashed {
        message: String,
    },
    Cancelled,
    Notice(Option<String>),
    CycleTheme,
    SetTheme(Theme),
    TogglePresentation,
    OpenConcept(Option<&'static str>),
    /// Move through the trace (buttons, keys).
    Navigate(Nav),
    /// Jump to a step (scrubber).
    Seek(u32),
    /// The worker sent the view of a step.
    ViewReady(Rc<ViewData>),
    TogglePlay,
    /// One tick of play: the next step, or stop at the end.
    PlayTick,
    SetSpeed(u32),
}

impl State {
    fn running_id(&self) -> Option<u32> {
        match self.status {
            RunStatus::Running { id, .. } => Some(id),
            _ => None,
        }
    }

    /// True while the worker is busy with the latest request.
    pub fn running(&self) -> bool {
        self.running_id().is_some()
    }

    /// The shown trace's timeline, if the last good run was recorded.
    pub fn timeline(&self) -> Option<&Timeline> {
        self.result.as_ref().and_then(|r| r.timeline.as_ref())
    }

    /// The number of steps in the shown trace (0 without one).
    pub fn trace_len(&self) -> u32 {
        self.timeline().map_or(0, |t| t.len)
    }

    /// Asks the worker where `nav` leads from `from` (the view hook sends the request).
    fn ask(&mut self, from: u32, nav: Nav) {
        let seq = self.request.map_or(1, |r| r.0 + 1);
        self.request = Some((seq, from, nav));
    }

    /// Shows step `step` (clamped to the trace).
    fn seek(&mut self, step: u32) {
        if self.trace_len() == 0 {
            return;
        }
        self.step = step.min(self.trace_len() - 1);
        self.ask(self.step, Nav::Seek);
    }

    /// Moves as `nav` says: at once when the target is known here, else through the worker
    /// (which answers with the target's view).
    fn navigate(&mut self, nav: Nav) {
        let len = self.trace_len();
        if len == 0 {
            return;
        }
        if nav.needs_trace() {
            self.ask(self.step, nav);
        } else {
            let target = nav_target(nav, self.step, len, &[], |_| None);
            self.seek(target);
        }
    }

    fn replace_code(&mut self, code: String) {
        self.replace_project(Project::single(code));
    }

    /// The whole project: the main file and the others.
    pub fn project(&self) -> Project {
        let mut files = self.files.clone();
        files.insert(self.main.clone(), self.code.clone());
        Project {
            files,
            main: self.main.clone(),
        }
    }

    /// Every file name, the main file first, then the others by name.
    pub fn file_names(&self) -> Vec<String> {
        std::iter::once(self.main.clone())
            .chain(self.files.keys().cloned())
            .collect()
    }

    /// The text of the file in the editor.
    pub fn active_text(&self) -> &str {
        if self.active == self.main {
            &self.code
        } else {
            self.files.get(&self.active).map_or("", String::as_str)
        }
    }

    /// Takes `project` as the current one (without undo), showing its main file.
    pub fn set_project(&mut self, project: Project) {
        let Project { mut files, main } = project;
        self.code = files.remove(&main).unwrap_or_default();
        self.files = files;
        self.active = main.clone();
        self.main = main;
    }

    /// Replaces the project (undoable) when it differs from the current one.
    fn replace_project(&mut self, project: Project) {
        if project != self.project() {
            self.undo = Some(self.code.clone());
            self.undo_files = Some((self.main.clone(), self.files.clone()));
            self.set_project(project);
            self.stale = true;
        }
        self.active = self.main.clone();
    }

    /// The project's files changed: the run is out of date, and it is an edit.
    fn files_changed(&mut self) {
        self.stale = true;
        self.simulator = true;
    }

    fn has_file(&self, name: &str) -> bool {
        name == self.main || self.files.contains_key(name)
    }

    fn add_file(&mut self, name: String) -> Result<(), String> {
        project::check_name(&name)?;
        if self.has_file(&name) {
            return Err(format!("There is a file named {name} already."));
        }
        if self.files.len() + 1 >= MAX_FILES {
            return Err(format!("A project has at most {MAX_FILES} files."));
        }
        self.files.insert(name.clone(), String::new());
        self.active = name;
        self.files_changed();
        Ok(())
    }

    fn rename_file(&mut self, from: &str, to: String) -> Result<(), String> {
        if from == to {
            return Ok(());
        }
        project::check_name(&to)?;
        if self.has_file(&to) {
            return Err(format!("There is a file named {to} already."));
        }
        if from == self.main {
            self.main = to.clone();
        } else {
            let text = self
                .files
                .remove(from)
                .ok_or_else(|| format!("There is no file named {from}."))?;
            self.files.insert(to.clone(), text);
        }
        if self.active == from {
            self.active = to;
        }
        self.files_changed();
        Ok(())
    }

    fn delete_file(&mut self, name: &str) -> Result<(), String> {
        if name == self.main {
            return Err(format!(
                "{name} is the file that runs; it cannot be deleted (rename it instead)."
            ));
        }
        if self.files.remove(name).is_some() {
            if self.active == name {
                self.active = self.main.clone();
            }
            self.files_changed();
        }
        Ok(())
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edit(code) => {
                if next.active != next.main {
                    if let Some(text) = next.files.get_mut(&next.active) {
                        if *text != code {
                            *text = code;
                            next.files_changed();
                        }
                    }
                } else if code != next.code {
                    next.code = code;
                    next.stale = true;
                    next.simulator = true;
                }
            }
            Action::SelectFile(name) => {
                if next.has_file(&name) {
                    next.active = name;
                }
            }
            Action::AddFile(name) => {
                if let Err(why) = next.add_file(name) {
                    next.notice = Some(why);
                }
            }
            Action::RenameFile { from, to } => {
                if let Err(why) = next.rename_file(&from, to) {
                    next.notice = Some(why);
                }
            }
            Action::DeleteFile(name) => {
                if let Err(why) = next.delete_file(&name) {
                    next.notice = Some(why);
                }
            }
            Action::LoadProject(project) => next.replace_project(project),
            Action::StartSimulator => next.simulator = true,
            Action::LoadExample(slug) => {
                if let Some(example) = gallery::find(slug) {
                    next.example = example.slug;
                    next.replace_code(example.source.to_string());
                    next.concept = None;
                }
            }
            Action::ResetToExample => {
                if let Some(example) = gallery::find(next.example) {
                    next.replace_code(example.source.to_string());
                }
            }
            Action::Undo => {
                if let Some(code) = next.undo.take() {
                    next.code = code;
                    if let Some((main, files)) = next.undo_files.take() {
                        next.main = main;
                        next.files = files;
                    }
                    next.active = next.main.clone();
                    next.stale = true;
                }
            }
            Action::SetSettings(settings) => {
                let (settings, notes) = settings.clamp_report();
                if !notes.is_empty() {
                    next.notice = Some(notes.join(" "));
                }
                if settings != next.settings {
                    next.settings = settings;
                    next.stale = true;
                }
            }
            Action::RunStarted(id) => {
                next.status = RunStatus::Running { id, steps: 0 };
                next.simulator = true;
            }
            Action::Progress { id, steps } => {
                if next.running_id() != Some(id) {
                    return self;
                }
                next.status = RunStatus::Running { id, steps };
            }
            Action::RunDone { id, result } => {
                if next.running_id() != Some(id) {
                    return self;
                }
                next.status = RunStatus::Idle;
                next.diagnostics = result.diagnostics.clone();
                if result.failed_to_start() {
                    // Keep the last good run on screen, greyed.
                    next.stale = next.result.is_some();
                } else {
                    next.result = Some(result);
                    next.result_run = id;
                    next.stale = false;
                    next.view = None;
                    next.playing = false;
                    // A finished run opens at its end (the console as Node prints it), or at
                    // the step a link asked for.
                    let step = next.initial_step.take().unwrap_or(u32::MAX);
                    next.seek(step);
                }
            }
            Action::RunFailed { id, message } => {
                if next.running_id() != Some(id) {
                    return self;
                }
                next.status = RunStatus::Failed(message);
            }
            Action::Crashed { message } => {
                next.status = RunStatus::Failed(crash_message(&message));
                next.stale = next.result.is_some();
                next.playing = false;
            }
            Action::Cancelled => next.status = RunStatus::Cancelled,
            Action::Notice(notice) => next.notice = notice,
            Action::CycleTheme => next.theme = next.theme.next(),
            Action::SetTheme(theme) => next.theme = theme,
            Action::TogglePresentation => next.presentation = !next.presentation,
            Action::OpenConcept(slug) => next.concept = slug,
            // Stepping keys before the first run start it (the run opens at its end).
            Action::Navigate(_) | Action::TogglePlay if !next.simulator => next.simulator = true,
            Action::Navigate(nav) => {
                next.playing = false;
                next.navigate(nav);
            }
            Action::Seek(step) => next.seek(step),
            Action::ViewReady(view) => {
                if view.run != next.result_run || next.result.is_none() {
                    return self;
                }
                // The answer to the latest request decides the step; an older answer (the user
                // kept scrubbing) is shown meanwhile.
                if next.request.map(|r| r.0) == Some(view.request) {
                    next.step = view.step;
                }
                next.view = Some(view);
            }
            Action::TogglePlay => {
                next.playing = !next.playing && next.trace_len() > 0;
                if next.playing && next.step + 1 >= next.trace_len() {
                    next.seek(0);
                }
            }
            Action::PlayTick => {
                if !next.playing {
                    return self;
                }
                if next.step + 1 >= next.trace_len() {
                    next.playing = false;
                } else {
                    let step = next.step + 1;
                    next.seek(step);
                }
            }
            Action::SetSpeed(speed) => next.speed = speed.clamp(1, 1000),
        }
        Rc::new(next)
    }
}

/// What the page says when the simulator's engine trapped.
pub fn crash_message(trap: &str) -> String {
    format!(
        "The simulator crashed on this program — this is a Looplab bug, not a mistake in your \
         code. The simulator was restarted and your code is kept: edit it to run again. (The \
         engine stopped with \"{trap}\".)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(diagnostics: Vec<Diagnostic>) -> Rc<RunResult> {
        Rc::new(RunResult {
            timeline: None,
            console: vec![],
            exit_code: 0,
            steps: 1,
            virtual_time_ns: 0,
            nondeterministic: vec![],
            diagnostics,
            elapsed_ms: 0.0,
        })
    }

    fn apply(state: Rc<State>, actions: Vec<Action>) -> Rc<State> {
        actions.into_iter().fold(state, |s, a| s.reduce(a))
    }

    #[test]
    fn the_simulator_is_asked_for_only_by_the_learner() {
        let fresh = Rc::new(State::default());
        assert!(!fresh.simulator, "a fresh page only shows the code");
        let picked = apply(fresh.clone(), vec![Action::LoadExample("queues")]);
        assert!(!picked.simulator, "picking an example is not running it");
        for (label, action) in [
            ("run", Action::StartSimulator),
            ("edit", Action::Edit("console.log(1)".into())),
            ("End key", Action::Navigate(Nav::End)),
            ("play", Action::TogglePlay),
        ] {
            assert!(fresh.clone().reduce(action).simulator, "{label} starts it");
        }
        // Typing the same text again (an editor echo) is no edit.
        let same = fresh.clone().reduce(Action::Edit(fresh.code.clone()));
        assert!(!same.simulator);
    }

    #[test]
    fn a_syntax_error_keeps_the_last_good_run_greyed() {
        let good = result(vec![]);
        let s = apply(
            Rc::new(State::default()),
            vec![
                Action::RunStarted(1),
                Action::RunDone {
                    id: 1,
                    result: good.clone(),
                },
                Action::Edit("let (".into()),
                Action::RunStarted(2),
            ],
        );
        assert!(s.stale && s.running());
        let bad = result(vec![Diagnostic {
            from: 4,
            to: 5,
            message: "SyntaxError: x".into(),
            severity: "error".into(),
        }]);
        let s = s.reduce(Action::RunDone { id: 2, result: bad });
        assert_eq!(s.result.as_ref(), Some(&good));
        assert!(s.stale);
        assert_eq!(s.diagnostics.len(), 1);
        assert_eq!(s.status, RunStatus::Idle);
    }

    #[test]
    fn a_crash_ends_the_run_keeps_the_code_and_greys_the_last_result() {
        let s = apply(
            Rc::new(State::default()),
            vec![
                Action::RunStarted(1),
                Action::RunDone {
                    id: 1,
                    result: result(vec![]),
                },
                Action::Edit("crash();".into()),
                Action::RunStarted(2),
                Action::Crashed {
                    message: "unreachable".into(),
                },
            ],
        );
        assert!(!s.running() && s.stale && s.result.is_some());
        assert_eq!(s.code, "crash();");
        let RunStatus::Failed(text) = &s.status else {
            panic!("{:?}", s.status)
        };
        assert!(
            text.contains("Looplab bug") && text.contains("\"unreachable\""),
            "{text}"
        );
        // The next run (on the restarted worker) goes on as usual.
        let s = s.reduce(Action::RunStarted(3));
        assert!(s.running());
    }

    #[test]
    fn late_replies_of_superseded_runs_are_ignored() {
        let s = apply(
            Rc::new(State::default()),
            vec![Action::RunStarted(1), Action::RunStarted(2)],
        );
        let s = s.reduce(Action::RunDone {
            id: 1,
            result: result(vec![]),
        });
        assert!(s.result.is_none() && s.running());
        let s = s.reduce(Action::Progress { id: 2, steps: 10 });
        assert_eq!(s.status, RunStatus::Running { id: 2, steps: 10 });
    }

    #[test]
    fn reset_to_example_is_undoable() {
        let s = apply(
            Rc::new(State::default()),
            vec![Action::Edit("my code".into()), Action::ResetToExample],
        );
        assert_eq!(s.code, gallery::first().source);
        let s = s.reduce(Action::Undo);
        assert_eq!(s.code, "my code");
        assert!(s.undo.is_none());
        // Loading an example is undoable too, and remembers which example to reset to.
        let s = s.reduce(Action::LoadExample("queues"));
        assert_eq!(s.example, "queues");
        assert_eq!(s.undo.as_deref(), Some("my code"));
        let s = s.reduce(Action::LoadExample("no-such-example"));
        assert_eq!(s.example, "queues");
    }

    #[test]
    fn settings_are_clamped_and_mark_the_run_stale() {
        let s = Rc::new(State::default()).reduce(Action::SetSettings(Settings {
            pool: 500,
            io_us: 10,
            instr_ns: 10,
            ..Settings::default()
        }));
        assert_eq!(s.settings.pool, 128);
        assert!(s.stale);
        assert!(s.notice.as_deref().is_some_and(|n| n.contains("pool=500")));
    }

    fn traced() -> Rc<State> {
        let mut r = (*result(vec![])).clone();
        r.timeline = Some(Timeline {
            len: 6,
            truncated: false,
            markers: vec![],
        });
        apply(
            Rc::new(State::default()),
            vec![
                Action::RunStarted(1),
                Action::RunDone {
                    id: 1,
                    result: Rc::new(r),
                },
            ],
        )
    }

    fn view(s: &State, step: u32) -> Rc<ViewData> {
        Rc::new(ViewData {
            run: s.result_run,
            request: s.request.map_or(0, |r| r.0),
            step,
            ..Default::default()
        })
    }

    #[test]
    fn navigation_moves_within_the_trace() {
        let s = traced();
        assert_eq!(s.trace_len(), 6);
        // A finished run opens at its end and asks for that view.
        assert_eq!(s.step, 5);
        assert_eq!(s.request.map(|r| (r.1, r.2)), Some((5, Nav::Seek)));
        let s = s.reduce(Action::Navigate(Nav::Start));
        assert_eq!(s.step, 0);
        let s = s.reduce(Action::Navigate(Nav::Back));
        assert_eq!(s.step, 0);
        let s = s.reduce(Action::Navigate(Nav::Forward));
        assert_eq!(s.step, 1);
        let s = s.reduce(Action::Seek(99));
        assert_eq!(s.step, 5);
        let s = s.reduce(Action::Navigate(Nav::End));
        assert_eq!(s.step, 5);
        // Step over and callbacks need the trace: the worker's answer moves the step.
        let s = s.reduce(Action::Navigate(Nav::Start));
        let s = s.reduce(Action::Navigate(Nav::NextCallback));
        assert_eq!(s.step, 0);
        assert_eq!(s.request.map(|r| (r.1, r.2)), Some((0, Nav::NextCallback)));
        let answer = view(&s, 4);
        let s = s.reduce(Action::ViewReady(answer));
        assert_eq!(s.step, 4);
        assert_eq!(s.view.as_ref().map(|v| v.step), Some(4));
    }

    #[test]
    fn older_answers_show_but_do_not_move_the_step() {
        let s = traced().reduce(Action::Seek(1));
        let old = view(&s, 1);
        let s = s.reduce(Action::Seek(3));
        let s = s.reduce(Action::ViewReady(old));
        assert_eq!((s.step, s.view.as_ref().map(|v| v.step)), (3, Some(1)));
        // Views of another run are dropped.
        let mut other = (*view(&s, 2)).clone();
        other.run = 99;
        let s = s.reduce(Action::ViewReady(Rc::new(other)));
        assert_eq!(s.view.as_ref().map(|v| v.step), Some(1));
    }

    #[test]
    fn play_advances_and_stops_at_the_end() {
        let s = traced().reduce(Action::Seek(4)).reduce(Action::TogglePlay);
        assert!(s.playing);
        let s = s.reduce(Action::PlayTick);
        assert_eq!((s.step, s.playing), (5, true));
        let s = s.reduce(Action::PlayTick);
        assert!(!s.playing);
        // Play at the end starts over.
        let s = s.reduce(Action::TogglePlay);
        assert_eq!((s.step, s.playing), (0, true));
        // Without a trace there is nothing to play.
        assert!(!Rc::new(State::default()).reduce(Action::TogglePlay).playing);
    }

    #[test]
    fn theme_cycles_through_three_states() {
        let t = Theme::Light;
        assert_eq!(t.next().next().next(), t);
        assert_eq!(Theme::parse("dark").attribute(), Some("dark"));
        assert_eq!(Theme::parse("?"), Theme::Auto);
    }

    #[test]
    fn files_are_added_renamed_edited_and_deleted() {
        let s = apply(
            Rc::new(State::default()),
            vec![
                Action::Edit("new Worker('./worker.js')".into()),
                Action::AddFile("worker.js".into()),
            ],
        );
        assert_eq!(s.active, "worker.js");
        assert_eq!(s.active_text(), "");
        let s = s.reduce(Action::Edit("console.log(1)".into()));
        assert_eq!(s.files["worker.js"], "console.log(1)");
        assert_eq!(s.code, "new Worker('./worker.js')", "main untouched");
        assert_eq!(s.file_names(), ["main.js", "worker.js"]);
        // A taken or bad name is refused with a notice, nothing changes.
        let refused = s.clone().reduce(Action::AddFile("main.js".into()));
        assert_eq!(refused.files.len(), 1);
        assert!(refused.notice.as_deref().unwrap().contains("already"));
        let refused = s.clone().reduce(Action::RenameFile {
            from: "worker.js".into(),
            to: "../x.js".into(),
        });
        assert!(refused.files.contains_key("worker.js") && refused.notice.is_some());
        // Renaming the main file keeps it the one that runs.
        let s = s.reduce(Action::RenameFile {
            from: "main.js".into(),
            to: "app.js".into(),
        });
        assert_eq!(
            (s.main.as_str(), s.active.as_str()),
            ("app.js", "worker.js")
        );
        let p = s.project();
        assert_eq!(p.main, "app.js");
        assert_eq!(p.main_text(), "new Worker('./worker.js')");
        let s = s.reduce(Action::SelectFile("app.js".into()));
        assert_eq!(s.active_text(), "new Worker('./worker.js')");
        let s = s.reduce(Action::SelectFile("nope.js".into()));
        assert_eq!(s.active, "app.js");
        // The main file cannot be deleted; another can, and the editor falls back to main.
        let s = s.reduce(Action::DeleteFile("app.js".into()));
        assert!(s.notice.as_deref().unwrap().contains("cannot be deleted"));
        let s = s
            .reduce(Action::SelectFile("worker.js".into()))
            .reduce(Action::DeleteFile("worker.js".into()));
        assert!(s.files.is_empty());
        assert_eq!(s.active, "app.js");
        assert!(s.stale && s.simulator);
    }

    #[test]
    fn a_loaded_project_and_an_example_are_undoable_as_a_whole() {
        let mut project = Project::single("require('./a.js')");
        project
            .files
            .insert("a.js".into(), "console.log('a')".into());
        let s = Rc::new(State::default()).reduce(Action::LoadProject(project.clone()));
        assert_eq!(s.project(), project);
        assert_eq!(s.active, "main.js");
        let s = s
            .reduce(Action::SelectFile("a.js".into()))
            .reduce(Action::LoadExample("queues"));
        assert!(s.files.is_empty() && s.active == "main.js");
        let s = s.reduce(Action::Undo);
        assert_eq!(s.project(), project);
        let s = s.reduce(Action::ResetToExample).reduce(Action::Undo);
        assert_eq!(s.project(), project);
        // Too many files: refused.
        let mut s = (*s).clone();
        for i in 0..MAX_FILES {
            s = (*Rc::new(s).reduce(Action::AddFile(format!("f{i}.js")))).clone();
        }
        assert_eq!(s.project().files.len(), MAX_FILES);
        assert!(s.notice.as_deref().unwrap().contains("at most"));
    }
}
