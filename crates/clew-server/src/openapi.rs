//! The OpenAPI 3.1 document of the JSON API, made from the route table (so a route cannot be missing from it)
//! and served at `/api/v1/openapi.json`. Responses are described as far as clients rely on them: every error
//! is `{"code", "message"}` with a code of the one table (docs/errors.md).

use axum::Json;
use clew_service::Code;
use serde_json::{Value, json};

use crate::routes::{Permission, RouteSpec, specs};

/// The routes of the API: under `/api/` and yente's `/match/`.
pub(crate) fn is_api(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/match/")
}

/// The query parameters a route takes (name, JSON type, description).
fn query_parameters(spec: &RouteSpec) -> Vec<(&'static str, &'static str, &'static str)> {
    match spec.path {
        "/api/v1/entities" => vec![
            ("schema", "string", "one schema (Person, Company, PublicBody, Worksite, ...)"),
            ("after", "string", "the last id of the page before"),
            ("limit", "integer", "rows, 1 to 200"),
        ],
        "/api/v1/testimonies" => vec![
            ("sector", "string", "a spell's sector code"),
            ("region", "string", "a spell's worksite region"),
            ("year", "string", "the year a spell began"),
            ("visa", "string", "a spell's visa channel (permit purpose)"),
            ("outcome", "string", "a spell's ICLS 2018 outcome code"),
            ("coder", "string", "who recorded statements of it"),
            ("after", "string", "the last id of the page before"),
            ("limit", "integer", "rows, 1 to 200"),
        ],
        "/api/v1/search" => vec![
            ("q", "string", "a name in any script, at most 256 characters"),
            ("schema", "string", "one schema"),
            ("limit", "integer", "hits, 1 to 100"),
        ],
        "/api/v1/log" => {
            vec![("before", "integer", "events before this sequence number"), ("limit", "integer", "rows")]
        }
        "/api/v1/review" => vec![("schema", "string", "Person, Company or Worksite"), ("limit", "integer", "pairs")],
        "/match/{dataset}" => vec![
            ("limit", "integer", "results per query"),
            ("threshold", "number", "the score from which a result is a match"),
            ("cutoff", "number", "results below it are left out"),
            ("algorithm", "string", "default, best or clew-screen-v1"),
            ("exclude_schema", "string", "a schema left out (repeat for more)"),
            ("include_dataset", "string", "results only from this dataset (repeat for more)"),
            ("exclude_dataset", "string", "a dataset left out (repeat for more)"),
            ("exclude_entity_ids", "string", "an entity id left out (repeat for more)"),
        ],
        _ => Vec::new(),
    }
}

/// The request body a route takes, as a schema.
fn request_body(spec: &RouteSpec) -> Option<Value> {
    let string = json!({"type": "string"});
    match spec.path {
        "/api/v1/testimonies/{id}/facts" => Some(json!({
            "type": "object",
            "required": ["segment", "entity", "property", "value"],
            "properties": {
                "segment": string, "entity": string, "schema": string, "property": string, "value": string,
                "replaces": string, "note": string,
            },
        })),
        "/api/v1/review" if spec.method == "POST" => Some(json!({
            "type": "object",
            "required": ["a", "b", "verdict"],
            "properties": {"a": string, "b": string, "verdict": {"enum": ["same", "different", "unsure"]}, "note": string},
        })),
        "/match/{dataset}" => Some(json!({
            "type": "object",
            "required": ["queries"],
            "properties": {
                "queries": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/EntityExample"}},
                "weights": {"type": "object"},
                "config": {"type": "object"},
            },
        })),
        _ => None,
    }
}

fn operation(spec: &RouteSpec) -> Value {
    let mut parameters: Vec<Value> = spec
        .path
        .split('/')
        .filter_map(|part| part.strip_prefix('{').and_then(|p| p.strip_suffix('}')))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    for (name, kind, description) in query_parameters(spec) {
        parameters.push(json!({"name": name, "in": "query", "required": false, "description": description, "schema": {"type": kind}}));
    }
    let error = json!({"description": "refused or failed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let mut responses = serde_json::Map::new();
    responses.insert(
        "200".into(),
        json!({"description": "done", "content": {"application/json": {"schema": {"type": ["object", "null"]}}}}),
    );
    for code in Code::ALL {
        responses.entry(code.http_status().to_string()).or_insert_with(|| error.clone());
    }
    let mut operation = json!({
        "summary": spec.summary,
        "operationId": format!("{} {}", spec.method.to_lowercase(), spec.path),
        "parameters": parameters,
        "responses": responses,
        "x-clew-permission": spec.permission.as_str(),
    });
    if spec.permission == Permission::Public {
        operation["security"] = json!([]);
    }
    if let Some(schema) = request_body(spec) {
        operation["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": schema}}});
    }
    operation
}

/// The document.
pub(crate) fn document() -> Value {
    let mut paths = serde_json::Map::new();
    for spec in specs().iter().filter(|spec| is_api(spec.path)) {
        let entry = paths.entry(spec.path.to_string()).or_insert_with(|| json!({}));
        entry[spec.method.to_lowercase()] = operation(spec);
    }
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "clew",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The JSON API of clew serve: every page's view as JSON, and OpenSanctions' (yente's) POST /match/{dataset}. Authenticate with an API token (clew user token) as a bearer token. Errors are {\"code\", \"message\"}; the codes are those of docs/errors.md.",
        },
        "security": [{"token": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {"code": {"enum": codes}, "message": {"type": "string"}},
                },
                "EntityExample": {
                    "type": "object",
                    "required": ["schema"],
                    "properties": {
                        "id": {"type": ["string", "null"]},
                        "schema": {"type": "string"},
                        "properties": {"type": "object", "additionalProperties": {"type": ["array", "string"], "items": {"type": "string"}}},
                    },
                },
            },
        },
    })
}

pub(crate) async fn serve() -> Json<Value> {
    Json(document())
}
