//! The reference for `scripts/bench-window.sh`: a bare Tauri 2 window (VarDesk's window
//! size, one line of HTML, no commands, no data) reporting when its page has loaded and when
//! its first frame is painted (two animation frames, as VarDesk waits), so both are measured
//! alike in one run.

use tauri::webview::PageLoadEvent;
use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};

/// After two animation frames the page goes to `/painted`, whose load says it was painted.
const PAGE: &str = "<!doctype html><html><body><p>A bare Tauri window.</p><script>\
    requestAnimationFrame(() => requestAnimationFrame(() => location.replace('/painted')));\
    </script></body></html>";

fn unix_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn main() {
    let launched: Option<f64> = std::env::var("VARDESK_STARTUP_PROBE")
        .ok()
        .and_then(|v| v.parse().ok());
    let mut context = tauri::generate_context!();
    context.config_mut().app.windows.clear();
    tauri::Builder::default()
        .register_uri_scheme_protocol("minimal", |_, _| {
            tauri::http::Response::builder()
                .header("Content-Type", "text/html")
                .body(PAGE.as_bytes().to_vec())
                .expect("a static response")
        })
        .setup(|app| {
            let url = "minimal://localhost/".parse().expect("a static URL");
            WebviewWindowBuilder::new(app, "minimal", WebviewUrl::CustomProtocol(url))
                .title("Minimal")
                .inner_size(1280.0, 800.0)
                .build()?;
            Ok(())
        })
        .on_page_load(move |webview, payload| {
            let Some(launched) = launched else { return };
            if payload.event() != PageLoadEvent::Finished {
                return;
            }
            if payload.url().path() == "/painted" {
                println!("window painted: {:.1} ms", unix_ms() - launched);
                webview.app_handle().exit(0);
            } else {
                println!("page loaded: {:.1} ms", unix_ms() - launched);
            }
        })
        .run(context)
        .expect("the minimal window runs");
}
