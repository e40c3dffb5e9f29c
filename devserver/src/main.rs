//! `pyrace-devserver`: serves the built web files (`dist/`) for development
//! and the browser tests.
//!
//! Every response carries COOP `same-origin` + COEP `require-corp` (and CORP
//! `same-origin`), which make the page cross-origin isolated: without them
//! the browser refuses to share a `WebAssembly.Memory` between workers and
//! the engine cannot run Python threads. `--no-isolation` leaves the headers
//! out so the single-threaded fallback can be exercised. A file `X.gz` next
//! to `X` is sent instead of `X` to clients that accept gzip, as a static
//! host with precompressed assets would.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

/// Command-line settings.
struct Settings {
    root: PathBuf,
    host: String,
    port: u16,
    isolation: bool,
    threads: usize,
}

const USAGE: &str =
    "usage: pyrace-devserver [--dir DIR] [--host HOST] [--port PORT] [--no-isolation]
  --dir DIR        directory to serve (default: dist)
  --host HOST      address to listen on (default: 127.0.0.1)
  --port PORT      port; 0 picks a free one (default: 8000)
  --no-isolation   leave out COOP/COEP, so the page is not cross-origin isolated";

fn parse_args() -> Result<Settings, String> {
    let mut settings = Settings {
        root: PathBuf::from("dist"),
        host: "127.0.0.1".to_owned(),
        port: 8000,
        isolation: true,
        threads: 4,
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
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(settings)
}

fn main() {
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
    let server = match Server::http((settings.host.as_str(), settings.port)) {
        Ok(server) => Arc::new(server),
        Err(e) => {
            eprintln!("pyrace-devserver: cannot listen: {e}");
            std::process::exit(1);
        }
    };
    let addr = server
        .server_addr()
        .to_ip()
        .expect("tiny_http listens on an IP address");
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
    let settings = Arc::new(settings);
    // A few threads so that the 30 MB engine download does not hold up the
    // small files requested alongside it.
    let workers: Vec<_> = (0..settings.threads)
        .map(|_| {
            let server = Arc::clone(&server);
            let settings = Arc::clone(&settings);
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    serve(&settings, request);
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
}

/// Answers one request from the files under `settings.root`.
fn serve(settings: &Settings, request: Request) {
    let response = match (request.method(), resolve(&settings.root, request.url())) {
        (Method::Get | Method::Head, Some(path)) => file_response(&request, &path),
        (Method::Get | Method::Head, None) => text_response(404, "not found"),
        _ => text_response(405, "method not allowed"),
    };
    let mut response = response;
    if settings.isolation {
        for (name, value) in [
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cross-Origin-Embedder-Policy", "require-corp"),
            ("Cross-Origin-Resource-Policy", "same-origin"),
        ] {
            response.add_header(header(name, value));
        }
    }
    // Development files change with every build: always revalidate.
    response.add_header(header("Cache-Control", "no-cache"));
    let _ = request.respond(response);
}

type FileResponse = Response<Box<dyn std::io::Read + Send>>;

fn file_response(request: &Request, path: &Path) -> FileResponse {
    let accepts_gzip = request.headers().iter().any(|h| {
        h.field.equiv("Accept-Encoding") && h.value.as_str().split(',').any(|e| e.trim() == "gzip")
    });
    let gzipped = {
        let mut name = path.as_os_str().to_owned();
        name.push(".gz");
        PathBuf::from(name)
    };
    let (file, encoding) = if accepts_gzip && gzipped.is_file() {
        (std::fs::File::open(&gzipped), Some("gzip"))
    } else {
        (std::fs::File::open(path), None)
    };
    let file = match file {
        Ok(file) => file,
        Err(_) => return text_response(404, "not found"),
    };
    let length = file.metadata().ok().map(|m| m.len() as usize);
    let mut response = Response::new(
        StatusCode(200),
        vec![header("Content-Type", mime_type(path))],
        Box::new(file) as Box<dyn std::io::Read + Send>,
        length,
        None,
    );
    if let Some(encoding) = encoding {
        response.add_header(header("Content-Encoding", encoding));
        response.add_header(header("Vary", "Accept-Encoding"));
    }
    response
}

fn text_response(status: u16, text: &str) -> FileResponse {
    let body = text.as_bytes().to_vec();
    let length = body.len();
    Response::new(
        StatusCode(status),
        vec![header("Content-Type", "text/plain; charset=utf-8")],
        Box::new(std::io::Cursor::new(body)) as Box<dyn std::io::Read + Send>,
        Some(length),
        None,
    )
}

/// Maps a request URL to a file under `root`, refusing anything that would
/// leave it; a directory means its `index.html`.
fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let path = percent_decode(path)?;
    let mut resolved = root.to_path_buf();
    for component in Path::new(path.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => resolved.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if resolved.is_dir() {
        resolved.push("index.html");
    }
    resolved.is_file().then_some(resolved)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

fn mime_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}
