//! B4: double opt-in, then the welcome email: the subscribers' stream ->
//! Lambda -> SES, with failed batches kept in a queue.

use serde_json::json;

use super::inputs::Inputs;
use super::{Settings, SynthError, waive_function};
use crate::cfn::{Envelope, Handle, ParameterRef, Str, Template, sub, sub_with};
use crate::patterns::function::{FunctionSpec, python_function};
use crate::patterns::triggers::{self, StreamTrigger};
use crate::patterns::{grants, naming, storage};
use crate::resources::dynamodb::GlobalTable;
use crate::resources::iam::Statement;
use crate::resources::lambda::{Filter, FilterCriteria};
use crate::resources::ses::{
    CloudWatchDestination, ConfigurationSet, ConfigurationSetEventDestination,
    DimensionConfiguration, EmailIdentity, EmailTemplate, EventDestination, ReputationOptions,
    Template as SesTemplate,
};
use crate::resources::sqs::Queue;
use crate::templates;

/// Adds the sender identity (when the settings ask), the email templates,
/// the welcome function and its trigger; returns the queue of stream
/// records whose email failed.
pub(super) fn add(
    t: &mut Template,
    s: &Settings,
    inputs: &Inputs,
    subscribers: &Handle<GlobalTable>,
    site_url: Str,
    log_key: &Str,
) -> Result<Handle<Queue>, SynthError> {
    let email_dlq = storage::failure_queue(t, "WelcomeEmailFailures");
    let sender = &inputs.sender;
    if s.email.create_identity {
        // Retained: deleting the stack, or turning the setting off later, must
        // not delete an identity that mail may still be sent from (and a
        // template update that drops the resource would delete it otherwise).
        t.add_with(
            "SenderIdentity",
            EmailIdentity {
                email_identity: sender.r#ref(),
            },
            Envelope::new().retain(),
        );
    }
    let emails = add_email_templates(t, s)?;
    let spec = welcome_spec(
        s,
        sender,
        subscribers,
        &emails,
        &email_dlq,
        site_url,
        log_key,
    )?;
    let welcome = python_function(t, spec);
    waive_function(t, &welcome, WELCOME_FAILURES);
    triggers::stream_trigger(
        t,
        "WelcomeEmailTrigger",
        &welcome.function,
        StreamTrigger {
            source: subscribers.stream_arn(),
            on_failure: email_dlq.arn(),
            batch_size: s.email.batch_size.get(),
            batching_window_seconds: None,
            starting_position: "LATEST",
            max_retries: s.email.max_retries.get(),
            max_record_age_seconds: s.email.max_record_age_seconds.get(),
            filters: Some(subscriber_filters()),
        },
    );
    Ok(email_dlq)
}

/// The welcome function: sends the confirmation and welcome emails as
/// `sender`, and may send failed records to `dlq`.
fn welcome_spec(
    s: &Settings,
    sender: &ParameterRef,
    subscribers: &Handle<GlobalTable>,
    emails: &Emails,
    dlq: &Handle<Queue>,
    site_url: Str,
    log_key: &Str,
) -> Result<FunctionSpec, SynthError> {
    let mut spec = FunctionSpec::new(
        "WelcomeEmail",
        "Mails new subscribers a confirmation link, and a welcome once they confirm, through SES",
        templates::handler("lambda/welcome_email.py.j2")?,
    )
    .env("SENDER", sender.r#ref())
    .env("TEMPLATE_NAME", emails.welcome.r#ref())
    .env("CONFIRM_TEMPLATE_NAME", emails.confirm.r#ref())
    .env("CONFIGURATION_SET", emails.configuration_set.r#ref())
    .env("SITE_URL", site_url)
    .allow(grants::table_stream_read(subscribers))
    .allow([
        Statement::allow(["sqs:SendMessage"], vec![dlq.arn()]),
        send_email_as(sender, emails),
    ]);
    spec.log_retention_days = s.log_retention_days.get();
    spec.log_key = Some(log_key.clone());
    spec.reserved_concurrency = s.reserved_concurrency.welcome_email.map(|n| n.get());
    Ok(spec)
}

/// The SES resources of the two emails: templates and the configuration
/// set whose bounce and complaint events go to CloudWatch.
struct Emails {
    welcome: Handle<SesTemplate>,
    confirm: Handle<SesTemplate>,
    configuration_set: Handle<ConfigurationSet>,
}

fn add_email_templates(t: &mut Template, s: &Settings) -> Result<Emails, SynthError> {
    let context = minijinja::context! { site_name => &s.site_name };
    let mut template = |id: &str, kind: &str, subject: &str, body: &str| {
        Ok::<_, SynthError>(t.add(
            id,
            SesTemplate {
                template: EmailTemplate {
                    template_name: Some(naming::unique(&format!("{}-{kind}", s.name))),
                    subject_part: subject.to_owned(),
                    html_part: Some(templates::render(
                        &format!("email/{body}.html.j2"),
                        &context,
                    )?),
                    text_part: Some(templates::render(
                        &format!("email/{body}.txt.j2"),
                        &context,
                    )?),
                },
            },
        ))
    };
    let welcome = template(
        "WelcomeEmailTemplate",
        "welcome",
        &s.email.subject,
        "welcome",
    )?;
    let confirm = template(
        "ConfirmEmailTemplate",
        "confirm",
        &s.email.confirm_subject,
        "confirm",
    )?;
    // No name: CloudFormation generates one, so it fits the 64-character limit.
    let configuration_set = t.add(
        "EmailConfigurationSet",
        ConfigurationSet {
            reputation_options: Some(ReputationOptions {
                reputation_metrics_enabled: true.into(),
            }),
        },
    );
    t.add(
        "EmailEventsToCloudWatch",
        ConfigurationSetEventDestination {
            configuration_set_name: configuration_set.r#ref(),
            event_destination: EventDestination {
                enabled: true.into(),
                matching_event_types: vec!["bounce", "complaint", "reject", "renderingFailure"],
                cloud_watch_destination: CloudWatchDestination {
                    dimension_configurations: vec![DimensionConfiguration {
                        dimension_name: "app".into(),
                        dimension_value_source: "messageTag",
                        default_dimension_value: s.name.to_string(),
                    }],
                },
            },
        },
    );
    Ok(Emails {
        welcome,
        confirm,
        configuration_set,
    })
}

/// Sending the two templates through the configuration set, only from the
/// sender address. The identity resource is `identity/*` because in the SES
/// sandbox SES also authorizes the send against the recipient's identity;
/// `ses:FromAddress` keeps the grant to our own sender (SES developer guide,
/// "Identity and access management in Amazon SES").
fn send_email_as(sender: &ParameterRef, emails: &Emails) -> Statement {
    let arn = |kind: &str, var: &str, value: Str| {
        sub_with(
            &format!(
                "arn:${{AWS::Partition}}:ses:${{AWS::Region}}:${{AWS::AccountId}}:{kind}/${{{var}}}"
            ),
            [(var, value)],
        )
    };
    Statement::allow(
        ["ses:SendTemplatedEmail"],
        vec![
            sub("arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*"),
            arn("template", "Template", emails.welcome.r#ref()),
            arn("template", "Template", emails.confirm.r#ref()),
            arn("configuration-set", "Set", emails.configuration_set.r#ref()),
        ],
    )
    .condition(json!({"StringEquals": {"ses:FromAddress": sender.r#ref().to_json()}}))
}

/// New pending subscribers (a confirmation link) and subscribers who just
/// confirmed (the welcome email); every other change is dropped before
/// the function is invoked.
fn subscriber_filters() -> FilterCriteria {
    let status = |s: &str| json!({"status": {"S": [s]}});
    FilterCriteria {
        filters: vec![
            json!({"eventName": ["INSERT"], "dynamodb": {"NewImage": status("pending")}}),
            json!({"eventName": ["MODIFY"], "dynamodb": {"OldImage": status("pending"), "NewImage": status("confirmed")}}),
        ]
        .into_iter()
        .map(|p| Filter {
            pattern: p.to_string(),
        })
        .collect(),
    }
}

/// Where failed welcome invocations go instead of a dead-letter queue.
const WELCOME_FAILURES: &str = "Invoked by a stream event source mapping whose on-failure \
     destination is the WelcomeEmailFailures queue";
