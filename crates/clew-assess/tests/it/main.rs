//! Hand-worked testimonies for each ICLS branch and each ILO indicator, the evidence findings cite, and
//! rules files that must be refused.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod ledger;
mod rates;

use clew_assess::engine::Outcome;
use clew_assess::{Rules, Taxonomy, assess};
use clew_model::{EntityId, Model, Sensitivity, SourceId, Statement, StatementId};

fn model() -> &'static Model {
    Model::builtin().unwrap()
}

fn taxonomy() -> &'static Taxonomy {
    Taxonomy::builtin().unwrap()
}

fn rules() -> Rules {
    Rules::builtin(model(), taxonomy()).unwrap()
}

const T: &str = "T-SYNTH-1";

/// One statement of the synthetic testimony `T-SYNTH-1`, cited to a segment.
fn fact(entity: &str, schema: &str, property: &str, value: &str, segment: &str) -> Statement {
    let source = SourceId::new(T).unwrap();
    let entity = EntityId::new(&format!("{T}.{entity}")).unwrap();
    let locator = format!("segment:{segment}");
    Statement {
        id: Statement::compute_id(&entity, schema, property, value, &source, &locator, 1),
        entity_id: entity,
        schema: schema.into(),
        property: property.into(),
        value: value.into(),
        source_id: source,
        locator,
        recorded_by: "test".into(),
        recorded_at: "2026-01-01T00:00:00Z".into(),
        confidence: 1.0,
        sensitivity: Sensitivity::Restricted,
        retracts: None,
    }
}

/// A dated spell with the given extra facts on it.
fn spell(extra: &[(&str, &str)]) -> Vec<Statement> {
    let mut statements = vec![
        fact("spell1", "Employment", "employer", &format!("{T}.employer"), "s1"),
        fact("spell1", "Employment", "startDate", "2019-05", "s1"),
        fact("spell1", "Employment", "endDate", "2021-11", "s1"),
    ];
    statements.extend(extra.iter().map(|(property, value)| fact("spell1", "Employment", property, value, "s2")));
    statements
}

fn outcome(statements: &[Statement]) -> (Outcome, Outcome) {
    let assessment = assess(&SourceId::new(T).unwrap(), statements, &rules(), taxonomy());
    assert_eq!(assessment.spells.len(), 1);
    (assessment.spells[0].icls, assessment.spells[0].ilo_2012)
}

#[test]
fn each_icls_branch() {
    // Forced labour: 12-hour days (involuntariness) and threats to the family (coercion), one spell.
    assert_eq!(
        outcome(&spell(&[("hoursPerDay", "12"), ("threatsToFamily", "true")])),
        (Outcome::ForcedLabour, Outcome::ForcedLabour)
    );
    // Involuntariness only.
    assert_eq!(outcome(&spell(&[("hoursPerDay", "14")])).0, Outcome::InvOnly);
    // Coercion only.
    assert_eq!(outcome(&spell(&[("documentsConfiscated", "true")])).0, Outcome::CoeOnly);
    // Neither: conditions were coded, none of them forced labour's.
    assert_eq!(
        outcome(&spell(&[("hoursPerDay", "8"), ("restDaysPerMonth", "8"), ("wagePaidWhen", "monthly")])),
        (Outcome::None, Outcome::None)
    );
    // Undetermined: nothing coded about conditions; or no period.
    assert_eq!(outcome(&spell(&[])).0, Outcome::Undetermined);
    let undated = vec![
        fact("spell1", "Employment", "employer", "x", "s1"),
        fact("spell1", "Employment", "hoursPerDay", "12", "s2"),
        fact("spell1", "Employment", "threatsToFamily", "true", "s2"),
    ];
    let assessment = assess(&SourceId::new(T).unwrap(), &undated, &rules(), taxonomy());
    assert_eq!(assessment.spells[0].icls, Outcome::Undetermined);
    assert!(assessment.spells[0].icls_reason.contains("no reference period"));
    // Coercion and involuntariness in two different spells are not forced labour (same spell required).
    let mut split = spell(&[("hoursPerDay", "12")]);
    split.push(fact("spell2", "Employment", "startDate", "2022-01", "s3"));
    split.push(fact("spell2", "Employment", "violence", "true", "s3"));
    let assessment = assess(&SourceId::new(T).unwrap(), &split, &rules(), taxonomy());
    let outcomes: Vec<Outcome> = assessment.spells.iter().map(|s| s.icls).collect();
    assert_eq!(outcomes, [Outcome::InvOnly, Outcome::CoeOnly]);
    assert_eq!(assessment.outcome, Outcome::CoeOnly);
}

/// An employer paying the worker directly (no `paid_to`): the payment to the witness is still the employer's,
/// and what reached the worker is still the `received` payment.
#[test]
fn the_employers_payment_and_the_workers_pay_are_never_confused() {
    let mut statements = spell(&[]);
    statements.extend([
        fact("spell1.paid", "Payment", "payer", "x", "s3"),
        fact("spell1.paid", "Payment", "beneficiary", "witness:W-1", "s3"),
        fact("spell1.paid", "Payment", "amount", "60000 RUB", "s3"),
        fact("spell1.paid", "Payment", "period", "month", "s3"),
        fact("spell1.received", "Payment", "beneficiary", "witness:W-1", "s3"),
        fact("spell1.received", "Payment", "amount", "15000 RUB", "s3"),
        fact("spell1.received", "Payment", "period", "month", "s3"),
        fact("spell1.deduction-1", "Deduction", "deductionKind", "loyalty_fee", "s3"),
        fact("spell1.deduction-1", "Deduction", "amount", "45000 RUB", "s3"),
        fact("spell1.deduction-1", "Deduction", "period", "month", "s3"),
        // A second deduction whose share cannot be known does not hide the first.
        fact("spell1.deduction-2", "Deduction", "deductionKind", "party_contribution", "s3"),
    ]);
    let assessment = assess(&SourceId::new(T).unwrap(), &statements, &rules(), taxonomy());
    let spell = &assessment.spells[0];
    assert!(spell.involuntariness.contains("INV05"), "15000 of 60000 reached the worker: {:?}", spell.findings);
    assert!(spell.coercion.contains("COE04"), "{:?}", spell.findings);
    let ledger = &clew_assess::ledger::ledgers(&statements, None).unwrap()[0];
    assert_eq!(ledger.employer_paid.as_ref().unwrap().amount, 60000.0);
    assert_eq!(ledger.received.as_ref().unwrap().amount, 15000.0);
}

#[test]
fn contradictory_facts_are_both_kept_and_flagged() {
    let mut statements = spell(&[("hoursPerDay", "12")]);
    statements.push(fact("spell1", "Employment", "hoursPerDay", "9", "s5"));
    let assessment = assess(&SourceId::new(T).unwrap(), &statements, &rules(), taxonomy());
    let spell = &assessment.spells[0];
    assert_eq!(spell.contradictions.len(), 1, "{:?}", spell.contradictions);
    let values: Vec<&str> = spell.contradictions[0].values.iter().map(|(v, _)| v.as_str()).collect();
    assert_eq!(values, ["12", "9"]);
    // Both are kept: the 12-hour day still counts as evidence.
    assert!(spell.involuntariness.contains("INV03"));
}

#[test]
fn the_ilo_2012_scheme_needs_a_strong_indicator() {
    // Degrading housing (INV06, medium) and abuse of vulnerability through a study permit (COE06, medium):
    // forced labour by ICLS, not by the ILO 2012 scheme, which needs one strong indicator.
    let mut statements = spell(&[]);
    statements.push(fact("spell1.housing", "Housing", "housingType", "container", "s4"));
    statements.push(fact("spell1.permit", "Permit", "purpose", "study", "s1"));
    let (icls, ilo) = outcome(&statements);
    assert_eq!((icls, ilo), (Outcome::ForcedLabour, Outcome::NoStrong));
}

#[test]
fn every_ilo_indicator_has_a_rule_and_every_finding_cites_its_segments() {
    let mut statements = spell(&[
        ("hoursPerDay", "13"),
        ("promisedWage", "800 USD"),
        ("promisedWagePeriod", "month"),
        ("wagePaidWhen", "on_return"),
        ("documentsConfiscated", "true"),
        ("movementRestricted", "true"),
        ("isolation", "true"),
        ("violence", "true"),
        ("threatsToFamily", "true"),
        ("debtBondage", "true"),
        ("escaped", "true"),
    ]);
    statements.extend([
        fact("spell1.paid", "Payment", "payer", "x", "s3"),
        fact("spell1.paid", "Payment", "amount", "1000 USD", "s3"),
        fact("spell1.paid", "Payment", "period", "month", "s3"),
        fact("spell1.received", "Payment", "beneficiary", "witness:W-1", "s3"),
        fact("spell1.received", "Payment", "amount", "150 USD", "s3"),
        fact("spell1.received", "Payment", "period", "month", "s3"),
        fact("spell1.deduction-1", "Deduction", "deductionKind", "loyalty_fee", "s3"),
        fact("spell1.deduction-1", "Deduction", "amount", "850 USD", "s3"),
        fact("spell1.deduction-1", "Deduction", "period", "month", "s3"),
        fact("spell1.housing", "Housing", "housingType", "container", "s4"),
        fact("spell1.housing", "Housing", "occupants", "8", "s4"),
        fact("spell1.permit", "Permit", "purpose", "study", "s1"),
        fact("spell1.supervision", "Supervision", "supervisorRole", "security_minder", "s4"),
    ]);
    let assessment = assess(&SourceId::new(T).unwrap(), &statements, &rules(), taxonomy());
    let spell = &assessment.spells[0];
    let all: Vec<String> = (1..=11).map(|i| format!("IND{i:02}")).collect();
    assert_eq!(spell.indicators.iter().cloned().collect::<Vec<_>>(), all, "{:#?}", spell.findings);
    assert_eq!(spell.icls, Outcome::ForcedLabour);
    for code in ["INV03", "INV05", "INV06", "INV09", "COE01", "COE02", "COE03", "COE04", "COE05", "COE06"] {
        assert!(spell.involuntariness.contains(code) || spell.coercion.contains(code), "{code}");
    }
    // Every finding cites statements, each from a segment of the testimony; the wage measure cites the
    // deduction and the employer's payment it was computed from.
    for finding in &spell.findings {
        assert!(!finding.evidence.is_empty(), "{finding:?}");
        assert!(finding.evidence.iter().all(|f| f.locator.starts_with("segment:")), "{finding:?}");
    }
    let wage = spell.findings.iter().find(|f| f.rule == "wage-taken-by-the-state").unwrap();
    let cited: Vec<&str> = wage.evidence.iter().map(|f| f.value.as_str()).collect();
    assert!(cited.contains(&"850 USD") && cited.contains(&"1000 USD") && cited.contains(&"loyalty_fee"), "{cited:?}");
    let ids: Vec<&StatementId> = wage.evidence.iter().map(|f| &f.statement).collect();
    assert!(ids.iter().all(|id| statements.iter().any(|s| &&s.id == id)));
}

#[test]
fn a_wage_share_in_another_currency_or_period_is_not_guessed() {
    let mut statements = spell(&[]);
    statements.extend([
        fact("spell1.paid", "Payment", "payer", "x", "s3"),
        fact("spell1.paid", "Payment", "amount", "60000 RUB", "s3"),
        fact("spell1.paid", "Payment", "period", "month", "s3"),
        fact("spell1.deduction-1", "Deduction", "deductionKind", "loyalty_fee", "s3"),
        fact("spell1.deduction-1", "Deduction", "amount", "600 USD", "s3"),
        fact("spell1.deduction-1", "Deduction", "period", "month", "s3"),
    ]);
    let assessment = assess(&SourceId::new(T).unwrap(), &statements, &rules(), taxonomy());
    assert!(assessment.spells[0].findings.iter().all(|f| f.rule != "wage-taken-by-the-state"));
    // With a coded share, the share is used.
    statements.push(fact("spell1.deduction-1", "Deduction", "share", "0.75", "s3"));
    let assessment = assess(&SourceId::new(T).unwrap(), &statements, &rules(), taxonomy());
    assert!(assessment.spells[0].findings.iter().any(|f| f.rule == "wage-taken-by-the-state"));
}

fn problems(text: &str) -> Vec<String> {
    Rules::load(text, "r.yaml", model(), taxonomy()).unwrap_err().iter().map(ToString::to_string).collect()
}

#[test]
fn a_bad_rules_file_is_refused_with_every_problem_and_where() {
    let base = clew_assess::rules::RULES_YAML;
    let broken = base
        .replace("codes: [INV03, IND11]", "codes: [INV03, IND99]")
        .replace("Employment.hoursPerDay", "Employment.hoursPerWeek")
        .replace("in: [on_return, never]", "in: [on_return, someday]")
        .replace("id: violence", "id: isolation");
    let found = problems(&broken);
    let has = |needle: &str| found.iter().any(|p| p.contains(needle));
    assert!(has("unknown code `IND99`"), "{found:#?}");
    assert!(has("Employment has no property `hoursPerWeek`"), "{found:#?}");
    assert!(has("`someday` is not a value this property takes"), "{found:#?}");
    assert!(has("rule id `isolation` is used twice"), "{found:#?}");
    assert!(found.iter().all(|p| p.starts_with("r.yaml:")), "{found:#?}");

    // A circle of rules, a rule with no possible evidence, a rules file for another taxonomy.
    let circle = base.replace(
        "  - id: violence\n    codes: [COE01, IND05]\n    summary: physical violence\n    when:\n      property: Employment.violence\n      equals: true\n",
        "  - id: violence\n    codes: [COE01, IND05]\n    summary: physical violence\n    when:\n      finding: IND04\n",
    );
    assert_ne!(circle, base);
    let circle =
        circle.replace("        - {property: Employment.isolation, equals: true}\n", "        - {finding: COE01}\n");
    assert!(
        problems(&circle).iter().any(|p| p.contains("rules depend on each other in a circle")),
        "{:?}",
        problems(&circle)
    );
    let empty = base.replace(
        "      property: Employment.escaped\n      equals: true",
        "      not: {property: Employment.escaped, equals: false}",
    );
    assert!(problems(&empty).iter().any(|p| p.contains("could hold with no evidence")));
    let unplaced = base.replace("INV06, INV99]", "INV06]");
    assert!(problems(&unplaced).iter().any(|p| p.contains("INV99 is neither strong nor medium")));
    let absent = base.replace(
        "{property: Employment.documentsHeldBy, present: true}",
        "{property: Employment.documentsHeldBy, present: false}",
    );
    assert!(problems(&absent).iter().any(|p| p.contains("only `present: true` is a test")));
    let other = base.replace("taxonomy_version: \"2025-11-26\"", "taxonomy_version: \"1999-01-01\"");
    assert!(problems(&other).iter().any(|p| p.contains("written for taxonomy 1999-01-01")));
    assert!(problems("rules: [").iter().all(|p| p.starts_with("r.yaml:")));
}

/// The revenue estimate sums the deductions the rules count as the state's: the shipped rules name four kinds.
#[test]
fn the_state_deduction_kinds_come_from_the_rules() {
    let kinds: Vec<String> = rules().state_deduction_kinds().into_iter().collect();
    assert_eq!(kinds, ["loyalty_fee", "party_contribution", "plan_quota", "voluntary_contribution"]);
}
