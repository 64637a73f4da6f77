//! Assessment rules as data (`schema/assessment-rules.yaml`, format `clew-assessment-rules-v1`): each rule
//! derives taxonomy codes (ICLS circumstances and elements, ILO indicators) for a work spell from its coded
//! facts, e.g. "deductions labelled loyalty fee or plan quota take at least half the wage → COE04, IND08".
//! Read with positions, so a user's rules file gets `file:line:column` for every problem; linted against
//! the taxonomy and the model (unknown codes, properties or code values, rules that depend on each other in a
//! circle, rules that could hold with no evidence).

use std::collections::{BTreeMap, BTreeSet};

use clew_model::doc::{Node, NodeKind, TextFormat, parse};
use clew_model::read::{MapReader, Reader, index_path};
use clew_model::{Diagnostic, Model, Property, PropertyType};

use crate::taxonomy::{Family, Taxonomy};

/// The format of a rules file.
pub const RULES_FORMAT: &str = "clew-assessment-rules-v1";

/// The shipped rules.
pub const RULES_YAML: &str = include_str!("../../../schema/assessment-rules.yaml");

/// What a test asks of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// The value is this (canonical text: `true`, a code, a number).
    Equals(String),
    /// The value is one of these.
    In(Vec<String>),
    /// The value is a number at least this.
    AtLeast(f64),
    /// The value is a number at most this.
    AtMost(f64),
    /// The property has a value.
    Present,
}

/// A quantity computed from several facts of a spell.
#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    /// The share of the employer's payment that deductions of these kinds take: their `share`, or their
    /// amount over the employer's payment in the same currency and period.
    DeductedShare(Vec<String>),
    /// The share of the employer's payment that reaches the worker.
    ReceivedShare,
    /// What reaches the worker as a share of the wage promised (same currency and period).
    ReceivedOfPromised,
}

/// A condition on a work spell.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// Every one holds.
    All(Vec<Condition>),
    /// At least one holds (the evidence is that of those that do).
    Any(Vec<Condition>),
    /// It does not hold (contributes no evidence).
    Not(Box<Condition>),
    /// A property of the spell (`Employment.x`) or of an entity linked to it (`Housing.x`) passes a test.
    Property {
        /// Schema.
        schema: String,
        /// Property.
        property: String,
        /// Test.
        test: Test,
    },
    /// An entity of this schema linked to the spell has all these property values.
    Related {
        /// Schema.
        schema: String,
        /// Property tests, all of which must pass on one entity.
        tests: Vec<(String, Test)>,
    },
    /// A measure passes a test.
    Measure {
        /// Measure.
        measure: Measure,
        /// Test.
        test: Test,
    },
    /// Another rule found this code for the spell.
    Finding(String),
}

/// One rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Unique id.
    pub id: String,
    /// Taxonomy codes established when it holds.
    pub codes: Vec<String>,
    /// What it says, in words.
    pub summary: String,
    /// When it holds.
    pub when: Condition,
}

/// The strong and medium indicators of the ILO 2012 scheme, per side.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ilo2012 {
    /// A note on the source of the mapping.
    pub note: String,
    /// Strong indicators of involuntariness.
    pub involuntariness_strong: BTreeSet<String>,
    /// Medium indicators of involuntariness.
    pub involuntariness_medium: BTreeSet<String>,
    /// Strong indicators of penalty.
    pub penalty_strong: BTreeSet<String>,
    /// Medium indicators of penalty.
    pub penalty_medium: BTreeSet<String>,
}

/// A loaded, linted rule set.
#[derive(Debug, Clone)]
pub struct Rules {
    /// Its version (`rules_version`).
    pub version: String,
    /// The rules in an order where every rule comes after those whose findings it uses.
    pub rules: Vec<Rule>,
    /// The ILO 2012 scheme.
    pub ilo_2012: Ilo2012,
    /// SHA-256 of the rules file: what a recorded assessment was derived with.
    pub digest: String,
}

impl Rules {
    /// The deduction kinds these rules count as taken by the state: every kind a `deducted_share` measure names
    /// (in the shipped rules, loyalty fees, plan quotas, party and "voluntary" contributions). The revenue
    /// estimate's quota per worker-month is their sum, so a rules file of one's own changes both together.
    pub fn state_deduction_kinds(&self) -> BTreeSet<String> {
        fn visit(condition: &Condition, kinds: &mut BTreeSet<String>) {
            match condition {
                Condition::All(all) | Condition::Any(all) => all.iter().for_each(|c| visit(c, kinds)),
                Condition::Not(inner) => visit(inner, kinds),
                Condition::Measure { measure: Measure::DeductedShare(named), .. } => {
                    kinds.extend(named.iter().cloned())
                }
                _ => {}
            }
        }
        let mut kinds = BTreeSet::new();
        for rule in &self.rules {
            visit(&rule.when, &mut kinds);
        }
        kinds
    }

    /// The shipped rules, against the shipped taxonomy and model.
    pub fn builtin(model: &Model, taxonomy: &Taxonomy) -> Result<Rules, Vec<Diagnostic>> {
        Rules::load(RULES_YAML, "schema/assessment-rules.yaml", model, taxonomy)
    }

    /// Loads and lints a rules file; every problem is reported with its position.
    pub fn load(text: &str, file: &str, model: &Model, taxonomy: &Taxonomy) -> Result<Rules, Vec<Diagnostic>> {
        let with_file = |mut diagnostics: Vec<Diagnostic>| {
            for diagnostic in &mut diagnostics {
                diagnostic.file = Some(file.to_string());
            }
            diagnostics
        };
        let nodes = parse(text, TextFormat::Yaml).map_err(|e| {
            with_file(vec![Diagnostic { file: None, pos: Some(e.pos), path: String::new(), message: e.message }])
        })?;
        let mut reader = Reader::default();
        let Some(node) = nodes.first() else {
            return Err(with_file(vec![Diagnostic {
                file: None,
                pos: None,
                path: String::new(),
                message: "the file is empty".into(),
            }]));
        };
        let lint = Lint { model, taxonomy };
        let loaded = lint.file(&mut reader, node);
        if !reader.diagnostics.is_empty() {
            return Err(with_file(reader.diagnostics));
        }
        let mut rules = loaded.ok_or_else(|| with_file(vec![]))?;
        rules.digest = clew_model::ids::sha256_hex(text.as_bytes());
        Ok(rules)
    }
}

struct Lint<'a> {
    model: &'a Model,
    taxonomy: &'a Taxonomy,
}

impl Lint<'_> {
    fn file(&self, reader: &mut Reader, node: &Node) -> Option<Rules> {
        let mut map = reader.map(node, "")?;
        if let Some((node, path)) = map.required("format") {
            reader.choice(node, &path, &[RULES_FORMAT]);
        }
        let version = map.required("rules_version").and_then(|(node, path)| reader.string(node, &path));
        if let Some((node, path)) = map.required("taxonomy_version")
            && let Some(wanted) = reader.string(node, &path)
            && wanted != self.taxonomy.version
        {
            reader.error(
                node,
                &path,
                format!("the rules were written for taxonomy {wanted}, this is {}", self.taxonomy.version),
            );
        }
        let ilo_2012 = map.required("ilo_2012").and_then(|(node, path)| self.ilo_2012(reader, node, &path));
        let mut rules = Vec::new();
        let mut positions = BTreeMap::new();
        if let Some((node, path)) = map.required("rules")
            && let Some(items) = reader.list(node, &path)
        {
            for (index, item) in items.iter().enumerate() {
                let path = index_path(&path, index);
                if let Some(rule) = self.rule(reader, item, &path) {
                    if positions.insert(rule.id.clone(), (item.pos, path.clone())).is_some() {
                        reader.error(item, &path, format!("rule id `{}` is used twice", rule.id));
                    }
                    rules.push(rule);
                }
            }
        }
        map.finish(reader);
        let ordered = order(reader, rules, &positions)?;
        Some(Rules { version: version?, rules: ordered, ilo_2012: ilo_2012?, digest: String::new() })
    }

    fn codes(&self, reader: &mut Reader, node: &Node, path: &str, families: &[Family]) -> Option<BTreeSet<String>> {
        let codes = reader.strings(node, path)?;
        let mut known = BTreeSet::new();
        for (index, code) in codes.iter().enumerate() {
            match self.taxonomy.code(code) {
                Some(found) if found.deprecated => {
                    reader.error(node, &index_path(path, index), format!("{code} is deprecated in the taxonomy"))
                }
                Some(found) if families.contains(&found.family) => {
                    known.insert(code.clone());
                }
                Some(_) => reader.error(node, &index_path(path, index), format!("{code} does not belong here")),
                None => {
                    reader.error(node, &index_path(path, index), format!("unknown code `{code}`: not in the taxonomy"))
                }
            }
        }
        Some(known)
    }

    fn ilo_2012(&self, reader: &mut Reader, node: &Node, path: &str) -> Option<Ilo2012> {
        let mut map = reader.map(node, path)?;
        let mut scheme = Ilo2012 {
            note: map.required("note").and_then(|(n, p)| reader.string(n, &p)).unwrap_or_default(),
            ..Ilo2012::default()
        };
        let involuntariness = [Family::Involuntariness];
        let penalty = [Family::Coercion];
        let sides: [(&'static str, &[Family]); 4] = [
            ("involuntariness_strong", &involuntariness),
            ("involuntariness_medium", &involuntariness),
            ("penalty_strong", &penalty),
            ("penalty_medium", &penalty),
        ];
        for (key, families) in sides {
            let codes = map.required(key).and_then(|(n, p)| self.codes(reader, n, &p, families)).unwrap_or_default();
            match key {
                "involuntariness_strong" => scheme.involuntariness_strong = codes,
                "involuntariness_medium" => scheme.involuntariness_medium = codes,
                "penalty_strong" => scheme.penalty_strong = codes,
                _ => scheme.penalty_medium = codes,
            }
        }
        // Every circumstance and element has its place in the scheme, exactly one: a code left out would
        // count for ICLS 2018 and silently not for ILO 2012.
        let sides = [
            (Family::Involuntariness, [&scheme.involuntariness_strong, &scheme.involuntariness_medium]),
            (Family::Coercion, [&scheme.penalty_strong, &scheme.penalty_medium]),
        ];
        for (family, [strong, medium]) in sides {
            for code in self.taxonomy.codes.values().filter(|c| c.family == family && !c.deprecated) {
                match (strong.contains(&code.code), medium.contains(&code.code)) {
                    (true, true) => reader.error(node, path, format!("{} is both strong and medium", code.code)),
                    (false, false) => reader.error(node, path, format!("{} is neither strong nor medium", code.code)),
                    _ => {}
                }
            }
        }
        map.finish(reader);
        Some(scheme)
    }

    fn rule(&self, reader: &mut Reader, node: &Node, path: &str) -> Option<Rule> {
        let mut map = reader.map(node, path)?;
        let id = map.required("id").and_then(|(n, p)| reader.string(n, &p));
        let families = [Family::Involuntariness, Family::Coercion, Family::Indicator];
        let codes = map.required("codes").and_then(|(n, p)| self.codes(reader, n, &p, &families));
        let summary = map.required("summary").and_then(|(n, p)| reader.string(n, &p));
        let when = map.required("when").and_then(|(n, p)| self.condition(reader, n, &p));
        map.finish(reader);
        let when = when?;
        if !can_give_evidence(&when) {
            reader.error(node, path, "this rule could hold with no evidence: a finding must cite what it rests on");
        }
        Some(Rule { id: id?, codes: codes?.into_iter().collect(), summary: summary?, when })
    }

    fn condition(&self, reader: &mut Reader, node: &Node, path: &str) -> Option<Condition> {
        let mut map = reader.map(node, path)?;
        // Whatever the body finds wrong, the mapping is finished (its unknown fields reported) once.
        let condition = self.condition_body(reader, &mut map, node, path);
        map.finish(reader);
        condition
    }

    fn condition_body(
        &self,
        reader: &mut Reader,
        map: &mut MapReader<'_>,
        node: &Node,
        path: &str,
    ) -> Option<Condition> {
        let keys: Vec<&str> = match &node.kind {
            NodeKind::Map(entries) => entries.iter().map(|(k, _)| k.as_str()).collect(),
            _ => Vec::new(),
        };
        let kinds = ["all", "any", "not", "property", "related", "measure", "finding"];
        let chosen: Vec<&&str> = kinds.iter().filter(|k| keys.contains(k)).collect();
        if chosen.len() != 1 {
            reader.error(node, path, format!("a condition has exactly one of: {}", kinds.join(", ")));
            map.entries();
            return None;
        }
        let condition = match *chosen[0] {
            "all" | "any" => {
                let key = if keys.contains(&"all") { "all" } else { "any" };
                let (list, list_path) = map.required(key)?;
                let items = reader.list(list, &list_path)?;
                let parts: Vec<Option<Condition>> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.condition(reader, item, &index_path(&list_path, i)))
                    .collect();
                if parts.is_empty() {
                    reader.error(list, &list_path, "an empty list of conditions");
                }
                let parts: Option<Vec<Condition>> = parts.into_iter().collect();
                if key == "all" { Condition::All(parts?) } else { Condition::Any(parts?) }
            }
            "not" => {
                let (inner, inner_path) = map.required("not")?;
                Condition::Not(Box::new(self.condition(reader, inner, &inner_path)?))
            }
            "finding" => {
                let (code, code_path) = map.required("finding")?;
                let code = reader.string(code, &code_path)?;
                if self.taxonomy.code(&code).is_none() {
                    reader.error(node, &code_path, format!("unknown code `{code}`: not in the taxonomy"));
                }
                Condition::Finding(code)
            }
            "property" => {
                let (target, target_path) = map.required("property")?;
                let target = reader.string(target, &target_path)?;
                let Some((schema, property)) = target.split_once('.') else {
                    reader.error(
                        node,
                        &target_path,
                        "write the property as Schema.property, e.g. Employment.hoursPerDay",
                    );
                    map.entries();
                    return None;
                };
                let (schema, property) = (schema.to_string(), property.to_string());
                let kind = self.property_type(reader, node, &target_path, &schema, &property);
                let test = self.test(reader, map, node, kind.as_ref());
                Condition::Property { schema, property, test: test? }
            }
            "related" => {
                let (schema_node, schema_path) = map.required("related")?;
                let schema = reader.string(schema_node, &schema_path)?;
                if self.model.schema(&schema).is_none() {
                    reader.error(schema_node, &schema_path, format!("unknown schema `{schema}`"));
                }
                let mut tests = Vec::new();
                if let Some((wheres, where_path)) = map.get("where")
                    && let Some(mut conditions) = reader.map(wheres, &where_path)
                {
                    for (property, value) in conditions.entries() {
                        let path = format!("{where_path}.{property}");
                        let kind = self.property_type(reader, value, &path, &schema, property);
                        let values = match &value.kind {
                            NodeKind::Seq(_) => reader.strings(value, &path),
                            _ => reader.string(value, &path).map(|v| vec![v]),
                        };
                        if let (Some(values), Some(kind)) = (values, kind.as_ref()) {
                            for v in &values {
                                self.check_value(reader, value, &path, kind, v);
                            }
                            tests.push((property.clone(), Test::In(values)));
                        }
                    }
                    conditions.finish(reader);
                }
                Condition::Related { schema, tests }
            }
            _ => {
                let (measure_node, measure_path) = map.required("measure")?;
                let name = reader.choice(
                    measure_node,
                    &measure_path,
                    &["deducted_share", "received_share", "received_of_promised"],
                )?;
                let measure = if name == "deducted_share" {
                    let (kinds_node, kinds_path) = map.required("kinds")?;
                    let kinds = reader.strings(kinds_node, &kinds_path)?;
                    if let Some(list) = self.model.codes.get("deductionKind") {
                        for (index, kind) in kinds.iter().enumerate() {
                            if !list.contains_key(kind) {
                                reader.error(
                                    kinds_node,
                                    &index_path(&kinds_path, index),
                                    format!("unknown deduction kind `{kind}`"),
                                );
                            }
                        }
                    }
                    Measure::DeductedShare(kinds)
                } else if name == "received_share" {
                    Measure::ReceivedShare
                } else {
                    Measure::ReceivedOfPromised
                };
                let test = self.test(reader, map, node, None);
                Condition::Measure { measure, test: test? }
            }
        };
        Some(condition)
    }

    fn property_type(
        &self,
        reader: &mut Reader,
        node: &Node,
        path: &str,
        schema: &str,
        property: &str,
    ) -> Option<Property> {
        let Some(found) = self.model.schema(schema) else {
            reader.error(node, path, format!("unknown schema `{schema}`"));
            return None;
        };
        match self.model.property(&found.name, property) {
            Ok(prop) => Some(prop.clone()),
            Err(_) => {
                reader.error(node, path, format!("{schema} has no property `{property}`"));
                None
            }
        }
    }

    fn check_value(&self, reader: &mut Reader, node: &Node, path: &str, property: &Property, value: &str) {
        let ok = match property.kind {
            PropertyType::Boolean => matches!(value, "true" | "false"),
            PropertyType::Number => value.parse::<f64>().is_ok(),
            PropertyType::Code => property
                .codes
                .as_ref()
                .and_then(|list| self.model.codes.get(list))
                .is_some_and(|codes| codes.contains_key(value)),
            _ => true,
        };
        if !ok {
            reader.error(node, path, format!("`{value}` is not a value this property takes"));
        }
    }

    fn test(&self, reader: &mut Reader, map: &mut MapReader<'_>, node: &Node, kind: Option<&Property>) -> Option<Test> {
        let present: Vec<&'static str> = ["equals", "in", "at_least", "at_most", "present"]
            .into_iter()
            .filter(|key| matches!(&node.kind, NodeKind::Map(e) if e.iter().any(|(k, _)| k == key)))
            .collect();
        if present.len() != 1 {
            reader.error(node, map.path(), "a test has exactly one of: equals, in, at_least, at_most, present");
            return None;
        }
        let (value, path) = map.required(present[0])?;
        let test = match present[0] {
            "equals" => Test::Equals(reader.string(value, &path)?),
            "in" => Test::In(reader.strings(value, &path)?),
            "at_least" => Test::AtLeast(reader.number(value, &path)?),
            "at_most" => Test::AtMost(reader.number(value, &path)?),
            _ => {
                if !reader.boolean(value, &path)? {
                    reader.error(
                        value,
                        &path,
                        "only `present: true` is a test; write `not: {... present: true}` for absence",
                    );
                    return None;
                }
                Test::Present
            }
        };
        if let Some(kind) = kind {
            match &test {
                Test::Equals(v) => self.check_value(reader, value, &path, kind, v),
                Test::In(values) => values.iter().for_each(|v| self.check_value(reader, value, &path, kind, v)),
                Test::AtLeast(_) | Test::AtMost(_) if kind.kind != PropertyType::Number => {
                    reader.error(value, &path, "a number test on a property that is not a number")
                }
                _ => {}
            }
        }
        Some(test)
    }
}

/// Whether a condition, when it holds, can have cited some fact.
fn can_give_evidence(condition: &Condition) -> bool {
    match condition {
        Condition::All(parts) => parts.iter().any(can_give_evidence),
        Condition::Any(parts) => parts.iter().all(can_give_evidence),
        Condition::Not(_) => false,
        _ => true,
    }
}

/// The codes a condition needs other rules to have found.
fn needed(condition: &Condition, out: &mut BTreeSet<String>) {
    match condition {
        Condition::All(parts) | Condition::Any(parts) => parts.iter().for_each(|p| needed(p, out)),
        Condition::Not(inner) => needed(inner, out),
        Condition::Finding(code) => {
            out.insert(code.clone());
        }
        _ => {}
    }
}

/// Orders rules so each comes after every rule producing a code it needs; a circle is an error naming it.
fn order(
    reader: &mut Reader,
    rules: Vec<Rule>,
    positions: &BTreeMap<String, (clew_model::doc::Pos, String)>,
) -> Option<Vec<Rule>> {
    let mut producers: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, rule) in rules.iter().enumerate() {
        for code in &rule.codes {
            producers.entry(code.as_str()).or_default().push(index);
        }
    }
    let depends: Vec<Vec<usize>> = rules
        .iter()
        .map(|rule| {
            let mut codes = BTreeSet::new();
            needed(&rule.when, &mut codes);
            codes.iter().flat_map(|c| producers.get(c.as_str()).cloned().unwrap_or_default()).collect()
        })
        .collect();
    // Depth-first, with the path kept to name a circle.
    let mut state = vec![0u8; rules.len()]; // 0 new, 1 on the path, 2 done
    let mut sorted = Vec::with_capacity(rules.len());
    let mut failed = false;
    fn visit(
        at: usize,
        depends: &[Vec<usize>],
        state: &mut [u8],
        path: &mut Vec<usize>,
        sorted: &mut Vec<usize>,
    ) -> Result<(), Vec<usize>> {
        match state[at] {
            2 => return Ok(()),
            1 => {
                let start = path.iter().position(|p| *p == at).unwrap_or(0);
                let mut circle = path[start..].to_vec();
                circle.push(at);
                return Err(circle);
            }
            _ => {}
        }
        state[at] = 1;
        path.push(at);
        for next in &depends[at] {
            visit(*next, depends, state, path, sorted)?;
        }
        path.pop();
        state[at] = 2;
        sorted.push(at);
        Ok(())
    }
    for start in 0..rules.len() {
        let mut path = Vec::new();
        if let Err(circle) = visit(start, &depends, &mut state, &mut path, &mut sorted) {
            let names: Vec<&str> = circle.iter().map(|i| rules[*i].id.as_str()).collect();
            let (pos, at) = positions.get(names[0]).cloned().unzip();
            reader.error_at(
                pos,
                at.as_deref().unwrap_or(""),
                format!("rules depend on each other in a circle: {}", names.join(" → ")),
            );
            failed = true;
            break;
        }
    }
    if failed {
        return None;
    }
    let mut slots: Vec<Option<Rule>> = rules.into_iter().map(Some).collect();
    Some(sorted.into_iter().filter_map(|i| slots[i].take()).collect())
}
