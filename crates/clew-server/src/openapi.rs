//! The OpenAPI 3.1 document of the JSON API, made from the route table (so a route cannot be missing from it)
//! and served at `/api/v1/openapi.json`. Every success is described by its schema (the keys a client relies on
//! and their types; more keys may come in later versions), and every error is `{"code", "message"}` with a code
//! of the one table (docs/errors.md). schemathesis checks the server against it, signed in as each role
//! (`crates/clew-server/tests/schemathesis/`).

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
        "/api/v1/inbox/{number}/messages" => Some(json!({
            "type": "object",
            "required": ["kind", "sealed"],
            "properties": {"kind": {"enum": ["reply", "note"]}, "sealed": {"type": "string", "description": "an age file, base64"}},
        })),
        "/api/v1/inbox/{number}/state" => Some(json!({
            "type": "object",
            "required": ["state"],
            "properties": {"state": {"enum": clew_service::safe_line::STATES}},
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

/// A JSON object with these keys required, each of the type given.
fn object(properties: Value) -> Value {
    let required: Vec<String> = properties.as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default();
    json!({"type": "object", "required": required, "properties": properties})
}

fn array(items: Value) -> Value {
    json!({"type": "array", "items": items})
}

fn nullable(kind: &str) -> Value {
    json!({"type": [kind, "null"]})
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// What a route of the API answers when it succeeds (status 200); `None` for any other route (a test makes sure
/// every route of the API has one).
pub(crate) fn response_schema(spec: &RouteSpec) -> Option<Value> {
    let (s, i, n, b) =
        (json!({"type": "string"}), json!({"type": "integer"}), json!({"type": "number"}), json!({"type": "boolean"}));
    let any_object = json!({"type": "object"});
    let schema = match (spec.method, spec.path) {
        ("GET", "/api/v1/openapi.json") => object(json!({"openapi": s, "paths": any_object})),
        ("GET", "/api/v1/dashboard") => object(json!({
            "synthetic": b,
            "stats": {"anyOf": [reference("Stats"), {"type": "null"}]},
            "recent_events": array(reference("Event")),
            "assessment": {"anyOf": [object(json!({
                "testimonies": i, "spells": i, "icls": array(reference("Count")),
                "indicators": array(reference("Count")), "synthetic": b,
            })), {"type": "null"}]},
            "latest_estimates": array(reference("Estimate")),
            "safe_line": {"anyOf": [object(json!({"states": array(reference("Count")), "unread": i})), {"type": "null"}]},
        })),
        ("GET", "/api/v1/entities") => object(json!({
            "schema": nullable("string"),
            "entities": array(object(json!({"id": s, "schema": s, "caption": nullable("string")}))),
            "next": nullable("string"),
        })),
        ("GET", "/api/v1/entities/{id}") => object(json!({
            "id": s, "schema": s, "caption": s,
            "properties": array(object(json!({"property": s, "label": s, "reference": b, "values": array(any_object.clone())}))),
            "relations": array(object(json!({
                "id": s, "name": nullable("string"), "schema": nullable("string"),
                "direction": {"enum": ["outgoing", "incoming"]},
            }))),
            "relations_total": i,
            "relations_capped": b,
            "matches": array(any_object.clone()),
        })),
        ("GET", "/api/v1/testimonies") => object(json!({
            "testimonies": array(object(json!({
                "id": s, "synthetic": b, "sectors": array(s.clone()), "regions": array(s.clone()),
                "years": array(s.clone()), "visas": array(s.clone()), "outcomes": array(s.clone()),
                "coders": array(s.clone()), "segments": nullable("integer"), "statements": i,
            }))),
            "next": nullable("string"),
            "total": i,
            "facets": array(object(json!({"facet": s, "values": array(object(json!({"value": s, "count": i})))}))),
            "synthetic": b,
        })),
        ("GET", "/api/v1/testimonies/{id}") => object(json!({
            "id": s, "kind": s, "generation": i, "synthetic": b,
            "segments": array(object(json!({"id": s, "statements": array(any_object.clone()), "findings": array(any_object.clone())}))),
            "apart": array(any_object.clone()),
            "outcomes": array(object(json!({"spell": nullable("string"), "icls": s, "icls_label": s}))),
            "analysis": object(json!({"withdrawn": b, "synthetic": b, "ledgers": array(any_object.clone())})),
        })),
        ("POST", "/api/v1/testimonies/{id}/facts") => object(json!({
            "statement": s, "source": s, "replaced": nullable("string"), "note": nullable("string"),
            "sensitivity": s, "event": i,
        })),
        ("GET", "/api/v1/search") => object(json!({
            "query": s, "total": i, "synthetic": b,
            "hits": array(object(json!({
                "entity": s, "schema": s, "caption": s, "matched_name": s, "score": n, "explanation": s,
            }))),
        })),
        ("GET", "/api/v1/review") => object(json!({
            "schema": s, "threshold": n,
            "pairs": array(object(json!({
                "entity_a": s, "entity_b": s, "match_weight": n, "match_probability": n, "parts": array(any_object.clone()),
            }))),
        })),
        ("POST", "/api/v1/review") => object(json!({
            "entity_a": s, "entity_b": s, "verdict": {"enum": ["same", "different", "unsure"]}, "note": s,
            "recorded_by": s, "recorded_at": s,
        })),
        ("POST", "/match/{dataset}") => object(json!({
            "responses": {"type": "object", "additionalProperties": object(json!({
                "status": i,
                "results": array(object(json!({
                    "id": s, "caption": s, "schema": s, "properties": any_object, "datasets": array(s.clone()),
                    "score": n, "match": b, "features": any_object,
                }))),
                "total": any_object,
            }))},
            "limit": i,
        })),
        ("GET", "/api/v1/places") => object(json!({
            "places": array(object(json!({"id": s, "schema": s, "caption": s, "lat": n, "lon": n}))),
        })),
        ("GET", "/api/v1/log") => object(json!({"events": array(reference("Event")), "older": nullable("integer")})),
        ("GET" | "POST", "/api/v1/verify") => object(json!({"state": {"enum": ["idle", "running", "done", "failed"]}})),
        ("GET", "/api/v1/ledgers") => object(json!({
            "synthetic": b,
            "summary": object(json!({
                "spells": i, "flagged": i, "flags": any_object,
                "usd": object(json!({"spells": i, "employer_paid": n, "deducted": any_object, "received": n})),
            })),
            "share_taken": nullable("number"),
            "missing_rates": array(any_object.clone()),
        })),
        ("GET", "/api/v1/estimates") => object(json!({"estimates": array(reference("Estimate"))})),
        ("GET", "/api/v1/estimates/{number}") => {
            json!({"allOf": [reference("Estimate"), object(json!({"report": any_object}))]})
        }
        ("GET", "/api/v1/inbox") => object(json!({"conversations": array(object(json!({
            "number": i, "opened": s, "last_day": s, "state": {"enum": clew_service::safe_line::STATES},
            "answerable": b, "letters": i, "unseen": i, "replies": i,
        })))})),
        ("GET", "/api/v1/inbox/{number}") => object(json!({"conversation": i, "messages": array(object(json!({
            "number": i, "kind": {"enum": ["letter", "reply", "note"]}, "day": s, "files": i, "sealed": s,
        })))})),
        ("GET", "/api/v1/inbox/{number}/keys") | ("GET", "/api/v1/caseworkers") => object(json!({"keys": array(s)})),
        ("GET", "/api/v1/inbox/files/{message}/{position}") => object(json!({"chunks": array(s)})),
        ("POST", "/api/v1/inbox/{number}/messages") => object(json!({"number": i})),
        ("POST", "/api/v1/inbox/{number}/state") | ("POST", "/api/v1/inbox/{number}/read") => {
            object(json!({"conversation": i, "state": {"enum": clew_service::safe_line::STATES}}))
        }
        _ => return None,
    };
    Some(schema)
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
    let done = response_schema(spec).unwrap_or_else(|| json!({"type": "object"}));
    responses.insert("200".into(), json!({"description": "done", "content": {"application/json": {"schema": done}}}));
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
                "Event": object(json!({
                    "seq": {"type": "integer"}, "recorded_at": {"type": "string"}, "recorded_by": {"type": "string"},
                    "kind": {"type": "string"}, "detail": {"type": "string"}, "leaf_hash": {"type": "string"},
                })),
                "Count": {
                    "type": "array",
                    "prefixItems": [{"type": "string"}, {"type": "integer", "minimum": 0}],
                    "minItems": 2,
                    "maxItems": 2,
                },
                "Stats": object(json!({
                    "sources": array(reference("Count")), "statements": {"type": "integer"},
                    "entities": array(reference("Count")), "segments": {"type": "integer"},
                })),
                "Estimate": object(json!({
                    "number": {"type": "integer"}, "kind": {"enum": ["population", "revenue"]},
                    "title": {"type": "string"}, "synthetic": {"type": "boolean"},
                    "headline": array(object(json!({
                        "label": {"type": "string"}, "estimate": {"type": "number"}, "low": nullable("number"),
                        "high": nullable("number"), "level": {"type": "number"},
                    }))),
                    "recorded_by": {"type": "string"}, "recorded_at": {"type": "string"},
                })),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_of_the_api_says_what_it_answers() {
        for spec in specs().iter().filter(|spec| is_api(spec.path)) {
            assert!(response_schema(spec).is_some(), "{} {} has no response schema", spec.method, spec.path);
        }
        let document = document();
        let schemas = document["components"]["schemas"].as_object().unwrap();
        let text = document.to_string();
        for name in ["Event", "Count", "Stats", "Estimate", "Error"] {
            assert!(schemas.contains_key(name) && text.contains(&format!("#/components/schemas/{name}")), "{name}");
        }
    }
}
