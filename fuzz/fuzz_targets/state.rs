//! Arbitrary bytes as an accumulator's stored state, binary and JSON: no
//! panic; a state that reads merges into a fresh accumulator of its own
//! journey and finishes, and writes back to the bytes that read as it.
#![no_main]

use cx_score::ScorecardAccumulator;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let binary = ScorecardAccumulator::from_state_bytes(bytes);
    let json = std::str::from_utf8(bytes)
        .ok()
        .map(ScorecardAccumulator::from_state_json);
    for state in [Some(binary), json].into_iter().flatten() {
        let Ok(state) = state else { continue };
        // What was read writes back, and reads back as itself.
        let written = state.to_state_bytes().expect("a state read back writes");
        let again = ScorecardAccumulator::from_state_bytes(&written).expect("written state reads");
        assert_eq!(again.to_state_bytes().expect("writes"), written);
        let mut merged = state.clone();
        merged.merge(&state).expect("a state merges with itself");
        let _ = merged.finish();
    }
});
