//! A testimony's assessment explained and its wage ledgers, as two sections of its page: what
//! `clew assess --testimony` and `clew ledger --testimony` print, with each finding linked to the segments and
//! statements it cites on the same page. Both are made by the service from the statements the reader may read.

use clew_service::analysis::{Amount, CodeMeaning, Family, Ledger, SpellAssessment, Strength, TestimonyAnalysis};
use maud::{Markup, html};

use crate::i18n::{Arg, Lang, Msg};

/// The segment a locator cites (`segment:s3`, `segment:s3#chars=4-20`), if it cites one.
fn cited_segment(locator: &str) -> Option<&str> {
    let segment = locator.strip_prefix("segment:")?;
    Some(segment.split('#').next().unwrap_or(segment))
}

/// An outcome code with its words in the reader's language.
fn outcome(lang: Lang, code: &str, reason: &str) -> Markup {
    html! {
        strong { (code) } " " (crate::pages::dashboard::outcome_label(lang, code))
        br;
        small { (reason) }
    }
}

fn code_item(lang: Lang, code: &str, meaning: Option<&CodeMeaning>) -> Markup {
    html! {
        strong { (code) }
        @if let Some(meaning) = meaning {
            " " (code_label(lang, meaning)) " "
            small {
                "(" (lang.tr(Msg::CodeFamily, &[("family", Arg::Text(family_word(meaning.family)))]))
                @if let Some(strength) = meaning.strength {
                    ", " (lang.tr(Msg::CodeStrength, &[("strength", Arg::Text(strength_word(strength)))]))
                }
                ")"
            }
        }
    }
}

/// A taxonomy code's words in the reader's language: the ILO's indicators as the dashboard charts them, the
/// ICLS 2018 circumstances and elements from the `icls-code` message; a code without one in the taxonomy's
/// words.
pub(crate) fn code_label(lang: Lang, meaning: &CodeMeaning) -> String {
    if meaning.code.starts_with("IND") {
        return crate::pages::dashboard::indicator_label(lang, &meaning.code);
    }
    lang.tr(Msg::IclsCode, &[("code", Arg::Text(&meaning.code)), ("label", Arg::Text(&meaning.label))])
}

fn family_word(family: Family) -> &'static str {
    match family {
        Family::Involuntariness => "involuntariness",
        Family::Coercion => "coercion",
        Family::Indicator => "indicator",
    }
}

fn strength_word(strength: Strength) -> &'static str {
    match strength {
        Strength::Strong => "strong",
        Strength::Medium => "medium",
    }
}

fn period(lang: Lang, start: Option<&str>, end: Option<&str>) -> String {
    let date = |d: Option<&str>| d.map_or_else(|| "?".to_string(), |d| lang.date(d));
    format!("{} – {}", date(start), date(end))
}

fn spell_name(spell: Option<&clew_model::EntityId>) -> String {
    spell.map_or_else(String::new, |s| s.to_string())
}

/// One spell's findings: each with its codes explained, the rule and its words, and the facts it rests on,
/// each linked to its statement and its segment on this page.
fn spell_findings(lang: Lang, spell: &SpellAssessment, analysis: &TestimonyAnalysis) -> Markup {
    let name = spell_name(spell.spell.as_ref());
    html! {
        h3 { (lang.tr(Msg::AssessmentFindings, &[("spell", Arg::Text(&name))])) }
        ul.explained {
            @for finding in &spell.findings {
                li {
                    @for (index, code) in finding.codes.iter().enumerate() {
                        @if index > 0 { "; " }
                        (code_item(lang, code, analysis.codes.get(code)))
                    }
                    br;
                    small { (lang.tr(Msg::AssessmentRule, &[("rule", Arg::Text(&finding.rule)), ("summary", Arg::Text(&finding.summary))])) }
                    ul.evidence {
                        @for fact in &finding.evidence {
                            li {
                                a href={ "#st-" (fact.statement) } { (fact.entity) " · " (fact.property) " = " (fact.value) }
                                @if let Some(segment) = cited_segment(&fact.locator) {
                                    " — " a href={ "#segment-" (segment) } { (lang.tr(Msg::AssessmentSegment, &[("segment", Arg::Text(segment))])) }
                                }
                            }
                        }
                    }
                }
            }
        }
        @for contradiction in &spell.contradictions {
            @let values: Vec<String> = contradiction.values.iter().map(|(value, at)| format!("{value} ({at})")).collect();
            p.problem {
                (lang.tr(Msg::AssessmentContradiction, &[
                    ("property", Arg::Text(&contradiction.property)),
                    ("entity", Arg::Text(contradiction.entity.as_str())),
                    ("values", Arg::Text(&values.join(", "))),
                ]))
            }
        }
    }
}

/// The assessment section: each spell's ICLS 2018 and ILO 2012 outcomes side by side, then what was found in
/// it and why.
pub(crate) fn assessment_section(lang: Lang, analysis: &TestimonyAnalysis) -> Markup {
    html! {
        section #assessment aria-labelledby="assessment-title" {
            h2 #assessment-title { (lang.t(Msg::AssessmentTitle)) }
            @if analysis.withdrawn {
                p.problem { (lang.t(Msg::AssessmentWithdrawn)) }
            } @else if let Some(assessment) = analysis.assessment.as_ref().filter(|a| !a.spells.is_empty()) {
                p.notice {
                    (lang.tr(Msg::AssessmentIntro, &[
                        ("rules", Arg::Text(&assessment.rules_version)),
                        ("taxonomy", Arg::Text(&assessment.taxonomy_version)),
                    ]))
                }
                table.outcomes {
                    thead {
                        tr {
                            th scope="col" { (lang.t(Msg::AssessmentSpell)) }
                            th scope="col" { (lang.t(Msg::AssessmentPeriod)) }
                            th scope="col" { (lang.t(Msg::AssessmentIcls)) }
                            th scope="col" { (lang.t(Msg::AssessmentIlo)) }
                        }
                    }
                    tbody {
                        @for spell in &assessment.spells {
                            tr {
                                th scope="row" {
                                    @if let Some(id) = &spell.spell { a href={ "/entities/" (id) } { (id) } }
                                }
                                td { (period(lang, spell.start.as_deref(), spell.end.as_deref())) }
                                td.outcome.fl[spell.icls.code() == "FL"] { (outcome(lang, spell.icls.code(), &spell.icls_reason)) }
                                td.outcome.fl[spell.ilo_2012.code() == "FL"] { (outcome(lang, spell.ilo_2012.code(), &spell.ilo_2012_reason)) }
                            }
                        }
                    }
                }
                @for spell in assessment.spells.iter().filter(|s| !s.findings.is_empty() || !s.contradictions.is_empty()) {
                    (spell_findings(lang, spell, analysis))
                }
            } @else {
                p { (lang.t(Msg::AssessmentNone)) }
            }
        }
    }
}

/// An amount as stated (`45,000 RUB a month`), or "not coded".
fn stated(lang: Lang, amount: Option<&Amount>) -> String {
    match amount {
        Some(amount) => {
            let money = lang.money(amount.amount, &amount.currency);
            let period = amount.period.as_deref().unwrap_or("");
            lang.tr(Msg::AmountPer, &[("period", Arg::Text(period)), ("amount", Arg::Text(&money))])
        }
        None => lang.t(Msg::LedgerNotCoded),
    }
}

/// An amount's US-dollar equivalent, in its period (`≈ 690 USD a month`), when it has one.
fn in_usd(lang: Lang, amount: Option<&Amount>) -> String {
    match amount.and_then(|a| a.usd.map(|usd| (a, usd))) {
        Some((amount, usd)) => {
            let money = format!("≈ {}", lang.usd(usd));
            let period = amount.period.as_deref().unwrap_or("");
            lang.tr(Msg::AmountPer, &[("period", Arg::Text(period)), ("amount", Arg::Text(&money))])
        }
        None => String::new(),
    }
}

fn entity_link(analysis: &TestimonyAnalysis, id: &str) -> Markup {
    html! { a href={ "/entities/" (id) } { (analysis.names.get(id).map_or(id, String::as_str)) } }
}

/// A message whose argument `name` is a link: the message's words are escaped, the link put where it says.
fn with_link(lang: Lang, msg: Msg, name: &str, link: Markup) -> Markup {
    // A character of the private use area, which no message contains, marks the link's place.
    const MARK: &str = "\u{E000}";
    let text = lang.tr(msg, &[(name, Arg::Text(MARK))]);
    let (before, after) = text.split_once(MARK).unwrap_or((text.as_str(), ""));
    html! { (before) (link) (after) }
}

fn ledger_table(lang: Lang, ledger: &Ledger, analysis: &TestimonyAnalysis) -> Markup {
    // What reached the worker, and when: "never" and "on return" are what was owed, not what was received.
    let owed = matches!(ledger.received_when.as_deref(), Some("never" | "on_return"));
    html! {
        table.ledger {
            caption {
                (spell_name(ledger.spell.as_ref())) " · " (period(lang, ledger.start.as_deref(), ledger.end.as_deref()))
            }
            thead {
                tr {
                    th scope="col" { (lang.t(Msg::LedgerItem)) }
                    th scope="col" { (lang.t(Msg::LedgerAmount)) }
                    th scope="col" class="n" { (lang.t(Msg::LedgerUsd)) }
                }
            }
            tbody {
                tr {
                    th scope="row" { (lang.t(Msg::LedgerPromised)) }
                    td { (stated(lang, ledger.promised.as_ref())) }
                    td.n { (in_usd(lang, ledger.promised.as_ref())) }
                }
                tr {
                    th scope="row" { (lang.t(Msg::LedgerEmployerPaid)) }
                    td {
                        (stated(lang, ledger.employer_paid.as_ref()))
                        @if let Some(to) = &ledger.paid_to {
                            ", " (with_link(lang, Msg::LedgerPaidTo, "name", entity_link(analysis, to)))
                        }
                    }
                    td.n { (in_usd(lang, ledger.employer_paid.as_ref())) }
                }
                @for deduction in &ledger.deductions {
                    tr.deduction {
                        th scope="row" { (crate::pages::ledgers::deducted_label(lang, &deduction.kind)) }
                        td {
                            (stated(lang, deduction.amount.as_ref()))
                            @if let Some(share) = deduction.share {
                                " (" (lang.tr(Msg::LedgerShare, &[("share", Arg::Text(&lang.percent(share)))])) ")"
                            }
                            @if let Some(by) = &deduction.taken_by {
                                ", " (with_link(lang, Msg::LedgerTakenBy, "name", entity_link(analysis, by)))
                            }
                        }
                        td.n { (in_usd(lang, deduction.amount.as_ref())) }
                    }
                }
                tr {
                    th scope="row" { (lang.t(if owed { Msg::LedgerOwed } else { Msg::LedgerReceived })) }
                    td {
                        (stated(lang, ledger.received.as_ref()))
                        @if let Some(when) = &ledger.received_when {
                            ", " (lang.tr(Msg::PaidWhen, &[("when", Arg::Text(when))]))
                        }
                    }
                    td.n { (in_usd(lang, ledger.received.as_ref())) }
                }
            }
        }
        @if !ledger.flags.is_empty() {
            div.problem {
                (lang.t(Msg::LedgerFlags))
                ul { @for flag in &ledger.flags { li { (flag) } } }
            }
        }
        @if !ledger.rate_sources.is_empty() {
            p { small { (lang.tr(Msg::LedgerRates, &[("sources", Arg::Text(&ledger.rate_sources.join("; ")))])) } }
        }
    }
}

/// The wage ledger section: one table per work spell, its flags, where its rates come from, and the rates the
/// table lacked.
pub(crate) fn ledger_section(lang: Lang, analysis: &TestimonyAnalysis) -> Markup {
    html! {
        @if !analysis.withdrawn {
            section #ledger aria-labelledby="ledger-title" {
                h2 #ledger-title { (lang.t(Msg::LedgerTitle)) }
                @if analysis.ledgers.is_empty() {
                    p { (lang.t(Msg::LedgerNone)) }
                } @else {
                    p.notice { (lang.t(Msg::LedgerIntro)) }
                    @for ledger in &analysis.ledgers { (ledger_table(lang, ledger, analysis)) }
                    @for missing in analysis.missing_rates.currencies() {
                        p.notice { (missing_rates(lang, &missing)) }
                    }
                }
            }
        }
    }
}

/// What one currency lacks in the rate table, in words.
pub(crate) fn missing_rates(lang: Lang, missing: &clew_service::analysis::MissingCurrency) -> String {
    lang.tr(
        Msg::LedgerMissing,
        &[
            ("currency", Arg::Text(&missing.currency)),
            ("first", Arg::Text(&lang.date(&missing.first))),
            ("last", Arg::Text(&lang.date(&missing.last))),
            ("months", Arg::Count(i64::try_from(missing.months).unwrap_or(i64::MAX))),
        ],
    )
}
