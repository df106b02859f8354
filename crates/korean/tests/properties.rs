//! Properties of the Hangul functions on generated text.

use korean::jamo::{chosung, from_jamo, matches_chosung, to_jamo};
use korean::normalize::normalize;
use proptest::prelude::*;

/// Hangul syllables mixed with Latin letters, digits, spaces and punctuation.
fn korean_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => (0xAC00u32..=0xD7A3).prop_map(|c| char::from_u32(c).unwrap()),
            1 => prop::char::range('a', 'z'),
            1 => prop::char::range('0', '9'),
            1 => Just(' '),
            1 => prop::sample::select(vec!['.', ',', '!', '?', '(', ')']),
        ],
        0..40,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #[test]
    fn jamo_round_trip(text in korean_text()) {
        prop_assert_eq!(from_jamo(&to_jamo(&text)), text);
    }

    #[test]
    fn a_text_matches_its_own_initials_and_any_part_of_them(text in korean_text(), cut in 0usize..40) {
        let initials = chosung(&text);
        prop_assert_eq!(initials.chars().count(), text.chars().count());
        prop_assert!(matches_chosung(&initials, &text));
        // Any substring of the text, with some syllables replaced by their initials.
        let chars: Vec<char> = text.chars().collect();
        let end = cut.min(chars.len());
        let mixed: String = chars[..end].iter().enumerate()
            .map(|(i, &c)| if i % 2 == 0 { korean::jamo::initial_of(c).unwrap_or(c) } else { c })
            .collect();
        prop_assert!(matches_chosung(&mixed, &text));
    }

    #[test]
    fn normalising_twice_changes_nothing(text in korean_text()) {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once);
    }
}
