//! The loop on a `TestBackend` with scripted terminal input and a byte buffer for OSC 52: keys
//! travel through the inbox, effects run, the copy is written between frames, and quitting
//! returns the model.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::channel::mpsc::{UnboundedSender as InputTx, unbounded};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::codex::fixtures;
use crate::copy::{Clipboard, osc52_sequence};
use crate::ops::Env;
use crate::store::Paths;
use crate::tui::model::Settings;
use crate::tui::runner::Shared;

const KEY: &str = "sk-test-FAKEFAKEFAKE12345";

#[derive(Clone, Default)]
struct Shared8(Arc<Mutex<Vec<u8>>>);

impl Write for Shared8 {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Shared8 {
    fn contains(&self, needle: &[u8]) -> bool {
        self.0
            .lock()
            .is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle))
    }
}

fn press(tx: &InputTx<io::Result<TermEvent>>, code: KeyCode) {
    let _ = tx.unbounded_send(Ok(TermEvent::Key(KeyEvent::new(code, KeyModifiers::NONE))));
}

fn home() -> (tempfile::TempDir, Paths) {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path());
    std::fs::write(paths.auth_json(), fixtures::api_key_doc(KEY).as_bytes()).expect("live");
    (dir, paths)
}

fn app(
    term: &mut Terminal<TestBackend>,
    paths: Paths,
    osc: Shared8,
) -> App<'_, TestBackend, Shared8> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let shared = Arc::new(Shared::new(
        paths,
        Env::default(),
        false,
        Duration::from_secs(1),
    ));
    App {
        terminal: term,
        model: Model::new(Utc::now(), (80, 24), Settings::default()),
        runner: Runner::new(
            tx.clone(),
            shared,
            Clipboard::terminal_only("no display in tests"),
        ),
        tx,
        rx,
        osc,
        real_terminal: false,
    }
}

#[tokio::test]
async fn keys_flow_through_the_inbox_and_the_copy_is_written_between_frames() {
    let (_dir, paths) = home();
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let osc = Shared8::default();
    let (input, events) = unbounded();
    let app = app(&mut term, paths, osc.clone());
    let wanted = osc52_sequence(&format!("Bearer {KEY}"));
    let driver = async {
        // Retry the copy until the live credential has loaded: no timing assumption. (Before
        // that, `c` only reports "nothing to copy" and `1` means nothing.)
        let start = Instant::now();
        while !osc.contains(wanted.as_bytes()) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the copy never arrived"
            );
            press(&input, KeyCode::Char('c'));
            press(&input, KeyCode::Char('1'));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        press(&input, KeyCode::Char('q'));
    };
    let (result, ()) = tokio::join!(app.run(events), driver);
    let model = result.expect("clean exit");
    // The loop returned: `q` quit it, without an error.
    assert!(model.fatal.is_none());
    assert!(
        model
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("sent to terminal"))
    );
    let screen = term.backend().to_string();
    assert!(
        screen.contains("Ready") && screen.contains("sk-test-***12345"),
        "{screen}"
    );
    assert!(!screen.contains(KEY));
}

#[tokio::test]
async fn closed_input_ends_the_loop_with_a_reason() {
    let (_dir, paths) = home();
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let (input, events) = unbounded::<io::Result<TermEvent>>();
    drop(input);
    let model = app(&mut term, paths, Shared8::default())
        .run(events)
        .await
        .expect("returns");
    assert!(
        model
            .fatal
            .as_deref()
            .is_some_and(|f| f.contains("closed its input"))
    );
    // The first frame was drawn before anything loaded.
    assert!(term.backend().to_string().contains("authdeck"));
}
