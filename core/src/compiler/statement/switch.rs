//! `switch`: the discriminant kept on the stack while the case tests run, then the case
//! bodies in order (fall-through) as one break target.

use crate::bytecode::Instr;
use crate::compiler::jump_control::Control;
use crate::compiler::scope::collect_lexical;
use crate::compiler::{CResult, Compiler};
use oxc_ast::ast::*;

impl<'a> Compiler<'a> {
    pub(super) fn switch(
        &mut self,
        sw: &'a SwitchStatement<'a>,
        labels: Vec<String>,
    ) -> CResult<()> {
        self.expr(&sw.discriminant)?;
        let mut lex = Vec::new();
        for c in &sw.cases {
            collect_lexical(&c.consequent, &mut lex);
        }
        let pushed = self.push_block_scope(&lex, sw.span);
        for c in &sw.cases {
            self.hoist_functions(&c.consequent)?;
        }
        // discriminant stays on the stack during tests
        let mut case_jumps = vec![];
        for c in &sw.cases {
            if let Some(t) = &c.test {
                self.emit(Instr::Dup);
                self.expr(t)?;
                self.emit(Instr::StrictEq);
                case_jumps.push(Some(self.emit(Instr::JumpIfTrue(0))));
            } else {
                case_jumps.push(None);
            }
        }
        let to_default = self.emit(Instr::Jump(0));
        self.cur().controls.push(Control::Extra);
        self.cur().controls.push(Control::Breakable {
            labels,
            is_loop: false,
            breaks: vec![],
            continues: vec![],
        });
        let mut default_at = None;
        for (i, c) in sw.cases.iter().enumerate() {
            let h = self.here();
            match case_jumps[i] {
                Some(j) => self.patch(j, h),
                None => default_at = Some(h),
            }
            self.stmts(&c.consequent)?;
        }
        let brk = self.here();
        self.finish_loop(brk, brk);
        self.cur().controls.pop(); // Extra
        let end_jump = self.emit(Instr::Jump(0));
        let no_match = self.here();
        match default_at {
            Some(d) => self.patch(to_default, d),
            None => self.patch(to_default, no_match),
        }
        let after_default_fix = self.here();
        let _ = after_default_fix;
        if default_at.is_none() {
            // no match: fall to end
        }
        let end = self.here();
        self.patch(end_jump, end);
        // both paths arrive here with the discriminant on the stack
        self.emit(Instr::Pop);
        self.pop_block_scope(pushed);
        Ok(())
    }
}
