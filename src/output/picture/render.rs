//! SVG to pixels with resvg, using only the embedded fonts: the PNG is the SVG drawn, so
//! the two never differ, and it looks the same on a machine without DejaVu installed.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::svg::{FONT_BOLD, FONT_REGULAR};

/// How much larger than the SVG's CSS pixels the PNG is drawn: 760 px become 1140, sharp
/// on high-density screens and within a 1200-pixel article column.
pub(super) const PNG_SCALE: f32 = 1.5;

/// The embedded faces as a font database, built once.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_font_data(FONT_REGULAR.to_vec());
            db.load_font_data(FONT_BOLD.to_vec());
            db.set_sans_serif_family("DejaVu Sans");
            Arc::new(db)
        })
        .clone()
}

/// Draws `svg` at `scale` times its size.
pub(super) fn pixels(svg: &str, scale: f32) -> Result<tiny_skia::Pixmap, String> {
    let options = usvg::Options {
        font_family: "DejaVu Sans".into(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| format!("reading the SVG: {e}"))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("picture too large")?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| format!("cannot draw {} by {} pixels", size.width(), size.height()))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

/// `svg` as PNG bytes.
pub(super) fn png(svg: &str) -> Result<Vec<u8>, String> {
    pixels(svg, PNG_SCALE)?
        .encode_png()
        .map_err(|e| format!("encoding the PNG: {e}"))
}
