//! Bounded page fetching: one time budget per page (redirects included), a hard cap on the
//! bytes read, redirects followed by hand so that loops, other schemes and other sites are
//! caught, and only HTML accepted.

use std::io::Read;
use std::time::{Duration, Instant};

use url::Url;

use super::site::Site;
use super::{Options, ResearchError};

/// A page as read: where it ended up after redirects and its (possibly cut) text.
#[derive(Debug)]
pub(crate) struct Page {
    pub url: Url,
    pub html: String,
    /// Why only part of the page was read, when it was not read to the end.
    pub cut: Option<String>,
    /// Cut because the time ran out (a server sending slowly), not because of the size cap.
    pub timed_out: bool,
}

pub(crate) struct Fetcher {
    agent: ureq::Agent,
    timeout: Duration,
    max_bytes: usize,
    max_redirects: u32,
}

impl Fetcher {
    /// `direct` skips any proxy from the environment (for loopback addresses).
    pub fn new(options: &Options, direct: bool) -> Self {
        let mut config = ureq::Agent::config_builder()
            .timeout_global(Some(options.timeout))
            .max_redirects(0)
            .http_status_as_error(false)
            .https_only(false)
            .max_response_header_size(64 * 1024)
            .user_agent(format!(
                "kith/{} (website research)",
                env!("CARGO_PKG_VERSION")
            ))
            .accept("text/html,application/xhtml+xml;q=0.9,*/*;q=0.1");
        if direct {
            config = config.proxy(None);
        }
        Fetcher {
            agent: config.build().into(),
            timeout: options.timeout,
            max_bytes: options.max_bytes,
            max_redirects: options.max_redirects,
        }
    }

    /// Reads one page. With `site`, a redirect that leaves the site is refused (sub-pages);
    /// without, the home page may move anywhere on http(s).
    pub fn get(&self, start: &Url, site: Option<&Site>) -> Result<Page, ResearchError> {
        let began = Instant::now();
        let mut chain: Vec<Url> = vec![start.clone()];
        loop {
            let url = chain
                .last()
                .expect("chain starts with the start URL")
                .clone();
            let left = self.timeout.saturating_sub(began.elapsed());
            if left.is_zero() {
                return Err(ResearchError::timeout(&url, self.timeout));
            }
            let response = self
                .agent
                .get(url.as_str())
                .config()
                .timeout_global(Some(left))
                .build()
                .call()
                .map_err(|e| map_error(&url, e, self.timeout))?;
            let status = response.status();
            if status.is_redirection() {
                if let Some(location) = response
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                {
                    let next = url
                        .join(location.trim())
                        .map_err(|e| ResearchError::BadUrl {
                            url: super::clean(location),
                            reason: format!("a redirect from {url} to it: {e}"),
                        })?;
                    self.check_redirect(&chain, &next, site)?;
                    chain.push(strip_fragment(next));
                    continue;
                }
            }
            if !status.is_success() {
                return Err(ResearchError::Status {
                    url: super::clean(url.as_str()),
                    status: format!(
                        "{} {}",
                        status.as_u16(),
                        status.canonical_reason().unwrap_or("")
                    )
                    .trim()
                    .to_string(),
                });
            }
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            let mime = content_type
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            let html_type = mime == "text/html" || mime == "application/xhtml+xml";
            if !html_type && !mime.is_empty() {
                return Err(ResearchError::NotHtml {
                    url: super::clean(url.as_str()),
                    content_type: super::clean(&mime),
                });
            }
            let mut reader = response.into_body().into_reader();
            let mut bytes = Vec::with_capacity(self.max_bytes.min(256 * 1024));
            let mut cut = None;
            let mut timed_out = false;
            let read = (&mut reader)
                .take(self.max_bytes as u64 + 1)
                .read_to_end(&mut bytes);
            if let Err(e) = read {
                let e = map_error(&url, ureq::Error::from(e), self.timeout);
                if bytes.is_empty() || !matches!(e, ResearchError::Timeout { .. }) {
                    return Err(e);
                }
                timed_out = true;
                cut = Some(format!(
                    "{}: stopped reading after {} (timed out); used the part read",
                    super::clean(url.as_str()),
                    human_bytes(bytes.len())
                ));
            }
            if bytes.len() > self.max_bytes {
                bytes.truncate(self.max_bytes);
                cut = Some(format!(
                    "{}: page larger than the size cap of {}; only the first {} were read",
                    super::clean(url.as_str()),
                    human_bytes(self.max_bytes),
                    human_bytes(self.max_bytes)
                ));
            }
            drop(reader);
            if mime.is_empty() && !looks_like_html(&bytes) {
                return Err(ResearchError::NotHtml {
                    url: super::clean(url.as_str()),
                    content_type: "no content type, and the start is not HTML".into(),
                });
            }
            let html = decode(&bytes, &content_type);
            return Ok(Page {
                url,
                html,
                cut,
                timed_out,
            });
        }
    }

    fn check_redirect(
        &self,
        chain: &[Url],
        next: &Url,
        site: Option<&Site>,
    ) -> Result<(), ResearchError> {
        let from = chain.last().expect("non-empty chain");
        if next.scheme() != "http" && next.scheme() != "https" {
            return Err(ResearchError::RedirectRefused {
                url: super::clean(from.as_str()),
                to: super::clean(next.as_str()),
            });
        }
        let bare = strip_fragment(next.clone());
        if chain.contains(&bare) {
            let mut hops: Vec<String> = chain.iter().map(|u| super::clean(u.as_str())).collect();
            hops.push(super::clean(bare.as_str()));
            return Err(ResearchError::RedirectLoop {
                url: super::clean(chain[0].as_str()),
                chain: hops.join(" → "),
            });
        }
        if chain.len() > self.max_redirects as usize {
            return Err(ResearchError::TooManyRedirects {
                url: super::clean(chain[0].as_str()),
                max: self.max_redirects,
            });
        }
        if let Some(site) = site {
            if !site.contains(next) {
                return Err(ResearchError::RedirectOffSite {
                    url: super::clean(from.as_str()),
                    to: super::clean(next.as_str()),
                });
            }
        }
        Ok(())
    }
}

pub(crate) fn strip_fragment(mut url: Url) -> Url {
    url.set_fragment(None);
    url
}

fn map_error(url: &Url, error: ureq::Error, timeout: Duration) -> ResearchError {
    use std::io::ErrorKind;
    let clean_url = super::clean(url.as_str());
    match error {
        ureq::Error::Timeout(_) => ResearchError::timeout(url, timeout),
        ureq::Error::HostNotFound => ResearchError::HostNotFound { url: clean_url },
        ureq::Error::Io(e) => match e.kind() {
            ErrorKind::TimedOut | ErrorKind::WouldBlock => ResearchError::timeout(url, timeout),
            ErrorKind::ConnectionRefused => ResearchError::ConnectionRefused { url: clean_url },
            _ => ResearchError::Network {
                url: clean_url,
                message: super::clean(&e.to_string()),
            },
        },
        ureq::Error::ConnectionFailed => ResearchError::Network {
            url: clean_url,
            message: "could not connect".into(),
        },
        ureq::Error::LargeResponseHeader(..) => ResearchError::Network {
            url: clean_url,
            message: "response headers too large".into(),
        },
        other => ResearchError::Network {
            url: clean_url,
            message: super::clean(&other.to_string()),
        },
    }
}

/// "2 MiB", "64 KiB" or "1234 bytes".
pub(crate) fn human_bytes(n: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= KIB && n.is_multiple_of(KIB) {
        format!("{} KiB", n / KIB)
    } else {
        format!("{n} bytes")
    }
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    start
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'<')
}

/// Text from bytes in the charset the server named, by `encoding_rs`: a byte-order mark wins,
/// and a page without a usable label is read as UTF-8 when it is, else as Windows-1252.
fn decode(bytes: &[u8], content_type: &str) -> String {
    let charset = content_type
        .split(';')
        .filter_map(|p| {
            let (key, value) = p.split_once('=')?;
            key.trim()
                .eq_ignore_ascii_case("charset")
                .then(|| value.trim().trim_matches(['"', '\'', ' ']))
        })
        .next();
    crate::interop::text::decode_labeled(bytes, charset).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_person_would_write_them() {
        assert_eq!(human_bytes(2 * 1024 * 1024), "2 MiB");
        assert_eq!(human_bytes(64 * 1024), "64 KiB");
        assert_eq!(human_bytes(1000), "1000 bytes");
    }

    #[test]
    fn charsets() {
        assert_eq!(decode(b"caf\xe9", "text/html; charset=ISO-8859-1"), "café");
        assert_eq!(decode("café".as_bytes(), "text/html"), "café");
        assert_eq!(
            decode(b"\x93caf\xe9\x94", "text/html"),
            "\u{201c}café\u{201d}"
        );
        assert_eq!(
            decode(b"\xcf\xf0\xe8", "text/html; Charset=\"windows-1251\""),
            "При"
        );
        assert_eq!(
            decode(b"\xEF\xBB\xBFcaf\xC3\xA9", "text/html; charset=latin1"),
            "café"
        );
        assert!(looks_like_html(b"  \n<!doctype html>"));
        assert!(!looks_like_html(b"%PDF-1.7"));
    }
}
