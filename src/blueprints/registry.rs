//! [`Registry`]: the blueprints the command line knows.

use super::api::{AnyBlueprint, Blueprint};
use super::builtin::{Blog, Micro, Todo};

/// A blueprint could not be registered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// Another blueprint already has the name.
    #[error("a blueprint named {0:?} is already registered")]
    Duplicate(String),
    /// The name is not a plain word: the command line would take it for a
    /// file (a `.` or `/`), or it is empty or has spaces.
    #[error(
        "blueprint name {0:?} must be letters, digits, `-` or `_` (a `.` or `/` makes a target a file)"
    )]
    BadName(String),
}

/// The blueprints the command line offers, in the order `--all` takes them.
///
/// ```
/// use stackcraft::blueprints::Registry;
///
/// let registry = Registry::builtin();
/// let names: Vec<&str> = registry.iter().map(|b| b.name()).collect();
/// assert_eq!(names, ["todo", "blog", "micro"]);
/// assert!(registry.get("micro").is_some());
/// ```
#[derive(Default)]
pub struct Registry {
    entries: Vec<Box<dyn AnyBlueprint>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.entries.iter().map(|b| b.name()))
            .finish()
    }
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Registry::default()
    }

    /// The built-in blueprints: `todo`, `blog`, `micro`.
    pub fn builtin() -> Self {
        Registry {
            entries: vec![Box::new(Todo), Box::new(Blog), Box::new(Micro)],
        }
    }

    /// Adds a blueprint after those already registered.
    pub fn register<B: Blueprint + 'static>(&mut self, blueprint: B) -> Result<(), RegistryError> {
        let name = Blueprint::name(&blueprint);
        let plain = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !plain {
            return Err(RegistryError::BadName(name.to_owned()));
        }
        if self.get(name).is_some() {
            return Err(RegistryError::Duplicate(name.to_owned()));
        }
        self.entries.push(Box::new(blueprint));
        Ok(())
    }

    /// [`Self::register`], for building a registry in one expression.
    ///
    /// # Panics
    /// When the name is taken or not a plain word: a mistake in the
    /// program that registers, found the first time it runs.
    pub fn with<B: Blueprint + 'static>(mut self, blueprint: B) -> Self {
        if let Err(e) = self.register(blueprint) {
            panic!("{e}");
        }
        self
    }

    /// The blueprint named `name`.
    pub fn get(&self, name: &str) -> Option<&dyn AnyBlueprint> {
        self.entries
            .iter()
            .find(|b| b.name() == name)
            .map(|b| b.as_ref())
    }

    /// Every blueprint, in registration order.
    pub fn iter(&self) -> impl Iterator<Item = &dyn AnyBlueprint> {
        self.entries.iter().map(|b| b.as_ref())
    }

    /// The names, comma-separated, for error messages.
    pub fn names(&self) -> String {
        self.iter().map(|b| b.name()).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_be_plain_and_unique() {
        let mut r = Registry::builtin();
        assert_eq!(
            r.register(Todo),
            Err(RegistryError::Duplicate("todo".into()))
        );
        assert_eq!(r.names(), "todo, blog, micro");
        let mut empty = Registry::new();
        assert!(empty.register(Micro).is_ok());
        assert_eq!(empty.names(), "micro");
    }
}
