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
mod tests;
