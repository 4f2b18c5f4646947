//! Property keys of object literals, classes and patterns: a key as a value, a key read, and
//! a key's static name (used to name anonymous functions).

use super::{js_str, CResult, Compiler};
use crate::bytecode::Instr;
use oxc_ast::ast::*;

impl<'a> Compiler<'a> {
    /// obj -> obj[key]
    pub(super) fn prop_key_get(&mut self, key: &'a PropertyKey<'a>, computed: bool) -> CResult<()> {
        match (key, computed) {
            (PropertyKey::StaticIdentifier(id), false) => {
                let s = self.str_const(id.name.as_str());
                self.emit(Instr::GetProp(s));
            }
            _ => {
                self.prop_key_value(key, computed)?;
                self.emit(Instr::GetElem);
            }
        }
        Ok(())
    }

    /// -> key value (string or symbol)
    pub(super) fn prop_key_value(
        &mut self,
        key: &'a PropertyKey<'a>,
        computed: bool,
    ) -> CResult<()> {
        match key {
            PropertyKey::StaticIdentifier(id) => {
                let s = self.str_const(id.name.as_str());
                self.emit(Instr::Str(s));
            }
            PropertyKey::PrivateIdentifier(p) => {
                let s = self.str_const(&format!("#{}", p.name));
                self.emit(Instr::Str(s));
            }
            other => {
                let e = other.as_expression().expect("expression key");
                if !computed {
                    match e {
                        Expression::StringLiteral(s) => {
                            let v = js_str(&s.value);
                            let s = self.str_const(&v);
                            self.emit(Instr::Str(s));
                            return Ok(());
                        }
                        Expression::NumericLiteral(n) => {
                            let v = crate::value::number_to_string(n.value);
                            let s = self.str_const(&v);
                            self.emit(Instr::Str(s));
                            return Ok(());
                        }
                        _ => {}
                    }
                }
                self.expr(e)?;
            }
        }
        Ok(())
    }

    pub(super) fn static_key_name(key: &PropertyKey<'_>, computed: bool) -> Option<String> {
        if computed {
            return None;
        }
        match key {
            PropertyKey::StaticIdentifier(id) => Some(id.name.to_string()),
            PropertyKey::StringLiteral(s) => Some(js_str(&s.value)),
            PropertyKey::NumericLiteral(n) => Some(crate::value::number_to_string(n.value)),
            PropertyKey::PrivateIdentifier(p) => Some(format!("#{}", p.name)),
            _ => None,
        }
    }
}
