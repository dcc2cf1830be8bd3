//! Build switch for the split release (issue 24): with `SAGABANK_SPLIT=1` on a wasm32
//! build, the parts declared with `split_view!` (src/ui/lazy.rs) become split points
//! (`cfg(sagabank_split)`) and the linker
//! keeps its relocations (`--emit-relocs`), which `wasm-split-cli` needs to cut the wasm
//! into a main module and lazily loaded chunks (`scripts/split-wasm`, Trunk's post_build
//! hook). Any other build is the usual single module. Only this crate is rebuilt when
//! the switch changes: dependencies keep their cached builds.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(sagabank_split)");
    println!("cargo::rerun-if-env-changed=SAGABANK_SPLIT");
    println!("cargo::rerun-if-changed=build.rs");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    let split = std::env::var("SAGABANK_SPLIT").is_ok_and(|v| v == "1");
    if wasm && split {
        println!("cargo::rustc-cfg=sagabank_split");
        println!("cargo::rustc-link-arg-bins=--emit-relocs");
    }
}
