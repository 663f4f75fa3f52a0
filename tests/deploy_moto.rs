//! `deploy` and `destroy` against a real CloudFormation API: moto in server
//! mode on 127.0.0.1 (a free port), started and stopped here. The Python
//! comes from `STACKCRAFT_MOTO_PYTHON` (scripts/test.sh sets it to the test
//! venv's); without it this test fails rather than skips.
//!
//! moto creates only some resource types, so the templates are small ones
//! of types it models (SQS, SNS, SSM, S3, IAM); `tests/moto_cfn_server.py`
//! adds the failure events and rollback that moto lacks.
//!
//! This is the only test in this binary: it sets the process environment
//! (endpoint, fake credentials, Region) before any other thread reads it.

mod moto;

use std::time::Duration;

use serde_json::{Value, json};
use stackcraft::deploy::params::{Assignment, ParameterValues};
use stackcraft::deploy::run::{self, DeployOptions, Outcome};
use stackcraft::deploy::ui::Ui;
use stackcraft::deploy::{Aws, AwsOptions, DeployError, StackSpec, destroy};

use moto::{Moto, isolated_env};

fn spec(name: &str, template: Value) -> StackSpec {
    StackSpec {
        name: name.into(),
        stack_name: format!("sc-test-{name}"),
        body: serde_json::to_string_pretty(&template).unwrap(),
        template,
    }
}

fn queue_and_param(value: &str) -> Value {
    json!({
        "Resources": {
            "Queue": {"Type": "AWS::SQS::Queue"},
            "Setting": {"Type": "AWS::SSM::Parameter",
                        "Properties": {"Name": "/sc-test/app/setting", "Type": "String", "Value": value}}
        },
        "Outputs": {"QueueUrl": {"Value": {"Ref": "Queue"}}}
    })
}

struct Env {
    aws: Aws,
    ui: Ui,
    opts: DeployOptions,
    rt: tokio::runtime::Runtime,
}

impl Env {
    fn deploy(
        &self,
        stacks: &[StackSpec],
        values: &ParameterValues,
    ) -> Result<Vec<Outcome>, DeployError> {
        self.rt
            .block_on(run::deploy(&self.aws, &self.ui, stacks, values, &self.opts))
    }

    fn status(&self, stack: &str) -> Option<String> {
        self.rt
            .block_on(self.aws.describe(stack))
            .unwrap()
            .map(|s| s.status)
    }

    fn outputs(&self, stack: &str) -> Vec<(String, String)> {
        self.rt
            .block_on(self.aws.describe(stack))
            .unwrap()
            .map(|s| s.outputs)
            .unwrap_or_default()
    }
}

fn values(list: &[&str]) -> ParameterValues {
    ParameterValues {
        cli: list.iter().map(|a| Assignment::parse(a).unwrap()).collect(),
        file: vec![],
    }
}

#[test]
fn deploy_and_destroy_against_moto() {
    let moto = Moto::start();
    let home = tempfile::tempdir().unwrap();
    let env_vars = isolated_env(&moto.endpoint, home.path());
    for (k, v) in &env_vars {
        // SAFETY: the only test of this binary; no other thread reads the environment.
        unsafe { std::env::set_var(k, v) };
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let aws = rt.block_on(Aws::connect(&AwsOptions::default())).unwrap();
    let env = Env {
        aws,
        ui: Ui {
            plain: true,
            assume_yes: true,
        },
        opts: DeployOptions {
            max_poll: Duration::from_millis(200),
            ..DeployOptions::default()
        },
        rt,
    };

    create_update_no_change(&env);
    parameters(&env);
    failing_create_then_rerun(&env);
    large_template_through_s3(&env);
    multi_stack_order_and_destroy(&env);
}

fn create_update_no_change(env: &Env) {
    let v1 = spec("app", queue_and_param("one"));
    let out = env
        .deploy(std::slice::from_ref(&v1), &ParameterValues::default())
        .unwrap();
    let Outcome::Deployed(outputs) = &out[0] else {
        panic!("{out:?}")
    };
    assert_eq!(outputs[0].0, "QueueUrl");
    assert!(
        outputs[0].1.contains("/123456789012/sc-test-app-Queue"),
        "{outputs:?}"
    );
    assert_eq!(
        env.status("sc-test-app").as_deref(),
        Some("CREATE_COMPLETE")
    );

    let same = env
        .deploy(std::slice::from_ref(&v1), &ParameterValues::default())
        .unwrap();
    assert_eq!(same, [Outcome::NoChanges]);

    let v2 = spec("app", queue_and_param("two"));
    let left = DeployOptions {
        no_execute: true,
        ..env.opts.clone()
    };
    let out = env
        .rt
        .block_on(run::deploy(
            &env.aws,
            &env.ui,
            std::slice::from_ref(&v2),
            &ParameterValues::default(),
            &left,
        ))
        .unwrap();
    assert!(
        matches!(&out[0], Outcome::Left(id) if id.contains("changeSet")),
        "{out:?}"
    );
    assert_eq!(
        env.status("sc-test-app").as_deref(),
        Some("CREATE_COMPLETE"),
        "--no-execute executed"
    );

    let out = env
        .deploy(std::slice::from_ref(&v2), &ParameterValues::default())
        .unwrap();
    assert!(matches!(out[0], Outcome::Deployed(_)), "{out:?}");
    assert_eq!(
        env.status("sc-test-app").as_deref(),
        Some("UPDATE_COMPLETE")
    );
}

fn parameters(env: &Env) {
    let template = json!({
        "Parameters": {
            "Greeting": {"Type": "String"},
            "Size": {"Type": "String", "Default": "1"}
        },
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {"Greeting": {"Value": {"Ref": "Greeting"}}, "Size": {"Value": {"Ref": "Size"}}}
    });
    let s = spec("params", template.clone());
    // A required parameter without a value fails before any AWS call.
    let err = env
        .deploy(std::slice::from_ref(&s), &ParameterValues::default())
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("stack params: parameter Greeting has no default"),
        "{err}"
    );
    assert_eq!(env.status("sc-test-params"), None);

    env.deploy(
        std::slice::from_ref(&s),
        &values(&["Greeting=hello", "params:Size=5"]),
    )
    .unwrap();
    let mut outputs = env.outputs("sc-test-params");
    outputs.sort();
    assert_eq!(
        outputs,
        [
            ("Greeting".into(), "hello".into()),
            ("Size".into(), "5".into())
        ]
    );

    // An update that does not give Size keeps its previous value, not the default.
    let mut changed = template;
    changed["Resources"]["Queue"] = json!({"Type": "AWS::SQS::Queue"});
    let s2 = spec("params", changed);
    env.deploy(std::slice::from_ref(&s2), &values(&["Greeting=hi"]))
        .unwrap();
    let mut outputs = env.outputs("sc-test-params");
    outputs.sort();
    assert_eq!(
        outputs,
        [
            ("Greeting".into(), "hi".into()),
            ("Size".into(), "5".into())
        ]
    );
}

fn failing_create_then_rerun(env: &Env) {
    let bad = spec(
        "fails",
        json!({"Resources": {
            "Queue": {"Type": "AWS::SQS::Queue"},
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "not a valid name!"}}
        }}),
    );
    let err = env
        .deploy(std::slice::from_ref(&bad), &ParameterValues::default())
        .unwrap_err();
    let DeployError::Failed {
        stack,
        status,
        cause,
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(
        (stack.as_str(), status.as_str()),
        ("sc-test-fails", "ROLLBACK_COMPLETE")
    );
    let cause = cause.as_deref().unwrap();
    assert!(
        cause.starts_with("Topic (AWS::SNS::Topic) CREATE_FAILED: "),
        "{cause}"
    );
    assert!(cause.contains("Topic names must be made up of"), "{cause}");
    assert_eq!(
        env.status("sc-test-fails").as_deref(),
        Some("ROLLBACK_COMPLETE")
    );

    // The rerun deletes the never-completed stack and creates it again.
    let fixed = spec(
        "fails",
        json!({"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}, "Topic": {"Type": "AWS::SNS::Topic"}}}),
    );
    let out = env
        .deploy(std::slice::from_ref(&fixed), &ParameterValues::default())
        .unwrap();
    assert!(matches!(out[0], Outcome::Deployed(_)), "{out:?}");
    assert_eq!(
        env.status("sc-test-fails").as_deref(),
        Some("CREATE_COMPLETE")
    );
}

fn large_template_through_s3(env: &Env) {
    let mut template = queue_and_param("big");
    template["Resources"]["Setting"]["Properties"]["Name"] = json!("/sc-test/big/setting");
    template["Metadata"] = json!({"Padding": "x".repeat(60_000)});
    let big = spec("big", template);
    assert!(big.body.len() > stackcraft::deploy::artifacts::INLINE_LIMIT);
    let s3 = env.aws.s3().clone();

    // --bucket NAME: the template goes through the user's bucket.
    env.rt
        .block_on(s3.create_bucket().bucket("my-templates").send())
        .unwrap();
    let opts = DeployOptions {
        bucket: Some("my-templates".into()),
        ..env.opts.clone()
    };
    env.rt
        .block_on(run::deploy(
            &env.aws,
            &env.ui,
            std::slice::from_ref(&big),
            &ParameterValues::default(),
            &opts,
        ))
        .unwrap();
    assert_eq!(
        env.status("sc-test-big").as_deref(),
        Some("CREATE_COMPLETE")
    );
    let listed = env
        .rt
        .block_on(s3.list_objects_v2().bucket("my-templates").send())
        .unwrap();
    let keys: Vec<&str> = listed.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert!(keys[0].starts_with("templates/sc-test-big/"), "{keys:?}");

    // Our bucket is created on first use: private, encrypted, expiring and
    // TLS-only. moto enforces the policy, and this endpoint is plain HTTP, so
    // the upload itself is denied: the policy works.
    let mut template = big.template.clone();
    template["Resources"]["Setting"]["Properties"]["Name"] = json!("/sc-test/big2/setting");
    let err = env
        .deploy(&[spec("big2", template)], &ParameterValues::default())
        .unwrap_err();
    assert!(
        matches!(&err, DeployError::Aws { operation: "PutObject", message } if message.contains("403")),
        "{err}"
    );
    let bucket = "stackcraft-artifacts-123456789012-us-east-1";
    env.rt.block_on(async {
        let policy = s3.get_bucket_policy().bucket(bucket).send().await.unwrap();
        assert!(policy.policy().unwrap().contains("aws:SecureTransport"));
        let block = s3
            .get_public_access_block()
            .bucket(bucket)
            .send()
            .await
            .unwrap();
        let block = block.public_access_block_configuration().unwrap();
        assert_eq!(block.restrict_public_buckets(), Some(true));
        assert_eq!(block.block_public_acls(), Some(true));
        let enc = s3
            .get_bucket_encryption()
            .bucket(bucket)
            .send()
            .await
            .unwrap();
        assert!(enc.server_side_encryption_configuration().is_some());
        let life = s3
            .get_bucket_lifecycle_configuration()
            .bucket(bucket)
            .send()
            .await
            .unwrap();
        assert_eq!(life.rules()[0].expiration().unwrap().days(), Some(30));
    });
}

/// `app` reads the queue name that `base` publishes in SSM: it deploys only
/// when `base` went first.
fn multi_stack_order_and_destroy(env: &Env) {
    let base = spec(
        "base",
        json!({"Resources": {
            "Queue": {"Type": "AWS::SQS::Queue", "DeletionPolicy": "Retain"},
            "Name": {"Type": "AWS::SSM::Parameter", "Properties": {
                "Name": "/sc-test/base/queue-name", "Type": "String",
                "Value": {"Fn::GetAtt": ["Queue", "QueueName"]}}}
        }}),
    );
    let app = spec(
        "consumer",
        json!({
            "Parameters": {"QueueName": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/sc-test/base/queue-name"}},
            "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
            "Outputs": {"QueueName": {"Value": {"Ref": "QueueName"}}}
        }),
    );
    let out = env
        .deploy(&[base.clone(), app.clone()], &ParameterValues::default())
        .unwrap();
    assert_eq!(out.len(), 2);
    let queue = &env.outputs("sc-test-consumer")[0].1;
    assert!(queue.starts_with("sc-test-base-Queue"), "{queue}");

    let deleted = env
        .rt
        .block_on(destroy::destroy(
            &env.aws,
            &env.ui,
            &[base, app],
            Duration::from_millis(200),
        ))
        .unwrap();
    assert_eq!(deleted, 2);
    assert_eq!(env.status("sc-test-base"), None);
    assert_eq!(env.status("sc-test-consumer"), None);
}
