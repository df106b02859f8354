//! Running the real `sotong` binary and reading what it printed.

#![allow(dead_code)] // each test file uses part of it

use std::process::{Command, Output};

/// Runs a command that needs no database (`pb`, `text`).
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sotong")).args(args).env_remove("SOTONG_CONFIG").output().unwrap()
}

/// Standard output of a command that must succeed.
pub fn ok(output: Output) -> String {
    assert!(output.status.success(), "failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// Standard error of a command that must fail.
pub fn refused(output: Output) -> String {
    assert!(!output.status.success(), "should have failed: {}", String::from_utf8_lossy(&output.stdout));
    String::from_utf8(output.stderr).unwrap()
}
