//! The demo project: a project of synthetic testimonies, keys and a custodian (whose key lies inside it, which
//! a real project never does), a few sealed documents and the rates its wages were drawn with. Built beside its
//! folder and moved into place at the end, so an interrupted demo leaves no half project.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clew_intake::import::ImportReport;
use clew_model::SourceId;
use clew_store::{Project, Stats};

use crate::analysis::model;
use crate::{Actor, Error, PROJECT_RATES_FILE, Result, Service};

/// The demo custodian's secret key file, inside the demo project.
pub const DEMO_CUSTODIAN_FILE: &str = "custodian-DEMO-ONLY.key";

/// The passphrase of the demo project's keys (synthetic data only; printed in the summary).
pub const DEMO_PASSPHRASE: &str = "clew-demo-passphrase";

/// The file of a demo project that keeps its accounts' first credentials (synthetic data only: a real
/// project's one-time passwords are shown once and kept nowhere).
pub const DEMO_ACCOUNTS_FILE: &str = "accounts-DEMO-ONLY.json";

/// How many demo testimonies get a synthetic document attached.
const DEMO_ATTACHED: u64 = 3;

/// What building the demo did.
#[derive(Debug)]
pub struct Demo {
    /// The import of the synthetic testimonies.
    pub report: ImportReport,
    /// Seconds the import took.
    pub seconds: f64,
    /// The project's counts.
    pub stats: Stats,
    /// One account per role (`demo-admin`, `demo-custodian`, ...), with its one-time password and, for admins
    /// and custodians, second factor; also kept in [`DEMO_ACCOUNTS_FILE`].
    pub accounts: Vec<crate::accounts::IssuedCredentials>,
}

/// Builds a demo project of `testimonies` synthetic testimonies in `target` (the same seed gives the same
/// data). A folder there must be empty or an earlier demo, which is replaced.
pub fn build_demo(target: &Path, testimonies: u64, seed: u64, progress: &mut dyn FnMut(u64)) -> Result<Demo> {
    if target.exists() {
        let replaceable = Project::open(target).map(|p| p.config.synthetic).unwrap_or(false);
        let empty = std::fs::read_dir(target).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !replaceable && !empty {
            return Err(Error::usage(format!(
                "{} exists and is not a clew demo project; choose another --dir",
                target.display()
            )));
        }
    }
    let parent = std::path::absolute(target)
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."));
    let building = parent.join(format!(".clew-demo-building-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&building);
    let built = build_in(&building, testimonies, seed, progress);
    let demo = match built {
        Ok(demo) => demo,
        Err(error) => {
            let _ = std::fs::remove_dir_all(&building);
            return Err(error);
        }
    };
    if target.exists() {
        std::fs::remove_dir_all(target).map_err(|e| Error::internal(format!("{}: {e}", target.display())))?;
    }
    clew_files::rename_durably(&building, target).map_err(|e| Error::internal(e.to_string()))?;
    Ok(demo)
}

/// Builds the demo in the folder `building`.
fn build_in(building: &Path, testimonies: u64, seed: u64, progress: &mut dyn FnMut(u64)) -> Result<Demo> {
    let service = Service::from_project(Project::init(building, "clew demo (synthetic data)", true)?);
    let demo = Actor::new("clew-demo")?;
    // The demo's custodian key lives in the demo project so the tour can open protected data. A real
    // project never holds a custodian's secret key.
    let custodian = clew_vault::new_custodian("DEMO ONLY: the custodian key of a synthetic demo project");
    crate::keys::write_secret_file(&building.join(DEMO_CUSTODIAN_FILE), &custodian.identity_file)?;
    service.add_custodian(&demo, &custodian.key, "demo custodian (synthetic data only)")?;
    // The demo's passphrase is printed for all to see: a light scrypt work factor (2^10) is enough, and keeps
    // the demo's memory to what the import needs.
    service.create_keys(&demo, DEMO_PASSPHRASE, Some(10))?;
    let started = Instant::now();
    let report = clew_demo::write_demo(model()?, service.project.store(), seed, testimonies, progress)?;
    let seconds = started.elapsed().as_secs_f64();
    attach_documents(&service, &demo, testimonies)?;
    // The rates the demo's wages were drawn with (synthetic, and every row says so): its ledgers and revenue
    // estimate work out of the box, and never mix fictional wages with real rates.
    clew_files::write_atomic(&building.join(PROJECT_RATES_FILE), clew_demo::synthetic_rate_table().as_bytes())?;
    keep_estimates(&service, &demo, building, seed)?;
    let mut accounts = Vec::new();
    for role in crate::accounts::Role::ALL {
        accounts.push(service.add_user(&demo, &format!("demo-{}", role.as_str()), role)?);
    }
    let kept = serde_json::to_vec_pretty(&accounts).map_err(|e| Error::internal(e.to_string()))?;
    crate::keys::write_secret_file(&building.join(DEMO_ACCOUNTS_FILE), &String::from_utf8_lossy(&kept))?;
    let stats = service.stats()?;
    Ok(Demo { report, seconds, stats, accounts })
}

pub use clew_demo::DEMO_POPULATION;

/// The demo's fictional capture-history table, in the demo project (for `clew estimate population`).
pub const DEMO_CAPTURE_FILE: &str = "capture-histories-SYNTHETIC.csv";

/// Estimates the fictional population from the demo's capture-history table, and the state's revenue from
/// those workers and the demo's ledgers, and keeps both: the dashboard and the estimates page have something to
/// show, every figure of it fictional and labelled so.
fn keep_estimates(service: &Service, demo: &Actor, building: &Path, seed: u64) -> Result<()> {
    use crate::estimate::{PopulationRefusal, RevenueRequest, estimate_population, estimate_revenue};
    let table = building.join(DEMO_CAPTURE_FILE);
    clew_files::write_atomic(&table, clew_demo::synthetic_capture_table(seed).as_bytes())?;
    // Two quick log-linear methods and a few hundred replicates: the demo shows the page, it is no study.
    let settings = clew_stats::mse::estimate::Settings { replicates: 200, ..Default::default() };
    let methods = ["aic".to_string(), "bic".to_string()];
    let population =
        estimate_population(&table, &[], &methods, &settings, &|_| {}).map_err(|refusal| match refusal {
            PopulationRefusal::Failed(error) => error,
            PopulationRefusal::Setting(error) => Error::internal(error.to_string()),
        })?;
    let title = "SYNTHETIC: workers on four fictional lists (demo)";
    service.keep_estimate(demo, &population.to_keep(title, DEMO_CAPTURE_FILE)?)?;
    let report: serde_json::Value =
        serde_json::from_slice(&population.json()?).map_err(|e| Error::internal(e.to_string()))?;
    let workers = crate::estimate::workers_from_report(&report, DEMO_CAPTURE_FILE, Some("aic"))?;
    let request = RevenueRequest {
        workers: workers.workers,
        months: clew_stats::Distribution::Empirical { values: vec![12.0] },
        quota: None,
        employer_paid: None,
        state_share: None,
        draws: 10_000,
        seed,
        synthetic_workers: true,
    };
    let rates = service.rates(None)?;
    let ledgers = service.ledger_inputs(&rates.rates, &crate::analysis::rules(None)?)?;
    // A demo too small to have a wage ledger (`--testimonies 0`) has no revenue to estimate.
    if ledgers.quota.is_empty() || ledgers.employer_paid.is_empty() || ledgers.state_share.is_empty() {
        return Ok(());
    }
    let revenue = estimate_revenue(&request, ledgers)?;
    service.keep_estimate(demo, &revenue.to_keep("SYNTHETIC: state revenue from the fictional workers (demo)")?)?;
    Ok(())
}

/// Attaches a synthetic document to the first demo testimonies, so that packages show attachments.
fn attach_documents(service: &Service, demo: &Actor, testimonies: u64) -> Result<()> {
    let scratch = service.dir().join(".demo-attachments");
    let failed = |e: std::io::Error| Error::internal(format!("{}: {e}", scratch.display()));
    std::fs::create_dir_all(&scratch).map_err(failed)?;
    for index in 0..testimonies.min(DEMO_ATTACHED) {
        let id = format!("T-DEMO-{index:06}");
        let path = scratch.join(format!("{id}-contract.txt"));
        let text = format!(
            "SYNTHETIC DEMO DOCUMENT (fictional: no real person or company)\n\
             A labour contract summary, as the interviewer of testimony {id} might have scanned it.\n"
        );
        std::fs::write(&path, text).map_err(failed)?;
        let testimony = SourceId::new(&id).map_err(Error::internal)?;
        service.attach_unchecked(demo, &testimony, &[path], false, &mut |_| {})?;
    }
    std::fs::remove_dir_all(&scratch).map_err(failed)
}
