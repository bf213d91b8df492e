//! Colours, from the config's `[theme]`; none at all when `NO_COLOR` is set.

use ratatui::style::{Color, Modifier, Style};
use serde::{Deserialize, Deserializer};
use std::str::FromStr;

/// A colour as written in the config: a name (`cyan`, `darkgray`), `#rrggbb`, or an index
/// (0-255). Checked as it is read so that a bad colour names its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColorName(pub Color);

impl<'de> Deserialize<'de> for ColorName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Color::from_str(&s)
            .map(ColorName)
            .map_err(|_| serde::de::Error::custom(format!("unknown colour {s:?}")))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThemeConfig {
    pub accent: ColorName,
    pub muted: ColorName,
    pub selected_fg: ColorName,
    pub selected_bg: ColorName,
    pub error: ColorName,
    pub success: ColorName,
    pub border: ColorName,
    pub lead: ColorName,
    pub customer: ColorName,
}

impl Default for ThemeConfig {
    fn default() -> Self {
        ThemeConfig {
            accent: ColorName(Color::Cyan),
            muted: ColorName(Color::DarkGray),
            selected_fg: ColorName(Color::Black),
            selected_bg: ColorName(Color::Cyan),
            error: ColorName(Color::Red),
            success: ColorName(Color::Green),
            border: ColorName(Color::Gray),
            lead: ColorName(Color::Yellow),
            customer: ColorName(Color::Green),
        }
    }
}

/// The styles views draw with.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub accent: Style,
    pub muted: Style,
    pub selected: Style,
    pub error: Style,
    pub success: Style,
    pub border: Style,
    pub lead: Style,
    pub customer: Style,
    pub bold: Style,
}

impl Theme {
    pub fn new(config: &ThemeConfig, no_color: bool) -> Theme {
        let bold = Style::default().add_modifier(Modifier::BOLD);
        if no_color {
            // Without colour, selection and emphasis still show, by reverse video and weight.
            let plain = Style::default();
            return Theme {
                accent: bold,
                muted: plain,
                selected: plain.add_modifier(Modifier::REVERSED),
                error: bold,
                success: plain,
                border: plain,
                lead: plain,
                customer: plain,
                bold,
            };
        }
        let fg = |c: ColorName| Style::default().fg(c.0);
        Theme {
            accent: fg(config.accent).add_modifier(Modifier::BOLD),
            muted: fg(config.muted),
            selected: Style::default()
                .fg(config.selected_fg.0)
                .bg(config.selected_bg.0)
                .add_modifier(Modifier::BOLD),
            error: fg(config.error).add_modifier(Modifier::BOLD),
            success: fg(config.success),
            border: fg(config.border),
            lead: fg(config.lead),
            customer: fg(config.customer),
            bold,
        }
    }

    /// `NO_COLOR` set to anything non-empty turns colour off (no-color.org).
    pub fn no_color_from_env() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }
}
