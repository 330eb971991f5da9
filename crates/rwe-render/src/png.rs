//! PNG output: the SVG written by this crate, rasterised with `resvg` (pure Rust), using only the bundled
//! DejaVu Sans. Every generic family (`sans-serif`, `serif`, `monospace`, `cursive`, `fantasy`) maps to it
//! and system fonts are never loaded, so the same SVG gives the same picture on every machine (a missing
//! font would otherwise drop every label silently).

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};

use crate::error::RenderError;
use crate::font::{BOLD, FAMILY_NAME, REGULAR};

/// Raster settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PngOptions {
    /// Pixels per SVG px. SVG px are 1/96 in, so 3.125 gives 300 dpi at the SVG's nominal size.
    pub scale: f32,
}

impl Default for PngOptions {
    /// 300 dpi at the SVG's nominal size.
    fn default() -> PngOptions {
        PngOptions {
            scale: 300.0 / 96.0,
        }
    }
}

fn font_database() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family(FAMILY_NAME);
        db.set_serif_family(FAMILY_NAME);
        db.set_monospace_family(FAMILY_NAME);
        db.set_cursive_family(FAMILY_NAME);
        db.set_fantasy_family(FAMILY_NAME);
        Arc::new(db)
    })
    .clone()
}

/// Rasterises an SVG document to PNG bytes.
///
/// # Errors
/// [`RenderError::Svg`] when the SVG cannot be parsed, [`RenderError::PngSize`] when the scaled size is
/// empty or too large to allocate, [`RenderError::PngEncode`] when encoding fails.
pub fn svg_to_png(svg: &str, options: &PngOptions) -> Result<Vec<u8>, RenderError> {
    let usvg_options = usvg::Options {
        font_family: FAMILY_NAME.to_owned(),
        fontdb: font_database(),
        ..usvg::Options::default()
    };
    let tree =
        usvg::Tree::from_str(svg, &usvg_options).map_err(|source| RenderError::Svg { source })?;
    let size = tree.size();
    let width = f64::from(size.width() * options.scale).ceil();
    let height = f64::from(size.height() * options.scale).ceil();
    let too_big = || RenderError::PngSize { width, height };
    if !(width >= 1.0 && height >= 1.0 && width <= 20_000.0 && height <= 20_000.0) {
        return Err(too_big());
    }
    // Bounded to [1, 20000] above, so the conversions are exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let mut pixmap = Pixmap::new(width as u32, height as u32).ok_or_else(too_big)?;
    resvg::render(
        &tree,
        Transform::from_scale(options.scale, options.scale),
        &mut pixmap.as_mut(),
    );
    encode(pixmap).map_err(|e| RenderError::PngEncode {
        source: Box::new(e),
    })
}

/// The pixmap as PNG: what `Pixmap::encode_png` writes (straight-alpha RGBA, 8 bits, the encoder's
/// defaults), without first copying the pixels, since the pixmap is not needed afterwards.
fn encode(pixmap: Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let (width, height) = (pixmap.width(), pixmap.height());
    let pixels = pixmap.take_demultiplied();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(out)
}
