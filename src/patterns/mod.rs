//! Reusable compositions with secure defaults, at the level of AWS Solutions
//! Constructs: a function with its role and log group, private buckets and
//! queues with TLS-only policies, and grants that write least-privilege
//! statements.

pub mod alarms;
pub mod elb_logs;
pub mod encryption;
pub mod function;
pub mod grants;
pub mod naming;
pub mod network;
pub mod rest;
pub mod storage;
pub mod triggers;
pub mod waivers;
