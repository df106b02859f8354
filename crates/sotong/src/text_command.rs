//! `sotong text …`: the Korean text engine from the command line, no database.

use clap::Subcommand;

#[derive(Subcommand)]
pub enum TextCommand {
    /// Print the initial consonants (초성) of a text: "불법주차" → ㅂㅂㅈㅊ.
    Chosung { text: String },
    /// Print a text normalised (NFC, full-width folded, whitespace collapsed).
    Normalize { text: String },
}

pub fn run(command: TextCommand) -> anyhow::Result<()> {
    match command {
        TextCommand::Chosung { text } => println!("{}", korean::jamo::chosung(&korean::normalize::normalize(&text))),
        TextCommand::Normalize { text } => println!("{}", korean::normalize::normalize(&text)),
    }
    Ok(())
}
