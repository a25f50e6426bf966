//! Two switchers racing (each taking its own lock, as two processes would) while a reader
//! watches auth.json: the live file is always one whole account document and the account files
//! stay intact.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use authdeck::codex::fixtures::{self, ChatgptSpec};
use authdeck::store::{Paths, Store, switch};

fn no_env() -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = HashMap::new();
    move |k| map.get(k).cloned()
}

#[test]
fn racing_switches_never_tear_the_live_file_or_the_accounts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path());
    let a = fixtures::chatgpt_doc(&ChatgptSpec::default());
    let b = fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb");
    let store = Store::new(&paths);
    store.save("a", &a, false).expect("save a");
    store.save("b", &b, false).expect("save b");
    std::fs::write(paths.auth_json(), a.as_bytes()).expect("write live");
    let a_bytes = a.as_bytes().to_vec();
    let b_bytes = b.as_bytes().to_vec();

    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (path, a, b, done) = (
            paths.auth_json(),
            a_bytes.clone(),
            b_bytes.clone(),
            Arc::clone(&done),
        );
        std::thread::spawn(move || {
            let mut reads = 0u32;
            while !done.load(Ordering::Relaxed) {
                let now = std::fs::read(&path).expect("auth.json always exists");
                assert!(
                    now == a || now == b,
                    "torn or foreign live file: {} bytes",
                    now.len()
                );
                reads += 1;
            }
            reads
        })
    };
    let switcher = |first: &'static str, second: &'static str| {
        let paths = paths.clone();
        std::thread::spawn(move || {
            for i in 0..200 {
                let name = if i % 2 == 0 { first } else { second };
                switch(&paths, name, &no_env()).expect("switch under contention");
            }
        })
    };
    let t1 = switcher("a", "b");
    let t2 = switcher("b", "a");
    t1.join().expect("switcher 1");
    t2.join().expect("switcher 2");
    done.store(true, Ordering::Relaxed);
    let reads = reader.join().expect("reader saw only whole documents");
    assert!(reads > 0);

    let live = std::fs::read(paths.auth_json()).expect("live");
    assert!(live == a_bytes || live == b_bytes);
    assert_eq!(
        std::fs::read(paths.store.join("a.json")).expect("a"),
        a_bytes
    );
    assert_eq!(
        std::fs::read(paths.store.join("b.json")).expect("b"),
        b_bytes
    );
    let leftovers: Vec<_> = [&paths.codex_home, &paths.store]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).expect("read_dir"))
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp."))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}
