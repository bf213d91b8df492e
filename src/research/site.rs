//! The same-site rule: a link is followed only on the host the research started on (or where
//! the home page redirected to), with `www.` and the apex counted as one host, on the same
//! explicit port, over http or https.

use url::Url;

#[derive(Debug, Clone, Default)]
pub(crate) struct Site {
    keys: Vec<(String, Option<u16>)>,
}

fn key(url: &Url) -> Option<(String, Option<u16>)> {
    if url.scheme() != "http" && url.scheme() != "https" {
        return None;
    }
    let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    if host.is_empty() {
        return None;
    }
    // `port()` is None for the scheme's default port, so http://x and https://x are one site.
    Some((host, url.port()))
}

impl Site {
    pub fn new(url: &Url) -> Self {
        let mut site = Site::default();
        site.add(url);
        site
    }

    pub fn add(&mut self, url: &Url) {
        if let Some(k) = key(url) {
            if !self.keys.contains(&k) {
                self.keys.push(k);
            }
        }
    }

    pub fn contains(&self, url: &Url) -> bool {
        key(url).is_some_and(|k| self.keys.contains(&k))
    }

    /// Every host the site is known by, without `www.`.
    pub fn hosts(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|k| k.0.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn same_site() {
        let site = Site::new(&u("https://acme.com/"));
        assert!(site.contains(&u("https://acme.com/contact")));
        assert!(site.contains(&u("https://www.acme.com/team")));
        assert!(site.contains(&u("http://ACME.com/about")));
        assert!(!site.contains(&u("https://acme.com.evil.test/contact")));
        assert!(!site.contains(&u("https://other.com/contact")));
        assert!(!site.contains(&u("https://shop.acme.com/contact")));
        assert!(!site.contains(&u("https://acme.com:8443/contact")));
        assert!(!site.contains(&u("ftp://acme.com/contact")));
        let www = Site::new(&u("https://www.acme.com"));
        assert!(www.contains(&u("https://acme.com/contact")));
        let local = Site::new(&u("http://127.0.0.1:8080/"));
        assert!(local.contains(&u("http://127.0.0.1:8080/contact")));
        assert!(!local.contains(&u("http://127.0.0.1:8081/contact")));
        assert!(!local.contains(&u("http://localhost:8080/contact")));
    }
}
