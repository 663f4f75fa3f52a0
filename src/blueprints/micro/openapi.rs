//! OpenAPI documents of the services' REST APIs (M7): one template renders
//! the contract; API Gateway gets it with integrations added, clients get it
//! clean.

use serde_json::{Value, json};

use super::settings::Service;
use crate::cfn::Str;
use crate::templates::{self, TemplateError};

/// API Gateway's URI of a Lambda function's proxy integration.
const INVOCATIONS: &str = "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Function}/invocations";

/// The clean document, for client generation.
pub fn document(app: &str, svc: &Service) -> Result<Value, TemplateError> {
    let text = templates::render(
        "openapi/service.json.j2",
        minijinja::context! {
            title => format!("{app} {}", svc.name),
            name => svc.name.as_str(),
            version => svc.version.as_str(),
            description => &svc.description,
        },
    )?;
    Ok(serde_json::from_str(&text).expect("the OpenAPI template renders JSON"))
}

/// The document with an `aws_proxy` integration to `function_arn` on every
/// operation: the REST API's `Body`.
pub fn with_lambda_integrations(doc: &Value, function_arn: Str) -> Value {
    let mut body = doc.clone();
    let uri = crate::cfn::sub_with(INVOCATIONS, [("Function", function_arn)]);
    if let Some(paths) = body.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            if let Some(ops) = item.as_object_mut() {
                for (method, op) in ops.iter_mut() {
                    if method == "parameters" {
                        continue;
                    }
                    op["x-amazon-apigateway-integration"] = json!({
                        "type": "aws_proxy",
                        "httpMethod": "POST",
                        "uri": uri.to_json(),
                        "passthroughBehavior": "when_no_match"
                    });
                }
            }
        }
    }
    body
}
