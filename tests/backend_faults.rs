//! The backend client against the embedded mock backend, fault by fault.
//!
//! Every test runs the mock in-process on 127.0.0.1 (port 0) and checks what the runtime relies
//! on: the failure kind, its class (transient or permanent), the HTTP status, a message that says
//! where it failed without leaking secrets, and that hangs end at the timeout. Timing bounds are
//! deliberately generous; they catch "never ends", not "a bit slow".
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use authdeck::backend::{
    AGENT_JWT_AUDIENCE, AGENT_JWT_ISSUER, Backend, BackendError, FailureClass, FailureKind,
    verify_agent_jwt,
};
use authdeck::codex::agent_key::AgentKey;
use authdeck::codex::urls::{Endpoints, jwks_url};
use authdeck::mock_backend::{
    AgentJwtSpec, DEMO_JWKS_JSON, DEMO_KID, Fault, MockBackend, MockConfig, demo_jwks,
    demo_rsa_private_pem, mint_agent_jwt, mint_jwt_with, mint_unsigned_jwt,
};
use authdeck::secret::Secret;
use chrono::Utc;
use jsonwebtoken::{Algorithm, Header};
use serde_json::{Value, json};

const GENEROUS: Duration = Duration::from_secs(10);

async fn mock(task_fault: Fault) -> MockBackend {
    MockBackend::start(MockConfig::with_task_fault(task_fault), 0)
        .await
        .unwrap()
}

fn client(base: &str, timeout: Duration) -> Backend {
    let endpoints = Endpoints {
        jwks_url: jwks_url(&format!("{base}/backend-api")),
        authapi_base: base.to_string(),
    };
    Backend::new(endpoints, timeout).unwrap()
}

fn client_for(mock: &MockBackend) -> Backend {
    client(&mock.base_url(), Duration::from_secs(5))
}

/// A port on 127.0.0.1 where nothing listens: bind, note the port, drop the listener.
fn dead_base() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

fn known_agent(mock: &MockBackend, runtime_id: &str) -> AgentKey {
    let key = AgentKey::generate();
    mock.register_agent_key(runtime_id, key.public_key_bytes());
    key
}

async fn register(mock: &MockBackend, runtime_id: &str) -> Result<Secret, BackendError> {
    let key = known_agent(mock, runtime_id);
    client_for(mock)
        .register_task_attempt(runtime_id, &key, Utc::now())
        .await
        .map(|outcome| outcome.value)
}

fn assert_failure(
    err: &BackendError,
    kind: FailureKind,
    class: FailureClass,
    status: Option<u16>,
    needle: &str,
) {
    assert_eq!(err.kind, kind, "{err}");
    assert_eq!(err.class, class, "{err}");
    assert_eq!(err.status, status, "{err}");
    assert!(err.to_string().contains(needle), "{err:?} lacks {needle:?}");
    assert!(!err.to_string().contains('\n'), "one line: {err}");
}

// ---------------------------------------------------------------------------------------- JWKS

#[tokio::test]
async fn jwks_ok_on_both_paths() {
    let mock = mock(Fault::Ok).await;
    let outcome = client_for(&mock).fetch_jwks().await.unwrap();
    assert_eq!(outcome.status, 200);
    assert!(outcome.value.find(DEMO_KID).is_some());
    let plain = Backend::new(
        Endpoints {
            jwks_url: jwks_url(&mock.base_url()),
            authapi_base: mock.base_url(),
        },
        Duration::from_secs(5),
    )
    .unwrap();
    assert!(
        plain
            .fetch_jwks()
            .await
            .unwrap()
            .value
            .find(DEMO_KID)
            .is_some()
    );
    assert_eq!(mock.stats().jwks, 2);
    mock.shutdown().await;
}

#[tokio::test]
async fn jwks_500_is_transient_with_status_and_url() {
    let mock = mock(Fault::Ok).await;
    mock.set_jwks_fault(Fault::Status(500));
    let err = client_for(&mock).fetch_jwks().await.unwrap_err();
    assert_failure(
        &err,
        FailureKind::Jwks,
        FailureClass::Transient,
        Some(500),
        "HTTP 500",
    );
    assert!(
        err.message
            .contains("/backend-api/wham/agent-identities/jwks")
    );
    mock.shutdown().await;
}

#[tokio::test]
async fn jwks_garbage_is_permanent() {
    let mock = mock(Fault::Ok).await;
    mock.set_jwks_fault(Fault::Garbage);
    let err = client_for(&mock).fetch_jwks().await.unwrap_err();
    assert_failure(
        &err,
        FailureKind::Jwks,
        FailureClass::Permanent,
        Some(200),
        "not a valid JWK set",
    );
    mock.shutdown().await;
}

#[tokio::test]
async fn jwks_unreachable_is_transient() {
    let err = client(&dead_base(), Duration::from_secs(5))
        .fetch_jwks()
        .await
        .unwrap_err();
    assert_failure(
        &err,
        FailureKind::Jwks,
        FailureClass::Transient,
        None,
        "cannot connect",
    );
}

#[tokio::test]
async fn jwks_hang_ends_at_the_timeout() {
    let mock = mock(Fault::Ok).await;
    mock.set_jwks_fault(Fault::Hang);
    let started = Instant::now();
    let err = client(&mock.base_url(), Duration::from_secs(1))
        .fetch_jwks()
        .await
        .unwrap_err();
    assert!(started.elapsed() < GENEROUS);
    assert_failure(
        &err,
        FailureKind::Jwks,
        FailureClass::Transient,
        None,
        "timed out after 1s",
    );
    let stopping = Instant::now();
    mock.shutdown().await;
    assert!(stopping.elapsed() < GENEROUS);
}

// ------------------------------------------------------------------------------ JWT verification

const NOW: i64 = 1_800_000_000;

fn good_claims() -> Value {
    AgentJwtSpec::demo("agent-123", AgentKey::from_seed([7; 32]), NOW).claims()
}

fn rs256(kid: Option<&str>) -> Header {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = kid.map(str::to_string);
    header
}

fn reject(jwt: &str, needle: &str) {
    let err = verify_agent_jwt(jwt, &demo_jwks(), NOW).unwrap_err();
    assert_failure(
        &err,
        FailureKind::Verification,
        FailureClass::Permanent,
        None,
        needle,
    );
    assert!(
        !err.message.contains("MFECAQEw"),
        "no key material in {err}"
    );
}

#[test]
fn jwt_good_token_verifies() {
    let jwt = mint_agent_jwt(&AgentJwtSpec::demo(
        "agent-123",
        AgentKey::from_seed([7; 32]),
        NOW,
    ))
    .unwrap();
    let claims = verify_agent_jwt(&jwt, &demo_jwks(), NOW).unwrap();
    assert_eq!(claims["agent_runtime_id"], "agent-123");
    assert_eq!(claims["iss"], AGENT_JWT_ISSUER);
    assert_eq!(claims["aud"], AGENT_JWT_AUDIENCE);
}

#[test]
fn jwt_unknown_or_missing_kid_is_rejected() {
    let pem = demo_rsa_private_pem();
    reject(
        &mint_jwt_with(rs256(Some("other-kid")), &good_claims(), pem).unwrap(),
        "not in the JWKS",
    );
    reject(
        &mint_jwt_with(rs256(None), &good_claims(), pem).unwrap(),
        "no key id",
    );
}

#[test]
fn jwt_signed_by_another_key_is_rejected() {
    let jwt = mint_jwt_with(rs256(Some(DEMO_KID)), &good_claims(), OTHER_RSA_PEM).unwrap();
    reject(&jwt, "signature does not verify");
    // A JWKS without the demo key does not know the kid at all.
    let empty = jsonwebtoken::jwk::JwkSet { keys: vec![] };
    let good = mint_jwt_with(
        rs256(Some(DEMO_KID)),
        &good_claims(),
        demo_rsa_private_pem(),
    )
    .unwrap();
    assert!(verify_agent_jwt(&good, &empty, NOW).is_err());
}

#[test]
fn jwt_alg_none_is_rejected() {
    let unsigned = mint_unsigned_jwt(&good_claims(), Some(DEMO_KID));
    reject(&unsigned, "only RS256");
    reject(&format!("{unsigned}c2ln"), "only RS256");
}

#[test]
fn jwt_hs256_alg_confusion_is_rejected() {
    // HS256 "signed" with the RSA public key (as served) as the HMAC secret.
    for secret in [DEMO_RSA_PUBLIC_PEM, DEMO_JWKS_JSON] {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(DEMO_KID.to_string());
        let jwt = mint_jwt_with(header, &good_claims(), secret).unwrap();
        reject(&jwt, "\"HS256\"; only RS256");
    }
}

#[test]
fn jwt_other_algorithms_are_rejected_even_with_the_right_key() {
    let mut header = Header::new(Algorithm::RS384);
    header.kid = Some(DEMO_KID.to_string());
    reject(
        &mint_jwt_with(header, &good_claims(), demo_rsa_private_pem()).unwrap(),
        "RS384",
    );
    let mut header = Header::new(Algorithm::PS256);
    header.kid = Some(DEMO_KID.to_string());
    reject(
        &mint_jwt_with(header, &good_claims(), demo_rsa_private_pem()).unwrap(),
        "PS256",
    );
    // ES256 header with a junk signature: refused on the algorithm alone.
    let good = mint_agent_jwt(&AgentJwtSpec::demo("a", AgentKey::from_seed([7; 32]), NOW)).unwrap();
    let es_header = base64_url(&json!({"alg": "ES256", "kid": DEMO_KID}).to_string());
    let rest = good.split_once('.').unwrap().1;
    reject(&format!("{es_header}.{rest}"), "ES256");
}

#[test]
fn jwt_wrong_claims_are_rejected() {
    let pem = demo_rsa_private_pem();
    let with = |key: &str, value: Value| {
        let mut claims = good_claims();
        claims[key] = value;
        mint_jwt_with(rs256(Some(DEMO_KID)), &claims, pem).unwrap()
    };
    reject(&with("iss", json!("https://evil.example/")), "issuer");
    reject(&with("aud", json!("someone-else")), "audience");
    reject(&with("exp", json!(NOW - 3600)), "expired");
    let mut no_aud = good_claims();
    no_aud.as_object_mut().unwrap().remove("aud");
    reject(
        &mint_jwt_with(rs256(Some(DEMO_KID)), &no_aud, pem).unwrap(),
        "aud",
    );
    // Within the leeway is still fine.
    assert!(verify_agent_jwt(&with("exp", json!(NOW - 30)), &demo_jwks(), NOW).is_ok());
}

#[test]
fn jwt_garbage_is_rejected_without_panicking() {
    for junk in [
        "",
        "not-a-jwt",
        "a.b",
        "a..c",
        "!!!.e30.sig",
        "e30.e30.e30",
        "a.b.c.d",
    ] {
        assert!(verify_agent_jwt(junk, &demo_jwks(), NOW).is_err(), "{junk}");
    }
}

fn base64_url(s: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

// --------------------------------------------------------------------------- task registration

#[tokio::test]
async fn task_ok_plaintext() {
    let mock = mock(Fault::Ok).await;
    let key = known_agent(&mock, "agent-1");
    let outcome = client_for(&mock)
        .register_task_attempt("agent-1", &key, Utc::now())
        .await
        .unwrap();
    assert_eq!(outcome.status, 200);
    assert!(outcome.value.expose().starts_with("task-"));
    assert!(!format!("{:?}", outcome.value).contains(outcome.value.expose()));
    assert_eq!(mock.stats().task_register, 1);
    assert_eq!(mock.stats().tasks_issued, 1);
    mock.shutdown().await;
}

#[tokio::test]
async fn task_id_variants_all_yield_the_task_id() {
    for fault in [Fault::PlainCamel, Fault::Sealed, Fault::SealedCamel] {
        let mock = mock(fault.clone()).await;
        let task = register(&mock, "agent-1").await.unwrap();
        assert!(task.expose().starts_with("task-"), "{fault:?}");
        mock.shutdown().await;
    }
}

#[tokio::test]
async fn undecryptable_task_ids_are_permanent() {
    for (fault, needle) in [
        (Fault::BadSealed, "could not be opened"),
        (Fault::NonUtf8Sealed, "not UTF-8"),
    ] {
        let mock = mock(fault).await;
        let err = register(&mock, "agent-1").await.unwrap_err();
        assert_failure(
            &err,
            FailureKind::Registration,
            FailureClass::Permanent,
            Some(200),
            needle,
        );
        mock.shutdown().await;
    }
}

#[tokio::test]
async fn missing_task_id_and_garbage_are_permanent() {
    let mock = mock(Fault::MissingTaskId).await;
    let err = register(&mock, "agent-1").await.unwrap_err();
    assert_failure(
        &err,
        FailureKind::Registration,
        FailureClass::Permanent,
        Some(200),
        "registration response omitted task id",
    );
    mock.set_fault(None, Fault::Garbage);
    let err = register(&mock, "agent-1").await.unwrap_err();
    assert_failure(
        &err,
        FailureKind::Registration,
        FailureClass::Permanent,
        Some(200),
        "registration response was not JSON",
    );
    mock.shutdown().await;
}

#[tokio::test]
async fn statuses_are_classified() {
    let mock = mock(Fault::Ok).await;
    for (status, class) in [
        (401, FailureClass::Permanent),
        (403, FailureClass::Permanent),
        (404, FailureClass::Permanent),
        (429, FailureClass::Transient),
        (503, FailureClass::Transient),
    ] {
        mock.set_fault(None, Fault::Status(status));
        let err = register(&mock, "agent-1").await.unwrap_err();
        let url = format!("{}/v1/agent/agent-1/task/register", mock.base_url());
        let expected = format!("task registration failed: HTTP {status} from {url}");
        assert_failure(
            &err,
            FailureKind::Registration,
            class,
            Some(status),
            &expected,
        );
    }
    mock.shutdown().await;
}

#[tokio::test]
async fn fail_first_then_succeed_counts_per_runtime() {
    let mock = mock(Fault::FailFirst { n: 2, status: 503 }).await;
    let key = known_agent(&mock, "agent-1");
    let backend = client_for(&mock);
    for _ in 0..2 {
        let err = backend
            .register_task_attempt("agent-1", &key, Utc::now())
            .await
            .unwrap_err();
        assert!(err.is_transient() && err.status == Some(503));
    }
    assert!(
        backend
            .register_task_attempt("agent-1", &key, Utc::now())
            .await
            .is_ok()
    );
    // Another agent has its own counter.
    assert_eq!(
        register(&mock, "agent-2").await.unwrap_err().status,
        Some(503)
    );
    mock.shutdown().await;
}

#[tokio::test]
async fn per_runtime_faults_override_the_global_one() {
    let mock = mock(Fault::Ok).await;
    mock.set_fault(Some("agent-down"), Fault::Status(503));
    assert!(register(&mock, "agent-ok").await.is_ok());
    assert_eq!(
        register(&mock, "agent-down").await.unwrap_err().status,
        Some(503)
    );
    mock.set_fault(Some("agent-down"), Fault::Ok);
    assert!(register(&mock, "agent-down").await.is_ok());
    mock.shutdown().await;
}

#[tokio::test]
async fn hang_ends_at_the_timeout_and_does_not_block_shutdown() {
    let mock = mock(Fault::Hang).await;
    let key = known_agent(&mock, "agent-1");
    let started = Instant::now();
    let err = client(&mock.base_url(), Duration::from_secs(1))
        .register_task_attempt("agent-1", &key, Utc::now())
        .await
        .unwrap_err();
    assert!(started.elapsed() < GENEROUS);
    assert_failure(
        &err,
        FailureKind::Registration,
        FailureClass::Transient,
        None,
        "timed out after 1s",
    );

    // A request still hanging when the mock stops must not keep it alive.
    let base = mock.base_url();
    let pending = tokio::spawn(async move {
        client(&base, Duration::from_secs(60))
            .register_task_attempt("agent-1", &key, Utc::now())
            .await
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let stopping = Instant::now();
    mock.shutdown().await;
    assert!(stopping.elapsed() < GENEROUS);
    let ended = tokio::time::timeout(GENEROUS, pending)
        .await
        .unwrap()
        .unwrap();
    assert!(ended.is_err());
}

#[tokio::test]
async fn latency_is_measured() {
    let mock = mock(Fault::Latency(Duration::from_millis(300))).await;
    let key = known_agent(&mock, "agent-1");
    let outcome = client_for(&mock)
        .register_task_attempt("agent-1", &key, Utc::now())
        .await
        .unwrap();
    assert!(
        outcome.latency >= Duration::from_millis(300),
        "{:?}",
        outcome.latency
    );
    mock.shutdown().await;
}

#[tokio::test]
async fn connection_refused_is_transient() {
    let err = client(&dead_base(), Duration::from_secs(5))
        .register_task_attempt("agent-1", &AgentKey::generate(), Utc::now())
        .await
        .unwrap_err();
    assert_failure(
        &err,
        FailureKind::Registration,
        FailureClass::Transient,
        None,
        "cannot connect",
    );
}

#[tokio::test]
async fn unknown_runtime_is_a_permanent_404() {
    let mock = mock(Fault::Ok).await;
    let err = client_for(&mock)
        .register_task_attempt("agent-unknown", &AgentKey::generate(), Utc::now())
        .await
        .unwrap_err();
    assert_failure(
        &err,
        FailureKind::Registration,
        FailureClass::Permanent,
        Some(404),
        "HTTP 404",
    );
    mock.shutdown().await;
}

#[tokio::test]
async fn bad_signatures_and_stale_timestamps_are_rejected() {
    let mock = mock(Fault::Ok).await;
    known_agent(&mock, "agent-1");
    let backend = client_for(&mock);
    let wrong_key = AgentKey::generate();
    let err = backend
        .register_task_attempt("agent-1", &wrong_key, Utc::now())
        .await
        .unwrap_err();
    assert_failure(
        &err,
        FailureKind::Registration,
        FailureClass::Permanent,
        Some(401),
        "HTTP 401",
    );

    let right_key = known_agent(&mock, "agent-2");
    let stale = Utc::now() - chrono::Duration::minutes(10);
    let err = backend
        .register_task_attempt("agent-2", &right_key, stale)
        .await
        .unwrap_err();
    assert_eq!(err.status, Some(401));
    assert!(
        backend
            .register_task_attempt("agent-2", &right_key, Utc::now())
            .await
            .is_ok()
    );

    mock.set_fault(None, Fault::RejectSignature);
    let err = backend
        .register_task_attempt("agent-2", &right_key, Utc::now())
        .await
        .unwrap_err();
    assert_eq!(
        (err.status, err.class),
        (Some(401), FailureClass::Permanent)
    );
    assert_eq!(mock.stats().tasks_issued, 1);
    mock.shutdown().await;
}

#[tokio::test]
async fn awkward_runtime_ids_are_encoded_and_signed_as_is() {
    let mock = mock(Fault::Ok).await;
    assert!(register(&mock, "agent 1/x?y").await.is_ok());
    mock.shutdown().await;
}

// -------------------------------------------------------------------------- agent registration

#[tokio::test]
async fn agent_registration_then_task_registration() {
    let mock = mock(Fault::Ok).await;
    let key = AgentKey::generate();
    let backend = client_for(&mock);
    let outcome = backend
        .register_agent(&Secret::new("chatgpt-access-token"), true, &key)
        .await
        .unwrap();
    assert_eq!(outcome.status, 200);
    assert!(outcome.value.starts_with("agent-"));
    let task = backend
        .register_task_attempt(&outcome.value, &key, Utc::now())
        .await
        .unwrap();
    assert!(task.value.expose().starts_with("task-"));
    assert_eq!(mock.stats().agent_register, 1);
    mock.shutdown().await;
}

#[tokio::test]
async fn agent_registration_failures() {
    let mock = mock(Fault::Ok).await;
    let backend = client_for(&mock);
    let key = AgentKey::generate();
    let err = backend
        .register_agent(&Secret::new(""), false, &key)
        .await
        .unwrap_err();
    assert_failure(
        &err,
        FailureKind::Provision,
        FailureClass::Permanent,
        Some(401),
        "agent registration failed: HTTP 401",
    );

    mock.set_agent_register_fault(Fault::Status(502));
    let token = Secret::new("secret-bearer-value");
    let err = backend
        .register_agent(&token, false, &key)
        .await
        .unwrap_err();
    assert_failure(
        &err,
        FailureKind::Provision,
        FailureClass::Transient,
        Some(502),
        "HTTP 502",
    );
    assert!(!err.to_string().contains("secret-bearer-value"));

    mock.set_agent_register_fault(Fault::MissingTaskId);
    let err = backend
        .register_agent(&token, false, &key)
        .await
        .unwrap_err();
    assert_failure(
        &err,
        FailureKind::Provision,
        FailureClass::Permanent,
        Some(200),
        "omitted agent_runtime_id",
    );
    mock.shutdown().await;
}

// ---------------------------------------------------------------------------- endless answers

/// A body that never ends must end each call with a permanent "larger than" error, well before
/// the (long) request timeout: the read stops at the cap, so memory stays bounded. Before the
/// cap, these calls read until the timeout and grew the process by gigabytes.
#[tokio::test]
async fn endless_answers_are_cut_off_at_the_cap_on_every_endpoint() {
    let mock = mock(Fault::Endless).await;
    mock.set_jwks_fault(Fault::Endless);
    mock.set_agent_register_fault(Fault::Endless);
    let backend = client(&mock.base_url(), Duration::from_secs(30));

    let err = backend.fetch_jwks().await.unwrap_err();
    assert_failure(
        &err,
        FailureKind::Jwks,
        FailureClass::Permanent,
        Some(200),
        "JWKS fetch failed: the answer from http://127.0.0.1",
    );
    assert!(err.to_string().contains("is larger than 4 MiB"), "{err}");

    let key = known_agent(&mock, "agent-endless");
    let err = backend
        .register_task_attempt("agent-endless", &key, Utc::now())
        .await
        .unwrap_err();
    assert_failure(
        &err,
        FailureKind::Registration,
        FailureClass::Permanent,
        Some(200),
        "is larger than 64 KiB",
    );

    let err = backend
        .register_agent(&Secret::new("bearer"), false, &key)
        .await
        .unwrap_err();
    assert_failure(
        &err,
        FailureKind::Provision,
        FailureClass::Permanent,
        Some(200),
        "is larger than 64 KiB",
    );
    mock.shutdown().await;
}

/// A second RSA key (test fixture only, generated once with openssl; trusted by nothing).
const OTHER_RSA_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCqT6jicg5tNOIN
s8rXwSHA4YEgG69Ekd595sUD+taufJ73yXPp3R2fJg8GmSf2Uz7TTEO6JEHt2I9q
tFrInDvTZZFwwK9f97RmjltPfncE4vHETjWRIjRAidj/aNDooJceSixnvHeEdaRm
umUAE3LaQlDkxvAEARRrYCl/9pCZXYAeQ30xkKGp2JELkgNQQoGQgexHJ4G99Faw
HSMJr7BgR+aSvYYlGfBfBhKEoH32nWcRBkMnfxULRtdQT7Ma0ZqlQVGg3GO3acqQ
Td4O4yNducbTcthYWdcTLumMAgRVbe5byKUiNRsrJt2qgN1TQVq/gTFRepkF4Ayw
aQPl0u7/AgMBAAECggEADVcnDfHMMn6xdExQh7zvlWm0kRzKCk94w5jndsvXtBw7
4YHsq/VvhA9ZnvUxPajAo5F2PqbnaSeM+Fk/QTaHsyPiFBhrxFMlVOEywtPPo9jZ
Ajz0EjXBLQr/LeZ6crZdj/hUaR3IqN4ELi3Mioh7dyA5sOnqVA33mP+T0JuyMOkS
hBHmz7oXyDsiI03BptXwTMrkUbT16rk+dqnAPK/K/5tC0h+xsVincFEHLCtU8c6o
KFLAsHHZ92IQF8jF7zuMfMlU7zfMufGvMn6IbvGhJWx24QuZg1BbfPsBL8w43tgy
B7rbflwOnJawCNMciUUWF1Xs3mFWHuaQYd0O++8aFQKBgQDvKDxXs2p5sw4qghbs
Pdh5ZCPN9jne5LPViej92lFaCk1T4Blg0O6ctuKiNXq5VFxn6gb0TOKYtxlomIgZ
Fl7mOkC0fdaXt+hSxSYnAgSzyvhv0T1tx69j0/ttma4tNOvz1CXozSQXLMLdSxeR
apUUmT6EZMn9O3gCcPL0+hUbbQKBgQC2TjMWJtvmxQ0ObCnU5E5l47/hTA1YqPii
d03bgeY+oN5NHK+TKYOt+FqE3r5ij3ks4fvXbxe9eGfOBjRg/hDTqzeVNIos9IoD
ap+HGlSLfznoJoOVDrCkzKDpiuE77s97BQ+DPzi2Xblrih3NcsCzvUlSn1VmJS7N
QyeF4fAkmwKBgQCS8/hQM3DDoyCbQiBvvXjc7omJrzjUG1fdaMZ/5byDRT1KwrMV
aIyWQ1JzNcVZR9sYBxeK2guKp0e3m7JVKAfcFANaZNCNnXXmFjphUb4t9BRAMSQ7
5q2A++rM59e8833g74TzzcnVa625aMDsm79LTva5R21Oa1JMvbasjVaW6QKBgEdT
dydeksDKLd6LsR4rKQUyQzt5jus2SPj/poWQYC32sKMI6ySvpGZnebrsjx5uteE6
lVbnjylBN5Pi15FvNdQq8/c7dCg8kNbfW4T3Z0agw14x219xPOltajOVc6QIPkMK
atRV4vFu4AHUKu7by8tG7q4VysrJF3OVp5v5FwSrAoGAf5eviXtx00u2N7AYguJm
hEty5XGQFYVZBaM5tFXc0yj+1R53OGXdFyN7LqpXzaRB8M78bigDalC8TiWcJ2zW
5Gf/EPFZRQcVsDr+2VFsILnf5V9zPcwnsZD0wfMwZxNLEPJ5M0W5eq4eEza5WVK+
t7bmc4Wdss8vVHk3ONXHT8c=
-----END PRIVATE KEY-----
";

/// The demo key's public half, as an attacker would fetch it (for the HS256 alg-confusion test).
const DEMO_RSA_PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAslmTOjC6YYlVt96I/3rp
bU9pEOPNhwtedfHfkb6rNs7PQvrk+okH4Lane6WecaDjNk2z0S9PVPA6vS6gV1AI
TxR5TmdS5RsOPTVQeD6cBqrskzQa9t0ba47899SExihg1ltea/RyivYWADNcf01d
MF6AKpkYgbqixg4cG5VosXgIfD2+HbKt8LjSDvOMXnFQtZ+Jr0EyI5Ac4WvEiPiX
8iqPWT6iyuH61OqA0d2zWySIs+UrZqKAuRbOFmja5oygn/RPfr1e3lCBC/R8eJcx
5D+nT8uogkhmKaIrGOQVpFDRANCvNCcSWZw/7pJsNJQc1BSiRF+U0+QJP4wY2wzA
QwIDAQAB
-----END PUBLIC KEY-----
";
