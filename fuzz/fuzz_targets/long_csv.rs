//! Arbitrary bytes as a long_csv responses file: no panic, every record counted.
#![no_main]

use std::sync::LazyLock;

use cx_io::{InputFormat, JourneyFile};
use libfuzzer_sys::fuzz_target;

static JOURNEY: LazyLock<JourneyFile> = LazyLock::new(cx_fuzz::retail);

fuzz_target!(|bytes: &[u8]| {
    cx_fuzz::check_reader(bytes, &JOURNEY, InputFormat::Csv { delimiter: None });
});
