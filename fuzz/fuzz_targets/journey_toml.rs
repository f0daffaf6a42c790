//! Arbitrary text as a TOML journey file: an error or a journey that
//! survives a round trip and can be scored.
#![no_main]

use cx_io::JourneyFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| cx_fuzz::check_journey(bytes, JourneyFormat::Toml));
