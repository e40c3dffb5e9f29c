//! One value for each engine, indexed by `EngineId`: how the state holds
//! what every engine has (its status, its part of a run, the results a link
//! brought for it), so that an engine is a value of one dimension rather
//! than a second set of fields.

use std::ops::{Index, IndexMut};

use pyrace_model::EngineId;

/// A `T` for each engine of [`EngineId::ALL`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PerEngine<T>([T; EngineId::ALL.len()]);

impl<T> PerEngine<T> {
    /// Each engine's value, made from its id.
    pub fn from_fn(mut make: impl FnMut(EngineId) -> T) -> Self {
        PerEngine(EngineId::ALL.map(&mut make))
    }

    /// Each engine with its value, in [`EngineId::ALL`]'s order.
    pub fn iter(&self) -> impl Iterator<Item = (EngineId, &T)> {
        EngineId::ALL.into_iter().zip(&self.0)
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (EngineId, &mut T)> {
        EngineId::ALL.into_iter().zip(&mut self.0)
    }

    /// Every engine's value, in [`EngineId::ALL`]'s order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter()
    }
}

impl<T> Index<EngineId> for PerEngine<T> {
    type Output = T;

    fn index(&self, engine: EngineId) -> &T {
        &self.0[engine.index()]
    }
}

impl<T> IndexMut<EngineId> for PerEngine<T> {
    fn index_mut(&mut self, engine: EngineId) -> &mut T {
        &mut self.0[engine.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_engine_has_its_own_value() {
        let mut names = PerEngine::from_fn(|engine| engine.label().to_owned());
        names[EngineId::Cpython].push('!');
        assert_eq!(names[EngineId::Rustpython], "RustPython");
        assert_eq!(names[EngineId::Cpython], "CPython!");
        let order: Vec<EngineId> = names.iter().map(|(engine, _)| engine).collect();
        assert_eq!(order, EngineId::ALL);
    }
}
