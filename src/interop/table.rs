//! Plain-text tables for people reading a terminal.

use crate::display::{fit, width};
use crate::domain::Contact;

/// Lays out rows under a header; each column as wide as its widest cell, capped at `max`.
pub fn render(header: &[&str], rows: &[Vec<String>], max: &[usize]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| width(&r[i]))
                .chain(std::iter::once(width(header[i])))
                .max()
                .unwrap_or(0)
                .min(max[i])
        })
        .collect();
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let last = cells.len() - 1;
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == last {
                    crate::display::truncate(c, widths[i])
                } else {
                    fit(c, widths[i])
                }
            })
            .collect();
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(header.to_vec());
    for r in rows {
        line(r.iter().map(String::as_str).collect());
    }
    out
}

pub fn contacts(list: &[Contact]) -> String {
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|c| {
            let f = &c.fields;
            let o = |v: &Option<String>| v.clone().unwrap_or_default();
            vec![
                c.id.to_string(),
                c.full_name().to_string(),
                o(&f.title),
                o(&f.email),
                o(&f.phone),
                match c.moved_to {
                    // Still at the old company in the store, but no longer there in life.
                    Some(next) => {
                        format!("{} ({}), moved on: #{next}", c.parent_name, c.parent_kind)
                    }
                    None => format!("{} ({})", c.parent_name, c.parent_kind),
                },
            ]
        })
        .collect();
    render(
        &["ID", "NAME", "TITLE", "EMAIL", "PHONE", "PARENT"],
        &rows,
        &[8, 28, 28, 34, 20, 56],
    )
}
