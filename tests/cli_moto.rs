//! The `stackcraft` binary against moto's CloudFormation on 127.0.0.1:
//! `deploy`, `diff` and `destroy` as a user runs them, with stdin from
//! /dev/null and `CI=true`. Every run of the binary has a deadline, and
//! moto is killed when the test ends (also when it panics), so a stuck
//! command fails the test instead of hanging it.
//!
//! A refused deploy (no `--yes`, no terminal) once left a stack in
//! `REVIEW_IN_PROGRESS`; moto then made a second stack of that name for the
//! next change set and `deploy` followed the wrong one forever. The first
//! steps here pin that down.

mod moto;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use moto::{Moto, isolated_env};

/// What one run of the binary did.
struct Run {
    code: i32,
    out: String,
    err: String,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.out, self.err
        )
    }
}

struct Cli<'a> {
    env: Vec<(&'static str, String)>,
    dir: &'a Path,
}

impl Cli<'_> {
    /// Runs `stackcraft args` in the temporary directory; kills it after
    /// 60 s. Output goes to files, so a full pipe cannot block the child.
    fn run(&self, args: &[&str]) -> Run {
        let (out, err) = (self.dir.join("stdout"), self.dir.join("stderr"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_stackcraft"))
            .env(
                "STACKCRAFT_CACHE_DIR",
                concat!(env!("CARGO_TARGET_TMPDIR"), "/gate-cache"),
            )
            .args(args)
            .current_dir(self.dir)
            .envs(self.env.iter().map(|(k, v)| (*k, v.as_str())))
            .env_remove("AWS_PROFILE")
            .env_remove("NO_COLOR")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::fs::File::create(&err).unwrap())
            .spawn()
            .unwrap();
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > Duration::from_secs(60) {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "stackcraft {args:?} did not finish in 60 s; stderr:\n{}",
                    std::fs::read_to_string(&err).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        Run {
            code: status.code().unwrap_or(-1),
            out: std::fs::read_to_string(out).unwrap(),
            err: std::fs::read_to_string(err).unwrap(),
        }
    }
}

#[test]
fn deploy_diff_and_destroy_through_the_binary() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().unwrap();
    let cli = Cli {
        env: isolated_env(&moto.endpoint, dir.path()),
        dir: dir.path(),
    };
    blueprint_stack(&cli);
    template_file(&cli);
    bad_targets(&cli);
}

/// The micro network stack: a refused deploy leaves nothing, then deploy,
/// no change, diff, a create-only change through --config, a refused
/// destroy.
fn blueprint_stack(cli: &Cli) {
    let network = ["micro", "--stack", "network"];
    let with = |cmd: &str, extra: &[&str]| -> Run {
        let mut args = vec![cmd];
        args.extend(network);
        args.extend(extra);
        cli.run(&args)
    };

    let refused = with("deploy", &[]);
    assert_eq!(refused.code, 2, "{refused}");
    assert!(
        refused.err.contains("no terminal to ask on: pass --yes"),
        "{refused}"
    );
    let fresh = with("diff", &[]);
    assert_eq!(fresh.code, 1, "{fresh}");
    assert!(
        fresh
            .out
            .starts_with("shop-prod-network: new stack, 35 resource(s) to add\n"),
        "{fresh}"
    );

    let deploy = with("deploy", &["--yes"]);
    assert_eq!(deploy.code, 0, "{deploy}");
    assert!(
        deploy.out.contains("shop-prod-network (CREATE): 35 to add"),
        "{deploy}"
    );
    assert!(
        deploy.err.contains("shop-prod-network: CREATE_COMPLETE"),
        "{deploy}"
    );
    let again = with("deploy", &["--yes"]);
    assert!(
        again.out.contains("shop-prod-network: no changes"),
        "{again}"
    );

    let same = with("diff", &[]);
    assert_eq!(
        (same.code, same.out.as_str()),
        (0, "shop-prod-network: no differences\n"),
        "{same}"
    );

    let settings = include_str!("../blueprints/micro.yaml")
        .replace("cidr: 10.40.0.0/16", "cidr: 10.41.0.0/16");
    assert!(settings.contains("10.41.0.0/16"));
    std::fs::write(cli.dir.join("wider.yaml"), settings).unwrap();
    let changed = with("diff", &["--config", "wider.yaml"]);
    assert_eq!(changed.code, 1, "{changed}");
    assert!(changed.out.starts_with("shop-prod-network: 0 to add, 19 to modify (5 replaced, 14 may be replaced), 0 to remove\n"), "{changed}");
    assert!(changed.out.contains("  ± Vpc                                  AWS::EC2::VPC  REPLACE\n      Properties.CidrBlock: \"10.40.0.0/16\" -> \"10.41.0.0/16\"  (create-only: replaces)\n"), "{changed}");
    assert!(
        changed
            .out
            .contains("      VpcId refers to Vpc, which is replaced\n"),
        "{changed}"
    );
    assert!(
        !changed.out.contains('\x1b'),
        "colour without a terminal: {changed}"
    );

    // Without --yes and a terminal, destroy shows its plan (what stays
    // behind) and deletes nothing. (moto 5.2.1 cannot delete this stack:
    // it deletes the VPC before its subnets, DependencyViolation; the
    // template file below covers deletion.)
    let refused = with("destroy", &[]);
    assert_eq!(refused.code, 2, "{refused}");
    assert!(
        refused.out.contains(
            "will delete, in this order:\n  shop-prod-network (CREATE_COMPLETE, 35 resources)\n"
        ),
        "{refused}"
    );
    assert!(
        refused
            .out
            .contains("    stays: LoadBalancerLogsBucket (AWS::S3::Bucket) shop-prod-network-"),
        "{refused}"
    );
    assert!(
        refused.err.contains("no terminal to ask on: pass --yes"),
        "{refused}"
    );
    assert_eq!(
        with("diff", &[]).code,
        0,
        "the refused destroy deleted something"
    );
}

const QUEUE_V1: &str = "\
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: sc-cli-jobs
  Archive:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    Properties:
      BucketName: sc-cli-archive
  QueueUrl:
    Type: AWS::SSM::Parameter
    Properties:
      Name: /sc-cli/queue-url
      Type: String
      Value:
        Ref: Queue
Outputs:
  Url:
    Value:
      Ref: Queue
";

/// A YAML template file, deployed as it is; renaming its queue replaces
/// it (QueueName is create-only) while the parameter that stores its URL is
/// updated in place (Value is not create-only), and dropping the retained
/// bucket removes it from the stack but keeps it.
fn template_file(cli: &Cli) {
    std::fs::write(cli.dir.join("jobs.yaml"), QUEUE_V1).unwrap();
    let deploy = cli.run(&["deploy", "./jobs.yaml", "--yes"]);
    assert_eq!(deploy.code, 0, "{deploy}");
    assert!(deploy.out.contains("jobs (CREATE): 3 to add"), "{deploy}");
    let same = cli.run(&["diff", "./jobs.yaml"]);
    assert_eq!(
        (same.code, same.out.as_str()),
        (0, "jobs: no differences\n"),
        "{same}"
    );

    let v2 = QUEUE_V1
        .replace("QueueName: sc-cli-jobs", "QueueName: sc-cli-jobs-v2")
        .replace("  Archive:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Retain\n    Properties:\n      BucketName: sc-cli-archive\n", "")
        .replace("  Url:\n", "  QueueUrl:\n");
    std::fs::write(cli.dir.join("jobs.yaml"), v2).unwrap();
    let changed = cli.run(&["diff", "jobs.yaml"]);
    assert_eq!(changed.code, 1, "{changed}");
    let want = "\
jobs: 0 to add, 1 to modify (1 replaced), 1 to remove
  - Archive  AWS::S3::Bucket
  ± Queue    AWS::SQS::Queue  REPLACE
      Properties.QueueName: \"sc-cli-jobs\" -> \"sc-cli-jobs-v2\"  (create-only: replaces)
  Outputs: + QueueUrl, - Url
  note: Archive (AWS::S3::Bucket) holds data and will be DELETED; the old resource stays, outside the stack (DeletionPolicy Retain)
  WARNING: Queue (AWS::SQS::Queue) holds data and will be REPLACED: its data is lost (no UpdateReplacePolicy Retain or Snapshot)
";
    assert_eq!(changed.out, want, "{changed}");

    // destroy says, before deleting (also with --yes), which data goes
    // with the stack and what stays behind, billed.
    let gone = cli.run(&["destroy", "jobs.yaml", "--yes"]);
    assert_eq!(gone.code, 0, "{gone}");
    assert!(
        gone.out.contains(
            "    stays: Archive (AWS::S3::Bucket) sc-cli-archive  [DeletionPolicy Retain]; outside any stack, it is billed until you delete it\n"
        ),
        "{gone}"
    );
    assert!(
        gone.out.contains(
            "    WARNING: Queue (AWS::SQS::Queue) holds data and will be DELETED: its data is lost (no DeletionPolicy Retain or Snapshot)\n"
        ),
        "{gone}"
    );
    assert!(
        gone.out.find("WARNING: Queue") < gone.out.find("jobs: deleted"),
        "{gone}"
    );
    assert!(gone.out.contains("jobs: deleted"), "{gone}");
    let after = cli.run(&["diff", "jobs.yaml"]);
    assert_eq!(after.code, 1, "{after}");
    assert!(
        after
            .out
            .starts_with("jobs: new stack, 2 resource(s) to add\n"),
        "{after}"
    );
}

/// Bad input: exit 2 and a message, before any AWS call.
fn bad_targets(cli: &Cli) {
    let bad = cli.run(&["diff", "nonsense"]);
    assert_eq!(bad.code, 2, "{bad}");
    assert!(bad.err.contains("'nonsense': not a blueprint"), "{bad}");
    let missing = cli.run(&["diff", "./missing.yaml"]);
    assert_eq!(missing.code, 2, "{missing}");
    assert!(
        missing
            .err
            .contains("cannot read template file ./missing.yaml"),
        "{missing}"
    );
    std::fs::write(cli.dir.join("bad_name.json"), "{\"Resources\": {}}").unwrap();
    let name = cli.run(&["diff", "bad_name.json"]);
    assert_eq!(name.code, 2, "{name}");
    assert!(name.err.contains("not a valid stack name"), "{name}");
}
