//! The published JSON Schema and the reader agree: what the reader accepts, the schema accepts, and the
//! schema refuses fields the reader refuses. A small validator for the subset of JSON Schema the file uses
//! keeps the test free of a heavy dependency; it does not check `pattern` (the reader's own tests cover ids
//! and dates).

use serde_json::Value;

use crate::{example_text, model};

fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.trim_start_matches("#/$defs/");
            resolve(root, &root["$defs"][name])
        }
        None => schema,
    }
}

fn type_matches(kind: &str, value: &Value) -> bool {
    match kind {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.as_f64().is_some_and(|n| n.fract() == 0.0),
        "boolean" => value.is_boolean(),
        _ => false,
    }
}

/// Collects every violation as `path: message`.
fn validate(root: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let schema = resolve(root, schema);
    if let Some(options) = schema.get("anyOf").and_then(Value::as_array) {
        if !options.iter().any(|option| {
            let mut inner = Vec::new();
            validate(root, option, value, path, &mut inner);
            inner.is_empty()
        }) {
            errors.push(format!("{path}: matches none of anyOf"));
        }
        return;
    }
    match schema.get("type") {
        Some(Value::String(kind)) if !type_matches(kind, value) => {
            return errors.push(format!("{path}: not {kind}"));
        }
        Some(Value::Array(kinds)) if !kinds.iter().any(|k| type_matches(k.as_str().unwrap_or(""), value)) => {
            return errors.push(format!("{path}: none of {kinds:?}"));
        }
        _ => {}
    }
    if let (Some(minimum), Some(text)) = (schema.get("minLength").and_then(Value::as_u64), value.as_str())
        && (text.chars().count() as u64) < minimum
    {
        errors.push(format!("{path}: shorter than {minimum}"));
    }
    if let (Some(maximum), Some(text)) = (schema.get("maxLength").and_then(Value::as_u64), value.as_str())
        && (text.chars().count() as u64) > maximum
    {
        errors.push(format!("{path}: longer than {maximum}"));
    }
    if let Some(constant) = schema.get("const")
        && constant != value
    {
        errors.push(format!("{path}: not {constant}"));
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        errors.push(format!("{path}: {value} not in enum"));
    }
    if let Some(minimum) = schema.get("minimum").and_then(Value::as_f64)
        && value.as_f64().is_some_and(|n| n < minimum)
    {
        errors.push(format!("{path}: below {minimum}"));
    }
    if let Some(maximum) = schema.get("maximum").and_then(Value::as_f64)
        && value.as_f64().is_some_and(|n| n > maximum)
    {
        errors.push(format!("{path}: above {maximum}"));
    }
    if let Value::Object(object) = value {
        let properties = schema.get("properties").and_then(Value::as_object);
        for required in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !object.contains_key(required.as_str().unwrap_or("")) {
                errors.push(format!("{path}: missing {required}"));
            }
        }
        for (key, item) in object {
            let item_path = format!("{path}.{key}");
            match (properties.and_then(|p| p.get(key)), schema.get("additionalProperties")) {
                (Some(property), _) => validate(root, property, item, &item_path, errors),
                (None, Some(Value::Bool(false))) => errors.push(format!("{item_path}: not allowed")),
                (None, Some(additional)) if additional.is_object() => {
                    validate(root, additional, item, &item_path, errors)
                }
                (None, _) => {}
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (value, schema.get("items")) {
        if schema.get("minItems").and_then(Value::as_u64).is_some_and(|min| (items.len() as u64) < min) {
            errors.push(format!("{path}: too few items"));
        }
        for (index, item) in items.iter().enumerate() {
            validate(root, item_schema, item, &format!("{path}[{index}]"), errors);
        }
    }
}

fn errors_of(value: &Value) -> Vec<String> {
    let root: Value = serde_json::from_str(clew_intake::TESTIMONY_JSON_SCHEMA).unwrap();
    let mut errors = Vec::new();
    validate(&root, &root, value, "", &mut errors);
    errors
}

#[test]
fn schema_accepts_what_the_reader_accepts() {
    let example = clew_model::doc::parse(&example_text(), clew_model::doc::TextFormat::Yaml).unwrap()[0].to_json();
    assert_eq!(errors_of(&example), Vec::<String>::new());
    // Every combination of further optional parts (one bit of `index` each), read back through the typed
    // structs: each is a shape of its own.
    for index in 0..4 {
        let testimony = example_variant(index);
        assert_eq!(errors_of(&testimony), Vec::<String>::new(), "testimony {index}");
    }
}

/// The example with its optional parts varied, read back through the reader to be sure it is valid.
fn example_variant(index: u64) -> Value {
    let mut value = clew_model::doc::parse(&example_text(), clew_model::doc::TextFormat::Yaml).unwrap()[0].to_json();
    value["id"] = format!("T-{index}").into();
    if index & 1 != 0 {
        value["facts"]["spells"][0]["escape"] = serde_json::json!({"value": true, "segments": ["s5"]});
    }
    if index & 2 != 0 {
        value["consent"]["withdrawal"] = serde_json::json!({"date": "2026-01", "scope": "publication"});
    }
    let node = clew_model::doc::parse(&value.to_string(), clew_model::doc::TextFormat::Json).unwrap().remove(0);
    let mut reader = clew_model::read::Reader::default();
    let testimony = clew_intake::read_testimony(model(), &node, &mut reader).unwrap();
    serde_json::to_value(testimony).unwrap()
}

#[test]
fn schema_refuses_what_the_reader_refuses() {
    let mut example = clew_model::doc::parse(&example_text(), clew_model::doc::TextFormat::Yaml).unwrap()[0].to_json();
    example["interview"]["mood"] = "calm".into();
    example["facts"]["spells"][0]["hours_per_day"]["value"] = 30.into();
    example["facts"]["spells"][0]["deductions"][0]["kind"] = "bribe".into();
    example["consent"].as_object_mut().unwrap().remove("audio");
    example["interview"]["interviewer"] = "".into();
    example["facts"]["entities"][2]["names"][0] = "x".repeat(1001).into();
    expect_test::expect![[r#"
        [
            ".consent: missing \"audio\"",
            ".facts.entities[2].names[0]: longer than 1000",
            ".facts.spells[0].deductions[0].kind: \"bribe\" not in enum",
            ".facts.spells[0].hours_per_day.value: above 24",
            ".interview.interviewer: shorter than 1",
            ".interview.mood: not allowed",
        ]
    "#]]
    .assert_debug_eq(&errors_of(&example));
}
