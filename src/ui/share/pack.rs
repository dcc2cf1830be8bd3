//! The browser half of a bank link: gzip through the browser's own `CompressionStream`
//! and `DecompressionStream` (no compression code in the wasm), and the link itself.
//! web-sys keeps those streams behind its unstable APIs, so they are reached through
//! `js_sys::Reflect`, as `ui::locks` does for `navigator.locks`.

use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::app::share::{self, ShareError, MAX_UNPACKED_BYTES};
use crate::store::Recorded;
/// This page's address without its query and fragment (the route module reads it).
pub use crate::ui::route::page_url;

/// A link to this page holding `events` (and pointing at `transfer`, if given); also
/// returns the fragment's data length.
pub async fn link_for(
    events: &[std::rc::Rc<Recorded>],
    transfer: Option<&str>,
) -> Result<String, ShareError> {
    let text = share::log_text(events.iter().map(AsRef::as_ref))?;
    let packed = gzip(text.as_bytes())
        .await
        .map_err(|e| ShareError::Unpack(format!("this browser could not pack it: {e}")))?;
    let data = share::base64url_encode(&packed);
    share::check_link_length(&data)?;
    Ok(format!(
        "{}{}",
        page_url(),
        share::fragment(&data, transfer)
    ))
}

/// The events a link's data holds, checked as an import checks a file.
pub async fn events_from(data: &str) -> Result<Vec<Recorded>, ShareError> {
    let packed = share::unwrap_data(data)?;
    let bytes = gunzip(&packed, MAX_UNPACKED_BYTES).await?;
    share::check_unpacked(bytes)
}

/// Puts `text` on the clipboard; `Err` when the browser does not allow it.
pub async fn copy_to_clipboard(text: &str) -> Result<(), String> {
    let navigator = get(&js_sys::global(), "navigator")?;
    let clipboard = get(&navigator, "clipboard")?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err("this browser offers no clipboard here".to_owned());
    }
    let promise = call(&clipboard, "writeText", &[JsValue::from_str(text)])?;
    await_promise(promise).await.map(|_| ())
}

/// gzip through `CompressionStream`.
async fn gzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let compressor = construct("CompressionStream", &[JsValue::from_str("gzip")])
        .map_err(|_| "CompressionStream is missing (a browser from before 2023?)".to_owned())?;
    let stream = call(&blob_of(bytes)?, "stream", &[])?;
    let packed = call(&stream, "pipeThrough", &[compressor])?;
    let response = construct("Response", &[packed])?;
    let buffer = await_promise(call(&response, "arrayBuffer", &[])?).await?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// gunzip through `DecompressionStream`, reading at most `max` bytes: a link that
/// unpacks to more is refused without unpacking the rest.
async fn gunzip(bytes: &[u8], max: usize) -> Result<Vec<u8>, ShareError> {
    let unpack_error = ShareError::Unpack;
    let decompressor =
        construct("DecompressionStream", &[JsValue::from_str("gzip")]).map_err(|_| {
            unpack_error(
                "this browser has no DecompressionStream (a browser from before 2023?)".to_owned(),
            )
        })?;
    let stream = call(&blob_of(bytes).map_err(unpack_error)?, "stream", &[])
        .and_then(|s| call(&s, "pipeThrough", &[decompressor]))
        .map_err(unpack_error)?;
    let reader = call(&stream, "getReader", &[]).map_err(unpack_error)?;
    let mut out = Vec::new();
    loop {
        let chunk = await_promise(call(&reader, "read", &[]).map_err(unpack_error)?)
            .await
            .map_err(unpack_error)?;
        if get(&chunk, "done").map_err(unpack_error)?.as_bool() == Some(true) {
            return Ok(out);
        }
        let value: Uint8Array = get(&chunk, "value")
            .map_err(unpack_error)?
            .dyn_into()
            .map_err(|_| unpack_error("the stream gave something other than bytes".to_owned()))?;
        if out.len() + value.length() as usize > max {
            let _ = call(&reader, "cancel", &[]);
            return Err(ShareError::TooBig { max });
        }
        out.extend(value.to_vec());
    }
}

fn blob_of(bytes: &[u8]) -> Result<JsValue, String> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    web_sys::Blob::new_with_u8_array_sequence(&parts)
        .map(Into::into)
        .map_err(|e| describe(&e))
}

fn get(target: &JsValue, name: &str) -> Result<JsValue, String> {
    Reflect::get(target, &JsValue::from_str(name)).map_err(|e| describe(&e))
}

fn call(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let function: Function = get(target, name)?
        .dyn_into()
        .map_err(|_| format!("{name} is not a function here"))?;
    Reflect::apply(&function, target, &args.iter().collect::<Array>()).map_err(|e| describe(&e))
}

fn construct(name: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let constructor: Function = get(&js_sys::global(), name)?
        .dyn_into()
        .map_err(|_| format!("{name} is missing"))?;
    Reflect::construct(&constructor, &args.iter().collect::<Array>()).map_err(|e| describe(&e))
}

async fn await_promise(value: JsValue) -> Result<JsValue, String> {
    let promise: Promise = value
        .dyn_into()
        .map_err(|_| "expected a promise".to_owned())?;
    JsFuture::from(promise).await.map_err(|e| describe(&e))
}

/// A JS error's message without its final full stop (a `TypeError`'s "The compressed
/// data was not valid: incorrect data check", say): it goes inside a sentence.
fn describe(error: &JsValue) -> String {
    get_message(error).unwrap_or_else(|| format!("{error:?}"))
}

fn get_message(error: &JsValue) -> Option<String> {
    Reflect::get(error, &JsValue::from_str("message"))
        .ok()?
        .as_string()
        .map(|m| m.trim_end_matches('.').to_owned())
        .filter(|m| !m.is_empty())
}
