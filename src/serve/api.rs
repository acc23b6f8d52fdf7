//! The JSON routes: `/api/search` (what `search --json` prints), `/api/article` (what `show
//! --json` prints), `/api/stats` (what `stats --json` prints, the index named by its folder
//! only), and `/healthz`. Failures are `{"error": MESSAGE, "status": CODE}` with that status.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::params::{first, pairs, SearchParams, MAX_ID_BYTES};
use super::{blocking, text, AppState, Failure};
use crate::search::search as run_search;

/// A JSON body with `status`.
fn json_bytes(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn json<T: Serialize>(value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => json_bytes(StatusCode::OK, body),
        Err(error) => failure(&Failure::Internal(error.to_string())),
    }
}

/// `failure` as a JSON error with its status.
pub fn failure(failure: &Failure) -> Response {
    #[derive(Serialize)]
    struct ErrorBody {
        error: String,
        status: u16,
    }
    let status = failure.status();
    let body = ErrorBody {
        error: failure.public_message(),
        status: status.as_u16(),
    };
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    json_bytes(status, bytes)
}

fn respond(outcome: Result<Response, Failure>) -> Response {
    outcome.unwrap_or_else(|error| failure(&error))
}

/// `/api/search?q=…`: the results as `newsidx search --json` prints them.
pub async fn search(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    respond(
        async {
            let params = SearchParams::parse(&pairs(raw.as_deref()))?;
            let opened = state.live.get().ok_or(Failure::Unavailable)?;
            let body = blocking(move || {
                let results = run_search(&opened.news, &params.request())?;
                results
                    .to_json()
                    .map_err(|error| Failure::Internal(error.to_string()))
            })
            .await?;
            Ok(json_bytes(StatusCode::OK, body))
        }
        .await,
    )
}

/// `/api/article?id=…`: one stored article as `newsidx show --json` prints it.
pub async fn article(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    respond(
        async {
            let id = article_id(&pairs(raw.as_deref()))?;
            let opened = state.live.get().ok_or(Failure::Unavailable)?;
            let found = blocking(move || {
                text::find_article(&opened.news, &id)?
                    .ok_or_else(|| Failure::NotFound(format!("no article with id {id:?}")))
            })
            .await?;
            Ok(json(&found))
        }
        .await,
    )
}

/// The `id` parameter of an article request.
pub fn article_id(pairs: &[(String, String)]) -> Result<String, Failure> {
    let id = first(pairs, "id").unwrap_or_default();
    if id.is_empty() || id.len() > MAX_ID_BYTES {
        return Err(Failure::BadParam(super::params::BadParam {
            name: "id",
            reason: format!("an article id of 1 to {MAX_ID_BYTES} bytes is required"),
        }));
    }
    Ok(id.to_string())
}

/// `/api/stats`: what the index holds.
pub async fn stats(State(state): State<Arc<AppState>>) -> Response {
    respond(
        async {
            let opened = state.live.get().ok_or(Failure::Unavailable)?;
            let stats = blocking(move || Ok(opened.stats()?)).await?;
            let mut shown = (*stats).clone();
            // The folder's name only: the server's file layout is not the client's business.
            shown.index = state
                .live
                .path()
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok(json(&shown))
        }
        .await,
    )
}

/// `/healthz`: 200 with the article count while an index is open, 503 while none is.
pub async fn health(State(state): State<Arc<AppState>>) -> Response {
    #[derive(Serialize)]
    struct Health {
        status: &'static str,
        documents: u64,
        generation: String,
    }
    let Some(opened) = state.live.get() else {
        return failure(&Failure::Unavailable);
    };
    let documents = match opened.news.reader() {
        Ok(reader) => reader.searcher().num_docs(),
        Err(error) => return failure(&Failure::from(error)),
    };
    json(&Health {
        status: "ok",
        documents,
        generation: opened
            .news
            .dir
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
    })
}
