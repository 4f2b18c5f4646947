//! The playground's small components. Each takes plain props and typed callbacks; none holds
//! state of its own beyond what its DOM needs (the state is in [`super::state`]).
//!
//! [`stepper`], [`panes`] and [`narration`] render the current step of a recorded trace (the
//! [`super::timeline`] data the simulator worker sends); [`tabs`] turns the panes into tabs on
//! narrow screens; [`files`] are the project's file tabs.

pub mod concept;
pub mod console;
pub mod editor;
pub mod files;
pub mod gallery;
pub mod narration;
pub mod panes;
pub mod settings;
pub mod stepper;
pub mod tabs;
pub mod toolbar;
