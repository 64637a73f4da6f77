//! Output: text or JSON on standard output, notes and progress on standard error, failures as messages and
//! exit codes. A closed pipe (`clew entity list | head`) ends the program quietly.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clew_model::{Diagnostic, Model};
use clew_service::intake::ImportReport;
use clew_store::Stats;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

/// Why a command did not succeed, and its exit code.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    kind: &'static str,
    message: String,
    diagnostics: Vec<Diagnostic>,
    json: Option<serde_json::Value>,
}

impl Failure {
    fn new(code: u8, kind: &'static str, message: String) -> Failure {
        Failure { code, kind, message, diagnostics: Vec::new(), json: None }
    }

    /// Exit 1: something failed inside clew or the storage.
    pub fn internal(message: String) -> Failure {
        Failure::new(1, "internal", message)
    }

    /// Exit 2: the command line is wrong.
    pub fn usage(message: String) -> Failure {
        Failure::new(2, "usage", message)
    }

    /// Exit 3, with a JSON report for `--json`.
    pub fn invalid_with(diagnostics: Vec<Diagnostic>, json: Option<serde_json::Value>) -> Failure {
        let count = diagnostics.len();
        let mut failure = Failure::new(
            3,
            "invalid_input",
            format!("{count} problem{} found; nothing was written", if count == 1 { "" } else { "s" }),
        );
        failure.diagnostics = diagnostics;
        failure.json = json;
        failure
    }

    /// The same failure for a command that only checks (`clew validate`): it never writes, so it does not say
    /// that nothing was written.
    pub fn checking_only(mut self) -> Failure {
        if self.code == 3 {
            let count = self.diagnostics.len();
            self.message = format!("{count} problem{} found", if count == 1 { "" } else { "s" });
        }
        self
    }

    /// Exit 6: verification found problems (listed already).
    pub fn verification(count: usize, json: Option<serde_json::Value>) -> Failure {
        let mut failure =
            Failure::new(6, "verification_failed", format!("verification found {count} problem(s); see above"));
        failure.json = json;
        failure
    }

    /// Exit 0 without a word: standard output was closed by its reader.
    fn closed_pipe() -> Failure {
        Failure::new(0, "closed_pipe", String::new())
    }
}

/// Every failure of an operation reaches the CLI as the service's one error: its code gives the exit status
/// (docs/errors.md), and nothing else is decided here.
impl From<clew_service::Error> for Failure {
    fn from(error: clew_service::Error) -> Self {
        let (code, message, diagnostics, report) = error.into_parts();
        Failure { code: code.exit_status(), kind: code.as_str(), message, diagnostics, json: report }
    }
}

/// The errors of the crates below, through the service's table.
macro_rules! through_the_service {
    ($($error:ty),* $(,)?) => {$(
        impl From<$error> for Failure {
            fn from(error: $error) -> Self {
                clew_service::Error::from(error).into()
            }
        }
    )*};
}

through_the_service!(clew_files::FileError, clew_store::Error, clew_vault::Error,);

/// Standard output for a writer the service fills, remembering whether its reader closed it: then the failure
/// that follows is no failure, and clew stops without a word.
pub struct PipeWatch<W> {
    inner: W,
    closed: bool,
}

impl<W: std::io::Write> PipeWatch<W> {
    /// Watches `inner`.
    pub fn new(inner: W) -> PipeWatch<W> {
        PipeWatch { inner, closed: false }
    }

    /// The failure to report for `error`: none when the reader closed the pipe.
    pub fn failure(&self, error: clew_service::Error) -> Failure {
        if self.closed { Failure::closed_pipe() } else { error.into() }
    }
}

impl<W: std::io::Write> std::io::Write for PipeWatch<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf);
        self.closed |= written.as_ref().is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe);
        written
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let flushed = self.inner.flush();
        self.closed |= flushed.as_ref().is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe);
        flushed
    }
}

/// Prints a failure and gives its exit code.
pub fn exit(failure: Failure, out: &mut Output) -> ExitCode {
    if failure.code == 0 {
        return ExitCode::SUCCESS;
    }
    if out.json {
        let body = serde_json::json!({
            "error": {"code": failure.kind, "message": failure.message, "diagnostics": failure.diagnostics},
            "report": failure.json,
        });
        let _ = writeln!(std::io::stdout(), "{}", printable(&body.to_string()));
    } else {
        let mut stderr = std::io::stderr().lock();
        for diagnostic in &failure.diagnostics {
            let _ = writeln!(stderr, "{}", printable(&diagnostic.to_string()));
        }
        let _ = writeln!(stderr, "error: {}", printable(&failure.message));
    }
    ExitCode::from(failure.code)
}

pub use clew_service::printable;

/// Set when the command opened a synthetic (demo) project: every JSON result then says so in itself.
pub static SYNTHETIC: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Where results go.
pub struct Output {
    json: bool,
    stdout: std::io::Stdout,
}

fn write_failure(error: std::io::Error) -> Failure {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        Failure::closed_pipe()
    } else {
        Failure::internal(format!("cannot write output: {error}"))
    }
}

impl Output {
    /// Text, or JSON when `json`.
    pub fn new(json: bool) -> Output {
        Output { json, stdout: std::io::stdout() }
    }

    /// Standard output, for streaming exports.
    pub fn stdout(&mut self) -> std::io::StdoutLock<'static> {
        self.stdout.lock()
    }

    /// One line of text output (control characters shown escaped: [`printable`]).
    pub fn line(&mut self, text: &str) -> Result<(), Failure> {
        writeln!(self.stdout.lock(), "{}", printable(text)).map_err(write_failure)
    }

    /// Data printed as it is (a CSV, a schema, a key), for a file or a pipe; on a terminal, control characters
    /// are shown escaped ([`printable`]).
    pub fn raw(&mut self, text: &str) -> Result<(), Failure> {
        let text = if self.stdout.is_terminal() { printable(text) } else { std::borrow::Cow::Borrowed(text) };
        self.stdout.lock().write_all(text.as_bytes()).map_err(write_failure)
    }

    /// A remark for the person at the terminal (standard error; never mixed into results).
    pub fn note(&mut self, text: &str) -> Result<(), Failure> {
        let _ = writeln!(std::io::stderr(), "{}", printable(text));
        Ok(())
    }

    /// A result: JSON of `value` with `--json`, else what `text` prints.
    pub fn value<T: Serialize>(
        &mut self,
        value: &T,
        text: impl FnOnce(&mut Output) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        if self.json { self.json(value) } else { text(self) }
    }

    /// JSON of `value`, pretty-printed; marked when it was made from synthetic data.
    pub fn json<T: Serialize>(&mut self, value: &T) -> Result<(), Failure> {
        let mut value = serde_json::to_value(value).map_err(|e| Failure::internal(e.to_string()))?;
        if SYNTHETIC.load(std::sync::atomic::Ordering::Relaxed) {
            clew_service::label_synthetic(&mut value);
        }
        let json = serde_json::to_string_pretty(&value).map_err(|e| Failure::internal(e.to_string()))?;
        self.line(&json)
    }

    fn progress(&self, bar: ProgressBar) -> Progress {
        if self.json || !std::io::stderr().is_terminal() {
            bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        }
        Progress { bar }
    }

    /// A progress counter (total unknown) on standard error, when it is a terminal.
    pub fn counter(&self, label: &'static str) -> Progress {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template(&format!("{{spinner}} {{pos}} records {label} ({{rate}})"))
                .map(with_rate)
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        self.progress(bar)
    }

    /// A progress bar towards a known total.
    pub fn bar(&self, total: u64, label: &'static str) -> Progress {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {label} ({{rate}}, {{eta}} left)"))
                .map(with_rate)
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        self.progress(bar)
    }
}

/// A progress display.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// Sets how far along.
    pub fn set(&mut self, position: u64) {
        self.bar.set_position(position);
    }

    /// Removes the display.
    pub fn finish(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// How many statements per value `entity show` lists without `--all`.
const STATEMENTS_PER_VALUE: usize = 3;

#[derive(Serialize)]
struct ShownStatement<'a> {
    statement: &'a clew_model::Statement,
    segment_text: Option<String>,
}

/// `clew entity show`: each property, each value, and the statements behind it with their segment's words.
pub fn show_entity(
    out: &mut Output,
    model: &Model,
    view: &clew_service::EntityView,
    all: bool,
    history: bool,
) -> Result<(), Failure> {
    if history && out.json {
        return out.json(&view.history);
    }
    if history {
        show_history(out, &view.history)?;
    }
    let Some(entity) = &view.entity else {
        let id = view.history.first().map(|s| s.entity_id.to_string()).unwrap_or_default();
        return out.line(&format!("({id} has no active statement left)"));
    };
    if out.json {
        let mut properties = serde_json::Map::new();
        for (name, statements) in &entity.properties {
            let mut shown = Vec::new();
            for statement in statements {
                let segment_text = view.words(&statement.source_id, &statement.locator).map(str::to_string);
                shown.push(serde_json::to_value(ShownStatement { statement, segment_text }).unwrap_or_default());
            }
            properties.insert(name.clone(), serde_json::Value::Array(shown));
        }
        let body = serde_json::json!({
            "id": entity.id,
            "schema": entity.schema,
            "caption": entity.caption(model),
            "schema_conflicts": entity.schema_conflicts,
            "properties": properties,
        });
        return out.json(&body);
    }
    let schema = model.schema(&entity.schema);
    // Another entity is shown by its id and its name: `demo.company.0009 (DEMO Severny Most 0009 LLC)`.
    let named = |value: &str| match view.name(value) {
        Some(name) => format!("{value} ({name})"),
        None => value.to_string(),
    };
    let mut caption = entity.caption(model);
    if let Some(edge) = schema.and_then(|s| s.edge.as_ref()) {
        let end = |property: &str| entity.values(property).first().map(|v| v.to_string());
        if let (Some(source), Some(target)) = (end(&edge.source), end(&edge.target)) {
            caption = format!("{} {} {}", named(&source), edge.label, named(&target));
        }
    }
    out.line(&format!("{} {} — {}", schema.map_or(entity.schema.as_str(), |s| s.label.as_str()), entity.id, caption))?;
    if !entity.schema_conflicts.is_empty() {
        out.line(&format!("  ! statements also call it: {}", entity.schema_conflicts.join(", ")))?;
    }
    for (name, statements) in &entity.properties {
        let property = schema.and_then(|s| s.properties.get(name));
        let label = property.map_or(name.as_str(), |p| p.label.as_str());
        let refers = property.is_some_and(|p| p.kind == clew_model::value::PropertyType::Entity);
        out.line(&format!("  {label} ({name})"))?;
        for value in entity.values(name) {
            out.line(&format!("    {}", if refers { named(value) } else { value.to_string() }))?;
            let behind: Vec<_> = statements.iter().filter(|s| s.value == value).collect();
            let shown = if all { behind.len() } else { behind.len().min(STATEMENTS_PER_VALUE) };
            for statement in &behind[..shown] {
                out.line(&format!(
                    "      ← {} {} · {} {} · confidence {} · {}",
                    statement.source_id,
                    statement.locator,
                    statement.recorded_by,
                    statement.recorded_at,
                    statement.confidence,
                    statement.sensitivity
                ))?;
                if let Some(text) = view.words(&statement.source_id, &statement.locator) {
                    out.line(&format!("        “{}”", excerpt(text, 110)))?;
                }
            }
            if shown < behind.len() {
                out.line(&format!("      … and {} more statement(s) (--all)", behind.len() - shown))?;
            }
        }
    }
    Ok(())
}

/// Every statement about an entity in the order recorded, retracted ones and retractions marked.
fn show_history(out: &mut Output, statements: &[clew_model::Statement]) -> Result<(), Failure> {
    let retracted: std::collections::HashSet<&clew_model::StatementId> =
        statements.iter().filter_map(|s| s.retracts.as_ref()).collect();
    out.line("History (every statement, in the order recorded):")?;
    for statement in statements {
        let state = if statement.retracts.is_some() {
            "retraction"
        } else if retracted.contains(&statement.id) {
            "retracted"
        } else {
            "active"
        };
        out.line(&format!(
            "  {} {:<10} {} = {}  ← {} {} · {}",
            statement.recorded_at,
            state,
            statement.property,
            statement.value,
            statement.source_id,
            statement.locator,
            statement.recorded_by
        ))?;
    }
    out.line("")
}

fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

/// `clew stats` as text.
pub fn print_stats(out: &mut Output, stats: &Stats) -> Result<(), Failure> {
    let sources: Vec<String> = stats.sources.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
    out.line(&format!(
        "sources:    {} ({} synthetic)",
        if sources.is_empty() { "none".to_string() } else { sources.join(", ") },
        stats.synthetic_sources
    ))?;
    out.line(&format!("statements: {} ({} of them retractions)", stats.statements, stats.retractions))?;
    out.line(&format!("segments:   {}", stats.segments))?;
    out.line("entities:")?;
    for (schema, count) in &stats.entities {
        out.line(&format!("  {schema:<16} {count}"))?;
    }
    Ok(())
}

/// `clew schema model`.
pub fn print_model(out: &mut Output, model: &Model) -> Result<(), Failure> {
    let summary: Vec<serde_json::Value> = model
        .schemata
        .values()
        .map(|s| {
            serde_json::json!({
                "name": s.name, "label": s.label, "abstract": s.is_abstract, "extends": s.extends, "ftm": s.ftm,
                "properties": s.properties.values().map(|p| serde_json::json!({
                    "name": p.name, "label": p.label, "type": p.kind, "range": p.range, "codes": p.codes,
                    "ftm": p.ftm, "sensitive": p.sensitive,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    out.value(&summary, |out| {
        for schema in model.schemata.values().filter(|s| !s.is_abstract) {
            let edge =
                schema.edge.as_ref().map(|e| format!(" [{} {} {}]", e.source, e.label, e.target)).unwrap_or_default();
            out.line(&format!("{} — {}{edge}", schema.name, schema.description.as_deref().unwrap_or(&schema.label)))?;
            let names: Vec<String> =
                schema.properties.values().map(|p| format!("{}:{}", p.name, p.kind.name())).collect();
            out.line(&format!("    {}", names.join(" ")))?;
        }
        Ok(())
    })
}

/// What `clew demo` prints at the end.
pub fn print_demo_summary(
    passphrase: &str,
    out: &mut Output,
    dir: &Path,
    report: &ImportReport,
    seconds: f64,
    stats: &Stats,
    accounts: &[clew_service::accounts::IssuedCredentials],
) -> Result<(), Failure> {
    let dir = dir.display();
    out.line(&format!(
        "Created a demo project of SYNTHETIC testimonies (fictional people, companies and sites) in {dir}"
    ))?;
    out.line(&format!(
        "  {} testimon{} → {} statements in {seconds:.1} s ({:.0} statements/s)",
        report.records,
        if report.records == 1 { "y" } else { "ies" },
        report.statements,
        report.statements as f64 / seconds.max(1e-9)
    ))?;
    let entities: u64 = stats.entities.iter().map(|(_, n)| n).sum();
    let top: Vec<String> = stats.entities.iter().map(|(schema, n)| format!("{n} {schema}")).collect();
    out.line(&format!("  {entities} entities: {}", top.join(", ")))?;
    out.line("")?;
    out.line("Try next:")?;
    let clew = command_name();
    let population = format!(
        "how many workers four fictional lists missed (the fictional population had {})",
        clew_service::demo::DEMO_POPULATION
    );
    let tries = [
        ("stats".to_string(), ""),
        ("entity list --schema Company".to_string(), ""),
        ("entity show T-DEMO-000000.spell1".to_string(), "a work spell, every fact with its source"),
        ("entity show demo.company.0000".to_string(), "an employer named in many testimonies"),
        ("export --format ftm --out demo.ftm.json".to_string(), "FollowTheMoney; restricted data left out"),
        (format!("protected show T-DEMO-000000 --identity {dir}/custodian-DEMO-ONLY.key"), "custodians only"),
        ("log show --limit 5".to_string(), "the custody log"),
        ("verify".to_string(), "recompute the custody log, check attachments"),
        ("assess --testimony T-DEMO-000000".to_string(), "forced labour by ICLS 2018 and ILO 2012, down to the words"),
        ("assess".to_string(), "every work spell, summarised"),
        ("ledger --testimony T-DEMO-000000".to_string(), "the wage ledger: promised, paid, taken, received"),
        ("aggregate --by visa".to_string(), "with 95% bootstrap intervals"),
        (
            "estimate revenue --workers \"lognormal(median=15000, p95=40000)\" --svg revenue.svg".to_string(),
            "the state's revenue, from the demo's ledgers and its synthetic rate table",
        ),
        (
            format!(
                "estimate population {dir}/{} --method all --svg population.svg",
                clew_service::demo::DEMO_CAPTURE_FILE
            ),
            population.as_str(),
        ),
        ("estimate list".to_string(), "the two estimates the demo kept (fictional), also on the web application"),
    ];
    for (command, why) in tries {
        let why = if why.is_empty() { String::new() } else { format!("   # {why}") };
        out.line(&format!("  {clew} --project {dir} {command}{why}"))?;
    }
    if report.records >= 400 {
        // Four batches of 100 testimonies as four lists of the people they name: the demo knows how many people
        // its testimonies can name, so the estimate can be checked against it.
        out.line(&format!(
            "  {clew} --project {dir} link run --clusters people.csv   # people named in several testimonies, linked"
        ))?;
        out.line(&format!(
            "  {clew} --project {dir} link histories --list a=T-DEMO-0000 --list b=T-DEMO-0001 --list c=T-DEMO-0002 \
             --list d=T-DEMO-0003 --out lists.csv   # four batches of 100 testimonies as four lists"
        ))?;
        out.line(&format!(
            "  {clew} estimate population lists.csv --method all   # how many people such testimonies name, seen or not",
        ))?;
    }
    out.line(&format!(
        "  CLEW_PASS={passphrase} {clew} --project {dir} --passphrase-env CLEW_PASS log head --out head.json   # a \
         signed tree head"
    ))?;
    out.line(&format!(
        "  CLEW_PASS={passphrase} {clew} --project {dir} --passphrase-env CLEW_PASS package export --testimony \
         T-DEMO-000000 --audience prosecutor --out demo-package.tar   # an evidence package"
    ))?;
    out.line(&format!("  {clew} package verify demo-package.tar   # checks it offline; so does the README inside"))?;
    out.line("")?;
    out.line(&format!("The web application: {clew} serve --project {dir}   # then open http://127.0.0.1:8080"))?;
    out.line(&format!(
        "  One account per role (DEMO ONLY; also in {dir}/{}); each changes its one-time password at the first sign-in:",
        clew_service::demo::DEMO_ACCOUNTS_FILE
    ))?;
    for account in accounts {
        out.line(&format!("    {:<16} {:<10} password {}", account.name, account.role.as_str(), account.password))?;
        if let Some(totp) = &account.second_factor {
            out.line(&format!("      second factor: add {} to an authenticator app", totp.uri))?;
        }
    }
    Ok(())
}

/// How to run this clew from the current folder: `clew` when that name on the PATH is this program, else its
/// path (`target/release/clew` after `cargo run --release`), so that suggested commands work as printed.
pub fn command_name() -> String {
    let Ok(this) = std::env::current_exe().and_then(std::fs::canonicalize) else { return "clew".into() };
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths).map(|dir| dir.join("clew")).find(|candidate| candidate.is_file())
    });
    if on_path.and_then(|p| std::fs::canonicalize(p).ok()).as_ref() == Some(&this) {
        return "clew".into();
    }
    let relative = std::env::current_dir().ok().and_then(|cwd| this.strip_prefix(cwd).ok().map(Path::to_path_buf));
    match relative {
        Some(relative) => format!("./{}", relative.display()),
        None => this.display().to_string(),
    }
}

const OUTCOMES: [clew_assess::Outcome; 6] = [
    clew_assess::Outcome::ForcedLabour,
    clew_assess::Outcome::CoeOnly,
    clew_assess::Outcome::InvOnly,
    clew_assess::Outcome::NoStrong,
    clew_assess::Outcome::None,
    clew_assess::Outcome::Undetermined,
];

/// Prints the summary of `clew assess`.
pub fn print_assessment_summary(
    out: &mut Output,
    taxonomy: &clew_assess::Taxonomy,
    summary: &clew_service::analysis::AssessmentSummary,
) -> Result<(), Failure> {
    out.line(&format!(
        "{} testimonies, {} work spells assessed in {:.1} s ({:.0} testimonies/s); rules {}, taxonomy {}",
        summary.testimonies,
        summary.spells,
        summary.seconds,
        summary.testimonies as f64 / summary.seconds.max(1e-9),
        summary.rules_version,
        summary.taxonomy_version
    ))?;
    let share = |n: u64| 100.0 * n as f64 / summary.spells.max(1) as f64;
    for (title, counts) in [("ICLS 2018", &summary.icls), ("ILO 2012 ", &summary.ilo_2012)] {
        let parts: Vec<String> = OUTCOMES
            .iter()
            .filter(|o| **o != clew_assess::Outcome::NoStrong || title.starts_with("ILO"))
            .map(|o| {
                let n = counts.get(o.code()).copied().unwrap_or(0);
                format!("{} {n} ({:.0}%)", o.code(), share(n))
            })
            .collect();
        out.line(&format!("  spells by {title}: {}", parts.join(", ")))?;
    }
    out.line("  spells with each finding:")?;
    for (code, n) in &summary.codes {
        let name = taxonomy.code(code).map(|c| c.name.as_str()).unwrap_or("");
        out.line(&format!("    {code} {name:<45} {n:>8} ({:.0}%)", share(*n)))?;
    }
    out.note(
        "Testimonies are not a random sample of workers: these counts describe the testimonies collected, not how \
         common forced labour is among all workers.",
    )
}

/// Prints one testimony's assessment as a tree: spell, outcome, reasons, findings, evidence with the words.
pub fn print_assessment(
    out: &mut Output,
    taxonomy: &clew_assess::Taxonomy,
    assessed: &clew_service::analysis::AssessedTestimony,
) -> Result<(), Failure> {
    let assessment = &assessed.assessment;
    out.line(&format!(
        "{}: {} (ICLS 2018, most serious of {} work spell(s)); rules {}, taxonomy {}",
        assessment.testimony,
        assessment.outcome.label(),
        assessment.spells.len(),
        assessment.rules_version,
        assessment.taxonomy_version
    ))?;
    for spell in &assessment.spells {
        let id = spell.spell.as_ref().map(|s| s.to_string()).unwrap_or_default();
        let period = format!("{} to {}", spell.start.as_deref().unwrap_or("?"), spell.end.as_deref().unwrap_or("?"));
        out.line(&format!("  {id} ({period})"))?;
        out.line(&format!("    ICLS 2018: {} — {}", spell.icls.code(), spell.icls_reason))?;
        out.line(&format!("    ILO 2012:  {} — {}", spell.ilo_2012.code(), spell.ilo_2012_reason))?;
        for contradiction in &spell.contradictions {
            let values: Vec<String> = contradiction.values.iter().map(|(v, at)| format!("{v} ({at})")).collect();
            out.line(&format!(
                "    FLAG: {} {} is coded with different values: {}",
                contradiction.entity,
                contradiction.property,
                values.join(", ")
            ))?;
        }
        for finding in &spell.findings {
            let names: Vec<String> = finding
                .codes
                .iter()
                .map(|c| format!("{c} {}", taxonomy.code(c).map(|t| t.name.as_str()).unwrap_or("")))
                .collect();
            out.line(&format!("    {} [rule {}: {}]", names.join(", "), finding.rule, finding.summary))?;
            for fact in &finding.evidence {
                out.line(&format!("      {} {} = {}  ({})", fact.entity, fact.property, fact.value, fact.locator))?;
            }
            let mut segments: Vec<&str> =
                finding.evidence.iter().filter_map(|f| f.locator.strip_prefix("segment:")).collect();
            segments.sort_unstable();
            segments.dedup();
            for segment in segments {
                let id = segment.split('#').next().unwrap_or(segment);
                if let Some(text) = assessed.words.get(id) {
                    out.line(&format!("        {id}: \"{text}\""))?;
                }
            }
        }
    }
    Ok(())
}

/// Prints wage ledgers, naming the entities paid and taking.
pub fn print_ledgers(out: &mut Output, found: &clew_service::analysis::TestimonyLedgers) -> Result<(), Failure> {
    let ledgers = &found.ledgers;
    use clew_assess::ledger::Amount;
    let show = |amount: &Option<Amount>| match amount {
        Some(a) => {
            let usd = a.usd.map(|usd| format!(" (≈ {usd:.0} USD)")).unwrap_or_default();
            format!("{} {} per {}{usd}", a.amount, a.currency, a.period.as_deref().unwrap_or("?"))
        }
        None => "not coded".to_string(),
    };
    let named = |id: &str| -> Result<String, Failure> {
        Ok(found.names.get(id).map_or_else(|| id.to_string(), |name| format!("{name} ({id})")))
    };
    for ledger in ledgers {
        let id = ledger.spell.as_ref().map(|s| s.to_string()).unwrap_or_default();
        let period = format!("{} to {}", ledger.start.as_deref().unwrap_or("?"), ledger.end.as_deref().unwrap_or("?"));
        out.line(&format!("{id} ({period})"))?;
        out.line(&format!("  promised:        {}", show(&ledger.promised)))?;
        let to = match ledger.paid_to.as_deref() {
            Some(to) => format!(", to {}", named(to)?),
            None => String::new(),
        };
        out.line(&format!("  employer paid:   {}{to}", show(&ledger.employer_paid)))?;
        for deduction in &ledger.deductions {
            let share = deduction.share.map(|s| format!(" ({:.0}% of the wage)", s * 100.0)).unwrap_or_default();
            let by = match deduction.taken_by.as_deref() {
                Some(by) => format!(", taken by {}", named(by)?),
                None => String::new(),
            };
            out.line(&format!("  deducted:        {} {}{share}{by}", deduction.kind, show(&deduction.amount)))?;
        }
        // What reached the worker, and when: "never" is what was owed, not what was received.
        let (label, when) = match ledger.received_when.as_deref() {
            Some("never") => ("worker was owed", ", never paid".to_string()),
            Some("on_return") => ("worker was owed", ", to be paid only on return home".to_string()),
            Some("monthly") => ("worker received", ", monthly".to_string()),
            Some("irregular") => ("worker received", ", irregularly".to_string()),
            Some(other) => ("worker received", format!(", paid: {other}")),
            None => ("worker received", String::new()),
        };
        out.line(&format!("  {:<17}{}{when}", format!("{label}:"), show(&ledger.received)))?;
        for flag in &ledger.flags {
            out.line(&format!("  FLAG: {flag}"))?;
        }
    }
    Ok(())
}

/// Prints the summary of `clew ledger`.
pub fn print_ledger_summary(out: &mut Output, summary: &clew_service::analysis::LedgerSummary) -> Result<(), Failure> {
    out.line(&format!("{} work spells; {} ledgers flagged", summary.spells, summary.flagged))?;
    for (flag, n) in &summary.flags {
        out.line(&format!("  {n:>8}  {flag}"))?;
    }
    for (spell, flags) in summary.flagged_spells.iter().take(20) {
        out.line(&format!("  {spell}: {}", flags.join("; ")))?;
    }
    if summary.flagged_spells.len() > 20 {
        out.note(&format!("(first 20 of {} flagged spells; --json lists all)", summary.flagged_spells.len()))?;
    }
    Ok(())
}

/// Prints a revenue estimate.
pub fn print_revenue(out: &mut Output, report: &clew_stats::RevenueReport, spells: u64) -> Result<(), Failure> {
    let m = |v: f64| format!("{:.1}", v / 1e6);
    out.line(&format!(
        "Annual revenue to the DPRK state from its workers in Russia, million US dollars ({} draws, seed {}):",
        report.draws, report.seed
    ))?;
    for (name, s) in [("quota-based", &report.quota_based), ("wage-based ", &report.wage_based)] {
        out.line(&format!(
            "  {name}  median {}   90% interval {} to {}   95% interval {} to {}",
            m(s.median),
            m(s.p5),
            m(s.p95),
            m(s.p2_5),
            m(s.p97_5)
        ))?;
    }
    out.line("Inputs:")?;
    for (name, description) in &report.inputs {
        out.line(&format!("  {name:<14} {description}"))?;
    }
    out.line("Sensitivity: the result with one input at its 5th and 95th percentile, the others at their medians:")?;
    for s in &report.sensitivity {
        out.line(&format!(
            "  {:<6} {:<14} {} to {}   (rank correlation {:.2})",
            s.method,
            s.input,
            m(s.low),
            m(s.high),
            s.rank_correlation
        ))?;
    }
    if spells > 0 {
        out.note(&format!(
            "Inputs not given were resampled from the wage ledgers of {spells} work spell{}. Testimonies are not a \
             random sample of workers: the ledgers describe the testimonies collected.",
            if spells == 1 { "" } else { "s" }
        ))?;
    }
    if clew_service::estimate::revenue_small_sample(spells) {
        out.note(&format!(
            "Too few to mean much: fewer than {} ledgers to resample, the intervals cannot show how much one more \
             testimony could change the estimate. Give the inputs as distributions instead.",
            clew_stats::bootstrap::SMALL_SAMPLE
        ))?;
    }
    Ok(())
}

/// Prints aggregates. An interval from fewer than [`clew_stats::bootstrap::SMALL_SAMPLE`] witnesses is marked.
pub fn print_aggregates(
    out: &mut Output,
    rows: &[clew_service::analysis::AggregateRow],
    taxonomy: &clew_assess::Taxonomy,
) -> Result<(), Failure> {
    let small = clew_stats::bootstrap::SMALL_SAMPLE;
    let witnesses = |i: &clew_stats::bootstrap::Interval| {
        let few = if i.small_sample { ": too few to mean much" } else { "" };
        match (i.units, i.n) {
            (1, 1) => format!("(n=1 witness{few})"),
            (units, n) if units == n => format!("(n={n} witnesses{few})"),
            (units, n) => format!("(n={n}, {units} witness{}{few})", if units == 1 { "" } else { "es" }),
        }
    };
    let show = |interval: &Option<clew_stats::bootstrap::Interval>, percent: bool| match interval {
        Some(i) if percent => {
            format!("{:.0}% [{:.0}–{:.0}%] {}", i.mean * 100.0, i.low * 100.0, i.high * 100.0, witnesses(i))
        }
        Some(i) => format!("{:.1} [{:.1}–{:.1}] {}", i.mean, i.low, i.high, witnesses(i)),
        None => "not coded".to_string(),
    };
    let mut any_small = false;
    for row in rows {
        let spells = row.spells;
        out.line(&format!("{} ({spells} work spell{})", row.group, if spells == 1 { "" } else { "s" }))?;
        out.line(&format!(
            "  forced labour (ICLS 2018):      {}{}",
            show(&row.forced_labour, true),
            if row.undetermined > 0 { format!("; {} undetermined, left out", row.undetermined) } else { String::new() }
        ))?;
        out.line(&format!("  share of pay never received:    {}", show(&row.state_share, true)))?;
        out.line(&format!("  hours a week:                   {}", show(&row.hours_per_week, false)))?;
        out.line(&format!("  rest days a month:              {}", show(&row.rest_days, false)))?;
        for (code, interval) in &row.indicators {
            let name = taxonomy.code(code).map(|c| c.name.as_str()).unwrap_or("");
            let label: String = format!("{code} {name}").chars().take(30).collect();
            out.line(&format!("  {label:<31} {}", show(&Some(*interval), true)))?;
        }
        let intervals = [&row.forced_labour, &row.state_share, &row.hours_per_week, &row.rest_days];
        any_small |= intervals.iter().filter_map(|i| i.as_ref()).any(|i| i.small_sample);
    }
    if any_small {
        out.note(&format!(
            "An interval from fewer than {small} witnesses is marked \"too few to mean much\": the bootstrap cannot show \
             how much one more testimony could change it."
        ))?;
    }
    out.note(
        "95% bootstrap intervals, resampling witnesses (a witness interviewed twice counts once). Testimonies are not \
         a random sample of workers: these describe the testimonies collected, not all DPRK workers in Russia.",
    )
}

/// Marks what this command prints and writes as synthetic when synthetic data went into it.
pub fn mark_synthetic(synthetic: bool) {
    if synthetic {
        SYNTHETIC.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// A progress style's `{rate}`: whole items a second (indicatif's own `{per_sec}` prints four decimals).
fn with_rate(style: ProgressStyle) -> ProgressStyle {
    style.with_key("rate", |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
        let _ = write!(w, "{:.0}/s", state.per_sec());
    })
}
