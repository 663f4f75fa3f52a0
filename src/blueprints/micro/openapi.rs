//! OpenAPI documents of the services' REST APIs (M7): one function builds
//! the contract as data; API Gateway gets it with integrations added, clients get it
//! clean.

use serde_json::{Value, json};

use super::settings::Service;
use crate::cfn::Str;

/// API Gateway's URI of a Lambda function's proxy integration.
const INVOCATIONS: &str = "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Function}/invocations";

/// The clean document, for client generation: built as data (no text to
/// parse, nothing a service's description could break).
pub fn document(app: &str, svc: &Service) -> Value {
    let name = svc.name.as_str();
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": format!("{app} {name}"),
            "version": svc.version.as_str(),
            "description": &svc.description
        },
        "paths": paths(name),
        "components": {"schemas": schemas()}
    })
}

/// A JSON response of `schema` (a component's name).
fn returns(description: &str, schema: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

/// A required JSON request body of the `NewItem` component.
fn new_item_body() -> Value {
    json!({"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewItem"}}}})
}

/// The operations: health, then the item collection and one item.
fn paths(name: &str) -> Value {
    let list = json!({"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}});
    json!({
        "/health": {"get": {
            "operationId": "health",
            "summary": "Liveness and dependency check",
            "responses": {"200": returns("Healthy", "Health")}
        }},
        "/items": {
            "get": {
                "operationId": "listItems",
                "summary": format!("List {name} items"),
                "responses": {"200": {"description": "The items", "content": {"application/json": {"schema": list}}}}
            },
            "post": {
                "operationId": "createItem",
                "summary": format!("Create a {name} item"),
                "requestBody": new_item_body(),
                "responses": {"201": returns("Created", "Item"), "400": returns("Invalid input", "Error")}
            }
        },
        "/items/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "pattern": ITEM_ID}}],
            "get": {
                "operationId": "getItem",
                "summary": format!("Read one {name} item"),
                "responses": {"200": returns("The item", "Item"), "404": returns("No such item", "Error")}
            },
            "put": {
                "operationId": "putItem",
                "summary": format!("Create or replace a {name} item"),
                "requestBody": new_item_body(),
                "responses": {"200": returns("Stored", "Item")}
            },
            "delete": {
                "operationId": "deleteItem",
                "summary": format!("Delete a {name} item"),
                "responses": {"204": {"description": "Deleted"}, "404": {"description": "No such item"}}
            }
        }
    })
}

/// An item's id in the path, as the handler validates it.
const ITEM_ID: &str = "^[A-Za-z0-9-]{1,64}$";

/// The component schemas the operations refer to.
fn schemas() -> Value {
    let attributes = json!({"type": "object", "additionalProperties": true});
    json!({
        "NewItem": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 200},
            "attributes": attributes
        }},
        "Item": {"type": "object", "required": ["id", "name"], "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "attributes": attributes,
            "updatedAt": {"type": "string", "format": "date-time"}
        }},
        "Health": {"type": "object", "properties": {
            "service": {"type": "string"}, "version": {"type": "string"}, "status": {"type": "string"}
        }},
        "Error": {"type": "object", "required": ["error"], "properties": {
            "error": {"type": "string"}, "field": {"type": "string"}
        }}
    })
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
