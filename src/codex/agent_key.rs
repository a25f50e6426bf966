//! Ed25519 agent key material for Agent Identity (docs/codex-formats.md §4.4).
//!
//! An Agent Identity carries its private key as standard base64 of a PKCS#8 DER Ed25519 key.
//! Codex has written both PKCS#8 v1 (seed only) and v2 (seed + public key), so both are read; v2
//! is always written, and a v2 public key that does not match its seed is refused instead of
//! silently trusted — a key that signs with one identity and claims another would make every
//! registration fail in a confusing way.
//!
//! The same key also receives encrypted task ids: the backend seals them (libsodium
//! `crypto_box_seal`) to the X25519 key derived from the Ed25519 seed, exactly as libsodium's
//! `crypto_sign_ed25519_sk_to_curve25519` does. The helpers at the bottom ([`seal_to`],
//! [`verify_signature_base64`], [`public_key_from_ssh`]) are the backend's side of those
//! operations; the embedded mock backend uses them.
//!
//! Nothing here panics on input, and no error message or `Debug` output contains key bytes: an
//! [`AgentKey`] prints only its fingerprint.
//!
//! Key material is wiped when it is dropped: the `SigningKey` inside an [`AgentKey`] (the
//! `zeroize` feature of ed25519-dalek), the PKCS#8 bytes a key is read from and written to, the
//! seed and randomness of a fresh key, the derived X25519 secret and crypto_box's own copy of it,
//! and an opened task id (a [`Secret`]).

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use ed25519_dalek::pkcs8::{self, PrivateKeyInfo};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use rand::RngCore as _;
use sha2::{Digest as _, Sha256, Sha512};
use zeroize::{Zeroize as _, Zeroizing};

use crate::secret::Secret;

/// Domain separation prefix newest Codex hashes with fresh randomness to derive a seed.
const SEED_DOMAIN: &[u8] = b"codex-agent-identity-ed25519-v1";
/// PKCS#8 v2 (RFC 8410 `OneAsymmetricKey`, version 1) prefix up to the 32-byte seed.
const PKCS8_V2_PREFIX: [u8; 16] = [
    0x30, 0x51, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];
/// `[1] IMPLICIT BIT STRING` header (33 bytes, no unused bits) before the public key.
const PKCS8_V2_PUBLIC_HEADER: [u8; 3] = [0x81, 0x21, 0x00];
const SSH_KEY_TYPE: &str = "ssh-ed25519";
/// Smallest sealed box: ephemeral public key (32) + Poly1305 tag (16).
const SEALED_MIN_LEN: usize = 32 + 16;

/// Why an agent private key could not be read. Messages never contain key material.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum KeyError {
    #[error("agent private key is empty")]
    Empty,
    #[error("agent private key is not valid base64 (expected standard base64 of a PKCS#8 DER key)")]
    NotBase64,
    #[error("agent private key is not a PKCS#8 DER key: {0}")]
    NotPkcs8(String),
    #[error("agent private key is not an Ed25519 key (PKCS#8 algorithm {0})")]
    WrongAlgorithm(String),
    #[error(
        "agent private key's embedded public key does not match its private key; the key is corrupt"
    )]
    PublicKeyMismatch,
}

/// Why a sealed (encrypted) task id could not be opened.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum SealError {
    #[error("encrypted task id is not valid base64")]
    NotBase64,
    #[error("encrypted task id is too short ({0} bytes; a sealed box has at least 48)")]
    TooShort(usize),
    #[error(
        "encrypted task id could not be opened with this agent's key (tampered, or sealed to another key)"
    )]
    CannotOpen,
    #[error("decrypted task id is not UTF-8 text")]
    NotUtf8,
}

/// An Ed25519 agent signing key. `Debug` prints only the fingerprint.
#[derive(Clone, PartialEq, Eq)]
pub struct AgentKey {
    signing: SigningKey,
}

impl fmt::Debug for AgentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgentKey")
            .field("fingerprint", &self.fingerprint())
            .finish()
    }
}

impl AgentKey {
    /// Reads `agent_private_key`: standard base64 of PKCS#8 DER, v1 or v2 (surrounding whitespace
    /// ignored). A v2 public key must match the seed.
    pub fn from_pkcs8_base64(s: &str) -> Result<Self, KeyError> {
        let trimmed = s.trim();
        if trimmed.is_empty() {
            return Err(KeyError::Empty);
        }
        let der = Zeroizing::new(
            STANDARD
                .decode(trimmed)
                .or_else(|_| STANDARD_NO_PAD.decode(trimmed))
                .map_err(|_| KeyError::NotBase64)?,
        );
        let info = PrivateKeyInfo::try_from(der.as_slice())
            .map_err(|e| KeyError::NotPkcs8(e.to_string()))?;
        if info.algorithm.oid != pkcs8::ALGORITHM_OID {
            return Err(KeyError::WrongAlgorithm(info.algorithm.oid.to_string()));
        }
        let pair =
            pkcs8::KeypairBytes::try_from(info).map_err(|e| KeyError::NotPkcs8(e.to_string()))?;
        let key = Self::from_seed(pair.secret_key);
        if let Some(public) = pair.public_key
            && public.to_bytes() != key.public_key_bytes()
        {
            return Err(KeyError::PublicKeyMismatch);
        }
        Ok(key)
    }

    /// The key for a 32-byte seed. This copy of the seed is wiped; the caller's is its own.
    pub fn from_seed(mut seed: [u8; 32]) -> Self {
        let signing = SigningKey::from_bytes(&seed);
        seed.zeroize();
        Self { signing }
    }

    /// A fresh key the way newest Codex makes one:
    /// seed = SHA-512("codex-agent-identity-ed25519-v1" ‖ 64 random bytes)[0..32].
    pub fn generate() -> Self {
        let mut random = Zeroizing::new([0u8; 64]);
        rand::rngs::OsRng.fill_bytes(random.as_mut_slice());
        let mut digest = Sha512::new()
            .chain_update(SEED_DOMAIN)
            .chain_update(random.as_slice())
            .finalize();
        let mut seed = Zeroizing::new([0u8; 32]);
        seed.copy_from_slice(&digest[..32]);
        digest.as_mut_slice().zeroize();
        Self::from_seed(*seed)
    }

    /// PKCS#8 v2 DER (83 bytes: seed + public key), standard base64 — what Codex stores.
    pub fn to_pkcs8_v2_base64(&self) -> Secret {
        let mut der = Zeroizing::new(Vec::with_capacity(83));
        der.extend_from_slice(&PKCS8_V2_PREFIX);
        der.extend_from_slice(self.signing.as_bytes());
        der.extend_from_slice(&PKCS8_V2_PUBLIC_HEADER);
        der.extend_from_slice(&self.public_key_bytes());
        Secret::new(STANDARD.encode(der.as_slice()))
    }

    pub fn public_key_bytes(&self) -> [u8; 32] {
        self.signing.verifying_key().to_bytes()
    }

    /// `ssh-ed25519 AAAA…`, the form agent registration sends.
    pub fn ssh_public_key(&self) -> String {
        format!(
            "{SSH_KEY_TYPE} {}",
            STANDARD.encode(ssh_blob(&self.public_key_bytes()))
        )
    }

    /// `SHA256:` + unpadded base64 of SHA-256 of the SSH blob, as `ssh-keygen -l` prints it.
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(ssh_blob(&self.public_key_bytes()));
        format!("SHA256:{}", STANDARD_NO_PAD.encode(digest))
    }

    /// Standard padded base64 of the Ed25519 signature over `msg`.
    pub fn sign_base64(&self, msg: &[u8]) -> String {
        STANDARD.encode(self.signing.sign(msg).to_bytes())
    }

    /// The X25519 secret derived from the seed: clamped SHA-512(seed)[0..32]. Wiped on drop.
    pub fn x25519_secret_bytes(&self) -> Zeroizing<[u8; 32]> {
        let mut digest = Sha512::digest(self.signing.as_bytes());
        let mut x = Zeroizing::new([0u8; 32]);
        x.copy_from_slice(&digest[..32]);
        digest.as_mut_slice().zeroize();
        x[0] &= 0b1111_1000;
        x[31] &= 0b0111_1111;
        x[31] |= 0b0100_0000;
        x
    }

    /// The X25519 public key task ids are sealed to.
    pub fn x25519_public_bytes(&self) -> [u8; 32] {
        crypto_box::SecretKey::from_bytes(*self.x25519_secret_bytes())
            .public_key()
            .to_bytes()
    }

    /// Opens a sealed task id (libsodium `crypto_box_seal_open`); the plaintext must be UTF-8.
    pub fn open_sealed_task_id(&self, ciphertext_b64: &str) -> Result<Secret, SealError> {
        let ciphertext = decode_base64_lenient(ciphertext_b64).ok_or(SealError::NotBase64)?;
        if ciphertext.len() < SEALED_MIN_LEN {
            return Err(SealError::TooShort(ciphertext.len()));
        }
        let plaintext = Zeroizing::new(
            crypto_box::SecretKey::from_bytes(*self.x25519_secret_bytes())
                .unseal(&ciphertext)
                .map_err(|_| SealError::CannotOpen)?,
        );
        std::str::from_utf8(&plaintext)
            .map(Secret::new)
            .map_err(|_| SealError::NotUtf8)
    }
}

/// The SSH wire blob: u32be(11) ‖ "ssh-ed25519" ‖ u32be(32) ‖ public key.
fn ssh_blob(public_key: &[u8; 32]) -> Vec<u8> {
    let mut blob = Vec::with_capacity(4 + SSH_KEY_TYPE.len() + 4 + 32);
    blob.extend_from_slice(&11u32.to_be_bytes());
    blob.extend_from_slice(SSH_KEY_TYPE.as_bytes());
    blob.extend_from_slice(&32u32.to_be_bytes());
    blob.extend_from_slice(public_key);
    blob
}

/// Standard base64 (padded or not), or URL-safe as a courtesy; surrounding whitespace ignored.
fn decode_base64_lenient(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(s).ok())
}

/// Checks a standard-base64 Ed25519 signature (strict verification). Any malformed input → false.
pub fn verify_signature_base64(public_key: &[u8; 32], msg: &[u8], sig_b64: &str) -> bool {
    let Ok(key) = VerifyingKey::from_bytes(public_key) else {
        return false;
    };
    let Ok(raw) = STANDARD.decode(sig_b64.trim()) else {
        return false;
    };
    let Ok(sig) = Signature::from_slice(&raw) else {
        return false;
    };
    key.verify_strict(msg, &sig).is_ok()
}

/// `crypto_box_seal` to an X25519 public key with a random ephemeral key. Returns an empty vector
/// only if encryption itself fails (it cannot for task-id sized input), which openers reject.
pub fn seal_to(recipient_x25519_public: &[u8; 32], plaintext: &[u8]) -> Vec<u8> {
    crypto_box::PublicKey::from_bytes(*recipient_x25519_public)
        .seal(&mut rand::rngs::OsRng, plaintext)
        .unwrap_or_default()
}

/// The X25519 (Montgomery) form of an Ed25519 public key, as libsodium's
/// `crypto_sign_ed25519_pk_to_curve25519`; `None` if the bytes are not a curve point.
pub fn x25519_public_from_ed25519(public_key: &[u8; 32]) -> Option<[u8; 32]> {
    VerifyingKey::from_bytes(public_key)
        .ok()
        .map(|key| key.to_montgomery().to_bytes())
}

/// Parses `ssh-ed25519 AAAA… [comment]` into the raw 32-byte public key.
pub fn public_key_from_ssh(s: &str) -> Option<[u8; 32]> {
    let mut parts = s.split_whitespace();
    if parts.next()? != SSH_KEY_TYPE {
        return None;
    }
    let blob = STANDARD.decode(parts.next()?).ok()?;
    let key: [u8; 32] = blob
        .strip_prefix(&ssh_blob(&[0u8; 32])[..4 + SSH_KEY_TYPE.len() + 4])?
        .try_into()
        .ok()?;
    VerifyingKey::from_bytes(&key).ok()?;
    Some(key)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const PUBLIC_HEX: &str = "ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c";
    const V2: &str = "MFECAQEwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHgSEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=";
    const V1: &str = "MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH";
    const SSH: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs";
    const X_SECRET_HEX: &str = "28ad39fefd7fa3e200a9c626eef599e61a2d055c48a8288a4e7e4c4bca392878";
    const X_PUBLIC_HEX: &str = "761d88ec830413919dfe9d4d1d56f17e653c8c994082df5b137b90a0ae6edf74";
    const SEALED: &str =
        "V9tLNZ8jrl4Ubk4lEgVnBHIlBjSMFQwUdT0Mkz0E1CHl6kKN5okRS43ADd/oDRNtjxtopKhskJE=";

    fn hex(bytes: &[u8]) -> String {
        use std::fmt::Write as _;
        bytes.iter().fold(String::new(), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
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
}
