//! Where the store is: a folder (the embedded store) or the address of a
//! remote SPARQL 1.1 store, with how to reach it. Secrets come from a file
//! or the environment, never from the command line, where `ps` shows them.

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressFinish, ProgressStyle};
use interlock_store::{Credentials, ReadProgress, RemoteConfig, Store, StoreError};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// How to reach a remote store, besides its query address.
#[derive(clap::Args, Clone, Debug)]
pub struct RemoteArgs {
    /// A remote store's SPARQL Update endpoint, when it is not the query
    /// endpoint given as --store (Oxigraph's server: http://host:7878/update).
    #[arg(long, global = true, env = "INTERLOCK_UPDATE_URL", value_name = "URL")]
    update_url: Option<String>,

    /// A remote store's Graph Store Protocol endpoint, through which loads
    /// are written (Virtuoso: http://host:8890/sparql-graph-crud; Oxigraph's
    /// server: http://host:7878/store). Without it, loads are written with
    /// SPARQL Update.
    #[arg(
        long,
        global = true,
        env = "INTERLOCK_GRAPH_STORE_URL",
        value_name = "URL"
    )]
    graph_store_url: Option<String>,

    /// A file with a remote store's credentials: a token alone (as `serve
    /// --token-file` reads it), or TOML with `user` and `password` (sent as
    /// HTTP basic or digest, as the store asks). Or set INTERLOCK_STORE_TOKEN,
    /// or INTERLOCK_STORE_USER and INTERLOCK_STORE_PASSWORD.
    #[arg(
        long,
        global = true,
        env = "INTERLOCK_CREDENTIALS",
        value_name = "FILE"
    )]
    credentials: Option<PathBuf>,

    /// Read long answers from a remote store in pages of this many rows, at
    /// most its row cap (Virtuoso: its ResultSetMaxRows, and at most
    /// 1048576 over HTTP). Without it, each answer is read whole, as it
    /// streams (Oxigraph's server, Fuseki, GraphDB have no cap).
    #[arg(long, global = true, env = "INTERLOCK_PAGE_SIZE", value_name = "ROWS")]
    page_size: Option<usize>,

    /// Triples per request when writing to a remote store.
    #[arg(
        long,
        global = true,
        env = "INTERLOCK_CHUNK_SIZE",
        default_value_t = 10_000,
        value_name = "TRIPLES"
    )]
    chunk_size: usize,
    /// Write requests in flight at once when writing to a remote store
    /// (Virtuoso 7.2 may refuse concurrent writes that bring a new language
    /// tag together: see docs/stores/virtuoso.md).
    #[arg(
        long,
        global = true,
        env = "INTERLOCK_CONNECTIONS",
        default_value_t = 1,
        value_name = "N"
    )]
    connections: usize,
}

/// The store a command works on.
#[derive(Clone, Debug)]
pub enum StoreAddress {
    /// The embedded store in this folder.
    Folder(PathBuf),
    /// A remote store.
    Remote(RemoteConfig),
}

impl StoreAddress {
    /// `store` as given (`http(s)://…` is a remote store's query endpoint,
    /// anything else a folder), with the remote options and the base IRI
    /// under which the datasets' graphs are.
    pub fn new(store: &str, remote: &RemoteArgs, base: &str) -> Result<StoreAddress> {
        if !(store.starts_with("http://") || store.starts_with("https://")) {
            return Ok(StoreAddress::Folder(PathBuf::from(store)));
        }
        let base = crate::commands::iri_base(base)?;
        let mut config = RemoteConfig::new(store, format!("{}graph/", base.as_str()));
        config.update_url.clone_from(&remote.update_url);
        config.graph_store_url.clone_from(&remote.graph_store_url);
        config.credentials = credentials(remote.credentials.as_deref())?;
        config.page_size = remote.page_size;
        if remote.page_size == Some(0) || remote.chunk_size == 0 || remote.connections == 0 {
            bail!("--page-size, --chunk-size and --connections must be at least 1");
        }
        config.chunk_size = remote.chunk_size;
        config.connections = remote.connections;
        Ok(StoreAddress::Remote(config))
    }

    /// The same address, a remote store's long reads shown as a spinner
    /// with the rows read so far when standard error is a terminal.
    pub fn with_read_progress(self) -> StoreAddress {
        match self {
            StoreAddress::Remote(mut config) if std::io::stderr().is_terminal() => {
                let bar = ProgressBar::new_spinner()
                    .with_style(
                        ProgressStyle::with_template(
                            "{spinner} reading from the store: {human_pos} rows, {elapsed}",
                        )
                        .expect("the template is valid"),
                    )
                    .with_finish(ProgressFinish::AndClear);
                config.progress = Some(ReadProgress(std::sync::Arc::new(move |rows| {
                    bar.set_position(rows);
                })));
                StoreAddress::Remote(config)
            }
            other => other,
        }
    }

    /// The store, to read and write.
    pub fn open(&self) -> Result<Store> {
        match self {
            StoreAddress::Folder(dir) => Store::open(dir),
            StoreAddress::Remote(config) => Store::remote(config.clone()),
        }
        .map_err(with_hint)
        .with_context(|| format!("cannot open the store at {self}"))
    }

    /// The store, to read: a folder read-only when another process (a
    /// server) has it open for writing, so that reading commands answer
    /// meanwhile.
    pub fn open_to_read(&self) -> Result<Store> {
        match self {
            StoreAddress::Folder(dir) => match Store::open(dir) {
                Err(StoreError::InUse { .. }) => Store::open_read_only(dir),
                opened => opened,
            },
            StoreAddress::Remote(config) => Store::remote(config.clone()),
        }
        .map_err(with_hint)
        .with_context(|| format!("cannot open the store at {self}"))
    }
}

/// A refusal of access with where credentials are given; a store in use
/// with what to do.
fn with_hint(e: StoreError) -> anyhow::Error {
    match e {
        e @ StoreError::Unauthorized { .. } => anyhow::anyhow!(
            "{e}; give its credentials with --credentials FILE, or INTERLOCK_STORE_TOKEN, or INTERLOCK_STORE_USER and INTERLOCK_STORE_PASSWORD"
        ),
        e @ StoreError::InUse { .. } => anyhow::anyhow!(
            "{e}; stop it first, or, if it is an interlock server started with --writable, write through it: --store http://HOST:PORT/sparql --graph-store-url http://HOST:PORT/store with INTERLOCK_STORE_TOKEN set to its token (docs/stores/interlock.md)"
        ),
        e => e.into(),
    }
}

impl std::fmt::Display for StoreAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreAddress::Folder(dir) => write!(f, "{}", dir.display()),
            StoreAddress::Remote(config) => f.write_str(&config.query_url),
        }
    }
}

/// The credentials in `file`, or else in the environment.
fn credentials(file: Option<&Path>) -> Result<Option<Credentials>> {
    if let Some(file) = file {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read the credentials file {}", file.display()))?;
        return parsed_credentials(&text)
            .with_context(|| format!("in the credentials file {}", file.display()))
            .map(Some);
    }
    let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
    match (
        var("INTERLOCK_STORE_TOKEN"),
        var("INTERLOCK_STORE_USER"),
        var("INTERLOCK_STORE_PASSWORD"),
    ) {
        (Some(token), None, None) => Ok(Some(Credentials::Bearer(token.trim().to_string()))),
        (None, Some(user), Some(password)) => Ok(Some(Credentials::Password { user, password })),
        (None, None, None) => Ok(None),
        (Some(_), _, _) => {
            bail!(
                "give INTERLOCK_STORE_TOKEN or INTERLOCK_STORE_USER and INTERLOCK_STORE_PASSWORD, not both"
            )
        }
        _ => bail!("INTERLOCK_STORE_USER and INTERLOCK_STORE_PASSWORD go together"),
    }
}

/// A credentials file: TOML with `user` and `password`, or a token alone.
fn parsed_credentials(text: &str) -> Result<Credentials> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Password {
        user: String,
        password: String,
    }
    let trimmed = text.trim();
    if trimmed.is_empty() {
        bail!("it is empty; write a token, or user = \"…\" and password = \"…\"");
    }
    if !trimmed.contains('=') && !trimmed.contains(char::is_whitespace) {
        return Ok(Credentials::Bearer(trimmed.to_string()));
    }
    let Password { user, password } = toml::from_str(text)
        .context("expected a token alone, or TOML with user = \"…\" and password = \"…\"")?;
    Ok(Credentials::Password { user, password })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_files_are_a_token_or_a_user_and_password() {
        let cases: [(&str, Result<&str, &str>); 5] = [
            ("0123456789abcdef\n", Ok("Bearer(…)")),
            (
                "user = \"dba\"\npassword = \"dba\"\n",
                Ok("Password(dba, …)"),
            ),
            ("", Err("it is empty")),
            ("user = \"dba\"\n", Err("expected a token alone")),
            ("a token with spaces", Err("expected a token alone")),
        ];
        for (text, expected) in cases {
            let got = parsed_credentials(text)
                .map(|c| format!("{c:?}"))
                .map_err(|e| format!("{e:#}"));
            match (got, expected) {
                (Ok(got), Ok(expected)) => assert_eq!(got, expected, "{text:?}"),
                (Err(got), Err(expected)) => assert!(got.contains(expected), "{text:?}: {got}"),
                (got, expected) => panic!("{text:?}: {got:?}, expected {expected:?}"),
            }
        }
    }
}
