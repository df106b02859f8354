//! `sotong text …` from the command line.

use std::process::Command;

fn sotong(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_sotong")).args(args).env_remove("SOTONG_CONFIG").output().unwrap();
    assert!(output.status.success(), "failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn chosung_prints_initial_consonants() {
    assert_eq!(sotong(&["text", "chosung", "불법주차"]), "ㅂㅂㅈㅊ\n");
    // Decomposed input (as some phones send it) gives the same answer.
    assert_eq!(sotong(&["text", "chosung", "\u{1107}\u{116E}\u{11AF}\u{1107}\u{1165}\u{11B8}주차"]), "ㅂㅂㅈㅊ\n");
    assert_eq!(sotong(&["text", "normalize", "ＣＣＴＶ　설치"]), "CCTV 설치\n");
}
