//! `tawsim render`: an article with highlighted ranges as a PNG, for reports.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Args;
use egui::Color32;

use crate::text_view::png::{RenderOptions, render_image};
use crate::text_view::{Highlight, HighlightStyle};

/// Colours given to `--highlight` ranges in turn.
const PALETTE: [Color32; 4] =
    [Color32::from_rgb(0xe0, 0x6c, 0x00), Color32::from_rgb(0x1f, 0x77, 0xb4), Color32::from_rgb(0x2c, 0xa0, 0x2c), Color32::from_rgb(0x94, 0x67, 0xbd)];

/// Arguments of `tawsim render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The article (UTF-8 text).
    pub file: PathBuf,
    /// Where to write the PNG.
    #[arg(long)]
    pub out: PathBuf,
    /// Image width in pixels.
    #[arg(long, default_value_t = 900)]
    pub width: u32,
    /// Font size in pixels.
    #[arg(long, default_value_t = 20.0)]
    pub font_size: f32,
    /// A character range to highlight, `START..END` in Unicode scalar offsets (repeatable).
    #[arg(long = "highlight", value_parser = parse_range)]
    pub highlights: Vec<Range<usize>>,
}

/// Parses `START..END`.
pub fn parse_range(value: &str) -> Result<Range<usize>, String> {
    let (start, end) = value.split_once("..").ok_or_else(|| format!("expected START..END (for example 10..15), got {value:?}"))?;
    let start: usize = start.trim().parse().map_err(|_| format!("{start:?} in {value:?} is not a character offset"))?;
    let end: usize = end.trim().parse().map_err(|_| format!("{end:?} in {value:?} is not a character offset"))?;
    if end <= start {
        return Err(format!("empty range {value:?}: END must be greater than START"));
    }
    Ok(start..end)
}

/// Renders the article and writes the image.
pub fn run(args: &RenderArgs) -> anyhow::Result<i32> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("{}: not UTF-8 (first bad byte at offset {})", args.file.display(), e.utf8_error().valid_up_to()))?;
    let length = text.chars().count();
    for range in &args.highlights {
        if range.end > length {
            bail!("--highlight {}..{} is past the end of {} ({} characters)", range.start, range.end, args.file.display(), length);
        }
    }
    if !(100..=20_000).contains(&args.width) {
        bail!("--width {} is outside 100..20000 pixels", args.width);
    }
    let highlights: Vec<Highlight> = args
        .highlights
        .iter()
        .enumerate()
        .map(|(i, range)| Highlight { range: range.clone(), style: HighlightStyle::filled(PALETTE[i % PALETTE.len()]) })
        .collect();
    let options = RenderOptions { width: args.width, font_size: args.font_size.clamp(6.0, 96.0), ..RenderOptions::default() };
    let image = render_image(Arc::from(text), &highlights, &options);
    image.save(&args.out).with_context(|| format!("cannot write {}", args.out.display()))?;
    println!("wrote {} ({}×{} px)", args.out.display(), image.width(), image.height());
    Ok(0)
}
