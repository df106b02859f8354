//! A real SMTP server for tests (Python's standard-library smtpd, which prints every
//! message it receives) and the messages read back from it.

use sotong_web::mail::SmtpConfig;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct SmtpServer {
    pub child: Child,
    pub port: u16,
    /// The server's output, read line by line across messages.
    output: Option<std::io::Lines<BufReader<std::process::ChildStdout>>>,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub fn start_smtp() -> SmtpServer {
    let port = free_port();
    let server = SmtpServer {
        port,
        child: Command::new("python3")
            .args(["-u", "-W", "ignore", "-m", "smtpd", "-n", "-c", "DebuggingServer", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 with the smtpd module (scripts/test.sh installs python3)"),
        output: None,
    };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return server;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the SMTP server did not start");
}

pub fn config(port: u16) -> SmtpConfig {
    SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        from: "소통 <no-reply@hanbit.example>".into(),
        site_url: "https://sotong.hanbit.example/".into(),
    }
}

/// One received message: its header lines and its decoded body.
pub struct Received {
    pub headers: Vec<String>,
    pub body: String,
}

/// Reads the next message the server printed.
pub fn next_message(server: &mut SmtpServer) -> Received {
    use base64::Engine;
    let mut received = String::new();
    if server.output.is_none() {
        let stdout = server.child.stdout.take().expect("the server's output");
        server.output = Some(BufReader::new(stdout).lines());
    }
    let lines = server.output.as_mut().unwrap();
    while let Some(Ok(line)) = lines.next() {
        received.push_str(&line);
        received.push('\n');
        if line.contains("END MESSAGE") {
            break;
        }
    }
    // smtpd prints each line as a Python bytes literal; the body is base64.
    let lines: Vec<&str> = received.lines().map(|l| l.trim_start_matches("b'").trim_end_matches('\'')).collect();
    let body_start = lines.iter().position(|l| l.is_empty()).expect("a blank line before the body") + 1;
    let encoded: String = lines[body_start..].iter().take_while(|l| !l.contains("END MESSAGE")).copied().collect();
    let body = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(encoded.trim()).unwrap()).unwrap();
    Received { headers: lines[..body_start].iter().map(|l| l.to_string()).collect(), body }
}
