use super::*;

const PUBLIC_HEX: &str = "ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c";
const V2: &str = "MFECAQEwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHgSEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=";
const V1: &str = "MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH";
const SSH: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs";
const X_SECRET_HEX: &str = "28ad39fefd7fa3e200a9c626eef599e61a2d055c48a8288a4e7e4c4bca392878";
const X_PUBLIC_HEX: &str = "761d88ec830413919dfe9d4d1d56f17e653c8c994082df5b137b90a0ae6edf74";
const SEALED: &str = "V9tLNZ8jrl4Ubk4lEgVnBHIlBjSMFQwUdT0Mkz0E1CHl6kKN5okRS43ADd/oDRNtjxtopKhskJE=";

fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

fn key7() -> AgentKey {
    AgentKey::from_seed([7u8; 32])
}

#[test]
fn seed7_public_key_ssh_and_fingerprint_match_vectors() {
    let key = key7();
    assert_eq!(hex(&key.public_key_bytes()), PUBLIC_HEX);
    assert_eq!(key.ssh_public_key(), SSH);
    // Computed independently with `ssh-keygen -l` on the SSH key above.
    assert_eq!(
        key.fingerprint(),
        "SHA256:z/fSv0Z0RZS+Lccbc6ZoOWwt/fbj1VFJGSBKQbo4icE"
    );
    // And derived from the SSH blob as the spec describes.
    let blob = STANDARD.decode(SSH.split(' ').nth(1).unwrap()).unwrap();
    let expected = format!("SHA256:{}", STANDARD_NO_PAD.encode(Sha256::digest(&blob)));
    assert_eq!(key.fingerprint(), expected);
}

#[test]
fn pkcs8_v2_emitted_and_both_versions_read() {
    assert_eq!(key7().to_pkcs8_v2_base64().expose(), V2);
    assert_eq!(AgentKey::from_pkcs8_base64(V2).unwrap(), key7());
    assert_eq!(AgentKey::from_pkcs8_base64(V1).unwrap(), key7());
    let padded = format!("  \n{V2}\n ");
    assert_eq!(AgentKey::from_pkcs8_base64(&padded).unwrap(), key7());
    let fresh = AgentKey::generate();
    let back = AgentKey::from_pkcs8_base64(fresh.to_pkcs8_v2_base64().expose()).unwrap();
    assert_eq!(back, fresh);
    assert_ne!(fresh, key7());
}

#[test]
fn x25519_keys_match_vectors() {
    let key = key7();
    assert_eq!(hex(key.x25519_secret_bytes().as_slice()), X_SECRET_HEX);
    assert_eq!(hex(&key.x25519_public_bytes()), X_PUBLIC_HEX);
    assert_eq!(
        x25519_public_from_ed25519(&key.public_key_bytes()),
        Some(key.x25519_public_bytes())
    );
}

#[test]
fn sealed_vector_opens_to_task_123() {
    let opened = key7().open_sealed_task_id(SEALED).unwrap();
    assert_eq!(opened.expose(), "task-123");
}

#[test]
fn seal_round_trip_and_other_key_cannot_open() {
    let key = AgentKey::generate();
    let sealed = STANDARD.encode(seal_to(&key.x25519_public_bytes(), b"task-xyz"));
    assert_eq!(
        key.open_sealed_task_id(&sealed).unwrap().expose(),
        "task-xyz"
    );
    assert_eq!(
        key7().open_sealed_task_id(&sealed),
        Err(SealError::CannotOpen)
    );
}

#[test]
fn bad_sealed_inputs_are_errors() {
    let key = key7();
    assert_eq!(key.open_sealed_task_id("%%%"), Err(SealError::NotBase64));
    assert_eq!(
        key.open_sealed_task_id(&STANDARD.encode([1u8; 47])),
        Err(SealError::TooShort(47))
    );
    assert_eq!(key.open_sealed_task_id(""), Err(SealError::TooShort(0)));
    let mut tampered = STANDARD.decode(SEALED).unwrap();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    assert_eq!(
        key.open_sealed_task_id(&STANDARD.encode(&tampered)),
        Err(SealError::CannotOpen)
    );
    let non_utf8 = STANDARD.encode(seal_to(&key.x25519_public_bytes(), &[0xff, 0xfe, 0x00]));
    assert_eq!(key.open_sealed_task_id(&non_utf8), Err(SealError::NotUtf8));
}

#[test]
fn bad_private_keys_are_errors_without_key_bytes() {
    assert_eq!(AgentKey::from_pkcs8_base64("  "), Err(KeyError::Empty));
    assert_eq!(
        AgentKey::from_pkcs8_base64("not base64!"),
        Err(KeyError::NotBase64)
    );
    // Wrong length: a truncated v2 key and a bare 32-byte seed.
    let der = STANDARD.decode(V2).unwrap();
    let truncated = STANDARD.encode(&der[..60]);
    assert!(matches!(
        AgentKey::from_pkcs8_base64(&truncated),
        Err(KeyError::NotPkcs8(_))
    ));
    let seed_only = STANDARD.encode([7u8; 32]);
    assert!(matches!(
        AgentKey::from_pkcs8_base64(&seed_only),
        Err(KeyError::NotPkcs8(_))
    ));
    assert!(matches!(
        AgentKey::from_pkcs8_base64(&STANDARD.encode(b"garbage DER bytes")),
        Err(KeyError::NotPkcs8(_))
    ));
    // v2 whose public key is not the seed's.
    let mut mismatched = der.clone();
    let last = mismatched.len() - 1;
    mismatched[last] ^= 0x01;
    let err = AgentKey::from_pkcs8_base64(&STANDARD.encode(&mismatched)).unwrap_err();
    assert_eq!(err, KeyError::PublicKeyMismatch);
    assert!(!err.to_string().contains("BwcH"));
    // An X25519 key (OID 1.3.101.110) is the wrong algorithm.
    let mut x25519 = STANDARD.decode(V1).unwrap();
    x25519[11] = 0x6e;
    assert_eq!(
        AgentKey::from_pkcs8_base64(&STANDARD.encode(&x25519)),
        Err(KeyError::WrongAlgorithm("1.3.101.110".into()))
    );
}

#[test]
fn debug_shows_only_the_fingerprint() {
    let shown = format!("{:?}", key7());
    assert!(shown.contains("SHA256:z/fSv0Z0"));
    assert!(!shown.contains("7, 7"));
    assert!(!shown.contains("BwcH"));
}

#[test]
fn signatures_verify_and_ssh_keys_parse() {
    let key = key7();
    let sig = key.sign_base64(b"hello");
    let public = key.public_key_bytes();
    assert!(verify_signature_base64(&public, b"hello", &sig));
    assert!(!verify_signature_base64(&public, b"hellO", &sig));
    assert!(!verify_signature_base64(&public, b"hello", "nope"));
    assert!(!verify_signature_base64(
        &public,
        b"hello",
        &STANDARD.encode([0u8; 63])
    ));
    assert!(!verify_signature_base64(
        &AgentKey::generate().public_key_bytes(),
        b"hello",
        &sig
    ));
    assert_eq!(public_key_from_ssh(SSH), Some(public));
    assert_eq!(public_key_from_ssh(&format!("{SSH} me@host")), Some(public));
    assert_eq!(public_key_from_ssh("ssh-rsa AAAAB3NzaC1yc2E"), None);
    assert_eq!(public_key_from_ssh("ssh-ed25519 !!!"), None);
    assert_eq!(
        public_key_from_ssh("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5"),
        None
    );
    assert_eq!(public_key_from_ssh(""), None);
}
