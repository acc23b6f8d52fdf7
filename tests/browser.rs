//! A real browser on the search page: headless Chromium, driven over WebDriver by chromedriver,
//! against `newsidx serve` on a free loopback port. It types a query, submits, checks the
//! expected first hit and its highlighted words, applies a source filter, goes to the next
//! page, opens an article, and saves screenshots under `target/browser/`.
//!
//! Debian's `chromium` and `chromium-driver` are required (`.ci/run` installs them); without
//! them this test fails and says how to install them. `NEWSIDX_CHROMIUM` and
//! `NEWSIDX_CHROMEDRIVER` name other binaries.

mod serve_common;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serve_common::*;

/// Longest wait for a page to show what a step expects.
const STEP_TIMEOUT: Duration = Duration::from_secs(20);
/// Longest wait for chromedriver to accept connections.
const DRIVER_START: Duration = Duration::from_secs(20);

/// `name` from `variable`, else the first of `candidates` on PATH; a clear failure otherwise.
fn program(variable: &str, candidates: &[&str]) -> PathBuf {
    if let Some(path) = std::env::var_os(variable) {
        return PathBuf::from(path);
    }
    let paths = std::env::var_os("PATH").unwrap_or_default();
    for candidate in candidates {
        for dir in std::env::split_paths(&paths) {
            let path = dir.join(candidate);
            if path.is_file() {
                return path;
            }
        }
    }
    panic!(
        "the browser test needs headless Chromium and its WebDriver: none of {candidates:?} is \
         on PATH (nor set in {variable}). Install Debian's packages with \
         `apt-get install -y chromium chromium-driver` (.ci/run does this when they are missing)."
    );
}

/// A free loopback port (bound, read, released).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free loopback port")
}

/// chromedriver, killed when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(binary: &Path) -> Driver {
        let port = free_port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", binary.display()));
        let mut driver = Driver { child, port };
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let started = Instant::now();
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("{} exited before listening: {status}", binary.display());
            }
            assert!(
                started.elapsed() < DRIVER_START,
                "{} did not listen on port {port}",
                binary.display()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until `check` gives `Some`, polling the page.
async fn until<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let started = Instant::now();
    loop {
        if let Some(found) = check().await {
            return found;
        }
        assert!(
            started.elapsed() < STEP_TIMEOUT,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn text_of(client: &Client, css: &str) -> Option<String> {
    client.find(Locator::Css(css)).await.ok()?.text().await.ok()
}

async fn texts_of(client: &Client, css: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for element in client.find_all(Locator::Css(css)).await.unwrap_or_default() {
        if let Ok(text) = element.text().await {
            texts.push(text);
        }
    }
    texts
}

fn screenshot_dir() -> PathBuf {
    // `target/tmp` is the test's scratch folder; its parent is `target/`.
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let dir = scratch
        .parent()
        .map(|target| target.join("browser"))
        .unwrap_or(scratch);
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_searches_filters_pages_and_opens_an_article_in_chromium() {
    let chromium = program(
        "NEWSIDX_CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let chromedriver = program("NEWSIDX_CHROMEDRIVER", &["chromedriver"]);

    let dir = tempfile::tempdir().expect("temporary folder");
    let index = dir.path().join("index");
    build_index(&dir.path().join("corpus"), &index);
    let mut server = Server::start(&index);
    let driver = Driver::start(&chromedriver);
    let profile = dir.path().join("profile");

    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_string(),
        serde_json::json!({
            "binary": chromium,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a WebDriver session in headless Chromium");
    let shots = screenshot_dir();

    // Type a query and submit it.
    client.goto(&server.url("/")).await.expect("open the page");
    let lang = client
        .find(Locator::Css("html"))
        .await
        .expect("html")
        .attr("lang")
        .await
        .expect("lang");
    assert_eq!(lang.as_deref(), Some("id"));
    let box_ = client
        .find(Locator::Css("#q"))
        .await
        .expect("the query box");
    box_.send_keys("banjir bekasi").await.expect("type");
    client
        .find(Locator::Css("#tombol-cari"))
        .await
        .expect("the search button")
        .click()
        .await
        .expect("submit");
    let summary = until("the results", || text_of(&client, "#ringkasan")).await;
    assert!(summary.contains("banjir bekasi"), "{summary}");
    let first = text_of(&client, "li.hit h2 a").await.expect("a first hit");
    assert_eq!(first, BEST_TITLE);
    let marked = texts_of(&client, "li.hit:first-child mark").await;
    assert!(!marked.is_empty(), "the first hit has highlighted words");
    for word in &marked {
        let lower = word.to_lowercase();
        assert!(
            lower.contains("banjir") || lower.contains("bekasi"),
            "{word} marked"
        );
    }
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(shots.join("results.png"), png).expect("save screenshot");

    // Apply a source filter: every hit is then from that source.
    let filters = client
        .find_all(Locator::Css("a.saring-sumber"))
        .await
        .expect("source filters");
    let mut chosen = None;
    for filter in filters {
        if filter.text().await.ok().as_deref() == Some(BIG_SOURCE) {
            chosen = Some(filter);
        }
    }
    chosen
        .expect("the big source among the filters")
        .click()
        .await
        .expect("apply the filter");
    until("the filtered results", || async {
        let chosen = text_of(&client, ".saring ul li").await?;
        chosen.contains(BIG_SOURCE).then_some(())
    })
    .await;
    let sources = texts_of(&client, ".sumber-hit").await;
    assert_eq!(sources.len(), 10, "a full first page");
    assert!(
        sources.iter().all(|source| source == BIG_SOURCE),
        "{sources:?}"
    );

    // The next page: hits 11 to 20, still filtered.
    client
        .find(Locator::Css("#berikutnya"))
        .await
        .expect("a next page")
        .click()
        .await
        .expect("page on");
    until("the second page", || async {
        let summary = text_of(&client, "#ringkasan").await?;
        summary.contains("menampilkan 11–20").then_some(())
    })
    .await;
    let url = client.current_url().await.expect("url");
    assert!(url.as_str().contains("offset=10"), "{url}");
    let sources = texts_of(&client, ".sumber-hit").await;
    assert!(
        sources.iter().all(|source| source == BIG_SOURCE),
        "{sources:?}"
    );

    // Open the first hit of this page: the article in full, the query's words marked.
    let link = client
        .find(Locator::Css("li.hit h2 a"))
        .await
        .expect("a hit to open");
    let title = link.text().await.expect("its title");
    link.click().await.expect("open the article");
    let heading = until("the article", || text_of(&client, "article.artikel h1")).await;
    assert_eq!(heading, title);
    let marks = texts_of(&client, ".isi mark").await;
    assert!(!marks.is_empty(), "the article's matched words are marked");
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(shots.join("article.png"), png).expect("save screenshot");

    client.close().await.expect("end the session");
    drop(driver);
    let status = server
        .terminate(Duration::from_secs(10))
        .expect("the server stops on SIGTERM");
    assert!(status.success());
}
