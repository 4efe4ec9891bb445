//! `dossier serve` as a journalist uses it: a page is served with the
//! reload script allowed by its policy, an edit shows in the served page,
//! a failed build keeps the last good site and tells the pages, and the
//! site is never written into the dossier.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use common::{copy_of, edit, fixture};

/// A running `dossier serve`, stopped when dropped.
struct Serving {
    child: Child,
    port: u16,
    _lines: Receiver<String>,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(root: &std::path::Path, tmp: &std::path::Path) -> Serving {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("dossier"))
        .arg("serve")
        .arg(root)
        .env("TMPDIR", tmp)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("dossier serve starts");
    let (send, lines) = channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = send.send(line);
        }
    });
    let port = loop {
        let line = lines
            .recv_timeout(Duration::from_secs(60))
            .expect("serve prints its address");
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    Serving {
        child,
        port,
        _lines: lines,
    }
}

/// The status code and body of `GET path`.
fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the server listens");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let code = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (code, body)
}

/// Polls `GET path` until its body satisfies `test`, for at most a minute.
fn eventually(port: u16, path: &str, test: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let (_, body) = get(port, path);
        if test(&body) {
            return body;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "never served as expected:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serves_rebuilds_on_change_and_keeps_the_last_good_site() {
    let dir = copy_of(&fixture("en-harbor"));
    let tmp = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), tmp.path());

    let (code, page) = get(server.port, "/sectors/water.html");
    assert_eq!(code, 200);
    assert!(page.contains("Monitoring the estuary"), "{page}");
    assert!(
        page.contains("<script data-version="),
        "the reload script is in the page"
    );
    assert!(page.contains("connect-src 'self'"), "the policy lets it poll");
    let (code, _) = get(server.port, "/no-such-page.html");
    assert_eq!(code, 404);
    let (code, _) = get(server.port, "/../../etc/passwd");
    assert_eq!(code, 404);

    edit(
        dir.path(),
        "content/sectors/water.md",
        "Monitoring the estuary",
        "Watching the estuary",
    );
    eventually(server.port, "/sectors/water.html", |p| {
        p.contains("Watching the estuary")
    });

    // A broken edit: the pages are told, and the last good site stays.
    edit(
        dir.path(),
        "content/sectors/water.md",
        "color: \"#287ab7\"",
        "color: \"#zzz\"",
    );
    let status = eventually(server.port, "/__dossier/wait?v=0&e=0", |s| {
        s.contains("\"error\":\"error[")
    });
    assert!(status.contains("content/sectors/water.md"), "{status}");
    let (code, page) = get(server.port, "/sectors/water.html");
    assert_eq!(code, 200);
    assert!(page.contains("Watching the estuary"));

    assert!(
        !dir.path().join("public").exists(),
        "serve never writes into the dossier"
    );
}
