//! A trend as an SVG picture: one line per query, articles per period, with axes, period
//! labels and a legend, for reports and pages. Drawn with plotters' SVG backend, whose text is
//! left to the viewer's fonts, so no font is read or shipped.

use plotters::prelude::*;

use super::trend::Trend;

/// Picture width and height in pixels.
pub const CHART_SIZE: (u32, u32) = (960, 440);

/// Period labels written under the x axis at most; the others are left out so labels never
/// overlap.
const MAX_X_LABELS: usize = 12;

/// Line colours, one per query in turn: the Tableau 10 palette, distinct on white and for the
/// common colour blindnesses.
const SERIES_COLORS: [RGBColor; 10] = [
    RGBColor(0x4e, 0x79, 0xa7),
    RGBColor(0xf2, 0x8e, 0x2b),
    RGBColor(0xe1, 0x57, 0x59),
    RGBColor(0x76, 0xb7, 0xb2),
    RGBColor(0x59, 0xa1, 0x4f),
    RGBColor(0xed, 0xc9, 0x48),
    RGBColor(0xb0, 0x7a, 0xa1),
    RGBColor(0xff, 0x9d, 0xa7),
    RGBColor(0x9c, 0x75, 0x5f),
    RGBColor(0xba, 0xb0, 0xac),
];

/// Drawing the chart failed (plotters' own error, as text).
#[derive(Debug, thiserror::Error)]
#[error("drawing the trend chart failed: {0}")]
pub struct ChartError(String);

/// The trend drawn as an SVG document.
pub fn svg(trend: &Trend) -> Result<String, ChartError> {
    let mut picture = String::new();
    draw(trend, &mut picture).map_err(ChartError)?;
    Ok(picture)
}

fn draw(trend: &Trend, picture: &mut String) -> Result<(), String> {
    let root = SVGBackend::with_string(picture, CHART_SIZE).into_drawing_area();
    root.fill(&WHITE).map_err(text)?;
    let labels: Vec<String> = trend
        .series
        .first()
        .map(|series| {
            series
                .buckets
                .iter()
                .map(|bucket| bucket.period.clone())
                .collect()
        })
        .unwrap_or_default();
    let periods = labels.len() as i64;
    let highest = trend
        .series
        .iter()
        .flat_map(|series| series.buckets.iter().map(|bucket| bucket.count))
        .max()
        .unwrap_or(0);
    // Headroom over the highest point, and a visible axis for an empty chart.
    let top = (highest + highest / 10).max(1) + 1;
    let caption = format!("Articles per {}", trend.by.name());
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, ("sans-serif", 20))
        .margin(16)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(0..(periods - 1).max(1), 0..top)
        .map_err(text)?;
    let label_of = |at: &i64| {
        usize::try_from(*at)
            .ok()
            .and_then(|at| labels.get(at))
            .cloned()
            .unwrap_or_default()
    };
    chart
        .configure_mesh()
        .x_labels(labels.len().clamp(2, MAX_X_LABELS))
        .x_label_formatter(&label_of)
        .y_desc("articles")
        .disable_x_mesh()
        .draw()
        .map_err(text)?;
    for (at, series) in trend.series.iter().enumerate() {
        let color = SERIES_COLORS[at % SERIES_COLORS.len()];
        let points: Vec<(i64, u64)> = series
            .buckets
            .iter()
            .enumerate()
            .map(|(x, bucket)| (x as i64, bucket.count))
            .collect();
        chart
            .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))
            .map_err(text)?
            .label(series.query.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
        chart
            .draw_series(
                points
                    .into_iter()
                    .map(|point| Circle::new(point, 3, color.filled())),
            )
            .map_err(text)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .draw()
        .map_err(text)?;
    root.present().map_err(text)?;
    Ok(())
}

/// A plotters error as text (its errors borrow the picture being drawn).
fn text(error: impl std::fmt::Display) -> String {
    error.to_string()
}
