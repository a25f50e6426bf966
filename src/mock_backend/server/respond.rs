//! The mock's responses that do not depend on the endpoint: JSON bodies, scripted faults
//! (latency, hangs, failures, garbage, an endless body) and the waits that end when the
//! server stops. The handlers in [`super`] start every request with [`generic_fault`].

use std::time::Duration;

use axum::body::Bytes;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{Shared, lock};
use crate::mock_backend::Fault;

pub(super) fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

pub(super) fn error_response(status: StatusCode, message: &str) -> Response {
    json_response(status, &json!({ "error": message }))
}

/// Sleeps unless the server stops first; `false` when it stopped.
pub(super) async fn pause(shared: &Shared, d: Duration) -> bool {
    if d.is_zero() {
        return true;
    }
    tokio::select! {
        () = tokio::time::sleep(d) => true,
        () = shared.stop.cancelled() => false,
    }
}

pub(super) fn stopping() -> Response {
    error_response(
        StatusCode::SERVICE_UNAVAILABLE,
        "mock backend shutting down",
    )
}

/// Applies the endpoint-independent part of a fault. `Some(response)` ends the request.
pub(super) async fn generic_fault(
    shared: &Shared,
    fault: &Fault,
    counter: &str,
) -> Option<Response> {
    match fault {
        Fault::Latency(d) => (!pause(shared, *d).await).then(stopping),
        Fault::Hang => {
            shared.stop.cancelled().await;
            Some(stopping())
        }
        Fault::FailFirst { n, status } => {
            let seen = {
                let mut failures = lock(&shared.failures);
                let count = failures.entry(counter.to_string()).or_insert(0);
                *count = count.saturating_add(1);
                *count
            };
            (seen <= *n).then(|| status_response(*status))
        }
        Fault::Status(status) => Some(status_response(*status)),
        Fault::Garbage => Some(
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/html")],
                "<html><body>502 Bad Gateway (not JSON)</body></html>",
            )
                .into_response(),
        ),
        Fault::Endless => Some(endless_response(shared)),
        Fault::RejectSignature => Some(error_response(
            StatusCode::UNAUTHORIZED,
            "invalid agent signature",
        )),
        _ => None,
    }
}

/// 200 with `{"data":[` followed by whitespace forever (valid JSON so far, so only a size cap
/// can stop a client), 64 KiB per chunk, until the client hangs up or the mock stops.
fn endless_response(shared: &Shared) -> Response {
    use futures::StreamExt as _;
    let filler = Bytes::from(vec![b' '; 64 * 1024]);
    let stream = futures::stream::once(async { Bytes::from_static(b"{\"data\":[") })
        .chain(futures::stream::repeat_with(move || filler.clone()))
        .map(Ok::<Bytes, std::io::Error>)
        .take_until(shared.stop.clone().cancelled_owned());
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        axum::body::Body::from_stream(stream),
    )
        .into_response()
}

fn status_response(status: u16) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    error_response(code, "scripted failure")
}
