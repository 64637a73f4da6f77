//! FollowTheMoney (FtM) import: FtM entities from Aleph and OpenSanctions tooling as statements, one source per
//! file. The mapping is data: each clew schema and property names the FtM schema or property it corresponds to
//! (`ftm:` in schema/*.yaml); FtM's `amount` and `currency` become one money value. (The export is in
//! clew-disclosure: what leaves depends on who receives it.)

use std::collections::HashMap;

use clew_custody::WriteError;
use clew_model::doc::NodeKind;
use clew_model::read::{Reader, index_path};
use clew_model::{Claim, Diagnostic, EntityId, Model, PropertyType, Sensitivity, SourceId, SourceKind, Statement};
use clew_store::{SourceDraft, SourceOutcome, Store};

use crate::import::{ImportReport, ImportRun, Written};
use crate::input::InputPath;

/// How to import FtM files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FtmImportOptions {
    /// Check and count, write nothing.
    pub dry_run: bool,
    /// Who imports.
    pub recorded_by: String,
    /// Skip (with a warning) entities of FtM schemata and properties clew does not model, instead of failing.
    pub skip_unknown: bool,
    /// Sensitivity of the imported statements (statements of sensitive properties are always restricted).
    pub sensitivity: Sensitivity,
    /// The source id to record (one input only); default `ftm:` and the file name.
    pub source: Option<SourceId>,
}

/// The source id of an FtM file: `ftm:` and its file name, with characters ids cannot hold replaced.
pub fn ftm_source_id(input: &InputPath) -> SourceId {
    let name = match input {
        InputPath::File(path) => path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(),
        InputPath::Stdin => "stdin".to_string(),
    };
    let cleaned: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' }).collect();
    #[allow(clippy::expect_used, reason = "only id characters remain and the length is bounded")]
    SourceId::new(&format!("ftm:{}", &cleaned[..cleaned.len().min(180)])).expect("a cleaned file name is a valid id")
}

/// Imports FtM entity files (JSON lines, a JSON list, or YAML), one source per file, in one transaction.
pub fn import_ftm(
    model: &Model,
    store: Option<&dyn Store>,
    inputs: &[InputPath],
    options: &FtmImportOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportReport, WriteError> {
    let mut run = ImportRun::begin(store, &options.recorded_by, clew_custody::EventKind::ImportFtm)?;
    let reverse = reverse_properties(model);
    // Which input each source id came from: two inputs must never write (and so retract) one source.
    let mut sources: HashMap<SourceId, String> = HashMap::new();
    if options.source.is_some() && inputs.len() > 1 {
        let message = "--source names one source, so it takes one input".to_string();
        run.problems("-", vec![Diagnostic { file: None, pos: None, path: String::new(), message }]);
    }
    for input in inputs {
        let Some((name, text, nodes)) = run.read(input) else { continue };
        let source = options.source.clone().unwrap_or_else(|| ftm_source_id(input));
        if let Some(first) = sources.insert(source.clone(), name.clone()) {
            let message = format!(
                "this input and {first} would both be source `{source}`; import them separately, or name each \
                 with --source"
            );
            run.problems(&name, vec![Diagnostic { file: None, pos: None, path: String::new(), message }]);
            continue;
        }
        let mut generation = None;
        if let Some(tx) = run.writer()? {
            let draft = SourceDraft {
                id: source.clone(),
                kind: SourceKind::FtmFile,
                title: format!("FollowTheMoney file {name}"),
                content_hash: clew_model::ids::sha256_hex(text.as_bytes()),
                synthetic: false,
                withdrawn: None,
            };
            let outcome = tx.put_source(&draft)?;
            run.written(&draft, Written { outcome, statements: 0 });
            generation = match outcome {
                SourceOutcome::Unchanged { .. } => None,
                SourceOutcome::New { generation } | SourceOutcome::Changed { generation, .. } => Some(generation),
            };
        }
        for node in nodes {
            run.report.records += 1;
            progress(run.report.records);
            let mut reader = Reader::default();
            let mut warnings = Vec::new();
            let facts = read_ftm_entity(model, &reverse, &node, &mut reader, options, &mut warnings, &name);
            run.report.warnings.extend(warnings);
            run.problems(&name, reader.diagnostics);
            let locator = format!("line:{}", node.pos.line);
            let (Some(facts), Some(generation)) = (facts, generation) else { continue };
            let recorded_at = run.recorded_at().to_string();
            let statements: Vec<Statement> = facts
                .into_iter()
                .map(|fact| {
                    let sensitivity = if fact.sensitive { Sensitivity::Restricted } else { options.sensitivity };
                    let claim = Claim {
                        entity_id: fact.entity_id,
                        schema: &fact.schema,
                        property: &fact.property,
                        value: fact.value,
                        source_id: &source,
                        locator: locator.clone(),
                        generation,
                    };
                    Statement::new(claim, &options.recorded_by, &recorded_at, 1.0, sensitivity)
                })
                .collect();
            if let Some(tx) = run.writer()? {
                run.report.statements += tx.put_statements(&statements)?;
            }
        }
    }
    run.finish(options.dry_run)
}

/// For each clew schema: FtM property name → clew property name.
fn reverse_properties(model: &Model) -> HashMap<String, HashMap<String, String>> {
    model
        .schemata
        .values()
        .map(|schema| {
            let mut map: HashMap<String, String> = HashMap::new();
            for property in schema.properties.values() {
                if let Some(ftm) = &property.ftm {
                    // Where two clew properties export as one FtM property, the one of the same name imports it.
                    if !map.contains_key(ftm) || property.name == *ftm {
                        map.insert(ftm.clone(), property.name.clone());
                    }
                }
            }
            (schema.name.clone(), map)
        })
        .collect()
}

/// A value read from an FtM entity, before it becomes a statement.
struct RawStatement {
    entity_id: EntityId,
    schema: String,
    property: String,
    value: String,
    /// The clew property is marked sensitive (it can re-identify a witness): the statement is restricted
    /// whatever `--sensitivity` says.
    sensitive: bool,
}

fn read_ftm_entity(
    model: &Model,
    reverse: &HashMap<String, HashMap<String, String>>,
    node: &clew_model::doc::Node,
    reader: &mut Reader,
    options: &FtmImportOptions,
    warnings: &mut Vec<Diagnostic>,
    file: &str,
) -> Option<Vec<RawStatement>> {
    let mut map = reader.map(node, "")?;
    let id = map.required("id").and_then(|(node, path)| {
        let text = reader.string(node, &path)?;
        EntityId::new(&text).map_err(|message| reader.error(node, &path, message)).ok()
    });
    let schema_field = map.required("schema");
    let properties_field = map.get("properties");
    // FtM entities carry bookkeeping fields clew does not need (datasets, referents, first_seen, caption...).
    let _ = map.entries();
    map.finish(reader);
    let (id, (schema_node, schema_path)) = (id?, schema_field?);
    let ftm_schema = reader.string(schema_node, &schema_path)?;
    let warn = |warnings: &mut Vec<Diagnostic>, pos, path: &str, message: String| {
        warnings.push(Diagnostic { file: Some(file.to_string()), pos: Some(pos), path: path.to_string(), message })
    };
    let Some(schema) = model.schema_for_ftm(&ftm_schema) else {
        let message = format!("FtM schema `{ftm_schema}` has no clew counterpart");
        if options.skip_unknown {
            warn(warnings, schema_node.pos, &schema_path, format!("{message}; entity skipped"));
        } else {
            reader.error(schema_node, &schema_path, format!("{message} (use --skip-unknown to skip such entities)"));
        }
        return None;
    };
    let names = &reverse[&schema.name];
    let mut statements = Vec::new();
    let Some((node, path)) = properties_field else {
        return Some(statements);
    };
    let mut properties = reader.map(node, &path)?;
    let entries = properties.entries();
    properties.finish(reader);
    let currency = entries.iter().find(|(name, _)| name == "currency").and_then(|(_, node)| match &node.kind {
        NodeKind::Seq(items) => items.first().and_then(|n| match &n.kind {
            NodeKind::Scalar { text, .. } => Some(text.clone()),
            _ => None,
        }),
        _ => None,
    });
    for (ftm_name, values_node) in entries {
        let path = clew_model::read::child_path(&path, ftm_name);
        let Some(clew_name) = names.get(ftm_name) else {
            if ftm_name == "currency" && schema.properties.values().any(|p| p.kind == PropertyType::Money) {
                continue;
            }
            let message = format!("FtM property `{ftm_name}` of {ftm_schema} has no clew counterpart");
            if options.skip_unknown {
                warn(warnings, values_node.pos, &path, format!("{message}; values skipped"));
            } else {
                reader.error(values_node, &path, format!("{message} (use --skip-unknown to skip such values)"));
            }
            continue;
        };
        let property = &schema.properties[clew_name];
        let Some(values) = reader.strings(values_node, &path) else {
            continue;
        };
        for (index, value) in values.iter().enumerate() {
            let length = value.chars().count();
            if property.kind == PropertyType::Name && length > crate::testimony::MAX_VALUE_CHARS {
                reader.error(
                    values_node,
                    &index_path(&path, index),
                    format!(
                        "a name of {length} characters; names are limited to {}",
                        crate::testimony::MAX_VALUE_CHARS
                    ),
                );
                continue;
            }
            let raw = if property.kind == PropertyType::Money {
                match &currency {
                    Some(currency) => format!("{value} {currency}"),
                    None => {
                        reader.error(values_node, &index_path(&path, index), "an amount needs a `currency` property");
                        continue;
                    }
                }
            } else {
                value.clone()
            };
            match model.normalize_typed(property, &raw) {
                Ok(canonical) => statements.push(RawStatement {
                    entity_id: id.clone(),
                    schema: schema.name.clone(),
                    property: clew_name.clone(),
                    value: canonical,
                    sensitive: property.sensitive,
                }),
                Err(message) => reader.error(values_node, &index_path(&path, index), message),
            }
        }
    }
    Some(statements)
}
