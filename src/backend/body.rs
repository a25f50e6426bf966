//! Reading a response body with a hard size cap.
//!
//! reqwest's `bytes()` / `json()` read until the server stops sending. A server that streams
//! forever (broken proxy, hostile endpoint) then grows the process by gigabytes before the request
//! timeout fires, and under a memory limit the process aborts — in the TUI that leaves the
//! terminal raw. Every body authdeck reads goes through [`read_capped`] instead: it refuses a
//! declared `Content-Length` above the cap without reading anything, and stops reading (dropping
//! the connection) as soon as the bytes received pass the cap. An over-long answer is a bad
//! answer: the caller reports it as a permanent failure.
//!
//! The caps are per endpoint ([`JWKS_BODY_LIMIT`], [`REGISTRATION_BODY_LIMIT`]); new HTTP calls
//! should pick a cap of the same spirit — generous for any honest answer, finite.

use reqwest::Response;
use zeroize::Zeroizing;

/// Largest JWKS body accepted: a JWKS of 10,000 RSA keys is about 1 MB.
pub const JWKS_BODY_LIMIT: usize = 4 * 1024 * 1024;
/// Largest task- or agent-registration answer accepted (an honest one is a few hundred bytes).
pub const REGISTRATION_BODY_LIMIT: usize = 64 * 1024;

/// Why a capped read did not produce a body.
#[derive(Debug)]
pub enum BodyError {
    /// The body is (or declares itself) larger than `limit` bytes.
    TooLarge { limit: usize },
    /// The connection failed or timed out while reading.
    Transport(reqwest::Error),
}

/// Reads the whole body of `response`, refusing anything over `limit` bytes.
///
/// Memory use stays below `limit` plus one network chunk whatever the server sends.
///
/// A body may carry a task id, so it is read into a buffer that is wiped on drop and that never
/// reallocates behind authdeck's back: it is sized from `Content-Length` when there is one, and
/// otherwise grows by moving into a bigger wiped buffer (the old one is wiped as it goes).
pub async fn read_capped(
    mut response: Response,
    limit: usize,
) -> Result<Zeroizing<Vec<u8>>, BodyError> {
    let declared = match response.content_length() {
        Some(n) => match usize::try_from(n) {
            Ok(n) if n <= limit => n,
            _ => return Err(BodyError::TooLarge { limit }),
        },
        None => 0,
    };
    let mut body = Zeroizing::new(Vec::with_capacity(declared));
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if chunk.len() > limit.saturating_sub(body.len()) {
            return Err(BodyError::TooLarge { limit });
        }
        if body.capacity() - body.len() < chunk.len() {
            let want = (body.len() + chunk.len())
                .max(body.capacity() * 2)
                .min(limit);
            let mut bigger = Zeroizing::new(Vec::with_capacity(want));
            bigger.extend_from_slice(&body);
            body = bigger;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `4 MiB`, `64 KiB` or `100 bytes`, for messages.
pub fn format_size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(format_size(JWKS_BODY_LIMIT), "4 MiB");
        assert_eq!(format_size(REGISTRATION_BODY_LIMIT), "64 KiB");
        assert_eq!(format_size(100), "100 bytes");
        assert_eq!(format_size(1500), "1500 bytes");
    }

    /// A tiny one-shot HTTP server on 127.0.0.1 that answers `response` verbatim.
    async fn serve_once(response: Vec<u8>) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let _ = socket.write_all(&response).await;
            let _ = socket.shutdown().await;
        });
        format!("http://{addr}/")
    }

    async fn get(url: &str) -> Response {
        reqwest::Client::builder()
            .no_proxy()
            .build()
            .unwrap()
            .get(url)
            .send()
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_body_at_the_limit_is_read_whole() {
        let url = serve_once(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello".to_vec()).await;
        assert_eq!(
            read_capped(get(&url).await, 5).await.unwrap().as_slice(),
            b"hello"
        );
    }

    /// Without a `Content-Length` the wiped buffer grows by moving into bigger ones; every
    /// chunk must arrive, in order.
    #[tokio::test]
    async fn a_chunked_body_is_read_whole_through_the_growing_buffer() {
        let mut response = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        let mut want = Vec::new();
        for i in 0..40u8 {
            let chunk = vec![b'a' + i % 26; 100 + usize::from(i) * 7];
            response.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            response.extend_from_slice(&chunk);
            response.extend_from_slice(b"\r\n");
            want.extend_from_slice(&chunk);
        }
        response.extend_from_slice(b"0\r\n\r\n");
        let url = serve_once(response).await;
        let body = read_capped(get(&url).await, 64 * 1024).await.unwrap();
        assert_eq!(body.len(), want.len());
        assert!(body.as_slice() == want.as_slice());
    }

    #[tokio::test]
    async fn a_declared_length_over_the_limit_is_refused_unread() {
        let url = serve_once(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello!".to_vec()).await;
        let err = read_capped(get(&url).await, 5).await.unwrap_err();
        assert!(matches!(err, BodyError::TooLarge { limit: 5 }), "{err:?}");
    }

    #[tokio::test]
    async fn an_undeclared_body_over_the_limit_is_cut_off() {
        let url =
            serve_once(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n0123456789abcdef".to_vec())
                .await;
        let err = read_capped(get(&url).await, 10).await.unwrap_err();
        assert!(matches!(err, BodyError::TooLarge { limit: 10 }), "{err:?}");
    }
}
