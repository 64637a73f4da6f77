//! `clew`: the command-line program. Parses arguments, finds the project, shows progress, prints results
//! (as text, or JSON with `--json`) and turns failures into messages and exit codes. The work itself is done
//! by the library crates.

mod estimate;
mod inbox;
mod link;
mod output;
mod screen;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clew_model::{EntityId, Model, Sensitivity, SourceId};
use clew_service::disclosure::{Audience, Subject};
use clew_service::intake::ImportReport;
use clew_store::Project;

use crate::output::{Failure, Output, exit};

const EXIT_CODES: &str = "\
Passphrase: init, keys init, keys rotate, log head, log proof and package export
unlock the project's keys and ask for its passphrase in the terminal; scripts
give --passphrase-env VAR, the name of an environment variable that holds it.

Words used here (custodian, identity, recipient, share, tree head, match
weight...) are explained in docs/glossary.md.

Exit codes:
  0  success
  1  internal or storage error
  2  wrong usage, or a request the project refuses (e.g. removing its last custodian)
  3  invalid input (every problem is listed; nothing was written)
  4  no usable project (not a clew project, or written by a newer clew)
  5  a key problem (not a key, the wrong key, no custodian)
  6  verification found a problem (`clew verify`)
  7  the project is busy (another command is writing to it); nothing was written: try again
With --json, the error's \"code\" is one of the strings of docs/errors.md.";

/// clew documents forced labour: testimonies in, statements with provenance out.
#[derive(Debug, Parser)]
#[command(name = "clew", version, about, long_about = None, after_help = EXIT_CODES)]
struct Cli {
    /// The project directory [default: $CLEW_PROJECT, else the current directory].
    #[arg(long, global = true, env = "CLEW_PROJECT", value_name = "DIR")]
    project: Option<PathBuf>,
    /// Print results as JSON, for scripts.
    #[arg(long, global = true)]
    json: bool,
    /// Read the passphrase of the project's keys from this environment variable (for scripts); without it,
    /// clew asks in the terminal. Hidden from each command's help: only the commands that unlock the keys
    /// (listed in the top-level help) read it.
    #[arg(long, global = true, value_name = "VAR", hide = true)]
    passphrase_env: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a project: a directory with clew.toml, the database, a folder for attachments and the project's
    /// keys, locked with a passphrase (asked twice, or --passphrase-env VAR). Nothing is left behind if it fails.
    Init {
        /// Where [default: the current directory].
        dir: Option<PathBuf>,
        /// A name for the project [default: the directory's name].
        #[arg(long)]
        name: Option<String>,
        /// Create the project without its keys (no passphrase asked); `clew keys init` creates them later.
        #[arg(long)]
        no_keys: bool,
    },
    /// Check testimony files without a project; every problem is listed with file:line:column and field.
    Validate {
        /// Files, directories (their .json, .jsonl, .ndjson, .yaml and .yml files) or - for standard input.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
    },
    /// Import testimonies (or FollowTheMoney entities) in one transaction: all of them, or nothing.
    Import(ImportArgs),
    /// List and show entities.
    #[command(subcommand)]
    Entity(EntityCommand),
    /// Count what the project holds.
    Stats,
    /// Export entities for other tools.
    Export(ExportArgs),
    /// Print the formats clew reads.
    #[command(subcommand)]
    Schema(SchemaCommand),
    /// Create a project of synthetic (fictional) testimonies and show what clew does with them.
    Demo(DemoArgs),
    /// Attach files (audio, video, scans, PDFs) to a testimony, sealed to the custodians.
    Attach {
        /// The testimony id.
        testimony: String,
        /// The files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Who attaches, recorded with the attachments [default: $CLEW_USER, else $USER].
        #[arg(long, env = "CLEW_USER")]
        user: Option<String>,
        /// Strip metadata (EXIF with GPS position, XMP, IPTC, comments) from JPEG, PNG and WebP images before
        /// sealing them, without re-encoding; the original's SHA-256 and size are recorded. Other images are
        /// refused; other files are attached whole.
        #[arg(long)]
        strip_metadata: bool,
    },
    /// List attachments.
    #[command(subcommand)]
    Attachment(AttachmentCommand),
    /// The custody log: every write and every sensitive read, in a Merkle tree (RFC 6962 hashing).
    #[command(subcommand)]
    Log(LogCommand),
    /// Recompute the custody log, the statements, words and consent records it commits to, and every
    /// attachment; name exactly what is wrong and where.
    Verify {
        /// A custodian's secret key file: also open every attachment and check its SHA-256. Repeat it to give shares of a split key (`clew keys split`), rebuilt in memory only.
        #[arg(long, value_name = "KEYFILE")]
        identity: Vec<PathBuf>,
        /// A tree head recorded earlier: a signed tree head file from `clew log head`, or SIZE:HEX. Checks
        /// its signature against the project key, and that the log still begins with exactly that history.
        #[arg(long, value_name = "FILE|SIZE:HEX")]
        head: Option<String>,
    },
    /// The project's keys and the custodians' (whose keys open protected witness data): create, show,
    /// add and remove custodians, split a key, rotate.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Read protected witness data (custodians only).
    #[command(subcommand)]
    Protected(ProtectedCommand),
    /// The accounts of the people who use the project in a browser (`clew serve`): add one with a role (it
    /// gets a one-time password, and admins and custodians a second factor), list, disable, enable, reset.
    #[command(subcommand)]
    User(UserCommand),
    /// The web application and its JSON API for the team, on one listener (http://ADDR): pages in English,
    /// Korean and Russian for every role's work, the API under /api/v1. Accounts come from `clew user add`.
    /// It serves plain HTTP: keep it on 127.0.0.1, or put it behind a TLS reverse proxy (docs/web.md).
    /// With --safe-line-listen, also the safe line, alone on a second listener (docs/safe-line.md).
    Serve {
        /// Address and port to listen on.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Also serve the safe line (the senders' pages, and nothing of the staff application) on this address,
        /// or on a Unix socket (unix:/PATH, made private to its owner and group, for an onion service on this
        /// machine): publish it alone, behind HTTPS mirrors or a Tor onion service. Off unless given.
        #[arg(long, value_name = "ADDR|unix:PATH")]
        safe_line_listen: Option<clew_server::LineAddress>,
        /// The safe line's pepper (a secret; made there when missing), never inside the project's folder. Keep
        /// it on another disk where you can, and backed up apart from the project: without it, senders' codes
        /// open nothing [default: ~/.config/clew/safe-line/ID.pepper, ID from the safe line's salt].
        #[arg(long, value_name = "FILE", requires = "safe_line_listen")]
        safe_line_pepper: Option<PathBuf>,
        /// Where the safe line's "Leave now" link goes: an ordinary site.
        #[arg(long, value_name = "URL", default_value = "https://ya.ru/", requires = "safe_line_listen")]
        safe_line_exit: String,
        /// Messages and code checks the safe line takes from one network (IPv4 /24, IPv6 /48) in an hour.
        /// Senders through loopback (an onion service, a proxy on this machine) count only towards the whole
        /// line's limits; behind a proxy on another machine every sender has the proxy's address: raise it there.
        #[arg(long, value_name = "N", default_value_t = clew_server::PER_NETWORK_PER_HOUR, requires = "safe_line_listen")]
        safe_line_per_network: u32,
        /// Messages and code checks the safe line takes in a minute, from everyone.
        #[arg(long, value_name = "N", default_value_t = clew_server::PER_MINUTE, requires = "safe_line_listen")]
        safe_line_per_minute: u32,
        /// Bytes of messages and files the safe line takes in a day (UTC), from everyone: a flood cannot fill
        /// the disk.
        #[arg(long, value_name = "BYTES", default_value_t = clew_server::BYTES_PER_DAY, requires = "safe_line_listen")]
        safe_line_bytes_per_day: u64,
        /// Send cookies without `Secure`: only for plain HTTP on a name other than localhost or 127.0.0.1,
        /// where browsers would drop them (a test network). Never on a network others share.
        #[arg(long)]
        insecure_cookies: bool,
    },
    /// The safe line's caseworkers: what senders write is sealed to each of their keys.
    #[command(subcommand)]
    Caseworker(inbox::CaseworkerCommand),
    /// What senders wrote on the safe line, opened with your caseworker key on this machine: list, read (and
    /// the files, metadata stripped), reply, note, status, and a conversation as a testimony draft.
    Inbox(inbox::InboxArgs),
    /// Evidence packages: the material one audience may receive, with proofs anyone can check offline.
    #[command(subcommand)]
    Package(PackageCommand),
    /// A dossier on one entity (a company, a dispatching body, an official, a worksite) for one audience, as
    /// one self-contained HTML file, a PDF/A-2b file and its manifest.json, in a new folder: the entity's names, identifiers and
    /// sanctions matches; the allegations by ICLS 2018 dimension and ILO indicator, each with its exhibits,
    /// witnesses and quotations; corroboration, timeline, sites, network, wages and the revenue attributable;
    /// the law each bears on; what
    /// was held back and why; and every exhibit's SHA-256 and custody events, proved to a tree head signed
    /// over the verified log (proofs.json, checked offline by the verify-proofs.py beside it). Logged as a
    /// custody event.
    Dossier(DossierArgs),
    /// Briefs across the project.
    #[command(subcommand)]
    Brief(BriefCommand),
    /// The wage ledger of each work spell: promised, paid by the employer (to whom), deducted by kind,
    /// received by the worker and when; flagged where it does not add up. Without --testimony, every
    /// testimony: the spells whose ledgers are flagged.
    Ledger {
        /// One testimony's ledgers.
        #[arg(long, value_name = "ID")]
        testimony: Option<String>,
        /// A rate table (CSV: period,currency,usd_per_unit,source) for amounts in US dollars, each month at its
        /// own rate [default: the project's rates.csv, else the table clew ships (ECB monthly means); either
        /// way the shipped table fills the months a table lacks, and months none has are summarised].
        #[arg(long, value_name = "FILE")]
        rates: Option<PathBuf>,
    },
    /// Estimates with uncertainty.
    #[command(subcommand)]
    Estimate(EstimateCommand),
    /// Aggregates across testimonies, with 95% bootstrap intervals: share of forced-labour spells, share of
    /// the wage that never reached the worker, hours a week, rest days a month, each ILO indicator's
    /// prevalence; overall or by sector, region, year or visa channel. Testimonies are not a random sample.
    Aggregate {
        /// Group by this.
        #[arg(long, value_enum)]
        by: Option<GroupBy>,
        /// Bootstrap resamples.
        #[arg(long, default_value_t = 500)]
        resamples: usize,
        /// Seed: the same seed gives the same intervals.
        #[arg(long, default_value_t = 2397)]
        seed: u64,
    },
    /// Screen names against sanctions lists: the UN consolidated list (XML), OFAC's SDN or consolidated list
    /// (legacy CSV: sdn.csv or cons_prim.csv, with the alt and add files beside it; or the advanced XML),
    /// FollowTheMoney entities (JSON lines) or a CSV (id, name, aliases, birth_date,
    /// nationality, gender, identifiers, program). Korean names match across Hangul, Latin romanizations and
    /// Cyrillic. Each candidate comes with its score and why. With --queries no project is needed; without,
    /// the project's entities are screened against the lists it keeps (`clew lists import`).
    Screen {
        /// A list file; repeat for several. In a project, its kept lists are used too.
        #[arg(long = "list", value_name = "FILE")]
        lists: Vec<PathBuf>,
        /// The lists' format, when it cannot be told from the file [un-xml, ofac-csv, ofac-xml, ftm, csv].
        #[arg(long, value_parser = parse_format)]
        format: Option<clew_screen::lists::Format>,
        /// Names to screen: a CSV with full_name (required), first_name, middle_name, last_name, gender,
        /// date_of_birth, place_of_birth, nationality (and optionally schema, id, identifiers). Without a schema,
        /// a row is screened as a person when it has a first, middle or last name or a gender; as an
        /// organisation when its name has a legal form or an organisation's word (LLC, Bank, ООО, 은행);
        /// otherwise against every kind. The report says which. Without --queries, the project's
        /// people and organisations are screened against the lists it keeps.
        #[arg(long, value_name = "FILE.csv")]
        queries: Option<PathBuf>,
        /// Score from which a candidate is a match.
        #[arg(long, default_value_t = clew_screen::screen::DEFAULT_THRESHOLD)]
        threshold: f64,
        /// Candidates shown per query.
        #[arg(long, default_value_t = 5)]
        top: usize,
        /// Only queries with a match, and only their matching candidates.
        #[arg(long)]
        matches_only: bool,
        /// In a project: record the matches as derived statements (source `screen:ENTITY`, schema
        /// SanctionsMatch, with the list's version and hash and the rules' versions), logged; re-run to follow
        /// changed entities and lists.
        #[arg(long)]
        record: bool,
    },
    /// Sanctions lists kept in the project for screening its entities.
    #[command(subcommand)]
    Lists(ListsCommand),
    /// Entity resolution: find the records that are the same person, company or place, within a file or
    /// across two. Fellegi-Sunter model trained without labels (or from judgements); names compared across
    /// Hangul, Cyrillic and romanizations; every pair's weight explained; never linked on a name alone.
    #[command(subcommand)]
    Link(LinkCommand),
    /// Assess forced labour per work spell: the ICLS 2018 definition and the ILO 2012 scheme side by side,
    /// each finding with the statements and the witness's words it rests on. Without --testimony, every
    /// testimony, summarised.
    Assess {
        /// One testimony: its classification explained down to the cited segments.
        #[arg(long, value_name = "ID")]
        testimony: Option<String>,
        /// A rules file (format clew-assessment-rules-v1) instead of the built-in schema/assessment-rules.yaml.
        #[arg(long, value_name = "FILE")]
        rules: Option<PathBuf>,
        /// Record every testimony's assessment as derived statements (source `assess:ID`; outcomes and
        /// findings on each work spell), re-deriving only what changed; logged in the custody log.
        #[arg(long, conflicts_with = "testimony")]
        record: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GroupBy {
    /// The spell's sector.
    Sector,
    /// The worksite's region.
    Region,
    /// The year the spell began.
    Year,
    /// The declared purpose of the permit (e.g. study: the "student" visa channel).
    Visa,
}

#[derive(Debug, Subcommand)]
enum LinkCommand {
    /// Find the duplicates within one CSV file.
    Dedupe {
        /// The records (CSV with a header; the config names the columns).
        file: PathBuf,
        #[command(flatten)]
        args: link::FileArgs,
    },
    /// Link the records of one CSV file with those of another (pairs across the files only).
    Pair {
        /// The first file.
        a: PathBuf,
        /// The second file.
        b: PathBuf,
        #[command(flatten)]
        args: link::FileArgs,
    },
    /// Link the project's people (or companies, or worksites) named in different testimonies and files, with
    /// the judgements recorded in it. Nothing in the project is changed.
    Run(link::ProjectArgs),
    /// The pairs of the project's entities the model is least sure of, not yet judged, each explained.
    Review {
        /// Which entities: Person, Company or Worksite.
        #[arg(long, default_value = "Person")]
        schema: String,
        /// A linkage config instead of clew's own for the schema.
        #[arg(long, value_name = "FILE.toml")]
        config: Option<PathBuf>,
        /// How many pairs.
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
    /// The capture histories of the project's linked entities, for population estimation: one 0/1 column per
    /// list, the stratum if asked, and how many entities have each history (CSV).
    Histories {
        /// A list: NAME=PREFIX, the sources whose id begins with PREFIX (repeat; at least two).
        #[arg(long = "list", value_name = "NAME=PREFIX", required = true)]
        lists: Vec<String>,
        /// Which entities: Person, Company or Worksite.
        #[arg(long, default_value = "Person")]
        schema: String,
        /// A linkage config instead of clew's own for the schema.
        #[arg(long, value_name = "FILE.toml")]
        config: Option<PathBuf>,
        /// An entity property whose value makes the stratum (region, nationality, ...).
        #[arg(long, value_name = "PROPERTY")]
        stratum: Option<String>,
        /// Write the table to this file [default: standard output].
        #[arg(long, value_name = "FILE.csv")]
        out: Option<PathBuf>,
    },
    /// Record a verdict on two of the project's entities: same, different or unsure, with a note. Appended and
    /// logged; the latest verdict on a pair overrides the model and earlier verdicts.
    Judge {
        /// One entity's id.
        a: String,
        /// The other's.
        b: String,
        /// same, different or unsure.
        verdict: String,
        /// Why.
        #[arg(long, default_value = "")]
        note: String,
        /// Who judges [default: $CLEW_USER or $USER].
        #[arg(long)]
        user: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum ListsCommand {
    /// Check a list (UN XML, OFAC SDN CSV, FollowTheMoney, CSV) and keep it in the project, logged, under its
    /// SHA-256 with its name and version.
    Import {
        /// The list file.
        file: PathBuf,
        /// Its format, when it cannot be told from the file [un-xml, ofac-csv, ofac-xml, ftm, csv].
        #[arg(long, value_parser = parse_format)]
        format: Option<clew_screen::lists::Format>,
        /// Who imports it [default: $CLEW_USER or $USER].
        #[arg(long)]
        user: Option<String>,
    },
    /// The lists kept in the project.
    List,
}

#[derive(Debug, Subcommand)]
enum EstimateCommand {
    /// How many people a set of overlapping lists missed (multiple systems estimation): log-linear models
    /// chosen by AIC, BIC or a stepwise procedure, with BCa bootstrap intervals that repeat the choice and
    /// profile-likelihood intervals that hold it fixed, and the Bayesian latent-class model (LCMCR) with
    /// convergence checks. `all` prints every method side by side, because the choice of model matters more
    /// than sampling error. Strata with fewer than three lists with records are "not estimable". See
    /// docs/estimation.md.
    Population(estimate::PopulationArgs),
    /// The estimates kept in the project (`--keep`), newest first, with their figures.
    List,
    /// The DPRK state's annual revenue from its workers in Russia (US dollars), quota-based (workers × the
    /// yearly sum each must remit) and wage-based (workers × wage × the share the state takes), by a seeded
    /// Monte Carlo: median, 90% and 95% intervals, and which input moves the
    /// result most. Inputs not given are resampled from the project's wage ledgers. A distribution is
    /// `lognormal(median=M, p95=P)`, `normal(mean=M, sd=S)`, `uniform(min=A, max=B)`,
    /// `triangular(min=A, mode=M, max=B)`, `fixed(V)` or a number.
    #[command(group(clap::ArgGroup::new("worker_count").required(true).args(["workers", "workers_from"])))]
    Revenue {
        /// How many DPRK workers are in Russia, e.g. "lognormal(median=15000, p95=40000)".
        #[arg(long, value_name = "DISTRIBUTION", value_parser = |s: &str| s.parse::<clew_stats::Distribution>())]
        workers: Option<clew_stats::Distribution>,
        /// Take the number of workers from a `clew estimate population` result (its --out file, or its --json
        /// output): the bootstrap or posterior draws of one method, the total when it has strata.
        #[arg(long, value_name = "RESULT.json")]
        workers_from: Option<PathBuf>,
        /// With --workers-from: which method's estimate, when the result has several.
        #[arg(long, value_name = "METHOD", requires = "workers_from")]
        workers_method: Option<String>,
        /// Months worked a year.
        #[arg(long, value_name = "DISTRIBUTION", default_value = "fixed(12)", value_parser = |s: &str| s.parse::<clew_stats::Distribution>())]
        months: clew_stats::Distribution,
        /// Quota and loyalty fees taken per worker-month, USD [default: resampled from the ledgers].
        #[arg(long, value_name = "DISTRIBUTION", value_parser = |s: &str| s.parse::<clew_stats::Distribution>())]
        quota: Option<clew_stats::Distribution>,
        /// What employers pay per worker-month, USD [default: resampled from the ledgers].
        #[arg(long, value_name = "DISTRIBUTION", value_parser = |s: &str| s.parse::<clew_stats::Distribution>())]
        employer_paid: Option<clew_stats::Distribution>,
        /// Share of the employer's payment that never reaches the worker, 0 to 1 [default: resampled from the
        /// ledgers].
        #[arg(long, value_name = "DISTRIBUTION", value_parser = |s: &str| s.parse::<clew_stats::Distribution>())]
        state_share: Option<clew_stats::Distribution>,
        /// A rate table (CSV: period,currency,usd_per_unit,source) to bring ledger amounts to US dollars
        /// [default: the project's rates.csv, else the table clew ships; see `clew ledger --help`].
        #[arg(long, value_name = "FILE")]
        rates: Option<PathBuf>,
        /// Number of draws.
        #[arg(long, default_value_t = 100_000)]
        draws: usize,
        /// Seed: the same seed gives the same result.
        #[arg(long, default_value_t = 2397)]
        seed: u64,
        /// Also write the chart here (SVG).
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
        /// Also write the results here (CSV).
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        /// Keep the result in the project under this title (logged; shown on the web application's estimates
        /// page and dashboard).
        #[arg(long, value_name = "TITLE")]
        keep: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum PackageCommand {
    /// Write an evidence package (a tar file): the material the audience's consent and sensitivity allow, a
    /// manifest with every file's SHA-256, the custody events behind it with inclusion proofs, a freshly
    /// signed tree head, and a README on checking it with sha256sum, openssl and python3. Logged first.
    /// Needs the passphrase (it signs, and the project key opens attachments).
    #[command(group(clap::ArgGroup::new("subject").required(true).args(["testimony", "entity"])))]
    Export {
        /// Package one testimony: its statements, the witness's words, its attachments.
        #[arg(long, value_name = "ID")]
        testimony: Option<String>,
        /// Package one entity: every statement about it, from every source whose consent allows.
        #[arg(long, value_name = "ID")]
        entity: Option<String>,
        /// Who receives it: internal, un, monitors (sanctions monitors), prosecutor or public. Decides what
        /// consent must cover, the highest sensitivity included, and whether attachments and the witness's
        /// words go in.
        #[arg(long, value_parser = |s: &str| s.parse::<Audience>())]
        audience: Audience,
        /// Where to write the package; an existing file is replaced only once the new package is whole.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Seal the package to this recipient's public key (age1..., or a .pub file holding it; repeat for
        /// several): it opens only with their secret keys (`age -d -i KEY`). Recommended whenever it leaves the
        /// team.
        #[arg(long = "to", value_name = "PUBLIC_KEY")]
        to: Vec<String>,
        /// A custodian's secret key file, to open attachments in a project without a key pair. Repeat it to give shares of a split key (`clew keys split`), rebuilt in memory only.
        #[arg(long, value_name = "KEYFILE")]
        identity: Vec<PathBuf>,
        /// Who exports, recorded in the custody log [default: $CLEW_USER, else $USER].
        #[arg(long, env = "CLEW_USER")]
        user: Option<String>,
    },
    /// Check a package offline, no project needed: every file against SHA256SUMS, SHA256SUMS against the
    /// logged export, every custody event against its inclusion proof, and the tree head's signature.
    Verify {
        /// The package.
        file: PathBuf,
        /// The key a sealed package was sealed to. Repeat it to give shares of a split key (`clew keys split`), rebuilt in memory only.
        #[arg(long, value_name = "KEYFILE")]
        identity: Vec<PathBuf>,
        /// The project's signing key as the project published it: 64 hex characters (`clew keys show`) or the
        /// file `clew keys show --pem` writes. The tree head must be signed by it.
        #[arg(long, value_name = "KEY")]
        key: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum AttachmentCommand {
    /// A testimony's attachments: evidentiary hash (SHA-256 of the original), size, type, sealed blob.
    List {
        /// The testimony id.
        testimony: String,
    },
}

#[derive(Debug, Subcommand)]
enum LogCommand {
    /// The log's current size and tree head, signed with the project's signing key (asks the passphrase): send
    /// it to a partner, or publish it, to anchor the history. Fails without the passphrase unless --unsigned.
    Head {
        /// Write the signed head to this file (whole or not at all) instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Give the size and head without signing them (no passphrase); `clew verify --head SIZE:HEX` takes them.
        #[arg(long, conflicts_with = "out")]
        unsigned: bool,
    },
    /// Prove to someone without the project, against a freshly signed tree head: that an event is in the log
    /// (--event), or that the log extends its first SIZE events unchanged (--from; give the size of a head
    /// you sent earlier). Prints the proof (JSON); `clew log check` checks it offline. Needs the passphrase.
    #[command(group(clap::ArgGroup::new("what").required(true).args(["event", "from"])))]
    Proof {
        /// The event's sequence number.
        #[arg(long, value_name = "SEQ")]
        event: Option<u64>,
        /// The earlier tree head: its size, or the signed tree head file itself (from `clew log head --out`).
        #[arg(long, value_name = "SIZE|FILE")]
        from: Option<String>,
        /// Write the proof to this file (whole or not at all) instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Check a proof from `clew log proof` offline, no project needed.
    Check {
        /// The proof file.
        file: PathBuf,
        /// A signed tree head received earlier (from `clew log head`): a consistency proof must start from it.
        #[arg(long, value_name = "FILE")]
        earlier: Option<PathBuf>,
        /// The project's signing key as the project published it: 64 hex characters (`clew keys show`) or the
        /// file `clew keys show --pem` writes.
        #[arg(long, value_name = "KEY")]
        key: Option<String>,
    },
    /// List events.
    Show {
        /// Only events after this sequence number.
        #[arg(long, default_value_t = 0)]
        since: u64,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Create the project's keys it lacks, both stored locked with a passphrase: the signing key (Ed25519;
    /// signs tree heads) and the project key pair (age X25519; attachments are sealed to it and to the
    /// custodians, so packages can include them without a custodian).
    Init,
    /// Print the project's public keys, to publish or give to partners: the signing key (hex; with --pem as
    /// a PEM file for openssl) and the project key (age1...).
    Show {
        /// Print only the signing key, as a PEM file (what `openssl pkeyutl -verify -pubin -inkey` reads).
        #[arg(long)]
        pem: bool,
    },
    /// Custodians: protected data is sealed to all of them; any one of them can open it.
    #[command(subcommand)]
    Custodian(CustodianCommand),
    /// Split a custodian's key file into shares, any THRESHOLD of which together open protected data
    /// (Shamir's secret sharing), so no single person can unmask a witness. No project needed. Use the shares
    /// wherever a key is asked for: --identity SHARE --identity SHARE ...
    Split {
        /// The custodian's secret key file (one key). clew does not delete it: destroy it once the shares are
        /// handed out.
        keyfile: PathBuf,
        /// How many shares to make (at most 255).
        #[arg(long)]
        shares: u8,
        /// How many shares open the key (at least 2).
        #[arg(long)]
        threshold: u8,
        /// Where to write the share files (created if missing; existing files are never replaced).
        #[arg(long, value_name = "DIR")]
        out_dir: PathBuf,
    },
    /// Re-seal everything to the current custodians and a new project key: after a custodian is removed, or
    /// when a key may have leaked. Protected data and file names are opened with a custodian's key (--identity),
    /// attachments with the project key (passphrase). Logged; safe to run again if interrupted.
    Rotate {
        /// A custodian's secret key file (needed when the project holds protected data). Repeat it to give shares of a split key (`clew keys split`), rebuilt in memory only.
        #[arg(long, value_name = "KEYFILE")]
        identity: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum CustodianCommand {
    /// Make a new custodian key pair: the secret key goes to FILE (for the custodian alone), the public key to
    /// FILE with the extension .pub (to send to the projects that add it). No project needed.
    New {
        /// Where to write the secret key; an existing file is never overwritten.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// A note written into the key file.
        #[arg(long, default_value = "clew custodian key")]
        comment: String,
    },
    /// Add a custodian's public key to the project. Testimonies imported afterwards are sealed to it.
    Add {
        /// The public key: age1..., or the .pub file `clew keys custodian new` wrote.
        public_key: String,
        /// Who holds it, in words the team understands (never a witness's name).
        #[arg(long, default_value = "custodian")]
        label: String,
    },
    /// List the project's custodians.
    List,
    /// Remove a custodian: nothing new is sealed to it. What was sealed before stays open to it until
    /// `clew keys rotate`.
    Remove {
        /// The public key: age1..., or a .pub file holding it.
        public_key: String,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add an account. Prints its one-time password once (changed at the first sign-in) and, for admins and
    /// custodians, the second factor to add to an authenticator app (TOTP).
    Add {
        /// The name they sign in with: letters (any script), digits, `.`, `_` or `-`.
        name: String,
        /// What they may do: admin (accounts, and all a coder and an analyst do), custodian (custody views;
        /// protected data is opened on their own machine with the CLI), coder (codes testimonies, reviews
        /// linkage), analyst (reads and runs analyses), viewer (reads).
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Who adds it (recorded in the custody log) [default: $CLEW_USER or $USER].
        #[arg(long)]
        user: Option<String>,
    },
    /// List the accounts (never their credentials).
    List,
    /// Disable an account: it can no longer sign in (accounts are never deleted; the log keeps their names).
    Disable {
        /// The account.
        name: String,
        /// Who does it (recorded in the custody log) [default: $CLEW_USER or $USER].
        #[arg(long)]
        user: Option<String>,
    },
    /// Enable a disabled account again.
    Enable {
        /// The account.
        name: String,
        /// Who does it (recorded in the custody log) [default: $CLEW_USER or $USER].
        #[arg(long)]
        user: Option<String>,
    },
    /// Make an API token for scripts acting as an account (shown once; a reset revokes it).
    Token {
        /// The account the token acts for.
        name: String,
        /// What it is for, in a few words (recorded in the custody log).
        #[arg(long)]
        label: String,
        /// Who makes it (recorded in the custody log) [default: $CLEW_USER or $USER].
        #[arg(long)]
        user: Option<String>,
    },
    /// Give an account another role: its sessions end. Made an admin or a custodian, an account without a
    /// second factor gets new credentials (printed once), as a reset gives them. The last admin stays one.
    Role {
        /// The account.
        name: String,
        /// Its new role (see `clew user add --help`).
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Who does it (recorded in the custody log) [default: $CLEW_USER or $USER].
        #[arg(long)]
        user: Option<String>,
    },
    /// Give an account a new one-time password (and a new second factor for admins and custodians): the old
    /// ones stop working, and its sessions end.
    Reset {
        /// The account.
        name: String,
        /// Who does it (recorded in the custody log) [default: $CLEW_USER or $USER].
        #[arg(long)]
        user: Option<String>,
    },
}

/// A role on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RoleArg {
    Admin,
    Custodian,
    Coder,
    Analyst,
    Viewer,
}

impl RoleArg {
    fn role(self) -> clew_service::accounts::Role {
        use clew_service::accounts::Role;
        match self {
            RoleArg::Admin => Role::Admin,
            RoleArg::Custodian => Role::Custodian,
            RoleArg::Coder => Role::Coder,
            RoleArg::Analyst => Role::Analyst,
            RoleArg::Viewer => Role::Viewer,
        }
    }
}

#[derive(Debug, Subcommand)]
enum ProtectedCommand {
    /// Open a testimony's protected block with a custodian's secret key file and print it.
    Show {
        /// The testimony id.
        testimony: String,
        /// The custodian's secret key file (from `clew keys custodian new`, or `age-keygen`). Repeat it to give shares of a split key (`clew keys split`), rebuilt in memory only.
        #[arg(long, value_name = "KEYFILE", required = true)]
        identity: Vec<PathBuf>,
    },
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// Files, directories (their .json, .jsonl, .ndjson, .yaml and .yml files) or - for standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// What the files hold.
    #[arg(long, value_enum, default_value_t = InputFormat::Testimony)]
    format: InputFormat,
    /// Check and count, but write nothing.
    #[arg(long)]
    dry_run: bool,
    /// FtM only: skip (with a warning) entities and properties clew does not model, instead of failing.
    #[arg(long)]
    skip_unknown: bool,
    /// FtM only: sensitivity of the imported statements (those of sensitive properties are always restricted).
    #[arg(long, value_enum, default_value_t = SensitivityArg::Internal)]
    sensitivity: SensitivityArg,
    /// FtM only: the source id to record for the one input [default: ftm: and the file name]. Importing a
    /// file as an existing source is a new version of it: the statements of the old version are retracted.
    #[arg(long, value_name = "ID")]
    source: Option<String>,
    /// Who imports, recorded with every statement [default: $CLEW_USER, else $USER].
    #[arg(long, env = "CLEW_USER")]
    user: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InputFormat {
    /// Testimony format v1 (`clew schema testimony`).
    Testimony,
    /// FollowTheMoney entities (JSON lines).
    Ftm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SensitivityArg {
    Public,
    Internal,
    Restricted,
}

impl From<SensitivityArg> for Sensitivity {
    fn from(value: SensitivityArg) -> Self {
        match value {
            SensitivityArg::Public => Sensitivity::Public,
            SensitivityArg::Internal => Sensitivity::Internal,
            SensitivityArg::Restricted => Sensitivity::Restricted,
        }
    }
}

#[derive(Debug, Subcommand)]
enum EntityCommand {
    /// List entities, ordered by id.
    List {
        /// Only these schemata (and the schemata that extend them), e.g. --schema Company.
        #[arg(long)]
        schema: Vec<String>,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Start after this id (for paging).
        #[arg(long)]
        after: Option<String>,
    },
    /// Show an entity: every property value with the statements (source, locator, who, when) behind it.
    Show {
        /// The entity id.
        id: String,
        /// Show every statement, not the first few per value.
        #[arg(long)]
        all: bool,
        /// Also list every statement ever recorded about it, retracted ones and retractions included.
        #[arg(long)]
        history: bool,
    },
}

#[derive(Debug, Args)]
struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Ftm)]
    format: ExportFormat,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Highest sensitivity exported; restricted statements (which can re-identify a witness) stay out unless
    /// asked for. Never above what the audience receives.
    #[arg(long, value_enum, default_value_t = SensitivityArg::Internal)]
    max_sensitivity: SensitivityArg,
    /// Who receives it: internal, un, monitors, prosecutor or public. Only testimonies whose consent covers
    /// that use are exported (see docs/packages.md).
    #[arg(long, default_value = "internal", value_parser = |s: &str| s.parse::<Audience>())]
    audience: Audience,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    /// FollowTheMoney entities as JSON lines (for Aleph, OpenSanctions tools).
    Ftm,
}

#[derive(Debug, Subcommand)]
enum SchemaCommand {
    /// The JSON Schema of testimony format v1.
    Testimony,
    /// The entity and relation types clew knows, with their properties.
    Model,
}

/// How a dossier's or a brief's PDF is made.
#[derive(Debug, Args)]
struct PdfArgs {
    /// A folder of fonts for the PDF (and the folders below it); repeat it for more. It needs one family for
    /// Latin and Cyrillic (Noto Serif, Noto Sans, DejaVu Serif or DejaVu Sans) and one for Korean (Noto Serif
    /// CJK KR, Noto Sans CJK KR, NanumMyeongjo or NanumGothic) [default: /usr/share/fonts].
    #[arg(long, value_name = "DIR")]
    fonts: Vec<PathBuf>,
    /// Write no PDF (the HTML and manifest.json only): for a machine without the fonts.
    #[arg(long)]
    no_pdf: bool,
}

/// A language given on the command line (`--lang`).
fn lang_argument(tag: &str) -> Result<clew_server::i18n::Lang, String> {
    clew_server::i18n::Lang::from_tag(tag).ok_or_else(|| format!("unknown language `{tag}`; one of en, ko, ru"))
}

#[derive(Debug, Subcommand)]
enum BriefCommand {
    /// A brief for sanctions monitors, across the project, as one self-contained HTML file, a PDF/A-2b file and
    /// its manifest.json, in a new folder: the witnesses (DPRK nationals) working in Russia after the
    /// repatriation deadline of resolution 2397, by year and sector; the permits they came on, by year and
    /// declared purpose (study against work); the employers and dispatching bodies, each with its witnesses
    /// and sanctions-list status; the revenue estimates kept; the law. Logged as a custody event.
    Sanctions(BriefArgs),
}

#[derive(Debug, Args)]
struct BriefArgs {
    /// Only work and permits from this month on (YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Who it is for: internal, un, monitors, prosecutor or public. Each witness's consent decides whether
    /// their testimony counts; for un, monitors and public a count below --min-witnesses is given as "< k"
    /// and an employer or body fewer witnesses name is held back.
    #[arg(long, value_parser = |s: &str| s.parse::<Audience>())]
    audience: Audience,
    /// The new folder to write brief.html, brief.pdf and manifest.json into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The language it is written in: en, ko or ru.
    #[arg(long, default_value = "en", value_parser = lang_argument)]
    lang: clew_server::i18n::Lang,
    /// The fewest witnesses behind a count or a named body for un, monitors and public; below 3 is refused
    /// [default: `[dossier] min_witnesses` in clew.toml, else 5].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    min_witnesses: Option<u32>,
    #[command(flatten)]
    pdf: PdfArgs,
    /// Who makes it, recorded in the custody log [default: $CLEW_USER, else $USER].
    #[arg(long)]
    user: Option<String>,
}

#[derive(Debug, Args)]
struct DossierArgs {
    /// The entity's id (`clew entity list`).
    entity: String,
    /// Who it is for: internal (the team), un, monitors, prosecutor or public. Each witness's consent decides
    /// whether their testimony goes in; for un, monitors and public, periods are months, places regions, and
    /// an allegation resting on fewer than --min-witnesses witnesses at one site in one month is held back.
    #[arg(long, value_parser = |s: &str| s.parse::<Audience>())]
    audience: Audience,
    /// The new folder to write dossier.html, dossier.pdf, manifest.json and the proofs into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The language it is written in: en, ko or ru (the witnesses' words stay in theirs, with the translation).
    #[arg(long, default_value = "en", value_parser = lang_argument)]
    lang: clew_server::i18n::Lang,
    /// The fewest witnesses at one site in one month an allegation may rest on for un, monitors and public;
    /// below 3 is refused for them [default: `[dossier] min_witnesses` in clew.toml, else 5].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    min_witnesses: Option<u32>,
    /// An earlier dossier's manifest.json: also say what changed since.
    #[arg(long, value_name = "MANIFEST")]
    diff: Option<PathBuf>,
    #[command(flatten)]
    pdf: PdfArgs,
    /// Write no proofs: without them the folder holds no signed tree head and no inclusion proofs, and the
    /// passphrase of the project's keys is not asked. With them (the default), the custody log is verified, a
    /// tree head signed over it and the dossier's export, and proofs.json, tree-head.*, signing-key.pem and
    /// verify-proofs.py written beside the dossier, so that a reader checks every exhibit's events offline.
    #[arg(long)]
    no_proofs: bool,
    /// Who makes it, recorded in the custody log [default: $CLEW_USER, else $USER].
    #[arg(long, env = "CLEW_USER")]
    user: Option<String>,
}

#[derive(Debug, Args)]
struct DemoArgs {
    /// Where to create the demo project; an earlier demo project there is replaced.
    #[arg(long, default_value = "clew-demo")]
    dir: PathBuf,
    /// How many synthetic testimonies.
    #[arg(long, default_value_t = 1_000)]
    testimonies: u64,
    /// Seed: the same seed gives the same data.
    #[arg(long, default_value_t = 2397)]
    seed: u64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = Output::new(cli.json);
    match run(cli, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => exit(failure, &mut out),
    }
}

fn model() -> Result<&'static Model, Failure> {
    Ok(clew_service::analysis::model()?)
}

fn project_dir(cli_project: &Option<PathBuf>) -> PathBuf {
    cli_project.clone().unwrap_or_else(|| PathBuf::from("."))
}

fn open_project(cli_project: &Option<PathBuf>) -> Result<Project, Failure> {
    let project = Project::open(&project_dir(cli_project))?;
    if project.config.synthetic {
        output::SYNTHETIC.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    Ok(project)
}

/// Who runs the command, as the service records them: `--user`, else $CLEW_USER, else $USER (trimmed; no
/// control characters, at most 200 characters).
/// The fonts for a PDF from `--fonts` (the system's when none), or none with `--no-pdf`: a missing one is said
/// before any work is done.
fn pdf_fonts(fonts: &[PathBuf], no_pdf: bool) -> Result<Option<clew_server::dossier_pdf::PdfFonts>, Failure> {
    if no_pdf {
        return Ok(None);
    }
    let dirs =
        if fonts.is_empty() { vec![PathBuf::from(clew_server::dossier_pdf::DEFAULT_FONT_DIR)] } else { fonts.to_vec() };
    clew_server::dossier_pdf::PdfFonts::load(&dirs).map(Some).map_err(|e| Failure::usage(format!("{e}; or --no-pdf")))
}

fn brief(cli_project: &Option<PathBuf>, args: BriefArgs, out: &mut Output) -> Result<(), Failure> {
    use clew_model::ids::sha256_hex;
    let service = service(cli_project)?;
    let min_witnesses = args.min_witnesses.map_or_else(|| service.dossier_min_witnesses(), |n| n as usize);
    let fonts = pdf_fonts(&args.pdf.fonts, args.pdf.no_pdf)?;
    let request = clew_service::brief::BriefRequest { audience: args.audience, min_witnesses, since: args.since };
    let made = service.brief(&request)?;
    let html = clew_server::brief::render_html(&made, args.lang);
    let manifest = serde_json::json!({
        "format": "clew-brief-manifest-v1",
        "brief": clew_service::brief::BRIEF_FORMAT,
        "audience": made.audience,
        "lang": args.lang.tag(),
        "since": made.since,
        "min_witnesses": made.min_witnesses,
        "made_from": made.made_from,
    });
    let manifest_json = serde_json::to_vec_pretty(&manifest).map_err(|e| Failure::internal(e.to_string()))?;
    let pdf = match &fonts {
        Some(fonts) => Some(
            clew_server::brief::render_pdf(&made, args.lang, fonts, &sha256_hex(&manifest_json))
                .map_err(Failure::internal)?,
        ),
        None => None,
    };
    let mut files: Vec<(&str, &[u8])> = vec![("brief.html", html.as_bytes()), ("manifest.json", &manifest_json)];
    if let Some(pdf) = &pdf {
        files.push(("brief.pdf", pdf));
    }
    let (event, hashed) = service.write_brief(&actor(args.user)?, &made, &files, &args.out)?;
    let report = serde_json::json!({
        "dir": args.out,
        "files": hashed,
        "event": event,
        "witnesses_after_deadline": made.after_deadline.witnesses,
        "bodies": made.bodies.len(),
        "bodies_held_back": made.bodies_held_back,
        "testimonies": made.testimonies,
        "testimonies_left_out": made.testimonies_left_out,
        "synthetic": made.synthetic,
    });
    out.value(&report, |out| {
        if made.synthetic {
            out.note("SYNTHETIC: this brief is made from fictional demo data")?;
        }
        let witnesses =
            made.after_deadline.witnesses.map_or_else(|| format!("< {}", made.min_witnesses), |n| n.to_string());
        out.line(&format!(
            "Wrote {}: {witnesses} witness(es) working in Russia after {}, {} employer(s) and dispatching bodies, \
             from {} testimonies, for audience {} (logged as event {event})",
            args.out.display(),
            made.deadline,
            made.bodies.len(),
            made.testimonies,
            made.audience.as_str()
        ))?;
        for (name, sha256) in &hashed {
            out.line(&format!("  {sha256}  {name}"))?;
        }
        Ok(())
    })
}

fn dossier(
    cli_project: &Option<PathBuf>,
    passphrase_env: &Option<String>,
    args: DossierArgs,
    out: &mut Output,
) -> Result<(), Failure> {
    use clew_model::ids::sha256_hex;
    use clew_service::dossier::{DossierRequest, diff_manifests, read_manifest};
    let entity = EntityId::new(&args.entity).map_err(Failure::usage)?;
    let earlier = args.diff.as_deref().map(read_manifest).transpose()?;
    let service = service(cli_project)?;
    let min_witnesses = args.min_witnesses.map_or_else(|| service.dossier_min_witnesses(), |n| n as usize);
    let request = DossierRequest { entity, audience: args.audience, min_witnesses };
    // The fonts first: a missing one is said before any work is done.
    let fonts = pdf_fonts(&args.pdf.fonts, args.pdf.no_pdf)?;
    // The passphrase before any work is done, too.
    let passphrase = if args.no_proofs {
        None
    } else {
        service.can_sign("a dossier's proofs (or give --no-proofs)")?;
        let given = passphrase(passphrase_env, false)?.ok_or_else(|| {
            Failure::usage(
                "a dossier's proofs need the passphrase of the project's keys: run in a terminal, give \
                 --passphrase-env VAR, or give --no-proofs"
                    .into(),
            )
        })?;
        service.check_signing_passphrase("a dossier's proofs", &given)?;
        Some(given)
    };
    let made = service.dossier(&request)?;
    let html = clew_server::dossier::render_html(&made, args.lang);
    let manifest = made.manifest(args.lang.tag());
    let manifest_json = serde_json::to_vec_pretty(&manifest).map_err(|e| Failure::internal(e.to_string()))?;
    let pdf = match &fonts {
        Some(fonts) => Some(
            clew_server::dossier_pdf::render_pdf(&made, args.lang, fonts, &sha256_hex(&manifest_json))
                .map_err(Failure::internal)?,
        ),
        None => None,
    };
    let mut files: Vec<(&str, &[u8])> = vec![("dossier.html", html.as_bytes()), ("manifest.json", &manifest_json)];
    if let Some(pdf) = &pdf {
        files.push(("dossier.pdf", pdf));
    }
    let written =
        service.write_dossier(&actor(args.user)?, &made, &files, &args.out, passphrase.as_ref().map(|p| p.as_str()))?;
    let changes = earlier.as_ref().map(|old| diff_manifests(old, &manifest));
    let report = serde_json::json!({
        "dir": written.dir,
        "files": written.files,
        "event": written.event,
        "claims": made.claims.len(),
        "exhibits": made.exhibits.len(),
        "held_back": made.held_back,
        "synthetic": made.synthetic,
        "changes": changes,
        "proved_events": written.proofs,
    });
    out.value(&report, |out| {
        if made.synthetic {
            out.note("SYNTHETIC: this dossier is made from fictional demo data")?;
        }
        out.line(&format!(
            "Wrote {}: {} allegation(s) on {} exhibit(s), for audience {} (logged as event {})",
            written.dir.display(),
            made.claims.len(),
            made.exhibits.len(),
            made.audience.as_str(),
            written.event
        ))?;
        for (name, sha256) in &written.files {
            out.line(&format!("  {sha256}  {name}"))?;
        }
        match written.proofs {
            Some(events) => out.line(&format!(
                "  proofs.json: {events} custody event(s) proved to a signed tree head; check them offline with \
                 python3 {}",
                written.dir.join("verify-proofs.py").display()
            ))?,
            None => out.note("no proofs written (--no-proofs)")?,
        }
        let held: usize = made.held_back.iter().map(|h| h.testimonies).sum();
        if held > 0 {
            out.note(&format!(
                "held back for this audience: {held} testimony part(s); the dossier's “Held back” section says why"
            ))?;
        }
        if let Some(changes) = &changes {
            if changes.is_empty() {
                out.line("Since the earlier manifest: nothing changed")?;
            } else {
                out.line("Since the earlier manifest:")?;
                for change in changes {
                    out.line(&format!("  {change}"))?;
                }
            }
        }
        Ok(())
    })
}

fn actor(explicit: Option<String>) -> Result<clew_service::Actor, Failure> {
    let name = explicit
        .or_else(|| std::env::var("CLEW_USER").ok())
        .or_else(|| std::env::var("USER").ok())
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| "unknown".to_string());
    Ok(clew_service::Actor::new(&name)?)
}

/// The project as the service's operations take it.
fn service(cli_project: &Option<PathBuf>) -> Result<clew_service::Service, Failure> {
    Ok(clew_service::Service::from_project(open_project(cli_project)?))
}

fn run(cli: Cli, out: &mut Output) -> Result<(), Failure> {
    // The schema is checked at start-up, whatever the command: a broken build fails at once, and loudly.
    model()?;
    match cli.command {
        Command::Init { dir, name, no_keys } => {
            let dir = dir.or(cli.project).unwrap_or_else(|| PathBuf::from("."));
            let name = name.unwrap_or_else(|| directory_name(&dir));
            init(&dir, &name, no_keys, &cli.passphrase_env, out)
        }
        Command::Validate { files } => {
            let mut progress = out.counter("checked");
            let inputs = clew_service::intake::Inputs::expand(&files)?;
            let report = clew_service::intake::validate(&inputs, &mut |n| progress.set(n))?;
            progress.finish();
            report_import(out, &report, "valid")
        }
        Command::Import(args) => import(cli.project, args, out),
        Command::Entity(EntityCommand::List { schema, limit, after }) => {
            let after = after.map(|a| EntityId::new(&a)).transpose().map_err(Failure::usage)?;
            let schemata = clew_service::entities::Schemata::named(&schema)?;
            let rows = service(&cli.project)?.entities(&schemata, after.as_ref(), limit)?;
            out.value(&rows, |out| {
                for row in &rows {
                    out.line(&format!("{:<40} {:<14} {}", row.id, row.schema, row.caption.as_deref().unwrap_or("")))?;
                }
                if rows.len() == limit
                    && let Some(last) = rows.last()
                {
                    out.note(&format!("(first {limit}; more with --after {} or --limit)", last.id))?;
                }
                Ok(())
            })
        }
        Command::Entity(EntityCommand::Show { id, all, history }) => {
            let id = EntityId::new(&id).map_err(Failure::usage)?;
            let view = service(&cli.project)?.entity(&id, history, clew_model::Sensitivity::Restricted)?;
            output::show_entity(out, model()?, &view, all, history)
        }
        Command::Stats => {
            let stats = service(&cli.project)?.stats()?;
            out.value(&stats, |out| output::print_stats(out, &stats))
        }
        Command::Export(args) => {
            let service = service(&cli.project)?;
            let ExportFormat::Ftm = args.format;
            let limit = Sensitivity::from(args.max_sensitivity);
            let who = actor(None)?;
            let report = match &args.out {
                Some(path) => {
                    // Whole or not at all, and private even when it existed: an export may hold restricted
                    // statements when asked to.
                    let mut file = clew_files::AtomicFile::create(path)?;
                    let mut writer = std::io::BufWriter::new(&mut file);
                    let report = service.export_ftm(&who, args.audience, limit, "file", &mut writer)?;
                    std::io::Write::flush(&mut writer)
                        .map_err(|e| Failure::internal(format!("{}: {e}", path.display())))?;
                    drop(writer);
                    file.commit()?;
                    report
                }
                None => {
                    let mut stdout = output::PipeWatch::new(out.stdout());
                    service
                        .export_ftm(&who, args.audience, limit, "standard output", &mut stdout)
                        .map_err(|error| stdout.failure(error))?
                }
            };
            out.note(&format!(
                "exported {} entities for `{}`; {} left out (no FtM counterpart, or only statements above `{}`); \
                 {} source(s) whose consent does not cover `{}` left out",
                report.exported,
                args.audience.as_str(),
                report.left_out,
                report.max_sensitivity.as_str(),
                report.refused_sources,
                args.audience.as_str()
            ))?;
            Ok(())
        }
        Command::Schema(SchemaCommand::Testimony) => out.raw(clew_service::intake::TESTIMONY_JSON_SCHEMA),
        Command::Schema(SchemaCommand::Model) => output::print_model(out, model()?),
        Command::Demo(args) => demo(args, out),
        Command::Keys(KeysCommand::Custodian(command)) => custodian(cli.project, command, out),
        Command::Keys(KeysCommand::Show { pem }) => {
            let keys = service(&cli.project)?.required_public_keys("this project has no keys yet: clew keys init")?;
            let signing = keys.signing_key.clone();
            let pem_text = keys.signing_key_pem()?;
            if pem {
                return out.raw(&pem_text);
            }
            let project_key = Some(keys.project_key.clone()).filter(|k| !k.is_empty());
            let value =
                serde_json::json!({"signing_key": signing, "signing_key_pem": pem_text, "project_key": project_key});
            out.value(&value, |out| {
                out.line(&format!("signing key (Ed25519; signs tree heads):  {signing}"))?;
                if let Some(project_key) = &project_key {
                    out.line(&format!("project key (age; opens attachments):      {project_key}"))?;
                }
                out.note(
                    "Publish the signing key (or its --pem form): partners check signed heads and packages against it.",
                )
            })
        }
        Command::Keys(KeysCommand::Split { keyfile, shares, threshold, out_dir }) => {
            let written = clew_service::keys::split_key(&keyfile, threshold, shares, &out_dir)?;
            out.value(&serde_json::json!({"shares": written, "threshold": threshold}), |out| {
                for path in &written {
                    out.line(&format!("wrote {}", path.display()))?;
                }
                out.line(&format!(
                    "Any {threshold} of these {shares} shares open protected data: give each to a different person, \
                     then destroy {}. Use them as --identity SHARE --identity SHARE ...",
                    keyfile.display()
                ))
            })
        }
        Command::Keys(KeysCommand::Rotate { identity }) => {
            let identity = read_identity(&identity)?;
            let service = service(&cli.project)?;
            let passphrase = required_passphrase(&cli.passphrase_env, false)?;
            let report = service.rotate(&actor(None)?, &passphrase, identity.as_ref())?;
            out.value(&report, |out| {
                out.line(&format!(
                    "Re-sealed {} protected value(s) and {} blob(s) to {} custodian(s) and the new project key {}",
                    report.sealed_values, report.blobs, report.custodians, report.project_key
                ))
            })
        }
        Command::Keys(KeysCommand::Init) => {
            let service = service(&cli.project)?;
            let passphrase = required_passphrase(&cli.passphrase_env, true)?;
            let keys = service.create_keys(&actor(None)?, &passphrase, None)?;
            out.value(&keys, |out| {
                out.line(&format!("Signing key (Ed25519, signs tree heads): {}", keys.signing_key))?;
                out.line(&format!("Project key (age X25519, opens attachments): {}", keys.project_key))
            })
        }
        Command::Log(LogCommand::Head { out: file, unsigned }) => {
            let service = service(&cli.project)?;
            if unsigned {
                let head = service.tree_head()?;
                let (size, hex) = (head.tree_size, head.tree_head.clone());
                return out.value(&head, |out| {
                    out.line(&format!("tree size {size}  tree head {hex}"))?;
                    out.note(&format!("not signed; check it later with: clew verify --head {size}:{hex}"))
                });
            }
            // The way round the refusal is an option of this command: said here.
            service.can_sign("a signed tree head").map_err(|error| {
                Failure::usage(format!("{} (or --unsigned for the size and head alone)", error.message()))
            })?;
            let passphrase = passphrase(&cli.passphrase_env, false)?.ok_or_else(|| {
                Failure::usage(
                    "signing the tree head needs the passphrase of the project's keys: run in a terminal, give \
                     --passphrase-env VAR, or --unsigned for the size and head alone"
                        .into(),
                )
            })?;
            let signed = service.signed_tree_head(&passphrase)?;
            let text = serde_json::to_string_pretty(&signed).unwrap_or_default() + "\n";
            write_or_print(out, file.as_deref(), &text)?;
            out.note("Save this signed tree head (e.g. --out head.json) and send it to a partner; later, `clew verify --head head.json` proves the history up to it is unchanged.")
        }
        Command::Log(LogCommand::Proof { event, from, out: file }) => {
            let service = service(&cli.project)?;
            service.can_sign("a proof, signed with the project's tree head,")?;
            let request = match (event, from) {
                (Some(seq), _) => clew_service::log::ProofRequest::Inclusion(seq),
                (None, Some(from)) => {
                    clew_service::log::ProofRequest::Consistency(clew_service::log::earlier_size(&from)?)
                }
                (None, None) => return Err(Failure::usage("give --event SEQ or --from SIZE".into())),
            };
            let passphrase = required_passphrase(&cli.passphrase_env, false)?;
            let proof = service.proof(&passphrase, request)?;
            write_or_print(out, file.as_deref(), &(serde_json::to_string_pretty(&proof).unwrap_or_default() + "\n"))
        }
        Command::Log(LogCommand::Check { file, earlier, key }) => {
            let key = key.as_deref().map(signing_key_hex).transpose()?;
            let report = clew_service::log::check_proof(&file, earlier.as_deref(), key.as_deref())?;
            problems_fail(out, &report.problems, &report)?;
            out.value(&report, |out| {
                out.line(&format!("proved: {}", report.proved))?;
                out.line(&format!(
                    "under tree head {} ({} events), signed by {}",
                    report.tree_head, report.tree_size, report.signing_key
                ))?;
                if key.is_none() {
                    out.note("Make sure the signing key is the project's: compare it with the key it published, or pass --key HEX|PEM_FILE")?;
                }
                Ok(())
            })
        }
        Command::Log(LogCommand::Show { since, limit }) => {
            let events = service(&cli.project)?.events(since, limit)?;
            out.value(&events, |out| {
                for event in &events {
                    out.line(&format!(
                        "{:>6} {} {:<16} {:<14} {}",
                        event.seq, event.recorded_at, event.recorded_by, event.kind, event.detail
                    ))?;
                }
                Ok(())
            })
        }
        Command::Verify { identity, head } => {
            let service = service(&cli.project)?;
            let anchor = head.map(|head| service.anchor(&head)).transpose()?;
            let identity = read_identity(&identity)?;
            let verified = service.verify(identity.as_ref(), anchor)?;
            let report = verified.report;
            // Not tampering, but a risk: others on this machine could read the witnesses' words or the keys.
            // Said before any problem is, so that it is never hidden by one.
            for (path, mode) in &verified.open_to_others {
                out.note(&format!(
                    "warning: {} is open to others on this machine (mode {mode:04o}); make it private: chmod {} {}",
                    path.display(),
                    if path.is_dir() { "700" } else { "600" },
                    path.display()
                ))?;
            }
            if let Some(error) = &verified.permissions_unread {
                out.note(&format!("warning: the project's permissions could not all be read: {error}"))?;
            }
            problems_fail(out, &report.problems, &report)?;
            out.value(&report, |out| {
                out.line(&format!(
                    "verified: {} custody events (tree head {}), {} attachments{}",
                    report.events,
                    report.tree_head,
                    report.attachments,
                    if report.contents_checked {
                        " opened and hashed".to_string()
                    } else if report.seals_not_logged > 0 {
                        format!(
                            ": {} sealed files checked against the log; {} sealed before clew logged sealed files \
                             only present (give --identity to hash their contents; `clew keys rotate` seals and \
                             logs them anew)",
                            report.seals_checked, report.seals_not_logged
                        )
                    } else {
                        " whose sealed files match the log (give --identity to hash their contents too)".to_string()
                    }
                ))
            })
        }
        Command::Attach { testimony, files, user: who, strip_metadata } => {
            let testimony = SourceId::new(&testimony).map_err(Failure::usage)?;
            let service = service(&cli.project)?;
            let who = actor(who)?;
            let mut progress = out.bar(files.len() as u64, "files sealed");
            let attached = service.attach(&who, &testimony, &files, strip_metadata, &mut |n| progress.set(n))?;
            progress.finish();
            out.value(&attached, |out| {
                for file in &attached {
                    let note = if file.already_attached { " (already attached)" } else { "" };
                    out.line(&format!("sha256 {}  {} bytes  {}{note}", file.sha256, file.size, file.media_type))?;
                    if let Some(original) = &file.original {
                        out.line(&stripped_line(original))?;
                    }
                    if file.metadata_kept {
                        out.note("    not an image: attached whole, with whatever metadata it carries")?;
                    }
                }
                Ok(())
            })
        }
        Command::Attachment(AttachmentCommand::List { testimony }) => {
            let testimony = SourceId::new(&testimony).map_err(Failure::usage)?;
            let attachments = service(&cli.project)?.attachments(&testimony)?;
            out.value(&attachments, |out| {
                for file in &attachments {
                    let a = &file.attachment;
                    out.line(&format!(
                        "sha256 {}  {} bytes  {}  added by {} at {}\n    {}",
                        a.sha256,
                        a.size,
                        a.media_type,
                        a.added_by,
                        a.added_at,
                        file.sealed_file.display()
                    ))?;
                    if let Some(original) = &a.original {
                        out.line(&stripped_line(original))?;
                    }
                }
                Ok(())
            })
        }
        Command::Package(command) => package(cli.project, &cli.passphrase_env, command, out),
        Command::Dossier(args) => dossier(&cli.project, &cli.passphrase_env, args, out),
        Command::Brief(BriefCommand::Sanctions(args)) => brief(&cli.project, args, out),
        Command::Assess { testimony, rules, record } => assess(cli.project, testimony, rules, record, out),
        Command::Screen { lists, format, queries, threshold, top, matches_only, record } => {
            let service = if queries.is_none() { Some(service(&cli.project)?) } else { None };
            let args = screen::ScreenArgs { lists, format, queries, threshold, top, matches_only, record };
            screen::screen(args, service.as_ref(), &actor(None)?, out)
        }
        Command::Lists(ListsCommand::Import { file, format, user: who }) => {
            let service = service(&cli.project)?;
            screen::import_list(&service, &file, format, &actor(who)?, out)
        }
        Command::Lists(ListsCommand::List) => screen::list_lists(&service(&cli.project)?, out),
        Command::Link(LinkCommand::Dedupe { file, args }) => {
            link::run(&[file], clew_link::blocking::Mode::Dedupe, &args, out)
        }
        Command::Link(LinkCommand::Pair { a, b, args }) => {
            link::run(&[a, b], clew_link::blocking::Mode::Link, &args, out)
        }
        Command::Link(LinkCommand::Run(args)) => link::run_project(&service(&cli.project)?, &args, out),
        Command::Link(LinkCommand::Review { schema, config, limit }) => {
            link::review(&service(&cli.project)?, &schema, config.as_deref(), limit, out)
        }
        Command::Link(LinkCommand::Histories { lists, schema, config, stratum, out: file }) => {
            let args = link::HistoryArgs {
                schema: &schema,
                config: config.as_deref(),
                lists: &lists,
                stratum: stratum.as_deref(),
                out: file.as_deref(),
            };
            link::histories(&service(&cli.project)?, &args, out)
        }
        Command::Link(LinkCommand::Judge { a, b, verdict, note, user: who }) => {
            link::judge(&service(&cli.project)?, &a, &b, &verdict, &note, &actor(who)?, out)
        }
        Command::Ledger { testimony, rates } => ledger(cli.project, testimony, rates, out),
        Command::Aggregate { by, resamples, seed } => aggregate(cli.project, by, resamples, seed, out),
        Command::Estimate(EstimateCommand::List) => estimate::list(&service(&cli.project)?, out),
        Command::Estimate(EstimateCommand::Population(args)) => estimate::population(&args, &cli.project, out),
        Command::Estimate(EstimateCommand::Revenue {
            workers,
            workers_from,
            workers_method,
            months,
            quota,
            employer_paid,
            state_share,
            rates,
            draws,
            seed,
            svg,
            csv,
            keep,
        }) => {
            // Refused before the ledgers are read, and the project found, when the title will not do.
            let keeping = match &keep {
                Some(title) => {
                    clew_service::estimate::checked_title(title)?;
                    Some((service(&cli.project)?, actor(None)?))
                }
                None => None,
            };
            let mut synthetic_workers = false;
            let workers = match (workers, &workers_from) {
                (Some(given), _) => given,
                (None, Some(path)) => {
                    let from = clew_service::estimate::workers_from(path, workers_method.as_deref())?;
                    out.note(&format!(
                        "Workers: the {} estimate's draws from {} ({}).",
                        from.method,
                        path.display(),
                        from.workers.describe()
                    ))?;
                    synthetic_workers = from.synthetic;
                    from.workers
                }
                (None, None) => return Err(Failure::usage("give --workers or --workers-from".to_string())),
            };
            let request = clew_service::estimate::RevenueRequest {
                workers,
                months,
                quota,
                employer_paid,
                state_share,
                draws,
                seed,
                synthetic_workers,
            };
            let ledgers = if request.needs_ledgers() {
                let service = service(&cli.project)?;
                let rates = rates_in_force(&service, rates, out)?;
                service.ledger_inputs(&rates, &clew_service::analysis::rules(None)?)?
            } else {
                Default::default()
            };
            let estimate = clew_service::estimate::estimate_revenue(&request, ledgers)?;
            // Made from synthetic ledgers, the files say so in themselves, not only on the terminal.
            if let Some(path) = &svg {
                clew_files::write_atomic(path, estimate.svg().as_bytes())?;
            }
            if let Some(path) = &csv {
                clew_files::write_atomic(path, estimate.csv().as_bytes())?;
            }
            if let (Some(title), Some((service, actor))) = (&keep, &keeping) {
                let kept = service.keep_estimate(actor, &estimate.to_keep(title)?)?;
                out.note(&format!("Kept in the project as estimate {}.", kept.number))?;
            }
            output::mark_synthetic(estimate.synthetic);
            let fitted = &estimate.ledgers;
            out.value(&estimate.json()?, |out| {
                output::print_revenue(out, &estimate.report, fitted.spells)?;
                if fitted.unconverted > 0 {
                    out.note(&format!(
                        "{} ledger amounts were not in US dollars and no rate converted them: they were left out \
                         (give --rates)",
                        fitted.unconverted
                    ))?;
                }
                if fitted.synthetic_spells > 0 {
                    out.note(&format!(
                        "{} of the {} ledgers are synthetic demo data: this estimate is fictional.",
                        fitted.synthetic_spells, fitted.spells
                    ))?;
                }
                Ok(())
            })
        }
        Command::User(command) => user(cli.project, command, out),
        Command::Serve {
            listen,
            insecure_cookies,
            safe_line_listen,
            safe_line_pepper,
            safe_line_exit,
            safe_line_per_network,
            safe_line_per_minute,
            safe_line_bytes_per_day,
        } => {
            let service = service(&cli.project)?;
            let pepper = match (&safe_line_listen, safe_line_pepper) {
                (Some(_), Some(path)) => path,
                (Some(_), None) => service.default_pepper_path()?,
                (None, _) => PathBuf::new(),
            };
            if safe_line_listen.is_some() {
                service.check_pepper_path(&pepper)?;
                out.note(&format!(
                    "clew serve: the safe line's pepper is {}: back it up apart from the project (without it, \
                     senders' codes open nothing)",
                    pepper.display()
                ))?;
            }
            if safe_line_listen.is_some() && service.caseworkers()?.is_empty() {
                out.note(
                    "warning: the safe line has no caseworker yet, so it refuses every message (nobody could read \
                     it): add one with `clew caseworker add`",
                )?;
            }
            let options = clew_server::Options { secure_cookies: !insecure_cookies };
            let safe_line = safe_line_listen.map(|address| {
                let options = clew_server::SafeLineOptions {
                    pepper,
                    exit: safe_line_exit,
                    per_network_per_hour: safe_line_per_network,
                    per_minute: safe_line_per_minute,
                    bytes_per_day: safe_line_bytes_per_day,
                };
                (address, options)
            });
            let note = |address: std::net::SocketAddr, line: Option<String>| {
                eprintln!("clew serve: listening on http://{address} (Ctrl-C stops it)");
                if let Some(line) = line {
                    eprintln!("clew serve: the safe line is on {line}, alone");
                }
            };
            clew_server::run(service, listen, options, safe_line, note)
                .map_err(|e| Failure::usage(format!("clew serve on {listen}: {e}")))
        }
        Command::Caseworker(command) => {
            let project = cli.project.clone();
            inbox::caseworker(|| service(&project), command, || actor(None), out)
        }
        Command::Inbox(args) => match &args.server {
            Some(url) => inbox::inbox(&inbox::Remote::new(url, args.token_file.as_deref())?, args.command, out),
            None => inbox::inbox(&service(&cli.project)?, args.command, out),
        },
        Command::Protected(ProtectedCommand::Show { testimony, identity }) => {
            let testimony = SourceId::new(&testimony).map_err(Failure::usage)?;
            let identity = read_identity(&identity)?.ok_or_else(|| Failure::usage("give --identity".to_string()))?;
            // Logged (who, when, which testimony) before anything is shown; wiped from memory when dropped.
            let plaintext = service(&cli.project)?.read_protected(&actor(None)?, &testimony, &identity)?;
            // Shown as stored (JSON), straight from the plaintext buffer: no copy of it is left in memory by
            // parsing and re-printing.
            let text = std::str::from_utf8(&plaintext)
                .map_err(|_| Failure::internal("protected data: not UTF-8 text".to_string()))?;
            out.line(text)
        }
    }
}

fn user(project: Option<PathBuf>, command: UserCommand, out: &mut Output) -> Result<(), Failure> {
    let service = service(&project)?;
    match command {
        UserCommand::Add { name, role, user: who } => {
            let issued = service.add_user(&actor(who)?, &name, role.role())?;
            show_credentials(out, &issued, "added")
        }
        UserCommand::Role { name, role, user: who } => match service.set_user_role(&actor(who)?, &name, role.role())? {
            Some(issued) => show_credentials(out, &issued, "given its new role, with new credentials"),
            None => out.value(&serde_json::json!({"name": name, "role": role.role().as_str()}), |out| {
                out.line(&format!("Account `{name}` is now {}; its sessions ended.", role.role().as_str()))
            }),
        },
        UserCommand::List => {
            let users = service.users()?;
            out.value(&users, |out| {
                if users.is_empty() {
                    out.line("No accounts yet: add one with `clew user add NAME --role admin`.")?;
                }
                for u in &users {
                    let mut state = Vec::new();
                    if u.disabled {
                        state.push("disabled");
                    }
                    if u.password_is_temporary {
                        state.push("one-time password not changed yet");
                    }
                    if u.second_factor {
                        state.push("second factor");
                    }
                    out.line(&format!(
                        "{:<24} {:<10} {}  (added by {} at {})",
                        u.name,
                        u.role,
                        state.join(", "),
                        u.created_by,
                        u.created_at
                    ))?;
                }
                Ok(())
            })
        }
        UserCommand::Disable { name, user: who } => {
            service.set_user_disabled(&actor(who)?, &name, true)?;
            out.line(&format!("Disabled account `{name}`: it can no longer sign in."))
        }
        UserCommand::Enable { name, user: who } => {
            service.set_user_disabled(&actor(who)?, &name, false)?;
            out.line(&format!("Enabled account `{name}` again."))
        }
        UserCommand::Token { name, label, user: who } => {
            let token = service.create_token(&actor(who)?, &name, &label)?;
            out.value(&serde_json::json!({"name": name, "label": label, "token": token.as_str()}), |out| {
                out.line(&format!("API token for `{name}` ({label}), shown this once: {}", token.as_str()))?;
                out.note("Keep it like a password: it acts as the account until the account is reset or disabled.")
            })
        }
        UserCommand::Reset { name, user: who } => {
            let issued = service.reset_user(&actor(who)?, &name)?;
            show_credentials(out, &issued, "reset")
        }
    }
}

/// Shows credentials given out once: the one-time password and the second factor.
fn show_credentials(
    out: &mut Output,
    issued: &clew_service::accounts::IssuedCredentials,
    done: &str,
) -> Result<(), Failure> {
    out.value(issued, |out| {
        out.line(&format!("Account `{}` ({}) {done}.", issued.name, issued.role.as_str()))?;
        out.line(&format!("One-time password (shown this once; changed at the first sign-in): {}", issued.password))?;
        if let Some(totp) = &issued.second_factor {
            out.line(&format!("Second factor: add this key to an authenticator app (TOTP): {}", totp.secret))?;
            out.line(&format!("  or open: {}", totp.uri))?;
        }
        out.note("Give these to the person in private (not by e-mail or chat that keeps them); nothing else can show them again.")
    })
}

fn package(
    cli_project: Option<PathBuf>,
    passphrase_env: &Option<String>,
    command: PackageCommand,
    out: &mut Output,
) -> Result<(), Failure> {
    match command {
        PackageCommand::Export { testimony, entity, audience, out: path, to, identity, user: who } => {
            let subject = match (testimony, entity) {
                (Some(id), _) => Subject::Testimony(SourceId::new(&id).map_err(Failure::usage)?),
                (None, Some(id)) => Subject::Entity(EntityId::new(&id).map_err(Failure::usage)?),
                (None, None) => return Err(Failure::usage("give --testimony ID or --entity ID".to_string())),
            };
            let seal_to = to.iter().map(|key| recipient_argument(key)).collect::<Result<Vec<_>, _>>()?;
            let custodian = read_identity(&identity)?;
            let service = service(&cli_project)?;
            service.can_package()?;
            let passphrase = required_passphrase(passphrase_env, false)?;
            let request =
                clew_service::disclosure::PackageRequest { subject, audience, seal_to, custodian: custodian.as_ref() };
            let report = service.export_package(&actor(who)?, request, &passphrase, &path)?;
            drop(passphrase);
            out.value(&report, |out| {
                out.line(&format!(
                    "Wrote {}: {} statement(s), {} segment(s), {} attachment(s), {} custody event(s) with inclusion proofs",
                    path.display(),
                    report.statements,
                    report.segments,
                    report.attachments,
                    report.events
                ))?;
                out.line(&format!(
                    "Signed tree head: size {}, head {} (export logged as event {})",
                    report.tree_size, report.tree_head, report.export_event
                ))?;
                for why in &report.left_out {
                    out.note(&format!("left out: {why}"))?;
                }
                out.note("Check it anywhere: clew package verify FILE, or the README inside (sha256sum, openssl, python3)")
            })
        }
        PackageCommand::Verify { file, identity, key } => {
            let key = key.as_deref().map(signing_key_hex).transpose()?;
            let identity = read_identity(&identity)?;
            let report = clew_service::disclosure::verify_package(&file, identity.as_ref(), key.as_deref())?;
            problems_fail(out, &report.problems, &report)?;
            out.value(&report, |out| {
                out.line(&format!(
                    "verified: {} file(s) match SHA256SUMS, which the export logged; {} custody event(s) proved in a log of {} (tree head {}), signed {} by key {}",
                    report.files, report.events, report.tree_size, report.tree_head, report.signed_at, report.signing_key
                ))?;
                if key.is_none() {
                    out.note("Make sure the signing key is the project's: compare it with the key it published, or pass --key HEX|PEM_FILE")?;
                }
                if report.synthetic {
                    out.note("The material is synthetic: fictional demo data.")?;
                }
                Ok(())
            })
        }
    }
}

fn aggregate(
    project: Option<PathBuf>,
    by: Option<GroupBy>,
    resamples: usize,
    seed: u64,
    out: &mut Output,
) -> Result<(), Failure> {
    use clew_service::analysis::GroupBy as By;
    let by = by.map(|by| match by {
        GroupBy::Sector => By::Sector,
        GroupBy::Region => By::Region,
        GroupBy::Year => By::Year,
        GroupBy::Visa => By::Visa,
    });
    let rows = service(&project)?.aggregate(by, resamples, seed)?;
    output::mark_synthetic(rows.synthetic);
    let taxonomy = clew_service::analysis::taxonomy()?;
    out.value(&rows.value, |out| output::print_aggregates(out, &rows.value, taxonomy))
}

/// The rate table in force (the service's choice), said on standard error.
fn rates_in_force(
    service: &clew_service::Service,
    explicit: Option<PathBuf>,
    out: &mut Output,
) -> Result<clew_assess::ledger::Rates, Failure> {
    use clew_service::RateTable;
    let found = service.rates(explicit.as_deref())?;
    out.note(&match &found.table {
        RateTable::Shipped => format!(
            "Rates: the table clew ships ({}: monthly means of the European Central Bank's reference rates); give \
             --rates FILE, or put rates.csv in the project, to use your own",
            clew_assess::ledger::SHIPPED_RATES_FILE
        ),
        RateTable::Own { file } => {
            format!("Rates: {}, then the table clew ships for the months it lacks", file.display())
        }
        RateTable::SyntheticOwn { file } => {
            format!("Rates: {} (synthetic project: the shipped table is not used)", file.display())
        }
    })?;
    Ok(found.rates)
}

/// Says which rates were missing, summarised by currency: those amounts have no US-dollar equivalent.
fn note_missing_rates(out: &mut Output, missing: &clew_assess::ledger::MissingRates) -> Result<(), Failure> {
    if missing.is_empty() {
        return Ok(());
    }
    out.note(&format!(
        "No US-dollar equivalent for amounts in months the rate table lacks (give --rates FILE with them):\n{missing}"
    ))
}

fn ledger(
    project: Option<PathBuf>,
    testimony: Option<String>,
    rates_file: Option<PathBuf>,
    out: &mut Output,
) -> Result<(), Failure> {
    let service = service(&project)?;
    let rates = rates_in_force(&service, rates_file, out)?;
    if let Some(id) = testimony {
        let id = SourceId::new(&id).map_err(Failure::usage)?;
        let found = service.testimony_ledgers(&id, &rates)?;
        output::mark_synthetic(found.synthetic);
        out.value(&found.value.ledgers, |out| output::print_ledgers(out, &found.value))?;
        return note_missing_rates(out, &found.value.missing);
    }
    let summary = service.ledger_summary(&rates)?;
    output::mark_synthetic(summary.synthetic);
    out.value(&summary.value, |out| output::print_ledger_summary(out, &summary.value))?;
    note_missing_rates(out, &summary.value.missing)
}

fn assess(
    project: Option<PathBuf>,
    testimony: Option<String>,
    rules_file: Option<PathBuf>,
    record: bool,
    out: &mut Output,
) -> Result<(), Failure> {
    let taxonomy = clew_service::analysis::taxonomy()?;
    let rules = clew_service::analysis::rules(rules_file.as_deref())?;
    let service = service(&project)?;
    if record {
        let report = service.record_assessments(&actor(None)?, &rules)?;
        return out.value(&report, |out| {
            out.line(&format!(
                "{} testimonies: {} assessments recorded, {} unchanged; {} derived statements written, {} retracted",
                report.testimonies, report.recorded, report.unchanged, report.statements, report.retracted
            ))
        });
    }
    if let Some(id) = testimony {
        let id = SourceId::new(&id).map_err(Failure::usage)?;
        let assessed = service.assess_testimony(&id, &rules)?;
        output::mark_synthetic(assessed.synthetic);
        return out.value(&assessed.value.assessment, |out| output::print_assessment(out, taxonomy, &assessed.value));
    }
    let summary = service.assess_all(&rules)?;
    output::mark_synthetic(summary.synthetic);
    out.value(&summary.value, |out| output::print_assessment_summary(out, taxonomy, &summary.value))
}

/// A list format named on the command line.
fn parse_format(text: &str) -> Result<clew_screen::lists::Format, String> {
    clew_screen::lists::Format::parse(text)
        .ok_or_else(|| format!("`{text}`: expected un-xml, ofac-csv, ofac-xml, ftm or csv"))
}

/// Shows every problem a check found and fails (exit 6) when there is any; the report goes with `--json`.
fn problems_fail(out: &mut Output, problems: &[String], report: &impl serde::Serialize) -> Result<(), Failure> {
    if problems.is_empty() {
        return Ok(());
    }
    for problem in problems {
        out.note(problem)?;
    }
    Err(Failure::verification(problems.len(), serde_json::to_value(report).ok()))
}

/// What stripping removed from an attachment, and its original's hash.
fn stripped_line(original: &clew_store::Original) -> String {
    let removed = if original.stripped.is_empty() { "nothing".to_string() } else { original.stripped.join(", ") };
    format!("    metadata stripped: {removed}; original sha256 {} ({} bytes)", original.sha256, original.size)
}

fn custodian(project: Option<PathBuf>, command: CustodianCommand, out: &mut Output) -> Result<(), Failure> {
    match command {
        CustodianCommand::New { out: path, comment } => {
            let made = clew_service::keys::new_custodian_files(&path, &comment)?;
            let (key, public_path) = (&made.public_key, &made.public_key_file);
            let value = serde_json::to_value(&made).map_err(|e| Failure::internal(e.to_string()))?;
            out.value(&value, |out| {
                out.line(&format!(
                    "Secret key written to {}: it stays with the custodian, off shared disks and never beside a \
                     project.",
                    path.display()
                ))?;
                out.line(&format!("Public key: {key} (also in {})", public_path.display()))?;
                out.line(&format!(
                    "Add it to a project: clew keys custodian add {} --label NAME",
                    public_path.display()
                ))
            })
        }
        CustodianCommand::Add { public_key, label } => {
            let key = recipient_argument(&public_key)?;
            let added = service(&project)?.add_custodian(&actor(None)?, &key, &label)?;
            out.line(&if added {
                format!("Added custodian `{label}`. Testimonies imported from now on are sealed to it too.")
            } else {
                "That key is already a custodian of this project.".to_string()
            })
        }
        CustodianCommand::Remove { public_key } => {
            let key = recipient_argument(&public_key)?;
            service(&project)?.remove_custodian(&actor(None)?, &key)?;
            out.line(&format!(
                "Removed custodian {key}. Data sealed before stays open to that key until you run `clew keys rotate`."
            ))
        }
        CustodianCommand::List => key_holders(
            out,
            &service(&project)?.custodians()?,
            "No custodians yet: add one with `clew keys custodian add age1...`.",
        ),
    }
}

/// Lists key holders (custodians, caseworkers): each public key, label, who added it and when; `empty` when
/// there are none.
fn key_holders(out: &mut Output, holders: &[clew_store::Custodian], empty: &str) -> Result<(), Failure> {
    out.value(&holders, |out| {
        if holders.is_empty() {
            out.line(empty)?;
        }
        for holder in holders {
            out.line(&format!(
                "{}  {}  (added by {} at {})",
                holder.public_key, holder.label, holder.added_by, holder.added_at
            ))?;
        }
        Ok(())
    })
}

/// The signing key's passphrase: from the environment variable named by --passphrase-env, else asked in
/// the terminal (twice when `confirm`), else none. It is wiped from memory when dropped.
fn passphrase(variable: &Option<String>, confirm: bool) -> Result<Option<zeroize::Zeroizing<String>>, Failure> {
    if let Some(variable) = variable {
        let value = std::env::var(variable)
            .map_err(|_| Failure::usage(format!("--passphrase-env: the environment variable {variable} is not set")))?;
        return Ok(Some(zeroize::Zeroizing::new(value)));
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        return Ok(None);
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt)
            .map(zeroize::Zeroizing::new)
            .map_err(|e| Failure::internal(format!("cannot read the passphrase: {e}")))
    };
    let first = ask("Passphrase of the project's keys: ")?;
    if confirm && *ask("Again: ")? != *first {
        return Err(Failure::usage("the two passphrases differ".to_string()));
    }
    Ok(Some(first))
}

/// The passphrase, when the command cannot go on without it.
fn required_passphrase(variable: &Option<String>, confirm: bool) -> Result<zeroize::Zeroizing<String>, Failure> {
    passphrase(variable, confirm)?.ok_or_else(|| {
        Failure::usage(
            "this needs the passphrase of the project's keys: run in a terminal, or give --passphrase-env VAR".into(),
        )
    })
}

/// A custodian's identity from secret key files (`--identity`): the service reads them.
fn read_identity(paths: &[PathBuf]) -> Result<Option<clew_vault::Identity>, Failure> {
    Ok(clew_service::keys::read_identity(paths)?)
}

/// A public key given on the command line (`age1...` or a `.pub` file).
fn recipient_argument(text: &str) -> Result<clew_vault::Recipient, Failure> {
    Ok(clew_service::keys::recipient(text)?)
}

fn directory_name(dir: &Path) -> String {
    std::path::absolute(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
        .unwrap_or_else(|| "clew".to_string())
}

fn import(project: Option<PathBuf>, args: ImportArgs, out: &mut Output) -> Result<(), Failure> {
    let format = match args.format {
        InputFormat::Testimony => clew_service::intake::ImportFormat::Testimony,
        InputFormat::Ftm => clew_service::intake::ImportFormat::Ftm {
            skip_unknown: args.skip_unknown,
            sensitivity: args.sensitivity.into(),
            source: args.source.as_deref().map(SourceId::new).transpose().map_err(Failure::usage)?,
        },
    };
    let inputs = clew_service::intake::Inputs::expand(&args.files)?;
    let service = service(&project)?;
    let who = actor(args.user)?;
    let mut progress = out.counter("read");
    let report = service.import(&who, &inputs, &format, args.dry_run, &mut |n| progress.set(n))?;
    progress.finish();
    report_import(out, &report, if args.dry_run { "checked (dry run, nothing written)" } else { "imported" })
}

fn report_import(out: &mut Output, report: &ImportReport, verb: &str) -> Result<(), Failure> {
    for warning in &report.warnings {
        out.note(&format!("warning: {warning}"))?;
    }
    if !report.diagnostics.is_empty() {
        let failure = Failure::invalid_with(report.diagnostics.clone(), serde_json::to_value(report).ok());
        return Err(if verb == "valid" { failure.checking_only() } else { failure });
    }
    out.value(report, |out| {
        let (records, files) = (report.records, report.files);
        out.line(&format!(
            "{records} record{} in {files} file{} {verb}",
            if records == 1 { "" } else { "s" },
            if files == 1 { "" } else { "s" }
        ))?;
        if report.new_sources + report.changed_sources + report.unchanged_sources > 0 {
            out.line(&format!(
                "sources: {} new, {} changed, {} unchanged; statements: {} written, {} retracted",
                report.new_sources,
                report.changed_sources,
                report.unchanged_sources,
                report.statements,
                report.retracted
            ))?;
        }
        Ok(())
    })
}

/// A project's signing key as given with `--key` (hex, or a file with hex or PEM).
fn signing_key_hex(text: &str) -> Result<String, Failure> {
    Ok(clew_service::keys::signing_key(text)?)
}

/// Writes `text` to `path` whole or not at all (private), or prints it when no path is given.
fn write_or_print(out: &mut Output, path: Option<&Path>, text: &str) -> Result<(), Failure> {
    match path {
        Some(path) => {
            clew_files::write_atomic(path, text.as_bytes())?;
            out.note(&format!("wrote {}", path.display()))
        }
        None => out.raw(text),
    }
}

/// `clew init`: the checks first, then the passphrase (asked, and checked, before anything is made), then the
/// service builds the project all or nothing.
fn init(
    dir: &Path,
    name: &str,
    no_keys: bool,
    passphrase_env: &Option<String>,
    out: &mut Output,
) -> Result<(), Failure> {
    clew_service::Service::can_init(dir)?;
    let passphrase = if no_keys {
        None
    } else {
        let passphrase = passphrase(passphrase_env, true)?.ok_or_else(|| {
            Failure::usage(
                "init needs a passphrase to lock the project's keys: run it in a terminal, give --passphrase-env \
                 VAR, or create the project with --no-keys and its keys later with `clew keys init`"
                    .into(),
            )
        })?;
        Some(passphrase)
    };
    let (service, keys) =
        clew_service::Service::init(dir, name, passphrase.as_deref().map(|p| p.as_str()), &actor(None)?)?;
    let project = service.project();
    let value = serde_json::json!({"created": project.dir, "name": project.config.name, "keys": keys});
    out.value(&value, |out| {
        out.line(&format!("Created clew project `{}` in {}", project.config.name, project.dir.display()))?;
        match &keys {
            Some(keys) => out.line(&format!(
                "Keys created, locked with the passphrase: signing key {}, project key {}",
                keys.signing_key, keys.project_key
            ))?,
            None => out.note("No project keys yet (--no-keys): create them with `clew keys init`")?,
        }
        out.line("Next: add two custodians (clew keys custodian new / add), then clew import FILE...")
    })
}

fn demo(args: DemoArgs, out: &mut Output) -> Result<(), Failure> {
    let target = args.dir;
    output::SYNTHETIC.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut progress = out.bar(args.testimonies, "synthetic testimonies");
    let built = clew_service::demo::build_demo(&target, args.testimonies, args.seed, &mut |n| progress.set(n));
    progress.finish();
    let clew_service::demo::Demo { report, seconds, stats, accounts } = built?;
    let rate = report.statements as f64 / seconds.max(1e-9);
    let summary = serde_json::json!({
        "dir": target,
        "testimonies": report.records,
        "statements": report.statements,
        "seconds": seconds,
        "statements_per_second": rate,
        "seed": args.seed,
        "stats": stats,
        "accounts": accounts,
    });
    out.value(&summary, |out| {
        output::print_demo_summary(
            clew_service::demo::DEMO_PASSPHRASE,
            out,
            &target,
            &report,
            seconds,
            &stats,
            &accounts,
        )
    })
}
