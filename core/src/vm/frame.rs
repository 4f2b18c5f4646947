//! Frames and exception handlers: a JavaScript call is a [`Frame`] on [`Vm::frames`], not
//! a Rust call, and a suspended `await` or `yield` keeps its frame (with its part of the
//! value stack) on the heap until it resumes.

use super::Vm;
use crate::heap::EnvId;
use crate::value::{ObjId, Value};

/// An exception handler installed by `PushHandler`.
#[derive(Clone, Debug)]
pub struct Handler {
    pub pc: u32,
    /// Number of the frame's operands (above [`Frame::operand_base`]) to keep.
    pub stack_len: u32,
    pub env: EnvId,
}

/// How a frame's completion is delivered.
#[derive(Clone, Debug)]
pub enum FrameKind {
    Normal,
    Construct,
    Async {
        promise: ObjId,
        /// The async-frame holder and its two resume functions (created on first await).
        holder: Option<(ObjId, ObjId, ObjId)>,
    },
    Generator {
        gen: ObjId,
    },
}

/// One activation record, held on the heap-allocated frame stack.
///
/// A running frame's arguments and operands live on the VM's one value stack
/// ([`Vm::stack`]): the arguments at `args_base..args_base + argc` (where the caller pushed
/// them, so a call copies nothing), the operands above them. A frame that suspends (`await`,
/// `yield`) moves that region into `saved` and gets it back, at a new place, when it resumes.
#[derive(Debug)]
pub struct Frame {
    pub func: u32,
    pub pc: u32,
    /// Index in [`Vm::stack`] of the first argument (of a running frame).
    pub args_base: u32,
    pub argc: u32,
    /// Index in [`Vm::stack`] the stack is cut back to when the frame goes away: below its
    /// arguments, and below the callee and `this` slots when the caller pushed those.
    pub drop_to: u32,
    pub env: EnvId,
    pub handlers: Vec<Handler>,
    pub callee: ObjId,
    pub new_target: Value,
    pub kind: FrameKind,
    /// A suspended frame's arguments and operands (empty while it runs).
    pub saved: Vec<Value>,
}

impl Frame {
    /// Index in [`Vm::stack`] of the frame's first operand.
    #[inline(always)]
    pub fn operand_base(&self) -> usize {
        (self.args_base + self.argc) as usize
    }
}

impl Vm {
    /// Moves a suspending frame's arguments and operands off the value stack into the frame.
    #[inline]
    pub(in crate::vm) fn detach(&mut self, f: &mut Frame) {
        let at = (f.args_base as usize).min(self.stack.len());
        f.saved = self.stack.split_off(at);
        self.stack.truncate(f.drop_to as usize);
    }

    /// Puts a resuming frame's arguments and operands back on top of the value stack.
    #[inline]
    pub(in crate::vm) fn attach(&mut self, f: &mut Frame) {
        let at = self.stack.len() as u32;
        f.args_base = at;
        f.drop_to = at;
        self.stack.append(&mut f.saved);
    }

    /// Pops the frames from index `base` up, with their part of the value stack.
    #[inline]
    pub(in crate::vm) fn drop_frames(&mut self, base: usize) {
        if let Some(f) = self.frames.get(base) {
            let to = f.drop_to as usize;
            self.stack.truncate(to);
        }
        self.frames.truncate(base);
    }
}
