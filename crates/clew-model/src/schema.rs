//! The declarative model: entity and relation types, properties, code lists and reference tables, loaded
//! from `schema/*.yaml` and validated (the lint) when loaded. Code reads the model; it does not restate it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use crate::doc::{Node, TextFormat, parse};
use crate::read::{Diagnostic, MapReader, Reader, child_path};
use crate::value::{PartialDate, PropertyType, canonical_number, collapse_whitespace, parse_money, parse_number};

/// The schema files compiled into clew, as (file name, text).
pub const BUILTIN_FILES: [(&str, &str); 6] = [
    ("schema/things.yaml", include_str!("../../../schema/things.yaml")),
    ("schema/relations.yaml", include_str!("../../../schema/relations.yaml")),
    ("schema/codes.yaml", include_str!("../../../schema/codes.yaml")),
    ("schema/countries.yaml", include_str!("../../../schema/countries.yaml")),
    ("schema/currencies.yaml", include_str!("../../../schema/currencies.yaml")),
    ("schema/languages.yaml", include_str!("../../../schema/languages.yaml")),
];

/// The version of the model, recorded with every derived result.
pub const MODEL_VERSION: &str = "clew-model-v1";

/// One property of a schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// Permanent code, e.g. `birthDate`.
    pub name: String,
    /// Human label.
    pub label: String,
    /// Value type.
    pub kind: PropertyType,
    /// For entity properties: the schema a referenced entity must be (or extend).
    pub range: Option<String>,
    /// For code properties: the code list.
    pub codes: Option<String>,
    /// The FollowTheMoney property this exports as; `None` when FtM has none.
    pub ftm: Option<String>,
    /// Whether statements of this property are restricted by default (they can re-identify a witness).
    pub sensitive: bool,
    /// The schema that declares it.
    pub defined_in: String,
}

/// The two ends of a relation.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// Property at the source end.
    pub source: String,
    /// Property at the target end.
    pub target: String,
    /// Verb for display ("employs").
    pub label: String,
}

/// An entity or relation type.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// Permanent code, e.g. `Company`.
    pub name: String,
    /// Human label.
    pub label: String,
    /// Plural label.
    pub plural: String,
    /// What it is for.
    pub description: Option<String>,
    /// Abstract schemata have no entities of their own.
    pub is_abstract: bool,
    /// Direct parents.
    pub extends: Vec<String>,
    /// The schema and all its ancestors, nearest first.
    pub ancestors: Vec<String>,
    /// The FollowTheMoney schema it exports as; `None` when it is not exported.
    pub ftm: Option<String>,
    /// Properties that name an entity, in order of preference.
    pub caption: Vec<String>,
    /// For relations: the two ends.
    pub edge: Option<Edge>,
    /// Properties FtM requires besides the edge ends; an entity without them is not exported to FtM.
    pub ftm_required: Vec<String>,
    /// All properties, own and inherited.
    pub properties: BTreeMap<String, Property>,
}

impl Schema {
    /// Whether this schema is `other` or extends it.
    pub fn is_a(&self, other: &str) -> bool {
        self.ancestors.iter().any(|name| name == other)
    }
}

/// A code list: code → label.
pub type CodeList = BTreeMap<String, String>;

/// The whole model.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Schemata by name.
    pub schemata: BTreeMap<String, Schema>,
    /// Code lists by name.
    pub codes: BTreeMap<String, CodeList>,
    /// ISO 3166-1 alpha-2 codes (lower case) → name.
    pub countries: CodeList,
    /// ISO 4217 codes → name.
    pub currencies: CodeList,
    /// ISO 639-1 codes → name.
    pub languages: CodeList,
}

/// Why a value does not fit a property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    /// The schema does not exist.
    UnknownSchema {
        /// The name asked for.
        schema: String,
        /// The schema of that name in another case (`Company` for `company`), if there is one.
        suggestion: Option<String>,
    },
    /// The schema has no such property.
    UnknownProperty {
        /// Schema.
        schema: String,
        /// Property.
        property: String,
    },
    /// The value is not of the property's type. The message never repeats the value.
    Invalid(String),
}

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ValueError::UnknownSchema { schema, suggestion: None } => write!(f, "unknown schema `{schema}`"),
            ValueError::UnknownSchema { schema, suggestion: Some(known) } => {
                write!(f, "unknown schema `{schema}`: did you mean `{known}`?")
            }
            ValueError::UnknownProperty { schema, property } => {
                write!(f, "schema `{schema}` has no property `{property}`")
            }
            ValueError::Invalid(message) => write!(f, "{message}"),
        }
    }
}

static BUILTIN: OnceLock<Result<Model, Vec<Diagnostic>>> = OnceLock::new();

impl Model {
    /// The model compiled into clew (loaded and linted once).
    pub fn builtin() -> Result<&'static Model, &'static [Diagnostic]> {
        BUILTIN.get_or_init(|| Model::load(&BUILTIN_FILES)).as_ref().map_err(Vec::as_slice)
    }

    /// Loads and lints a model from schema files; every problem in every file is reported.
    pub fn load(files: &[(&str, &str)]) -> Result<Model, Vec<Diagnostic>> {
        let mut model = Model::default();
        let mut raw = Vec::new();
        let mut diagnostics = Vec::new();
        for (file, text) in files {
            let mut reader = Reader::default();
            match parse(text, TextFormat::Yaml) {
                Err(error) => reader.error_at(Some(error.pos), "", error.message),
                Ok(docs) => {
                    if let Some(doc) = docs.first() {
                        read_file(file, doc, &mut reader, &mut model, &mut raw);
                    }
                }
            }
            for mut diagnostic in reader.diagnostics {
                diagnostic.file = Some(file.to_string());
                diagnostics.push(diagnostic);
            }
        }
        resolve(&mut model, raw, &mut diagnostics);
        if diagnostics.is_empty() { Ok(model) } else { Err(diagnostics) }
    }

    /// A schema by name.
    pub fn schema(&self, name: &str) -> Option<&Schema> {
        self.schemata.get(name)
    }

    /// The error for a schema name the model does not have, suggesting the schema whose name differs from it
    /// only in case (schema names are case-sensitive: `--schema company` is not `Company`).
    pub fn unknown_schema(&self, name: &str) -> ValueError {
        let suggestion = self.schemata.keys().find(|known| known.eq_ignore_ascii_case(name)).cloned();
        ValueError::UnknownSchema { schema: name.to_string(), suggestion }
    }

    /// The property of a schema.
    pub fn property(&self, schema: &str, property: &str) -> Result<&Property, ValueError> {
        let found = self.schemata.get(schema).ok_or_else(|| self.unknown_schema(schema))?;
        found
            .properties
            .get(property)
            .ok_or_else(|| ValueError::UnknownProperty { schema: schema.to_string(), property: property.to_string() })
    }

    /// Checks a raw value against a property and returns its canonical text.
    pub fn normalize(&self, schema: &str, property: &str, raw: &str) -> Result<String, ValueError> {
        let property = self.property(schema, property)?;
        self.normalize_typed(property, raw).map_err(ValueError::Invalid)
    }

    /// Checks a raw value against a property's type.
    pub fn normalize_typed(&self, property: &Property, raw: &str) -> Result<String, String> {
        let text = raw.trim();
        if text.is_empty() {
            return Err("must not be empty".to_string());
        }
        match property.kind {
            PropertyType::Name => Ok(collapse_whitespace(text)),
            PropertyType::Text | PropertyType::Identifier => Ok(text.to_string()),
            PropertyType::Date => text.parse::<PartialDate>().map(|date| date.to_string()),
            PropertyType::Country => {
                let code = text.to_ascii_lowercase();
                if self.countries.contains_key(&code) {
                    Ok(code)
                } else {
                    Err("not an ISO 3166-1 alpha-2 country code (e.g. `ru`, `kp`)".to_string())
                }
            }
            PropertyType::Money => parse_money(text, |code| self.currencies.contains_key(code)).map(|m| m.to_string()),
            PropertyType::Entity => crate::ids::EntityId::new(text).map(|id| id.to_string()),
            PropertyType::Number => parse_number(text).map(canonical_number),
            PropertyType::Boolean => match text {
                "true" | "false" => Ok(text.to_string()),
                _ => Err("expected true or false".to_string()),
            },
            PropertyType::Code => {
                let list = property.codes.as_deref().and_then(|name| self.codes.get(name));
                match list {
                    Some(list) if list.contains_key(text) => Ok(text.to_string()),
                    Some(list) => Err(format!(
                        "not a known code; expected one of: {}",
                        list.keys().cloned().collect::<Vec<_>>().join(", ")
                    )),
                    None => Err("property has no code list".to_string()),
                }
            }
        }
    }

    /// The most specific of two schemata when one extends the other.
    pub fn common_schema<'a>(&self, first: &'a str, second: &'a str) -> Option<&'a str> {
        let a = self.schemata.get(first)?;
        let b = self.schemata.get(second)?;
        if a.is_a(second) {
            Some(first)
        } else if b.is_a(first) {
            Some(second)
        } else {
            None
        }
    }

    /// The clew schema that an FtM schema imports as: the clew schema of the same name, or else the one
    /// declared to export as it that is nearest the root.
    pub fn schema_for_ftm(&self, ftm: &str) -> Option<&Schema> {
        if let Some(schema) = self.schemata.get(ftm).filter(|s| !s.is_abstract && s.ftm.as_deref() == Some(ftm)) {
            return Some(schema);
        }
        self.schemata
            .values()
            .filter(|s| !s.is_abstract && s.ftm.as_deref() == Some(ftm))
            .min_by_key(|s| s.ancestors.len())
    }
}

struct RawSchema {
    file: String,
    pos: crate::doc::Pos,
    schema: Schema,
    own: Vec<Property>,
}

fn read_file(file: &str, doc: &Node, reader: &mut Reader, model: &mut Model, raw: &mut Vec<RawSchema>) {
    let Some(mut top) = reader.map(doc, "") else {
        return;
    };
    let entries = top.entries();
    top.finish(reader);
    let code_table = |reader: &mut Reader, table: &mut CodeList| {
        for (code, node) in entries {
            if let Some(label) = reader.string(node, code) {
                table.insert(code.clone(), label);
            }
        }
    };
    match file.rsplit('/').next().unwrap_or(file) {
        "countries.yaml" => code_table(reader, &mut model.countries),
        "currencies.yaml" => code_table(reader, &mut model.currencies),
        "languages.yaml" => code_table(reader, &mut model.languages),
        "codes.yaml" => {
            for (list, node) in entries {
                let Some(mut codes) = reader.map(node, list) else {
                    continue;
                };
                let mut table = CodeList::new();
                let entries = codes.entries();
                codes.finish(reader);
                for (code, label) in entries {
                    if let Some(label) = reader.string(label, &child_path(list, code)) {
                        table.insert(code.clone(), label);
                    }
                }
                if table.is_empty() {
                    reader.error(node, list, "code list is empty");
                }
                model.codes.insert(list.clone(), table);
            }
        }
        _ => {
            for (name, node) in entries {
                if let Some(schema) = read_schema(name, node, reader) {
                    raw.push(RawSchema { file: file.to_string(), pos: node.pos, schema: schema.0, own: schema.1 });
                }
            }
        }
    }
}

fn read_schema(name: &str, node: &Node, reader: &mut Reader) -> Option<(Schema, Vec<Property>)> {
    let mut map = reader.map(node, name)?;
    let text = |map: &mut MapReader, reader: &mut Reader, key| map.get(key).and_then(|(n, p)| reader.string(n, &p));
    let label = map.required("label").and_then(|(n, p)| reader.string(n, &p));
    let plural = map.required("plural").and_then(|(n, p)| reader.string(n, &p));
    let description = text(&mut map, reader, "description");
    let is_abstract = map.get("abstract").and_then(|(n, p)| reader.boolean(n, &p)).unwrap_or(false);
    let extends = map.get("extends").and_then(|(n, p)| reader.strings(n, &p)).unwrap_or_default();
    let ftm = match map.get("ftm") {
        Some((n, _)) if n.to_json() == serde_json::Value::Bool(false) => None,
        Some((n, p)) => reader.string(n, &p),
        None if is_abstract => None,
        None => Some(name.to_string()),
    };
    let caption = map.get("caption").and_then(|(n, p)| reader.strings(n, &p)).unwrap_or_default();
    let ftm_required = map.get("ftm_required").and_then(|(n, p)| reader.strings(n, &p)).unwrap_or_default();
    let edge = map.get("edge").and_then(|(n, p)| {
        let mut edge = reader.map(n, &p)?;
        let source = edge.required("source").and_then(|(n, p)| reader.string(n, &p));
        let target = edge.required("target").and_then(|(n, p)| reader.string(n, &p));
        let label = edge.required("label").and_then(|(n, p)| reader.string(n, &p));
        edge.finish(reader);
        Some(Edge { source: source?, target: target?, label: label? })
    });
    let mut own = Vec::new();
    if let Some((node, path)) = map.get("properties")
        && let Some(mut properties) = reader.map(node, &path)
    {
        let entries = properties.entries();
        properties.finish(reader);
        for (prop_name, prop_node) in entries {
            let prop_path = child_path(&path, prop_name);
            if let Some(property) = read_property(name, prop_name, prop_node, &prop_path, reader) {
                own.push(property);
            }
        }
    }
    map.finish(reader);
    let schema = Schema {
        name: name.to_string(),
        label: label?,
        plural: plural?,
        description,
        is_abstract,
        extends,
        ancestors: Vec::new(),
        ftm,
        caption,
        edge,
        ftm_required,
        properties: BTreeMap::new(),
    };
    Some((schema, own))
}

fn read_property(schema: &str, name: &str, node: &Node, path: &str, reader: &mut Reader) -> Option<Property> {
    let mut map = reader.map(node, path)?;
    let label = map.required("label").and_then(|(n, p)| reader.string(n, &p));
    let kind = map.required("type").and_then(|(n, p)| {
        let text = reader.string(n, &p)?;
        text.parse::<PropertyType>().map_err(|message| reader.error(n, &p, message)).ok()
    });
    let range = map.get("range").and_then(|(n, p)| reader.string(n, &p));
    let codes = map.get("codes").and_then(|(n, p)| reader.string(n, &p));
    let ftm = match map.get("ftm") {
        Some((n, _)) if n.to_json() == serde_json::Value::Bool(false) => None,
        Some((n, p)) => reader.string(n, &p),
        None => Some(name.to_string()),
    };
    let sensitive = map.get("sensitive").and_then(|(n, p)| reader.boolean(n, &p)).unwrap_or(false);
    map.finish(reader);
    let kind = kind?;
    if (kind == PropertyType::Entity) != range.is_some() {
        reader.error(node, path, "`range` is required for entity properties and only for them");
    }
    if (kind == PropertyType::Code) != codes.is_some() {
        reader.error(node, path, "`codes` is required for code properties and only for them");
    }
    Some(Property {
        name: name.to_string(),
        label: label?,
        kind,
        range,
        codes,
        ftm,
        sensitive,
        defined_in: schema.to_string(),
    })
}

fn resolve(model: &mut Model, raw: Vec<RawSchema>, diagnostics: &mut Vec<Diagnostic>) {
    let mut error = |file: &str, pos, path: &str, message: String| {
        diagnostics.push(Diagnostic { file: Some(file.to_string()), pos: Some(pos), path: path.to_string(), message })
    };
    let by_name: BTreeMap<&str, &RawSchema> = raw.iter().map(|r| (r.schema.name.as_str(), r)).collect();
    if by_name.len() != raw.len() {
        for (index, r) in raw.iter().enumerate() {
            if raw[..index].iter().any(|other| other.schema.name == r.schema.name) {
                error(&r.file, r.pos, &r.schema.name, "schema defined twice".to_string());
            }
        }
    }
    for r in &raw {
        // Ancestors by breadth-first walk; a cycle or unknown parent is an error.
        let mut ancestors = vec![r.schema.name.clone()];
        let mut queue: Vec<&str> = r.schema.extends.iter().map(String::as_str).collect();
        let mut properties: BTreeMap<String, Property> = BTreeMap::new();
        let mut ok = true;
        while let Some(parent) = queue.first().copied() {
            queue.remove(0);
            if parent == r.schema.name {
                error(&r.file, r.pos, &r.schema.name, "schema extends itself (a cycle in `extends`)".to_string());
                ok = false;
                break;
            }
            match by_name.get(parent) {
                None => {
                    error(&r.file, r.pos, &r.schema.name, format!("extends unknown schema `{parent}`"));
                    ok = false;
                }
                Some(found) if !ancestors.iter().any(|a| a == parent) => {
                    ancestors.push(parent.to_string());
                    queue.extend(found.schema.extends.iter().map(String::as_str));
                }
                Some(_) => {}
            }
        }
        if !ok {
            continue;
        }
        for ancestor in ancestors.iter().rev() {
            for property in &by_name[ancestor.as_str()].own {
                if let Some(existing) = properties.get(&property.name)
                    && existing.kind != property.kind
                {
                    error(
                        &r.file,
                        r.pos,
                        &child_path(&r.schema.name, &property.name),
                        format!(
                            "redefines `{}` of {} with another type ({} instead of {})",
                            property.name,
                            existing.defined_in,
                            property.kind.name(),
                            existing.kind.name()
                        ),
                    );
                }
                properties.insert(property.name.clone(), property.clone());
            }
        }
        for property in properties.values() {
            let path = child_path(&r.schema.name, &property.name);
            if let Some(range) = &property.range
                && !by_name.contains_key(range.as_str())
            {
                error(&r.file, r.pos, &path, format!("range names unknown schema `{range}`"));
            }
            if let Some(codes) = &property.codes
                && !model.codes.contains_key(codes)
            {
                error(&r.file, r.pos, &path, format!("names unknown code list `{codes}`"));
            }
        }
        for caption in &r.schema.caption {
            if !properties.contains_key(caption) {
                error(&r.file, r.pos, &r.schema.name, format!("caption names unknown property `{caption}`"));
            }
        }
        for required in &r.schema.ftm_required {
            if !properties.contains_key(required) {
                error(&r.file, r.pos, &r.schema.name, format!("ftm_required names unknown property `{required}`"));
            }
        }
        if let Some(edge) = &r.schema.edge {
            for end in [&edge.source, &edge.target] {
                if properties.get(end).map(|p| p.kind) != Some(PropertyType::Entity) {
                    error(&r.file, r.pos, &r.schema.name, format!("edge end `{end}` is not an entity property"));
                }
            }
        }
        let mut schema = r.schema.clone();
        if schema.caption.is_empty() {
            schema.caption = ancestors
                .iter()
                .find_map(|a| by_name.get(a.as_str()).map(|r| r.schema.caption.clone()).filter(|c| !c.is_empty()))
                .unwrap_or_default();
        }
        schema.ancestors = ancestors;
        schema.properties = properties;
        model.schemata.insert(schema.name.clone(), schema);
    }
    let used: BTreeSet<&str> =
        model.schemata.values().flat_map(|s| s.properties.values()).filter_map(|p| p.codes.as_deref()).collect();
    for list in model.codes.keys() {
        if !used.contains(list.as_str()) {
            diagnostics.push(Diagnostic {
                file: Some("schema/codes.yaml".into()),
                pos: None,
                path: list.clone(),
                message: "code list is used by no property".into(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint(schema_text: &str) -> Vec<String> {
        let files = [("schema/test.yaml", schema_text), ("schema/codes.yaml", "kind:\n  a: A\n")];
        match Model::load(&files) {
            Ok(_) => Vec::new(),
            Err(diagnostics) => diagnostics.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn builtin_model_passes_the_lint() {
        let model = Model::builtin().unwrap_or_else(|errors| panic!("{errors:#?}"));
        for required in [
            "Person",
            "Organization",
            "Company",
            "PublicBody",
            "Worksite",
            "Accommodation",
            "Address",
            "Permit",
            "Testimony",
            "Document",
            "Employment",
            "Dispatch",
            "Supervision",
            "Payment",
            "Deduction",
            "Housing",
            "Ownership",
            "Directorship",
            "Presence",
            "Travel",
        ] {
            assert!(model.schema(required).is_some(), "missing schema {required}");
        }
        assert!(model.schema("Company").unwrap().is_a("LegalEntity"));
        assert_eq!(model.common_schema("Organization", "Company"), Some("Company"));
        assert_eq!(model.common_schema("Person", "Company"), None);
        assert_eq!(model.countries.get("kp").map(String::as_str), Some("North Korea"));
        assert!(model.currencies.contains_key("KPW"));
        assert_eq!(model.schema_for_ftm("Address").map(|s| s.name.as_str()), Some("Address"));
        assert_eq!(model.schema_for_ftm("Company").map(|s| s.name.as_str()), Some("Company"));
    }

    #[test]
    fn values_are_normalized_or_refused() {
        let model = Model::builtin().unwrap();
        assert_eq!(model.normalize("Person", "birthDate", "1984-07").unwrap(), "1984-07");
        assert_eq!(model.normalize("Person", "nationality", "KP").unwrap(), "kp");
        assert_eq!(model.normalize("Person", "name", "  Kim   Chol ").unwrap(), "Kim Chol");
        assert_eq!(model.normalize("Deduction", "amount", "45000.0 rub").unwrap(), "45000 RUB");
        assert_eq!(model.normalize("Employment", "hoursPerDay", "12.0").unwrap(), "12");
        let errors: Vec<String> = [
            ("Person", "birthDate", "1984-02-30"),
            ("Person", "nationality", "Korea"),
            ("Person", "shoeSize", "44"),
            ("Spaceship", "name", "x"),
            ("company", "name", "x"),
            ("Deduction", "deductionKind", "bribe"),
            ("Employment", "violence", "yes"),
            ("Employment", "employer", "has space"),
        ]
        .iter()
        .map(|(s, p, v)| model.normalize(s, p, v).unwrap_err().to_string())
        .collect();
        expect_test::expect![[r#"
            [
                "day 30 does not exist in 1984-02 (it has 29 days)",
                "not an ISO 3166-1 alpha-2 country code (e.g. `ru`, `kp`)",
                "schema `Person` has no property `shoeSize`",
                "unknown schema `Spaceship`",
                "unknown schema `company`: did you mean `Company`?",
                "not a known code; expected one of: fine, food, insurance, lodging, loyalty_fee, other, party_contribution, plan_quota, tax, voluntary_contribution",
                "expected true or false",
                "an entity id may contain only letters, digits and . _ : - (found a space)",
            ]
        "#]]
        .assert_debug_eq(&errors);
    }

    #[test]
    fn lint_finds_unknown_references_and_missing_labels() {
        let errors = lint(
            "A:\n  label: A\n  plural: As\n  extends: [Nope]\nB:\n  plural: Bs\n  properties:\n    p: {label: P, type: entity, range: Ghost}\n    q: {label: Q, type: code, codes: missing}\n    r: {label: R, type: colour}\n  caption: [zzz]\nC:\n  label: C\n  plural: Cs\n  extends: [C]\n  properties:\n    k: {label: K, type: code, codes: kind}\n",
        );
        expect_test::expect![[r#"
            [
                "schema/test.yaml:10:25: field `B.properties.r.type`: unknown property type `colour`",
                "schema/test.yaml:6:3: field `B.label`: required field is missing",
                "schema/test.yaml:2:3: field `A`: extends unknown schema `Nope`",
                "schema/test.yaml:13:3: field `C`: schema extends itself (a cycle in `extends`)",
                "schema/codes.yaml: field `kind`: code list is used by no property",
            ]
        "#]]
        .assert_debug_eq(&errors);
        let errors = lint(
            "B:\n  label: B\n  plural: Bs\n  caption: [zzz]\n  properties:\n    p: {label: P, type: entity, range: Ghost}\n    q: {label: Q, type: code, codes: missing}\n    k: {label: K, type: code, codes: kind}\n    e: {label: E, type: text, range: B}\n  edge: {source: p, target: k, label: x}\n",
        );
        expect_test::expect![[r#"
            [
                "schema/test.yaml:9:8: field `B.properties.e`: `range` is required for entity properties and only for them",
                "schema/test.yaml:2:3: field `B.p`: range names unknown schema `Ghost`",
                "schema/test.yaml:2:3: field `B.q`: names unknown code list `missing`",
                "schema/test.yaml:2:3: field `B`: caption names unknown property `zzz`",
                "schema/test.yaml:2:3: field `B`: edge end `k` is not an entity property",
            ]
        "#]]
        .assert_debug_eq(&errors);
    }
}
