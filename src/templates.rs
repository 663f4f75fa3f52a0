//! Embedded files from `templates/` at the repository root, compiled into
//! the binary so synthesis works from any directory: minijinja templates
//! that take a context (email bodies, EC2 user data),
//! rendered by [`render`], and Lambda handler sources, which take none and
//! are embedded as they are ([`handler`]): through minijinja, a `{{` or
//! `{%` in Python would be reinterpreted.

use minijinja::Environment;
use serde::Serialize;
use std::sync::OnceLock;

/// A template failed to render: a bug in the template or its context.
#[derive(Debug, thiserror::Error)]
#[error("template {name}")]
pub struct TemplateError {
    /// The template's path under `templates/`.
    pub name: String,
    /// What minijinja reported.
    #[source]
    pub source: minijinja::Error,
}

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        /// Every template, by its path under `templates/`.
        pub const EMBEDDED: &[(&str, &str)] = &[
            $(($path, include_str!(concat!("../templates/", $path)))),*
        ];
    };
}

embedded![
    "email/welcome.html.j2",
    "email/welcome.txt.j2",
    "email/confirm.html.j2",
    "email/confirm.txt.j2",
    "ec2/user_data.sh.j2",
];

/// Lambda handler sources, by path under `templates/` (the `.j2` is
/// historical: the generated code names its source file).
const HANDLERS: &[(&str, &str)] = &[
    (
        "lambda/todo_api.py.j2",
        include_str!("../templates/lambda/todo_api.py.j2"),
    ),
    (
        "lambda/posts_api.py.j2",
        include_str!("../templates/lambda/posts_api.py.j2"),
    ),
    (
        "lambda/welcome_email.py.j2",
        include_str!("../templates/lambda/welcome_email.py.j2"),
    ),
    (
        "lambda/thumbnail.py.j2",
        include_str!("../templates/lambda/thumbnail.py.j2"),
    ),
    (
        "lambda/micro_api.py.j2",
        include_str!("../templates/lambda/micro_api.py.j2"),
    ),
    (
        "lambda/micro_consumer.py.j2",
        include_str!("../templates/lambda/micro_consumer.py.j2"),
    ),
];

/// The Lambda handler source at `name` (a path under `templates/`), as it
/// is in the file.
pub fn handler(name: &str) -> Result<String, TemplateError> {
    HANDLERS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, source)| (*source).to_owned())
        .ok_or_else(|| TemplateError {
            name: name.to_owned(),
            source: minijinja::Error::new(
                minijinja::ErrorKind::TemplateNotFound,
                "no such Lambda handler",
            ),
        })
}

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // Generated code must keep its final newline and exact whitespace.
        env.set_keep_trailing_newline(true);
        // HTML bodies are escaped; code and JSON documents say what they mean
        // (`tojson` where a value must become a JSON string).
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html.j2") {
                minijinja::AutoEscape::Html
            } else {
                minijinja::AutoEscape::None
            }
        });
        // Each template is compiled the first time it is rendered: a
        // blueprint uses one or two of them (tests render every one).
        env.set_loader(|name| {
            Ok(EMBEDDED
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, source)| (*source).to_owned()))
        });
        env
    })
}

/// Renders the template at `name` (a path under `templates/`) with `context`.
pub fn render(name: &str, context: impl Serialize) -> Result<String, TemplateError> {
    let fail = |source| TemplateError {
        name: name.to_owned(),
        source,
    };
    let template = environment().get_template(name).map_err(fail)?;
    template.render(context).map_err(fail)
}

#[cfg(test)]
mod tests {
    #[test]
    fn handlers_are_the_files_as_they_are() {
        for (name, source) in super::HANDLERS {
            let path = format!("{}/templates/{name}", env!("CARGO_MANIFEST_DIR"));
            assert_eq!(
                &super::handler(name).unwrap(),
                &std::fs::read_to_string(path).unwrap()
            );
            assert_eq!(super::handler(name).unwrap(), *source);
        }
        assert!(super::handler("lambda/nope.py").is_err());
    }

    #[test]
    fn every_embedded_template_parses() {
        for (name, _) in super::EMBEDDED {
            super::environment().get_template(name).unwrap();
        }
        let missing = super::render("email/nope.txt.j2", ()).unwrap_err();
        assert_eq!(missing.name, "email/nope.txt.j2");
    }
}
