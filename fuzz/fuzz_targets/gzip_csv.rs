//! Arbitrary bytes, gzipped (in one or two members), as a long_csv
//! responses file: the gzip layer hands the reader what was packed, so the
//! reader's checks hold on it (no panic, every record counted).
#![no_main]

use std::io::Write;
use std::sync::LazyLock;

use cx_io::{InputFormat, JourneyFile};
use flate2::Compression;
use flate2::write::GzEncoder;
use libfuzzer_sys::fuzz_target;

static JOURNEY: LazyLock<JourneyFile> = LazyLock::new(cx_fuzz::retail);

fuzz_target!(|bytes: &[u8]| {
    // The first byte says where a second member starts, as `cat a.gz b.gz`.
    let (cut, body) = match bytes.split_first() {
        Some((&cut, body)) => (usize::from(cut).min(body.len()), body),
        None => (0, bytes),
    };
    let mut packed = Vec::new();
    for member in [&body[..cut], &body[cut..]] {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(member).expect("writing to memory");
        packed.extend(encoder.finish().expect("writing to memory"));
    }
    cx_fuzz::check_reader(&packed, &JOURNEY, InputFormat::Csv { delimiter: None });
});
