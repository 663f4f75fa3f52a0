//! A thin wrapper over the AWS SDK clients: one method per API call we make,
//! returning our own plain types so that the logic around them stays
//! testable without a server.

use aws_config::{BehaviorVersion, Region};
use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use aws_sdk_cloudformation::types::{self as cfn, ChangeSetType, Parameter, TemplateStage};
use aws_smithy_http_client::tls;

use super::capabilities::Capability;
use super::events::Event;
use super::params::Resolved;
use super::summary::Change;
use super::{DeployError, aws_error};

/// Where to connect: the standard credential and Region chain (environment,
/// profiles, SSO; `AWS_ENDPOINT_URL`), overridden by these when given.
#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    /// A named profile (`--profile`).
    pub profile: Option<String>,
    /// A Region (`--region`).
    pub region: Option<String>,
}

/// The clients, for one account and Region.
#[derive(Debug, Clone)]
pub struct Aws {
    pub(crate) cfn: aws_sdk_cloudformation::Client,
    pub(crate) s3: aws_sdk_s3::Client,
    sts: aws_sdk_sts::Client,
    /// The Region the clients talk to.
    pub region: String,
}

/// A deployed stack as `DescribeStacks` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackInfo {
    /// The stack id (ARN), stable across deletion.
    pub id: String,
    /// E.g. `CREATE_COMPLETE`.
    pub status: String,
    /// The keys of its current parameters.
    pub parameter_keys: Vec<String>,
    /// Its outputs: key, value.
    pub outputs: Vec<(String, String)>,
    /// Whether termination protection is on.
    pub termination_protection: bool,
}

/// A change set once CloudFormation has computed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSetInfo {
    /// `CREATE_COMPLETE` or `FAILED`.
    pub status: String,
    /// Why it failed (e.g. "The submitted information didn't contain changes.").
    pub reason: Option<String>,
    /// The resource changes.
    pub changes: Vec<Change>,
}

/// A change set just created: its id and its stack's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedChangeSet {
    /// The change set's id (ARN).
    pub id: String,
    /// The id (ARN) of the stack it belongs to. A name may be ambiguous
    /// (a stack deleted and made again; moto even keeps two live stacks of
    /// one name after a second CREATE change set), an id is not.
    pub stack_id: String,
}

/// Where the template of a change set comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateSource {
    /// Inline, up to 51,200 bytes.
    Body(String),
    /// An S3 object URL.
    Url(String),
}

impl Aws {
    /// Loads the configuration and builds the clients; rustls with ring is
    /// the TLS stack. Fails when no Region is configured.
    pub async fn connect(opts: &AwsOptions) -> Result<Self, DeployError> {
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(tls::Provider::Rustls(
                tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https();
        let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http);
        if let Some(p) = &opts.profile {
            loader = loader.profile_name(p);
        }
        if let Some(r) = &opts.region {
            loader = loader.region(Region::new(r.clone()));
        }
        let conf = loader.load().await;
        let region = conf
            .region()
            .map(|r| r.to_string())
            .ok_or_else(|| DeployError::Aws {
                operation: "configuration",
                message:
                    "no AWS Region: pass --region, set AWS_REGION, or set region in the profile"
                        .into(),
            })?;
        Ok(Aws {
            cfn: aws_sdk_cloudformation::Client::new(&conf),
            s3: aws_sdk_s3::Client::new(&conf),
            sts: aws_sdk_sts::Client::new(&conf),
            region,
        })
    }

    /// The S3 client (for callers that inspect the artifacts bucket).
    pub fn s3(&self) -> &aws_sdk_s3::Client {
        &self.s3
    }

    /// The account the credentials belong to.
    pub async fn account_id(&self) -> Result<String, DeployError> {
        let out = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| aws_error("GetCallerIdentity", e))?;
        Ok(out.account().unwrap_or_default().to_owned())
    }

    /// The stack, or `None` when it does not exist.
    pub async fn describe(&self, stack: &str) -> Result<Option<StackInfo>, DeployError> {
        let out = match self.cfn.describe_stacks().stack_name(stack).send().await {
            Ok(out) => out,
            Err(e)
                if e.code() == Some("ValidationError")
                    && e.message().is_some_and(|m| m.contains("does not exist")) =>
            {
                return Ok(None);
            }
            Err(e) => return Err(aws_error("DescribeStacks", e)),
        };
        Ok(out.stacks().first().map(|s| StackInfo {
            id: s.stack_id().unwrap_or(stack).to_owned(),
            status: s
                .stack_status()
                .map(|x| x.as_str().to_owned())
                .unwrap_or_default(),
            parameter_keys: s
                .parameters()
                .iter()
                .filter_map(|p| p.parameter_key().map(str::to_owned))
                .collect(),
            outputs: s
                .outputs()
                .iter()
                .map(|o| {
                    let get = |v: Option<&str>| v.unwrap_or_default().to_owned();
                    (get(o.output_key()), get(o.output_value()))
                })
                .collect(),
            termination_protection: s.enable_termination_protection().unwrap_or(false),
        }))
    }

    /// Creates a change set and returns its id and its stack's id.
    pub async fn create_change_set(
        &self,
        stack: &str,
        name: &str,
        create: bool,
        template: &TemplateSource,
        parameters: &[Resolved],
        capabilities: &[Capability],
    ) -> Result<CreatedChangeSet, DeployError> {
        let kind = if create {
            ChangeSetType::Create
        } else {
            ChangeSetType::Update
        };
        let mut req = self
            .cfn
            .create_change_set()
            .stack_name(stack)
            .change_set_name(name)
            .change_set_type(kind)
            .description("stackcraft deploy");
        req = match template {
            TemplateSource::Body(b) => req.template_body(b),
            TemplateSource::Url(u) => req.template_url(u),
        };
        for p in parameters {
            req = req.parameters(match p {
                Resolved::Value(k, v) => Parameter::builder()
                    .parameter_key(k)
                    .parameter_value(v)
                    .build(),
                Resolved::UsePrevious(k) => Parameter::builder()
                    .parameter_key(k)
                    .use_previous_value(true)
                    .build(),
            });
        }
        for c in capabilities {
            req = req.capabilities(cfn::Capability::from(c.as_str()));
        }
        let out = req
            .send()
            .await
            .map_err(|e| aws_error("CreateChangeSet", e))?;
        Ok(CreatedChangeSet {
            id: out.id().unwrap_or(name).to_owned(),
            stack_id: out.stack_id().unwrap_or(stack).to_owned(),
        })
    }

    /// The change set's status and (all pages of) its changes.
    pub async fn describe_change_set(&self, id: &str) -> Result<ChangeSetInfo, DeployError> {
        let mut info = ChangeSetInfo {
            status: String::new(),
            reason: None,
            changes: Vec::new(),
        };
        let mut token = None;
        loop {
            let out = self
                .cfn
                .describe_change_set()
                .change_set_name(id)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| aws_error("DescribeChangeSet", e))?;
            info.status = out
                .status()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default();
            info.reason = out.status_reason().map(str::to_owned);
            info.changes.extend(
                out.changes()
                    .iter()
                    .filter_map(|c| c.resource_change())
                    .map(change),
            );
            token = out.next_token().map(str::to_owned);
            if token.is_none() {
                return Ok(info);
            }
        }
    }

    /// Executes a change set.
    pub async fn execute_change_set(&self, id: &str) -> Result<(), DeployError> {
        self.cfn
            .execute_change_set()
            .change_set_name(id)
            .send()
            .await
            .map_err(|e| aws_error("ExecuteChangeSet", e))?;
        Ok(())
    }

    /// Deletes a change set.
    pub async fn delete_change_set(&self, id: &str) -> Result<(), DeployError> {
        self.cfn
            .delete_change_set()
            .change_set_name(id)
            .send()
            .await
            .map_err(|e| aws_error("DeleteChangeSet", e))?;
        Ok(())
    }

    /// Events newer than `since` (an event id), oldest first; every event when
    /// `since` is `None`.
    pub async fn events_since(
        &self,
        stack_id: &str,
        since: Option<&str>,
    ) -> Result<Vec<Event>, DeployError> {
        let mut newest_first = Vec::new();
        let mut token = None;
        'pages: loop {
            let out = self
                .cfn
                .describe_stack_events()
                .stack_name(stack_id)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| aws_error("DescribeStackEvents", e))?;
            for e in out.stack_events() {
                if since.is_some_and(|s| e.event_id() == Some(s)) {
                    break 'pages;
                }
                newest_first.push(event(e));
            }
            token = out.next_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        newest_first.reverse();
        Ok(newest_first)
    }

    /// The id of the stack's newest event, if any (one page, newest first).
    pub async fn latest_event(&self, stack_id: &str) -> Result<Option<String>, DeployError> {
        let out = self
            .cfn
            .describe_stack_events()
            .stack_name(stack_id)
            .send()
            .await
            .map_err(|e| aws_error("DescribeStackEvents", e))?;
        Ok(out
            .stack_events()
            .first()
            .and_then(|e| e.event_id())
            .map(str::to_owned))
    }

    /// Starts deleting a stack.
    pub async fn delete_stack(&self, stack_id: &str) -> Result<(), DeployError> {
        self.cfn
            .delete_stack()
            .stack_name(stack_id)
            .send()
            .await
            .map_err(|e| aws_error("DeleteStack", e))?;
        Ok(())
    }

    /// The deployed template, as submitted.
    pub async fn template(&self, stack: &str) -> Result<String, DeployError> {
        let out = self
            .cfn
            .get_template()
            .stack_name(stack)
            .template_stage(TemplateStage::Original)
            .send()
            .await
            .map_err(|e| aws_error("GetTemplate", e))?;
        Ok(out.template_body().unwrap_or_default().to_owned())
    }

    /// The template a stack runs, parsed (JSON or YAML, as it was
    /// submitted); `None` when the stack does not exist or has never been
    /// deployed (`REVIEW_IN_PROGRESS`: a change set made it, none ran).
    pub async fn deployed_template(
        &self,
        stack: &str,
    ) -> Result<Option<serde_json::Value>, DeployError> {
        let Some(info) = self.describe(stack).await? else {
            return Ok(None);
        };
        if info.status == "REVIEW_IN_PROGRESS" {
            return Ok(None);
        }
        let text = self.template(&info.id).await?;
        crate::check::parse::parse_template(stack, &text)
            .map(Some)
            .map_err(|e| DeployError::DeployedTemplate {
                stack: stack.to_owned(),
                message: e.to_string(),
            })
    }

    /// The physical ids of a stack's resources, by logical id.
    pub async fn physical_ids(&self, stack: &str) -> Result<Vec<(String, String)>, DeployError> {
        let out = self
            .cfn
            .describe_stack_resources()
            .stack_name(stack)
            .send()
            .await
            .map_err(|e| aws_error("DescribeStackResources", e))?;
        Ok(out
            .stack_resources()
            .iter()
            .map(|r| {
                let get = |v: Option<&str>| v.unwrap_or_default().to_owned();
                (get(r.logical_resource_id()), get(r.physical_resource_id()))
            })
            .collect())
    }
}

fn change(r: &cfn::ResourceChange) -> Change {
    Change {
        action: r
            .action()
            .map(|a| a.as_str().to_owned())
            .unwrap_or_default(),
        logical_id: r.logical_resource_id().unwrap_or_default().to_owned(),
        resource_type: r.resource_type().unwrap_or_default().to_owned(),
        replacement: r.replacement().map(|x| x.as_str().to_owned()),
    }
}

fn event(e: &cfn::StackEvent) -> Event {
    Event {
        id: e.event_id().unwrap_or_default().to_owned(),
        logical_id: e.logical_resource_id().unwrap_or_default().to_owned(),
        resource_type: e.resource_type().unwrap_or_default().to_owned(),
        status: e
            .resource_status()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
        reason: e.resource_status_reason().map(str::to_owned),
    }
}
