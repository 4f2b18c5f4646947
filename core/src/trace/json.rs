//! Serialisation: the whole trace as one JSON document (the format `looplab trace FILE`
//! writes, versioned by [`FORMAT_VERSION`]; see `docs/trace.md`, "JSON").

use super::{ConsoleLine, FunctionInfo, StatementInfo, StepView, Trace, Val, FORMAT_VERSION};
use serde::Serialize;

fn is_false(b: &bool) -> bool {
    !*b
}

impl Trace {
    /// The whole trace as JSON (see `docs/trace.md`).
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Out<'a> {
            format: &'static str,
            version: u32,
            threadpool_size: u32,
            /// The run went on after the trace's last step.
            #[serde(skip_serializing_if = "is_false")]
            truncated: bool,
            agents: &'a [(u32, u16)],
            functions: &'a [FunctionInfo],
            statements: &'a [StatementInfo],
            files: &'a [(String, String)],
            strings: &'a [String],
            values: &'a [Val],
            console: &'a [ConsoleLine],
            #[serde(skip_serializing_if = "Option::is_none")]
            machine: &'a Option<crate::machine::MachineReport>,
            steps: Vec<StepView>,
        }
        let mut steps = Vec::with_capacity(self.len());
        let mut c = self.cursor();
        for i in 0..self.len() {
            steps.push(self.step_from(i, c.state()));
            c.forward();
        }
        let out = Out {
            format: "looplab-trace",
            version: FORMAT_VERSION,
            threadpool_size: self.threadpool_size,
            truncated: self.truncated,
            agents: &self.agents,
            functions: &self.functions,
            statements: &self.statements,
            files: &self.files,
            strings: &self.strings,
            values: &self.values,
            console: &self.console,
            machine: &self.machine,
            steps,
        };
        serde_json::to_string(&out).unwrap_or_default()
    }
}
