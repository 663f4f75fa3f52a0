#!/usr/bin/env python3
"""Prints a generated `micro` settings file with N services (default 1000),
the shape tests/micro.rs uses for fifty: ECS, Lambda, EC2 and worker services
in turn, each with its datastore, streams, queues and a chain of calls.

    python3 scripts/gen_micro.py 1000 > /tmp/micro-1000.yaml
    stackcraft synth micro --config /tmp/micro-1000.yaml --out /tmp/out
"""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
out = [
    "app: big\nenvironment: test\nlog_retention_days: 30\nnetwork:\n"
    "  cidr: 10.0.0.0/16\n  az_count: 3\n  nat_gateways: 3\nservices:\n"
]
patterns = ["ecs", "lambda", "ec2", "worker"]
stores = {"ecs": "dynamodb", "lambda": "elasticache", "ec2": "rds", "worker": "dynamodb"}
for i in range(n):
    p = patterns[i % 4]
    out.append(f"  - name: svc{i}\n    version: 1.{i}.0\n    pattern: {p}\n    datastore: {stores[p]}\n")
    if p == "ecs":
        out.append("    streams: [events]\n")
    if p == "ec2":
        out.append("    queues: [jobs]\n")
    if p == "worker":
        out.append(f"    consumes: [{{stream: svc{i - 3}/events}}, {{queue: svc{i - 1}/jobs}}]\n")
    elif i >= 4:
        callee = next(j for j in range(i - 1, -1, -1) if j % 4 != 3)
        out.append(f"    calls: [svc{callee}]\n")
sys.stdout.write("".join(out))
