//! `newsidx serve`: the search page and JSON API, until SIGTERM or Ctrl-C.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use newsidx::serve::{self, AppState, Live};

use crate::flags::{Cli, ServeArgs};

pub fn run(cli: &Cli, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    newsidx::analysis::check_user_lists()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|error| anyhow::anyhow!("cannot listen on {}: {error}", args.addr))?;
        let bound = listener.local_addr()?;
        let live = {
            let index = cli.index.clone();
            tokio::task::spawn_blocking(move || Live::open(&index)).await?
        };
        let mut err = std::io::stderr().lock();
        if let Some(problem) = live.problem() {
            writeln!(
                err,
                "newsidx serve: {problem}; answering 503 until an index appears"
            )?;
        }
        if !serve::is_loopback(&bound) {
            writeln!(
                err,
                "newsidx serve: listening on {bound}, which other machines can reach: the \
                 archive is open to anyone who can reach this address (put it behind a reverse \
                 proxy with access control, or pass --addr 127.0.0.1:PORT)"
            )?;
        }
        // The line a supervisor or a test waits for.
        writeln!(err, "newsidx serve: listening on http://{bound}/")?;
        drop(err);
        let state = Arc::new(AppState {
            live: Arc::new(live),
        });
        serve::serve(listener, state, serve::shutdown_signal()).await?;
        let _ = writeln!(std::io::stderr(), "newsidx serve: stopped");
        Ok(ExitCode::SUCCESS)
    })
}
