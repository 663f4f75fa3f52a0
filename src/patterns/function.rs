//! A Python Lambda function with its execution role and log group: the unit
//! every blueprint builds on.

use indexmap::IndexMap;

use crate::cfn::{Handle, List, Str, Template, sub, sub_with};
use crate::resources::iam::{Role, Statement};
use crate::resources::lambda::{
    Code, DeadLetterConfig, Environment, Function, LoggingConfig, TracingConfig, VpcConfig,
};
use crate::resources::logs::LogGroup;

/// What a function needs; [`python_function`] adds the secure rest.
#[derive(Debug, Clone)]
pub struct FunctionSpec {
    /// Prefix of the logical ids: `{name}Function`, `{name}Role`, `{name}LogGroup`.
    pub name: String,
    /// What the function does.
    pub description: String,
    /// The rendered Python source, inlined as `index.py`.
    pub code: String,
    /// Memory in MB.
    pub memory_mb: i64,
    /// Timeout in seconds.
    pub timeout_seconds: i64,
    /// Environment variables.
    pub environment: IndexMap<String, Str>,
    /// Least-privilege statements for what the function touches.
    pub statements: Vec<Statement>,
    /// Days to keep logs.
    pub log_retention_days: i64,
    /// Private subnets and security groups, when the function runs in a VPC.
    pub vpc: Option<VpcConfig>,
    /// Lambda layers (dependencies the runtime lacks).
    pub layers: Option<List>,
    /// Concurrency reserved for, and capping, the function.
    pub reserved_concurrency: Option<i64>,
    /// Where failed asynchronous invocations go (queue or topic ARN).
    pub dead_letter_target: Option<Str>,
    /// A KMS key (ARN) that encrypts the log group.
    pub log_key: Option<Str>,
}

impl FunctionSpec {
    /// A spec with the defaults: 256 MB, 10 s, 30 days of logs.
    pub fn new(name: &str, description: &str, code: String) -> Self {
        FunctionSpec {
            name: name.to_owned(),
            description: description.to_owned(),
            code,
            memory_mb: 256,
            timeout_seconds: 10,
            environment: IndexMap::new(),
            statements: Vec::new(),
            log_retention_days: 30,
            vpc: None,
            layers: None,
            reserved_concurrency: None,
            dead_letter_target: None,
            log_key: None,
        }
    }

    /// Adds an environment variable.
    pub fn env(mut self, key: &str, value: impl Into<Str>) -> Self {
        self.environment.insert(key.to_owned(), value.into());
        self
    }

    /// Adds permission statements.
    pub fn allow(mut self, statements: impl IntoIterator<Item = Statement>) -> Self {
        self.statements.extend(statements);
        self
    }
}

/// The resources [`python_function`] adds.
#[derive(Debug, Clone)]
pub struct FunctionParts {
    /// The function.
    pub function: Handle<Function>,
    /// Its execution role.
    pub role: Handle<Role>,
    /// Its log group.
    pub log_group: Handle<LogGroup>,
}

/// Actions a function in a VPC needs to manage its network interfaces. They
/// take network interface, subnet and security group ARNs (AWS Service
/// Authorization Reference), so they are scoped to this account and region:
/// the form the Lambda developer guide gives (`arn:aws:ec2:REGION:ACCOUNT:*/*`).
const VPC_ACCESS_ACTIONS: [&str; 4] = [
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
];

/// Describing network interfaces accepts only `Resource: "*"`.
const VPC_DESCRIBE_ACTIONS: [&str; 1] = ["ec2:DescribeNetworkInterfaces"];

/// Actions that send X-Ray traces; they accept only `*`.
const XRAY_ACTIONS: [&str; 2] = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"];

/// Adds a Python 3.12 arm64 function with an explicit log group (retention
/// set, not left to grow forever), an execution role limited to that log
/// group plus `spec.statements`, and active X-Ray tracing.
pub fn python_function(t: &mut Template, spec: FunctionSpec) -> FunctionParts {
    let name = &spec.name;
    let log_group = t.add(
        &format!("{name}LogGroup"),
        LogGroup {
            retention_in_days: Some(spec.log_retention_days.into()),
            kms_key_id: spec.log_key.clone(),
            ..Default::default()
        },
    );

    let mut statements = vec![
        Statement::allow(
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            vec![log_group.arn()],
        )
        .sid("WriteOwnLogs"),
        Statement::allow(XRAY_ACTIONS, vec!["*".into()]).sid("SendTraces"),
    ];
    if spec.vpc.is_some() {
        let here = sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:*/*");
        statements
            .push(Statement::allow(VPC_ACCESS_ACTIONS, vec![here]).sid("ManageVpcInterfaces"));
        statements.push(
            Statement::allow(VPC_DESCRIBE_ACTIONS, vec!["*".into()]).sid("DescribeVpcInterfaces"),
        );
    }
    if let Some(target) = &spec.dead_letter_target {
        let action = if target_is_topic(target) {
            "sns:Publish"
        } else {
            "sqs:SendMessage"
        };
        statements.push(Statement::allow([action], vec![target.clone()]).sid("DeadLetter"));
    }
    statements.extend(spec.statements);

    let role = t.add(
        &format!("{name}Role"),
        Role::for_service(
            "lambda.amazonaws.com",
            format!("Execution role of {name}Function"),
            format!("{name}Access"),
            statements,
        ),
    );

    let environment = (!spec.environment.is_empty()).then(|| Environment {
        variables: spec.environment,
    });
    let function = t.add(
        &format!("{name}Function"),
        Function {
            description: Some(spec.description),
            runtime: Some("python3.12".into()),
            handler: Some("index.handler".into()),
            code: Code {
                zip_file: Some(spec.code),
                ..Default::default()
            },
            role: role.arn(),
            memory_size: Some(spec.memory_mb.into()),
            timeout: Some(spec.timeout_seconds.into()),
            architectures: vec!["arm64"],
            environment,
            layers: spec.layers,
            vpc_config: spec.vpc,
            tracing_config: Some(TracingConfig { mode: "Active" }),
            dead_letter_config: spec
                .dead_letter_target
                .map(|target_arn| DeadLetterConfig { target_arn }),
            reserved_concurrent_executions: spec.reserved_concurrency.map(Into::into),
            logging_config: Some(LoggingConfig {
                log_group: Some(log_group.r#ref()),
                log_format: Some("JSON"),
            }),
            ..Default::default()
        },
    );
    if spec.reserved_concurrency.is_none() {
        super::waivers::waive(t, &function, &[("CKV_AWS_115", NO_RESERVATION_WAIVER)]);
    }
    FunctionParts {
        function,
        role,
        log_group,
    }
}

/// Why a function without reserved concurrency is not a finding.
const NO_RESERVATION_WAIVER: &str = "Reserved concurrency is a setting, off by default: Lambda \
     keeps 100 of the account's concurrency unreserved and new accounts may have a quota of 10, \
     so a fixed reservation fails to deploy there";

fn target_is_topic(target: &Str) -> bool {
    // Topic handles render as `Ref` (topic ARN), queues as `GetAtt .Arn`.
    matches!(target.intrinsic(), Some(crate::cfn::Intrinsic::Ref(_)))
}

/// The ARN pattern API Gateway presents when invoking from `rest_api`'s
/// methods, for a `lambda:InvokeFunction` permission's `SourceArn`.
pub fn execute_api_arn(rest_api: Str, path: &str) -> Str {
    sub_with(
        &format!(
            "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{Api}}{path}"
        ),
        [("Api", rest_api)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn function_gets_role_log_group_and_tracing() {
        let mut t = Template::new("x");
        let parts = python_function(
            &mut t,
            FunctionSpec::new(
                "Api",
                "does things",
                "def handler(e, c):\n    return 1\n".into(),
            )
            .env("TABLE", "t")
            .allow([Statement::allow(["dynamodb:GetItem"], vec!["arn:t".into()])]),
        );
        assert_eq!(parts.function.id(), "ApiFunction");
        let j = t.to_json();
        let f = &j["Resources"]["ApiFunction"]["Properties"];
        assert_eq!(f["Role"], json!({"Fn::GetAtt": ["ApiRole", "Arn"]}));
        assert_eq!(
            f["LoggingConfig"]["LogGroup"],
            json!({"Ref": "ApiLogGroup"})
        );
        assert_eq!(f["TracingConfig"]["Mode"], "Active");
        let stmts =
            &j["Resources"]["ApiRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
        assert_eq!(stmts.as_array().unwrap().len(), 3);
        assert_eq!(
            stmts[0]["Resource"],
            json!([{"Fn::GetAtt": ["ApiLogGroup", "Arn"]}])
        );
        assert_eq!(
            j["Resources"]["ApiLogGroup"]["Properties"]["RetentionInDays"],
            30
        );
    }
}
