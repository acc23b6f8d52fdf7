//! `newsidx serve`: every route and status code through the router, escaping of hostile
//! article text on every page, and, with the real binary on a loopback port, a generation swap
//! under load and a graceful stop on SIGTERM.

mod serve_common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use newsidx::serve::{router, AppState, Live};
use serve_common::*;
use tower::ServiceExt;

struct Fixture {
    dir: tempfile::TempDir,
    app: axum::Router,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temporary folder");
        build_index(&dir.path().join("corpus"), &dir.path().join("index"));
        let live = Live::open(&dir.path().join("index"));
        assert!(live.get().is_some(), "index opens: {:?}", live.problem());
        let app = router(Arc::new(AppState {
            live: Arc::new(live),
        }));
        Fixture { dir, app }
    }
}

struct Reply {
    status: StatusCode,
    content_type: String,
    csp: String,
    nosniff: String,
    body: String,
}

async fn call(app: &axum::Router, method: Method, uri: &str) -> Reply {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let content_type = header(header::CONTENT_TYPE);
    let csp = header(header::CONTENT_SECURITY_POLICY);
    let nosniff = header(header::X_CONTENT_TYPE_OPTIONS);
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
        .await
        .expect("body");
    Reply {
        status,
        content_type,
        csp,
        nosniff,
        body: String::from_utf8(bytes.to_vec()).expect("utf-8 body"),
    }
}

async fn get_ok(app: &axum::Router, uri: &str) -> Reply {
    let reply = call(app, Method::GET, uri).await;
    assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.body);
    reply
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn json(reply: &Reply) -> serde_json::Value {
    assert!(
        reply.content_type.starts_with("application/json"),
        "{}",
        reply.content_type
    );
    serde_json::from_str(&reply.body).expect("JSON body")
}

/// Asserts that a page shows no hostile text as markup: the page itself has no script and no
/// event handler, so any `<script`, `onmouseover="` or `</textarea>` would be the article's.
fn assert_escaped(page: &str, what: &str) {
    for raw in [
        "<script",
        "</script",
        "onmouseover=\"",
        "</textarea>",
        "alert('",
    ] {
        assert!(
            !page.contains(raw),
            "{what}: {raw:?} reached the page as markup"
        );
    }
}

#[tokio::test]
async fn pages_answer_with_their_status_and_headers() {
    let fixture = Fixture::new();
    let app = &fixture.app;

    let home = get_ok(app, "/").await;
    assert!(home.content_type.starts_with("text/html"));
    assert!(home.body.contains("<html lang=\"id\">"));
    assert!(
        home.body.contains("Cara menulis kueri"),
        "the query language is explained"
    );
    assert!(home.csp.contains("default-src 'none'") && !home.csp.contains("unsafe-inline"));
    assert!(
        !home.csp.contains("script-src"),
        "no script source is allowed at all"
    );
    assert_eq!(home.nosniff, "nosniff");

    let results = get_ok(app, "/cari?q=banjir+bekasi").await;
    assert!(results.body.contains(BEST_TITLE), "the best hit is listed");
    let first_hit = results.body.find("class=\"hit\"").expect("a hit");
    let first_title = results.body[first_hit..].find(BEST_TITLE);
    let second_hit = results.body[first_hit + 1..].find("class=\"hit\"");
    assert!(
        first_title < second_hit,
        "the best article is the first hit"
    );
    assert!(
        results.body.contains("<mark>Bekasi</mark>"),
        "matched forms are marked"
    );
    assert!(
        results.body.contains("id=\"berikutnya\""),
        "more than one page"
    );
    assert!(results.csp.contains("default-src 'none'"));

    // The untitled article is shown under its lead, marked as such.
    let untitled = get_ok(app, "/cari?q=kebon+jeruk").await;
    assert!(untitled.body.contains("[tanpa judul]"));
    assert!(untitled
        .body
        .contains("Hujan deras sejak subuh membuat kali meluap"));

    // Copies of one story fold under the first, with a link to the other.
    let copies = get_ok(app, "/cari?q=longsor").await;
    assert!(copies.body.contains("juga dimuat di:"), "{}", copies.body);
    assert_eq!(copies.body.matches("class=\"hit\"").count(), 1);

    // A source filter narrows the results and is shown with its removal link.
    let filtered = get_ok(
        app,
        &format!("/cari?q=banjir&source={}", encode(SMALL_SOURCE)),
    )
    .await;
    assert_eq!(
        filtered.body.matches("class=\"sumber-hit\"").count(),
        SMALL_COUNT,
        "{}",
        filtered.body
    );
    assert!(filtered.body.contains("hapus saringan"));
    assert!(!filtered.body.contains(&format!(">{BIG_SOURCE}</span>")));

    // Paging: the second page starts at the 11th hit, links back, and the offset limit holds.
    let second = get_ok(app, "/cari?q=banjir&offset=10").await;
    assert!(second.body.contains("menampilkan 11–20"), "{}", second.body);
    assert!(second.body.contains("id=\"sebelumnya\""));

    let none = get_ok(app, "/cari?q=zyxwvutqp").await;
    assert!(none.body.contains("id=\"tanpa-hasil\""));

    // A malformed query is read leniently and says so.
    let malformed = get_ok(app, "/cari?q=%22banjir+bekasi").await;
    assert!(
        malformed.body.contains("class=\"catatan\""),
        "{}",
        malformed.body
    );
    assert!(malformed.body.contains(BEST_TITLE));

    let article = get_ok(
        app,
        &format!(
            "/artikel?id={}&q=banjir",
            encode("https://kabarbekasi.example.id/banjir-bekasi-mengungsi")
        ),
    )
    .await;
    assert!(article.body.contains(BEST_TITLE));
    assert!(article.body.contains("<mark>Banjir</mark> merendam Bekasi"));
    assert!(article.body.contains("Dewi Lestari"));
    assert!(article
        .body
        .contains("href=\"https://kabarbekasi.example.id/banjir-bekasi-mengungsi\""));
    let untitled_article = get_ok(app, &format!("/artikel?id={}", encode(UNTITLED_ID))).await;
    assert!(untitled_article.body.contains("[tanpa judul]"));

    let style = get_ok(app, "/static/gaya.css").await;
    assert!(style.content_type.starts_with("text/css"));

    for (uri, status) in [
        (
            "/artikel?id=https%3A%2F%2Fnowhere.example%2Fx",
            StatusCode::NOT_FOUND,
        ),
        ("/artikel", StatusCode::BAD_REQUEST),
        ("/tidak-ada", StatusCode::NOT_FOUND),
        ("/static/../Cargo.toml", StatusCode::NOT_FOUND),
        ("/cari?q=banjir&limit=101", StatusCode::BAD_REQUEST),
        ("/cari?q=banjir&offset=10001", StatusCode::BAD_REQUEST),
        ("/cari?q=banjir&since=kemarin", StatusCode::BAD_REQUEST),
        ("/cari?q=banjir&sort=acak", StatusCode::BAD_REQUEST),
    ] {
        let reply = call(app, Method::GET, uri).await;
        assert_eq!(reply.status, status, "{uri}");
        assert!(reply.content_type.starts_with("text/html"), "{uri}");
        assert!(reply
            .body
            .contains(&format!("data-status=\"{}\"", status.as_u16())));
        assert!(reply.csp.contains("default-src 'none'"), "{uri}");
    }
    let long = format!("/cari?q={}", "a".repeat(1_001));
    assert_eq!(
        call(app, Method::GET, &long).await.status,
        StatusCode::BAD_REQUEST
    );
    let longest = format!("/cari?q={}", "a".repeat(1_000));
    assert_eq!(
        call(app, Method::GET, &longest).await.status,
        StatusCode::OK
    );
    assert_eq!(
        call(app, Method::POST, "/cari?q=banjir").await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[tokio::test]
async fn the_api_answers_like_the_command_line() {
    let fixture = Fixture::new();
    let app = &fixture.app;
    let index = fixture.dir.path().join("index");
    let cli = |args: &[&str]| -> serde_json::Value {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_newsidx"))
            .arg("--index")
            .arg(&index)
            .args(args)
            .output()
            .expect("run newsidx");
        assert!(output.status.success());
        serde_json::from_slice(&output.stdout).expect("JSON")
    };

    let mut api = json(
        &get_ok(
            app,
            "/api/search?q=banjir+bekasi&limit=5&offset=2&sort=newest",
        )
        .await,
    );
    let mut printed = cli(&[
        "search",
        "banjir bekasi",
        "--json",
        "--limit",
        "5",
        "--offset",
        "2",
        "--sort",
        "newest",
    ]);
    for value in [&mut api, &mut printed] {
        value["took_ms"] = serde_json::Value::Null;
    }
    assert_eq!(api, printed, "/api/search is `search --json`");
    assert_eq!(api["hits"].as_array().map(Vec::len), Some(5));

    let mut filtered = json(
        &get_ok(
            app,
            &format!(
                "/api/search?q=banjir&since=2023-03&source={}",
                encode(BIG_SOURCE)
            ),
        )
        .await,
    );
    let mut printed = cli(&[
        "search", "banjir", "--json", "--since", "2023-03", "--source", BIG_SOURCE,
    ]);
    for value in [&mut filtered, &mut printed] {
        value["took_ms"] = serde_json::Value::Null;
    }
    assert_eq!(filtered, printed);

    let article = json(&get_ok(app, &format!("/api/article?id={}", encode(HOSTILE_ID))).await);
    assert_eq!(
        article,
        cli(&["show", HOSTILE_ID, "--json"]),
        "/api/article is `show --json`"
    );

    let stats = json(&get_ok(app, "/api/stats").await);
    let mut printed = cli(&["stats", "--json"]);
    printed["index"] = serde_json::Value::String("index".to_string());
    assert_eq!(
        stats, printed,
        "/api/stats is `stats --json`, the folder named only"
    );

    let health = json(&get_ok(app, "/healthz").await);
    assert_eq!(health["status"], "ok");
    assert_eq!(health["documents"], stats["documents"]);

    for (uri, status) in [
        ("/api/search?q=banjir&limit=0", StatusCode::BAD_REQUEST),
        ("/api/search?q=banjir&limit=101", StatusCode::BAD_REQUEST),
        ("/api/search?q=banjir&offset=10001", StatusCode::BAD_REQUEST),
        (
            "/api/search?q=banjir&until=31-31-2023",
            StatusCode::BAD_REQUEST,
        ),
        ("/api/search?q=banjir&facets=maybe", StatusCode::BAD_REQUEST),
        ("/api/article", StatusCode::BAD_REQUEST),
        ("/api/article?id=nowhere", StatusCode::NOT_FOUND),
        ("/api/nothing", StatusCode::NOT_FOUND),
    ] {
        let reply = call(app, Method::GET, uri).await;
        assert_eq!(reply.status, status, "{uri}: {}", reply.body);
        let body = json(&reply);
        assert_eq!(body["status"], status.as_u16(), "{uri}");
        assert!(body["error"]
            .as_str()
            .is_some_and(|error| !error.is_empty()));
        assert_eq!(reply.nosniff, "nosniff");
    }
    let long = format!("/api/search?q={}", "b".repeat(1_001));
    assert_eq!(
        call(app, Method::GET, &long).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn without_an_index_every_route_answers_503_until_one_appears() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let index = dir.path().join("index");
    let live = Arc::new(Live::open(&index));
    let app = router(Arc::new(AppState {
        live: Arc::clone(&live),
    }));
    for uri in [
        "/",
        "/cari?q=banjir",
        "/artikel?id=x",
        "/api/search?q=banjir",
        "/api/article?id=x",
        "/api/stats",
        "/healthz",
    ] {
        let reply = call(&app, Method::GET, uri).await;
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{uri}");
        assert!(
            !reply.body.contains(dir.path().to_str().unwrap_or("?")),
            "no server path leaks"
        );
    }
    build_index(&dir.path().join("corpus"), &index);
    assert!(live.refresh(), "the new index is picked up");
    assert_eq!(
        call(&app, Method::GET, "/healthz").await.status,
        StatusCode::OK
    );
    assert_eq!(
        call(&app, Method::GET, "/cari?q=banjir").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn hostile_article_text_reaches_every_page_as_text() {
    let fixture = Fixture::new();
    let app = &fixture.app;
    // The hostile article among results, searched for by its markup-like words too.
    for uri in [
        "/cari?q=banjir+pondok+ungu".to_string(),
        format!("/cari?q={}", encode("script alert textarea onmouseover")),
        format!(
            "/cari?q={}",
            encode(&format!("{SCRIPT} {ATTRIBUTE} {TEXTAREA}"))
        ),
        format!("/artikel?id={}&q=banjir+script", encode(HOSTILE_ID)),
        format!("/artikel?id={}&q={}", encode(HOSTILE_ID), encode(SCRIPT)),
        format!("/artikel?id={}", encode(&format!("{HOSTILE_ID}{SCRIPT}"))),
        format!("/cari?q=banjir&since={}", encode(SCRIPT)),
        format!("/cari?q=banjir&source={}", encode(ATTRIBUTE)),
        format!("/tidak-ada{}", encode(TEXTAREA)),
        format!("/?q={}", encode(TEXTAREA)),
    ] {
        let reply = call(app, Method::GET, &uri).await;
        assert_escaped(&reply.body, &uri);
    }
    // And it is there, as text: title, byline, caption and body.
    let article = get_ok(app, &format!("/artikel?id={}&q=banjir", encode(HOSTILE_ID))).await;
    for shown in [
        "&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;",
        "&#34; onmouseover=&#34;alert(&#39;y&#39;)",
        "&#60;/textarea&#62;",
    ] {
        assert!(
            article.body.matches(shown).count() >= 4,
            "{shown} in title, byline, caption, body:\n{}",
            article.body
        );
    }
    let results = get_ok(app, "/cari?q=banjir+pondok+ungu").await;
    assert!(results
        .body
        .contains("Pondok &#34; onmouseover=&#34;alert(&#39;y&#39;) Ungu"));
    assert!(
        results.body.contains("Rudi &#34; onmouseover"),
        "the byline, escaped"
    );
    // The JSON carries the text as it is.
    let api = json(&get_ok(app, &format!("/api/article?id={}", encode(HOSTILE_ID))).await);
    assert!(api["title"]
        .as_str()
        .is_some_and(|title| title.contains(SCRIPT)));
}

#[test]
fn the_terminal_shows_an_untitled_article_under_its_lead() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let index = dir.path().join("index");
    build_index(&dir.path().join("corpus"), &index);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_newsidx"))
        .arg("--index")
        .arg(&index)
        .args(["search", "kebon jeruk", "--color", "never"])
        .output()
        .expect("run newsidx");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        printed.contains("1. [no title] Hujan deras sejak subuh membuat kali meluap dan banjir menggenangi permukiman di…"),
        "{printed}"
    );
}

/// The real server over a loopback port: requests keep succeeding while an incremental ingest
/// adds articles and a full rebuild swaps generations; the new articles and the new generation
/// are picked up without a restart; SIGTERM ends it with status 0.
#[test]
fn a_generation_swap_under_load_fails_no_request() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let corpus = dir.path().join("corpus");
    let index = dir.path().join("index");
    build_index(&corpus, &index);
    let mut server = Server::start(&index);
    let addr = server.addr;
    let (status, health) = get(addr, "/healthz").expect("healthz");
    assert_eq!(status, 200);
    let first_generation: serde_json::Value = serde_json::from_str(&health).expect("JSON");

    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients: Vec<_> = (0..4)
        .map(|client| {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut answered = 0usize;
                let mut failed = Vec::new();
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let path = if client % 2 == 0 {
                        "/api/search?q=banjir&limit=20"
                    } else {
                        "/cari?q=banjir+bekasi"
                    };
                    match get(addr, path) {
                        Ok((200, _)) => answered += 1,
                        Ok((status, body)) => failed.push(format!("{status}: {body}")),
                        Err(error) => failed.push(error.to_string()),
                    }
                }
                (answered, failed)
            })
        })
        .collect();

    // An incremental ingest commits in place; the reader follows the commit.
    std::fs::write(
        corpus.join("baru.jsonl"),
        serde_json::json!({
            "url": "https://kabarbekasi.example.id/banjir-baru",
            "source": BIG_SOURCE,
            "title": "Banjir Susulan Landa Kampung Zamrud",
            "date": "2023-06-01T08:00:00+07:00",
            "content": "Banjir susulan melanda Kampung Zamrud pada Kamis dini hari.",
        })
        .to_string()
            + "\n",
    )
    .expect("write new article");
    ingest(&corpus, &index, &[]);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, body) = get(addr, "/api/search?q=zamrud").expect("search");
        assert_eq!(status, 200);
        let found: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        if found["total"] == 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the committed article never showed"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // A full rebuild writes a new generation and swaps `CURRENT`.
    ingest(&corpus, &index, &["--full"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, body) = get(addr, "/healthz").expect("healthz");
        assert_eq!(status, 200);
        let health: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        if health["generation"] != first_generation["generation"] {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the new generation was never picked up"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // A few more rounds on the new generation, then the clients stop.
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut answered = 0;
    for client in clients {
        let (count, failed) = client.join().expect("client thread");
        assert!(
            failed.is_empty(),
            "failed requests during the swap: {failed:?}"
        );
        answered += count;
    }
    assert!(answered > 0);
    let (_, body) = get(addr, "/api/search?q=zamrud").expect("search");
    assert!(body.contains("Kampung Zamrud"));

    let status = server
        .terminate(Duration::from_secs(10))
        .expect("stops on SIGTERM");
    assert!(status.success(), "graceful stop exits 0: {status:?}");
    let log = server.log.lock().map(|log| log.clone()).unwrap_or_default();
    assert!(log.contains("now serving"), "{log}");
}
