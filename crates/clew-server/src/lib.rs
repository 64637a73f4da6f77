//! `clew serve`: the team's web application and its JSON API, on one listener. This is the only crate that
//! knows HTTP; every operation is `clew-service`'s, called from tokio's blocking pool (the store is
//! synchronous). It decides nothing the CLI would not: it reads requests, asks the service, and renders what
//! comes back as HTML in the reader's language or as JSON.
//!
//! The parts: `routes` (every route with who may use it: the role × route matrix, enforced by `guard` in one
//! place), `frame` (what every response gets: a request id, the language, security headers, errors rendered),
//! `i18n` (English, Korean, Russian), `html` (the page layout), and one module per area of pages.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use clew_service::Service;

pub mod brief;
mod chart;
pub mod dossier;
pub mod dossier_pdf;
mod failure;
mod frame;
mod graph;
mod guard;
mod html;
pub mod i18n;
mod limiter;
mod map;
mod openapi;
mod pages;
pub mod routes;
mod safe_line;

pub use failure::Failure;
pub use routes::{Permission, RouteSpec};
pub use safe_line::{BYTES_PER_DAY, Line, PER_MINUTE, PER_NETWORK_PER_HOUR, SafeLineOptions};

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Whether cookies carry `Secure` (sent over HTTPS only). Browsers treat `http://localhost` and
    /// `http://127.0.0.1` as secure, so it stays on even there; turn it off only for plain HTTP on another name.
    pub secure_cookies: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options { secure_cookies: true }
    }
}

/// The application: the service, and what the server keeps between requests (sign-in throttling).
#[derive(Clone)]
pub struct App(Arc<Inner>);

struct Inner {
    service: Arc<Service>,
    options: Options,
    limiter: Mutex<limiter::Limiter>,
    verify_job: pages::verify::Shared,
    /// Service operations running at once (see [`OPERATIONS`]).
    operations: Arc<tokio::sync::Semaphore>,
    /// Password checks running at once (see [`PASSWORD_CHECKS`]).
    password_checks: tokio::sync::Semaphore,
}

/// The most service operations the server runs at once; more requests wait their turn. Measured on two cores
/// (bench/web.sh): sixteen at once spent a third of the time contending for SQLite's locks; a few keep the
/// cores busy, and each running operation holds a database connection and its cache.
pub const OPERATIONS: usize = 4;

/// The most password checks (Argon2id, 19 MiB each) at once: a flood of sign-ins must not exhaust memory.
const PASSWORD_CHECKS: usize = 2;

impl App {
    /// The application over a project's service.
    pub fn new(service: Service, options: Options) -> App {
        App(Arc::new(Inner {
            service: Arc::new(service),
            options,
            limiter: Mutex::new(limiter::Limiter::default()),
            verify_job: Default::default(),
            operations: Arc::new(tokio::sync::Semaphore::new(OPERATIONS)),
            password_checks: tokio::sync::Semaphore::new(PASSWORD_CHECKS),
        }))
    }

    /// Runs a service operation on the blocking pool (the store is synchronous and may wait for a lock).
    pub(crate) async fn run<T, F>(&self, operation: F) -> Result<T, Failure>
    where
        T: Send + 'static,
        F: FnOnce(&Service) -> clew_service::Result<T> + Send + 'static,
    {
        let service = Arc::clone(&self.0.service);
        // The semaphore is never closed; a failure to acquire would only mean running without the bound. The
        // turn goes with the operation onto its thread and ends when the operation does: a request given up (its
        // 30 seconds over, its client gone) cannot stop a store read midway, but its operation still counts
        // until it ends, so abandoned requests cannot pile up work beyond the bound.
        let turn = Arc::clone(&self.0.operations).acquire_owned().await.ok();
        let blocking = move || {
            let _turn = turn;
            operation(&service)
        };
        match tokio::task::spawn_blocking(blocking).await {
            Ok(result) => result.map_err(Failure::from),
            Err(join) => Err(Failure::internal(format!("a service operation ended abnormally: {join}"))),
        }
    }

    /// Runs a service operation that checks a password (Argon2id), a few at a time.
    pub(crate) async fn run_password_check<T, F>(&self, operation: F) -> Result<T, Failure>
    where
        T: Send + 'static,
        F: FnOnce(&Service) -> clew_service::Result<T> + Send + 'static,
    {
        let _turn = self.0.password_checks.acquire().await.ok();
        self.run(operation).await
    }

    /// The service the application runs over (the safe line shares it).
    pub fn service(&self) -> Arc<Service> {
        Arc::clone(&self.0.service)
    }

    pub(crate) fn options(&self) -> &Options {
        &self.0.options
    }

    pub(crate) fn verify_job(&self) -> &pages::verify::Shared {
        &self.0.verify_job
    }

    pub(crate) fn limiter(&self) -> std::sync::MutexGuard<'_, limiter::Limiter> {
        // A panic while holding it left only counters behind: they are still usable.
        self.0.limiter.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The router: every route of `routes::ROUTES`, each behind the guard, inside the frame.
pub fn app(app: App) -> axum::Router {
    routes::router(app)
}

/// Seconds since the Unix epoch.
pub(crate) fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// Serves a project's application on `address` until Ctrl-C or SIGTERM, on a runtime of its own (what
/// `clew serve` runs), and the safe line on a listener of its own when asked; `ready` is told the addresses
/// once listening.
pub fn run(
    service: Service,
    address: SocketAddr,
    options: Options,
    safe_line: Option<(LineAddress, SafeLineOptions)>,
    ready: impl FnOnce(SocketAddr, Option<String>),
) -> Result<(), RunError> {
    // Blocking threads beyond the operations that may run at once (and the verify job, and the safe line's
    // derivations) would only wait.
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().max_blocking_threads(OPERATIONS + 8).build()?;
    runtime.block_on(async move {
        let app = App::new(service, options);
        let line = match safe_line {
            Some((line_address, line_options)) => {
                let line = Line::new(app.service(), line_options).map_err(RunError::Service)?;
                Some((LineListener::bind(&line_address).await?, line))
            }
            None => None,
        };
        let listener = tokio::net::TcpListener::bind(address).await?;
        let line_address = match &line {
            Some((listener, _)) => Some(listener.address()?),
            None => None,
        };
        ready(listener.local_addr()?, line_address);
        match line {
            Some((line_listener, line)) => {
                let senders = async move {
                    match line_listener {
                        LineListener::Tcp(listener) => serve_safe_line(line, listener).await,
                        LineListener::Unix(listener) => serve_safe_line_unix(line, listener).await,
                    }
                };
                let (staff, senders) = tokio::join!(serve(app, listener), senders);
                staff.and(senders).map_err(RunError::Io)
            }
            None => serve(app, listener).await.map_err(RunError::Io),
        }
    })
}

/// Where the safe line listens: an address and port, or a Unix socket (`unix:/PATH`), which an onion service
/// on the same machine can be pointed at without a port open on any interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineAddress {
    /// An address and port.
    Tcp(SocketAddr),
    /// A Unix socket's path.
    Unix(std::path::PathBuf),
}

impl std::str::FromStr for LineAddress {
    type Err = String;
    fn from_str(text: &str) -> Result<LineAddress, String> {
        if let Some(path) = text.strip_prefix("unix:") {
            if path.is_empty() {
                return Err("unix: needs a path, e.g. unix:/run/clew/line.sock".into());
            }
            return Ok(LineAddress::Unix(path.into()));
        }
        text.parse().map(LineAddress::Tcp).map_err(|_| {
            format!("`{text}` is neither an address and port (127.0.0.1:8081) nor a Unix socket (unix:/PATH)")
        })
    }
}

enum LineListener {
    Tcp(tokio::net::TcpListener),
    Unix(tokio::net::UnixListener),
}

impl LineListener {
    async fn bind(address: &LineAddress) -> std::io::Result<LineListener> {
        match address {
            LineAddress::Tcp(address) => Ok(LineListener::Tcp(tokio::net::TcpListener::bind(address).await?)),
            LineAddress::Unix(path) => {
                // A socket left by an earlier run is replaced; any other file is not.
                use std::os::unix::fs::FileTypeExt;
                if let Ok(metadata) = std::fs::symlink_metadata(path) {
                    if !metadata.file_type().is_socket() {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::AlreadyExists,
                            format!("{} exists and is not a socket", path.display()),
                        ));
                    }
                    std::fs::remove_file(path)?;
                }
                let listener = tokio::net::UnixListener::bind(path)?;
                // The owner and its group (the onion service's user, put in it) may connect; nobody else.
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o660))?;
                Ok(LineListener::Unix(listener))
            }
        }
    }

    fn address(&self) -> std::io::Result<String> {
        Ok(match self {
            LineListener::Tcp(listener) => format!("http://{}", listener.local_addr()?),
            LineListener::Unix(listener) => {
                let address = listener.local_addr()?;
                format!("unix:{}", address.as_pathname().map(|p| p.display().to_string()).unwrap_or_default())
            }
        })
    }
}

/// Why `clew serve` could not run.
#[derive(Debug)]
pub enum RunError {
    /// A listener could not be bound, or serving failed.
    Io(std::io::Error),
    /// The safe line could not start (its pepper or database).
    Service(clew_service::Error),
}

impl From<std::io::Error> for RunError {
    fn from(error: std::io::Error) -> RunError {
        RunError::Io(error)
    }
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Io(error) => write!(f, "{error}"),
            RunError::Service(error) => write!(f, "the safe line: {}", error.message()),
        }
    }
}

/// The safe line's router, for a listener of its own.
pub fn safe_line_app(line: Line) -> axum::Router {
    safe_line::router(line)
}

/// Serves the safe line on `listener` until Ctrl-C or SIGTERM.
pub async fn serve_safe_line(line: Line, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let router = safe_line::router(line).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, router).with_graceful_shutdown(shutdown()).await
}

/// Serves the safe line on a Unix socket until Ctrl-C or SIGTERM. Senders through it have no address of their
/// own: they count only towards the whole line's limits, as loopback senders do.
pub async fn serve_safe_line_unix(line: Line, listener: tokio::net::UnixListener) -> std::io::Result<()> {
    axum::serve(listener, safe_line::router(line)).with_graceful_shutdown(shutdown()).await
}

/// Serves the application on `listener` until Ctrl-C or SIGTERM. What the pages read from indexes (the
/// testimonies' summaries, the names searched) is built in the background at once, so that the first reader
/// does not wait for it (on 100,000 testimonies, about half a minute).
pub async fn serve(app: App, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let warming = app.clone();
    tokio::spawn(async move {
        let built = warming
            .run(|service| {
                service.prepare_testimonies()?;
                service.search_index_info()?;
                service.assessment_overview()?;
                Ok(())
            })
            .await;
        if let Err(failure) = built {
            eprintln!("clew serve: building the indexes: {}: {}", failure.code().as_str(), failure.logged());
        }
    });
    let router = self::app(app).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, router).with_graceful_shutdown(shutdown()).await
}

async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_abandoned_operation_keeps_its_turn_until_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("demo");
        clew_service::demo::build_demo(&project, 3, 7, &mut |_| {}).unwrap();
        let app = App::new(Service::open(&project).unwrap(), Options::default());
        let slow = app.run(|_| {
            std::thread::sleep(std::time::Duration::from_millis(600));
            Ok(())
        });
        assert!(tokio::time::timeout(std::time::Duration::from_millis(100), slow).await.is_err(), "given up");
        assert_eq!(app.0.operations.available_permits(), OPERATIONS - 1, "the operation still runs, and counts");
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert_eq!(app.0.operations.available_permits(), OPERATIONS, "its turn ends with it");
    }
}
