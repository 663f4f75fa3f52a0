//! moto's server on 127.0.0.1 for the tests that talk to CloudFormation:
//! started on a free port, killed when dropped (also when a test panics).
//! The Python comes from `STACKCRAFT_MOTO_PYTHON` (scripts/test.sh sets it to
//! the test venv's); without it the tests fail rather than skip.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running moto server.
pub struct Moto {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
}

impl Moto {
    /// Starts the server on a free loopback port and waits until it listens.
    pub fn start() -> Moto {
        let python = std::env::var("STACKCRAFT_MOTO_PYTHON").unwrap_or_else(|_| {
            panic!("STACKCRAFT_MOTO_PYTHON is not set: run scripts/test.sh, or set it to a Python with moto[server]")
        });
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/moto_cfn_server.py");
        let child = Command::new(&python)
            .arg(script)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start moto with {python}: {e}"));
        let mut moto = Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = moto.child.try_wait() {
                panic!(
                    "moto exited before listening ({status}); run it by hand: {python} tests/moto_cfn_server.py"
                );
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "moto did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Only loopback, fake credentials, no profile files.
pub fn isolated_env(endpoint: &str, home: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ENDPOINT_URL", endpoint.to_owned()),
        ("AWS_ACCESS_KEY_ID", "testing".into()),
        ("AWS_SECRET_ACCESS_KEY", "testing".into()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("AWS_CONFIG_FILE", home.join("config").display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            home.join("credentials").display().to_string(),
        ),
        ("CI", "true".into()),
    ]
}
