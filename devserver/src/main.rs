//! `pyrace-devserver`: serves the built web files (`dist/`) for development
//! and the browser tests.
//!
//! Every response carries COOP `same-origin` + COEP `require-corp` (and CORP
//! `same-origin`), which make the page cross-origin isolated: without them
//! the browser refuses to share a `WebAssembly.Memory` between workers and
//! the engine cannot run Python threads. `--no-isolation` leaves the headers
//! out so the single-threaded fallback can be exercised. A file `X.br` or
//! `X.gz` next to `X` is sent instead of `X` to clients that accept brotli
//! or gzip (brotli first), as a static host with precompressed assets would,
//! with `Vary: Accept-Encoding`. `.wasm` is sent as `application/wasm`, which
//! `WebAssembly.compileStreaming` requires. Caching follows `cache_policy`:
//! hashed names for good, the rest revalidated through `ETag`.
//!
//! Every response also carries the site's content security policy (the same
//! one `scripts/site-pages.mjs` writes into the pages as a `<meta>` tag), so
//! what a static host serves and what the tests see are held to one policy.

mod cache_policy;

use std::path::PathBuf;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The site's content security policy; must equal `CSP` in
/// `scripts/site-pages.mjs` (tests/site compares the header with the pages).
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; \
    frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'";

/// Command-line settings.
struct Settings {
    root: PathBuf,
    host: String,
    port: u16,
    isolation: bool,
    log: bool,
}

const USAGE: &str =
    "usage: pyrace-devserver [--dir DIR] [--host HOST] [--port PORT] [--no-isolation] [--log]
  --dir DIR        directory to serve (default: dist)
  --host HOST      address to listen on (default: 127.0.0.1)
  --port PORT      port; 0 picks a free one (default: 8000)
  --no-isolation   leave out COOP/COEP, so the page is not cross-origin isolated
  --log            print each request and its status on stderr";

fn parse_args() -> Result<Settings, String> {
    let mut settings = Settings {
        root: PathBuf::from("dist"),
        host: "127.0.0.1".to_owned(),
        port: 8000,
        isolation: true,
        log: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--dir" => settings.root = PathBuf::from(value("--dir")?),
            "--host" => settings.host = value("--host")?,
            "--port" => {
                settings.port = value("--port")?
                    .parse()
                    .map_err(|e| format!("--port: {e}"))?
            }
            "--no-isolation" => settings.isolation = false,
            "--log" => settings.log = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(settings)
}

#[tokio::main]
async fn main() {
    let settings = match parse_args() {
        Ok(settings) => settings,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("pyrace-devserver: {message}");
            }
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    if !settings.root.is_dir() {
        eprintln!(
            "pyrace-devserver: {} is not a directory (run scripts/build-web.sh first)",
            settings.root.display()
        );
        std::process::exit(1);
    }

    let files = ServeDir::new(&settings.root)
        .precompressed_br()
        .precompressed_gzip();
    let mut app = Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_policy::set_cache_control))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ));
    if settings.isolation {
        for (name, value) in [
            ("cross-origin-opener-policy", "same-origin"),
            ("cross-origin-embedder-policy", "require-corp"),
            ("cross-origin-resource-policy", "same-origin"),
        ] {
            app = app.layer(SetResponseHeaderLayer::overriding(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            ));
        }
    }
    if settings.log {
        app = app.layer(middleware::from_fn(log_request));
    }

    let listener =
        match tokio::net::TcpListener::bind((settings.host.as_str(), settings.port)).await {
            Ok(listener) => listener,
            Err(e) => {
                eprintln!("pyrace-devserver: cannot listen: {e}");
                std::process::exit(1);
            }
        };
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    // Tests read this line to learn the port when started with `--port 0`.
    println!(
        "pyrace-devserver: serving {} on http://{addr}/ ({})",
        settings.root.display(),
        if settings.isolation {
            "cross-origin isolated"
        } else {
            "NOT cross-origin isolated"
        }
    );
    if let Err(e) = axum::serve(listener, app).await {
        eprintln!("pyrace-devserver: {e}");
        std::process::exit(1);
    }
}

/// `--log`: one line per request on stderr.
async fn log_request(request: Request<axum::body::Body>, next: Next) -> Response {
    let line = format!("{} {}", request.method(), request.uri());
    let response = next.run(request).await;
    eprintln!("{line} -> {}", response.status().as_u16());
    response
}
