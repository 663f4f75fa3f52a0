//! Generated `micro` settings with any number of services, for the
//! benchmarks, the growth table (`scripts/growth.sh`) and the quota tests.
//!
//! The mix is the one `tests/micro.rs` uses for fifty services: a quarter
//! each of `ecs` (ALB -> Fargate -> DynamoDB, publishing a stream), `lambda`
//! (API Gateway -> Lambda -> ElastiCache), `ec2` (ALB -> Auto Scaling -> RDS,
//! owning a queue) and `worker` (consuming an earlier service's stream and
//! queue); every service with an API calls the latest earlier one, so the
//! deploy order is a chain as deep as the services.

/// The settings file of a `micro` application with `n` services.
pub fn settings(n: usize) -> String {
    let mut text = String::from(
        "app: big\nenvironment: test\nlog_retention_days: 30\nnetwork:\n  cidr: 10.0.0.0/16\n  az_count: 3\n  nat_gateways: 3\nservices:\n",
    );
    for i in 0..n {
        service(&mut text, i);
    }
    text
}

/// One service's entry; its shape follows from its index.
fn service(text: &mut String, i: usize) {
    let (pattern, store) = match i % 4 {
        0 => ("ecs", "dynamodb"),
        1 => ("lambda", "elasticache"),
        2 => ("ec2", "rds"),
        // A worker needs a stream (i - 3) and a queue (i - 1) before it.
        _ => ("worker", "dynamodb"),
    };
    text.push_str(&format!(
        "  - name: svc{i}\n    version: 1.{i}.0\n    pattern: {pattern}\n    datastore: {store}\n"
    ));
    match pattern {
        "ecs" => text.push_str("    streams: [events]\n"),
        "ec2" => text.push_str("    queues: [jobs]\n"),
        _ => {}
    }
    if pattern == "worker" {
        text.push_str(&format!(
            "    consumes: [{{stream: svc{}/events}}, {{queue: svc{}/jobs}}]\n",
            i - 3,
            i - 1
        ));
    } else if i >= 4 {
        // The latest earlier service with an API (workers have none).
        let callee = if (i - 1) % 4 == 3 { i - 2 } else { i - 1 };
        text.push_str(&format!("    calls: [svc{callee}]\n"));
    }
}
