//! `newsidx serve`: the archive's search page and JSON API over HTTP.
//!
//! - [`live`] keeps the index live generation open and swaps in a new one when an ingest
//!   publishes it.
//! - [`params`] reads a request's search parameters, with the server's limits.
//! - [`pages`] renders the HTML pages (Bahasa Indonesia) from compile-time-checked templates in
//!   `templates/`, which escape every value; [`text`] cuts article text into highlighted runs.
//! - [`api`] answers the JSON routes.
//!
//! The server is read-only: no request names a file, every route reads the index through the
//! library. Searches run on tokio's blocking threads, each under a panic guard, behind a limit
//! on requests in flight and a time limit per request.

pub mod api;
pub mod live;
pub mod pages;
pub mod params;
pub mod text;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tower::limit::ConcurrencyLimitLayer;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

pub use live::Live;
use params::BadParam;

/// Longest a request may take before it is answered 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// Requests handled at once; more wait for a place (and time out after [`REQUEST_TIMEOUT`]).
/// Searches are CPU-bound, so a few per core keep the cores busy and the queue short.
pub const MAX_IN_FLIGHT: usize = 64;
/// The page's content security policy: its own style sheet and pictures, no script at all,
/// forms only to itself, never framed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// What every handler shares.
pub struct AppState {
    pub live: Arc<Live>,
}

/// Why a request was not answered with what it asked for.
#[derive(Debug)]
pub enum Failure {
    /// A parameter is missing or out of bounds: 400.
    BadParam(BadParam),
    /// No article or page by that name: 404.
    NotFound(String),
    /// No index can be opened: 503.
    Unavailable,
    /// The index failed to read: 500; the detail goes to the log, not to the client.
    Internal(String),
}

impl Failure {
    pub fn status(&self) -> StatusCode {
        match self {
            Failure::BadParam(_) => StatusCode::BAD_REQUEST,
            Failure::NotFound(_) => StatusCode::NOT_FOUND,
            Failure::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message shown to the client.
    pub fn public_message(&self) -> String {
        match self {
            Failure::BadParam(bad) => bad.to_string(),
            Failure::NotFound(what) => what.clone(),
            Failure::Unavailable => "no index can be opened yet; try again shortly".to_string(),
            Failure::Internal(_) => "the index could not be read".to_string(),
        }
    }
}

impl From<BadParam> for Failure {
    fn from(bad: BadParam) -> Failure {
        Failure::BadParam(bad)
    }
}

impl From<crate::Error> for Failure {
    fn from(error: crate::Error) -> Failure {
        Failure::Internal(error.to_string())
    }
}

/// Runs index work on a blocking thread, with a panic (a damaged file) answered as a failure.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    let outcome =
        tokio::task::spawn_blocking(move || crate::index::health::catch_panic(work)).await;
    let failure = match outcome {
        Ok(Ok(result)) => return result.inspect_err(log_failure),
        Ok(Err(message)) => Failure::Internal(format!("reading the index failed ({message})")),
        Err(error) => Failure::Internal(format!("the search task failed ({error})")),
    };
    log_failure(&failure);
    Err(failure)
}

fn log_failure(failure: &Failure) {
    if let Failure::Internal(detail) = failure {
        eprintln!("newsidx serve: {detail}");
    }
}

/// The server's routes, limits and headers over `state`.
pub fn router(state: Arc<AppState>) -> Router {
    let headers = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ));
    Router::new()
        .route("/", get(pages::search))
        .route("/cari", get(pages::search))
        .route("/artikel", get(pages::article))
        .route("/static/gaya.css", get(pages::style))
        .route("/api/search", get(api::search))
        .route("/api/article", get(api::article))
        .route("/api/stats", get(api::stats))
        .route("/healthz", get(api::health))
        .fallback(not_found)
        .with_state(state)
        .layer(
            ServiceBuilder::new()
                .layer(headers)
                .layer(CompressionLayer::new())
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::SERVICE_UNAVAILABLE,
                    REQUEST_TIMEOUT,
                ))
                .layer(ConcurrencyLimitLayer::new(MAX_IN_FLIGHT)),
        )
}

/// Any other path: JSON under `/api/`, a page elsewhere.
async fn not_found(uri: Uri) -> Response {
    let failure = Failure::NotFound(format!("no such page: {}", uri.path()));
    if uri.path().starts_with("/api/") {
        api::failure(&failure)
    } else {
        pages::failure(&failure, pages::Form::default())
    }
}

/// True when `addr` is reachable only from this machine.
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// Serves `state` on `listener` until `shutdown` completes, then finishes the requests under
/// way; watches the index for new generations meanwhile.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let watcher = tokio::spawn(watch(Arc::clone(&state.live)));
    let outcome = axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await;
    watcher.abort();
    outcome
}

/// Looks for a new generation every [`live::REFRESH_INTERVAL`], for ever.
pub async fn watch(live: Arc<Live>) {
    let mut ticks = tokio::time::interval(live::REFRESH_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let watched = Arc::clone(&live);
        let was = live.problem();
        let swapped = tokio::task::spawn_blocking(move || watched.refresh()).await;
        if let (Ok(true), Some(opened)) = (swapped, live.get()) {
            eprintln!(
                "newsidx serve: now serving {}",
                opened
                    .news
                    .dir
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
            );
        }
        let now = live.problem();
        if now != was {
            match now {
                Some(problem) => eprintln!("newsidx serve: {problem}"),
                None => eprintln!("newsidx serve: index open"),
            }
        }
    }
}

/// Completes on SIGTERM or SIGINT (Ctrl-C).
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let terminate = signal(SignalKind::terminate());
        let interrupt = signal(SignalKind::interrupt());
        match (terminate, interrupt) {
            (Ok(mut terminate), Ok(mut interrupt)) => {
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = interrupt.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
