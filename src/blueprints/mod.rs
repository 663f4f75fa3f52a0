//! The three reference architectures, composed from patterns and driven by
//! typed settings. Default settings live in `blueprints/*.yaml` at the
//! repository root and are embedded in the binary.

use crate::output::Artifact;
use crate::settings::SettingsError;
use crate::templates::TemplateError;

pub mod blog;
pub mod micro;
pub mod todo;

/// Synthesis failed.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// The settings are not valid.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// A code or document template failed to render.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// The synthesized templates break a check (see `crate::check`).
    #[error("{blueprint}: the synthesized templates fail {count} check(s):\n{report}")]
    Check {
        /// The blueprint.
        blueprint: &'static str,
        /// How many error-level findings.
        count: usize,
        /// The findings, one per line.
        report: String,
    },
}

/// One of the reference architectures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Blueprint {
    /// MyTodoList: a mobile app's backend.
    Todo,
    /// A serverless website at global scale.
    Blog,
    /// Microservices with independent lifecycles.
    Micro,
}

impl Blueprint {
    /// Every blueprint, in the order `synth --all` writes them.
    pub const ALL: [Blueprint; 3] = [Blueprint::Todo, Blueprint::Blog, Blueprint::Micro];

    /// The blueprint's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Blueprint::Todo => "todo",
            Blueprint::Blog => "blog",
            Blueprint::Micro => "micro",
        }
    }

    /// The blueprint named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.name() == name)
    }

    /// A one-line description.
    pub fn description(self) -> &'static str {
        match self {
            Blueprint::Todo => {
                "mobile app backend: API Gateway + Cognito -> Lambda -> DAX -> DynamoDB, per-user S3"
            }
            Blueprint::Blog => {
                "global website: CloudFront + S3 + API Gateway, DynamoDB global tables, SES welcome, thumbnails"
            }
            Blueprint::Micro => {
                "microservices: ALB/ECS, API Gateway/Lambda, EC2/RDS, ElastiCache, SQS, Kinesis; a stack per service"
            }
        }
    }

    /// The default settings file, as embedded in the binary.
    pub fn default_settings(self) -> &'static str {
        match self {
            Blueprint::Todo => todo::DEFAULTS,
            Blueprint::Blog => blog::DEFAULTS,
            Blueprint::Micro => micro::DEFAULTS,
        }
    }

    /// Synthesizes the blueprint from a settings file's text (`file` names it in
    /// errors), or from the embedded defaults when `settings` is `None`.
    pub fn synth(self, settings: Option<(&str, &str)>) -> Result<Vec<Artifact>, SynthError> {
        let builtin = format!("<built-in {}.yaml>", self.name());
        let (file, text) = settings.unwrap_or((&builtin, self.default_settings()));
        match self {
            Blueprint::Todo => todo::synth(file, text),
            Blueprint::Blog => blog::synth(file, text),
            Blueprint::Micro => micro::synth(file, text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for b in Blueprint::ALL {
            assert_eq!(Blueprint::from_name(b.name()), Some(b));
        }
        assert_eq!(Blueprint::from_name("nope"), None);
    }
}
