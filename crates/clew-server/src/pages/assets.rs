//! The embedded style sheet (nothing is fetched from elsewhere; the Content-Security-Policy allows only this).

use axum::http::header;
use axum::response::IntoResponse;

pub(crate) async fn style() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../assets/style.css"),
    )
}
