//! The AgentAssertion hot path: a full header from a loaded credential against a bare Ed25519
//! signature of the same payload. The header must stay within 1.5× of the signature — the
//! signature is the irreducible cost; everything else (envelope JSON, base64url) is overhead.
//!
//! Run: `cargo bench --bench assertion`.

use std::hint::black_box;

use authdeck::codex::agent_key::AgentKey;
use authdeck::codex::assertion::{assertion_header_value, format_timestamp};
use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let key = AgentKey::from_seed([7u8; 32]);
    let now = Utc
        .with_ymd_and_hms(2026, 4, 23, 0, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);
    let payload = format!("agent-123:task-123:{}", format_timestamp(now));
    let mut group = c.benchmark_group("assertion");
    group.bench_function("header", |b| {
        b.iter(|| {
            assertion_header_value(
                black_box("agent-123"),
                black_box("task-123"),
                &key,
                black_box(now),
            )
        });
    });
    group.bench_function("raw_sign", |b| {
        b.iter(|| key.sign_base64(black_box(payload.as_bytes())));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
