//! Helpers for the server's tests: a corpus of articles written for them, the real binary
//! serving it on a free loopback port, and a minimal HTTP/1.1 GET over a socket.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Text that must reach every page as text, never as markup.
pub const SCRIPT: &str = "<script>alert('x')</script>";
pub const ATTRIBUTE: &str = "\" onmouseover=\"alert('y')";
pub const TEXTAREA: &str = "</textarea>";

/// The id (URL) of the hostile article.
pub const HOSTILE_ID: &str = "https://kabarbekasi.example.id/banjir-hostile";
/// The id of the article without a title.
pub const UNTITLED_ID: &str = "https://wartakota.example.id/tanpa-judul";
/// The source most of the flood articles come from, and the other one.
pub const BIG_SOURCE: &str = "kabarbekasi.example.id";
pub const SMALL_SOURCE: &str = "wartakota.example.id";
/// The title of the article that answers "banjir bekasi" best.
pub const BEST_TITLE: &str = "Banjir Bekasi: Ribuan Warga Bekasi Mengungsi karena Banjir";
/// The first copy of the story both sources carry.
pub const COPY_ID: &str = "https://kabarbekasi.example.id/longsor-jalan";
/// How many flood articles each source has.
pub const BIG_COUNT: usize = 24;
pub const SMALL_COUNT: usize = 8;

fn record(
    url: &str,
    source: &str,
    title: &str,
    author: &str,
    date: &str,
    captions: &[&str],
    body: &str,
) -> String {
    serde_json::json!({
        "url": url,
        "source": source,
        "title": title,
        "author": author,
        "date": date,
        "captions": captions,
        "content": body,
    })
    .to_string()
}

/// The flood articles: distinct bodies (so none folds into another), from two sources, one
/// clearly best for "banjir bekasi", one without a title, one full of markup-like text.
pub fn corpus_lines() -> Vec<String> {
    let places = [
        "Cikarang",
        "Tambun",
        "Babelan",
        "Cibitung",
        "Setu",
        "Serang Baru",
        "Karawang",
        "Bantargebang",
        "Mustikajaya",
        "Jatiasih",
        "Pondok Gede",
        "Medan Satria",
        "Rawalumbu",
        "Harapan Jaya",
        "Kaliabang",
        "Cabangbungin",
        "Sukatani",
        "Kedungwaringin",
        "Pebayuran",
        "Sukawangi",
        "Tarumajaya",
        "Muaragembong",
        "Cikarang Barat",
        "Cikarang Timur",
        "Cikarang Pusat",
        "Cibarusah",
        "Bojongmangu",
        "Sukakarya",
        "Karangbahagia",
        "Tambelang",
        "Cileungsi",
        "Jonggol",
    ];
    let mut lines = Vec::new();
    lines.push(record(
        "https://kabarbekasi.example.id/banjir-bekasi-mengungsi",
        BIG_SOURCE,
        BEST_TITLE,
        "Dewi Lestari",
        "2023-02-01T08:00:00+07:00",
        &["Warga Bekasi mengungsi dari banjir."],
        "Banjir merendam Bekasi sejak Senin. Ribuan warga Bekasi mengungsi karena banjir setinggi \
         dua meter. Pemerintah Kota Bekasi membuka posko banjir di setiap kecamatan.\n\nBadan \
         Penanggulangan Bencana Daerah Bekasi mencatat banjir terparah dalam sepuluh tahun.",
    ));
    lines.push(record(
        HOSTILE_ID,
        BIG_SOURCE,
        &format!("Banjir {SCRIPT} di {TEXTAREA} Pondok {ATTRIBUTE} Ungu"),
        &format!("Rudi {ATTRIBUTE} {SCRIPT} {TEXTAREA}"),
        "2023-01-20T10:00:00+07:00",
        &[&format!("Foto banjir {SCRIPT} {ATTRIBUTE} {TEXTAREA}")],
        &format!(
            "Banjir kembali melanda Pondok Ungu {SCRIPT}. Warga menulis {ATTRIBUTE} di \
             spanduk banjir.\n\nPetugas menutup {TEXTAREA} jalan yang tergenang banjir."
        ),
    ));
    lines.push(record(
        UNTITLED_ID,
        SMALL_SOURCE,
        "",
        "Anton",
        "2023-01-10T07:00:00+07:00",
        &[],
        "Hujan deras sejak subuh membuat kali meluap dan banjir menggenangi permukiman di \
         Kebon Jeruk hingga setengah meter pada Selasa pagi.",
    ));
    // One wire story carried by both sources, long enough to be fingerprinted and folded.
    let story = "Longsor menimbun jalan provinsi yang menghubungkan dua kabupaten di selatan \
                 Jawa Barat setelah hujan lebat turun sepanjang malam. Petugas gabungan dari \
                 dinas pekerjaan umum, kepolisian, dan relawan setempat mengerahkan alat berat \
                 untuk membersihkan material tanah dan batu dari badan jalan. Kendaraan dialihkan \
                 melalui jalur desa yang lebih sempit sehingga perjalanan bertambah dua jam.";
    lines.push(record(
        COPY_ID,
        BIG_SOURCE,
        "Longsor Tutup Jalan Provinsi",
        "Redaksi",
        "2023-03-03T09:00:00+07:00",
        &[],
        story,
    ));
    lines.push(record(
        "https://wartakota.example.id/longsor-jalan",
        SMALL_SOURCE,
        "Longsor Tutup Jalan Provinsi di Selatan Jawa Barat",
        "Redaksi",
        "2023-03-03T11:00:00+07:00",
        &[],
        story,
    ));
    let generated_big = BIG_COUNT - 2;
    let generated_small = SMALL_COUNT - 1;
    for (at, place) in places
        .iter()
        .take(generated_big + generated_small)
        .enumerate()
    {
        let (source, host) = if at < generated_big {
            (BIG_SOURCE, "kabarbekasi")
        } else {
            (SMALL_SOURCE, "wartakota")
        };
        lines.push(record(
            &format!("https://{host}.example.id/banjir-{at}"),
            source,
            &format!("Banjir Rendam Permukiman di {place}"),
            "Redaksi",
            &format!("2023-{:02}-{:02}T09:00:00+07:00", 1 + at % 12, 1 + at % 27),
            &[],
            &format!(
                "Banjir merendam {at} rumah di {place} setelah hujan turun selama {} jam. \
                 Warga {place} berharap saluran air di kampung nomor {at} segera diperbaiki.",
                at + 2
            ),
        ));
    }
    lines
}

/// Writes the corpus under `corpus` and indexes it into `index` with the real binary.
pub fn build_index(corpus: &Path, index: &Path) {
    std::fs::create_dir_all(corpus).expect("corpus folder");
    std::fs::write(
        corpus.join("banjir.jsonl"),
        corpus_lines().join("\n") + "\n",
    )
    .expect("write corpus");
    ingest(corpus, index, &[]);
}

/// `newsidx --index INDEX ingest CORPUS --quiet EXTRA…`, asserted to succeed.
pub fn ingest(corpus: &Path, index: &Path, extra: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_newsidx"))
        .arg("--index")
        .arg(index)
        .arg("ingest")
        .arg(corpus)
        .arg("--quiet")
        .args(extra)
        .output()
        .expect("run newsidx ingest");
    assert!(
        output.status.success(),
        "ingest failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A running `newsidx serve`, stopped (SIGTERM) when dropped.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    /// What the server wrote on stderr after its listening line, read on a thread.
    pub log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    /// Starts `newsidx serve` on a free loopback port over `index`.
    pub fn start(index: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsidx"))
            .arg("--index")
            .arg(index)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start newsidx serve");
        let stderr = child.stderr.take().expect("stderr piped");
        let mut reader = BufReader::new(stderr);
        let mut seen = String::new();
        let addr = loop {
            let mut line = String::new();
            let read = reader.read_line(&mut line).expect("read server log");
            assert!(read > 0, "newsidx serve ended before listening: {seen}");
            seen.push_str(&line);
            if let Some(rest) = line
                .trim()
                .strip_prefix("newsidx serve: listening on http://")
            {
                break rest
                    .trim_end_matches('/')
                    .parse::<SocketAddr>()
                    .expect("listening address");
            }
        };
        let log = std::sync::Arc::new(std::sync::Mutex::new(seen));
        let sink = std::sync::Arc::clone(&log);
        std::thread::spawn(move || {
            let mut rest = String::new();
            for line in reader.lines().map_while(Result::ok) {
                rest.push_str(&line);
                rest.push('\n');
                if let Ok(mut log) = sink.lock() {
                    log.push_str(&line);
                    log.push('\n');
                }
            }
        });
        Server { child, addr, log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Sends SIGTERM and waits for the exit (at most `wait`); the exit status.
    pub fn terminate(&mut self, wait: Duration) -> Option<std::process::ExitStatus> {
        // SAFETY: kill() reads no memory of ours; the pid is our own child's.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
        let started = Instant::now();
        while started.elapsed() < wait {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.terminate(Duration::from_secs(5));
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One HTTP/1.1 GET of `path` on `addr`: the status code and the body.
pub fn get(addr: SocketAddr, path: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line in {text:?}")))?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default();
    Ok((status, body))
}
