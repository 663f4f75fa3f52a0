//! CloudWatch alarms on what would otherwise fail silently.
//!
//! The alarms carry no action by default: a blueprint has no address to
//! notify, and a topic nobody subscribes to is as silent as none. CloudWatch
//! sends every alarm state change to EventBridge ("Alarm events and
//! EventBridge", delivery guaranteed), where an account-wide rule, AWS
//! Chatbot or AWS User Notifications can route it; a stack that should
//! notify a topic of its own sets `AlarmActions` through `overrides:`.

use crate::cfn::{Handle, LogicalId, Template};
use crate::resources::cloudwatch::{Alarm, Dimension};
use crate::resources::sqs::Queue;

/// Seconds per data point: SQS publishes its queue metrics every five
/// minutes ("Monitoring Amazon SQS with CloudWatch"), so a shorter period
/// would only see gaps; CDK's `metricApproximateNumberOfMessagesVisible`
/// uses the same five minutes.
pub const SQS_METRIC_PERIOD_SECONDS: i64 = 300;

/// An alarm that fires as soon as one message waits in `dead_letter`: the
/// highest `ApproximateNumberOfMessagesVisible` over one five-minute period
/// above zero. A message there has failed every retry of its consumer and
/// stays only for the queue's retention, so one is already worth a look.
///
/// SQS reports the metric only while the queue is active, so missing data
/// says nothing about the queue being empty: it is ignored, and the alarm
/// keeps its state (in `ALARM` while failed messages wait untouched) until
/// a data point says otherwise.
pub fn dead_letter_alarm(
    t: &mut Template,
    id: &str,
    dead_letter: &Handle<Queue>,
    source: &str,
) -> Handle<Alarm> {
    t.add(
        id,
        Alarm {
            alarm_description: Some(format!(
                "Messages from {source} failed every receive and wait in {}: \
                 inspect them, fix the consumer, then redrive them to the source \
                 queue (SQS console, or StartMessageMoveTask) before the queue's \
                 retention period deletes them",
                dead_letter.logical_id()
            )),
            namespace: "AWS/SQS",
            metric_name: "ApproximateNumberOfMessagesVisible",
            dimensions: vec![Dimension {
                name: "QueueName",
                value: dead_letter.queue_name(),
            }],
            statistic: "Maximum",
            period: SQS_METRIC_PERIOD_SECONDS.into(),
            evaluation_periods: 1.into(),
            threshold: 0.into(),
            comparison_operator: "GreaterThanThreshold",
            treat_missing_data: Some("ignore"),
            ..Default::default()
        },
    )
}
