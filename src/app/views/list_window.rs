//! A virtual list's geometry and keyboard moves, in plain numbers: which rows to
//! render for a scroll position, where a key moves the selection, and how far to
//! scroll to show a row. The audit trail's list renders only what this says.

/// Rows of `row_height` pixels in a viewport of `height` pixels, plus one for a
/// partly shown row.
#[must_use]
pub fn rows_in_view(height: f64, row_height: f64) -> usize {
    (height / row_height).ceil().max(1.0) as usize + 1
}

/// The rows to render, `start..end`, of `count` rows scrolled to `scroll_top` in a
/// viewport of `height`, with `overscan` more on each side.
#[must_use]
pub fn window(
    scroll_top: f64,
    height: f64,
    count: usize,
    row_height: f64,
    overscan: usize,
) -> (usize, usize) {
    let first = (scroll_top / row_height).floor().max(0.0) as usize;
    let start = first.saturating_sub(overscan).min(count);
    let end = (first + rows_in_view(height, row_height) + overscan).min(count);
    (start, end)
}

/// Where the key `key` moves the selection from `current` in a list of `total` rows
/// (`page` rows a page), or `None` for a key that does not move it. With no current
/// row every move goes to the first one (`End` to the last).
#[must_use]
pub fn key_target(key: &str, current: Option<usize>, total: usize, page: usize) -> Option<usize> {
    let last = total.checked_sub(1)?;
    Some(match key {
        "ArrowDown" => current.map_or(0, |i| (i + 1).min(last)),
        "ArrowUp" => current.map_or(0, |i| i.saturating_sub(1)),
        "PageDown" => current.map_or(0, |i| (i + page).min(last)),
        "PageUp" => current.map_or(0, |i| i.saturating_sub(page)),
        "Home" => 0,
        "End" => last,
        _ => return None,
    })
}

/// The scroll position that shows row `i` of a viewport at `top` of `height`, or
/// `None` when it is already wholly in view. `centre` centres a row that was out of
/// view; otherwise it scrolls just enough.
#[must_use]
pub fn scroll_to_show(
    top: f64,
    height: f64,
    i: usize,
    row_height: f64,
    centre: bool,
) -> Option<f64> {
    let row_top = i as f64 * row_height;
    let target = if row_top >= top && row_top + row_height <= top + height {
        return None;
    } else if centre {
        row_top - (height - row_height) / 2.0
    } else if row_top < top {
        row_top
    } else {
        row_top + row_height - height
    };
    Some(target.max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_viewport_renders_its_rows_and_the_overscan_within_the_list() {
        // 400px of 40px rows: 10 rows, plus one partly shown.
        assert_eq!(rows_in_view(400.0, 40.0), 11);
        assert_eq!(rows_in_view(0.0, 40.0), 2);
        assert_eq!(window(0.0, 400.0, 1_000, 40.0, 8), (0, 19));
        assert_eq!(window(4_000.0, 400.0, 1_000, 40.0, 8), (92, 119));
        assert_eq!(window(4_000.0, 400.0, 50, 40.0, 8), (50, 50));
        assert_eq!(window(0.0, 400.0, 5, 40.0, 8), (0, 5));
    }

    #[test]
    fn keys_move_the_selection_within_the_list() {
        let go = |key, current| key_target(key, current, 100, 10);
        assert_eq!(go("ArrowDown", Some(5)), Some(6));
        assert_eq!(go("ArrowDown", Some(99)), Some(99));
        assert_eq!(go("ArrowUp", Some(0)), Some(0));
        assert_eq!(go("PageDown", Some(95)), Some(99));
        assert_eq!(go("PageUp", Some(5)), Some(0));
        assert_eq!(go("Home", Some(50)), Some(0));
        assert_eq!(go("End", None), Some(99));
        assert_eq!(go("ArrowUp", None), Some(0));
        assert_eq!(go("a", Some(3)), None);
        assert_eq!(key_target("ArrowDown", None, 0, 10), None);
    }

    #[test]
    fn a_row_in_view_needs_no_scroll_and_one_out_of_view_is_brought_in() {
        assert_eq!(scroll_to_show(0.0, 400.0, 3, 40.0, true), None);
        // Below the viewport: just enough, or centred.
        assert_eq!(scroll_to_show(0.0, 400.0, 10, 40.0, false), Some(40.0));
        assert_eq!(
            scroll_to_show(0.0, 400.0, 50, 40.0, true),
            Some(2_000.0 - 180.0)
        );
        // Above: to its top; never above the list's top.
        assert_eq!(scroll_to_show(400.0, 400.0, 2, 40.0, false), Some(80.0));
        assert_eq!(scroll_to_show(400.0, 400.0, 0, 40.0, true), Some(0.0));
    }
}
