//! Arbitrary text as a Toml journey file: an error or a journey that
//! survives a round trip and can be scored.
#![no_main]

use cx_io::{JourneyFile, JourneyFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    match JourneyFile::parse(text, JourneyFormat::Toml) {
        Err(error) => {
            let _ = error.to_string();
        }
        Ok(journey) => {
            let written = journey
                .to_string(JourneyFormat::Toml)
                .expect("a parsed journey writes");
            let again = JourneyFile::parse(&written, JourneyFormat::Toml)
                .expect("a written journey parses");
            assert_eq!(again, journey);
            if let Ok(scorer) = cx_score::ScorecardAccumulator::new(
                journey.journey.clone(),
                cx_score::ScoreConfig::default(),
            ) {
                cx_fuzz::report(&scorer);
            }
        }
    }
});
